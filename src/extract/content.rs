//! Finding the article on a parsed page.
//!
//! Owns: deciding which nodes are boilerplate (navigation, share bars, related lists, comments,
//! banners, forms) and which subtree holds the article. Everything is general evidence: element
//! semantics, class/id vocabulary shared across the web, text and comma density, link density,
//! schema.org markup, and — when the caller has it — evidence text that is known to belong to the
//! article (the feed entry's summary, the page's own description or JSON-LD `articleBody`).
//! Does not write text or HTML ([`super::render`]) and does not read metadata ([`super::meta`]).
//!
//! Every pass is a loop over the node arena (parents precede children), so the cost is linear
//! and nothing recurses.

use super::dom::{Dom, Kind, Tag, NONE};
use super::text::ASCII_LOWER_ALNUM;
use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// Per-node facts gathered in one bottom-up pass.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stat {
    /// Non-space characters of kept text below the node.
    pub text: u32,
    /// Of which inside links.
    pub link: u32,
    pub commas: u32,
    /// Text in paragraphs that read like prose (long enough, few links).
    pub good: u32,
    /// Text inside block quotes (quotations and embedded posts).
    pub quote: u32,
    /// Descendant counts.
    pub paras: u16,
    pub imgs: u16,
    pub lis: u16,
    pub inputs: u16,
    pub embeds: u16,
    pub figures: u16,
    /// The node has a block-level element child.
    pub block_child: bool,
}

impl Stat {
    pub fn link_density(&self) -> f32 {
        if self.text == 0 {
            0.0
        } else {
            self.link as f32 / self.text as f32
        }
    }
}

/// The outcome of content detection: what to render and what to leave out.
#[derive(Debug)]
pub struct Selection {
    /// Roots to render, in document order.
    pub roots: Vec<u32>,
    /// Nodes that are never rendered (with their subtrees).
    pub drop: Vec<bool>,
    pub stats: Vec<Stat>,
}

/// Knobs that the retry loosens.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mode {
    /// Drop elements whose class/id names boilerplate.
    pub strip_unlikely: bool,
    /// Apply the conditional clean-up inside the article.
    pub clean_conditionally: bool,
}

pub(crate) const STRICT: Mode = Mode { strip_unlikely: true, clean_conditionally: true };

/// Words in class/id values that mark boilerplate containers (matched inside the value).
const NEGATIVE_PARTS: &[&str] = &[
    "comment",
    "share",
    "sharing",
    "related",
    "recommend",
    "newsletter",
    "subscri",
    "signup",
    "sign-up",
    "cookie",
    "consent",
    "gdpr",
    "sidebar",
    "breadcrumb",
    "popup",
    "modal",
    "outbrain",
    "taboola",
    "sponsor",
    "promo",
    "widget",
    "footer",
    "advert",
    "trending",
    "popular",
    "most-read",
    "mostread",
    "read-more",
    "readmore",
    "more-stories",
    "paywall",
    "masthead",
    "toolbar",
    "pagination",
    "pager",
    "disqus",
    "rating",
    "tooltip",
    "author-bio",
    "authorbio",
    "byline",
    "dateline",
    "timestamp",
    "print-only",
    "visually-hidden",
    "sr-only",
    "screen-reader",
    "skip-link",
    "jump-link",
    "inline-ad",
    "ad-container",
    "ad-slot",
    "adslot",
    "adunit",
    "ad-unit",
    "banner",
    "follow",
    "login",
    "register",
    "donate",
    "caption",
    "credit",
    "nocontent",
    "more-from",
    "also-read",
    "see-also",
    "recirc",
    "playlist",
    "carousel",
];

/// Whole words (between `-`, `_`, space) in class/id values that mark boilerplate.
/// Lower-case ASCII letters.
const NEGATIVE_WORDS: &[&[u8]] = &[
    b"ad",
    b"ads",
    b"aside",
    b"bio",
    b"card",
    b"cta",
    b"dialog",
    b"header",
    b"hidden",
    b"hide",
    b"icons",
    b"keywords",
    b"links",
    b"masthead",
    b"menu",
    b"meta",
    b"more",
    b"nav",
    b"navbar",
    b"overlay",
    b"print",
    b"promo",
    b"share",
    b"skip",
    b"subnav",
    b"tag",
    b"tags",
    b"teaser",
    b"teasers",
    b"tools",
    b"topics",
    b"utility",
];

/// Class/id words that mark the article container.
const POSITIVE_PARTS: &[&str] = &[
    "article",
    "body",
    "content",
    "entry",
    "main",
    "post",
    "story",
    "text",
    "blog",
    "prose",
    "page-content",
    "rich-text",
    "richtext",
];

/// What an element's attributes say about it, read in one scan per page and reused by every
/// pass and retry (attribute lookups were a tenth of extraction's time).
#[derive(Debug, Clone, Copy, Default)]
struct Mark {
    /// Class/id verdict: -50 (both negative) ..= 50 (both positive).
    weight: i8,
    /// Class or id names boilerplate (and neither names content): dropped by the strict pass.
    unlikely: bool,
    /// schema.org `itemprop="articleBody"`.
    article_body: bool,
    /// Dropped in every mode, with its subtree: an element that never holds article text, a
    /// hidden one (`hidden`, `aria-hidden="true"`, an inline style), a boilerplate landmark
    /// role, a page header outside the article.
    junk: bool,
}

