//! A small, forgiving HTML tokenizer and tree builder made for extraction.
//!
//! Owns: turning decoded page text into an arena of nodes ([`Dom`]) in one left-to-right pass,
//! with the HTML rules that matter for reading text (void elements, raw-text elements, implied
//! end tags of `p`, `li`, `dt`/`dd`, table rows and cells, stray end tags ignored). It is not a
//! spec-complete HTML5 parser (no adoption agency, no foster parenting, no template contents):
//! extraction needs the block structure, and a full parser costs several times as much.
//!
//! Guarantees: linear time in the input (every search is bounded by [`MAX_DEPTH`]), the tree is
//! never deeper than [`MAX_DEPTH`] (deeper elements are attached to the deepest open one), nodes
//! are stored in document order, so a parent's index is always smaller than its children's.
//! Text and attribute values are kept as byte ranges of the source; entities are decoded when
//! the text is read ([`super::text::decode_entities`]).

use memchr::memchr;
use std::ops::Range;

/// Deepest nesting kept. Real pages stay under ~60; the cap makes every stack walk bounded.
pub const MAX_DEPTH: usize = 256;

/// Marker for "no node".
pub const NONE: u32 = u32::MAX;

macro_rules! tags {
    ($($name:ident = $s:literal),* $(,)?) => {
        /// Element names the extractor cares about; everything else is [`Tag::Other`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum Tag { $($name,)* Other }
        impl Tag {
            fn from_lower(name: &[u8]) -> Tag {
                match name { $($s => Tag::$name,)* _ => Tag::Other }
            }
            /// The element's lower-case name (`"other"` for unknown elements).
            pub fn name(self) -> &'static str {
                match self { $(Tag::$name => std::str::from_utf8($s).unwrap_or(""),)* Tag::Other => "other" }
            }
        }
    };
}

tags! {
    Html = b"html", Head = b"head", Body = b"body", Title = b"title", Meta = b"meta", Link = b"link",
    Base = b"base", Script = b"script", Style = b"style", Noscript = b"noscript", Template = b"template",
    Svg = b"svg", Math = b"math", Iframe = b"iframe", Textarea = b"textarea", Select = b"select",
    Option = b"option", Button = b"button", Input = b"input", Form = b"form", Label = b"label",
    Nav = b"nav", Header = b"header", Footer = b"footer", Aside = b"aside", Main = b"main",
    Article = b"article", Section = b"section", Div = b"div", Span = b"span", P = b"p", Br = b"br",
    Hr = b"hr", H1 = b"h1", H2 = b"h2", H3 = b"h3", H4 = b"h4", H5 = b"h5", H6 = b"h6", Ul = b"ul",
    Ol = b"ol", Li = b"li", Dl = b"dl", Dt = b"dt", Dd = b"dd", Blockquote = b"blockquote",
    Pre = b"pre", Code = b"code", Figure = b"figure", Figcaption = b"figcaption", Img = b"img",
    Picture = b"picture", Source = b"source", Video = b"video", Audio = b"audio", A = b"a", B = b"b",
    Strong = b"strong", I = b"i", Em = b"em", U = b"u", S = b"s", Sub = b"sub", Sup = b"sup",
    Small = b"small", Mark = b"mark", Q = b"q", Cite = b"cite", Abbr = b"abbr", Time = b"time",
    Table = b"table", Thead = b"thead", Tbody = b"tbody", Tfoot = b"tfoot", Tr = b"tr", Td = b"td",
    Th = b"th", Caption = b"caption", Address = b"address", Details = b"details",
    Summary = b"summary", Dialog = b"dialog", Font = b"font", Center = b"center", Wbr = b"wbr",
    Embed = b"embed", Object = b"object", Canvas = b"canvas", Area = b"area", Col = b"col",
    Param = b"param", Track = b"track", Fieldset = b"fieldset", Menu = b"menu", Xmp = b"xmp",
    Noembed = b"noembed", Noframes = b"noframes", Ins = b"ins", Del = b"del", Kbd = b"kbd",
    Samp = b"samp", Var = b"var", Hgroup = b"hgroup",
}

impl Tag {
    /// Elements that never have children.
    pub fn is_void(self) -> bool {
        matches!(
            self,
            Tag::Area
                | Tag::Base
                | Tag::Br
                | Tag::Col
                | Tag::Embed
                | Tag::Hr
                | Tag::Img
                | Tag::Input
                | Tag::Link
                | Tag::Meta
                | Tag::Param
                | Tag::Source
                | Tag::Track
                | Tag::Wbr
        )
    }

