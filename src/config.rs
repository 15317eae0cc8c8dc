//! Configuration: the TOML file, its defaults, and validation with precise messages.
//!
//! Two stages, as in ripgrep: [`RawConfig`] mirrors the file (serde, unknown keys rejected), and
//! [`Config::from_raw`] turns it into typed values (durations, sizes, resolved paths), naming the
//! key in every error. Loading has no side effects: nothing is created or written.
//!
//! Where the file is found: `--config PATH`, else `$RILL_CONFIG`, else `./config/rill.toml`, else
//! `/etc/rill/rill.toml`, else built-in defaults ([`locate`]). The documented example
//! `config/rill.toml` is embedded ([`EXAMPLE_CONFIG`]) and a test checks that it parses to exactly
//! the defaults, so the documentation cannot drift from the code.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The documented example config, shipped as `config/rill.toml`.
pub const EXAMPLE_CONFIG: &str = include_str!("../config/rill.toml");

/// A configuration problem, naming the file or key and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("config key `{key}`: {message}")]
    Invalid { key: &'static str, message: String },
}

fn invalid(key: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid { key, message: message.into() }
}

/// The config file as written: every key optional, unknown keys rejected.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    #[serde(default)]
    pub storage: RawStorage,
    #[serde(default)]
    pub feeds: RawFeeds,
    #[serde(default)]
    pub schedule: RawSchedule,
    #[serde(default)]
    pub fetch: RawFetch,
    #[serde(default)]
    pub log: RawLog,
    #[serde(default)]
    pub retention: RawRetention,
    #[serde(default)]
    pub api: RawApi,
    #[serde(default)]
    pub identity: RawIdentity,
    /// Feeds with their own settings: `[[feed]]` tables.
    #[serde(default)]
    pub feed: Vec<RawFeed>,
}

/// `[retention]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRetention {
    pub max_age: Option<String>,
    pub max_per_feed: Option<u64>,
}

/// `[identity]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIdentity {
    pub tracking_params: Option<Vec<String>>,
    #[serde(default)]
    pub extra_tracking_params: Vec<String>,
    pub strip_www: Option<bool>,
}

/// `[api]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawApi {
    pub listen: Option<String>,
}

