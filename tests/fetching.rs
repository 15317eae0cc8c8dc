//! Polite, hardened fetching: per-host limits, Retry-After, redirects, size and time limits, and
//! the address guard, each observed through the in-process server and the stored feed state.

use crate::util::*;
use rill::store::{FeedRecord, Store};
use std::io::Write;
use std::time::Duration;

fn feed_state(store: &Store, url: &str) -> FeedRecord {
    store.feed_by_url(url).unwrap().unwrap_or_else(|| panic!("no feed {url}"))
}

fn simple_feed(server: &TestServer, path: &str) {
    server.set(
        path,
        Route::ok("application/rss+xml", rss(&[("i1", "Item", &server.url(&format!("{path}/i1")))])),
    );
}

#[tokio::test]
async fn per_host_concurrency_is_never_exceeded() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config_with(dir.path(), &[("per_host_concurrency", "2")]);
    let store = open_store(&cfg);
    for i in 0..8 {
        let path = format!("/slow/{i}.xml");
        server.set(
            &path,
            Route::ok(
                "application/rss+xml",
                rss(&[(&format!("s{i}"), "S", &server.url(&format!("/s/{i}")))]),
            )
            .with_delay(Duration::from_millis(150)),
        );
        store.add_feed(&server.url(&path), None).unwrap();
    }
    let s = poll_once(&cfg).await;
    assert_eq!(s.feeds_ok, 8);
    assert_eq!(server.peak_in_flight(), 2, "the server saw {} requests at once", server.peak_in_flight());
}

#[tokio::test]
async fn retry_after_is_honoured_for_the_host_also_by_the_next_process() {
    let server = TestServer::start().await;
    server.set("/limited.xml", Route::status(429).with_header("retry-after", "3600"));
    simple_feed(&server, "/other.xml");
    let dir = tempfile::tempdir().unwrap();
    // One request at a time to the host, so the 429 arrives before the second feed is tried.
    let cfg = test_config_with(dir.path(), &[("per_host_concurrency", "1")]);
    let store = open_store(&cfg);
    store.add_feed(&server.url("/limited.xml"), None).unwrap();
    store.add_feed(&server.url("/other.xml"), None).unwrap();
    let s = poll_once(&cfg).await;
    // The limited feed failed; the other one on that host was put off, not failed.
    assert_eq!((s.feeds_failed, s.deferred), (1, 1), "{s:?}");
    assert_eq!(
        server.hits().len(),
        1,
        "a request went to the host after its Retry-After: {:?}",
        server.hits()
    );
    let f = feed_state(&store, &server.url("/limited.xml"));
    assert_eq!(f.last_status, Some(429));
    let until = f.retry_after_until.unwrap();
    assert!(until > chrono::Utc::now() + chrono::Duration::minutes(59));
    assert!(f.next_poll_at.unwrap() >= until);
    let other = feed_state(&store, &server.url("/other.xml"));
    assert_eq!(other.error_count, 0);
    assert!(other.next_poll_at.unwrap() >= until, "the other feed waits for the host too");

    // A new run (another process would be the same) sends nothing to that host.
    server.clear_hits();
    poll_once(&cfg).await;
    assert!(server.hits_for("/limited.xml").is_empty());
}

#[tokio::test]
async fn permanent_redirect_updates_the_feed_url_temporary_keeps_it() {
    let server = TestServer::start().await;
    simple_feed(&server, "/new.xml");
    server.set("/old.xml", Route::status(301).with_header("location", "/new.xml"));
    simple_feed(&server, "/target.xml");
    server.set("/temp.xml", Route::status(302).with_header("location", "/target.xml"));
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config(dir.path(), false);
    let store = open_store(&cfg);
    store.add_feed(&server.url("/old.xml"), None).unwrap();
    store.add_feed(&server.url("/temp.xml"), None).unwrap();
    let s = poll_once(&cfg).await;
    assert_eq!(s.feeds_ok, 2, "{s:?}");
    let urls: Vec<String> = store.list_feeds().unwrap().into_iter().map(|f| f.url).collect();
    assert!(urls.contains(&server.url("/new.xml")), "{urls:?}");
    assert!(urls.contains(&server.url("/temp.xml")), "{urls:?}");
    assert!(!urls.contains(&server.url("/old.xml")), "{urls:?}");
}

