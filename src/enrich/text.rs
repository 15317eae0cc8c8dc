//! Tokens, quotation marks and sentences of one article's text, in one pass each.
//!
//! Owns: splitting text into word, punctuation, quotation-mark and paragraph-break tokens with
//! character (Unicode scalar) and byte offsets; deciding which quotation marks open and close a
//! quotation; and sentence boundaries, including a naive scraper's "the war.He said". Knows nothing
//! about entities or speakers.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters and digits, with inner hyphens, apostrophes and initials' dots ("Al-Thani", "U.S.").
    Word,
    /// A possessive "'s" / "’s" split off its word.
    Possessive,
    /// A double quotation mark of any style.
    QuoteMark,
    /// A line break: the end of a paragraph.
    Break,
    /// Any other single character.
    Punct,
}

/// One token.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub kind: Kind,
    /// Byte range in the text.
    pub b0: usize,
    pub b1: usize,
    /// Character range in the text.
    pub c0: usize,
    pub c1: usize,
    /// First character.
    pub first: char,
    /// Whitespace (or the start of the text) directly before.
    pub space_before: bool,
    /// Sentence number.
    pub sent: u32,
    /// Paragraph number.
    pub para: u32,
    /// Inside a quotation (between its marks, or after an unclosed opener).
    pub in_quote: bool,
}

impl Token {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.b0..self.b1).unwrap_or("")
    }
    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }
    pub fn is_cap(&self) -> bool {
        self.kind == Kind::Word && self.first.is_uppercase()
    }
    pub fn is_lower(&self) -> bool {
        self.kind == Kind::Word && self.first.is_lowercase()
    }
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct && self.first == c
    }
}

fn is_double_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' | '\u{2033}'
    )
}

/// Whether the text quotes with single marks (‘…’ or '…', British style, with “…” for quotations
/// inside quotations) rather than double ones: more words open with a single mark than with a
/// double one (and, for the straight mark, which also writes "'90s", at least two).
fn quotes_with_single_marks(text: &str) -> bool {
    // Most texts have no ‘ and no ' opening a word: a byte search settles them without decoding.
    let typographic = text.contains('\u{2018}');
    let straight = text.contains(" '") || text.contains("\n'") || text.starts_with('\'');
    if !typographic && !straight {
        return false;
    }
    let (mut single, mut double) = (0usize, 0usize);
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let at_start = prev.is_none_or(|p| p.is_whitespace() || "([—–-".contains(p));
        let before_word = chars.peek().is_some_and(|n| n.is_alphanumeric() || *n == '…');
        if at_start && before_word {
            match c {
                '\u{2018}' | '\'' => single += 1,
                c if is_double_quote(c) => double += 1,
                _ => {}
            }
        }
        prev = Some(c);
    }
    single > double && (single >= 2 || typographic)
}