    /// Elements whose content is raw text up to their end tag.
    fn is_raw_text(self) -> bool {
        matches!(
            self,
            Tag::Script
                | Tag::Style
                | Tag::Textarea
                | Tag::Title
                | Tag::Xmp
                | Tag::Iframe
                | Tag::Noembed
                | Tag::Noframes
                | Tag::Noscript
        )
    }

    /// Block elements whose start closes an open `p` (HTML's "close a p element").
    fn closes_p(self) -> bool {
        matches!(
            self,
            Tag::Address
                | Tag::Article
                | Tag::Aside
                | Tag::Blockquote
                | Tag::Center
                | Tag::Details
                | Tag::Dialog
                | Tag::Div
                | Tag::Dl
                | Tag::Fieldset
                | Tag::Figcaption
                | Tag::Figure
                | Tag::Footer
                | Tag::Form
                | Tag::Header
                | Tag::Hgroup
                | Tag::Hr
                | Tag::Main
                | Tag::Menu
                | Tag::Nav
                | Tag::Ol
                | Tag::P
                | Tag::Section
                | Tag::Summary
                | Tag::Ul
                | Tag::H1
                | Tag::H2
                | Tag::H3
                | Tag::H4
                | Tag::H5
                | Tag::H6
                | Tag::Pre
                | Tag::Table
                | Tag::Li
                | Tag::Dd
                | Tag::Dt
        )
    }

    /// Elements rendered as their own block (a paragraph break before and after).
    pub fn is_block(self) -> bool {
        self.closes_p()
            || matches!(
                self,
                Tag::Tr
                    | Tag::Td
                    | Tag::Th
                    | Tag::Caption
                    | Tag::Br
                    | Tag::Body
                    | Tag::Html
                    | Tag::Tbody
                    | Tag::Thead
                    | Tag::Tfoot
                    | Tag::Option
                    | Tag::Select
                    | Tag::Button
                    | Tag::Iframe
                    | Tag::Video
                    | Tag::Audio
                    | Tag::Picture
                    | Tag::Canvas
            )
    }

    /// Headings.
    pub fn is_heading(self) -> bool {
        matches!(self, Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6)
    }
}

/// One attribute: ranges of the name (as written) and of the raw value in the source.
#[derive(Debug, Clone)]
pub struct Attr {
    pub name: Range<u32>,
    pub value: Range<u32>,
}

/// What a node is.
#[derive(Debug, Clone)]
pub enum Kind {
    /// The root.
    Document,
    /// An element, with the range of its attributes in [`Dom::attrs`].
    Element { tag: Tag, attrs: Range<u32> },
    /// Text, a range of the source (entities not yet decoded).
    Text(Range<u32>),
}

/// A node of the arena tree.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    pub parent: u32,
    pub first_child: u32,
    pub last_child: u32,
    pub next_sibling: u32,
}

/// A parsed page: the source text and an arena of nodes; node 0 is the document.
#[derive(Debug)]
pub struct Dom<'a> {
    pub src: &'a str,
    pub nodes: Vec<Node>,
    pub attrs: Vec<Attr>,
}

impl<'a> Dom<'a> {
    /// The element's tag, or `None` for text and the document.
    pub fn tag(&self, id: u32) -> Option<Tag> {
        match self.nodes.get(id as usize)?.kind {
            Kind::Element { tag, .. } => Some(tag),
            _ => None,
        }
    }

