//! The database: schema and migrations, the single writer, and the read queries of the CLI.
//!
//! Owns every SQL statement in rill. [`Store::open`] is the only place that sets the connection's
//! pragmas (WAL, `synchronous=NORMAL`, busy timeout, foreign keys) and applies migrations. The
//! daemon writes only through the [`writer`] actor; CLI commands that change feeds use their own
//! short transactions (WAL lets them interleave with the daemon, the busy timeout makes them
//! wait for each other).
//!
//! Invariants (documented for consumers in `docs/schema.md`):
//! * one row per article identity (`articles.url` is unique), one link per (article, feed);
//! * `articles.seq` is assigned when an article becomes visible, strictly increasing in commit
//!   order, never reused; an update of a visible article gives it a new `seq`.

mod articles;
mod enrichment;
mod feeds;
mod queries;
mod retention;
mod schema;
pub mod writer;

pub use articles::{
    entry_hash, ArticleRow, EntryRevision, FeedEntryRef, Finished, KeyState, NewEntry, PendingArticle,
};
pub use enrichment::{ArticleEntity, ArticleQuote, PageBlob};
pub use feeds::{FeedRecord, FeedState, FeedUpdate, Validators};
pub use queries::{SearchHit, Stats};
pub use retention::Retention;
pub use schema::SCHEMA_VERSION;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Prepared statements kept per connection (see `Store::configure`).
const STATEMENT_CACHE: usize = 128;

/// A database problem, with the file it concerns.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open database {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("database {path} has schema version {found}, newer than this rill ({supported}); upgrade rill")]
    TooNew { path: PathBuf, found: i64, supported: i64 },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("stored JSON is invalid: {0}")]
    Json(#[from] serde_json::Error),
    #[error("feed {0} is already subscribed")]
    FeedExists(String),
    #[error("feed {0} is not subscribed")]
    NoSuchFeed(String),
    #[error("the write batch failed: {0}")]
    BatchFailed(String),
    #[error("the database writer has stopped")]
    WriterGone,
}

impl StoreError {
    /// True when retrying the same work later can succeed: a lock held by another process, a
    /// full disk, an I/O error.
    pub fn is_transient(&self) -> bool {
        use rusqlite::ErrorCode::*;
        match self {
            StoreError::Sql(rusqlite::Error::SqliteFailure(e, _)) => {
                matches!(e.code, DatabaseBusy | DatabaseLocked | DiskFull | SystemIoFailure | CannotOpen)
            }
            _ => false,
        }
    }
}

