//! Article identity: canonical URLs, content fingerprints and story grouping.
//!
//! Owns: the rules that decide whether two entries are the same article, and whether two
//! articles are the same story. Pure functions; the store enforces the resulting keys with
//! unique indexes, so this module is a speed-up and a policy, never the last line of defence.
//!
//! * [`canonical`](canonicalize_url): an entry link → its canonical URL (the article key), and
//!   [`prefer_page_canonical`] once the page is fetched.
//! * [`guid`](assess_guid_trust): whether a feed's guids can be trusted as identity, and which
//!   key ([`EntryKey`]) to use for an entry.
//! * fingerprints: [`content_hash`] (exact, normalised text), [`simhash64`] and [`Fingerprints`]
//!   (SimHash + MinHash over 3-word shingles).
//! * indexes: [`SimIndex`] (near-identical texts, Hamming ≤ 3) and [`StoryIndex`] (MinHash LSH
//!   for story candidates); both are rebuilt from the store at start-up by inserting rows.
//! * stories: [`same_story`] / [`story_score`] over [`StoryEvidence`].
//!
//! Does not own, and must not know: the database (the store persists keys, fingerprints and
//! verdicts, and enforces uniqueness), HTTP (callers pass the final URL after redirects and the
//! page's canonical link), HTML (callers pass the extracted plain text), or the clock.
//!
//! # How the pipeline uses it
//!
//! 1. Per entry: `canonicalize_url(link)`; per poll: [`assess_guid_trust`] over the feed's stored
//!    `(guid, canonical link)` observations and the new entries, keeping the worst verdict
//!    ([`GuidTrust::worst`]); [`entry_key`] gives the identity key of each entry.
//! 2. After the page fetch: [`prefer_page_canonical`] with the final URL and the page's
//!    `rel=canonical` gives the article's canonical URL (the `articles.canonical_url` key).
//! 3. After extraction: [`Fingerprints::of`] the body text. An equal `content_hash`, or a
//!    [`SimIndex`] hit at distance ≤ 3, is the same text under another URL. Then
//!    [`StoryIndex::query`] with [`STORY_THRESHOLD`]: the best match's story, else a new story
//!    (an article joins one existing story; stories are never merged afterwards).
//!
//! # Storage (recommended schema for the store)
//!
//! Keep fingerprints in SQLite and rebuild both indexes in memory at start-up with an `insert`
//! loop (1,000,000 rows: under 2 s and ~120 MB for [`SimIndex`]; [`StoryIndex`] only for a
//! recent window, ~0.7–1 KB per article). Store `u64` values with `as i64` (bit-preserving).
//!
//! ```sql
//! CREATE TABLE stories (
//!   id               INTEGER PRIMARY KEY,
//!   first_article_id INTEGER NOT NULL,
//!   first_seen       TEXT    NOT NULL            -- RFC 3339
//! );
//! CREATE TABLE article_fingerprints (
//!   article_id   INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
//!   fp_version   INTEGER NOT NULL,              -- FINGERPRINT_VERSION; recompute on change
//!   content_hash INTEGER NOT NULL,              -- content_hash(text) as i64
//!   simhash      INTEGER NOT NULL,              -- simhash64(text) as i64
//!   shingles     INTEGER NOT NULL,              -- Fingerprints::shingles
//!   minhash      BLOB    NOT NULL,              -- MinHashSig::to_bytes(), 256 bytes
//!   story_id     INTEGER NOT NULL REFERENCES stories(id),
//!   story_score  REAL                           -- score against the story's match, NULL if first
//! );
//! CREATE INDEX article_fingerprints_content ON article_fingerprints(content_hash);
//! CREATE INDEX article_fingerprints_story   ON article_fingerprints(story_id);
//! -- per feed: ALTER TABLE feeds ADD COLUMN guid_trust TEXT NOT NULL DEFAULT 'trusted'
//! --   CHECK (guid_trust IN ('trusted','unstable','reused'));  -- GuidTrust::as_str
//! -- start-up: SELECT article_id, simhash FROM article_fingerprints;            -> SimIndex
//! --           SELECT f.article_id, f.simhash, f.minhash, f.shingles
//! --             FROM article_fingerprints f JOIN articles a ON a.id = f.article_id
//! --            WHERE a.first_seen >= ?1;   -- e.g. 14 days ago           -> StoryIndex
//! ```
//!
//! Alternative if memory matters more than write cost: four band columns
//! `sim_b0..sim_b3 INTEGER NOT NULL` (`(simhash >> 16*i) & 0xffff`), one index each, and a query
//! `... WHERE sim_b0 = ?1 UNION ALL ... WHERE sim_b3 = ?4`, filtered by Hamming distance in Rust.
//! Not recommended: four more index writes per article for a lookup the in-memory index does
//! in ~3 µs.

mod canonical;
mod fingerprint;
mod guid;
mod index;
mod story;

pub use canonical::{
    canonicalize_url, prefer_page_canonical, registrable_domain, CanonError, CanonOptions,
    DEFAULT_TRACKING_PARAMS,
};
pub use fingerprint::{
    content_hash, hamming, normalize_text, shingle_hashes, simhash64, tokens, Fingerprints, MinHashSig,
    FINGERPRINT_VERSION, MINHASH_LEN, SHINGLE_WORDS,
};
pub use guid::{assess_guid_trust, entry_key, EntryKey, GuidObservation, GuidTrust};
pub use index::{SimIndex, StoryIndex, SIM_BANDS, SIM_COMPLETE_DISTANCE, STORY_BANDS, STORY_ROWS};
pub use story::{same_story, story_score, StoryEvidence, MIN_JACCARD, STORY_THRESHOLD};