    /// The raw value of attribute `name` (lower-case) on element `id` (its first occurrence).
    pub fn attr(&self, id: u32, name: &str) -> Option<&'a str> {
        // Names are compared as bytes, length first; only the match's value is sliced out.
        let (src, name) = (self.src.as_bytes(), name.as_bytes());
        let at = self.attr_list(id).iter().find(|a| {
            a.name.len() == name.len()
                && src
                    .get(a.name.start as usize..a.name.end as usize)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })?;
        self.src.get(at.value.start as usize..at.value.end as usize)
    }

    /// The attribute table entries of element `id` (empty for other nodes), in source order.
    pub fn attr_list(&self, id: u32) -> &[Attr] {
        match self.nodes.get(id as usize) {
            Some(Node { kind: Kind::Element { attrs, .. }, .. }) => {
                self.attrs.get(attrs.start as usize..attrs.end as usize).unwrap_or_default()
            }
            _ => &[],
        }
    }

    /// Every attribute of element `id` as (name, raw value), in source order.
    pub fn attrs(&self, id: u32) -> impl Iterator<Item = (&'a str, &'a str)> + '_ {
        let src = self.src;
        self.attr_list(id).iter().filter_map(move |a| {
            Some((
                src.get(a.name.start as usize..a.name.end as usize)?,
                src.get(a.value.start as usize..a.value.end as usize)?,
            ))
        })
    }

    /// The source text of a text node (undecoded).
    pub fn raw_text(&self, id: u32) -> Option<&'a str> {
        match &self.nodes.get(id as usize)?.kind {
            Kind::Text(r) => self.src.get(r.start as usize..r.end as usize),
            _ => None,
        }
    }

    /// Children of a node, in order.
    pub fn children(&self, id: u32) -> Children<'_, 'a> {
        let first = self.nodes.get(id as usize).map_or(NONE, |n| n.first_child);
        Children { dom: self, next: first }
    }

    /// The node's parent ([`NONE`] for the document).
    pub fn parent(&self, id: u32) -> u32 {
        self.nodes.get(id as usize).map_or(NONE, |n| n.parent)
    }

    /// The first element with this tag, in document order.
    pub fn find_first(&self, tag: Tag) -> Option<u32> {
        (0..self.nodes.len() as u32).find(|&i| self.tag(i) == Some(tag))
    }

    /// One past the last node of the subtree of `id` (subtrees are contiguous index ranges).
    pub fn subtree_end(&self, id: u32) -> u32 {
        let mut cur = id;
        loop {
            let Some(n) = self.nodes.get(cur as usize) else { return self.nodes.len() as u32 };
            if n.next_sibling != NONE {
                return n.next_sibling;
            }
            if n.parent == NONE {
                return self.nodes.len() as u32;
            }
            cur = n.parent;
        }
    }
}

/// Iterator over a node's children.
pub struct Children<'d, 'a> {
    dom: &'d Dom<'a>,
    next: u32,
}

impl Iterator for Children<'_, '_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.next == NONE {
            return None;
        }
        let cur = self.next;
        self.next = self.dom.nodes.get(cur as usize).map_or(NONE, |n| n.next_sibling);
        Some(cur)
    }
}

struct Builder<'a> {
    dom: Dom<'a>,
    /// Open elements: (node id, tag). The document is not on it.
    stack: Vec<(u32, Tag)>,
    open_p: usize,
    open_li: usize,
    open_a: usize,
    body: Option<u32>,
}

impl<'a> Builder<'a> {
    fn current(&self) -> u32 {
        self.stack.last().map_or(0, |&(id, _)| id)
    }

    fn append(&mut self, kind: Kind) -> u32 {
        let parent = self.current();
        let id = self.dom.nodes.len() as u32;
        self.dom.nodes.push(Node { kind, parent, first_child: NONE, last_child: NONE, next_sibling: NONE });
        if let Some(p) = self.dom.nodes.get(parent as usize) {
            let last = p.last_child;
            if last == NONE {
                self.dom.nodes[parent as usize].first_child = id;
            } else if let Some(l) = self.dom.nodes.get_mut(last as usize) {
                l.next_sibling = id;
            }
            self.dom.nodes[parent as usize].last_child = id;
        }
        id
    }

    fn text(&mut self, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        // Merge with a preceding text sibling (text split by a comment or a stray tag).
        let cur = self.current();
        let last = self.dom.nodes.get(cur as usize).map_or(NONE, |n| n.last_child);
        if let Some(Node { kind: Kind::Text(r), .. }) = self.dom.nodes.get_mut(last as usize) {
            if r.end as usize == range.start {
                r.end = range.end as u32;
                return;
            }
        }
        self.append(Kind::Text(range.start as u32..range.end as u32));
    }

    fn pop(&mut self) {
        if let Some((_, tag)) = self.stack.pop() {
            match tag {
                Tag::P => self.open_p -= 1,
                Tag::Li => self.open_li -= 1,
                Tag::A => self.open_a -= 1,
                _ => {}
            }
        }
    }

