//! Bytes → UTF-8 text: picks the document's character set and decodes it.
//!
//! Owns the order of evidence: a byte-order mark, then the HTTP `Content-Type` charset, then the
//! XML declaration's `encoding`, then detection (chardetng). A claim that the bytes contradict
//! (a "UTF-8" document that is not valid UTF-8, a "UTF-16" one written in ASCII, a legacy
//! charset on bytes that are valid multi-byte UTF-8) is skipped in favour of the next piece of
//! evidence. Knows nothing about feeds beyond the XML declaration.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// How far into the document the XML declaration is looked for.
const DECL_WINDOW: usize = 1024;

/// Decodes `bytes` to text, choosing the encoding from the BOM, the HTTP charset, the XML
/// declaration and finally detection. Invalid sequences become U+FFFD; this never fails.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(enc, &bytes[bom_len..]);
    }
    let candidates =
        [content_type.and_then(http_charset), xml_declared_encoding(bytes), utf16_without_bom(bytes)];
    for enc in candidates.into_iter().flatten() {
        if plausible(enc, bytes) {
            return decode_with(enc, bytes);
        }
    }
    if std::str::from_utf8(bytes).is_ok() {
        return decode_with(UTF_8, bytes);
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    decode_with(detector.guess(None, true), bytes)
}

fn decode_with(enc: &'static Encoding, bytes: &[u8]) -> String {
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// Whether the bytes could be in `enc`: UTF-8 must validate, UTF-16 must not look like ASCII.
fn plausible(enc: &'static Encoding, bytes: &[u8]) -> bool {
    if enc == UTF_8 {
        std::str::from_utf8(bytes).is_ok()
    } else if enc == UTF_16LE || enc == UTF_16BE {
        // A document whose first bytes are ASCII `<?` was transcoded and kept a stale declaration.
        bytes.iter().take(256).any(|&b| b == 0)
    } else {
        // Valid UTF-8 that uses multi-byte characters is UTF-8, whatever the label says: the
        // label is a server default (ISO-8859-1) or survived a re-save, and real text in a
        // legacy encoding almost never forms valid UTF-8 sequences.
        bytes.is_ascii() || std::str::from_utf8(bytes).is_err()
    }
}

/// The `charset` parameter of a Content-Type header, as a known encoding.
fn http_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        Encoding::for_label(value.trim().trim_matches(|c| c == '"' || c == '\'').as_bytes())
    })
}

/// The `encoding` of an ASCII-compatible XML declaration, as a known encoding.
fn xml_declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(DECL_WINDOW)];
    let start = find(head, b"<?xml")?;
    let decl = &head[start..];
    let end = find(decl, b"?>")?;
    let decl = &decl[..end];
    let at = find(decl, b"encoding")?;
    let rest = &decl[at + b"encoding".len()..];
    let rest = rest.iter().position(|&b| b == b'"' || b == b'\'').map(|i| (rest[i], &rest[i + 1..]))?;
    let (quote, rest) = rest;
    let close = rest.iter().position(|&b| b == quote)?;
    Encoding::for_label(&rest[..close])
}

/// UTF-16 without a BOM, recognised by a `<` next to a NUL at the start.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    match bytes {
        [b'<', 0, b'?' | b'r' | b'f' | b'R', 0, ..] => Some(UTF_16LE),
        [0, b'<', 0, b'?' | b'r' | b'f' | b'R', ..] => Some(UTF_16BE),
        _ => None,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins() {
        assert_eq!(decode(b"\xEF\xBB\xBF<a>\xC3\xA9</a>", Some("text/xml; charset=latin1")), "<a>é</a>");
    }

    #[test]
    fn http_charset_is_used() {
        assert_eq!(decode(b"<a>\xE9</a>", Some("application/rss+xml; charset=\"ISO-8859-1\"")), "<a>é</a>");
    }

    #[test]
    fn declaration_is_used() {
        let doc = b"<?xml version='1.0' encoding='windows-1252'?><a>\x93q\x94</a>";
        assert!(decode(doc, None).contains("\u{201c}q\u{201d}"));
    }

    #[test]
    fn false_utf8_claim_falls_back_to_detection() {
        let doc =
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?><a>caf\xE9 cr\xE8me br\xFBl\xE9e \x93quoted\x94</a>";
        let text = decode(doc, Some("text/xml; charset=utf-8"));
        assert!(text.contains("café crème"), "{text}");
        assert!(text.contains('\u{201c}'), "{text}");
    }

    #[test]
    fn latin1_label_on_utf8_bytes_is_ignored() {
        let doc = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a>café “q”</a>".as_bytes();
        assert!(decode(doc, Some("text/xml; charset=ISO-8859-1")).contains("café “q”"));
        assert!(decode(doc, None).contains("café “q”"));
    }

    #[test]
    fn stale_utf16_declaration_is_ignored() {
        assert_eq!(
            decode(b"<?xml version=\"1.0\" encoding=\"utf-16\"?><a/>", None),
            "<?xml version=\"1.0\" encoding=\"utf-16\"?><a/>"
        );
    }

    #[test]
    fn utf16_without_bom_is_detected() {
        let doc: Vec<u8> = "<?xml?><a>é</a>".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode(&doc, None), "<?xml?><a>é</a>");
    }

    #[test]
    fn unknown_label_falls_through() {
        assert_eq!(
            decode(b"<?xml encoding=\"bogus\"?><a>\xC3\xA9</a>", None),
            "<?xml encoding=\"bogus\"?><a>é</a>"
        );
    }
}
