//! robots.txt for article page fetches (RFC 9309), with a per-host cache.
//!
//! Owns: parsing a robots.txt body for rill ([`RobotsTxt`], a thin layer over the `robotxt`
//! crate), fetching it once per host and keeping it ([`RobotsCache`]), and the decision whether
//! one page may be fetched now ([`Verdict`]), including the host's `Crawl-delay`.
//!
//! Does not own: the HTTP request itself (the robots fetch goes through the same [`Fetcher`], so
//! the address guard, per-host politeness and size limits apply to it too), nor what happens to a
//! page that may not be fetched (the daemon falls back to the feed's content). Feeds are exempt,
//! as in every feed reader: a feed URL is published to be polled by programs.
//!
//! # Rules
//!
//! * Groups: the group whose `User-agent` is rill's product token [`PRODUCT_TOKEN`] ("rill",
//!   case-insensitive), else the `*` group. `Allow`/`Disallow` by longest match, `Allow` winning
//!   a tie; `*` matches any run of characters and a final `$` anchors the end. Only the first
//!   500 KiB of the file are read, as at Google ([`MAX_ROBOTS_BYTES`]).
//! * Fetch outcomes (RFC 9309 §2.3.1): 2xx → the rules; 4xx → "unavailable": everything allowed;
//!   too many redirects → unavailable (§2.3.1.2); 5xx, 429, network error, timeout, refused by
//!   the guard → "unreachable": everything disallowed for that host, cached only for
//!   [`ERROR_TTL`] so that it is retried soon.
//! * Cache: keyed by scheme, host and port; entries live [`TTL`] (24 h, the RFC's upper bound),
//!   at most a bounded number of hosts are kept (expired entries go first, then the oldest), and
//!   concurrent misses for one host wait for the same single fetch.
//! * `Crawl-delay` (not in the RFC, widely used): page fetches to the host are spaced by it,
//!   capped at [`MAX_CRAWL_DELAY`]. A page that would have to wait more than
//!   [`MAX_CRAWL_DELAY_WAIT`] is not fetched (it would hold a page slot that long).

use crate::fetch::{FetchError, FetchRequest, Fetcher};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::OnceCell;
use tokio::time::Instant;
use url::Url;

/// The product token rill looks for in `User-agent` lines.
pub const PRODUCT_TOKEN: &str = "rill";
/// Bytes of a robots.txt body that are read; the rest is ignored (RFC 9309 §2.5: at least 500 KiB).
pub const MAX_ROBOTS_BYTES: usize = robotxt::BYTE_LIMIT;
/// How long fetched rules (and a 4xx "allow all") are kept.
pub const TTL: Duration = Duration::from_secs(24 * 3600);
/// How long an unreachable robots.txt (5xx, network error) disallows the host before a retry.
pub const ERROR_TTL: Duration = Duration::from_secs(10 * 60);
/// Longest `Crawl-delay` honoured.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);
/// Longest a page waits for its turn under a `Crawl-delay` before it is given up.
pub const MAX_CRAWL_DELAY_WAIT: Duration = Duration::from_secs(5 * 60);
/// Hosts whose rules are kept at most, by default.
pub const DEFAULT_MAX_HOSTS: usize = 10_000;
/// `Accept` header of the robots.txt request.
pub const ACCEPT_ROBOTS: &str = "text/plain, */*;q=0.8";

/// The rules of one robots.txt that apply to rill.
#[derive(Debug, Clone)]
pub struct RobotsTxt {
    rules: robotxt::Robots,
}

impl RobotsTxt {
    /// Parses a robots.txt body for rill's product token. Never fails: lines that are not
    /// directives are ignored, and bytes past [`MAX_ROBOTS_BYTES`] are not read.
    pub fn parse(body: &[u8]) -> RobotsTxt {
        RobotsTxt::parse_for(body, PRODUCT_TOKEN)
    }

    /// Parses a robots.txt body for the given product token.
    pub fn parse_for(body: &[u8], token: &str) -> RobotsTxt {
        RobotsTxt { rules: robotxt::Robots::parse(body, token) }
    }

    /// True when the URL's path and query may be fetched.
    pub fn is_allowed(&self, url: &Url) -> bool {
        self.rules.is_url_allowed(url)
    }

    /// True when a path (with query) may be fetched.
    pub fn is_path_allowed(&self, path: &str) -> bool {
        self.rules.is_allowed(path)
    }

    /// The group's `Crawl-delay`, if any (uncapped).
    pub fn crawl_delay(&self) -> Option<Duration> {
        self.rules.crawl_delay()
    }
}

