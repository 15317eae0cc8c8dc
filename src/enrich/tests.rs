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
    let role = |n: &str| role_of(&e, n);
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

// --- One test per attribution pattern and per role cue, on varied texts of our own. ---

#[test]
fn reuters_said_after_with_appositive_and_acronym_org() {
    let t = "LONDON (Reuters) - The World Health Organization (WHO) said on Friday that cholera cases had doubled.\n\
             \"We are seeing outbreaks in places that had not had cholera for decades,\" said Philippa Easterbrook, \
             a WHO official, adding that vaccine stocks were empty.\n\
             WHO said it would ask donors for $100 million.";
    let e = enrich(t, None);
    let who = e.entities.iter().find(|x| x.name == "World Health Organization");
    assert_eq!(who.map(|x| (x.kind, x.mentions >= 3)), Some((EntityKind::Organization, true)));
    assert_eq!(speaker_of(t, "We are seeing").as_deref(), Some("Philippa Easterbrook"));
    assert!(e.entities.iter().any(|x| x.name == "London" && x.kind == EntityKind::Location));
}

#[test]
fn appositive_chief_executive_of_company() {
    let t = "Jane Doe, chief executive of Acme Corp, said sales would fall. “It will be a hard year for everyone in retail,” she said.";
    let e = enrich(t, None);
    let jane = e.entities.iter().find(|x| x.name == "Jane Doe");
    assert_eq!(jane.and_then(|x| x.role.as_deref()), Some("chief executive of Acme Corp"));
    assert!(e.entities.iter().any(|x| x.name == "Acme Corp" && x.kind == EntityKind::Organization));
    assert_eq!(speaker_of(t, "It will be").as_deref(), Some("Jane Doe"));
}

#[test]
fn bbc_colon_intro_after_title_before_name() {
    let t = "Prime Minister Keir Starmer visited Leeds on Tuesday.\n\nSir Keir said: \"We will fix the health service, however long it takes.\"";
    let e = enrich(t, None);
    let k = e.entities.iter().find(|x| x.name == "Keir Starmer");
    assert_eq!(k.and_then(|x| x.role.as_deref()), Some("Prime Minister"));
    assert_eq!(k.map(|x| x.mentions), Some(2));
    assert_eq!(speaker_of(t, "We will fix").as_deref(), Some("Keir Starmer"));
}

#[test]
fn lowercase_title_and_the_minister() {
    let t = "Kenya's health minister, Susan Nakhumicha, visited Kisumu. The minister said: “Our nurses are trained and our cold chain is ready.”";
    let e = enrich(t, None);
    let s = e.entities.iter().find(|x| x.name == "Susan Nakhumicha");
    assert_eq!(s.and_then(|x| x.role.as_deref()), Some("Kenya's health minister"));
    assert_eq!(speaker_of(t, "Our nurses").as_deref(), Some("Susan Nakhumicha"));
}

#[test]
fn role_noun_subject_then_pronoun() {
    let t = "Health Secretary Wes Streeting met Shadow health secretary Victoria Atkins. \
             The health secretary later said he would meet unions. “My door is open to everyone who wants a deal,” he said.";
    assert_eq!(speaker_of(t, "My door").as_deref(), Some("Wes Streeting"));
}

#[test]
fn subject_before_verb_after_quote_not_first_name() {
    let t = "“This is a historic day for children in Africa,” WHO Director-General Tedros Adhanom Ghebreyesus told reporters in Geneva.";
    let e = enrich(t, None);
    assert_eq!(e.quotes.first().and_then(|q| q.speaker.as_deref()), Some("Tedros Adhanom Ghebreyesus"));
    let t0 = e.entities.iter().find(|x| x.name == "Tedros Adhanom Ghebreyesus");
    assert_eq!(t0.and_then(|x| x.role.as_deref()), Some("WHO Director-General"));
}

#[test]
fn organisation_speakers_by_descriptor() {
    let t = "The RSF denied blocking aid. In a statement, the group accused the army of \"using starvation as a weapon of war\".";
    assert_eq!(speaker_of(t, "using starvation").as_deref(), Some("RSF"));
    let e = enrich(
        "Indian drugmaker Bharat Biotech will make the shot. Gavi, the vaccine alliance, will pay.",
        None,
    );
    for n in ["Bharat Biotech", "Gavi"] {
        assert!(
            e.entities.iter().any(|x| x.name == n && x.kind == EntityKind::Organization),
            "{n}: {:?}",
            e.entities
        );
    }
}

#[test]
fn unattributed_quote_with_non_entity_speaker_gets_none() {
    let t = "Stacy Rasgon, an analyst, spoke first. Managers complained about what they called “a lack of discipline” among staff.";
    assert_eq!(speaker_of(t, "a lack of"), None);
}

#[test]
fn datelines_state_abbreviations_initials_and_particles() {
    let t =
        "SAN JOSE, Calif. — C.C. Wei, TSMC’s chairman, met General Abdel Fattah al-Burhan near El Fasher.";
    let e = enrich(t, None);
    let kind = |n: &str| kind_of(&e, n);
    assert_eq!(kind("San Jose"), Some(EntityKind::Location));
    assert_eq!(kind("California"), Some(EntityKind::Location));
    assert_eq!(kind("C.C. Wei"), Some(EntityKind::Person));
    assert_eq!(kind("Abdel Fattah al-Burhan"), Some(EntityKind::Person));
    assert_eq!(kind("El Fasher"), Some(EntityKind::Location));
    assert_eq!(
        e.entities.iter().find(|x| x.name == "C.C. Wei").and_then(|x| x.role.as_deref()),
        Some("TSMC’s chairman")
    );
}

fn kind_of(e: &Enrichment, name: &str) -> Option<EntityKind> {
    e.entities.iter().find(|x| x.name == name).map(|x| x.kind)
}

/// Every name in `names` is an entity of `kind`.
fn assert_kinds(e: &Enrichment, kind: EntityKind, names: &[&str]) {
    for name in names {
        assert_eq!(kind_of(e, name), Some(kind), "{name}: {:?}", e.entities);
    }
}

fn role_of(e: &Enrichment, name: &str) -> Option<String> {
    e.entities.iter().find(|x| x.name == name).and_then(|x| x.role.clone())
}

#[test]
fn lowercase_particles_inside_names() {
    let e = enrich("Dunmore manager Ulrich van der Meer met Nurul Izzah binti Rahman in Kuala Lumpur.", None);
    assert_eq!(kind_of(&e, "Ulrich van der Meer"), Some(EntityKind::Person), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Nurul Izzah binti Rahman"), Some(EntityKind::Person), "{:?}", e.entities);
}

#[test]
fn quoted_nickname_between_given_name_and_surname() {
    let e = enrich("The winner came from Rory \"Sparky\" Dunne late in the game. Dunne was mobbed.", None);
    assert_eq!(kind_of(&e, "Rory Dunne"), Some(EntityKind::Person), "{:?}", e.entities);
    assert!(e.entities.iter().all(|x| x.name != "Dunne"), "{:?}", e.entities);
}

#[test]
fn multi_word_titles_with_unknown_capitalised_words() {
    let e = enrich("Chief Financial Officer Tomasz Nowak said costs rose. U.S. District Judge Anne-Marie van Houten agreed.", None);
    assert_eq!(role_of(&e, "Tomasz Nowak").as_deref(), Some("Chief Financial Officer"));
    assert_eq!(role_of(&e, "Anne-Marie van Houten").as_deref(), Some("U.S. District Judge"));
    let e = enrich("The Housing Secretary, Rebecca Lyle, told MPs the plan would work.", None);
    assert_eq!(role_of(&e, "Rebecca Lyle").as_deref(), Some("Housing Secretary"));
    assert!(e.entities.iter().all(|x| x.name != "Housing Secretary"), "{:?}", e.entities);
}

#[test]
fn determined_role_phrase_before_comma_and_name() {
    let e = enrich(
        "The Chancellor, Rachel Reeves, is expected to speak. Its chairman, Anders Ravn, agreed.",
        None,
    );
    assert_eq!(role_of(&e, "Rachel Reeves").as_deref(), Some("Chancellor"));
    assert_eq!(role_of(&e, "Anders Ravn").as_deref(), Some("chairman"));
    let e = enrich("The shadow housing secretary, Olumide Bankole, spoke first.", None);
    assert_eq!(role_of(&e, "Olumide Bankole").as_deref(), Some("shadow housing secretary"));
    let e = enrich("In London, Olumide Bankole spoke first.", None);
    assert_eq!(role_of(&e, "Olumide Bankole"), None);
}

#[test]
fn indefinite_apposition_and_title_with_apposition() {
    let e = enrich("Anna Berg, a beekeeper from Uppsala, said the hives were empty.", None);
    assert_eq!(
        role_of(&e, "Anna Berg").as_deref(),
        Some("beekeeper"),
        "where she is from is no part of the role"
    );
    let e = enrich("Lt. Gen. Dwayne Whitaker, commander of the Pacific fleet, said he was ready.", None);
    let r = role_of(&e, "Dwayne Whitaker").unwrap_or_default();
    assert!(r.contains("Lt. Gen.") && r.contains("commander of the Pacific fleet"), "{r:?}");
}

#[test]
fn organisation_name_shapes() {
    let e = enrich("She joined the fashion group Ellery & Stone. Mark Lee, of the Institute of Strategic and International Studies, spoke. Germany's Federal Statistical Office said sales fell.", None);
    assert_eq!(kind_of(&e, "Ellery & Stone"), Some(EntityKind::Organization), "{:?}", e.entities);
    assert_eq!(
        kind_of(&e, "Institute of Strategic and International Studies"),
        Some(EntityKind::Organization),
        "{:?}",
        e.entities
    );
    assert_eq!(kind_of(&e, "Federal Statistical Office"), Some(EntityKind::Organization), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Germany"), Some(EntityKind::Location));
    let e = enrich(
        "The case was brought by the U.S. Attorney’s Office for the Southern District of New York on Monday.",
        None,
    );
    assert_eq!(
        kind_of(&e, "U.S. Attorney’s Office for the Southern District of New York"),
        Some(EntityKind::Organization),
        "{:?}",
        e.entities
    );
}

#[test]
fn person_of_organisation_is_split() {
    let e = enrich("Jean-Baptiste Moreau of Banque Aurelle said the closures were overdue. Co-author Dr. Kwame Mensah of the British Antarctic Survey agreed.", None);
    assert_eq!(kind_of(&e, "Jean-Baptiste Moreau"), Some(EntityKind::Person), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Banque Aurelle"), Some(EntityKind::Organization), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Kwame Mensah"), Some(EntityKind::Person), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "British Antarctic Survey"), Some(EntityKind::Organization), "{:?}", e.entities);
}