/// One `[[feed]]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFeed {
    pub url: String,
    pub title: Option<String>,
    pub user_agent: Option<String>,
    #[serde(default)]
    pub headers: std::collections::BTreeMap<String, String>,
    pub basic_auth: Option<String>,
    pub proxy: Option<String>,
    pub timeout: Option<String>,
    pub max_feed_bytes: Option<RawSize>,
    pub per_host_interval: Option<String>,
    pub min_interval: Option<String>,
    pub max_interval: Option<String>,
    pub fetch_pages: Option<bool>,
    pub respect_robots: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStorage {
    pub path: Option<PathBuf>,
    pub batch_size: Option<usize>,
    pub busy_timeout: Option<String>,
    pub keep_pages: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFeeds {
    pub opml: Option<PathBuf>,
    pub urls: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSchedule {
    pub interval: Option<String>,
    pub min_interval: Option<String>,
    pub max_interval: Option<String>,
    pub max_backoff: Option<String>,
    pub startup_spread: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFetch {
    pub concurrency: Option<usize>,
    pub per_host_concurrency: Option<usize>,
    pub per_host_interval: Option<String>,
    pub timeout: Option<String>,
    pub connect_timeout: Option<String>,
    pub max_feed_bytes: Option<RawSize>,
    pub max_page_bytes: Option<RawSize>,
    pub max_redirects: Option<usize>,
    pub user_agent: Option<String>,
    pub contact: Option<String>,
    pub allow_private_addresses: Option<bool>,
    pub fetch_pages: Option<bool>,
    pub respect_robots: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLog {
    pub level: Option<String>,
    pub format: Option<String>,
}

/// A byte size: an integer, or a string such as "16MiB", "500KB".
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawSize {
    Bytes(u64),
    Text(String),
}

/// The validated configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The file it was read from, if any.
    pub source: Option<PathBuf>,
    pub storage: StorageConfig,
    pub feeds: FeedsConfig,
    pub schedule: ScheduleConfig,
    pub fetch: FetchConfig,
    pub log: LogConfig,
    /// How long articles are kept (`[retention]`); the default keeps everything.
    pub retention: crate::store::Retention,
    pub api: ApiConfig,
    /// `[identity]`: how article URLs are canonicalised into identity keys.
    pub identity: crate::dedup::CanonOptions,
}

/// `[api]`: the HTTP endpoint for health, metrics and the live stream.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiConfig {
    /// Where to listen; `None` (the default) serves nothing.
    pub listen: Option<std::net::SocketAddr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StorageConfig {
    /// The database file, resolved (see [`resolve_db_path`]).
    pub path: PathBuf,
    /// Items per write transaction at most. The writer commits whatever is queued as one
    /// transaction (group commit), so a busy pipeline gets large batches and a quiet one gets
    /// low latency.
    pub batch_size: usize,
    /// How long a statement waits for a lock held by another process before the writer backs off
    /// and retries the whole batch.
    pub busy_timeout: Duration,
    /// How long fetched pages are kept (compressed) for `rill reextract`; zero keeps none.
    pub keep_pages: Duration,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeedsConfig {
    /// An OPML file whose feeds are added at start-up (resolved against the config's directory).
    pub opml: Option<PathBuf>,
    /// Feed URLs added at start-up.
    pub urls: Vec<url::Url>,
    /// `[[feed]]` entries: feeds with their own request settings.
    pub entries: Vec<ConfigFeed>,
}

/// A feed listed in the config with its own settings.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigFeed {
    pub url: url::Url,
    pub title: Option<String>,
    pub request: crate::fetch::RequestSettings,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleConfig {
    /// Interval for a feed with no history yet.
    pub interval: Duration,
    pub min_interval: Duration,
    pub max_interval: Duration,
    /// Longest wait after repeated failures.
    pub max_backoff: Duration,
    /// At start-up, feeds that are overdue (polled before, by an earlier run) are spread over this
    /// window instead of all being polled at once. New feeds are polled at once.
    pub startup_spread: Duration,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FetchConfig {
    /// Requests in flight at once, in all.
    pub concurrency: usize,
    /// Requests in flight at once to one host.
    pub per_host_concurrency: usize,
    /// Minimum gap between the starts of two requests to one host.
    pub per_host_interval: Duration,
    /// Total time limit of one request, body included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_feed_bytes: u64,
    pub max_page_bytes: u64,
    pub max_redirects: usize,
    /// The User-Agent header sent with every request.
    pub user_agent: String,
    /// Switches the address guard off (tests, intranet feeds).
    pub allow_private_addresses: bool,
    /// Fetch each new article's page and extract it (else the feed's content is stored).
    pub fetch_pages: bool,
    /// Obey each site's robots.txt for article pages (feeds are always fetched).
    pub respect_robots: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogConfig {
    /// A tracing filter directive ("info", "rill=debug").
    pub level: String,
    pub format: LogFormat,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human on a terminal, compact (no colours) otherwise, for example under systemd.
    Auto,
    Human,
    Compact,
    Json,
}

impl Default for Config {
    fn default() -> Self {
        // The defaults can always be validated: a test pins this.
        match Config::from_raw(RawConfig::default(), None) {
            Ok(c) => c,
            Err(e) => unreachable!("built-in defaults are invalid: {e}"),
        }
    }
}

impl Config {
    /// Parses TOML text. `path` names the file in errors and anchors relative paths.
    pub fn from_toml(text: &str, path: Option<&Path>) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Syntax {
            path: path.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("<config>")),
            message: one_line(&e.to_string()),
        })?;
        Config::from_raw(raw, path)
    }

    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
        Config::from_toml(&text, Some(path))
    }

    /// Validates a raw config. `path` is the file it came from (for relative paths).
    pub fn from_raw(raw: RawConfig, path: Option<&Path>) -> Result<Config, ConfigError> {
        let dir = path.and_then(Path::parent).map(Path::to_path_buf);
        let s = raw.storage;
        let storage = StorageConfig {
            path: resolve_db_path(&s.path.unwrap_or_else(|| PathBuf::from("rill.db"))),
            batch_size: positive("storage.batch_size", s.batch_size.unwrap_or(256))?,
            busy_timeout: duration("storage.busy_timeout", s.busy_timeout.as_deref(), "5s")?,
            keep_pages: duration("storage.keep_pages", s.keep_pages.as_deref(), "30d")?,
        };
        let feeds = FeedsConfig {
            opml: raw.feeds.opml.filter(|p| !p.as_os_str().is_empty()).map(|p| match &dir {
                Some(d) if p.is_relative() => d.join(p),
                _ => p,
            }),
            urls: raw
                .feeds
                .urls
                .unwrap_or_default()
                .iter()
                .map(|u| feed_url(u).map_err(|m| invalid("feeds.urls", m)))
                .collect::<Result<_, _>>()?,
            entries: raw
                .feed
                .into_iter()
                .map(|f| {
                    let url = feed_url(&f.url).map_err(|m| invalid("feed.url", m))?;
                    let opt_duration = |key: &'static str, v: Option<String>| {
                        v.map(|v| parse_duration(&v).map_err(|m| invalid(key, format!("{url}: {m}"))))
                            .transpose()
                    };
                    let timeout = opt_duration("feed.timeout", f.timeout)?;
                    if timeout.is_some_and(|t| t.is_zero()) {
                        return Err(invalid("feed.timeout", format!("{url}: must be longer than zero")));
                    }
                    let (min, max) = (
                        opt_duration("feed.min_interval", f.min_interval)?,
                        opt_duration("feed.max_interval", f.max_interval)?,
                    );
                    if let (Some(min), Some(max)) = (min, max) {
                        if min > max {
                            return Err(invalid(
                                "feed.min_interval",
                                format!("{url}: is larger than its max_interval"),
                            ));
                        }
                    }
                    let request = crate::fetch::RequestSettings {
                        user_agent: f.user_agent,
                        headers: f.headers.into_iter().collect(),
                        basic_auth: f.basic_auth,
                        proxy: f.proxy,
                        timeout_ms: timeout.map(|d| (d.as_millis() as u64).max(1)),
                        max_bytes: f
                            .max_feed_bytes
                            .map(|v| size("feed.max_feed_bytes", Some(v), 0))
                            .transpose()?,
                        host_interval_ms: opt_duration("feed.per_host_interval", f.per_host_interval)?
                            .map(|d| d.as_millis() as u64),
                        min_interval_s: min.map(|d| d.as_secs()),
                        max_interval_s: max.map(|d| d.as_secs()),
                        fetch_pages: f.fetch_pages,
                        respect_robots: f.respect_robots,
                    };
                    request.validate().map_err(|e| invalid("feed", format!("{url}: {e}")))?;
                    Ok(ConfigFeed { url, title: f.title, request })
                })
                .collect::<Result<_, ConfigError>>()?,
        };
        let sc = raw.schedule;
        let schedule = ScheduleConfig {
            interval: duration("schedule.interval", sc.interval.as_deref(), "15m")?,
            min_interval: duration("schedule.min_interval", sc.min_interval.as_deref(), "5m")?,
            max_interval: duration("schedule.max_interval", sc.max_interval.as_deref(), "24h")?,
            max_backoff: duration("schedule.max_backoff", sc.max_backoff.as_deref(), "24h")?,
            startup_spread: duration("schedule.startup_spread", sc.startup_spread.as_deref(), "2m")?,
        };
        if schedule.min_interval > schedule.max_interval {
            return Err(invalid("schedule.min_interval", "is larger than schedule.max_interval"));
        }
        let f = raw.fetch;
        let contact = f.contact.unwrap_or_default();
        let user_agent = match f.user_agent {
            Some(ua) if !ua.trim().is_empty() => ua,
            Some(_) => {
                return Err(invalid("fetch.user_agent", "is empty; remove the key to use rill's default"))
            }
            None if contact.trim().is_empty() => format!("rill/{}", env!("CARGO_PKG_VERSION")),
            None => format!("rill/{} (+{})", env!("CARGO_PKG_VERSION"), contact.trim()),
        };
        if user_agent.chars().any(|c| c.is_control()) {
            return Err(invalid("fetch.user_agent", "contains a control character"));
        }
        let fetch = FetchConfig {
            concurrency: positive("fetch.concurrency", f.concurrency.unwrap_or(64))?,
            per_host_concurrency: positive(
                "fetch.per_host_concurrency",
                f.per_host_concurrency.unwrap_or(2),
            )?,
            per_host_interval: duration("fetch.per_host_interval", f.per_host_interval.as_deref(), "1s")?,
            timeout: nonzero(duration("fetch.timeout", f.timeout.as_deref(), "30s")?, "fetch.timeout")?,
            connect_timeout: nonzero(
                duration("fetch.connect_timeout", f.connect_timeout.as_deref(), "10s")?,
                "fetch.connect_timeout",
            )?,
            max_feed_bytes: size("fetch.max_feed_bytes", f.max_feed_bytes, 16 << 20)?,
            max_page_bytes: size("fetch.max_page_bytes", f.max_page_bytes, 8 << 20)?,
            max_redirects: f.max_redirects.unwrap_or(5),
            user_agent,
            allow_private_addresses: f.allow_private_addresses.unwrap_or(false),
            fetch_pages: f.fetch_pages.unwrap_or(true),
            respect_robots: f.respect_robots.unwrap_or(true),
        };
        let log = LogConfig {
            level: raw.log.level.unwrap_or_else(|| "info".into()),
            format: match raw.log.format.as_deref().unwrap_or("auto") {
                "auto" => LogFormat::Auto,
                "human" => LogFormat::Human,
                "compact" => LogFormat::Compact,
                "json" => LogFormat::Json,
                other => {
                    return Err(invalid(
                        "log.format",
                        format!("unknown format {other:?}; use auto, human, compact or json"),
                    ))
                }
            },
        };
        if tracing_subscriber::EnvFilter::try_new(&log.level).is_err() {
            return Err(invalid(
                "log.level",
                format!("{:?} is not a level or filter such as \"info\"", log.level),
            ));
        }
        let max_age = duration("retention.max_age", raw.retention.max_age.as_deref(), "0s")?;
        let retention = crate::store::Retention {
            max_age: (!max_age.is_zero()).then_some(max_age),
            max_per_feed: raw.retention.max_per_feed.filter(|n| *n > 0),
        };
        let api = ApiConfig {
            listen: match raw.api.listen.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(text) => Some(text.parse().map_err(|_| {
                    invalid("api.listen", format!("{text:?} is not an address such as \"127.0.0.1:9187\""))
                })?),
            },
        };
        let id = raw.identity;
        let mut tracking_params = id
            .tracking_params
            .unwrap_or_else(|| crate::dedup::DEFAULT_TRACKING_PARAMS.iter().map(|p| p.to_string()).collect());
        tracking_params.extend(id.extra_tracking_params);
        for p in &tracking_params {
            let name = p.strip_suffix('*').unwrap_or(p);
            if name.is_empty() || name.contains(['*', '=', '&', '#', ' ']) {
                return Err(invalid(
                    "identity.tracking_params",
                    format!(
                        "{p:?} is not a query parameter name (or a prefix ending in `*`, such as \"utm_*\")"
                    ),
                ));
            }
        }
        let identity =
            crate::dedup::CanonOptions { tracking_params, strip_www: id.strip_www.unwrap_or(true) };
        Ok(Config {
            source: path.map(Path::to_path_buf),
            storage,
            feeds,
            schedule,
            fetch,
            log,
            retention,
            api,
            identity,
        })
    }
}

