//! Direct quotations and who said them.
//!
//! Owns: turning paired quotation marks (from [`super::text`]) into [`Quote`]s with character
//! offsets, dropping scare quotes, and attributing each quotation to an entity with the common
//! patterns: `"…," X said` / `said X`, `X said: "…"`, `X said the plan is "…"`, `according to X`,
//! pronouns and role nouns ("he", "the minister", "the ministry"), a speaker named in the previous
//! sentence, a quotation that continues the previous one, one that runs into the next, and the
//! alternating lines of an exchange (an answer to a question is the other party's). "She" and "he"
//! choose between people by the sex their titles, honorifics and pronouns give them.
//! A speaker the text keeps unnamed ("a neighbour", "one official, who asked not to be named",
//! "the woman's son", "the spokesman" after "a spokesman") gets no name rather than the nearest
//! one. Does not find the entities themselves ([`super::entities`]).

use super::entities::{resolve_role, Analysis, Ent, Mention, POST_NOMINALS};
use super::lexicon::LEXICON;
use super::text::{capitalise, Kind, QuoteSpan, Token};
use crate::model::{EntityKind, Quote};

/// Quotes of at most this many words are scare quotes unless clearly attributed.
const SCARE_WORDS: usize = 3;
/// Nouns for an unnamed speaker after "a"/"one" that are not titles ("a resident said").
const ANONYMOUS_NOUNS: &[&str] = &[
    "source",
    "sources",
    "resident",
    "witness",
    "person",
    "man",
    "woman",
    "worker",
    "parent",
    "student",
    "employee",
    "voter",
    "member",
    "insider",
    "aide",
    "diplomat",
    "observer",
    "backbencher",
    "lawmaker",
    "legislator",
    "neighbour",
    "neighbor",
    "relative",
    "friend",
    "colleague",
    "passenger",
    "fan",
    "supporter",
    "volunteer",
    "survivor",
    "shopper",
    "customer",
    "commuter",
    "local",
    "veteran",
    "spectator",
    "shareholder",
    "investor",
    "retiree",
    "pensioner",
    "farmer",
    "fisherman",
    "nurse",
    "driver",
    "shopkeeper",
    "trader",
    "vendor",
    "protester",
    "demonstrator",
    "onlooker",
    "bystander",
    "motorist",
    "homeowner",
    "tenant",
    "renter",
    "patient",
    "evacuee",
    "villager",
    "teenager",
    "mother",
    "father",
    "runner",
    "athlete",
];
/// How a text says a speaker is kept unnamed.
const ANONYMITY: &[&str] = &[
    "not to be named",
    "declined to be named",
    "want to be named",
    "wish to be named",
    "not to be identified",
    "declined to be identified",
    "name not be used",
    "not authorised to speak",
    "not authorized to speak",
    "condition of anonymity",
    "declined to give her name",
    "declined to give his name",
    "declined to give their name",
    "declining to be named",
    "declining to be identified",
    "declining to give her name",
    "declining to give his name",
];

/// Relations named by a possessive ("the woman's son said"): an unnamed speaker.
const KIN_NOUNS: &[&str] = &[
    "son",
    "daughter",
    "mother",
    "father",
    "wife",
    "husband",
    "brother",
    "sister",
    "widow",
    "widower",
    "partner",
    "family",
    "relatives",
    "parents",
    "children",
    "friend",
    "friends",
    "neighbour",
    "neighbor",
    "grandson",
    "granddaughter",
    "grandmother",
    "grandfather",
    "niece",
    "nephew",
    "cousin",
    "uncle",
    "aunt",
];

/// How far after a quotation its attribution may be (tokens).
const AFTER_WINDOW: usize = 40;

struct Ctx<'a> {
    text: &'a str,
    toks: &'a [Token],
    an: &'a Analysis,
    /// (token position, entity) of clause subjects and speakers, in text order.
    salience: Vec<(usize, usize)>,
    /// Per entity: female (`Some(true)`), male, or unknown, from its title, name and pronouns.
    sexes: Vec<Option<bool>>,
}

/// What a candidate speaker word refers to.
enum Cand {
    Ent(usize),
    /// A non-person, non-organisation name or "it"/"they": not a speaker.
    Skip,
    /// A person the text does not name ("a neighbour", "one official", "the woman's son").
    Unnamed,
}

