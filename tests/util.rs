//! Test helpers: an in-process HTTP server on 127.0.0.1, feed builders, configs, temp databases.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, Response, StatusCode};
use rill::config::Config;
use rill::store::Store;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One canned response.
#[derive(Clone, Debug)]
pub struct Route {
    pub status: u16,
    pub body: Vec<u8>,
    pub content_type: String,
    /// Sent as ETag; a request with a matching If-None-Match gets 304.
    pub etag: Option<String>,
    pub headers: Vec<(String, String)>,
    /// Wait before answering.
    pub delay: Duration,
    /// Instead of `body`: send `chunk` forever, pausing `every` between chunks.
    pub stream: Option<(Vec<u8>, Duration)>,
}

impl Route {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Route {
        Route {
            status: 200,
            body: body.into(),
            content_type: content_type.into(),
            etag: None,
            headers: Vec::new(),
            delay: Duration::ZERO,
            stream: None,
        }
    }

    /// A body that never ends: `chunk` again and again, `every` apart.
    pub fn endless(content_type: &str, chunk: &[u8], every: Duration) -> Route {
        Route { stream: Some((chunk.to_vec(), every)), ..Route::ok(content_type, "") }
    }

    pub fn with_etag(mut self, etag: &str) -> Route {
        self.etag = Some(etag.into());
        self
    }

    pub fn with_delay(mut self, d: Duration) -> Route {
        self.delay = d;
        self
    }

    pub fn status(code: u16) -> Route {
        Route { status: code, ..Route::ok("text/plain", "") }
    }

    pub fn with_header(mut self, k: &str, v: &str) -> Route {
        self.headers.push((k.into(), v.into()));
        self
    }
}

/// A request the server saw.
#[derive(Clone, Debug)]
pub struct Hit {
    pub path: String,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
    pub status: u16,
    pub user_agent: Option<String>,
    pub authorization: Option<String>,
    pub cookie: Option<String>,
    /// When the response was sent.
    pub at: std::time::Instant,
}

#[derive(Default)]
struct State {
    routes: Mutex<HashMap<String, Route>>,
    hits: Mutex<Vec<Hit>>,
    in_flight: AtomicUsize,
    peak_in_flight: AtomicUsize,
}

/// An HTTP server on 127.0.0.1 with routes that tests change while it runs.
#[derive(Clone)]
pub struct TestServer {
    pub addr: SocketAddr,
    state: Arc<State>,
}

impl TestServer {
    /// Starts a server on a free port of 127.0.0.1 in the current tokio runtime.
    pub async fn start() -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State::default());
        let s = state.clone();
        let app = axum::Router::new().fallback(move |req: Request<Body>| {
            let s = s.clone();
            async move { handle(&s, req).await }
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TestServer { addr, state }
    }

    /// Starts a server on its own thread and runtime (for tests that run child processes).
    pub fn start_in_background() -> TestServer {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt =
                tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            rt.block_on(async move {
                tx.send(TestServer::start().await).unwrap();
                std::future::pending::<()>().await;
            });
        });
        rx.recv().unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn set(&self, path: &str, route: Route) {
        self.state.routes.lock().unwrap().insert(path.to_string(), route);
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.state.hits.lock().unwrap().clone()
    }

    pub fn hits_for(&self, path: &str) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| h.path == path).collect()
    }

    pub fn clear_hits(&self) {
        self.state.hits.lock().unwrap().clear();
    }

    pub fn peak_in_flight(&self) -> usize {
        self.state.peak_in_flight.load(Ordering::SeqCst)
    }
}

async fn handle(s: &State, req: Request<Body>) -> Response<Body> {
    let path = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    let headers: &HeaderMap = req.headers();
    let get = |k: &str| headers.get(k).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (inm, ims) = (get("if-none-match"), get("if-modified-since"));
    let (user_agent, authorization, cookie) = (get("user-agent"), get("authorization"), get("cookie"));
    let now = s.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    s.peak_in_flight.fetch_max(now, Ordering::SeqCst);
    let route = s.routes.lock().unwrap().get(&path).cloned();
    let resp = match route {
        None => Response::builder().status(404).body(Body::from("not found")).unwrap(),
        Some(r) => {
            if !r.delay.is_zero() {
                tokio::time::sleep(r.delay).await;
            }
            if r.etag.is_some() && inm == r.etag {
                Response::builder()
                    .status(304)
                    .header("etag", r.etag.clone().unwrap())
                    .body(Body::empty())
                    .unwrap()
            } else {
                let mut b = Response::builder()
                    .status(StatusCode::from_u16(r.status).unwrap())
                    .header("content-type", r.content_type.clone());
                if let Some(e) = &r.etag {
                    b = b.header("etag", e.clone());
                }
                for (k, v) in &r.headers {
                    b = b.header(k.as_str(), v.as_str());
                }
                match r.stream {
                    Some((chunk, every)) => {
                        let chunks = futures_util::stream::unfold((), move |()| {
                            let chunk = chunk.clone();
                            async move {
                                if !every.is_zero() {
                                    tokio::time::sleep(every).await;
                                }
                                Some((Ok::<_, std::io::Error>(chunk), ()))
                            }
                        });
                        b.body(Body::from_stream(chunks)).unwrap()
                    }
                    None => b.body(Body::from(r.body.clone())).unwrap(),
                }
            }
        }
    };
    s.in_flight.fetch_sub(1, Ordering::SeqCst);
    s.hits.lock().unwrap().push(Hit {
        path,
        if_none_match: inm,
        if_modified_since: ims,
        status: resp.status().as_u16(),
        user_agent,
        authorization,
        cookie,
        at: std::time::Instant::now(),
    });
    resp
}