/// Where the config comes from, in order: `--config`, `$RILL_CONFIG`, `./config/rill.toml`,
/// `/etc/rill/rill.toml`; `None` means built-in defaults.
pub fn locate(explicit: Option<&Path>, env: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    if let Some(p) = env.filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    ["config/rill.toml", "/etc/rill/rill.toml"].into_iter().map(PathBuf::from).find(|p| p.is_file())
}

/// Loads the config found by [`locate`] from the process's arguments and environment.
pub fn discover(explicit: Option<&Path>) -> Result<Config, ConfigError> {
    match locate(explicit, std::env::var_os("RILL_CONFIG").as_deref()) {
        Some(path) => Config::load(&path),
        None => Ok(Config::default()),
    }
}

/// A relative database path is placed in systemd's `$STATE_DIRECTORY` when set, else it is
/// relative to the working directory.
pub fn resolve_db_path(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    match std::env::var_os("STATE_DIRECTORY") {
        // systemd may pass several directories separated by ':'; the first is ours.
        Some(dirs) if !dirs.is_empty() => {
            let first = dirs.to_string_lossy().split(':').next().unwrap_or_default().to_string();
            PathBuf::from(first).join(path)
        }
        _ => path.to_path_buf(),
    }
}

/// Validates a feed URL: absolute http(s) with a host.
pub fn feed_url(text: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(text.trim()).map_err(|e| format!("{text:?} is not a valid URL ({e})"))?;
    match url.scheme() {
        "http" | "https" if url.host().is_some() => Ok(url),
        "http" | "https" => Err(format!("{text:?} has no host")),
        s => Err(format!("{text:?} is not an http(s) URL (scheme {s:?})")),
    }
}

