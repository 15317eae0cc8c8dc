//! `rill feed add` with discovery: a page's feed link, several links, `--first`, the usual paths,
//! no feed, a direct feed, a moved feed, an unreachable URL and the address guard, each run as
//! the real binary against the in-process server; a failed add leaves the database unchanged.

use crate::util::*;
use std::path::Path;
use std::process::{Command, Output};

fn rill(config: &Path, args: &[&str]) -> Output {
    Command::new(rill_bin()).arg("--config").arg(config).args(args).output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// The subscribed feed URLs.
fn feeds(dir: &Path) -> Vec<String> {
    let cfg = test_config(dir, false);
    open_store(&cfg).list_feeds().unwrap().into_iter().map(|f| f.url).collect()
}

fn page(links: &[(&str, &str, &str)]) -> String {
    let links: String = links
        .iter()
        .map(|(kind, title, href)| {
            format!("<link rel=\"alternate\" type=\"{kind}\" title=\"{title}\" href=\"{href}\">\n")
        })
        .collect();
    format!(
        "<!doctype html><html><head><title>A site</title>\n{links}</head><body><p>Hello.</p></body></html>"
    )
}

fn a_feed(server: &TestServer) -> Route {
    Route::ok("application/rss+xml", rss(&[("i1", "Item", &server.url("/a/i1"))]))
}

#[test]
fn a_page_with_one_feed_link_subscribes_to_that_feed_with_the_feeds_settings() {
    let server = TestServer::start_in_background();
    server.set("/blog/", Route::ok("text/html", page(&[("application/rss+xml", "Posts", "feeds/main.xml")])));
    server.set("/blog/feeds/main.xml", a_feed(&server));
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), false);
    let o = rill(&config, &["feed", "add", &server.url("/blog/"), "--header", "Cookie: k=v"]);
    assert!(o.status.success(), "{}", err(&o));
    let feed = server.url("/blog/feeds/main.xml");
    assert!(out(&o).contains(&format!("links to the feed {feed} (rss, \"Posts\")")), "{}", out(&o));
    assert!(out(&o).contains(&format!("subscribed to {feed}")), "{}", out(&o));
    assert_eq!(feeds(dir.path()), vec![feed]);
    // The discovery request carried the feed's own settings.
    let hit = server.hits_for("/blog/").pop().unwrap();
    assert_eq!(hit.cookie.as_deref(), Some("k=v"));
}

#[test]
fn several_feed_links_are_listed_and_nothing_is_stored_unless_first_is_given() {
    let server = TestServer::start_in_background();
    server.set(
        "/",
        Route::ok(
            "text/html",
            page(&[
                ("application/atom+xml", "Everything", "/atom.xml"),
                ("application/rss+xml", "Comments", "/comments.rss"),
                ("application/atom+xml", "Everything again", "/atom.xml"),
            ]),
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), false);
    let o = rill(&config, &["feed", "add", &server.url("/")]);
    assert!(!o.status.success());
    let listed: Vec<String> = out(&o).lines().map(str::to_string).collect();
    assert_eq!(
        listed,
        vec![
            format!("{}\tatom\tEverything", server.url("/atom.xml")),
            format!("{}\trss\tComments", server.url("/comments.rss")),
        ]
    );
    assert!(err(&o).contains("links to 2 feeds") && err(&o).contains("--first"), "{}", err(&o));
    assert_eq!(err(&o).trim().lines().count(), 1, "{}", err(&o));
    assert!(feeds(dir.path()).is_empty());

    let o = rill(&config, &["feed", "add", "--first", &server.url("/")]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("links to 2 feeds; taking the first"), "{}", out(&o));
    assert_eq!(feeds(dir.path()), vec![server.url("/atom.xml")]);
}

