//! A fast check that an HTML fragment is already in the safe subset, exactly as the sanitiser
//! would write it, so the sanitiser (an HTML5 parse and re-serialisation, the slowest step of a
//! parse) can be skipped.
//!
//! Owns the definition of "already clean": well-nested lower-case tags from a small allow-list
//! (inline formatting, paragraphs, lists, headings, links, images), only `href`/`src` with
//! absolute http(s) URLs and a few plain attributes, double-quoted values, and text with no
//! character the serialiser would rewrite. Anything else answers `false` and goes through
//! ammonia. One linear pass; nesting is capped. The property test in this module checks that
//! every fragment accepted here comes out of ammonia unchanged.

/// Deeper fragments are left to the sanitiser.
const MAX_NESTING: usize = 64;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Formatting and phrasing elements: contain text and inline elements only.
    Inline,
    /// Paragraphs and headings: contain inline content only.
    Para,
    /// Containers: contain anything.
    Flow,
    /// `ul`/`ol`: contain `li`.
    List,
    /// `li`: contains anything but another `li` directly.
    Item,
    /// `br`, `img`, `hr`: no content, no end tag.
    Void,
}

fn kind(name: &str) -> Option<Kind> {
    Some(match name {
        "a" | "b" | "i" | "em" | "strong" | "u" | "s" | "small" | "sub" | "sup" | "code" | "span"
        | "cite" | "q" | "abbr" | "mark" | "del" | "ins" | "kbd" | "var" | "samp" => Kind::Inline,
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Kind::Para,
        "div" | "blockquote" => Kind::Flow,
        "ul" | "ol" => Kind::List,
        "li" => Kind::Item,
        "br" | "img" | "hr" => Kind::Void,
        _ => return None,
    })
}

/// Whether `s` is already exactly what the sanitiser would produce for it (with no base, so
/// relative links pass through).
pub fn already_clean(s: &str) -> bool {
    fast_sanitize(s, None).is_some_and(|out| out == s)
}

/// What the sanitiser would produce for `s`, when `s` is in the safe subset apart from
/// relative links, which are resolved against `base` as the sanitiser does. `None`: use the
/// sanitiser.
pub fn fast_sanitize(s: &str, base: Option<&url::Url>) -> Option<String> {
    let mut rewrites: Vec<(usize, usize, String)> = Vec::new();
    if !scan(s, base, &mut rewrites) {
        return None;
    }
    let mut out = String::with_capacity(s.len() + rewrites.len() * 32);
    let mut at = 0;
    for (start, end, value) in rewrites {
        out.push_str(&s[at..start]);
        out.push_str(&value);
        at = end;
    }
    out.push_str(&s[at..]);
    Some(out)
}

fn scan(s: &str, base: Option<&url::Url>, rewrites: &mut Vec<(usize, usize, String)>) -> bool {
    let b = s.as_bytes();
    let mut stack: Vec<(&str, Kind)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'<' => {
                let Some(len) = b[i..].iter().position(|&c| c == b'>') else { return false };
                let tag = &s[i + 1..i + len];
                if !tag_ok(tag, i + 1, base, &mut stack, rewrites) {
                    return false;
                }
                i += len + 1;
            }
            b'&' => {
                let rest = &b[i..];
                let ok =
                    [&b"&amp;"[..], b"&lt;", b"&gt;", b"&nbsp;"].into_iter().find(|r| rest.starts_with(r));
                match ok {
                    Some(r) => i += r.len(),
                    None => return false,
                }
            }
            // `>` and U+00A0 are written as references; CR and controls are rewritten.
            b'>' | b'\r' => return false,
            c if c < 0x20 && c != b'\n' && c != b'\t' => return false,
            0xC2 if b.get(i + 1) == Some(&0xA0) => return false,
            _ => i += 1,
        }
    }
    stack.is_empty()
}

