//! The pipeline: wires the stages with bounded concurrency and one cancellation token.
//!
//! ```text
//! scheduler ─due feeds─▶ feed task: fetch ▶ parse ▶ identify ▶ writer (feed bookkeeping + entries)
//!                                                              │ new articles (pending)
//!                                                              ▼
//!                        page task: fetch page ▶ extract ▶ enrich ▶ writer (article visible, seq)
//! ```
//!
//! Feed tasks and page tasks each take an owned semaphore permit before they are spawned, so at
//! most `fetch.concurrency` of each exist; politeness (per-host limits) is the fetcher's. A new
//! article is stored *pending* (invisible to readers) in the same transaction as its feed's
//! bookkeeping, and becomes visible with a `seq` once its page is processed, so a crash at any
//! moment neither loses an entry (pending rows are resumed at the next start) nor shows a
//! half-made article. On cancellation, stages stop at the next await; the writer commits what it
//! was sent and [`run`] returns.
//!
//! Owns no parsing, extraction or SQL: it calls [`crate::feed`], [`crate::dedup`],
//! [`crate::extract`], [`crate::enrich`] and [`crate::store`].

use crate::config::Config;
use crate::dedup::{
    self, canonicalize_url, CanonOptions, Fingerprints, GuidObservation, GuidTrust, StoryEvidence,
    StoryIndex, STORY_THRESHOLD,
};
use crate::feed::{self, FeedSource};
use crate::fetch::robots::{RobotsCache, Verdict};
use crate::fetch::{FetchError, FetchRequest, Fetcher, ACCEPT_FEED, ACCEPT_PAGE};
pub use crate::metrics::Summary;
use crate::metrics::{Kind, Metrics};
use crate::model::Entry;
use crate::schedule::{self, PollFacts};
use crate::store::writer::{self, WriterHandle};
use crate::store::{
    entry_hash, EntryRevision, FeedRecord, FeedState, FeedUpdate, Finished, KeyState, NewEntry, PageBlob,
    PendingArticle, Store, StoreError, Validators,
};
use crate::{enrich, extract, fetch};
use arc_swap::ArcSwap;
use chrono::Utc;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{info, info_span, warn, Instrument};
use url::Url;

/// Longest sleep of the scheduler between two looks at the feed table.
const MAX_IDLE: Duration = Duration::from_secs(30);
/// Stored pages deleted per retention transaction (small, so readers are never held up).
const PRUNE_BATCH: usize = 500;
/// How often the daemon applies page retention.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// Shortest pause between two looks (feeds in flight stay due until their poll commits).
const MIN_IDLE: Duration = Duration::from_millis(500);

/// What [`run`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Poll every active feed once, finish their pages, return (`rill poll --once`).
    AllOnce,
    /// Poll the feeds that are due, finish their pages, return (`rill poll`).
    DueOnce,
    /// Poll feeds as they come due until cancelled (`rill run`).
    Forever,
}

