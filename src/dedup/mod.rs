//! Article identity: canonical URLs, content fingerprints and story grouping.
//!
//! Owns: the rules that decide whether two entries are the same article, and whether two
//! articles are the same story. Pure functions; the store enforces the resulting keys with
//! unique indexes, so this module is a speed-up and a policy, never the last line of defence.

mod canonical;

pub use canonical::{
    canonicalize_url, prefer_page_canonical, registrable_domain, CanonError, CanonOptions,
    DEFAULT_TRACKING_PARAMS,
};