    /// Pops up to and including the nearest open `tag`, unless a `boundary` comes first.
    fn close(&mut self, tag: Tag, boundary: &[Tag]) -> bool {
        let Some(pos) =
            self.stack.iter().rev().take_while(|(_, t)| !boundary.contains(t)).position(|(_, t)| *t == tag)
        else {
            return false;
        };
        for _ in 0..=pos {
            self.pop();
        }
        true
    }

    fn start(&mut self, tag: Tag, attrs: Range<u32>, self_closing: bool) {
        const P_SCOPE: &[Tag] = &[Tag::Table, Tag::Td, Tag::Th, Tag::Caption, Tag::Button];
        const LIST_SCOPE: &[Tag] = &[Tag::Ul, Tag::Ol, Tag::Table, Tag::Td, Tag::Th];
        match tag {
            Tag::Html | Tag::Body if self.body.is_some() => return,
            Tag::Html if !self.stack.is_empty() => return,
            Tag::Body => {
                self.close(Tag::Head, &[]);
            }
            _ => {}
        }
        // Body content while the head is still open ends the head (a missing </head><body>).
        if self.stack.last().is_some_and(|s| s.1 == Tag::Head)
            && !matches!(
                tag,
                Tag::Meta
                    | Tag::Link
                    | Tag::Title
                    | Tag::Script
                    | Tag::Style
                    | Tag::Base
                    | Tag::Noscript
                    | Tag::Template
                    | Tag::Head
                    | Tag::Body
                    | Tag::Other
            )
        {
            self.pop();
        }
        if self.open_p > 0 && tag.closes_p() {
            self.close(Tag::P, P_SCOPE);
        }
        match tag {
            Tag::Li if self.open_li > 0 => {
                self.close(Tag::Li, LIST_SCOPE);
            }
            Tag::Dt | Tag::Dd => {
                let top = self.stack.last().map(|s| s.1);
                if matches!(top, Some(Tag::Dt | Tag::Dd)) {
                    self.pop();
                }
            }
            Tag::Tr => {
                self.close_cells();
                self.close(Tag::Tr, &[Tag::Table]);
            }
            Tag::Td | Tag::Th => self.close_cells(),
            Tag::Option if self.stack.last().map(|s| s.1) == Some(Tag::Option) => self.pop(),
            Tag::A if self.open_a > 0 => {
                self.close(Tag::A, &[]);
            }
            tag if tag.is_heading() && self.stack.last().is_some_and(|s| s.1.is_heading()) => self.pop(),
            _ => {}
        }
        let id = self.append(Kind::Element { tag, attrs });
        if tag == Tag::Body {
            self.body = Some(id);
        }
        let childless = tag.is_void() || (self_closing && matches!(tag, Tag::Other | Tag::Svg));
        if !childless && self.stack.len() < MAX_DEPTH {
            self.stack.push((id, tag));
            match tag {
                Tag::P => self.open_p += 1,
                Tag::Li => self.open_li += 1,
                Tag::A => self.open_a += 1,
                _ => {}
            }
        }
    }

    fn close_cells(&mut self) {
        let top = self.stack.iter().rev().take_while(|(_, t)| *t != Tag::Table);
        if top.clone().any(|(_, t)| matches!(t, Tag::Td | Tag::Th)) {
            while let Some(&(_, t)) = self.stack.last() {
                self.pop();
                if matches!(t, Tag::Td | Tag::Th) {
                    break;
                }
            }
        }
    }

    fn end(&mut self, tag: Tag, name: &[u8]) {
        match tag {
            Tag::Html | Tag::Body => {}
            Tag::Other => {
                // Unknown elements: match by name.
                let src = self.dom.src.as_bytes();
                let attrs = &self.dom.attrs;
                let pos = self.stack.iter().rev().position(|&(id, t)| {
                    t == Tag::Other
                        && element_name(src, attrs, &self.dom.nodes, id).eq_ignore_ascii_case(name)
                });
                if let Some(pos) = pos {
                    for _ in 0..=pos {
                        self.pop();
                    }
                }
            }
            tag => {
                self.close(tag, &[]);
            }
        }
    }
}

