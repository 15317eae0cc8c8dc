//! The feed-parsing fixture corpus: one saved feed per quirk under `tests/fixtures/feeds/`, each
//! with the JSON `rill parse` must print for it (`NAME.expected.json`).
//!
//! A `NAME.meta` beside a feed gives what the fetcher would know (`url=…`, `content_type=…`),
//! or the single word `error` for a document that must be refused with an error. Run with
//! `RILL_BLESS=1` to (re)write the expected files after a deliberate change, then review the diff.

use rill::commands::parse::feed_json;
use rill::feed::{parse_feed, FeedSource};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds")
}

struct Meta {
    url: Option<url::Url>,
    content_type: Option<String>,
    error: bool,
}

fn read_meta(feed: &Path) -> Meta {
    let mut meta = Meta { url: None, content_type: None, error: false };
    let Ok(text) = std::fs::read_to_string(feed.with_extension("meta")) else { return meta };
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.split_once('=') {
            Some(("url", v)) => meta.url = url::Url::parse(v).ok(),
            Some(("content_type", v)) => meta.content_type = Some(v.to_string()),
            None if line == "error" => meta.error = true,
            _ => panic!("{}: unknown meta line {line:?}", feed.display()),
        }
    }
    meta
}

fn feed_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        !name.ends_with(".meta") && !name.ends_with(".expected.json")
    });
    files.sort();
    files
}

fn expected_path(feed: &Path) -> PathBuf {
    let stem = feed.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    feed.with_file_name(format!("{stem}.expected.json"))
}

#[test]
fn every_fixture_parses_as_expected() {
    let bless = std::env::var_os("RILL_BLESS").is_some();
    let files = feed_files();
    assert!(files.len() >= 30, "fixture corpus went missing: {} files", files.len());
    let mut failures = Vec::new();
    for feed in &files {
        let bytes = std::fs::read(feed).unwrap_or_default();
        let meta = read_meta(feed);
        let source = FeedSource { url: meta.url.as_ref(), content_type: meta.content_type.as_deref() };
        let result = parse_feed(&bytes, &source);
        if meta.error {
            if let Ok(f) = result {
                failures.push(format!(
                    "{}: expected an error, got {} entries",
                    feed.display(),
                    f.entries.len()
                ));
            }
            continue;
        }
        let got = match result {
            Ok(f) => feed_json(&f),
            Err(e) => {
                failures.push(format!("{}: {e}", feed.display()));
                continue;
            }
        };
        let expected_file = expected_path(feed);
        if bless {
            let text = serde_json::to_string_pretty(&got).unwrap_or_default() + "\n";
            std::fs::write(&expected_file, text)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_file.display()));
            continue;
        }
        let expected: serde_json::Value = match std::fs::read_to_string(&expected_file) {
            Ok(t) => serde_json::from_str(&t).unwrap_or_else(|e| panic!("{}: {e}", expected_file.display())),
            Err(_) => {
                failures.push(format!("{}: no expected file", expected_file.display()));
                continue;
            }
        };
        if got != expected {
            failures.push(format!(
                "{}:\n--- expected\n{}\n--- got\n{}",
                feed.display(),
                serde_json::to_string_pretty(&expected).unwrap_or_default(),
                serde_json::to_string_pretty(&got).unwrap_or_default()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

#[test]
fn hints_reach_the_scheduler() {
    let bytes = std::fs::read(fixtures_dir().join("hints.xml")).unwrap_or_default();
    let feed = parse_feed(&bytes, &FeedSource::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(feed.hints.ttl_minutes, Some(90));
    assert_eq!(feed.hints.update_interval_secs, Some(1800));
    assert_eq!(feed.hints.skip_hours, vec![1, 2]);
    assert_eq!(feed.hints.skip_days, vec![6]);
}

#[test]
fn cli_prints_json_for_a_feed() {
    let out = Command::new(env!("CARGO_BIN_EXE_rill"))
        .args(["parse", "--url", "http://example.com/blog/feed.xml", "--json"])
        .arg(fixtures_dir().join("relative_feed_url.xml"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["entries"][0]["link"], "http://example.com/blog/posts/1.html");
}

#[test]
fn cli_exits_1_with_one_line_on_a_bad_feed() {
    let out = Command::new(env!("CARGO_BIN_EXE_rill"))
        .args(["parse", "--json"])
        .arg(fixtures_dir().join("not_a_feed.html"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("not a feed"), "{err}");
    assert!(out.stdout.is_empty());
}
