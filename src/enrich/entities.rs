//! Named entities of one article: mention candidates, their type, roles and coreference.
//!
//! Owns: turning runs of capitalised tokens into PERSON / ORGANIZATION / LOCATION mentions with the
//! lexicon and local cues (titles before a name, organisation words, "in X"), taking roles from
//! title prefixes and appositions ("Nate Evans, spokesperson for …,"), and resolving short forms
//! ("Blinken", "CIA", "the Secretary of State") to the fullest form in the text. Knows nothing about
//! quotations: [`Analysis`] records where each mention is so that attribution can use it.

use std::collections::{HashMap, HashSet};

use super::lexicon::{Lexicon, LEXICON};
use super::text::{capitalise, Kind, Token};
use crate::feed::date::is_calendar_word;
use crate::model::EntityKind;

/// An entity of the article being built.
#[derive(Debug, Clone)]
pub(crate) struct Ent {
    pub name: String,
    pub kind: EntityKind,
    pub role: Option<String>,
    pub aliases: Vec<String>,
    pub mentions: u32,
    pub first: usize,
}

/// One resolved mention: tokens `t0..t1` refer to entity `ent`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mention {
    pub t0: usize,
    pub t1: usize,
    pub ent: usize,
    /// Followed by a verb: the subject of its clause.
    pub subject: bool,
}

/// Entities and where they are mentioned.
#[derive(Debug, Default)]
pub(crate) struct Analysis {
    pub ents: Vec<Ent>,
    /// In token order.
    pub mentions: Vec<Mention>,
    /// Token index → index into `mentions` of the mention starting or covering it.
    pub mention_at: Vec<Option<u32>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hint {
    Person,
    Org,
    Loc,
    /// A role without a name ("the Secretary of State").
    RoleOnly,
    Unknown,
}

/// A classified candidate before coreference.
#[derive(Debug, Clone)]
struct Raw {
    t0: usize,
    t1: usize,
    hint: Hint,
    name: String,
    key: String,
    role: Option<String>,
    /// Sentence-initial single word with no other cue.
    weak: bool,
    /// A person only because the name looks like one (no given name, title or other cue): another
    /// mention's surer cue (a place, an organisation) decides its type.
    guessed: bool,
    /// First token of the title before the name ("Prime Minister X"), else `t0`.
    lead: usize,
}

const CONNECTORS: &[&str] = &[
    "of", "de", "du", "da", "del", "della", "van", "von", "der", "den", "al", "el", "bin", "ibn", "bint",
    "le", "la", "y", "and", "the", "for", "on", "&", "binti", "ter", "ten", "zu", "dos", "das", "du", "los",
    "las", "ap",
];
const NAME_PARTICLES: &[&str] = &[
    "bin", "Bin", "al", "Al", "el", "El", "ibn", "Ibn", "abu", "Abu", "de", "De", "van", "Van", "von", "da",
    "Da", "del", "Del", "di", "Di", "le", "Le", "la", "La", "dos", "Dos", "der", "den", "ter", "ten", "bint",
    "binti", "du", "das", "zu", "della", "dei", "los", "las", "ap",
];
const PRONOUN_CAPS: &[&str] =
    &["I", "Me", "We", "You", "He", "She", "It", "They", "My", "Our", "His", "Her", "Their", "Us"];
/// Prepositions that follow a participle in a clause (", commentating for the broadcast,").
const CLAUSE_PREPS: &[&str] = &["for", "on", "in", "at", "to", "from", "with", "about", "outside", "near"];
/// Prepositions after which an unknown name is a place.
const LOC_PREPS: &[&str] = &["in", "near", "outside", "inside", "across", "throughout", "around", "into"];
const LOC_SUFFIX: &[&str] = &[
    "City",
    "Province",
    "Region",
    "County",
    "District",
    "Governorate",
    "Street",
    "Square",
    "River",
    "Valley",
    "Mountains",
    "Island",
    "Islands",
    "Bay",
    "Sea",
    "Ocean",
    "Strait",
    "Peninsula",
    "Desert",
    "Hills",
    "Heights",
    "Camp",
    "Airport",
    "Crossing",
    "Park",
    "Bridge",
    "Lake",
    "Coast",
    "Corridor",
    "Border",
    "Canal",
    "Gulf",
    "Mount",
    "Oblast",
    "Prefecture",
    "Territory",
    "Territories",
    "Republic",
    "Stadium",
    "Arena",
    "Bazaar",
    "Market",
    "Glacier",
    "Sheet",
    "Shelf",
    "Dam",
    "Reservoir",
    "Estuary",
    "Harbour",
    "Harbor",
    "Beach",
    "Forest",
    "Falls",
    "Road",
    "Drive",
    "Crater",
    "Basin",
    "Plateau",
    "Canyon",
    "Volcano",
    "Vallis",
    "Gardens",
    "Crescent",
    "Terrace",
    "Avenue",
    "Boulevard",
    "Highway",
    "Motorway",
    "Lane",
    "Delta",
    "Auditorium",
    "Plaza",
    "Pier",
    "Wharf",
    "Station",
    "Creek",
];
/// Place words that head "X of Y" names ("Cape of Good Hope", "Palace of Westminster", "Gulf of Aden").
const LOC_OF_HEADS: &[&str] =
    &["Cape", "Palace", "Isle", "Gulf", "Bay", "Strait", "Straits", "Sea", "Lake", "Mount", "Port"];
/// Lowercase place nouns around a name: "the town of Semporna", "Tawi-Tawi province".
const PLACE_NOUNS: &[&str] = &[
    "riding",
    "constituency",
    "ward",
    "electorate",
    "parish",
    "borough",
    "town",
    "city",
    "village",
    "province",
    "state",
    "region",
    "district",
    "county",
    "island",
    "port",
    "capital",
    "municipality",
    "suburb",
    "prefecture",
    "governorate",
    "towns",
    "villages",
    "cities",
    "provinces",
    "districts",
    "counties",
    "islands",
    "suburbs",
    "municipalities",
];
/// Lowercase nouns of part of an area: "parts of Windsor", "the outskirts of Kherson", "west of Lyon".
const AREA_NOUNS: &[&str] = &[
    "parts",
    "outskirts",
    "suburbs",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "centre",
    "center",
];

/// Words that open a place's name in other languages: "Plaza Baquedano", "Avenida Libertador".
const LOC_HEADS: &[&str] = &[
    "Plaza", "Avenida", "Calle", "Piazza", "Praça", "Rua", "Rue", "Puente", "Paseo", "Lake", "Mount",
    "River", "Rio",
];

/// Words that open a sports club's name: "Real Betis", "Olympique Vernon", "Sporting Braga".
const CLUB_PREFIXES: &[&str] = &[
    "Real",
    "Atlético",
    "Atletico",
    "Sporting",
    "Olympique",
    "Dynamo",
    "Dinamo",
    "Lokomotiv",
    "Spartak",
    "Borussia",
    "Racing",
    "Deportivo",
    "Académica",
    "Academica",
];

/// Number words that start sentences ("One resident said") and are no names by themselves.
const NUMBER_WORDS: &[&str] =
    &["One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"];

/// Words that name a road by its number ("Highway 20").
const ROAD_WORDS: &[&str] = &["Route", "Highway", "Interstate", "Motorway", "Freeway", "Road", "Autobahn"];

/// Fields of public bodies named "<field> <country>" ("Health New Zealand", "Sport England").
const SECTOR_WORDS: &[&str] = &[
    "Health",
    "Public",
    "Sport",
    "Transport",
    "Active",
    "Travel",
    "Historic",
    "Natural",
    "Education",
    "Heritage",
    "Arts",
    "Water",
    "Statistics",
    "Revenue",
    "Customs",
    "Border",
    "Fire",
    "Ambulance",
    "Tourism",
    // "Tennis Australia", "Cricket Ireland", "Athletics Kenya": national sports bodies.
    "Tennis",
    "Cricket",
    "Rugby",
    "Football",
    "Athletics",
    "Swimming",
    "Cycling",
    "Golf",
    "Netball",
    "Hockey",
    "Rowing",
    "Sailing",
    "Wildfire",
    "Parks",
];

/// Stop words (kept out of names for headlines: "Day 3", "Live updates") that also occur inside
/// names ("Rhiannon Day", "Victims First Legal Foundation"): one right after a name word in
/// mid-sentence belongs to it.
const SURNAME_STOPWORDS: &[&str] =
    &["day", "week", "weekend", "morning", "night", "live", "read", "watch", "first"];

/// Titles written after a person's name ("Huw Brannigan KC"): part of no entity.
pub(crate) const POST_NOMINALS: &[&str] =
    &["KC", "QC", "SC", "OBE", "MBE", "CBE", "KBE", "DBE", "PhD", "FRS", "MEP", "MSP", "MLA"];

const LOC_PREFIX: &[&str] = &[
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "Upper",
    "Lower", "Greater", "Mount", "Lake", "Port", "Fort", "San", "Santa", "Saint", "St", "New",
];

fn is_acronym(w: &str) -> bool {
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    (2..=6).contains(&letters)
        && w.chars().all(|c| c.is_uppercase() || c == '.' || c == '&' || c.is_ascii_digit())
        && w.chars().next().is_some_and(char::is_uppercase)
}

/// "al-Burhan", "el-Sisi", "bin-Zayed": a lowercase particle joined to a capitalised name.
fn particle_name(w: &str) -> bool {
    w.split_once('-').is_some_and(|(p, rest)| {
        (2..=3).contains(&p.len())
            && p.chars().all(|c| c.is_ascii_lowercase())
            && rest.starts_with(char::is_uppercase)
    })
}

/// A Korean given name written with a hyphen: "Ji-ho", "Jae-won", "Min-ji".
fn korean_given(w: &str) -> bool {
    w.split_once('-').is_some_and(|(a, b)| {
        (2..=5).contains(&a.len())
            && (2..=5).contains(&b.len())
            && a.starts_with(|c: char| c.is_ascii_uppercase())
            && a[1..].chars().all(|c| c.is_ascii_lowercase())
            && b.chars().all(|c| c.is_ascii_lowercase())
            && !compound_tail(b)
    })
}

/// "Madrid-based", "Pittsburgh-based": based in a named place.
fn place_based(w: &str) -> bool {
    w.strip_suffix("-based").is_some_and(|h| h.starts_with(char::is_uppercase))
}

/// The English second half of a compound ("Abuja-based", "US-led", "state-run", "Cold War-era").
fn compound_tail(tail: &str) -> bool {
    tail.ends_with("ed")
        || tail.ends_with("ing")
        || tail.ends_with("ly")
        || matches!(
            tail,
            "run"
                | "led"
                | "born"
                | "era"
                | "style"
                | "wide"
                | "free"
                | "like"
                | "made"
                | "built"
                | "held"
                | "bound"
                | "owned"
                | "backed"
                | "funded"
                | "based"
                | "old"
        )
}

/// Initials: "C.C.", "J.", "J.R.R." (one capital letter before each dot).
fn is_initials(w: &str) -> bool {
    let b = w.as_bytes();
    !b.is_empty()
        && b.len() <= 8
        && b.chunks(2).all(|c| c.len() == 2 && c[0].is_ascii_uppercase() && c[1] == b'.')
}

/// Per token: whether it is in a short paragraph of no full sentence whose words are nearly all
/// capitalised (a headline or subheading in title case).
fn headline_tokens(text: &str, toks: &[Token]) -> Vec<bool> {
    let mut out = vec![false; toks.len()];
    let mut start = 0;
    while start < toks.len() {
        let end = (start..toks.len()).find(|&k| toks[k].kind == Kind::Break).unwrap_or(toks.len());
        // Short function words stay lower case in title case ("in", "of", "the", "and").
        let (mut words, mut caps, mut lower, mut sentence, mut by) = (0, 0, 0, false, false);
        for t in &toks[start..end] {
            match t.kind {
                Kind::Word => {
                    words += 1;
                    caps += usize::from(t.is_cap());
                    lower += usize::from(t.is_lower() && t.text(text).len() > 3);
                    by |= t.text(text) == "by";
                }
                Kind::Punct => sentence |= matches!(t.first, '.' | '!' | '?'),
                _ => {}
            }
        }
        // Credits: "(Reporting by Lena Hoffmann; Editing by Tom Weyland)".
        let credit = by || toks.get(start).is_some_and(|t| t.is_punct('('));
        if (4..=20).contains(&words) && lower == 0 && caps * 10 >= words * 6 && !sentence && !credit {
            out[start..end].iter_mut().for_each(|h| *h = true);
        }
        start = end + 1;
    }
    out
}

/// "AeroSystems", "BlackRock", "PayPal": a capital inside a word after three or more lower-case
/// letters marks a brand. Surnames with a capital inside start with a short particle
/// ("McDonald", "DeSantis", "LeBron") or one of a few longer ones ("MacArthur", "FitzGerald").
fn camel_case_brand(w: &str) -> bool {
    let mut chars = w.chars();
    if !chars.next().is_some_and(char::is_uppercase) {
        return false;
    }
    let mut lower_run = 0;
    for (k, c) in w.char_indices().skip(1) {
        if c.is_lowercase() {
            lower_run += 1;
        } else if c.is_uppercase() && lower_run >= 2 {
            let head = &w[..k];
            let tail_lower = w[k..].chars().skip(1).take_while(|c| c.is_lowercase()).count();
            // ("MaryAnn", "LeeAnn": two given names.)
            return tail_lower >= 2
                && !matches!(head, "Mac" | "Fitz" | "Van" | "Von" | "Abdul" | "Abd" | "Della" | "Dos")
                && !LEXICON.is_given_name(&w[k..]);
        } else {
            return false;
        }
    }
    false
}

fn is_all_caps(w: &str) -> bool {
    w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase)
}

/// "SAN FRANCISCO" → "San Francisco".
fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric();
    }
    out
}

fn lower(w: &str) -> String {
    w.to_lowercase()
}

