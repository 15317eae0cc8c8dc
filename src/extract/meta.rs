//! Page metadata: title, authors, dates, site name, canonical URL, language, image, description.
//!
//! Owns: reading metadata from the sources a page offers, in order of trust: JSON-LD
//! (`NewsArticle` and friends), OpenGraph / `<meta>` tags, `<time>` elements, visible bylines.
//! Also hands the JSON-LD `articleBody` and the description to [`super::content`] as evidence.
//! Does not find the article body and does not look at the feed entry.

use super::dom::{Dom, Kind, Tag};
use super::render::absolute;
use super::text::{clean, decode_entities};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rustc_hash::FxHashMap;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use url::Url;

/// What the page says about itself.
#[derive(Debug, Default, Clone)]
pub struct PageMeta {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<DateTime<Utc>>,
    pub modified: Option<DateTime<Utc>>,
    pub site_name: Option<String>,
    pub canonical_url: Option<String>,
    pub language: Option<String>,
    pub image: Option<String>,
    pub description: Option<String>,
    /// JSON-LD `articleBody`, when the page carries one (evidence for the body, not output).
    pub ld_body: Option<String>,
    /// `<base href>`, when present (resolves relative links instead of the page URL).
    pub base: Option<Url>,
}

#[derive(Default)]
struct Ld {
    headline: Option<String>,
    authors: Vec<String>,
    published: Option<DateTime<Utc>>,
    modified: Option<DateTime<Utc>>,
    publisher: Option<String>,
    image: Option<String>,
    description: Option<String>,
    language: Option<String>,
    url: Option<String>,
    body: Option<String>,
}

const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "ReviewNewsArticle",
    "BackgroundNewsArticle",
    "TechArticle",
    "ScholarlyArticle",
    "Report",
    "LiveBlogPosting",
    "SocialMediaPosting",
    "Posting",
    "Review",
];

