//! URL canonicalisation: the article-identity key derived from a link.
//!
//! A canonical URL is an **identity key**, not a fetch address: it always has the `https`
//! scheme (even for a site that only speaks `http`), has no credentials, no fragment and no
//! tracking parameters. Fetch the page with the entry's own link (or the redirect target) and
//! store the canonical form beside it.
//!
//! The rules, in the order [`canonicalize_url`] applies them:
//!
//! 1. Surrounding whitespace is trimmed; the rest must parse as an absolute URL (a bare
//!    `example.com/a` or a protocol-relative `//example.com/a` is [`CanonError::Invalid`]; resolve
//!    relative links against their base before calling).
//! 2. Only `http` and `https` are accepted ([`CanonError::Scheme`] otherwise). Both map to
//!    `https`, so `http://x/a` and `https://x/a` are one article.
//! 3. Host: lower-cased; internationalised names become punycode (`bücher.example` →
//!    `xn--bcher-kva.example`, UTS 46 mapping, so full-width and percent-encoded host forms
//!    agree); trailing dots are removed (`example.com.` is `example.com`). With
//!    [`CanonOptions::strip_www`] (the default) a leading `www.` label is removed when at least
//!    two labels remain: news sites serve the same article on both hosts, and a site that serves
//!    different articles on `www.x` and `x` under the same path is practically unheard of.
//!    IP addresses are kept as they are.
//! 4. Port: the default port (80 for `http`, 443 for `https`) is dropped; any other port is kept
//!    (it is part of the site).
//! 5. User name and password are dropped.
//! 6. Path: dot segments are resolved (`/a/./b/../c` → `/a/c`); percent-encoding is normalised
//!    (escapes of unreserved characters `A-Z a-z 0-9 - . _ ~` are decoded, every other escape gets
//!    upper-case hex, raw non-ASCII is UTF-8 percent-encoded); an empty path is `/`; trailing
//!    slashes of a non-root path are removed (`/news/a/` is `/news/a`). Case is kept: paths are
//!    case-sensitive on most servers.
//! 7. Query: parameters whose (decoded, case-insensitive) name is in
//!    [`CanonOptions::tracking_params`] are dropped; empty parameters (`&&`) are dropped; the
//!    rest get the same percent-encoding normalisation and are sorted by name with a stable sort,
//!    so repeated names (`a=1&a=2`) keep their relative order, which can be meaningful. A query
//!    that ends up empty is removed with its `?`.
//! 8. Fragment: dropped, except a "hashbang" fragment (`#!/story/1`), which old single-page
//!    sites use as the article's real address.
//!
//! [`prefer_page_canonical`] then decides between the entry link, the final URL after redirects
//! and the page's own `rel=canonical` / `og:url`.

use std::net::IpAddr;

use url::Url;

/// The default tracking parameters: analytics, ad-click and newsletter ids that never select
/// content. An entry ending in `*` is a prefix. Names are matched case-insensitively.
pub const DEFAULT_TRACKING_PARAMS: &[&str] = &[
    // Google Analytics / Ads, and campaign tags that copy the utm_ scheme
    "utm_*",
    "_ga",
    "_gl",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    // social networks and other ad networks
    "fbclid",
    "fb_action_ids",
    "fb_action_types",
    "fb_ref",
    "fb_source",
    "igshid",
    "igsh",
    "twclid",
    "ttclid",
    "li_fat_id",
    "msclkid",
    "yclid",
    "ysclid",
    // newsletters and marketing automation
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "__hstc",
    "__hssc",
    "__hsfp",
    "hsctatracking",
    "mkt_tok",
    "vero_id",
    "oly_anon_id",
    "oly_enc_id",
    "rb_clickid",
    "wickedid",
    "sc_*",
    // web analytics suites (Matomo/Piwik, AT Internet, comScore, Adobe)
    "pk_*",
    "mtm_*",
    "piwik_*",
    "xtor",
    "at_*",
    "ns_*",
    "s_cid",
    "hmb_*",
    // publisher and portal campaign ids
    "spm",
    "cmpid",
    "cmp",
    "icid",
    "ocid",
    "ncid",
    "smid",
    "smtyp",
    "guccounter",
    "guce_referrer",
    "guce_referrer_sig",
    "ito",
    "mbid",
    "sr_share",
    "ref",
    "ref_src",
    "ref_url",
    "rss",
    "__twitter_impression",
];

