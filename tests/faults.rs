//! Faults: servers that fail in every way at once while one healthy feed keeps flowing, a
//! database locked by other processes, and a full disk. Nothing may be lost or duplicated.

use crate::util::*;
use rill::store::Store;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A raw TCP server on 127.0.0.1 that runs `behave` on every connection.
async fn raw_server<F, Fut>(behave: F) -> std::net::SocketAddr
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let behave = std::sync::Arc::new(behave);
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            tokio::spawn(behave(sock));
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_server_fault_backs_its_feed_off_and_the_healthy_feed_flows() {
    let server = TestServer::start().await;
    server.set(
        "/healthy.xml",
        Route::ok("application/rss+xml", rss(&[("h1", "Healthy", &server.url("/a/h1"))])),
    );
    server.set("/storm.xml", Route::status(500));
    // Connection reset in the middle of the body.
    let reset = raw_server(|mut sock| async move {
        let mut buf = [0u8; 2048];
        let _ = sock.read(&mut buf).await;
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n";
        let _ = sock.write_all(head.as_bytes()).await;
        let _ = sock.write_all(b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>cut").await;
        let _ = sock.set_zero_linger(); // close with RST
        drop(sock);
    })
    .await;
    // Accepts the connection and never answers.
    let silent = raw_server(|sock| async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        drop(sock);
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = test_config_with(dir.path(), &[("timeout", "\"2s\""), ("connect_timeout", "\"1s\"")]);
    let store = open_store(&cfg);
    let faulty = [
        server.url("/storm.xml"),
        format!("http://{reset}/feed.xml"),
        format!("http://{silent}/feed.xml"),
        // TLS to a server that speaks plain HTTP: the handshake fails.
        format!("https://127.0.0.1:{}/healthy.xml", server.addr.port()),
        // DNS failure: .invalid never resolves.
        "http://rill-test.invalid/feed.xml".to_string(),
    ];
    for url in &faulty {
        store.add_feed(url, None).unwrap();
    }
    store.add_feed(&server.url("/healthy.xml"), None).unwrap();
    let started = Instant::now();
    let s = poll_once(&cfg).await;
    assert!(started.elapsed() < Duration::from_secs(8), "a fault held the pass: {:?}", started.elapsed());
    assert_eq!((s.feeds_ok, s.feeds_failed), (1, faulty.len() as u64), "{s:?}");
    assert!(store.article_count().unwrap() > 0, "the healthy feed's articles are stored");
    let now = chrono::Utc::now();
    for f in store.list_feeds().unwrap() {
        if faulty.contains(&f.url) {
            assert_eq!(f.error_count, 1, "{}", f.url);
            assert!(f.last_error.is_some(), "{}", f.url);
            assert!(f.next_poll_at.unwrap() > now, "{} backs off", f.url);
        } else {
            assert_eq!(f.error_count, 0);
        }
    }
    // A second pass: the faulty feeds are not due (backing off); nothing is stored twice.
    let before = store.article_count().unwrap();
    let s = rill::daemon::run(
        std::sync::Arc::new(cfg.clone()),
        rill::daemon::Mode::DueOnce,
        tokio_util::sync::CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(s.feeds_failed, 0, "{s:?}");
    assert_eq!(store.article_count().unwrap(), before);
}

#[test]
fn a_locked_database_makes_the_writer_wait_and_retry_never_drop_a_batch() {
    let server = TestServer::start_in_background();
    let entries: Vec<(String, String, String)> =
        (0..40).map(|i| (format!("g{i}"), format!("Item {i}"), server.url(&format!("/a/{i}")))).collect();
    let refs: Vec<(&str, &str, &str)> =
        entries.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
    server.set("/f.xml", Route::ok("application/rss+xml", rss(&refs)));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("rill.toml");
    // A busy timeout far shorter than the lock: the writer must retry, not give up.
    let toml =
        config_toml(dir.path(), false).replacen("[storage]\n", "[storage]\nbusy_timeout = \"200ms\"\n", 1);
    std::fs::write(&config, toml).unwrap();
    let cfg = rill::config::Config::load(&config).unwrap();
    assert_eq!(cfg.storage.busy_timeout, Duration::from_millis(200));
    open_store(&cfg).add_feed(&server.url("/f.xml"), None).unwrap();

    // A reader with a long transaction and a writer lock held for 3 s by "another process".
    let reader = rusqlite::Connection::open(&cfg.storage.path).unwrap();
    reader.execute_batch("BEGIN; SELECT count(*) FROM feeds;").unwrap();
    let blocker = rusqlite::Connection::open(&cfg.storage.path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let child = Command::new(rill_bin())
        .arg("--config")
        .arg(&config)
        .args(["poll", "--once", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        Store::open_read_only(&cfg.storage.path, Duration::from_secs(1)).unwrap().article_count().unwrap(),
        0
    );
    blocker.execute_batch("COMMIT").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("retrying"), "the writer retried: {stderr}");
    reader.execute_batch("COMMIT").unwrap();
    let store = open_store(&cfg);
    assert_eq!(store.article_count().unwrap(), 40, "no batch was dropped");
    assert_eq!(store.last_seq().unwrap(), 40);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

/// Mounts a tmpfs of `size` at `dir`; `None` when this process may not mount (not root).
fn mount_tmpfs(dir: &std::path::Path, size: &str) -> Option<()> {
    let status = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .stderr(Stdio::null())
        .status()
        .ok()?;
    status.success().then_some(())
}

#[test]
fn a_full_disk_keeps_what_was_committed_backs_off_and_resumes_when_space_returns() {
    let mnt = tempfile::tempdir().unwrap();
    if mount_tmpfs(mnt.path(), "1m").is_none() {
        eprintln!("SKIPPED: mounting a size-limited tmpfs needs root (scripts/faults.sh runs this as root)");
        return;
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mnt.path().to_path_buf());
    let server = TestServer::start_in_background();
    // 60 entries of ~30 KB of text each: far more than 1 MB.
    let body: String = "All work and no play makes a dull feed. ".repeat(800);
    let entries: Vec<(String, String, String)> = (0..60)
        .map(|i| (format!("g{i}"), format!("Item {i} {body}"), server.url(&format!("/a/{i}"))))
        .collect();
    let refs: Vec<(&str, &str, &str)> =
        entries.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
    server.set("/f.xml", Route::ok("application/rss+xml", rss(&refs)));
    let config = mnt.path().join("rill.toml");
    std::fs::write(&config, config_toml(mnt.path(), false)).unwrap();
    let cfg = rill::config::Config::load(&config).unwrap();
    open_store(&cfg).add_feed(&server.url("/f.xml"), None).unwrap();
    let log_path = std::env::temp_dir().join(format!("rill-diskfull-{}.log", std::process::id()));
    let mut child = Command::new(rill_bin())
        .arg("--config")
        .arg(&config)
        .arg("run")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .unwrap();
    // The disk fills: the writer logs it and retries.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(&log_path).unwrap_or_default().contains("disk is full") {
        assert!(Instant::now() < deadline, "no disk-full error was logged");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(child.try_wait().unwrap().is_none(), "rill exited on a full disk");
    let committed =
        Store::open_read_only(&cfg.storage.path, Duration::from_secs(1)).and_then(|s| s.article_count());
    // Space returns.
    let grown = Command::new("mount").args(["-o", "remount,size=64m"]).arg(mnt.path()).status().unwrap();
    assert!(grown.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let n = Store::open_read_only(&cfg.storage.path, Duration::from_secs(1))
            .and_then(|s| s.article_count())
            .unwrap_or(0);
        if n == 60 {
            break;
        }
        assert!(Instant::now() < deadline, "only {n} of 60 articles after space returned");
        std::thread::sleep(Duration::from_millis(200));
    }
    crate::processes::stop_with_sigterm(&mut child);
    let store = open_store(&cfg);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.last_seq().unwrap(), 60, "one seq per article, none lost or doubled");
    assert!(store.pending_articles().unwrap().is_empty());
    if let Ok(n) = committed {
        assert!(n <= 60);
    }
    let _ = std::fs::remove_file(&log_path);
}
