//! HTTP fetching: conditional GET, redirects, size and time limits, the address guard, politeness.
//!
//! Owns the HTTP client and every rule about talking to other people's servers. Redirects are
//! followed here, hop by hop, so that each hop passes the address guard and the per-host limits,
//! loops and long chains are errors, and a permanent redirect of a feed can be reported. Bodies are
//! read as a stream and cut off at the limit after decompression (a gzip bomb stops at the limit).
//! Does not know about feeds, parsing or the database: it returns bytes and headers.

pub mod guard;
pub mod limiter;
pub mod robots;
pub mod settings;

use crate::config::FetchConfig;
use chrono::Utc;
use limiter::{host_key, HostLimiter};
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::StatusCode;
pub use settings::RequestSettings;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use url::Url;

/// Why a fetch failed, classified for the scheduler.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(transparent)]
    Guard(#[from] guard::GuardError),
    #[error("refused by the address guard: {0}")]
    GuardDns(String),
    #[error("cannot resolve host: {0}")]
    Dns(String),
    #[error("cannot connect: {0}")]
    Connect(String),
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    #[error("body larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    #[error("redirect loop at {0}")]
    RedirectLoop(String),
    #[error("redirect without a valid Location header")]
    BadRedirect,
    #[error("HTTP {status}")]
    Http { status: u16, retry_after: Option<Duration> },
    #[error("host asked not to be contacted for another {0:?} (Retry-After)")]
    HostBlocked(Duration),
    #[error("request failed: {0}")]
    Other(String),
    #[error("feed request settings: {0}")]
    Settings(#[from] settings::SettingsError),
}

impl FetchError {
    /// The server's or host's "not before" delay, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Http { retry_after, .. } => *retry_after,
            FetchError::HostBlocked(d) => Some(*d),
            _ => None,
        }
    }

    /// The HTTP status, when a response came.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Failures that retrying will not fix (the URL itself is refused).
    pub fn is_permanent(&self) -> bool {
        matches!(self, FetchError::Guard(_) | FetchError::GuardDns(_))
    }
}

/// What one fetch asks for.
#[derive(Debug, Clone)]
pub struct FetchRequest<'a> {
    pub url: &'a Url,
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a str>,
    pub max_bytes: u64,
    /// `Accept` header.
    pub accept: &'static str,
    /// The feed's own request settings, if any.
    pub settings: Option<&'a RequestSettings>,
    /// Stop at a redirect to another origin instead of following it, and return it in
    /// [`Fetched::redirect_to`]: the caller checks that origin's robots.txt before going on.
    pub stop_at_other_origin: bool,
}

/// Accept header for feeds.
pub const ACCEPT_FEED: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
     application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8";
/// Accept header for article pages.
pub const ACCEPT_PAGE: &str = "text/html, application/xhtml+xml;q=0.9, */*;q=0.8";

/// A response that was received in full (or a 304).
#[derive(Debug, Clone)]
pub struct Fetched {
    pub status: u16,
    /// The URL after redirects.
    pub final_url: Url,
    /// Set when the first hops were permanent redirects (301/308): where the resource moved.
    pub moved_to: Option<Url>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
    /// `Cache-Control: max-age` or `Expires`, as a delay from now.
    pub fresh_for: Option<Duration>,
    /// The body (decompressed); `None` for 304 Not Modified and for a redirect returned
    /// unfollowed.
    pub body: Option<Vec<u8>>,
    /// With [`FetchRequest::stop_at_other_origin`]: the redirect to another origin that was not
    /// followed (`final_url` is the URL that answered with it).
    pub redirect_to: Option<Url>,
}

/// The HTTP client with rill's limits. Cheap to share behind an `Arc`.
pub struct Fetcher {
    client: reqwest::Client,
    /// Clients for feeds with their own proxy, by proxy URL (a proxy is a client setting).
    proxied: std::sync::Mutex<std::collections::HashMap<String, reqwest::Client>>,
    cfg: FetchConfig,
    limiter: Arc<HostLimiter>,
    timeout: Duration,
    max_redirects: usize,
    allow_private: bool,
}

impl Fetcher {
    /// Builds the client from the config.
    pub fn new(cfg: &FetchConfig) -> Result<Fetcher, FetchError> {
        Ok(Fetcher {
            client: build_client(cfg, None)?,
            proxied: Default::default(),
            cfg: cfg.clone(),
            limiter: Arc::new(HostLimiter::new(
                cfg.concurrency,
                cfg.per_host_concurrency,
                cfg.per_host_interval,
            )),
            timeout: cfg.timeout,
            max_redirects: cfg.max_redirects,
            allow_private: cfg.allow_private_addresses,
        })
    }