/// The [`Mark`] of every node (text nodes and the document get the default).
fn marks<'a>(dom: &Dom<'a>) -> Vec<Mark> {
    let mut out = vec![Mark::default(); dom.nodes.len()];
    // Pages repeat a few hundred class names over thousands of elements: each distinct value is
    // judged once, and all of them in one automaton pass (a search per value cost more in
    // set-up than in scanning). `slots[i]` = the value numbers of node i's class and id.
    let mut numbers: FxHashMap<&'a str, u32> = FxHashMap::default();
    numbers.reserve(512);
    let mut values: Vec<&'a str> = Vec::with_capacity(512);
    let mut slots: Vec<(u32, u32)> = vec![(NO_VALUE, NO_VALUE); dom.nodes.len()];
    // Inside an element that is dropped whatever the mode (`junk`), class and id are never
    // consulted: they are not judged. (itemprop still is: it protects the ancestors.)
    let mut junk_below = vec![false; dom.nodes.len()];
    for (i, mark) in out.iter_mut().enumerate() {
        let id = i as u32;
        let Some(tag) = dom.tag(id) else { continue };
        if junk_below.get(dom.parent(id) as usize).copied().unwrap_or(false) {
            // Dropped with its junk ancestor whatever its own attributes say; only a schema.org
            // articleBody in there still counts (it protects the ancestors outside).
            junk_below[i] = true;
            mark.article_body = dom.attr(id, "itemprop").is_some_and(|v| v.contains("articleBody"));
            continue;
        }
        let attrs = read_attrs(dom, id);
        mark.article_body = attrs.itemprop.is_some_and(|v| v.contains("articleBody"));
        mark.junk = is_junk_tag(tag)
            || attrs.hidden
            || attrs.style.is_some_and(hides)
            || attrs.role.is_some_and(is_junk_role)
            || (tag == Tag::Header && !inside_article(dom, id));
        junk_below[i] = mark.junk;
        if mark.junk {
            continue;
        }
        let mut number = |v: Option<&'a str>| -> u32 {
            // Empty values say nothing; values over 400 characters are generated noise.
            let Some(v) = v.filter(|v| !v.is_empty() && v.len() <= 400) else { return NO_VALUE };
            *numbers.entry(v).or_insert_with(|| {
                values.push(v);
                values.len() as u32 - 1
            })
        };
        slots[i] = (number(attrs.class), number(attrs.id));
    }
    let verdicts = verdicts(&values);
    let of = |n: u32| verdicts.get(n as usize).copied().unwrap_or((false, false));
    for (mark, &(c, i)) in out.iter_mut().zip(&slots) {
        let ((cls_neg, cls_pos), (id_neg, id_pos)) = (of(c), of(i));
        let weight = |neg: bool, pos: bool| -25 * i8::from(neg) + 25 * i8::from(pos);
        mark.weight = weight(cls_neg, cls_pos) + weight(id_neg, id_pos);
        mark.unlikely = (cls_neg || id_neg) && !cls_pos && !id_pos;
    }
    out
}

const NO_VALUE: u32 = u32::MAX;

/// The attributes [`marks`] reads (the first occurrence of each counts, as in `Dom::attr`).
#[derive(Default)]
struct Attrs<'a> {
    class: Option<&'a str>,
    id: Option<&'a str>,
    itemprop: Option<&'a str>,
    role: Option<&'a str>,
    style: Option<&'a str>,
    hidden: bool,
}

fn read_attrs<'a>(dom: &Dom<'a>, id: u32) -> Attrs<'a> {
    let mut a = Attrs::default();
    let bytes = dom.src.as_bytes();
    for at in dom.attr_list(id) {
        // Names compared as bytes, dispatched on the length first: most attributes are none of
        // these, and their values are never sliced out.
        let Some(name) = bytes.get(at.name.start as usize..at.name.end as usize) else { continue };
        let value = || dom.src.get(at.value.start as usize..at.value.end as usize);
        let slot = match name.len() {
            2 if name.eq_ignore_ascii_case(b"id") => &mut a.id,
            4 if name.eq_ignore_ascii_case(b"role") => &mut a.role,
            5 if name.eq_ignore_ascii_case(b"class") => &mut a.class,
            5 if name.eq_ignore_ascii_case(b"style") => &mut a.style,
            8 if name.eq_ignore_ascii_case(b"itemprop") => &mut a.itemprop,
            6 if name.eq_ignore_ascii_case(b"hidden") => {
                a.hidden = true;
                continue;
            }
            11 if name.eq_ignore_ascii_case(b"aria-hidden") => {
                a.hidden |= value() == Some("true");
                continue;
            }
            _ => continue,
        };
        if slot.is_none() {
            *slot = value();
        }
    }
    a
}

/// Patterns of the one automaton: [`NEGATIVE_PARTS`], then [`POSITIVE_PARTS`], then
/// [`NEGATIVE_WORDS`] (these count only as whole words).
fn parts_matcher() -> Option<&'static AhoCorasick> {
    static M: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    M.get_or_init(|| {
        let words = NEGATIVE_WORDS.iter().map(|w| std::str::from_utf8(w).unwrap_or_default());
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .prefilter(false)
            .build(NEGATIVE_PARTS.iter().copied().chain(POSITIVE_PARTS.iter().copied()).chain(words))
            .ok()
    })
    .as_ref()
}

