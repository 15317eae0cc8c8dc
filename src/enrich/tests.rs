//! Behaviour tests of the whole stage: one per attribution pattern, roles, languages, no panics.

use super::enrich;
use crate::model::{Enrichment, EntityKind};

fn speakers(e: &Enrichment) -> Vec<(String, Option<String>)> {
    e.quotes.iter().map(|q| (q.text.clone(), q.speaker.clone())).collect()
}

fn speaker_of(text: &str, quote_start: &str) -> Option<String> {
    let e = enrich(text, None);
    e.quotes
        .iter()
        .find(|q| q.text.starts_with(quote_start))
        .unwrap_or_else(|| panic!("no quote starting {quote_start:?} in {:?}", speakers(&e)))
        .speaker
        .clone()
}

const INTRO: &str = "Foreign Minister Maria Lopez met Prime Minister John Carter in Madrid on Monday.\n";

#[test]
fn quote_then_name_said() {
    let t = format!("{INTRO}“We will keep talking to every side,” Lopez said.");
    assert_eq!(speaker_of(&t, "We will").as_deref(), Some("Maria Lopez"));
}

#[test]
fn quote_then_said_name() {
    let t = format!("{INTRO}\"The door remains open for now,\" said Carter, adding that talks would go on.");
    assert_eq!(speaker_of(&t, "The door").as_deref(), Some("John Carter"));
}

#[test]
fn name_said_colon_quote() {
    let t = format!("{INTRO}Carter said: “Nobody wants a long war in this region.”");
    assert_eq!(speaker_of(&t, "Nobody").as_deref(), Some("John Carter"));
}

#[test]
fn partial_quote_inside_sentence() {
    let t = format!("{INTRO}Lopez warned that the plan “could fall apart within days” if nothing changed.");
    assert_eq!(speaker_of(&t, "could fall").as_deref(), Some("Maria Lopez"));
    let t = format!("{INTRO}The plan is “going to fail without money from the banks,” she said.");
    assert_eq!(speaker_of(&t, "going to").as_deref(), Some("Maria Lopez"));
}

#[test]
fn according_to() {
    let t = format!("{INTRO}The deal is “very close to being signed this week,” according to Carter.");
    assert_eq!(speaker_of(&t, "very close").as_deref(), Some("John Carter"));
}

#[test]
fn speaker_named_in_previous_sentence() {
    let t = format!(
        "{INTRO}Lopez said that while she was in Rome, she met with Pope Leo Francis to discuss peace. “We are making good progress on every front.”"
    );
    assert_eq!(speaker_of(&t, "We are").as_deref(), Some("Maria Lopez"));
}

#[test]
fn pronoun_after_quote_goes_to_recent_subject() {
    let t = format!(
        "{INTRO}Carter then met Pedro Alves, a banker. “This could have happened long ago,” he said."
    );
    assert_eq!(speaker_of(&t, "This could").as_deref(), Some("John Carter"));
}

#[test]
fn role_noun_and_organisation_speakers() {
    let t = format!("{INTRO}“Talks will continue next week in Geneva,” the foreign minister said.");
    assert_eq!(speaker_of(&t, "Talks will").as_deref(), Some("Maria Lopez"));
    let t = "The Health Ministry in Gaza published new figures.\n“At least 40 people were killed overnight,” the ministry said.";
    assert_eq!(speaker_of(t, "At least").as_deref(), Some("Health Ministry"));
}

#[test]
fn quote_run_into_next_shares_its_speaker() {
    let t = format!(
        "{INTRO}“Children should not be dying of hunger in this city.“We must stop it,” Lopez stated."
    );
    let e = enrich(&t, None);
    assert_eq!(e.quotes.len(), 2, "{:?}", speakers(&e));
    assert!(e.quotes.iter().all(|q| q.speaker.as_deref() == Some("Maria Lopez")));
}

#[test]
fn continuation_paragraph_keeps_speaker() {
    let t = format!(
        "{INTRO}“We are going to finish this job, and nobody will stop us,” Carter said. “It will take time.\n“But we will get there in the end, I promise you.”"
    );
    assert_eq!(speaker_of(&t, "But we").as_deref(), Some("John Carter"));
}

#[test]
fn scare_quotes_are_not_quotes() {
    let e = enrich("The so-called “peace plan” was called a “historic step” by Carter.", None);
    assert!(e.quotes.is_empty(), "{:?}", speakers(&e));
}

#[test]
fn offsets_are_character_offsets() {
    let t = "Zoë Müller said: “Ça va très bien, merci beaucoup.”";
    let e = enrich(t, None);
    let q = &e.quotes[0];
    let chars: Vec<char> = t.chars().collect();
    let s: String = chars[q.start..q.end].iter().collect();
    assert_eq!(s, q.text);
}

#[test]
fn roles_from_titles_and_appositions() {
    let t = "Egyptian Foreign Minister Sameh Shoukry met Nate Evans, spokesperson for the US mission to the United Nations, and Israel's defense minister, Yoav Gallant.";
    let e = enrich(t, None);
    let role = |n: &str| e.entities.iter().find(|x| x.name == n).and_then(|x| x.role.clone());
    assert_eq!(role("Sameh Shoukry").as_deref(), Some("Egyptian Foreign Minister"));
    assert_eq!(role("Nate Evans").as_deref(), Some("spokesperson for the US mission to the United Nations"));
    assert_eq!(role("Yoav Gallant").as_deref(), Some("Israel's defense minister"));
}

#[test]
fn other_languages_get_neutral_entities_only() {
    let t = "Le ministre des Affaires étrangères s'est rendu à Paris et à Berlin mardi pour rencontrer ses homologues. « Nous devons agir maintenant », a-t-il déclaré devant la presse.";
    let e = enrich(t, None);
    assert_eq!(e.language.as_deref(), Some("fr"));
    assert!(!e.rules_applied);
    assert!(e.entities.iter().any(|x| x.name == "Paris" && x.kind == EntityKind::Location));
    assert!(e.entities.iter().all(|x| x.role.is_none()));
}

#[test]
fn empty_and_odd_inputs() {
    for t in ["", " ", "\"", "“", "”“", "a.B", "’s", "U.S.", "\n\n\n", "Mr.", "“a\n”b"] {
        let _ = enrich(t, Some(t));
    }
}

proptest::proptest! {
    #[test]
    fn never_panics_and_offsets_in_range(s in "\\PC{0,300}") {
        let e = enrich(&s, None);
        let n = s.chars().count();
        for q in &e.quotes {
            proptest::prop_assert!(q.start <= q.end && q.end <= n);
        }
        for x in &e.entities {
            proptest::prop_assert!(x.first_offset <= n);
        }
    }

    #[test]
    fn never_panics_on_quote_heavy_text(s in "[A-Za-z .,:\"“”'’\n]{0,200}") {
        let _ = enrich(&s, None);
    }
}
