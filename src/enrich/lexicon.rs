//! The word lists enrichment classifies with: places, organisations, given names, role vocabulary.
//!
//! Owns: loading the lists embedded from `src/enrich/data/` (written by the rill authors from general
//! knowledge, no external dataset; same licence as rill) into one immutable [`Lexicon`], built once
//! on first use. Knows nothing about tokens or sentences.

// FxHash, not SipHash: the tables are fixed at build and only read afterwards, so no text can
// choose their collisions (`cargo bench --bench enrich`: -7%).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::LazyLock;

const LOCATIONS: &str = include_str!("data/locations.txt");
const ORGANIZATIONS: &str = include_str!("data/organizations.txt");
const ORG_WORDS: &str = include_str!("data/org_words.txt");
const GIVEN_NAMES: &str = include_str!("data/given_names.txt");
const FEMALE_NAMES: &str = include_str!("data/female_names.txt");
const DEMONYMS: &str = include_str!("data/demonyms.txt");
const ROLES: &str = include_str!("data/roles.txt");

/// Extra aliases of places whose short forms are common in news ("US" for "United States").
const LOCATION_ALIASES: &[(&str, &[&str])] = &[
    ("United States", &["US", "U.S.", "USA", "U.S.A.", "United States of America", "America"]),
    ("United Kingdom", &["UK", "U.K.", "Britain", "Great Britain"]),
    ("United Arab Emirates", &["UAE", "U.A.E."]),
    ("Gaza", &["Gaza Strip"]),
    ("Kyiv", &["Kiev"]),
    ("Türkiye", &["Turkey"]),
    ("Myanmar", &["Burma"]),
    ("Washington", &["Washington DC", "Washington D.C."]),
    ("New South Wales", &["NSW"]),
    ("Australian Capital Territory", &["ACT"]),
    ("The Hague", &["Hague"]),
];

/// Words that are never names themselves, even when capitalised (sentence starts, pronouns,
/// calendar words, discourse markers).
const STOPWORDS: &str = "a an the and or but nor so yet for of in on at to by from with without within into onto \
upon over under after before during since until while when whenever where wherever whereas whether if unless \
though although because as than then there here this that these those it its he she they we you i me him her \
us them my your his our their mine yours ours theirs who whom whose which what why how all any some many much \
most more less few several each every both either neither no not none nothing now later earlier also still \
even just only however meanwhile moreover furthermore nevertheless nonetheless instead otherwise therefore thus \
hence indeed separately additionally further finally first second third last next another other such same \
according despite among between amid amidst across against along around behind beyond near toward towards \
outside inside \
through throughout about above below up down out off again once yes okay ok please thanks thank oh hey mr mrs \
ms dr is are was were be been being has have had do does did will would shall should can could may might must \
monday tuesday wednesday thursday friday saturday sunday january february march april june july august \
september october november december today yesterday tomorrow tonight morning evening night week weekend year \
years month months day days breaking update updated exclusive analysis opinion editorial live watch read \
related photo video reporting additional editing writing contributed sources source officials official \
residents people many critics experts analysts supporters";

/// Speech verbs that introduce or close a quotation ("said", "told", "according to").
const SPEECH_VERBS: &str = "say says said saying tell tells told telling add adds added adding state states stated \
note notes noted write writes wrote ask asks asked warn warns warned explain explains explained insist \
insists insisted claim claims claimed argue argues argued declare declares declared announce announces announced \
acknowledge acknowledges acknowledged admit admits admitted recall recalls recalled remark remarks remarked reply \
replies replied respond responds responded continue continues continued caution cautions cautioned stress \
stresses stressed emphasise emphasised emphasize emphasized emphasizes urge urges urged tweet tweets tweeted post \
posts posted conclude concludes concluded suggest suggests suggested predict predicts predicted vow vows vowed \
pledge pledges pledged promise promises promised confirm confirms confirmed deny denies denied complain complains \
complained observe observes observed comment comments commented clarify clarifies clarified indicate indicates \
indicated believe believes believed think thinks thought muse mused quip quipped joke joked wonder wondered \
shout shouted yell yelled whisper whispered describe describes described call calls called reiterate reiterated \
reiterates maintain maintains maintained assert asserts asserted allege alleges alleged contend contends contended \
recount recounts recounted testify testified testifies sigh sighed laugh laughed cry cried exclaim exclaimed \
boast boasted concede conceded concedes agree agreed agrees counter countered counters point pointed points \
reply replied write wrote texted emailed messaged blasted slammed criticised criticized praised hailed welcomed \
lamented acknowledged threatened demanded demands demand announced signalled signaled reported reports report \
mentioned mentions mention accuse accuses accused accusing dismiss dismisses dismissed brand brands \
branded label labels labelled labeled term terms termed";

