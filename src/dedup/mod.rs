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
