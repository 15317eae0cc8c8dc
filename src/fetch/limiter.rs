//! Politeness: a global limit on requests in flight, and per host a limit on concurrent requests,
//! a minimum gap between request starts, and a "not before" time set by `Retry-After`.
//!
//! "Host" is the registrable domain (eTLD+1 from the public suffix list), so fifty
//! `*.substack.com` feeds share one budget; an IP literal counts as itself. Permits are owned
//! values: dropping one (at the end of a request, on an error, on cancellation) frees the slot.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use url::{Host, Url};

/// The politeness key of a URL: registrable domain, or the IP literal.
pub fn host_key(url: &Url) -> String {
    match url.host() {
        Some(Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            match psl::domain_str(&d) {
                Some(reg) => reg.to_string(),
                None => d,
            }
        }
        Some(Host::Ipv4(ip)) => ip.to_string(),
        Some(Host::Ipv6(ip)) => ip.to_string(),
        None => String::new(),
    }
}

struct HostSlot {
    permits: Arc<Semaphore>,
    timing: Mutex<HostTiming>,
}

struct HostTiming {
    /// Earliest start of the next request.
    next_start: Instant,
    /// No request before this (Retry-After).
    blocked_until: Option<Instant>,
}

/// A request slot: hold it for the duration of the request.
#[derive(Debug)]
pub struct Permit {
    _global: OwnedSemaphorePermit,
    _host: OwnedSemaphorePermit,
}

/// Shared politeness state of one daemon.
pub struct HostLimiter {
    global: Arc<Semaphore>,
    per_host: usize,
    interval: Duration,
    hosts: Mutex<HashMap<String, Arc<HostSlot>>>,
}

impl HostLimiter {
    pub fn new(global: usize, per_host: usize, interval: Duration) -> HostLimiter {
        HostLimiter {
            global: Arc::new(Semaphore::new(global.max(1))),
            per_host: per_host.max(1),
            interval,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn slot(&self, key: &str) -> Arc<HostSlot> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(key.to_string())
            .or_insert_with(|| {
                Arc::new(HostSlot {
                    permits: Arc::new(Semaphore::new(self.per_host)),
                    timing: Mutex::new(HostTiming { next_start: Instant::now(), blocked_until: None }),
                })
            })
            .clone()
    }

    /// Waits for a slot to request `key`, spacing starts by the configured interval. Returns
    /// `Err(until)` without waiting when the host asked not to be contacted before `until`.
    pub async fn acquire(&self, key: &str) -> Result<Permit, Instant> {
        self.acquire_spaced(key, None).await
    }

    /// [`acquire`](Self::acquire), leaving at least `gap` (when longer than the configured
    /// interval) before the next request to `key` may start: a feed's own, slower pace.
    pub async fn acquire_spaced(&self, key: &str, gap: Option<Duration>) -> Result<Permit, Instant> {
        let slot = self.slot(key);
        if let Some(until) = slot.blocked_until() {
            return Err(until);
        }
        // Host first, then global: a host at its limit must not hold a global slot while waiting.
        let host = slot.permits.clone().acquire_owned().await.map_err(|_| Instant::now())?;
        let start = {
            let mut t = slot.timing.lock().unwrap_or_else(|p| p.into_inner());
            let start = t.next_start.max(Instant::now());
            t.next_start = start + self.interval.max(gap.unwrap_or_default());
            start
        };
        tokio::time::sleep_until(start).await;
        if let Some(until) = slot.blocked_until() {
            return Err(until);
        }
        let global = self.global.clone().acquire_owned().await.map_err(|_| Instant::now())?;
        Ok(Permit { _global: global, _host: host })
    }

    /// When `key` may be contacted again, if it asked to wait.
    pub fn blocked_until(&self, key: &str) -> Option<Instant> {
        let hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts.get(key).and_then(|slot| slot.blocked_until())
    }

    /// Records a `Retry-After`: no request to `key` before `until`.
    pub fn block_until(&self, key: &str, until: Instant) {
        let slot = self.slot(key);
        let mut t = slot.timing.lock().unwrap_or_else(|p| p.into_inner());
        t.blocked_until = Some(t.blocked_until.map_or(until, |b| b.max(until)));
    }
}

impl HostSlot {
    fn blocked_until(&self) -> Option<Instant> {
        let t = self.timing.lock().unwrap_or_else(|p| p.into_inner());
        t.blocked_until.filter(|u| *u > Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_key_uses_registrable_domain() {
        let k = |u: &str| host_key(&Url::parse(u).unwrap());
        assert_eq!(k("https://alice.substack.com/feed"), "substack.com");
        assert_eq!(k("https://www.bbc.co.uk/news"), "bbc.co.uk");
        assert_eq!(k("http://127.0.0.2:8080/x"), "127.0.0.2");
        assert_eq!(k("http://[::1]/x"), "::1");
    }

    #[tokio::test(start_paused = true)]
    async fn per_host_interval_spaces_starts() {
        let lim = HostLimiter::new(10, 5, Duration::from_secs(1));
        let t0 = Instant::now();
        let _a = lim.acquire("h").await.unwrap();
        let _b = lim.acquire("h").await.unwrap();
        assert!(Instant::now() - t0 >= Duration::from_secs(1));
        let _c = lim.acquire("other").await.unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn a_feed_gap_longer_than_the_interval_spaces_the_next_request() {
        let lim = HostLimiter::new(10, 5, Duration::from_secs(1));
        let t0 = Instant::now();
        drop(lim.acquire_spaced("h", Some(Duration::from_secs(10))).await.unwrap());
        drop(lim.acquire("h").await.unwrap());
        assert!(Instant::now() - t0 >= Duration::from_secs(10));
        // A shorter gap than the configured interval changes nothing.
        let t1 = Instant::now();
        drop(lim.acquire_spaced("h", Some(Duration::from_millis(10))).await.unwrap());
        drop(lim.acquire("h").await.unwrap());
        assert!(Instant::now() - t1 >= Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn blocked_host_is_refused_until_time() {
        let lim = HostLimiter::new(10, 2, Duration::ZERO);
        lim.block_until("h", Instant::now() + Duration::from_secs(30));
        assert!(lim.acquire("h").await.is_err());
        tokio::time::advance(Duration::from_secs(31)).await;
        assert!(lim.acquire("h").await.is_ok());
    }
}
