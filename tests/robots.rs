//! robots.txt for article pages: disallowed pages are not requested and the article keeps the
//! feed's content; a missing robots.txt allows, a failing one disallows; one robots.txt request
//! per host; feeds are always fetched; `Crawl-delay` spaces page fetches.

use crate::util::*;
use std::time::{Duration, Instant};

const PAGE: &str = "<html><body><article><p>The page's own first paragraph, long enough to be taken as \
     the article text by the extractor.</p><p>And a second paragraph of the page.</p></article></body></html>";

/// A feed at `/feed.xml` whose items link to `paths`, each served as an article page.
fn feed_with_pages(server: &TestServer, paths: &[&str]) {
    let items: Vec<(String, String, String)> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("g{i}"), format!("Story {i}"), server.url(p)))
        .collect();
    let refs: Vec<(&str, &str, &str)> =
        items.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
    server.set("/feed.xml", Route::ok("application/rss+xml", rss(&refs)));
    for p in paths {
        server.set(p, Route::ok("text/html", PAGE));
    }
}

fn pages_config(dir: &std::path::Path) -> rill::config::Config {
    test_config_with(dir, &[("fetch_pages", "true")])
}

/// `(title, content_source)` of every stored article, by title.
fn sources(cfg: &rill::config::Config) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = open_store(cfg)
        .articles_since(0, 100)
        .unwrap()
        .into_iter()
        .map(|r| (r.title.unwrap_or_default(), r.content_source.unwrap_or_default()))
        .collect();
    rows.sort();
    rows
}

