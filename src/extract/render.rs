//! Writing the selected nodes out: plain text with paragraph breaks, and clean HTML.
//!
//! Owns: the text layout rules (a block element is a paragraph, `br` is a line break, list items
//! get "- ", whitespace collapses) and the HTML allow-list (structural tags only, `href`/`src`
//! made absolute and limited to http(s)/mailto, every text escaped). The HTML is sanitised by
//! construction: only the tags and attributes named here are ever written, so no script, style or
//! event attribute can pass. Does not decide what is content ([`super::content`]).

use super::dom::{Dom, Kind, Tag, NONE};
use super::text::{decode_entities, escape_into, words_of};
use url::Url;

/// Rendered output.
#[derive(Debug, Default)]
pub struct Rendered {
    pub text: String,
    pub html: String,
}

/// Separator pending between the text written so far and the next word.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    None,
    Space,
    Line,
    Para,
}

struct Writer<'u> {
    text: String,
    html: String,
    gap: Gap,
    /// Emitted HTML elements: (node, tag name, is inline).
    open: Vec<(u32, &'static str, bool)>,
    /// Number of open emitted elements that may hold text directly.
    text_blocks: usize,
    implicit_p: bool,
    base: Option<&'u Url>,
    pre: usize,
    /// A list item started: write "- " before its first word.
    bullet: bool,
}

impl Writer<'_> {
    fn gap(&mut self, g: Gap) {
        if g > self.gap {
            self.gap = g;
        }
    }

    fn words(&mut self, raw: &str) {
        let decoded = decode_entities(raw);
        if self.pre > 0 {
            self.flush_gap();
            self.text.push_str(&decoded);
            self.ensure_text_block();
            escape_into(&mut self.html, &decoded);
            return;
        }
        let starts_space = decoded.starts_with(|c: char| c.is_whitespace());
        let ends_space = decoded.ends_with(|c: char| c.is_whitespace());
        let mut words = words_of(&decoded);
        let Some(first) = words.next() else {
            // A whitespace-only text: a space is pending.
            if starts_space {
                self.gap(Gap::Space);
            }
            return;
        };
        if starts_space {
            self.gap(Gap::Space);
        }
        self.flush_gap();
        self.ensure_text_block();
        if self.bullet {
            self.text.push_str("- ");
            self.bullet = false;
        }
        // The words one space apart, then the same run escaped into the HTML. No per-word gap
        // bookkeeping: after the first word the text is not empty and every gap is a space.
        let from = self.text.len();
        self.text.push_str(first);
        for w in words {
            self.text.push(' ');
            self.text.push_str(w);
        }
        escape_into(&mut self.html, &self.text[from..]);
        if ends_space {
            self.gap(Gap::Space);
        }
    }

    fn flush_gap(&mut self) {
        if self.text.is_empty() {
            self.gap = Gap::None;
            return;
        }
        match self.gap {
            Gap::None => {}
            Gap::Space => {
                self.text.push(' ');
                self.html.push(' ');
            }
            Gap::Line => self.text.push('\n'),
            Gap::Para => self.text.push_str("\n\n"),
        }
        self.gap = Gap::None;
    }

    /// Writes a pending space now (before an inline tag opens); line and paragraph breaks stay
    /// pending until the next word, so an empty inline element cannot double them.
    fn flush_space(&mut self) {
        if self.gap == Gap::Space {
            self.flush_gap();
        }
    }

    fn ensure_text_block(&mut self) {
        if self.text_blocks == 0 && !self.implicit_p {
            self.html.push_str("<p>");
            self.implicit_p = true;
        }
    }

    /// A block boundary: close the implicit paragraph and any inline elements.
    fn boundary(&mut self) {
        while let Some(&(_, name, true)) = self.open.last() {
            self.html.push_str("</");
            self.html.push_str(name);
            self.html.push('>');
            self.open.pop();
        }
        if self.implicit_p {
            self.html.push_str("</p>");
            self.implicit_p = false;
        }
        self.gap(Gap::Para);
    }
}

/// HTML name to write for an element, whether it is inline, and whether it holds text directly.
fn html_name(tag: Tag) -> Option<(&'static str, bool, bool)> {
    Some(match tag {
        Tag::P => ("p", false, true),
        Tag::H1 | Tag::H2 => ("h2", false, true),
        Tag::H3 => ("h3", false, true),
        Tag::H4 => ("h4", false, true),
        Tag::H5 => ("h5", false, true),
        Tag::H6 => ("h6", false, true),
        Tag::Ul => ("ul", false, false),
        Tag::Ol => ("ol", false, false),
        Tag::Li => ("li", false, true),
        Tag::Dl => ("dl", false, false),
        Tag::Dt => ("dt", false, true),
        Tag::Dd => ("dd", false, true),
        Tag::Blockquote => ("blockquote", false, false),
        Tag::Pre => ("pre", false, true),
        Tag::Table => ("table", false, false),
        Tag::Tr => ("tr", false, false),
        Tag::Td => ("td", false, true),
        Tag::Th => ("th", false, true),
        Tag::Figure => ("figure", false, false),
        Tag::A => ("a", true, false),
        Tag::Strong | Tag::B => ("strong", true, false),
        Tag::Em | Tag::I => ("em", true, false),
        Tag::Code => ("code", true, false),
        Tag::Sub => ("sub", true, false),
        Tag::Sup => ("sup", true, false),
        Tag::Q => ("q", true, false),
        Tag::Cite => ("cite", true, false),
        _ => return None,
    })
}

