//! Markup repair: decoded text → well-formed XML that feed-rs can read, in one linear pass.
//!
//! Owns every fix applied to the document before feed-rs sees it:
//! * junk, a BOM or text before the root element is dropped, and the XML declaration is
//!   rewritten to say UTF-8 (the text is already decoded);
//! * DOCTYPEs (and with them internal entities, so nothing can expand), comments and processing
//!   instructions are dropped;
//! * HTML named entities become numeric references, bare `&` and stray `<` are escaped, numeric
//!   references to C1 controls are read as windows-1252 (as browsers do), characters XML forbids
//!   are dropped;
//! * attributes are quoted and de-duplicated; tags are balanced (a stray end tag is dropped, a
//!   missing one is supplied) and nesting is capped at [`MAX_DEPTH`];
//! * format fixes: an `<rss>` root always says `version="2.0"` (feed-rs dispatches on it, and
//!   reads 0.9x through its 2.0 parser anyway), common namespace prefixes are declared when a
//!   feed forgets to, and Atom 0.3 is mapped to Atom 1.0 (namespace, element names, content
//!   `mode`, base64 content decoded), empty Atom `content` is removed;
//! * what feedparser reads in RSS and feed-rs does not is renamed into what feed-rs reads:
//!   RSS element names in any capitalisation (`<PubDate>`), `dc:title`, `dc:description`,
//!   `dc:author`, `xhtml:body`, an item's own `media:description` (as `itunes:summary`), and an
//!   item's `atom:link` (alternate → `<link>`, enclosure → `<enclosure>`);
//! * the scheduler's hints (`ttl`, `sy:update*`, `skipHours`, `skipDays`) are read on the way, and
//!   per entry what feed-rs's model cannot carry ([`EntryExtras`]: `rdf:about`, `isPermaLink`,
//!   xml:base of its text, `dc:subject`).
//!
//! Knows nothing of feed-rs's model; the output is plain XML text.

use crate::model::FeedHints;
use base64::Engine as _;
use markup5ever::data::NAMED_ENTITIES;
use url::Url;

/// Elements nested deeper than this are flattened (their tags dropped, their text kept).
pub const MAX_DEPTH: usize = 256;
/// Attributes kept per tag; more are dropped (keeps the duplicate check constant-time).
const MAX_ATTRS: usize = 32;
/// Longest entity name looked up.
const MAX_ENTITY: usize = 40;
/// How far into the document the root element is looked for past leading junk.
const ROOT_WINDOW: usize = 64 * 1024;

const ATOM03_NS: &str = "http://purl.org/atom/ns#";
const ATOM10_NS: &str = "http://www.w3.org/2005/Atom";

/// Prefixes feeds use without declaring them, with their usual namespace.
const COMMON_PREFIXES: &[(&str, &str)] = &[
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("content", "http://purl.org/rss/1.0/modules/content/"),
    ("media", "http://search.yahoo.com/mrss/"),
    ("itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd"),
    ("sy", "http://purl.org/rss/1.0/modules/syndication/"),
    ("atom", "http://www.w3.org/2005/Atom"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
];

/// RSS element names as feed-rs expects them; other capitalisations are mapped to these.
const RSS_NAMES: &[&str] = &[
    "rss",
    "channel",
    "item",
    "title",
    "link",
    "description",
    "pubDate",
    "lastBuildDate",
    "guid",
    "author",
    "category",
    "enclosure",
    "comments",
    "image",
    "url",
    "language",
    "ttl",
    "skipHours",
    "skipDays",
    "hour",
    "day",
];

/// At most this many `dc:subject` values are kept per entry.
const MAX_SUBJECTS: usize = 64;

/// What an item's own media:description becomes: feed-rs reads it as a media description.
const ITEM_MEDIA_DESCRIPTION: &str = "itunes:summary";

/// What kind of document the text holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Xml,
    Json,
    /// Neither `<` nor `{` anywhere: not a feed.
    Empty,
}

/// The repaired document and what was learnt on the way.
#[derive(Debug)]
pub struct Repaired {
    pub text: String,
    pub kind: DocKind,
    pub hints: FeedHints,
    /// Local name of the feed's root element (XML only); `None` when there is none.
    pub root: Option<String>,
    /// The document's first element when it was not a feed root (an HTML page's `html`).
    pub first_element: Option<String>,
    /// Per `<item>`/`<entry>`, in document order: what feed-rs's model does not carry.
    pub entries: Vec<EntryExtras>,
}

/// What repair learnt about one entry that feed-rs does not report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntryExtras {
    /// The xml:base in force on the entry's summary, when one was set in the document.
    pub summary_base: Option<Url>,
    /// The xml:base in force on the entry's content, when one was set in the document.
    pub content_base: Option<Url>,
    /// RSS 1.0 `rdf:about` of the item: its id, as feedparser reads it.
    pub about: Option<String>,
    /// RSS `guid isPermaLink="false"` says the guid is not the entry's address.
    pub guid_is_not_link: bool,
    /// `dc:subject` values (RSS 1.0 and 2.0), which feed-rs does not read: categories.
    pub subjects: Vec<String>,
}

/// Repairs a decoded document. Linear in its length; never fails.
pub fn repair(text: &str, base: Option<&Url>) -> Repaired {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.bytes().position(|b| b == b'<' || b == b'{');
    match first.map(|i| (i, text.as_bytes()[i])) {
        None => Repaired {
            text: String::new(),
            kind: DocKind::Empty,
            hints: FeedHints::default(),
            root: None,
            first_element: None,
            entries: Vec::new(),
        },
        Some((i, b'{')) => Repaired {
            text: text[i..].to_string(),
            kind: DocKind::Json,
            hints: FeedHints::default(),
            root: None,
            first_element: None,
            entries: Vec::new(),
        },
        Some(_) => {
            let start = markup_start(text);
            let mut r = Repairer::new(&text.as_bytes()[start..], base);
            r.run();
            let out = String::from_utf8(r.out)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            Repaired {
                text: out,
                kind: DocKind::Xml,
                hints: r.hints,
                root: r.root,
                first_element: r.first_element,
                entries: r.entries,
            }
        }
    }
}

/// Where the markup starts: the XML declaration or a feed root if one is near the top
/// (skipping, say, a PHP warning printed before the feed), else the first `<`.
fn markup_start(text: &str) -> usize {
    let window = &text.as_bytes()[..text.len().min(ROOT_WINDOW)];
    let mut first = None;
    for (i, _) in window.iter().enumerate().filter(|(_, &b)| b == b'<') {
        first.get_or_insert(i);
        let rest = &window[i + 1..];
        let starts = |p: &[u8]| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
        if starts(b"?xml") || starts(b"rss") || starts(b"feed") || starts(b"rdf:rdf") || starts(b"!doctype") {
            return i;
        }
    }
    first.or_else(|| text.find('<')).unwrap_or(0)
}

/// Which scheduler hint an open element carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hint {
    Ttl,
    UpdatePeriod,
    UpdateFrequency,
    SkipHour,
    SkipDay,
    /// An entry's `dc:subject`: recorded in its [`EntryExtras`].
    Subject,
}

