//! Read queries of the CLI: full-text search and statistics.

use super::{fmt_time, Store, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub id: i64,
    pub seq: i64,
    pub title: Option<String>,
    pub url: String,
    pub published: Option<String>,
    /// Text around the matches, matches in `[` `]`.
    pub snippet: String,
}

/// What `rill stats` shows.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Stats {
    /// Feeds by state.
    pub feeds: Vec<(String, i64)>,
    pub articles: i64,
    /// Articles waiting for their page (the page queue of a running or stopped daemon).
    pub pending: i64,
    /// Articles committed per day (UTC), most recent first, last 14 days.
    pub per_day: Vec<(String, i64)>,
    /// Feeds whose last poll failed: (url, consecutive errors, last error).
    pub failing: Vec<(String, i64, Option<String>)>,
    pub last_fetch: Option<String>,
    pub pages_kept: i64,
    pub pages_bytes: i64,
    pub entities: i64,
    pub quotes: i64,
}

impl Store {
    /// Full-text search over titles and texts, best first. `query` is FTS5 syntax; when it is not
    /// valid FTS5 (a stray quote, "U.S."), its words are searched as plain terms instead.
    pub fn search(
        &self,
        query: &str,
        feed: Option<&str>,
        since: Option<DateTime<Utc>>,
        limit: usize,
    ) -> Result<Vec<SearchHit>, StoreError> {
        match self.search_raw(query, feed, since, limit) {
            Ok(hits) => Ok(hits),
            Err(StoreError::Sql(_)) => {
                let quoted: Vec<String> = query
                    .split_whitespace()
                    .map(|w| format!("\"{}\"", w.replace('"', "")))
                    .filter(|w| w.len() > 2)
                    .collect();
                if quoted.is_empty() {
                    return Ok(Vec::new());
                }
                self.search_raw(&quoted.join(" "), feed, since, limit)
            }
            Err(e) => Err(e),
        }
    }

    fn search_raw(
        &self,
        query: &str,
        feed: Option<&str>,
        since: Option<DateTime<Utc>>,
        limit: usize,
    ) -> Result<Vec<SearchHit>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.seq, a.title, a.url, a.published,
                    snippet(articles_fts, -1, '[', ']', '…', 16)
             FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
             WHERE articles_fts MATCH ?1 AND a.seq IS NOT NULL
               AND (?2 IS NULL OR coalesce(a.published, a.fetched_at) >= ?2)
               AND (?3 IS NULL OR EXISTS (SELECT 1 FROM article_feeds af JOIN feeds f ON f.id = af.feed_id
                                          WHERE af.article_id = a.id AND f.url = ?3))
             ORDER BY rank LIMIT ?4",
        )?;
        let rows = stmt.query_map(params![query, since.map(fmt_time), feed, limit as i64], |r| {
            Ok(SearchHit {
                id: r.get(0)?,
                seq: r.get(1)?,
                title: r.get(2)?,
                url: r.get(3)?,
                published: r.get(4)?,
                snippet: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Feeds by state, `(state, count)`.
    pub fn feeds_by_state(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT state, count(*) FROM feeds GROUP BY state")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// `(feeds polled, feeds failing)`, for the systemd status line. Gone and disabled feeds
    /// are not polled and not counted.
    pub fn feed_counts(&self) -> Result<(u64, u64), StoreError> {
        let (active, failing): (i64, i64) = self.conn.query_row(
            "SELECT count(*), coalesce(sum(state = 'failing'), 0) FROM feeds WHERE state IN ('ok', 'failing')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((active.max(0) as u64, failing.max(0) as u64))
    }

    /// Counts for `rill stats`.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        let c = &self.conn;
        let pairs = |sql: &str| -> Result<Vec<(String, i64)>, StoreError> {
            let mut stmt = c.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        let one = |sql: &str| -> Result<i64, StoreError> { Ok(c.query_row(sql, [], |r| r.get(0))?) };
        let mut failing_stmt = c.prepare(
            "SELECT url, error_count, last_error FROM feeds WHERE error_count > 0 ORDER BY error_count DESC, url LIMIT 20",
        )?;
        let failing = failing_stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        Ok(Stats {
            feeds: pairs("SELECT state, count(*) FROM feeds GROUP BY state ORDER BY state")?,
            articles: one("SELECT count(*) FROM articles WHERE seq IS NOT NULL")?,
            pending: one("SELECT count(*) FROM articles WHERE seq IS NULL")?,
            per_day: pairs(
                "SELECT substr(committed_at, 1, 10) AS day, count(*) FROM articles
                 WHERE committed_at IS NOT NULL GROUP BY day ORDER BY day DESC LIMIT 14",
            )?,
            failing,
            last_fetch: c.query_row("SELECT max(last_fetch_at) FROM feeds", [], |r| r.get(0))?,
            pages_kept: one("SELECT count(*) FROM pages")?,
            pages_bytes: one("SELECT coalesce(sum(length(body)), 0) FROM pages")?,
            entities: one("SELECT count(*) FROM entities")?,
            quotes: one("SELECT count(*) FROM quotes")?,
        })
    }
}