/// Lowercase nouns that say a name is an organisation, before it ("drugmaker Bharat Biotech", "the
/// charity Oxfam") or in an apposition after it ("Gavi, the vaccine alliance,").
const ORG_DESCRIPTORS: &str = "company companies firm firms group groups drugmaker carmaker automaker chipmaker \
planemaker shipbuilder manufacturer maker retailer supermarket supermarkets bank banks lender insurer airline \
carrier broadcaster newspaper newspapers publisher tabloid magazine channel network charity charities \
nonprofit non-profit ngo alliance coalition consortium conglomerate startup start-up giant regulator watchdog \
agency agencies union unions party parties movement militia faction organisation organization organisations \
organizations association federation club institute university foundation think-tank outfit operator \
developer miner producer supplier distributor utility utilities exchange fund brokerage provider providers \
contractor contractors board platform platforms marketplace \
journal chain team lab laboratory restaurant restaurants hotel brewery bakery studio label \
band festival orchestra choir";

/// Capitalised abbreviations of common nouns, never names.
const COMMON_ACRONYMS: &str =
    "UP NEXT MORE NEW LIVE WATCH READ AI A.I. CEO CEOs CFO COO CTO GDP TV IPO EV EVs LNG GPS CCTV SUV SUVs VAT PR HR DNA GP GPs OLED LCD \
HIV AIDS COVID COVID-19 MRI ICU ER OK PhD MBA PC PCs USB LED LEDs API APIs VPN FAQ ID IDs PIN ATM ATMs CO2 \
3D 4G 5G AM PM BC AD RIP UFO DIY VIP VIPs";

/// AP-style US state abbreviations, as written after a city ("San Jose, Calif.").
const STATE_ABBREVIATIONS: &[(&str, &str)] = &[
    ("Ala", "Alabama"),
    ("Ariz", "Arizona"),
    ("Ark", "Arkansas"),
    ("Calif", "California"),
    ("Colo", "Colorado"),
    ("Conn", "Connecticut"),
    ("Del", "Delaware"),
    ("Fla", "Florida"),
    ("Ga", "Georgia"),
    ("Ill", "Illinois"),
    ("Ind", "Indiana"),
    ("Kan", "Kansas"),
    ("Ky", "Kentucky"),
    ("La", "Louisiana"),
    ("Md", "Maryland"),
    ("Mass", "Massachusetts"),
    ("Mich", "Michigan"),
    ("Minn", "Minnesota"),
    ("Miss", "Mississippi"),
    ("Mo", "Missouri"),
    ("Mont", "Montana"),
    ("Neb", "Nebraska"),
    ("Nev", "Nevada"),
    ("N.H", "New Hampshire"),
    ("N.J", "New Jersey"),
    ("N.M", "New Mexico"),
    ("N.Y", "New York"),
    ("N.C", "North Carolina"),
    ("N.D", "North Dakota"),
    ("Okla", "Oklahoma"),
    ("Ore", "Oregon"),
    ("Pa", "Pennsylvania"),
    ("R.I", "Rhode Island"),
    ("S.C", "South Carolina"),
    ("S.D", "South Dakota"),
    ("Tenn", "Tennessee"),
    ("Texas", "Texas"),
    ("Vt", "Vermont"),
    ("Va", "Virginia"),
    ("Wash", "Washington"),
    ("W.Va", "West Virginia"),
    ("Wis", "Wisconsin"),
    ("Wyo", "Wyoming"),
];