#[derive(Debug)]
struct Open {
    /// The tag name as written out.
    name: String,
    /// Where the start tag begins in the output.
    tag_start: usize,
    /// Where the element's content begins in the output.
    body_start: usize,
    drop_if_empty: bool,
    base64: bool,
    /// Markup inside is text (an RSS description holding raw HTML): only its own end tag, or
    /// an ancestor's, ends it.
    raw: bool,
    hint: Option<Hint>,
    /// A default namespace this element declared (in an RSS document) that has a usual
    /// prefix: its unprefixed descendants are renamed with it.
    default_prefix: Option<&'static str>,
}

struct Repairer<'a> {
    src: &'a [u8],
    pos: usize,
    out: Vec<u8>,
    stack: Vec<Open>,
    root: Option<String>,
    done: bool,
    atom: bool,
    atom03: bool,
    /// Per terminator (`-->`, `]]>`, `?>`): a position from which it is known to be absent.
    missing: [Option<usize>; 3],
    /// The first element seen when it was not a feed root (for the error message).
    first_element: Option<String>,
    /// Root is `<rss>`: `dc:date` is mapped to an update date, as feedparser reads it.
    rss: bool,
    hints: FeedHints,
    /// xml:base in force: (stack depth that set it, resolved base).
    bases: Vec<(usize, Url)>,
    /// The caller's base, below every xml:base.
    doc_base: Option<Url>,
    entries: Vec<EntryExtras>,
    sy_period: Option<u64>,
    sy_frequency: Option<u64>,
    /// Prefixes the document binds to a namespace that usually goes by another prefix
    /// (`foo` for Dublin Core), with that usual prefix: elements are renamed to it, since
    /// repair and feed-rs's RSS reader match some names by prefix.
    prefixes: Vec<(String, &'static str)>,
}

/// Most prefix rebindings remembered per document.
const MAX_PREFIXES: usize = 32;

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b':' || b >= 0x80
}

fn is_name_char(b: u8) -> bool {
    is_name_start(b) || b.is_ascii_digit() || b == b'-' || b == b'.'
}

/// Bytes that end a run of plain text: markup, references and characters XML forbids.
fn is_text_special(b: u8) -> bool {
    TEXT_SPECIAL[usize::from(b)]
}

/// [`is_text_special`] as a table: the test runs once per input byte.
static TEXT_SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = !matches!(b, 0x09 | 0x0A | 0x0D);
        b += 1;
    }
    t[b'<' as usize] = true;
    t[b'&' as usize] = true;
    t[0xEF] = true;
    t
};

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn is_xml_char(c: u32) -> bool {
    matches!(c, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// Code points windows-1252 puts where ISO-8859-1 has C1 controls.
fn cp1252(c: u32) -> u32 {
    const MAP: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
        0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122,
        0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    match c {
        0x80..=0x9F => MAP[(c - 0x80) as usize],
        _ => c,
    }
}

/// Namespaces feed-rs does not know, mapped to the ones it reads the same elements from
/// (`""`: drop the declaration, the elements are plain RSS).
fn canonical_namespace(ns: &str) -> Option<&'static str> {
    Some(match ns.trim() {
        ATOM03_NS => ATOM10_NS,
        "http://my.netscape.com/rdf/simple/0.9/" => "http://purl.org/rss/1.0/",
        "http://backend.userland.com/rss2"
        | "http://backend.userland.com/rss"
        | "http://blogs.law.harvard.edu/tech/rss" => "",
        "http://search.yahoo.com/mrss"
        | "http://tools.search.yahoo.com/mrss/"
        | "http://search.yahoo.com/mrss/rss/" => "http://search.yahoo.com/mrss/",
        "http://purl.org/dc/elements/1.0/" => "http://purl.org/dc/elements/1.1/",
        "http://purl.org/rss/1.0/modules/content" => "http://purl.org/rss/1.0/modules/content/",
        other if other.eq_ignore_ascii_case("http://www.itunes.com/dtds/podcast-1.0.dtd") => {
            "http://www.itunes.com/dtds/podcast-1.0.dtd"
        }
        _ => return None,
    })
}

/// Atom 0.3 element names and their Atom 1.0 equivalents.
fn atom03_rename(local: &str) -> Option<&'static str> {
    Some(match local {
        "issued" => "published",
        "modified" => "updated",
        "created" => "rill-created",
        "tagline" => "subtitle",
        "copyright" => "rights",
        "url" => "uri",
        "info" => "rill-info",
        _ => return None,
    })
}

impl<'a> Repairer<'a> {
    fn new(src: &'a [u8], base: Option<&Url>) -> Self {
        let mut out = Vec::with_capacity(src.len() + src.len() / 16 + 64);
        out.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        Repairer {
            src,
            pos: 0,
            out,
            stack: Vec::new(),
            root: None,
            done: false,
            atom: false,
            atom03: false,
            rss: false,
            first_element: None,
            missing: [None; 3],
            hints: FeedHints::default(),
            bases: Vec::new(),
            doc_base: base.cloned(),
            entries: Vec::new(),
            sy_period: None,
            sy_frequency: None,
            prefixes: Vec::new(),
        }
    }

    /// Like [`Self::find`], but remembers a failed search: once a terminator is absent from
    /// some position on, it is absent from every later one, so repeated unterminated
    /// constructs cost one scan in all rather than one each.
    fn find_cached(&mut self, slot: usize, from: usize, needle: &[u8]) -> Option<usize> {
        if self.missing[slot].is_some_and(|m| from >= m) {
            return None;
        }
        let found = self.find(from, needle);
        if found.is_none() {
            self.missing[slot] = Some(self.missing[slot].map_or(from, |m| m.min(from)));
        }
        found
    }

    /// Just past the next `>` at or after `from`, or the end.
    fn next_gt(&self, from: usize) -> usize {
        self.src
            .get(from..)
            .and_then(|r| r.iter().position(|&b| b == b'>'))
            .map_or(self.src.len(), |i| from + i + 1)
    }

    fn starts(&self, p: &[u8]) -> bool {
        self.src.len() - self.pos >= p.len() && self.src[self.pos..self.pos + p.len()].eq_ignore_ascii_case(p)
    }

    /// Position of `needle` at or after `from`, if any.
    fn find(&self, from: usize, needle: &[u8]) -> Option<usize> {
        let hay = self.src.get(from..)?;
        if needle.is_empty() || hay.len() < needle.len() {
            return None;
        }
        let first = needle[0];
        let mut i = 0;
        while i + needle.len() <= hay.len() {
            match hay[i..].iter().position(|&b| b == first) {
                None => return None,
                Some(off) => {
                    i += off;
                    if i + needle.len() <= hay.len() && &hay[i..i + needle.len()] == needle {
                        return Some(from + i);
                    }
                    i += 1;
                }
            }
        }
        None
    }

    fn run(&mut self) {
        while self.pos < self.src.len() && !self.done {
            let b = self.src[self.pos];
            if b == b'<' {
                self.markup();
            } else {
                self.text();
            }
        }
        while let Some(open) = self.stack.pop() {
            self.close(open);
        }
    }