#[test]
fn sports_clubs_and_places_by_their_words() {
    let e = enrich("Kilbride Rovers beat Dunmore Athletic at the Aviva Stadium. The ship sailed around the Cape of Good Hope to the town of Semporna, off Tawi-Tawi province. Outside Parliament, the Home Builders Federation was pleased.\nBuilders welcomed the result.", None);
    assert_eq!(kind_of(&e, "Kilbride Rovers"), Some(EntityKind::Organization), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Dunmore Athletic"), Some(EntityKind::Organization));
    assert_eq!(kind_of(&e, "Aviva Stadium"), Some(EntityKind::Location));
    assert_eq!(kind_of(&e, "Cape of Good Hope"), Some(EntityKind::Location), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Semporna"), Some(EntityKind::Location), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Tawi-Tawi"), Some(EntityKind::Location), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Parliament"), Some(EntityKind::Organization), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Builders"), None, "{:?}", e.entities);
    let e = enrich("Lumen Ledger, a digital-asset fund that collapsed in March, was shut.", None);
    assert_eq!(kind_of(&e, "Lumen Ledger"), Some(EntityKind::Organization), "{:?}", e.entities);
}

#[test]
fn apposition_name_before_verb_is_the_speaker() {
    let t = "The union 3F was not consulted.\n\"It is the workers who pay for this,\" a spokeswoman for the union, Mette Kjaer, said.";
    assert_eq!(speaker_of(t, "It is").as_deref(), Some("Mette Kjaer"));
}

#[test]
fn the_company_is_the_organisation_named_last() {
    let t = "Shares in Nordhaven Group fell. Mark Lee of Calder Wright Securities was critical. Others praised Nordhaven's online business.\nThe company said in a statement that it had \"taken decisive action to protect margins\".";
    assert_eq!(speaker_of(t, "taken decisive").as_deref(), Some("Nordhaven Group"));
}

#[test]
fn unresolved_role_noun_is_the_person_last_spoken_of() {
    let t = "Kaito Nakamura scored first. Shay Brennan was mobbed at the whistle.\n\"I can't put it into words at all,\" the defender said.";
    assert_eq!(speaker_of(t, "I can't").as_deref(), Some("Shay Brennan"));
}

#[test]
fn subject_with_parenthesis_is_salient() {
    let t = "Brendan Kiely said the club was proud. Declan O'Hare, meanwhile, was already thinking about the final. \"Enjoy tonight, all of you,\" he told his players.";
    assert_eq!(speaker_of(t, "Enjoy tonight").as_deref(), Some("Declan O'Hare"));
}

#[test]
fn double_barrelled_surname_alone_is_the_person() {
    let t = "Chief Executive Sigrid Lund-Halvorsen spoke. Anders Berg spoke too.\nLund-Halvorsen rejected the idea. \"I would make the same decisions again,\" she said.";
    assert_eq!(speaker_of(t, "I would").as_deref(), Some("Sigrid Lund-Halvorsen"));
}

#[test]
fn to_inside_an_organisation_name() {
    let e = enrich("Outside the hall, the Campaign to Protect Rural England said the vote was bad. Trains run from London to Paris.", None);
    assert_eq!(
        kind_of(&e, "Campaign to Protect Rural England"),
        Some(EntityKind::Organization),
        "{:?}",
        e.entities
    );
    assert_eq!(kind_of(&e, "London"), Some(EntityKind::Location), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Paris"), Some(EntityKind::Location), "{:?}", e.entities);
}

#[test]
fn roles_named_and_demonstrative() {
    let e = enrich("The first witness, a retired schoolteacher from Queens named Gloria Mbeki, wept. That partner, Farid bin Rashid, pleaded guilty.", None);
    assert_eq!(role_of(&e, "Gloria Mbeki").as_deref(), Some("retired schoolteacher from Queens"));
    assert_eq!(role_of(&e, "Farid bin Rashid").as_deref(), Some("partner"));
    let e = enrich("Prof. Rahul Venkataraman, an ocean physicist at the Scripps Institution of Oceanography in San Diego who was not involved, spoke.", None);
    let r = role_of(&e, "Rahul Venkataraman").unwrap_or_default();
    assert!(r.contains("ocean physicist"), "{r:?}");
}

#[test]
fn subject_followed_by_its_employer_is_salient() {
    let t = "Dr. Ingrid Aasen led the study. Co-author Dr. Kwame Mensah of the British Antarctic Survey, who piloted the submarine, described the mission as hard.\n\"You lose contact the moment it goes under,\" he said.";
    assert_eq!(speaker_of(t, "You lose").as_deref(), Some("Kwame Mensah"));
}

#[test]
fn place_after_preposition_does_not_replace_the_subject() {
    let t = "Hamid Qureshi was critical. Jean-Baptiste Moreau of Banque Aurelle in Paris said the shop was \"the best in the sector by some distance.\"";
    assert_eq!(speaker_of(t, "the best").as_deref(), Some("Jean-Baptiste Moreau"));
}

#[test]
fn organisation_short_forms_and_patronymics() {
    let e = enrich("Shares in Nordhaven Group fell. Nordhaven opened stores. Minister Azman Shah bin Hashim spoke. Azman Shah left. Lumen Ledger, a fund that collapsed, was sued by Nikolai Petrov and Lumen Ledger investors.", None);
    let ent = |n: &str| e.entities.iter().find(|x| x.name == n).map(|x| (x.kind, x.mentions));
    assert_eq!(ent("Nordhaven Group"), Some((EntityKind::Organization, 2)), "{:?}", e.entities);
    assert_eq!(ent("Azman Shah bin Hashim"), Some((EntityKind::Person, 2)), "{:?}", e.entities);
    assert!(
        e.entities.iter().all(|x| !(x.name == "Lumen Ledger" && x.kind == EntityKind::Person)),
        "{:?}",
        e.entities
    );
}

#[test]
fn known_as_names_the_same_organisation() {
    let e = enrich("It buys tankers for the California Department of Forestry and Fire Protection, known as Cal Fire. Cal Fire said the blaze was contained.", None);
    let cf = e.entities.iter().find(|x| x.name == "California Department of Forestry and Fire Protection");
    assert_eq!(cf.map(|x| (x.kind, x.mentions)), Some((EntityKind::Organization, 3)), "{:?}", e.entities);
    assert!(e.entities.iter().all(|x| x.name != "Cal Fire"), "{:?}", e.entities);
}

#[test]
fn the_utility_is_not_a_name_inside_the_quote() {
    let t = "Cal Fire is investigating. Pacific Gas and Electric Co. said in a filing that a line failed.\n\"We are cooperating fully with Cal Fire and will share everything,\" the utility said.";
    assert_eq!(speaker_of(t, "We are").as_deref(), Some("Pacific Gas and Electric Co"));
    let e = enrich(t, None);
    assert_eq!(
        kind_of(&e, "Pacific Gas and Electric Co"),
        Some(EntityKind::Organization),
        "{:?}",
        e.entities
    );
}

#[test]
fn assemblyman_is_a_title() {
    let e = enrich("Assemblyman Dale Whitcombe, whose district includes Grass Valley, voted no.", None);
    assert_eq!(role_of(&e, "Dale Whitcombe").as_deref(), Some("Assemblyman"), "{:?}", e.entities);
}

/// The annotated articles in `src/enrich/testdata` (gold in the shape `evaluate.py` reads): every
/// gold quote found with its speaker, and most gold entities found with few spurious ones.
#[test]
fn own_annotated_articles() {
    use std::collections::HashMap;
    #[derive(serde::Deserialize)]
    struct GEnt {
        name: String,
        #[serde(default)]
        aliases: Vec<String>,
    }
    #[derive(serde::Deserialize)]
    struct GQuote {
        text: String,
        speaker: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct Gold {
        entities: Vec<GEnt>,
        quotes: Vec<GQuote>,
    }
    let norm = |s: &str| s.trim_start_matches("the ").to_lowercase().replace('’', "'");
    let gold: HashMap<String, Gold> =
        serde_json::from_str(include_str!("testdata/gold.json")).expect("gold.json parses");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/enrich/testdata");
    for (id, g) in &gold {
        let text = std::fs::read_to_string(dir.join(format!("{id}.txt"))).expect("article");
        let e = enrich(&text, None);
        let names = |x: &GEnt| -> Vec<String> {
            std::iter::once(&x.name).chain(&x.aliases).map(|n| norm(n)).collect()
        };
        let found = g
            .entities
            .iter()
            .filter(|x| e.entities.iter().any(|p| names(x).contains(&norm(&p.name))))
            .count();
        let spurious = e
            .entities
            .iter()
            .filter(|p| !g.entities.iter().any(|x| names(x).contains(&norm(&p.name))))
            .count();
        assert!(found * 10 >= g.entities.len() * 9, "{id}: found {found}/{}", g.entities.len());
        assert!(spurious * 10 <= e.entities.len(), "{id}: {spurious} spurious of {}", e.entities.len());
        for q in &g.quotes {
            let got = e.quotes.iter().find(|p| p.text == q.text);
            let got = got.unwrap_or_else(|| panic!("{id}: quote {:?} not found", q.text));
            let want = q
                .speaker
                .as_deref()
                .map(|s| g.entities.iter().find(|x| x.name == s).map_or_else(|| vec![norm(s)], &names));
            match (want, &got.speaker) {
                (None, None) => {}
                (Some(w), Some(s)) if w.contains(&norm(s)) => {}
                (w, s) => panic!("{id}: quote {:?}: speaker {s:?}, want {w:?}", q.text),
            }
        }
    }
}

proptest::proptest! {
    #[test]
    fn never_panics_and_offsets_in_range(s in "\\PC{0,300}") {
        let e = enrich(&s, None);
        let chars: Vec<char> = s.chars().collect();
        for q in &e.quotes {
            // Offsets count chars, so they are on char boundaries by construction; the text
            // between them is the quote's text.
            proptest::prop_assert!(q.start <= q.end && q.end <= chars.len());
            let between: String = chars[q.start..q.end].iter().collect();
            proptest::prop_assert_eq!(&between, &q.text);
        }
        for x in &e.entities {
            proptest::prop_assert!(x.first_offset < chars.len().max(1));
        }
    }

    #[test]
    fn never_panics_on_quote_heavy_text(s in "[A-Za-z .,:\"“”'’\n]{0,200}") {
        let e = enrich(&s, None);
        let chars: Vec<char> = s.chars().collect();
        for q in &e.quotes {
            proptest::prop_assert!(q.start <= q.end && q.end <= chars.len());
            let between: String = chars[q.start..q.end].iter().collect();
            proptest::prop_assert_eq!(&between, &q.text);
        }
    }

    #[test]
    fn never_panics_on_name_like_text(s in "([A-Z][a-z]{0,6}|[A-Z]\\.|al-[A-Z][a-z]{1,4}|’s|, |\\. |\n|“|”|said|the|of|-based| ){0,60}") {
        let _ = enrich(&s, Some(&s));
    }
}

#[test]
fn single_typographic_marks_are_the_quotation_marks_of_a_british_style_text() {
    let t = format!(
        "{INTRO}‘We will keep the workers’ pensions safe,’ Lopez said. Carter called it ‘a fair \
         deal for everyone who works here’.\n\n‘It took months of talks,’ said Carter, who quoted \
         his aide: “not a day more”. Lopez’s team agreed."
    );
    let e = enrich(&t, None);
    let got = speakers(&e);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0], ("We will keep the workers’ pensions safe,".into(), Some("Maria Lopez".into())));
    assert_eq!(got[1].0, "a fair deal for everyone who works here");
    assert_eq!(got[2], ("It took months of talks,".into(), Some("John Carter".into())));
}

