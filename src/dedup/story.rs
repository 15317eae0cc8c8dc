//! Story grouping: are two articles the same story?
//!
//! "Same story" means the texts share most of their sentences: a wire story republished by
//! another outlet with its own headline, its own intro paragraph, a trimmed or extra ending,
//! light copy-editing. "Different story" includes two independent reports of one event: they
//! share the topic words, names and maybe one quote, but not their sentences.
//!
//! The decision uses the body text only (headlines are rewritten by every outlet, so they are no
//! evidence either way) through its 3-word shingle set:
//!
//! * `J`: the Jaccard similarity of the two shingle sets, estimated from the MinHash signatures.
//! * `C`: the **containment** (overlap coefficient) `|A ∩ B| / min(|A|, |B|)`, derived from `J`
//!   and the two set sizes as `J (|A| + |B|) / ((1 + J) min(|A|, |B|))`. Containment rather
//!   than Jaccard, so that a copy trimmed to half its length, or padded with a long local
//!   intro, still scores high.
//!
//! [`story_score`] is `C` (0 when `J` < [`MIN_JACCARD`], so a tiny text is not "contained" in
//! a long one by a few shared phrases). [`same_story`] is `score >= STORY_THRESHOLD`.
//! The threshold was tuned with `examples/dedup_tune.rs` (it prints the precision/recall table)
//! and the hand-written texts in the tests below. The farm's wire copies score 0.87–1.0 and no
//! other farm pair scores above 0; the hand-written local copy of a wire story scores 0.76 and
//! independent reports of the same event 0.0 (estimated J ≤ 0.1 even with a shared quote).
//! Harder synthetic copies (first and last paragraph replaced, 1 word in 30 changed) score
//! 0.42–1.0, 99% of them ≥ 0.5; the best-scoring article of another story reaches 0.49, when the
//! copy's new intro is a whole paragraph lifted from it. 0.5 sits between the two.

use super::fingerprint::{Fingerprints, MinHashSig};

/// Score at or above which two articles are the same story.
pub const STORY_THRESHOLD: f32 = 0.5;

/// Estimated Jaccard similarity below which two texts are never the same story.
pub const MIN_JACCARD: f32 = 0.1;

/// The cheap evidence about one article that story grouping compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryEvidence {
    /// SimHash of the body text.
    pub simhash: u64,
    /// MinHash signature of the body's shingle set.
    pub minhash: MinHashSig,
    /// Number of distinct shingles in the body.
    pub shingles: u32,
}

impl StoryEvidence {
    /// Evidence from an article's plain body text.
    pub fn from_text(body: &str) -> StoryEvidence {
        StoryEvidence::from(&Fingerprints::of(body))
    }
}

impl From<&Fingerprints> for StoryEvidence {
    fn from(f: &Fingerprints) -> StoryEvidence {
        StoryEvidence { simhash: f.simhash, minhash: f.minhash.clone(), shingles: f.shingles }
    }
}

/// How strongly two articles look like the same story, in `0.0..=1.0` (see the module rules).
pub fn story_score(a: &StoryEvidence, b: &StoryEvidence) -> f32 {
    if a.shingles == 0 || b.shingles == 0 {
        return 0.0;
    }
    let j = a.minhash.jaccard(&b.minhash);
    if j < MIN_JACCARD {
        return 0.0;
    }
    let (na, nb) = (a.shingles as f32, b.shingles as f32);
    let c = j * (na + nb) / ((1.0 + j) * na.min(nb));
    c.clamp(0.0, 1.0)
}

