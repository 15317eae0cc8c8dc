//! OPML subscription lists.
