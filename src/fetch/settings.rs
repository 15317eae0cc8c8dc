//! Per-feed request settings: a User-Agent override, extra headers (cookies, tokens), HTTP basic
//! auth and a proxy. Stored with the feed as JSON; credentials are never logged or printed (the
//! `Debug` form redacts them, and no command shows them).

use reqwest::header::{HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};

/// How to request one feed, beyond the global `[fetch]` settings.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// Extra headers, sent only to the feed's own origin (not after a redirect elsewhere).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    /// `user:password` for HTTP basic auth, sent only to the feed's own origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<String>,
    /// A proxy URL for this feed (`http://`, `https://` or `socks5://`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
    /// Total time limit of this feed's requests (`fetch.timeout` otherwise), in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// Body size limit of this feed (`fetch.max_feed_bytes` otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<u64>,
    /// Minimum gap after each request for this feed before the next request to its host
    /// (the larger of this and `fetch.per_host_interval`), in milliseconds: for a fragile host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_interval_ms: Option<u64>,
    /// Bounds of this feed's adaptive poll interval (`schedule.min_interval` / `max_interval`
    /// otherwise), in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_interval_s: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_interval_s: Option<u64>,
    /// Whether to fetch the pages of this feed's articles (`fetch.fetch_pages` otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetch_pages: Option<bool>,
    /// Whether those page fetches obey robots.txt (`fetch.respect_robots` otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respect_robots: Option<bool>,
}

impl std::fmt::Debug for RequestSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("RequestSettings")
            .field("user_agent", &self.user_agent)
            .field("headers", &names)
            .field("basic_auth", &self.basic_auth.as_ref().map(|_| "<redacted>"))
            .field("proxy", &self.proxy.as_ref().map(|_| "<set>"))
            .field("timeout_ms", &self.timeout_ms)
            .field("max_bytes", &self.max_bytes)
            .field("host_interval_ms", &self.host_interval_ms)
            .field("min_interval_s", &self.min_interval_s)
            .field("max_interval_s", &self.max_interval_s)
            .field("fetch_pages", &self.fetch_pages)
            .field("respect_robots", &self.respect_robots)
            .finish()
    }
}

/// A per-feed setting that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("header {0:?} is not of the form \"Name: value\"")]
    HeaderSyntax(String),
    #[error("{0:?} is not a valid header name")]
    HeaderName(String),
    #[error("the value of header {0} is not valid (control characters?)")]
    HeaderValue(String),
    #[error("basic auth must be \"user:password\" (or \"user:\")")]
    BasicAuth,
    #[error("proxy {0:?} is not a URL like http://proxy:3128 or socks5://proxy:1080")]
    Proxy(String),
    #[error("the user agent contains a control character")]
    UserAgent,
}

impl RequestSettings {
    /// True when nothing is set.
    pub fn is_empty(&self) -> bool {
        self == &RequestSettings::default()
    }

    /// Parses a `Name: value` command-line header.
    pub fn parse_header(text: &str) -> Result<(String, String), SettingsError> {
        let (k, v) = text.split_once(':').ok_or_else(|| SettingsError::HeaderSyntax(text.to_string()))?;
        Ok((k.trim().to_string(), v.trim().to_string()))
    }

    /// This feed's total request time limit, if it has its own.
    pub fn timeout(&self) -> Option<std::time::Duration> {
        self.timeout_ms.map(std::time::Duration::from_millis)
    }

    /// This feed's gap before the next request to its host, if it has its own.
    pub fn host_interval(&self) -> Option<std::time::Duration> {
        self.host_interval_ms.map(std::time::Duration::from_millis)
    }

    /// The schedule bounds for this feed: the global ones with this feed's overrides.
    pub fn schedule(&self, global: &crate::config::ScheduleConfig) -> crate::config::ScheduleConfig {
        let mut s = global.clone();
        if let Some(min) = self.min_interval_s {
            s.min_interval = std::time::Duration::from_secs(min);
        }
        if let Some(max) = self.max_interval_s {
            s.max_interval = std::time::Duration::from_secs(max);
        }
        s.max_interval = s.max_interval.max(s.min_interval);
        s.interval = s.interval.clamp(s.min_interval, s.max_interval);
        s
    }

    /// Checks every setting, so that a bad one is refused when it is added, not at poll time.
    pub fn validate(&self) -> Result<(), SettingsError> {
        for (k, v) in &self.headers {
            HeaderName::from_bytes(k.as_bytes()).map_err(|_| SettingsError::HeaderName(k.clone()))?;
            HeaderValue::from_str(v).map_err(|_| SettingsError::HeaderValue(k.clone()))?;
        }
        if let Some(a) = &self.basic_auth {
            if !a.contains(':') || a.chars().any(char::is_control) {
                return Err(SettingsError::BasicAuth);
            }
        }
        if let Some(p) = &self.proxy {
            let ok = url::Url::parse(p).ok().is_some_and(|u| {
                matches!(u.scheme(), "http" | "https" | "socks5" | "socks5h") && u.host().is_some()
            });
            if !ok {
                return Err(SettingsError::Proxy(p.clone()));
            }
        }
        if self.user_agent.as_deref().is_some_and(|ua| ua.chars().any(char::is_control)) {
            return Err(SettingsError::UserAgent);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let s = RequestSettings {
            headers: vec![("Cookie".into(), "session=SECRET1".into())],
            basic_auth: Some("me:SECRET2".into()),
            proxy: Some("http://u:SECRET3@proxy:3128".into()),
            ..Default::default()
        };
        let d = format!("{s:?}");
        assert!(!d.contains("SECRET"), "{d}");
        assert!(d.contains("Cookie"));
    }

    #[test]
    fn validation_names_the_problem() {
        let bad = |s: RequestSettings| s.validate().unwrap_err().to_string();
        assert!(bad(RequestSettings {
            headers: vec![("Bad Name".into(), "x".into())],
            ..Default::default()
        })
        .contains("Bad Name"));
        assert!(bad(RequestSettings { basic_auth: Some("nocolon".into()), ..Default::default() })
            .contains("user:password"));
        assert!(
            bad(RequestSettings { proxy: Some("file:///x".into()), ..Default::default() }).contains("proxy")
        );
        assert_eq!(
            RequestSettings::parse_header("X-Token: abc: d").unwrap(),
            ("X-Token".into(), "abc: d".into())
        );
        assert!(RequestSettings::parse_header("no colon").is_err());
    }
}