#[test]
fn single_marks_in_a_double_quoted_text_stay_apostrophes_and_nested_quotes() {
    let t = format!("{INTRO}“The word ‘truce’ was never used,” Lopez said of the workers’ deal.");
    let got = speakers(&enrich(&t, None));
    assert_eq!(got, vec![("The word ‘truce’ was never used,".into(), Some("Maria Lopez".into()))]);
}

#[test]
fn south_asian_and_european_honorifics_are_not_part_of_the_name() {
    let e = enrich(
        "Shri Vikram Salunkhe, the municipal commissioner, met Smt. Sunita Wadekar and Herr Jonas Becker \
         in Pune. Sri Lankan officials attended.",
        None,
    );
    let names: Vec<&str> = e.entities.iter().map(|x| x.name.as_str()).collect();
    for want in ["Vikram Salunkhe", "Sunita Wadekar", "Jonas Becker", "Pune"] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    assert!(!names.iter().any(|n| n.contains("Shri") || n.contains("Smt") || n.contains("Sri")), "{names:?}");
}

#[test]
fn unknown_names_ending_in_a_place_or_organisation_word_get_that_type() {
    let e = enrich(
        "Engineers inspected Khadakwasla Dam and Shivajinagar Road on Monday, while the Fairbourne \
         Railway and the Kharadi Residents' Forum asked for answers.",
        None,
    );
    let kind = |n: &str| kind_of(&e, n);
    assert_eq!(kind("Khadakwasla Dam"), Some(EntityKind::Location));
    assert_eq!(kind("Shivajinagar Road"), Some(EntityKind::Location));
    assert_eq!(kind("Fairbourne Railway"), Some(EntityKind::Organization));
}

#[test]
fn spanish_particles_and_accented_given_names_keep_the_whole_name() {
    let e = enrich(
        "María José de la Fuente arrived in Jeddah with Juan de los Santos. Łukasz Nowak stayed in Las Vegas.",
        None,
    );
    let names: Vec<&str> = e.entities.iter().map(|x| x.name.as_str()).collect();
    for want in ["María José de la Fuente", "Juan de los Santos", "Łukasz Nowak", "Las Vegas"] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
}

#[test]
fn a_pronoun_after_a_quote_skips_names_inside_the_quote() {
    let t = format!(
        "{INTRO}Carter insisted the decision was correct. \"From where I stood it was fair. Lopez got to the ball first and the lad fell over,\" he said."
    );
    assert_eq!(speaker_of(&t, "From where").as_deref(), Some("John Carter"));
}

#[test]
fn an_unnamed_speaker_is_no_speaker() {
    let t = format!(
        "{INTRO}“Nobody in this building thinks the plan will work before the summer,” a senior official in the Ministry of Defence said."
    );
    assert_eq!(speaker_of(&t, "Nobody"), None);
    let t = format!(
        "{INTRO}One veteran teacher in Leeds, who asked not to be named because she was not allowed to speak, told me the software “marks a wrong answer as correct far too often.”"
    );
    assert_eq!(speaker_of(&t, "marks a"), None);
    // A spokeswoman for an organisation is not anonymous: the organisation is found by the
    // usual rules (here none is named, so no speaker is invented either).
    let t = "Harbour Holdings reported a loss. “We expect a better year ahead of us,” a spokeswoman for Harbour Holdings said.";
    assert_eq!(speaker_of(t, "We expect").as_deref(), Some("Harbour Holdings"));
}

#[test]
fn a_coordinated_verb_keeps_the_first_verbs_subject() {
    let t = format!(
        "{INTRO}Carter said the council remained open to offers but warned there was \"no money left in the pot\" for them."
    );
    assert_eq!(speaker_of(&t, "no money").as_deref(), Some("John Carter"));
    // "… and urged the council": the council is the object of another clause.
    let t = "The Harbour Council voted on Monday. Union organiser Paul Danby said the union would \"support the campaigners in any way we can\" and urged the council to think again.";
    assert_eq!(speaker_of(t, "support the").as_deref(), Some("Paul Danby"));
}

#[test]
fn the_company_is_not_the_agency_it_spoke_to() {
    let t = "Veltrana Systems cut its forecast, Chief Executive Maarten van der Heijden told Reuters in an interview.\n\n\
             “These are difficult decisions that affect colleagues across the business,” the company said.";
    assert_eq!(speaker_of(t, "These are").as_deref(), Some("Veltrana Systems"));
}

#[test]
fn unknown_names_listed_with_places_are_places() {
    let e = enrich(
        "The strikes hit energy sites in Kharkiv, Sumy and Poltava on Monday, and towns near Odesa.",
        None,
    );
    assert_kinds(&e, EntityKind::Location, &["Kharkiv", "Sumy", "Poltava"]);
    // A list with a person in it is not made a list of places.
    let e = enrich("Talks in Geneva included Tomasz Wrobel and Kessing on Monday.", None);
    assert!(e.entities.iter().all(|x| x.name != "Kessing" || x.kind != EntityKind::Location));
}

#[test]
fn the_name_before_a_lowercase_title_says_whose_title_it_is() {
    let e = enrich(
        "Ravenscourt manager Gareth Pennock praised his side. Brightwater Securities analyst Sofia Lindqvist disagreed. On Tuesday head coach Stefan Moller left.",
        None,
    );
    let role = |n: &str| role_of(&e, n);
    assert_eq!(role("Gareth Pennock").as_deref(), Some("Ravenscourt manager"));
    assert_eq!(role("Sofia Lindqvist").as_deref(), Some("Brightwater Securities analyst"));
    assert_eq!(role("Stefan Moller").as_deref(), Some("head coach"));
}

#[test]
fn laws_are_not_entities_and_particle_names_resolve_at_a_sentence_start() {
    let e = enrich(
        "The Western Water Security Act and the Public Libraries and Museums Act were debated. \
         Chief Executive Maarten van der Heijden spoke. Van der Heijden said costs rose.",
        None,
    );
    let names: Vec<&str> = e.entities.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, ["Maarten van der Heijden"], "{:?}", e.entities);
    assert_eq!(e.entities[0].mentions, 2);
}

#[test]
fn she_and_he_pick_a_person_of_that_sex_when_the_text_says_so() {
    // The last subject is a man; the woman is named after him, not as a subject.
    let t = "Envoy Faisal Al-Marri said talks would go on. The delegation was led by Deputy Minister Olena Hrytsenko, who has traced children for a year.\n\n\
             “Every name on that list has been checked by our own people,” she said.";
    assert_eq!(speaker_of(t, "Every name").as_deref(), Some("Olena Hrytsenko"));
    // Nothing says: the most recent subject, whatever the pronoun.
    let t = "Envoy Tomasz Wrobel said talks would go on.\n\n“Every name on that list has been checked by us,” she said.";
    assert_eq!(speaker_of(t, "Every name").as_deref(), Some("Tomasz Wrobel"));
    // A title of one sex counts too; a person nothing marks is taken over one marked otherwise.
    let t = "Company spokeswoman Dana Reyes said the plant would close. The chairman, Tom Baker, said it was safe.\n\n\
             “We have no choice but to shut the line this winter,” she said.";
    assert_eq!(speaker_of(t, "We have").as_deref(), Some("Dana Reyes"));
    // A demonym ending in "man" is not a sign of sex.
    let t = "Envoy Tomasz Wrobel said talks would go on. German Chancellor Angela Weber said she agreed.\n\n\
             “Every name on that list has been checked by us,” she said.";
    assert_eq!(speaker_of(t, "Every name").as_deref(), Some("Angela Weber"));
}