/// Serves an RSS 2.0 feed of `(guid, title, link)` items at `path`.
pub fn serve_rss(server: &TestServer, path: &str, items: &[(&str, &str, &str)]) {
    server.set(path, Route::ok("application/rss+xml", rss(items)));
}

/// An RSS 2.0 feed of `(guid, title, link)` items.
pub fn rss(items: &[(&str, &str, &str)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Test RSS</title><link>http://example.org/</link>\n",
    );
    for (guid, title, link) in items {
        s.push_str(&format!(
            "<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title><link>{link}</link>\
             <description>&lt;p&gt;Summary of {title}.&lt;/p&gt;</description>\
             <pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item>\n"
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}

/// An Atom 1.0 feed of `(id, title, link)` entries.
pub fn atom(items: &[(&str, &str, &str)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <title>Test Atom</title><id>urn:test:atom</id><updated>2026-11-24T10:00:00Z</updated>\n",
    );
    for (id, title, link) in items {
        s.push_str(&format!(
            "<entry><id>{id}</id><title>{title}</title><link href=\"{link}\"/>\
             <updated>2026-11-24T10:00:00Z</updated><summary>Summary of {title}.</summary></entry>\n"
        ));
    }
    s.push_str("</feed>\n");
    s
}

/// A JSON Feed 1.1 of `(id, title, url)` items.
pub fn json_feed(items: &[(&str, &str, &str)]) -> String {
    let items: Vec<_> = items
        .iter()
        .map(|(id, title, url)| {
            serde_json::json!({"id": id, "title": title, "url": url,
                "content_html": format!("<p>Content of {title}.</p>"), "date_published": "2026-11-24T10:00:00Z"})
        })
        .collect();
    serde_json::json!({"version": "https://jsonfeed.org/version/1.1", "title": "Test JSON", "items": items})
        .to_string()
}

/// The TOML of a test config: database in `dir`, address guard off (the server is on loopback),
/// no politeness delay. `fetch` overrides or adds `[fetch]` keys (values in TOML syntax).
pub fn config_toml_with(dir: &Path, fetch: &[(&str, &str)]) -> String {
    let mut keys: std::collections::BTreeMap<&str, String> = [
        ("allow_private_addresses", "true"),
        ("per_host_interval", "\"0s\""),
        ("per_host_concurrency", "4"),
        ("timeout", "\"10s\""),
        ("fetch_pages", "false"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect();
    for (k, v) in fetch {
        keys.insert(k, v.to_string());
    }
    let fetch: String = keys.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
    format!(
        "[storage]\npath = {:?}\n[feeds]\nopml = \"\"\n[fetch]\n{fetch}[log]\nlevel = \"warn\"\n",
        dir.join("rill.db").display().to_string()
    )
}

/// [`config_toml_with`] with only `fetch_pages` set.
pub fn config_toml(dir: &Path, fetch_pages: bool) -> String {
    config_toml_with(dir, &[("fetch_pages", if fetch_pages { "true" } else { "false" })])
}

/// A parsed test config with `[fetch]` overrides.
pub fn test_config_with(dir: &Path, fetch: &[(&str, &str)]) -> Config {
    Config::from_toml(&config_toml_with(dir, fetch), None).unwrap()
}

/// The test config, parsed.
pub fn test_config(dir: &Path, fetch_pages: bool) -> Config {
    Config::from_toml(&config_toml(dir, fetch_pages), None).unwrap()
}

/// Writes the test config to `dir/rill.toml` (for child processes) and returns its path.
pub fn write_config(dir: &Path, fetch_pages: bool) -> PathBuf {
    let path = dir.join("rill.toml");
    std::fs::write(&path, config_toml(dir, fetch_pages)).unwrap();
    path
}

/// Opens the test database.
pub fn open_store(cfg: &Config) -> Store {
    Store::open(&cfg.storage.path, Duration::from_secs(5)).unwrap()
}

/// Runs one `poll --once` pass in-process.
pub async fn poll_once(cfg: &Config) -> rill::daemon::Summary {
    rill::daemon::run(
        Arc::new(cfg.clone()),
        rill::daemon::Mode::AllOnce,
        tokio_util::sync::CancellationToken::new(),
    )
    .await
    .unwrap()
}

/// The rill binary built for these tests.
pub fn rill_bin() -> &'static str {
    env!("CARGO_BIN_EXE_rill")
}

/// Counts of rows in the database: (visible articles, all article rows, distinct urls).
pub fn article_counts(store: &Store) -> (i64, i64, i64) {
    store
        .conn()
        .query_row(
            "SELECT (SELECT count(*) FROM articles WHERE seq IS NOT NULL), (SELECT count(*) FROM articles), \
             (SELECT count(DISTINCT url) FROM articles)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}