/// Options for [`canonicalize_url`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonOptions {
    /// Query parameters dropped as tracking noise. An entry ending in `*` is a prefix. Matched
    /// case-insensitively against the percent-decoded parameter name.
    pub tracking_params: Vec<String>,
    /// Remove a leading `www.` label from the host (see the module rules). Default `true`.
    pub strip_www: bool,
}

impl Default for CanonOptions {
    fn default() -> Self {
        CanonOptions {
            tracking_params: DEFAULT_TRACKING_PARAMS.iter().map(|s| s.to_string()).collect(),
            strip_www: true,
        }
    }
}

impl CanonOptions {
    /// Whether the query parameter `name` (raw, as in the URL) is tracking noise.
    fn is_tracking(&self, raw_name: &str) -> bool {
        let decoded;
        let name = if raw_name.contains(['%', '+']) {
            decoded = decode_component(raw_name);
            decoded.as_str()
        } else {
            raw_name
        };
        self.tracking_params.iter().any(|p| match p.strip_suffix('*') {
            Some(prefix) => name.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix)),
            None => name.eq_ignore_ascii_case(p),
        })
    }
}

/// Why a URL has no canonical form.
#[derive(Debug, thiserror::Error)]
pub enum CanonError {
    #[error("not a URL: {0}")]
    Invalid(#[from] url::ParseError),
    #[error("not an http(s) URL: {0}")]
    Scheme(String),
}

/// The canonical form of an article URL: see the module documentation for every rule.
///
/// Pure and total: any input gives `Ok` or `Err`, never a panic. Idempotent: canonicalising a
/// canonical URL returns it unchanged.
pub fn canonicalize_url(input: &str, opts: &CanonOptions) -> Result<Url, CanonError> {
    let url = Url::parse(input.trim())?;
    canonicalize_parsed(url, opts)
}

fn canonicalize_parsed(mut url: Url, opts: &CanonOptions) -> Result<Url, CanonError> {
    match url.scheme() {
        "http" | "https" => {}
        _ => return Err(CanonError::Scheme(url.to_string())),
    }
    // http → https; the url crate drops the port when it is the new scheme's default.
    if url.scheme() == "http" {
        let _ = url.set_scheme("https");
    }
    if url.port() == Some(443) || url.port() == Some(80) {
        let _ = url.set_port(None);
    }
    let _ = url.set_username("");
    let _ = url.set_password(None);

    if let Some(host) = url.host_str() {
        let mut h = host.trim_end_matches('.').to_string();
        if opts.strip_www && h.parse::<IpAddr>().is_err() {
            if let Some(rest) = h.strip_prefix("www.") {
                if rest.contains('.') && !rest.ends_with('.') {
                    h = rest.to_string();
                }
            }
        }
        if h != host && !h.is_empty() {
            let _ = url.set_host(Some(&h));
        }
    }

    let mut path = normalize_percent(url.path());
    while path.len() > 1 && path.ends_with('/') {
        path.pop();
    }
    if path != url.path() {
        url.set_path(&path);
    }

    let query = url.query().map(|q| {
        let mut kept: Vec<(String, String)> = q
            .split('&')
            .filter(|seg| !seg.is_empty())
            .filter(|seg| {
                let name = seg.split('=').next().unwrap_or(seg);
                !opts.is_tracking(name)
            })
            .map(|seg| {
                let seg = normalize_percent(seg);
                let name = seg.split('=').next().unwrap_or(&seg).to_string();
                (name, seg)
            })
            .collect();
        kept.sort_by(|a, b| a.0.cmp(&b.0));
        kept.into_iter().map(|(_, seg)| seg).collect::<Vec<_>>().join("&")
    });
    match query {
        Some(q) if !q.is_empty() => url.set_query(Some(&q)),
        _ => url.set_query(None),
    }

    let keep_fragment = url.fragment().is_some_and(|f| f.starts_with('!') && f.len() > 1);
    if !keep_fragment {
        url.set_fragment(None);
    }
    Ok(url)
}

/// RFC 3986 unreserved characters: their escapes are decoded.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decode `%XX` escapes of unreserved characters and upper-case the hex of all others. A `%`
/// that does not start a valid escape is encoded as `%25`, so the output is well-formed.
fn normalize_percent(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hi = bytes.get(i + 1).copied().and_then(hex_val);
            let lo = bytes.get(i + 2).copied().and_then(hex_val);
            if let (Some(hi), Some(lo)) = (hi, lo) {
                let v = hi * 16 + lo;
                if is_unreserved(v) {
                    out.push(char::from(v));
                } else {
                    out.push_str(&format!("%{v:02X}"));
                }
                i += 3;
                continue;
            }
            out.push_str("%25");
            i += 1;
            continue;
        }
        // `s` comes from a serialised Url, so it is ASCII; copy any other char unchanged.
        let ch_len = s[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&s[i..i + ch_len]);
        i += ch_len;
    }
    out
}

