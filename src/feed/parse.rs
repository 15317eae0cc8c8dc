//! Bytes → [`ParsedFeed`]: decode, repair, feed-rs, then normalise its output.
//!
//! Owns the order of the stages ([`super::charset`], [`super::repair`], feed-rs with rill's
//! tolerant [`super::date`] parser, [`super::sanitize`]) and the rules applied to feed-rs's model:
//! which link is the entry's link, how relative URLs are resolved (xml:base, then the feed's
//! address, then the document's own link), how people are split into name and email, how the
//! summary and content are chosen, and how an id is derived when the feed gives none. JSON Feeds
//! go through [`super::json`] instead of repair; their links get back the rels feed-rs drops
//! (`feed_url` is the document's own address, attachments are enclosures).

use super::sanitize::{plain_text, Sanitizer};
use super::{charset, date, repair};
use crate::model::{Enclosure, Entry, ParsedFeed, Person};
use feed_rs::model as fm;
use sha2::{Digest, Sha256};
use url::Url;

/// What the caller knows about where the bytes came from.
#[derive(Debug, Clone, Default)]
pub struct FeedSource<'a> {
    /// The address the feed was fetched from (after redirects): the base for relative links.
    pub url: Option<&'a Url>,
    /// The HTTP `Content-Type` header, whose charset parameter counts.
    pub content_type: Option<&'a str>,
}

/// Why a document could not be read as a feed.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The document is something else (an HTML page, another XML vocabulary).
    #[error("not a feed: {0}")]
    NotAFeed(String),
    /// Nothing that could be XML or JSON.
    #[error("empty document: no XML or JSON content (check the URL serves a feed)")]
    Empty,
    /// A feed root was found but the document could not be read even after repair.
    #[error("malformed feed that repair could not recover: {0}")]
    Malformed(String),
}

impl ParseError {
    /// Whether fetching the same address again is pointless until the publisher changes it.
    /// Every parse failure is a property of the document, so it is permanent for those bytes.
    pub fn is_permanent(&self) -> bool {
        true
    }
}

/// Parses one feed document.
pub fn parse_feed(bytes: &[u8], source: &FeedSource<'_>) -> Result<ParsedFeed, ParseError> {
    let text = charset::decode(bytes, source.content_type);
    let repaired = repair::repair(&text, source.url);
    match repaired.kind {
        repair::DocKind::Empty => return Err(ParseError::Empty),
        repair::DocKind::Xml => match repaired.root.as_deref().or(repaired.first_element.as_deref()) {
            None => return Err(ParseError::Empty),
            Some("rss" | "feed" | "RDF" | "entry") => {}
            Some(other) => {
                return Err(ParseError::NotAFeed(format!(
                    "the root element is <{other}>, expected <rss>, <feed> or <rdf:RDF> (an HTML page may link its feed)"
                )))
            }
        },
        repair::DocKind::Json => {}
    }
    let parser = || {
        feed_rs::parser::Builder::new()
            .base_uri(source.url.map(Url::as_str))
            .id_generator(|_, _, _| String::new())
            .timestamp_parser(date::parse_date)
            .sanitize_content(false)
            .build()
    };
    let (parsed, json_links) = match repaired.kind {
        repair::DocKind::Json => {
            let doc = super::json::normalise_json_feed(&repaired.text)
                .map_err(|e| ParseError::NotAFeed(format!("not a JSON Feed: {e}")))?;
            let parsed = parse_guarded(&parser, &doc.text)?
                .map_err(|e| ParseError::NotAFeed(format!("invalid JSON Feed: {e}")))?;
            (parsed, Some((doc.home_page_url, doc.feed_url)))
        }
        _ => {
            let parsed =
                parse_guarded(&parser, &repaired.text)?.map_err(|e| ParseError::Malformed(e.to_string()))?;
            (parsed, None)
        }
    };
    let parsed = match json_links {
        Some((home, own)) => label_json_links(parsed, home, own),
        None => parsed,
    };
    Ok(normalise(parsed, source.url, repaired.hints, &repaired.entries))
}

