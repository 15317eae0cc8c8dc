//! Integration tests.

// Feed parsing: the fixture corpus (one feed per quirk) and the `rill parse` command.
mod parse_fixtures;
