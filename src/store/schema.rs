//! The schema, as an ordered list of migrations indexed by `PRAGMA user_version`.
//!
//! Forward-only: a migration is never edited, reordered or removed once released; a change is a
//! new entry at the end, documented in `docs/schema.md` in the same commit.

/// Migrations in order; `MIGRATIONS[i]` takes a database from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: feeds, articles, their links, the seq counter, full-text search.
    r#"
    CREATE TABLE feeds (
        id              INTEGER PRIMARY KEY,
        url             TEXT NOT NULL UNIQUE,
        title           TEXT,
        site_url        TEXT,
        added_at        TEXT NOT NULL,
        state           TEXT NOT NULL DEFAULT 'ok'
                        CHECK (state IN ('ok', 'failing', 'gone', 'disabled')),
        state_reason    TEXT,
        etag            TEXT,
        last_modified   TEXT,
        body_hash       TEXT,
        last_fetch_at   TEXT,
        last_status     INTEGER,
        last_error      TEXT,
        error_count     INTEGER NOT NULL DEFAULT 0,
        interval_secs   INTEGER,
        next_poll_at    TEXT,
        retry_after_until TEXT,
        last_new_at     TEXT,
        request         TEXT
    );
    CREATE INDEX feeds_next_poll ON feeds (next_poll_at);

    CREATE TABLE articles (
        id                INTEGER PRIMARY KEY,
        seq               INTEGER UNIQUE,
        url               TEXT NOT NULL UNIQUE,
        link              TEXT,
        title             TEXT,
        summary           TEXT,
        feed_content      TEXT,
        authors           TEXT NOT NULL DEFAULT '[]',
        categories        TEXT NOT NULL DEFAULT '[]',
        enclosures        TEXT NOT NULL DEFAULT '[]',
        published         TEXT,
        updated           TEXT,
        text              TEXT,
        html              TEXT,
        content_source    TEXT CHECK (content_source IN ('page', 'feed')),
        extractor_version INTEGER,
        canonical_url     TEXT,
        site_name         TEXT,
        language          TEXT,
        image             TEXT,
        description       TEXT,
        word_count        INTEGER,
        fetched_at        TEXT NOT NULL,
        committed_at      TEXT,
        updated_at        TEXT,
        revision          INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX articles_pending ON articles (id) WHERE seq IS NULL;
    CREATE INDEX articles_published ON articles (published);

    CREATE TABLE article_feeds (
        article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        feed_id       INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
        entry_id      TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        PRIMARY KEY (article_id, feed_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_feeds_by_feed ON article_feeds (feed_id, entry_id);

    CREATE TABLE counters (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO counters (name, value) VALUES ('seq', 0);

    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, text,
        content = 'articles', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    "#,
    // 2: enrichment (entities, their roles in articles, quotes), stored pages for re-extraction,
    //    content fingerprints and stories, guid trust per feed.
    r#"
    CREATE TABLE entities (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('PERSON', 'ORGANIZATION', 'LOCATION')),
        UNIQUE (name, type)
    );

    CREATE TABLE article_entities (
        article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        entity_id    INTEGER NOT NULL REFERENCES entities (id),
        role         TEXT,
        mentions     INTEGER NOT NULL,
        first_offset INTEGER NOT NULL,
        PRIMARY KEY (article_id, entity_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_entities_by_entity ON article_entities (entity_id, article_id);

    CREATE TABLE quotes (
        id         INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        speaker_id INTEGER REFERENCES entities (id),
        speaker    TEXT,
        text       TEXT NOT NULL,
        start      INTEGER NOT NULL,
        "end"      INTEGER NOT NULL
    );
    CREATE INDEX quotes_by_article ON quotes (article_id);
    CREATE INDEX quotes_by_speaker ON quotes (speaker_id);

    ALTER TABLE articles ADD COLUMN text_language TEXT;
    ALTER TABLE articles ADD COLUMN enrichment_rules INTEGER;

    CREATE TABLE pages (
        article_id   INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        url          TEXT NOT NULL,
        content_type TEXT,
        fetched_at   TEXT NOT NULL,
        size         INTEGER NOT NULL,
        body         BLOB NOT NULL
    );
    CREATE INDEX pages_fetched_at ON pages (fetched_at);

    CREATE TABLE stories (
        id               INTEGER PRIMARY KEY,
        first_article_id INTEGER NOT NULL,
        first_seen       TEXT NOT NULL,
        last_seen        TEXT NOT NULL,
        articles         INTEGER NOT NULL DEFAULT 0,
        outlets          INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX stories_last_seen ON stories (last_seen);

    CREATE TABLE article_fingerprints (
        article_id   INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        fp_version   INTEGER NOT NULL,
        content_hash INTEGER NOT NULL,
        simhash      INTEGER NOT NULL,
        shingles     INTEGER NOT NULL,
        minhash      BLOB NOT NULL,
        story_score  REAL
    );
    CREATE INDEX article_fingerprints_content ON article_fingerprints (content_hash);

    ALTER TABLE articles ADD COLUMN story_id INTEGER REFERENCES stories (id);
    ALTER TABLE articles ADD COLUMN outlet TEXT;
    CREATE INDEX articles_story ON articles (story_id);

    ALTER TABLE feeds ADD COLUMN guid_trust TEXT NOT NULL DEFAULT 'trusted'
        CHECK (guid_trust IN ('trusted', 'unstable', 'reused'));
    "#,
    // 3: retention (a pruned article leaves a tombstone of its identity so that it is not
    //    ingested again; the per-feed quota needs each feed's articles in id order) and
    //    revisions of entries a feed changed.
    r#"
    CREATE TABLE tombstones (
        url        TEXT PRIMARY KEY,
        article_id INTEGER NOT NULL,
        seq        INTEGER,
        pruned_at  TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX tombstones_pruned_at ON tombstones (pruned_at);
    CREATE INDEX article_feeds_feed_article ON article_feeds (feed_id, article_id);

    -- Updated entries: what the feed last said about the entry, to notice when it changes.
    ALTER TABLE article_feeds ADD COLUMN entry_hash TEXT;
    "#,
    // 4: identity from the page. When the fetched page names another address for the article
    //    (the final URL after a feed proxy's redirect, or its own same-site rel=canonical), the
    //    article is re-keyed to it and the entry's address stays known here, so the next entry
    //    that links either address finds the same article.
    r#"
    CREATE TABLE article_aliases (
        url        TEXT PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE INDEX article_aliases_by_article ON article_aliases (article_id);
    -- An address a page named while the article stored under it had no text yet.
    CREATE TABLE article_page_keys (
        page_key   TEXT NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        PRIMARY KEY (page_key, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_page_keys_by_article ON article_page_keys (article_id);
    "#,
    // 5: full-text rows are written once per batch, not per article. A trigger that writes to
    //    FTS5 makes SQLite open a statement journal, and FTS5 flushes its pending terms to a new
    //    segment at every one: each article became its own segment, merged again and again
    //    (a quarter of the writer's time). Now an article completed in a transaction is queued
    //    in `fts_queue` and indexed with all the others of that transaction just before it
    //    commits (the queue is empty in every committed state). The index covers committed
    //    articles only (searches only ever showed those): its content is the view
    //    `articles_committed`, so FTS5's 'rebuild' and 'integrity-check' agree with it. Once
    //    indexed, an article's later edits and its deletion still go through triggers.
    r#"
    DROP TRIGGER articles_fts_insert;
    DROP TRIGGER articles_fts_update;
    DROP TRIGGER articles_fts_delete;
    DROP TABLE articles_fts;
    CREATE VIEW articles_committed AS SELECT id, title, text FROM articles WHERE seq IS NOT NULL;
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, text,
        content = 'articles_committed', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    CREATE TABLE fts_queue (article_id INTEGER PRIMARY KEY);
    -- rill inserts articles pending; a row inserted already committed is indexed at once.
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles WHEN new.seq IS NOT NULL BEGIN
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles
    WHEN old.seq IS NOT NULL AND NOT EXISTS (SELECT 1 FROM fts_queue WHERE article_id = old.id) BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles WHEN old.seq IS NOT NULL BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        SELECT 'delete', old.id, old.title, old.text
        WHERE NOT EXISTS (SELECT 1 FROM fts_queue WHERE article_id = old.id);
        DELETE FROM fts_queue WHERE article_id = old.id;
    END;
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;