/// What a host's robots.txt says, once fetched.
#[derive(Debug, Clone)]
enum Rules {
    Parsed(RobotsTxt),
    /// 4xx or too many redirects: no restrictions.
    AllowAll,
    /// 5xx, 429, network error: nothing may be fetched for now (the reason, for the log).
    DisallowAll(String),
}

#[derive(Debug)]
struct Cached {
    rules: Rules,
    expires: Instant,
}

/// Why a page may not be fetched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("disallowed by {robots}")]
    Rules { robots: String },
    #[error("{robots} is unreachable ({reason}); the host counts as disallowed until it can be fetched")]
    Unreachable { robots: String, reason: String },
    #[error("{robots} asks for a crawl-delay of {delay:?}; this page would wait more than {max:?}")]
    Backlog { robots: String, delay: Duration, max: Duration },
}

/// May this page be fetched?
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Yes, now (any `Crawl-delay` wait is over).
    Allow,
    /// No: use what the feed carries instead.
    Disallow(Denied),
    /// Not yet: the host asked not to be contacted for this long (a `Retry-After`), so its
    /// robots.txt could not be read. Nothing is cached; ask again then.
    Wait(Duration),
}

/// One host's cache entry: the rules (fetched once, shared by concurrent callers) and the
/// crawl-delay schedule.
struct Slot {
    rules: OnceCell<Cached>,
    created: Instant,
    /// The earliest start of the next page fetch under the host's `Crawl-delay`.
    next_page: Mutex<Instant>,
}

/// robots.txt rules per host (scheme, host, port), fetched on first use. Cheap to share.
pub struct RobotsCache {
    slots: Mutex<HashMap<String, Arc<Slot>>>,
    max_hosts: usize,
}

