//! rill: a streaming RSS, Atom and JSON Feed ingest daemon.
//!
//! rill polls feeds, recognises entries it has already stored (also when another feed carries
//! them), fetches each new article's page, extracts the article text and facts about it, and
//! stores everything in one SQLite database that other programs read while the daemon writes.
//!
//! # Layout
//!
//! The stages, in data-flow order, and the [`model`] types each consumes and produces:
//!
//! 1. [`schedule`]: which feeds are due, and when each is due next (pure arithmetic over times).
//! 2. [`fetch`]: HTTP with conditional GET, size and time limits, the address guard and per-host
//!    politeness. Produces bytes, or "not modified".
//! 3. [`feed`]: bytes → [`model::ParsedFeed`] of [`model::Entry`] (charset and markup repair, date
//!    and URL normalisation), plus OPML import/export.
//! 4. [`dedup`]: [`model::Entry`] → article identity (canonical URL, feed id), content
//!    fingerprints and story grouping.
//! 5. [`extract`]: page HTML + URL (+ the entry as evidence) → [`model::Article`].
//! 6. [`enrich`]: article text → [`model::Enrichment`] (entities, roles, quotes, language).
//! 7. [`store`]: the schema, migrations, the single writer and the read queries.
//!
//! [`discover`] turns a URL a person typed (a site, a page, a feed) into a feed URL for
//! `rill feed add`.
//!
//! [`daemon`] wires the stages together with bounded channels and one cancellation token;
//! [`config`] holds the validated configuration; [`cli`] and [`commands`] are the command line;
//! [`telemetry`] sets up logging.
//!
//! Stages 3, 4, 5 and 6 are pure functions over owned data: no network, no clock, no database.

pub mod api;
pub mod cli;
pub mod commands;
pub mod config;
pub mod daemon;
pub mod dedup;
pub mod discover;
pub mod enrich;
pub mod extract;
pub mod feed;
pub mod fetch;
pub mod metrics;
pub mod model;
pub mod schedule;
pub mod store;
pub mod telemetry;

/// Cases per property test: `PROPTEST_CASES` when set (`scripts/fuzz.sh` raises it for long
/// runs), else `default`. Not part of the API.
#[doc(hidden)]
pub fn fuzz_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}
