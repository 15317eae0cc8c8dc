//! Guid trust: can a feed's guids identify its entries?
//!
//! Feeds are supposed to give each item a permanent, unique guid. Two common failures:
//!
//! * **Unstable**: the guid changes on every poll while the link stays (a timestamp or session
//!   id in the guid, a CMS that regenerates ids). Keyed by guid, every poll would store every
//!   item again. Identity must use the canonical link.
//! * **Reused**: one guid names different links (every item has the feed URL as guid, or an
//!   ever-incrementing counter restarts). Keyed by guid, different articles would be merged.
//!   Identity must use the canonical link.
//!
//! [`assess_guid_trust`] compares a feed's earlier observations (any number of polls, as the
//! store kept them) with one new poll and returns a [`GuidTrust`] verdict. The store records the
//! verdict per feed and keeps the worst one seen ([`GuidTrust::worst`]); [`entry_key`] then says
//! which key identifies an entry. A [`EntryKey::Guid`] is only unique **within its feed** (store
//! it under a `(feed_id, guid)` unique index); a [`EntryKey::Link`] is global (the canonical URL).
//!
//! Rules (a single event is not enough evidence, because publishers legitimately fix one slug or
//! one guid now and then):
//!
//! 1. Reused, if inside the new poll one guid appears with two different links.
//! 2. Reused, if among the new entries whose guid was seen before, at least
//!    [`MIN_EVIDENCE`] now carry a link never seen with that guid, and they are more than half of
//!    those entries.
//! 3. Unstable, if among the new entries whose link was seen before, at least [`MIN_EVIDENCE`]
//!    carry a guid never seen with that link, and they are more than half of those entries.
//! 4. Trusted otherwise. Reused wins over Unstable: both lead to link keys, but Reused also
//!    says that stored guid keys of this feed may already have merged articles.

use std::collections::{HashMap, HashSet};

use crate::model::Entry;

/// How many entries must show a failure before a verdict changes (see the module rules).
pub const MIN_EVIDENCE: usize = 2;

/// One entry as the guid check sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GuidObservation {
    /// The guid/id the feed gave, if any (not one rill derived).
    pub guid: Option<String>,
    /// The entry's canonical link (see [`crate::dedup::canonicalize_url`]), if any.
    pub link: Option<String>,
}

impl GuidObservation {
    /// The observation of a parsed entry, given its canonical link. A derived id
    /// (`id_from_feed == false`) is not a guid.
    pub fn from_entry(entry: &Entry, canonical_link: Option<&url::Url>) -> GuidObservation {
        GuidObservation {
            guid: entry.id_from_feed.then(|| entry.id.clone()),
            link: canonical_link.map(|u| u.to_string()),
        }
    }

    fn parts(&self) -> (Option<&str>, Option<&str>) {
        (clean(self.guid.as_deref()), clean(self.link.as_deref()))
    }
}

fn clean(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// A feed's guid verdict, recorded by the store per feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum GuidTrust {
    /// Guids are stable and unique: an entry's guid identifies it within the feed.
    #[default]
    Trusted,
    /// Guids change while links stay: identify entries by canonical link.
    Unstable,
    /// Guids are shared by different links: identify by canonical link, never merge by guid.
    Reused,
}

impl GuidTrust {
    /// The worse of two verdicts (`Reused` > `Unstable` > `Trusted`): what the store keeps.
    pub fn worst(self, other: GuidTrust) -> GuidTrust {
        self.max(other)
    }

    /// Stable text for a `TEXT` column.
    pub fn as_str(self) -> &'static str {
        match self {
            GuidTrust::Trusted => "trusted",
            GuidTrust::Unstable => "unstable",
            GuidTrust::Reused => "reused",
        }
    }
}

/// The verdict on a feed's guids from its earlier observations and one new poll (see the
/// module rules). Pure; the inputs may be in any order and contain entries without guid or link.
pub fn assess_guid_trust(previous: &[GuidObservation], current: &[GuidObservation]) -> GuidTrust {
    // Rule 1: one guid, two links, in one poll.
    let mut links_now: HashMap<&str, &str> = HashMap::new();
    for o in current {
        if let (Some(g), Some(l)) = o.parts() {
            if let Some(prev) = links_now.insert(g, l) {
                if prev != l {
                    return GuidTrust::Reused;
                }
            }
        }
    }

    let mut links_by_guid: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut guids_by_link: HashMap<&str, HashSet<&str>> = HashMap::new();
    for o in previous {
        if let (Some(g), Some(l)) = o.parts() {
            links_by_guid.entry(g).or_default().insert(l);
            guids_by_link.entry(l).or_default().insert(g);
        }
    }

    let (mut guid_seen, mut relinked, mut link_seen, mut reguided) = (0usize, 0usize, 0usize, 0usize);
    let mut counted: HashSet<(&str, &str)> = HashSet::new();
    for o in current {
        let (Some(g), Some(l)) = o.parts() else { continue };
        if !counted.insert((g, l)) {
            continue;
        }
        if let Some(links) = links_by_guid.get(g) {
            guid_seen += 1;
            if !links.contains(l) {
                relinked += 1;
            }
        }
        if let Some(guids) = guids_by_link.get(l) {
            link_seen += 1;
            if !guids.contains(g) {
                reguided += 1;
            }
        }
    }
    if relinked >= MIN_EVIDENCE && relinked * 2 > guid_seen {
        return GuidTrust::Reused;
    }
    if reguided >= MIN_EVIDENCE && reguided * 2 > link_seen {
        return GuidTrust::Unstable;
    }
    GuidTrust::Trusted
}