impl<'a> Ctx<'a> {
    fn w(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.text(self.text))
    }

    /// The mention that starts at token `i`.
    fn mention_at(&self, i: usize) -> Option<&'a Mention> {
        self.an.mention_at.get(i).copied().flatten().and_then(|mi| self.an.mentions.get(mi as usize))
    }

    fn kind(&self, e: usize) -> Option<EntityKind> {
        self.an.ents.get(e).map(|x| x.kind)
    }

    fn is_person(&self, e: usize) -> bool {
        self.kind(e) == Some(EntityKind::Person)
    }

    fn is_verb(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.is_lower() && !t.in_quote) && LEXICON.is_speech_verb(self.w(i))
    }

    /// "according to" (any case) at token `i`.
    fn is_according(&self, i: usize) -> bool {
        self.w(i).eq_ignore_ascii_case("according") && self.w(i + 1) == "to"
    }

    /// (token, entity) of every subject mention outside quotations, in the order a later
    /// pronoun looks back over them. Subjects inside quotations are the speaker's words ("“Marcus
    /// got to the ball first,” he said"). A subject inside what another person is reported to
    /// have said ("Lindqvist-Ahl said Sundberg had argued for a cut") ranks behind the one
    /// reporting it: the next "she said" continues the reporter's words.
    fn subject_salience(&self) -> Vec<(usize, usize)> {
        let mentions = &self.an.mentions;
        // The reporting subject: looked for backwards within the sentence only (linear in the
        // mentions).
        let reporter = |k: usize| -> Option<usize> {
            let m = mentions.get(k)?;
            let sent = self.toks.get(m.t0)?.sent;
            mentions[..k]
                .iter()
                .rev()
                .take_while(|r| self.toks.get(r.t0).is_some_and(|t| t.sent == sent))
                .filter(|r| r.t1 <= m.t0 && r.subject && r.ent != m.ent)
                .filter(|r| self.is_person(r.ent) && self.is_person(m.ent))
                .filter(|r| !self.toks[r.t0].in_quote)
                .find(|r| {
                    self.is_verb(r.t1)
                        && (r.t1..m.t0).all(|i| self.toks[i].kind == Kind::Word || self.toks[i].is_punct(','))
                })
                .map(|r| r.t0)
        };
        let mut salience: Vec<(usize, usize)> = mentions
            .iter()
            .enumerate()
            .filter(|(_, m)| m.subject && !self.toks.get(m.t0).is_some_and(|t| t.in_quote))
            .map(|(k, m)| (reporter(k).map_or(m.t0, |r| r.saturating_sub(1)), m.ent))
            .collect();
        salience.sort_by_key(|&(p, _)| p);
        salience
    }

    /// The person a pronoun at token `p` refers to.
    fn pronoun(&self, p: usize) -> Option<usize> {
        self.latest_person(p, None)
    }

    /// The person spoken of (as a subject or speaker) last before `p`, other than `except`.
    fn latest_person(&self, p: usize, except: Option<usize>) -> Option<usize> {
        self.salience
            .iter()
            .rev()
            .find(|&&(pos, e)| pos < p && Some(e) != except && self.is_person(e))
            .map(|&(_, e)| e)
    }

    /// The person "he" (`female` false) or "she" refers to at token `p`: the most recent one,
    /// unless the text marks them as the other sex and one of the two persons before is not.
    fn gendered_pronoun(&self, p: usize, female: bool) -> Option<usize> {
        // The last three persons spoken of as subjects, latest first, with the latest one's place.
        let mut recent: Vec<usize> = Vec::with_capacity(3);
        let mut first_pos = None;
        for &(pos, e) in self.salience.iter().rev() {
            if pos < p && self.is_person(e) && !recent.contains(&e) {
                first_pos = first_pos.or(Some(pos));
                recent.push(e);
                if recent.len() == 3 {
                    break;
                }
            }
        }
        let sex = |e: usize| self.sexes.get(e).copied().flatten();
        // "… was led by Deputy Foreign Minister Olena Hrytsenko. She said": a person of the
        // pronoun's sex named (not as a subject) after the last subject is the one meant.
        let named_since = self
            .an
            .mentions
            .iter()
            .rev()
            .filter(|m| m.t0 < p && first_pos.is_none_or(|fp| m.t0 > fp))
            .filter(|m| !self.toks.get(m.t0).is_some_and(|t| t.in_quote))
            .find(|m| self.is_person(m.ent))
            .map(|m| m.ent)
            .filter(|&e| sex(e) == Some(female));
        // (Not "O'Malley said he had met DeLuca": a person named in what the last subject said,
        // in the same sentence.)
        let sent = |i: usize| self.toks.get(i).map(|t| t.sent);
        let reported = first_pos.is_some_and(|fp| {
            self.mention_at(fp).is_some_and(|m| {
                self.is_verb(m.t1)
                    && named_since.is_some_and(|e| {
                        self.an
                            .mentions
                            .iter()
                            .any(|n| n.ent == e && n.t0 > fp && n.t0 < p && sent(n.t0) == sent(fp))
                    })
            })
        });
        if let Some(e) = named_since
            .filter(|_| !reported)
            .filter(|&e| recent.first().is_none_or(|&f| sex(f) != Some(female) && e != f))
        {
            return Some(e);
        }
        let first = *recent.first()?;
        if sex(first).is_none_or(|f| f == female) {
            return Some(first);
        }
        // Never one the text marks as the other sex when someone unmarked was spoken of.
        Some(
            recent
                .iter()
                .copied()
                .find(|&e| sex(e) == Some(female))
                .or_else(|| recent.iter().copied().find(|&e| sex(e).is_none()))
                .unwrap_or(first),
        )
    }

    /// The organisation named last before `p` ("… Nordhaven's online business …. The company
    /// said").
    fn latest_org(&self, p: usize) -> Option<usize> {
        let is_org = |e: usize| self.an.ents.get(e).is_some_and(|x| x.kind == EntityKind::Organization);
        // Names inside quotations are not what "the company" points back to.
        // Nor is one that was only spoken to ("told Reuters", "told the BBC") or a channel
        // ("posted on Instagram", "refunded through Ticketmaster").
        let told = |t0: usize| {
            let b = if t0 > 0 && self.w(t0 - 1) == "the" { t0 - 1 } else { t0 };
            (b > 0 && matches!(self.w(b - 1), "told" | "on" | "via" | "through"))
                // "spoke to Reuters", "speaking to the BBC"
                || (b > 1
                    && self.w(b - 1) == "to"
                    && matches!(self.w(b - 2), "spoke" | "speaking" | "talking" | "talked" | "said"))
        };
        let said = |m: &&Mention| m.t0 < p && !self.toks.get(m.t0).is_some_and(|t| t.in_quote) && !told(m.t0);
        // One named as the object of a preposition ("pull out of Saltmarsh Festival") is a weaker
        // antecedent than one that acted, unless it owns something ("at Nordhaven's online arm").
        // ("a spokesperson for X", "according to X", "the head of X" name the one who speaks.)
        let object = |m: &&Mention| {
            let mut b = m.t0;
            if b > 0 && self.w(b - 1) == "the" {
                b -= 1;
            } else if b > 1 && self.toks[b - 1].kind == Kind::Possessive {
                // "out of next summer’s Saltmarsh Festival"
                b -= 2;
                while b > 0 && b + 4 > m.t0 && self.toks[b - 1].is_lower() && self.w(b - 1) != "of" {
                    b -= 1;
                }
            }
            b > 1
                && self.w(b - 1) == "of"
                && !LEXICON.is_role_head(self.w(b - 2))
                && !self.toks.get(m.t1).is_some_and(|t| t.kind == Kind::Possessive)
        };
        let orgs = || self.an.mentions.iter().rev().filter(said).filter(|m| is_org(m.ent));
        orgs().find(|m| !object(m)).or_else(|| orgs().next()).map(|m| m.ent)
    }

    /// Whether the quotation's own clause gives a speaker that is not an entity ("they called",
    /// "“…,” officials said"): then no fallback speaker is guessed.
    fn nonentity_speaker(&self, q: &QuoteSpan) -> bool {
        let toks = self.toks;
        let after_verb = (q.close + 1..(q.close + 8).min(toks.len())).find(|&v| self.is_verb(v));
        if after_verb.is_some_and(|v| self.pronoun_for_unnamed(q, q.close + 1, v)) {
            return true;
        }
        let lo = self.sentence_start(q.open);
        let before = (lo..q.open).rev().find(|&v| self.is_verb(v));
        if let Some(v) = before {
            if matches!(self.subject_before(lo, v), Some(Cand::Skip | Cand::Unnamed))
                && self.first_after(v + 1, q.open).is_none()
            {
                return true;
            }
        }
        let start = q.close + 1;
        let Some(first) = toks.get(start) else { return false };
        let end = (start..(start + 16).min(toks.len()))
            .find(|&k| toks[k].sent != first.sent || matches!(toks[k].kind, Kind::Break | Kind::QuoteMark))
            .unwrap_or((start + 16).min(toks.len()));
        (start..end).find(|&v| self.is_verb(v)).is_some_and(|v| {
            let subj = matches!(self.subject_before(start, v), Some(Cand::Skip | Cand::Unnamed))
                || (start..v).any(|k| {
                    matches!(
                        self.w(k).to_lowercase().as_str(),
                        "they" | "it" | "officials" | "critics" | "residents"
                    )
                });
            subj && self.first_after(v + 1, end).is_none()
        })
    }

    fn latest_org_with(&self, p: usize, word: &str) -> Option<usize> {
        // "the army" is also the "Lebanese Armed Forces" or the "Defence Forces".
        let words: &[&str] = match word {
            "army" | "military" => &["army", "military", "forces"],
            _ => &[word],
        };
        let fits = |e: &Ent| {
            e.kind == EntityKind::Organization
                && e.name.to_lowercase().split_whitespace().any(|w| words.contains(&w))
        };
        self.an
            .mentions
            .iter()
            .rev()
            .filter(|m| m.t0 < p && !self.toks.get(m.t0).is_some_and(|t| t.in_quote))
            .map(|m| m.ent)
            .find(|&e| self.an.ents.get(e).is_some_and(fits))
            .or_else(|| self.an.ents.iter().position(fits))
    }

    /// A speaker candidate at token `i`, and the index after it.
    fn candidate(&self, i: usize) -> Option<(Cand, usize)> {
        let t = self.toks.get(i)?;
        if t.in_quote {
            return None;
        }
        if let Some(m) = self.mention_at(i) {
            let e = self.an.ents.get(m.ent)?;
            let c = if e.kind == EntityKind::Location { Cand::Skip } else { Cand::Ent(m.ent) };
            return Some((c, m.t1.max(i + 1)));
        }
        // "the woman's son said": someone known only by a relation to another.
        if t.kind == Kind::Possessive && KIN_NOUNS.contains(&self.w(i + 1)) {
            return Some((Cand::Unnamed, i + 2));
        }
        let w = self.w(i);
        let lw = w.to_lowercase();
        match lw.as_str() {
            "he" | "she" => {
                return Some((self.gendered_pronoun(i, lw == "she").map_or(Cand::Skip, Cand::Ent), i + 1))
            }
            "it" | "they" | "we" | "i" | "you" => return Some((Cand::Skip, i + 1)),
            _ => {}
        }
        // "a senior official", "one veteran math teacher", "One senior Labour backbencher": an
        // unnamed person (the quotation then has no named speaker).
        if matches!(lw.as_str(), "a" | "an" | "one") {
            let mut j = i + 1;
            while j < self.toks.len() && j < i + 6 && self.toks[j].is_word() && !self.toks[j].in_quote {
                let wj = self.w(j);
                if LEXICON.is_role_head(wj) || ANONYMOUS_NOUNS.contains(&wj) {
                    // "a spokeswoman for Harbour Holdings said": the organisation speaks.
                    if matches!(self.w(j + 1), "for" | "at") {
                        let o = if self.w(j + 2) == "the" { j + 3 } else { j + 2 };
                        let org = self
                            .mention_at(o)
                            .filter(|m| self.kind(m.ent) == Some(EntityKind::Organization))
                            .map(|m| (m.ent, m.t1));
                        if let Some((e, end)) = org {
                            return Some((Cand::Ent(e), end));
                        }
                    }
                    return Some((Cand::Unnamed, j + 1));
                }
                if !self.toks[j].is_lower() && self.mention_at(j).is_some_and(|m| self.is_person(m.ent)) {
                    break;
                }
                j += 1;
            }
        }
        // "said the Connecticut Democrat": the person tagged "D-Conn." earlier.
        if lw == "the" {
            if let Some(m) = self.mention_at(i + 1) {
                let party = match self.w(m.t1) {
                    "Democrat" => Some('D'),
                    "Republican" => Some('R'),
                    "Independent" => Some('I'),
                    _ => None,
                };
                let state = self
                    .an
                    .ents
                    .get(m.ent)
                    .filter(|e| e.kind == EntityKind::Location)
                    .map(|e| e.name.as_str());
                if let (Some(party), Some(state)) = (party, state) {
                    if let Some(e) = self.tagged_person(party, state) {
                        return Some((Cand::Ent(e), m.t1 + 1));
                    }
                }
            }
        }
        // "the Spaniard said", "the Brazilian levelled": a person known by a nationality is the
        // person last spoken of.
        if lw == "the"
            && self.toks.get(i + 1).is_some_and(|t| t.is_cap())
            && LEXICON.is_demonym(self.w(i + 1))
        {
            let next = self.toks.get(i + 2);
            if next.is_none_or(|t| !t.is_cap()) {
                return Some((self.pronoun(i).map_or(Cand::Skip, Cand::Ent), i + 2));
            }
        }
        // "the source said", "the resident added": the unnamed person of an earlier "a source".
        if lw == "the" && ANONYMOUS_NOUNS.contains(&self.w(i + 1)) {
            return Some((Cand::Unnamed, i + 2));
        }
        // "her daughter said": the person the text gave that relation as a role ("Her daughter,
        // Ingrid Lund,"), else someone unnamed.
        if matches!(lw.as_str(), "his" | "her" | "their") {
            let next = self.w(i + 1);
            if KIN_NOUNS.contains(&next) {
                let r = resolve_role(&self.an.ents, &self.an.mentions, next);
                return Some((r.map_or(Cand::Unnamed, Cand::Ent), i + 2));
            }
        }
        // "the minister", "the secretary of state", "the ministry", "a spokesperson".
        if matches!(lw.as_str(), "the" | "a" | "an") {
            let mut j = i + 1;
            let mut words = Vec::new();
            while j < self.toks.len() && j < i + 6 {
                let wj = self.w(j).to_lowercase();
                if !self.toks[j].is_word() {
                    break;
                }
                // "the Halifax coach", "the PHF chief": the owner of the role is no part of it.
                if words.is_empty() && j == i + 1 && self.toks[j].is_cap() {
                    let owner_end = self
                        .mention_at(j)
                        .filter(|m| self.kind(m.ent).is_some_and(|k| k != EntityKind::Person))
                        .map(|m| m.t1)
                        .or_else(|| LEXICON.is_demonym(self.w(j)).then_some(j + 1));
                    if let Some(end) = owner_end.filter(|&end| {
                        LEXICON.is_role_head(&self.w(end).to_lowercase())
                            && self.toks.get(end).is_some_and(|t| t.is_lower())
                    }) {
                        j = end;
                        continue;
                    }
                }
                if LEXICON.is_role_head(&wj) || LEXICON.is_role_modifier(&wj) {
                    words.push(wj);
                    j += 1;
                    continue;
                }
                let org_noun = LEXICON.is_org_word(self.w(j))
                    || LEXICON.is_org_word(&capitalise(&wj))
                    || LEXICON.is_org_descriptor(&wj);
                if org_noun
                    && words.is_empty()
                    && self.toks.get(j + 1).is_some_and(|t| t.kind == Kind::Possessive)
                {
                    // "the government’s top spokesperson": the owner; the role follows.
                    j += 2;
                } else if org_noun {
                    // "the ministry" → the ministry named before; "the group" → the organisation
                    // last spoken of.
                    let org = self.latest_org_with(i, &wj).or_else(|| self.latest_org(i));
                    // "the Ministry of Health": go on after the whole name.
                    let end = self.mention_at(j);
                    return Some((org.map_or(Cand::Skip, Cand::Ent), end.map_or(j + 1, |m| m.t1.max(j + 1))));
                } else {
                    break;
                }
            }
            while words.last().is_some_and(|w| !LEXICON.is_role_head(w)) {
                words.pop();
                j -= 1;
            }
            if !words.is_empty() {
                if lw != "the" {
                    return Some((Cand::Unnamed, j));
                }
                // "the defender said" with no person of that role: the person last spoken of,
                // unless the text brought that role in unnamed ("A Nordwagen spokesman said …
                // “…,” the spokesman said").
                let r = resolve_role(&self.an.ents, &self.an.mentions, &words.join(" "));
                if r.is_none() && self.introduced_unnamed(i, self.w(j - 1)) {
                    return Some((Cand::Unnamed, j));
                }
                let r = r.or_else(|| self.pronoun(i));
                return Some((r.map_or(Cand::Skip, Cand::Ent), j));
            }
        }
        None
    }

    /// Whether the quotation opens by addressing someone ("Mr. Brennan, …", "Senator, …"), and
    /// the person addressed when the text names them.
    fn vocative(&self, q: &QuoteSpan) -> Option<Option<usize>> {
        let toks = self.toks;
        let first = q.open + 1;
        let comma = (first + 1..(first + 5).min(q.close)).find(|&k| toks_is(toks, k, ','))?;
        let mut person = None;
        let mut k = first;
        while k < comma {
            let w = self.w(k).trim_end_matches('.');
            if let Some(m) = self.mention_at(k) {
                if !self.is_person(m.ent) {
                    return None;
                }
                person = Some(m.ent);
                k = m.t1.max(k + 1);
            } else if toks[k].is_punct('.')
                || LEXICON.is_honorific(&w.to_lowercase())
                || (k == first && LEXICON.is_role_head(&w.to_lowercase()) && toks[k].is_cap())
            {
                k += 1;
            } else {
                return None;
            }
        }
        Some(person)
    }

    /// The person written with the party-state tag `party`-`state` ("Sen. Mark Halloran, D-Conn.,").
    fn tagged_person(&self, party: char, state: &str) -> Option<usize> {
        self.an.mentions.iter().find_map(|m| {
            let person = self.is_person(m.ent);
            let tag = self.w(m.t1 + 1);
            let (p, abbr) = tag.split_once('-')?;
            let fits = person
                && toks_is(self.toks, m.t1, ',')
                && p.len() == 1
                && p.starts_with(party)
                && (abbr == state || LEXICON.state_abbreviation(abbr) == Some(state));
            fits.then_some(m.ent)
        })
    }

    /// A quotation that is its paragraph's only content.
    fn standalone(&self, q: &QuoteSpan) -> bool {
        let toks = self.toks;
        let starts = q.open == 0 || toks.get(q.open - 1).is_some_and(|t| t.kind == Kind::Break);
        let ends = toks.get(q.close + 1).is_none_or(|t| t.kind == Kind::Break);
        q.closed && starts && ends
    }

    /// The person spoken of last before `p` who is not `a`: the other party of an exchange.
    fn partner(&self, p: usize, a: usize) -> Option<usize> {
        self.latest_person(p, Some(a))
    }

    /// Whether `head` (a role noun) came before `p` after "a"/"an"/"one" ("A Nordwagen spokesman").
    fn introduced_unnamed(&self, p: usize, head: &str) -> bool {
        // (Within the last 400 tokens: a role brought in long before is no longer "the" one.)
        (p.saturating_sub(400)..p.min(self.toks.len())).any(|k| {
            !self.toks[k].in_quote
                && self.w(k).eq_ignore_ascii_case(head)
                && (k.saturating_sub(4)..k)
                    .rev()
                    .take_while(|&b| self.toks[b].kind == Kind::Word)
                    .any(|b| matches!(self.w(b).to_ascii_lowercase().as_str(), "a" | "an" | "one"))
        })
    }

    /// The subject of the speech verb at `v`: the nearest candidate before it, from `lo`, skipping
    /// an apposition that ends right before the verb ("X, spokesperson for Y, said").
    fn subject_before(&self, lo: usize, v: usize) -> Option<Cand> {
        let mut hi = v;
        if v > lo && toks_is(self.toks, v - 1, ',') {
            if let Some(k) = (lo..v - 1).rev().find(|&k| toks_is(self.toks, k, ',')) {
                // "a spokeswoman for the union, Mette Kjær, said": the name is the apposition
                // ("Huw Brannigan KC": with its post-nominal title).
                let mut end = v - 1;
                while end > k + 2 && POST_NOMINALS.contains(&self.w(end - 1)) {
                    end -= 1;
                }
                if let Some(e) = self.person_mention(k + 1, end) {
                    return Some(Cand::Ent(e));
                }
                // "The Spaniard, who took charge after leaving Real Betis, said": nothing in a
                // relative clause is the subject.
                if self.last_candidate(lo, k).is_some() || matches!(self.w(k + 1), "who" | "whose") {
                    hi = k;
                }
            }
        }
        self.last_candidate(lo, hi)
    }

    /// The person whose mention is exactly tokens `t0..t1`.
    fn person_mention(&self, t0: usize, t1: usize) -> Option<usize> {
        let m = self.mention_at(t0)?;
        let person = self.is_person(m.ent);
        (person && m.t0 == t0 && m.t1 == t1).then_some(m.ent)
    }

    fn last_candidate(&self, lo: usize, hi: usize) -> Option<Cand> {
        let mut best = None;
        let mut i = lo;
        while i < hi {
            if let Some((c, next)) = self.candidate(i) {
                // "Moreau of Banque Aurelle in Paris said": a name after a preposition qualifies
                // the subject, it does not replace it.
                let after_prep = (i > 0
                    && matches!(self.w(i - 1), "of" | "in" | "at" | "from" | "near" | "with" | "for"))
                    // ("in a Mississauga classroom")
                    || (i > 1
                        && matches!(self.w(i - 1), "the" | "a" | "an")
                        && matches!(self.w(i - 2), "of" | "in" | "at" | "from"));
                if next <= hi && !(after_prep && best.is_some()) {
                    best = Some(c);
                }
                i = next;
            } else {
                i += 1;
            }
        }
        best
    }

    /// The first candidate in `lo..hi`, preferring a person.
    fn first_after(&self, lo: usize, hi: usize) -> Option<usize> {
        let mut i = lo;
        let mut fallback = None;
        while i < hi.min(self.toks.len()) {
            if self.toks[i].kind == Kind::Break || self.toks[i].kind == Kind::QuoteMark {
                break;
            }
            if let Some((c, next)) = self.candidate(i) {
                if let Cand::Ent(e) = c {
                    if self.is_person(e) {
                        return Some(e);
                    }
                    fallback = fallback.or(Some(e));
                }
                i = next;
            } else {
                i += 1;
            }
        }
        fallback
    }

    /// `"…," X said` / `"…," said X` / `"…," according to X`.
    /// `Cand::Unnamed` when the attribution names no one ("“…,” the spokesman said" after "A
    /// spokesman said"); then no other rule may guess a speaker.
    fn after(&self, q: &QuoteSpan) -> Option<Cand> {
        if !q.closed {
            return None;
        }
        let toks = self.toks;
        let start = q.close + 1;
        let first = toks.get(start)?;
        let crossed = first.sent != toks[q.close].sent;
        // “… Tonight the council finally listened.” Mr Pettifer said traders would …: after a
        // quotation closed by a full stop, a new sentence reports something else (attributions
        // after a closed sentence come after "?" or "!", or after a comma inside the marks).
        if crossed && q.close > 0 && toks_is(toks, q.close - 1, '.') {
            return None;
        }
        let limit = if crossed { 6 } else { AFTER_WINDOW };
        let sent = first.sent;
        let mut end = start;
        while end < toks.len() && end < start + limit {
            let t = &toks[end];
            if t.sent != sent || t.kind == Kind::Break || t.kind == Kind::QuoteMark {
                break;
            }
            end += 1;
        }
        let mut v = start;
        while v < end {
            if self.is_verb(v) || self.is_according(v) {
                break;
            }
            v += 1;
        }
        if v >= end {
            return None;
        }
        if !self.is_according(v) {
            if self.pronoun_for_unnamed(q, start, v) {
                return None;
            }
            // The subject right before the verb: "WHO Director-General Tedros told", "Evans,
            // spokesperson for the US mission, said".
            if let Some(c) = self.subject_before(start, v) {
                return match c {
                    Cand::Skip => None,
                    c => Some(c),
                };
            }
        }
        if crossed && v > start + 3 {
            return None;
        }
        // "“…,” he said, and urged the council to …": after a conjunction the verb starts another
        // clause, and what follows it is its object, not the speaker.
        if (start..v).any(|k| matches!(self.w(k), "and" | "but")) {
            return None;
        }
        // "“…,” said one spectator, a retired schoolteacher": someone the text keeps unnamed.
        if let Some((Cand::Unnamed, _)) = self.candidate(v + 1) {
            return Some(Cand::Unnamed);
        }
        self.first_after(v + 1, (v + 12).min(end)).map(Cand::Ent)
    }

    /// `X said: "…"` / `X said the plan is "…"` / `According to X, "…"` in the quote's sentence.
    fn before(&self, q: &QuoteSpan) -> Option<usize> {
        self.speaker_in(self.sentence_start(q.open), q.open)
    }

    /// The speaker of the last speech verb in `lo..hi` that has a resolvable subject.
    fn speaker_in(&self, lo: usize, hi: usize) -> Option<usize> {
        let mut v = hi;
        while v > lo {
            v -= 1;
            if self.is_according(v) {
                if let Some(e) = self.first_after(v + 2, hi) {
                    return Some(e);
                }
                continue;
            }
            if !self.is_verb(v) {
                continue;
            }
            // "X said the authority … but warned there was “…”": the subject of a coordinated
            // verb is that of the verb before it.
            if self.coordinated_verb(lo, v) {
                continue;
            }
            let subject = self.subject_before(lo, v);
            if let Some(Cand::Ent(e)) = subject {
                // "Chris Weston, the chief executive of Thames Water, said the company welcomed
                // “…”": an organisation inside a person's reported speech speaks through them.
                if !self.is_person(e) {
                    let reporter = (lo..v).rev().filter(|&u| self.is_verb(u)).find_map(|u| {
                        match self.subject_before(lo, u) {
                            Some(Cand::Ent(p)) if self.is_person(p) => Some(p),
                            _ => None,
                        }
                    });
                    if let Some(p) = reporter {
                        return Some(p);
                    }
                }
                return Some(e);
            }
            // After an unnamed subject only an inverted speaker counts ("A nurse … said the
            // hospital was running …" names no speaker).
            let after = self
                .first_after(v + 1, (v + 8).min(hi))
                .filter(|&e| !matches!(subject, Some(Cand::Unnamed)) || self.is_person(e));
            if let Some(e) = after {
                return Some(e);
            }
            // "One teacher, who asked not to be named, told me the software “…”": the nearest
            // speech verb has an unnamed subject; earlier verbs belong to other clauses.
            if matches!(subject, Some(Cand::Skip | Cand::Unnamed)) {
                return None;
            }
        }
        // "Blinken: “…”"
        if hi > lo + 1 && toks_is(self.toks, hi - 1, ':') {
            if let Some((Cand::Ent(e), _)) = self.candidate(hi - 2) {
                return Some(e);
            }
            // "Sheriff Gordon Pruitt put it bluntly: “…”": the clause's subject introduces it.
            let subject = self.an.mentions.iter().find(|m| m.t0 >= lo && m.t1 < hi && m.subject);
            if let Some(m) =
                subject.filter(|m| self.an.ents.get(m.ent).is_some_and(|e| e.kind != EntityKind::Location))
            {
                return Some(m.ent);
            }
        }
        None
    }

    /// A verb of saying at `v` joined by "and"/"but" to an earlier one in `lo..v`: it shares that
    /// verb's subject.
    fn coordinated_verb(&self, lo: usize, v: usize) -> bool {
        v > lo && matches!(self.w(v - 1), "and" | "but") && (lo..v - 1).any(|k| self.is_verb(k))
    }

    /// Whether the last verb of saying in `lo..hi` has an unnamed subject and names nobody
    /// after it ("One senior backbencher, who asked not to be named, said the whips …").
    fn unnamed_speaker_in(&self, lo: usize, hi: usize) -> bool {
        // The last verb of saying that is not coordinated with an earlier one ("X said … but
        // warned …" is X's).
        let v = (lo..hi).rev().find(|&v| self.is_verb(v) && !self.coordinated_verb(lo, v));
        // "A Ukrainian soldier …, who spoke on condition of anonymity …, described the tactics."
        // (Unless a person is the subject: "Smith, who asked that her employer not be named, said".)
        if self.anonymity_in(lo..hi)
            && !self
                .an
                .mentions
                .iter()
                .any(|m| m.t0 >= lo && m.t1 <= hi && m.subject && self.is_person(m.ent))
        {
            return true;
        }
        // (A person named right after the verb is an inverted speaker: "said Dr X"; "said the
        // hospital was running …" names no speaker.)
        v.is_some_and(|v| {
            matches!(self.subject_before(lo, v), Some(Cand::Unnamed))
                && self.first_after(v + 1, (v + 5).min(hi)).filter(|&e| self.is_person(e)).is_none()
        })
    }

    /// Whether the quotation's own sentence (outside the marks) says its speaker asked not to be
    /// named.
    fn anonymous_attribution(&self, q: &QuoteSpan) -> bool {
        let toks = self.toks;
        let lo = self.sentence_start(q.open);
        let mut hi = q.close + 1;
        let close_sent = toks.get(q.close + 1).map(|t| t.sent);
        while hi < toks.len()
            && Some(toks[hi].sent) == close_sent
            && toks[hi].kind != Kind::Break
            && !toks[hi].in_quote
        {
            hi += 1;
        }
        self.anonymity_in((lo..q.open).chain(q.close + 1..hi))
    }

    /// Whether the words at `ks` (outside quotations) say someone asked not to be named.
    fn anonymity_in(&self, ks: impl Iterator<Item = usize> + Clone) -> bool {
        let outside = || ks.clone().filter(|&k| self.toks[k].is_word() && !self.toks[k].in_quote);
        // Every phrase ends with one of these words: look for them before building any text.
        if !outside()
            .any(|k| matches!(self.w(k), "named" | "identified" | "used" | "speak" | "anonymity" | "name"))
        {
            return false;
        }
        let words: Vec<String> = outside().map(|k| self.w(k).to_lowercase()).collect();
        let text = words.join(" ");
        ANONYMITY.iter().any(|p| text.contains(p))
    }

    /// "A neighbor who declined to give her name said …. “…,” she said.": the pronoun of the
    /// attribution (tokens `lo..v`) points at the unnamed speaker of the sentence before the
    /// quotation, in the same paragraph.
    fn pronoun_for_unnamed(&self, q: &QuoteSpan, lo: usize, v: usize) -> bool {
        let pronoun = (lo..v).any(|k| matches!(self.w(k), "he" | "she" | "He" | "She"));
        // The sentence before is in the quotation's paragraph, or ends the one before when the
        // quotation opens its own ("A nurse, who asked not to be named, said …\n\n“…,” she said.").
        let next_para = q.open > 0 && self.toks.get(q.open - 1).is_some_and(|t| t.kind == Kind::Break);
        pronoun
            && q.open > 0
            && self.sentence_range(q.open).is_some_and(|(lo, hi)| {
                let adjacent = (hi..q.open).all(|k| matches!(self.toks[k].kind, Kind::Break | Kind::Punct));
                self.toks.get(lo).is_some_and(|t| t.para == self.toks[q.open].para || (next_para && adjacent))
                    && self.unnamed_speaker_in(lo, hi)
            })
    }

    /// Tokens of sentence `s` ending before token `before`, skipping nothing.
    fn sentence_range(&self, before: usize) -> Option<(usize, usize)> {
        let toks = self.toks;
        let mut hi = before;
        // Skip back over the previous sentence's tail (breaks).
        while hi > 0 && toks[hi - 1].kind == Kind::Break {
            hi -= 1;
        }
        if hi == 0 {
            return None;
        }
        Some((self.sentence_start(hi - 1), hi))
    }

    /// The first token of the sentence holding token `i` (not before its paragraph's start).
    fn sentence_start(&self, i: usize) -> usize {
        let toks = self.toks;
        let Some(s) = toks.get(i).map(|t| t.sent) else { return i };
        let mut lo = i;
        while lo > 0 && toks[lo - 1].sent == s && toks[lo - 1].kind != Kind::Break {
            lo -= 1;
        }
        lo
    }
}

