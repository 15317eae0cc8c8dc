//! Hostile input: what strangers' feeds, pages and links can throw at rill. Each case must end
//! with a result or a clean error, in bounded time and memory, never a panic; the big shapes of
//! feeds and pages are cut off by the fetcher's size limits before they reach the parsers
//! (tests/fetching.rs), so here the pure stages get the worst that fits under those limits.

use crate::util::*;
use rill::feed::{parse_feed, FeedSource};
use std::time::{Duration, Instant};

fn parse(
    bytes: &[u8],
    content_type: Option<&str>,
) -> Result<rill::model::ParsedFeed, rill::feed::ParseError> {
    parse_feed(bytes, &FeedSource { url: None, content_type })
}

#[test]
fn external_entities_are_never_resolved() {
    let xxe = br#"<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY leak SYSTEM "file:///etc/passwd"><!ENTITY net SYSTEM "http://169.254.169.254/latest/meta-data/">]>
<rss version="2.0"><channel><title>T &leak;</title>
<item><guid>1</guid><title>&net;</title><description>&leak;</description></item></channel></rss>"#;
    if let Ok(feed) = parse(xxe, None) {
        let all = serde_json::to_string(&feed).unwrap();
        assert!(!all.contains("root:"), "a local file leaked into the feed: {all}");
        assert!(!all.contains("ami-id"), "{all}");
    }
}

#[test]
fn a_feed_of_another_format_under_the_wrong_content_type_still_parses() {
    let json = json_feed(&[("1", "From JSON", "https://example.org/j")]);
    let feed = parse(json.as_bytes(), Some("application/rss+xml")).unwrap();
    assert_eq!(feed.entries[0].title.as_deref(), Some("From JSON"));
    let xml = rss(&[("1", "From RSS", "https://example.org/r")]);
    let feed = parse(xml.as_bytes(), Some("application/json")).unwrap();
    assert_eq!(feed.entries[0].title.as_deref(), Some("From RSS"));
    let atom = atom(&[("1", "From Atom", "https://example.org/a")]);
    let feed = parse(atom.as_bytes(), Some("text/html; charset=utf-8")).unwrap();
    assert_eq!(feed.entries[0].title.as_deref(), Some("From Atom"));
}

#[test]
fn invalid_utf8_is_replaced_not_fatal() {
    let mut bytes = rss(&[("1", "Caf\u{e9} \u{2013} news", "https://example.org/x")]).into_bytes();
    let at = bytes.len() / 2;
    bytes.splice(at..at, [0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]);
    // Either it parses (the bad bytes replaced) or it is a clean error: never a panic.
    let _ = parse(&bytes, Some("application/rss+xml; charset=utf-8"));
}

#[test]
fn the_largest_feed_the_fetcher_lets_through_parses_in_bounded_time() {
    // 16 MiB is the default max_feed_bytes: one element of that size, and as many entries as
    // fit. A debug build (the default test run) takes a quarter of each; `scripts/faults.sh`
    // runs the release build at full size.
    let n = if cfg!(debug_assertions) { 50_000 } else { 200_000 };
    let one = format!(
        "<rss version=\"2.0\"><channel><title>{}</title></channel></rss>",
        "a".repeat((16 << 20) / (200_000 / n))
    );
    let many = format!(
        "<rss version=\"2.0\"><channel>{}</channel></rss>",
        (0..n)
            .map(|i| format!("<item><guid>{i}</guid><link>https://e.org/{i}</link></item>"))
            .collect::<String>()
    );
    for (name, doc) in [("one huge element", one), ("many entries", many)] {
        let started = Instant::now();
        let result = parse(doc.as_bytes(), None);
        let limit = Duration::from_secs(if cfg!(debug_assertions) { 120 } else { 10 });
        assert!(started.elapsed() < limit, "{name}: {:?}", started.elapsed());
        if name == "many entries" {
            assert_eq!(result.unwrap().entries.len(), n);
        }
    }
}

#[test]
fn pages_without_an_article_fall_back_to_the_feed() {
    let entry = rill::model::Entry {
        id: "1".into(),
        link: Some("https://example.org/a".into()),
        title: Some("Title".into()),
        content: Some("<p>The feed's own text of the article, which is what remains.</p>".into()),
        ..Default::default()
    };
    // A debug build (the default test run) takes a quarter of the 10 MB line.
    let line_len = if cfg!(debug_assertions) { 10 << 18 } else { 10 << 20 };
    let line = format!("<html><body><p>{}</p></body></html>", "x".repeat(line_len));
    let pages = [
        "<html><head><title>t</title></head></html>".to_string(), // no body
        format!("<html><body>{}</body></html>", "<script>var a = 1;</script>".repeat(10_000)), // only scripts
        line,                                                     // one 10 MB line
        "<div>".repeat(50_000),                                   // 50,000 nested divs
        String::new(),
    ];
    for page in pages {
        let url = url::Url::parse("https://example.org/a").unwrap();
        let from_page = rill::extract::extract_article(page.as_bytes(), Some(&url), Some(&entry));
        let article = rill::extract::choose_article(Some(from_page), &entry);
        assert!(!article.text.is_empty());
        assert!(!article.text.contains("var a"), "script text leaked");
    }
}

#[tokio::test]
async fn hostile_article_links_are_never_requested_and_the_entry_is_kept() {
    let server = TestServer::start().await;
    let links = [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,<p>hi</p>",
        "ftp://example.org/a",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9/a",
    ];
    let items: Vec<(String, String, String)> = links
        .iter()
        .enumerate()
        .map(|(i, l)| (format!("g{i}"), format!("Item {i}"), l.to_string()))
        .collect();
    let refs: Vec<(&str, &str, &str)> =
        items.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
    server.set("/f.xml", Route::ok("application/rss+xml", rss(&refs)));
    let dir = tempfile::tempdir().unwrap();
    // Pages on; the guard is off only so the loopback test server's feed can be read: schemes
    // other than http(s) stay refused whatever the flag.
    let cfg = test_config_with(dir.path(), &[("fetch_pages", "true"), ("timeout", "\"2s\"")]);
    let store = open_store(&cfg);
    store.add_feed(&server.url("/f.xml"), None).unwrap();
    let s = poll_once(&cfg).await;
    assert_eq!(s.feeds_ok, 1, "{s:?}");
    assert_eq!(store.article_count().unwrap(), links.len() as u64, "every entry kept, from the feed");
    assert_eq!(server.hits().len(), 1, "only the feed was requested: {:?}", server.hits());

    // With the guard on (the default), metadata and loopback links are refused before connecting.
    let fetcher = rill::fetch::Fetcher::new(&rill::config::Config::default().fetch).unwrap();
    for link in [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:9/",
        "http://[::1]:9/",
        "http://localhost:9/",
    ] {
        let url = url::Url::parse(link).unwrap();
        let req = rill::fetch::FetchRequest {
            url: &url,
            etag: None,
            last_modified: None,
            max_bytes: 1024,
            accept: rill::fetch::ACCEPT_PAGE,
            settings: None,
            stop_at_other_origin: false,
        };
        let err = fetcher.fetch(&req).await.unwrap_err().to_string();
        assert!(err.contains("non-public address"), "{link}: {err}");
    }
}
