//! Enrichment: article text → [`Enrichment`] (entities with roles, quotes with speakers, language).
//!
//! Owns: everything rill knows about language. Pure and offline: no model downloads, no state
//! between calls (the word lists in [`lexicon`] are built once and only read). The stage runs in
//! four passes over one token array, linear in the text's length:
//!
//! 1. [`text`]: tokens with character offsets, quotation-mark pairing, sentence boundaries;
//! 2. language ([`whatlang`] on a prefix of the text) decides whether the English rules apply;
//! 3. [`entities`]: capitalised-word spans classified with the [`lexicon`], roles, coreference;
//! 4. [`quotes`]: quotations with speakers resolved to those entities.
//!
//! For a text in another language only the language-neutral rules run: gazetteer places, known
//! organisations, acronyms and given-name people; no roles and no speakers
//! ([`Enrichment::rules_applied`] is false).
//!
//! Data: the lists under `src/enrich/data/` were written by the rill authors from general
//! knowledge (countries, capitals, major cities, well-known organisations, given names, titles) and
//! carry rill's licence; no external dataset is copied.

mod entities;
mod lexicon;
mod quotes;
mod text;

use crate::model::{Enrichment, Entity};

/// Bytes of text given to language detection: enough for a confident guess, bounded for speed.
const LANG_SAMPLE_BYTES: usize = 400;

/// Enriches one article's text. Pure; never panics; linear in the length of `text`.
pub fn enrich(text: &str, title: Option<&str>) -> Enrichment {
    let (language, english) = detect_language(text, title);
    let mut toks = text::tokenize(text);
    let spans = text::annotate(text, &mut toks);
    let an = entities::analyze(text, &toks, english);
    let quotes = quotes::find_quotes(text, &toks, &spans, &an, english);
    let mut entities: Vec<Entity> = an
        .ents
        .into_iter()
        .filter(|e| e.mentions > 0)
        .map(|e| Entity {
            name: e.name,
            kind: e.kind,
            role: e.role,
            aliases: e.aliases,
            mentions: e.mentions,
            first_offset: e.first,
        })
        .collect();
    entities.sort_by_key(|e| e.first_offset);
    Enrichment { language, rules_applied: english, entities, quotes }
}

/// ISO 639-1 code of the text's language and whether the English rules apply.
fn detect_language(text: &str, title: Option<&str>) -> (Option<String>, bool) {
    let mut end = text.len().min(LANG_SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let sample = if sample.trim().len() < 40 {
        match title {
            Some(t) => format!("{t} {sample}"),
            None => sample.to_string(),
        }
    } else {
        sample.to_string()
    };
    if looks_english(&sample) {
        return (Some("en".to_string()), true);
    }
    let info = whatlang::detect(&sample);
    let code = info.filter(|i| i.is_reliable() || i.confidence() > 0.5).and_then(|i| iso639_1(i.lang()));
    let english = match code {
        Some(c) => c == "en",
        // Too short or unsure: apply the English rules to mostly-ASCII text.
        None => {
            let letters = sample.chars().filter(|c| c.is_alphabetic()).count();
            let ascii = sample.chars().filter(|c| c.is_ascii_alphabetic()).count();
            letters == 0 || ascii * 10 >= letters * 9
        }
    };
    (code.map(str::to_string), english)
}

/// Fast path: English function words make up a large share of the sample's words. Saves the
/// trigram detection (most of the stage's time) on the common case; other languages fall through.
fn looks_english(sample: &str) -> bool {
    const FUNCTION_WORDS: &[&str] = &[
        "the", "of", "and", "to", "a", "in", "is", "that", "for", "on", "was", "with", "he", "it", "as",
        "at", "by", "said", "has", "have", "from", "his", "her", "are", "be", "this", "will", "would", "an",
        "were", "not", "but", "had", "their", "they", "who", "which", "been", "after", "its",
    ];
    let mut words = 0usize;
    let mut hits = 0usize;
    for w in sample.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
        words += 1;
        if w.len() <= 5 && FUNCTION_WORDS.iter().any(|f| w.eq_ignore_ascii_case(f)) {
            hits += 1;
        }
    }
    words >= 20 && hits * 4 >= words
}

fn iso639_1(l: whatlang::Lang) -> Option<&'static str> {
    use whatlang::Lang::*;
    Some(match l {
        Eng => "en",
        Fra => "fr",
        Deu => "de",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Nld => "nl",
        Rus => "ru",
        Ukr => "uk",
        Pol => "pl",
        Ces => "cs",
        Slk => "sk",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Hun => "hu",
        Ron => "ro",
        Bul => "bg",
        Hrv => "hr",
        Srp => "sr",
        Slv => "sl",
        Ell => "el",
        Tur => "tr",
        Ara => "ar",
        Heb => "he",
        Pes => "fa",
        Urd => "ur",
        Hin => "hi",
        Ben => "bn",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Vie => "vi",
        Tha => "th",
        Ind => "id",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Cat => "ca",
        Afr => "af",
        Epo => "eo",
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
