//! The pipeline end to end: what a poll stores, what a second poll does, identity across feeds.

use crate::util::*;
use rill::store::Store;

fn setup_three_feeds(server: &TestServer) {
    let l = |p: &str| server.url(p);
    server.set(
        "/rss.xml",
        Route::ok(
            "application/rss+xml",
            rss(&[
                ("r1", "R one", &l("/a/r1")),
                ("r2", "R two", &l("/a/r2")),
                ("r3", "R three", &l("/a/r3")),
            ]),
        )
        .with_etag("\"rss-v1\""),
    );
    server.set(
        "/atom.xml",
        Route::ok(
            "application/atom+xml",
            atom(&[("urn:a1", "A one", &l("/a/a1")), ("urn:a2", "A two", &l("/a/a2"))]),
        )
        .with_etag("\"atom-v1\""),
    );
    server.set(
        "/feed.json",
        Route::ok(
            "application/feed+json",
            json_feed(&[("j1", "J one", &l("/a/j1")), ("j2", "J two", &l("/a/j2"))]),
        )
        .with_etag("\"json-v1\""),
    );
}

fn subscribe(store: &Store, server: &TestServer, paths: &[&str]) {
    for p in paths {
        store.add_feed(&server.url(p), None).unwrap();
    }
}

#[tokio::test]
async fn first_poll_stores_each_distinct_entry_once_and_second_poll_gets_304s() {
    let server = TestServer::start().await;
    setup_three_feeds(&server);
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config(dir.path(), false);
    subscribe(&open_store(&cfg), &server, &["/rss.xml", "/atom.xml", "/feed.json"]);

    let s1 = poll_once(&cfg).await;
    assert_eq!((s1.feeds_ok, s1.feeds_failed, s1.new_articles), (3, 0, 7), "{s1:?}");
    let store = open_store(&cfg);
    assert_eq!(article_counts(&store), (7, 7, 7));
    let rows = store.articles_since(0, 100).unwrap();
    let seqs: Vec<i64> = rows.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, (1..=7).collect::<Vec<_>>(), "seq is dense and ordered on a fresh database");
    assert!(rows.iter().all(|r| r.feeds.len() == 1 && r.title.is_some()));
    let json_row = rows.iter().find(|r| r.title.as_deref() == Some("J one")).unwrap();
    assert_eq!(json_row.text.as_deref().map(|t| t.contains("Content of J one")), Some(true));

    // Full-text search finds the stored text, ranked, with the match highlighted.
    let hits = store.search("\"Content of J one\"", None, None, 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert!(hits[0].snippet.contains("[Content of J one]"), "{}", hits[0].snippet);
    assert_eq!(
        store.search("U.S. \"unbalanced", None, None, 10).unwrap().len(),
        0,
        "bad syntax is not an error"
    );
    let stats = store.stats().unwrap();
    assert_eq!((stats.articles, stats.pending, stats.feeds.clone()), (7, 0, vec![("ok".to_string(), 3)]));

    server.clear_hits();
    let s2 = poll_once(&cfg).await;
    assert_eq!((s2.not_modified, s2.new_articles), (3, 0), "{s2:?}");
    for p in ["/rss.xml", "/atom.xml", "/feed.json"] {
        let hits = server.hits_for(p);
        assert_eq!(hits.len(), 1);
        assert!(hits[0].if_none_match.is_some(), "{p} was fetched without If-None-Match");
        assert_eq!(hits[0].status, 304);
    }
    assert_eq!(store.last_seq().unwrap(), 7, "a 304 stores no article");
}

#[tokio::test]
async fn a_feed_that_adds_two_entries_yields_exactly_two_new_rows_with_higher_seq() {
    let server = TestServer::start().await;
    setup_three_feeds(&server);
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config(dir.path(), false);
    subscribe(&open_store(&cfg), &server, &["/rss.xml", "/atom.xml", "/feed.json"]);
    poll_once(&cfg).await;
    let store = open_store(&cfg);
    let before = store.last_seq().unwrap();

    let l = |p: &str| server.url(p);
    server.set(
        "/rss.xml",
        Route::ok(
            "application/rss+xml",
            rss(&[
                ("r5", "R five", &l("/a/r5")),
                ("r4", "R four", &l("/a/r4")),
                ("r1", "R one", &l("/a/r1")),
                ("r2", "R two", &l("/a/r2")),
                ("r3", "R three", &l("/a/r3")),
            ]),
        )
        .with_etag("\"rss-v2\""),
    );
    let s = poll_once(&cfg).await;
    assert_eq!(s.new_articles, 2, "{s:?}");
    let new_rows = store.articles_since(before, 100).unwrap();
    let mut titles: Vec<_> = new_rows.iter().filter_map(|r| r.title.clone()).collect();
    titles.sort();
    assert_eq!(titles, vec!["R five", "R four"]);
    assert!(new_rows.iter().all(|r| r.seq > before));
    assert_eq!(article_counts(&store).0, 9);
}

