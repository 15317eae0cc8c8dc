//! Feed discovery: from a URL a person typed (a site, an article, a feed) to a feed URL.
//!
//! Owns: finding the feed links a page declares ([`find_feed_links`], pure and bounded), and
//! resolving a URL ([`resolve`]): fetch it; if it is a feed, that is the answer (its new address
//! after a permanent redirect); if it is a page, the feed it links to; if it links to none, the
//! first of the usual paths ([`USUAL_PATHS`]) on the same origin that serves a feed.
//!
//! Does not own: the HTTP rules (every request goes through [`Fetcher`], so the address guard,
//! `allow_private_addresses`, limits and the feed's own request settings apply), the database, or
//! what is printed (`rill feed add` does that).

use crate::extract::{charset, dom, text};
use crate::feed::{parse_feed, FeedSource};
use crate::fetch::{FetchError, FetchRequest, Fetched, Fetcher, RequestSettings};
use url::Url;

/// Bytes of a page scanned for feed links (they live in `<head>`; the rest is ignored).
pub const MAX_SCAN_BYTES: usize = 1 << 20;
/// Feed links returned from one page at most.
pub const MAX_LINKS: usize = 32;
/// Longest `href` taken (longer ones are not feed links a person would subscribe to).
const MAX_HREF: usize = 2048;
/// Longest title kept, in characters.
const MAX_TITLE: usize = 200;