/// Runs feed-rs, which can panic on some inputs (feed-rs 3.0 slices an author string one byte
/// before or after an e-mail address, in the middle of a multi-byte character: "«ed@x.org»").
/// A panic is caught; the document is retried once with a space put between such addresses and
/// their non-ASCII neighbours, and if feed-rs still panics the feed is reported as malformed.
/// Each try gets a fresh parser: feed-rs keeps per-parse state that a panic leaves behind.
fn parse_guarded(
    parser: &dyn Fn() -> feed_rs::parser::Parser,
    text: &str,
) -> Result<Result<fm::Feed, feed_rs::parser::ParseFeedError>, ParseError> {
    let run =
        |t: &str| std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser().parse(t.as_bytes())));
    if let Ok(result) = run(text) {
        return Ok(result);
    }
    run(&space_out_addresses(text)).map_err(|_| {
        ParseError::Malformed("the feed parser failed on this document (feed-rs panicked)".into())
    })
}

/// Puts a space between each e-mail-like token and a non-ASCII character right before or after
/// it (see [`parse_guarded`]). Only used after feed-rs panicked.
pub(crate) fn space_out_addresses(text: &str) -> String {
    let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let domain = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    let mut out = String::with_capacity(text.len() + 16);
    let mut done = 0; // bytes of `text` copied to `out`
    for (at, _) in text.match_indices('@') {
        if at < done {
            continue;
        }
        let start =
            text[..at].char_indices().rev().take_while(|&(_, c)| local(c)).last().map_or(at, |(i, _)| i);
        let end = text[at + 1..]
            .char_indices()
            .take_while(|&(_, c)| domain(c))
            .last()
            .map_or(at + 1, |(i, c)| at + 1 + i + c.len_utf8());
        if start == at || end == at + 1 {
            continue;
        }
        // The delimiters feed-rs's pattern takes with the address.
        let mut start = start.max(done);
        if start >= done + "mailto:".len() && text[..start].ends_with("mailto:") {
            start -= "mailto:".len();
        }
        if start > done && text[..start].ends_with(['<', '[', '(']) {
            start -= 1;
        }
        let mut end = end;
        if text[end..].starts_with(['>', ']', ')']) {
            end += 1;
        }
        let before = text[..start].chars().next_back().is_some_and(|c| !c.is_ascii());
        let after = text[end..].chars().next().is_some_and(|c| !c.is_ascii());
        if !before && !after {
            continue;
        }
        out.push_str(&text[done..start]);
        if before {
            out.push(' ');
        }
        out.push_str(&text[start..end]);
        if after {
            out.push(' ');
        }
        done = end;
    }
    out.push_str(&text[done..]);
    out
}

/// A bare link as feed-rs would have made it.
fn link(href: String, rel: &str, media_type: Option<String>, length: Option<u64>) -> fm::Link {
    fm::Link {
        href,
        target: None,
        rel: Some(rel.to_string()),
        media_type,
        href_lang: None,
        title: None,
        length,
    }
}

/// feed-rs gives every JSON Feed link no rel: the feed's `feed_url` and `home_page_url` look
/// alike, and so do an item's `url` and its attachments. [`super::json`] left the feed's
/// addresses beside the text and gave every attachment a MIME type (possibly empty) and the page
/// link none, so the rels can be put back: `self` and `alternate` for the feed, `alternate` and
/// `enclosure` for items. The feed's own address is listed first, as the better base for
/// relative links.
fn label_json_links(mut feed: fm::Feed, home: Option<String>, own: Option<String>) -> fm::Feed {
    feed.links = own
        .map(|h| link(h, "self", None, None))
        .into_iter()
        .chain(home.map(|h| link(h, "alternate", None, None)))
        .collect();
    for e in &mut feed.entries {
        for l in &mut e.links {
            match l.media_type.take() {
                Some(mt) => {
                    l.rel = Some("enclosure".into());
                    l.media_type = Some(mt.trim().to_string()).filter(|m| !m.is_empty());
                }
                None => l.rel = Some("alternate".into()),
            }
        }
    }
    feed
}