#[tokio::test]
async fn the_same_link_in_two_feeds_is_one_article_linked_to_both() {
    let server = TestServer::start().await;
    let shared = server.url("/a/shared");
    // The second feed carries the same link with a tracking parameter and a fragment.
    let tracked = format!("{shared}?utm_source=feed2#comments");
    server.set("/one.xml", Route::ok("application/rss+xml", rss(&[("x1", "Shared story", &shared)])));
    server.set(
        "/two.xml",
        Route::ok("application/atom+xml", atom(&[("urn:y1", "Shared story again", &tracked)])),
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config(dir.path(), false);
    subscribe(&open_store(&cfg), &server, &["/one.xml", "/two.xml"]);

    poll_once(&cfg).await;
    let store = open_store(&cfg);
    let rows = store.articles_since(0, 10).unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    let mut feeds = rows[0].feeds.clone();
    feeds.sort();
    assert_eq!(feeds, vec![server.url("/one.xml"), server.url("/two.xml")]);

    // And again after a restart: still one.
    poll_once(&cfg).await;
    assert_eq!(article_counts(&store), (1, 1, 1));
}

#[tokio::test]
async fn a_server_that_ignores_conditional_get_costs_no_parse_when_the_body_is_unchanged() {
    let server = TestServer::start().await;
    // No ETag, no Last-Modified: every poll gets the full body.
    server.set("/plain.xml", Route::ok("application/rss+xml", rss(&[("p1", "P one", &server.url("/a/p1"))])));
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config(dir.path(), false);
    subscribe(&open_store(&cfg), &server, &["/plain.xml"]);
    assert_eq!(poll_once(&cfg).await.new_articles, 1);
    let s = poll_once(&cfg).await;
    assert_eq!((s.unchanged, s.new_articles), (1, 0), "{s:?}");
}

#[tokio::test]
async fn failing_feeds_are_recorded_and_others_keep_flowing() {
    let server = TestServer::start().await;
    server.set("/good.xml", Route::ok("application/rss+xml", rss(&[("g1", "Good", &server.url("/a/g1"))])));
    server
        .set("/broken.xml", Route::ok("application/rss+xml", "<html><body>this is not a feed</body></html>"));
    server.set("/error.xml", Route::status(500));
    server.set("/gone.xml", Route::status(410));
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config(dir.path(), false);
    let store = open_store(&cfg);
    subscribe(&store, &server, &["/good.xml", "/broken.xml", "/error.xml", "/gone.xml"]);

    let s = poll_once(&cfg).await;
    assert_eq!((s.feeds_ok, s.feeds_failed, s.new_articles), (1, 3, 1), "{s:?}");
    let feeds = store.list_feeds().unwrap();
    let by = |p: &str| feeds.iter().find(|f| f.url == server.url(p)).unwrap().clone();
    assert_eq!(by("/broken.xml").state.as_str(), "failing");
    assert!(by("/broken.xml").last_error.is_some());
    assert_eq!(by("/error.xml").last_status, Some(500));
    assert_eq!(by("/error.xml").error_count, 1);
    assert_eq!(by("/gone.xml").state.as_str(), "gone");
    assert!(by("/good.xml").last_error.is_none());
    assert!(by("/error.xml").next_poll_at > by("/error.xml").last_fetch_at);

    // Gone feeds are not polled again.
    server.clear_hits();
    poll_once(&cfg).await;
    assert!(server.hits_for("/gone.xml").is_empty());
}

#[tokio::test]
async fn pages_are_fetched_and_missing_pages_fall_back_to_the_feed() {
    let server = TestServer::start().await;
    let page = "<html><head><title>Page one</title></head><body><article>\
                <p>The first paragraph of the article body, long enough to count as the article.</p>\
                <p>The second paragraph says more about it, so that the page is richer than the feed.</p>\
                </article></body></html>";
    server.set("/a/p1", Route::ok("text/html; charset=utf-8", page));
    server.set(
        "/pages.xml",
        Route::ok(
            "application/rss+xml",
            rss(&[
                ("p1", "With page", &server.url("/a/p1")),
                ("p2", "Without page", &server.url("/a/missing")),
            ]),
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config(dir.path(), true);
    subscribe(&open_store(&cfg), &server, &["/pages.xml"]);
    let s = poll_once(&cfg).await;
    assert_eq!(
        (s.new_articles, s.articles_committed, s.pages_fetched, s.pages_failed),
        (2, 2, 1, 1),
        "{s:?}"
    );
    let store = open_store(&cfg);
    let rows = store.articles_since(0, 10).unwrap();
    let missing = rows.iter().find(|r| r.title.as_deref() == Some("Without page")).unwrap();
    assert_eq!(missing.content_source.as_deref(), Some("feed"));
    assert!(store.pending_articles().unwrap().is_empty());
}

#[tokio::test]
async fn pages_are_kept_and_reextract_turns_changed_articles_into_updates() {
    let server = TestServer::start().await;
    let page = "<html><body><article><p>First paragraph of a stored page, long enough to matter here.</p>\
                <p>Second paragraph of the same stored page.</p></article></body></html>";
    server.set("/a/k1", Route::ok("text/html", page));
    server.set("/a/k2", Route::ok("text/html", page.replace("stored page", "other page")));
    server.set(
        "/keep.xml",
        Route::ok(
            "application/rss+xml",
            rss(&[("k1", "Kept one", &server.url("/a/k1")), ("k2", "Kept two", &server.url("/a/k2"))]),
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config(dir.path(), true);
    let config = write_config(dir.path(), true);
    open_store(&cfg).add_feed(&server.url("/keep.xml"), None).unwrap();
    poll_once(&cfg).await;
    let store = open_store(&cfg);
    let rows = store.articles_since(0, 10).unwrap();
    assert_eq!(rows.len(), 2);
    for r in &rows {
        let p = store.page(r.id).unwrap().expect("page kept");
        assert!(p.body_zstd.len() < page.len() + 64);
        assert_eq!(String::from_utf8(p.decompress().unwrap()).unwrap().len(), p.size);
    }
    let run = |args: &[&str]| {
        let out =
            std::process::Command::new(rill_bin()).arg("--config").arg(&config).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    // Nothing changed: no new seq.
    assert!(run(&["reextract"]).contains("0 changed"), "{}", run(&["reextract"]));
    assert_eq!(store.last_seq().unwrap(), 2);
    // An article stored by an older extractor (simulated) is revised: new seq, revision 1.
    let target = rows[0].id;
    store.conn().execute("UPDATE articles SET text = 'old text' WHERE id = ?1", [target]).unwrap();
    assert!(run(&["reextract", "--feed", &server.url("/keep.xml")]).contains("1 changed"));
    let revised = store.articles_since(2, 10).unwrap();
    assert_eq!(revised.len(), 1);
    assert_eq!((revised[0].id, revised[0].seq, revised[0].revision), (target, 3, 1));
    assert!(revised[0].updated_at.is_some());
    assert_ne!(revised[0].text.as_deref(), Some("old text"));
    // `show` prints it.
    assert!(run(&["show", &target.to_string()]).contains("revision 1"));
    // A future --since selects nothing.
    assert!(run(&["reextract", "--since", "2999-01-01"]).contains("re-extracted 0"));
    assert_fts_in_step(&store);
}

#[tokio::test]
async fn a_republished_wire_story_joins_its_story_and_a_different_report_stays_apart() {
    let server = TestServer::start().await;
    let body: Vec<String> = (0..8)
        .map(|i| {
            format!(
                "<p>Paragraph {i} of the wire report: the harbour authority said on Monday that ferry \
                 service number {i} would resume after repairs to the northern pier were finished, \
                 and officials expected passenger numbers to recover by the end of month {i}.</p>"
            )
        })
        .collect();
    let wire = format!(
        "<html><body><article><p>Local intro written by the first outlet about its own town.</p>{}</article></body></html>",
        body.join("")
    );
    let republished = format!(
        "<html><body><article><p>A different intro from a second outlet, with its own angle.</p>{}\
         <p>Reporting by a second outlet's staff.</p></article></body></html>",
        body.join("")
    );
    let other = "<html><body><article><p>The city council voted on a new budget for schools on Tuesday, \
        after a long debate about teacher salaries and the cost of heating old buildings.</p>\
        <p>The mayor said the compromise would protect classroom sizes while delaying road repairs.</p>\
        <p>Opposition members argued that the plan relied on optimistic tax forecasts.</p></article></body></html>";
    server.set("/a/wire", Route::ok("text/html", wire));
    server.set("/b/copy", Route::ok("text/html", republished));
    server.set("/a/other", Route::ok("text/html", other));
    server.set(
        "/one.xml",
        Route::ok(
            "application/rss+xml",
            rss(&[
                ("w", "Ferries to resume", &server.url("/a/wire")),
                ("o", "Budget", &server.url("/a/other")),
            ]),
        ),
    );
    server.set(
        "/two.xml",
        Route::ok("application/rss+xml", rss(&[("c", "Harbour reopens soon", &server.url("/b/copy"))])),
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config(dir.path(), true);
    let store = open_store(&cfg);
    store.add_feed(&server.url("/one.xml"), None).unwrap();
    store.add_feed(&server.url("/two.xml"), None).unwrap();
    poll_once(&cfg).await;
    let rows = store.articles_since(0, 10).unwrap();
    assert_eq!(rows.len(), 3);
    let story = |t: &str| rows.iter().find(|r| r.title.as_deref() == Some(t)).unwrap().story_id.unwrap();
    assert_eq!(
        story("Ferries to resume"),
        story("Harbour reopens soon"),
        "the republished copy joins the story"
    );
    assert_ne!(story("Budget"), story("Ferries to resume"), "a different report stays apart");
    let (articles, first): (i64, i64) = store
        .conn()
        .query_row(
            "SELECT articles, first_article_id FROM stories WHERE id = ?1",
            [story("Ferries to resume")],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(articles, 2);
    assert_eq!(first, story("Ferries to resume"));
    let copy_id = rows.iter().find(|r| r.title.as_deref() == Some("Harbour reopens soon")).unwrap().id;
    assert_eq!(store.story_siblings(copy_id).unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_prunes_beside_a_reader_and_pruned_articles_never_come_back() {
    let server = TestServer::start().await;
    let items = |n: usize| -> String {
        let owned: Vec<(String, String, String)> =
            (0..n).map(|i| (format!("g{i}"), format!("Item {i}"), server.url(&format!("/a/{i}")))).collect();
        rss(&owned.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect::<Vec<_>>())
    };
    server.set("/f.xml", Route::ok("application/rss+xml", items(5)));
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = test_config(dir.path(), false);
    let store = open_store(&cfg);
    store.add_feed(&server.url("/f.xml"), None).unwrap();
    poll_once(&cfg).await;
    assert_eq!(store.article_count().unwrap(), 5);

    // A consumer holds a read transaction open the whole time.
    let reader = rusqlite::Connection::open(&cfg.storage.path).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let count = |c: &rusqlite::Connection| -> i64 {
        c.query_row("SELECT count(*) FROM articles", [], |r| r.get(0)).unwrap()
    };
    assert_eq!(count(&reader), 5);

    cfg.retention.max_per_feed = Some(2);
    let token = tokio_util::sync::CancellationToken::new();
    let daemon = tokio::spawn(rill::daemon::run(
        std::sync::Arc::new(cfg.clone()),
        rill::daemon::Mode::Forever,
        token.clone(),
    ));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while store.article_count().unwrap() > 2 {
        assert!(std::time::Instant::now() < deadline, "retention did not run");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // The reader was not blocked and kept its consistent snapshot.
    assert_eq!(count(&reader), 5);
    reader.execute_batch("COMMIT").unwrap();
    assert_eq!(count(&reader), 2);
    token.cancel();
    daemon.await.unwrap().unwrap();
    let mut titles: Vec<String> =
        store.articles_since(0, 10).unwrap().into_iter().filter_map(|r| r.title).collect();
    titles.sort();
    assert_eq!(titles, vec!["Item 3", "Item 4"], "the newest are kept");
    let tombstones: i64 =
        store.conn().query_row("SELECT count(*) FROM tombstones", [], |r| r.get(0)).unwrap();
    assert_eq!(tombstones, 3);

    // The feed still lists the pruned items and gains one: only the new one is stored.
    server.set("/f.xml", Route::ok("application/rss+xml", items(6)));
    cfg.retention.max_per_feed = None;
    let s = poll_once(&cfg).await;
    assert_eq!(s.new_articles, 1, "{s:?}");
    assert_eq!(store.article_count().unwrap(), 3);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_fts_in_step(&store);
}

#[tokio::test]
async fn an_entry_the_feed_changes_is_revised_in_place_and_two_feeds_do_not_flip_flop() {
    let server = TestServer::start().await;
    let link = server.url("/a/story");
    server.set("/one.xml", Route::ok("application/rss+xml", rss(&[("s", "First headline", &link)])));
    server.set("/two.xml", Route::ok("application/rss+xml", rss(&[("x", "Other feed's headline", &link)])));
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config(dir.path(), false);
    let store = open_store(&cfg);
    store.add_feed(&server.url("/one.xml"), None).unwrap();
    store.add_feed(&server.url("/two.xml"), None).unwrap();
    poll_once(&cfg).await;
    let rows = store.articles_since(0, 10).unwrap();
    assert_eq!(rows.len(), 1, "one article for one link");
    let (id, first_seq) = (rows[0].id, rows[0].seq);
    // Polling again, each feed still says what it said: nothing is revised.
    let s = poll_once(&cfg).await;
    assert_eq!((s.new_articles, s.articles_revised), (0, 0), "{s:?}");
    assert_eq!(store.last_seq().unwrap(), first_seq);
    // The first feed corrects its headline: the article is updated in place with a new seq.
    server.set("/one.xml", Route::ok("application/rss+xml", rss(&[("s", "Corrected headline", &link)])));
    let s = poll_once(&cfg).await;
    assert_eq!((s.new_articles, s.articles_revised), (0, 1), "{s:?}");
    let revised = store.articles_since(first_seq, 10).unwrap();
    assert_eq!(revised.len(), 1);
    assert_eq!((revised[0].id, revised[0].revision), (id, 1));
    assert_eq!(revised[0].title.as_deref(), Some("Corrected headline"));
    assert!(revised[0].updated_at.is_some());
    assert_eq!(store.article_count().unwrap(), 1);
    // And then it is stable again.
    let s = poll_once(&cfg).await;
    assert_eq!(s.articles_revised, 0, "{s:?}");
    assert_fts_in_step(&store);
    assert_eq!(store.search("Corrected", None, None, 10).unwrap().len(), 1);
    assert!(store.search("First", None, None, 10).unwrap().is_empty(), "the old title is not found");
}

/// The full-text index mirrors every row's title and text exactly.
fn assert_fts_in_step(store: &Store) {
    store
        .conn()
        .execute_batch("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
        .unwrap();
}

#[tokio::test]
async fn unstable_and_reused_guids_are_recorded_and_never_create_or_merge_articles() {
    let server = TestServer::start().await;
    let links: Vec<String> = (0..4).map(|i| server.url(&format!("/a/{i}"))).collect();
    let guids_per_poll = |poll: usize| -> String {
        let items: Vec<(String, String, String)> = links
            .iter()
            .enumerate()
            .map(|(i, l)| (format!("{i}-{poll}"), format!("Item {i}"), l.clone()))
            .collect();
        rss(&items.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect::<Vec<_>>())
    };
    // One feed changes every guid on every poll; another gives every item the same guid.
    server.set("/unstable.xml", Route::ok("application/rss+xml", guids_per_poll(0)));
    let same: Vec<(&str, &str, &str)> = links.iter().map(|l| ("same-guid", "Same", l.as_str())).collect();
    server.set("/reused.xml", Route::ok("application/rss+xml", rss(&same)));
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config(dir.path(), false);
    let store = open_store(&cfg);
    store.add_feed(&server.url("/unstable.xml"), None).unwrap();
    store.add_feed(&server.url("/reused.xml"), None).unwrap();
    poll_once(&cfg).await;
    server.set("/unstable.xml", Route::ok("application/rss+xml", guids_per_poll(1)));
    let s = poll_once(&cfg).await;
    assert_eq!(s.new_articles, 0, "changed guids with the same links are not new articles");
    assert_eq!(store.article_count().unwrap(), 4, "one article per link, never merged by guid");
    let trust = |url: String| -> String {
        store.conn().query_row("SELECT guid_trust FROM feeds WHERE url = ?1", [url], |r| r.get(0)).unwrap()
    };
    assert_eq!(trust(server.url("/unstable.xml")), "unstable");
    assert_eq!(trust(server.url("/reused.xml")), "reused");
}

/// A page body with a `rel=canonical` link and enough text to extract and fingerprint.
fn page_with_canonical(canonical: &str, title: &str, words: &str) -> String {
    let para = |n: usize| {
        format!("<p>{words} Paragraph {n} adds the detail that reporters gathered on the ground today.</p>")
    };
    format!(
        "<html><head><title>{title}</title><link rel=\"canonical\" href=\"{canonical}\"></head>\
         <body><article><h1>{title}</h1>{}{}{}{}</article></body></html>",
        para(1),
        para(2),
        para(3),
        para(4)
    )
}

#[tokio::test]
async fn the_page_decides_identity_proxy_redirects_and_canonical_links_make_one_article() {
    let server = TestServer::start().await;
    let text = "The harbour authority approved the new ferry terminal after a long public inquiry.";
    // Feed one links a click-tracking proxy that redirects to the publisher's page.
    server.set("/r/1", Route::status(301).with_header("location", &server.url("/story/1")));
    server.set("/story/1", Route::ok("text/html", page_with_canonical("/story/1", "Ferry terminal", text)));
    // Feed two links the mobile copy, whose page names the same canonical address.
    server.set("/m/story/1", Route::ok("text/html", page_with_canonical("/story/1", "Ferry terminal", text)));
    // Two different articles whose pages both (wrongly) name one section page as canonical.
    let other = "The city council voted to close the old library branch at the end of the year.";
    let third = "Farmers in the valley reported the earliest grape harvest since records began.";
    server.set("/c/2", Route::ok("text/html", page_with_canonical("/section", "Library", other)));
    server.set("/c/3", Route::ok("text/html", page_with_canonical("/section", "Harvest", third)));
    serve_rss(
        &server,
        "/one.xml",
        &[("o1", "Ferry terminal", &server.url("/r/1")), ("o2", "Library", &server.url("/c/2"))],
    );
    serve_rss(
        &server,
        "/two.xml",
        &[
            ("t1", "Ferry terminal (mobile)", &server.url("/m/story/1")),
            ("t3", "Harvest", &server.url("/c/3")),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config(dir.path(), true);
    subscribe(&open_store(&cfg), &server, &["/one.xml", "/two.xml"]);

    let s = poll_once(&cfg).await;
    assert_eq!(s.new_articles, 4, "{s:?}");
    let store = open_store(&cfg);
    let rows = store.articles_since(0, 10).unwrap();
    assert_eq!(rows.len(), 3, "the ferry story is one article: {rows:#?}");
    let story = canon(&server.url("/story/1"));
    let ferry = rows.iter().find(|r| r.url == story).expect("keyed by the page's canonical URL");
    let mut feeds = ferry.feeds.clone();
    feeds.sort();
    assert_eq!(feeds, vec![server.url("/one.xml"), server.url("/two.xml")]);
    // Different texts behind one bogus canonical stay two articles.
    assert!(rows.iter().any(|r| r.title.as_deref() == Some("Library")));
    assert!(rows.iter().any(|r| r.title.as_deref() == Some("Harvest")));
    assert!(store.pending_articles().unwrap().is_empty());
    assert_fts_in_step(&store);

    // The next poll (the feeds changed, so they are read again) recognises the proxy and the
    // mobile links: only the one new entry is new, and no known page is fetched again.
    serve_rss(
        &server,
        "/two.xml",
        &[
            ("t1", "Ferry terminal (mobile)", &server.url("/m/story/1")),
            ("t3", "Harvest", &server.url("/c/3")),
            ("t4", "New one", &server.url("/c/4")),
        ],
    );
    serve_rss(
        &server,
        "/one.xml",
        &[("o2", "Library", &server.url("/c/2")), ("o1", "Ferry terminal", &server.url("/r/1"))],
    );
    server.clear_hits();
    let s = poll_once(&cfg).await;
    assert_eq!(s.new_articles, 1, "{s:?}");
    for path in ["/r/1", "/story/1", "/m/story/1", "/c/2", "/c/3"] {
        assert!(server.hits_for(path).is_empty(), "{path} fetched again");
    }
    assert_eq!(store.articles_since(0, 10).unwrap().len(), 4);
}

/// The identity key rill gives a URL (the test server is plain http on 127.0.0.1).
fn canon(url: &str) -> String {
    rill::dedup::canonicalize_url(url, &Default::default()).unwrap().to_string()
}
