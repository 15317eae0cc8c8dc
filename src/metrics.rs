//! Counters of one pipeline run: the summary `rill poll` prints, the progress bar, and the
//! Prometheus metrics the API serves at `/metrics` (names start with `rill_`).
//!
//! Owns: the metric names, their labels and their meaning. Does not own serving them (that is
//! [`crate::api`]) nor the gauges that are read from the database at scrape time (feeds by
//! state, last seq), which the API sets just before encoding.
//!
//! Every update is a relaxed atomic add: cheap enough for the hot path, and no lock is held.

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use serde::Serialize;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;
use std::time::Duration;

/// What was fetched.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub enum Kind {
    Feed,
    Page,
}

/// The outcome of a fetch, by HTTP status class (`error` when no status was received).
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub enum Class {
    S2xx,
    S3xx,
    S4xx,
    S5xx,
    Error,
}

impl Class {
    /// The class of a status code, `error` for none.
    pub fn of(status: Option<u16>) -> Class {
        match status {
            Some(200..=299) => Class::S2xx,
            Some(300..=399) => Class::S3xx,
            Some(400..=499) => Class::S4xx,
            Some(500..=599) => Class::S5xx,
            _ => Class::Error,
        }
    }
}

impl EncodeLabelValue for Kind {
    fn encode(&self, e: &mut LabelValueEncoder) -> std::fmt::Result {
        e.write_str(match self {
            Kind::Feed => "feed",
            Kind::Page => "page",
        })
    }
}

