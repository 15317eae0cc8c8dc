//! Integration tests.

// `rill extract` on saved pages (files, gzip, batch directories).
mod extract;