/// The link a reader follows: an `alternate` (or rel-less) link to a web page first, as
/// feedparser picks it (a PDF or feed alternate listed before the HTML one loses), then any
/// `alternate`, else the first link that is not `self` or an enclosure. An RSS `<comments>`
/// or `wfw:commentRss` address is never the entry's link (feedparser keeps it apart).
fn main_link(links: &[fm::Link]) -> Option<&fm::Link> {
    let links = links.iter().filter(|l| l.target.is_none()).collect::<Vec<_>>();
    let links = links.as_slice();
    let is_alternate =
        |l: &&fm::Link| l.rel.as_deref().is_none_or(|r| r.trim().eq_ignore_ascii_case("alternate"));
    let is_page = |l: &&fm::Link| {
        l.media_type.as_deref().map(str::trim).is_none_or(|t| {
            t.is_empty()
                || t.eq_ignore_ascii_case("text/html")
                || t.eq_ignore_ascii_case("application/xhtml+xml")
        })
    };
    links
        .iter()
        .find(|l| is_alternate(l) && is_page(l))
        .or_else(|| links.iter().find(|l| is_alternate(l)))
        .or_else(|| links.iter().find(|l| l.rel.as_deref().is_none_or(|r| r != "self" && r != "enclosure")))
        .copied()
}

fn normalise(
    feed: fm::Feed,
    source_url: Option<&Url>,
    hints: crate::model::FeedHints,
    extras: &[repair::EntryExtras],
) -> ParsedFeed {
    // The document's own link is the last resort for relative URLs.
    let own = feed
        .links
        .iter()
        .filter_map(|l| Url::parse(l.href.trim()).ok())
        .find(|u| u.scheme() == "http" || u.scheme() == "https");
    let base = source_url.cloned().or(own);
    let resolve = |href: &str| resolve(base.as_ref(), href);
    let sanitizer = Sanitizer::new(base.as_ref());
    let is_rss = matches!(feed.feed_type, fm::FeedType::RSS0 | fm::FeedType::RSS1 | fm::FeedType::RSS2);
    let is_rss1 = feed.feed_type == fm::FeedType::RSS1;
    // Repair saw the same items feed-rs did; if the counts disagree, its extras are not used.
    let aligned = extras.len() == feed.entries.len();
    let no_extras = repair::EntryExtras::default();

    let entries = feed
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, mut e)| {
            if is_rss1 {
                // RSS 1.0's only item date is dc:date, which feedparser reads as the update date.
                e.updated = e.updated.or(e.published.take());
            }
            let extra = if aligned { extras.get(i).unwrap_or(&no_extras) } else { &no_extras };
            normalise_entry(e, is_rss, &resolve, &sanitizer, extra)
        })
        .collect();
    ParsedFeed {
        title: feed.title.and_then(|t| plain_text(&t.content)),
        link: main_link(&feed.links).and_then(|l| resolve(&l.href)),
        entries,
        hints,
    }
}

/// Resolves `href` against `base`; an absolute URL stays as written (trimmed).
fn resolve(base: Option<&Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    match Url::parse(href) {
        Ok(u) => Some(u.to_string()),
        Err(_) => match base.and_then(|b| b.join(href).ok()) {
            Some(u) => Some(u.to_string()),
            None => Some(href.to_string()),
        },
    }
}

