//! Character-level helpers: HTML entity decoding and whitespace collapsing.
//!
//! Owns: turning raw source text into readable text. Knows nothing of elements or of what is
//! content; [`super::render`] decides which text is written and where the paragraph breaks go.

use std::borrow::Cow;

/// Named entities that occur in news pages (the HTML list has 2,000+; these cover Latin-1 and
/// the typographic punctuation; an unknown entity is kept as written).
const NAMED: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("hellip", '…'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("sbquo", '‚'),
    ("bdquo", '„'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("lsaquo", '‹'),
    ("rsaquo", '›'),
    ("bull", '•'),
    ("middot", '·'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("deg", '°'),
    ("plusmn", '±'),
    ("times", '×'),
    ("divide", '÷'),
    ("frac12", '½'),
    ("frac14", '¼'),
    ("frac34", '¾'),
    ("euro", '€'),
    ("pound", '£'),
    ("yen", '¥'),
    ("cent", '¢'),
    ("sect", '§'),
    ("para", '¶'),
    ("dagger", '†'),
    ("prime", '′'),
    ("Prime", '″'),
    ("iexcl", '¡'),
    ("iquest", '¿'),
    ("shy", '\u{ad}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("thinsp", '\u{2009}'),
    ("zwnj", '\u{200c}'),
    ("zwj", '\u{200d}'),
    ("lrm", '\u{200e}'),
    ("rlm", '\u{200f}'),
    ("ordf", 'ª'),
    ("ordm", 'º'),
    ("sup1", '¹'),
    ("sup2", '²'),
    ("sup3", '³'),
    ("micro", 'µ'),
    ("acute", '´'),
    ("uml", '¨'),
    ("cedil", '¸'),
    ("macr", '¯'),
    ("not", '¬'),
    ("curren", '¤'),
    ("brvbar", '¦'),
    ("Agrave", 'À'),
    ("Aacute", 'Á'),
    ("Acirc", 'Â'),
    ("Atilde", 'Ã'),
    ("Auml", 'Ä'),
    ("Aring", 'Å'),
    ("AElig", 'Æ'),
    ("Ccedil", 'Ç'),
    ("Egrave", 'È'),
    ("Eacute", 'É'),
    ("Ecirc", 'Ê'),
    ("Euml", 'Ë'),
    ("Igrave", 'Ì'),
    ("Iacute", 'Í'),
    ("Icirc", 'Î'),
    ("Iuml", 'Ï'),
    ("ETH", 'Ð'),
    ("Ntilde", 'Ñ'),
    ("Ograve", 'Ò'),
    ("Oacute", 'Ó'),
    ("Ocirc", 'Ô'),
    ("Otilde", 'Õ'),
    ("Ouml", 'Ö'),
    ("Oslash", 'Ø'),
    ("Ugrave", 'Ù'),
    ("Uacute", 'Ú'),
    ("Ucirc", 'Û'),
    ("Uuml", 'Ü'),
    ("Yacute", 'Ý'),
    ("THORN", 'Þ'),
    ("szlig", 'ß'),
    ("agrave", 'à'),
    ("aacute", 'á'),
    ("acirc", 'â'),
    ("atilde", 'ã'),
    ("auml", 'ä'),
    ("aring", 'å'),
    ("aelig", 'æ'),
    ("ccedil", 'ç'),
    ("egrave", 'è'),
    ("eacute", 'é'),
    ("ecirc", 'ê'),
    ("euml", 'ë'),
    ("igrave", 'ì'),
    ("iacute", 'í'),
    ("icirc", 'î'),
    ("iuml", 'ï'),
    ("eth", 'ð'),
    ("ntilde", 'ñ'),
    ("ograve", 'ò'),
    ("oacute", 'ó'),
    ("ocirc", 'ô'),
    ("otilde", 'õ'),
    ("ouml", 'ö'),
    ("oslash", 'ø'),
    ("ugrave", 'ù'),
    ("uacute", 'ú'),
    ("ucirc", 'û'),
    ("uuml", 'ü'),
    ("yacute", 'ý'),
    ("thorn", 'þ'),
    ("yuml", 'ÿ'),
    ("OElig", 'Œ'),
    ("oelig", 'œ'),
    ("Scaron", 'Š'),
    ("scaron", 'š'),
    ("Yuml", 'Ÿ'),
    ("fnof", 'ƒ'),
    ("circ", 'ˆ'),
    ("tilde", '˜'),
    ("larr", '←'),
    ("rarr", '→'),
    ("uarr", '↑'),
    ("darr", '↓'),
    ("hearts", '♥'),
    ("minus", '−'),
    ("le", '≤'),
    ("ge", '≥'),
    ("ne", '≠'),
    ("asymp", '≈'),
    ("infin", '∞'),
    ("alpha", 'α'),
    ("beta", 'β'),
    ("gamma", 'γ'),
    ("delta", 'δ'),
    ("pi", 'π'),
    ("mu", 'μ'),
];

/// Decodes character references in `s`. Borrows when there are none.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        match decode_one(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Decodes one reference at the start of `s` (which starts with '&'): (char, bytes consumed).
fn decode_one(s: &str) -> Option<(char, usize)> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let (radix, start) = match b.get(2) {
            Some(b'x' | b'X') => (16, 3),
            _ => (10, 2),
        };
        let digits = b
            .get(start..)?
            .iter()
            .take_while(|c| if radix == 16 { c.is_ascii_hexdigit() } else { c.is_ascii_digit() })
            .count();
        if digits == 0 {
            return None;
        }
        let num = if digits > 8 {
            0xfffd
        } else {
            u32::from_str_radix(s.get(start..start + digits)?, radix).unwrap_or(0xfffd)
        };
        let mut len = start + digits;
        if b.get(len) == Some(&b';') {
            len += 1;
        }
        let c = match num {
            0x80..=0x9f => windows_1252_c1(num),
            _ => char::from_u32(num).unwrap_or('\u{fffd}'),
        };
        return Some((c, len));
    }
    let name_len = b.get(1..)?.iter().take(10).take_while(|c| c.is_ascii_alphanumeric()).count();
    if name_len == 0 {
        return None;
    }
    let name = s.get(1..1 + name_len)?;
    let &(_, c) = NAMED.iter().find(|(n, _)| *n == name)?;
    let mut len = 1 + name_len;
    if b.get(len) == Some(&b';') {
        len += 1;
    }
    Some((c, len))
}

/// Numeric references in 0x80–0x9F mean Windows-1252 characters (as browsers read them).
fn windows_1252_c1(n: u32) -> char {
    const MAP: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
        '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    MAP.get((n - 0x80) as usize).copied().unwrap_or('\u{fffd}')
}

/// The words of `s` (split at every `char::is_whitespace` character, empty pieces skipped).
/// Bytes are classified without decoding: only a few lead bytes can start a non-ASCII space.
pub fn words_of(s: &str) -> impl Iterator<Item = &str> {
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        // Skip whitespace.
        loop {
            if i >= b.len() {
                return None;
            }
            match space_len(s, i) {
                Some(len) => i += len,
                None => break,
            }
        }
        // The word runs to the next whitespace; most bytes cannot start one.
        let start = i;
        while i < b.len() {
            if MAY_START_SPACE[usize::from(b[i])] && space_len(s, i).is_some() {
                break;
            }
            i += 1;
        }
        Some(&s[start..i])
    })
}