/// Percent-decode a query component (`+` is a space), lossily as UTF-8.
fn decode_component(s: &str) -> String {
    let replaced = s.replace('+', " ");
    url::form_urlencoded::parse(format!("x={replaced}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Multi-label public suffixes under which a site takes three labels (`bbc.co.uk`), plus a few
/// hosting platforms whose sub-domains are different publishers (`alice.substack.com`). A short
/// list by design: it covers the common news cases; an unknown suffix falls back to the
/// last-two-labels rule, which can only make two sites look like one *within* such a suffix.
const MULTI_LABEL_SUFFIXES: &[&str] = &[
    "co.uk",
    "org.uk",
    "ac.uk",
    "gov.uk",
    "ltd.uk",
    "plc.uk",
    "me.uk",
    "net.uk",
    "sch.uk",
    "com.au",
    "net.au",
    "org.au",
    "edu.au",
    "gov.au",
    "co.nz",
    "org.nz",
    "net.nz",
    "govt.nz",
    "co.jp",
    "ne.jp",
    "or.jp",
    "ac.jp",
    "go.jp",
    "co.kr",
    "or.kr",
    "co.in",
    "net.in",
    "org.in",
    "gov.in",
    "com.br",
    "net.br",
    "org.br",
    "gov.br",
    "com.cn",
    "net.cn",
    "org.cn",
    "gov.cn",
    "com.hk",
    "com.tw",
    "com.sg",
    "com.my",
    "co.za",
    "org.za",
    "gov.za",
    "com.mx",
    "com.ar",
    "co.il",
    "org.il",
    "com.tr",
    "gov.tr",
    "co.id",
    "or.id",
    "com.ph",
    "com.pk",
    "com.ng",
    "co.ke",
    "com.eg",
    "com.sa",
    "com.ua",
    "co.th",
    "in.th",
    "com.vn",
    "com.co",
    "com.pe",
    "com.ve",
    "com.ec",
    "co.at",
    "or.at",
    "com.pl",
    "co.hu",
    "com.es",
    "com.pt",
    "com.gr",
    "com.cy",
    "com.mt",
    "co.ve",
    // hosting platforms: each sub-domain is its own site
    "blogspot.com",
    "wordpress.com",
    "substack.com",
    "tumblr.com",
    "medium.com",
    "github.io",
    "gitlab.io",
    "netlify.app",
    "pages.dev",
    "vercel.app",
    "herokuapp.com",
    "appspot.com",
    "ghost.io",
    "beehiiv.com",
    "livejournal.com",
];

/// The registrable domain ("site") of a host: the last two labels, or three when the last two
/// are a known multi-label suffix (see `MULTI_LABEL_SUFFIXES`). IP addresses and single-label
/// hosts are their own site. Input is expected lower-case (as [`Url::host_str`] gives it).
pub fn registrable_domain(host: &str) -> &str {
    let host = host.trim_end_matches('.');
    if host.starts_with('[') || host.parse::<IpAddr>().is_ok() {
        return host;
    }
    let dots: Vec<usize> = host.match_indices('.').map(|(i, _)| i).collect();
    if dots.len() < 2 {
        return host;
    }
    let last_two = &host[dots[dots.len() - 2] + 1..];
    if MULTI_LABEL_SUFFIXES.contains(&last_two) {
        if dots.len() >= 3 {
            return &host[dots[dots.len() - 3] + 1..];
        }
        return host;
    }
    last_two
}

/// True when both URLs have a host with the same registrable domain.
fn same_site(a: &Url, b: &Url) -> bool {
    match (a.host_str(), b.host_str()) {
        (Some(x), Some(y)) => registrable_domain(x) == registrable_domain(y),
        _ => false,
    }
}

/// The article's canonical URL given everything known about it.
///
/// * `entry_url`: the feed entry's link (canonical or not; it is canonicalised again).
/// * `final_url`: the URL the page fetch ended at after redirects. When given (and http(s)) it
///   replaces the entry link, because feed proxies (feedburner's `/~r/…`, `feeds.*` click
///   trackers) redirect to the publisher's real address; except a redirect to a home page (a
///   soft 404, a consent wall), which is no article's address.
/// * `page_canonical`: the page's `<link rel=canonical>` or `og:url`, possibly relative (it is
///   resolved against the final URL). It wins when it is an http(s) URL on the **same site**
///   (same [`registrable_domain`]) as the final URL, and is not the site's bare home page (a
///   common CMS bug gives every page `rel=canonical` to `/`). A canonical that points to another
///   site (a syndication partner naming the original outlet) is ignored here: that is the same
///   *story*, decided by [`crate::dedup::same_story`], not the same article.
///
/// Never fails: when nothing better is usable, the entry URL (canonicalised if possible) is
/// returned.
pub fn prefer_page_canonical(
    entry_url: &Url,
    page_canonical: Option<&str>,
    final_url: Option<&Url>,
    opts: &CanonOptions,
) -> Url {
    let entry = canonicalize_parsed(entry_url.clone(), opts).unwrap_or_else(|_| entry_url.clone());
    let is_home = |u: &Url| u.path() == "/" && u.query().is_none();
    // A redirect to the site's home page (a soft 404, a consent wall) is no article's address.
    let final_url = final_url.filter(|f| !is_home(f) || is_home(&entry));
    let (base_raw, base) = match final_url.and_then(|f| Some((f, canonicalize_parsed(f.clone(), opts).ok()?)))
    {
        Some((raw, canon)) => (raw.clone(), canon),
        None => (entry_url.clone(), entry),
    };
    let Some(candidate) = page_canonical.map(str::trim).filter(|s| !s.is_empty()) else {
        return base;
    };
    let Ok(resolved) = base_raw.join(candidate) else {
        return base;
    };
    let Ok(canon) = canonicalize_parsed(resolved, opts) else {
        return base;
    };
    if same_site(&canon, &base) && (!is_home(&canon) || is_home(&base)) {
        canon
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> String {
        canonicalize_url(s, &CanonOptions::default())
            .map(|u| u.to_string())
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[track_caller]
    fn same(a: &str, b: &str) {
        assert_eq!(c(a), c(b), "{a} vs {b}");
    }

    #[test]
    fn scheme_and_host_case() {
        assert_eq!(c("HTTP://Example.COM/News/A"), "https://example.com/News/A");
    }
    #[test]
    fn http_and_https_are_one() {
        same("http://example.com/a", "https://example.com/a");
    }
    #[test]
    fn default_ports_dropped() {
        same("http://example.com:80/a", "https://example.com/a");
        same("https://example.com:443/a", "https://example.com/a");
    }
    #[test]
    fn other_port_kept() {
        assert_eq!(c("http://127.0.0.2:8808/articles/a1.html"), "https://127.0.0.2:8808/articles/a1.html");
    }
    #[test]
    fn fragment_dropped() {
        assert_eq!(c("https://example.com/a#comments"), "https://example.com/a");
    }
    #[test]
    fn hashbang_fragment_kept() {
        assert_eq!(c("https://example.com/#!/story/12"), "https://example.com/#!/story/12");
    }
    #[test]
    fn trailing_slash() {
        same("https://example.com/news/a/", "https://example.com/news/a");
        assert_eq!(c("https://example.com"), "https://example.com/");
        assert_eq!(c("https://example.com/"), "https://example.com/");
    }
    #[test]
    fn www_stripped() {
        same("https://www.example.com/a", "https://example.com/a");
        assert_eq!(c("https://www.com/a"), "https://www.com/a");
    }
    #[test]
    fn www_kept_when_disabled() {
        let opts = CanonOptions { strip_www: false, ..CanonOptions::default() };
        let u =
            canonicalize_url("https://www.example.com/a", &opts).map(|u| u.to_string()).unwrap_or_default();
        assert_eq!(u, "https://www.example.com/a");
    }
    #[test]
    fn trailing_dot_host() {
        same("https://example.com./a", "https://example.com/a");
    }
    #[test]
    fn several_trailing_dots_idempotent() {
        // Found by proptest: `a..` once canonicalised to `a.` and then to `a`.
        assert_eq!(c("http://a../"), "https://a/");
        same("https://example.com../a", "https://example.com/a");
    }
    #[test]
    fn utm_dropped() {
        assert_eq!(c("https://example.com/a?utm_source=rss&utm_medium=feed"), "https://example.com/a");
    }
    #[test]
    fn utm_case_insensitive() {
        assert_eq!(c("https://example.com/a?UTM_Source=x&id=3"), "https://example.com/a?id=3");
    }
    #[test]
    fn common_click_ids_dropped() {
        for p in [
            "fbclid", "gclid", "mc_cid", "mc_eid", "ref", "_ga", "yclid", "msclkid", "igshid", "spm", "cmpid",
        ] {
            assert_eq!(c(&format!("https://example.com/a?{p}=1")), "https://example.com/a", "{p}");
        }
    }
    #[test]
    fn percent_encoded_tracking_name() {
        assert_eq!(c("https://example.com/a?utm%5Fsource=x"), "https://example.com/a");
    }
    #[test]
    fn query_sorted() {
        same("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2");
        assert_eq!(c("https://example.com/a?b=2&a=1"), "https://example.com/a?a=1&b=2");
    }
    #[test]
    fn repeated_names_keep_order() {
        assert_eq!(c("https://example.com/a?x=2&a=0&x=1"), "https://example.com/a?a=0&x=2&x=1");
    }
    #[test]
    fn empty_query_removed() {
        assert_eq!(c("https://example.com/a?"), "https://example.com/a");
        assert_eq!(c("https://example.com/a?&&"), "https://example.com/a");
    }
    #[test]
    fn valueless_param_kept() {
        assert_eq!(c("https://example.com/a?123"), "https://example.com/a?123");
    }
    #[test]
    fn percent_unreserved_decoded() {
        same("https://example.com/%7Euser/%61rticle", "https://example.com/~user/article");
    }
    #[test]
    fn percent_hex_uppercased() {
        assert_eq!(c("https://example.com/a%2fb%3a"), "https://example.com/a%2Fb%3A");
    }
    #[test]
    fn percent_reserved_not_decoded() {
        assert_eq!(c("https://example.com/a%2Fb"), "https://example.com/a%2Fb");
        assert_ne!(c("https://example.com/a%2Fb"), c("https://example.com/a/b"));
    }
    #[test]
    fn raw_utf8_equals_encoded() {
        same("https://example.com/caf%c3%a9", "https://example.com/café");
    }
    #[test]
    fn percent_in_query_normalised() {
        same("https://example.com/s?q=caf%c3%a9&x=%41", "https://example.com/s?x=A&q=café");
    }
    #[test]
    fn stray_percent_encoded() {
        assert_eq!(c("https://example.com/100%"), "https://example.com/100%25");
        assert_eq!(c(&c("https://example.com/100%")), "https://example.com/100%25");
    }
    #[test]
    fn dot_segments_resolved() {
        same("https://example.com/a/./b/../c", "https://example.com/a/c");
        same("https://example.com/a/%2e%2e/c", "https://example.com/c");
    }
    #[test]
    fn idn_to_punycode() {
        assert_eq!(c("https://Bücher.example/a"), "https://xn--bcher-kva.example/a");
        same("https://bücher.example/a", "https://xn--bcher-kva.example/a");
    }
    #[test]
    fn idn_percent_encoded_host() {
        same("https://b%C3%BCcher.example/a", "https://xn--bcher-kva.example/a");
    }
    #[test]
    fn idn_fullwidth_and_www() {
        same("https://www.ＥＸＡＭＰＬＥ.com/a", "https://example.com/a");
        same("https://www.münchen.de/x", "https://xn--mnchen-3ya.de/x");
    }
    #[test]
    fn credentials_dropped() {
        assert_eq!(c("https://user:pw@example.com/a"), "https://example.com/a");
    }
    #[test]
    fn whitespace_trimmed() {
        assert_eq!(c("  https://example.com/a \n"), "https://example.com/a");
    }
    #[test]
    fn non_http_rejected() {
        assert!(c("ftp://example.com/a").starts_with("ERR"));
        assert!(c("mailto:a@example.com").starts_with("ERR"));
        assert!(c("javascript:alert(1)").starts_with("ERR"));
    }
    #[test]
    fn relative_rejected() {
        assert!(c("example.com/a").starts_with("ERR"));
        assert!(c("/a/b").starts_with("ERR"));
        assert!(c("").starts_with("ERR"));
    }
    #[test]
    fn path_case_kept() {
        assert_ne!(c("https://example.com/A"), c("https://example.com/a"));
    }
    #[test]
    fn ip_hosts() {
        assert_eq!(c("http://[::1]:8080/a/"), "https://[::1]:8080/a");
        assert_eq!(c("http://www.127.0.0.1.nip.io/a"), "https://127.0.0.1.nip.io/a");
    }
    #[test]
    fn farm_variants_merge() {
        let base = "http://127.0.0.2:8808/articles/a12.html";
        for v in [
            "?utm_source=rss&utm_medium=feed",
            "?utm_campaign=daily&fbclid=abc123",
            "#comments",
            "?ref=homepage",
        ] {
            same(&format!("{base}{v}"), base);
        }
    }
    #[test]
    fn idempotent_examples() {
        for s in [
            "HTTP://www.Example.com:80/a/./b/?b=%7e&a=%2f#x",
            "https://xn--bcher-kva.example/caf%C3%A9?q=1",
            "https://example.com/#!/s/1",
        ] {
            assert_eq!(c(&c(s)), c(s), "{s}");
        }
    }

    #[test]
    fn registrable_domains() {
        assert_eq!(registrable_domain("news.bbc.co.uk"), "bbc.co.uk");
        assert_eq!(registrable_domain("www.nytimes.com"), "nytimes.com");
        assert_eq!(registrable_domain("nytimes.com"), "nytimes.com");
        assert_eq!(registrable_domain("co.uk"), "co.uk");
        assert_eq!(registrable_domain("alice.substack.com"), "alice.substack.com");
        assert_eq!(registrable_domain("127.0.0.2"), "127.0.0.2");
        assert_eq!(registrable_domain("localhost"), "localhost");
    }

    fn u(s: &str) -> Url {
        Url::parse(s)
            .unwrap_or_else(|_| Url::parse("https://invalid.test/").unwrap_or_else(|_| unreachable!()))
    }

    #[test]
    fn page_canonical_same_site_wins() {
        let o = CanonOptions::default();
        let got = prefer_page_canonical(
            &u("https://example.com/a?id=3"),
            Some("https://www.example.com/news/a-story"),
            None,
            &o,
        );
        assert_eq!(got.as_str(), "https://example.com/news/a-story");
        let got = prefer_page_canonical(&u("https://m.example.com/a"), Some("/news/a"), None, &o);
        assert_eq!(got.as_str(), "https://m.example.com/news/a");
    }
    #[test]
    fn page_canonical_other_site_ignored() {
        let o = CanonOptions::default();
        let got =
            prefer_page_canonical(&u("https://local.example/a"), Some("https://wire.example/orig"), None, &o);
        assert_eq!(got.as_str(), "https://local.example/a");
    }
    #[test]
    fn page_canonical_home_ignored() {
        let o = CanonOptions::default();
        let got =
            prefer_page_canonical(&u("https://example.com/a/b"), Some("https://example.com/"), None, &o);
        assert_eq!(got.as_str(), "https://example.com/a/b");
    }
    #[test]
    fn a_redirect_to_the_home_page_is_not_the_articles_address() {
        let o = CanonOptions::default();
        let entry = u("https://site.example/2024/story");
        let home = u("https://site.example/");
        assert_eq!(
            prefer_page_canonical(&entry, None, Some(&home), &o).as_str(),
            "https://site.example/2024/story"
        );
        assert_eq!(
            prefer_page_canonical(&entry, Some("/"), Some(&home), &o).as_str(),
            "https://site.example/2024/story"
        );
    }

    #[test]
    fn final_url_replaces_proxy() {
        let o = CanonOptions::default();
        let entry = u("http://feeds.feedburner.com/~r/site/~3/abc/story.html");
        let fin = u("https://www.site.example/story.html?utm_source=feedburner");
        let got = prefer_page_canonical(&entry, None, Some(&fin), &o);
        assert_eq!(got.as_str(), "https://site.example/story.html");
        let got = prefer_page_canonical(&entry, Some("https://site.example/2024/story"), Some(&fin), &o);
        assert_eq!(got.as_str(), "https://site.example/2024/story");
    }
    #[test]
    fn page_canonical_garbage_ignored() {
        let o = CanonOptions::default();
        let e = u("https://example.com/a");
        for junk in ["", "   ", "javascript:void(0)", "http://[::1", "mailto:x@y"] {
            assert_eq!(
                prefer_page_canonical(&e, Some(junk), None, &o).as_str(),
                "https://example.com/a",
                "{junk:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_idempotent(s in "\\PC*") {
            let o = CanonOptions::default();
            if let Ok(u) = canonicalize_url(&s, &o) {
                let again = canonicalize_url(u.as_str(), &o).map(|v| v.to_string()).unwrap_or_default();
                proptest::prop_assert_eq!(again, u.to_string());
            }
        }
        #[test]
        fn urlish_never_panics(
            scheme in "(https?|HTTP|ftp)",
            host in "[a-zA-Z0-9.\\-ü%]{0,20}",
            path in "[a-zA-Z0-9/%.~\\-_ é]{0,30}",
            query in "[a-zA-Z0-9=&%+_]{0,30}",
            frag in "[!a-z]{0,5}",
        ) {
            let o = CanonOptions::default();
            let s = format!("{scheme}://{host}/{path}?{query}#{frag}");
            if let Ok(u) = canonicalize_url(&s, &o) {
                let again = canonicalize_url(u.as_str(), &o).map(|v| v.to_string()).unwrap_or_default();
                proptest::prop_assert_eq!(again, u.to_string());
                let _ = prefer_page_canonical(&u, Some(&s), Some(&u), &o);
            }
        }
    }
}