/// Checks one tag (`tag` starts at byte `at` of the fragment).
fn tag_ok<'a>(
    tag: &'a str,
    at: usize,
    base: Option<&url::Url>,
    stack: &mut Vec<(&'a str, Kind)>,
    rewrites: &mut Vec<(usize, usize, String)>,
) -> bool {
    if let Some(name) = tag.strip_prefix('/') {
        return match stack.pop() {
            Some((open, _)) => open == name,
            None => false,
        };
    }
    let (name, attrs) = tag.split_once(' ').unwrap_or((tag, ""));
    let Some(k) = kind(name) else { return false };
    let parent = stack.last().map(|&(_, k)| k);
    let allowed = match (parent, k) {
        // Inline content (and br/img) anywhere but directly in a list.
        (Some(Kind::List), Kind::Item) => true,
        (Some(Kind::List), _) => false,
        (_, Kind::Item) => false,
        (_, Kind::Inline) => true,
        (_, Kind::Void) if name != "hr" => true,
        // Blocks (and hr) only where blocks may start: at the top or in a container.
        (None | Some(Kind::Flow | Kind::Item), _) => true,
        _ => false,
    };
    // A link inside a link is closed by the parser.
    if !allowed || (name == "a" && stack.iter().any(|&(n, _)| n == "a")) {
        return false;
    }
    let attrs_at = at + name.len() + 1;
    if !attrs_ok(name, attrs, attrs_at, base, rewrites) {
        return false;
    }
    if k != Kind::Void {
        if stack.len() >= MAX_NESTING {
            return false;
        }
        stack.push((name, k));
    }
    true
}

/// ` name="value"` pairs, each allowed for the element, values the serialiser keeps as is.
fn attrs_ok(
    tag: &str,
    mut attrs: &str,
    mut at: usize,
    base: Option<&url::Url>,
    rewrites: &mut Vec<(usize, usize, String)>,
) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    while !attrs.is_empty() {
        let before = attrs.len();
        let Some((name, rest)) = attrs.split_once("=\"") else { return false };
        let Some((value, rest)) = rest.split_once('"') else { return false };
        let url_attr = matches!((tag, name), ("a", "href") | ("img", "src"));
        let allowed = url_attr
            || name == "title"
            || matches!((tag, name), ("img", "alt" | "width" | "height") | ("a", "hreflang"));
        if !allowed || seen.contains(&name) || !value_ok(value) {
            return false;
        }
        if url_attr && !absolute_web_url(value) {
            let decoded = value.replace("&amp;", "&");
            match url::Url::parse(&decoded) {
                // An absolute URL of another scheme: the sanitiser decides.
                Ok(_) => return false,
                Err(url::ParseError::RelativeUrlWithoutBase) => {}
                Err(_) => return false,
            }
            if let Some(b) = base {
                let Ok(joined) = b.join(&decoded) else { return false };
                if !matches!(joined.scheme(), "http" | "https") {
                    return false;
                }
                let start = at + name.len() + 2;
                rewrites.push((start, start + value.len(), joined.as_str().replace('&', "&amp;")));
            }
        }
        seen.push(name);
        attrs = match rest.strip_prefix(' ') {
            Some(r) if !r.is_empty() => r,
            None if rest.is_empty() => "",
            _ => return false,
        };
        at += before - attrs.len();
    }
    true
}

fn value_ok(v: &str) -> bool {
    let b = v.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'&' if b[i..].starts_with(b"&amp;") => i += 5,
            b'&' | b'<' | b'>' | b'\r' => return false,
            c if c < 0x20 => return false,
            0xC2 if b.get(i + 1) == Some(&0xA0) => return false,
            _ => i += 1,
        }
    }
    true
}

fn absolute_web_url(v: &str) -> bool {
    if plain_web_url(v) {
        return true;
    }
    let v = v.replace("&amp;", "&");
    (v.starts_with("http://") || v.starts_with("https://"))
        && !v.bytes().any(|c| c <= b' ' || c == b'\\')
        && url::Url::parse(&v).is_ok()
}

