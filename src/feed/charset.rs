//! Bytes → UTF-8 text: picks the document's character set and decodes it.
//!
//! Owns the order of evidence: a byte-order mark, then the HTTP `Content-Type` charset, then the
//! XML declaration's `encoding`, then detection (chardetng). A claim that the bytes contradict
//! (a "UTF-8" document that is not valid UTF-8, a "UTF-16" one written in ASCII, a legacy
//! charset on bytes that are valid multi-byte UTF-8) is skipped in favour of the next piece of
//! evidence. Labels are read as browsers read them (WHATWG), then as Python's codecs do, so the
//! DOS, EBCDIC and Mac code pages feedparser decodes are decoded too ([`super::codepages`]);
//! UTF-32 (BOM or `<` beside three NULs) and EBCDIC documents (`<?xm` in EBCDIC) are recognised
//! from their first bytes. Knows nothing about feeds beyond the XML declaration.

use super::codepages::{Target, LABELS, TABLES};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// How far into the document the XML declaration is looked for.
const DECL_WINDOW: usize = 1024;

/// `<?xm` in EBCDIC: a document in an IBM mainframe code page.
const EBCDIC_DECL: &[u8] = &[0x4C, 0x6F, 0xA7, 0x94];
/// cp037, the EBCDIC code page a declaration is read with.
const CP037: usize = 0;

/// A character set rill can decode: one of encoding_rs's, a legacy single-byte table, or UTF-32.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Charset {
    Rs(&'static Encoding),
    Table(usize),
    Utf32 { little_endian: bool },
}

/// Decodes `bytes` to text, choosing the encoding from the BOM, the HTTP charset, the XML
/// declaration and finally detection. Invalid sequences become U+FFFD; this never fails.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> String {
    match bytes {
        [0xFF, 0xFE, 0, 0, rest @ ..] => return decode_with(Charset::Utf32 { little_endian: true }, rest),
        [0, 0, 0xFE, 0xFF, rest @ ..] => return decode_with(Charset::Utf32 { little_endian: false }, rest),
        _ => {}
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(Charset::Rs(enc), &bytes[bom_len..]);
    }
    if bytes.starts_with(EBCDIC_DECL) {
        // The declaration names the EBCDIC variant; it reads the same in all of them.
        let head = decode_with(Charset::Table(CP037), &bytes[..bytes.len().min(DECL_WINDOW)]);
        let named = ebcdic_label(head.as_bytes()).and_then(charset_for_label);
        let cs = match named {
            Some(Charset::Table(t)) => Charset::Table(t),
            _ => Charset::Table(CP037),
        };
        return decode_with(cs, bytes);
    }
    let candidates = [
        content_type.and_then(http_charset),
        declared_label(bytes).and_then(charset_for_label),
        unicode_without_bom(bytes),
    ];
    for cs in candidates.into_iter().flatten() {
        let cs = byte_order(cs, bytes);
        if plausible(cs, bytes) {
            return decode_with(cs, bytes);
        }
    }
    if std::str::from_utf8(bytes).is_ok() {
        return decode_with(Charset::Rs(UTF_8), bytes);
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    decode_with(Charset::Rs(detector.guess(None, true)), bytes)
}

fn decode_with(cs: Charset, bytes: &[u8]) -> String {
    match cs {
        Charset::Rs(enc) => enc.decode_without_bom_handling(bytes).0.into_owned(),
        Charset::Table(t) => {
            let Some(table) = TABLES.get(t) else { return String::from_utf8_lossy(bytes).into_owned() };
            bytes
                .iter()
                .map(|&b| char::from_u32(u32::from(table[usize::from(b)])).unwrap_or('\u{fffd}'))
                .collect()
        }
        Charset::Utf32 { little_endian } => bytes
            .chunks(4)
            .map(|c| match <[u8; 4]>::try_from(c) {
                Ok(w) => {
                    let u = if little_endian { u32::from_le_bytes(w) } else { u32::from_be_bytes(w) };
                    char::from_u32(u).unwrap_or('\u{fffd}')
                }
                Err(_) => '\u{fffd}',
            })
            .collect(),
    }
}

/// The character set a label names: a WHATWG label first (what browsers accept), then the
/// legacy names and aliases Python's codecs accept (`cp437`, `ebcdic-cp-be`, `mac-greek`,
/// `windows_1252`, `utf-32`…), as feedparser reads them.
fn charset_for_label(label: &[u8]) -> Option<Charset> {
    if let Some(enc) = Encoding::for_label(label) {
        return Some(Charset::Rs(enc));
    }
    let mut norm = String::with_capacity(label.len());
    for &b in label.iter().take(64) {
        if b.is_ascii_alphanumeric() || b == b'.' {
            norm.push(char::from(b.to_ascii_lowercase()));
        } else if !norm.is_empty() && !norm.ends_with('_') {
            norm.push('_');
        }
    }
    let norm = norm.trim_end_matches('_');
    let i = LABELS.binary_search_by(|(l, _)| (*l).cmp(norm)).ok()?;
    Some(match LABELS[i].1 {
        Target::Table(t) => Charset::Table(t),
        Target::Whatwg(w) => Charset::Rs(Encoding::for_label(w.as_bytes())?),
        Target::Utf32 | Target::Utf32Be => Charset::Utf32 { little_endian: false },
        Target::Utf32Le => Charset::Utf32 { little_endian: true },
    })
}