fn normalise_entry(
    e: fm::Entry,
    is_rss: bool,
    resolve: &dyn Fn(&str) -> Option<String>,
    sanitizer: &Sanitizer,
    extra: &repair::EntryExtras,
) -> Entry {
    let feed_id = e.id.trim().to_string();
    let mut link = main_link(&e.links).and_then(|l| resolve(&l.href));
    // RSS: a guid is a permalink unless it says otherwise; feed-rs drops the flag, so a guid
    // that is an absolute web address stands in for a missing link.
    if link.is_none()
        && is_rss
        && !extra.guid_is_not_link
        && (feed_id.starts_with("http://") || feed_id.starts_with("https://"))
    {
        link = Some(feed_id.clone());
    }
    let title = e.title.as_ref().and_then(|t| plain_text(&t.content));
    // Content under its own xml:base resolves its links against it.
    let summary_sanitizer = extra.summary_base.as_ref().map(|b| Sanitizer::new(Some(b)));
    let content_sanitizer = extra.content_base.as_ref().map(|b| Sanitizer::new(Some(b)));
    let summary = e.summary.as_ref().and_then(|t| {
        text_body(t.content_type.as_ref(), &t.content, summary_sanitizer.as_ref().unwrap_or(sanitizer))
    });
    let content = e
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref().map(|b| (c.content_type.as_ref(), b)))
        .and_then(|(ct, b)| text_body(ct, b, content_sanitizer.as_ref().unwrap_or(sanitizer)));
    // itunes:summary and media:description (feed-rs files both as media descriptions) stand
    // in for a missing description, as feedparser reads them.
    let summary = summary.or_else(|| {
        e.media
            .iter()
            .filter_map(|m| m.description.as_ref())
            .find_map(|t| text_body(t.content_type.as_ref(), &t.content, sanitizer))
    });
    // As in feedparser: an entry with content but no summary summarises with its content.
    let summary = summary.or_else(|| content.clone());

    let mut authors: Vec<Person> = e
        .authors
        .iter()
        .filter_map(|p| person(p.name.as_deref(), p.email.as_deref(), p.uri.as_deref()))
        .collect();
    let mut seen = 0;
    for i in 0..authors.len() {
        if !authors[..seen].contains(&authors[i]) {
            authors.swap(seen, i);
            seen += 1;
        }
    }
    authors.truncate(seen);
    if authors.is_empty() {
        // itunes:author reaches feed-rs as a media credit.
        authors = e
            .media
            .iter()
            .flat_map(|m| m.credits.iter())
            .filter_map(|c| person(Some(&c.entity), None, None))
            .take(1)
            .collect();
    }

    let mut enclosures: Vec<Enclosure> = Vec::new();
    let mut push_enclosure = |enc: Enclosure| {
        if !enclosures.iter().any(|x| x.url == enc.url) {
            enclosures.push(enc);
        }
    };
    for l in e.links.iter().filter(|l| l.rel.as_deref() == Some("enclosure")) {
        if let Some(url) = resolve(&l.href) {
            push_enclosure(Enclosure { url, mime_type: l.media_type.clone(), length: l.length });
        }
    }
    for c in e.media.iter().flat_map(|m| m.content.iter()) {
        if let Some(url) = c.url.as_ref().and_then(|u| resolve(u.as_str())) {
            push_enclosure(Enclosure {
                url,
                mime_type: c.content_type.as_ref().map(|m| m.to_string()),
                length: c.size.filter(|&s| s > 0),
            });
        }
    }

    let mut categories: Vec<String> = Vec::new();
    let terms = e
        .categories
        .iter()
        .map(|c| c.label.as_deref().filter(|_| c.term.trim().is_empty()).unwrap_or(&c.term));
    for term in terms.chain(extra.subjects.iter().map(String::as_str)) {
        let term = term.trim();
        if !term.is_empty() && !categories.iter().any(|x| x == term) {
            categories.push(term.to_string());
        }
    }

    let (id, id_from_feed) = if !feed_id.is_empty() {
        (feed_id, true)
    } else if let Some(about) = &extra.about {
        (about.trim().to_string(), true)
    } else if let Some(l) = &link {
        (l.clone(), false)
    } else {
        (content_id(&title, &summary, &content, e.published.or(e.updated)), false)
    };
    Entry {
        id,
        id_from_feed,
        link,
        title,
        summary,
        content,
        authors,
        published: e.published,
        // As feedparser: an entry that only says when it was published was last updated then.
        updated: e.updated.or(e.published),
        categories,
        enclosures,
    }
}