/// The lexicon: built once, read-only afterwards.
pub(crate) struct Lexicon {
    /// Place written form → canonical name.
    locations: HashMap<&'static str, &'static str>,
    /// Organisation written form → canonical name.
    organizations: HashMap<&'static str, &'static str>,
    org_words: HashSet<&'static str>,
    given_names: HashSet<&'static str>,
    female_names: HashSet<&'static str>,
    demonyms: HashSet<&'static str>,
    role_heads: HashSet<&'static str>,
    role_modifiers: HashSet<&'static str>,
    honorifics: HashSet<&'static str>,
    stopwords: HashSet<&'static str>,
    speech_verbs: HashSet<&'static str>,
    org_descriptors: HashSet<&'static str>,
    common_acronyms: HashSet<&'static str>,
    /// Longest name, in words, of any place or organisation (bounds sub-span search).
    pub(crate) max_words: usize,
}

/// The shared lexicon.
pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::build);

fn lines(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn words_in(s: &str) -> usize {
    s.split_whitespace().count()
}

impl Lexicon {
    fn build() -> Lexicon {
        let mut max_words = 1;
        let mut locations = HashMap::default();
        for l in lines(LOCATIONS) {
            locations.insert(l, l);
            max_words = max_words.max(words_in(l));
        }
        for (canon, aliases) in LOCATION_ALIASES {
            locations.insert(*canon, *canon);
            for a in *aliases {
                locations.insert(*a, *canon);
                max_words = max_words.max(words_in(a));
            }
        }
        let mut organizations = HashMap::default();
        for l in lines(ORGANIZATIONS) {
            let mut parts = l.split('|').map(str::trim);
            let Some(canon) = parts.next() else { continue };
            organizations.insert(canon, canon);
            max_words = max_words.max(words_in(canon));
            for a in parts {
                organizations.insert(a, canon);
                max_words = max_words.max(words_in(a));
            }
        }
        let mut role_heads = HashSet::default();
        let mut role_modifiers = HashSet::default();
        let mut honorifics = HashSet::default();
        let mut section = "";
        for l in lines(ROLES) {
            if l.starts_with('[') {
                section = l;
                continue;
            }
            match section {
                "[head]" => role_heads.insert(l),
                "[modifier]" => role_modifiers.insert(l),
                _ => honorifics.insert(l),
            };
        }
        Lexicon {
            locations,
            organizations,
            org_words: lines(ORG_WORDS).collect(),
            given_names: lines(GIVEN_NAMES).flat_map(str::split_whitespace).collect(),
            female_names: lines(FEMALE_NAMES).flat_map(str::split_whitespace).collect(),
            demonyms: lines(DEMONYMS).collect(),
            role_heads,
            role_modifiers,
            honorifics,
            stopwords: STOPWORDS.split_whitespace().collect(),
            speech_verbs: SPEECH_VERBS.split_whitespace().collect(),
            org_descriptors: ORG_DESCRIPTORS.split_whitespace().collect(),
            common_acronyms: COMMON_ACRONYMS.split_whitespace().collect(),
            max_words,
        }
    }

    pub(crate) fn location(&self, name: &str) -> Option<&'static str> {
        self.locations.get(name).copied()
    }
    pub(crate) fn organization(&self, name: &str) -> Option<&'static str> {
        self.organizations.get(name).copied()
    }
    pub(crate) fn is_org_word(&self, w: &str) -> bool {
        self.org_words.contains(w)
    }
    /// A known given name, also when written with diacritics the list spells without them
    /// ("María", "Zoë", "Łukasz").
    /// A given name borne (almost) only by women ("Olena", "Priya").
    pub(crate) fn is_female_name(&self, w: &str) -> bool {
        self.female_names.contains(w)
            || (!w.is_ascii() && self.female_names.contains(fold_diacritics(w).as_str()))
    }

    pub(crate) fn is_given_name(&self, w: &str) -> bool {
        self.given_names.contains(w)
            || (!w.is_ascii() && self.given_names.contains(fold_diacritics(w).as_str()))
    }
    pub(crate) fn is_demonym(&self, w: &str) -> bool {
        self.demonyms.contains(w)
    }
    /// `lower` must be lowercase.
    pub(crate) fn is_role_head(&self, lower: &str) -> bool {
        self.role_heads.contains(lower)
    }
    /// `lower` must be lowercase.
    pub(crate) fn is_role_modifier(&self, lower: &str) -> bool {
        self.role_modifiers.contains(lower)
    }
    /// `lower` must be lowercase.
    pub(crate) fn is_honorific(&self, lower: &str) -> bool {
        self.honorifics.contains(lower)
    }
    /// `lower` must be lowercase.
    pub(crate) fn is_stopword(&self, lower: &str) -> bool {
        self.stopwords.contains(lower)
    }
    pub(crate) fn is_common_acronym(&self, w: &str) -> bool {
        self.common_acronyms.contains(w)
    }
    /// Full name of a US state from its AP abbreviation (without the final dot).
    pub(crate) fn state_abbreviation(&self, w: &str) -> Option<&'static str> {
        STATE_ABBREVIATIONS.iter().find(|(a, _)| *a == w).map(|(_, s)| *s)
    }
    /// `lower` must be lowercase.
    pub(crate) fn is_org_descriptor(&self, lower: &str) -> bool {
        self.org_descriptors.contains(lower)
    }
    /// `lower` must be lowercase.
    pub(crate) fn is_speech_verb(&self, lower: &str) -> bool {
        self.speech_verbs.contains(lower)
    }
}