    /// Character data up to the next `<`.
    fn text(&mut self) {
        let keep = !self.stack.is_empty();
        while self.pos < self.src.len() {
            let run_end = self.src[self.pos..]
                .iter()
                .position(|&b| is_text_special(b))
                .map_or(self.src.len(), |i| self.pos + i);
            if keep {
                self.out.extend_from_slice(&self.src[self.pos..run_end]);
            }
            self.pos = run_end;
            let Some(&b) = self.src.get(self.pos) else { return };
            match b {
                b'<' => return,
                b'&' => {
                    if keep {
                        self.entity();
                    } else {
                        self.pos += 1;
                    }
                }
                0xEF => {
                    // U+FFFE and U+FFFF (EF BF BE/BF) are not XML characters.
                    let bad = matches!(self.src.get(self.pos + 1..self.pos + 3), Some([0xBF, 0xBE | 0xBF]));
                    if bad {
                        self.pos += 3;
                    } else {
                        if keep {
                            self.out.push(b);
                        }
                        self.pos += 1;
                    }
                }
                _ => self.pos += 1, // a control character XML forbids
            }
        }
    }

    /// An `&` in text or an attribute value: a valid reference is kept (named HTML ones made
    /// numeric), anything else is escaped.
    fn entity(&mut self) {
        let start = self.pos + 1;
        let mut j = start;
        while j < self.src.len()
            && j - start <= MAX_ENTITY
            && (self.src[j].is_ascii_alphanumeric() || self.src[j] == b'#')
        {
            j += 1;
        }
        if j == start || self.src.get(j) != Some(&b';') {
            self.out.extend_from_slice(b"&amp;");
            self.pos += 1;
            return;
        }
        let name = &self.src[start..j];
        let after = j + 1;
        if let Some(num) = name.strip_prefix(b"#") {
            let parsed = match num {
                [b'x' | b'X', hex @ ..] => {
                    std::str::from_utf8(hex).ok().and_then(|h| u32::from_str_radix(h, 16).ok())
                }
                dec => std::str::from_utf8(dec).ok().and_then(|d| d.parse::<u32>().ok()),
            };
            match parsed {
                Some(c) => {
                    let c = cp1252(c);
                    if is_xml_char(c) {
                        self.push_char_ref(c);
                    }
                    self.pos = after;
                }
                None => {
                    self.out.extend_from_slice(b"&amp;");
                    self.pos += 1;
                }
            }
            return;
        }
        if matches!(name, b"amp" | b"lt" | b"gt" | b"quot" | b"apos") {
            self.out.extend_from_slice(&self.src[self.pos..after]);
            self.pos = after;
            return;
        }
        let mut key = [0u8; MAX_ENTITY + 2];
        key[..name.len()].copy_from_slice(name);
        key[name.len()] = b';';
        // The table also maps every prefix of a name to (0, 0), for longest-match tokenisers.
        let found = std::str::from_utf8(&key[..=name.len()])
            .ok()
            .and_then(|k| NAMED_ENTITIES.get(k))
            .filter(|(a, _)| *a != 0);
        match found {
            Some(&(a, b)) => {
                self.push_char_ref(a);
                if b != 0 {
                    self.push_char_ref(b);
                }
                self.pos = after;
            }
            None => {
                self.out.extend_from_slice(b"&amp;");
                self.pos += 1;
            }
        }
    }

    fn push_char_ref(&mut self, c: u32) {
        use std::io::Write as _;
        let _ = write!(self.out, "&#{c};");
    }

    fn markup(&mut self) {
        if self.stack.last().is_some_and(|o| o.raw) && !self.starts(b"<![CDATA[") {
            if self.starts(b"</") {
                let save = self.pos;
                self.pos += 2;
                let name = self.read_name();
                self.pos = save;
                let name = self.renamed(name);
                if self.stack.iter().any(|o| o.name == name) {
                    self.end_tag();
                    return;
                }
            }
            self.out.extend_from_slice(b"&lt;");
            self.pos += 1;
            return;
        }
        if self.starts(b"<!--") {
            // Comments are dropped: feed-rs ignores them, and `--` inside one is an error. An
            // unterminated one ends at the next `>`, so it cannot swallow the feed.
            self.pos = match self.find_cached(0, self.pos + 4, b"-->") {
                Some(e) => e + 3,
                None => self.next_gt(self.pos + 4),
            };
        } else if self.starts(b"<![CDATA[") {
            let body = self.pos + 9;
            // An unterminated CDATA section ends where its element does.
            let end = match self.find_cached(1, body, b"]]>") {
                Some(e) => e,
                None => {
                    let close = self.stack.last().map(|o| format!("</{}", o.name)).unwrap_or_default();
                    self.find(body, close.as_bytes()).unwrap_or(self.src.len())
                }
            };
            if !self.stack.is_empty() {
                self.out.extend_from_slice(b"<![CDATA[");
                self.push_clean(body, end);
                self.out.extend_from_slice(b"]]>");
            }
            self.pos = if self.src[end..].starts_with(b"]]>") { end + 3 } else { end };
        } else if self.starts(b"<!") {
            self.skip_declaration();
        } else if self.starts(b"<?") {
            self.pos = match self.find_cached(2, self.pos + 2, b"?>") {
                Some(e) => e + 2,
                None => self.next_gt(self.pos + 2),
            };
        } else if self.starts(b"</") {
            self.end_tag();
        } else if self.src.get(self.pos + 1).is_some_and(|&b| is_name_start(b)) {
            self.start_tag();
        } else {
            if !self.stack.is_empty() {
                self.out.extend_from_slice(b"&lt;");
            }
            self.pos += 1;
        }
    }

    /// Copies `src[from..to]` without the characters XML forbids.
    fn push_clean(&mut self, from: usize, to: usize) {
        let mut i = from;
        while i < to {
            // Copy the run of ordinary bytes in one go.
            let run = self.src[i..to]
                .iter()
                .position(|&b| b == 0xEF || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')));
            let end = run.map_or(to, |r| i + r);
            self.out.extend_from_slice(&self.src[i..end]);
            i = end;
            if i >= to {
                break;
            }
            if self.src[i] == 0xEF {
                if matches!(self.src.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) {
                    i += 3;
                } else {
                    self.out.push(0xEF);
                    i += 1;
                }
            } else {
                i += 1; // a control character XML forbids
            }
        }
    }

    /// Skips `<!DOCTYPE …>` or any other `<!…>` declaration, including an internal subset.
    fn skip_declaration(&mut self) {
        let mut depth = 0usize;
        let mut quote = None;
        let mut i = self.pos + 2;
        while i < self.src.len() {
            let b = self.src[i];
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None => match b {
                    b'"' | b'\'' => quote = Some(b),
                    b'[' => depth += 1,
                    b']' => depth = depth.saturating_sub(1),
                    b'>' if depth == 0 => {
                        self.pos = i + 1;
                        return;
                    }
                    _ => {}
                },
            }
            i += 1;
        }
        self.pos = self.src.len();
    }

    fn read_name(&mut self) -> String {
        let start = self.pos;
        while self.pos < self.src.len() && is_name_char(self.src[self.pos]) {
            self.pos += 1;
        }
        String::from_utf8_lossy(&self.src[start..self.pos]).into_owned()
    }