#[test]
fn a_page_without_feed_links_falls_back_to_the_usual_paths() {
    let server = TestServer::start_in_background();
    server.set("/", Route::ok("text/html", page(&[])));
    // Served, but not a feed: it must parse as one to count.
    server.set("/feed", Route::ok("text/html", page(&[])));
    server.set("/atom.xml", Route::ok("application/atom+xml", atom(&[("e1", "E", &server.url("/e1"))])));
    server.set("/feed.xml", a_feed(&server));
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), false);
    let o = rill(&config, &["feed", "add", &server.url("/")]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("links to no feed; found one at"), "{}", out(&o));
    assert_eq!(feeds(dir.path()), vec![server.url("/atom.xml")]);
    // Tried in order, stopping at the first feed.
    let paths: Vec<String> = server.hits().into_iter().map(|h| h.path).collect();
    assert_eq!(paths, vec!["/", "/feed", "/rss.xml", "/atom.xml"]);
}

#[test]
fn no_feed_anywhere_is_an_error_naming_what_was_tried_and_changes_nothing() {
    let server = TestServer::start_in_background();
    server.set("/", Route::ok("text/html", page(&[])));
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), false);
    assert!(rill(&config, &["feed", "add", "--no-fetch", &server.url("/existing.xml")]).status.success());
    let before = feeds(dir.path());
    let o = rill(&config, &["feed", "add", &server.url("/")]);
    assert!(!o.status.success());
    let e = err(&o);
    assert!(e.contains(&format!("no feed found at {} (tried: ", server.url("/"))), "{e}");
    for p in rill::discover::USUAL_PATHS {
        assert!(e.contains(&server.url(p)), "{p} not named: {e}");
    }
    assert!(e.contains("--no-fetch"), "{e}");
    assert_eq!(e.trim().lines().count(), 1, "{e}");
    assert_eq!(feeds(dir.path()), before);
}

#[test]
fn a_feed_url_is_subscribed_directly_and_a_moved_one_at_its_new_address() {
    let server = TestServer::start_in_background();
    server.set("/feed.xml", a_feed(&server));
    server.set("/old.xml", Route::status(301).with_header("location", "/feed.xml"));
    server.set("/json", Route::ok("application/feed+json", json_feed(&[("j1", "J", &server.url("/j1"))])));
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), false);
    let o = rill(&config, &["feed", "add", &server.url("/json")]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(out(&o).trim(), format!("subscribed to {}", server.url("/json")));
    let o = rill(&config, &["feed", "add", &server.url("/old.xml")]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("moved permanently to"), "{}", out(&o));
    let mut got = feeds(dir.path());
    got.sort();
    assert_eq!(got, vec![server.url("/feed.xml"), server.url("/json")]);
    // The new address is already subscribed now.
    let o = rill(&config, &["feed", "add", &server.url("/old.xml")]);
    assert!(!o.status.success() && err(&o).contains("already subscribed"), "{}", err(&o));
}

#[test]
fn an_unreachable_url_is_a_clear_error_and_the_guard_applies() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://127.0.0.1:{}/feed.xml", listener.local_addr().unwrap().port());
    drop(listener);
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), false);
    let o = rill(&config, &["feed", "add", &closed]);
    assert!(!o.status.success());
    assert!(
        err(&o).contains(&format!("cannot fetch {closed}")) && err(&o).contains("--no-fetch"),
        "{}",
        err(&o)
    );
    assert!(feeds(dir.path()).is_empty());

    // With the address guard on (the default), a loopback URL is refused before any request.
    let server = TestServer::start_in_background();
    server.set("/feed.xml", a_feed(&server));
    let guarded = dir.path().join("guarded.toml");
    std::fs::write(&guarded, config_toml_with(dir.path(), &[("allow_private_addresses", "false")])).unwrap();
    let o = rill(&guarded, &["feed", "add", &server.url("/feed.xml")]);
    assert!(!o.status.success());
    assert!(err(&o).contains("non-public address"), "{}", err(&o));
    assert!(server.hits().is_empty());
    assert!(feeds(dir.path()).is_empty());
}
