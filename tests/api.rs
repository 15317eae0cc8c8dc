//! The HTTP API of `rill run` (`[api] listen`): health, Prometheus metrics, and the Server-Sent
//! Events stream with resumption from `Last-Event-ID`.

use crate::util::*;
use futures_util::StreamExt;
use rill::daemon::{Mode, RunOptions};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// A free loopback port (bound and released; good enough for a test).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Reads SSE `article` events from `resp` until `n` arrived or `limit` passed; returns their ids.
async fn read_events(resp: reqwest::Response, n: usize, limit: Duration) -> Vec<i64> {
    let mut body = resp.bytes_stream();
    let mut buf = String::new();
    let mut ids = Vec::new();
    let deadline = Instant::now() + limit;
    while ids.len() < n && Instant::now() < deadline {
        let chunk = match tokio::time::timeout(Duration::from_millis(500), body.next()).await {
            Ok(Some(Ok(c))) => c,
            Ok(_) => break,
            Err(_) => continue,
        };
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let event: String = buf.drain(..end + 2).collect();
            if !event.lines().any(|l| l == "event: article") {
                continue; // keep-alive comment
            }
            let id = event.lines().find_map(|l| l.strip_prefix("id: ")).unwrap();
            let data = event.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
            let row: serde_json::Value = serde_json::from_str(data).unwrap();
            assert_eq!(row["seq"].as_i64().unwrap().to_string(), id, "id is the seq");
            ids.push(id.parse().unwrap());
        }
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_metrics_and_events_resume_from_last_event_id() {
    let server = TestServer::start().await;
    let items: Vec<(String, String, String)> =
        (0..3).map(|i| (format!("g{i}"), format!("Title {i}"), server.url(&format!("/a/{i}")))).collect();
    let refs: Vec<(&str, &str, &str)> =
        items.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
    server.set("/one.xml", Route::ok("application/rss+xml", rss(&refs)));
    // The second feed answers late, so its articles are committed while a stream is open.
    server.set(
        "/late.xml",
        Route::ok("application/rss+xml", rss(&[("l0", "Late", &server.url("/a/late"))]))
            .with_delay(Duration::from_millis(2500)),
    );
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut cfg = test_config(dir.path(), false);
    cfg.api.listen = Some(format!("127.0.0.1:{port}").parse().unwrap());
    let store = open_store(&cfg);
    store.add_feed(&server.url("/one.xml"), None).unwrap();
    store.add_feed(&server.url("/late.xml"), None).unwrap();
    let token = CancellationToken::new();
    let daemon =
        tokio::spawn(rill::daemon::run_with(Arc::new(cfg), RunOptions::new(Mode::Forever, token.clone())));
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();

    // Health comes up with the daemon.
    let deadline = Instant::now() + Duration::from_secs(10);
    let health = loop {
        if let Ok(r) = http.get(format!("{base}/healthz")).send().await {
            break r;
        }
        assert!(Instant::now() < deadline, "API did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(health.status(), 200);

    // A stream from the start receives every article in seq order, the late one included.
    let resp = http.get(format!("{base}/events")).header("Last-Event-ID", "0").send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let ids = read_events(resp, 4, Duration::from_secs(15)).await;
    assert_eq!(ids, vec![1, 2, 3, 4]);

    // Resuming after seq 2 gives exactly 3 and 4; `?since=` does the same.
    let resp = http.get(format!("{base}/events")).header("Last-Event-ID", "2").send().await.unwrap();
    assert_eq!(read_events(resp, 2, Duration::from_secs(5)).await, vec![3, 4]);
    let resp = http.get(format!("{base}/events?since=3")).send().await.unwrap();
    assert_eq!(read_events(resp, 1, Duration::from_secs(5)).await, vec![4]);
    let bad = http.get(format!("{base}/events")).header("Last-Event-ID", "x").send().await.unwrap();
    assert_eq!(bad.status(), 400);

    // Metrics: names start with rill_, fetches by class, feeds by state, last seq.
    let text = http.get(format!("{base}/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(text.contains(r#"rill_fetches_total{kind="feed",class="2xx"} 2"#), "{text}");
    assert!(text.contains(r#"rill_feeds{state="ok"} 2"#), "{text}");
    assert!(text.contains("rill_last_seq 4"), "{text}");
    assert!(text.contains("rill_articles_committed_total 4"), "{text}");
    assert!(text.contains("rill_fetch_duration_seconds_bucket"), "{text}");
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        assert!(line.starts_with("rill_"), "{line}");
    }

    token.cancel();
    let summary = tokio::time::timeout(Duration::from_secs(10), daemon).await.unwrap().unwrap().unwrap();
    assert_eq!(summary.articles_committed, 4);
}