/// (names boilerplate, names content) for each value: one automaton pass over all of them,
/// joined by a byte no pattern contains.
fn verdicts(values: &[&str]) -> Vec<(bool, bool)> {
    let mut out = vec![(false, false); values.len()];
    let Some(m) = parts_matcher() else { return out };
    let mut joined = String::with_capacity(values.iter().map(|v| v.len() + 1).sum());
    let mut starts = Vec::with_capacity(values.len());
    for v in values {
        starts.push(joined.len());
        joined.push_str(v);
        joined.push('\0');
    }
    let bytes = joined.as_bytes();
    let alnum = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_alphanumeric);
    let (neg_parts, pos_parts) = (NEGATIVE_PARTS.len(), NEGATIVE_PARTS.len() + POSITIVE_PARTS.len());
    // Hits come in order of their end, and none spans a joint: the value a hit ends in (found
    // by moving forward, never searching) is the value it lies in.
    let mut k = 0;
    for hit in m.find_overlapping_iter(&joined) {
        let last = hit.end().saturating_sub(1);
        while starts.get(k + 1).is_some_and(|&s| s <= last) {
            k += 1;
        }
        let Some(v) = out.get_mut(k) else { continue };
        match hit.pattern().as_usize() {
            p if p < neg_parts => v.0 = true,
            p if p < pos_parts => v.1 = true,
            // A boilerplate word: only between non-alphanumerics (the joint byte is one).
            _ => {
                if (hit.start() == 0 || !alnum(hit.start() - 1)) && !alnum(hit.end()) {
                    v.0 = true;
                }
            }
        }
    }
    out
}

/// (names boilerplate, names content) for one class or id value.
#[cfg(test)]
fn verdict(v: &str) -> (bool, bool) {
    verdicts(&[v])[0]
}

#[cfg(test)]
fn is_negative(v: &str) -> bool {
    verdict(v).0
}

#[cfg(test)]
fn is_positive(v: &str) -> bool {
    verdict(v).1
}

/// Elements that never hold article text.
fn is_junk_tag(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Head
            | Tag::Script
            | Tag::Style
            | Tag::Noscript
            | Tag::Template
            | Tag::Svg
            | Tag::Math
            | Tag::Iframe
            | Tag::Textarea
            | Tag::Select
            | Tag::Button
            | Tag::Input
            | Tag::Nav
            | Tag::Footer
            | Tag::Aside
            | Tag::Dialog
            | Tag::Label
            | Tag::Canvas
            | Tag::Object
            | Tag::Embed
            | Tag::Noembed
            | Tag::Noframes
            | Tag::Title
            | Tag::Menu
            | Tag::Figcaption
            | Tag::Xmp
    )
}

/// Whether an inline style hides the element (`display: none` or `visibility: hidden`, in any
/// case, with or without spaces).
fn hides(style: &str) -> bool {
    squeezed_contains(style, b"display:none") || squeezed_contains(style, b"visibility:hidden")
}

/// Does `s`, with its whitespace removed and ASCII lower-cased, contain `needle` (lower-case
/// ASCII, no whitespace)? Compared in place: no allocation per styled element.
fn squeezed_contains(s: &str, needle: &[u8]) -> bool {
    let mut from = s.chars().filter(|c| !c.is_whitespace());
    loop {
        let mut probe = from.clone();
        if needle.iter().all(|&b| probe.next().is_some_and(|c| c.to_ascii_lowercase() == char::from(b))) {
            return true;
        }
        if from.next().is_none() {
            return false;
        }
    }
}

/// Roles of boilerplate landmarks.
fn is_junk_role(role: &str) -> bool {
    matches!(
        role.to_ascii_lowercase().as_str(),
        "navigation"
            | "banner"
            | "contentinfo"
            | "complementary"
            | "search"
            | "dialog"
            | "alert"
            | "menu"
            | "menubar"
            | "toolbar"
    )
}

/// Marks the nodes that are boilerplate by themselves (not yet by scoring).
fn mark_drop(dom: &Dom, marks: &[Mark], mode: Mode) -> Vec<bool> {
    let n = dom.nodes.len();
    let mut drop = vec![false; n];
    // schema.org's articleBody and its ancestors are never dropped for their class names.
    let mut protect = vec![false; n];
    for i in 1..n as u32 {
        if marks[i as usize].article_body {
            let mut cur = i;
            while cur != NONE && !protect[cur as usize] {
                protect[cur as usize] = true;
                cur = dom.parent(cur);
            }
        }
    }
    for i in 1..n {
        let node = &dom.nodes[i];
        let p = node.parent as usize;
        if p < n && drop[p] {
            drop[i] = true;
            continue;
        }
        let Kind::Element { tag, .. } = node.kind else { continue };
        if marks[i].junk {
            drop[i] = true;
            continue;
        }
        // Quotes and embedded posts keep their class names (twitter-tweet, instagram-media).
        if mode.strip_unlikely
            && !matches!(tag, Tag::Body | Tag::Html | Tag::Article | Tag::Main | Tag::A | Tag::Blockquote)
            && !protect[i]
            && marks[i].unlikely
        {
            drop[i] = true;
        }
    }
    drop
}

