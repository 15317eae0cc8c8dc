//! HTML in feeds → a safe subset, and titles → plain text.
//!
//! Owns the allow-list (ammonia's defaults: no scripts, styles, event attributes, embeds, or
//! `javascript:`/`data:` URLs), the resolution of relative links inside content against the
//! entry's base, and the HTML-to-text reduction used for titles. Knows nothing about feeds.

use ammonia::{Builder, UrlRelative};
use markup5ever::data::NAMED_ENTITIES;
use url::Url;

/// The HTML sanitiser for one document, resolving relative links against its base.
pub struct Sanitizer {
    html: Builder<'static>,
    base: Option<Url>,
}

impl Sanitizer {
    pub fn new(base: Option<&Url>) -> Self {
        let mut html = Builder::default();
        html.link_rel(None);
        html.url_relative(match base {
            Some(b) => UrlRelative::RewriteWithBase(b.clone()),
            None => UrlRelative::PassThrough,
        });
        Sanitizer { html, base: base.cloned() }
    }

    /// Sanitises an HTML fragment. Returns `None` when nothing is left.
    pub fn html(&self, s: &str) -> Option<String> {
        let t = s.trim();
        if let Some(out) = super::clean::fast_sanitize(t, self.base.as_ref()) {
            return (!out.is_empty()).then_some(out);
        }
        self.slow_html(t)
    }

    /// [`Self::html`] without the fast path: always through ammonia.
    pub fn slow_html(&self, s: &str) -> Option<String> {
        let out = self.html.clean(s).to_string();
        let trimmed = out.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_string())
    }

    /// Plain text offered as content: kept as is unless it holds markup characters, which are
    /// escaped so the value stays safe to render as HTML.
    pub fn text_as_html(&self, s: &str) -> Option<String> {
        let t = s.trim();
        if t.is_empty() {
            None
        } else if t.contains('<') {
            Some(t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;"))
        } else {
            Some(t.to_string())
        }
    }
}

/// Reduces HTML (or text that may hold some) to plain text: tags removed (script, style and
/// similar with their bodies), character references decoded, runs of whitespace collapsed.
/// Returns `None` when nothing is left. One linear pass: titles can be anything.
pub fn plain_text(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        let run = rest.find(['<', '&']).unwrap_or(rest.len());
        out.push_str(&rest[..run]);
        i += run;
        let rest = &s[i..];
        if rest.is_empty() {
            break;
        }
        if let Some(after) = rest.strip_prefix('<') {
            let is_tag = after.bytes().next().is_some_and(|c| c.is_ascii_alphabetic() || b"/!?".contains(&c));
            if !is_tag {
                out.push('<');
                i += 1;
                continue;
            }
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let name: String = rest[1..end.max(1)]
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            i += end;
            if matches!(name.as_str(), "script" | "style" | "noscript" | "template" | "iframe" | "object")
                && !after.starts_with('/')
            {
                i += skip_past_end_tag(&s[i..], &name);
            }
            out.push(' ');
        } else {
            let (decoded, used) = decode_reference(rest);
            out.push_str(&decoded);
            i += used;
        }
    }
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

/// Bytes up to and including `</name…>` (case-insensitive), or all of `s`.
fn skip_past_end_tag(s: &str, name: &str) -> usize {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(off) = s[from..].find("</") {
        let at = from + off;
        let cand = &bytes[at + 2..];
        if cand.len() >= name.len() && cand[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            return s[at..].find('>').map_or(s.len(), |e| at + e + 1);
        }
        from = at + 2;
    }
    s.len()
}

/// Decodes the character reference at the start of `s` (which starts with `&`). Returns the
/// text and the bytes used; a bare `&` is itself.
pub fn decode_reference(s: &str) -> (String, usize) {
    if !s.starts_with('&') {
        return (String::new(), s.chars().next().map_or(0, char::len_utf8));
    }
    let bytes = s.as_bytes();
    let mut j = 1;
    while j < bytes.len() && j <= 34 && (bytes[j].is_ascii_alphanumeric() || (j == 1 && bytes[j] == b'#')) {
        j += 1;
    }
    let has_semi = bytes.get(j) == Some(&b';');
    let name = &s[1..j];
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse::<u32>().ok(),
        };
        if let Some(c) = code.and_then(char::from_u32).filter(|c| *c != '\0') {
            return (c.to_string(), j + usize::from(has_semi));
        }
        return ("&".into(), 1);
    }
    if !name.is_empty() {
        let key = if has_semi { format!("{name};") } else { name.to_string() };
        // The table also maps every prefix of a name to (0, 0), for longest-match tokenisers.
        if let Some(&(a, b)) = NAMED_ENTITIES.get(key.as_str()).filter(|(a, _)| *a != 0) {
            let mut out: String = char::from_u32(a).map(String::from).unwrap_or_default();
            out.extend(char::from_u32(b).filter(|_| b != 0));
            return (out, j + usize::from(has_semi));
        }
    }
    ("&".into(), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_and_handlers_are_removed() {
        let s = Sanitizer::new(None);
        let out = s
            .html("<p onclick=\"x()\">hi<script>alert(1)</script><style>p{}</style></p>")
            .unwrap_or_default();
        assert_eq!(out, "<p>hi</p>");
    }

    #[test]
    fn dangerous_urls_and_embeds_are_removed() {
        let s = Sanitizer::new(None);
        let out = s
            .html("<a href=\"javascript:alert(1)\">a</a><img src=\"data:image/png;base64,AAAA\"><iframe src=\"http://x\"></iframe><object></object><embed src=x>")
            .unwrap_or_default();
        assert_eq!(out, "<a>a</a><img>");
    }

    #[test]
    fn relative_links_are_resolved() {
        let base = Url::parse("http://example.com/a/b").ok();
        let s = Sanitizer::new(base.as_ref());
        assert_eq!(
            s.html("<a href=\"c\">c</a>").unwrap_or_default(),
            "<a href=\"http://example.com/a/c\">c</a>"
        );
    }

    #[test]
    fn titles_become_plain_text() {
        assert_eq!(
            plain_text("  <b>Bold</b> &amp; <i>italic</i>\n x<script>bad()</script> ").as_deref(),
            Some("Bold & italic x")
        );
        assert_eq!(plain_text("AT&T").as_deref(), Some("AT&T"));
        assert_eq!(plain_text("Jerry&#039;s").as_deref(), Some("Jerry's"));
        assert_eq!(plain_text(" <br> "), None);
        assert_eq!(
            plain_text("a < b &lt; c &eacute;&#233;&#xe9; &bogus; <style>x</style>d").as_deref(),
            Some("a < b < c ééé &bogus; d")
        );
        assert_eq!(plain_text("<SCRIPT>x</Script>y <unclosed").as_deref(), Some("y"));
    }

    #[test]
    fn plain_text_with_markup_is_escaped() {
        let s = Sanitizer::new(None);
        assert_eq!(s.text_as_html("a <script> b").as_deref(), Some("a &lt;script&gt; b"));
        assert_eq!(s.text_as_html("a & b").as_deref(), Some("a & b"));
    }
}