/// Text of tokens `t0..t1` with whitespace runs collapsed.
pub(crate) fn span_text(text: &str, toks: &[Token], t0: usize, t1: usize) -> String {
    let (Some(a), Some(b)) = (toks.get(t0), t1.checked_sub(1).and_then(|i| toks.get(i))) else {
        return String::new();
    };
    let s = text.get(a.b0..b.b1).unwrap_or("");
    if s.contains(char::is_whitespace) {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        s.to_string()
    }
}

/// Initials of a multi-word name's capitalised words ("Israel Defense Forces" → "IDF").
fn initials(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 2 {
        return None;
    }
    let s: String = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .collect();
    (s.chars().count() >= 2).then_some(s)
}

struct Ctx<'a> {
    text: &'a str,
    toks: &'a [Token],
    lx: &'a Lexicon,
    english: bool,
    /// Words the text writes in lower case (sorted), built on first use: a capitalised form of
    /// one is a sentence start.
    lower_words: std::cell::OnceCell<Vec<&'a str>>,
}

impl Ctx<'_> {
    fn w(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.text(self.text))
    }

    fn is_cap_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| {
            t.is_cap()
                || (t.kind == Kind::Word
                    && t.first.is_ascii_digit()
                    && self.w(i).ends_with(char::is_uppercase))
                || particle_name(t.text(self.text))
        })
    }

    /// A capitalised word that is never part of a name.
    fn is_stop_cap(&self, i: usize) -> bool {
        let w = self.w(i);
        // "I've", "We’ll": a pronoun with its verb.
        // (Not "Be'eri", "O'Brien": only a contraction's ending.)
        if let Some((base, end)) = w.split_once(['\'', '\u{2019}']) {
            let contraction = matches!(end, "ve" | "ll" | "d" | "m" | "re" | "s" | "t");
            if contraction
                && (PRONOUN_CAPS.contains(&base) || base == "I" || self.lx.is_stopword(&lower(base)))
            {
                return true;
            }
        }
        if is_acronym(w) && w.len() > 1 {
            return false;
        }
        PRONOUN_CAPS.contains(&w) || self.lx.is_stopword(&lower(w))
    }

    /// One capital letter: an initial when a full stop follows ("N.", not "I").
    fn is_initial(&self, i: usize) -> bool {
        let w = self.w(i);
        let mut c = w.chars();
        matches!((c.next(), c.next()), (Some(f), None) if f.is_uppercase() && f != 'I' && f != 'A')
    }

    fn sentence_initial(&self, i: usize) -> bool {
        let Some(t) = self.toks.get(i) else { return false };
        match i.checked_sub(1).and_then(|p| self.toks.get(p)) {
            None => true,
            Some(p) => {
                p.sent != t.sent
                    || p.kind == Kind::Break
                    || p.kind == Kind::QuoteMark
                    || (p.kind == Kind::Punct && matches!(p.first, '(' | '[' | ':' | '\u{2014}' | '-' | '•'))
            }
        }
    }

    /// Candidate spans: maximal runs of capitalised words joined by name connectors.
    fn spans(&self) -> Vec<(usize, usize)> {
        let toks = self.toks;
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            // ("First Minister Elaine Rutherford": a stop word that opens a title.)
            let opens_title = |i: usize| {
                self.toks.get(i + 1).is_some_and(|t| t.is_cap() && t.space_before)
                    && self.lx.is_role_head(&lower(self.w(i + 1)))
                    && self.lx.is_role_modifier(&lower(self.w(i)))
            };
            // ("People's Liberation Army": a known name that opens with a stop word.)
            let known_possessive = || {
                self.toks.get(i + 1).is_some_and(|t| t.kind == Kind::Possessive)
                    && (i + 3..=(i + 2 + self.lx.max_words).min(self.toks.len()))
                        .any(|k| self.known_org(i, k).is_some())
            };
            if !self.is_cap_word(i) || (self.is_stop_cap(i) && !opens_title(i) && !known_possessive()) {
                i += 1;
                continue;
            }
            let start = i;
            let mut end = i + 1;
            loop {
                // "Abuja-based Malaria Free Foundation": a compound with a lowercase tail ends a name.
                if self.lower_tail(end - 1) {
                    break;
                }
                if self.is_cap_word(end) && !self.is_stop_cap(end) && toks[end].space_before {
                    end += 1;
                    continue;
                }
                // "State Route 49", "Interstate 80": a road's number belongs to its name.
                if (ROAD_WORDS.contains(&self.w(end - 1)) || matches!(self.w(end - 1), "Radio" | "Channel"))
                    && toks
                        .get(end)
                        .is_some_and(|t| t.kind == Kind::Word && t.first.is_ascii_digit() && t.space_before)
                {
                    end += 1;
                    continue;
                }
                // "Prosecutor Rhiannon Day": a headline noun kept out of names ("Day 3", "Live")
                // is a surname right after a name word in mid-sentence.
                if self.is_cap_word(end)
                    && toks[end].space_before
                    && SURNAME_STOPWORDS.contains(&lower(self.w(end)).as_str())
                    && end - start >= 1
                    && !self.sentence_initial(end - 1)
                    && self.name_like(end - 1)
                {
                    end += 1;
                    continue;
                }
                // "Kharadi Residents' Forum", "Pakistan Peoples Party": a capitalised common noun
                // (kept out of names elsewhere) before an organisation word is part of the name.
                if self.is_cap_word(end)
                    && self.is_stop_cap(end)
                    && toks[end].space_before
                    && !PRONOUN_CAPS.contains(&self.w(end))
                    && self.w(end).chars().count() >= 4
                {
                    let k = if toks.get(end + 1).is_some_and(|t| t.kind == Kind::Possessive) {
                        end + 2
                    } else {
                        end + 1
                    };
                    if self.is_cap_word(k) && self.lx.is_org_word(self.w(k)) {
                        end = k + 1;
                        continue;
                    }
                }
                // "King's College Hospital", "Moody's Investors Service": a possessive inside an
                // organisation's name (but not "Britain's Prime Minister ...").
                if toks.get(end).is_some_and(|t| t.kind == Kind::Possessive) {
                    let mut k = end + 1;
                    while self.is_cap_word(k) && !self.is_stop_cap(k) && !self.lower_tail(k) {
                        k += 1;
                    }
                    let first = lower(self.w(end + 1));
                    if k > end + 1
                        && self.lx.is_org_word(self.w(k - 1))
                        && !self.lx.is_role_head(&first)
                        && !self.lx.is_role_modifier(&first)
                        && !self.lx.is_demonym(self.w(end + 1))
                    {
                        end = k;
                        continue;
                    }
                }
                // "Mr. Smith", "St. Petersburg"
                if toks.get(end).is_some_and(|t| t.is_punct('.'))
                    && super::text::is_abbreviation(self.w(end - 1))
                    && self.is_cap_word(end + 1)
                {
                    end += 2;
                    continue;
                }
                // "N. Chandrababu Naidu", "Minister V. Anantha Nageswaran": an initial with its
                // full stop opens a name of two words (or one, at the start of the span), not
                // "Vitamin D. Researchers".
                if toks.get(end).is_some_and(|t| t.is_punct('.'))
                    && self.is_initial(end - 1)
                    && toks[end].c0 == toks[end - 1].c1
                    && self.is_cap_word(end + 1)
                    && toks[end + 1].space_before
                    && self.name_like(end + 1)
                    && !self.is_stop_cap(end + 1)
                    && ((end - 1 == start && start.checked_sub(1).is_none_or(|p| !toks[p].is_lower()))
                        // "Brett M. Kavanaugh": a middle initial after a given name
                        || (end - 1 > start && self.lx.is_given_name(self.w(end - 2)))
                        || (self.is_cap_word(end + 2)
                            && toks[end + 2].space_before
                            && self.name_like(end + 2)))
                {
                    end += 2;
                    continue;
                }
                // "John G. Roberts Jr.": the generation is part of the name, with its full stop.
                if end > start + 1
                    && matches!(self.w(end - 1), "Jr" | "Sr")
                    && toks.get(end).is_some_and(|t| t.is_punct('.') && t.c0 == toks[end - 1].c1)
                {
                    end += 1;
                    break;
                }
                // Shay "Bull" Brennan: a quoted nickname between a given name and a surname.
                if end == start + 1 {
                    if let Some(k) = self.nickname_end(end) {
                        end = k;
                        continue;
                    }
                }
                // "Bank of England", "Johnson & Johnson", "Mohammed bin Salman", "of the Red Cross"
                let conn = self.w(end);
                // "Campaign to Protect Rural England", "Council on Foreign Relations": "to" and "on"
                // only inside an organisation's name (not "Banksia Coast on the Mid North Coast").
                let org_so_far = (start..end).any(|i| self.lx.is_org_word(self.w(i)));
                let is_conn = toks.get(end).is_some_and(|t| t.kind == Kind::Word || t.is_punct('&'))
                    && ((CONNECTORS.contains(&conn) && conn != "on")
                        || (matches!(conn, "to" | "on") && org_so_far));
                if is_conn {
                    let mut k = end + 1;
                    // "van der Meer", "de la Fuente": two particles in a row.
                    // ("Committee for a Responsible Federal Budget")
                    if self.w(k) == "the"
                        || (self.w(k) == "a" && conn == "for" && org_so_far)
                        || (NAME_PARTICLES.contains(&conn) && NAME_PARTICLES.contains(&self.w(k)))
                    {
                        k += 1;
                    }
                    if self.is_cap_word(k) && !self.is_stop_cap(k) {
                        end = k + 1;
                        continue;
                    }
                }
                break;
            }
            out.push((start, end));
            i = end;
        }
        out
    }

    /// `"Nick" Surname` at `i` (after a given name): the index after the surname.
    fn nickname_end(&self, i: usize) -> Option<usize> {
        let toks = self.toks;
        if !toks.get(i).is_some_and(|t| t.kind == Kind::QuoteMark) {
            return None;
        }
        let mut k = i + 1;
        while k < i + 3 && self.is_cap_word(k) && !self.is_stop_cap(k) {
            k += 1;
        }
        let closes = k > i + 1 && toks.get(k).is_some_and(|t| t.kind == Kind::QuoteMark);
        (closes && self.is_cap_word(k + 1) && !self.is_stop_cap(k + 1) && toks[k + 1].space_before)
            .then_some(k + 2)
    }

    /// "Jean Dupont of Banque Aurelle", "Kwame Mensah of the British Antarctic Survey": a name of
    /// one to four words, "of", then an organisation or a place. The index of "of".
    fn of_split(&self, t0: usize, t1: usize) -> Option<usize> {
        let o = (t0 + 1..t1.saturating_sub(1)).find(|&i| self.w(i) == "of")?;
        if o - t0 > 4 || !(t0..o).all(|i| self.name_like(i) && !CONNECTORS.contains(&self.w(i))) {
            return None;
        }
        let b = if self.w(o + 1) == "the" { o + 2 } else { o + 1 };
        if b >= t1 {
            return None;
        }
        let org = (b..t1).any(|i| self.lx.is_org_word(self.w(i)))
            || self.longest_known(b, t1).is_some_and(|(e, _, _)| e == t1);
        (org && (o - t0 >= 2 || self.lx.is_given_name(self.w(t0)))).then_some(o)
    }

    /// Classifies the part after "of" left by [`Self::of_split`].
    fn classify_after_of(&self, o: usize, t1: usize, out: &mut Vec<Raw>) {
        let b = if self.w(o + 1) == "the" { o + 2 } else { o + 1 };
        if b < t1 {
            self.classify(b, t1, out);
        }
    }

    /// A capitalised word that begins a multi-word title ("Housing Secretary Jane Doe", "District
    /// Judge X", "The Housing Secretary,"): a role head follows within three capitalised words, and
    /// either a name follows the title or the title stands after "the"/"a"/a possessive.
    fn title_ahead(&self, j: usize, t0: usize, t1: usize) -> bool {
        if self.lx.is_given_name(self.w(j)) || !self.toks[j].is_cap() {
            return false;
        }
        let prev = t0.checked_sub(1).map_or("", |p| self.w(p));
        let determined = matches!(prev, "the" | "The" | "a" | "A" | "an" | "An")
            || t0.checked_sub(1).is_some_and(|p| self.toks[p].kind == Kind::Possessive);
        // ("Water and Sanitation Minister X": portfolios joined by "and".)
        for k in j + 1..(j + 5).min(t1) {
            if self.lx.is_role_head(&lower(self.w(k))) {
                return k + 1 < t1 || determined;
            }
            let joined = matches!(self.w(k), "and" | "&") && self.toks[k - 1].is_cap();
            if !(self.toks[k].is_cap() || joined) || self.lx.is_given_name(self.w(k)) {
                return false;
            }
        }
        false
    }

    /// "a retiree from Fremantle", "Daniel Whitcombe, 34, from Telford": where a person comes from.
    fn home_town(&self, t0: usize) -> bool {
        if t0 < 2 || self.w(t0 - 1) != "from" {
            return false;
        }
        let p = self.w(t0 - 2);
        let age = p == "," && t0 >= 3 && self.w(t0 - 3).chars().all(|c| c.is_ascii_digit());
        let person = self.toks[t0 - 2].is_lower()
            && (matches!(
                p,
                "man"
                    | "woman"
                    | "resident"
                    | "retiree"
                    | "pensioner"
                    | "farmer"
                    | "teacher"
                    | "schoolteacher"
                    | "student"
                    | "nurse"
                    | "mother"
                    | "father"
                    | "grandmother"
                    | "grandfather"
                    | "family"
                    | "native"
                    | "couple"
                    | "boy"
                    | "girl"
                    | "fan"
                    | "spectator"
                    | "volunteer"
                    | "worker"
            ) || p.ends_with("-old"));
        age || person
    }

    /// A lowercase place noun frames the name: "the town of Semporna", "Tawi-Tawi province".
    fn place_cue(&self, t0: usize, t1: usize) -> bool {
        let before = t0 >= 2
            && self.w(t0 - 1) == "of"
            && self.toks[t0 - 2].is_lower()
            && (PLACE_NOUNS.contains(&self.w(t0 - 2)) || AREA_NOUNS.contains(&self.w(t0 - 2)));
        let after = self.toks.get(t1).is_some_and(|t| t.is_lower())
            && matches!(
                self.w(t1),
                "province"
                    | "provinces"
                    | "state"
                    | "region"
                    | "district"
                    | "districts"
                    | "county"
                    | "prefecture"
                    | "resident"
                    | "residents"
                    | "neighbourhood"
                    | "neighborhood"
                    | "municipality"
                    | "township"
                    | "border"
            )
            // (Not "the Fairbourne Futures residents’ group".)
            && !self.toks.get(t1 + 1).is_some_and(|t| t.kind == Kind::Possessive)
            && !matches!(self.w(t1 + 1), "group" | "association" | "committee" | "forum" | "council");
        (before || after)
            && !NUMBER_WORDS.contains(&self.w(t0))
            && !(t0..t1).any(|i| self.lx.is_org_word(self.w(i)) || matches!(self.w(i), "and" | "&"))
            && !(t0..t1).all(|i| self.lx.is_demonym(self.w(i)))
    }

    /// A hyphenated word whose last part is lowercase ("Abuja-based", "US-led").
    /// (Not a Korean given name: "Min-ji", "Jae-won".)
    fn lower_tail(&self, i: usize) -> bool {
        let w = self.w(i);
        w.rsplit('-').next().is_some_and(|tail| {
            tail.len() < w.len() && tail.starts_with(char::is_lowercase) && compound_tail(tail)
        })
    }

    fn known_org(&self, t0: usize, t1: usize) -> Option<&'static str> {
        self.lx.organization(&span_text(self.text, self.toks, t0, t1))
    }
    fn known_loc(&self, t0: usize, t1: usize) -> Option<&'static str> {
        self.lx.location(&span_text(self.text, self.toks, t0, t1))
    }

    /// Longest known place or organisation starting at `t0` and ending by `t1`.
    fn longest_known(&self, t0: usize, t1: usize) -> Option<(usize, Hint, &'static str)> {
        let max = (t0 + self.lx.max_words * 2).min(t1);
        for e in (t0 + 1..=max).rev() {
            if !self.toks.get(e - 1).is_some_and(|t| t.kind == Kind::Word) {
                continue;
            }
            if let Some(c) = self.known_org(t0, e) {
                return Some((e, Hint::Org, c));
            }
            if let Some(c) = self.known_loc(t0, e) {
                return Some((e, Hint::Loc, c));
            }
        }
        None
    }

    fn raw(&self, t0: usize, t1: usize, hint: Hint, key: Option<&str>) -> Raw {
        let name = span_text(self.text, self.toks, t0, t1);
        Raw {
            t0,
            t1,
            hint,
            key: key.map_or_else(|| name.clone(), str::to_string),
            name,
            role: None,
            weak: false,
            guessed: false,
            lead: t0,
        }
    }

    /// Classifies one span, splitting off a title prefix and known names inside it.
    fn classify(&self, t0: usize, t1: usize, out: &mut Vec<Raw>) {
        let lx = self.lx;
        let n = t1 - t0;
        // "UN Security Council Resolution 1701": a numbered resolution is a document of the body.
        if n >= 2 && self.w(t1 - 1) == "Resolution" {
            self.classify(t0, t1 - 1, out);
            return;
        }
        // "Huw Brannigan KC": a post-nominal title is no part of the name.
        if n >= 2 && POST_NOMINALS.contains(&self.w(t1 - 1)) {
            self.classify(t0, t1 - 1, out);
            return;
        }
        // "San Jose-based": the head of a place compound is a place.
        if n >= 2 {
            let last = self.w(t1 - 1);
            if let Some((head, tail)) = last.rsplit_once('-') {
                if matches!(tail, "based" | "born" | "headquartered" | "bound")
                    && head.starts_with(char::is_uppercase)
                {
                    let name = format!("{} {head}", span_text(self.text, self.toks, t0, t1 - 1));
                    let mut r = self.raw(t0, t1, Hint::Loc, None);
                    r.key = self.lx.location(&name).map_or_else(|| name.clone(), str::to_string);
                    r.name = name;
                    out.push(r);
                    return;
                }
            }
        }
        // "Shares of Halcyra Systems", "Residents of Pitt Town", "Passenger Elena Vargas said": a
        // sentence-initial common noun (the text also writes it in lower case) before "of" or a
        // given name is no part of the name.
        if n >= 3 && self.sentence_initial(t0) {
            let skip = if self.w(t0 + 1) == "of" {
                2
            } else if self.lx.is_given_name(self.w(t0 + 1)) {
                1
            } else {
                0
            };
            if skip > 0 && self.common_noun(t0) {
                self.classify(t0 + skip, t1, out);
                return;
            }
        }
        // "One Northcliff resident said", "Closing Hollis Creek Elementary is": a sentence-initial
        // number word before a name used as a modifier, or a gerund, is no part of the name.
        if n >= 2 && self.sentence_initial(t0) {
            let w0 = self.w(t0);
            let number = NUMBER_WORDS.contains(&w0)
                && self.toks.get(t1).is_some_and(|t| {
                    t.is_lower()
                        && t.kind == Kind::Word
                        && !self.lx.is_stopword(self.w(t1))
                        && !self.lx.is_speech_verb(self.w(t1))
                });
            let gerund = w0.len() >= 6
                && w0.ends_with("ing")
                && !self.lx.is_given_name(w0)
                && !self.lx.is_org_word(w0)
                && self.longest_known(t0, t1).is_none();
            if number || gerund {
                self.classify(t0 + 1, t1, out);
                return;
            }
        }
        // Shay "Bull" Brennan → "Shay Brennan".
        if let Some(q) = (t0..t1).find(|&i| self.toks[i].kind == Kind::QuoteMark) {
            let close = (q + 1..t1).find(|&i| self.toks[i].kind == Kind::QuoteMark).unwrap_or(q);
            let mut r = self.raw(t0, t1, Hint::Person, None);
            r.name = format!(
                "{} {}",
                span_text(self.text, self.toks, t0, q),
                span_text(self.text, self.toks, close + 1, t1)
            );
            r.key = r.name.clone();
            out.push(r);
            return;
        }
        // "Sri Lankan", "New Zealander": a nationality of several words is no entity.
        if n >= 2 && lx.is_demonym(span_text(self.text, self.toks, t0, t1).as_str()) {
            return;
        }
        if let Some(c) = self.known_org(t0, t1) {
            out.push(self.raw(t0, t1, Hint::Org, Some(c)));
            return;
        }
        if let Some(c) = self.known_loc(t0, t1) {
            out.push(self.raw(t0, t1, Hint::Loc, Some(c)));
            return;
        }
        // A dateline: "SAN FRANCISCO (Reuters) -", "CHICAGO (AP) —".
        if self.is_dateline(t0, t1) {
            let name = span_text(self.text, self.toks, t0, t1);
            let key = title_case(&name);
            let key = self.lx.location(&key).map_or(key, str::to_string);
            let mut r = self.raw(t0, t1, Hint::Loc, Some(&key));
            r.name = key;
            out.push(r);
            return;
        }
        // "Germany's Federal Statistical Office", "a director at Nepal's Department of Tourism": a
        // known place owning an organisation is two names, whatever cue frames the whole.
        if let Some(p) = self.possessive_org(t0, t1) {
            if let (Some(c), true) = (self.known_loc(t0, p), p + 1 < t1) {
                out.push(self.raw(t0, p, Hint::Loc, Some(c)));
                self.classify(p + 1, t1, out);
                return;
            }
            // "Elon Musk's Department of Government Efficiency": a person's organisation.
            if p >= t0 + 2 && p + 2 < t1 && self.lx.is_given_name(self.w(t0)) && self.has_org_word(p + 1, t1)
            {
                out.push(self.raw(t0, p, Hint::Person, None));
                self.classify(p + 1, t1, out);
                return;
            }
            // "the FTC's Bureau of Competition": a known organisation owning a part of itself.
            if let (Some(c), true) = (self.known_org(t0, p), p + 2 < t1) {
                out.push(self.raw(t0, p, Hint::Org, Some(c)));
                self.classify(p + 1, t1, out);
                return;
            }
        }
        // "drugmaker Bharat Biotech", "Gavi, the vaccine alliance,": an organisation by its description.
        if self.english && self.org_cue(t0, t1) {
            out.push(self.raw(t0, t1, Hint::Org, None));
            return;
        }
        // "Cape of Good Hope", "Palace of Westminster", "the town of Semporna".
        if (n >= 3 && LOC_OF_HEADS.contains(&self.w(t0)) && self.w(t0 + 1) == "of")
            || (self.english && self.place_cue(t0, t1))
        {
            out.push(self.raw(t0, t1, Hint::Loc, None));
            return;
        }
        if n == 1 {
            self.classify_single(t0, out);
            return;
        }
        // "King's College Hospital", "Moody's Investors Service", "U.S. Attorney's Office for the
        // Southern District"; "Germany's Federal Statistical Office": a place owning an organisation.
        if self.possessive_org(t0, t1).is_some() {
            // A list joined by "and" after the possessive is split below ("the Traders'
            // Association and the Ministry of …").
            // (Also one before it: "the Fairbourne Railway and the Kharadi Residents' Forum".)
            if !(t0..t1).any(|i| self.w(i) == "and") {
                out.push(self.raw(t0, t1, Hint::Org, None));
                return;
            }
        }
        // "Kenta Morishita for the Pan-Pacific Boxing Federation": a name with no organisation word
        // before "for", an organisation after it, are two names ("Committee for the Protection of
        // Journalists" has its organisation word before "for").
        if let Some(f) = (t0 + 2..t1.saturating_sub(2)).find(|&i| self.w(i) == "for") {
            let b = if self.w(f + 1) == "the" { f + 2 } else { f + 1 };
            if b < t1
                && !(t0..f).any(|i| lx.is_org_word(self.w(i)) || lx.is_role_head(&lower(self.w(i))))
                && self.longest_known(t0, f).is_none()
                && self.has_org_word(b, t1)
            {
                self.classify(t0, f, out);
                self.classify(b, t1, out);
                return;
            }
        }
        // "Minister of Transport and Logistics Abdelkrim El Ouazzani": a title of two portfolios,
        // then the name (two to four capitalised words after the second portfolio).
        if self.english && n >= 6 && lx.is_role_head(&lower(self.w(t0))) && self.w(t0 + 1) == "of" {
            if let Some(a) = (t0 + 3..t1 - 3).find(|&i| self.w(i) == "and") {
                let b = a + 1;
                let name_ok =
                    (b + 1..t1).all(|i| self.toks[i].is_cap() || NAME_PARTICLES.contains(&self.w(i)));
                if (3..=5).contains(&(t1 - b))
                    && self.toks[b].is_cap()
                    && !lx.is_given_name(self.w(b))
                    && self.longest_known(b, t1).is_none_or(|(e, _, _)| e <= b + 1)
                    && name_ok
                {
                    let mut r = self.raw(b + 1, t1, Hint::Person, None);
                    r.role = Some(span_text(self.text, self.toks, t0, b + 1));
                    r.lead = t0;
                    out.push(r);
                    return;
                }
            }
        }
        // "Hamas and Israel", "Ron Dermer and National Security Adviser Tzachi Hanegbi": two names,
        // unless the whole is one organisation ("Food and Drug Administration").
        // (Not "Water and Sanitation Minister Naledi Khumalo": one title.)
        let one_title = |a: usize| {
            self.english
                && (t0..a).all(|i| !self.lx.is_role_head(&lower(self.w(i))))
                && self.title_ahead(t0, t0, t1)
                && self.longest_known(t0, t0 + 1).is_none()
        };
        if let Some(a) =
            (t0 + 1..t1 - 1).find(|&i| matches!(self.w(i), "and" | "&")).filter(|&a| !one_title(a))
        {
            let b = if self.w(a + 1) == "the" { a + 2 } else { a + 1 };
            let known = |x: usize, y: usize| self.known_org(x, y).is_some() || self.known_loc(x, y).is_some();
            // "Ellery & Stone": an ampersand joins one company's name. "Institute of Strategic and
            // International Studies": "and" inside the "of" part of an organisation's name.
            let amp = self.w(a) == "&" && !(known(t0, a) && known(b, t1));
            // "Ministry of Foreign Affairs and Trade": one unknown word after "and" still belongs.
            let tail_ok = t1 - b >= 2 || (t1 - b == 1 && !self.lx.is_given_name(self.w(b)));
            let org_of = (t0..a)
                .any(|i| self.lx.is_org_word(self.w(i)) && matches!(self.w(i + 1), "of" | "for"))
                && tail_ok
                && !(b..t1)
                    .any(|i| self.lx.is_org_word(self.w(i)) || self.lx.is_role_head(&lower(self.w(i))))
                && self.longest_known(b, t1).is_none();
            // "Police Federation of England and Wales": an organisation of two places.
            let of_places = a >= 3
                && self.w(a - 2) == "of"
                && self.lx.is_org_word(self.w(a - 3))
                && self.known_loc(a - 1, a).is_some()
                && self.known_loc(b, t1).is_some()
                && self.w(a + 1) != "the";
            // "Senate Energy and Natural Resources Committee": a first part that begins with an
            // organisation word but ends without one is half of one name.
            let halves = self.lx.is_org_word(self.w(t0))
                && !self.lx.is_org_word(self.w(a - 1))
                && self.lx.is_org_word(self.w(t1 - 1))
                && self.w(a + 1) != "the"
                && !known(t0, a)
                && self.longest_known(b, t1).is_none()
                && !(t0..t1).any(|i| self.w(i) == "of");
            if amp || org_of || of_places || halves {
                out.push(self.raw(t0, t1, Hint::Org, None));
                return;
            }
            let first_is_name = self.known_org(t0, a).is_some()
                || self.known_loc(t0, a).is_some()
                || self.has_org_word(t0, a)
                || (t0..a).any(|i| self.lx.is_role_head(&lower(self.w(i))))
                || self.lx.is_given_name(self.w(t0))
                // "close Pine Street School in East Dover and Hollis Creek School"
                || (t0 > 0 && self.english && LOC_PREPS.contains(&self.w(t0 - 1)) && !self.has_org_word(t0, a));
            if first_is_name || !self.lx.is_org_word(self.w(t1 - 1)) {
                self.classify(t0, a, out);
                let mut b = a + 1;
                if self.w(b) == "the" {
                    b += 1;
                }
                if b < t1 {
                    self.classify(b, t1, out);
                }
                return;
            }
        }
        // Title prefix: "US Secretary of State", "Mossad Chief", "Dr.", "Qatari Prime Minister".
        let mut j = t0;
        let mut head = false;
        let mut honorific = false;
        let mut inner: Vec<Raw> = Vec::new();
        while j < t1 {
            let w = self.w(j);
            let lw = lower(w);
            if self.toks[j].kind == Kind::Punct {
                j += 1;
                continue;
            }
            if lx.is_role_head(&lw) {
                head = true;
                j += 1;
            } else if lx.is_honorific(&lw) {
                honorific = true;
                j += 1;
            } else if lx.is_role_modifier(&lw) || lx.is_demonym(w) {
                j += 1;
            } else if let Some((e, hint, c)) = self.longest_known(j, t1) {
                if e >= t1 {
                    break;
                }
                // "Jordan Whitcomb", "Sydney Park": a place that is also a given name, before a
                // name that is neither, starts a person's name.
                if lx.is_given_name(w)
                    && e == j + 1
                    && self.name_like(e)
                    && !lx.is_role_head(&lower(self.w(e)))
                    && !lx.is_honorific(&lower(self.w(e)))
                    && self.longest_known(e, t1).is_none()
                {
                    break;
                }
                inner.push(self.raw(j, e, hint, Some(c)));
                j = e;
            } else if self.title_ahead(j, t0, t1) {
                j += 1;
            } else {
                break;
            }
        }
        // The name starts at the first capitalised word that is not a connector.
        let title_end = j;
        // "General Confederation of Labor": an organisation word right after a military title
        // word makes the whole an organisation.
        if title_end > t0
            && self.w(title_end - 1) == "General"
            && (t0..title_end - 1).all(|i| lower(self.w(i)) == "the")
            && j < t1
            && lx.is_org_word(self.w(j))
        {
            out.push(self.raw(title_end - 1, t1, Hint::Org, None));
            return;
        }
        while j < t1 && (self.toks[j].kind != Kind::Word || CONNECTORS.contains(&self.w(j))) {
            j += 1;
        }
        // "Chancellor of the Exchequer Rachel Reeves": after "of", the title runs to the given name.
        if head && (t0..j).any(|i| self.w(i) == "of") && (title_end..j).all(|i| self.w(i) != "and") {
            if let Some(g) = (j + 1..t1.saturating_sub(1)).find(|&g| lx.is_given_name(self.w(g))) {
                if g - j <= 3 && (j..g).all(|i| self.toks[i].is_cap() && !lx.is_given_name(self.w(i))) {
                    j = g;
                }
            }
        }
        // "Resource Justice Network": a name that ends with an organisation word is no title and
        // person.
        if head
            && !honorific
            && j < t1
            && self.lx.is_org_word(self.w(t1 - 1))
            && !is_acronym(self.w(t1 - 1))
            && !(j..t1).any(|i| CONNECTORS.contains(&self.w(i)) || self.lx.is_given_name(self.w(i)))
        {
            out.push(self.raw(t0, t1, Hint::Org, None));
            return;
        }
        if head || honorific {
            if j >= t1 {
                if head && self.english {
                    let mut r = self.raw(t0, t1, Hint::RoleOnly, None);
                    r.key = lower(&r.name);
                    out.push(r);
                }
                return;
            }
            if head {
                out.extend(inner);
            }
            let of = self.of_split(j, t1);
            let mut r = self.raw(j, of.unwrap_or(t1), Hint::Person, None);
            if head && self.english {
                // "the backbench MP Owen Lathbury", "former Prime Minister X": lowercase
                // qualifiers before the capitalised title belong to it.
                let mut lead = t0;
                while lead > 0
                    && self.toks[lead - 1].is_lower()
                    && self.lx.is_role_modifier(self.w(lead - 1))
                    && !matches!(self.w(lead - 1), "the" | "and" | "to" | "on" | "of" | "for")
                {
                    lead -= 1;
                }
                r.role = Some(span_text(self.text, self.toks, lead, j));
                r.lead = lead;
            }
            out.push(r);
            if let Some(o) = of {
                self.classify_after_of(o, t1, out);
            }
            return;
        }
        // Leading nationality words do not belong to a name ("Israeli Benny Gantz").
        let mut s = t0;
        while s < t1 && lx.is_demonym(self.w(s)) && !self.has_org_word(s, t1) {
            s += 1;
        }
        if s >= t1 {
            return;
        }
        if s > t0 {
            self.classify(s, t1, out);
            return;
        }
        if let Some(o) = self.of_split(t0, t1) {
            self.classify(t0, o, out);
            self.classify_after_of(o, t1, out);
            return;
        }
        let first = self.w(t0);
        let last = self.w(t1 - 1);
        let prev_word = t0.checked_sub(1).map_or("", |p| self.w(p));
        // "Rand Metro Water", "Georgia Power": a utility by its last word.
        let utility = matches!(last, "Water" | "Power" | "Electric") && !LOC_PREPS.contains(&prev_word);
        // ("Aviva Stadium": a company's name on a place is the place's.)
        if utility
            || self.has_org_word(t0, t1)
            || (t0..t1).any(|i| camel_case_brand(self.w(i)))
            || (self.longest_known(t0, t1).is_some_and(|(_, h, _)| h == Hint::Org)
                && !LOC_SUFFIX.contains(&last))
        {
            let key = self.longest_known(t0, t1).filter(|(e, h, _)| *h == Hint::Org && *e == t1).map(|x| x.2);
            out.push(self.raw(t0, t1, Hint::Org, key));
            return;
        }
        if n >= 2 && ROAD_WORDS.contains(&self.w(t1 - 2)) && self.toks[t1 - 1].first.is_ascii_digit() {
            out.push(self.raw(t0, t1, Hint::Loc, None));
            return;
        }
        // "Health New Zealand", "Sport England", "Active Travel England": a public body named by
        // its field and its country.
        // ("Nova Scotia Health": the place first.)
        if (t0 + 1..t1).any(|k| {
            // (The word test first: the lexicon look-up builds the span's text.)
            ((t0..k).all(|i| SECTOR_WORDS.contains(&self.w(i))) && self.known_loc(k, t1).is_some())
                || ((k..t1).all(|i| SECTOR_WORDS.contains(&self.w(i))) && self.known_loc(t0, k).is_some())
        }) {
            out.push(self.raw(t0, t1, Hint::Org, None));
            return;
        }
        // "Northmoor East", "Holmfirth South": a ward or district named by its quarter (not
        // "Rebecca West").
        let quarter = n >= 2
            && matches!(last, "East" | "West" | "North" | "South" | "Central")
            && !lx.is_given_name(first)
            && (t0..t1 - 1).all(|i| self.name_like(i));
        // "Ji-ho Park", "Lee Jae-won": a Korean given name makes a person whatever the surname.
        if (t0..t1).any(|i| korean_given(self.w(i))) && n <= 3 {
            out.push(self.raw(t0, t1, Hint::Person, None));
            return;
        }
        // "Real Betis", "Olympique Vernon", "Sporting Braga": a club by its first word.
        if CLUB_PREFIXES.contains(&first) {
            out.push(self.raw(t0, t1, Hint::Org, None));
            return;
        }
        if LOC_SUFFIX.contains(&last)
            || quarter
            || LOC_HEADS.contains(&first)
            || (LOC_PREFIX.contains(&first) && self.known_loc(t0 + 1, t1).is_some())
        {
            out.push(self.raw(t0, t1, Hint::Loc, None));
            return;
        }
        let given = lx.is_given_name(first);
        // "near El Fasher", "in Port Harcourt": a preposition of place before an unknown name.
        let prev = t0.checked_sub(1).map_or("", |p| self.w(p));
        if !given && self.english && (LOC_PREPS.contains(&prev) || self.home_town(t0)) && !is_initials(first)
        {
            out.push(self.raw(t0, t1, Hint::Loc, None));
            return;
        }
        let has_known = (t0..t1).any(|i| self.longest_known(i, t1).is_some());
        let connectors =
            (t0..t1).any(|i| CONNECTORS.contains(&self.w(i)) && !NAME_PARTICLES.contains(&self.w(i)));
        if given {
            out.push(self.raw(t0, t1, Hint::Person, None));
            return;
        }
        if n <= 4 && !has_known && !connectors && (t0..t1).all(|i| self.name_like(i)) {
            // People are not named after "the": "in the West Midlands" is a place, "the Michelin
            // Guide" an organisation.
            // ("the McGraths Hill evacuation centre": a name used as a modifier says nothing.)
            let modifier = self.toks.get(t1).is_some_and(|t| {
                t.is_lower() && t.kind == Kind::Word && !self.lx.is_stopword(t.text(self.text))
            });
            // "The Severn Vale captain", "the Kaveri Steel board": the team or company of a role.
            let employer =
                self.toks.get(t1).is_some_and(|t| t.is_lower() && self.lx.is_role_head(t.text(self.text)));
            // ("Ashbourne Town manager Gary Holt": also without "the" when a name follows the role.)
            let titled_name_follows = employer
                && self
                    .toks
                    .get(t1 + 1)
                    .is_some_and(|t| t.is_cap() && self.lx.is_given_name(t.text(self.text)));
            if self.english && (prev.eq_ignore_ascii_case("the") || titled_name_follows) && employer {
                out.push(self.raw(t0, t1, Hint::Org, None));
                return;
            }
            if self.english && prev.eq_ignore_ascii_case("the") && !modifier {
                let prev2 = t0.checked_sub(2).map_or("", |p| self.w(p));
                let place = LOC_PREPS.contains(&prev2) || LOC_PREFIX.contains(&first);
                out.push(self.raw(t0, t1, if place { Hint::Loc } else { Hint::Org }, None));
                return;
            }
            // "Paper Satellites have pulled out": one person takes no plural verb.
            let plural = matches!(self.w(t1), "have" | "are" | "were")
                && !t0.checked_sub(1).is_some_and(|p| matches!(self.w(p), "and" | "&" | "," | "or" | "nor"));
            if self.english && plural {
                out.push(self.raw(t0, t1, Hint::Org, None));
                return;
            }
            let mut r = self.raw(t0, t1, Hint::Person, None);
            r.guessed = true;
            out.push(r);
            return;
        }
        // Fall back to the known names inside the span.
        let mut i = t0;
        while i < t1 {
            if let Some((e, hint, c)) = self.longest_known(i, t1) {
                out.push(self.raw(i, e, hint, Some(c)));
                i = e;
            } else {
                if self.toks[i].kind == Kind::Word && !CONNECTORS.contains(&self.w(i)) {
                    self.classify_single(i, out);
                }
                i += 1;
            }
        }
    }

    /// The possessive in a name that an organisation follows ("King's College Hospital",
    /// "Germany's Federal Statistical Office"), if there is one.
    fn possessive_org(&self, t0: usize, t1: usize) -> Option<usize> {
        let p = (t0..t1).find(|&i| self.toks[i].kind == Kind::Possessive)?;
        let first = lower(self.w(p + 1));
        let org_after = (p + 1..t1).any(|i| self.lx.is_org_word(self.w(i)))
            && !self.lx.is_role_head(&first)
            && !self.lx.is_role_modifier(&first)
            && !self.lx.is_demonym(self.w(p + 1));
        (org_after || self.lx.is_org_word(self.w(t1 - 1))).then_some(p)
    }

    /// Capitals at the start of a paragraph followed by "(" / "," / a dash: a dateline.
    fn is_dateline(&self, t0: usize, t1: usize) -> bool {
        let para_start = t0 == 0 || self.toks.get(t0 - 1).is_some_and(|t| t.kind == Kind::Break);
        let next_ok = self.toks.get(t1).is_some_and(|t| {
            t.kind == Kind::Punct && matches!(t.first, '(' | ',' | '-' | '\u{2014}' | '\u{2013}')
        });
        let letters: usize = (t0..t1).map(|i| self.w(i).chars().filter(|c| c.is_alphabetic()).count()).sum();
        para_start
            && next_ok
            && letters >= 4
            && (t0..t1).all(|i| self.toks[i].kind != Kind::Word || is_all_caps(self.w(i)))
            && self.lx.organization(&span_text(self.text, self.toks, t0, t1)).is_none()
    }

    /// A descriptive noun that names what kind of organisation the span is: right before it
    /// ("drugmaker X", "the charity X") or in an apposition after it ("X, the vaccine alliance,").
    fn org_cue(&self, t0: usize, t1: usize) -> bool {
        let first = lower(self.w(t0));
        if self.lx.is_role_head(&first) || self.lx.is_honorific(&first) {
            return false;
        }
        // "an analyst at Bernstein Research": the employer of a role.
        let employer = t0 >= 2
            && matches!(self.w(t0 - 1), "at" | "with")
            && self.toks[t0 - 2].is_lower()
            && self.lx.is_role_head(self.w(t0 - 2));
        if self.lx.is_given_name(self.w(t0)) {
            // "an analyst at Morgan Kirby": a firm may be named after a person.
            return employer && self.w(t0 - 1) == "at" && t1 - t0 >= 2;
        }
        let before = t0
            .checked_sub(1)
            .and_then(|p| self.toks.get(p))
            .is_some_and(|t| t.is_lower() && self.lx.is_org_descriptor(t.text(self.text)));
        // "told the Braunschweiger Rundschau newspaper": the descriptor after the name.
        // (Not "the Paris-based group", "the Dutch company".)
        let after = t0.checked_sub(1).is_some_and(|p| self.w(p).eq_ignore_ascii_case("the"))
            && self
                .toks
                .get(t1)
                .is_some_and(|t| t.is_lower() && self.lx.is_org_descriptor(t.text(self.text)))
            && !self.lower_tail(t1 - 1)
            && !(t0..t1).all(|i| self.lx.is_demonym(self.w(i)));
        // "members of Hollow Coast": people are members of organisations.
        let members = {
            let b = if t0 > 0 && self.w(t0 - 1) == "the" { t0 - 1 } else { t0 };
            b >= 2
                && self.w(b - 1) == "of"
                && matches!(self.w(b - 2), "member" | "members")
                && !matches!(self.w(t1), "family" | "families")
                && !(t0..t1).any(|i| matches!(self.w(i), "and" | "&"))
                && !self.toks.get(t1).is_some_and(|t| t.is_cap())
        };
        // "Madrid-based Hydrava": a business by where it is based (a person has a noun between:
        // "London-based artist X").
        let based = t0.checked_sub(1).is_some_and(|p| place_based(self.w(p)));
        if based && !(t0..t1).any(|i| matches!(self.w(i), "and" | "&")) {
            return true;
        }
        // "a firm called Derinkaya", "a group calling itself NightVault", "the charity known as X".
        let named = {
            let d = match (t0.checked_sub(1).map(|p| self.w(p)), t0.checked_sub(2).map(|p| self.w(p))) {
                (Some("called" | "named" | "dubbed"), _) => t0.checked_sub(2),
                (Some("itself"), Some("calling" | "calls" | "called")) => t0.checked_sub(3),
                (Some("as"), Some("known")) => t0.checked_sub(3),
                _ => None,
            };
            d.is_some_and(|d| self.toks[d].is_lower() && self.lx.is_org_descriptor(self.w(d)))
        };
        if before || employer || after || members || named {
            return true;
        }
        // "whose restaurant in Lyon, La Table Barraud, has held": the name in apposition to a
        // descriptor (with at most a place phrase between).
        let closed = self.toks.get(t1).is_some_and(|t| t.kind == Kind::Punct && matches!(t.first, ',' | '.'));
        if closed && t0 >= 2 && self.toks[t0 - 1].is_punct(',') {
            let mut k = t0 - 1;
            while k > 0 && t0 - 1 - k < 5 {
                k -= 1;
                let t = &self.toks[k];
                let w = self.w(k);
                if t.is_lower() && self.lx.is_org_descriptor(w) {
                    // Not "a spokeswoman for the union, Mette Kjær,": there the descriptor is
                    // the object of a preposition and the name is the spokeswoman's.
                    let mut d = k;
                    while d > 0
                        && matches!(
                            self.w(d - 1),
                            "the" | "a" | "an" | "its" | "whose" | "their" | "his" | "her"
                        )
                    {
                        d -= 1;
                    }
                    let after_prep = d > 0
                        && matches!(
                            self.w(d - 1),
                            "for" | "of" | "at" | "with" | "from" | "to" | "by" | "in" | "on"
                        );
                    return !after_prep;
                }
                let place_phrase = (t.is_lower() && matches!(w, "in" | "of" | "from" | "near"))
                    || self.lx.location(w).is_some();
                if !place_phrase {
                    break;
                }
            }
        }
        if !self.toks.get(t1).is_some_and(|t| t.is_punct(','))
            || !matches!(self.w(t1 + 1), "the" | "a" | "an")
        {
            return false;
        }
        let mut k = t1 + 2;
        // (", the Dutch shoe and apparel company that …": a nationality may qualify it.)
        // (", the Antwerp cybersecurity firm", ", the Pittsburgh-based pharmacy chain": or a place.)
        let modifier = |k: usize| {
            let w = self.w(k);
            self.toks[k].is_lower()
                // (", the country’s biggest fishing company,")
                || (self.toks[k].kind == Kind::Possessive && self.toks[k - 1].is_lower())
                || self.lx.is_demonym(w)
                || self.lx.location(w).is_some()
                || place_based(w)
        };
        while k < self.toks.len() && k < t1 + 7 && modifier(k) {
            if self.lx.is_org_descriptor(self.w(k)) {
                // The descriptor ends the noun phrase: "the vaccine alliance," / "a fund that
                // collapsed", not "the alliance's chief".
                // (Or a participle: "the Antwerp cybersecurity firm brought in to restore".)
                let next = self.w(k + 1);
                let participle = self.toks.get(k + 1).is_some_and(|t| t.is_lower())
                    && (next.ends_with("ed")
                        || matches!(
                            next,
                            "brought" | "built" | "run" | "known" | "set" | "hired" | "chosen" | "made"
                        ));
                // (Or where it is: "Kavya Lifesciences, a supplier in Hyderabad".)
                let located =
                    matches!(next, "in" | "near") && self.toks.get(k + 2).is_some_and(|t| t.is_cap());
                return self.toks.get(k + 1).is_none_or(|t| t.kind == Kind::Punct && t.first != '-')
                    || matches!(next, "that" | "which" | "whose" | "based")
                    || participle
                    || located;
            }
            k += 1;
        }
        false
    }

    /// A capitalised word that the text also writes in lower case and that names no title,
    /// organisation or place ("Shares", "Residents").
    fn common_noun(&self, i: usize) -> bool {
        let w = self.w(i);
        let lw = lower(w);
        let lower_words = self.lower_words.get_or_init(|| {
            let mut v: Vec<&str> = self
                .toks
                .iter()
                .filter(|t| t.kind == Kind::Word && t.is_lower())
                .map(|t| t.text(self.text))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        });
        // ("Passenger" when the text says "passengers".)
        let plural = format!("{lw}s");
        (lower_words.binary_search(&lw.as_str()).is_ok()
            || lower_words.binary_search(&plural.as_str()).is_ok())
            && !self.lx.is_org_word(w)
            && !LOC_OF_HEADS.contains(&w)
            && !self.lx.is_role_head(&lw)
            && !self.lx.is_role_modifier(&lw)
            && !self.lx.is_honorific(&lw)
            && self.longest_known(i, i + 1).is_none()
    }

    fn name_like(&self, i: usize) -> bool {
        let w = self.w(i);
        let t = &self.toks[i];
        if t.kind == Kind::Word && is_initials(w) && self.lx.location(w).is_none() {
            return true;
        }
        t.kind == Kind::Word
            && (t.first.is_uppercase() || NAME_PARTICLES.contains(&w) || particle_name(w))
            && !self.lx.is_demonym(w)
            && !is_acronym(w)
            && !self.lx.is_org_word(w)
            && !w.chars().any(|c| c.is_ascii_digit())
    }

    /// Whether only a list separator lies between two names: ",", "and", "or", ", and".
    fn coordinated(&self, end: usize, next: usize) -> bool {
        let gap: Vec<&str> = (end..next).map(|i| self.w(i)).collect();
        matches!(gap.as_slice(), [","] | ["and"] | ["or"] | [",", "and"] | [",", "or"])
    }

    fn has_org_word(&self, t0: usize, t1: usize) -> bool {
        t1 - t0 >= 2 && (t0..t1).any(|i| self.lx.is_org_word(self.w(i)))
    }

    fn classify_single(&self, i: usize, out: &mut Vec<Raw>) {
        let lx = self.lx;
        let w = self.w(i);
        let lw = lower(w);
        // "The Treasury said": the one organisation word that names a body on its own.
        if w == "Treasury" && i > 0 && lower(self.w(i - 1)) == "the" {
            out.push(self.raw(i, i + 1, Hint::Org, None));
            return;
        }
        if lx.is_demonym(w) || (lx.is_org_word(w) && !is_acronym(w)) || lx.is_common_acronym(w) {
            return;
        }
        // "TARIFF RISK": a subheading in capitals; a word the text also writes in lower case is
        // no name.
        if is_all_caps(w) && w.chars().count() >= 4 && self.common_noun(i) {
            return;
        }
        // "SAN JOSE, Calif.": a US state abbreviation after a city.
        let after_comma = i > 0 && self.toks[i - 1].is_punct(',');
        if after_comma && self.toks.get(i + 1).is_some_and(|t| t.is_punct('.')) {
            if let Some(c) = lx.state_abbreviation(w) {
                let mut r = self.raw(i, i + 1, Hint::Loc, Some(c));
                r.name = c.to_string();
                out.push(r);
                return;
            }
        }
        if let Some(c) = lx.location(w) {
            out.push(self.raw(i, i + 1, Hint::Loc, Some(c)));
            return;
        }
        if let Some(c) = lx.organization(w) {
            out.push(self.raw(i, i + 1, Hint::Org, Some(c)));
            return;
        }
        if lx.is_role_head(&lw) {
            if self.english && w.chars().next().is_some_and(char::is_uppercase) && !self.sentence_initial(i) {
                let mut r = self.raw(i, i + 1, Hint::RoleOnly, None);
                r.key = lw;
                out.push(r);
            }
            return;
        }
        if lx.is_role_modifier(&lw) || lx.is_honorific(&lw) {
            return;
        }
        if w.contains('-') {
            // "Israel-Hamas", "US-led": the known parts.
            let mut found = false;
            for part in w.split('-') {
                let hit = lx
                    .location(part)
                    .map(|c| (Hint::Loc, c))
                    .or_else(|| lx.organization(part).map(|c| (Hint::Org, c)));
                if let Some((hint, c)) = hit {
                    let mut r = self.raw(i, i + 1, hint, Some(c));
                    r.name = part.to_string();
                    out.push(r);
                    found = true;
                }
            }
            if found {
                return;
            }
            // "Abuja-based", "Lagos-born": the head is a place.
            if let Some((head, tail)) = w.rsplit_once('-') {
                let place_tail = matches!(tail, "based" | "born" | "headquartered" | "bound");
                if place_tail && head.starts_with(char::is_uppercase) && !is_acronym(head) {
                    let mut r = self.raw(i, i + 1, Hint::Loc, None);
                    r.name = head.to_string();
                    r.key = head.to_string();
                    out.push(r);
                }
                // "Lund-Halvorsen", "Vasquez-Petrov": a double-barrelled name goes on as one word.
                // "al-Harthy", "el-Sisi": a surname after its particle, as later mentions write it.
                let name_parts = particle_name(w)
                    || w.split('-').all(|p| p.starts_with(char::is_uppercase) && p.chars().count() >= 2);
                if !name_parts || is_acronym(head) {
                    return;
                }
            }
        }
        if is_all_caps(w) && w.chars().count() >= 4 {
            // "GENEVA (Reuters)": a place written in capitals.
            if let Some(c) = lx.location(&title_case(w)) {
                let mut r = self.raw(i, i + 1, Hint::Loc, Some(c));
                r.name = c.to_string();
                out.push(r);
                return;
            }
        }
        // "the A12 motorway", "the E19": a road by its number.
        let road_code = w.len() <= 4
            && w.starts_with(|c: char| c.is_ascii_uppercase())
            && w[1..].chars().all(|c| c.is_ascii_digit())
            && w.len() >= 2
            && matches!(
                self.w(i + 1),
                "motorway" | "highway" | "road" | "expressway" | "autobahn" | "freeway"
            );
        if road_code {
            out.push(self.raw(i, i + 1, Hint::Loc, None));
            return;
        }
        // "Riksbank", "Bundesbank": a one-word name ending in "bank" is a bank.
        let bank = w.len() > 6 && w.ends_with("bank") && !is_all_caps(w);
        let hint = if is_acronym(w) || bank { Hint::Org } else { Hint::Unknown };
        let mut r = self.raw(i, i + 1, hint, None);
        r.weak = hint == Hint::Unknown && self.sentence_initial(i);
        out.push(r);
    }

    /// Role from an apposition after a name ("X, the Y of Z,") or lowercase titles before it
    /// ("Israel's defense minister, X" / "former president X").
    fn apposition_role(&self, t0: usize, t1: usize) -> Option<String> {
        self.apposition_after(t1).or_else(|| self.role_before(t0))
    }

    /// Role from an apposition right after a name: ", spokesperson for the US mission to the
    /// United Nations,", ", a glaciologist at the University of Bergen,".
    fn apposition_after(&self, t1: usize) -> Option<String> {
        let toks = self.toks;
        let lx = self.lx;
        // ", who heads IGMT in Lower Saxony,": the office the verb names.
        if toks.get(t1).is_some_and(|t| t.is_punct(',')) && self.w(t1 + 1) == "who" {
            let noun = match self.w(t1 + 2) {
                "heads" => "head",
                "chairs" => "chair",
                "leads" => "leader",
                "directs" => "director",
                _ => "",
            };
            let a = t1 + 3;
            // ("who heads Volkswagen’s works council": the possessive too.)
            let e = (a..(a + 10).min(toks.len()))
                .find(|&k| {
                    !matches!(toks[k].kind, Kind::Word | Kind::Possessive)
                        || (toks[k].is_lower() && lx.is_speech_verb(self.w(k)))
                })
                .unwrap_or(a);
            if !noun.is_empty() && e > a && (a..e).any(|k| toks[k].is_cap()) {
                return Some(format!("{noun} of {}", span_text(self.text, toks, a, e)));
            }
        }
        // ", a 41-year-old pharmacist who …", ", a 34-year-old rice farmer from …": the noun after
        // the age (up to three lowercase words, before a preposition, clause or punctuation).
        // (", 38, a guide from the Solukhumbu district": an age in figures first.)
        let figures = toks.get(t1).is_some_and(|t| t.is_punct(','))
            && self.w(t1 + 1).len() <= 3
            && self.w(t1 + 1).bytes().all(|b| b.is_ascii_digit())
            && toks.get(t1 + 2).is_some_and(|t| t.is_punct(','))
            && matches!(self.w(t1 + 3), "a" | "an");
        let t1 = if figures { t1 + 2 } else { t1 };
        let noun = if figures {
            // (", 41, a landscaper who lives in Glendale": the noun right after the article.)
            Some(t1 + 2)
        } else {
            (toks.get(t1).is_some_and(|t| t.is_punct(','))
                && matches!(self.w(t1 + 1), "a" | "an")
                && self.w(t1 + 2).ends_with("-year-old"))
            .then_some(t1 + 3)
        };
        if let Some(a) = noun {
            let mut e = a;
            while e < toks.len()
                && e < a + 3
                && toks[e].is_lower()
                && toks[e].kind == Kind::Word
                && !lx.is_stopword(self.w(e))
            {
                e += 1;
            }
            let ends = toks.get(e).is_none_or(|t| t.kind != Kind::Word || lx.is_stopword(self.w(e)));
            if e > a && ends {
                return Some(span_text(self.text, toks, a, e));
            }
        }
        // After: ", spokesperson for the US mission to the United Nations,"
        if toks.get(t1).is_some_and(|t| t.is_punct(',')) {
            let a = t1 + 1;
            let mut e = a;
            while e < toks.len() && e < a + 16 {
                let t = &toks[e];
                if t.kind == Kind::Break
                    || t.kind == Kind::QuoteMark
                    || (t.kind == Kind::Punct && t.first != '-' && t.first != '\'')
                    // ", an ocean physicist at … who was not involved": a relative clause ends it.
                    || (e > a + 1 && matches!(self.w(e), "who" | "which" | "whose"))
                    // ", the trial's lead investigator and a senior researcher at …": the first
                    // of two coordinated descriptions.
                    || (e > a + 1 && self.w(e) == "and" && matches!(self.w(e + 1), "a" | "an"))
                {
                    break;
                }
                e += 1;
            }
            let ends_ok = (self.w(e) == "and" && matches!(self.w(e + 1), "a" | "an"))
                || toks.get(e).is_some_and(|t| {
                    (t.kind == Kind::Punct && matches!(t.first, ',' | '.' | ';' | ')'))
                        || matches!(t.text(self.text), "who" | "which" | "whose")
                });
            if ends_ok && e > a {
                let mut s = a;
                while s < e && matches!(self.w(s), "the" | "a" | "an" | "The") {
                    s += 1;
                }
                let head_near = (s..e.min(s + 6)).any(|k| lx.is_role_head(&lower(self.w(k))));
                let first_l = lower(self.w(s));
                let relative = matches!(
                    first_l.as_str(),
                    "who" | "which" | "whose" | "where" | "when" | "said" | "says" | "told"
                        // ", and Guitarist Tom Akande watched": a coordinated clause.
                        | "and" | "or" | "but" | "while"
                );
                // (Not ", backed the minister." nor ", commentating for the official broadcast,":
                // a clause that starts with its verb.)
                let verb_first = toks.get(s).is_some_and(|t| t.is_lower())
                    && ((first_l.ends_with("ed")
                        && matches!(self.w(s + 1), "the" | "a" | "an" | "his" | "her" | "its" | "their"))
                        || (first_l.ends_with("ing") && CLAUSE_PREPS.contains(&self.w(s + 1))));
                let verbish =
                    (s..e).any(|k| lx.is_speech_verb(self.w(k)) && toks[k].is_lower()) || verb_first;
                // ", a retired schoolteacher from …": an indefinite noun phrase before a preposition.
                let indefinite = s > a && matches!(self.w(a), "a" | "an") && {
                    let p = (s..e.min(s + 5))
                        .find(|&k| matches!(self.w(k), "at" | "of" | "for" | "with" | "from" | "in" | "on"));
                    p.is_some_and(|p| {
                        p > s && (s..p).all(|k| toks[k].is_lower() && !lx.is_stopword(self.w(k)))
                    })
                };
                if (head_near || indefinite) && !relative && !verbish && s < e {
                    // ", a guide from the Solukhumbu district,": where someone is from is no
                    // part of the role.
                    let e = (s + 1..e).find(|&k| self.w(k) == "from").unwrap_or(e);
                    return Some(span_text(self.text, toks, s, e));
                }
            }
        }
        None
    }

    /// A title before the name, lowercase or across a comma: "Israel's defense minister, X",
    /// "former president X", "the BMA's council chair, Dr X".
    /// Where a run of at most `max` lowercase words ends, going back from `k` (stop words and
    /// verbs of saying end it).
    fn lowercase_run_before(&self, k: usize, max: usize) -> usize {
        let mut j = k;
        while j > 0
            && k - j < max
            && self.toks[j - 1].kind == Kind::Word
            && self.toks[j - 1].is_lower()
            && !self.lx.is_stopword(self.w(j - 1))
            && !self.lx.is_speech_verb(self.w(j - 1))
        {
            j -= 1;
        }
        j
    }

    fn role_before(&self, t0: usize) -> Option<String> {
        let toks = self.toks;
        let lx = self.lx;
        // "a retired schoolteacher from Queens named Gloria Mbeki".
        if t0 >= 2 && matches!(self.w(t0 - 1), "named" | "called") {
            let c = t0 - 1;
            let mut k = c;
            while k > 0 && c - k < 8 && toks[k - 1].kind == Kind::Word {
                let lw = lower(self.w(k - 1));
                if matches!(lw.as_str(), "a" | "an" | "the") {
                    let head = (k..c).any(|i| toks[i].is_lower() && lx.is_role_head(self.w(i)));
                    return head.then(|| span_text(self.text, toks, k, c));
                }
                k -= 1;
            }
            return None;
        }
        let mut k = t0;
        // "the council chair, Dr Tom Hughes": the honorific is not part of the title.
        while k > 0 && lx.is_honorific(&lower(self.w(k - 1)))
            || (k > 1 && toks[k - 1].is_punct('.') && lx.is_honorific(&lower(self.w(k - 2))))
        {
            k -= if toks[k - 1].is_punct('.') { 2 } else { 1 };
        }
        let name_start = k;
        let mut b = k;
        let mut head = false;
        if k > 0 && toks[k - 1].is_punct(',') {
            k -= 1;
        }
        let comma_gap = k < name_start;
        let stop = k;
        // "board member for human resources Markus Feld", "UN special envoy for maritime security
        // X": a title whose head takes a lowercase complement right before the name.
        let mut complement = false;
        if !comma_gap {
            let j = self.lowercase_run_before(k, 4);
            if j < k
                && j >= 2
                && matches!(self.w(j - 1), "for" | "of" | "on")
                && lx.is_role_head(&lower(self.w(j - 2)))
            {
                k = j - 1;
                complement = true;
            }
        }
        let mut after_possessive = false;
        while k > 0 {
            let p = k - 1;
            let t = &toks[p];
            let w = self.w(p);
            let lw = lower(w);
            let ok = match t.kind {
                Kind::Possessive => true,
                // The owner of "BMA's council chair", "Kenya's health minister".
                // ("the band's manager": a common noun owns it too.)
                Kind::Word if after_possessive => t.is_cap() || (t.is_lower() && !lx.is_stopword(&lw)),
                Kind::Word => {
                    if lx.is_role_head(&lw) {
                        head = true;
                        true
                    } else {
                        (lx.is_role_modifier(&lw) && !matches!(lw.as_str(), "the" | "and" | "to" | "on"))
                            || lx.is_demonym(w)
                            || lx.location(w).is_some()
                            || lx.organization(w).is_some()
                            // "council chair", "party leader", "ministry spokesman", "faction leader"
                            || (t.is_lower() && (lx.is_org_word(&title_case(w)) || lx.is_org_descriptor(&lw)))
                    }
                }
                _ => false,
            };
            if !ok || t.kind == Kind::Break {
                break;
            }
            b = p;
            k = p;
            if after_possessive {
                break;
            }
            after_possessive = t.kind == Kind::Possessive;
        }
        if head && b < stop {
            // The title must end with a head word ("minister"), not a modifier.
            let last = lower(self.w(stop - 1));
            if (complement || lx.is_role_head(&last)) && (!comma_gap || stop - b >= 2) {
                // "UN aid chief X", "EU foreign policy chief X": up to two lowercase words of the
                // field between the owner and the title.
                if !comma_gap && toks[b].is_lower() {
                    let f = self.lowercase_run_before(b, 2);
                    if f < b && f > 0 {
                        let o = self.w(f - 1);
                        if toks[f - 1].is_cap()
                            && (is_acronym(o) || lx.organization(o).is_some() || lx.location(o).is_some())
                        {
                            b = f;
                        }
                    }
                }
                // "Ravenscourt manager X", "Brightwater Securities analyst X", "Council leader X":
                // the capitalised name before a lowercase title says whose title it is.
                if !comma_gap && toks[b].is_lower() {
                    let mut c = b;
                    while c > 0
                        && b - c < 3
                        && toks[c - 1].kind == Kind::Word
                        && toks[c - 1].is_cap()
                        && !lx.is_honorific(&lower(self.w(c - 1)))
                        && !lx.is_stopword(&lower(self.w(c - 1)))
                        && !is_calendar_word(self.w(c - 1))
                    {
                        c -= 1;
                    }
                    b = c;
                    // "former Monterrey mayor X": a qualifier before the owner belongs to the title.
                    if b > 0
                        && toks[b - 1].is_lower()
                        && matches!(self.w(b - 1), "former" | "acting" | "outgoing" | "incoming" | "interim")
                    {
                        b -= 1;
                    }
                }
                let mut s = b;
                while s < stop && self.w(s) == "of" {
                    s += 1;
                }
                return Some(span_text(self.text, toks, s, stop));
            }
        }
        if comma_gap {
            return self.comma_role(name_start - 1);
        }
        None
    }

    /// A determined noun phrase with a role head before the comma at `c`: "The Chancellor, X",
    /// "The shadow housing secretary, X", "its chairman, X", "a spokeswoman for the union, X".
    fn comma_role(&self, c: usize) -> Option<String> {
        let toks = self.toks;
        let lx = self.lx;
        // The phrase is `k..c`.
        let mut k = c;
        let mut head = false;
        // "with the referee, X": where the phrase starts if what lies before "the" belongs to
        // another clause (it does not when it goes on to a title: "a spokeswoman for the union").
        let mut fallback: Option<usize> = None;
        let give_up = |fallback: Option<usize>| fallback.map(|k| span_text(self.text, toks, k, c));
        while k > 0 {
            if c - k >= 8 {
                return give_up(fallback);
            }
            let p = k - 1;
            let t = &toks[p];
            let lw = lower(self.w(p));
            let det = matches!(
                lw.as_str(),
                "the"
                    | "a"
                    | "an"
                    | "its"
                    | "his"
                    | "her"
                    | "their"
                    | "our"
                    | "my"
                    | "your"
                    | "that"
                    | "this"
                    | "another"
                    | "whose"
            );
            let after_prep =
                p > 0 && matches!(self.w(p - 1), "for" | "of" | "at" | "to" | "in" | "on" | "with");
            if t.kind == Kind::Break
                || t.kind == Kind::Possessive
                || (t.kind == Kind::Punct && t.first != '-')
                || (det && !after_prep)
            {
                break;
            }
            if t.kind != Kind::Word || (t.is_lower() && lx.is_speech_verb(&lw)) {
                return give_up(fallback);
            }
            if det && head {
                fallback = Some(k);
            }
            if lx.is_role_head(&lw) {
                head = true;
            } else if lx.is_stopword(&lw)
                && !det
                && !matches!(lw.as_str(), "of" | "for" | "at" | "to" | "on" | "and")
            {
                return give_up(fallback);
            }
            k = p;
        }
        (head && k < c).then(|| span_text(self.text, toks, k, c))
    }

    /// Whether the mention `t0..t1` is followed by a verb (so it is its clause's subject) and is
    /// not the object of a preposition ("had not spoken to Castellane since Friday").
    fn is_subject(&self, t0: usize, t1: usize) -> bool {
        let object = t0.checked_sub(1).and_then(|p| self.toks.get(p)).is_some_and(|t| {
            t.is_lower()
                && matches!(
                    t.text(self.text),
                    "to" | "with"
                        | "by"
                        | "for"
                        | "from"
                        | "against"
                        | "about"
                        | "than"
                        | "toward"
                        | "towards"
                )
        });
        // "Ireland's foreign minister, Cathal Brennock, struck a conciliatory tone": an
        // apposition closed by a comma, then the verb.
        let apposition = t0.checked_sub(1).is_some_and(|p| self.toks[p].is_punct(','))
            && self.toks.get(t1).is_some_and(|t| t.is_punct(','))
            && self.verb_like(t1 + 1);
        !object && (apposition || self.follows_subject(t1))
    }

    fn follows_subject(&self, t1: usize) -> bool {
        // "Kwame Mensah of the British Antarctic Survey, who …, described": past the employer.
        let mut t1 = t1;
        if matches!(self.w(t1), "of" | "at" | "from") {
            let mut k = t1 + 1;
            if self.w(k) == "the" {
                k += 1;
            }
            let s = k;
            while self.is_cap_word(k) || (k > s && CONNECTORS.contains(&self.w(k)) && self.is_cap_word(k + 1))
            {
                k += 1;
            }
            if k > s {
                t1 = k;
            }
        }
        // "Its chief executive, Sania Nishtar, said" / "Sania Nishtar, its chief executive, said".
        if self.toks.get(t1).is_some_and(|t| t.is_punct(',')) {
            if self.toks.get(t1 + 1).is_some_and(|t| t.is_lower()) && self.lx.is_speech_verb(self.w(t1 + 1)) {
                return true;
            }
            let sent = self.toks[t1].sent;
            // … or a parenthesis: "O'Hare, meanwhile, was already thinking"; the apposition may
            // hold commas of its own ("principal secretary in the Ministry of Water, Sanitation
            // and Irrigation, told").
            return (t1 + 2..(t1 + 24).min(self.toks.len()))
                .take_while(|&k| {
                    let t = &self.toks[k];
                    t.sent == sent && !matches!(t.kind, Kind::Break | Kind::QuoteMark)
                })
                .any(|k| self.toks[k].is_punct(',') && self.verb_like(k + 1));
        }
        self.verb_like(t1)
    }

    /// A lowercase word that can follow a clause's subject (a verb, not a preposition or relative).
    fn verb_like(&self, t1: usize) -> bool {
        let Some(t) = self.toks.get(t1) else { return false };
        if !t.is_lower() {
            return false;
        }
        let w = self.w(t1);
        self.lx.is_speech_verb(w)
            || !matches!(
                w,
                "and"
                    | "or"
                    | "of"
                    | "in"
                    | "on"
                    | "at"
                    | "to"
                    | "for"
                    | "from"
                    | "with"
                    | "by"
                    | "the"
                    | "a"
                    | "an"
                    | "who"
                    | "whose"
                    | "which"
                    | "that"
                    | "as"
                    | "than"
                    | "into"
                    | "after"
                    | "before"
                    | "during"
                    | "over"
                    | "under"
                    | "about"
                    | "against"
                    | "between"
                    | "among"
                    | "amid"
                    | "while"
                    | "when"
                    | "since"
                    | "until"
                    | "because"
                    | "despite"
                    | "without"
                    | "through"
                    | "via"
            )
    }
}