/// Whether the text marks a person as a woman (`Some(true)`) or a man: a title of one sex
/// ("Ms Marsh", "spokeswoman", "chairman") or a given name borne only by women. `None` when
/// nothing says.
fn sex_of(e: &Ent) -> Option<bool> {
    // The title itself, not the employer after it ("former surgeon at King's College Hospital"
    // says nothing of the surgeon's sex).
    let role = e.role.as_deref().unwrap_or("").to_lowercase();
    let title = [" at ", " of ", " for ", " with ", " in ", " to "]
        .iter()
        .filter_map(|p| role.find(p))
        .min()
        .map_or(role.as_str(), |cut| &role[..cut]);
    let words = title.split(|c: char| !c.is_alphanumeric());
    for w in words {
        if w.ends_with("woman")
            || w.ends_with("women")
            || matches!(w, "queen" | "princess" | "duchess" | "actress")
        {
            return Some(true);
        }
        // Listed, not "ends with man": "German chancellor" says nothing.
        if matches!(
            w,
            "spokesman"
                | "chairman"
                | "congressman"
                | "councilman"
                | "assemblyman"
                | "businessman"
                | "policeman"
                | "sportsman"
                | "statesman"
                | "clergyman"
                | "king"
                | "prince"
                | "duke"
        ) {
            return Some(false);
        }
    }
    for alias in std::iter::once(&e.name).chain(&e.aliases) {
        match alias.split_whitespace().next() {
            Some(
                "Ms" | "Ms." | "Mrs" | "Mrs." | "Miss" | "Dame" | "Lady" | "Frau" | "Mme" | "Smt" | "Smt.",
            ) => return Some(true),
            Some("Mr" | "Mr." | "Sir" | "Lord" | "Herr" | "Shri") => return Some(false),
            _ => {}
        }
    }
    e.name.split_whitespace().next().filter(|g| LEXICON.is_female_name(g)).map(|_| true)
}