/// A connection to the database with rill's pragmas and an up-to-date schema.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database and migrates it to [`SCHEMA_VERSION`].
    pub fn open(path: &Path, busy_timeout: Duration) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open { path: path.to_path_buf(), source };
        let conn = Connection::open(path).map_err(open_err)?;
        let mut store = Store { conn, path: path.to_path_buf() };
        store.configure(busy_timeout).map_err(open_err)?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing database read-only (for `tail`, `feed ls`); never creates or migrates.
    pub fn open_read_only(path: &Path, busy_timeout: Duration) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open { path: path.to_path_buf(), source };
        let flags =
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        conn.busy_timeout(busy_timeout).map_err(open_err)?;
        let store = Store { conn, path: path.to_path_buf() };
        let found = store.user_version()?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: path.to_path_buf(), found, supported: SCHEMA_VERSION });
        }
        Ok(store)
    }

    /// An in-memory database (tests).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store { conn, path: PathBuf::from(":memory:") };
        store.configure(Duration::from_secs(5))?;
        store.migrate()?;
        Ok(store)
    }

    fn configure(&self, busy_timeout: Duration) -> rusqlite::Result<()> {
        self.conn.busy_timeout(busy_timeout)?;
        // Incremental auto-vacuum lets retention give pages back to the file system without a
        // full VACUUM. It can only be chosen before the first table exists (`rill vacuum`
        // switches older files over).
        let fresh: i64 = self.conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if fresh == 0 {
            self.conn.pragma_update(None, "auto_vacuum", "incremental")?;
        }
        // WAL: readers never block the writer and see only committed transactions.
        // NORMAL: durable across a process crash; a power loss may lose the last transactions
        // but never corrupts the file.
        self.conn.pragma_update(None, "journal_mode", "wal")?;
        self.conn.pragma_update(None, "synchronous", "normal")?;
        self.conn.pragma_update(None, "foreign_keys", "on")?;
        // The writer gives every op its own savepoint; their statement journals (and sorts)
        // stay in memory instead of temporary files: measured 2x faster commits.
        self.conn.pragma_update(None, "temp_store", "memory")?;
        // The write path uses about 60 distinct statements per batch; with rusqlite's default
        // cache of 16 they evicted each other and every op re-parsed its SQL (16% of the
        // writer's time in a farm pass).
        self.conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(())
    }

    fn user_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Applies the migrations this database has not seen, in one exclusive transaction.
    fn migrate(&mut self) -> Result<(), StoreError> {
        let found = self.user_version()?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: self.path.clone(), found, supported: SCHEMA_VERSION });
        }
        if found == SCHEMA_VERSION {
            return Ok(());
        }
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
        // Read again inside the lock: another process may have migrated meanwhile.
        let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Prunes up to `limit` articles that `policy` no longer keeps, in one transaction.
    pub fn prune(&mut self, policy: &Retention, limit: usize) -> Result<usize, StoreError> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let n = retention::prune_articles(&tx, policy, limit, Utc::now())?;
        tx.commit()?;
        Ok(n)
    }

    /// Rewrites the file without free pages and switches it to incremental auto-vacuum
    /// (`rill vacuum`). Needs room for a copy of the database; readers may go on meanwhile.
    pub fn vacuum(&self) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "auto_vacuum", "incremental")?;
        self.conn.execute_batch("VACUUM; PRAGMA optimize;")?;
        Ok(())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The raw connection, for read queries in tests and tools.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// A number that changes whenever another connection commits (cheap change detection).
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
    }
}

/// The one text form of timestamps in the database: RFC 3339, UTC, seconds, `Z`.
pub fn fmt_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Reads a timestamp written by [`fmt_time`] (or any RFC 3339 form).
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrate_twice_is_a_no_op() {
        let mut s = Store::open_in_memory().unwrap();
        assert_eq!(s.user_version().unwrap(), SCHEMA_VERSION);
        s.migrate().unwrap();
        assert_eq!(s.user_version().unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn newer_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        {
            let s = Store::open(&path, Duration::from_secs(1)).unwrap();
            s.conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        }
        let e = Store::open(&path, Duration::from_secs(1)).err().unwrap();
        assert!(matches!(e, StoreError::TooNew { .. }), "{e}");
    }

    #[test]
    fn times_round_trip() {
        let t = Utc::now();
        let back = parse_time(&fmt_time(t)).unwrap();
        assert_eq!(back.timestamp(), t.timestamp());
    }
}

#[cfg(test)]
mod upgrade_tests {
    use super::*;