/// The name of an unknown element: `parse` keeps it as the element's first attribute slot.
fn element_name<'s>(src: &'s [u8], all_attrs: &[Attr], nodes: &[Node], id: u32) -> &'s [u8] {
    match nodes.get(id as usize).map(|n| &n.kind) {
        Some(Kind::Element { attrs, .. }) => all_attrs
            .get(attrs.start as usize)
            .and_then(|a| src.get(a.name.start as usize..a.name.end as usize))
            .unwrap_or(b""),
        _ => b"",
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

/// Parses decoded page text into a [`Dom`].
pub fn parse(src: &str) -> Dom<'_> {
    let bytes = src.as_bytes();
    let n = bytes.len();
    let mut b = Builder {
        dom: Dom { src, nodes: Vec::with_capacity(n / 40 + 16), attrs: Vec::with_capacity(n / 60 + 16) },
        stack: Vec::with_capacity(64),
        open_p: 0,
        open_li: 0,
        open_a: 0,
        body: None,
    };
    b.dom.nodes.push(Node {
        kind: Kind::Document,
        parent: NONE,
        first_child: NONE,
        last_child: NONE,
        next_sibling: NONE,
    });
    let mut i = 0usize;
    let mut text_start = 0usize;
    let mut lower = Vec::with_capacity(16);
    while i < n {
        let Some(off) = memchr(b'<', &bytes[i..]) else { break };
        let lt = i + off;
        let next = bytes.get(lt + 1).copied().unwrap_or(0);
        if next == b'!' || next == b'?' {
            b.text(text_start..lt);
            i = if bytes[lt..].starts_with(b"<!--") {
                find(bytes, lt + 4, b"-->").map_or(n, |e| e + 3)
            } else if bytes[lt..].starts_with(b"<![CDATA[") {
                find(bytes, lt + 9, b"]]>").map_or(n, |e| e + 3)
            } else {
                memchr(b'>', &bytes[lt..]).map_or(n, |e| lt + e + 1)
            };
            text_start = i;
            continue;
        }
        let closing = next == b'/';
        let name_start = if closing { lt + 2 } else { lt + 1 };
        if !bytes.get(name_start).is_some_and(|c| c.is_ascii_alphabetic()) {
            // Not a tag: "<" is text. `</ >`-like junk up to '>' is dropped like a comment.
            if closing {
                b.text(text_start..lt);
                i = memchr(b'>', &bytes[lt..]).map_or(n, |e| lt + e + 1);
                text_start = i;
            } else {
                i = lt + 1;
            }
            continue;
        }
        let mut j = name_start;
        while j < n && !is_space(bytes[j]) && bytes[j] != b'/' && bytes[j] != b'>' {
            j += 1;
        }
        let name = &bytes[name_start..j];
        lower.clear();
        lower.extend(name.iter().map(|c| c.to_ascii_lowercase()));
        let tag = Tag::from_lower(&lower);
        b.text(text_start..lt);
        // Attributes.
        let attrs_start = b.dom.attrs.len() as u32;
        if tag == Tag::Other && !closing {
            b.dom.attrs.push(Attr { name: name_start as u32..j as u32, value: 0..0 });
        }
        let mut self_closing = false;
        loop {
            while j < n && (is_space(bytes[j]) || bytes[j] == b'/') {
                self_closing = bytes[j] == b'/';
                j += 1;
            }
            if j >= n {
                break;
            }
            if bytes[j] == b'>' {
                j += 1;
                break;
            }
            self_closing = false;
            let an = j;
            while j < n && !is_space(bytes[j]) && !matches!(bytes[j], b'/' | b'>' | b'=') {
                j += 1;
            }
            // `=` as the first char of a name is part of the name.
            if j == an {
                j += 1;
            }
            let ae = j;
            while j < n && is_space(bytes[j]) {
                j += 1;
            }
            let mut value = j..j;
            if j < n && bytes[j] == b'=' {
                j += 1;
                while j < n && is_space(bytes[j]) {
                    j += 1;
                }
                if j < n && (bytes[j] == b'"' || bytes[j] == b'\'') {
                    let q = bytes[j];
                    let vs = j + 1;
                    let ve = memchr(q, &bytes[vs..]).map_or(n, |e| vs + e);
                    value = vs..ve;
                    j = (ve + 1).min(n);
                } else {
                    let vs = j;
                    while j < n && !is_space(bytes[j]) && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = vs..j;
                }
            }
            if !closing {
                b.dom
                    .attrs
                    .push(Attr { name: an as u32..ae as u32, value: value.start as u32..value.end as u32 });
            }
        }
        i = j;
        text_start = i;
        let attrs_end = b.dom.attrs.len() as u32;
        if closing {
            b.end(tag, name);
            continue;
        }
        b.start(tag, attrs_start..attrs_end, self_closing);
        if tag.is_raw_text() && !self_closing {
            let end = find_end_tag(bytes, i, &lower);
            b.text(i..end);
            // The raw-text element was pushed (unless the depth cap refused it): pop it.
            if b.stack.last().map(|s| s.1) == Some(tag) {
                b.pop();
            }
            i = memchr(b'>', &bytes[end.min(n)..]).map_or(n, |e| end + e + 1);
            text_start = i;
        }
    }
    b.text(text_start..n);
    b.dom
}