    /// Writes a start tag the document lacks and opens it.
    fn synthetic_open(&mut self, name: &str, attrs: &str) {
        let tag_start = self.out.len();
        self.out.push(b'<');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(attrs.as_bytes());
        self.out.push(b'>');
        let body_start = self.out.len();
        self.stack.push(Open {
            name: name.to_string(),
            tag_start,
            body_start,
            drop_if_empty: false,
            base64: false,
            raw: false,
            hint: None,
            default_prefix: None,
        });
    }

    /// A `<channel>` with no `<rss>` around it: supply the root.
    fn synthetic_rss_root(&mut self) {
        let mut attrs = String::from(" version=\"2.0\"");
        for (prefix, ns) in COMMON_PREFIXES {
            attrs.push_str(&format!(" xmlns:{prefix}=\"{ns}\""));
        }
        self.synthetic_open("rss", &attrs);
        self.root = Some("rss".into());
        self.rss = true;
    }

    fn end_tag(&mut self) {
        self.pos += 2;
        let name = self.read_name();
        self.pos =
            self.src[self.pos..].iter().position(|&b| b == b'>' || b == b'<').map_or(self.src.len(), |i| {
                if self.src[self.pos + i] == b'>' {
                    self.pos + i + 1
                } else {
                    self.pos + i
                }
            });
        let name = self.renamed(name);
        if self.rss && local(&name) == "channel" {
            return; // the channel stays open to the end of <rss>: items after it belong to it
        }
        let Some(idx) = self.stack.iter().rposition(|o| o.name == name) else { return };
        while self.stack.len() > idx {
            if let Some(open) = self.stack.pop() {
                self.close(open);
            }
        }
        if self.stack.is_empty() {
            self.done = true;
        }
    }

    fn renamed(&self, name: String) -> String {
        let name = self.usual_prefix(name);
        // feedparser reads element names case-insensitively: <PubDate>, <Link>.
        if (self.rss || self.root.as_deref() == Some("RDF")) && !name.contains(':') {
            if let Some(canon) = RSS_NAMES.iter().find(|n| n.eq_ignore_ascii_case(&name) && **n != name) {
                return (*canon).to_string();
            }
        }
        if self.rss {
            // Dublin Core and XHTML stand-ins feedparser reads and feed-rs's RSS 2.0 reader
            // does not.
            let plain = match name.as_str() {
                "dc:title" => Some("title"),
                "dc:description" => Some("description"),
                "dc:author" => Some("author"),
                "xhtml:body" => Some("content:encoded"),
                _ => None,
            };
            if let Some(plain) = plain {
                return plain.to_string();
            }
        }
        // feed-rs reads an item's itunes:author only alongside other iTunes elements;
        // feedparser reads it as the author wherever it is.
        // (Its end tag finds the renamed element on top of the stack.)
        if self.rss
            && name == "itunes:author"
            && self.stack.last().is_some_and(|o| local(&o.name) == "item" || o.name == "dc:creator")
        {
            return "dc:creator".to_string();
        }
        // feed-rs keeps a media:description only beside a media:content; straight under an
        // item it is the item's description (feedparser's summary), as itunes:summary is.
        if name == "media:description"
            && self.stack.last().is_some_and(|o| {
                o.name == ITEM_MEDIA_DESCRIPTION || matches!(local(&o.name), "item" | "entry")
            })
        {
            return ITEM_MEDIA_DESCRIPTION.to_string();
        }
        if self.rss {
            // feedparser's date fields: dc:date and dcterms:modified say when an item was
            // updated, dcterms:issued when it was published; feed-rs reads these names so.
            match name.as_str() {
                "dc:date" | "dcterms:modified" => return "atom:updated".to_string(),
                "dcterms:issued" => return "pubDate".to_string(),
                _ => {}
            }
        }
        if !self.atom03 {
            return name;
        }
        match atom03_rename(local(&name)) {
            Some(new) => match name.rsplit_once(':') {
                Some((prefix, _)) => format!("{prefix}:{new}"),
                None => new.to_string(),
            },
            None => name,
        }
    }

    /// `name` with the usual prefix of its namespace: `foo:creator` where `foo` is bound to
    /// Dublin Core becomes `dc:creator`; in an RSS document an unprefixed name under an element
    /// that made, say, Atom the default namespace becomes `atom:…`.
    fn usual_prefix(&self, name: String) -> String {
        match name.split_once(':') {
            Some((prefix, local)) => match self.prefixes.iter().find(|(p, _)| p == prefix) {
                Some((_, usual)) => format!("{usual}:{local}"),
                None => name,
            },
            None => match self.stack.iter().rev().find_map(|o| o.default_prefix) {
                Some(usual) => format!("{usual}:{name}"),
                None => name,
            },
        }
    }

