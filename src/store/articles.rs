//! The `articles` table and its links to feeds: insertion by identity, completion, tailing.

use super::enrichment::{write_enrichment, write_page, PageBlob};
use super::{fmt_time, parse_time, Store, StoreError};
use crate::model::{Article, ContentSource, Enrichment, Entry, Person};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

/// An entry of a polled feed, with the identity key the dedup stage gave it.
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// The article's identity: its canonical URL (or a feed-scoped id when it has no link).
    pub key: String,
    pub entry: Entry,
}

/// A hash of what a feed says about an entry (title, summary, content, update time): when it
/// changes between polls of the same feed, the article is revised.
pub fn entry_hash(e: &Entry) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [e.title.as_deref(), e.summary.as_deref(), e.content.as_deref()] {
        h.update(part.unwrap_or("").as_bytes());
        h.update([0]);
    }
    h.update(e.updated.map(fmt_time).unwrap_or_default().as_bytes());
    let digest = h.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// A feed's new version of an entry it carried before, applied with the revision.
#[derive(Debug, Clone)]
pub struct EntryRevision {
    pub feed_id: i64,
    pub entry: Entry,
}

/// Everything known about an article once its page is processed.
#[derive(Debug, Clone, Default)]
pub struct Finished {
    pub article: Article,
    pub enrichment: Option<Enrichment>,
    /// The page it was extracted from, kept for re-extraction.
    pub page: Option<PageBlob>,
    /// Fingerprints of `article.text`.
    pub fingerprints: Option<crate::dedup::Fingerprints>,
    /// The story it belongs to (the id of the story's first article) and its score against the
    /// article it matched (`None` when it starts the story).
    pub story: Option<(i64, Option<f32>)>,
    /// The outlet: registrable domain of the article's URL (stories count distinct outlets).
    pub outlet: Option<String>,
    /// Set when a feed changed the entry: its new title, summary, content and update time.
    pub revised_entry: Option<EntryRevision>,
    /// The article's identity as its page gives it (the final URL after redirects, or the
    /// page's same-site `rel=canonical`), when a page was fetched. When it differs from the
    /// entry's key, completing the article re-keys it (see [`complete_article`]).
    pub key: Option<String>,
}

/// An article stored but not yet visible: its page still has to be fetched and extracted.
#[derive(Debug, Clone)]
pub struct PendingArticle {
    pub article_id: i64,
    pub key: String,
    /// The entry as stored (enough to fall back to the feed's content).
    pub entry: Entry,
}

/// Whether an identity key is already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState {
    /// No article has this identity.
    New,
    /// An article has it, but this feed has not carried it before.
    KnownElsewhere,
    /// This feed already carried it, unchanged.
    KnownHere,
    /// This feed already carried it, and now says something else about it (article id).
    Changed(i64),
}

/// A feed and the id it gives an entry (for `rill show`).
#[derive(Debug, Clone, Serialize)]
pub struct FeedEntryRef {
    pub feed: String,
    pub entry_id: String,
}

/// One visible article as `rill tail` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleRow {
    pub seq: i64,
    pub id: i64,
    /// The identity: canonical URL.
    pub url: String,
    /// The link as the feed gave it.
    pub link: Option<String>,
    /// URLs of the feeds that carried it.
    pub feeds: Vec<String>,
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<String>,
    pub fetched_at: String,
    pub committed_at: Option<String>,
    pub updated_at: Option<String>,
    pub revision: i64,
    pub content_source: Option<String>,
    pub canonical_url: Option<String>,
    pub site_name: Option<String>,
    pub language: Option<String>,
    pub image: Option<String>,
    pub description: Option<String>,
    pub word_count: Option<i64>,
    pub summary: Option<String>,
    pub text: Option<String>,
    /// The story (id of its first article) this article belongs to.
    pub story_id: Option<i64>,
}

const ROW_COLUMNS: &str = "a.seq, a.id, a.url, a.link, \
    (SELECT json_group_array(f.url) FROM article_feeds af JOIN feeds f ON f.id = af.feed_id \
     WHERE af.article_id = a.id), \
    a.title, a.authors, a.published, a.fetched_at, a.committed_at, a.updated_at, a.revision, \
    a.content_source, a.canonical_url, a.site_name, a.language, a.image, a.description, a.word_count, \
    a.summary, a.text, a.story_id";