/// Bytes that may start a whitespace character: ASCII spaces, and the lead bytes of U+0085,
/// U+00A0, U+1680, U+2000..U+205F and U+3000.
const MAY_START_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 9;
    while b <= 13 {
        t[b] = true;
        b += 1;
    }
    t[b' ' as usize] = true;
    t[0xc2] = true;
    t[0xe1] = true;
    t[0xe2] = true;
    t[0xe3] = true;
    t
};

/// The byte length of the whitespace character at byte `i`, if there is one there. `i` need
/// not be a character boundary: continuation bytes are never whitespace.
fn space_len(s: &str, i: usize) -> Option<usize> {
    let b = *s.as_bytes().get(i)?;
    if !MAY_START_SPACE[usize::from(b)] {
        return None;
    }
    if b < 0x80 {
        return Some(1);
    }
    let c = s.get(i..)?.chars().next()?;
    c.is_whitespace().then(|| c.len_utf8())
}

/// Collapses runs of whitespace (including no-break spaces) to one space and trims.
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in words_of(s) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Decoded, collapsed text of a raw source fragment.
pub fn clean(raw: &str) -> String {
    collapse(&decode_entities(raw))
}

/// Escapes text for HTML output. Copies the runs between special characters whole (this runs
/// on every word of every article).
pub fn escape_into(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        // `i` is at an ASCII byte, so both slices end on character boundaries.
        out.push_str(&s[start..i]);
        out.push_str(rep);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Number of words (runs of alphanumerics) in `s`. ASCII is classified by a table with no
/// branch per byte (a word start is unpredictable, so a branch there mispredicts every few
/// bytes); other characters are decoded (a word may be letters of any script).
pub fn word_count(s: &str) -> usize {
    let b = s.as_bytes();
    let (mut count, mut in_word, mut i) = (0usize, false, 0);
    while i < b.len() {
        // The longest run of ASCII from here, counted without branches.
        let run = b[i..].iter().position(|c| !c.is_ascii()).map_or(b.len(), |p| i + p);
        for &c in &b[i..run] {
            let alnum = ASCII_LOWER_ALNUM[usize::from(c)] != 0;
            count += usize::from(alnum & !in_word);
            in_word = alnum;
        }
        i = run;
        if i < b.len() {
            let Some(c) = s.get(i..).and_then(|r| r.chars().next()) else { break };
            i += c.len_utf8();
            let alnum = c.is_alphanumeric();
            count += usize::from(alnum & !in_word);
            in_word = alnum;
        }
    }
    count
}

/// ASCII letters and digits lower-cased; 0 for every other byte (a word's characters, and how
/// [`super::content`]'s word hashes read them).
pub(crate) const ASCII_LOWER_ALNUM: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a &amp; b &eacute;t&#233; &#x2019; &#146; &bogus; &"),
            "a & b été ’ ’ &bogus; &"
        );
        assert_eq!(decode_entities("&#99999999999;x"), "\u{fffd}x");
    }

    #[test]
    fn words_of_any_script_are_counted() {
        for t in ["", "  ", "one", "a-b c", "don't stop", "Łódź, 2024 — 東京 x", "\u{a0}é\u{2003}ß."]
        {
            let expected = t.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).count();
            assert_eq!(word_count(t), expected, "{t:?}");
        }
    }

    #[test]
    fn escaping() {
        let mut out = String::from("x");
        escape_into(&mut out, "a<b & \"c\"> é&");
        assert_eq!(out, "xa&lt;b &amp; &quot;c&quot;&gt; é&amp;");
    }

    #[test]
    fn collapsing() {
        assert_eq!(collapse("  a\n\t b\u{a0} c "), "a b c");
    }

    #[test]
    fn words_split_at_every_kind_of_space() {
        let samples = [
            "",
            " ",
            "one",
            " two  words\n",
            "a\u{b}b\u{c}c\rd",
            "no\u{a0}break\u{2009}thin\u{3000}ideographic\u{85}next",
            "é ü 東京 \u{1F600}x \u{202f}y\u{205f}z",
            "Łódź\u{2028}line\u{2029}para\u{1680}ogham",
        ];
        for s in samples {
            let expected: Vec<&str> = s.split(char::is_whitespace).filter(|w| !w.is_empty()).collect();
            assert_eq!(words_of(s).collect::<Vec<_>>(), expected, "{s:?}");
        }
    }
}