#[test]
fn names_that_only_look_like_people_take_the_type_other_mentions_or_lists_give_them() {
    let e = enrich(
        "Orders covered parts of Windsor, Pitt Town, McGraths Hill and North Richmond. \
         Tanya Moreau, who has lived in Pitt Town for years, said she was leaving. \
         The restaurant won a star from the Michelin Guide. Officials in the Yarra Delta were ready.",
        None,
    );
    assert_kinds(
        &e,
        EntityKind::Location,
        &["Windsor", "Pitt Town", "McGraths Hill", "North Richmond", "Yarra Delta"],
    );
    assert_eq!(kind_of(&e, "Michelin Guide"), Some(EntityKind::Organization));
    assert_eq!(kind_of(&e, "Tanya Moreau"), Some(EntityKind::Person));
    // A name and its apposition are not a list: "Liang Wenqing, China's envoy".
    let e = enrich("Liang Wenqing, China’s special envoy, said talks would go on in Doha.", None);
    assert_eq!(kind_of(&e, "Liang Wenqing"), Some(EntityKind::Person), "{:?}", e.entities);
}

#[test]
fn compounds_post_nominals_and_sentence_initial_common_nouns_stay_out_of_names() {
    let e = enrich(
        "Shares of Halcyra Systems fell 11% after the San Jose-based company cut its outlook; shares \
         had risen all year. Lomax’s barrister, Huw Brannigan KC, said his client was “deeply ashamed of what he has done”. \
         Prosecutor Rhiannon Day told the court the Harwick Traders' Association and the Ministry of \
         Foreign Affairs and Trade had complained.",
        None,
    );
    assert_eq!(kind_of(&e, "Halcyra Systems"), Some(EntityKind::Organization), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "San Jose"), Some(EntityKind::Location));
    assert_eq!(kind_of(&e, "Huw Brannigan"), Some(EntityKind::Person));
    assert_eq!(kind_of(&e, "KC"), None);
    assert_eq!(kind_of(&e, "Rhiannon Day"), Some(EntityKind::Person));
    assert_eq!(kind_of(&e, "Harwick Traders' Association"), Some(EntityKind::Organization));
    assert_eq!(kind_of(&e, "Ministry of Foreign Affairs and Trade"), Some(EntityKind::Organization));
    assert_eq!(e.quotes.first().and_then(|q| q.speaker.as_deref()), Some("Huw Brannigan"));
}

#[test]
fn relatives_and_unnamed_members_are_no_named_speaker() {
    let t = "Judge Carys Pughe heard the case at Cardiff Crown Court.\n\n\
             In a statement read to the court, the woman’s son said: “My mother was a careful, proud woman.”\n\n\
             One senior Labour backbencher, who asked not to be named, said the whips were caught off guard. \
             “They assumed this would fizzle out over the weekend.”";
    assert_eq!(speaker_of(t, "My mother"), None);
    assert_eq!(speaker_of(t, "They assumed"), None);
}

#[test]
fn a_pronoun_after_a_reported_clause_is_its_subject_not_its_object() {
    let t = "Owen Lathbury is an MP. Priya Castellane is a minister.\n\n\
             Lathbury said he had not spoken to Castellane since Friday. “My door is open,” he said.";
    assert_eq!(speaker_of(t, "My door").as_deref(), Some("Owen Lathbury"));
}

#[test]
fn roles_before_names_after_a_preposition_or_with_lowercase_qualifiers() {
    let e = enrich(
        "Ingold was less happy with the referee, Dean Harwell, who waved away two appeals. \
         Another co-author, Lucía Ferrándiz, said it was late. The amendment, drawn up by the \
         backbench MP Owen Lathbury, would limit rises.",
        None,
    );
    let role = |n: &str| role_of(&e, n);
    assert_eq!(role("Dean Harwell").as_deref(), Some("referee"), "{:?}", e.entities);
    assert_eq!(role("Lucía Ferrándiz").as_deref(), Some("co-author"));
    assert_eq!(role("Owen Lathbury").as_deref(), Some("backbench MP"));
}

#[test]
fn an_apposition_closed_by_a_comma_is_the_subject_and_a_full_stop_ends_attribution() {
    let t = "Dutch Foreign Minister Pieter-Jan Oosterhuis said the bloc was wrong.\n\n\
             Ireland’s foreign minister, Cathal Brennock, struck a more conciliatory tone. \
             “I understand the concerns some colleagues have,” he said.";
    assert_eq!(speaker_of(t, "I understand").as_deref(), Some("Cathal Brennock"));
    // A lost paragraph break: the sentence after a quotation closed by a full stop is new.
    let t = "Its co-ordinator, Ruth Delahaye, said: \"For years parents have told us the roads are \
             dangerous. Tonight the council finally listened.\"Mr Graham Pettifer said traders would meet.";
    assert_eq!(speaker_of(t, "For years").as_deref(), Some("Ruth Delahaye"));
}