    fn client_for(&self, settings: Option<&RequestSettings>) -> Result<reqwest::Client, FetchError> {
        let Some(proxy) = settings.and_then(|s| s.proxy.as_deref()) else { return Ok(self.client.clone()) };
        let mut cache = self.proxied.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = cache.get(proxy) {
            return Ok(c.clone());
        }
        let c = build_client(&self.cfg, Some(proxy))?;
        cache.insert(proxy.to_string(), c.clone());
        Ok(c)
    }
}

/// The HTTP client with rill's settings; `proxy` overrides the environment's proxy settings
/// (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, which apply otherwise).
fn build_client(cfg: &FetchConfig, proxy: Option<&str>) -> Result<reqwest::Client, FetchError> {
    let mut builder = reqwest::Client::builder()
        .user_agent(cfg.user_agent.clone())
        .connect_timeout(cfg.connect_timeout)
        .timeout(cfg.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .gzip(true)
        .brotli(true)
        .deflate(true)
        .pool_idle_timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(cfg.per_host_concurrency);
    if !cfg.allow_private_addresses {
        builder = builder.dns_resolver(Arc::new(guard::GuardedResolver));
    }
    if let Some(p) = proxy {
        let proxy = reqwest::Proxy::all(p).map_err(|e| FetchError::Other(format!("proxy: {e}")))?;
        builder = builder.proxy(proxy);
    }
    builder.build().map_err(|e| FetchError::Other(e.to_string()))
}

impl Fetcher {
    /// Fetches a URL, following redirects, with conditional headers when given.
    pub async fn fetch(&self, req: &FetchRequest<'_>) -> Result<Fetched, FetchError> {
        self.fetch_with(req, false).await
    }

    /// Like [`Fetcher::fetch`], but a body longer than `req.max_bytes` is cut there instead of
    /// being an error (robots.txt: only the first 500 KiB count, as at Google).
    pub async fn fetch_truncated(&self, req: &FetchRequest<'_>) -> Result<Fetched, FetchError> {
        self.fetch_with(req, true).await
    }

    async fn fetch_with(&self, req: &FetchRequest<'_>, truncate: bool) -> Result<Fetched, FetchError> {
        let mut url = req.url.clone();
        let origin = req.url.origin();
        let client = self.client_for(req.settings)?;
        if let Some(s) = req.settings {
            s.validate()?;
        }
        let timeout = req.settings.and_then(|s| s.timeout()).unwrap_or(self.timeout);
        let mut seen = HashSet::new();
        let mut moved_to: Option<Url> = None;
        let mut all_permanent = true;
        for _hop in 0..=self.max_redirects {
            guard::check_url(&url, self.allow_private)?;
            if !seen.insert(url.to_string()) {
                return Err(FetchError::RedirectLoop(url.to_string()));
            }
            let key = host_key(&url);
            let _permit = self
                .limiter
                .acquire_spaced(&key, req.settings.and_then(|s| s.host_interval()))
                .await
                .map_err(|until| FetchError::HostBlocked(until.saturating_duration_since(Instant::now())))?;
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT, HeaderValue::from_static(req.accept));
            if let Some(v) = req.etag.and_then(|e| HeaderValue::from_str(e).ok()) {
                headers.insert(header::IF_NONE_MATCH, v);
            }
            if let Some(v) = req.last_modified.and_then(|e| HeaderValue::from_str(e).ok()) {
                headers.insert(header::IF_MODIFIED_SINCE, v);
            }
            let mut builder = client.get(url.clone()).timeout(timeout);
            if let Some(s) = req.settings {
                if let Some(ua) = s.user_agent.as_deref().and_then(|ua| HeaderValue::from_str(ua).ok()) {
                    headers.insert(header::USER_AGENT, ua);
                }
                // Credentials and custom headers go to the feed's own origin only.
                if url.origin() == origin {
                    for (k, v) in &s.headers {
                        if let (Ok(k), Ok(v)) =
                            (header::HeaderName::from_bytes(k.as_bytes()), HeaderValue::from_str(v))
                        {
                            headers.insert(k, v);
                        }
                    }
                    if let Some((user, pass)) = s.basic_auth.as_deref().and_then(|a| a.split_once(':')) {
                        builder = builder.basic_auth(user, Some(pass));
                    }
                }
            }
            let resp = builder.headers(headers).send().await.map_err(|e| self.map_err(e, timeout))?;
            let status = resp.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let next = resp
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .and_then(|l| url.join(l).ok())
                    .ok_or(FetchError::BadRedirect)?;
                if req.stop_at_other_origin && next.origin() != url.origin() {
                    return Ok(Fetched {
                        status: status.as_u16(),
                        final_url: url,
                        moved_to: None,
                        etag: None,
                        last_modified: None,
                        content_type: None,
                        fresh_for: None,
                        body: None,
                        redirect_to: Some(next),
                    });
                }
                let permanent =
                    matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT);
                all_permanent &= permanent;
                if all_permanent {
                    moved_to = Some(next.clone());
                }
                url = next;
                continue;
            }
            let headers = resp.headers().clone();
            if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE {
                let retry_after = headers
                    .get(header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(parse_retry_after);
                if let Some(d) = retry_after {
                    self.limiter.block_until(&key, Instant::now() + d);
                }
                return Err(FetchError::Http { status: status.as_u16(), retry_after });
            }
            if !status.is_success() && status != StatusCode::NOT_MODIFIED {
                return Err(FetchError::Http { status: status.as_u16(), retry_after: None });
            }
            let text =
                |h: header::HeaderName| headers.get(h).and_then(|v| v.to_str().ok()).map(str::to_string);
            let body = if status == StatusCode::NOT_MODIFIED {
                None
            } else {
                Some(read_limited(resp, req.max_bytes, timeout, truncate).await?)
            };
            return Ok(Fetched {
                status: status.as_u16(),
                moved_to,
                etag: text(header::ETAG),
                last_modified: text(header::LAST_MODIFIED),
                content_type: text(header::CONTENT_TYPE),
                fresh_for: freshness(&headers),
                final_url: url,
                body,
                redirect_to: None,
            });
        }
        Err(FetchError::TooManyRedirects(self.max_redirects))
    }

    /// No request to `url`'s host for `duration` (a `Retry-After` learnt earlier).
    pub fn block_host(&self, url: &Url, duration: Duration) {
        self.limiter.block_until(&host_key(url), Instant::now() + duration);
    }

    /// How long `url`'s host has asked not to be contacted (its `Retry-After`), if it has.
    pub fn blocked_for(&self, url: &Url) -> Option<Duration> {
        self.limiter.blocked_until(&host_key(url)).map(|u| u.saturating_duration_since(Instant::now()))
    }

    fn map_err(&self, e: reqwest::Error, timeout: Duration) -> FetchError {
        if e.is_timeout() {
            return FetchError::Timeout(timeout);
        }
        let chain = error_chain(&e);
        if chain.contains("address guard") {
            FetchError::GuardDns(chain)
        } else if chain.contains("dns error") || chain.contains("failed to lookup") {
            FetchError::Dns(chain)
        } else if e.is_connect() {
            FetchError::Connect(chain)
        } else {
            FetchError::Other(chain)
        }
    }
}

