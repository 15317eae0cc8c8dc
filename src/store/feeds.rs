//! The `feeds` table: subscriptions and their fetch bookkeeping.

use super::{fmt_time, parse_time, Store, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};

/// A feed's standing, as `feed ls` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedState {
    /// Last poll succeeded (or none yet).
    Ok,
    /// Recent polls failed; it backs off until `next_poll_at`.
    Failing,
    /// The server answered 410 Gone; not polled any more.
    Gone,
    /// Disabled by the operator or by rill (with a reason); not polled.
    Disabled,
}

impl FeedState {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedState::Ok => "ok",
            FeedState::Failing => "failing",
            FeedState::Gone => "gone",
            FeedState::Disabled => "disabled",
        }
    }

    fn parse(s: &str) -> FeedState {
        match s {
            "failing" => FeedState::Failing,
            "gone" => FeedState::Gone,
            "disabled" => FeedState::Disabled,
            _ => FeedState::Ok,
        }
    }
}

/// One subscribed feed and its bookkeeping.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedRecord {
    pub id: i64,
    pub url: String,
    pub title: Option<String>,
    pub site_url: Option<String>,
    pub added_at: Option<DateTime<Utc>>,
    pub state: FeedState,
    pub state_reason: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Hash of the last body parsed, to skip an unchanged body a server sent in full.
    pub body_hash: Option<String>,
    pub last_fetch_at: Option<DateTime<Utc>>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub error_count: u32,
    pub interval_secs: Option<u64>,
    pub next_poll_at: Option<DateTime<Utc>>,
    /// The server's `Retry-After`: no request to the feed's host before this, whatever the mode.
    pub retry_after_until: Option<DateTime<Utc>>,
    pub last_new_at: Option<DateTime<Utc>>,
    /// The feed's own request settings (headers, auth, proxy): never print them.
    pub request: Option<crate::fetch::RequestSettings>,
    /// Articles linked to this feed (filled by [`Store::list_feeds`], else 0).
    pub article_count: u64,
}

const FEED_COLUMNS: &str = "id, url, title, site_url, added_at, state, state_reason, etag, last_modified, \
     body_hash, last_fetch_at, last_status, last_error, error_count, interval_secs, next_poll_at, retry_after_until, last_new_at, request";

fn time_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    Ok(row.get::<_, Option<String>>(idx)?.as_deref().and_then(parse_time))
}

fn feed_from_row(row: &Row<'_>) -> rusqlite::Result<FeedRecord> {
    Ok(FeedRecord {
        id: row.get(0)?,
        url: row.get(1)?,
        title: row.get(2)?,
        site_url: row.get(3)?,
        added_at: time_col(row, 4)?,
        state: FeedState::parse(&row.get::<_, String>(5)?),
        state_reason: row.get(6)?,
        etag: row.get(7)?,
        last_modified: row.get(8)?,
        body_hash: row.get(9)?,
        last_fetch_at: time_col(row, 10)?,
        last_status: row.get(11)?,
        last_error: row.get(12)?,
        error_count: row.get::<_, i64>(13)?.clamp(0, u32::MAX as i64) as u32,
        interval_secs: row.get::<_, Option<i64>>(14)?.map(|s| s.max(0) as u64),
        next_poll_at: time_col(row, 15)?,
        retry_after_until: time_col(row, 16)?,
        last_new_at: time_col(row, 17)?,
        request: row.get::<_, Option<String>>(18)?.and_then(|j| serde_json::from_str(&j).ok()),
        article_count: 0,
    })
}