/// Resolves a link against the base and keeps only web and mail links.
pub fn absolute(base: Option<&Url>, raw: &str) -> Option<String> {
    let raw = decode_entities(raw.trim());
    if raw.is_empty() || raw.len() > 4096 {
        return None;
    }
    let url = match base {
        Some(b) => b.join(&raw).ok()?,
        None => Url::parse(&raw).ok()?,
    };
    matches!(url.scheme(), "http" | "https" | "mailto").then(|| url.to_string())
}

/// Renders `roots` (skipping `drop`ped nodes) as text and HTML.
pub fn render(dom: &Dom, roots: &[u32], drop: &[bool], base: Option<&Url>) -> Rendered {
    let mut w = Writer {
        text: String::new(),
        html: String::new(),
        gap: Gap::None,
        open: Vec::new(),
        text_blocks: 0,
        implicit_p: false,
        base,
        pre: 0,
        bullet: false,
    };
    // Explicit stack of (node, leaving?) so deep trees cannot overflow the call stack.
    let mut stack: Vec<(u32, bool)> = Vec::new();
    for &root in roots {
        stack.push((root, false));
        while let Some((id, leaving)) = stack.pop() {
            let i = id as usize;
            if drop.get(i).copied().unwrap_or(true) {
                continue;
            }
            let Some(node) = dom.nodes.get(i) else { continue };
            match &node.kind {
                Kind::Text(_) => w.words(dom.raw_text(id).unwrap_or("")),
                Kind::Document => {
                    if !leaving {
                        push_children(dom, id, &mut stack);
                    }
                }
                Kind::Element { tag, .. } => {
                    if leaving {
                        leave(&mut w, id, *tag);
                    } else {
                        enter(&mut w, dom, id, *tag);
                        if !tag.is_void() {
                            stack.push((id, true));
                            push_children(dom, id, &mut stack);
                        }
                    }
                }
            }
        }
        w.boundary();
    }
    w.boundary();
    // Close anything left open (cannot happen with balanced enter/leave, but stay safe).
    while let Some((_, name, _)) = w.open.pop() {
        w.html.push_str("</");
        w.html.push_str(name);
        w.html.push('>');
    }
    let html = if w.html.contains("<p></p>") { w.html.replace("<p></p>", "") } else { w.html };
    Rendered { text: w.text, html }
}

fn push_children(dom: &Dom, id: u32, stack: &mut Vec<(u32, bool)>) {
    let start = stack.len();
    let mut c = dom.nodes.get(id as usize).map_or(NONE, |n| n.first_child);
    while c != NONE {
        stack.push((c, false));
        c = dom.nodes.get(c as usize).map_or(NONE, |n| n.next_sibling);
    }
    stack[start..].reverse();
}

fn enter(w: &mut Writer, dom: &Dom, id: u32, tag: Tag) {
    match tag {
        Tag::Br => {
            if w.pre > 0 {
                w.text.push('\n');
            } else if w.gap >= Gap::Line {
                // Two line breaks in a row are how older pages separate paragraphs.
                w.gap(Gap::Para);
            } else {
                w.gap(Gap::Line);
            }
            if w.text_blocks > 0 || w.implicit_p {
                w.html.push_str("<br>");
            }
            return;
        }
        Tag::Img => {
            let src =
                dom.attr(id, "src").filter(|s| !s.starts_with("data:")).or_else(|| dom.attr(id, "data-src"));
            if let Some(src) = src.and_then(|s| absolute(w.base, s)) {
                if src.starts_with("http") {
                    w.boundary();
                    w.html.push_str("<img src=\"");
                    escape_into(&mut w.html, &src);
                    w.html.push('"');
                    if let Some(alt) = dom.attr(id, "alt") {
                        w.html.push_str(" alt=\"");
                        escape_into(&mut w.html, &super::text::clean(alt));
                        w.html.push('"');
                    }
                    w.html.push('>');
                }
            }
            return;
        }
        Tag::Pre => w.pre += 1,
        _ => {}
    }
    let Some((name, inline, holds_text)) = html_name(tag) else {
        if tag.is_block() {
            w.boundary();
        }
        return;
    };
    if !inline {
        w.boundary();
    }
    if tag == Tag::A {
        let Some(href) = dom.attr(id, "href").and_then(|h| absolute(w.base, h)) else { return };
        w.flush_space();
        w.ensure_text_block();
        w.html.push_str("<a href=\"");
        escape_into(&mut w.html, &href);
        w.html.push_str("\">");
    } else {
        if inline {
            w.flush_space();
            w.ensure_text_block();
        }
        w.html.push('<');
        w.html.push_str(name);
        w.html.push('>');
    }
    w.open.push((id, name, inline));
    if holds_text {
        w.text_blocks += 1;
    }
    if tag == Tag::Li {
        w.bullet = true;
    }
}

fn leave(w: &mut Writer, id: u32, tag: Tag) {
    if tag == Tag::Li {
        w.bullet = false;
    }
    if tag == Tag::Pre {
        w.pre = w.pre.saturating_sub(1);
    }
    let Some((_, inline, holds_text)) = html_name(tag) else {
        if tag.is_block() {
            w.boundary();
        }
        return;
    };
    if !inline {
        // Close inline children still open, then this element.
        while let Some(&(_, name, true)) = w.open.last() {
            w.html.push_str("</");
            w.html.push_str(name);
            w.html.push('>');
            w.open.pop();
        }
        if w.implicit_p {
            w.html.push_str("</p>");
            w.implicit_p = false;
        }
    }
    if let Some(&(top, name, _)) = w.open.last() {
        if top == id {
            w.html.push_str("</");
            w.html.push_str(name);
            w.html.push('>');
            w.open.pop();
            if holds_text {
                w.text_blocks = w.text_blocks.saturating_sub(1);
            }
        }
    }
    if !inline {
        w.gap(Gap::Para);
    }
}