/// Reads the body up to `limit` bytes (after decompression). Past the limit: an error, or with
/// `truncate` the first `limit` bytes (the rest is not read).
async fn read_limited(
    mut resp: reqwest::Response,
    limit: u64,
    timeout: Duration,
    truncate: bool,
) -> Result<Vec<u8>, FetchError> {
    if !truncate
        && resp.content_length().is_some_and(|n| n > limit)
        && resp.headers().get(header::CONTENT_ENCODING).is_none()
    {
        return Err(FetchError::TooLarge { limit });
    }
    let mut body = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() as u64 + chunk.len() as u64 > limit {
                    if !truncate {
                        return Err(FetchError::TooLarge { limit });
                    }
                    let room = usize::try_from(limit).unwrap_or(usize::MAX).saturating_sub(body.len());
                    body.extend_from_slice(&chunk[..room.min(chunk.len())]);
                    return Ok(body);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) if e.is_timeout() => return Err(FetchError::Timeout(timeout)),
            Err(e) => return Err(FetchError::Other(error_chain(&e))),
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        let t = inner.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        src = inner.source();
    }
    s
}

/// `Retry-After`: delay-seconds or an HTTP date (RFC 9110 §10.2.3). Capped at a week.
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    const CAP: Duration = Duration::from_secs(7 * 86_400);
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs).min(CAP));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let delta = when.with_timezone(&Utc) - Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO).min(CAP))
}

/// `Cache-Control: max-age` (preferred) or `Expires`, as a delay from now.
fn freshness(h: &HeaderMap) -> Option<Duration> {
    let cc = h.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()).unwrap_or("");
    for part in cc.split(',') {
        if let Some(age) = part.trim().strip_prefix("max-age=") {
            return age.trim_matches('"').parse::<u64>().ok().map(Duration::from_secs);
        }
    }
    let expires = h.get(header::EXPIRES).and_then(|v| v.to_str().ok())?;
    let when = chrono::DateTime::parse_from_rfc2822(expires.trim()).ok()?;
    (when.with_timezone(&Utc) - Utc::now()).to_std().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        let future = (Utc::now() + chrono::Duration::seconds(90)).to_rfc2822();
        let d = parse_retry_after(&future).unwrap();
        assert!(d <= Duration::from_secs(90) && d >= Duration::from_secs(85), "{d:?}");
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
    }
}