const ENTRY_COLUMNS: &str = "id, url, link, title, summary, feed_content, authors, published, updated, \
    (SELECT entry_id FROM article_feeds WHERE article_id = articles.id LIMIT 1)";

fn stored_entry(row: &Row<'_>) -> rusqlite::Result<PendingArticle> {
    let authors: Vec<String> = json_list(row, 6)?;
    Ok(PendingArticle {
        article_id: row.get(0)?,
        key: row.get(1)?,
        entry: Entry {
            id: row.get::<_, Option<String>>(9)?.unwrap_or_default(),
            link: row.get(2)?,
            title: row.get(3)?,
            summary: row.get(4)?,
            content: row.get(5)?,
            authors: authors.into_iter().map(|n| Person { name: Some(n), ..Default::default() }).collect(),
            published: row.get::<_, Option<String>>(7)?.as_deref().and_then(parse_time),
            updated: row.get::<_, Option<String>>(8)?.as_deref().and_then(parse_time),
            ..Default::default()
        },
    })
}

fn json_list(row: &Row<'_>, idx: usize) -> rusqlite::Result<Vec<String>> {
    let text: Option<String> = row.get(idx)?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default())
}

fn article_from_row(row: &Row<'_>) -> rusqlite::Result<ArticleRow> {
    Ok(ArticleRow {
        seq: row.get(0)?,
        id: row.get(1)?,
        url: row.get(2)?,
        link: row.get(3)?,
        feeds: json_list(row, 4)?,
        title: row.get(5)?,
        authors: json_list(row, 6)?,
        published: row.get(7)?,
        fetched_at: row.get(8)?,
        committed_at: row.get(9)?,
        updated_at: row.get(10)?,
        revision: row.get(11)?,
        content_source: row.get(12)?,
        canonical_url: row.get(13)?,
        site_name: row.get(14)?,
        language: row.get(15)?,
        image: row.get(16)?,
        description: row.get(17)?,
        word_count: row.get(18)?,
        summary: row.get(19)?,
        text: row.get(20)?,
        story_id: row.get(21)?,
    })
}

impl Store {
    /// Visible articles with `seq > since`, in seq order, at most `limit`.
    pub fn articles_since(&self, since: i64, limit: usize) -> Result<Vec<ArticleRow>, StoreError> {
        let sql = format!("SELECT {ROW_COLUMNS} FROM articles a WHERE a.seq > ?1 ORDER BY a.seq LIMIT ?2");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![since, limit as i64], article_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One visible article by id.
    pub fn article(&self, id: i64) -> Result<Option<ArticleRow>, StoreError> {
        let sql = format!("SELECT {ROW_COLUMNS} FROM articles a WHERE a.id = ?1 AND a.seq IS NOT NULL");
        Ok(self.conn.query_row(&sql, params![id], article_from_row).optional()?)
    }

    /// Articles stored whose page has not been processed yet (after a crash or a stop).
    pub fn pending_articles(&self) -> Result<Vec<PendingArticle>, StoreError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM articles WHERE seq IS NULL ORDER BY id");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], stored_entry)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The stored entry of an article (the evidence extraction uses).
    pub fn stored_entry(&self, article_id: i64) -> Result<Option<PendingArticle>, StoreError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM articles WHERE id = ?1");
        Ok(self.conn.query_row(&sql, params![article_id], stored_entry).optional()?)
    }