#[test]
fn a_name_in_apposition_to_an_organisation_noun_is_an_organisation() {
    let e = enrich(
        "She went to work for Colette Barraud, whose restaurant in Lyon, La Table Barraud, has held three stars. \
         A spokeswoman for the union, Mette Kjær, said the cuts were unfair.",
        None,
    );
    assert_eq!(kind_of(&e, "La Table Barraud"), Some(EntityKind::Organization), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Mette Kjær"), Some(EntityKind::Person));
}

#[test]
fn a_colon_after_any_clause_gives_its_subject_and_she_after_an_unnamed_speaker_is_unnamed() {
    let t = "Fire chief Dale Hargrove said crews pulled back.\n\n\
             Pinecrest County Sheriff Gordon Pruitt put it bluntly: “If you are in an evacuation zone, leave now.”\n\n\
             A neighbor who declined to give her name said the store was a trouble spot. \
             “We have called about fights many times,” she said.";
    assert_eq!(speaker_of(t, "If you").as_deref(), Some("Gordon Pruitt"));
    assert_eq!(speaker_of(t, "We have"), None);
}

#[test]
fn places_that_are_given_names_start_a_person_and_department_for_x_and_y_is_one_name() {
    let e = enrich(
        "Substitute Jordan Whitcomb scored late. The Department for Business and Trade said it would review the deal.",
        None,
    );
    assert_eq!(kind_of(&e, "Jordan Whitcomb"), Some(EntityKind::Person), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Jordan"), None);
    assert_eq!(kind_of(&e, "Department for Business and Trade"), Some(EntityKind::Organization));
}

#[test]
fn roads_agencies_named_by_field_and_country_and_lists_after_parts_of() {
    let e = enrich(
        "Crews closed State Route 49 and Highway 20. Health New Zealand said cases rose in parts of Europe and Asia.",
        None,
    );
    assert_kinds(&e, EntityKind::Location, &["State Route 49", "Highway 20", "Europe", "Asia"]);
    assert_kinds(&e, EntityKind::Organization, &["Health New Zealand"]);
}

#[test]
fn a_relative_named_in_apposition_speaks_as_her_daughter_and_long_appositions_keep_their_subject() {
    let t = "Margit Solberg died on Friday. Her daughter, Ingrid Lund, said she died at home. \
             Colleague Aiyana Brooks said she was a pioneer.\n\n\
             “She was fierce about science and gentle about everything else,” her daughter said.\n\n\
             Joseph Otieno, principal secretary in the Ministry of Water, Sanitation and Irrigation, told \
             reporters that wells were drilled. “We accept that more needs to be done,” he said.";
    assert_eq!(speaker_of(t, "She was fierce").as_deref(), Some("Ingrid Lund"));
    assert_eq!(speaker_of(t, "We accept").as_deref(), Some("Joseph Otieno"));
}

#[test]
fn a_double_surname_after_particles_is_named_by_its_first_part() {
    let t = "María José de la Fuente Ortiz, director-general for Africa at Spain's foreign ministry, \
             arrived on Sunday.\n\n\"Every week without a corridor costs lives,\" de la Fuente told reporters.";
    assert_eq!(speaker_of(t, "Every week").as_deref(), Some("María José de la Fuente Ortiz"));
}

#[test]
fn leader_of_the_opposition_is_a_title() {
    let e = enrich("Leader of the Opposition Peter Dutton said the plan was late.", None);
    let p = e.entities.iter().find(|x| x.name == "Peter Dutton");
    assert_eq!(p.and_then(|x| x.role.as_deref()), Some("Leader of the Opposition"), "{:?}", e.entities);
}

#[test]
fn speakers_kept_anonymous_get_no_name_and_teams_before_roles_are_organisations() {
    let t = "Police spokesman Joseph Kanyama said 23 people were arrested.\n\n\
             \"We queued from four in the morning,\" said a market trader in Kitundu, who asked not to be named.\n\n\
             A Mumbai-based fund manager, who did not want to be named, said the company was “betting heavily on a spending cycle”.\n\n\
             The Severn Vale captain had been a doubt all week. “The physios strapped me up,” he said.";
    assert_eq!(speaker_of(t, "We queued"), None);
    assert_eq!(speaker_of(t, "betting heavily"), None);
    let e = enrich(t, None);
    assert_eq!(kind_of(&e, "Severn Vale"), Some(EntityKind::Organization), "{:?}", e.entities);
    let e = enrich(
        "Fougère, who represents the riding of Halifax Chebucto, spoke. Nova Scotia Health disagreed. \
         The Victims First Legal Foundation wrote to the Southern African Development Community.",
        None,
    );
    assert_eq!(kind_of(&e, "Halifax Chebucto"), Some(EntityKind::Location), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Nova Scotia Health"), Some(EntityKind::Organization));
    assert_eq!(kind_of(&e, "Victims First Legal Foundation"), Some(EntityKind::Organization));
    assert_eq!(kind_of(&e, "Southern African Development Community"), Some(EntityKind::Organization));
}

#[test]
fn named_events_and_amendments_are_not_entities() {
    let e = enrich(
        "The Sawmill Fire burned near Pinecrest as Storm Babet moved north. Cal Fire said the Fourth \
         Amendment case and the Ambleford Gooseberry Show were unaffected.",
        None,
    );
    let names: Vec<&str> = e.entities.iter().map(|x| x.name.as_str()).collect();
    for not in ["Sawmill Fire", "Storm Babet", "Fourth Amendment", "Ambleford Gooseberry Show"] {
        assert!(!names.contains(&not), "{not}: {names:?}");
    }
    assert!(names.contains(&"Cal Fire") || names.iter().any(|n| n.contains("Forestry")), "{names:?}");
}

#[test]
fn organisations_of_two_places_and_two_halves_are_one_name() {
    let e = enrich(
        "The Police Federation of England and Wales said officers were tired. The Senate Intelligence \
         and Homeland Security Committee met. Officials from Hamas and Israel spoke, and the Bank of England and \
         the Federal Reserve agreed.",
        None,
    );
    let names: Vec<&str> = e.entities.iter().map(|x| x.name.as_str()).collect();
    for n in [
        "Police Federation of England and Wales",
        "Senate Intelligence and Homeland Security Committee",
        "Hamas",
        "Israel",
        "Bank of England",
        "Federal Reserve",
    ] {
        assert!(names.contains(&n), "{n}: {names:?}");
    }
}

#[test]
fn irish_titles_foreign_place_words_and_a_passive_written_by() {
    let e = enrich(
        "Taoiseach Niamh Kerrigan told the Dáil that Fine Gael would back her. Marchers filled Plaza \
         Baquedano and Avenida Libertador.",
        None,
    );
    let p = e.entities.iter().find(|x| x.name == "Niamh Kerrigan");
    assert_eq!(p.and_then(|x| x.role.as_deref()), Some("Taoiseach"), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Fine Gael"), Some(EntityKind::Organization));
    assert_eq!(kind_of(&e, "Plaza Baquedano"), Some(EntityKind::Location));
    assert_eq!(kind_of(&e, "Avenida Libertador"), Some(EntityKind::Location));
    // "a new march written … by a local composer" reports no speech.
    let t = "The band’s conductor, Alan Pritchard, said the players had rehearsed a new march written \
             for the anniversary by a local composer. “It sounded grand coming up the hill,” he said.";
    assert_eq!(speaker_of(t, "It sounded").as_deref(), Some("Alan Pritchard"));
}

#[test]
fn a_partial_quote_in_reported_speech_belongs_to_the_clause_that_introduces_it() {
    let t = "Transport Secretary Hannah Okafor urged both sides to talk.\n\n\
             The transport secretary added that the government would “look at every option to keep \
             services running” if the dispute dragged on, a remark the union described as a threat.\n\n\
             The coalition was “in no danger whatsoever from tonight’s vote”, according to Tánaiste Ruairí Fennelly.\n\n\
             But a senior party source was less sanguine. “There is a lot of frustration,” the source said.";
    assert_eq!(speaker_of(t, "look at every").as_deref(), Some("Hannah Okafor"));
    assert_eq!(speaker_of(t, "in no danger").as_deref(), Some("Ruairí Fennelly"));
    assert_eq!(speaker_of(t, "There is a lot"), None);
}

#[test]
fn titles_with_a_complement_an_owner_noun_or_a_rank_before_the_name() {
    let e = enrich(
        "Nordwagen board member for human resources Markus Feld met UN special envoy for maritime \
         security Henrik Solberg. The band’s manager, Claire Dunmore, was there, and so was powerful \
         faction leader Hiroshi Tanabe. Katarina Novak beat eighth seed Amelia Brandt, and Guitarist \
         Tom Akande watched.",
        None,
    );
    let role = |n: &str| role_of(&e, n);
    assert_eq!(role("Markus Feld").as_deref(), Some("Nordwagen board member for human resources"));
    assert_eq!(role("Henrik Solberg").as_deref(), Some("UN special envoy for maritime security"));
    assert_eq!(role("Claire Dunmore").as_deref(), Some("band’s manager"));
    assert_eq!(role("Hiroshi Tanabe").as_deref(), Some("faction leader"));
    assert_eq!(role("Amelia Brandt").as_deref(), Some("eighth seed"));
    assert_eq!(role("Tom Akande").as_deref(), Some("Guitarist"), "{:?}", e.entities);
}

#[test]
fn a_surname_written_with_its_particle_is_the_same_person() {
    let t = "Omani Foreign Minister Khalid bin Nasser al-Harthy chaired the talks.\n\n\
             “For the first time, the people who command ships can pick up a telephone,” al-Harthy told \
             a news conference.";
    assert_eq!(speaker_of(t, "For the first").as_deref(), Some("Khalid bin Nasser al-Harthy"));
}

#[test]
fn organisations_by_grammar_and_by_what_they_are_to_others() {
    let e = enrich(
        "Paper Satellites have pulled out of the tour. Hollow Coast will play instead, and members of \
         Hollow Coast posted messages. Kraus told the Braunschweiger Rundschau newspaper she was ready. \
         Rand Metro Water said a main had failed. Holloway spoke through Tennis Australia. One \
         Northcliff resident said she was angry. Closing Hollis Creek Elementary is a mistake. The \
         vote closes Pine Street Elementary School in East Dover and Hollis Creek Elementary School. \
         She was a member of the Kharadi Residents' Forum.",
        None,
    );
    assert_eq!(kind_of(&e, "Paper Satellites"), Some(EntityKind::Organization), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Braunschweiger Rundschau"), Some(EntityKind::Organization));
    assert_eq!(kind_of(&e, "Rand Metro Water"), Some(EntityKind::Organization));
    assert_eq!(kind_of(&e, "Tennis Australia"), Some(EntityKind::Organization));
    assert_eq!(kind_of(&e, "Northcliff"), Some(EntityKind::Location));
    assert_eq!(kind_of(&e, "Hollis Creek Elementary"), Some(EntityKind::Organization));
    assert_eq!(kind_of(&e, "East Dover"), Some(EntityKind::Location));
    assert_eq!(kind_of(&e, "Kharadi Residents' Forum"), Some(EntityKind::Organization));
    let names: Vec<&str> = e.entities.iter().map(|x| x.name.as_str()).collect();
    assert!(!names.iter().any(|n| n.starts_with("One ") || n.starts_with("Closing ")), "{names:?}");
    // Not every descriptor after a name makes it an organisation.
    let e = enrich("The Paris-based group and the Dutch company agreed. One resident left.", None);
    assert_eq!(kind_of(&e, "Dutch"), None, "{:?}", e.entities);
    assert_eq!(kind_of(&e, "One"), None);
}

#[test]
fn the_band_the_label_the_festival_said_point_back_to_the_organisation_that_acted() {
    let t = "Paper Satellites have pulled out of next summer’s Saltmarsh Festival, in a statement \
             posted on Instagram. “We owe it to each other to stop,” the band wrote.\n\n\
             Their record label, Northlight Records, said tickets would be refunded through \
             Ticketmaster. “Everything else can wait,” the label said.\n\n\
             Saltmarsh Festival, which takes place near Aldeburgh each July, said it would announce a \
             replacement. “We love this band,” the festival said.";
    assert_eq!(speaker_of(t, "We owe").as_deref(), Some("Paper Satellites"));
    assert_eq!(speaker_of(t, "Everything else").as_deref(), Some("Northlight Records"));
    assert_eq!(speaker_of(t, "We love").as_deref(), Some("Saltmarsh Festival"));
}

#[test]
fn she_said_after_a_question_goes_to_the_woman_asked_whose_sex_the_text_gave_by_pronouns() {
    // Neither given name is in the name lists: the pronouns after each name tell.
    let t = "Katarina Novak reached her first semi-final, beating Amelia Brandt. Brandt, who needed \
             treatment on her left thigh, did not blame the heat.\n\n\
             Novak was asked whether Brandt’s timeout had unsettled her. “Not at all. Amelia is a \
             fighter,” she said.";
    assert_eq!(speaker_of(t, "Not at all").as_deref(), Some("Katarina Novak"));
    // An object pronoun is someone else: "him" says nothing of Dunmore.
    let t = "Tom Akande said the band would rest. Claire Dunmore thanked him for his patience.\n\n\
             Dunmore said the tour was over. “We need time,” she said.";
    assert_eq!(speaker_of(t, "We need").as_deref(), Some("Claire Dunmore"));
}

#[test]
fn the_spokesman_after_a_spokesman_stays_unnamed() {
    let t = "Nordwagen board member Markus Feld said the company had offered a job guarantee.\n\n\
             A Nordwagen spokesman said the strike had cost the carmaker production. \"We expect to \
             make up the lost volumes,\" the spokesman said.";
    assert_eq!(speaker_of(t, "We expect"), None);
}

#[test]
fn portfolios_joined_by_and_and_who_heads_give_roles() {
    let e = enrich(
        "Water and Sanitation Minister Naledi Khumalo said funds were ready. Stefanie Kraus, who heads \
         IGMT in Lower Saxony, told workers to strike. Strategic Affairs Minister Ron Dermer and \
         National Security Adviser Tzachi Hanegbi will travel.",
        None,
    );
    let role = |n: &str| role_of(&e, n);
    assert_eq!(role("Naledi Khumalo").as_deref(), Some("Water and Sanitation Minister"), "{:?}", e.entities);
    assert_eq!(role("Stefanie Kraus").as_deref(), Some("head of IGMT in Lower Saxony"));
    // Two titled people joined by "and" stay two.
    assert_eq!(role("Ron Dermer").as_deref(), Some("Strategic Affairs Minister"));
    assert_eq!(role("Tzachi Hanegbi").as_deref(), Some("National Security Adviser"));
}

#[test]
fn the_governments_spokesperson_is_a_person_and_dismissed_as_introduces_a_quote() {
    let t = "Japanese Prime Minister Kenji Morimoto ruled out an election. The Liberal Democratic Party \
             is split.\n\nYuko Shimizu, the government’s top spokesperson, dismissed the reports as \
             “speculation that has no basis in anything at all.”";
    assert_eq!(speaker_of(t, "speculation").as_deref(), Some("Yuko Shimizu"));
}

#[test]
fn straight_single_quotation_marks_and_a_shared_surname_told_apart_by_the_honorific() {
    let t = "Daniel Whitcombe, 34, died at the hospital. His wife, Sophie Whitcombe, sat through the \
             hearing.\n\n\
             Area Coroner Philippa Kendrick said the failure was 'a missed opportunity to prevent Mr \
             Whitcombe's death'.\n\n\
             In a statement, Mrs Whitcombe said: 'Danny was the kindest man. They didn't look after him.'\n\n\
             'On balance, he would have survived,' Kendrick said of the parents' evidence.";
    assert_eq!(speaker_of(t, "a missed").as_deref(), Some("Philippa Kendrick"));
    assert_eq!(speaker_of(t, "Danny was").as_deref(), Some("Sophie Whitcombe"));
    assert_eq!(speaker_of(t, "On balance").as_deref(), Some("Philippa Kendrick"));
    let e = enrich(t, None);
    assert_eq!(e.quotes.len(), 3, "{:?}", speakers(&e));
    // Apostrophes alone make no quotation.
    let e = enrich("The '90s were kind to the workers' union. It's over.", None);
    assert!(e.quotes.is_empty(), "{:?}", speakers(&e));
}

#[test]
fn playing_positions_first_minister_and_a_spokesman_after_whose_are_roles() {
    let e = enrich(
        "Left-arm spinner Rohan Deshmukh took six wickets before opener Callum Reddaway was stumped by \
         wicketkeeper Aditya Joshi. First Minister Elaine Rutherford spoke. The debate was called by \
         Scottish Labour, whose social care spokesman, Craig Dunlop, accused the government. Alberta \
         Wildfire information officer Priya Sandhu said crews were ready.",
        None,
    );
    let role = |n: &str| role_of(&e, n);
    assert_eq!(role("Rohan Deshmukh").as_deref(), Some("Left-arm spinner"), "{:?}", e.entities);
    assert_eq!(role("Callum Reddaway").as_deref(), Some("opener"));
    assert_eq!(role("Aditya Joshi").as_deref(), Some("wicketkeeper"));
    assert_eq!(role("Elaine Rutherford").as_deref(), Some("First Minister"));
    assert_eq!(role("Craig Dunlop").as_deref(), Some("social care spokesman"));
    assert_eq!(role("Priya Sandhu").as_deref(), Some("Alberta Wildfire information officer"));
    assert_eq!(kind_of(&e, "Alberta Wildfire"), Some(EntityKind::Organization));
}

#[test]
fn home_towns_firms_named_after_people_and_names_ending_in_an_organisation_word() {
    let e = enrich(
        "Daniel Whitcombe, 34, from Telford, died. One shareholder, a retiree from Fremantle, \
         objected, according to Hamish Doyle, an analyst at Morgan Kirby. Ruby Nguyen, a spokeswoman \
         for the Resource Justice Network, spoke. Koech signed with Vantor, the Dutch shoe and apparel \
         company that sponsors her.\n\n“We are proud,” Vantor said.",
        None,
    );
    assert_eq!(kind_of(&e, "Telford"), Some(EntityKind::Location), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Fremantle"), Some(EntityKind::Location));
    assert_eq!(kind_of(&e, "Morgan Kirby"), Some(EntityKind::Organization));
    assert_eq!(kind_of(&e, "Resource Justice Network"), Some(EntityKind::Organization));
    assert_eq!(kind_of(&e, "Vantor"), Some(EntityKind::Organization));
    assert_eq!(e.quotes.first().and_then(|q| q.speaker.as_deref()), Some("Vantor"));
}

#[test]
fn an_honorific_before_any_mention_gives_the_sex_for_she_said() {
    let t = "Isla Mackenzie, who speaks for the Greens, backed the rise. Ms Mackenzie pressed Ms \
             Rutherford to commit to more. “We welcome the rise, but it will not stop care workers \
             leaving,” she said.";
    assert_eq!(speaker_of(t, "We welcome").as_deref(), Some("Isla Mackenzie"));
}

#[test]
fn an_exchange_of_unattributed_lines_alternates_after_a_question_or_an_address() {
    let t = "Evan Brennan, chief executive of Lumora, testified. Brennan said the firm had hired 40 \
             people. Sen. Dana Whitfield, R-Texas, was unimpressed.\n\n\
             “Forty people, for 30 million users?”\n\n\
             “We think it's the right number for where the company is today.”\n\n\
             “Mr. Brennan, I've got staffers who answer more mail than that.”\n\n\
             “Senator, we have safeguards designed to prevent exactly that,” Brennan said.\n\n\
             “That's not what I asked.”";
    assert_eq!(speaker_of(t, "Forty people").as_deref(), Some("Dana Whitfield"));
    assert_eq!(speaker_of(t, "We think").as_deref(), Some("Evan Brennan"));
    assert_eq!(speaker_of(t, "Mr. Brennan").as_deref(), Some("Dana Whitfield"));
    assert_eq!(speaker_of(t, "That's not").as_deref(), Some("Dana Whitfield"));
    // A speaker going on in the next paragraph is no exchange.
    let t = "Maria Lopez said the talks were over. “We did what we could.”\n\n“Now it is up to them.”";
    assert_eq!(speaker_of(t, "Now it is").as_deref(), Some("Maria Lopez"));
}

#[test]
fn wards_named_by_their_quarter_and_sports_outlets_and_agencies() {
    let e = enrich(
        "Turnout in Northmoor East and Holmfirth South was low, Rebecca West said. Ferreira told Sky \
         Sports his agent at Stellar Path Sports Management was talking to clubs. The American Red \
         Cross opened a shelter.",
        None,
    );
    assert_kinds(&e, EntityKind::Location, &["Northmoor East", "Holmfirth South"]);
    assert_kinds(&e, EntityKind::Person, &["Rebecca West"]);
    assert_kinds(&e, EntityKind::Organization, &["Stellar Path Sports Management", "American Red Cross"]);
}

#[test]
fn korean_names_planetary_places_industries_and_storm_names() {
    let e = enrich(
        "Haneul Electronics fell, according to Kang Min-ji, an analyst at Hanseong Securities. Ji-ho \
         Park reviewed it. Super Typhoon Haiyan hit the villages of Burqa and Sebastia. The rover \
         landed in Jezero Crater on Mars, said the Jet Propulsion Laboratory.",
        None,
    );
    assert_eq!(kind_of(&e, "Haneul Electronics"), Some(EntityKind::Organization), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Kang Min-ji"), Some(EntityKind::Person));
    assert_eq!(role_of(&e, "Kang Min-ji").as_deref(), Some("analyst at Hanseong Securities"));
    assert_eq!(kind_of(&e, "Ji-ho Park"), Some(EntityKind::Person));
    assert_eq!(kind_of(&e, "Burqa"), Some(EntityKind::Location));
    assert_eq!(kind_of(&e, "Sebastia"), Some(EntityKind::Location));
    assert_eq!(kind_of(&e, "Jezero Crater"), Some(EntityKind::Location));
    assert_eq!(kind_of(&e, "Jet Propulsion Laboratory"), Some(EntityKind::Organization));
    assert!(!e.entities.iter().any(|x| x.name.contains("Haiyan")), "{:?}", e.entities);
    // "-based" and "-led" compounds still end a name.
    let e = enrich("The Abuja-based Malaria Free Foundation and the US-led coalition met.", None);
    assert_eq!(kind_of(&e, "Malaria Free Foundation"), Some(EntityKind::Organization), "{:?}", e.entities);
}

#[test]
fn the_spaniard_who_left_a_club_said_is_the_person_not_the_club() {
    let t = "Javier Olmedo praised his side.\n\nThe Spaniard, who took charge in August after leaving \
             Real Betis, said the turnaround had \"nothing to do with luck\" and credited the staff.";
    assert_eq!(speaker_of(t, "nothing to do").as_deref(), Some("Javier Olmedo"));
    // An unnamed speaker's "she said" in the next paragraph stays unnamed.
    let t = "Javier Olmedo praised his side. A nurse, who asked not to be named because she was not \
             authorised to speak, said the hospital was running on a generator.\n\n\
             \"We have patients on oxygen,\" she said.";
    assert_eq!(speaker_of(t, "We have patients"), None);
}

#[test]
fn clubs_by_their_first_word_or_by_a_manager_named_after_them() {
    let e = enrich(
        "Ashbourne Town manager Gary Holt was angry. The Spaniard left Real Betis in May, and \
         Olympique Vernon wanted him. The Bryn Heulog Care Home closed and Pan-African Wire reported it.",
        None,
    );
    assert_eq!(kind_of(&e, "Ashbourne Town"), Some(EntityKind::Organization), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Real Betis"), Some(EntityKind::Organization));
    assert_eq!(kind_of(&e, "Olympique Vernon"), Some(EntityKind::Organization));
    assert_eq!(kind_of(&e, "Bryn Heulog Care Home"), Some(EntityKind::Organization));
    assert_eq!(kind_of(&e, "Pan-African Wire"), Some(EntityKind::Organization));
    assert_eq!(role_of(&e, "Gary Holt").as_deref(), Some("Ashbourne Town manager"));
}

#[test]
fn unnamed_speakers_after_the_verb_or_before_a_clause_about_an_organisation() {
    let t = "Harpreet Gill bowled well.\n\n“I have not seen a spell like that since I was a boy,” \
             said one spectator, a retired schoolteacher from Howrah.";
    assert_eq!(speaker_of(t, "I have not seen"), None);
    let t = "Rogelio Baquiran lost his boat. At the Eastern Samar Provincial Hospital in Borongan, staff \
             were busy. A nurse, who asked not to be named, said the hospital was running on a \
             generator.\n\n\"We have patients on oxygen,\" she said.";
    assert_eq!(speaker_of(t, "We have patients"), None);
}

#[test]
fn road_codes_lakes_former_mayors_and_heading_words() {
    let e = enrich(
        "Tractors blocked the A12 motorway near The Hague. Water levels in Lake Nasser fell, said \
         former Monterrey mayor Héctor Beltrán Ochoa. UP NEXT: the weather.",
        None,
    );
    assert_eq!(kind_of(&e, "A12"), Some(EntityKind::Location), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Hague"), Some(EntityKind::Location));
    assert_eq!(kind_of(&e, "Lake Nasser"), Some(EntityKind::Location));
    assert_eq!(role_of(&e, "Héctor Beltrán Ochoa").as_deref(), Some("former Monterrey mayor"));
    assert_eq!(kind_of(&e, "UP"), None);
    assert_eq!(kind_of(&e, "NEXT"), None);
}

#[test]
fn the_first_of_two_surnames_and_a_role_owned_by_a_place() {
    let t = "Morena’s candidate, senator Rocío Navarrete Ibarra, led the poll.\n\nNavarrete, speaking at \
             a rally, said: “It is time this state was governed for the people who work.”";
    assert_eq!(speaker_of(t, "It is time").as_deref(), Some("Rocío Navarrete Ibarra"));
    let t = "Mariners coach Denis Thibodeau was frustrated. Goalie Mathis Gagnon made 30 saves.\n\n\
             The Halifax coach said Gagnon had \"given us a chance to win every night this month\" and \
             would start again.";
    assert_eq!(speaker_of(t, "given us").as_deref(), Some("Denis Thibodeau"));
}

#[test]
fn the_connecticut_democrat_is_the_senator_tagged_d_conn() {
    let t = "Sen. Mark Halloran, D-Conn., and Sen. Jim Pruett, R-Utah, pressed Brennan.\n\n\
             “You spent $14 million lobbying this building last year,” said the Connecticut Democrat.\n\n\
             “We need rules,” said the Utah Republican.";
    assert_eq!(speaker_of(t, "You spent").as_deref(), Some("Mark Halloran"));
    assert_eq!(speaker_of(t, "We need").as_deref(), Some("Jim Pruett"));
}

#[test]
fn organisations_named_by_a_description_and_places_by_their_head() {
    let e = enrich(
        "He works for a firm called Derinkaya. A group calling itself NightVault claimed the attack. \
         “We saw it,” said Joris Aerts, head of response at Velmora, the Antwerp cybersecurity firm \
         brought in to help. Brightwell, the Pittsburgh-based pharmacy chain, objected. Sweden’s \
         Riksbank cut rates. The station is run by the Southern Ocean Research Consortium. Halvorsen \
         Station sits on the ice. Lorries crossed the River Bug near the Dorohusk border crossing, and \
         in the Armutlu neighbourhood people waited.",
        None,
    );
    let orgs = [
        "Derinkaya",
        "NightVault",
        "Velmora",
        "Brightwell",
        "Riksbank",
        "Southern Ocean Research Consortium",
    ];
    assert_kinds(&e, EntityKind::Organization, &orgs);
    assert_kinds(&e, EntityKind::Location, &["Halvorsen Station", "River Bug", "Dorohusk", "Armutlu"]);
}

#[test]
fn she_said_after_a_report_continues_the_reporter() {
    // The subject of the reported clause (Sundberg) and the person named in it (DeLuca) are not
    // the ones who go on speaking.
    let t = "Governor Karin Lindqvist-Ahl spoke to reporters. Lindqvist-Ahl said Deputy Governor Maria \
             Sundberg had argued for a larger cut. \"We had a long and honest discussion, and I respect her \
             view,\" she said.";
    assert_eq!(speaker_of(t, "We had a long").as_deref(), Some("Karin Lindqvist-Ahl"));
    let t = "Marcus DeLuca chairs the committee; he has not moved. Trent O'Malley is a lobbyist. \
             O'Malley said he had met DeLuca twice this week. \"He understands what is at stake,\" he said.";
    assert_eq!(speaker_of(t, "He understands").as_deref(), Some("Trent O'Malley"));
}

#[test]
fn a_pronoun_never_goes_to_someone_marked_as_the_other_sex() {
    // Arslan is a woman ("shook her head"); Yıldırım is not marked: "he replied" is his.
    let t = "Her neighbour, Mehmet Yıldırım, is more hopeful. “Every column I tie, I check twice,” \
             Yıldırım said. Zeynep Arslan shook her head. “Trust will take longer,” she said.\n\n\
             “Nobody here will accept it,” he replied.";
    assert_eq!(speaker_of(t, "Nobody here").as_deref(), Some("Mehmet Yıldırım"));
    // A woman whose role names a "King's" hospital is still a woman.
    let t = "Prime Minister Keir Starmer spoke. The review was led by Priya Raman, a former surgeon at \
             King's College Hospital.\n\nMs Raman told the BBC the findings shocked her. \"I have never \
             seen morale this low,\" she said.";
    assert_eq!(speaker_of(t, "I have never").as_deref(), Some("Priya Raman"));
}

#[test]
fn the_noun_after_an_age_is_the_role() {
    let e = enrich(
        "“We left everything,” said Dewi Sari, a 34-year-old rice farmer from Supiturang. \
         “I will believe it when I see it,” said Zeynep Arslan, a 41-year-old pharmacist who lives nearby.",
        None,
    );
    assert_eq!(role_of(&e, "Dewi Sari").as_deref(), Some("rice farmer"), "{:?}", e.entities);
    assert_eq!(role_of(&e, "Zeynep Arslan").as_deref(), Some("pharmacist"));
}

#[test]
fn a_known_place_owning_an_organisation_is_split_whatever_frames_it() {
    let e = enrich("Rakesh Gurung, a director at Nepal’s Department of Tourism, named the dead.", None);
    assert_eq!(kind_of(&e, "Nepal"), Some(EntityKind::Location), "{:?}", e.entities);
    assert_eq!(kind_of(&e, "Department of Tourism"), Some(EntityKind::Organization));
}

#[test]
fn roles_after_an_age_in_figures_and_not_from_a_clause() {
    let e = enrich(
        "Officials identified the dead as Pemba Dorje Sherpa, 38, a mountain porter from the Solukhumbu \
         district. The company's chief executive, Kristján Ari Baldursson, backed the minister. \
         Norwegian grandmaster Helga Sørlie called the move brilliant.",
        None,
    );
    assert_eq!(role_of(&e, "Pemba Dorje Sherpa").as_deref(), Some("mountain porter"), "{:?}", e.entities);
    assert_ne!(role_of(&e, "Kristján Ari Baldursson").as_deref(), Some("backed the minister"));
    assert_eq!(role_of(&e, "Helga Sørlie").as_deref(), Some("Norwegian grandmaster"));
}

#[test]
fn organisations_by_their_kind_of_business_and_an_owned_apposition() {
    let e = enrich(
        "The lot came from Kavya Lifesciences, a supplier in Hyderabad. Among them is Brimverk, the \
         country’s biggest fishing company, which runs 19 vessels. The Moroccan contractor Atlas Génie \
         Civil built the viaducts. Bus riders will pay more after the Lakeshore Metro board voted. \
         Objects will go to the Regional Museum of Ica.",
        None,
    );
    let orgs =
        ["Kavya Lifesciences", "Brimverk", "Atlas Génie Civil", "Lakeshore Metro", "Regional Museum of Ica"];
    assert_kinds(&e, EntityKind::Organization, &orgs);
}

#[test]
fn a_participle_clause_after_a_name_is_no_role() {
    let e = enrich(
        "Norwegian grandmaster Helga Sørlie, commentating for the official broadcast, called the move brilliant.",
        None,
    );
    assert_eq!(role_of(&e, "Helga Sørlie").as_deref(), Some("Norwegian grandmaster"), "{:?}", e.entities);
}

#[test]
fn a_title_of_two_portfolios_before_a_name() {
    let e = enrich("Minister of Transport and Logistics Abdelkrim El Ouazzani rode the first train.", None);
    assert_eq!(
        role_of(&e, "Abdelkrim El Ouazzani").as_deref(),
        Some("Minister of Transport and Logistics"),
        "{:?}",
        e.entities
    );
    let e = enrich("The Ministry of Foreign Affairs and Trade said so.", None);
    assert_eq!(kind_of(&e, "Ministry of Foreign Affairs and Trade"), Some(EntityKind::Organization));
}

#[test]
fn a_person_for_an_organisation_is_two_names() {
    let e = enrich(
        "Dela Cruz will challenge Japan’s Kenta Morishita for the Pan-Pacific Boxing Federation title. \
         The Committee for the Protection of Journalists objected. His trainer, Ernesto de los Santos, agreed.",
        None,
    );
    assert_kinds(&e, EntityKind::Person, &["Kenta Morishita"]);
    assert_kinds(
        &e,
        EntityKind::Organization,
        &["Pan-Pacific Boxing Federation", "Committee for the Protection of Journalists"],
    );
    assert_eq!(role_of(&e, "Ernesto de los Santos").as_deref(), Some("trainer"));
}

#[test]
fn creeks_airlines_and_steelmakers() {
    let e = enrich(
        "Crews burned land near Govetts Creek. Freight on Qilak Air costs more. Suryansh Steel will expand.",
        None,
    );
    assert_kinds(&e, EntityKind::Location, &["Govetts Creek"]);
    assert_kinds(&e, EntityKind::Organization, &["Qilak Air", "Suryansh Steel"]);
}

#[test]
fn a_business_by_where_it_is_based_or_by_its_platform() {
    let e = enrich(
        "The consortium of Madrid-based Hydrava and Jakarta's Pertama Teknik will build it. Stayloft, \
         the Seattle-based booking platform that lists homes, objected. London-based artist Tom Reyes agreed.",
        None,
    );
    assert_kinds(&e, EntityKind::Organization, &["Hydrava", "Stayloft"]);
    assert_kinds(&e, EntityKind::Person, &["Tom Reyes"]);
}

#[test]
fn an_initial_opens_a_name_and_a_state_before_gov_is_part_of_the_title() {
    let e = enrich(
        "Andhra Pradesh Chief Minister N. Chandrababu Naidu welcomed the budget. Georgia Gov. Brian Kemp \
         said farmers were hurting. Levels of vitamin D. Experts said more work was needed.",
        None,
    );
    assert_kinds(&e, EntityKind::Person, &["N. Chandrababu Naidu", "Brian Kemp"]);
    assert_eq!(role_of(&e, "N. Chandrababu Naidu").as_deref(), Some("Andhra Pradesh Chief Minister"));
    assert_eq!(role_of(&e, "Brian Kemp").as_deref(), Some("Georgia Gov."));
    assert_eq!(kind_of(&e, "Georgia"), Some(EntityKind::Location), "{:?}", e.entities);
    assert!(e.entities.iter().all(|x| !x.name.contains("D.")), "{:?}", e.entities);
}

#[test]
fn a_sentence_initial_common_noun_before_a_given_name_is_no_part_of_it() {
    let e = enrich(
        "The plane carried 171 passengers. Passenger Elena Vargas said she heard a bang. The Aviva Stadium \
         was full, and water at Rio Negro fell.",
        None,
    );
    assert_kinds(&e, EntityKind::Person, &["Elena Vargas"]);
    assert_kinds(&e, EntityKind::Location, &["Aviva Stadium", "Rio Negro"]);
}

#[test]
fn a_place_after_in_a_does_not_replace_the_subject() {
    let text = "Minister of Education Claire Beaudoin-Hart stood in a Mississauga classroom and called the \
                program “the most important change since the arrival of the internet,” and nobody argued.";
    assert_eq!(speaker_of(text, "the most important").as_deref(), Some("Claire Beaudoin-Hart"));
}

#[test]
fn a_shared_surname_is_the_person_named_last_before_it() {
    let text = "Brazil’s environment minister, Marina Silva, spoke on Wednesday. “We cannot treat these as \
                isolated disasters any more,” Silva said.\n\nPresident Luiz Inácio Lula da Silva visited \
                Manaus last month.";
    assert_eq!(speaker_of(text, "We cannot treat").as_deref(), Some("Marina Silva"));
}

#[test]
fn brands_subheadings_and_resolutions() {
    let e = enrich(
        "Spirit AeroSystems said it was working with investigators. The tariff risk grew.\n\nTARIFF RISK\n\n\
         The talks rest on UN Security Council Resolution 1701, diplomats said.",
        None,
    );
    assert_kinds(&e, EntityKind::Organization, &["Spirit AeroSystems", "UN Security Council"]);
    assert!(e.entities.iter().all(|x| x.name != "TARIFF" && x.name != "RISK"), "{:?}", e.entities);
    assert!(e.entities.iter().all(|x| !x.name.contains("Resolution")), "{:?}", e.entities);
}

#[test]
fn the_army_is_the_armed_forces_named_before() {
    let text = "The Lebanese Armed Forces would deploy in the south, Hezbollah said. “The army is ready to \
                carry out its duties in full,” the army said in a statement.";
    assert_eq!(speaker_of(text, "The army is ready").as_deref(), Some("Lebanese Armed Forces"));
}

#[test]
fn middle_initials_generations_and_titles_with_of() {
    let e = enrich(
        "Justice Brett M. Kavanaugh asked a question. Chief Justice John G. Roberts Jr. disagreed. The \
         decision helps Chancellor of the Exchequer Rachel Reeves, and UN aid chief Tom Fletcher said so.",
        None,
    );
    assert_kinds(&e, EntityKind::Person, &["Brett M. Kavanaugh", "John G. Roberts Jr.", "Rachel Reeves"]);
    assert_eq!(role_of(&e, "Rachel Reeves").as_deref(), Some("Chancellor of the Exchequer"));
    assert_eq!(role_of(&e, "Tom Fletcher").as_deref(), Some("UN aid chief"));
}

#[test]
fn first_of_three_names_the_treasury_and_a_general_confederation() {
    let e = enrich(
        "WHO Director-General Tedros Adhanom Ghebreyesus spoke. Tedros said funds were released. The \
         General Confederation of Labor called a strike. The Treasury said the cut was welcome.",
        None,
    );
    let tedros = e.entities.iter().find(|x| x.name == "Tedros Adhanom Ghebreyesus");
    assert_eq!(tedros.map(|x| x.mentions), Some(2), "{:?}", e.entities);
    assert_kinds(&e, EntityKind::Organization, &["General Confederation of Labor", "Treasury"]);
}

#[test]
fn a_title_case_headline_names_only_what_the_text_confirms() {
    let e = enrich(
        "Bank of England Cuts Rates in Knife-Edge Vote\n\nThe Bank of England cut its key rate on Thursday, \
         Governor Andrew Bailey said.",
        None,
    );
    assert_kinds(&e, EntityKind::Organization, &["Bank of England"]);
    assert!(
        e.entities.iter().all(|x| !x.name.contains("Knife") && !x.name.contains("Cuts")),
        "{:?}",
        e.entities
    );
}

#[test]
fn an_outlet_spoken_to_is_not_the_group_that_says() {
    let text = "OPEC+ agreed to raise output. One delegate spoke to Reuters about the talks. “The market is \
                ready for more oil and stocks are tight,” the group said in a statement. Shops at Anarkali \
                Bazaar closed and Mazda Motor said it would wait.";
    assert_eq!(speaker_of(text, "The market is ready").as_deref(), Some("OPEC"));
    let e = enrich(text, None);
    assert_kinds(&e, EntityKind::Location, &["Anarkali Bazaar"]);
    assert_kinds(&e, EntityKind::Organization, &["Mazda Motor"]);
}

#[test]
fn an_age_in_figures_then_an_occupation_and_party_qualified_titles() {
    let e = enrich(
        "Outside the rally, Daniel Ortiz, 41, a landscaper who lives in Glendale, said he was undecided. \
         Maricopa County Recorder Stephen Richer defended the count. Candidates hope to succeed retiring \
         independent Sen. Kyrsten Sinema.",
        None,
    );
    assert_eq!(role_of(&e, "Daniel Ortiz").as_deref(), Some("landscaper"));
    assert_eq!(role_of(&e, "Stephen Richer").as_deref(), Some("Maricopa County Recorder"));
    assert_eq!(role_of(&e, "Kyrsten Sinema").as_deref(), Some("independent Sen."));
}

#[test]
fn a_known_body_owning_a_part_and_a_known_name_opening_with_a_stop_word() {
    let e = enrich(
        "The FTC's Bureau of Competition welcomed the ruling. The People's Liberation Army began drills, \
         and Ombudsman Iris Marín said the situation was grave.",
        None,
    );
    assert_kinds(&e, EntityKind::Organization, &["FTC", "Bureau of Competition", "People's Liberation Army"]);
    assert_eq!(role_of(&e, "Iris Marín").as_deref(), Some("Ombudsman"));
}

#[test]
fn welsh_particles_contractions_and_a_persons_organisation() {
    let e = enrich(
        "Plaid Cymru leader Rhun ap Iorwerth said the board had failed. “I've seen this before,” he said. \
         Elon Musk's Department of Government Efficiency cut staff, the Committee for a Responsible \
         Federal Budget said. Traders at Makola Market were affected. The Fifth Fleet sent two ships.",
        None,
    );
    assert_kinds(&e, EntityKind::Person, &["Rhun ap Iorwerth", "Elon Musk"]);
    assert_kinds(
        &e,
        EntityKind::Organization,
        &["Department of Government Efficiency", "Committee for a Responsible Federal Budget", "Fifth Fleet"],
    );
    assert_kinds(&e, EntityKind::Location, &["Makola Market"]);
    assert!(e.entities.iter().all(|x| !x.name.contains("I've")), "{:?}", e.entities);
}

#[test]
fn an_anonymous_speaker_stays_unnamed() {
    let text = "OPEC+ agreed on Saturday to raise output.\n\n“The message is that Saudi Arabia is no longer \
                willing to defend prices,” one of the delegates said, declining to be named.\n\nA soldier near \
                Pokrovsk, who spoke on condition of anonymity, described the tactics. “They come in groups \
                of two or three on motorcycles,” he said.";
    assert_eq!(speaker_of(text, "The message is"), None);
    assert_eq!(speaker_of(text, "They come in groups"), None);
}

#[test]
fn an_organisation_in_a_persons_reported_speech_speaks_through_them() {
    let text =
        "Thames Water serves 16 million people. Chris Weston, the chief executive of Thames Water, said \
                the company welcomed “a clearer and more stable regulatory framework” that would help.";
    assert_eq!(speaker_of(text, "a clearer and more").as_deref(), Some("Chris Weston"));
}

#[test]
fn names_with_an_apostrophe_are_not_contractions() {
    let e = enrich("Residents of Be'eri met Conor O'Brien in Jerusalem. “We've waited,” O'Brien said.", None);
    assert_kinds(&e, EntityKind::Person, &["Conor O'Brien"]);
    assert!(e.entities.iter().any(|x| x.name == "Be'eri"), "{:?}", e.entities);
    assert!(e.entities.iter().all(|x| x.name != "We've"), "{:?}", e.entities);
}
