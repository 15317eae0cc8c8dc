//! Article retention: which visible articles a [`Retention`] policy prunes, and pruning them
//! with their entities, quotes, pages, fingerprints and search rows, leaving a tombstone.
//!
//! Owns: the pruning rule and the tombstone invariant (a pruned identity is never ingested
//! again, so readers never see a pruned article come back while a feed still lists it). Does not
//! own when pruning runs or how big a batch is (the daemon and the writer decide that).
//!
//! The rule: an article is pruned when it is older than `max_age` (by the time it was first
//! stored), or when every feed that carries it has at least `max_per_feed` newer articles
//! (newer = stored later). Pending articles (not yet visible) are never pruned. Stories keep
//! their counts right: `articles`, `outlets` and `first_article_id` are recomputed from what
//! remains, and a story with no article left is deleted.

use super::{fmt_time, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use std::time::Duration;

/// How long articles are kept. The default keeps everything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retention {
    /// Prune articles first stored longer ago than this.
    pub max_age: Option<Duration>,
    /// Keep at most this many articles per feed.
    pub max_per_feed: Option<u64>,
}

impl Retention {
    /// Whether the policy can prune anything at all.
    pub fn is_active(&self) -> bool {
        self.max_age.is_some() || self.max_per_feed.is_some()
    }
}