/// A text construct's body as sanitised HTML: HTML types are sanitised, plain text is kept
/// (escaped if it holds markup characters).
fn text_body(ct: &str, body: &str, sanitizer: &Sanitizer) -> Option<String> {
    if ct == "text/plain" {
        sanitizer.text_as_html(body)
    } else {
        sanitizer.html(body)
    }
}

/// An id for an entry that has neither guid nor link: a hash of what it says.
fn content_id(
    title: &Option<String>,
    summary: &Option<String>,
    content: &Option<String>,
    date: Option<chrono::DateTime<chrono::Utc>>,
) -> String {
    let mut h = Sha256::new();
    for part in [title, summary, content] {
        h.update(part.as_deref().unwrap_or("").as_bytes());
        h.update([0]);
    }
    if let Some(d) = date {
        h.update(d.timestamp().to_be_bytes());
    }
    format!("sha256:{:x}", h.finalize())
}

/// Normalises a feed-rs person: "email (Name)" and "Name <email>" are split, a bare email
/// goes to `email`, surrounding punctuation is trimmed. `None` when nothing is left.
fn person(name: Option<&str>, email: Option<&str>, uri: Option<&str>) -> Option<Person> {
    let mut name = name.unwrap_or("").trim().to_string();
    let mut email = email.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    if email.is_none() {
        let (n, m) = split_name_email(&name);
        name = n;
        email = m;
    }
    let name = plain_text(&name)
        .map(|n| n.trim_matches(|c: char| matches!(c, '(' | ')' | ',' | '"' | '\'')).trim().to_string());
    let name = name.filter(|n| !n.is_empty());
    let email = email.map(|m| m.trim_start_matches("mailto:").to_string());
    let uri = uri.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    (name.is_some() || email.is_some() || uri.is_some()).then_some(Person { name, email, uri })
}