fn inside_article(dom: &Dom, id: u32) -> bool {
    let mut cur = dom.parent(id);
    let mut steps = 0;
    while cur != NONE && steps < 64 {
        if matches!(dom.tag(cur), Some(Tag::Article | Tag::Main)) {
            return true;
        }
        cur = dom.parent(cur);
        steps += 1;
    }
    false
}

/// Counts kept text bottom-up.
fn gather(dom: &Dom, drop: &[bool]) -> Vec<Stat> {
    let n = dom.nodes.len();
    let mut st = vec![Stat::default(); n];
    for i in (1..n).rev() {
        if drop[i] {
            continue;
        }
        let node = &dom.nodes[i];
        let mut s = st[i];
        match &node.kind {
            Kind::Text(_) => {
                let raw = dom.raw_text(i as u32).unwrap_or("");
                (s.text, s.commas) = count_text(raw.as_bytes());
            }
            Kind::Element { tag, .. } => {
                match tag {
                    Tag::A => s.link = s.text,
                    Tag::P => s.paras = s.paras.saturating_add(1),
                    Tag::Img => s.imgs = s.imgs.saturating_add(1),
                    Tag::Figure => s.figures = s.figures.saturating_add(1),
                    Tag::Li => s.lis = s.lis.saturating_add(1),
                    Tag::Input | Tag::Select | Tag::Textarea | Tag::Button => {
                        s.inputs = s.inputs.saturating_add(1)
                    }
                    Tag::Embed | Tag::Object | Tag::Iframe | Tag::Video => {
                        s.embeds = s.embeds.saturating_add(1)
                    }
                    _ => {}
                }
                if tag.is_block() && *tag != Tag::Br {
                    if let Some(ps) = st.get_mut(node.parent as usize) {
                        ps.block_child = true;
                    }
                }
            }
            Kind::Document => {}
        }
        if let Kind::Element { tag, .. } = &node.kind {
            if (is_paragraph_tag(*tag, &s) || (matches!(tag, Tag::Li | Tag::Dd) && !s.block_child))
                && s.text >= 25
                && s.link_density() < 0.3
            {
                s.good = s.text;
            }
            if *tag == Tag::Blockquote {
                s.quote = s.text;
            }
        }
        st[i] = s;
        let p = node.parent as usize;
        if p < n {
            let ps = &mut st[p];
            ps.text += s.text;
            ps.link += s.link;
            ps.commas += s.commas;
            ps.good += s.good;
            ps.quote += s.quote;
            ps.paras = ps.paras.saturating_add(s.paras);
            ps.imgs = ps.imgs.saturating_add(s.imgs);
            ps.lis = ps.lis.saturating_add(s.lis);
            ps.inputs = ps.inputs.saturating_add(s.inputs);
            ps.embeds = ps.embeds.saturating_add(s.embeds);
            ps.figures = ps.figures.saturating_add(s.figures);
        }
    }
    st
}

/// Is this node a paragraph for scoring purposes?
fn is_paragraph(dom: &Dom, id: u32, st: &Stat) -> bool {
    dom.tag(id).is_some_and(|t| is_paragraph_tag(t, st))
}

fn is_paragraph_tag(tag: Tag, st: &Stat) -> bool {
    match tag {
        Tag::Blockquote => true,
        Tag::P | Tag::Pre | Tag::Td => !st.block_child,
        Tag::Div | Tag::Section | Tag::Span | Tag::Font | Tag::Center => !st.block_child,
        _ => false,
    }
}

fn tag_base(tag: Tag) -> f32 {
    match tag {
        Tag::Div | Tag::Article | Tag::Main | Tag::Section => 5.0,
        Tag::Pre | Tag::Td | Tag::Blockquote => 3.0,
        Tag::Address | Tag::Ol | Tag::Ul | Tag::Dl | Tag::Dd | Tag::Dt | Tag::Li | Tag::Form => -3.0,
        Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6 | Tag::Th => -5.0,
        _ => 0.0,
    }
}

/// Finds the article: returns what to render.
/// Below this many characters of kept text, the selection is retried with looser rules (short
/// news items run to ~300 characters, so this only catches near-empty results).
const MIN_KEPT: u32 = 250;

pub fn select(dom: &Dom, evidence: &[String]) -> Selection {
    let mut page = Page::new(dom, evidence);
    let mut best = select_with(&mut page, STRICT);
    let mut kept = kept_text(dom, &best);
    // Too little: class names or the clean-up may have misled us. Retry looser, and keep a
    // looser result only when it holds clearly more text.
    for mode in [
        Mode { strip_unlikely: false, clean_conditionally: true },
        Mode { strip_unlikely: false, clean_conditionally: false },
    ] {
        if kept >= MIN_KEPT {
            break;
        }
        let other = select_with(&mut page, mode);
        let k = kept_text(dom, &other);
        if k > kept * 2 {
            best = other;
            kept = k;
        }
    }
    best
}