/// Reads the page's metadata. `url` is the page's own address.
pub fn read(dom: &Dom, url: Option<&Url>) -> PageMeta {
    let mut m = PageMeta::default();
    // (name, raw content) of <meta> tags with some content; cleaned only when looked up.
    let mut metas: Vec<(&str, &str)> = Vec::new();
    let mut title_tag = None;
    let mut canonical = None;
    let mut ld = Ld::default();
    let mut h1 = None;
    let mut time_el = None;
    for i in 0..dom.nodes.len() as u32 {
        let Some(tag) = dom.tag(i) else { continue };
        match tag {
            Tag::Html => {
                if let Some(l) = dom.attr(i, "lang").or_else(|| dom.attr(i, "xml:lang")) {
                    m.language = normalise_lang(l);
                }
            }
            Tag::Base if m.base.is_none() => {
                m.base = dom.attr(i, "href").and_then(|h| absolute(url, h)).and_then(|h| Url::parse(&h).ok());
            }
            Tag::Meta => {
                let key = dom
                    .attr(i, "property")
                    .or_else(|| dom.attr(i, "name"))
                    .or_else(|| dom.attr(i, "itemprop"));
                if let (Some(k), Some(v)) = (key, dom.attr(i, "content")) {
                    if metas.len() < 200 && !decode_entities(v).chars().all(char::is_whitespace) {
                        metas.push((k, v));
                    }
                }
            }
            Tag::Link => {
                let rel = dom.attr(i, "rel").unwrap_or("");
                if rel.eq_ignore_ascii_case("canonical") && canonical.is_none() {
                    canonical = dom.attr(i, "href").map(str::to_string);
                }
            }
            Tag::Title if title_tag.is_none() => {
                title_tag = dom.children(i).find_map(|c| dom.raw_text(c)).map(clean);
            }
            Tag::Script => {
                let ty = dom.attr(i, "type").unwrap_or("");
                if ty.eq_ignore_ascii_case("application/ld+json") {
                    if let Some(raw) = dom.children(i).find_map(|c| dom.raw_text(c)) {
                        read_json_ld(raw, &mut ld);
                    }
                }
            }
            Tag::H1 if h1.is_none() => {
                let t = clean(&subtree_text(dom, i, 400));
                if !t.is_empty() {
                    h1 = Some(t);
                }
            }
            Tag::Time if time_el.is_none() => {
                time_el = dom.attr(i, "datetime").and_then(parse_date);
            }
            _ => {}
        }
    }
    // `names` are lower-case.
    let meta = |names: &[&str]| -> Option<String> {
        names
            .iter()
            .find_map(|n| metas.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)).map(|(_, v)| clean(v)))
    };
    m.site_name = meta(&["og:site_name", "application-name", "twitter:site"]).or(ld.publisher);
    let raw_title = ld
        .headline
        .or_else(|| meta(&["og:title", "twitter:title", "headline", "dc.title"]))
        .or_else(|| title_tag.clone())
        .or_else(|| h1.clone());
    m.title = raw_title.map(|t| strip_site_suffix(&t, m.site_name.as_deref(), h1.as_deref()));
    // Without a declared site name, the suffix the <title> carries is the site's name.
    if m.site_name.is_none() {
        if let (Some(full), Some(title)) = (&title_tag, &m.title) {
            if let Some(rest) = full.strip_prefix(title.as_str()) {
                let name =
                    rest.trim_start_matches(|c: char| c.is_whitespace() || "|-–—:·»/".contains(c)).trim();
                if !name.is_empty() && name.len() < 60 && name.len() < rest.len() {
                    m.site_name = Some(name.to_string());
                }
            }
        }
    }
    // Visible bylines are the last resort: looked for only when nothing else names the authors.
    m.authors = if !ld.authors.is_empty() {
        ld.authors
    } else if let Some(a) =
        meta(&["author", "article:author", "byl", "dc.creator", "parsely-author", "sailthru.author"])
    {
        if a.starts_with("http") {
            bylines(dom)
        } else {
            vec![strip_by(&a)]
        }
    } else {
        bylines(dom)
    };
    m.published = ld.published.or_else(|| {
        meta(&[
            "article:published_time",
            "datepublished",
            "pubdate",
            "publishdate",
            "date",
            "dc.date",
            "dc.date.issued",
            "parsely-pub-date",
            "sailthru.date",
            "og:published_time",
        ])
        .and_then(|d| parse_date(&d))
    });
    m.published = m.published.or(time_el);
    m.modified = ld.modified.or_else(|| {
        meta(&["article:modified_time", "datemodified", "og:updated_time", "last-modified"])
            .and_then(|d| parse_date(&d))
    });
    let link_base = m.base.as_ref().or(url);
    m.canonical_url = canonical
        .and_then(|c| absolute(link_base, &c))
        .or_else(|| meta(&["og:url"]).and_then(|c| absolute(link_base, &c)))
        .or_else(|| ld.url.and_then(|c| absolute(link_base, &c)));
    m.image = meta(&["og:image", "og:image:url", "twitter:image", "twitter:image:src"])
        .or(ld.image)
        .and_then(|i| absolute(link_base, &i));
    m.description = meta(&["og:description", "description", "twitter:description"]).or(ld.description);
    if m.language.is_none() {
        m.language = ld
            .language
            .or_else(|| meta(&["og:locale", "content-language", "language", "dc.language"]))
            .and_then(|l| normalise_lang(&l));
    }
    m.ld_body = ld.body;
    m
}

/// Text below a node, up to about `limit` bytes, with spaces between text nodes.
pub fn subtree_text(dom: &Dom, id: u32, limit: usize) -> String {
    let mut s = String::new();
    for t in id..dom.subtree_end(id) {
        if dom.tag(t).is_some_and(|tag| matches!(tag, Tag::Script | Tag::Style | Tag::Noscript)) {
            continue;
        }
        if let Some(raw) = dom.raw_text(t) {
            if matches!(
                dom.nodes.get(dom.parent(t) as usize).map(|n| &n.kind),
                Some(Kind::Element { tag: Tag::Script | Tag::Style | Tag::Noscript, .. })
            ) {
                continue;
            }
            s.push(' ');
            s.push_str(raw);
            if s.len() > limit {
                break;
            }
        }
    }
    s
}

/// Up to four distinct visible bylines: the text of elements marked as author boxes.
fn bylines(dom: &Dom) -> Vec<String> {
    let mut byline = Vec::new();
    // Byline candidates looked at (bounded: nested author boxes must not make this quadratic).
    let mut byline_tries = 0;
    let mut author_classes: FxHashMap<&str, bool> = FxHashMap::default();
    for i in 0..dom.nodes.len() as u32 {
        if byline.len() >= 4 {
            break;
        }
        let Some(tag) = dom.tag(i) else { continue };
        if matches!(tag, Tag::A | Tag::Span | Tag::Div | Tag::P | Tag::Address) {
            // One scan of the attributes; class values repeat, so each is judged once.
            let is_author = dom.attrs(i).any(|(name, value)| match name.len() {
                3 | 8 if name.eq_ignore_ascii_case("rel") || name.eq_ignore_ascii_case("itemprop") => {
                    value.eq_ignore_ascii_case("author")
                }
                5 if name.eq_ignore_ascii_case("class") => {
                    *author_classes.entry(value).or_insert_with(|| names_author(value))
                }
                _ => false,
            });
            if is_author && byline_tries < 16 {
                byline_tries += 1;
                let t = clean(&subtree_text(dom, i, 200));
                let t = strip_by(&t);
                if !t.is_empty() && t.len() < 80 && !byline.contains(&t) {
                    byline.push(t);
                }
            }
        }
    }
    byline
}

