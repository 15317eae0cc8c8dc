//! Integration tests: one binary, one module per area. Every test runs against an in-process
//! HTTP server on 127.0.0.1 and a temporary database; none reaches the internet.

// Shared helpers: the test server, feed builders, configs.
mod util;

// The foundation (issue 3): poll, identity, conditional GET, cross-feed links, CLI errors.
mod pipeline;

// Fetching: politeness, Retry-After, redirects, limits, the address guard.
mod fetching;

// robots.txt for article pages (feeds exempt), its cache and Crawl-delay.
mod robots;

// `rill feed add` with feed discovery (page links, usual paths, errors).
mod discover;

// The docs: SQL examples in docs/schema.md run against a real database.
mod docs;

// Processes: SIGKILL during ingest, `tail --follow` beside a writer.
mod processes;

// The HTTP API: /healthz, /metrics, /events.
mod api;

// Faults: server failures, a locked database, a full disk.
mod faults;

// Hostile input: entity tricks, wrong formats, huge shapes, hostile links.
mod hostile;

// `rill extract` on saved pages (files, gzip, batch directories).
mod extract;

// Feed parsing: the fixture corpus (one feed per quirk) and the `rill parse` command.
mod parse_fixtures;