    /// Learns the prefixes a start tag binds (before its name is renamed); returns the usual
    /// prefix of a default namespace it declares, where that is to be applied.
    fn learn_prefixes(&mut self, attrs: &[(String, String)], is_root: bool) -> Option<&'static str> {
        let mut default_prefix = None;
        for (n, v) in attrs {
            let Some(rest) = n.strip_prefix("xmlns") else { continue };
            let uri = canonical_namespace(v).unwrap_or(v.trim());
            let Some(&(usual, _)) = COMMON_PREFIXES.iter().find(|(_, ns)| *ns == uri) else { continue };
            match rest.strip_prefix(':') {
                Some(prefix) if prefix != usual => {
                    // Only when the usual prefix is not bound to something else on this tag.
                    let clash = attrs.iter().any(|(n2, v2)| {
                        n2.strip_prefix("xmlns:") == Some(usual)
                            && canonical_namespace(v2).unwrap_or(v2.trim()) != uri
                    });
                    if !clash
                        && self.prefixes.len() < MAX_PREFIXES
                        && !self.prefixes.iter().any(|(p, _)| p == prefix)
                    {
                        self.prefixes.push((prefix.to_string(), usual));
                    }
                }
                None if rest.is_empty() && !is_root && (self.rss || self.root.as_deref() == Some("RDF")) => {
                    default_prefix = Some(usual);
                }
                _ => {}
            }
        }
        default_prefix
    }

    /// Ends an open element: applies the fixes that needed its whole content, then writes the
    /// end tag.
    fn close(&mut self, open: Open) {
        // `open` has been popped: bases set by it (at depth len + 1) go with it.
        while self.bases.last().is_some_and(|(d, _)| *d > self.stack.len()) {
            self.bases.pop();
        }
        let body = &self.out[open.body_start..];
        if open.drop_if_empty && body.iter().all(|b| b.is_ascii_whitespace()) {
            self.out.truncate(open.tag_start);
            return;
        }
        if let Some(hint) = open.hint {
            let value = String::from_utf8_lossy(&self.out[open.body_start..]).trim().to_string();
            self.record_hint(hint, &value);
        }
        if open.base64 {
            let encoded: Vec<u8> = self.out[open.body_start..]
                .iter()
                .copied()
                .filter(|b| b.is_ascii_alphanumeric() || b"+/=".contains(b))
                .collect();
            let padded = encoded.iter().take_while(|&&b| b != b'=').count();
            if let Ok(decoded) = base64::engine::general_purpose::STANDARD_NO_PAD.decode(&encoded[..padded]) {
                let decoded = String::from_utf8_lossy(&decoded).into_owned();
                self.out.truncate(open.body_start);
                let escaped = escape_text(&decoded);
                self.out.extend_from_slice(escaped.as_bytes());
            }
        }
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(open.name.as_bytes());
        self.out.push(b'>');
    }

    fn record_hint(&mut self, hint: Hint, value: &str) {
        match hint {
            Hint::Subject => {
                let value = xml_text(value);
                let value = value.trim();
                if let Some(extras) = self.entries.last_mut() {
                    if !value.is_empty() && !value.contains('<') && extras.subjects.len() < MAX_SUBJECTS {
                        extras.subjects.push(value.to_string());
                    }
                }
                return;
            }
            Hint::Ttl => self.hints.ttl_minutes = value.parse().ok().filter(|&m| m > 0),
            Hint::UpdatePeriod => {
                self.sy_period = match value.to_ascii_lowercase().as_str() {
                    "hourly" => Some(3600),
                    "daily" => Some(86_400),
                    "weekly" => Some(604_800),
                    "monthly" => Some(2_592_000),
                    "yearly" => Some(31_536_000),
                    _ => None,
                }
            }
            Hint::UpdateFrequency => self.sy_frequency = value.parse().ok().filter(|&f| f > 0),
            Hint::SkipHour => {
                if let Ok(h) = value.parse::<u8>() {
                    let h = if h == 24 { 0 } else { h };
                    if h < 24 && !self.hints.skip_hours.contains(&h) {
                        self.hints.skip_hours.push(h);
                    }
                }
            }
            Hint::SkipDay => {
                const DAYS: [&str; 7] =
                    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
                let v = value.to_ascii_lowercase();
                if let Some(d) = DAYS.iter().position(|d| *d == v) {
                    let d = d as u8;
                    if !self.hints.skip_days.contains(&d) {
                        self.hints.skip_days.push(d);
                    }
                }
            }
        }
        if let Some(period) = self.sy_period {
            self.hints.update_interval_secs = Some(period / self.sy_frequency.unwrap_or(1).max(1));
        }
    }

    fn start_tag(&mut self) {
        let tag_start = self.out.len();
        self.pos += 1;
        let raw_name = self.read_name();
        let (mut attrs, self_closing) = self.read_attributes();
        let mut is_root = false;
        if self.root.is_none() {
            let root_local = local(&raw_name).to_string();
            match root_local.as_str() {
                "rss" | "feed" | "RDF" | "entry" => is_root = true,
                "channel" | "item" => self.synthetic_rss_root(),
                _ => {
                    // Not a feed element: a wrapper (an HTML page, an envelope) or a damaged
                    // root. Its tags are dropped and the feed root is looked for inside.
                    self.first_element.get_or_insert(root_local);
                    return;
                }
            }
        } else if self.stack.is_empty() {
            // A second root (or junk after the first): the document ends with its first root.
            self.done = true;
            return;
        }
        if is_root {
            let root_local = local(&raw_name).to_string();
            self.atom = root_local == "feed" || root_local == "entry";
            self.atom03 = self.atom
                && attrs.iter().any(|(n, v)| {
                    (n == "version" && v.trim() == "0.3") || (n.starts_with("xmlns") && v == ATOM03_NS)
                });
            self.rss = root_local == "rss";
            if root_local == "rss" {
                attrs.retain(|(n, _)| n != "version");
                attrs.push(("version".into(), "2.0".into()));
            }
            let feed_root = matches!(root_local.as_str(), "rss" | "feed" | "RDF" | "entry");
            for (prefix, ns) in COMMON_PREFIXES.iter().filter(|_| feed_root) {
                let decl = format!("xmlns:{prefix}");
                if !attrs.iter().any(|(n, _)| *n == decl) && attrs.len() < MAX_ATTRS {
                    attrs.push((decl, (*ns).to_string()));
                }
            }
            self.root = Some(root_local);
        }
        if self.stack.len() >= MAX_DEPTH {
            return;
        }
        let default_prefix = self.learn_prefixes(&attrs, is_root);
        let name = match default_prefix.filter(|_| !raw_name.contains(':')) {
            Some(usual) => self.renamed(format!("{usual}:{raw_name}")),
            None => self.renamed(raw_name),
        };
        let local_name = local(&name).to_string();
        if self.rss && !is_root {
            let channel_open = self.stack.iter().any(|o| local(&o.name) == "channel");
            if local_name == "channel" && channel_open {
                return; // a second channel: its items join the first
            }
            if self.stack.len() == 1 && local_name != "channel" {
                // Items (or channel elements) straight under <rss>: give them a channel.
                self.synthetic_open("channel", "");
            }
        }

        attrs.retain_mut(|(n, v)| {
            if !n.starts_with("xmlns") {
                return true;
            }
            match canonical_namespace(v) {
                Some("") => false,
                Some(ns) => {
                    *v = ns.to_string();
                    true
                }
                None => true,
            }
        });
        if self.rss && matches!(name.as_str(), "atom:link" | "a10:link") && self.in_item() {
            self.atom_link_in_item(&attrs);
            return;
        }
        let mut base64 = false;
        let mut drop_if_empty = false;
        if self.atom && matches!(local_name.as_str(), "content" | "summary" | "title" | "subtitle" | "rights")
        {
            base64 = normalise_text_construct(&mut attrs, local_name == "content");
            drop_if_empty = local_name == "content";
        }
        if name.starts_with("media:") {
            // feed-rs fails the whole feed on a Media RSS text type it does not know, and on an
            // empty media:title or media:description.
            if matches!(local_name.as_str(), "title" | "description" | "text") {
                attrs.retain(|(n, v)| n != "type" || matches!(v.as_str(), "plain" | "html"));
                drop_if_empty = true;
            }
        } else if name == "podcast:person" {
            attrs.retain(|(n, _)| n != "role"); // an unknown role fails the whole feed
        }
        let parent = self.stack.last().map(|o| local(&o.name));
        let hint = match (local_name.as_str(), parent) {
            ("ttl", _) => Some(Hint::Ttl),
            ("updatePeriod", _) => Some(Hint::UpdatePeriod),
            ("updateFrequency", _) => Some(Hint::UpdateFrequency),
            ("hour", Some("skipHours")) => Some(Hint::SkipHour),
            ("day", Some("skipDays")) => Some(Hint::SkipDay),
            _ if name == "dc:subject" && matches!(parent, Some("item" | "entry")) => Some(Hint::Subject),
            _ => None,
        };
        let feed_root = self.root.as_deref().unwrap_or("");
        let is_type_html = attrs.iter().any(|(n, v)| n == "type" && v == "html");
        let raw = match feed_root {
            "rss" | "RDF" => {
                matches!(local_name.as_str(), "description" | "encoded" | "title" | "summary" | "subtitle")
            }
            "feed" | "entry" => {
                is_type_html
                    && matches!(local_name.as_str(), "content" | "summary" | "title" | "subtitle" | "rights")
            }
            _ => false,
        };
        if let Some(b) = attrs.iter().find(|(n, _)| n == "xml:base").map(|(_, v)| v.replace("&amp;", "&")) {
            let parent = self.bases.last().map(|(_, u)| u).or(self.doc_base.as_ref());
            let resolved = match parent {
                Some(p) => p.join(b.trim()).ok(),
                None => Url::parse(b.trim()).ok(),
            };
            // feed-rs fails the whole feed on an xml:base it cannot parse: hand it the resolved
            // absolute base, or none.
            attrs.retain(|(n, _)| n != "xml:base");
            if let Some(u) = resolved {
                attrs.push(("xml:base".into(), escape_attr(u.as_str())));
                self.bases.push((self.stack.len() + 1, u));
            }
        }
        if matches!(local_name.as_str(), "item" | "entry") {
            let about = attrs.iter().find(|(n, _)| local(n) == "about").map(|(_, v)| unescape_attr(v));
            self.entries
                .push(EntryExtras { about: about.filter(|a| !a.trim().is_empty()), ..Default::default() });
        }
        if local_name == "guid" {
            if let Some(extras) = self.entries.last_mut() {
                extras.guid_is_not_link = attrs.iter().any(|(n, v)| {
                    n.eq_ignore_ascii_case("isPermaLink") && v.trim().eq_ignore_ascii_case("false")
                });
            }
        }
        if let (Some((_, base)), Some(extras)) = (self.bases.last(), self.entries.last_mut()) {
            match local_name.as_str() {
                "summary" | "description" => extras.summary_base = Some(base.clone()),
                "content" | "encoded" => extras.content_base = Some(base.clone()),
                _ => {}
            }
        }
        self.out.push(b'<');
        self.out.extend_from_slice(name.as_bytes());
        for (n, v) in &attrs {
            self.out.push(b' ');
            self.out.extend_from_slice(n.as_bytes());
            self.out.extend_from_slice(b"=\"");
            self.out.extend_from_slice(v.as_bytes());
            self.out.push(b'"');
        }
        if self_closing {
            if self.bases.last().is_some_and(|(d, _)| *d > self.stack.len()) {
                self.bases.pop();
            }
            if drop_if_empty {
                self.out.truncate(tag_start);
            } else {
                self.out.extend_from_slice(b"/>");
            }
            if is_root {
                self.done = true;
            }
            return;
        }
        self.out.push(b'>');
        let body_start = self.out.len();
        self.stack.push(Open {
            name,
            tag_start,
            body_start,
            drop_if_empty,
            base64,
            raw,
            hint,
            default_prefix,
        });
    }

    fn in_item(&self) -> bool {
        self.stack.last().is_some_and(|o| local(&o.name) == "item")
    }

    /// An Atom link inside an RSS item, which feed-rs ignores: an alternate becomes the item's
    /// `<link>`, an enclosure its `<enclosure>`; others are dropped. Attribute values arrive
    /// escaped, as element text and attributes need them.
    fn atom_link_in_item(&mut self, attrs: &[(String, String)]) {
        let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim());
        let Some(href) = get("href").filter(|h| !h.is_empty()) else { return };
        match get("rel").map(str::to_ascii_lowercase).as_deref() {
            None | Some("alternate") => {
                self.out.extend_from_slice(b"<link>");
                self.out.extend_from_slice(href.as_bytes());
                self.out.extend_from_slice(b"</link>");
            }
            Some("enclosure") => {
                let mut tag = format!("<enclosure url=\"{href}\"");
                if let Some(t) = get("type") {
                    tag.push_str(&format!(" type=\"{t}\""));
                }
                if let Some(l) = get("length").filter(|l| l.bytes().all(|b| b.is_ascii_digit())) {
                    tag.push_str(&format!(" length=\"{l}\""));
                }
                tag.push_str("/>");
                self.out.extend_from_slice(tag.as_bytes());
            }
            Some(_) => {}
        }
    }

    /// Reads attributes up to the end of the tag. Values come back escaped for a `"`-quoted
    /// attribute; unquoted values are quoted, valueless ones get their own name as value.
    fn read_attributes(&mut self) -> (Vec<(String, String)>, bool) {
        let mut attrs: Vec<(String, String)> = Vec::new();
        loop {
            while self.pos < self.src.len() && self.src[self.pos].is_ascii_whitespace() {
                self.pos += 1;
            }
            let Some(&b) = self.src.get(self.pos) else { return (attrs, false) };
            if b == b'>' {
                self.pos += 1;
                return (attrs, false);
            }
            if b == b'/' && self.src.get(self.pos + 1) == Some(&b'>') {
                self.pos += 2;
                return (attrs, true);
            }
            if b == b'<' {
                return (attrs, false); // an unterminated tag: end it here
            }
            if !is_name_start(b) {
                self.pos += 1; // garbage between attributes
                continue;
            }
            let name = self.read_name();
            while self.pos < self.src.len() && self.src[self.pos].is_ascii_whitespace() {
                self.pos += 1;
            }
            let value = if self.src.get(self.pos) == Some(&b'=') {
                self.pos += 1;
                while self.pos < self.src.len() && self.src[self.pos].is_ascii_whitespace() {
                    self.pos += 1;
                }
                self.read_value()
            } else {
                escape_attr(&name)
            };
            if attrs.len() < MAX_ATTRS && !attrs.iter().any(|(n, _)| *n == name) {
                attrs.push((name, value));
            }
        }
    }

    fn read_value(&mut self) -> String {
        let saved = std::mem::take(&mut self.out);
        let quote = match self.src.get(self.pos) {
            Some(&q @ (b'"' | b'\'')) => {
                self.pos += 1;
                Some(q)
            }
            _ => None,
        };
        // A quoted value ends at its quote; an unterminated one at the end of the tag.
        // `<` cannot appear in an attribute value: a quote left open ends there instead of
        // swallowing the markup that follows.
        let limit = match quote {
            Some(q) => self.src[self.pos..].iter().position(|&b| b == q || b == b'<'),
            None => self.src[self.pos..].iter().position(|&b| b.is_ascii_whitespace() || b == b'>'),
        }
        .map(|i| self.pos + i);
        let (end, skip) = match (limit, quote) {
            (Some(e), Some(_)) => (e, usize::from(self.src[e] != b'<')),
            (Some(e), None) => (e, 0),
            (None, _) => {
                let e = self.src[self.pos..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(self.src.len(), |i| self.pos + i);
                (e, 0)
            }
        };
        while self.pos < end {
            let b = self.src[self.pos];
            match b {
                b'&' => self.entity(),
                b'<' => {
                    self.out.extend_from_slice(b"&lt;");
                    self.pos += 1;
                }
                b'"' => {
                    self.out.extend_from_slice(b"&quot;");
                    self.pos += 1;
                }
                b'\t' | b'\n' | b'\r' => {
                    self.out.push(b' ');
                    self.pos += 1;
                }
                b if b < 0x20 => self.pos += 1,
                _ => {
                    self.out.push(b);
                    self.pos += 1;
                }
            }
        }
        self.pos = (end + skip).min(self.src.len());
        let value = std::mem::replace(&mut self.out, saved);
        String::from_utf8(value).unwrap_or_default()
    }
}