impl EncodeLabelValue for Class {
    fn encode(&self, e: &mut LabelValueEncoder) -> std::fmt::Result {
        e.write_str(match self {
            Class::S2xx => "2xx",
            Class::S3xx => "3xx",
            Class::S4xx => "4xx",
            Class::S5xx => "5xx",
            Class::Error => "error",
        })
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FetchLabels {
    kind: Kind,
    class: Class,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: Kind,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StateLabel {
    pub state: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabel {
    queue: &'static str,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

fn duration_buckets() -> Histogram {
    // 10 ms .. ~82 s
    Histogram::new(exponential_buckets(0.01, 2.0, 14))
}

/// Counts of one run, printed by `rill poll`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub feeds_polled: u64,
    pub feeds_ok: u64,
    pub feeds_failed: u64,
    /// Feeds that answered 304 Not Modified.
    pub not_modified: u64,
    /// Feeds that sent a full body identical to the last one.
    pub unchanged: u64,
    pub new_articles: u64,
    pub pages_fetched: u64,
    pub pages_failed: u64,
    /// Pages not fetched because the site's robots.txt disallows them (the feed's content is
    /// stored instead).
    pub pages_disallowed: u64,
    /// Feed polls and pages put off until their host's `Retry-After` (another feed's 429/503).
    pub deferred: u64,
    /// Articles made visible (with a seq).
    pub articles_committed: u64,
    /// Stored articles whose content changed and got a new seq.
    pub articles_revised: u64,
}

/// All counters of a run. Shared behind an `Arc` by the pipeline, the API and the progress bar.
pub struct Metrics {
    feeds_polled: AtomicU64,
    feeds_ok: AtomicU64,
    feeds_failed: AtomicU64,
    not_modified: AtomicU64,
    unchanged: AtomicU64,
    new_articles: AtomicU64,
    pages_fetched: AtomicU64,
    pages_failed: AtomicU64,
    pages_disallowed: AtomicU64,
    deferred: AtomicU64,
    articles_committed: AtomicU64,
    articles_revised: AtomicU64,
    /// Feeds the current pass set out to poll (for the progress bar).
    pub feeds_planned: AtomicU64,

    registry: Mutex<Registry>,
    fetches: Family<FetchLabels, Counter>,
    fetch_bytes: Family<KindLabel, Counter>,
    fetch_seconds: HistogramFamily<KindLabel>,
    articles_stored: Counter,
    articles_committed_c: Counter,
    articles_revised_c: Counter,
    duplicates: Counter,
    extraction_failures: Counter,
    feed_failures: Counter,
    robots_disallowed: Counter,
    queue: Family<QueueLabel, Gauge>,
    /// Feeds by state, set from the database at scrape time.
    pub feeds_by_state: Family<StateLabel, Gauge>,
    /// Highest committed seq, set at scrape time.
    pub last_seq: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut r = Registry::with_prefix("rill");
        let fetches = Family::<FetchLabels, Counter>::default();
        r.register("fetches", "HTTP fetches by kind (feed, page) and status class", fetches.clone());
        let fetch_bytes = Family::<KindLabel, Counter>::default();
        r.register("fetch_bytes", "Body bytes received (decompressed)", fetch_bytes.clone());
        let fetch_seconds: HistogramFamily<KindLabel> = Family::new_with_constructor(duration_buckets);
        r.register("fetch_duration_seconds", "Time per fetch, including redirects", fetch_seconds.clone());
        let articles_stored = Counter::default();
        r.register("articles_stored", "New articles stored (pending their page)", articles_stored.clone());
        let articles_committed_c = Counter::default();
        r.register(
            "articles_committed",
            "Articles made visible to readers with a seq",
            articles_committed_c.clone(),
        );
        let articles_revised_c = Counter::default();
        r.register(
            "articles_revised",
            "Stored articles whose content changed (new seq, revision + 1)",
            articles_revised_c.clone(),
        );
        let duplicates = Counter::default();
        r.register(
            "duplicates_dropped",
            "Feed entries dropped because the article was already stored",
            duplicates.clone(),
        );
        let extraction_failures = Counter::default();
        r.register(
            "extraction_failures",
            "Pages that could not be used (fetch failed, blocked, poorer than the feed); the feed's content was stored",
            extraction_failures.clone(),
        );
        let feed_failures = Counter::default();
        r.register("feed_failures", "Feed polls that failed (fetch, parse, store)", feed_failures.clone());
        let robots_disallowed = Counter::default();
        r.register(
            "pages_disallowed",
            "Article pages not fetched because robots.txt disallows them",
            robots_disallowed.clone(),
        );
        let queue = Family::<QueueLabel, Gauge>::default();
        r.register("queue_depth", "Work in flight: feeds being polled, pages being processed", queue.clone());
        let feeds_by_state = Family::<StateLabel, Gauge>::default();
        r.register("feeds", "Feeds by state", feeds_by_state.clone());
        let last_seq = Gauge::default();
        r.register("last_seq", "Highest committed article seq", last_seq.clone());
        Metrics {
            feeds_polled: AtomicU64::new(0),
            feeds_ok: AtomicU64::new(0),
            feeds_failed: AtomicU64::new(0),
            not_modified: AtomicU64::new(0),
            unchanged: AtomicU64::new(0),
            new_articles: AtomicU64::new(0),
            pages_fetched: AtomicU64::new(0),
            pages_failed: AtomicU64::new(0),
            pages_disallowed: AtomicU64::new(0),
            deferred: AtomicU64::new(0),
            articles_committed: AtomicU64::new(0),
            articles_revised: AtomicU64::new(0),
            feeds_planned: AtomicU64::new(0),
            registry: Mutex::new(r),
            fetches,
            fetch_bytes,
            fetch_seconds,
            articles_stored,
            articles_committed_c,
            articles_revised_c,
            duplicates,
            extraction_failures,
            feed_failures,
            robots_disallowed,
            queue,
            feeds_by_state,
            last_seq,
        }
    }

    /// The run's summary so far.
    pub fn summary(&self) -> Summary {
        Summary {
            feeds_polled: self.feeds_polled.load(Relaxed),
            feeds_ok: self.feeds_ok.load(Relaxed),
            feeds_failed: self.feeds_failed.load(Relaxed),
            not_modified: self.not_modified.load(Relaxed),
            unchanged: self.unchanged.load(Relaxed),
            new_articles: self.new_articles.load(Relaxed),
            pages_fetched: self.pages_fetched.load(Relaxed),
            pages_failed: self.pages_failed.load(Relaxed),
            pages_disallowed: self.pages_disallowed.load(Relaxed),
            deferred: self.deferred.load(Relaxed),
            articles_committed: self.articles_committed.load(Relaxed),
            articles_revised: self.articles_revised.load(Relaxed),
        }
    }

    /// Prometheus text exposition of every metric.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        let registry = self.registry.lock().unwrap_or_else(|p| p.into_inner());
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &registry);
        out
    }

    /// One fetch finished: its status (None when no response), body size and duration.
    pub fn fetched(&self, kind: Kind, status: Option<u16>, bytes: usize, took: Duration) {
        self.fetches.get_or_create(&FetchLabels { kind, class: Class::of(status) }).inc();
        self.fetch_bytes.get_or_create(&KindLabel { kind }).inc_by(bytes as u64);
        self.fetch_seconds.get_or_create(&KindLabel { kind }).observe(took.as_secs_f64());
        if kind == Kind::Page {
            if status.is_some_and(|s| s < 400) {
                self.pages_fetched.fetch_add(1, Relaxed);
            } else {
                self.pages_failed.fetch_add(1, Relaxed);
            }
        }
    }

    pub fn feed_started(&self) {
        self.feeds_polled.fetch_add(1, Relaxed);
        self.queue.get_or_create(&QueueLabel { queue: "feeds" }).inc();
    }

    /// A feed poll ended without a request: its host asked to wait. It counts as not polled.
    pub fn feed_deferred(&self) {
        self.queue.get_or_create(&QueueLabel { queue: "feeds" }).dec();
        self.feeds_polled.fetch_sub(1, Relaxed);
    }

    /// A feed poll ended; `ok` when its outcome was stored without error.
    pub fn feed_finished(&self, ok: bool) {
        self.queue.get_or_create(&QueueLabel { queue: "feeds" }).dec();
        if ok {
            self.feeds_ok.fetch_add(1, Relaxed);
        } else {
            self.feeds_failed.fetch_add(1, Relaxed);
            self.feed_failures.inc();
        }
    }

    pub fn not_modified(&self) {
        self.not_modified.fetch_add(1, Relaxed);
    }

    pub fn unchanged(&self) {
        self.unchanged.fetch_add(1, Relaxed);
    }

    /// Entries of a poll: `new` articles stored, `duplicates` dropped as already stored.
    pub fn entries(&self, new: u64, duplicates: u64) {
        self.new_articles.fetch_add(new, Relaxed);
        self.articles_stored.inc_by(new);
        self.duplicates.inc_by(duplicates);
    }

    pub fn page_started(&self) {
        self.queue.get_or_create(&QueueLabel { queue: "pages" }).inc();
    }

    pub fn page_finished(&self) {
        self.queue.get_or_create(&QueueLabel { queue: "pages" }).dec();
    }

    /// robots.txt disallowed a page; the feed's content is stored instead.
    pub fn page_disallowed(&self) {
        self.pages_disallowed.fetch_add(1, Relaxed);
        self.robots_disallowed.inc();
    }

    /// A feed poll or a page waits for its host's `Retry-After`.
    pub fn deferred(&self) {
        self.deferred.fetch_add(1, Relaxed);
    }

    /// The page could not be used and the feed's content was stored instead.
    pub fn extraction_failed(&self) {
        self.extraction_failures.inc();
    }

    /// A stored article changed (its feed entry or its page) and got a new seq.
    pub fn revised(&self) {
        self.articles_revised.fetch_add(1, Relaxed);
        self.articles_revised_c.inc();
    }

    pub fn committed(&self) {
        self.articles_committed.fetch_add(1, Relaxed);
        self.articles_committed_c.inc();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_names_start_with_rill_and_count() {
        let m = Metrics::new();
        m.fetched(Kind::Feed, Some(200), 1000, Duration::from_millis(30));
        m.fetched(Kind::Page, Some(503), 10, Duration::from_millis(5));
        m.fetched(Kind::Page, None, 0, Duration::from_millis(5));
        m.entries(3, 2);
        m.committed();
        let text = m.encode();
        assert!(text.contains(r#"rill_fetches_total{kind="feed",class="2xx"} 1"#), "{text}");
        assert!(text.contains(r#"rill_fetches_total{kind="page",class="error"} 1"#), "{text}");
        assert!(text.contains("rill_fetch_bytes_total"));
        assert!(text.contains("rill_duplicates_dropped_total 2"), "{text}");
        assert!(text.contains("rill_articles_committed_total 1"), "{text}");
        for line in text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            assert!(line.starts_with("rill_"), "{line}");
        }
        assert_eq!(m.summary().pages_failed, 2);
        assert_eq!(m.summary().new_articles, 3);
    }
}