/// Whether the bytes could be in `cs`: UTF-8 must validate, UTF-16 and UTF-32 must not look
/// like ASCII.
fn plausible(cs: Charset, bytes: &[u8]) -> bool {
    let enc = match cs {
        Charset::Rs(enc) => enc,
        // A document whose first bytes are ASCII `<?` was transcoded and kept a stale declaration.
        Charset::Utf32 { .. } => return bytes.iter().take(256).any(|&b| b == 0),
        Charset::Table(_) => return bytes.is_ascii() || std::str::from_utf8(bytes).is_err(),
    };
    if enc == UTF_8 {
        std::str::from_utf8(bytes).is_ok()
    } else if enc == UTF_16LE || enc == UTF_16BE {
        bytes.iter().take(256).any(|&b| b == 0)
    } else {
        // Valid UTF-8 that uses multi-byte characters is UTF-8, whatever the label says: the
        // label is a server default (ISO-8859-1) or survived a re-save, and real text in a
        // legacy encoding almost never forms valid UTF-8 sequences.
        bytes.is_ascii() || std::str::from_utf8(bytes).is_err()
    }
}

/// The `charset` parameter of a Content-Type header, as a known encoding.
fn http_charset(content_type: &str) -> Option<Charset> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        charset_for_label(value.trim().trim_matches(|c| c == '"' || c == '\'').as_bytes())
    })
}

/// The `encoding` label of an ASCII-compatible XML declaration.
fn declared_label(bytes: &[u8]) -> Option<&[u8]> {
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
    Some(rest[..close].trim_ascii())
}

/// A label says UTF-16 or UTF-32 without saying which end first: the first bytes do.
fn byte_order(cs: Charset, bytes: &[u8]) -> Charset {
    let seen = unicode_without_bom(bytes);
    match (cs, seen) {
        (Charset::Utf32 { .. }, Some(Charset::Utf32 { little_endian })) => Charset::Utf32 { little_endian },
        (Charset::Rs(e), Some(Charset::Rs(s))) if (e == UTF_16LE || e == UTF_16BE) => Charset::Rs(s),
        _ => cs,
    }
}

/// The `encoding` label of a declaration read as cp037: whatever quotes it (`"` is another
/// byte in some EBCDIC variants), the label is the run of name characters after `encoding=`.
fn ebcdic_label(head: &[u8]) -> Option<&[u8]> {
    let at = find(head, b"encoding")? + b"encoding".len();
    let rest = &head[at..];
    let start = rest.iter().position(|b| b.is_ascii_alphanumeric())?;
    let rest = &rest[start..];
    let end =
        rest.iter().position(|&b| !(b.is_ascii_alphanumeric() || b"-_.:".contains(&b))).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// UTF-16 or UTF-32 without a BOM, recognised by a `<` next to NULs at the start.
fn unicode_without_bom(bytes: &[u8]) -> Option<Charset> {
    match bytes {
        [0, 0, 0, b'<', ..] => Some(Charset::Utf32 { little_endian: false }),
        [b'<', 0, 0, 0, ..] => Some(Charset::Utf32 { little_endian: true }),
        [b'<', 0, b'?' | b'r' | b'f' | b'R', 0, ..] => Some(Charset::Rs(UTF_16LE)),
        [0, b'<', 0, b'?' | b'r' | b'f' | b'R', ..] => Some(Charset::Rs(UTF_16BE)),
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
    fn legacy_code_pages_are_decoded() {
        assert_eq!(
            decode(b"<?xml version='1.0' encoding='cp437'?><a>\x80</a>", None).find('\u{c7}'),
            Some(41)
        );
        assert!(decode(b"<?xml encoding=\"MacGreek\"?><a>\x80</a>", None).contains("<a>\u{c4}</a>"));
        assert!(decode(b"<?xml encoding=\"windows_1251\"?><a>\x80</a>", None).contains("<a>\u{402}</a>"));
        assert!(decode(b"<a>\x80</a>", Some("text/xml; charset=ibm850")).contains("<a>\u{c7}</a>"));
    }

    #[test]
    fn ebcdic_documents_are_decoded() {
        // `<?xml version="1.0" encoding="cp500"?><a>` and the byte 0x4A in cp500 (`[`).
        let mut doc: Vec<u8> = vec![0x4C, 0x6F, 0xA7, 0x94, 0x93, 0x40];
        doc.extend([0x85, 0x95, 0x83, 0x96, 0x84, 0x89, 0x95, 0x87, 0x7E, 0x7F, 0x83, 0x97, 0xF5, 0xF0]);
        doc.extend([0xF0, 0x7F, 0x6F, 0x6E, 0x4C, 0x81, 0x6E, 0x4A]);
        assert_eq!(decode(&doc, None), "<?xml encoding=\"cp500\"?><a>[");
    }

    #[test]
    fn utf32_is_decoded() {
        let be: Vec<u8> = "<a>é</a>".chars().flat_map(|c| (c as u32).to_be_bytes()).collect();
        let le: Vec<u8> = "<a>é</a>".chars().flat_map(|c| (c as u32).to_le_bytes()).collect();
        assert_eq!(decode(&be, None), "<a>é</a>");
        assert_eq!(decode(&le, None), "<a>é</a>");
        let bom: Vec<u8> = [0xFF, 0xFE, 0, 0].into_iter().chain(le.iter().copied()).collect();
        assert_eq!(decode(&bom, None), "<a>é</a>");
    }

    #[test]
    fn unknown_label_falls_through() {
        assert_eq!(
            decode(b"<?xml encoding=\"bogus\"?><a>\xC3\xA9</a>", None),
            "<?xml encoding=\"bogus\"?><a>é</a>"
        );
    }
}