/// Index of the first `needle` at or after `from`.
fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut i = from;
    while i < hay.len() {
        let off = memchr(first, hay.get(i..)?)?;
        let at = i + off;
        if hay.get(at..at + needle.len())? == needle {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// Index of `</name` (any case) at or after `from`, or the end of input.
fn find_end_tag(hay: &[u8], from: usize, lower_name: &[u8]) -> usize {
    let mut i = from;
    while i < hay.len() {
        let Some(off) = memchr(b'<', &hay[i..]) else { return hay.len() };
        let at = i + off;
        if hay.get(at + 1) == Some(&b'/') {
            let s = at + 2;
            if let Some(cand) = hay.get(s..s + lower_name.len()) {
                if cand.eq_ignore_ascii_case(lower_name) {
                    let after = hay.get(s + lower_name.len()).copied().unwrap_or(b'>');
                    if is_space(after) || after == b'>' || after == b'/' {
                        return at;
                    }
                }
            }
        }
        i = at + 1;
    }
    hay.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(dom: &Dom, id: u32, out: &mut String) {
        match &dom.nodes[id as usize].kind {
            Kind::Document => {}
            Kind::Element { tag, .. } => {
                out.push('<');
                out.push_str(tag.name());
                out.push('>');
            }
            Kind::Text(_) => out.push_str(dom.raw_text(id).unwrap_or("")),
        }
        for c in dom.children(id) {
            outline(dom, c, out);
        }
        if let Kind::Element { tag, .. } = &dom.nodes[id as usize].kind {
            out.push_str("</");
            out.push_str(tag.name());
            out.push('>');
        }
    }

    fn tree(src: &str) -> String {
        let dom = parse(src);
        let mut s = String::new();
        outline(&dom, 0, &mut s);
        s
    }

    #[test]
    fn implied_end_tags() {
        assert_eq!(tree("<p>a<p>b<div>c</div>"), "<p>a</p><p>b</p><div>c</div>");
        assert_eq!(tree("<ul><li>a<li>b</ul>x"), "<ul><li>a</li><li>b</li></ul>x");
        assert_eq!(
            tree("<table><tr><td>a<td>b<tr><td>c</table>"),
            "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"
        );
    }

    #[test]
    fn raw_text_and_comments() {
        assert_eq!(
            tree("<script>if (a<b) '</p>'</script>x<!-- <p> -->y"),
            "<script>if (a<b) '</p>'</script>xy"
        );
        assert_eq!(tree("<STYLE>p{}</style ><b>t</B>"), "<style>p{}</style><b>t</b>");
    }

    #[test]
    fn missing_body_tag_ends_the_head() {
        assert_eq!(tree("<head><title>t</title><div>x</div>"), "<head><title>t</title></head><div>x</div>");
    }

    #[test]
    fn attributes() {
        let dom = parse(r#"<a HREF="/x?a=1&amp;b" class=big data-x='q"'>t</a>"#);
        assert_eq!(dom.attr(1, "href"), Some("/x?a=1&amp;b"));
        assert_eq!(dom.attr(1, "class"), Some("big"));
        assert_eq!(dom.attr(1, "data-x"), Some("q\""));
    }

    #[test]
    fn stray_end_tags_and_unknown_elements() {
        assert_eq!(tree("<div>a</span>b</div>"), "<div>ab</div>");
        assert_eq!(tree("<my-el><b>x</my-el>y"), "<other><b>x</b></other>y");
    }

    #[test]
    fn deep_nesting_is_capped() {
        let src = "<div>".repeat(50_000) + "x" + &"</div>".repeat(50_000);
        let dom = parse(&src);
        let mut depth = 0;
        let mut cur = dom.nodes.len() as u32 - 1;
        while cur != NONE {
            depth += 1;
            cur = dom.parent(cur);
        }
        assert!(depth <= MAX_DEPTH + 2);
    }
}