/// Why the pipeline could not run (infrastructure only: a bad feed is never an error here).
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot build the HTTP client: {0}")]
    Client(#[from] FetchError),
    #[error("cannot start the database writer: {0}")]
    Thread(#[from] std::io::Error),
    #[error("cannot read the feed list {path}: {message}")]
    FeedList { path: PathBuf, message: String },
    #[error("cannot listen on {addr} (api.listen): {source}; choose a free port or leave api.listen empty")]
    Listen { addr: std::net::SocketAddr, source: std::io::Error },
}

/// Everything a task needs, shared.
struct Ctx {
    /// The configuration in force; SIGHUP swaps in a new one.
    cfg: ArcSwap<Config>,
    fetcher: Fetcher,
    /// robots.txt per host for page fetches (consulted when `fetch.respect_robots` or the
    /// feed's own setting says so).
    robots: RobotsCache,
    writer: WriterHandle,
    /// A read connection for the known-entry pre-check (short critical sections only).
    reader: Mutex<Store>,
    stories: Mutex<Stories>,
    metrics: Arc<Metrics>,
    /// When the scheduler loop last went round and the writer last answered (for the watchdog).
    heartbeat: Heartbeat,
    pages: Arc<Semaphore>,
    tracker: TaskTracker,
    token: CancellationToken,
    /// Articles being revised now (their entry changed in a feed).
    revising: Mutex<HashSet<i64>>,
    /// Wakes the scheduler before its sleep ends (a reload added feeds).
    wake: tokio::sync::Notify,
    /// Ends the tasks beside the pipeline (API, reloads, systemd) once the pipeline has stopped.
    background: CancellationToken,
    /// Salt for jitter, so restarts do not repeat the same spread.
    salt: u64,
    /// A single pass (`poll`): a feed deferred by its host's `Retry-After` is polled again in
    /// the same pass once the wait is over, this many times per feed at most.
    once_retries: Mutex<HashMap<i64, u8>>,
    once: bool,
}

/// Adds the feeds the config lists (`[feeds] urls` and the OPML file) that are not subscribed.
pub fn sync_config_feeds(store: &mut Store, cfg: &Config) -> Result<usize, DaemonError> {
    let mut feeds: Vec<(String, Option<String>)> =
        cfg.feeds.urls.iter().map(|u| (u.to_string(), None)).collect();
    if let Some(path) = &cfg.feeds.opml {
        let bytes = std::fs::read(path)
            .map_err(|e| DaemonError::FeedList { path: path.clone(), message: e.to_string() })?;
        let list = feed::opml::parse_opml(&bytes)
            .map_err(|e| DaemonError::FeedList { path: path.clone(), message: e.to_string() })?;
        for f in list {
            match crate::config::feed_url(&f.xml_url) {
                Ok(url) => feeds.push((url.to_string(), f.title)),
                Err(m) => warn!(file = %path.display(), "skipping feed: {m}"),
            }
        }
    }
    let mut added = store.add_feeds(&feeds)?;
    for f in &cfg.feeds.entries {
        let url = f.url.as_str();
        match store.add_feed_with(url, f.title.as_deref(), Some(&f.request)) {
            Ok(_) => added += 1,
            Err(StoreError::FeedExists(_)) => {
                store.set_feed_request(url, Some(&f.request))?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(added)
}

/// How [`run_with`] is driven from outside.
pub struct RunOptions {
    pub mode: Mode,
    /// Cancelled on SIGTERM/SIGINT: stop, commit, return.
    pub shutdown: CancellationToken,
    /// The run's counters (summary, progress bar, `/metrics`).
    pub metrics: Arc<Metrics>,
    /// New configurations to apply (SIGHUP), already validated by the sender.
    pub reload: Option<mpsc::UnboundedReceiver<Config>>,
    /// Report readiness, status and watchdog pings to systemd (`Type=notify`).
    pub systemd: bool,
}

impl RunOptions {
    pub fn new(mode: Mode, shutdown: CancellationToken) -> RunOptions {
        RunOptions { mode, shutdown, metrics: Arc::default(), reload: None, systemd: false }
    }
}

/// Runs the pipeline over the database at `cfg.storage.path` until `mode` is done or `shutdown`
/// is cancelled. Returns the run's counts.
pub async fn run(cfg: Arc<Config>, mode: Mode, shutdown: CancellationToken) -> Result<Summary, DaemonError> {
    run_with(cfg, RunOptions::new(mode, shutdown)).await
}

/// [`run`], with metrics, configuration reloads and systemd notification.
pub async fn run_with(cfg: Arc<Config>, opts: RunOptions) -> Result<Summary, DaemonError> {
    let RunOptions { mode, shutdown, metrics, reload, systemd } = opts;
    let path = cfg.storage.path.clone();
    let mut store = Store::open(&path, cfg.storage.busy_timeout)?;
    let added = sync_config_feeds(&mut store, &cfg)?;
    if added > 0 {
        info!(added, "subscribed to feeds listed in the config");
    }
    if mode == Mode::Forever {
        let spread = store.spread_overdue(Utc::now(), cfg.schedule.startup_spread)?;
        if spread > 0 {
            info!(feeds = spread, window = ?cfg.schedule.startup_spread, "spreading overdue feeds after start-up");
        }
    }
    let reader = Store::open_read_only(&path, cfg.storage.busy_timeout)?;
    let pending = reader.pending_articles()?;
    let pending_requests = reader.pending_article_requests()?;
    let fetcher = Fetcher::new(&cfg.fetch)?;
    // A Retry-After outlives the process that received it.
    for (url, until) in reader.retry_after_blocks(Utc::now())? {
        if let (Ok(url), Ok(left)) = (Url::parse(&url), (until - Utc::now()).to_std()) {
            fetcher.block_host(&url, left);
        }
    }
    let window_start = Utc::now() - chrono::Duration::days(STORY_WINDOW_DAYS);
    let recent = reader.story_evidence_since(window_start)?;
    let mut stories = Stories::with_capacity(recent.len());
    for (article_id, story_id, evidence) in recent {
        stories.insert(Utc::now(), article_id, story_id, evidence);
    }
    let (writer, writer_thread) = writer::spawn(store, cfg.storage.batch_size)?;
    let api_listener = match (mode, cfg.api.listen) {
        (Mode::Forever, Some(addr)) => Some(
            tokio::net::TcpListener::bind(addr).await.map_err(|e| DaemonError::Listen { addr, source: e })?,
        ),
        _ => None,
    };
    let mut background = Vec::new();
    let ctx = Arc::new(Ctx {
        background: shutdown.child_token(),
        wake: tokio::sync::Notify::new(),
        revising: Mutex::default(),
        stories: Mutex::new(stories),
        fetcher,
        robots: RobotsCache::default(),
        writer,
        reader: Mutex::new(reader),
        metrics,
        heartbeat: Heartbeat::default(),
        pages: Arc::new(Semaphore::new(cfg.fetch.concurrency)),
        tracker: TaskTracker::new(),
        token: shutdown.clone(),
        salt: Utc::now().timestamp() as u64,
        once_retries: Mutex::new(HashMap::new()),
        once: mode != Mode::Forever,
        cfg: ArcSwap::new(cfg),
    });
    if let Some(listener) = api_listener {
        let state = crate::api::ApiState {
            db: path.clone(),
            busy_timeout: ctx.cfg().storage.busy_timeout,
            metrics: ctx.metrics.clone(),
            commits: ctx.writer.commits(),
            healthy: {
                let c = Arc::downgrade(&ctx);
                Arc::new(move || {
                    c.upgrade().is_some_and(|c| c.heartbeat.scheduler_age() < stall_limit(&c.cfg()))
                })
            },
        };
        info!(addr = ?listener.local_addr().ok(), "serving /healthz, /metrics and /events");
        background.push(tokio::spawn(crate::api::serve(listener, state, ctx.background.clone())));
    }
    if let Some(rx) = reload {
        background.push(tokio::spawn(apply_reloads(ctx.clone(), rx)));
    }
    if systemd {
        background.push(tokio::spawn(notify_systemd(ctx.clone())));
    }
    if !pending.is_empty() {
        info!(count = pending.len(), "resuming articles whose pages were not processed");
    }
    for p in pending {
        let policy = pending_requests.get(&p.article_id).map_or_else(PagePolicy::default, PagePolicy::from);
        spawn_page(&ctx, PageJob { policy, ..PageJob::from(p) }).await;
    }
    let result = schedule_loop(&ctx, mode).await;
    if systemd {
        let _ = sd_notify::notify(false, &[sd_notify::NotifyState::Stopping]);
    }
    ctx.tracker.close();
    ctx.tracker.wait().await;
    // The API, reload and systemd tasks end with the pipeline.
    ctx.background.cancel();
    for task in background {
        let _ = task.await;
    }
    let summary = ctx.metrics.summary();
    // Dropping the last handle lets the writer drain its queue, commit and stop.
    drop(ctx);
    match writer_thread.join() {
        Ok(r) => r?,
        Err(_) => return Err(StoreError::WriterGone.into()),
    }
    result?;
    Ok(summary)
}

/// Unix milliseconds now.
fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Progress marks of the pipeline, read by the watchdog and `/healthz`.
struct Heartbeat {
    /// The scheduler loop went round (it does at least every [`MAX_IDLE`] when healthy).
    scheduler: AtomicI64,
}

impl Default for Heartbeat {
    fn default() -> Self {
        Heartbeat { scheduler: AtomicI64::new(now_ms()) }
    }
}

impl Heartbeat {
    fn beat(&self) {
        self.scheduler.store(now_ms(), Relaxed);
    }

    fn scheduler_age(&self) -> Duration {
        Duration::from_millis((now_ms() - self.scheduler.load(Relaxed)).max(0) as u64)
    }
}

/// How long the scheduler may go without a round before the pipeline counts as stuck: its
/// longest sleep, plus the longest a dispatch can wait for a feed slot (requests are bounded
/// by the fetch timeout), with room to spare.
fn stall_limit(cfg: &Config) -> Duration {
    MAX_IDLE * 2 + cfg.fetch.timeout * 2 + Duration::from_secs(30)
}

impl Ctx {
    /// The configuration in force.
    fn cfg(&self) -> Arc<Config> {
        self.cfg.load_full()
    }
}

/// Applies configurations sent on SIGHUP: new feeds from the config are subscribed and every
/// setting read per use (schedule, limits on body sizes, retention, page fetching) takes effect
/// at once. Settings bound at start-up (the database path, the HTTP client and its concurrency,
/// the API address) are kept, with a warning naming them. In-flight work is not interrupted.
async fn apply_reloads(ctx: Arc<Ctx>, mut rx: mpsc::UnboundedReceiver<Config>) {
    loop {
        let new = tokio::select! {
            c = rx.recv() => match c { Some(c) => c, None => return },
            _ = ctx.background.cancelled() => return,
        };
        let old = ctx.cfg();
        let mut restart_needed = Vec::new();
        if new.storage.path != old.storage.path {
            restart_needed.push("storage.path");
        }
        let reloadable = |f: &crate::config::FetchConfig| {
            let mut f = f.clone();
            (f.fetch_pages, f.respect_robots, f.max_feed_bytes, f.max_page_bytes) = (true, true, 0, 0);
            f
        };
        if reloadable(&new.fetch) != reloadable(&old.fetch) {
            restart_needed.push("[fetch] client settings");
        }
        if new.api != old.api {
            restart_needed.push("api.listen");
        }
        let path = old.storage.path.clone();
        let timeout = old.storage.busy_timeout;
        let synced = {
            let new = new.clone();
            tokio::task::spawn_blocking(move || {
                let mut store = Store::open(&path, timeout)?;
                sync_config_feeds(&mut store, &new)
            })
            .await
        };
        match synced {
            Ok(Ok(added)) => {
                let mut kept = new;
                // Keep what is bound at start-up; everything else is read per use.
                kept.storage.path = old.storage.path.clone();
                kept.api = old.api.clone();
                let (fetch_pages, robots) = (kept.fetch.fetch_pages, kept.fetch.respect_robots);
                let (max_feed, max_page) = (kept.fetch.max_feed_bytes, kept.fetch.max_page_bytes);
                kept.fetch = old.fetch.clone();
                kept.fetch.fetch_pages = fetch_pages;
                kept.fetch.respect_robots = robots;
                kept.fetch.max_feed_bytes = max_feed;
                kept.fetch.max_page_bytes = max_page;
                ctx.cfg.store(Arc::new(kept));
                ctx.wake.notify_one();
                info!(feeds_added = added, "configuration reloaded");
                if !restart_needed.is_empty() {
                    warn!(settings = ?restart_needed, "these settings changed and take effect after a restart");
                }
            }
            Ok(Err(e)) => warn!(error = %e, "reload refused; keeping the running configuration"),
            Err(e) => warn!(error = %e, "reload failed; keeping the running configuration"),
        }
    }
}

/// Tells systemd the daemon is ready, keeps its STATUS line current, and pings the watchdog
/// only while the pipeline makes progress: the scheduler went round recently and the writer
/// commits a no-op within the watchdog period. A stuck scheduler or writer stops the pings and
/// systemd restarts the service.
async fn notify_systemd(ctx: Arc<Ctx>) {
    use sd_notify::NotifyState;
    let _ = sd_notify::notify(false, &[NotifyState::Ready]);
    let watchdog = watchdog_period();
    let tick = watchdog.map(|w| w / 3).unwrap_or(Duration::from_secs(10)).max(Duration::from_millis(200));
    let mut first = true;
    loop {
        if !first {
            tokio::select! {
                _ = tokio::time::sleep(tick) => {}
                _ = ctx.background.cancelled() => return,
            }
        }
        first = false;
        let status = {
            let reader = lock(&ctx.reader);
            reader.feed_counts().ok()
        };
        if let Some((total, failing)) = status {
            let line =
                format!("polling {} feeds, {} failing", group_thousands(total), group_thousands(failing));
            let _ = sd_notify::notify(false, &[NotifyState::Status(&line)]);
        }
        if let Some(period) = watchdog {
            let scheduler_ok = ctx.heartbeat.scheduler_age() < stall_limit(&ctx.cfg());
            let writer_ok = matches!(
                tokio::time::timeout(period, ctx.writer.chore(writer::Chore::Ping)).await,
                Ok(Ok(_))
            );
            if scheduler_ok && writer_ok {
                let _ = sd_notify::notify(false, &[NotifyState::Watchdog]);
            } else {
                warn!(scheduler_ok, writer_ok, "pipeline stalled; not pinging the watchdog");
            }
        }
    }
}

/// The watchdog period systemd asks for (`WATCHDOG_USEC`), as libsystemd reads it: it applies
/// to this process unless `WATCHDOG_PID` names another one.
fn watchdog_period() -> Option<Duration> {
    let usec: u64 = std::env::var("WATCHDOG_USEC").ok()?.trim().parse().ok()?;
    if let Ok(pid) = std::env::var("WATCHDOG_PID") {
        if pid.trim().parse::<u32>().ok() != Some(std::process::id()) {
            return None;
        }
    }
    (usec > 0).then(|| Duration::from_micros(usec))
}

/// 1204 → "1,204".
fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

async fn schedule_loop(ctx: &Arc<Ctx>, mode: Mode) -> Result<(), DaemonError> {
    let feeds_sem = Arc::new(Semaphore::new(ctx.cfg().fetch.concurrency));
    let in_flight: Arc<Mutex<HashSet<i64>>> = Arc::default();
    let mut last_prune: Option<Instant> = None;
    loop {
        ctx.heartbeat.beat();
        if mode == Mode::Forever && last_prune.is_none_or(|t| t.elapsed() >= PRUNE_EVERY) {
            last_prune = Some(Instant::now());
            let c = ctx.clone();
            ctx.tracker.spawn(async move { retention(&c).await });
        }
        let due = {
            let reader = lock(&ctx.reader);
            reader.feeds_to_poll(Utc::now(), mode == Mode::AllOnce)?
        };
        ctx.metrics.feeds_planned.fetch_add(due.len() as u64, Relaxed);
        for feed in interleave_hosts(due) {
            if !lock(&in_flight).insert(feed.id) {
                continue;
            }
            let permit = tokio::select! {
                p = feeds_sem.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
                _ = ctx.token.cancelled() => return Ok(()),
            };
            ctx.heartbeat.beat();
            let (c, flight) = (ctx.clone(), in_flight.clone());
            ctx.tracker.spawn(async move {
                let id = feed.id;
                poll_feed(&c, feed).await;
                lock(&flight).remove(&id);
                drop(permit);
            });
        }
        if mode != Mode::Forever {
            return Ok(());
        }
        let next = lock(&ctx.reader).next_due()?;
        let wait = next
            .map(|t| (t - Utc::now()).to_std().unwrap_or(Duration::ZERO))
            .unwrap_or(MAX_IDLE)
            .clamp(MIN_IDLE, MAX_IDLE);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = ctx.wake.notified() => {}
            _ = ctx.token.cancelled() => return Ok(()),
        }
    }
}

/// Applies page and article retention in small transactions, then gives freed pages back.
async fn retention(ctx: &Ctx) {
    let cfg = ctx.cfg();
    let mut chores = Vec::new();
    if let Ok(keep) = chrono::Duration::from_std(cfg.storage.keep_pages) {
        chores.push(("pages", writer::Chore::PrunePages { before: Utc::now() - keep, limit: PRUNE_BATCH }));
    }
    if cfg.retention.is_active() {
        chores.push(("articles", writer::Chore::PruneArticles { policy: cfg.retention, limit: PRUNE_BATCH }));
    }
    let mut freed_any = false;
    for (what, chore) in chores {
        let mut total = 0;
        loop {
            if ctx.token.is_cancelled() {
                return;
            }
            match ctx.writer.chore(chore.clone()).await {
                Ok(n) => {
                    total += n;
                    if n < PRUNE_BATCH {
                        break;
                    }
                }
                Err(e) => {
                    warn!(error = %e, what, "retention failed");
                    break;
                }
            }
            // Let the pipeline's own writes through between batches.
            tokio::task::yield_now().await;
        }
        if total > 0 {
            freed_any = true;
            info!(deleted = total, what, "retention");
        }
    }
    if freed_any {
        loop {
            match ctx.writer.chore(writer::Chore::Vacuum { pages: 2048 }).await {
                Ok(n) if n >= 2048 => continue,
                Ok(_) => break,
                Err(e) => {
                    warn!(error = %e, "incremental vacuum failed");
                    break;
                }
            }
        }
    }
}

/// Orders feeds so consecutive ones are on different hosts: a host at its politeness limit then
/// holds back only its own feeds, not the whole pass.
fn interleave_hosts(feeds: Vec<FeedRecord>) -> Vec<FeedRecord> {
    let mut by_host: HashMap<String, Vec<FeedRecord>> = HashMap::new();
    let mut order = Vec::new();
    for f in feeds {
        let key = Url::parse(&f.url).map(|u| fetch::limiter::host_key(&u)).unwrap_or_default();
        if !by_host.contains_key(&key) {
            order.push(key.clone());
        }
        by_host.entry(key).or_default().push(f);
    }
    let mut queues: Vec<std::vec::IntoIter<FeedRecord>> =
        order.iter().filter_map(|k| by_host.remove(k)).map(Vec::into_iter).collect();
    let mut out = Vec::new();
    loop {
        let before = out.len();
        for q in queues.iter_mut() {
            if let Some(f) = q.next() {
                out.push(f);
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Polls one feed and stores the outcome. Never fails: errors are stored on the feed.
async fn poll_feed(ctx: &Arc<Ctx>, feed: FeedRecord) {
    let span = info_span!("feed", url = %feed.url, status = tracing::field::Empty,
        bytes = tracing::field::Empty, ms = tracing::field::Empty, new = tracing::field::Empty);
    async {
        let started = Instant::now();
        ctx.metrics.feed_started();
        let result = tokio::select! {
            r = poll_feed_inner(ctx, &feed) => r,
            _ = ctx.token.cancelled() => {
                ctx.metrics.feed_finished(false);
                return;
            }
        };
        let span = tracing::Span::current();
        span.record("ms", started.elapsed().as_millis() as u64);
        match result {
            Ok(Polled::Done) => {
                ctx.metrics.feed_finished(true);
                tracing::debug!("feed polled");
            }
            Ok(Polled::Deferred) => ctx.metrics.feed_deferred(),
            Err(e) => {
                ctx.metrics.feed_finished(false);
                warn!(error = %e, "feed failed");
            }
        }
    }
    .instrument(span)
    .await
}

/// What became of one feed poll that did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Polled {
    Done,
    /// Not polled: its host asked to wait (see [`defer_feed`]).
    Deferred,
}

/// Moves a feed's poll past its host's `Retry-After`, leaving its state as it was. In a single
/// pass (`rill poll`) the feed is polled again once the wait is over (if it is at most
/// [`MAX_PAGE_DEFER`], and [`MAX_ONCE_RETRIES`] times per feed at most), so that the pass covers
/// it without a request before the host allows one.
async fn defer_feed(
    ctx: &Arc<Ctx>,
    feed: &FeedRecord,
    left: Duration,
    jitter: f64,
) -> Result<Polled, FeedFailure> {
    ctx.metrics.deferred();
    let spread = Duration::from_secs_f64(jitter.clamp(0.0, 1.0));
    let next = Utc::now() + chrono::Duration::from_std(left + spread).unwrap_or_default();
    tracing::debug!(wait = ?left, "host asked to wait; poll deferred");
    let update =
        FeedUpdate { fetched_at: Utc::now(), next_poll_at: next, deferred: true, ..Default::default() };
    ctx.writer.feed_polled(feed.id, update, Vec::new()).await?;
    let retry = ctx.once && left <= MAX_PAGE_DEFER && {
        let mut retries = lock(&ctx.once_retries);
        let n = retries.entry(feed.id).or_insert(0);
        *n += 1;
        *n <= MAX_ONCE_RETRIES
    };
    if retry {
        let (c, feed) = (ctx.clone(), feed.clone());
        ctx.tracker.spawn(async move {
            tokio::select! {
                _ = tokio::time::sleep(left + spread) => poll_feed_again(c, feed).await,
                _ = c.token.cancelled() => {}
            }
        });
    }
    Ok(Polled::Deferred)
}

/// [`poll_feed`] behind a named, `Send` future type: the feed's poll schedules this one, and the
/// compiler cannot see through that cycle on its own.
fn poll_feed_again(
    ctx: Arc<Ctx>,
    feed: FeedRecord,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    Box::pin(async move { poll_feed(&ctx, feed).await })
}

/// How often one pass polls a deferred feed again (see [`defer_feed`]).
const MAX_ONCE_RETRIES: u8 = 3;

/// The HTTP status of a fetch's outcome, when a response was received.
fn fetch_status(r: &Result<fetch::Fetched, FetchError>) -> Option<u16> {
    match r {
        Ok(f) => Some(f.status),
        Err(e) => e.status(),
    }
}

/// Body bytes received by a fetch.
fn fetch_bytes(r: &Result<fetch::Fetched, FetchError>) -> usize {
    r.as_ref().ok().and_then(|f| f.body.as_ref()).map_or(0, Vec::len)
}

/// A feed-level failure: stored on the feed, then reported.
#[derive(Debug, thiserror::Error)]
enum FeedFailure {
    #[error("{0}")]
    Fetch(#[from] FetchError),
    #[error("{0}")]
    Parse(#[from] feed::ParseError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("feed URL {0:?} is invalid")]
    Url(String),
    #[error("internal task failed: {0}")]
    Join(String),
}

async fn poll_feed_inner(ctx: &Arc<Ctx>, feed: &FeedRecord) -> Result<Polled, FeedFailure> {
    let span = tracing::Span::current();
    let now = Utc::now();
    let jitter = schedule::jitter_for(feed.id, ctx.salt ^ now.timestamp() as u64);
    let url = match Url::parse(&feed.url) {
        Ok(u) => u,
        Err(_) => {
            let e = FeedFailure::Url(feed.url.clone());
            store_failure(ctx, feed, &e, None, None, jitter).await?;
            return Err(e);
        }
    };
    let req = FetchRequest {
        url: &url,
        etag: feed.etag.as_deref(),
        last_modified: feed.last_modified.as_deref(),
        max_bytes: feed.request.as_ref().and_then(|r| r.max_bytes).unwrap_or(ctx.cfg().fetch.max_feed_bytes),
        accept: ACCEPT_FEED,
        settings: feed.request.as_ref(),
        stop_at_other_origin: false,
    };
    // A host that asked to wait (Retry-After, maybe for another of its feeds) is not an error
    // of this feed: the poll moves to when the host may be contacted again.
    if let Some(left) = ctx.fetcher.blocked_for(&url) {
        return defer_feed(ctx, feed, left, jitter).await;
    }
    let started = Instant::now();
    let result = ctx.fetcher.fetch(&req).await;
    if let Err(FetchError::HostBlocked(left)) = &result {
        return defer_feed(ctx, feed, *left, jitter).await;
    }
    ctx.metrics.fetched(Kind::Feed, fetch_status(&result), fetch_bytes(&result), started.elapsed());
    let fetched = match result {
        Ok(f) => f,
        Err(e) => {
            span.record("status", e.status().unwrap_or(0));
            let gone = e.status() == Some(410);
            let state = gone.then(|| (FeedState::Gone, "the server answered 410 Gone".to_string()));
            let status = e.status();
            let e = FeedFailure::from(e);
            store_failure(ctx, feed, &e, status, state, jitter).await?;
            return Err(e);
        }
    };
    span.record("status", fetched.status);
    let moved_to = fetched.moved_to.as_ref().map(Url::to_string);
    let interval = feed.interval_secs.map(Duration::from_secs);
    let Some(body) = fetched.body else {
        ctx.metrics.not_modified();
        let facts = PollFacts {
            interval,
            last_new_at: feed.last_new_at,
            fresh_for: fetched.fresh_for,
            ..Default::default()
        };
        let (next, interval) = schedule::after_success(&feed_schedule(ctx, feed), now, &facts, jitter);
        let update = FeedUpdate {
            fetched_at: now,
            status: Some(fetched.status),
            next_poll_at: next,
            interval_secs: Some(interval.as_secs()),
            moved_to,
            ..Default::default()
        };
        ctx.writer.feed_polled(feed.id, update, Vec::new()).await?;
        return Ok(Polled::Done);
    };
    span.record("bytes", body.len());
    let body_hash = format!("{:x}", Sha256::digest(&body));
    let validators = Validators {
        etag: fetched.etag.clone(),
        last_modified: fetched.last_modified.clone(),
        body_hash: Some(body_hash.clone()),
    };
    if feed.body_hash.as_deref() == Some(body_hash.as_str()) {
        ctx.metrics.unchanged();
        let facts = PollFacts {
            interval,
            last_new_at: feed.last_new_at,
            fresh_for: fetched.fresh_for,
            ..Default::default()
        };
        let (next, interval) = schedule::after_success(&feed_schedule(ctx, feed), now, &facts, jitter);
        let update = FeedUpdate {
            fetched_at: now,
            status: Some(fetched.status),
            next_poll_at: next,
            interval_secs: Some(interval.as_secs()),
            validators: Some(validators),
            moved_to,
            ..Default::default()
        };
        ctx.writer.feed_polled(feed.id, update, Vec::new()).await?;
        return Ok(Polled::Done);
    }
    // Parse and identify on the blocking pool: a big feed must not stall the reactor.
    let work = {
        let ctx = ctx.clone();
        let feed_id = feed.id;
        let final_url = fetched.final_url.clone();
        let content_type = fetched.content_type.clone();
        tokio::task::spawn_blocking(move || {
            let source = FeedSource { url: Some(&final_url), content_type: content_type.as_deref() };
            let parsed = feed::parse_feed(&body, &source)?;
            let trust = guid_trust(&ctx, feed_id, &parsed.entries)?;
            let (entries, new, changed) = identify(&ctx, feed_id, parsed.entries)?;
            Ok::<_, FeedFailure>((parsed.title, parsed.link, parsed.hints, entries, new, changed, trust))
        })
    };
    let (title, site_url, hints, entries, new, changed, trust) = match work.await {
        Ok(Ok(x)) => x,
        Ok(Err(e)) => {
            store_failure(ctx, feed, &e, Some(fetched.status), None, jitter).await?;
            return Err(e);
        }
        Err(join) => {
            let e = FeedFailure::Join(join.to_string());
            store_failure(ctx, feed, &e, Some(fetched.status), None, jitter).await?;
            return Err(e);
        }
    };
    span.record("new", new);
    let facts = PollFacts {
        interval,
        new_entries: new,
        last_new_at: feed.last_new_at,
        hints: Some(&hints),
        fresh_for: fetched.fresh_for,
    };
    let (next, interval) = schedule::after_success(&feed_schedule(ctx, feed), now, &facts, jitter);
    let update = FeedUpdate {
        fetched_at: now,
        status: Some(fetched.status),
        next_poll_at: next,
        interval_secs: Some(interval.as_secs()),
        validators: Some(validators),
        new_entries: new,
        title,
        site_url,
        moved_to,
        guid_trust: Some(trust),
        ..Default::default()
    };
    if trust != GuidTrust::Trusted {
        tracing::debug!(guid_trust = trust.as_str(), "the feed's guids do not identify its entries");
    }
    let stored = ctx.writer.feed_polled(feed.id, update, entries).await?;
    ctx.metrics.entries(stored.pending.len() as u64, stored.known as u64);
    let policy = PagePolicy::of(feed);
    for p in stored.pending {
        spawn_page(ctx, PageJob { policy, ..PageJob::from(p) }).await;
    }
    for (article_id, entry) in changed {
        // One revision of an article at a time; a later poll picks up what is still different.
        if lock(&ctx.revising).insert(article_id) {
            let job = PageJob { article_id, entry, revision_for_feed: Some(feed.id), policy, deferrals: 0 };
            spawn_page(ctx, job).await;
        }
    }
    Ok(Polled::Done)
}

/// Gives each entry its identity key and drops those this feed already carried unchanged.
/// Returns the entries to store, how many of them are new articles, and the articles whose
/// entry this feed changed (to be revised).
#[allow(clippy::type_complexity)]
fn identify(
    ctx: &Ctx,
    feed_id: i64,
    entries: Vec<Entry>,
) -> Result<(Vec<NewEntry>, usize, Vec<(i64, Entry)>), FeedFailure> {
    let cfg = ctx.cfg();
    let mut seen = HashSet::new();
    let keyed: Vec<(String, String, Entry)> = entries
        .into_iter()
        .map(|e| (identity_key(&cfg.identity, feed_id, &e), entry_hash(&e), e))
        .filter(|(k, _, _)| seen.insert(k.clone()))
        .collect();
    let keys: Vec<(&str, Option<&str>)> =
        keyed.iter().map(|(k, h, _)| (k.as_str(), Some(h.as_str()))).collect();
    let states = lock(&ctx.reader).classify_keys(feed_id, &keys)?;
    let mut new = 0;
    let mut out = Vec::new();
    let mut changed = Vec::new();
    for ((key, _, entry), state) in keyed.into_iter().zip(states) {
        match state {
            KeyState::KnownHere => continue,
            KeyState::Changed(id) => {
                changed.push((id, entry));
                continue;
            }
            KeyState::KnownElsewhere => {}
            KeyState::New => new += 1,
        }
        out.push(NewEntry { key, entry });
    }
    Ok((out, new, changed))
}

/// How many of a feed's stored entries the guid-trust check compares a poll with.
const GUID_HISTORY: usize = 500;

/// What this poll shows of the feed's guids, against the entries it carried before. Identity
/// never rests on a guid when there is a link (see [`identity_key`]), so an unstable or reused
/// guid cannot create or merge articles; the verdict is recorded on the feed for operators.
fn guid_trust(ctx: &Ctx, feed_id: i64, entries: &[Entry]) -> Result<GuidTrust, FeedFailure> {
    let cfg = ctx.cfg();
    let current: Vec<GuidObservation> = entries
        .iter()
        .map(|e| {
            let link = e.link.as_deref().and_then(|l| canonicalize_url(l, &cfg.identity).ok());
            GuidObservation::from_entry(e, link.as_ref())
        })
        .collect();
    let previous = lock(&ctx.reader).guid_observations(feed_id, GUID_HISTORY)?;
    Ok(dedup::assess_guid_trust(&previous, &current))
}

/// The schedule bounds of one feed: `[schedule]` with the feed's own overrides.
fn feed_schedule(ctx: &Ctx, feed: &FeedRecord) -> crate::config::ScheduleConfig {
    match &feed.request {
        Some(r) => r.schedule(&ctx.cfg().schedule),
        None => ctx.cfg().schedule.clone(),
    }
}

/// The identity of an entry: its canonical link, else a key scoped to the feed and entry id.
pub fn identity_key(canon: &CanonOptions, feed_id: i64, entry: &Entry) -> String {
    entry
        .link
        .as_deref()
        .and_then(|l| canonicalize_url(l, canon).ok())
        .map(String::from)
        .unwrap_or_else(|| format!("urn:rill:feed:{feed_id}:entry:{}", entry.id))
}

async fn store_failure(
    ctx: &Ctx,
    feed: &FeedRecord,
    error: &FeedFailure,
    status: Option<u16>,
    state: Option<(FeedState, String)>,
    jitter: f64,
) -> Result<(), StoreError> {
    let now = Utc::now();
    let retry_after = match error {
        FeedFailure::Fetch(e) => e.retry_after(),
        _ => None,
    };
    let next =
        schedule::after_failure(&feed_schedule(ctx, feed), now, feed.error_count + 1, retry_after, jitter);
    let retry_after_until = retry_after.and_then(|d| chrono::Duration::from_std(d).ok()).map(|d| now + d);
    let update = FeedUpdate {
        fetched_at: now,
        status,
        error: Some(error.to_string()),
        next_poll_at: next,
        retry_after_until,
        state,
        ..Default::default()
    };
    ctx.writer.feed_polled(feed.id, update, Vec::new()).await.map(|_| ())
}

/// Starts a page task once a page permit is free (this is where backpressure reaches the feeds).
/// Longest wait for a host's `Retry-After` before an article's page is given up (and the
/// feed's content stored instead).
const MAX_PAGE_DEFER: Duration = Duration::from_secs(600);

/// Processes the page again once its host may be contacted (the article stays pending).
fn defer_page(ctx: &Arc<Ctx>, mut job: PageJob, left: Duration) {
    job.deferrals += 1;
    ctx.metrics.deferred();
    let c = ctx.clone();
    ctx.tracker.spawn(async move {
        tokio::select! {
            _ = tokio::time::sleep(left + Duration::from_millis(50)) => spawn_page(&c, job).await,
            _ = c.token.cancelled() => {}
        }
    });
}

/// An article whose page is to be processed: a new one (pending), or a stored one whose entry
/// a feed changed (a revision).
struct PageJob {
    article_id: i64,
    entry: Entry,
    /// The feed that changed the entry, for a revision.
    revision_for_feed: Option<i64>,
    /// The feed's own page settings (for an article resumed after a restart: those of a feed
    /// that carries it).
    policy: PagePolicy,
    /// How often it waited for a host's `Retry-After` already (at most [`MAX_PAGE_DEFERRALS`]).
    deferrals: u8,
}

/// A page waits for its host's `Retry-After` this many times at most; then the article is
/// stored with the feed's content, so a host that always answers 429 cannot hold it forever.
const MAX_PAGE_DEFERRALS: u8 = 3;

/// A feed's overrides of `fetch.fetch_pages` and `fetch.respect_robots` for its articles.
#[derive(Debug, Clone, Copy, Default)]
struct PagePolicy {
    fetch_pages: Option<bool>,
    respect_robots: Option<bool>,
}

impl PagePolicy {
    fn of(feed: &FeedRecord) -> PagePolicy {
        feed.request.as_ref().map_or_else(PagePolicy::default, PagePolicy::from)
    }
}

impl From<&crate::fetch::RequestSettings> for PagePolicy {
    fn from(r: &crate::fetch::RequestSettings) -> PagePolicy {
        PagePolicy { fetch_pages: r.fetch_pages, respect_robots: r.respect_robots }
    }
}

impl From<PendingArticle> for PageJob {
    fn from(p: PendingArticle) -> PageJob {
        PageJob {
            article_id: p.article_id,
            entry: p.entry,
            revision_for_feed: None,
            policy: PagePolicy::default(),
            deferrals: 0,
        }
    }
}

async fn spawn_page(ctx: &Arc<Ctx>, pending: PageJob) {
    let permit = tokio::select! {
        p = ctx.pages.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => return },
        _ = ctx.token.cancelled() => return,
    };
    let c = ctx.clone();
    ctx.metrics.page_started();
    ctx.tracker.spawn(async move {
        tokio::select! {
            _ = process_page(&c, pending) => {}
            _ = c.token.cancelled() => {}
        }
        c.metrics.page_finished();
        drop(permit);
    });
}

/// A page as fetched, before extraction.
pub struct FetchedPage {
    pub body: Vec<u8>,
    /// The URL after redirects.
    pub url: Url,
    pub content_type: Option<String>,
}

/// The pure end of the page stage: extract the page (if any), choose between it and the feed's
/// content, enrich the chosen text, and compress the page for keeping when `keep_page`.
pub fn finish(page: Option<&FetchedPage>, entry: &Entry, keep_page: bool, canon: &CanonOptions) -> Finished {
    let from_page = page.map(|p| extract::extract_article(&p.body, Some(&p.url), Some(entry)));
    let article = extract::choose_article(from_page, entry);
    // Only a page that was taken as the article speaks for its identity (not a blocked,
    // empty or error page the extractor turned down); its canonical link is then the page's.
    let key = page
        .filter(|_| article.source == crate::model::ContentSource::Page)
        .and_then(|p| page_identity(&p.url, article.canonical_url.as_deref(), entry, canon));
    let enrichment = enrich::enrich(&article.text, article.title.as_deref());
    let fingerprints = Fingerprints::of(&article.text);
    let outlet = page
        .map(|p| p.url.clone())
        .or_else(|| entry.link.as_deref().and_then(|l| Url::parse(l).ok()))
        .and_then(|u| u.host_str().map(|h| dedup::registrable_domain(h).to_string()));
    let page = page
        .filter(|_| keep_page)
        .and_then(|p| PageBlob::compress(p.url.as_str(), p.content_type.as_deref(), &p.body, Utc::now()));
    Finished {
        article,
        enrichment: Some(enrichment),
        page,
        fingerprints: Some(fingerprints),
        story: None,
        outlet,
        revised_entry: None,
        key,
    }
}

/// The identity a fetched page gives its article: the page's own same-site `rel=canonical` /
/// `og:url` (`declared`), else the final URL after redirects ([`dedup::prefer_page_canonical`]).
/// `None` when the entry has no parseable link (its key is then feed-scoped and stays).
fn page_identity(
    final_url: &Url,
    declared: Option<&str>,
    entry: &Entry,
    canon: &CanonOptions,
) -> Option<String> {
    let link = Url::parse(entry.link.as_deref()?).ok()?;
    Some(dedup::prefer_page_canonical(&link, declared, Some(final_url), canon).to_string())
}

/// How long an article stays a candidate for new articles of its story.
const STORY_WINDOW_DAYS: i64 = 14;

/// The story index of recent articles: which story each belongs to, and their evidence.
/// Held under one short lock so that two copies of a new story processed at the same moment
/// cannot both start a story.
struct Stories {
    index: StoryIndex,
    story_of: HashMap<i64, i64>,
    /// Insertion order, for evicting articles older than the window.
    order: std::collections::VecDeque<(chrono::DateTime<Utc>, i64)>,
}

impl Stories {
    /// Sized for `recent` articles (the index grows past that by itself).
    fn with_capacity(recent: usize) -> Stories {
        Stories {
            index: StoryIndex::with_capacity(recent),
            story_of: HashMap::new(),
            order: Default::default(),
        }
    }

    fn insert(&mut self, at: chrono::DateTime<Utc>, article_id: i64, story_id: i64, evidence: StoryEvidence) {
        self.index.insert(article_id, evidence);
        self.story_of.insert(article_id, story_id);
        self.order.push_back((at, article_id));
        let cutoff = at - chrono::Duration::days(STORY_WINDOW_DAYS);
        while self.order.front().is_some_and(|(t, _)| *t < cutoff) {
            if let Some((_, old)) = self.order.pop_front() {
                self.index.remove(old);
                self.story_of.remove(&old);
            }
        }
    }

    /// Drops an article that no longer exists (folded into another) from the index.
    fn forget(&mut self, article_id: i64) {
        self.index.remove(article_id);
        self.story_of.remove(&article_id);
        self.order.retain(|(_, id)| *id != article_id);
    }

    /// The story of a new article: the story of its best match at or above the threshold, else
    /// a new story named by the article's own id. Returns `(story id, score)`.
    fn assign(&mut self, article_id: i64, fp: &Fingerprints) -> (i64, Option<f32>) {
        if let Some(&story) = self.story_of.get(&article_id) {
            return (story, None); // already assigned (a resumed article)
        }
        if fp.shingles == 0 {
            return (article_id, None); // no text: no evidence to group on
        }
        let evidence = StoryEvidence::from(fp);
        let best = self.index.query(&evidence, STORY_THRESHOLD).into_iter().find(|(id, _)| *id != article_id);
        let (story, score) = match best {
            Some((id, score)) => (self.story_of.get(&id).copied().unwrap_or(id), Some(score)),
            None => (article_id, None),
        };
        self.insert(Utc::now(), article_id, story, evidence);
        (story, score)
    }
}

/// Fetches an article's page, obeying robots.txt when asked: the page's own origin, and again
/// for each origin a redirect leads to (a feed proxy's link redirects to the publisher, whose
/// robots.txt is the one that counts). `Ok(None)` when the page is disallowed or cannot be
/// fetched: the article keeps the feed's content. `Err(wait)` when a host on the way asked not
/// to be contacted for that long (a `Retry-After`): come back then.
async fn fetch_page(ctx: &Ctx, url: Url, respect_robots: bool) -> Result<Option<FetchedPage>, Duration> {
    let mut url = url;
    for _ in 0..=ctx.cfg().fetch.max_redirects {
        if respect_robots {
            match ctx.robots.check(&ctx.fetcher, &url).await {
                Verdict::Allow => {}
                Verdict::Wait(wait) => return Err(wait),
                Verdict::Disallow(why) => {
                    ctx.metrics.page_disallowed();
                    tracing::debug!(url = %url, reason = %why, "page not fetched (robots.txt); using the feed's content");
                    return Ok(None);
                }
            }
        }
        let req = FetchRequest {
            url: &url,
            etag: None,
            last_modified: None,
            max_bytes: ctx.cfg().fetch.max_page_bytes,
            accept: ACCEPT_PAGE,
            settings: None,
            stop_at_other_origin: respect_robots,
        };
        let started = Instant::now();
        let result = ctx.fetcher.fetch(&req).await;
        let (status, bytes) = (fetch_status(&result), fetch_bytes(&result));
        ctx.metrics.fetched(Kind::Page, status, bytes, started.elapsed());
        match result {
            Ok(f) => match f.redirect_to {
                Some(next) => url = next,
                None => {
                    let (url, content_type) = (f.final_url, f.content_type);
                    return Ok(f.body.map(|body| FetchedPage { body, url, content_type }));
                }
            },
            Err(FetchError::HostBlocked(wait)) => return Err(wait),
            Err(e) => {
                warn!(error = %e, "page fetch failed; using the feed's content");
                return Ok(None);
            }
        }
    }
    warn!("page fetch failed: too many redirects across sites; using the feed's content");
    Ok(None)
}

/// Fetches and extracts one article's page (falling back to the feed's content) and stores it.
async fn process_page(ctx: &Arc<Ctx>, mut pending: PageJob) {
    let span = info_span!("page", id = pending.article_id, url = tracing::field::Empty);
    async {
        let mut attempted = false;
        let page = match pending.entry.link.as_deref().map(Url::parse) {
            Some(Ok(url)) if pending.policy.fetch_pages.unwrap_or(ctx.cfg().fetch.fetch_pages) => {
                attempted = true;
                // The host asked to wait: come back then rather than give up the page.
                let may_defer =
                    |left: &Duration| *left <= MAX_PAGE_DEFER && pending.deferrals < MAX_PAGE_DEFERRALS;
                if let Some(left) = ctx.fetcher.blocked_for(&url).filter(may_defer) {
                    defer_page(ctx, pending, left);
                    return;
                }
                tracing::Span::current().record("url", url.as_str());
                let respect_robots = pending.policy.respect_robots.unwrap_or(ctx.cfg().fetch.respect_robots);
                match fetch_page(ctx, url, respect_robots).await {
                    Ok(page) => page,
                    Err(left) if may_defer(&left) => {
                        defer_page(ctx, pending, left);
                        return;
                    }
                    Err(left) => {
                        warn!(wait = ?left, "the page's host keeps asking to wait; using the feed's content");
                        None
                    }
                }
            }
            _ => None,
        };
        // Shared, not copied: the blocking task needs it, and so does the fallback if it panics.
        let entry = Arc::new(std::mem::take(&mut pending.entry));
        let revised_entry =
            pending.revision_for_feed.map(|feed_id| EntryRevision { feed_id, entry: Entry::clone(&entry) });
        let keep = !ctx.cfg().storage.keep_pages.is_zero();
        let (task_entry, cfg) = (entry.clone(), ctx.cfg());
        let finished =
            tokio::task::spawn_blocking(move || finish(page.as_ref(), &task_entry, keep, &cfg.identity))
                .await;
        let mut finished = match finished {
            Ok(f) => f,
            Err(e) => {
                // A page that makes a parser panic must not leave its article pending forever
                // (it would panic again at every restart): store the feed's content instead.
                warn!(error = %e, "extraction of the page failed; using the feed's content");
                let cfg = ctx.cfg();
                match tokio::task::spawn_blocking(move || finish(None, &entry, false, &cfg.identity)).await {
                    Ok(f) => f,
                    Err(e) => {
                        warn!(error = %e, "the feed's content cannot be processed either");
                        return;
                    }
                }
            }
        };
        // With a page identity, "not stored" means folded into another article.
        let rekeyed = finished.key.is_some();
        if attempted && finished.article.source != crate::model::ContentSource::Page {
            ctx.metrics.extraction_failed();
        }
        if let Some(rev) = revised_entry {
            // A revision keeps its story; only its content and entry change.
            finished.revised_entry = Some(rev);
            let result = ctx.writer.article_revised(pending.article_id, finished).await;
            lock(&ctx.revising).remove(&pending.article_id);
            match result {
                Ok(true) => ctx.metrics.revised(),
                Ok(false) => {}
                Err(e) => warn!(error = %e, "cannot store the revised article"),
            }
            return;
        }
        if let Some(fp) = &finished.fingerprints {
            finished.story = Some(lock(&ctx.stories).assign(pending.article_id, fp));
        }
        match ctx.writer.article_ready(pending.article_id, finished).await {
            Ok(true) => {
                ctx.metrics.committed();
            }
            Ok(false) if rekeyed => {
                // Folded into the same article stored under another address: it no longer exists.
                tracing::debug!("same article as one already stored under the page's canonical URL");
                lock(&ctx.stories).forget(pending.article_id);
            }
            Ok(false) => {}
            Err(e) => warn!(error = %e, "cannot store article"),
        }
    }
    .instrument(span)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(id: i64, url: &str) -> FeedRecord {
        FeedRecord {
            id,
            url: url.into(),
            title: None,
            site_url: None,
            added_at: None,
            state: FeedState::Ok,
            state_reason: None,
            etag: None,
            last_modified: None,
            body_hash: None,
            last_fetch_at: None,
            last_status: None,
            last_error: None,
            error_count: 0,
            interval_secs: None,
            next_poll_at: None,
            retry_after_until: None,
            last_new_at: None,
            request: None,
            article_count: 0,
        }
    }

    #[test]
    fn interleave_alternates_hosts() {
        let feeds = vec![
            feed(1, "http://a.example/1"),
            feed(2, "http://a.example/2"),
            feed(3, "http://a.example/3"),
            feed(4, "http://b.example/1"),
        ];
        let ids: Vec<i64> = interleave_hosts(feeds).iter().map(|f| f.id).collect();
        assert_eq!(ids, vec![1, 4, 2, 3]);
    }

    #[test]
    fn identity_prefers_link_then_feed_scoped_id() {
        let canon = CanonOptions::default();
        let with_link = Entry {
            id: "g1".into(),
            link: Some("HTTP://Example.org/a?utm_source=x#top".into()),
            ..Default::default()
        };
        assert_eq!(identity_key(&canon, 7, &with_link), "https://example.org/a");
        let no_link = Entry { id: "g1".into(), ..Default::default() };
        assert_eq!(identity_key(&canon, 7, &no_link), "urn:rill:feed:7:entry:g1");
    }
}