/// Paths tried, in order, on the page's origin when it links to no feed.
pub const USUAL_PATHS: &[&str] = &["/feed", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml", "/rss"];

/// `Accept` header of discovery requests: feeds first, then pages.
pub const ACCEPT_FEED_OR_PAGE: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
     application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, \
     application/xhtml+xml;q=0.8, */*;q=0.7";

/// The format a feed link declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    Rss,
    Atom,
    Json,
    /// `rel="feed"` without a known type.
    Unknown,
}

impl FeedKind {
    /// A short name: `rss`, `atom`, `json`, `feed`.
    pub fn as_str(self) -> &'static str {
        match self {
            FeedKind::Rss => "rss",
            FeedKind::Atom => "atom",
            FeedKind::Json => "json",
            FeedKind::Unknown => "feed",
        }
    }

    fn from_type(mime: &str) -> Option<FeedKind> {
        let mime = mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        match mime.as_str() {
            "application/rss+xml" | "application/rdf+xml" => Some(FeedKind::Rss),
            "application/atom+xml" => Some(FeedKind::Atom),
            "application/feed+json" | "application/json" => Some(FeedKind::Json),
            _ => None,
        }
    }
}

impl std::fmt::Display for FeedKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A feed a page links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLink {
    /// Absolute, resolved against `<base href>` and the page's URL.
    pub url: Url,
    pub kind: FeedKind,
    /// The link's `title`, whitespace collapsed.
    pub title: Option<String>,
}

/// The feed links of an HTML page, in document order, without duplicates: `<link>` elements with
/// `rel="alternate"` and a feed type (RSS, Atom, JSON Feed), or `rel="feed"`. Relative hrefs are
/// resolved against the first `<base href>`, else `page_url`. Only the first [`MAX_SCAN_BYTES`]
/// are read and at most [`MAX_LINKS`] links returned; never panics.
pub fn find_feed_links(html: &[u8], page_url: &Url) -> Vec<FeedLink> {
    let html = &html[..html.len().min(MAX_SCAN_BYTES)];
    let decoded = charset::decode(html);
    let page = dom::parse(&decoded);
    let elements = || (0..page.nodes.len() as u32).filter_map(|i| page.tag(i).map(|t| (i, t)));
    let base = elements()
        .filter(|(_, t)| *t == dom::Tag::Base)
        .find_map(|(i, _)| page.attr(i, "href"))
        .and_then(|h| page_url.join(text::decode_entities(h).trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .unwrap_or_else(|| page_url.clone());
    let mut links: Vec<FeedLink> = Vec::new();
    for (i, _) in elements().filter(|(_, t)| *t == dom::Tag::Link) {
        if links.len() >= MAX_LINKS {
            break;
        }
        let Some(link) = feed_link(&page, i, &base) else { continue };
        if !links.iter().any(|l| l.url == link.url) {
            links.push(link);
        }
    }
    links
}

/// The feed link of one `<link>` element, if it is one.
fn feed_link(page: &dom::Dom, id: u32, base: &Url) -> Option<FeedLink> {
    let rel = page.attr(id, "rel")?.to_ascii_lowercase();
    let rels: Vec<&str> = rel.split_ascii_whitespace().collect();
    let declared = page.attr(id, "type").map(|t| text::decode_entities(t).into_owned());
    let kind = match declared.as_deref().map(FeedKind::from_type) {
        Some(Some(kind)) if rels.contains(&"alternate") || rels.contains(&"feed") => kind,
        // rel="feed" says it is a feed whatever the type, unless the type says it is a page.
        None if rels.contains(&"feed") => FeedKind::Unknown,
        _ => return None,
    };
    let href = text::decode_entities(page.attr(id, "href")?);
    let href = href.trim();
    if href.is_empty() || href.len() > MAX_HREF {
        return None;
    }
    let mut url = base.join(href).ok()?;
    url.set_fragment(None);
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    // WordPress declares its REST API as rel="alternate" type="application/json": not a feed.
    if kind == FeedKind::Json && url.path().contains("/wp-json/") {
        return None;
    }
    let title = page
        .attr(id, "title")
        .map(|t| text::collapse(&text::decode_entities(t)))
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().take(MAX_TITLE).collect());
    Some(FeedLink { url, kind, title })
}

/// Why no feed could be chosen for a URL.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    // The fetch error is part of the message, not a `source`: the CLI prints the chain, and the
    // advice belongs at the end of the line.
    #[error("cannot fetch {url}: {error}; check the URL, or subscribe without checking with --no-fetch")]
    Fetch { url: String, error: FetchError },
    #[error(
        "{url} links to {} feeds; re-run with the URL of the one you want, or with --first to take the first",
        links.len()
    )]
    Several { url: String, links: Vec<FeedLink> },
    #[error(
        "no feed found at {url} (tried: {}); pass the feed's own URL, or --no-fetch to subscribe anyway",
        tried.join(", ")
    )]
    NotFound { url: String, tried: Vec<String> },
}

/// How the feed was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The URL is a feed.
    Direct,
    /// The URL is a feed that moved permanently; the new address is the one to keep.
    Moved { from: Url },
    /// The page links to this feed (`of` feeds in all; more than one only with `first`).
    Linked { page: Url, kind: FeedKind, title: Option<String>, of: usize },
    /// The page links to no feed; one of the usual paths serves one.
    UsualPath { page: Url },
}

/// The feed to subscribe to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub url: Url,
    pub found: Found,
}

/// What one discovery run may use.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The feed's own request settings (headers, auth, user agent, proxy), for every request.
    pub settings: Option<&'a RequestSettings>,
    /// Largest body read.
    pub max_bytes: u64,
    /// With several linked feeds, take the first instead of failing with [`DiscoverError::Several`].
    pub first: bool,
}

/// Finds the feed for `url`: the URL itself, a feed its page links to, or a usual path.
pub async fn resolve(fetcher: &Fetcher, url: &Url, opts: Options<'_>) -> Result<Resolved, DiscoverError> {
    let fetched = get(fetcher, url, opts)
        .await
        .map_err(|error| DiscoverError::Fetch { url: url.to_string(), error })?;
    let body = fetched.body.as_deref().unwrap_or_default();
    if is_feed(&fetched, body) {
        return Ok(match fetched.moved_to {
            Some(to) if &to != url => Resolved { url: to, found: Found::Moved { from: url.clone() } },
            _ => Resolved { url: url.clone(), found: Found::Direct },
        });
    }
    let page = fetched.final_url.clone();
    let mut links = find_feed_links(body, &page);
    if links.len() > 1 && !opts.first {
        return Err(DiscoverError::Several { url: url.to_string(), links });
    }
    let of = links.len();
    if !links.is_empty() {
        let link = links.swap_remove(0);
        let found = Found::Linked { page, kind: link.kind, title: link.title, of };
        return Ok(Resolved { url: link.url, found });
    }
    let mut tried = vec![format!("{url} (no feed links in the page)")];
    for path in USUAL_PATHS {
        let Ok(candidate) = page.join(path) else { continue };
        match get(fetcher, &candidate, opts).await {
            Ok(f) if is_feed(&f, f.body.as_deref().unwrap_or_default()) => {
                // A usual path that redirects permanently is subscribed at its new address.
                let url = f.moved_to.unwrap_or(candidate);
                return Ok(Resolved { url, found: Found::UsualPath { page } });
            }
            Ok(_) => tried.push(format!("{candidate} (not a feed)")),
            Err(e) => tried.push(format!("{candidate} ({e})")),
        }
    }
    Err(DiscoverError::NotFound { url: url.to_string(), tried })
}

async fn get(fetcher: &Fetcher, url: &Url, opts: Options<'_>) -> Result<Fetched, FetchError> {
    let req = FetchRequest {
        url,
        etag: None,
        last_modified: None,
        max_bytes: opts.max_bytes,
        accept: ACCEPT_FEED_OR_PAGE,
        settings: opts.settings,
        stop_at_other_origin: false,
    };
    fetcher.fetch(&req).await
}

fn is_feed(fetched: &Fetched, body: &[u8]) -> bool {
    let source = FeedSource { url: Some(&fetched.final_url), content_type: fetched.content_type.as_deref() };
    !body.is_empty() && parse_feed(body, &source).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(html: &str) -> Vec<(String, &'static str, Option<String>)> {
        let page = Url::parse("https://example.org/blog/post.html").unwrap();
        find_feed_links(html.as_bytes(), &page)
            .into_iter()
            .map(|l| (l.url.to_string(), l.kind.as_str(), l.title))
            .collect()
    }

    #[test]
    fn alternate_links_of_each_kind_in_document_order() {
        let html = r#"<html><head>
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/atom+xml" title="Atom &amp; more" href="/atom.xml">
            <link rel="alternate" type="application/rss+xml" href="rss.xml">
            <link rel="alternate" type="application/feed+json; charset=utf-8" href="https://feeds.example.net/j">
            <link rel="alternate" hreflang="de" href="/de/">
            <link rel="alternate" type="text/html" href="/amp">
            <LINK REL="Alternate Home" TYPE="Application/RSS+XML" HREF="/other.rss">
        </head><body></body></html>"#;
        assert_eq!(
            links(html),
            vec![
                ("https://example.org/atom.xml".into(), "atom", Some("Atom & more".into())),
                ("https://example.org/blog/rss.xml".into(), "rss", None),
                ("https://feeds.example.net/j".into(), "json", None),
                ("https://example.org/other.rss".into(), "rss", None),
            ]
        );
    }

    #[test]
    fn base_href_duplicates_rel_feed_and_junk() {
        let html = r#"<head><base href="/root/"><link rel=alternate type=application/rss+xml href=a.xml>
            <link rel="alternate" type="application/rss+xml" href="/root/a.xml#top">
            <link rel="feed" href="f">
            <link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/1">
            <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
            <link rel="alternate" type="application/rss+xml" href="">
            <link rel="alternate" type="application/rss+xml">"#;
        assert_eq!(
            links(html),
            vec![
                ("https://example.org/root/a.xml".into(), "rss", None),
                ("https://example.org/root/f".into(), "feed", None),
            ]
        );
    }

    #[test]
    fn hostile_pages_are_bounded() {
        let many: String = (0..10_000)
            .map(|i| format!("<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/f{i}\">"))
            .collect();
        assert_eq!(links(&many).len(), MAX_LINKS);
        let mut huge = "<p>x</p>".repeat(MAX_SCAN_BYTES / 8 + 10);
        huge.push_str(r#"<link rel="alternate" type="application/rss+xml" href="/late.xml">"#);
        assert!(links(&huge).is_empty());
        for junk in ["", "<", "<link", "<link rel=\"alternate", "\u{0}\u{ffff}<link rel=feed href=\u{1}>"] {
            let _ = links(junk);
        }
        let deep = "<div>".repeat(100_000) + r#"<link rel="feed" href="/deep">"#;
        assert_eq!(links(&deep).len(), 1);
    }
}