#[tokio::test]
async fn redirect_loops_and_long_chains_are_errors() {
    let server = TestServer::start().await;
    server.set("/loop1", Route::status(302).with_header("location", "/loop2"));
    server.set("/loop2", Route::status(302).with_header("location", "/loop1"));
    for i in 0..10 {
        server.set(
            &format!("/chain{i}"),
            Route::status(307).with_header("location", &format!("/chain{}", i + 1)),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config(dir.path(), false);
    let store = open_store(&cfg);
    store.add_feed(&server.url("/loop1"), None).unwrap();
    store.add_feed(&server.url("/chain0"), None).unwrap();
    let s = poll_once(&cfg).await;
    assert_eq!(s.feeds_failed, 2);
    let err = |p: &str| feed_state(&store, &server.url(p)).last_error.unwrap();
    assert!(err("/loop1").contains("redirect loop"), "{}", err("/loop1"));
    assert!(err("/chain0").contains("more than 5 redirects"), "{}", err("/chain0"));
    assert!(server.hits().len() <= 2 + 6, "{} requests", server.hits().len());
}

#[tokio::test]
async fn a_gzip_bomb_is_cut_off_at_the_decompressed_limit() {
    let server = TestServer::start().await;
    // 64 MiB of zeros compress to ~64 KiB.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        gz.write_all(&zeros).unwrap();
    }
    let bomb = gz.finish().unwrap();
    assert!(bomb.len() < 1 << 20);
    let mut route = Route::ok("application/rss+xml", bomb);
    route.headers.push(("content-encoding".into(), "gzip".into()));
    server.set("/bomb.xml", route);
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config_with(dir.path(), &[("max_feed_bytes", "\"1MiB\"")]);
    let store = open_store(&cfg);
    store.add_feed(&server.url("/bomb.xml"), None).unwrap();
    assert_eq!(poll_once(&cfg).await.feeds_failed, 1);
    let e = feed_state(&store, &server.url("/bomb.xml")).last_error.unwrap();
    assert!(e.contains("larger than the limit of 1048576 bytes"), "{e}");
}

#[tokio::test]
async fn an_endless_body_is_cut_off_and_a_slow_drip_times_out() {
    let server = TestServer::start().await;
    server.set("/endless.xml", Route::endless("application/rss+xml", &[b'x'; 16384], Duration::ZERO));
    server.set("/drip.xml", Route::endless("application/rss+xml", b"<", Duration::from_millis(100)));
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config_with(dir.path(), &[("max_feed_bytes", "\"2MiB\""), ("timeout", "\"1s\"")]);
    let store = open_store(&cfg);
    store.add_feed(&server.url("/endless.xml"), None).unwrap();
    store.add_feed(&server.url("/drip.xml"), None).unwrap();
    let started = std::time::Instant::now();
    assert_eq!(poll_once(&cfg).await.feeds_failed, 2);
    assert!(started.elapsed() < Duration::from_secs(8));
    let e = feed_state(&store, &server.url("/endless.xml")).last_error.unwrap();
    assert!(e.contains("larger than the limit"), "{e}");
    let e = feed_state(&store, &server.url("/drip.xml")).last_error.unwrap();
    assert!(e.contains("timed out"), "{e}");
}

#[tokio::test]
async fn the_address_guard_refuses_loopback_and_metadata_addresses_by_default() {
    let server = TestServer::start().await;
    simple_feed(&server, "/feed.xml");
    let dir = tempfile::tempdir().unwrap();
    // The guard is on unless the config switches it off.
    let cfg = test_config_with(dir.path(), &[("allow_private_addresses", "false")]);
    let store = open_store(&cfg);
    store.add_feed(&server.url("/feed.xml"), None).unwrap();
    store.add_feed("http://169.254.169.254/latest/meta-data/", None).unwrap();
    store.add_feed("http://[::1]:9/feed", None).unwrap();
    store.add_feed(&format!("http://localhost:{}/feed.xml", server.addr.port()), None).unwrap();
    let s = poll_once(&cfg).await;
    assert_eq!((s.feeds_ok, s.feeds_failed), (0, 4), "{s:?}");
    assert!(server.hits().is_empty(), "a request reached the loopback server");
    for f in store.list_feeds().unwrap() {
        let e = f.last_error.unwrap();
        assert!(e.contains("non-public address"), "{}: {e}", f.url);
    }
}

#[tokio::test]
async fn a_redirect_from_a_public_looking_url_to_loopback_is_refused() {
    // The test server plays an HTTP proxy, so that `http://news.example.com/...` (a public-looking
    // name that never reaches DNS) answers: with a redirect to the loopback server itself, to the
    // cloud metadata address, and to `localhost`. The guard is on.
    let server = TestServer::start().await;
    let port = server.addr.port();
    simple_feed(&server, "/secret.xml");
    server.set("/to-loopback.xml", Route::status(302).with_header("location", &server.url("/secret.xml")));
    server.set(
        "/to-metadata.xml",
        Route::status(301).with_header("location", "http://169.254.169.254/latest/meta-data/"),
    );
    server.set(
        "/to-localhost.xml",
        Route::status(307).with_header("location", &format!("http://localhost:{port}/secret.xml")),
    );
    server.set(
        "/to-ipv6.xml",
        Route::status(308).with_header("location", &format!("http://[::1]:{port}/secret.xml")),
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config_with(dir.path(), &[("allow_private_addresses", "false")]);
    let store = open_store(&cfg);
    let via_proxy = rill::fetch::RequestSettings { proxy: Some(server.url("/")), ..Default::default() };
    let paths = ["/to-loopback.xml", "/to-metadata.xml", "/to-localhost.xml", "/to-ipv6.xml"];
    for p in paths {
        store.add_feed_with(&format!("http://news.example.com{p}"), None, Some(&via_proxy)).unwrap();
    }
    let s = poll_once(&cfg).await;
    assert_eq!((s.feeds_ok, s.feeds_failed, s.new_articles), (0, 4, 0), "{s:?}");
    // Each public-looking URL was asked for once (through the proxy); the loopback target never.
    for p in paths {
        assert_eq!(server.hits_for(p).len(), 1, "{p}");
    }
    assert!(server.hits_for("/secret.xml").is_empty(), "a redirect reached the loopback target");
    for f in store.list_feeds().unwrap() {
        let e = f.last_error.unwrap();
        assert!(e.contains("non-public address"), "{}: {e}", f.url);
        // The feed keeps its URL: a refused permanent redirect moves nothing.
        assert!(f.url.starts_with("http://news.example.com/"), "{}", f.url);
    }
    assert_eq!(article_counts(&store).0, 0);
}

#[tokio::test]
async fn a_feed_that_does_not_parse_backs_off_and_recovers() {
    let server = TestServer::start().await;
    server.set(
        "/flaky.xml",
        Route::ok(
            "application/rss+xml",
            "<html><body><h1>Service temporarily unavailable</h1></body></html>",
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config(dir.path(), false);
    let store = open_store(&cfg);
    store.add_feed(&server.url("/flaky.xml"), None).unwrap();
    poll_once(&cfg).await;
    let first = feed_state(&store, &server.url("/flaky.xml"));
    poll_once(&cfg).await;
    let second = feed_state(&store, &server.url("/flaky.xml"));
    assert_eq!((first.error_count, second.error_count), (1, 2));
    let wait = |f: &FeedRecord| f.next_poll_at.unwrap() - f.last_fetch_at.unwrap();
    assert!(wait(&second) > wait(&first), "backoff grows");
    simple_feed(&server, "/flaky.xml");
    poll_once(&cfg).await;
    let ok = feed_state(&store, &server.url("/flaky.xml"));
    assert_eq!((ok.error_count, ok.state.as_str()), (0, "ok"));
    assert!(ok.last_error.is_none());
}

#[tokio::test]
async fn another_feeds_retry_after_defers_a_feed_without_failing_it() {
    let server = TestServer::start().await;
    server.set("/busy.xml", Route::status(429).with_header("Retry-After", "1"));
    server.set("/ok.xml", Route::ok("application/rss+xml", rss(&[("o1", "Fine", &server.url("/a/1"))])));
    let dir = tempfile::tempdir().unwrap();
    // One request at a time to the host: the 429 arrives before the second feed's turn.
    let cfg = test_config_with(dir.path(), &[("per_host_concurrency", "1")]);
    let store = open_store(&cfg);
    store.add_feed(&server.url("/busy.xml"), None).unwrap();
    store.add_feed(&server.url("/ok.xml"), None).unwrap();
    let s = poll_once(&cfg).await;
    // The pass waits out the Retry-After and then polls the deferred feed: it is not failed,
    // and it was not requested before the host allowed it.
    assert_eq!((s.feeds_failed, s.feeds_ok, s.deferred), (1, 1, 1), "{s:?}");
    let busy = server.hits_for("/busy.xml");
    let ok_hits = server.hits_for("/ok.xml");
    assert_eq!((busy.len(), ok_hits.len()), (1, 1));
    assert!(
        ok_hits[0].at.duration_since(busy[0].at) >= std::time::Duration::from_secs(1),
        "a request before the Retry-After"
    );
    let ok = feed_state(&store, &server.url("/ok.xml"));
    assert_eq!((ok.error_count, ok.state.as_str()), (0, "ok"), "deferred, not failed");
    assert!(ok.last_error.is_none());
    assert_eq!(store.article_count().unwrap(), 1);
}

#[tokio::test]
async fn per_feed_settings_override_the_global_ones_for_that_feed_only() {
    let server = TestServer::start().await;
    let page = "<html><body><article><p>A page long enough to be taken as the article body, with \
                a second sentence for good measure.</p></article></body></html>";
    for path in ["/a.xml", "/b.xml"] {
        server.set(
            path,
            Route::ok("application/rss+xml", rss(&[("i1", "Item", &server.url(&format!("{path}/i1")))])),
        );
        server.set(&format!("{path}/i1"), Route::ok("text/html", page));
    }
    // Slow for its own short timeout, fine for the global one.
    server.set(
        "/slow.xml",
        Route::ok("application/rss+xml", rss(&[("s1", "Slow", &server.url("/slow/s1"))]))
            .with_delay(Duration::from_millis(600)),
    );
    server.set("/big.xml", Route::ok("application/rss+xml", rss(&[("g1", "Big", &server.url("/big/g1"))])));
    let dir = tempfile::tempdir().unwrap();
    let mut toml = config_toml_with(dir.path(), &[("fetch_pages", "true"), ("respect_robots", "false")]);
    toml.push_str(&format!(
        "[[feed]]\nurl = {:?}\nfetch_pages = false\nmin_interval = \"2h\"\nmax_interval = \"3h\"\n\
         [[feed]]\nurl = {:?}\ntimeout = \"200ms\"\n\
         [[feed]]\nurl = {:?}\nmax_feed_bytes = 64\n\
         [[feed]]\nurl = {:?}\n",
        server.url("/a.xml"),
        server.url("/slow.xml"),
        server.url("/big.xml"),
        server.url("/b.xml"),
    ));
    let cfg = rill::config::Config::from_toml(&toml, None).unwrap();
    let s = poll_once(&cfg).await;
    assert_eq!((s.feeds_ok, s.feeds_failed), (2, 2), "{s:?}");
    // Feed a: its page is not fetched (its own fetch_pages = false); feed b's is.
    assert!(server.hits_for("/a.xml/i1").is_empty());
    assert_eq!(server.hits_for("/b.xml/i1").len(), 1);
    let store = open_store(&cfg);
    let a = feed_state(&store, &server.url("/a.xml"));
    let wait = a.next_poll_at.unwrap() - a.last_fetch_at.unwrap();
    assert!(wait >= chrono::Duration::hours(2) && wait <= chrono::Duration::hours(3), "{wait:?}");
    let b = feed_state(&store, &server.url("/b.xml"));
    assert!(b.next_poll_at.unwrap() - b.last_fetch_at.unwrap() < chrono::Duration::hours(2));
    let slow = feed_state(&store, &server.url("/slow.xml")).last_error.unwrap();
    assert!(slow.contains("timed out"), "{slow}");
    let big = feed_state(&store, &server.url("/big.xml")).last_error.unwrap();
    assert!(big.contains("64"), "{big}");
}