/// Prunes up to `limit` articles that `policy` no longer keeps. Returns how many were pruned.
pub(super) fn prune_articles(
    tx: &Connection,
    policy: &Retention,
    limit: usize,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let mut victims: Vec<i64> = Vec::new();
    if let Some(age) = policy.max_age.and_then(|a| chrono::Duration::from_std(a).ok()) {
        let cutoff = fmt_time(now - age);
        let mut stmt = tx.prepare_cached(
            "SELECT id FROM articles WHERE seq IS NOT NULL AND fetched_at < ?1 ORDER BY id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![cutoff, limit as i64], |r| r.get(0))?;
        victims = rows.collect::<Result<_, _>>()?;
    }
    if let Some(keep) = policy.max_per_feed.filter(|_| victims.len() < limit) {
        victims.extend(over_feed_quota(tx, keep, limit - victims.len(), &victims)?);
    }
    let pruned_at = fmt_time(now);
    for &id in &victims {
        prune_one(tx, id, &pruned_at)?;
    }
    Ok(victims.len())
}

/// Articles beyond `keep` in every feed that carries them.
fn over_feed_quota(tx: &Connection, keep: u64, limit: usize, skip: &[i64]) -> Result<Vec<i64>, StoreError> {
    // The id of each feed's `keep`-th newest article: older ones are over the quota there.
    tx.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS retention_keep (feed_id INTEGER PRIMARY KEY, min_id INTEGER NOT NULL);
         DELETE FROM retention_keep;",
    )?;
    let feeds: Vec<i64> = {
        let mut stmt = tx.prepare_cached("SELECT id FROM feeds")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let offset = keep.saturating_sub(1) as i64;
    for feed in feeds {
        let nth: Option<i64> = tx
            .prepare_cached(
                "SELECT article_id FROM article_feeds WHERE feed_id = ?1 ORDER BY article_id DESC LIMIT 1 OFFSET ?2",
            )?
            .query_row(params![feed, offset], |r| r.get(0))
            .optional()?;
        if let Some(min_id) = nth {
            tx.prepare_cached("INSERT INTO retention_keep (feed_id, min_id) VALUES (?1, ?2)")?
                .execute(params![feed, min_id])?;
        }
    }
    let mut stmt = tx.prepare_cached(
        "SELECT DISTINCT af.article_id FROM article_feeds af
         JOIN retention_keep k ON k.feed_id = af.feed_id AND af.article_id < k.min_id
         JOIN articles a ON a.id = af.article_id AND a.seq IS NOT NULL
         WHERE NOT EXISTS (
             SELECT 1 FROM article_feeds o LEFT JOIN retention_keep ko ON ko.feed_id = o.feed_id
             WHERE o.article_id = af.article_id AND (ko.min_id IS NULL OR o.article_id >= ko.min_id))
         ORDER BY af.article_id LIMIT ?1",
    )?;
    let rows = stmt.query_map(params![(limit + skip.len()) as i64], |r| r.get::<_, i64>(0))?;
    let mut out = Vec::new();
    for id in rows {
        let id = id?;
        if !skip.contains(&id) && out.len() < limit {
            out.push(id);
        }
    }
    Ok(out)
}

/// Deletes one article (cascading to its links, entities, quotes, page and fingerprints; the
/// FTS trigger removes its search row), leaves its tombstone and fixes its story's counts.
fn prune_one(tx: &Connection, id: i64, pruned_at: &str) -> Result<(), StoreError> {
    let row: Option<(String, Option<i64>, Option<i64>)> = tx
        .prepare_cached("SELECT url, seq, story_id FROM articles WHERE id = ?1")?
        .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((url, seq, story)) = row else { return Ok(()) };
    tx.prepare_cached(
        "INSERT INTO tombstones (url, article_id, seq, pruned_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (url) DO NOTHING",
    )?
    .execute(params![url, id, seq, pruned_at])?;
    // The addresses it was also known by stay known too.
    tx.prepare_cached(
        "INSERT INTO tombstones (url, article_id, seq, pruned_at)
         SELECT url, article_id, ?2, ?3 FROM article_aliases WHERE article_id = ?1
         ON CONFLICT (url) DO NOTHING",
    )?
    .execute(params![id, seq, pruned_at])?;
    tx.prepare_cached("DELETE FROM articles WHERE id = ?1")?.execute(params![id])?;
    if let Some(story) = story {
        let left: i64 = tx
            .prepare_cached("SELECT count(*) FROM articles WHERE story_id = ?1")?
            .query_row(params![story], |r| r.get(0))?;
        if left == 0 {
            tx.prepare_cached("DELETE FROM stories WHERE id = ?1")?.execute(params![story])?;
        } else {
            tx.prepare_cached(
                "UPDATE stories SET articles = ?2,
                     outlets = (SELECT count(DISTINCT outlet) FROM articles WHERE story_id = ?1),
                     first_article_id = (SELECT min(id) FROM articles WHERE story_id = ?1)
                 WHERE id = ?1",
            )?
            .execute(params![story, left])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// Feed 1 carries articles 1..=5, feed 2 carries 4..=6; all visible; 1..=3 are one story.
    fn filled() -> Store {
        let s = Store::open_in_memory().unwrap();
        s.conn()
            .execute_batch(
                "INSERT INTO feeds (id, url, added_at) VALUES (1, 'https://a.example/f', '2026-01-01T00:00:00Z'),
                                                           (2, 'https://b.example/f', '2026-01-01T00:00:00Z');
                 INSERT INTO stories (id, first_article_id, first_seen, last_seen, articles, outlets)
                   VALUES (1, 1, '2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z', 3, 3);",
            )
            .unwrap();
        for i in 1..=6i64 {
            let story = (i <= 3).then_some(1);
            s.conn()
                .execute(
                    "INSERT INTO articles (id, seq, url, title, text, fetched_at, story_id, outlet)
                     VALUES (?1, ?1, 'https://x.example/' || ?1, 'T' || ?1, 'text ' || ?1,
                             '2026-01-0' || ?1 || 'T00:00:00Z', ?2, 'outlet' || ?1)",
                    params![i, story],
                )
                .unwrap();
            for feed in [1, 2] {
                if (feed == 1 && i <= 5) || (feed == 2 && i >= 4) {
                    s.conn()
                        .execute(
                            "INSERT INTO article_feeds (article_id, feed_id, entry_id, first_seen_at) VALUES (?1, ?2, 'g', '2026-01-01T00:00:00Z')",
                            params![i, feed],
                        )
                        .unwrap();
                }
            }
        }
        // A pending article is never pruned.
        s.conn()
            .execute(
                "INSERT INTO articles (id, url, fetched_at) VALUES (7, 'https://x.example/7', '2020-01-01T00:00:00Z')",
                [],
            )
            .unwrap();
        s
    }

    fn ids(s: &Store) -> Vec<i64> {
        let mut stmt = s.conn().prepare("SELECT id FROM articles ORDER BY id").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    }

    fn now() -> DateTime<Utc> {
        "2026-01-10T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn age_prunes_old_visible_articles_and_leaves_tombstones() {
        let mut s = filled();
        let policy = Retention { max_age: Some(Duration::from_secs(7 * 86400)), max_per_feed: None };
        let tx = s.conn.transaction().unwrap();
        // Cut-off 2026-01-03: articles 1 and 2 are older.
        assert_eq!(prune_articles(&tx, &policy, 100, now()).unwrap(), 2);
        tx.commit().unwrap();
        assert_eq!(ids(&s), vec![3, 4, 5, 6, 7]);
        let tomb: Vec<String> = {
            let mut stmt = s.conn().prepare("SELECT url FROM tombstones ORDER BY url").unwrap();
            stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
        };
        assert_eq!(tomb, vec!["https://x.example/1", "https://x.example/2"]);
        // The story keeps its counts right.
        let (n, outlets, first): (i64, i64, i64) = s
            .conn()
            .query_row("SELECT articles, outlets, first_article_id FROM stories WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!((n, outlets, first), (1, 1, 3));
        // The search index forgot them.
        let hits: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'T1 OR T2'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(hits, 0);
        // A tombstoned key is known: a feed that still lists it does not bring it back.
        assert_eq!(
            s.classify_keys(1, &[("https://x.example/1", None)]).unwrap(),
            vec![crate::store::KeyState::KnownHere]
        );
    }

    #[test]
    fn a_pruned_article_tombstones_its_aliases_too() {
        let mut s = filled();
        s.conn()
            .execute(
                "INSERT INTO article_aliases (url, article_id) VALUES ('https://proxy.example/r/1', 1)",
                [],
            )
            .unwrap();
        let policy = Retention { max_age: Some(Duration::from_secs(7 * 86400)), max_per_feed: None };
        let tx = s.conn.transaction().unwrap();
        prune_articles(&tx, &policy, 100, now()).unwrap();
        tx.commit().unwrap();
        let aliases: i64 =
            s.conn().query_row("SELECT count(*) FROM article_aliases", [], |r| r.get(0)).unwrap();
        assert_eq!(aliases, 0);
        // An entry that still links the old address is not stored again.
        assert_eq!(
            s.classify_keys(1, &[("https://proxy.example/r/1", None)]).unwrap(),
            vec![crate::store::KeyState::KnownHere]
        );
    }

    #[test]
    fn per_feed_quota_keeps_what_any_feed_still_keeps() {
        let mut s = filled();
        let policy = Retention { max_age: None, max_per_feed: Some(2) };
        let tx = s.conn.transaction().unwrap();
        // Feed 1 keeps 4, 5; feed 2 keeps 5, 6. Article 4 is kept by feed 1. 1..=3 go.
        assert_eq!(prune_articles(&tx, &policy, 100, now()).unwrap(), 3);
        tx.commit().unwrap();
        assert_eq!(ids(&s), vec![4, 5, 6, 7]);
        let stories: i64 = s.conn().query_row("SELECT count(*) FROM stories", [], |r| r.get(0)).unwrap();
        assert_eq!(stories, 0, "a story with no article left is deleted");
    }

    #[test]
    fn batches_are_bounded_and_resume() {
        let mut s = filled();
        let policy = Retention { max_age: None, max_per_feed: Some(1) };
        let mut total = 0;
        loop {
            let n = s.prune(&policy, 1).unwrap();
            assert!(n <= 1);
            total += n;
            if n == 0 {
                break;
            }
        }
        // Feed 1 keeps 5, feed 2 keeps 6.
        assert_eq!(total, 4);
        assert_eq!(ids(&s), vec![5, 6, 7]);
    }
}