/// `http(s)://host/…` with a lower-case DNS host, no port or user, and only characters that
/// need no encoding: the shape of most links, which the URL parser accepts unchanged. Saves a
/// full URL parse per link; anything else takes [`absolute_web_url`]'s parse.
fn plain_web_url(v: &str) -> bool {
    let Some(rest) = v.strip_prefix("https://").or_else(|| v.strip_prefix("http://")) else { return false };
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.')
        && host.split('.').all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
        // A numeric-looking last label is read as an IPv4 address, "xn--" as punycode.
        && host.rsplit('.').next().is_some_and(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
        && !host.contains("xn--");
    host_ok
        && path.bytes().all(|c| c.is_ascii_alphanumeric() || b"-._~/?=&;%+,:@!$*()".contains(&c))
        && !path.contains("/.")
        && !path.contains('%')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::sanitize::Sanitizer;
    use proptest::prelude::*;

    #[test]
    fn clean_fragments_are_recognised() {
        for s in [
            "plain text",
            "<p>Para <b>bold</b> &amp; <a href=\"https://e.com/x?a=1&amp;b=2\" title=\"t\">link</a></p>",
            "<ul><li>one</li><li><p>two</p></li></ul>",
            "<div><p>a<br>b</p><img src=\"http://e.com/i.png\" alt=\"i\"><hr></div>",
        ] {
            assert!(already_clean(s), "{s}");
            assert_eq!(Sanitizer::new(None).html(s).as_deref(), Some(s), "{s}");
        }
    }

    #[test]
    fn relative_links_are_resolved_like_the_sanitiser() {
        let base = url::Url::parse("http://e.com/a/b").ok();
        let s = "<p><a href=\"c?x=1&amp;y=2\">c</a> <img src=\"/i.png\" alt=\"i\"></p>";
        let fast = fast_sanitize(s, base.as_ref());
        assert_eq!(
            fast.as_deref(),
            Some("<p><a href=\"http://e.com/a/c?x=1&amp;y=2\">c</a> <img src=\"http://e.com/i.png\" alt=\"i\"></p>")
        );
        assert_eq!(fast, Sanitizer::new(base.as_ref()).slow_html(s));
    }

    #[test]
    fn plain_web_urls_are_those_the_parser_keeps() {
        for u in ["http://e.com/", "https://a.b-c.org/x/y?z=1&w=2", "http://e.com", "http://x.co/a(b)"] {
            assert!(plain_web_url(u), "{u}");
            assert_eq!(
                url::Url::parse(u).map(|p| p.as_str().trim_end_matches('/') == u.trim_end_matches('/')).ok(),
                Some(true),
                "{u}"
            );
        }
        for u in [
            "http://E.com/",
            "http://1.2.3.4/",
            "http://1.0x2/",
            "http://e.com/./a",
            "http://xn--e.com/",
            "ftp://e.com/",
        ] {
            assert!(!plain_web_url(u), "{u}");
        }
    }

    #[test]
    fn anything_the_sanitiser_would_change_is_not_clean() {
        for s in [
            "<script>x</script>",
            "<p onclick=\"x\">a</p>",
            "<a href=\"javascript:x\">a</a>",
            "<p>a<p>b",
            "<b><p>x</p></b>",
            "<br/>",
            "<P>x</P>",
            "a > b",
            "&eacute;",
            "<p class='x'>a</p>",
            "<!-- c -->",
            "<li>x</li>",
            "<a href=\"http://e.com\"><a href=\"http://e.com\">x</a></a>",
        ] {
            assert!(!already_clean(s), "{s}");
        }
    }

    const PIECES: &[&str] = &[
        "text",
        " ",
        "\n",
        "&amp;",
        "&lt;",
        "&gt;",
        "&nbsp;",
        "&eacute;",
        "\"",
        "'",
        ">",
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<i>",
        "</i>",
        "<a href=\"http://e.com/a?x=1&amp;y=2\">",
        "<a href=\"/rel\">",
        "<a href=\"../up?a=1&amp;b=2\">",
        "<img src=\"//cdn.example/x y.png\">",
        "<a href=\"mailto:x@e.com\">",
        "<a href=\"http://e.com/a/./b/../c?q=a&amp;b=c;d#f\">",
        "<a href=\"http://xn--e.com/\">",
        "<a href=\"https://e.com:80/p\">",
        "<a href=\"http://E.com/\">",
        "<a href=\"http://1.2.3.4/\">",
        "<a href=\"http://1.0x2/\">",
        "<a href=\"http://a..b/\">",
        "<a href=\"http://e.com/a%zz\">",
        "<a href=\"javascript:alert(1)\">",
        "</a>",
        "<br>",
        "<hr>",
        "<img src=\"https://e.com/i.png\" alt=\"x\">",
        "<ul>",
        "</ul>",
        "<li>",
        "</li>",
        "<div>",
        "</div>",
        "<h2>",
        "</h2>",
        "<blockquote>",
        "</blockquote>",
        "<span title=\"t\">",
        "</span>",
        "\u{a0}",
        "é",
        "<script>",
        "</script>",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: crate::fuzz_cases(2000), ..ProptestConfig::default() })]

        /// Whatever the fast path accepts, ammonia leaves as it is.
        #[test]
        fn accepted_fragments_are_fixed_points_of_the_sanitiser(parts in proptest::collection::vec(0..PIECES.len(), 0..24)) {
            let s: String = parts.iter().map(|&i| PIECES[i]).collect();
            let s = s.trim();
            if already_clean(s) {
                let slow = Sanitizer::new(None).slow_html(s);
                prop_assert_eq!(slow.as_deref().unwrap_or(""), s);
            }
            let base = url::Url::parse("http://base.example/dir/?q=1").ok();
            if let Some(fast) = fast_sanitize(s, base.as_ref()) {
                let slow = Sanitizer::new(base.as_ref()).slow_html(s);
                prop_assert_eq!(slow.as_deref().unwrap_or(""), fast.as_str());
            }
        }
    }
}
