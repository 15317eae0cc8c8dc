//! Page bytes → text: the character encoding from the BOM, else a `<meta charset>` /
//! `http-equiv` declaration near the top, else UTF-8 (invalid sequences become U+FFFD).
//!
//! Owns only the decoding. The HTTP `Content-Type` charset is the fetcher's to pass on; it is not
//! seen here.

use encoding_rs::{Encoding, UTF_8};
use std::borrow::Cow;

/// How far into the page a charset declaration is looked for (HTML says 1024 bytes; real pages
/// put long scripts before it, so look a little further).
const PRESCAN: usize = 4096;

/// The encoding a page declares, or UTF-8.
pub fn sniff(bytes: &[u8]) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return enc;
    }
    let head = &bytes[..bytes.len().min(PRESCAN)];
    let mut i = 0;
    while let Some(off) = find_ci(&head[i..], b"charset") {
        let mut j = i + off + 7;
        while head.get(j).is_some_and(|c| c.is_ascii_whitespace()) {
            j += 1;
        }
        if head.get(j) == Some(&b'=') {
            j += 1;
            while head.get(j).is_some_and(|c| c.is_ascii_whitespace() || *c == b'"' || *c == b'\'') {
                j += 1;
            }
            let start = j;
            while head
                .get(j)
                .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':' | b'.'))
            {
                j += 1;
            }
            if let Some(enc) = head.get(start..j).and_then(Encoding::for_label) {
                // A page that says UTF-16 in ASCII bytes is not UTF-16 (HTML's rule).
                if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                    return UTF_8;
                }
                return enc;
            }
        }
        i += off + 7;
    }
    UTF_8
}

/// Decodes page bytes to text. Borrows when the page is valid UTF-8.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let enc = sniff(bytes);
    let (text, _, _) = enc.decode(bytes);
    text
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_and_bom() {
        let latin = b"<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xe9</body>";
        assert!(decode(latin).contains("café"));
        let equiv = b"<meta http-equiv=Content-Type content='text/html; charset=windows-1251'>\xcf\xf0";
        assert!(decode(equiv).ends_with("Пр"));
        let bom = b"\xef\xbb\xbf<p>\xc3\xa9</p>";
        assert_eq!(decode(bom), "<p>é</p>");
        assert_eq!(decode(b"<p>\xff</p>"), "<p>\u{fffd}</p>");
    }
}
