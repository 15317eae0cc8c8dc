//! HTML in feeds → a safe subset, and titles → plain text.
//!
//! Owns the allow-list (ammonia's defaults: no scripts, styles, event attributes, embeds, or
//! `javascript:`/`data:` URLs), the resolution of relative links inside content against the
//! entry's base, and the HTML-to-text reduction used for titles. Knows nothing about feeds.

use ammonia::{Builder, UrlRelative};
use std::sync::LazyLock;
use url::Url;

/// The plain-text reducer: every tag removed, script and style bodies with them.
static TEXT_ONLY: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = Builder::empty();
    b.clean_content_tags(["script", "style", "title", "noscript"].into_iter().collect());
    b
});

/// The HTML sanitiser for one document, resolving relative links against its base.
pub struct Sanitizer {
    html: Builder<'static>,
}

impl Sanitizer {
    pub fn new(base: Option<&Url>) -> Self {
        let mut html = Builder::default();
        html.link_rel(None);
        html.url_relative(match base {
            Some(b) => UrlRelative::RewriteWithBase(b.clone()),
            None => UrlRelative::PassThrough,
        });
        Sanitizer { html }
    }

    /// Sanitises an HTML fragment. Returns `None` when nothing is left.
    pub fn html(&self, s: &str) -> Option<String> {
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

/// Reduces HTML (or text that may hold some) to plain text: tags removed, references decoded,
/// runs of whitespace collapsed. Returns `None` when nothing is left.
pub fn plain_text(s: &str) -> Option<String> {
    let cleaned = if s.contains('<') || s.contains('&') {
        unescape(&TEXT_ONLY.clean(s).to_string())
    } else {
        s.to_string()
    };
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

/// Undoes the escaping html5ever's serialiser applies to text.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
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
    }

    #[test]
    fn plain_text_with_markup_is_escaped() {
        let s = Sanitizer::new(None);
        assert_eq!(s.text_as_html("a <script> b").as_deref(), Some("a &lt;script&gt; b"));
        assert_eq!(s.text_as_html("a & b").as_deref(), Some("a & b"));
    }
}