#[tokio::test]
async fn a_disallowed_page_is_not_requested_and_the_article_keeps_the_feed_content() {
    let server = TestServer::start().await;
    feed_with_pages(&server, &["/private/a", "/public/b"]);
    server.set(
        "/robots.txt",
        Route::ok("text/plain", "User-agent: *\nDisallow: /\n\nUser-agent: rill\nDisallow: /private/\n"),
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = pages_config(dir.path());
    open_store(&cfg).add_feed(&server.url("/feed.xml"), None).unwrap();
    let s = poll_once(&cfg).await;
    assert_eq!((s.new_articles, s.articles_committed), (2, 2), "{s:?}");
    assert_eq!((s.pages_fetched, s.pages_disallowed, s.pages_failed), (1, 1, 0), "{s:?}");
    assert!(server.hits_for("/private/a").is_empty(), "a disallowed page was requested");
    assert_eq!(server.hits_for("/public/b").len(), 1);
    assert_eq!(sources(&cfg), vec![("Story 0".into(), "feed".into()), ("Story 1".into(), "page".into())]);
    let store = open_store(&cfg);
    let text: String = store
        .conn()
        .query_row("SELECT text FROM articles WHERE title = 'Story 0'", [], |r| r.get(0))
        .unwrap();
    assert!(text.contains("Summary of Story 0"), "{text}");
}

#[tokio::test]
async fn a_missing_robots_txt_allows_everything() {
    let server = TestServer::start().await;
    feed_with_pages(&server, &["/a/1", "/a/2"]);
    let dir = tempfile::tempdir().unwrap();
    let cfg = pages_config(dir.path());
    open_store(&cfg).add_feed(&server.url("/feed.xml"), None).unwrap();
    let s = poll_once(&cfg).await;
    assert_eq!((s.pages_fetched, s.pages_disallowed), (2, 0), "{s:?}");
    let robots = server.hits_for("/robots.txt");
    assert_eq!(robots.len(), 1);
    assert_eq!(robots[0].status, 404);
}

#[tokio::test]
async fn a_failing_robots_txt_disallows_the_host() {
    let server = TestServer::start().await;
    feed_with_pages(&server, &["/a/1", "/a/2", "/a/3"]);
    server.set("/robots.txt", Route::status(500));
    let dir = tempfile::tempdir().unwrap();
    let cfg = pages_config(dir.path());
    open_store(&cfg).add_feed(&server.url("/feed.xml"), None).unwrap();
    let s = poll_once(&cfg).await;
    assert_eq!((s.articles_committed, s.pages_fetched, s.pages_disallowed), (3, 0, 3), "{s:?}");
    for p in ["/a/1", "/a/2", "/a/3"] {
        assert!(server.hits_for(p).is_empty(), "{p} was requested");
    }
    // The error is cached: one request, not one per page.
    assert_eq!(server.hits_for("/robots.txt").len(), 1);
    assert!(sources(&cfg).iter().all(|(_, s)| s == "feed"));
}

#[tokio::test]
async fn robots_txt_is_fetched_once_per_host_for_many_pages() {
    let server = TestServer::start().await;
    let paths: Vec<String> = (0..12).map(|i| format!("/a/{i}")).collect();
    feed_with_pages(&server, &paths.iter().map(String::as_str).collect::<Vec<_>>());
    // Slow, so that every page task asks while the first fetch is under way.
    server.set(
        "/robots.txt",
        Route::ok("text/plain", "User-agent: *\nDisallow: /a/1\n").with_delay(Duration::from_millis(300)),
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = pages_config(dir.path());
    open_store(&cfg).add_feed(&server.url("/feed.xml"), None).unwrap();
    let s = poll_once(&cfg).await;
    // "/a/1" and "/a/10", "/a/11" match the prefix rule.
    assert_eq!((s.pages_fetched, s.pages_disallowed), (9, 3), "{s:?}");
    assert_eq!(server.hits_for("/robots.txt").len(), 1);
}

#[tokio::test]
async fn feeds_are_fetched_even_when_robots_txt_disallows_everything() {
    let server = TestServer::start().await;
    feed_with_pages(&server, &["/a/1"]);
    server.set("/robots.txt", Route::ok("text/plain", "User-agent: *\nDisallow: /\n"));
    let dir = tempfile::tempdir().unwrap();
    let cfg = pages_config(dir.path());
    open_store(&cfg).add_feed(&server.url("/feed.xml"), None).unwrap();
    let s = poll_once(&cfg).await;
    assert_eq!((s.feeds_ok, s.articles_committed, s.pages_disallowed), (1, 1, 1), "{s:?}");
    assert_eq!(server.hits_for("/feed.xml").len(), 1);
    assert!(server.hits_for("/a/1").is_empty());
}

#[tokio::test]
async fn respect_robots_off_neither_asks_nor_obeys() {
    let server = TestServer::start().await;
    feed_with_pages(&server, &["/a/1"]);
    server.set("/robots.txt", Route::ok("text/plain", "User-agent: *\nDisallow: /\n"));
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config_with(dir.path(), &[("fetch_pages", "true"), ("respect_robots", "false")]);
    open_store(&cfg).add_feed(&server.url("/feed.xml"), None).unwrap();
    let s = poll_once(&cfg).await;
    assert_eq!((s.pages_fetched, s.pages_disallowed), (1, 0), "{s:?}");
    assert!(server.hits_for("/robots.txt").is_empty());
}

#[tokio::test]
async fn crawl_delay_spaces_page_fetches_to_the_host() {
    let server = TestServer::start().await;
    feed_with_pages(&server, &["/a/1", "/a/2", "/a/3"]);
    server.set("/robots.txt", Route::ok("text/plain", "User-agent: rill\nCrawl-delay: 0.5\n"));
    let dir = tempfile::tempdir().unwrap();
    let cfg = pages_config(dir.path());
    open_store(&cfg).add_feed(&server.url("/feed.xml"), None).unwrap();
    let started = Instant::now();
    let s = poll_once(&cfg).await;
    assert_eq!(s.pages_fetched, 3, "{s:?}");
    assert!(started.elapsed() >= Duration::from_millis(1000), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_redirect_to_another_site_obeys_that_sites_robots_txt() {
    // The feed's server is a click-tracking proxy: its links redirect to the publisher (another
    // origin), whose robots.txt disallows one section. The proxy's own robots.txt allows all.
    let proxy = TestServer::start().await;
    let publisher = TestServer::start().await;
    publisher.set("/robots.txt", Route::ok("text/plain", "User-agent: *\nDisallow: /members/\n"));
    publisher.set("/members/a", Route::ok("text/html", PAGE));
    publisher.set("/news/b", Route::ok("text/html", PAGE));
    feed_with_pages(&proxy, &["/r/a", "/r/b"]);
    proxy.set("/r/a", Route::status(302).with_header("location", &publisher.url("/members/a")));
    proxy.set("/r/b", Route::status(302).with_header("location", &publisher.url("/news/b")));
    let dir = tempfile::tempdir().unwrap();
    let cfg = pages_config(dir.path());
    open_store(&cfg).add_feed(&proxy.url("/feed.xml"), None).unwrap();
    let s = poll_once(&cfg).await;
    assert_eq!((s.new_articles, s.articles_committed, s.pages_disallowed), (2, 2, 1), "{s:?}");
    assert!(publisher.hits_for("/members/a").is_empty(), "a page disallowed by the publisher was requested");
    assert_eq!(publisher.hits_for("/news/b").len(), 1);
    assert_eq!(publisher.hits_for("/robots.txt").len(), 1);
    assert_eq!(sources(&cfg), vec![("Story 0".into(), "feed".into()), ("Story 1".into(), "page".into())]);
    // The allowed page is stored under the publisher's address (the proxy's is an alias).
    let urls: Vec<String> =
        open_store(&cfg).articles_since(0, 10).unwrap().into_iter().map(|r| r.url).collect();
    assert!(urls.iter().any(|u| u.ends_with("/news/b")), "{urls:?}");
}

#[tokio::test]
async fn a_busy_robots_txt_defers_the_pages_instead_of_disallowing_the_host() {
    let server = TestServer::start().await;
    feed_with_pages(&server, &["/news/a", "/news/b"]);
    // robots.txt answers "busy, come back in a second" once, then "none here" (allow all).
    server.set("/robots.txt", Route::status(429).with_header("Retry-After", "1"));
    let flip = {
        let server = server.clone();
        tokio::spawn(async move {
            for _ in 0..200 {
                if !server.hits_for("/robots.txt").is_empty() {
                    server.set("/robots.txt", Route::status(404));
                    return;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let cfg = pages_config(dir.path());
    open_store(&cfg).add_feed(&server.url("/feed.xml"), None).unwrap();
    let s = poll_once(&cfg).await;
    flip.await.unwrap();
    assert_eq!((s.new_articles, s.pages_fetched, s.pages_disallowed), (2, 2, 0), "{s:?}");
    assert_eq!(sources(&cfg), vec![("Story 0".into(), "page".into()), ("Story 1".into(), "page".into())]);
    let robots = server.hits_for("/robots.txt");
    assert_eq!(robots.len(), 2, "asked again after the Retry-After, and only then");
    assert!(robots[1].at.duration_since(robots[0].at) >= Duration::from_secs(1));
}

#[tokio::test]
async fn a_robots_txt_that_is_always_busy_gives_up_after_a_few_waits() {
    let server = TestServer::start().await;
    feed_with_pages(&server, &["/news/a"]);
    server.set("/robots.txt", Route::status(503).with_header("Retry-After", "0"));
    let dir = tempfile::tempdir().unwrap();
    let cfg = pages_config(dir.path());
    open_store(&cfg).add_feed(&server.url("/feed.xml"), None).unwrap();
    let s = tokio::time::timeout(Duration::from_secs(30), poll_once(&cfg)).await.expect("poll ends");
    assert_eq!((s.new_articles, s.articles_committed), (1, 1), "{s:?}");
    assert!(server.hits_for("/news/a").is_empty(), "the page was fetched without its robots.txt");
    assert_eq!(sources(&cfg), vec![("Story 0".into(), "feed".into())]);
    assert!(server.hits_for("/robots.txt").len() <= 5);
}