/// The bookkeeping written after one poll of a feed, whatever its outcome.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedUpdate {
    pub fetched_at: DateTime<Utc>,
    /// HTTP status, or `None` when no response came (DNS, connect, timeout).
    pub status: Option<u16>,
    /// `None` on success; the error message otherwise.
    pub error: Option<String>,
    pub next_poll_at: DateTime<Utc>,
    /// A `Retry-After` the server gave (cleared by a poll without one).
    pub retry_after_until: Option<DateTime<Utc>>,
    pub interval_secs: Option<u64>,
    /// New validators, only when a full body was received and parsed.
    pub validators: Option<Validators>,
    /// New articles this poll found (sets `last_new_at` when non-zero).
    pub new_entries: usize,
    /// Feed metadata learnt from the document.
    pub title: Option<String>,
    pub site_url: Option<String>,
    /// A new state (`Gone`, `Disabled`) with its reason; `None` derives ok/failing from `error`.
    pub state: Option<(FeedState, String)>,
    /// A permanent redirect: the feed's new URL.
    pub moved_to: Option<String>,
    /// What this poll showed of the feed's guids; the feed keeps the worst verdict seen.
    pub guid_trust: Option<crate::dedup::GuidTrust>,
    /// The poll did not happen: the host asked to wait (another feed's `Retry-After`). Only
    /// `next_poll_at` changes; the feed's state, errors and validators stay as they were.
    pub deferred: bool,
}

/// HTTP validators and the body hash of the last full response.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub body_hash: Option<String>,
}

impl Store {
    /// Subscribes to a feed. Fails with [`StoreError::FeedExists`] if it already is.
    pub fn add_feed(&self, url: &str, title: Option<&str>) -> Result<i64, StoreError> {
        self.add_feed_with(url, title, None)
    }

    /// Subscribes to a feed with its own request settings.
    pub fn add_feed_with(
        &self,
        url: &str,
        title: Option<&str>,
        request: Option<&crate::fetch::RequestSettings>,
    ) -> Result<i64, StoreError> {
        let now = fmt_time(Utc::now());
        let request = request.filter(|r| !r.is_empty()).map(serde_json::to_string).transpose()?;
        let n = self.conn.execute(
            "INSERT INTO feeds (url, title, added_at, request) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (url) DO NOTHING",
            params![url, title, now, request],
        )?;
        if n == 0 {
            return Err(StoreError::FeedExists(url.to_string()));
        }
        Ok(self.conn.last_insert_rowid())
    }

    /// Subscribes to every feed not yet subscribed, in one transaction; returns how many were new.
    pub fn add_feeds(&mut self, feeds: &[(String, Option<String>)]) -> Result<usize, StoreError> {
        let now = fmt_time(Utc::now());
        let tx = self.conn.transaction()?;
        let mut added = 0;
        {
            let mut stmt = tx.prepare(
                "INSERT INTO feeds (url, title, added_at) VALUES (?1, ?2, ?3) ON CONFLICT (url) DO NOTHING",
            )?;
            for (url, title) in feeds {
                added += stmt.execute(params![url, title, now])?;
            }
        }
        tx.commit()?;
        Ok(added)
    }