/// True when `a` and `b` are the same story: [`story_score`] ≥ [`STORY_THRESHOLD`].
pub fn same_story(a: &StoryEvidence, b: &StoryEvidence) -> bool {
    story_score(a, b) >= STORY_THRESHOLD
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A wire story, as the agency sent it (invented text, realistic shape).
    pub const WIRE: &str = "\
GENEVA (Wire) — Negotiators from both governments agreed on Tuesday to resume talks on the disputed \
border crossing next month, ending a two-month pause that had left hundreds of trucks stranded and \
fuel prices climbing in the northern provinces.

The agreement, announced after nine hours of closed-door meetings at the Palais des Nations, commits \
both sides to reopen the Kasava checkpoint to humanitarian convoys within ten days and to set up a \
joint commission on customs fees.

\"This is not a peace deal, but it is the first time in a year that both delegations left the room \
with the same piece of paper,\" said Amara Okafor, the UN envoy who chaired the session.

The crossing has been closed since March, when a dispute over a new import levy escalated into a \
standoff between border guards. Aid agencies say at least 40,000 people in the region depend on \
food deliveries that normally pass through the checkpoint.

Officials from the northern delegation said the customs commission would meet for the first time \
in Geneva on the 14th and report to both finance ministries by the end of the year. The southern \
delegation did not comment on the timetable.

Trade between the two countries fell by almost a third in the second quarter, according to figures \
published last week by the regional development bank, which warned that a prolonged closure could \
push both economies into recession.";

    /// The same wire story on a local outlet: own intro, copy-edits, the last paragraph cut and
    /// a local paragraph added.
    pub const WIRE_LOCAL: &str = "\
Truck drivers stuck for weeks outside Kasava may finally be able to go home: the border is set to \
reopen to aid convoys within days, negotiators announced last night.

Negotiators from both governments agreed on Tuesday to resume talks on the disputed border crossing \
next month, ending a two-month pause that had left hundreds of trucks stranded and fuel prices \
climbing in the northern provinces.

The agreement, announced after nine hours of closed-door meetings at the Palais des Nations, commits \
both sides to reopen the Kasava checkpoint to humanitarian convoys within 10 days and to set up a \
joint commission on customs fees.

\"This is not a peace deal, but it is the first time in a year that both delegations left the room \
with the same piece of paper,\" said Amara Okafor, the UN envoy who chaired the session.

The crossing has been closed since March, when a dispute over a new import levy escalated into a \
standoff between border guards. Aid agencies say at least 40,000 people in the region depend on \
food deliveries that normally pass through the checkpoint.

Officials from the northern delegation said the customs commission would meet for the first time in \
Geneva on the 14th and report to both finance ministries by the end of the year.

Local haulage firms told the Courier they would wait for written confirmation before sending drivers \
back to the crossing.";

    /// An independent report of the same event: same names, places, numbers and the same quote,
    /// different sentences.
    pub const OTHER_REPORT: &str = "\
After a year of stalemate, the two governments have agreed to put the Kasava border crossing back on \
the negotiating table. Talks broke off in March over an import levy, and since then border guards on \
both sides have kept the checkpoint shut.

UN envoy Amara Okafor, who chaired Tuesday's session in Geneva, was cautious. \"This is not a peace \
deal, but it is the first time in a year that both delegations left the room with the same piece of \
paper,\" she told reporters afterwards.

Humanitarian groups welcomed the promise to let aid convoys through within ten days. Roughly 40,000 \
people in the area rely on food shipments via Kasava, according to aid agencies working there.

Economists have warned that the closure is hurting both economies: the regional development bank \
estimates that bilateral trade dropped by nearly a third between April and June. A new customs \
commission is to hold its first meeting in Geneva in the middle of next month.";

    /// A second independent report, from the other capital.
    pub const OTHER_REPORT_2: &str = "\
The finance ministry welcomed the outcome of the Geneva meeting on Wednesday and said it expected the \
Kasava checkpoint to reopen for aid by the end of the month. A ministry spokesperson said the import \
levy that triggered the dispute would be reviewed by the joint customs commission, and that hauliers \
should not expect normal commercial traffic before the autumn. Opposition leaders called the \
agreement vague and demanded that parliament be shown the text.";

    fn ev(s: &str) -> StoryEvidence {
        StoryEvidence::from_text(s)
    }

    #[test]
    fn wire_copy_with_new_intro_and_ending_is_same_story() {
        let s = story_score(&ev(WIRE), &ev(WIRE_LOCAL));
        assert!(s >= 0.75, "score {s}");
        assert!(same_story(&ev(WIRE), &ev(WIRE_LOCAL)));
    }

    #[test]
    fn trimmed_copy_is_same_story() {
        let half: String = WIRE.split("\n\n").take(3).collect::<Vec<_>>().join("\n\n");
        assert!(same_story(&ev(WIRE), &ev(&half)), "score {}", story_score(&ev(WIRE), &ev(&half)));
    }

    #[test]
    fn independent_reports_of_one_event_are_apart() {
        for (a, b) in [
            (WIRE, OTHER_REPORT),
            (WIRE_LOCAL, OTHER_REPORT),
            (WIRE, OTHER_REPORT_2),
            (OTHER_REPORT, OTHER_REPORT_2),
        ] {
            let s = story_score(&ev(a), &ev(b));
            assert!(s < 0.25, "score {s}");
            assert!(!same_story(&ev(a), &ev(b)));
        }
    }

    #[test]
    fn empty_and_tiny_texts() {
        assert_eq!(story_score(&ev(""), &ev(WIRE)), 0.0);
        assert_eq!(story_score(&ev(""), &ev("")), 0.0);
        assert!(!same_story(&ev("said on Tuesday"), &ev(WIRE)));
        assert!(same_story(&ev(WIRE), &ev(WIRE)));
    }

    #[test]
    fn reformatted_copy_is_same_story() {
        let shouty = WIRE.to_uppercase().replace(['\n', ','], " ");
        assert!((story_score(&ev(WIRE), &ev(&shouty)) - 1.0).abs() < 1e-6);
    }
}