/// Makes an Atom text construct's `type` one feed-rs accepts and maps Atom 0.3's `mode`.
/// Returns whether the body is base64 to decode.
fn normalise_text_construct(attrs: &mut Vec<(String, String)>, is_content: bool) -> bool {
    let mode = attrs.iter().position(|(n, _)| n == "mode").map(|i| attrs.remove(i).1.to_ascii_lowercase());
    let ty = attrs.iter().find(|(n, _)| n == "type").map(|(_, v)| v.trim().to_ascii_lowercase());
    let base64 = mode.as_deref() == Some("base64");
    if is_content {
        // Out-of-line content (`src`) carries no text for a reader; feed-rs also rejects the
        // whole feed when such an element is not empty. The element is kept only for its body.
        attrs.retain(|(n, _)| n != "src");
    }
    let new_ty = match ty.as_deref() {
        None if mode.as_deref() == Some("escaped") => Some("html".to_string()),
        None => None,
        Some("text" | "text/plain") => Some("text".into()),
        Some("html" | "text/html") => Some("html".into()),
        Some("xhtml" | "application/xhtml+xml") if mode.as_deref() == Some("escaped") => Some("html".into()),
        Some("xhtml" | "application/xhtml+xml") => Some("xhtml".into()),
        Some(other) if is_content && !base64 && is_mime(other) => Some(other.into()),
        Some(_) => Some("html".into()),
    };
    attrs.retain(|(n, _)| n != "type");
    if let Some(t) = new_ty {
        attrs.push(("type".into(), t));
    }
    base64
}