/// `w` with common Latin diacritics removed ("María" → "Maria"); other characters unchanged.
pub(crate) fn fold_diacritics(w: &str) -> String {
    w.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' | 'Ā' | 'Ă' | 'Ą' => 'A',
            'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
            'É' | 'È' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => 'E',
            'í' | 'ì' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
            'Í' | 'Ì' | 'Î' | 'Ï' | 'Ī' | 'Į' | 'İ' => 'I',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' | 'ő' => 'o',
            'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' | 'Ø' | 'Ō' | 'Ő' => 'O',
            'ú' | 'ù' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => 'u',
            'Ú' | 'Ù' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' | 'Ų' => 'U',
            'ç' | 'ć' | 'č' => 'c',
            'Ç' | 'Ć' | 'Č' => 'C',
            'ñ' | 'ń' | 'ň' => 'n',
            'Ñ' | 'Ń' | 'Ň' => 'N',
            'ś' | 'š' | 'ş' => 's',
            'Ś' | 'Š' | 'Ş' => 'S',
            'ź' | 'ż' | 'ž' => 'z',
            'Ź' | 'Ż' | 'Ž' => 'Z',
            'ł' => 'l',
            'Ł' => 'L',
            'ř' => 'r',
            'Ř' => 'R',
            'ğ' => 'g',
            'Ğ' => 'G',
            'ý' | 'ÿ' => 'y',
            'Ý' => 'Y',
            'đ' => 'd',
            'Đ' => 'D',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load_with_aliases() {
        let lx = &*LEXICON;
        assert_eq!(lx.location("U.S."), Some("United States"));
        assert_eq!(lx.organization("CIA"), Some("Central Intelligence Agency"));
        assert!(lx.is_given_name("Antony"));
        assert!(lx.is_role_head("minister"));
        assert!(lx.is_honorific("dr"));
        assert!(lx.is_speech_verb("said"));
        assert!(lx.max_words >= 4);
    }
}
