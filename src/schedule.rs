//! When each feed is polled next: adaptive intervals, feed hints, backoff, Retry-After, jitter.
//!
//! Pure arithmetic over times and durations; the caller passes `now` and a jitter value in
//! `[0, 1)`, so every rule is testable with a fake clock. Nothing here reads the clock, the
//! network or the database.
//!
//! # The interval rule
//!
//! Each feed keeps its own interval `I` (starting at `schedule.interval`). After a successful poll
//! that found `n` new entries:
//!
//! * `n > 0`: the observed gap between new entries is `g = (now - last_new) / n` (or `I` when the
//!   feed never had new entries before). rill aims to poll twice per gap, so the target is
//!   `g / 2`, and the interval moves halfway there: `I' = (I + g/2) / 2` (an exponentially
//!   weighted average with weight ½).
//! * `n = 0`: nothing new, so the interval grows by a quarter: `I' = 1.25 · I`.
//!
//! `I'` is then clamped to `[lower, max_interval]`, where `lower` is the largest of
//! `min_interval`, the feed's own hints (RSS `<ttl>`, `sy:updatePeriod`/`sy:updateFrequency`) and
//! the server's `Cache-Control: max-age`/`Expires` (each capped at `max_interval`). The next poll
//! is `now + I'` stretched by up to +10 % jitter, then moved out of `skipHours`/`skipDays`.
//!
//! Worked example (min 5 min, max 24 h, start 15 min): a feed that publishes every 10 minutes
//! finds ~1.5 new entries per 15-minute poll, so `g = 10 min`, target 5 min, and `I` goes
//! 15 → 10 → 7.5 → 6.25 → … → 5 min. A weekly feed finds nothing most of the time: 15 min ·
//! 1.25^k passes 24 h after 33 empty polls (about four days), and stays at the 24 h cap.
//!
//! # Failures
//!
//! After the `k`-th consecutive failure the feed waits `min(max_backoff, 1 min · 2^(k-1))`
//! stretched by up to +25 % jitter, and never less than a `Retry-After` the server gave. The
//! interval itself is kept, so a recovered feed resumes its rhythm.

use crate::config::ScheduleConfig;
use crate::model::FeedHints;
use chrono::{DateTime, Datelike, Duration as Delta, Timelike, Utc};
use std::time::Duration;

/// First backoff step.
const BACKOFF_BASE: Duration = Duration::from_secs(60);

/// What the scheduler knows after a successful poll.
#[derive(Debug, Clone, Default)]
pub struct PollFacts<'a> {
    /// The interval in force (`None`: the feed has none yet).
    pub interval: Option<Duration>,
    pub new_entries: usize,
    pub last_new_at: Option<DateTime<Utc>>,
    pub hints: Option<&'a FeedHints>,
    /// `Cache-Control: max-age` / `Expires` of the response.
    pub fresh_for: Option<Duration>,
}

/// The next poll after a success: `(when, new interval)`.
pub fn after_success(
    cfg: &ScheduleConfig,
    now: DateTime<Utc>,
    facts: &PollFacts<'_>,
    jitter: f64,
) -> (DateTime<Utc>, Duration) {
    let current = facts.interval.unwrap_or(cfg.interval);
    let next = if facts.new_entries > 0 {
        let gap = match facts.last_new_at {
            Some(last) if last < now => {
                (now - last).to_std().unwrap_or(current).div_f64(facts.new_entries as f64)
            }
            _ => current,
        };
        (current + gap / 2) / 2
    } else {
        current.mul_f64(1.25)
    };
    let interval = next.clamp(lower_bound(cfg, facts), cfg.max_interval);
    let when = now + to_delta(interval.mul_f64(1.0 + 0.1 * jitter.clamp(0.0, 1.0)));
    let when = facts.hints.map_or(when, |h| skip_windows(when, h));
    (when, interval)
}

/// The lower bound of a feed's interval: the config's minimum, or what the feed and the server
/// ask for when that is longer (never beyond the maximum).
fn lower_bound(cfg: &ScheduleConfig, facts: &PollFacts<'_>) -> Duration {
    let mut lower = cfg.min_interval;
    if let Some(h) = facts.hints {
        if let Some(ttl) = h.ttl_minutes {
            lower = lower.max(Duration::from_secs(u64::from(ttl) * 60));
        }
        if let Some(secs) = h.update_interval_secs {
            lower = lower.max(Duration::from_secs(secs));
        }
    }
    if let Some(f) = facts.fresh_for {
        lower = lower.max(f);
    }
    lower.min(cfg.max_interval)
}

/// The next poll after the `failures`-th consecutive failure.
pub fn after_failure(
    cfg: &ScheduleConfig,
    now: DateTime<Utc>,
    failures: u32,
    retry_after: Option<Duration>,
    jitter: f64,
) -> DateTime<Utc> {
    let exp = failures.saturating_sub(1).min(20);
    let backoff = BACKOFF_BASE.saturating_mul(1u32 << exp).min(cfg.max_backoff);
    let wait =
        backoff.mul_f64(1.0 + 0.25 * jitter.clamp(0.0, 1.0)).max(retry_after.unwrap_or(Duration::ZERO));
    now + to_delta(wait)
}