/// The sex of each person: from the title or name ([`sex_of`]), else from the pronouns the text
/// uses right after the person's name as a subject ("Katarina Novak reached her first semi-final")
/// when no other person is named in between; the majority wins, a tie says nothing. An object
/// pronoun ("Novak beat him") is someone else and does not count.
fn sexes(text: &str, toks: &[Token], an: &Analysis) -> Vec<Option<bool>> {
    let mut votes = vec![0i32; an.ents.len()];
    let is_person = |e: usize| an.ents.get(e).is_some_and(|x| x.kind == EntityKind::Person);
    for (k, m) in an.mentions.iter().enumerate() {
        // "Ms Mackenzie", "Mr Harkness": the honorific before any mention settles it.
        let honorific = m.t0.checked_sub(1).map_or("", |p| toks[p].text(text)).trim_end_matches('.');
        let said = match honorific {
            "Ms" | "Mrs" | "Miss" => 3,
            "Mr" => -3,
            _ => 0,
        };
        if let (true, Some(slot)) = (said != 0, votes.get_mut(m.ent)) {
            *slot += said;
        }
        if !m.subject || toks.get(m.t0).is_none_or(|t| t.in_quote) {
            continue;
        }
        let Some(sent) = toks.get(m.t0).map(|t| t.sent) else { continue };
        // Up to the next person named ("Isla Mackenzie, who speaks for the Scottish Greens, said
        // her party").
        let next = an.mentions[k + 1..]
            .iter()
            .take_while(|n| n.t0 < m.t1 + 20)
            .find(|n| is_person(n.ent))
            .map_or(toks.len(), |n| n.t0);
        let end = next.min(toks.len()).min(m.t1 + 20);
        let pronoun = (m.t1..end).take_while(|&i| toks[i].sent == sent && !toks[i].in_quote).find_map(|i| {
            let next = toks.get(i + 1).map_or("", |t| t.text(text));
            let w = toks[i].text(text);
            if w.len() > 7 || !w.starts_with(['h', 'H', 's', 'S']) {
                return None;
            }
            match w.to_ascii_lowercase().as_str() {
                "she" | "herself" => Some(1),
                // "her left thigh", "her first semi-final", not "beat her 6-4" or "told her that".
                "her"
                    if toks.get(i + 1).is_some_and(|t| t.is_lower() && t.kind == Kind::Word)
                        && (!LEXICON.is_stopword(next)
                            || matches!(next, "first" | "second" | "last" | "own")) =>
                {
                    Some(1)
                }
                "he" | "his" | "himself" => Some(-1),
                _ => None,
            }
        });
        if let (Some(v), Some(slot)) = (pronoun, votes.get_mut(m.ent)) {
            *slot += v;
        }
    }
    an.ents
        .iter()
        .zip(votes)
        .map(|(e, v)| {
            if e.kind != EntityKind::Person {
                return None;
            }
            sex_of(e).or(match v.signum() {
                1 => Some(true),
                -1 => Some(false),
                _ => None,
            })
        })
        .collect()
}