/// Finds the entities of `text` (already tokenised and annotated).
pub(crate) fn analyze(text: &str, toks: &[Token], english: bool) -> Analysis {
    let ctx = Ctx { text, toks, lx: &LEXICON, english, lower_words: std::cell::OnceCell::new() };
    let mut raws = Vec::new();
    for (t0, t1) in ctx.spans() {
        ctx.classify(t0, t1, &mut raws);
    }
    // Laws are not entities: "the Western Water Security Act", and the first half of "the Public
    // Libraries and Museums Act".
    // Named events are not entities either: "the Sawmill Fire", "Storm Babet", "the Ambleford
    // Gooseberry Show" (a known organisation such as "Cal Fire" stays).
    let is_law = |r: &Raw| {
        let last = r.name.rsplit(' ').next();
        let first = r.name.split(' ').next();
        r.t1 - r.t0 >= 2
            && r.hint != Hint::Loc
            && (matches!(last, Some("Act" | "Bill" | "Amendment"))
                // The lexicon is asked only about names that look like events.
                || ((matches!(last, Some("Festival" | "Show" | "Fair" | "Marathon" | "Slam"))
                    // "the Sawmill Fire", not "Cal Fire" (an agency)
                    || (last == Some("Fire") && r.t0 > 0 && ctx.w(r.t0 - 1).eq_ignore_ascii_case("the"))
                    || matches!(first, Some("Hurricane" | "Storm" | "Cyclone" | "Typhoon"))
                    // "Super Typhoon Haiyan", "Tropical Storm Alberto"
                    || r.name.split(' ').nth(1).is_some_and(|w| matches!(w, "Typhoon" | "Storm" | "Cyclone" | "Hurricane")))
                    && LEXICON.organization(&r.name).is_none()))
    };
    // "Saltmarsh Festival, which takes place …, said": a festival that speaks is its organiser.
    let speaks = |r: &Raw| {
        ctx.is_subject(r.t0, r.t1)
            && (r.t1..(r.t1 + 30).min(toks.len()))
                .take_while(|&k| toks[k].sent == toks[r.t1.min(toks.len() - 1)].sent)
                .any(|k| toks[k].is_lower() && !toks[k].in_quote && LEXICON.is_speech_verb(ctx.w(k)))
    };
    let speakers: HashSet<String> =
        raws.iter().filter(|r| r.name.ends_with(" Festival") && speaks(r)).map(|r| r.name.clone()).collect();
    for r in raws.iter_mut().filter(|r| speakers.contains(&r.name)) {
        r.hint = Hint::Org;
        r.guessed = false;
    }
    // "Bank of England Cuts Rates in Knife-Edge Vote": in a headline in title case every word is
    // capitalised, so a name there counts only when the lexicon knows it or the text names it
    // again outside such lines.
    let headline = headline_tokens(text, toks);
    if headline.iter().any(|&h| h) {
        let in_headline = |r: &Raw| headline.get(r.t0).copied().unwrap_or(false);
        let named_elsewhere: HashSet<String> =
            raws.iter().filter(|r| !in_headline(r)).flat_map(|r| [r.name.clone(), r.key.clone()]).collect();
        // (A byline or caption names a person once: "By Jane Doe".)
        raws.retain(|r| {
            !in_headline(r)
                || (r.hint == Hint::Person && !r.guessed)
                || named_elsewhere.contains(&r.name)
                || named_elsewhere.contains(&r.key)
                || LEXICON.location(&r.name).is_some()
                || LEXICON.organization(&r.name).is_some()
        });
    }
    let mut drop = vec![false; raws.len()];
    for i in 0..raws.len() {
        if is_law(&raws[i]) && !speakers.contains(&raws[i].name) {
            drop[i] = true;
            if i > 0 && raws[i - 1].t1 + 1 == raws[i].t0 && ctx.w(raws[i - 1].t1) == "and" {
                drop[i - 1] = true;
            }
        }
    }
    let mut keep = drop.iter().map(|d| !d);
    raws.retain(|_| keep.next().unwrap_or(true));
    // "the California Department of Forestry and Fire Protection, known as Cal Fire": the name
    // after "known as" is another name of the one before it.
    for i in 1..raws.len() {
        let t0 = raws[i].t0;
        let known_as =
            t0 >= 3 && ctx.w(t0 - 1) == "as" && ctx.w(t0 - 2) == "known" && ctx.toks[t0 - 3].is_punct(',');
        let prev = &raws[i - 1];
        if known_as && prev.t1 + 3 == t0 && matches!(prev.hint, Hint::Org | Hint::Person | Hint::Loc) {
            let (hint, key) = (prev.hint, prev.key.clone());
            raws[i].hint = hint;
            raws[i].key = key;
        }
    }
    // "parts of Windsor, Pitt Town, McGraths Hill and North Richmond": names that only look like
    // people, listed with a place and with nothing surer, are places too.
    let mut g0 = 0;
    while g0 < raws.len() {
        let mut g1 = g0 + 1;
        while g1 < raws.len() && ctx.coordinated(raws[g1 - 1].t1, raws[g1].t0) {
            g1 += 1;
        }
        let group = &raws[g0..g1];
        let place = group.iter().any(|r| r.hint == Hint::Loc);
        let all_weak = group.iter().all(|r| r.hint == Hint::Loc || r.guessed || r.hint == Hint::Unknown);
        // Three or more: two names around a comma may be a name and its apposition ("Liang
        // Wenqing, China's envoy").
        if g1 - g0 >= 3 && place && all_weak {
            for r in &mut raws[g0..g1] {
                if r.guessed {
                    r.hint = Hint::Loc;
                    r.guessed = false;
                }
            }
        }
        g0 = g1;
    }
    // Capitalised mid-sentence words: a sentence-initial unknown word counts only if it recurs.
    let mut seen_mid: HashMap<&str, ()> = HashMap::new();
    for r in &raws {
        // Words inside a known organisation or place ("Home Builders Federation") do not count.
        if !r.weak && matches!(r.hint, Hint::Person | Hint::Unknown) {
            for w in r.name.split_whitespace() {
                seen_mid.insert(w, ());
            }
        }
    }
    let seen_mid: std::collections::HashSet<String> = seen_mid.keys().map(|s| s.to_string()).collect();

    let mut ents: Vec<Ent> = Vec::new();
    let mut by_key: HashMap<(EntityKind, String), usize> = HashMap::new();
    // Short forms that point at an entity: surnames, acronyms, lexicon aliases.
    let mut short: HashMap<String, usize> = HashMap::new();
    // Given names of multi-word people ("Sir Keir" → "Keir Starmer"); `None` when two share one.
    let mut firsts: HashMap<String, Option<usize>> = HashMap::new();
    let mut assigned: Vec<Option<usize>> = vec![None; raws.len()];

    let add = |ents: &mut Vec<Ent>,
               by_key: &mut HashMap<(EntityKind, String), usize>,
               r: &Raw,
               kind: EntityKind|
     -> usize {
        let k = (kind, r.key.clone());
        if let Some(&i) = by_key.get(&k) {
            return i;
        }
        ents.push(Ent {
            name: r.name.clone(),
            kind,
            role: None,
            aliases: Vec::new(),
            mentions: 0,
            first: usize::MAX,
        });
        by_key.insert(k, ents.len() - 1);
        ents.len() - 1
    };

    // Pass 1: full names, longest first so that "Bin Salman" finds "Mohammed Bin Salman".
    let mut order: Vec<usize> = (0..raws.len())
        .filter(|&i| {
            matches!(raws[i].hint, Hint::Person | Hint::Org | Hint::Loc) && raws[i].t1 - raws[i].t0 >= 2
        })
        .collect();
    // Guessed people after the names with surer cues, so that "Pitt Town" typed a place by "in Pitt
    // Town" stays one whatever mention comes first.
    order.sort_by_key(|&i| (std::cmp::Reverse(raws[i].name.split_whitespace().count()), raws[i].guessed));
    for i in order {
        let r = &raws[i];
        let e = match r.hint {
            Hint::Person => {
                // "Vasquez-Petrov and Lumen Ledger": a name already typed as an organisation or
                // place by a surer cue stays so.
                let typed = [EntityKind::Organization, EntityKind::Location]
                    .into_iter()
                    .find_map(|k| by_key.get(&(k, r.key.clone())).copied())
                    .or_else(|| short.get(&r.name).copied().filter(|&e| ents[e].kind != EntityKind::Person))
                    .filter(|_| r.role.is_none());
                if let Some(e) = typed {
                    e
                } else if let Some(&e) = short.get(&r.name).filter(|&&e| ents[e].kind == EntityKind::Person) {
                    e
                } else {
                    let e = add(&mut ents, &mut by_key, r, EntityKind::Person);
                    let words: Vec<&str> = r.name.split_whitespace().collect();
                    if let (Some(first), true) = (words.first(), words.len() >= 2) {
                        let slot = firsts.entry(first.to_string()).or_insert(Some(e));
                        if *slot != Some(e) {
                            *slot = None;
                        }
                    }
                    if let Some(last) = words.last() {
                        short.entry(last.to_string()).or_insert(e);
                        if let Some(h) = last.find('-') {
                            short.entry(last[h + 1..].to_string()).or_insert(e);
                        }
                    }
                    // "Azman Shah bin Hashim" → "Azman Shah": the personal name before a patronymic.
                    if let Some(b) = words.iter().position(|w| matches!(*w, "bin" | "binti" | "bint" | "ibn"))
                    {
                        if b >= 2 {
                            short.entry(words[..b].join(" ")).or_insert(e);
                        }
                    }
                    if words.len() >= 3 && NAME_PARTICLES.contains(&words[words.len() - 2]) {
                        short.entry(words[words.len() - 2..].join(" ")).or_insert(e);
                    }
                    // "María José de la Fuente Ortiz" → "de la Fuente", "Fuente": the first
                    // surname after its particles is how later mentions name her.
                    if let Some(p) = (1..words.len()).find(|&i| NAME_PARTICLES.contains(&words[i])) {
                        if let Some(j) = (p..words.len()).find(|&j| !NAME_PARTICLES.contains(&words[j])) {
                            if j + 1 < words.len() {
                                short.entry(words[p..=j].join(" ")).or_insert(e);
                                short.entry(words[j].to_string()).or_insert(e);
                            }
                        }
                    }
                    // "Rocío Navarrete Ibarra" → "Navarrete": the first of two surnames (a middle
                    // word that is no given name).
                    if words.len() == 3
                        && !LEXICON.is_given_name(words[1])
                        && words[1].starts_with(char::is_uppercase)
                        && !NAME_PARTICLES.contains(&words[1])
                    {
                        short.entry(words[1].to_string()).or_insert(e);
                    }
                    if words.len() >= 3 {
                        let rest = words[1..].join(" ");
                        // "Maarten van der Heijden" → "Van der Heijden" at a sentence start.
                        if rest.starts_with(char::is_lowercase) {
                            short.entry(capitalise(&rest)).or_insert(e);
                        }
                        short.entry(rest).or_insert(e);
                    }
                    e
                }
            }
            Hint::Org => {
                let e = add(&mut ents, &mut by_key, r, EntityKind::Organization);
                if r.key != r.name {
                    // "…, known as Cal Fire": later "Cal Fire" is the same.
                    short.entry(r.name.clone()).or_insert(e);
                }
                // "Nordhaven Group" → "Nordhaven", "Dunmore Athletic" → "Dunmore": the name without
                // its closing organisation word, unless that leaves a place or a common word.
                if let Some((rest, last)) = r.name.rsplit_once(' ') {
                    let plain = !rest.contains(' ')
                        && LEXICON.is_org_word(last)
                        && !LEXICON.is_org_word(rest)
                        && LEXICON.location(rest).is_none()
                        && LEXICON.organization(rest).is_none()
                        && !LEXICON.is_demonym(rest)
                        && !LEXICON.is_given_name(rest)
                        && !LEXICON.is_role_modifier(&lower(rest))
                        && !LEXICON.is_stopword(&lower(rest));
                    if plain {
                        short.entry(rest.to_string()).or_insert(e);
                    }
                }
                if let Some(a) = initials(&r.name) {
                    short.entry(a.clone()).or_insert(e);
                    short.entry(a.chars().flat_map(|c| [c, '.']).collect()).or_insert(e);
                }
                e
            }
            _ => add(&mut ents, &mut by_key, r, EntityKind::Location),
        };
        assigned[i] = Some(e);
    }
    // Pass 2: single words.
    for i in 0..raws.len() {
        if assigned[i].is_some() {
            continue;
        }
        let r = &raws[i];
        if r.hint == Hint::RoleOnly {
            continue;
        }
        // People who share this one-word name as their surname.
        let sharing: Vec<usize> = if r.t1 - r.t0 == 1 {
            (0..ents.len())
                .filter(|&e| {
                    ents[e].kind == EntityKind::Person
                        && ents[e].name.rsplit_once(' ').is_some_and(|(_, last)| last == r.name)
                })
                .collect()
        } else {
            Vec::new()
        };
        if sharing.len() >= 2 {
            // "His wife, Sophie Whitcombe, … Mrs Whitcombe said": the honorific says which one.
            let female = match r.t0.checked_sub(1).map(|p| ctx.w(p).trim_end_matches('.')) {
                Some("Mrs" | "Ms" | "Miss") => Some(true),
                Some("Mr") => Some(false),
                _ => None,
            };
            if let Some(female) = female {
                let fits = |e: &usize| {
                    ents[*e].name.split_whitespace().next().is_some_and(|g| LEXICON.is_female_name(g))
                        == female
                };
                if let [e] = sharing.iter().copied().filter(fits).collect::<Vec<_>>()[..] {
                    assigned[i] = Some(e);
                    continue;
                }
            }
            // "Marina Silva … “…,” Silva said. … President Luiz Inácio Lula da Silva": otherwise the
            // one named last before it.
            let nearest = (0..i)
                .filter_map(|k| assigned[k].filter(|e| sharing.contains(e)))
                .next_back()
                .or_else(|| (i + 1..raws.len()).find_map(|k| assigned[k].filter(|e| sharing.contains(e))));
            if let Some(e) = nearest {
                assigned[i] = Some(e);
                continue;
            }
        }
        if let Some(&e) = short.get(&r.name) {
            if !(ents[e].kind == EntityKind::Person && r.hint == Hint::Loc && r.t1 - r.t0 > 1) {
                assigned[i] = Some(e);
                continue;
            }
        }
        // "with Vantor, the Dutch shoe company … “…,” Vantor said": a name of no known type here
        // is the entity another mention typed.
        if r.hint == Hint::Unknown && r.weak {
            let typed = [EntityKind::Organization, EntityKind::Location, EntityKind::Person]
                .into_iter()
                .find_map(|k| by_key.get(&(k, r.key.clone())).copied());
            if let Some(e) = typed {
                assigned[i] = Some(e);
                continue;
            }
        }
        if matches!(r.hint, Hint::Person | Hint::Unknown) && r.t1 - r.t0 == 1 {
            let honorific = r.t0.checked_sub(1).is_some_and(|p| LEXICON.is_honorific(&lower(ctx.w(p))));
            if let Some(&Some(e)) = firsts.get(&r.name) {
                // "Tedros Adhanom Ghebreyesus … Tedros said": the first of three names is how
                // the text refers to him, whatever the word.
                let three = ents[e].name.split_whitespace().count() >= 3;
                if honorific || LEXICON.is_given_name(&r.name) || three {
                    assigned[i] = Some(e);
                    continue;
                }
            }
        }
        let kind = match r.hint {
            Hint::Person => Some(EntityKind::Person),
            Hint::Org => Some(EntityKind::Organization),
            Hint::Loc => Some(EntityKind::Location),
            _ if english && !r.weak => context_kind(&ctx, r),
            _ => None,
        };
        let kind = kind.or_else(|| {
            // A sentence-initial word that also appears capitalised mid-sentence.
            (r.weak && english && seen_mid.contains(&r.name)).then(|| context_kind(&ctx, r)).flatten()
        });
        if let Some(kind) = kind {
            let e = add(&mut ents, &mut by_key, r, kind);
            assigned[i] = Some(e);
        }
    }
    // Coordinated names: "Kharkiv, Sumy and Poltava", "in Siaya and Busia counties". An
    // unknown name in a list with a place and no person or organisation is a place too.
    let mut g0 = 0;
    while g0 < raws.len() {
        let mut g1 = g0 + 1;
        while g1 < raws.len() && ctx.coordinated(raws[g1 - 1].t1, raws[g1].t0) {
            g1 += 1;
        }
        if g1 - g0 >= 2 {
            let kind_of = |i: usize| assigned[i].map(|e| ents[e].kind);
            let place = (g0..g1).any(|i| kind_of(i) == Some(EntityKind::Location));
            let other =
                (g0..g1).any(|i| matches!(kind_of(i), Some(EntityKind::Person | EntityKind::Organization)));
            if place && !other {
                for i in g0..g1 {
                    if assigned[i].is_none()
                        && raws[i].hint == Hint::Unknown
                        && !is_calendar_word(&raws[i].name)
                    {
                        assigned[i] = Some(add(&mut ents, &mut by_key, &raws[i], EntityKind::Location));
                    }
                }
            }
        }
        g0 = g1;
    }
    // Role-only mentions ("the Secretary of State") → the person with that role.
    let mut mentions = Vec::new();
    for (i, r) in raws.iter().enumerate() {
        if let Some(e) = assigned[i] {
            if ents[e].role.is_none() && ents[e].kind == EntityKind::Person && english {
                // "Sudan's army chief, General X": the description before the title belongs to it.
                let before = r.role.as_ref().and_then(|_| ctx.role_before(r.lead));
                ents[e].role = match (&r.role, before) {
                    (Some(t), Some(b)) => Some(format!("{b}, {t}")),
                    // "Lt. Gen. X, commander of …": the title and the apposition.
                    (Some(t), None) => Some(match ctx.apposition_after(r.t1) {
                        Some(a) if a != *t => format!("{t}, {a}"),
                        _ => t.clone(),
                    }),
                    (None, _) => ctx.apposition_role(r.t0, r.t1),
                };
            }
        }
    }
    for (i, r) in raws.iter().enumerate() {
        let e = match assigned[i] {
            Some(e) => Some(e),
            None if r.hint == Hint::RoleOnly => resolve_role(&ents, &mentions, &r.key),
            None => None,
        };
        let Some(e) = e else { continue };
        let ent = &mut ents[e];
        ent.mentions += 1;
        let off = toks.get(r.t0).map_or(0, |t| t.c0);
        if off < ent.first {
            ent.first = off;
        }
        if r.hint != Hint::RoleOnly {
            if r.name.split_whitespace().count() > ent.name.split_whitespace().count()
                && ent.kind != EntityKind::Location
            {
                let old = std::mem::replace(&mut ent.name, r.name.clone());
                if !ent.aliases.contains(&old) {
                    ent.aliases.push(old);
                }
            } else if r.name != ent.name && !ent.aliases.contains(&r.name) {
                ent.aliases.push(r.name.clone());
            }
        }
        mentions.push(Mention { t0: r.t0, t1: r.t1, ent: e, subject: ctx.is_subject(r.t0, r.t1) });
    }
    mentions.sort_by_key(|m| m.t0);
    mentions.dedup_by_key(|m| m.t0);
    if english {
        role_noun_mentions(&ctx, &mut ents, &mut mentions);
    }
    let mut mention_at = vec![None; toks.len()];
    for (mi, m) in mentions.iter().enumerate() {
        for slot in mention_at.iter_mut().take(m.t1).skip(m.t0) {
            *slot = Some(mi as u32);
        }
    }
    Analysis { ents, mentions, mention_at }
}