    /// Visible articles with a stored page, optionally first stored since `since` and carried by
    /// the feed `feed`, by id.
    pub fn reextract_candidates(
        &self,
        since: Option<DateTime<Utc>>,
        feed: Option<&str>,
    ) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT a.id FROM articles a JOIN pages p ON p.article_id = a.id
             WHERE a.seq IS NOT NULL AND (?1 IS NULL OR a.fetched_at >= ?1)
               AND (?2 IS NULL OR EXISTS (SELECT 1 FROM article_feeds af JOIN feeds f ON f.id = af.feed_id
                                          WHERE af.article_id = a.id AND f.url = ?2))
             ORDER BY a.id",
        )?;
        let rows = stmt.query_map(params![since.map(fmt_time), feed], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Stores re-extractions in one transaction (for `rill reextract`, outside the daemon);
    /// returns how many articles changed.
    pub fn revise_articles(&mut self, items: &[(i64, Finished)]) -> Result<usize, StoreError> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let now = Utc::now();
        let mut changed = 0;
        for (id, fin) in items {
            changed += usize::from(revise_article(&tx, *id, fin, now)?);
        }
        tx.commit()?;
        Ok(changed)
    }

    /// For each `(identity key, entry hash)`: is it unknown, stored but not yet linked to
    /// `feed_id`, linked to it unchanged, or linked with another entry hash (changed)? A
    /// retention tombstone counts as linked and unchanged. (A fast pre-check; the writer decides
    /// authoritatively.)
    pub fn classify_keys(
        &self,
        feed_id: i64,
        keys: &[(&str, Option<&str>)],
    ) -> Result<Vec<KeyState>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, af.article_id IS NOT NULL, af.entry_hash FROM articles a
             LEFT JOIN article_feeds af ON af.article_id = a.id AND af.feed_id = ?2
             WHERE a.id = ?1",
        )?;
        keys.iter()
            .map(|(k, hash)| {
                let found: Option<(i64, bool, Option<String>)> = match article_by_key(&self.conn, k)? {
                    Some(id) => stmt
                        .query_row(params![id, feed_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                        .optional()?,
                    None => None,
                };
                Ok(match found {
                    None if is_tombstoned(&self.conn, k)? => KeyState::KnownHere,
                    None => KeyState::New,
                    Some((_, false, _)) => KeyState::KnownElsewhere,
                    Some((id, true, Some(old))) if hash.is_some_and(|h| h != old) => KeyState::Changed(id),
                    Some((_, true, _)) => KeyState::KnownHere,
                })
            })
            .collect()
    }

    /// Story evidence of the articles first stored since `since`: `(article id, story id,
    /// fingerprints)`, to rebuild the story index at start-up.
    pub fn story_evidence_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<(i64, i64, crate::dedup::StoryEvidence)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT a.id, a.story_id, f.simhash, f.shingles, f.minhash FROM article_fingerprints f
             JOIN articles a ON a.id = f.article_id
             WHERE a.story_id IS NOT NULL AND a.fetched_at >= ?1 AND f.fp_version = ?2",
        )?;
        let rows = stmt.query_map(params![fmt_time(since), crate::dedup::FINGERPRINT_VERSION], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, u32>(3)?,
                r.get::<_, Vec<u8>>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, story, simhash, shingles, minhash) = row?;
            if let Some(minhash) = crate::dedup::MinHashSig::from_bytes(&minhash) {
                out.push((
                    id,
                    story,
                    crate::dedup::StoryEvidence { simhash: simhash as u64, minhash, shingles },
                ));
            }
        }
        Ok(out)
    }

    /// Other visible articles of an article's story: `(id, title, url)`.
    pub fn story_siblings(&self, article_id: i64) -> Result<Vec<(i64, Option<String>, String)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT b.id, b.title, b.url FROM articles a JOIN articles b ON b.story_id = a.story_id
             WHERE a.id = ?1 AND b.id != a.id AND b.seq IS NOT NULL ORDER BY b.id",
        )?;
        let rows = stmt.query_map(params![article_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The highest seq assigned so far (0 when none).
    pub fn last_seq(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT value FROM counters WHERE name = 'seq'", [], |r| r.get(0))?)
    }

    /// Number of visible articles.
    pub fn article_count(&self) -> Result<u64, StoreError> {
        let n: i64 =
            self.conn.query_row("SELECT count(*) FROM articles WHERE seq IS NOT NULL", [], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }
}

/// The article with this identity key: its own canonical URL, or an address it was stored
/// under before its page named another one (`article_aliases`).
fn article_by_key(conn: &Connection, key: &str) -> Result<Option<i64>, StoreError> {
    let own = conn
        .prepare_cached("SELECT id FROM articles WHERE url = ?1")?
        .query_row(params![key], |r| r.get(0))
        .optional()?;
    if own.is_some() {
        return Ok(own);
    }
    Ok(conn
        .prepare_cached("SELECT article_id FROM article_aliases WHERE url = ?1")?
        .query_row(params![key], |r| r.get(0))
        .optional()?)
}

/// Whether retention pruned the article with this identity key.
fn is_tombstoned(conn: &Connection, key: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM tombstones WHERE url = ?1")?
        .query_row(params![key], |_| Ok(()))
        .optional()?
        .is_some())
}

fn next_seq(tx: &Connection) -> Result<i64, StoreError> {
    // Two statements, not `UPDATE ... RETURNING`: SQLite runs RETURNING like a trigger, in a
    // statement savepoint, and FTS5 flushes its pending terms at every savepoint.
    tx.prepare_cached("UPDATE counters SET value = value + 1 WHERE name = 'seq'")?.execute([])?;
    Ok(tx.prepare_cached("SELECT value FROM counters WHERE name = 'seq'")?.query_row([], |r| r.get(0))?)
}

/// The outcome of storing one poll's entries.
#[derive(Debug, Default)]
pub struct Inserted {
    /// Articles created pending; their pages are to be fetched.
    pub pending: Vec<PendingArticle>,
    /// Entries that were already stored (maybe under another feed).
    pub known: usize,
}

/// Stores a poll's entries: new identities become articles, known ones gain a link to this feed.
pub(super) fn insert_entries(
    tx: &Connection,
    feed_id: i64,
    entries: &[NewEntry],
    now: DateTime<Utc>,
) -> Result<Inserted, StoreError> {
    let now_s = fmt_time(now);
    let mut out = Inserted::default();
    for new in entries {
        let article_id = match article_by_key(tx, &new.key)? {
            Some(id) => {
                out.known += 1;
                id
            }
            None if is_tombstoned(tx, &new.key)? => {
                // Pruned by retention: never ingested again.
                out.known += 1;
                continue;
            }
            None => {
                let e = &new.entry;
                let authors: Vec<&str> = e.authors.iter().filter_map(|p| p.name.as_deref()).collect();
                tx.prepare_cached(
                    "INSERT INTO articles (url, link, title, summary, feed_content, authors, categories,
                        enclosures, published, updated, fetched_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )?
                .execute(params![
                    new.key,
                    e.link,
                    e.title,
                    e.summary,
                    e.content,
                    serde_json::to_string(&authors)?,
                    serde_json::to_string(&e.categories)?,
                    serde_json::to_string(&e.enclosures)?,
                    e.published.map(fmt_time),
                    e.updated.map(fmt_time),
                    now_s,
                ])?;
                let id = tx.last_insert_rowid();
                out.pending.push(PendingArticle {
                    article_id: id,
                    key: new.key.clone(),
                    entry: new.entry.clone(),
                });
                id
            }
        };
        tx.prepare_cached(
            "INSERT INTO article_feeds (article_id, feed_id, entry_id, first_seen_at, entry_hash)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO NOTHING",
        )?
        .execute(params![article_id, feed_id, new.entry.id, now_s, entry_hash(&new.entry)])?;
    }
    Ok(out)
}

/// Fills in an article's extracted content and makes it visible with a new seq. Returns false
/// when the article is gone (removed meanwhile) or already complete.
pub(super) fn complete_article(
    tx: &Connection,
    article_id: i64,
    fin: &Finished,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let pending: Option<(Option<i64>, String)> = tx
        .prepare_cached("SELECT seq, url FROM articles WHERE id = ?1")?
        .query_row(params![article_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((None, own)) = pending else {
        return Ok(false);
    };
    if let Some(key) = fin.key.as_deref() {
        if rekey(tx, article_id, &own, key, fin)? == Rekey::Merged {
            return Ok(false);
        }
    }
    // Queued first: while queued, the update trigger leaves the full-text index alone.
    tx.prepare_cached("INSERT OR IGNORE INTO fts_queue (article_id) VALUES (?1)")?
        .execute(params![article_id])?;
    let seq = next_seq(tx)?;
    tx.prepare_cached("UPDATE articles SET seq = ?2, committed_at = ?3 WHERE id = ?1")?.execute(params![
        article_id,
        seq,
        fmt_time(now)
    ])?;
    write_content(tx, article_id, fin)?;
    Ok(true)
}

/// Adds the articles completed in this transaction to the full-text index, in one statement
/// (so FTS5 writes one segment for all of them), and empties the queue. Every transaction that
/// completes articles calls it before it commits.
pub(super) fn index_queued(tx: &Connection) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO articles_fts (rowid, title, text)
         SELECT a.id, a.title, a.text FROM fts_queue q JOIN articles a ON a.id = q.article_id",
    )?
    .execute([])?;
    tx.prepare_cached("DELETE FROM fts_queue")?.execute([])?;
    Ok(())
}

/// What [`rekey`] did with a pending article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rekey {
    /// It keeps its key (the page agrees, or its address is taken by a different article).
    Kept,
    /// It now has the page's key; its entry's key is an alias.
    Moved,
    /// The page's key is an article already stored with the same text and a similar feed
    /// title: the pending article was folded into it and no longer exists.
    Merged,
}

