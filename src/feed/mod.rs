//! Feeds: parsing bytes into [`crate::model::ParsedFeed`], and OPML subscription lists.
//!
//! Owns: charset decoding, markup repair, feed-rs, normalisation of its output (URLs, dates,
//! people, ids), and OPML. Does not know about HTTP, the schedule or the database: the caller
//! passes the bytes and what it knows of their origin ([`FeedSource`]).
//!
//! # Layout
//! The parse runs in this order, one module per step:
//! 1. [`charset`]: bytes → UTF-8 text (BOM, HTTP charset, XML declaration, detection);
//! 2. [`repair`]: text → well-formed XML (entities, tags, Atom 0.3, scheduler hints), or
//!    [`json`]: JSON → the JSON Feed shape feed-rs reads;
//! 3. feed-rs, with [`date`] as its timestamp parser;
//! 4. `parse`: feed-rs's model → [`crate::model::Entry`] (links, people, ids), with
//!    [`sanitize`] for HTML and titles.

pub mod charset;
pub mod clean;
mod codepages;
pub mod date;
pub mod json;
pub mod opml;
mod parse;
pub mod repair;
pub mod sanitize;

pub use parse::{parse_feed, FeedSource, ParseError};