/// Does a class value name an author box ("author" as a word, or "byline" anywhere)?
fn names_author(class: &str) -> bool {
    // "byline" is alphanumeric, so a match anywhere in the value is a match inside a word.
    class.as_bytes().windows(6).any(|w| w[0] | 0x20 == b'b' && w.eq_ignore_ascii_case(b"byline"))
        || class.split(|x: char| !x.is_ascii_alphanumeric()).any(|w| w.eq_ignore_ascii_case("author"))
}

fn strip_by(s: &str) -> String {
    let t = s.trim();
    for p in ["By ", "by ", "BY "] {
        if let Some(r) = t.strip_prefix(p) {
            return r.trim().to_string();
        }
    }
    t.to_string()
}

fn normalise_lang(l: &str) -> Option<String> {
    let primary = l.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() >= 2 && primary.len() <= 3 && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(primary)
}

const SEPS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / "];

/// Removes a " | Site name" (or " - Site", " — Site", " :: Site") suffix or prefix.
pub fn strip_site_suffix(title: &str, site: Option<&str>, h1: Option<&str>) -> String {
    let title = title.trim();
    // The visible headline is the best evidence of where the title ends.
    if let Some(h) = h1 {
        if let Some(rest) = title.strip_prefix(h) {
            if !h.is_empty() && SEPS.iter().any(|sep| rest.starts_with(sep)) {
                return h.to_string();
            }
        }
    }
    for sep in SEPS {
        if let Some(pos) = title.rfind(sep) {
            let (head, tail) = (&title[..pos], &title[pos + sep.len()..]);
            let tail_is_site = site.is_some_and(|s| same_name(tail, s));
            let words = tail.split_whitespace().count();
            let short_tail = words <= 4 && head.split_whitespace().count() >= 2;
            // " - " also joins clauses of headlines: without the site's name, only a tail that
            // looks like a name (every word capitalised) is taken for one.
            let looks_like_name = tail.split_whitespace().all(|w| !w.starts_with(|c: char| c.is_lowercase()));
            let strip = tail_is_site
                || (short_tail && (*sep == " | " || (site.is_none() && (*sep != " - " || looks_like_name))));
            if strip {
                return strip_site_suffix(head, site, None);
            }
        }
        if let Some(pos) = title.find(sep) {
            let (head, tail) = (&title[..pos], &title[pos + sep.len()..]);
            if site.is_some_and(|s| same_name(head, s)) && !tail.is_empty() {
                return tail.trim().to_string();
            }
        }
    }
    title.to_string()
}

fn same_name(a: &str, b: &str) -> bool {
    let norm =
        |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && (a == b || a.contains(&b) || b.contains(&a))
}

/// Parses the date forms pages use, as UTC.
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = decode_entities(s.trim());
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S %z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d.with_timezone(&Utc));
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.and_utc());
        }
    }
    let day = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc())
}

fn read_json_ld(raw: &str, ld: &mut Ld) {
    let raw = raw.trim().trim_start_matches("<!--").trim_end_matches("-->").trim();
    if raw.len() > 2_000_000 {
        return;
    }
    let Ok(v) = serde_json::from_str::<Value>(raw) else { return };
    // Breadth-first over objects, bounded, without recursion.
    let mut queue = vec![&v];
    let mut seen = 0;
    while let Some(v) = queue.pop() {
        seen += 1;
        if seen > 500 {
            break;
        }
        match v {
            Value::Array(a) => queue.extend(a.iter().rev()),
            Value::Object(o) => {
                if let Some(g) = o.get("@graph") {
                    queue.push(g);
                }
                if is_article_type(o.get("@type")) {
                    take_article(o, ld);
                } else if let Some(me) = o.get("mainEntity") {
                    queue.push(me);
                }
            }
            _ => {}
        }
    }
}