/// Parses "500ms", "30s", "15m", "2h", "1d" (and combinations such as "1h 30m").
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text.trim())
        .map_err(|e| format!("{text:?} is not a duration like \"500ms\", \"30s\", \"15m\" or \"2h\" ({e})"))
}

fn duration(key: &'static str, value: Option<&str>, default: &str) -> Result<Duration, ConfigError> {
    parse_duration(value.unwrap_or(default)).map_err(|m| invalid(key, m))
}

fn nonzero(d: Duration, key: &'static str) -> Result<Duration, ConfigError> {
    if d.is_zero() {
        Err(invalid(key, "must be longer than zero"))
    } else {
        Ok(d)
    }
}

fn positive(key: &'static str, n: usize) -> Result<usize, ConfigError> {
    if n == 0 {
        Err(invalid(key, "must be 1 or more"))
    } else {
        Ok(n)
    }
}

fn size(key: &'static str, value: Option<RawSize>, default: u64) -> Result<u64, ConfigError> {
    let n = match value {
        None => default,
        Some(RawSize::Bytes(n)) => n,
        Some(RawSize::Text(t)) => parse_size(&t).map_err(|m| invalid(key, m))?,
    };
    if n == 0 {
        return Err(invalid(key, "must be larger than zero"));
    }
    Ok(n)
}