fn toks_is(toks: &[Token], i: usize, c: char) -> bool {
    toks.get(i).is_some_and(|t| t.is_punct(c))
}

/// Character range of a quotation's text, trimmed.
fn content(text: &str, toks: &[Token], q: &QuoteSpan) -> Option<(usize, usize, usize, usize)> {
    let o = toks.get(q.open)?;
    let (b1, c1) = toks.get(q.close).map_or((text.len(), usize::MAX), |t| (t.b0, t.c0));
    let s = text.get(o.b1..b1)?;
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return None;
    }
    let c0 = o.c1 + s[..lead].chars().count();
    let c_end = c0 + trimmed.chars().count();
    let _ = c1;
    Some((o.b1 + lead, o.b1 + lead + trimmed.len(), c0, c_end))
}

/// Quotations of the text with their speakers (`english` = attribution rules apply).
pub(crate) fn find_quotes(
    text: &str,
    toks: &[Token],
    spans: &[QuoteSpan],
    an: &Analysis,
    english: bool,
) -> Vec<Quote> {
    let sexes = sexes(text, toks, an);
    let mut cx = Ctx { text, toks, an, salience: Vec::new(), sexes };
    cx.salience = cx.subject_salience();

    struct Found {
        span: QuoteSpan,
        b: (usize, usize),
        c: (usize, usize),
        speaker: Option<usize>,
        /// The sentence before names an unnamed speaker ("One backbencher said …. “…”").
        unnamed: bool,
    }
    let mut found: Vec<Found> = Vec::new();
    for q in spans {
        let Some((b0, b1, c0, c1)) = content(text, toks, q) else { continue };
        let body = &text[b0..b1];
        let words = body.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
        let mut speaker = None;
        let mut unnamed = false;
        if english {
            let after = cx.after(q);
            unnamed = matches!(after, Some(Cand::Unnamed));
            speaker = match after {
                Some(Cand::Ent(e)) => Some(e),
                _ => None,
            };
            if words <= SCARE_WORDS {
                let punct_end = body.ends_with([',', '.', '!', '?']);
                if !(punct_end && speaker.is_some()) {
                    continue;
                }
            }
            // A partial quotation inside reported speech ("The secretary added that the
            // government would “look at every option” if …, a remark the union described as a
            // threat"): the clause that introduces it names the speaker, not a later one.
            // (An attribution right after the marks still wins: "…”, according to X.")
            let partial = !body.ends_with([',', '.', '!', '?', '\u{2014}', '-'])
                && !(q.close + 1..(q.close + 5).min(toks.len())).any(|k| cx.is_verb(k) || cx.is_according(k));
            if (speaker.is_none() && !unnamed) || partial {
                speaker = cx.before(q).or(speaker);
            }
            // An exchange: “Forty people, for 30 million users?” / “We think it's the right
            // number.” A quotation that stands alone in its paragraph right after a question
            // standing alone in the one before is the answer, by the other party.
            if speaker.is_none() && !unnamed {
                // (Or one that addresses someone: “Senator, we have safeguards …,” Brennan said. /
                // “That's not what I asked.”)
                if let Some(prev) = found.last().filter(|f| {
                    // The quotation is in the paragraph right after the one that holds the other.
                    let gap = (f.span.close + 1..q.open).find(|&k| toks[k].kind == Kind::Break);
                    let next_para = gap.is_some_and(|g| (g..q.open).all(|k| toks[k].kind == Kind::Break));
                    let opens_para =
                        f.span.open == 0 || toks.get(f.span.open - 1).is_some_and(|t| t.kind == Kind::Break);
                    ((text[f.b.0..f.b.1].trim_end().ends_with('?') && cx.standalone(&f.span))
                        || (cx.vocative(&f.span).is_some() && opens_para))
                        && cx.standalone(q)
                        && next_para
                }) {
                    // (The question's speaker may still be the last-resort guess.)
                    let asker = prev.speaker.or_else(|| cx.pronoun(prev.span.open));
                    speaker = asker.and_then(|a| cx.partner(prev.span.open, a));
                }
            }
            if speaker.is_none() && !unnamed {
                // A quotation that continues the unclosed one of the previous paragraph.
                let para_start = q.open == 0 || toks.get(q.open - 1).is_some_and(|t| t.kind == Kind::Break);
                if let Some(prev) = found.last() {
                    let prev_para_end = toks.get(prev.span.close).is_some_and(|t| t.kind == Kind::Break);
                    if para_start && !prev.span.closed && prev_para_end && prev.span.close + 1 == q.open {
                        speaker = prev.speaker;
                    }
                }
            }
            if speaker.is_none() && !unnamed {
                // Speaker named in the previous sentence ("Blinken said … . “…”"), or the
                // speaker of a quotation that ended it.
                let sentence_start = toks.get(q.open).map(|o| o.sent).is_some_and(|s| {
                    q.open == 0 || toks.get(q.open - 1).is_none_or(|p| p.sent != s || p.kind == Kind::Break)
                });
                if sentence_start {
                    if let Some((lo, hi)) = cx.sentence_range(q.open) {
                        let prev_quote = found.last().filter(|f| f.span.close >= lo && f.span.close < hi);
                        speaker = prev_quote.and_then(|f| f.speaker).or_else(|| cx.speaker_in(lo, hi));
                        unnamed = speaker.is_none() && prev_quote.is_none() && cx.unnamed_speaker_in(lo, hi);
                    }
                }
            }
        } else if words <= SCARE_WORDS {
            continue;
        }
        // "said a market trader, who asked not to be named": whatever else the clause names,
        // the speaker is someone the text keeps unnamed.
        if english && cx.anonymous_attribution(q) {
            speaker = None;
            unnamed = true;
        }
        // “Mr. Brennan, I've got staffers …”: nobody addresses themselves.
        if let (Some(s), Some(Some(v))) = (speaker, english.then(|| cx.vocative(q)).flatten()) {
            if s == v {
                speaker = cx.partner(q.open, v);
            }
        }
        if let Some(e) = speaker {
            cx.salience.push((q.close.min(toks.len()), e));
            cx.salience.sort_by_key(|&(p, _)| p);
        }
        found.push(Found { span: *q, b: (b0, b1), c: (c0, c1), speaker, unnamed });
    }
    if english {
        // A quotation run straight into the next one shares its speaker.
        for i in (0..found.len().saturating_sub(1)).rev() {
            if found[i].speaker.is_none()
                && found[i].span.closed
                && found[i + 1].span.open <= found[i].span.close + 1
            {
                found[i].speaker = found[i + 1].speaker;
            }
        }
        // Last resort: the most recent speaker or clause subject.
        for f in found.iter_mut() {
            if f.speaker.is_none() && !f.unnamed && !cx.nonentity_speaker(&f.span) {
                f.speaker = cx.pronoun(f.span.open);
            }
        }
    }
    found
        .into_iter()
        .map(|f| Quote {
            text: text[f.b.0..f.b.1].to_string(),
            speaker: f.speaker.and_then(|e| an.ents.get(e)).map(|e| e.name.clone()),
            start: f.c.0,
            end: f.c.1,
        })
        .collect()
}