/// Non-space characters of text that the selection will render. Text nodes carry their own
/// count in `stats` (dropped ones, including all script and style text, are skipped here too).
fn kept_text(dom: &Dom, sel: &Selection) -> u32 {
    let mut total = 0u32;
    for &r in &sel.roots {
        let end = dom.subtree_end(r);
        let mut i = r;
        while i < end {
            if sel.drop.get(i as usize).copied().unwrap_or(true) {
                i = dom.subtree_end(i).max(i + 1);
                continue;
            }
            if matches!(dom.nodes[i as usize].kind, Kind::Text(_)) {
                total += sel.stats.get(i as usize).map_or(0, |s| s.text);
            }
            i += 1;
        }
    }
    total
}

/// (non-space bytes, commas) of a text. Counted in blocks of 255 with byte-wide counters, a
/// loop the compiler turns into vector code (this runs over every kept text of the page).
fn count_text(raw: &[u8]) -> (u32, u32) {
    let (mut text, mut commas) = (0u32, 0u32);
    for block in raw.chunks(255) {
        let (mut t, mut c) = (0u8, 0u8);
        for &b in block {
            t += u8::from(!matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' '));
            c += u8::from(b == b',');
        }
        text += u32::from(t);
        commas += u32::from(c);
    }
    (text, commas)
}

/// What every pass over one page shares: the tree, the attribute marks and the evidence keys.
struct Page<'d, 'a> {
    dom: &'d Dom<'a>,
    marks: Vec<Mark>,
    /// Sorted keys of all evidence texts together.
    evidence: Vec<u64>,
    /// Per node: its evidence match, once computed (retries reuse it).
    matched: Vec<Option<bool>>,
    /// Word hashes of the text nodes hashed so far, and per node its range in them
    /// (`NO_WORDS` until hashed): nested paragraphs (`<p><span>…`) share their text.
    hashes: Vec<u64>,
    spans: Vec<(u32, u32)>,
    /// A paragraph's words, reused from one paragraph to the next.
    scratch: Vec<u64>,
}

const NO_WORDS: (u32, u32) = (u32::MAX, 0);

impl<'d, 'a> Page<'d, 'a> {
    fn new(dom: &'d Dom<'a>, evidence: &[String]) -> Self {
        let mut keys: Vec<u64> = evidence.iter().flat_map(|e| shingle_keys(e)).collect();
        keys.sort_unstable();
        keys.dedup();
        let n = if keys.is_empty() { 0 } else { dom.nodes.len() };
        Page {
            dom,
            marks: marks(dom),
            evidence: keys,
            matched: vec![None; n],
            hashes: Vec::new(),
            spans: vec![NO_WORDS; n],
            scratch: Vec::new(),
        }
    }

    /// Does the paragraph share a 4-word window with the evidence? Its words are those of its
    /// text nodes in order, up to the node that passes 200.
    fn matches_evidence(&mut self, id: u32) -> bool {
        if self.evidence.is_empty() {
            return false;
        }
        if let Some(m) = self.matched.get(id as usize).copied().flatten() {
            return m;
        }
        let mut words = std::mem::take(&mut self.scratch);
        words.clear();
        for t in id..self.dom.subtree_end(id) {
            if let Some(raw) = self.dom.raw_text(t) {
                let (start, len) = match self.spans.get(t as usize) {
                    Some(&span) if span != NO_WORDS => span,
                    _ => {
                        let start = self.hashes.len();
                        word_hashes(raw, &mut self.hashes);
                        let span = (start as u32, (self.hashes.len() - start) as u32);
                        if let Some(slot) = self.spans.get_mut(t as usize) {
                            *slot = span;
                        }
                        span
                    }
                };
                words.extend_from_slice(
                    self.hashes.get(start as usize..(start + len) as usize).unwrap_or(&[]),
                );
            }
            if words.len() > 200 {
                break;
            }
        }
        let m = words.windows(4).any(|w| self.evidence.binary_search(&window_hash(w)).is_ok());
        self.scratch = words;
        if let Some(slot) = self.matched.get_mut(id as usize) {
            *slot = Some(m);
        }
        m
    }
}

