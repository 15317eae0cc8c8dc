//! Tolerant date parsing: the date strings real feeds carry → UTC.
//!
//! Owns every date form rill accepts: RFC 3339 / ISO 8601 (with or without a zone, separators,
//! seconds or time; year-month and year alone), RFC 822/2822 and asctime with full or short day
//! and month names, stray commas and dots, two-digit years, named zones (`GMT`, `EST`, `PDT`, …),
//! military letters and numeric offsets. A date without a zone is taken as UTC. Linear in the
//! input (which is capped at [`MAX_LEN`]); no regular expressions.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Longer strings are not dates.
pub const MAX_LEN: usize = 128;

/// Parses a date string, or `None` when it names no date.
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() || s.len() > MAX_LEN {
        return None;
    }
    iso(s).or_else(|| loose(s))
}

#[allow(clippy::too_many_arguments)] // the fields of one timestamp, in order
fn build(
    y: i32,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    sec: u32,
    nanos: u32,
    offset_min: i32,
) -> Option<DateTime<Utc>> {
    let date = NaiveDate::from_ymd_opt(y, mo, d)?;
    // 24:00:00 is the end of the day: midnight of the next one (ISO 8601, and feedparser).
    let (date, h, mi, sec) =
        if h == 24 && mi == 0 && sec == 0 { (date.succ_opt()?, 0, 0, 0) } else { (date, h, mi, sec.min(59)) };
    let time = NaiveTime::from_hms_nano_opt(h, mi, sec, nanos)?;
    let local = NaiveDateTime::new(date, time);
    let utc = local.checked_sub_signed(Duration::minutes(i64::from(offset_min)))?;
    Some(Utc.from_utc_datetime(&utc))
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    /// Reads exactly `n` digits (or between `min` and `n`).
    fn digits(&mut self, min: usize, n: usize) -> Option<u32> {
        let start = self.i;
        let mut v: u32 = 0;
        while self.i - start < n {
            match self.peek() {
                Some(c @ b'0'..=b'9') => {
                    v = v * 10 + u32::from(c - b'0');
                    self.i += 1;
                }
                _ => break,
            }
        }
        (self.i - start >= min).then_some(v)
    }
    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }
    fn rest(&self) -> &[u8] {
        &self.b[self.i..]
    }
}

/// ISO 8601 / RFC 3339 and their common degradations.
fn iso(s: &str) -> Option<DateTime<Utc>> {
    let mut c = Cursor { b: s.as_bytes(), i: 0 };
    let b = s.as_bytes();
    let digit_run =
        |from: usize| b.get(from..).map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
    // ISO 8601's two-digit-year date, `YY-MM-DD`, as feedparser reads it.
    if digit_run(0) == 2
        && b.len() >= 8
        && b[2] == b'-'
        && b[5] == b'-'
        && digit_run(3) == 2
        && digit_run(6) == 2
    {
        let y = c.digits(2, 2)?;
        c.eat(b'-');
        let mo = c.digits(2, 2)?;
        c.eat(b'-');
        let d = c.digits(2, 2)?;
        return (c.i == b.len()).then(|| build(two_digit_year(y), mo, d, 0, 0, 0, 0, 0)).flatten();
    }
    let y = c.digits(4, 4)? as i32;
    let (mut mo, mut d) = (1, 1);
    if b.get(4) == Some(&b'-') && digit_run(5) == 3 {
        // Ordinal date, `YYYY-DDD`.
        c.eat(b'-');
        let date = NaiveDate::from_yo_opt(y, c.digits(3, 3)?)?;
        (mo, d) = (date.month(), date.day());
    } else if c.eat(b'-') || c.eat(b'/') || c.eat(b'.') {
        mo = c.digits(1, 2)?;
        if c.eat(b'-') || c.eat(b'/') || c.eat(b'.') {
            d = c.digits(1, 2)?;
        }
    } else if let Some(md) = c.digits(4, 4) {
        mo = md / 100;
        d = md % 100;
    }
    let (mut h, mut mi, mut sec, mut nanos) = (0, 0, 0, 0);
    let had_sep = c.eat(b'T') || c.eat(b't') || c.eat(b' ');
    c.skip_spaces();
    if had_sep && c.peek().is_some_and(|b| b.is_ascii_digit()) {
        h = c.digits(1, 2)?;
        let colon = c.eat(b':');
        if let Some(m) = c.digits(2, 2) {
            mi = m;
            if (!colon || c.eat(b':')) && c.peek().is_some_and(|b| b.is_ascii_digit()) {
                sec = c.digits(2, 2)?;
                if c.eat(b'.') || c.eat(b',') {
                    let start = c.i;
                    let frac = c.digits(1, 9)?;
                    nanos = frac * 10u32.pow(9 - (c.i - start) as u32);
                    while c.peek().is_some_and(|b| b.is_ascii_digit()) {
                        c.i += 1;
                    }
                }
            }
        }
    }
    c.skip_spaces();
    let offset = zone(c.rest())?;
    build(y, mo, d, h, mi, sec, nanos, offset)
}