/// Lowercase role nouns outside quotations ("the health secretary later said", "the minister")
/// that name a person already introduced with that role become mentions of that person, so that
/// a following "he said" finds them. Keeps `mentions` sorted.
fn role_noun_mentions(ctx: &Ctx, ents: &mut [Ent], mentions: &mut Vec<Mention>) {
    let toks = ctx.toks;
    let mut covered = vec![false; toks.len()];
    for m in mentions.iter() {
        for c in covered.iter_mut().take(m.t1).skip(m.t0) {
            *c = true;
        }
    }
    let mut found = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !(matches!(ctx.w(i), "the" | "The") && !toks[i].in_quote && !covered[i]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut words = Vec::new();
        while j < toks.len() && j < i + 6 && toks[j].is_lower() && !covered[j] {
            let lw = ctx.w(j);
            if !(ctx.lx.is_role_head(lw) || ctx.lx.is_role_modifier(lw)) || matches!(lw, "the" | "of" | "and")
            {
                break;
            }
            words.push(lw);
            j += 1;
        }
        while words.last().is_some_and(|w| !ctx.lx.is_role_head(w)) {
            words.pop();
            j -= 1;
        }
        // Not a title before a name ("the health secretary Wes Streeting").
        if words.is_empty() || ctx.is_cap_word(j) {
            i += 1;
            continue;
        }
        let before = mentions.partition_point(|m| m.t0 < i);
        if let Some(e) = resolve_role(ents, &mentions[..before], &words.join(" ")) {
            found.push(Mention { t0: i, t1: j, ent: e, subject: ctx.is_subject(i, j) });
            if let Some(ent) = ents.get_mut(e) {
                ent.mentions += 1;
            }
        }
        i = j;
    }
    if !found.is_empty() {
        mentions.extend(found);
        mentions.sort_by_key(|m| m.t0);
    }
}