/// A JSON-LD document as far as [`read_json_ld`] reads it. Strings borrow from the page unless
/// they hold escapes, and numbers, booleans and null are not kept: JSON-LD blocks run to tens
/// of kilobytes (whole article bodies), and a `serde_json::Value` of them, a string and a map
/// allocated per field, cost more than the rest of the metadata pass.
enum Value<'a> {
    String(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    Object(Object<'a>),
    Other,
}

/// A JSON object's members in source order; a repeated key means its last value (as in
/// `serde_json::Map`).
struct Object<'a>(Vec<(Cow<'a, str>, Value<'a>)>);

impl<'a> Object<'a> {
    fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl<'a> Value<'a> {
    fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Value<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Value<'de>, E> {
        Ok(Value::Other)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Value<'de>, E> {
        Ok(Value::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Value<'de>, E> {
        Ok(Value::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Value<'de>, E> {
        Ok(Value::Other)
    }
    fn visit_unit<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Other)
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'de>, A::Error> {
        let mut members = Vec::new();
        while let Some((k, v)) = map.next_entry::<Key<'de>, Value<'de>>()? {
            members.push((k.0, v));
        }
        Ok(Value::Object(Object(members)))
    }
}

/// An object key, borrowed unless it holds escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match d.deserialize_str(ValueVisitor)? {
            Value::String(s) => Ok(Key(s)),
            _ => Err(serde::de::Error::custom("a JSON object key is a string")),
        }
    }
}

fn is_article_type(t: Option<&Value>) -> bool {
    match t {
        Some(Value::String(s)) => ARTICLE_TYPES.contains(
            &s.trim_start_matches("schema:")
                .trim_start_matches("http://schema.org/")
                .trim_start_matches("https://schema.org/"),
        ),
        Some(Value::Array(a)) => a.iter().any(|x| is_article_type(Some(x))),
        _ => false,
    }
}

fn string_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(clean(s)).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(|x| string_of(Some(x))),
        Value::Object(o) => string_of(o.get("name").or_else(|| o.get("url")).or_else(|| o.get("@id"))),
        _ => None,
    }
}

fn take_article(o: &Object, ld: &mut Ld) {
    if ld.headline.is_none() {
        ld.headline = string_of(o.get("headline")).or_else(|| string_of(o.get("name")));
    }
    if ld.authors.is_empty() {
        let mut add = |v: &Value| {
            let name = match v {
                Value::String(s) => Some(clean(s)),
                Value::Object(p) => p.get("name").and_then(|n| string_of(Some(n))),
                _ => None,
            };
            if let Some(n) = name.filter(|n| !n.is_empty() && !n.starts_with("http") && n.len() < 100) {
                if !ld.authors.contains(&n) {
                    ld.authors.push(n);
                }
            }
        };
        match o.get("author").or_else(|| o.get("creator")) {
            Some(Value::Array(a)) => a.iter().take(20).for_each(&mut add),
            Some(v) => add(v),
            None => {}
        }
    }
    if ld.published.is_none() {
        ld.published = string_of(o.get("datePublished")).and_then(|d| parse_date(&d));
    }
    if ld.modified.is_none() {
        ld.modified = string_of(o.get("dateModified")).and_then(|d| parse_date(&d));
    }
    if ld.publisher.is_none() {
        ld.publisher = o.get("publisher").and_then(|p| match p {
            Value::Object(p) => string_of(p.get("name")),
            Value::Array(a) => a.first().and_then(|x| x.as_object()).and_then(|p| string_of(p.get("name"))),
            _ => None,
        });
    }
    if ld.image.is_none() {
        ld.image = o.get("image").and_then(|i| match i {
            Value::Object(p) => string_of(p.get("url")),
            v => string_of(Some(v)),
        });
    }
    if ld.description.is_none() {
        ld.description = string_of(o.get("description"));
    }
    if ld.language.is_none() {
        ld.language = string_of(o.get("inLanguage"));
    }
    if ld.url.is_none() {
        ld.url = string_of(o.get("url")).or_else(|| match o.get("mainEntityOfPage") {
            Some(Value::String(s)) => Some(s.to_string()),
            Some(Value::Object(p)) => string_of(p.get("@id")),
            _ => None,
        });
    }
    if ld.body.is_none() {
        if let Some(Value::String(b)) = o.get("articleBody") {
            if b.len() > 200 {
                ld.body = Some(b.to_string());
            }
        }
    }
}