    /// The request settings of a feed carrying each pending article (articles of feeds without
    /// settings are absent), so that a page resumed after a restart keeps its feed's page
    /// settings (`fetch_pages`, `respect_robots`). When several feeds carry it, the one linked
    /// first wins.
    pub fn pending_article_requests(
        &self,
    ) -> Result<std::collections::HashMap<i64, crate::fetch::RequestSettings>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT af.article_id, f.request FROM articles a
             JOIN article_feeds af ON af.article_id = a.id JOIN feeds f ON f.id = af.feed_id
             WHERE a.seq IS NULL AND f.request IS NOT NULL ORDER BY af.first_seen_at DESC",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = std::collections::HashMap::new();
        for row in rows {
            let (id, json) = row?;
            if let Ok(settings) = serde_json::from_str(&json) {
                out.insert(id, settings); // ordered newest first: the first-linked feed stays
            }
        }
        Ok(out)
    }

    /// Sets (or clears) a feed's request settings; returns false when it is not subscribed.
    pub fn set_feed_request(
        &self,
        url: &str,
        request: Option<&crate::fetch::RequestSettings>,
    ) -> Result<bool, StoreError> {
        let request = request.filter(|r| !r.is_empty()).map(serde_json::to_string).transpose()?;
        Ok(self.conn.execute("UPDATE feeds SET request = ?2 WHERE url = ?1", params![url, request])? > 0)
    }

    /// Unsubscribes. Articles stay; their link to this feed goes.
    pub fn remove_feed(&self, url: &str) -> Result<(), StoreError> {
        let n = self.conn.execute("DELETE FROM feeds WHERE url = ?1", params![url])?;
        if n == 0 {
            return Err(StoreError::NoSuchFeed(url.to_string()));
        }
        Ok(())
    }

    /// Every feed with its article count, by URL.
    pub fn list_feeds(&self) -> Result<Vec<FeedRecord>, StoreError> {
        let sql = format!(
            "SELECT {FEED_COLUMNS}, (SELECT count(*) FROM article_feeds af WHERE af.feed_id = feeds.id) \
             FROM feeds ORDER BY url"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], |row| {
            let mut f = feed_from_row(row)?;
            f.article_count = row.get::<_, i64>(19)?.max(0) as u64;
            Ok(f)
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Feeds to poll at `now`: those due (never polled, or `next_poll_at <= now`), or every
    /// active feed when `all`. Gone and disabled feeds are never returned, nor feeds whose server
    /// asked (Retry-After) not to be contacted before a later time.
    pub fn feeds_to_poll(&self, now: DateTime<Utc>, all: bool) -> Result<Vec<FeedRecord>, StoreError> {
        let sql = format!(
            "SELECT {FEED_COLUMNS} FROM feeds WHERE state IN ('ok', 'failing') \
             AND (retry_after_until IS NULL OR retry_after_until <= ?1) \
             AND (?2 OR next_poll_at IS NULL OR next_poll_at <= ?1) ORDER BY next_poll_at, id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params![fmt_time(now), all], feed_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Spreads the feeds that are overdue at `now` and were polled before over `window`: each gets
    /// a `next_poll_at` at a pseudo-random point of it. Returns how many moved.
    pub fn spread_overdue(
        &self,
        now: DateTime<Utc>,
        window: std::time::Duration,
    ) -> Result<usize, StoreError> {
        let secs = window.as_secs() as i64;
        if secs == 0 {
            return Ok(0);
        }
        let mut stmt = self.conn.prepare(
            "SELECT id FROM feeds WHERE state IN ('ok', 'failing') AND last_fetch_at IS NOT NULL
               AND next_poll_at <= ?1",
        )?;
        let ids: Vec<i64> =
            stmt.query_map(params![fmt_time(now)], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let salt = now.timestamp() as u64;
        for id in &ids {
            let offset = (crate::schedule::jitter_for(*id, salt) * secs as f64) as i64;
            self.conn.execute(
                "UPDATE feeds SET next_poll_at = ?2 WHERE id = ?1",
                params![id, fmt_time(now + chrono::Duration::seconds(offset))],
            )?;
        }
        Ok(ids.len())
    }

    /// Hosts' `Retry-After` times still in force: `(feed URL, until)`.
    pub fn retry_after_blocks(&self, now: DateTime<Utc>) -> Result<Vec<(String, DateTime<Utc>)>, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT url, retry_after_until FROM feeds WHERE retry_after_until > ?1")?;
        let rows =
            stmt.query_map(params![fmt_time(now)], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (url, until) = row?;
            if let Some(t) = parse_time(&until) {
                out.push((url, t));
            }
        }
        Ok(out)
    }

    /// The earliest `next_poll_at` of an active feed.
    pub fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let t: Option<String> = self.conn.query_row(
            "SELECT min(coalesce(next_poll_at, '')) FROM feeds WHERE state IN ('ok', 'failing')",
            [],
            |r| r.get(0),
        )?;
        Ok(match t.as_deref() {
            None => None,
            Some("") => Some(DateTime::<Utc>::MIN_UTC),
            Some(s) => parse_time(s),
        })
    }

    /// One feed by URL.
    /// The feed's most recent `(guid, identity)` pairs, newest first, for the guid-trust check.
    pub fn guid_observations(
        &self,
        feed_id: i64,
        limit: usize,
    ) -> Result<Vec<crate::dedup::GuidObservation>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT af.entry_id, a.url FROM article_feeds af JOIN articles a ON a.id = af.article_id
             WHERE af.feed_id = ?1 ORDER BY af.first_seen_at DESC, af.article_id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![feed_id, limit as i64], |r| {
            let (guid, url): (String, String) = (r.get(0)?, r.get(1)?);
            // Feed-scoped identities have no link.
            let link = (!url.starts_with("urn:rill:")).then_some(url);
            Ok(crate::dedup::GuidObservation { guid: Some(guid), link })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn feed_by_url(&self, url: &str) -> Result<Option<FeedRecord>, StoreError> {
        let sql = format!("SELECT {FEED_COLUMNS} FROM feeds WHERE url = ?1");
        Ok(self.conn.query_row(&sql, params![url], feed_from_row).optional()?)
    }
}

/// Writes a poll's bookkeeping (inside the writer's transaction).
pub(super) fn apply_update(
    tx: &rusqlite::Connection,
    feed_id: i64,
    u: &FeedUpdate,
) -> Result<(), StoreError> {
    if u.deferred {
        tx.prepare_cached("UPDATE feeds SET next_poll_at = ?2 WHERE id = ?1")?
            .execute(params![feed_id, fmt_time(u.next_poll_at)])?;
        return Ok(());
    }
    let (state, reason) = match &u.state {
        Some((s, r)) => (s.as_str(), Some(r.as_str())),
        None if u.error.is_some() => ("failing", None),
        None => ("ok", None),
    };
    tx.prepare_cached(
        "UPDATE feeds SET last_fetch_at = ?2, last_status = ?3, last_error = ?4,
             error_count = CASE WHEN ?4 IS NULL THEN 0 ELSE error_count + 1 END,
             next_poll_at = ?5, interval_secs = coalesce(?6, interval_secs), retry_after_until = ?11,
             state = ?7, state_reason = ?8,
             title = coalesce(?9, title), site_url = coalesce(?10, site_url)
         WHERE id = ?1",
    )?
    .execute(params![
        feed_id,
        fmt_time(u.fetched_at),
        u.status,
        u.error,
        fmt_time(u.next_poll_at),
        u.interval_secs.map(|s| s as i64),
        state,
        reason,
        u.title,
        u.site_url,
        u.retry_after_until.map(fmt_time),
    ])?;
    if let Some(trust) = u.guid_trust.filter(|t| *t != crate::dedup::GuidTrust::Trusted) {
        // Only ever worse: trusted < unstable < reused.
        tx.prepare_cached(
            "UPDATE feeds SET guid_trust = ?2 WHERE id = ?1
               AND (guid_trust = 'trusted' OR (guid_trust = 'unstable' AND ?2 = 'reused'))",
        )?
        .execute(params![feed_id, trust.as_str()])?;
    }
    if u.new_entries > 0 {
        tx.prepare_cached("UPDATE feeds SET last_new_at = ?2 WHERE id = ?1")?
            .execute(params![feed_id, fmt_time(u.fetched_at)])?;
    }
    if let Some(v) = &u.validators {
        tx.prepare_cached("UPDATE feeds SET etag = ?2, last_modified = ?3, body_hash = ?4 WHERE id = ?1")?
            .execute(params![feed_id, v.etag, v.last_modified, v.body_hash])?;
    }
    if let Some(new_url) = &u.moved_to {
        // Another subscription may already have the new URL: then keep the old one as it is.
        tx.prepare_cached("UPDATE OR IGNORE feeds SET url = ?2 WHERE id = ?1")?
            .execute(params![feed_id, new_url])?;
    }
    Ok(())
}