    /// A database written by schema version 1 (the migrations are immutable, so applying the first
    /// one is exactly what rill 0.1 at v1 created), with data, upgrades with its data intact.
    #[test]
    fn a_version_1_database_upgrades_with_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = database_at(
            dir.path(),
            1,
            "INSERT INTO feeds (id, url, added_at) VALUES (1, 'https://example.org/feed', '2026-11-01T00:00:00Z');
                 INSERT INTO articles (id, seq, url, title, text, fetched_at, committed_at)
                   VALUES (1, 1, 'https://example.org/a', 'A', 'Body text about ferries', '2026-11-01T00:00:00Z',
                           '2026-11-01T00:00:01Z');
                 INSERT INTO article_feeds VALUES (1, 1, 'g1', '2026-11-01T00:00:00Z');
                 UPDATE counters SET value = 1 WHERE name = 'seq';",
        );
        let store = Store::open(&path, Duration::from_secs(1)).unwrap();
        assert_eq!(store.user_version().unwrap(), SCHEMA_VERSION);
        let rows = store.articles_since(0, 10).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].feeds, vec!["https://example.org/feed".to_string()]);
        let hits: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'ferries'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(hits, 1, "the full-text index survives the upgrade");
        assert!(store.article_entities(1).unwrap().is_empty());
        assert_eq!(store.last_seq().unwrap(), 1);
    }

    /// A database at schema version 2 (enrichment, pages, stories), with data, upgrades to the
    /// current version with its entities, quotes and stories intact.
    #[test]
    fn a_version_2_database_upgrades_with_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = database_at(
            dir.path(),
            2,
            "INSERT INTO feeds (id, url, added_at) VALUES (1, 'https://example.org/feed', '2026-11-01T00:00:00Z');
                 INSERT INTO stories (id, first_article_id, first_seen, last_seen, articles, outlets)
                   VALUES (1, 1, '2026-11-01T00:00:01Z', '2026-11-01T00:00:01Z', 1, 1);
                 INSERT INTO articles (id, seq, url, title, text, fetched_at, committed_at, story_id, outlet)
                   VALUES (1, 1, 'https://example.org/a', 'A', 'Blinken said \"we talk\".', '2026-11-01T00:00:00Z',
                           '2026-11-01T00:00:01Z', 1, 'example.org');
                 INSERT INTO article_feeds VALUES (1, 1, 'g1', '2026-11-01T00:00:00Z');
                 INSERT INTO entities (id, name, type) VALUES (1, 'Antony Blinken', 'PERSON');
                 INSERT INTO article_entities VALUES (1, 1, 'US Secretary of State', 1, 0);
                 INSERT INTO quotes (article_id, speaker_id, speaker, text, start, \"end\")
                   VALUES (1, 1, 'Antony Blinken', 'we talk', 15, 22);
                 UPDATE counters SET value = 1 WHERE name = 'seq';",
        );
        let store = Store::open(&path, Duration::from_secs(1)).unwrap();
        assert_eq!(store.user_version().unwrap(), SCHEMA_VERSION);
        let rows = store.articles_since(0, 10).unwrap();
        assert_eq!((rows.len(), rows[0].story_id), (1, Some(1)));
        let entities = store.article_entities(1).unwrap();
        assert_eq!(entities.len(), 1);
        assert_eq!(entities[0].role.as_deref(), Some("US Secretary of State"));
        assert_eq!(store.article_quotes(1).unwrap().len(), 1);
        let tombstones: i64 =
            store.conn().query_row("SELECT count(*) FROM tombstones", [], |r| r.get(0)).unwrap();
        assert_eq!(tombstones, 0);
    }

    /// A database file at schema `version` (the migrations up to it, as that rill left them),
    /// with `sql` run on it.
    fn database_at(dir: &std::path::Path, version: usize, sql: &str) -> PathBuf {
        let path = dir.join(format!("v{version}.db"));
        let conn = Connection::open(&path).unwrap();
        for m in &schema::MIGRATIONS[..version] {
            conn.execute_batch(m).unwrap();
        }
        conn.pragma_update(None, "user_version", version as i64).unwrap();
        conn.execute_batch(sql).unwrap();
        path
    }

    /// A version 4 database (every row in the full-text index, pending ones too) upgrades to an
    /// index of committed articles only, which FTS5's content check agrees with; completing the
    /// pending article and pruning a visible one keep it exact.
    #[test]
    fn a_version_4_database_upgrades_to_an_index_of_committed_articles() {
        let dir = tempfile::tempdir().unwrap();
        let path = database_at(
            dir.path(),
            4,
            "INSERT INTO feeds (id, url, added_at) VALUES (1, 'https://example.org/feed', '2026-11-01T00:00:00Z');
                 INSERT INTO articles (id, seq, url, title, text, fetched_at, committed_at)
                   VALUES (1, 1, 'https://example.org/a', 'Ferries', 'Ferry body', '2026-11-01T00:00:00Z', '2026-11-01T00:00:01Z');
                 INSERT INTO articles (id, url, link, title, fetched_at)
                   VALUES (2, 'https://example.org/b', 'https://example.org/b', 'Harbour plan', '2026-11-02T00:00:00Z');
                 INSERT INTO article_feeds VALUES (1, 1, 'g1', '2026-11-01T00:00:00Z', 'h1');
                 INSERT INTO article_feeds VALUES (2, 1, 'g2', '2026-11-02T00:00:00Z', 'h2');
                 UPDATE counters SET value = 1 WHERE name = 'seq';",
        );
        let pending_hits: i64 = Connection::open(&path)
            .unwrap()
            .query_row("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'harbour'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(pending_hits, 1, "v4 indexed pending articles");
        let mut store = Store::open(&path, Duration::from_secs(1)).unwrap();
        let hits = |s: &Store, q: &str| -> i64 {
            s.conn()
                .query_row("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1", [q], |r| r.get(0))
                .unwrap()
        };
        let exact = |s: &Store| {
            s.conn()
                .execute_batch("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
                .unwrap()
        };
        assert_eq!((hits(&store, "ferry"), hits(&store, "harbour")), (1, 0));
        exact(&store);
        let fin = articles::Finished {
            article: crate::model::Article {
                title: Some("Harbour plan".into()),
                text: "The harbour plan body.".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        let tx = store.conn.transaction().unwrap();
        assert!(articles::complete_article(&tx, 2, &fin, Utc::now()).unwrap());
        articles::index_queued(&tx).unwrap();
        tx.commit().unwrap();
        assert_eq!(hits(&store, "harbour"), 1, "indexed once, on completion");
        exact(&store);
        store.conn().execute("DELETE FROM articles WHERE id = 1", []).unwrap();
        assert_eq!(hits(&store, "ferry"), 0);
        exact(&store);
        // Completed, edited and deleted within one transaction: never indexed, nothing left queued.
        store
            .conn()
            .execute(
                "INSERT INTO articles (id, url, title, fetched_at) VALUES (3, 'https://example.org/c', 'Canal', '2026-11-03T00:00:00Z')",
                [],
            )
            .unwrap();
        let tx = store.conn.transaction().unwrap();
        assert!(articles::complete_article(&tx, 3, &fin, Utc::now()).unwrap());
        tx.execute("UPDATE articles SET title = 'Canal works' WHERE id = 3", []).unwrap();
        tx.execute("DELETE FROM articles WHERE id = 3", []).unwrap();
        articles::index_queued(&tx).unwrap();
        tx.commit().unwrap();
        exact(&store);
        let queued: i64 = store.conn().query_row("SELECT count(*) FROM fts_queue", [], |r| r.get(0)).unwrap();
        assert_eq!(queued, 0);
    }

    /// A version 3 database with a visible article, a tombstone and a pending article (stored
    /// under a feed proxy's address) upgrades; the pending article is then completed under the
    /// address its page gave, and the proxy address still finds it.
    #[test]
    fn a_version_3_database_upgrades_and_its_pending_article_can_be_rekeyed() {
        let dir = tempfile::tempdir().unwrap();
        let path = database_at(
            dir.path(),
            3,
            "INSERT INTO feeds (id, url, added_at) VALUES (1, 'https://example.org/feed', '2026-11-01T00:00:00Z');
                 INSERT INTO articles (id, seq, url, title, text, fetched_at, committed_at)
                   VALUES (1, 1, 'https://example.org/a', 'A', 'Body', '2026-11-01T00:00:00Z', '2026-11-01T00:00:01Z');
                 INSERT INTO articles (id, url, link, title, fetched_at)
                   VALUES (2, 'https://proxy.example/r/2', 'https://proxy.example/r/2', 'B', '2026-11-02T00:00:00Z');
                 INSERT INTO article_feeds VALUES (1, 1, 'g1', '2026-11-01T00:00:00Z', 'h1');
                 INSERT INTO article_feeds VALUES (2, 1, 'g2', '2026-11-02T00:00:00Z', 'h2');
                 INSERT INTO tombstones VALUES ('https://example.org/old', 9, 3, '2026-11-01T00:00:00Z');
                 UPDATE counters SET value = 3 WHERE name = 'seq';",
        );
        let mut store = Store::open(&path, Duration::from_secs(1)).unwrap();
        assert_eq!(store.user_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(store.pending_articles().unwrap().len(), 1);
        let fin = articles::Finished {
            article: crate::model::Article { text: "The body of B.".into(), ..Default::default() },
            key: Some("https://example.org/b".into()),
            ..Default::default()
        };
        let tx = store.conn.transaction().unwrap();
        assert!(articles::complete_article(&tx, 2, &fin, Utc::now()).unwrap());
        articles::index_queued(&tx).unwrap();
        tx.commit().unwrap();
        let rows = store.articles_since(0, 10).unwrap();
        assert_eq!(
            rows.iter().map(|r| r.url.as_str()).collect::<Vec<_>>(),
            ["https://example.org/a", "https://example.org/b"]
        );
        assert_eq!(rows[1].seq, 4);
        assert_eq!(
            store
                .classify_keys(1, &[("https://proxy.example/r/2", None), ("https://example.org/old", None)])
                .unwrap(),
            vec![KeyState::KnownHere, KeyState::KnownHere]
        );
    }
}

#[cfg(test)]
mod rekey_tests {
    use super::*;
    use crate::dedup::Fingerprints;

    fn pending(s: &Store, id: i64, url: &str, feed: i64) {
        s.conn()
            .execute(
                "INSERT INTO articles (id, url, link, fetched_at) VALUES (?1, ?2, ?2, '2026-11-02T00:00:00Z')",
                rusqlite::params![id, url],
            )
            .unwrap();
        s.conn()
            .execute(
                "INSERT INTO article_feeds (article_id, feed_id, entry_id, first_seen_at) VALUES (?1, ?3, ?2, '2026-11-02T00:00:00Z')",
                rusqlite::params![id, format!("g{id}"), feed],
            )
            .unwrap();
    }

    fn finished(text: &str, key: &str) -> articles::Finished {
        articles::Finished {
            article: crate::model::Article { text: text.into(), ..Default::default() },
            fingerprints: Some(Fingerprints::of(text)),
            key: Some(key.into()),
            ..Default::default()
        }
    }

    fn complete(s: &mut Store, id: i64, fin: &articles::Finished) -> bool {
        let tx = s.conn.transaction().unwrap();
        let done = articles::complete_article(&tx, id, fin, Utc::now()).unwrap();
        articles::index_queued(&tx).unwrap();
        tx.commit().unwrap();
        done
    }

    fn urls(s: &Store) -> Vec<String> {
        let mut stmt = s.conn().prepare("SELECT url FROM articles ORDER BY id").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    }

    const TEXT: &str = "The harbour authority approved the new ferry terminal on Tuesday after a \
        public inquiry that lasted two years and heard from more than three hundred residents.";

    #[test]
    fn a_page_key_of_a_pruned_article_proves_nothing_and_the_article_keeps_its_own_key() {
        let mut s = Store::open_in_memory().unwrap();
        s.add_feed("https://example.org/feed", None).unwrap();
        s.conn()
            .execute(
                "INSERT INTO tombstones VALUES ('https://example.org/a', 9, 3, '2026-11-01T00:00:00Z')",
                [],
            )
            .unwrap();
        pending(&s, 1, "https://proxy.example/r/1", 1);
        assert!(complete(&mut s, 1, &finished(TEXT, "https://example.org/a")));
        assert_eq!(urls(&s), ["https://proxy.example/r/1"]);
    }

    #[test]
    fn a_copy_that_finishes_first_still_gets_the_original_folded_into_it() {
        let mut s = Store::open_in_memory().unwrap();
        s.add_feed("https://example.org/feed", None).unwrap();
        s.add_feed("https://proxy.example/feed", None).unwrap();
        // Both pending at once: the publisher's own entry and the proxy's.
        pending(&s, 1, "https://example.org/a", 1);
        pending(&s, 2, "https://proxy.example/r/2", 2);
        // The proxy's page finishes first: its address is taken by an article with no text yet.
        assert!(complete(&mut s, 2, &finished(TEXT, "https://example.org/a")));
        assert_eq!(urls(&s), ["https://example.org/a", "https://proxy.example/r/2"]);
        // The publisher's own page finishes: it is the same article, folded into the visible copy.
        assert!(!complete(&mut s, 1, &finished(TEXT, "https://example.org/a")));
        assert_eq!(urls(&s), ["https://proxy.example/r/2"]);
        let feeds: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM article_feeds WHERE article_id = 2", [], |r| r.get(0))
            .unwrap();
        assert_eq!(feeds, 2);
        // Either address finds it.
        assert_eq!(
            s.classify_keys(1, &[("https://example.org/a", None), ("https://proxy.example/r/2", None)])
                .unwrap(),
            vec![KeyState::KnownHere, KeyState::KnownHere]
        );
        assert_eq!(s.articles_since(0, 10).unwrap().len(), 1);
    }

    #[test]
    fn empty_texts_and_different_titles_never_merge() {
        let mut s = Store::open_in_memory().unwrap();
        s.add_feed("https://example.org/feed", None).unwrap();
        s.add_feed("https://proxy.example/feed", None).unwrap();
        // Every link of a paywalled site redirects to one page: empty texts prove nothing.
        pending(&s, 1, "https://example.org/a", 1);
        assert!(complete(&mut s, 1, &finished("", "https://example.org/subscribe")));
        pending(&s, 2, "https://example.org/b", 2);
        assert!(complete(&mut s, 2, &finished("", "https://example.org/subscribe")));
        // Same subscribe-page text, but the feeds title two different stories.
        s.conn().execute("UPDATE articles SET title = 'Harbour terminal approved'", []).unwrap();
        pending(&s, 3, "https://example.org/c", 1);
        s.conn().execute("UPDATE articles SET title = 'Library branch to close' WHERE id = 3", []).unwrap();
        pending(&s, 4, "https://example.org/d", 2);
        s.conn()
            .execute("UPDATE articles SET title = 'Grape harvest starts early' WHERE id = 4", [])
            .unwrap();
        assert!(complete(&mut s, 3, &finished(TEXT, "https://example.org/subscribe-2")));
        assert!(complete(&mut s, 4, &finished(TEXT, "https://example.org/subscribe-2")));
        assert_eq!(s.articles_since(0, 10).unwrap().len(), 4);
    }

    #[test]
    fn a_copy_merges_only_into_an_article_with_the_same_text() {
        let mut s = Store::open_in_memory().unwrap();
        s.add_feed("https://example.org/feed", None).unwrap();
        s.add_feed("https://proxy.example/feed", None).unwrap();
        pending(&s, 1, "https://example.org/a", 1);
        assert!(complete(&mut s, 1, &finished(TEXT, "https://example.org/a")));
        s.conn().execute("UPDATE articles SET title = 'Ferry terminal approved' WHERE id = 1", []).unwrap();
        // Same text under a proxy address: folded into article 1, its feed link moved.
        pending(&s, 2, "https://proxy.example/r/2", 2);
        s.conn()
            .execute("UPDATE articles SET title = 'Ferry terminal approved, says harbour' WHERE id = 2", [])
            .unwrap();
        assert!(!complete(&mut s, 2, &finished(TEXT, "https://example.org/a")));
        assert_eq!(urls(&s), ["https://example.org/a"]);
        let links: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM article_feeds WHERE article_id = 1", [], |r| r.get(0))
            .unwrap();
        assert_eq!(links, 2);
        // A different text naming the same canonical (a CMS bug) stays its own article.
        pending(&s, 3, "https://example.org/c", 1);
        let other = "Farmers in the valley reported the earliest grape harvest since records began, \
            blaming a dry spring and a hot summer for the early start of the picking season.";
        assert!(complete(&mut s, 3, &finished(other, "https://example.org/a")));
        assert_eq!(urls(&s), ["https://example.org/a", "https://example.org/c"]);
        assert_eq!(s.articles_since(0, 10).unwrap().len(), 2);
    }
}

#[cfg(test)]
mod resume_tests {
    use super::*;

    #[test]
    fn a_pending_article_resumes_with_the_settings_of_the_feed_that_first_carried_it() {
        let s = Store::open_in_memory().unwrap();
        let strict = crate::fetch::RequestSettings { respect_robots: Some(true), ..Default::default() };
        let loose = crate::fetch::RequestSettings { fetch_pages: Some(false), ..Default::default() };
        s.add_feed_with("https://a.example/feed", None, Some(&strict)).unwrap();
        s.add_feed_with("https://b.example/feed", None, Some(&loose)).unwrap();
        s.add_feed("https://c.example/feed", None).unwrap();
        s.conn()
            .execute_batch(
                "INSERT INTO articles (id, url, fetched_at) VALUES (1, 'https://x.example/1', '2026-11-01T00:00:00Z'),
                     (2, 'https://x.example/2', '2026-11-01T00:00:00Z');
                 INSERT INTO articles (id, seq, url, fetched_at) VALUES (3, 1, 'https://x.example/3', '2026-11-01T00:00:00Z');
                 INSERT INTO article_feeds (article_id, feed_id, entry_id, first_seen_at) VALUES
                     (1, 1, 'g1', '2026-11-01T00:00:00Z'), (1, 2, 'g1', '2026-11-01T00:05:00Z'),
                     (2, 3, 'g2', '2026-11-01T00:00:00Z'), (3, 1, 'g3', '2026-11-01T00:00:00Z');",
            )
            .unwrap();
        let got = s.pending_article_requests().unwrap();
        assert_eq!(got.len(), 1, "only pending articles of feeds with settings: {got:?}");
        assert_eq!(got.get(&1), Some(&strict));
    }
}

#[cfg(test)]
mod schedule_tests {
    use super::*;

    #[test]
    fn overdue_feeds_are_spread_and_new_ones_are_not() {
        let s = Store::open_in_memory().unwrap();
        let now = Utc::now();
        for i in 0..50 {
            s.add_feed(&format!("https://e{i}.example/feed"), None).unwrap();
        }
        s.add_feed("https://new.example/feed", None).unwrap();
        s.conn()
            .execute(
                "UPDATE feeds SET last_fetch_at = ?1, next_poll_at = ?1 WHERE url != 'https://new.example/feed'",
                [fmt_time(now - chrono::Duration::hours(1))],
            )
            .unwrap();
        let moved = s.spread_overdue(now, Duration::from_secs(120)).unwrap();
        assert_eq!(moved, 50);
        let due_now = s.feeds_to_poll(now, false).unwrap();
        assert!(due_now.iter().any(|f| f.url == "https://new.example/feed"), "a new feed is polled at once");
        assert!(due_now.len() < 10, "{} feeds still due at once", due_now.len());
        let times: std::collections::BTreeSet<String> =
            s.list_feeds().unwrap().iter().filter_map(|f| f.next_poll_at.map(fmt_time)).collect();
        assert!(times.len() > 20, "spread over many distinct times: {}", times.len());
        let last = s.list_feeds().unwrap().iter().filter_map(|f| f.next_poll_at).max().unwrap();
        assert!(last <= now + chrono::Duration::seconds(120));
        assert!(s.feeds_to_poll(now + chrono::Duration::seconds(121), false).unwrap().len() == 51);
    }
}