/// Spreads the first polls after start-up over `window`, so a restart does not hit every feed
/// at once: the feed's position is `jitter` in `[0, 1)`.
pub fn initial_delay(window: Duration, jitter: f64) -> Duration {
    window.mul_f64(jitter.clamp(0.0, 1.0))
}

/// Moves `when` forward out of the feed's `skipHours` (GMT hours) and `skipDays`.
pub fn skip_windows(mut when: DateTime<Utc>, hints: &FeedHints) -> DateTime<Utc> {
    if hints.skip_hours.len() >= 24 || hints.skip_days.len() >= 7 {
        return when; // a feed that skips everything is ignoring its own hint
    }
    for _ in 0..(24 * 8) {
        let day = when.weekday().num_days_from_monday() as u8;
        let hour = when.hour() as u8;
        if !hints.skip_days.contains(&day) && !hints.skip_hours.contains(&hour) {
            return when;
        }
        when = (when + Delta::hours(1))
            .with_minute(0)
            .and_then(|t| t.with_second(0))
            .unwrap_or(when + Delta::hours(1));
    }
    when
}

fn to_delta(d: Duration) -> Delta {
    Delta::from_std(d).unwrap_or(Delta::days(365))
}

/// A deterministic jitter in `[0, 1)` from a feed id and a counter (no global RNG needed).
pub fn jitter_for(feed_id: i64, salt: u64) -> f64 {
    // SplitMix64: well mixed, cheap, reproducible.
    let mut z = (feed_id as u64).wrapping_add(salt.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn cfg() -> ScheduleConfig {
        Config::default().schedule
    }

    /// Simulates a feed publishing every `period` for `polls` polls; returns the final interval.
    fn converge(period: Duration, polls: usize) -> Duration {
        let c = cfg();
        let mut now = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        let mut interval = None;
        let mut last_new: Option<DateTime<Utc>> = None;
        let mut published_until = now;
        for _ in 0..polls {
            let mut n = 0;
            while published_until + to_delta(period) <= now {
                published_until += to_delta(period);
                n += 1;
            }
            let facts = PollFacts { interval, new_entries: n, last_new_at: last_new, ..Default::default() };
            let (when, i) = after_success(&c, now, &facts, 0.0);
            if n > 0 {
                last_new = Some(now);
            }
            interval = Some(i);
            now = when;
        }
        interval.unwrap()
    }

    #[test]
    fn busy_and_quiet_feeds_converge_to_different_intervals() {
        let busy = converge(Duration::from_secs(600), 200);
        let hourly = converge(Duration::from_secs(3600), 200);
        let weekly = converge(Duration::from_secs(7 * 86_400), 200);
        assert!(busy <= Duration::from_secs(8 * 60), "busy feed interval {busy:?}");
        assert!(hourly > busy && hourly <= Duration::from_secs(3600), "hourly {hourly:?}");
        assert_eq!(weekly, cfg().max_interval, "weekly {weekly:?}");
    }

    #[test]
    fn hints_raise_the_lower_bound() {
        let hints = FeedHints { ttl_minutes: Some(120), ..Default::default() };
        let facts = PollFacts { new_entries: 5, hints: Some(&hints), ..Default::default() };
        let (_, i) = after_success(&cfg(), Utc::now(), &facts, 0.0);
        assert_eq!(i, Duration::from_secs(7200));
    }

    #[test]
    fn failures_back_off_exponentially_and_honour_retry_after() {
        let c = cfg();
        let now = Utc::now();
        let waits: Vec<i64> =
            (1..=5).map(|k| (after_failure(&c, now, k, None, 0.0) - now).num_seconds()).collect();
        assert_eq!(waits, vec![60, 120, 240, 480, 960]);
        assert_eq!((after_failure(&c, now, 40, None, 0.0) - now).num_seconds(), 86_400);
        let w = after_failure(&c, now, 1, Some(Duration::from_secs(3600)), 0.0);
        assert_eq!((w - now).num_seconds(), 3600);
    }

    #[test]
    fn skip_hours_and_days_are_respected() {
        let t = DateTime::parse_from_rfc3339("2026-11-23T03:30:00Z").unwrap().with_timezone(&Utc); // a Monday
        let hints = FeedHints { skip_hours: vec![3, 4], skip_days: vec![], ..Default::default() };
        assert_eq!(skip_windows(t, &hints).hour(), 5);
        let hints = FeedHints { skip_days: vec![0], ..Default::default() };
        assert_eq!(skip_windows(t, &hints).weekday().num_days_from_monday(), 1);
    }

    #[test]
    fn jitter_is_in_range_and_varies() {
        let js: Vec<f64> = (0..100).map(|i| jitter_for(i, 7)).collect();
        assert!(js.iter().all(|j| (0.0..1.0).contains(j)));
        assert!(js.iter().any(|j| *j < 0.3) && js.iter().any(|j| *j > 0.7));
    }
}