fn select_with(page: &mut Page, mode: Mode) -> Selection {
    let dom = page.dom;
    let n = dom.nodes.len();
    let mut drop = mark_drop(dom, &page.marks, mode);
    let stats = gather(dom, &drop);

    // Paragraph scores flow to ancestors (readability's scheme).
    let mut score = vec![0f32; n];
    let mut scored = vec![false; n];
    for i in 1..n {
        let id = i as u32;
        if drop[i] || !matches!(dom.nodes[i].kind, Kind::Element { .. }) {
            continue;
        }
        let st = &stats[i];
        if st.text < 25 || !is_paragraph(dom, id, st) {
            continue;
        }
        let mut s = 1.0 + st.commas.min(20) as f32 + (st.text as f32 / 100.0).min(3.0);
        if page.matches_evidence(id) {
            s += 8.0;
        }
        let mut anc = dom.parent(id);
        let mut level = 0;
        while anc != NONE && level < 5 {
            let a = anc as usize;
            if !matches!(dom.nodes[a].kind, Kind::Element { .. }) {
                break;
            }
            if !scored[a] {
                scored[a] = true;
                let tag = dom.tag(anc).unwrap_or(Tag::Other);
                score[a] = tag_base(tag) + f32::from(page.marks[a].weight);
                if page.marks[a].article_body {
                    score[a] += 50.0;
                }
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[a] += s / div;
            anc = dom.parent(anc);
            level += 1;
        }
    }
    let mut best = NONE;
    let mut best_score = f32::MIN;
    for i in 0..n {
        if scored[i] {
            score[i] *= 1.0 - stats[i].link_density();
            if score[i] > best_score {
                best_score = score[i];
                best = i as u32;
            }
        }
    }
    if best == NONE {
        // No paragraphs: render the body as it is.
        let root = dom.find_first(Tag::Body).unwrap_or(0);
        return Selection { roots: vec![root], drop, stats };
    }

    // Climb while the parent adds mostly prose: an article split into several sections (around
    // figures, pull quotes, ads) has its parts as cousins of the best-scored one.
    let mut top = best;
    let mut steps = 0;
    while steps < 8 {
        steps += 1;
        let p = dom.parent(top);
        if p == NONE || p == 0 || matches!(dom.tag(p), Some(Tag::Body | Tag::Html)) {
            break;
        }
        let (ps, ts) = (&stats[p as usize], &stats[top as usize]);
        let extra_good = ps.good.saturating_sub(ts.good) as f32;
        let extra_text = ps.text.saturating_sub(ts.text) as f32;
        if extra_text == 0.0 || (extra_good >= 0.6 * extra_text && extra_good >= 0.1 * ts.good as f32) {
            top = p;
            continue;
        }
        break;
    }
    let top_score = score[top as usize].max(best_score);

    // Siblings that belong to the article.
    let mut roots = Vec::new();
    let parent = dom.parent(top);
    let threshold = (top_score * 0.2).max(10.0);
    let top_class = dom.attr(top, "class");
    if parent != NONE {
        for sib in dom.children(parent) {
            let i = sib as usize;
            if drop[i] {
                continue;
            }
            if sib == top {
                roots.push(sib);
                continue;
            }
            if !matches!(dom.nodes[i].kind, Kind::Element { .. }) {
                continue;
            }
            let st = &stats[i];
            let mut bonus = 0.0;
            if top_class.is_some() && dom.attr(sib, "class") == top_class && top_class != Some("") {
                bonus = top_score * 0.2;
            }
            let include = if scored[i] && score[i] + bonus >= threshold {
                true
            } else if dom.tag(sib) == Some(Tag::P) {
                let ld = st.link_density();
                (st.text > 80 && ld < 0.25) || (st.text > 0 && ld == 0.0 && ends_sentence(dom, sib))
            } else {
                false
            };
            if include {
                roots.push(sib);
            }
        }
    } else {
        roots.push(top);
    }

    if mode.clean_conditionally {
        for &r in &roots {
            clean_conditionally(dom, &page.marks, r, &stats, &score, &scored, &mut drop);
        }
        trim_trailer(dom, &roots, &stats, &mut drop);
    }
    Selection { roots, drop, stats }
}

fn ends_sentence(dom: &Dom, id: u32) -> bool {
    let end = dom.subtree_end(id);
    (id..end).any(|t| dom.raw_text(t).is_some_and(|s| s.contains(". ") || s.trim_end().ends_with('.')))
}

/// Readability's conditional clean-up of containers inside the article.
fn clean_conditionally(
    dom: &Dom,
    marks: &[Mark],
    root: u32,
    st: &[Stat],
    score: &[f32],
    scored: &[bool],
    drop: &mut [bool],
) {
    let end = dom.subtree_end(root) as usize;
    for i in root as usize + 1..end.min(dom.nodes.len()) {
        if drop[i] {
            continue;
        }
        let p = dom.nodes[i].parent as usize;
        if p < drop.len() && drop[p] {
            drop[i] = true;
            continue;
        }
        let id = i as u32;
        let Some(tag) = dom.tag(id) else { continue };
        // A paragraph that is nothing but a link is a teaser ("Read more: ...", related lists).
        if matches!(tag, Tag::P | Tag::Li | Tag::H2 | Tag::H3 | Tag::H4)
            && st[i].text > 0
            && st[i].link_density() > 0.8
            && !in_quote(dom, id)
        {
            drop[i] = true;
            continue;
        }
        if !matches!(
            tag,
            Tag::Div
                | Tag::Section
                | Tag::Ul
                | Tag::Ol
                | Tag::Table
                | Tag::Form
                | Tag::Fieldset
                | Tag::Header
                | Tag::Dl
        ) {
            continue;
        }
        let s = &st[i];
        let weight = f32::from(marks[i].weight);
        let content_score = if scored[i] { score[i] } else { 0.0 };
        if weight + content_score < 0.0 {
            drop[i] = true;
            continue;
        }
        // Quotations and embedded posts are part of the story, links and all.
        if s.commas >= 10 || (s.quote > 0 && s.quote * 5 >= s.text * 4) {
            continue;
        }
        let is_list = matches!(tag, Tag::Ul | Tag::Ol | Tag::Dl);
        let ld = s.link_density();
        let paras = s.paras as f32;
        let imgs = s.imgs as f32;
        let lis = s.lis as f32 - if is_list { 100.0 } else { 0.0 };
        let has_figure = s.figures > 0;
        let remove = (imgs > 1.0 && paras / imgs < 0.5 && !has_figure)
            || (!is_list && lis > paras)
            || (s.inputs as f32 > (paras / 3.0).floor())
            || (!is_list
                && s.text < 25
                && (s.imgs == 0 || s.imgs > 2)
                && !has_figure
                && !has_heading_only(dom, id))
            || (!is_list && weight < 25.0 && ld > 0.2)
            || (weight >= 25.0 && ld > 0.5)
            || ((s.embeds == 1 && s.text < 75) || s.embeds > 1)
            || (is_list && ld > 0.5);
        if remove {
            drop[i] = true;
        }
    }
}

fn in_quote(dom: &Dom, id: u32) -> bool {
    let mut cur = dom.parent(id);
    let mut steps = 0;
    while cur != NONE && steps < 6 {
        if dom.tag(cur) == Some(Tag::Blockquote) {
            return true;
        }
        cur = dom.parent(cur);
        steps += 1;
    }
    false
}

/// Phrases of the notes that trail articles: newsletter boxes, contact lines, share prompts.
const TRAILER_PHRASES: &[&str] = &[
    "subscribe",
    "newsletter",
    "sign up",
    "follow us",
    "follow him",
    "follow her",
    "follow me",
    "may be reached",
    "can be reached",
    "contact the author",
    "all rights reserved",
    "copyright",
    "click here",
    "read more",
    "related:",
    "more:",
    "have a tip",
    "tips@",
    "@twitter",
    "on twitter",
    "on facebook",
    "on instagram",
    "share this",
    "you may also like",
    "recommended for you",
    "you might also like",
    "more from",
    "see also",
    "read next",
];

/// Drops short boilerplate blocks at the end of the article (newsletter prompts, contact lines,
/// "you may also like" headings), stopping at the first block that reads like prose.
fn trim_trailer(dom: &Dom, roots: &[u32], st: &[Stat], drop: &mut [bool]) {
    // Leaf blocks in document order.
    let mut blocks: Vec<u32> = Vec::new();
    for &r in roots {
        let end = dom.subtree_end(r);
        let mut i = r;
        while i < end {
            let idx = i as usize;
            if drop.get(idx).copied().unwrap_or(true) {
                i = dom.subtree_end(i).max(i + 1);
                continue;
            }
            if let Some(tag) = dom.tag(i) {
                let s = &st[idx];
                if s.text > 0 && (tag.is_heading() || (tag.is_block() && !s.block_child)) {
                    blocks.push(i);
                    i = dom.subtree_end(i).max(i + 1);
                    continue;
                }
            }
            i += 1;
        }
    }
    // Leading: the headline, bylines and date lines that sit above the first paragraph.
    for &b in blocks.iter().take(4) {
        let s = &st[b as usize];
        if s.text >= 150 {
            break;
        }
        let t = block_text(dom, b);
        let words: Vec<&str> = t.split_whitespace().collect();
        let byline = words.first().is_some_and(|w| *w == "by") && words.len() <= 12;
        let dated =
            s.text < 100 && t.chars().any(|c| c.is_ascii_digit()) && DATE_WORDS.iter().any(|w| t.contains(w));
        if dom.tag(b) == Some(Tag::H1) || byline || dated || s.link_density() > 0.5 {
            drop[b as usize] = true;
        } else {
            break;
        }
    }
    for &b in blocks.iter().rev().take(6) {
        let s = &st[b as usize];
        if s.text >= 300 {
            break;
        }
        let t = block_text(dom, b);
        let trimmed = t.trim_end();
        let sentence = trimmed.ends_with(['.', '!', '?', '"', '”', '’', ')']) && !trimmed.ends_with("...");
        let boiler = TRAILER_PHRASES.iter().any(|p| t.contains(p))
            || s.link_density() > 0.5
            || (s.text < 60 && !sentence);
        if !boiler {
            break;
        }
        drop[b as usize] = true;
    }
}

/// Words of date lines ("Updated: Sat 8:31 PM, Feb 17, 2018").
const DATE_WORDS: &[&str] = &[
    "updated",
    "posted",
    "published",
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
    " am",
    " pm",
    ":",
];

/// Lower-cased text of a block.
fn block_text(dom: &Dom, b: u32) -> String {
    let mut t = String::new();
    for n in b..dom.subtree_end(b) {
        if let Some(raw) = dom.raw_text(n) {
            t.push_str(raw);
            t.push(' ');
        }
    }
    t.to_lowercase()
}

fn has_heading_only(dom: &Dom, id: u32) -> bool {
    dom.children(id).any(|c| dom.tag(c).is_some_and(|t| t.is_heading()))
}

/// Keys of an evidence text: hashes of its lower-cased 4-word windows, every other one, at most
/// 400, sorted. Hashes, not strings: a collision (about 1 in 2^64) only blurs a heuristic.
pub fn shingle_keys(text: &str) -> Vec<u64> {
    keys_of(text, 2, 400)
}

/// Every 4-word window of a text, hashed and sorted (for membership tests against
/// [`shingle_keys`]).
pub fn shingle_keys_all(text: &str) -> Vec<u64> {
    keys_of(text, 1, 200_000)
}

fn keys_of(text: &str, step: usize, max: usize) -> Vec<u64> {
    let mut words = Vec::new();
    word_hashes(text, &mut words);
    let mut keys: Vec<u64> = words.windows(4).step_by(step).take(max).map(window_hash).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

const MIX: u64 = 0x9e37_79b9_7f4a_7c15;

/// Appends a hash of every word (maximal run of alphanumerics, lower-cased) of `text`.
/// ASCII runs go through a table and a loop with no branch per byte (a word's end is
/// unpredictable); other characters are decoded and lower-cased by Unicode's rules. Both feed
/// the same hash with the same characters, so a word hashes alike whichever path reads it.
/// (The loop has the shape of `text::word_count`'s. One scanner shared through a closure was
/// tried: this hash's state then lived in memory, not registers, and selection took 95 → 113
/// µs/page.)
fn word_hashes(text: &str, out: &mut Vec<u64>) {
    let b = text.as_bytes();
    let mut h = 0u64;
    let mut in_word = false;
    let mut i = 0;
    // Finished words collect here first: the store is unconditional, only the count moves.
    let mut buf = [0u64; 64];
    let mut k = 0usize;
    while i < b.len() {
        let run = b[i..].iter().position(|c| !c.is_ascii()).map_or(b.len(), |p| i + p);
        for &c in &b[i..run] {
            let l = ASCII_LOWER_ALNUM[usize::from(c)];
            let alnum = l != 0;
            buf[k] = h;
            k += usize::from(in_word & !alnum);
            h = if alnum { mix_char(h, u32::from(l)) } else { 0 };
            in_word = alnum;
            if k == buf.len() {
                out.extend_from_slice(&buf);
                k = 0;
            }
        }
        i = run;
        if i < b.len() {
            let Some(c) = text.get(i..).and_then(|r| r.chars().next()) else { break };
            i += c.len_utf8();
            if c.is_alphanumeric() {
                c.to_lowercase().for_each(|l| h = mix_char(h, u32::from(l)));
                in_word = true;
            } else {
                if in_word {
                    out.extend_from_slice(&buf[..k]);
                    k = 0;
                    out.push(h);
                }
                h = 0;
                in_word = false;
            }
        }
    }
    out.extend_from_slice(&buf[..k]);
    if in_word {
        out.push(h);
    }
}

fn mix_char(h: u64, c: u32) -> u64 {
    (h.rotate_left(5) ^ u64::from(c)).wrapping_mul(MIX)
}

fn window_hash(w: &[u64]) -> u64 {
    w.iter().fold(0u64, |h, &x| (h.rotate_left(23) ^ x).wrapping_mul(MIX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_and_id_verdicts_match_parts_and_whole_words_in_any_case() {
        assert!(NEGATIVE_WORDS.iter().all(|w| w.iter().all(u8::is_ascii_lowercase)));
        assert!(parts_matcher().is_some());
        assert!(hides("color: red; DISPLAY :\tnone") && hides("x;visibility: Hid den"));
        assert!(!hides("display: block") && !hides("") && !hides("display:non"));
        assert!(is_negative("site-NAV main"));
        assert!(is_negative("x\nAds"));
        assert!(!is_negative("navy subheaders"), "whole words only");
        assert!(is_positive("Article-Body") && !is_positive("sidebar"));
        assert_eq!(
            verdicts(&["nav", "story", "", "adx"]),
            [(true, false), (false, true), (false, false), (false, false)]
        );
        assert!(is_negative("Share_tools"));
        assert!(!is_negative("navigation-free article-body"));
        assert!(!is_negative("a-very-long-class-name-without-any-listed-word"));
    }

    #[test]
    fn word_hashes_match_a_char_by_char_reading() {
        fn reference(text: &str) -> Vec<u64> {
            let mut out = Vec::new();
            let mut word: Option<u64> = None;
            for c in text.chars() {
                if c.is_alphanumeric() {
                    let h = c.to_lowercase().fold(word.unwrap_or(0), |h, l| mix_char(h, u32::from(l)));
                    word = Some(h);
                } else if let Some(h) = word.take() {
                    out.push(h);
                }
            }
            out.extend(word);
            out
        }
        let long = "word ".repeat(70) + "End";
        for t in ["", " ", "a", "Hello, WORLD!", "Ünïcode café CAFÉ 東京 x\u{a0}y", "İstanbul ß 1,000", &long]
        {
            let mut got = Vec::new();
            word_hashes(t, &mut got);
            assert_eq!(got, reference(t), "{t:?}");
        }
        let (mut a, mut b) = (Vec::new(), Vec::new());
        word_hashes("Café", &mut a);
        word_hashes("CAFÉ", &mut b);
        assert_eq!(a, b);
    }

    #[test]
    fn evidence_keys_ignore_case_and_punctuation() {
        let ev = shingle_keys("The Minister said, on Tuesday: \"we will act\".");
        let page = shingle_keys_all("the minister SAID on tuesday we will act");
        assert!(!ev.is_empty());
        assert!(ev.iter().all(|k| page.binary_search(k).is_ok()));
        let other = shingle_keys_all("the minister said on wednesday we will act");
        assert!(ev.iter().any(|k| other.binary_search(k).is_err()));
    }
}