impl Default for RobotsCache {
    fn default() -> Self {
        RobotsCache::new(DEFAULT_MAX_HOSTS)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The cache key of a URL: scheme, host and port (robots.txt is per origin).
pub fn cache_key(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    let port = url.port_or_known_default()?;
    Some(format!("{}://{}:{}", url.scheme(), host.to_ascii_lowercase(), port))
}

impl RobotsCache {
    /// A cache that keeps the rules of at most `max_hosts` hosts.
    pub fn new(max_hosts: usize) -> RobotsCache {
        RobotsCache { slots: Mutex::new(HashMap::new()), max_hosts: max_hosts.max(1) }
    }

    /// Hosts currently cached (expired ones included until they are replaced or evicted).
    pub fn len(&self) -> usize {
        lock(&self.slots).len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Decides whether `url` may be fetched, fetching the host's robots.txt through `fetcher`
    /// when it is not cached, and waiting out the host's `Crawl-delay`.
    pub async fn check(&self, fetcher: &Fetcher, url: &Url) -> Verdict {
        let Some(key) = cache_key(url) else { return Verdict::Allow };
        let Ok(robots_url) = robotxt::robots_url(url) else { return Verdict::Allow };
        let slot = self.slot(&key);
        let cached = match slot.rules.get_or_try_init(|| fetch_rules(fetcher, &robots_url)).await {
            Ok(c) => c,
            Err(wait) => return Verdict::Wait(wait),
        };
        let robots = robots_url.to_string();
        let rules = match &cached.rules {
            Rules::AllowAll => return Verdict::Allow,
            Rules::DisallowAll(reason) => {
                return Verdict::Disallow(Denied::Unreachable { robots, reason: reason.clone() })
            }
            Rules::Parsed(rules) => rules,
        };
        if !rules.is_allowed(url) {
            return Verdict::Disallow(Denied::Rules { robots });
        }
        let Some(delay) = rules.crawl_delay().map(|d| d.min(MAX_CRAWL_DELAY)).filter(|d| !d.is_zero()) else {
            return Verdict::Allow;
        };
        let start = {
            let mut next = lock(&slot.next_page);
            let now = Instant::now();
            let start = (*next).max(now);
            if start - now > MAX_CRAWL_DELAY_WAIT {
                return Verdict::Disallow(Denied::Backlog { robots, delay, max: MAX_CRAWL_DELAY_WAIT });
            }
            *next = start + delay;
            start
        };
        tokio::time::sleep_until(start).await;
        Verdict::Allow
    }

    /// The host's slot: the cached one, or a fresh one when there is none or it expired.
    fn slot(&self, key: &str) -> Arc<Slot> {
        let now = Instant::now();
        let mut slots = lock(&self.slots);
        let mut next_page = now;
        if let Some(s) = slots.get(key) {
            match s.rules.get() {
                Some(c) if c.expires <= now => next_page = *lock(&s.next_page),
                _ => return s.clone(),
            }
        } else if slots.len() >= self.max_hosts {
            evict(&mut slots, now, self.max_hosts);
        }
        let slot = Arc::new(Slot { rules: OnceCell::new(), created: now, next_page: Mutex::new(next_page) });
        slots.insert(key.to_string(), slot.clone());
        slot
    }
}

/// Makes room for one more host: expired entries go, then the oldest.
fn evict(slots: &mut HashMap<String, Arc<Slot>>, now: Instant, max: usize) {
    slots.retain(|_, s| s.rules.get().is_none_or(|c| c.expires > now));
    while slots.len() >= max {
        let Some(oldest) = slots.iter().min_by_key(|(_, s)| s.created).map(|(k, _)| k.clone()) else {
            return;
        };
        slots.remove(&oldest);
    }
}

/// `Err(wait)` when the host is under a `Retry-After`: that says nothing about its rules.
async fn fetch_rules(fetcher: &Fetcher, robots_url: &Url) -> Result<Cached, Duration> {
    let req = FetchRequest {
        url: robots_url,
        etag: None,
        last_modified: None,
        // One byte past the limit tells the parser whether the last line was cut.
        max_bytes: MAX_ROBOTS_BYTES as u64 + 1,
        accept: ACCEPT_ROBOTS,
        settings: None,
        stop_at_other_origin: false,
    };
    let (rules, ttl) = match fetcher.fetch_truncated(&req).await {
        Ok(f) => (Rules::Parsed(RobotsTxt::parse(f.body.as_deref().unwrap_or_default())), TTL),
        Err(FetchError::HostBlocked(wait)) => return Err(wait),
        // The host is busy and said when to come back: ask again then rather than treat the
        // whole host as disallowed (the caller bounds how often it waits).
        Err(FetchError::Http { status: 429 | 503, retry_after: Some(wait) }) if wait <= ERROR_TTL => {
            return Err(wait)
        }
        Err(e) => classify(&e),
    };
    tracing::debug!(url = %robots_url, rules = ?rules_kind(&rules), ttl = ?ttl, "robots.txt fetched");
    Ok(Cached { rules, expires: Instant::now() + ttl })
}

fn rules_kind(r: &Rules) -> &'static str {
    match r {
        Rules::Parsed(_) => "parsed",
        Rules::AllowAll => "allow all",
        Rules::DisallowAll(_) => "disallow all",
    }
}

/// What a failed robots.txt fetch means, and for how long (RFC 9309 §2.3.1).
fn classify(e: &FetchError) -> (Rules, Duration) {
    match e {
        // Unavailable: the site has no robots.txt for us.
        FetchError::Http { status, .. } if (400..500).contains(status) && *status != 429 => {
            (Rules::AllowAll, TTL)
        }
        FetchError::TooManyRedirects(_) | FetchError::RedirectLoop(_) => (Rules::AllowAll, TTL),
        // Unreachable: retry soon, sooner if the server said when.
        _ => {
            let ttl = e.retry_after().map_or(ERROR_TTL, |d| d.clamp(Duration::from_secs(1), ERROR_TTL));
            (Rules::DisallowAll(e.to_string()), ttl)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(txt: &str, path: &str) -> bool {
        RobotsTxt::parse(txt.as_bytes()).is_path_allowed(path)
    }

    #[test]
    fn longest_match_wins_and_allow_wins_a_tie() {
        let txt = "User-agent: *\nDisallow: /news/\nAllow: /news/public/\nDisallow: /news/public/x\n";
        assert!(!allowed(txt, "/news/a"));
        assert!(allowed(txt, "/news/public/a"));
        assert!(!allowed(txt, "/news/public/x1"));
        assert!(allowed(txt, "/other"));
        let tie = "User-agent: *\nDisallow: /page\nAllow: /page\n";
        assert!(allowed(tie, "/page"));
        // Order in the file does not matter, only length.
        let reversed = "User-agent: *\nAllow: /a/b\nDisallow: /a\n";
        assert!(allowed(reversed, "/a/b/c") && !allowed(reversed, "/a/c"));
    }

    #[test]
    fn wildcards_and_end_anchor() {
        let txt = "User-agent: *\nDisallow: /*.pdf$\nDisallow: /*/print\nDisallow: /search*q=\n";
        assert!(!allowed(txt, "/files/report.pdf"));
        assert!(allowed(txt, "/files/report.pdf?download=1"));
        assert!(allowed(txt, "/files/report.pdfx"));
        assert!(!allowed(txt, "/2024/story/print"));
        assert!(!allowed(txt, "/search?lang=en&q=rust"));
        assert!(allowed(txt, "/search?lang=en"));
        let root_only = "User-agent: *\nDisallow: /$\n";
        assert!(!allowed(root_only, "/") && allowed(root_only, "/a"));
    }

    #[test]
    fn rills_group_is_preferred_over_star_case_insensitively() {
        let txt = "User-agent: *\nDisallow: /\n\nUser-agent: RiLL\nDisallow: /private\nCrawl-delay: 7\n";
        let r = RobotsTxt::parse(txt.as_bytes());
        assert!(r.is_path_allowed("/articles/1"));
        assert!(!r.is_path_allowed("/private/1"));
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(7)));
        // Another bot's group does not apply; the star group does.
        let other = "User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /tmp\n";
        assert!(allowed(other, "/a") && !allowed(other, "/tmp/x"));
        // A product token is matched whole: "rillbot" is not "rill".
        let prefix = "User-agent: rillbot\nDisallow: /\n";
        assert!(allowed(prefix, "/a"));
        // Several user-agent lines share a group.
        let shared = "User-agent: a\nUser-agent: rill\nDisallow: /x\n";
        assert!(!allowed(shared, "/x"));
    }

    #[test]
    fn empty_odd_and_html_bodies_allow_everything() {
        assert!(allowed("", "/a"));
        assert!(allowed("User-agent: *\nDisallow:\n", "/a"));
        assert!(allowed("<html><body>Not found</body></html>", "/a"));
        assert!(allowed("\u{feff}User-agent: *\r\nDisallow: /b\r\n", "/a"));
        assert!(!allowed("\u{feff}User-agent: *\r\nDisallow: /b\r\n", "/b"));
    }

    #[test]
    fn bodies_past_500_kib_are_cut() {
        let mut txt = String::from("User-agent: *\nDisallow: /early\n");
        while txt.len() < MAX_ROBOTS_BYTES + 10 {
            txt.push_str("# padding padding padding padding padding\n");
        }
        txt.push_str("Disallow: /late\n");
        assert!(!allowed(&txt, "/early"));
        assert!(allowed(&txt, "/late"), "a rule past the limit applied");
    }

    #[test]
    fn fetch_outcomes_follow_rfc_9309() {
        let http = |status| FetchError::Http { status, retry_after: None };
        assert!(matches!(classify(&http(404)).0, Rules::AllowAll));
        assert!(matches!(classify(&http(403)).0, Rules::AllowAll));
        assert!(matches!(classify(&http(410)).0, Rules::AllowAll));
        assert!(matches!(classify(&FetchError::TooManyRedirects(5)).0, Rules::AllowAll));
        for e in [
            http(500),
            http(503),
            http(429),
            FetchError::Timeout(Duration::from_secs(30)),
            FetchError::Connect("refused".into()),
        ] {
            let (rules, ttl) = classify(&e);
            assert!(matches!(rules, Rules::DisallowAll(_)), "{e}");
            assert_eq!(ttl, ERROR_TTL, "{e}");
        }
        let (_, ttl) =
            classify(&FetchError::Http { status: 503, retry_after: Some(Duration::from_secs(30)) });
        assert_eq!(ttl, Duration::from_secs(30));
    }

    #[test]
    fn keys_are_scheme_host_and_port() {
        let k = |u: &str| cache_key(&Url::parse(u).unwrap()).unwrap();
        assert_eq!(k("https://Example.org/a?b"), "https://example.org:443");
        assert_eq!(k("http://example.org:8080/"), "http://example.org:8080");
        assert_ne!(k("http://example.org/"), k("https://example.org/"));
        assert_ne!(k("https://a.example.org/"), k("https://b.example.org/"));
    }

    /// A fetcher whose every request is refused at once: a closed port on 127.0.0.1.
    async fn refused() -> (Fetcher, u16) {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        let mut cfg = crate::config::Config::default().fetch;
        cfg.allow_private_addresses = true;
        cfg.per_host_interval = Duration::ZERO;
        (Fetcher::new(&cfg).unwrap(), port)
    }

    #[tokio::test]
    async fn unreachable_robots_disallows_and_the_cache_stays_bounded() {
        let (fetcher, port) = refused().await;
        let cache = RobotsCache::new(3);
        let url = Url::parse(&format!("http://127.0.0.1:{port}/article")).unwrap();
        match cache.check(&fetcher, &url).await {
            Verdict::Disallow(Denied::Unreachable { robots, .. }) => {
                assert_eq!(robots, format!("http://127.0.0.1:{port}/robots.txt"))
            }
            v => panic!("{v:?}"),
        }
        for host in ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"] {
            let u = Url::parse(&format!("http://{host}:{port}/a")).unwrap();
            assert!(matches!(cache.check(&fetcher, &u).await, Verdict::Disallow(_)));
        }
        assert_eq!(cache.len(), 3);
    }
}