/// The key that identifies an entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EntryKey {
    /// The feed's guid; unique only within its feed.
    Guid(String),
    /// The canonical link; unique across all feeds.
    Link(String),
}

/// Which key identifies an entry of a feed with verdict `trust`:
///
/// * `Trusted`: the guid, else the canonical link.
/// * `Unstable` / `Reused`: the canonical link only.
///
/// `None` when no usable key is left (no link, and no trusted guid): the caller then falls back
/// to the content fingerprint ([`crate::dedup::content_hash`]) of the entry.
pub fn entry_key(trust: GuidTrust, guid: Option<&str>, canonical_link: Option<&str>) -> Option<EntryKey> {
    let guid = guid.map(str::trim).filter(|s| !s.is_empty());
    let link = canonical_link.map(str::trim).filter(|s| !s.is_empty());
    match (trust, guid, link) {
        (GuidTrust::Trusted, Some(g), _) => Some(EntryKey::Guid(g.to_string())),
        (_, _, Some(l)) => Some(EntryKey::Link(l.to_string())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(g: &str, l: &str) -> GuidObservation {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        GuidObservation { guid: opt(g), link: opt(l) }
    }

    fn poll(n: usize, guid: impl Fn(usize) -> String) -> Vec<GuidObservation> {
        (0..n).map(|i| obs(&guid(i), &format!("https://x.example/a{i}"))).collect()
    }

    #[test]
    fn stable_feed_is_trusted() {
        let p = poll(10, |i| format!("g{i}"));
        assert_eq!(assess_guid_trust(&p, &p), GuidTrust::Trusted);
        assert_eq!(assess_guid_trust(&[], &p), GuidTrust::Trusted);
    }

    #[test]
    fn new_items_are_not_evidence() {
        let prev = poll(10, |i| format!("g{i}"));
        let cur: Vec<_> =
            (5..15).map(|i| obs(&format!("g{i}"), &format!("https://x.example/a{i}"))).collect();
        assert_eq!(assess_guid_trust(&prev, &cur), GuidTrust::Trusted);
    }

    #[test]
    fn guid_changing_every_poll_is_unstable() {
        let prev = poll(10, |i| format!("g{i}-t1"));
        let cur = poll(10, |i| format!("g{i}-t2"));
        assert_eq!(assess_guid_trust(&prev, &cur), GuidTrust::Unstable);
    }

    #[test]
    fn one_guid_fix_is_not_unstable() {
        let prev = poll(10, |i| format!("g{i}"));
        let mut cur = prev.clone();
        cur[3].guid = Some("g3-fixed".into());
        assert_eq!(assess_guid_trust(&prev, &cur), GuidTrust::Trusted);
    }

    #[test]
    fn one_slug_edit_is_not_reuse() {
        let prev = poll(10, |i| format!("g{i}"));
        let mut cur = prev.clone();
        cur[2].link = Some("https://x.example/a2-better-slug".into());
        assert_eq!(assess_guid_trust(&prev, &cur), GuidTrust::Trusted);
    }

    #[test]
    fn same_guid_for_all_items_is_reused() {
        let cur = poll(5, |_| "https://x.example/feed".into());
        assert_eq!(assess_guid_trust(&[], &cur), GuidTrust::Reused);
    }

    #[test]
    fn counter_guids_restarting_is_reused() {
        let prev = poll(10, |i| i.to_string());
        let cur: Vec<_> = (0..10).map(|i| obs(&i.to_string(), &format!("https://x.example/b{i}"))).collect();
        assert_eq!(assess_guid_trust(&prev, &cur), GuidTrust::Reused);
    }

    #[test]
    fn missing_parts_are_ignored() {
        let cur = vec![obs("", "https://x.example/a"), obs("g", ""), obs("", ""), obs("  ", " ")];
        assert_eq!(assess_guid_trust(&cur, &cur), GuidTrust::Trusted);
    }

    #[test]
    fn keys() {
        assert_eq!(
            entry_key(GuidTrust::Trusted, Some("g1"), Some("https://x/a")),
            Some(EntryKey::Guid("g1".into()))
        );
        assert_eq!(
            entry_key(GuidTrust::Trusted, Some(" "), Some("https://x/a")),
            Some(EntryKey::Link("https://x/a".into()))
        );
        assert_eq!(
            entry_key(GuidTrust::Unstable, Some("g1"), Some("https://x/a")),
            Some(EntryKey::Link("https://x/a".into()))
        );
        assert_eq!(entry_key(GuidTrust::Reused, Some("g1"), None), None);
        assert_eq!(GuidTrust::Trusted.worst(GuidTrust::Reused), GuidTrust::Reused);
        assert_eq!(GuidTrust::Unstable.worst(GuidTrust::Trusted), GuidTrust::Unstable);
    }

    #[test]
    fn from_entry_ignores_derived_ids() {
        let e = Entry { id: "derived".into(), id_from_feed: false, ..Entry::default() };
        assert_eq!(GuidObservation::from_entry(&e, None).guid, None);
        let e = Entry { id: "g".into(), id_from_feed: true, ..Entry::default() };
        assert_eq!(GuidObservation::from_entry(&e, None).guid.as_deref(), Some("g"));
    }
}