/// The person whose role contains every word of `role` (lowercase), preferring the latest mentioned.
pub(crate) fn resolve_role(ents: &[Ent], mentions: &[Mention], role: &str) -> Option<usize> {
    let words: Vec<&str> =
        role.split_whitespace().filter(|w| !matches!(*w, "the" | "of" | "a" | "an")).collect();
    if words.is_empty() {
        return None;
    }
    // How badly a person's role fits: None if it lacks a word; otherwise the number of words that
    // make it a different office ("shadow health secretary" is not "the health secretary").
    let misfit = |e: &Ent| -> Option<usize> {
        if e.kind != EntityKind::Person {
            return None;
        }
        let rl = e.role.as_ref()?.to_lowercase();
        let rw: Vec<&str> = rl.split(|c: char| !c.is_alphanumeric() && c != '-').collect();
        if !words.iter().all(|w| rw.contains(w)) {
            return None;
        }
        Some(rw.iter().filter(|w| OFFICE_CHANGING.contains(w) && !words.contains(w)).count())
    };
    let mut best: Option<(usize, usize)> = None;
    let mut seen = Vec::new();
    for e in mentions.iter().rev().map(|m| m.ent).chain(0..ents.len()) {
        if seen.contains(&e) {
            continue;
        }
        seen.push(e);
        if let Some(m) = ents.get(e).and_then(misfit) {
            if best.is_none_or(|(b, _)| m < b) {
                best = Some((m, e));
            }
        }
    }
    best.map(|(_, e)| e)
}