/// Parses "16MiB", "500KB", "2GB", "1024" into bytes.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num.parse().map_err(|_| format!("{text:?} is not a size like \"16MiB\" or \"500KB\""))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "kib" | "k" => 1 << 10,
        "mb" => 1_000_000,
        "mib" | "m" => 1 << 20,
        "gb" => 1_000_000_000,
        "gib" | "g" => 1 << 30,
        u => return Err(format!("{text:?}: unknown unit {u:?}; use B, KB, KiB, MB, MiB, GB or GiB")),
    };
    n.checked_mul(mult).ok_or_else(|| format!("{text:?} is too large"))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_is_exactly_the_defaults() {
        let mut from_example = Config::from_toml(EXAMPLE_CONFIG, None).unwrap();
        let defaults = Config::default();
        // The example names an OPML file; defaults have none.
        from_example.feeds.opml = None;
        assert_eq!(from_example, defaults);
    }

    #[test]
    fn unknown_key_is_named() {
        let e = Config::from_toml("[schedule]\npoll_intervall = \"5m\"\n", None).unwrap_err().to_string();
        assert!(e.contains("poll_intervall"), "{e}");
    }

    #[test]
    fn bad_duration_names_key() {
        let e = Config::from_toml("[fetch]\ntimeout = \"soon\"\n", None).unwrap_err().to_string();
        assert!(e.contains("fetch.timeout") && e.contains("soon"), "{e}");
    }

    #[test]
    fn wrong_type_is_reported() {
        let e = Config::from_toml("[fetch]\nconcurrency = \"many\"\n", None).unwrap_err().to_string();
        assert!(e.contains("concurrency"), "{e}");
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("16MiB").unwrap(), 16 << 20);
        assert_eq!(parse_size("500KB").unwrap(), 500_000);
        assert_eq!(parse_size("42").unwrap(), 42);
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("99999999999999999999GB").is_err());
    }

    #[test]
    fn identity_tracking_params_extend_or_replace_the_built_in_list() {
        let c =
            Config::from_toml("[identity]\nextra_tracking_params = [\"src\", \"cmp_*\"]\n", None).unwrap();
        let key = |c: &Config, u: &str| crate::dedup::canonicalize_url(u, &c.identity).unwrap().to_string();
        assert_eq!(key(&c, "https://x.org/a?src=rss&cmpX=1&cmp_id=2&utm_source=z"), "https://x.org/a?cmpX=1");
        let only = Config::from_toml("[identity]\ntracking_params = [\"src\"]\n", None).unwrap();
        assert_eq!(key(&only, "https://x.org/a?src=rss&utm_source=z"), "https://x.org/a?utm_source=z");
        let e = Config::from_toml("[identity]\nextra_tracking_params = [\"a=b\"]\n", None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("identity.tracking_params") && e.contains("\"a=b\""), "{e}");
    }

    #[test]
    fn user_agent_names_rill_and_contact() {
        let c = Config::from_toml("[fetch]\ncontact = \"https://example.org/bot\"\n", None).unwrap();
        assert!(c.fetch.user_agent.starts_with("rill/"));
        assert!(c.fetch.user_agent.contains("https://example.org/bot"));
    }

    #[test]
    fn feed_urls_must_be_http() {
        let e = Config::from_toml("[feeds]\nurls = [\"ftp://x.org/feed\"]\n", None).unwrap_err().to_string();
        assert!(e.contains("feeds.urls") && e.contains("ftp"), "{e}");
    }

    #[test]
    fn per_feed_settings_are_validated() {
        let c = Config::from_toml(
            "[[feed]]\nurl = \"https://example.org/rss\"\nuser_agent = \"x\"\nbasic_auth = \"u:p\"\n\
             [feed.headers]\nCookie = \"a=b\"\n",
            None,
        )
        .unwrap();
        assert_eq!(c.feeds.entries[0].request.headers, vec![("Cookie".to_string(), "a=b".to_string())]);
        let e =
            Config::from_toml("[[feed]]\nurl = \"https://e.org/\"\nproxy = \"nope\"\n", None).unwrap_err();
        assert!(e.to_string().contains("proxy"), "{e}");
    }

    #[test]
    fn locate_prefers_explicit_then_env() {
        let p = locate(Some(Path::new("/a.toml")), Some(std::ffi::OsStr::new("/b.toml")));
        assert_eq!(p, Some(PathBuf::from("/a.toml")));
        let p = locate(None, Some(std::ffi::OsStr::new("/b.toml")));
        assert_eq!(p, Some(PathBuf::from("/b.toml")));
    }

    #[test]
    fn relative_opml_is_relative_to_the_config_file() {
        let c = Config::from_toml("[feeds]\nopml = \"feeds.opml\"\n", Some(Path::new("/etc/rill/rill.toml")))
            .unwrap();
        assert_eq!(c.feeds.opml, Some(PathBuf::from("/etc/rill/feeds.opml")));
    }
}
