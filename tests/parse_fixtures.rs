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

#[test]
fn cli_reads_json_feed_with_fetch_address() {
    let out = Command::new(env!("CARGO_BIN_EXE_rill"))
        .args([
            "parse",
            "--url",
            "http://example.com/feeds/main.json",
            "--content-type",
            "application/feed+json",
        ])
        .arg("--json")
        .arg(fixtures_dir().join("jsonfeed_relative_fetch_url.json"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["entries"][0]["link"], "http://example.com/posts/3");
    assert_eq!(v["entries"][0]["enclosures"][0]["url"], "http://example.com/feeds/3.mp3");
}

#[test]
fn cli_exits_1_on_an_unreadable_file_or_bad_url() {
    let good = fixtures_dir().join("rss20_basic.xml").to_string_lossy().into_owned();
    for args in [
        vec!["parse", "--json", "/nonexistent/feed.xml"],
        vec!["parse", "--url", "not a url", "--json", good.as_str()],
    ] {
        let out =
            Command::new(env!("CARGO_BIN_EXE_rill")).args(&args).output().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
}

/// Robustness: arbitrary bytes and mutated valid feeds never panic, repair output stays within
/// a constant factor of its input, and pathological shapes parse in linear time.
mod robustness {
    use super::*;
    use proptest::prelude::*;
    use rill::feed::repair::repair;
    use std::time::{Duration, Instant};

    /// Pieces of markup that mutations splice into valid feeds.
    const TOKENS: &[&str] = &[
        "<",
        ">",
        "&",
        "&amp;",
        "&nbsp;",
        "&#0;",
        "&#x110000;",
        "\"",
        "'",
        "</item>",
        "<item>",
        "</entry>",
        "<entry>",
        "<![CDATA[",
        "]]>",
        "<!--",
        "-->",
        "<!DOCTYPE x [<!ENTITY a \"&a;&a;\">]>",
        "<?xml ",
        "?>",
        "xml:base=\"../\"",
        "<content type=\"xhtml\">",
        "<title>",
        "</title>",
        "\u{0}",
        "\u{feff}",
        "\u{fffe}",
        "<a:b:c>",
        "mode=\"base64\"",
        "{",
        "}",
        "]",
        "\u{e9}",
    ];

    /// Pieces of JSON Feed that are spliced into item lists.
    const JSON_TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"id\"",
        "\"url\"",
        "\"external_url\"",
        "\"attachments\"",
        "\"authors\"",
        "\"author\"",
        "\"tags\"",
        "\"size_in_bytes\"",
        "\"mime_type\"",
        "\"content_html\"",
        "\"date_published\"",
        "\"version\"",
        "\"name\"",
        "1",
        "-1.5e400",
        "18446744073709551616",
        "null",
        "true",
        "\"\"",
        "\"x\"",
        "\"/rel\"",
        "\"<script>x</script>\"",
        "\"\\u0000\"",
        "\"\\ud800\"",
    ];

    fn corpus() -> Vec<Vec<u8>> {
        feed_files().iter().filter_map(|p| std::fs::read(p).ok()).collect()
    }

    #[derive(Debug, Clone)]
    enum Mutation {
        Delete(usize, usize),
        Insert(usize, usize),
        Truncate(usize),
        Duplicate(usize, usize),
        Flip(usize, u8),
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            (any::<usize>(), 0usize..64).prop_map(|(a, n)| Mutation::Delete(a, n)),
            (any::<usize>(), 0..TOKENS.len()).prop_map(|(a, t)| Mutation::Insert(a, t)),
            any::<usize>().prop_map(Mutation::Truncate),
            (any::<usize>(), 0usize..256).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
            (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::Flip(a, b)),
        ]
    }

    fn apply(doc: &mut Vec<u8>, m: &Mutation) {
        let len = doc.len().max(1);
        match *m {
            Mutation::Delete(a, n) => {
                let a = a % len;
                let end = (a + n).min(doc.len());
                if a < end {
                    doc.drain(a..end);
                }
            }
            Mutation::Insert(a, t) => {
                let a = a % (doc.len() + 1);
                let bytes = TOKENS[t].as_bytes();
                doc.splice(a..a, bytes.iter().copied());
            }
            Mutation::Truncate(a) => doc.truncate(a % len),
            Mutation::Duplicate(a, n) => {
                let a = a % len;
                let end = (a + n).min(doc.len());
                if a < end {
                    let piece = doc[a..end].to_vec();
                    doc.splice(a..a, piece);
                }
            }
            Mutation::Flip(a, b) => {
                if !doc.is_empty() {
                    let a = a % doc.len();
                    doc[a] = b;
                }
            }
        }
    }

    fn check_bounded(bytes: &[u8]) {
        let text = String::from_utf8_lossy(bytes);
        let repaired = repair(&text, None);
        // Every input byte becomes at most a short reference; declarations added at the root
        // are a constant.
        assert!(repaired.text.len() <= 8 * text.len() + 2048, "{} -> {}", text.len(), repaired.text.len());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: rill::fuzz_cases(512), ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let base = url::Url::parse("http://example.com/a/").ok();
            let _ = parse_feed(&bytes, &FeedSource { url: base.as_ref(), content_type: Some("text/xml; charset=utf-8") });
            check_bounded(&bytes);
        }

        #[test]
        fn arbitrary_markup_never_panics(parts in proptest::collection::vec(0..TOKENS.len(), 0..200)) {
            let mut doc = String::from("<rss><channel><item>");
            for p in parts {
                doc.push_str(TOKENS[p]);
            }
            let _ = parse_feed(doc.as_bytes(), &FeedSource::default());
            check_bounded(doc.as_bytes());
        }

        #[test]
        fn arbitrary_json_never_panics(parts in proptest::collection::vec(0..JSON_TOKENS.len(), 0..200)) {
            let mut doc = String::from("{\"items\":[");
            for p in parts {
                doc.push_str(JSON_TOKENS[p]);
            }
            let base = url::Url::parse("http://example.com/a/").ok();
            let _ = parse_feed(doc.as_bytes(), &FeedSource { url: base.as_ref(), content_type: None });
        }

        #[test]
        fn mutated_feeds_never_panic(
            which in any::<usize>(),
            mutations in proptest::collection::vec(mutation(), 1..8),
        ) {
            let corpus = corpus();
            prop_assume!(!corpus.is_empty());
            let mut doc = corpus[which % corpus.len()].clone();
            for m in &mutations {
                apply(&mut doc, m);
            }
            let _ = parse_feed(&doc, &FeedSource::default());
            check_bounded(&doc);
        }
    }

    /// Best of five timings of a parse, to dampen noise on a shared machine.
    fn time_parse(doc: &[u8]) -> Duration {
        (0..5)
            .map(|_| {
                let t = Instant::now();
                let _ = parse_feed(doc, &FeedSource::default());
                t.elapsed()
            })
            .min()
            .unwrap_or_default()
    }

    /// A named document generator: size parameter → document.
    type Shape = (&'static str, Box<dyn Fn(usize) -> String>);

    /// Parse time grows linearly: sixteen times the input may cost at most 64 times the time
    /// (generous slack for noise, far below quadratic), for each shape that could trip a
    /// quadratic path.
    #[test]
    fn pathological_shapes_parse_in_linear_time() {
        let shapes: Vec<Shape> = vec![
            ("deep nesting", Box::new(|n| format!("<rss><channel><item><description>{}", "<a>".repeat(n)))),
            ("stray end tags", Box::new(|n| format!("<rss><channel>{}</channel></rss>", "</x>".repeat(n)))),
            ("unclosed elements", Box::new(|n| format!("<rss><channel>{}", "<item><title>t".repeat(n)))),
            (
                "bare ampersands",
                Box::new(|n| format!("<rss><channel><title>{}</title></channel></rss>", "& ".repeat(n))),
            ),
            (
                "entities",
                Box::new(|n| {
                    format!("<rss><channel><title>{}</title></channel></rss>", "&eacute;".repeat(n))
                }),
            ),
            (
                "many attributes",
                Box::new(|n| format!("<rss><channel><item {}/></channel></rss>", "a=1 ".repeat(n))),
            ),
            ("unterminated comment", Box::new(|n| format!("<rss><channel>{}", "<!-- -".repeat(n)))),
            ("unterminated cdata", Box::new(|n| format!("<rss><channel><title>{}", "<![CDATA[ ]".repeat(n)))),
            (
                "many items",
                Box::new(|n| {
                    format!(
                        "<rss><channel>{}</channel></rss>",
                        "<item><title>t</title><link>http://e.com/</link></item>".repeat(n / 8)
                    )
                }),
            ),
            (
                "many JSON items",
                Box::new(|n| {
                    format!(
                        "{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"t\",\"items\":[{}{{}}]}}",
                        "{\"id\":1,\"url\":\"/p\",\"content_text\":\"x\",\"tags\":[\"a\"]},".repeat(n / 8)
                    )
                }),
            ),
            ("deep JSON", Box::new(|n| format!("{{\"items\":{}", "[".repeat(n)))),
            (
                "long date",
                Box::new(|n| {
                    format!(
                        "<rss><channel><item><pubDate>{}</pubDate></item></channel></rss>",
                        "1 ".repeat(n)
                    )
                }),
            ),
        ];
        for (name, make) in shapes {
            // Sixteen times the input: linear costs ~16x, quadratic ~256x. The limit sits far
            // from both so that a loaded machine does not make the test flaky.
            let small = make(2_000);
            let large = make(32_000);
            let (ts, tl) = (time_parse(small.as_bytes()), time_parse(large.as_bytes()));
            let limit = ts * 64 + Duration::from_millis(100);
            assert!(
                tl <= limit,
                "{name}: {ts:?} for {} bytes, {tl:?} for {} bytes",
                small.len(),
                large.len()
            );
            check_bounded(large.as_bytes());
        }
    }

    #[test]
    fn entity_expansion_is_not_performed() {
        let bytes = std::fs::read(fixtures_dir().join("billion_laughs.xml")).unwrap_or_default();
        let feed = parse_feed(&bytes, &FeedSource::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(feed.title.as_deref().is_some_and(|t| t.len() < 64), "{:?}", feed.title);
    }
}