/// Splits "email (Name)", "Name <email>", "Name (email)" or a bare email.
fn split_name_email(raw: &str) -> (String, Option<String>) {
    let Some(at) = raw.find('@') else { return (raw.to_string(), None) };
    let is_email_char = |c: char| c.is_alphanumeric() || "._%+-@".contains(c);
    let start = raw[..at]
        .rfind(|c: char| !is_email_char(c))
        .map_or(0, |i| i + raw[i..].chars().next().map_or(1, char::len_utf8));
    let end = raw[at..].find(|c: char| !is_email_char(c)).map_or(raw.len(), |i| at + i);
    let email = raw[start..end].trim_end_matches('.').to_string();
    if !email.contains('.') || email.starts_with('@') || email.ends_with('@') {
        return (raw.to_string(), None);
    }
    let rest = format!("{} {}", &raw[..start], &raw[end..]);
    let name = rest.replace(['(', ')', '<', '>', '[', ']'], " ").replace("mailto:", " ");
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    (name, Some(email))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> ParsedFeed {
        match parse_feed(s.as_bytes(), &FeedSource::default()) {
            Ok(f) => f,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn splits_email_and_name() {
        assert_eq!(
            split_name_email("joe@example.com (Joe Bloggs)"),
            ("Joe Bloggs".into(), Some("joe@example.com".into()))
        );
        assert_eq!(
            split_name_email("Joe Bloggs <joe@example.com>"),
            ("Joe Bloggs".into(), Some("joe@example.com".into()))
        );
        assert_eq!(split_name_email("joe@example.com"), ("".into(), Some("joe@example.com".into())));
        assert_eq!(split_name_email("Joe Bloggs"), ("Joe Bloggs".into(), None));
    }

    #[test]
    fn an_address_beside_a_multibyte_character_does_not_panic_the_parser() {
        // feed-rs 3.0 panics on these author strings (it slices one byte past the address).
        for author in [
            "«ed@example.org»",
            "Zoë(zoe@example.org)",
            "ed@example.org — Édouard",
            "Ñ mailto:ed@example.org",
        ] {
            let f = parse(&format!(
                "<rss version=\"2.0\"><channel><title>T</title><item><title>a</title><guid>g1</guid>\
                 <author>{author}</author><description>Write to «ed@example.org».</description></item>\
                 <item><title>b</title><guid>g2</guid></item></channel></rss>"
            ));
            assert_eq!(f.entries.len(), 2, "{author}");
        }
    }

    #[test]
    fn spacing_out_addresses_touches_only_non_ascii_neighbours() {
        assert_eq!(space_out_addresses("«ed@example.org»"), "« ed@example.org »");
        assert_eq!(space_out_addresses("Zoë(zoe@example.org)"), "Zoë (zoe@example.org)");
        assert_eq!(space_out_addresses("é<mailto:a@b.org>é"), "é <mailto:a@b.org> é");
        assert_eq!(space_out_addresses("a@b.com@c.org é"), "a@b.com@c.org é");
        assert_eq!(space_out_addresses("plain ed@example.org text"), "plain ed@example.org text");
        assert_eq!(space_out_addresses("@@ é@ @é"), "@@ é@ @é");
    }

    #[test]
    fn quoted_names_lose_their_quotes() {
        let p = person(Some("\"Bob\" <bob@example.com>"), None, None);
        assert_eq!(p.and_then(|p| p.name).as_deref(), Some("Bob"));
    }

    #[test]
    fn rss_without_version_parses() {
        let f = parse(
            "<rss><channel><title>T</title><item><title>a</title><guid>g1</guid></item></channel></rss>",
        );
        assert_eq!(f.title.as_deref(), Some("T"));
        assert_eq!(f.entries.len(), 1);
        assert_eq!(f.entries[0].id, "g1");
        assert!(f.entries[0].id_from_feed);
    }

    #[test]
    fn id_derived_from_link_then_content() {
        let f = parse(concat!(
            "<rss version=\"2.0\"><channel><item><link>http://e.com/1</link></item>",
            "<item><title>x</title></item></channel></rss>"
        ));
        assert_eq!(f.entries[0].id, "http://e.com/1");
        assert!(!f.entries[0].id_from_feed);
        assert!(f.entries[1].id.starts_with("sha256:"));
        assert_eq!(
            f.entries[1].id,
            parse(concat!(
                "<rss version=\"2.0\"><channel><item><link>http://e.com/1</link></item>",
                "<item><title>x</title></item></channel></rss>"
            ))
            .entries[1]
                .id
        );
    }

    #[test]
    fn html_page_is_not_a_feed() {
        let e = parse_feed(b"<!DOCTYPE html><html><body>hi</body></html>", &FeedSource::default());
        assert!(matches!(e, Err(ParseError::NotAFeed(_))), "{e:?}");
        assert!(matches!(parse_feed(b"   ", &FeedSource::default()), Err(ParseError::Empty)));
    }

    #[test]
    fn relative_links_use_source_url() {
        let base = Url::parse("http://example.com/feed/rss.xml").ok();
        let src = FeedSource { url: base.as_ref(), content_type: None };
        let f = parse_feed(
            b"<rss><channel><link>/</link><item><link>p/1</link><enclosure url=\"a.mp3\" type=\"audio/mpeg\" length=\"5\"/></item></channel></rss>",
            &src,
        );
        let f = f.unwrap_or_default();
        assert_eq!(f.link.as_deref(), Some("http://example.com/"));
        assert_eq!(f.entries[0].link.as_deref(), Some("http://example.com/feed/p/1"));
        assert_eq!(f.entries[0].enclosures[0].url, "http://example.com/feed/a.mp3");
    }
}