/// Most differing SimHash bits for a pending article to be folded into the stored article
/// its page names as canonical. Loose enough for a page that changed a little since the other
/// copy was extracted; strict enough that a site whose every page names one section page as
/// canonical (a CMS bug) does not merge distinct articles. Measured with
/// `examples/dedup_tune.rs` on the farm (6,860 articles, 23.5 M pairs of different stories): no
/// pair of different stories within 10 bits, 103 within 14.
const REKEY_MAX_DISTANCE: u32 = 8;

/// Moves a pending article to the identity its page gave it. The entry's key stays known as
/// an alias, so a later entry that links it finds this article. If the new key belongs to
/// another article, the two are the same article only when their texts agree (same content
/// hash, or SimHash within [`REKEY_MAX_DISTANCE`]): then this article's feed links move to the
/// other and this one is deleted (it was never visible, so no consumer saw it). Empty texts
/// never match, and the two feed titles must agree ([`titles_agree`]). A key pruned by retention
/// proves nothing (its text is gone): the article keeps its own key.
fn rekey(
    tx: &Connection,
    article_id: i64,
    own: &str,
    key: &str,
    fin: &Finished,
) -> Result<Rekey, StoreError> {
    if own == key {
        // Stored under the address its page confirms. A copy that finished first may have named
        // this address while this article had no text yet: fold this one into that copy.
        return claimed_by_copy(tx, article_id, key, fin);
    }
    let target = match article_by_key(tx, key)? {
        Some(id) if id == article_id => return Ok(Rekey::Kept),
        Some(id) => Some(id),
        // Pruned: its text is gone, so nothing shows that this is the same article (a site
        // whose pages all name one address would otherwise lose every new article). Keep it.
        None if is_tombstoned(tx, key)? => return Ok(Rekey::Kept),
        None => None,
    };
    let Some(target) = target else {
        tx.prepare_cached("UPDATE articles SET url = ?2 WHERE id = ?1")?.execute(params![article_id, key])?;
        add_alias(tx, own, article_id)?;
        return Ok(Rekey::Moved);
    };
    match same_article(tx, target, article_id, fin)? {
        Some(true) => {
            fold_into(tx, article_id, own, target)?;
            Ok(Rekey::Merged)
        }
        Some(false) => Ok(Rekey::Kept),
        None => {
            // The other has no text yet: remember the claim, so that the other is folded into
            // this one when it completes (see `claimed_by_copy`).
            tx.prepare_cached(
                "INSERT INTO article_page_keys (page_key, article_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            )?
            .execute(params![key, article_id])?;
            Ok(Rekey::Kept)
        }
    }
}

/// Whether the stored article `other` and the article being completed (`fin`, id `this`) are
/// the same article: texts agree (same content hash, or SimHash within [`REKEY_MAX_DISTANCE`];
/// empty texts prove nothing) and feed titles agree. `None` when `other` has no text yet.
fn same_article(tx: &Connection, other: i64, this: i64, fin: &Finished) -> Result<Option<bool>, StoreError> {
    let theirs: Option<(i64, i64, i64)> = tx
        .prepare_cached(
            "SELECT content_hash, simhash, shingles FROM article_fingerprints WHERE article_id = ?1",
        )?
        .query_row(params![other], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((hash, sim, shingles)) = theirs else { return Ok(None) };
    let same_text = match &fin.fingerprints {
        Some(fp) if shingles > 0 && fp.shingles > 0 => {
            hash == fp.content_hash as i64 || ((sim as u64) ^ fp.simhash).count_ones() <= REKEY_MAX_DISTANCE
        }
        _ => false,
    };
    Ok(Some(same_text && titles_agree(tx, this, other)?))
}

/// Folds the pending article `from` (stored under `from_url`) into `into`: its feed links and
/// aliases move, its address becomes an alias of `into`, and it is deleted (it was never
/// visible, so no consumer saw it).
fn fold_into(tx: &Connection, from: i64, from_url: &str, into: i64) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO article_feeds (article_id, feed_id, entry_id, first_seen_at, entry_hash)
         SELECT ?2, feed_id, entry_id, first_seen_at, entry_hash FROM article_feeds WHERE article_id = ?1
         ON CONFLICT DO NOTHING",
    )?
    .execute(params![from, into])?;
    tx.prepare_cached("UPDATE article_aliases SET article_id = ?2 WHERE article_id = ?1")?
        .execute(params![from, into])?;
    tx.prepare_cached("DELETE FROM articles WHERE id = ?1")?.execute(params![from])?;
    add_alias(tx, from_url, into)
}