/// In a text quoted with single marks: is this ‘ or ’ (outside a word) a quotation mark? An ’
/// after a plural "s" and before a lower-case word is a possessive ("the workers’ union").
fn is_single_quote_mark(chars: &[(usize, char)], i: usize) -> bool {
    let c = chars[i].1;
    let prev = i.checked_sub(1).map(|p| chars[p].1);
    match c {
        '\u{2018}' => !prev.is_some_and(char::is_alphanumeric),
        // The straight mark opens after a space and closes like ’.
        '\'' if prev.is_none_or(|p| p.is_whitespace() || "([—–-".contains(p)) => {
            chars.get(i + 1).is_some_and(|&(_, c)| c.is_alphanumeric() || c == '…')
        }
        '\u{2019}' | '\'' => {
            let next_word = chars[i + 1..].iter().map(|&(_, c)| c).find(|c| !c.is_whitespace() || *c == '\n');
            let spaced = chars.get(i + 1).is_some_and(|&(_, c)| c == ' ');
            let possessive =
                matches!(prev, Some('s' | 'S')) && spaced && next_word.is_some_and(char::is_lowercase);
            !possessive
        }
        _ => false,
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`')
}

/// Splits `text` into tokens. Sentence, paragraph and quote fields are filled by [`annotate`].
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let single_marks = quotes_with_single_marks(text);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let ch = |i: usize| chars.get(i).map(|&(_, c)| c);
    let mut toks = Vec::with_capacity(n / 4 + 4);
    let mut i = 0;
    let mut space = true;
    while i < n {
        let c = chars[i].1;
        let start = i;
        let kind;
        if c == '\n' || c == '\u{2029}' {
            kind = Kind::Break;
            i += 1;
        } else if c.is_whitespace() {
            space = true;
            i += 1;
            continue;
        } else if c.is_alphanumeric() {
            kind = Kind::Word;
            let mut seg_start = i;
            i += 1;
            while i < n {
                let c = chars[i].1;
                if c.is_alphanumeric() || c == '\u{00AD}' {
                    i += 1;
                    continue;
                }
                let next = ch(i + 1);
                let next_alnum = next.is_some_and(char::is_alphanumeric);
                if c == '-' && next_alnum {
                    i += 1;
                    seg_start = i;
                    continue;
                }
                if is_apostrophe(c) && next.is_some_and(char::is_alphabetic) {
                    // Possessive 's ends the word; contractions ("it's", "won't") stay whole.
                    let after = ch(i + 2);
                    let poss = matches!(next, Some('s' | 'S'))
                        && !after.is_some_and(char::is_alphanumeric)
                        && !is_contraction_base(&text[byte_at(start)..byte_at(i)]);
                    if poss {
                        break;
                    }
                    i += 1;
                    continue;
                }
                if c == '.' {
                    let seg_len = i - seg_start;
                    let seg_first = chars[seg_start].1;
                    let digits = seg_first.is_ascii_digit() && next.is_some_and(|c| c.is_ascii_digit());
                    // Initials: "U.S.", "U.N.", "J.D." — single letters separated by dots.
                    let initial = seg_len == 1 && seg_first.is_uppercase();
                    if digits {
                        i += 1;
                        seg_start = i;
                        continue;
                    }
                    if initial && next.is_some_and(char::is_uppercase) && ch(i + 2) == Some('.') {
                        i += 1;
                        seg_start = i;
                        continue;
                    }
                    if initial && seg_start > start {
                        // Final dot of a run of initials.
                        i += 1;
                    }
                    break;
                }
                break;
            }
        } else if is_apostrophe(c)
            && matches!(ch(i + 1), Some('s' | 'S'))
            && !ch(i + 2).is_some_and(char::is_alphanumeric)
            && toks.last().is_some_and(|t: &Token| t.kind == Kind::Word && t.c1 == i)
        {
            kind = Kind::Possessive;
            i += 2;
        } else if is_apostrophe(c)
            && c != '\u{2018}'
            && ch(i + 1) == Some(' ')
            && ch(i + 2).is_some_and(char::is_alphabetic)
            && toks.last().is_some_and(|t: &Token| {
                t.kind == Kind::Word && t.c1 == i && matches!(ch(i - 1), Some('s' | 'S'))
            })
            && !(single_marks && is_single_quote_mark(&chars, i))
        {
            // Plural possessive: "the Traders' Association", "the tenants’ group".
            kind = Kind::Possessive;
            i += 1;
        } else if (!single_marks && is_double_quote(c)) || (single_marks && is_single_quote_mark(&chars, i)) {
            kind = Kind::QuoteMark;
            i += 1;
        } else {
            kind = Kind::Punct;
            i += 1;
        }
        toks.push(Token {
            kind,
            b0: byte_at(start),
            b1: byte_at(i),
            c0: start,
            c1: i,
            first: c,
            space_before: space,
            sent: 0,
            para: 0,
            in_quote: false,
        });
        space = kind == Kind::Break;
    }
    toks
}

fn is_contraction_base(word: &str) -> bool {
    // "it's", "that's", "he's", "what's": the 's is "is", not a possessive.
    matches!(
        word.to_ascii_lowercase().as_str(),
        "it" | "that" | "he" | "she" | "what" | "there" | "here" | "who" | "where" | "let" | "how"
    )
}

/// A quotation found by pairing marks: token indices of its marks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QuoteSpan {
    /// Index of the opening mark.
    pub open: usize,
    /// Index of the closing mark, or the paragraph break / end when the quote is never closed.
    pub close: usize,
    /// Whether a closing mark was found.
    pub closed: bool,
}

/// Abbreviations after which a period does not end a sentence.
pub(crate) fn is_abbreviation(w: &str) -> bool {
    matches!(
        w,
        "Mr" | "Mrs"
            | "Ms"
            | "Dr"
            | "St"
            | "Gen"
            | "Sen"
            | "Rep"
            | "Gov"
            | "Lt"
            | "Col"
            | "Capt"
            | "Sgt"
            | "Prof"
            | "Rev"
            | "Jr"
            | "Sr"
            | "No"
            | "Jan"
            | "Feb"
            | "Mar"
            | "Apr"
            | "Jun"
            | "Jul"
            | "Aug"
            | "Sep"
            | "Sept"
            | "Oct"
            | "Nov"
            | "Dec"
            | "vs"
            | "Mt"
            | "Ft"
            | "Adm"
            | "Maj"
            | "Cmdr"
            | "Gov't"
            | "approx"
            | "etc"
            | "Inc"
            | "Corp"
            | "Ltd"
            | "Co"
            | "Sens"
            | "Reps"
    )
}

/// Fills paragraph numbers, pairs quotation marks, marks tokens inside quotations and numbers the
/// sentences. Returns the quotations in text order.
pub(crate) fn annotate(text: &str, toks: &mut [Token]) -> Vec<QuoteSpan> {
    let mut para = 0u32;
    for t in toks.iter_mut() {
        t.para = para;
        if t.kind == Kind::Break {
            para += 1;
        }
    }
    let quotes = pair_quotes(text, toks);
    for q in &quotes {
        for t in toks.iter_mut().take(q.close).skip(q.open + 1) {
            t.in_quote = true;
        }
    }
    split_sentences(text, toks, &quotes);
    quotes
}

fn pair_quotes(text: &str, toks: &[Token]) -> Vec<QuoteSpan> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, t) in toks.iter().enumerate() {
        if t.kind == Kind::Break {
            if let Some(o) = open.take() {
                out.push(QuoteSpan { open: o, close: i, closed: false });
            }
            continue;
        }
        if t.kind != Kind::QuoteMark {
            continue;
        }
        let next = toks.get(i + 1);
        let space_after = next.is_none_or(|n| n.space_before || n.kind == Kind::Break);
        let glued_right = next.is_some_and(|n| !n.space_before && matches!(n.kind, Kind::Word));
        let opener_glyph = matches!(t.first, '\u{201C}' | '\u{201E}' | '\u{00AB}' | '"' | '\u{2018}' | '\'');
        let closer_glyph = matches!(t.first, '\u{201D}' | '\u{2019}');
        match open {
            None => {
                // A closing glyph glued to the previous word with nothing open is the end of a
                // quotation whose opener we lost; ignore it.
                if !opener_glyph && !t.space_before && space_after {
                    continue;
                }
                if next.is_none_or(|n| n.kind == Kind::Break) {
                    continue;
                }
                open = Some(i);
            }
            Some(o) => {
                if t.space_before && !space_after && i > o + 1 && !closer_glyph {
                    // A new opener while one is open: the first was never closed.
                    out.push(QuoteSpan { open: o, close: i, closed: false });
                    open = Some(i);
                    continue;
                }
                out.push(QuoteSpan { open: o, close: i, closed: true });
                open = None;
                // ".“We" — one mark closing one quotation and opening the next.
                let prev_end = i
                    .checked_sub(1)
                    .and_then(|p| toks.get(p))
                    .is_some_and(|p| p.kind == Kind::Punct && matches!(p.first, '.' | '!' | '?'));
                let closer_ahead = toks[i + 1..]
                    .iter()
                    .take_while(|n| n.kind != Kind::Break)
                    .any(|n| n.kind == Kind::QuoteMark);
                if !t.space_before
                    && glued_right
                    && prev_end
                    && !closer_glyph
                    && (closer_ahead || matches!(t.first, '\u{201C}' | '\u{2018}'))
                {
                    open = Some(i);
                }
            }
        }
    }
    if let Some(o) = open {
        out.push(QuoteSpan { open: o, close: toks.len(), closed: false });
    }
    let _ = text;
    out
}

fn split_sentences(text: &str, toks: &mut [Token], quotes: &[QuoteSpan]) {
    // Which quote marks close a quotation.
    let mut closing = vec![false; toks.len()];
    for q in quotes {
        if q.closed {
            if let Some(c) = closing.get_mut(q.close) {
                *c = true;
            }
        }
    }
    let mut sent = 0u32;
    let mut i = 0;
    while i < toks.len() {
        toks[i].sent = sent;
        let t = toks[i];
        if t.kind == Kind::Break {
            sent += 1;
            i += 1;
            continue;
        }
        let terminal = t.kind == Kind::Punct && matches!(t.first, '.' | '!' | '?' | '…');
        if terminal {
            let prev = i.checked_sub(1).map(|p| toks[p]);
            let abbrev = t.first == '.'
                && prev.is_some_and(|p| {
                    p.kind == Kind::Word
                        && p.c1 == t.c0
                        && (is_abbreviation(p.text(text)) || (p.c1 - p.c0 == 1 && p.first.is_uppercase()))
                });
            // Closing marks and brackets that belong to this sentence.
            let mut j = i + 1;
            while j < toks.len()
                && ((toks[j].kind == Kind::QuoteMark && closing[j])
                    || toks[j].is_punct(')')
                    || (toks[j].kind == Kind::Punct && matches!(toks[j].first, '.' | '!' | '?')))
            {
                toks[j].sent = sent;
                j += 1;
            }
            let next = toks.get(j);
            let starts_new = next.is_none_or(|n| {
                n.kind == Kind::Break
                    || n.kind == Kind::QuoteMark
                    || (n.kind == Kind::Word && (n.first.is_uppercase() || n.first.is_numeric()))
                    || (n.kind == Kind::Punct && matches!(n.first, '(' | '[' | '-' | '\u{2014}'))
            });
            if !abbrev && starts_new {
                sent += 1;
            }
            i = j;
            continue;
        }
        i += 1;
    }
}

/// `w` with its first character in upper case ("van der Heijden" → "Van der Heijden").
pub(crate) fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn splits_run_together_sentences_and_keeps_initials() {
        assert_eq!(words("the war.He said"), ["the", "war", ".", "He", "said"]);
        assert_eq!(words("the U.S. and Al-Thani"), ["the", "U.S.", "and", "Al-Thani"]);
        assert_eq!(words("Hamas’s invasion, it’s"), ["Hamas", "’s", "invasion", ",", "it’s"]);
        assert_eq!(words("3.5 percent"), ["3.5", "percent"]);
    }

    #[test]
    fn char_offsets_count_scalars() {
        let text = "“Né” Zoë";
        let toks = tokenize(text);
        let z = toks.iter().find(|t| t.text(text) == "Zoë").map(|t| (t.c0, t.c1));
        assert_eq!(z, Some((5, 8)));
    }

    #[test]
    fn pairs_marks_including_glued_close_open() {
        let text = "“A b c.“We d,” he said. “E f.”“G h,” she said.";
        let mut toks = tokenize(text);
        let qs = annotate(text, &mut toks);
        assert_eq!(qs.len(), 4);
        assert!(qs.iter().all(|q| q.closed));
    }

    #[test]
    fn unclosed_quote_runs_to_paragraph_end() {
        let text = "He said “one two three. Four.\nNext para.";
        let mut toks = tokenize(text);
        let qs = annotate(text, &mut toks);
        assert_eq!(qs.len(), 1);
        assert!(!qs[0].closed);
        assert_eq!(toks[qs[0].close].kind, Kind::Break);
    }

    #[test]
    fn sentences_split_after_period_and_capital() {
        let text = "Mr. Smith went to Washington.He said so. Then “Quote.” Blinken said.";
        let mut toks = tokenize(text);
        annotate(text, &mut toks);
        let sent_of = |w: &str| toks.iter().find(|t| t.text(text) == w).map(|t| t.sent);
        assert_eq!(sent_of("Smith"), Some(0));
        assert_eq!(sent_of("He"), Some(1));
        assert_eq!(sent_of("Then"), Some(2));
        assert_eq!(sent_of("Blinken"), Some(3));
    }
}
