//! Feeds: parsing bytes into [`crate::model::ParsedFeed`], and OPML subscription lists.
//!
//! Owns: charset decoding, markup repair, feed-rs, normalisation of its output (URLs, dates,
//! people, ids), and OPML. Does not know about HTTP, the schedule or the database: the caller
//! passes the bytes and what it knows of their origin ([`FeedSource`]).

pub mod opml;
mod parse;

pub use parse::{parse_feed, FeedSource, ParseError};