/// Role words that name a different office from the bare title.
const OFFICE_CHANGING: &[&str] =
    &["shadow", "deputy", "vice", "assistant", "acting", "former", "ex", "junior", "under", "associate"];

/// Type of an unknown capitalised word from the words around it.
fn context_kind(ctx: &Ctx, r: &Raw) -> Option<EntityKind> {
    let lx = ctx.lx;
    let prev = r.t0.checked_sub(1).map(|p| ctx.w(p)).unwrap_or("");
    let prev2 = r.t0.checked_sub(2).map(|p| ctx.w(p)).unwrap_or("");
    let next = ctx.w(r.t1);
    let next_lower = ctx.toks.get(r.t1).is_some_and(Token::is_lower);
    if next_lower && lx.is_speech_verb(next) {
        return Some(EntityKind::Person);
    }
    if lx.is_honorific(&lower(prev)) || (prev == "." && lx.is_honorific(&lower(prev2))) {
        return Some(EntityKind::Person);
    }
    if matches!(next, "administration" | "government" | "campaign" | "presidency" | "family") && prev == "the"
    {
        return Some(EntityKind::Person);
    }
    if matches!(prev, "in" | "near" | "across" | "throughout" | "outside" | "inside") || ctx.home_town(r.t0) {
        return Some(EntityKind::Location);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::text::{annotate, tokenize};

    fn ents(text: &str) -> Vec<Ent> {
        let mut toks = tokenize(text);
        annotate(text, &mut toks);
        analyze(text, &toks, true).ents
    }

    fn find<'a>(es: &'a [Ent], name: &str) -> Option<&'a Ent> {
        es.iter().find(|e| e.name == name)
    }

    #[test]
    fn title_prefix_gives_role_and_org() {
        let es = ents("Mossad Chief David Barnea is set to meet CIA Director William Burns in Qatar.");
        let b = find(&es, "David Barnea").map(|e| (e.kind, e.role.clone()));
        assert_eq!(b, Some((EntityKind::Person, Some("Mossad Chief".into()))));
        assert_eq!(find(&es, "William Burns").and_then(|e| e.role.clone()).as_deref(), Some("CIA Director"));
        assert_eq!(find(&es, "CIA").map(|e| e.kind), Some(EntityKind::Organization));
        assert_eq!(find(&es, "Mossad").map(|e| e.kind), Some(EntityKind::Organization));
        assert_eq!(find(&es, "Qatar").map(|e| e.kind), Some(EntityKind::Location));
    }

    #[test]
    fn surname_and_role_noun_resolve_to_full_name() {
        let es = ents(
            "US Secretary of State Antony Blinken spoke. Later Blinken left. The Secretary of State was tired.",
        );
        let b = find(&es, "Antony Blinken");
        assert_eq!(b.map(|e| e.mentions), Some(3));
        assert_eq!(b.and_then(|e| e.role.clone()).as_deref(), Some("US Secretary of State"));
        assert!(find(&es, "Blinken").is_none());
    }

    #[test]
    fn apposition_roles() {
        let es = ents("Nate Evans, spokesperson for the US mission to the United Nations, said on Thursday.");
        assert_eq!(
            find(&es, "Nate Evans").and_then(|e| e.role.clone()).as_deref(),
            Some("spokesperson for the US mission to the United Nations")
        );
        let es = ents("The talks were led by Israel's strategic affairs minister, Ron Dermer, on Monday.");
        assert_eq!(
            find(&es, "Ron Dermer").and_then(|e| e.role.clone()).as_deref(),
            Some("Israel's strategic affairs minister")
        );
        let es =
            ents("Critics include former president Jimmy Carter and Mary Smith, the mayor of Springfield.");
        assert_eq!(
            find(&es, "Jimmy Carter").and_then(|e| e.role.clone()).as_deref(),
            Some("former president")
        );
        assert_eq!(
            find(&es, "Mary Smith").and_then(|e| e.role.clone()).as_deref(),
            Some("mayor of Springfield")
        );
    }

    #[test]
    fn sentence_initial_common_words_are_not_entities() {
        let es = ents(
            "Children should not die. However, Negotiation talks in Gaza went on. The ministry said so.",
        );
        let names: Vec<&str> = es.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Gaza"]);
    }

    #[test]
    fn organisations_by_keyword_and_acronym() {
        let es =
            ents("The Israel Defense Forces (IDF) said the IDF and the Health Ministry in Gaza disagreed.");
        let idf = find(&es, "Israel Defense Forces");
        assert_eq!(idf.map(|e| (e.kind, e.mentions)), Some((EntityKind::Organization, 3)));
        assert_eq!(find(&es, "Health Ministry").map(|e| e.kind), Some(EntityKind::Organization));
    }
}