/// `type/subtype` made of MIME token characters (what feed-rs's media-type parser accepts).
fn is_mime(s: &str) -> bool {
    let token =
        |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b));
    matches!(s.split_once('/'), Some((a, b)) if token(a) && token(b))
}

/// Escapes text for element content.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if is_xml_char(c as u32) => out.push(c),
            _ => {}
        }
    }
    out
}

/// The text of element content as repair wrote it: CDATA sections opened, references
/// resolved. Tags, if any, are kept as written.
fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['&', '<']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").unwrap_or(after.len());
            out.push_str(&after[..end]);
            rest = after.get(end + 3..).unwrap_or("");
        } else if rest.starts_with('<') {
            out.push('<');
            rest = &rest[1..];
        } else {
            let end = rest.find(';').filter(|&e| e <= 12);
            let decoded = end.and_then(|e| match &rest[1..e] {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                r => {
                    let n = match r.strip_prefix("#x").or_else(|| r.strip_prefix("#X")) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => r.strip_prefix('#').and_then(|d| d.parse().ok()),
                    };
                    n.and_then(char::from_u32)
                }
            });
            match (decoded, end) {
                (Some(c), Some(e)) => {
                    out.push(c);
                    rest = &rest[e + 1..];
                }
                _ => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// Undoes [`escape_attr`] (the values repair keeps are escaped for writing out).
fn unescape_attr(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

fn escape_attr(s: &str) -> String {
    escape_text(s).replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repair_none(s: &str) -> Repaired {
        repair(s, None)
    }

    fn fix(s: &str) -> String {
        repair(s, None).text
    }

    /// Repairs `s` as the content of a feed root and returns what the root holds.
    fn body(s: &str) -> String {
        let t = fix(&format!("<feed>{s}</feed>"));
        let start = t.find("<feed").and_then(|i| t[i..].find('>').map(|j| i + j + 1)).unwrap_or(0);
        t[start..].trim_end_matches("</feed>").to_string()
    }

    #[test]
    fn feedparser_stand_ins_are_renamed_in_rss() {
        let t = fix(concat!(
            "<rss><channel><item><PubDate>x</PubDate><dc:title>t</dc:title><xhtml:body><p>b</p></xhtml:body>",
            "<atom:link href=\"http://e.com/a?x=1&amp;y=2\"/><atom:link rel=\"enclosure\" href=\"e.mp3\" length=\"9\"/>",
            "<atom:link rel=\"replies\" href=\"c\"/></item></channel></rss>"
        ));
        assert!(t.contains("<pubDate>x</pubDate><title>t</title><content:encoded>&lt;p>"), "{t}");
        assert!(
            t.contains(
                "<link>http://e.com/a?x=1&amp;y=2</link><enclosure url=\"e.mp3\" length=\"9\"/></item>"
            ),
            "{t}"
        );
    }

    #[test]
    fn dc_subjects_are_recorded_per_entry() {
        let r = repair_none(concat!(
            "<rdf:RDF><item><dc:subject>A &amp; B</dc:subject><dc:subject><![CDATA[C]]></dc:subject></item>",
            "<item><dc:subject> </dc:subject></item></rdf:RDF>"
        ));
        let subjects: Vec<_> = r.entries.iter().map(|e| e.subjects.clone()).collect();
        assert_eq!(subjects, vec![vec!["A & B".to_string(), "C".to_string()], vec![]]);
    }

    #[test]
    fn xml_text_resolves_references_and_cdata() {
        assert_eq!(xml_text("a &amp; &#233;&#xE9; <![CDATA[<b>]]> &bogus; &"), "a & éé <b> &bogus; &");
        assert_eq!(xml_text("<![CDATA[open"), "open");
    }

    #[test]
    fn html_entities_become_numeric() {
        assert_eq!(body("<a>caf&eacute;&nbsp;&amp;</a>"), "<a>caf&#233;&#160;&amp;</a>");
    }

    #[test]
    fn bare_ampersand_and_unknown_entities_are_escaped() {
        assert_eq!(body("<a>Q&A &bogus; &#xZZ; & x</a>"), "<a>Q&amp;A &amp;bogus; &amp;#xZZ; &amp; x</a>");
    }

    #[test]
    fn c1_references_are_windows_1252() {
        assert_eq!(body("<a>&#147;q&#148;</a>"), "<a>&#8220;q&#8221;</a>");
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(body("<a>x\u{1}y\u{b}\u{fffe}z</a>"), "<a>xyz</a>");
    }

    #[test]
    fn junk_before_declaration_and_bom_are_dropped() {
        let t = fix(
            "\u{feff}  Warning: <b>x</b>\n<?xml version='1.0' encoding='iso-8859-1'?><rss><channel/></rss>",
        );
        assert!(t.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"), "{t}");
        assert!(t.contains("<rss version=\"2.0\""), "{t}");
        assert!(!t.contains("Warning"), "{t}");
    }

    #[test]
    fn doctype_entities_do_not_expand() {
        let t = body("<!DOCTYPE r [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;\">]><r>&b;</r>");
        assert_eq!(t, "<r>&amp;b;</r>");
    }

    #[test]
    fn tags_are_balanced() {
        assert_eq!(body("<r><a><b>x</a><c>y</x></c>"), "<r><a><b>x</b></a><c>y</c></r>");
    }

    #[test]
    fn stray_less_than_is_escaped() {
        assert_eq!(body("<r>1 < 2 <= 3</r>"), "<r>1 &lt; 2 &lt;= 3</r>");
    }

    #[test]
    fn attributes_are_quoted_and_deduplicated() {
        assert_eq!(
            body("<r><a href=x?a=1&b=2 checked href='y' t='say \"hi\"'/></r>"),
            "<r><a href=\"x?a=1&amp;b=2\" checked=\"checked\" t=\"say &quot;hi&quot;\"/></r>"
        );
    }

    #[test]
    fn cdata_is_kept_verbatim() {
        assert_eq!(body("<r><![CDATA[a & <b>]]></r>"), "<r><![CDATA[a & <b>]]></r>");
    }

    #[test]
    fn nesting_is_capped() {
        let deep = "<a>".repeat(MAX_DEPTH * 4);
        let t = body(&deep);
        assert_eq!(t.matches("<a>").count(), MAX_DEPTH - 1);
        assert_eq!(t.matches("</a>").count(), MAX_DEPTH - 1);
    }

    #[test]
    fn rss_without_version_gets_one() {
        assert!(fix("<rss><channel/></rss>").contains("<rss version=\"2.0\""));
        assert!(fix("<rss version=\"0.93\"><channel/></rss>").contains("<rss version=\"2.0\""));
    }

    #[test]
    fn atom03_is_mapped() {
        let t = fix(concat!(
            "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><tagline>t</tagline>",
            "<entry><issued>2004-01-01T00:00:00Z</issued><modified>2004-01-02T00:00:00Z</modified>",
            "<content type=\"text/html\" mode=\"escaped\">&lt;b&gt;x</content>",
            "<summary type=\"text/plain\" mode=\"base64\">PGI+eTwvYj4=</summary></entry></feed>"
        ));
        assert!(t.contains("xmlns=\"http://www.w3.org/2005/Atom\""), "{t}");
        assert!(t.contains("<subtitle>t</subtitle>"), "{t}");
        assert!(t.contains("<published>2004-01-01T00:00:00Z</published>"), "{t}");
        assert!(t.contains("<updated>2004-01-02T00:00:00Z</updated>"), "{t}");
        assert!(t.contains("<content type=\"html\">&lt;b&gt;x</content>"), "{t}");
        assert!(t.contains("<summary type=\"text\">&lt;b&gt;y&lt;/b&gt;</summary>"), "{t}");
    }

    #[test]
    fn empty_atom_content_is_removed() {
        let t = fix("<feed><entry><content type=\"html\">  </content><content/></entry></feed>");
        assert!(!t.contains("<content"), "{t}");
    }

    #[test]
    fn hints_are_read() {
        let r = repair_none(concat!(
            "<rss><channel><ttl>60</ttl><sy:updatePeriod>daily</sy:updatePeriod>",
            "<sy:updateFrequency>4</sy:updateFrequency><skipHours><hour>0</hour><hour>23</hour></skipHours>",
            "<skipDays><day>Saturday</day><day>Sunday</day></skipDays></channel></rss>"
        ));
        assert_eq!(r.hints.ttl_minutes, Some(60));
        assert_eq!(r.hints.update_interval_secs, Some(21_600));
        assert_eq!(r.hints.skip_hours, vec![0, 23]);
        assert_eq!(r.hints.skip_days, vec![5, 6]);
    }

    #[test]
    fn raw_html_in_rss_description_is_text() {
        let t = fix("<rss><channel><item><description><p>a<br>b</span></description><title>t</title></item></channel></rss>");
        assert!(t.contains("<item><description>&lt;p>a&lt;br>b&lt;/span></description><title>t</title></item></channel></rss>"), "{t}");
        // an unclosed description ends with its item
        let t =
            fix("<rss><channel><item><description><b>x</item><item><title>2</title></item></channel></rss>");
        assert!(t.contains("<description>&lt;b>x</description></item><item><title>2</title></item>"), "{t}");
    }

    #[test]
    fn dc_date_in_rss_is_an_update_date() {
        assert!(fix("<rss><channel><item><dc:date>2004</dc:date></item></channel></rss>")
            .contains("<atom:updated>2004</atom:updated>"));
        let t = fix("<rss><channel><item><dcterms:issued>1</dcterms:issued><dcterms:modified>2</dcterms:modified></item></channel></rss>");
        assert!(t.contains("<pubDate>1</pubDate><atom:updated>2</atom:updated>"), "{t}");
    }

    #[test]
    fn xml_base_is_tracked_per_entry() {
        let r = repair_none(concat!(
            "<feed xml:base=\"http://e.org/a/\"><entry xml:base=\"b/\"><summary>s</summary>",
            "<content xml:base=\"/c/\">c</content></entry><entry><content>x</content></entry></feed>"
        ));
        assert_eq!(r.entries.len(), 2);
        assert_eq!(r.entries[0].summary_base.as_ref().map(Url::as_str), Some("http://e.org/a/b/"));
        assert_eq!(r.entries[0].content_base.as_ref().map(Url::as_str), Some("http://e.org/c/"));
        assert_eq!(r.entries[1].content_base.as_ref().map(Url::as_str), Some("http://e.org/a/"));
    }

    #[test]
    fn wrappers_around_the_feed_are_dropped() {
        let r = repair_none("<html><body><rss><channel><title>t</title></channel></rss></body></html>");
        assert_eq!(r.root.as_deref(), Some("rss"));
        assert!(!r.text.contains("<html"), "{}", r.text);
        let r = repair_none("<html><body><p>no feed</p></body></html>");
        assert_eq!((r.root, r.first_element.as_deref()), (None, Some("html")));
    }

    #[test]
    fn missing_rss_and_channel_are_supplied() {
        let t = fix("<channel><title>t</title><item><title>i</title></item></channel>");
        assert!(t.contains("<rss version=\"2.0\""), "{t}");
        assert!(t.contains("<channel><title>t</title><item><title>i</title></item></channel></rss>"), "{t}");
        let t = fix("<rss><title>t</title><item><title>i</title></item></rss>");
        assert!(t.contains("><channel><title>t</title><item><title>i</title></item></channel></rss>"), "{t}");
    }

    #[test]
    fn items_after_the_channel_join_it() {
        let t = fix("<rss><channel><title>t</title></channel><item><title>i</title></item></rss>");
        assert!(t.contains("<channel><title>t</title><item><title>i</title></item></channel></rss>"), "{t}");
    }

    #[test]
    fn unterminated_constructs_do_not_swallow_the_feed() {
        let t = body("<!-- open <b>x</b><?pi <c>y</c><d a=\"open <e>z</e>");
        // Each ends at the next `>`: the text after it and the elements after that survive.
        assert_eq!(t, "xy<d a=\"open \"><e>z</e></d>");
    }

    #[test]
    fn out_of_line_and_odd_typed_content_is_made_acceptable() {
        let t = body("<content src=\"http://x\" type=\"text/h>tml\">body</content><content src=\"y\"/>");
        assert_eq!(t, "<content type=\"html\">body</content>");
    }

    #[test]
    fn foreign_namespaces_are_mapped() {
        let t = fix("<rdf:RDF xmlns:rdf=\"r\" xmlns=\"http://my.netscape.com/rdf/simple/0.9/\"></rdf:RDF>");
        assert!(t.contains("xmlns=\"http://purl.org/rss/1.0/\""), "{t}");
        let t = fix("<rss xmlns=\"http://backend.userland.com/rss2\"></rss>");
        assert!(!t.contains("userland"), "{t}");
    }

    #[test]
    fn json_is_passed_through() {
        let r = repair_none("\u{feff} {\"version\": \"x\"}");
        assert_eq!(r.kind, DocKind::Json);
        assert_eq!(r.text, "{\"version\": \"x\"}");
    }

    #[test]
    fn undeclared_prefixes_are_declared() {
        assert!(fix("<rss><channel><item><dc:creator>x</dc:creator></item></channel></rss>")
            .contains("xmlns:dc=\"http://purl.org/dc/elements/1.1/\""));
    }
}