/// Records `url` as another address of `article_id`.
fn add_alias(tx: &Connection, url: &str, article_id: i64) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO article_aliases (url, article_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    )?
    .execute(params![url, article_id])?;
    Ok(())
}

/// A pending article completing under its own address `key`: if a visible copy's page named
/// this address while this article was still pending (`article_page_keys`), and the two are
/// the same article, this one is folded into the copy.
fn claimed_by_copy(tx: &Connection, article_id: i64, key: &str, fin: &Finished) -> Result<Rekey, StoreError> {
    let claimants: Vec<i64> = tx
        .prepare_cached(
            "SELECT p.article_id FROM article_page_keys p JOIN articles a ON a.id = p.article_id
             WHERE p.page_key = ?1 AND p.article_id != ?2 AND a.seq IS NOT NULL ORDER BY p.article_id",
        )?
        .query_map(params![key, article_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for copy in claimants {
        if same_article(tx, copy, article_id, fin)? == Some(true) {
            fold_into(tx, article_id, key, copy)?;
            tx.prepare_cached("DELETE FROM article_page_keys WHERE page_key = ?1")?.execute(params![key])?;
            return Ok(Rekey::Merged);
        }
    }
    Ok(Rekey::Kept)
}

/// Whether two articles' feed titles could name the same article: equal word sets for the most
/// part (Jaccard ≥ 0.5), or a title missing. Pages alone cannot tell: every link of a paywalled
/// site may redirect to one subscribe page with one text, while the feed titles differ.
fn titles_agree(tx: &Connection, a: i64, b: i64) -> Result<bool, StoreError> {
    let title = |id: i64| -> Result<Option<String>, StoreError> {
        Ok(tx
            .prepare_cached("SELECT title FROM articles WHERE id = ?1")?
            .query_row(params![id], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    };
    let (Some(ta), Some(tb)) = (title(a)?, title(b)?) else { return Ok(true) };
    let words = |t: &str| -> std::collections::HashSet<String> {
        t.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let (wa, wb) = (words(&ta), words(&tb));
    if wa.is_empty() || wb.is_empty() {
        return Ok(true);
    }
    let shared = wa.intersection(&wb).count();
    Ok(2 * shared >= wa.union(&wb).count())
}

/// Re-extraction of a visible article: when its text or title changed it gets a new seq, a new
/// revision and `updated_at`; otherwise only the extractor version is recorded. Returns whether
/// it changed.
pub(super) fn revise_article(
    tx: &Connection,
    article_id: i64,
    fin: &Finished,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    type Current = (Option<i64>, Option<String>, Option<String>, Option<String>);
    let current: Option<Current> = tx
        .prepare_cached("SELECT seq, text, title, content_source FROM articles WHERE id = ?1")?
        .query_row(params![article_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let Some((Some(_), text, title, source)) = current else {
        return Ok(false); // gone, or still pending (the pipeline will complete it)
    };
    // A revision whose page could not be used this time (down, blocked) keeps the text that
    // was extracted from the page before, rather than replacing it with the feed's.
    let keep_text = source.as_deref() == Some("page") && fin.article.source != ContentSource::Page;
    let mut new_title = title.clone();
    if let Some(rev) = &fin.revised_entry {
        // The feed's new version of the entry: record it so the next poll sees it as known.
        let e = &rev.entry;
        tx.prepare_cached("UPDATE article_feeds SET entry_hash = ?3 WHERE article_id = ?1 AND feed_id = ?2")?
            .execute(params![article_id, rev.feed_id, entry_hash(e)])?;
        tx.prepare_cached(
            "UPDATE articles SET title = coalesce(?2, title), summary = ?3, feed_content = ?4,
                 updated = coalesce(?5, updated)
             WHERE id = ?1",
        )?
        .execute(params![article_id, e.title, e.summary, e.content, e.updated.map(fmt_time)])?;
        new_title = e.title.clone().or(title.clone());
    }
    let same_text = keep_text || text.as_deref() == Some(fin.article.text.as_str());
    if same_text && new_title == title {
        if !keep_text {
            tx.prepare_cached("UPDATE articles SET extractor_version = ?2 WHERE id = ?1")?
                .execute(params![article_id, crate::extract::EXTRACTOR_VERSION])?;
        }
        return Ok(false);
    }
    let seq = next_seq(tx)?;
    tx.prepare_cached(
        "UPDATE articles SET seq = ?2, updated_at = ?3, revision = revision + 1 WHERE id = ?1",
    )?
    .execute(params![article_id, seq, fmt_time(now)])?;
    if !keep_text {
        write_content(tx, article_id, fin)?;
    }
    Ok(true)
}

/// Writes the extracted fields, the enrichment and the page of an article.
fn write_content(tx: &Connection, article_id: i64, fin: &Finished) -> Result<(), StoreError> {
    let a = &fin.article;
    let authors = if a.authors.is_empty() { None } else { Some(serde_json::to_string(&a.authors)?) };
    tx.prepare_cached(
        "UPDATE articles SET text = ?2, html = ?3, content_source = ?4,
            extractor_version = ?5, canonical_url = ?6, site_name = ?7, language = ?8, image = ?9,
            description = ?10, word_count = ?11, title = coalesce(title, ?12),
            published = coalesce(?13, published), authors = coalesce(?14, authors)
         WHERE id = ?1",
    )?
    .execute(params![
        article_id,
        a.text,
        a.html,
        a.source.as_str(),
        crate::extract::EXTRACTOR_VERSION,
        a.canonical_url,
        a.site_name,
        a.language,
        a.image,
        a.description,
        a.word_count as i64,
        a.title,
        a.published.map(fmt_time),
        authors,
    ])?;
    if let Some(e) = &fin.enrichment {
        write_enrichment(tx, article_id, e)?;
    }
    if let Some(p) = &fin.page {
        write_page(tx, article_id, p)?;
    }
    if let Some(fp) = &fin.fingerprints {
        let score = fin.story.and_then(|(_, s)| s);
        tx.prepare_cached(
            "INSERT INTO article_fingerprints (article_id, fp_version, content_hash, simhash, shingles, minhash, story_score)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (article_id) DO UPDATE SET fp_version = excluded.fp_version,
                 content_hash = excluded.content_hash, simhash = excluded.simhash,
                 shingles = excluded.shingles, minhash = excluded.minhash",
        )?
        .execute(params![
            article_id,
            crate::dedup::FINGERPRINT_VERSION,
            fp.content_hash as i64,
            fp.simhash as i64,
            fp.shingles,
            fp.minhash.to_bytes(),
            score
        ])?;
    }
    if let Some((story_id, _)) = fin.story {
        join_story(tx, article_id, story_id, fin.outlet.as_deref())?;
    }
    Ok(())
}

/// Puts an article in a story (creating the story row when it is the first) and refreshes the
/// story's counts. An article keeps the story it was first given.
fn join_story(
    tx: &Connection,
    article_id: i64,
    story_id: i64,
    outlet: Option<&str>,
) -> Result<(), StoreError> {
    let now = fmt_time(Utc::now());
    tx.prepare_cached(
        "INSERT INTO stories (id, first_article_id, first_seen, last_seen) VALUES (?1, ?1, ?2, ?2)
         ON CONFLICT (id) DO NOTHING",
    )?
    .execute(params![story_id, now])?;
    let changed = tx
        .prepare_cached("UPDATE articles SET story_id = ?2, outlet = ?3 WHERE id = ?1 AND story_id IS NULL")?
        .execute(params![article_id, story_id, outlet])?;
    if changed > 0 {
        tx.prepare_cached(
            "UPDATE stories SET last_seen = max(last_seen, ?2),
                 articles = (SELECT count(*) FROM articles WHERE story_id = ?1),
                 outlets = (SELECT count(DISTINCT outlet) FROM articles WHERE story_id = ?1)
             WHERE id = ?1",
        )?
        .execute(params![story_id, now])?;
    }
    Ok(())
}