/// A whole remaining string read as a zone: empty (UTC), `Z`, `±hh[:]mm`, `±hh` or a name.
fn zone(rest: &[u8]) -> Option<i32> {
    let s = std::str::from_utf8(rest).ok()?.trim();
    if s.is_empty() {
        return Some(0);
    }
    let s = s.strip_prefix("GMT").or_else(|| s.strip_prefix("UTC")).filter(|r| !r.is_empty()).unwrap_or(s);
    if let Some(off) = numeric_offset(s) {
        return Some(off);
    }
    zone_name(&s.to_ascii_lowercase())
}

fn numeric_offset(s: &str) -> Option<i32> {
    let (sign, digits) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' | b'\xE2' => (-1, s.trim_start_matches(['-', '\u{2212}'])),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i32 = digits.parse().ok()?;
    let (h, m) = if digits.len() <= 2 { (n, 0) } else { (n / 100, n % 100) };
    if h > 14 || m > 59 {
        return None;
    }
    Some(sign * (h * 60 + m))
}

/// Named zones (North American, European, a few others) and RFC 822 military letters.
fn zone_name(z: &str) -> Option<i32> {
    let h = match z {
        "z" | "ut" | "utc" | "gmt" | "wet" => 0,
        "edt" => -4,
        "est" | "cdt" => -5,
        "cst" | "mdt" => -6,
        "mst" | "pdt" => -7,
        "pst" | "akdt" => -8,
        "akst" | "hdt" => -9,
        "hst" => -10,
        "adt" => -3,
        "ast" | "at" => -4,
        "et" => -5,
        "ct" => -6,
        "mt" => -7,
        "pt" => -8,
        "bst" | "cet" | "met" | "wat" | "west" => 1,
        "cest" | "mest" | "eet" | "sast" => 2,
        "eest" | "msk" => 3,
        "ist" => return Some(330),
        "jst" | "kst" => 9,
        "aest" => 10,
        "aedt" => 11,
        "nzst" => 12,
        "nzdt" => 13,
        _ if z.len() == 1 => {
            let c = z.as_bytes()[0];
            match c {
                b'a'..=b'i' => -i32::from(c - b'a' + 1),
                b'k'..=b'm' => -i32::from(c - b'k' + 10),
                b'n'..=b'y' => i32::from(c - b'n' + 1),
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(h * 60)
}

fn month(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    if word.len() < 3 {
        return None;
    }
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let idx = MONTHS.iter().position(|m| word.starts_with(m))?;
    // "sept", "june", "march": a prefix of the full name (or the short name itself).
    (full[idx].starts_with(word) || word == "sept").then_some(idx as u32 + 1)
}

/// Month names and abbreviations of German, French, Spanish, Italian, Portuguese and Dutch
/// (lower case), for feeds that localise their dates against the specs.
const FOREIGN_MONTHS: [&[&str]; 12] = [
    &["januar", "jänner", "janvier", "janv", "enero", "ene", "gennaio", "gen", "janeiro", "januari"],
    &[
        "februar",
        "feber",
        "février",
        "févr",
        "fév",
        "fevr",
        "febrero",
        "febbraio",
        "fevereiro",
        "fev",
        "februari",
    ],
    &["märz", "mär", "mrz", "mars", "marzo", "março", "maart", "mrt"],
    &["avril", "avr", "abril", "abr", "aprile"],
    &["mai", "mayo", "maggio", "mag", "maio", "mei"],
    &["juni", "juin", "junio", "giugno", "giu", "junho"],
    &["juli", "juillet", "juil", "julio", "luglio", "lug", "julho"],
    &["august", "août", "aout", "agosto", "ago", "augustus"],
    &["septembre", "septiembre", "settembre", "set", "setembro"],
    &["oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro", "out"],
    &["novembre", "noviembre", "novembro"],
    &[
        "dezember",
        "dez",
        "décembre",
        "déc",
        "decembre",
        "diciembre",
        "dic",
        "dicembre",
        "dezembro",
        "december",
    ],
];

fn foreign_month(word: &str) -> Option<u32> {
    FOREIGN_MONTHS.iter().position(|names| names.contains(&word)).map(|i| i as u32 + 1)
}

/// Day names and abbreviations of the same languages.
fn is_foreign_day_name(word: &str) -> bool {
    const DAYS: &[&str] = &[
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "mo",
        "di",
        "mi",
        "do",
        "fr",
        "sa",
        "so",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "lun",
        "mar",
        "mer",
        "jeu",
        "ven",
        "sam",
        "dim",
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
        "mié",
        "jue",
        "vie",
        "sáb",
        "dom",
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
        "domenica",
        "gio",
        "sab",
        "segunda",
        "terça",
        "quarta",
        "quinta",
        "sexta",
        "feira",
        "seg",
        "ter",
        "qua",
        "qui",
        "sex",
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
        "ma",
        "wo",
        "vr",
        "za",
        "zo",
    ];
    DAYS.contains(&word)
}

/// Words between the parts of a localised date ("26 de noviembre de 2024", "à 10:00", "um 10 Uhr").
const FILLER_WORDS: &[&str] = &["de", "del", "le", "la", "el", "à", "um", "om", "uhr", "den", "der"];

/// An English month or day name, whole or abbreviated, any case ("March", "Sept.", "Tue").
pub(crate) fn is_calendar_word(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_lowercase();
    month(&w).is_some() || (w.len() >= 3 && is_day_name(&w))
}

fn is_day_name(word: &str) -> bool {
    const DAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    word.len() >= 2 && DAYS.iter().any(|d| d.starts_with(word))
}

enum Tok {
    Num(u32, usize),
    Word(String),
    Time(u32, u32, u32),
    Offset(i32),
}

/// RFC 822/2822, asctime and the free forms around them, read as tokens.
fn loose(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let n: u32 = s[start..i].parse().ok()?;
            if b.get(i) == Some(&b':') {
                let h = n;
                i += 1;
                let ms = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                let m: u32 = s[ms..i].parse().ok()?;
                let mut sec = 0;
                if b.get(i) == Some(&b':') {
                    i += 1;
                    let ss = i;
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                    sec = s[ss..i].parse().unwrap_or(0);
                    if b.get(i) == Some(&b'.') {
                        i += 1;
                        while i < b.len() && b[i].is_ascii_digit() {
                            i += 1;
                        }
                    }
                }
                toks.push(Tok::Time(h, m, sec));
            } else {
                toks.push(Tok::Num(n, i - start));
            }
        } else if c.is_ascii_alphabetic() || c >= 0x80 {
            // A word, also of non-ASCII letters ("févr", "März"); other non-ASCII is a separator.
            let start = i;
            let word_len = s[i..].find(|ch: char| !ch.is_alphabetic()).unwrap_or(s.len() - i);
            if word_len == 0 {
                i += s[i..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            i += word_len;
            toks.push(Tok::Word(s[start..i].to_lowercase()));
        } else if (c == b'+' || c == b'-') && toks.iter().any(|t| matches!(t, Tok::Time(..))) {
            let start = i;
            i += 1;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b':') {
                i += 1;
            }
            match numeric_offset(&s[start..i]) {
                Some(off) => toks.push(Tok::Offset(off)),
                None => return None,
            }
        } else {
            i += 1; // commas, dots, slashes, spaces and other separators
        }
    }
    let (mut mo, mut time, mut offset, mut pm) = (None, None, None, None);
    let mut mo_was_day_like = false;
    let mut nums = Vec::new();
    let mut month_pos = None;
    for t in toks {
        match t {
            Tok::Num(n, len) => nums.push((n, len, month_pos.is_some())),
            Tok::Time(h, m, s) => time = Some((h, m, s)),
            Tok::Offset(o) => offset = Some(o),
            Tok::Word(w) => {
                let as_month = month(&w).or_else(|| foreign_month(&w));
                // "mar." is Tuesday in French, Spanish and Italian, March in English: a later
                // month name wins over one that can be a day name.
                let replaces = mo_was_day_like && as_month.is_some();
                if let Some(m) = as_month.filter(|_| mo.is_none() || replaces) {
                    mo = Some(m);
                    month_pos = Some(nums.len());
                    mo_was_day_like = is_foreign_day_name(&w);
                } else if w == "am" || w == "pm" {
                    pm = Some(w == "pm");
                } else if is_day_name(&w)
                    || is_foreign_day_name(&w)
                    || FILLER_WORDS.contains(&w.as_str())
                    || w == "t"
                    || w == "at"
                    || w == "on"
                    || w == "of"
                    || w == "th"
                    || w == "st"
                    || w == "nd"
                    || w == "rd"
                {
                } else if let Some(z) = zone_name(&w) {
                    // The first zone wins ("+0100 CET"); "GMT+2" reads as +2 after GMT.
                    if offset.is_none() || w == "gmt" || w == "utc" {
                        offset = Some(offset.unwrap_or(0) + if w == "gmt" || w == "utc" { 0 } else { z });
                    }
                } else if time.is_none() {
                    return None;
                }
                // Words after the time are comments ("(Pacific Standard Time)").
            }
        }
    }
    // No month name: a numeric year/month/day ("Fri, 2006/09/15 08:19:53 EDT").
    let Some(mo) = mo else {
        return match nums.as_slice() {
            [(y, 4, _), (m, _, _), (d, _, _)] => {
                let (h, mi, sec) = time.unwrap_or((0, 0, 0));
                build(*y as i32, *m, *d, h, mi, sec, 0, offset.unwrap_or(0))
            }
            _ => None,
        };
    };
    let year_idx = nums.iter().position(|&(n, len, _)| len >= 3 || n > 31);
    let (year, day) = match year_idx {
        Some(yi) => {
            let day = nums.iter().enumerate().find(|&(i, _)| i != yi).map(|(_, &(n, _, _))| n).unwrap_or(1);
            (nums[yi].0 as i32, day)
        }
        None => match nums.as_slice() {
            [(d, _, _), (y, _, _), ..] => (two_digit_year(*y), *d),
            _ => return None,
        },
    };
    let year = if year < 100 { two_digit_year(year as u32) } else { year };
    let (mut h, m, sec) = time.unwrap_or((0, 0, 0));
    match pm {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    build(year, mo, day, h, m, sec, 0, offset.unwrap_or(0))
}

/// RFC 2822: two-digit years below 50 are in the 2000s, others in the 1900s.
fn two_digit_year(y: u32) -> i32 {
    let y = y as i32;
    match y {
        0..=49 => 2000 + y,
        50..=99 => 1900 + y,
        _ => y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hour_24_is_next_midnight() {
        let d = parse_date("Tue, 30 Dec 2003 24:00:00 GMT").map(|d| d.to_rfc3339());
        assert_eq!(d.as_deref(), Some("2003-12-31T00:00:00+00:00"));
    }

    fn p(s: &str) -> String {
        parse_date(s)
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn rfc3339() {
        assert_eq!(p("2004-01-01T19:48:21Z"), "2004-01-01T19:48:21Z");
        assert_eq!(p("2004-01-01T19:48:21.123+01:00"), "2004-01-01T18:48:21Z");
        assert_eq!(p("2004-01-01t19:48:21-0500"), "2004-01-02T00:48:21Z");
    }

    #[test]
    fn iso_without_zone_is_utc() {
        assert_eq!(p("2004-01-01 19:48:21"), "2004-01-01T19:48:21Z");
        assert_eq!(p("2004-01-01T19:48"), "2004-01-01T19:48:00Z");
    }

    #[test]
    fn partial_dates() {
        assert_eq!(p("2004-01-05"), "2004-01-05T00:00:00Z");
        assert_eq!(p("2004-03"), "2004-03-01T00:00:00Z");
        assert_eq!(p("2004"), "2004-01-01T00:00:00Z");
        assert_eq!(p("20040105"), "2004-01-05T00:00:00Z");
        assert_eq!(p("20040105T103000Z"), "2004-01-05T10:30:00Z");
    }

    #[test]
    fn rfc822() {
        assert_eq!(p("Thu, 01 Jan 2004 19:48:21 GMT"), "2004-01-01T19:48:21Z");
        assert_eq!(p("Thu, 01 Jan 2004 19:48:21 +0200"), "2004-01-01T17:48:21Z");
        assert_eq!(p("Thu, 01 Jan 2004 19:48 EST"), "2004-01-02T00:48:00Z");
        assert_eq!(p("Sat, 5 Jun 2004 19:48:21 PDT"), "2004-06-06T02:48:21Z");
    }

    #[test]
    fn full_names_and_stray_commas() {
        assert_eq!(p("Thursday, 01 January 2004 19:48:21 GMT"), "2004-01-01T19:48:21Z");
        assert_eq!(p("Thu,, 01 Jan, 2004, 19:48:21 GMT"), "2004-01-01T19:48:21Z");
        assert_eq!(p("January 5, 2004"), "2004-01-05T00:00:00Z");
        assert_eq!(p("Sept 5 2004 10:00 pm"), "2004-09-05T22:00:00Z");
    }

    #[test]
    fn localised_month_and_day_names() {
        assert_eq!(p("Di, 26 Nov 2024 10:00:00 +0100"), "2024-11-26T09:00:00Z");
        assert_eq!(p("mar., 26 nov. 2024 10:00:00 +0100"), "2024-11-26T09:00:00Z");
        assert_eq!(p("26 mars 2024 10:00"), "2024-03-26T10:00:00Z");
        assert_eq!(p("Mittwoch, 4. Dezember 2024 08:15:00 +0100"), "2024-12-04T07:15:00Z");
        assert_eq!(p("26 de noviembre de 2024 10:00"), "2024-11-26T10:00:00Z");
        assert_eq!(p("sáb, 2 févr. 2019 10:00:00 GMT"), "2019-02-02T10:00:00Z");
        assert_eq!(p("ven 12 août 2022 18:30:00 +0200"), "2022-08-12T16:30:00Z");
        assert_eq!(p("qua, 15 out 2025 09:00:00 -0300"), "2025-10-15T12:00:00Z");
        assert_eq!(p("Mon, 26 Mar 2024 10:00:00 GMT"), "2024-03-26T10:00:00Z");
        assert_eq!(p("4 mrt 2024"), "2024-03-04T00:00:00Z");
    }

    #[test]
    fn two_digit_years() {
        assert_eq!(p("Thu, 01 Jan 04 19:48:21 GMT"), "2004-01-01T19:48:21Z");
        assert_eq!(p("Fri, 01 Jan 99 19:48:21 GMT"), "1999-01-01T19:48:21Z");
    }

    #[test]
    fn asctime() {
        assert_eq!(p("Sun Jan  4 16:29:06 2004"), "2004-01-04T16:29:06Z");
        assert_eq!(p("Sun Jan 4 16:29:06 PST 2004"), "2004-01-05T00:29:06Z");
    }

    #[test]
    fn military_and_named_zones() {
        assert_eq!(p("Thu, 01 Jan 2004 19:48:21 Z"), "2004-01-01T19:48:21Z");
        assert_eq!(p("Thu, 01 Jan 2004 19:48:21 A"), "2004-01-01T20:48:21Z");
        assert_eq!(p("Thu, 01 Jan 2004 19:48:21 N"), "2004-01-01T18:48:21Z");
        assert_eq!(p("Thu, 01 Jan 2004 19:48:21 GMT+2"), "2004-01-01T17:48:21Z");
    }

    #[test]
    fn date_only_rfc822() {
        assert_eq!(p("01 Jan 2004"), "2004-01-01T00:00:00Z");
    }

    #[test]
    fn zone_comments_and_numeric_dates() {
        assert_eq!(p("Sun, 01 Jan 2006 09:00:00 +0100 CET"), "2006-01-01T08:00:00Z");
        assert_eq!(p("Sun, 01 Jan 2006 09:00:00 -0800 (Pacific Standard Time)"), "2006-01-01T17:00:00Z");
        assert_eq!(p("Fri, 2006/09/15 08:19:53 EDT"), "2006-09-15T12:19:53Z");
        assert_eq!(p("2004-07-08 23:56:58.0"), "2004-07-08T23:56:58Z");
    }

    #[test]
    fn ordinal_and_two_digit_year_iso_dates() {
        assert_eq!(p("2003-335"), "2003-12-01T00:00:00Z");
        assert_eq!(p("2003-335T10:00:00Z"), "2003-12-01T10:00:00Z");
        assert_eq!(p("03-12-31"), "2003-12-31T00:00:00Z");
        assert_eq!(p("2003-366"), "none");
    }

    #[test]
    fn nonsense_is_none() {
        assert_eq!(p("yesterday"), "none");
        assert_eq!(p(""), "none");
        assert_eq!(p("2004-13-45"), "none");
        assert_eq!(p(&"9".repeat(1000)), "none");
    }
}
