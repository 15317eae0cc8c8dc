//! In-memory candidate indexes: find similar fingerprints without scanning.
//!
//! * [`SimIndex`]: SimHash values, 4 bands × 16 bits. By the pigeonhole principle two 64-bit
//!   values at Hamming distance ≤ 3 agree exactly on at least one of four 16-bit bands, so a
//!   query that looks in the four buckets of its own bands finds **every** entry within distance
//!   3 (and some farther ones). Used for near-identical articles (the same text under another
//!   URL, a re-post with a typo fixed).
//! * [`StoryIndex`]: MinHash locality-sensitive hashing, [`STORY_BANDS`] bands of [`STORY_ROWS`]
//!   MinHash values. Two texts whose shingle sets have Jaccard similarity `J` share at least one
//!   band with probability about `1 - (1 - J^3)^41` (the bands share positions, so this is an
//!   upper estimate): 0.93 at J = 0.4, 0.996 at J = 0.5, and about 4·10⁻⁵ at J = 0.01
//!   (unrelated articles: ~40 false candidates per query at 1,000,000 entries, each rejected by
//!   one band comparison). Used for story grouping, where a
//!   republished wire story (new headline, intro and ending) is far beyond SimHash distance 3.
//!
//! Both are rebuilt at start-up with a plain [`SimIndex::insert`] / [`StoryIndex::insert`] loop
//! over rows from the store. Neither knows about the store.

use std::collections::HashMap;

use super::fingerprint::{mix64, MinHashSig};
use super::story::{story_score, StoryEvidence};

/// Number of 16-bit bands of [`SimIndex`].
pub const SIM_BANDS: usize = 4;
/// The largest Hamming distance for which [`SimIndex::query`] is complete.
pub const SIM_COMPLETE_DISTANCE: u32 = 3;

/// Candidate index over 64-bit SimHash values (see the module documentation).
///
/// Memory: each entry is stored once per band as a `(simhash, id)` pair, 4 × 16 = 64 bytes, plus
/// vector growth slack (up to 2×), plus a fixed 4 × 65,536 bucket headers (6 MB). About 80–130 MB
/// for 1,000,000 articles. A query reads four buckets, ~15 entries each at 1,000,000 articles.
#[derive(Debug, Clone)]
pub struct SimIndex {
    /// `bands[b][v]`: entries whose band `b` (bits `16b..16b+16`) equals `v`.
    bands: Vec<Vec<Vec<(u64, i64)>>>,
    len: usize,
}

impl Default for SimIndex {
    fn default() -> Self {
        SimIndex::new()
    }
}

fn sim_band(h: u64, b: usize) -> usize {
    ((h >> (16 * b)) & 0xffff) as usize
}

impl SimIndex {
    /// An empty index.
    pub fn new() -> SimIndex {
        SimIndex { bands: (0..SIM_BANDS).map(|_| vec![Vec::new(); 1 << 16]).collect(), len: 0 }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Add `(simhash, id)`. Adding the same pair twice is a no-op; one id may be added with
    /// several simhashes (e.g. after the article text changed) and is then found by each.
    pub fn insert(&mut self, simhash: u64, id: i64) {
        let first = &self.bands[0][sim_band(simhash, 0)];
        if first.contains(&(simhash, id)) {
            return;
        }
        for (b, band) in self.bands.iter_mut().enumerate() {
            band[sim_band(simhash, b)].push((simhash, id));
        }
        self.len += 1;
    }

    /// Remove `(simhash, id)`; false when it was not there.
    pub fn remove(&mut self, simhash: u64, id: i64) -> bool {
        let mut found = false;
        for (b, band) in self.bands.iter_mut().enumerate() {
            let bucket = &mut band[sim_band(simhash, b)];
            if let Some(pos) = bucket.iter().position(|&e| e == (simhash, id)) {
                bucket.swap_remove(pos);
                found = true;
            }
        }
        if found {
            self.len -= 1;
        }
        found
    }

    /// Entries within `max_distance` of `simhash`, as `(id, distance)`, nearest first, each
    /// once. Complete for `max_distance <= 3` ([`SIM_COMPLETE_DISTANCE`]); for larger values it
    /// returns only the entries that also share a band.
    pub fn query(&self, simhash: u64, max_distance: u32) -> Vec<(i64, u32)> {
        let mut out = Vec::new();
        for (b, band) in self.bands.iter().enumerate() {
            for &(h, id) in &band[sim_band(simhash, b)] {
                // Report an entry only from the first band it shares with the query.
                if (0..b).any(|e| sim_band(h, e) == sim_band(simhash, e)) {
                    continue;
                }
                let d = (h ^ simhash).count_ones();
                if d <= max_distance {
                    out.push((id, d));
                }
            }
        }
        out.sort_unstable_by_key(|&(id, d)| (d, id));
        out
    }
}

/// Number of LSH bands of [`StoryIndex`].
pub const STORY_BANDS: usize = 41;
/// MinHash values per band of [`StoryIndex`].
pub const STORY_ROWS: usize = 3;

/// The MinHash positions of each band: 21 disjoint consecutive triples (positions 0–62), then
/// 20 strided triples `(k, k+22, k+44)` that reuse the positions in other combinations. Reusing
/// positions gives more bands from one 64-value signature: the two families are correlated
/// only through single shared positions, so a pair missed by the first is usually caught by the
/// second. Measured on harder synthetic copies (J ≈ 0.45–0.6), the 20 disjoint bands alone found
/// 94% of the copies that `story_score` accepts (1416 of 1485); all 41 bands find 99% (1471).
const STORY_BAND_POSITIONS: [[usize; STORY_ROWS]; STORY_BANDS] = {
    let mut t = [[0usize; STORY_ROWS]; STORY_BANDS];
    let mut b = 0;
    while b < 21 {
        t[b] = [3 * b, 3 * b + 1, 3 * b + 2];
        b += 1;
    }
    while b < STORY_BANDS {
        let k = b - 21;
        t[b] = [k, k + 22, k + 44];
        b += 1;
    }
    t
};

fn band_values(sig: &MinHashSig, b: usize) -> [u32; STORY_ROWS] {
    let pos = STORY_BAND_POSITIONS[b];
    [sig.0[pos[0]], sig.0[pos[1]], sig.0[pos[2]]]
}

/// One stored entry of a [`StoryIndex`].
#[derive(Debug, Clone)]
struct Slot {
    id: i64,
    evidence: StoryEvidence,
}

/// End of a bucket chain.
const NO_SLOT: u32 = u32::MAX;

/// Candidate index for story grouping over MinHash signatures (see the module documentation).
///
/// Layout: per band, a table of bucket heads, and per band and entry a link `(check, next)`:
/// the entries of a bucket are chained through the band's links, which lie in one array per
/// band (8 bytes an entry), so following a chain stays within that array. The table doubles
/// whenever the entries outnumber [`MAX_LOAD`] per bucket, so a query follows a bounded number
/// of links per band however large the index grows.
///
/// Measured with 184,839 and 1,000,000 random entries (one process each; RSS and the mean of
/// 20 lookups, each with one true match): 135 / 674 MB and 11–15 / 24–33 µs. The fixed table of
/// 256 buckets the daemon used to start with (and never grew) took 146 / 671 MB and 46 / 148
/// µs, a cost per lookup that grew with the index; a growing table of vectors per bucket took
/// 197 / 1,017 MB (vector slack and headers) for 13 / 18 µs.
///
/// Memory: per entry its evidence (~280 bytes), 41 links of 8 bytes (328 bytes), an id map
/// entry (~24 bytes) and its share of the heads (41 × 4 bytes per bucket, and a bucket per 2 to
/// 4 entries: 41–82 bytes): about 0.7 KB. Keep a recent window in it (stories are time-local:
/// syndicated copies appear within hours or days), e.g. the last 14 days, and
/// [`StoryIndex::remove`] older articles.
#[derive(Debug, Clone)]
pub struct StoryIndex {
    bucket_bits: u32,
    /// `heads[b][bucket]`: the first slot of the bucket's chain in band `b`, or [`NO_SLOT`].
    heads: Vec<Vec<u32>>,
    /// `links[b][slot]`: `(check, next)`: the low 32 bits of the slot's band hash (its bucket is
    /// the low `bucket_bits` of it) and the next slot of the same chain, or [`NO_SLOT`] (also
    /// for an empty band, which is in no chain).
    links: Vec<Vec<(u32, u32)>>,
    slots: Vec<Option<Slot>>,
    free: Vec<u32>,
    by_id: HashMap<i64, u32>,
}

impl Default for StoryIndex {
    fn default() -> Self {
        StoryIndex::with_capacity(1 << 16)
    }
}

fn story_band_hash(sig: &MinHashSig, b: usize) -> u64 {
    band_values(sig, b).iter().fold(b as u64, |acc, &v| mix64(acc ^ u64::from(v)))
}

fn band_is_empty(sig: &MinHashSig, b: usize) -> bool {
    band_values(sig, b).iter().all(|&v| v == u32::MAX)
}

/// Average entries per bucket (in each band) above which [`StoryIndex`] doubles its buckets.
pub const MAX_LOAD: usize = 4;
/// Bucket bits of a [`StoryIndex`]: 2⁸ to 2²⁰ buckets per band (beyond 2²⁰ × [`MAX_LOAD`] entries,
/// chains lengthen again: the window kept in the index is meant to be far smaller).
const BUCKET_BITS: std::ops::RangeInclusive<u32> = 8..=20;

impl StoryIndex {
    /// An empty index sized for about `expected` entries (bucket count per band is the next
    /// power of two above `expected / MAX_LOAD`, between 2⁸ and 2²⁰). It grows past that by
    /// itself; the size only saves the doublings on the way.
    pub fn with_capacity(expected: usize) -> StoryIndex {
        let bits = (expected / MAX_LOAD)
            .max(1)
            .next_power_of_two()
            .trailing_zeros()
            .clamp(*BUCKET_BITS.start(), *BUCKET_BITS.end());
        StoryIndex {
            bucket_bits: bits,
            heads: vec![vec![NO_SLOT; 1 << bits]; STORY_BANDS],
            links: vec![Vec::new(); STORY_BANDS],
            slots: Vec::new(),
            free: Vec::new(),
            by_id: HashMap::new(),
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    fn bucket(&self, check: u32) -> usize {
        (check & ((1u32 << self.bucket_bits) - 1)) as usize
    }

    /// The slots of one bucket's chain in band `b`, each with its check value. Bounded by the
    /// number of slots, so even a damaged chain cannot loop forever.
    fn chain(&self, b: usize, bucket: usize) -> impl Iterator<Item = (u32, u32)> + '_ {
        let links = self.links.get(b).map(Vec::as_slice).unwrap_or_default();
        let mut at = self.heads.get(b).and_then(|h| h.get(bucket)).copied().unwrap_or(NO_SLOT);
        std::iter::from_fn(move || {
            let &(check, next) = links.get(at as usize)?;
            let here = at;
            at = next;
            Some((here, check))
        })
        .take(links.len())
    }

    /// Doubles the buckets of every band while the entries outnumber [`MAX_LOAD`] per bucket,
    /// and relinks every entry into the larger table.
    fn grow(&mut self) {
        let mut bits = self.bucket_bits;
        while self.by_id.len() > MAX_LOAD << bits && bits < *BUCKET_BITS.end() {
            bits += 1;
        }
        if bits == self.bucket_bits {
            return;
        }
        self.bucket_bits = bits;
        let mask = (1u32 << self.bucket_bits) - 1;
        for (b, (head, links)) in self.heads.iter_mut().zip(&mut self.links).enumerate() {
            *head = vec![NO_SLOT; 1 << bits];
            for (i, (slot, link)) in self.slots.iter().zip(links.iter_mut()).enumerate() {
                if slot.as_ref().is_none_or(|s| band_is_empty(&s.evidence.minhash, b)) {
                    continue;
                }
                let bucket = (link.0 & mask) as usize;
                link.1 = head[bucket];
                head[bucket] = i as u32;
            }
        }
    }

    /// Add an article, replacing its previous evidence if `id` is already present.
    pub fn insert(&mut self, id: i64, evidence: StoryEvidence) {
        self.remove(id);
        let index = match self.free.pop() {
            Some(s) => s,
            None => {
                // Slot numbers are u32 with NO_SLOT reserved: an index this full takes no more.
                let Some(s) = u32::try_from(self.slots.len()).ok().filter(|&s| s != NO_SLOT) else { return };
                self.slots.push(None);
                for links in &mut self.links {
                    links.push((0, NO_SLOT));
                }
                s
            }
        };
        for b in 0..STORY_BANDS {
            let link = if band_is_empty(&evidence.minhash, b) {
                (0, NO_SLOT)
            } else {
                let check = story_band_hash(&evidence.minhash, b) as u32;
                let bucket = self.bucket(check);
                let next = std::mem::replace(&mut self.heads[b][bucket], index);
                (check, next)
            };
            self.links[b][index as usize] = link;
        }
        if let Some(s) = self.slots.get_mut(index as usize) {
            *s = Some(Slot { id, evidence });
        }
        self.by_id.insert(id, index);
        self.grow();
    }

    /// Remove an article; false when it was not there.
    pub fn remove(&mut self, id: i64) -> bool {
        let Some(index) = self.by_id.remove(&id) else {
            return false;
        };
        let Some(gone) = self.slots.get_mut(index as usize).and_then(Option::take) else {
            return false;
        };
        for b in 0..STORY_BANDS {
            if band_is_empty(&gone.evidence.minhash, b) {
                continue;
            }
            let (check, next) = self.links[b][index as usize];
            let bucket = self.bucket(check);
            // Unlink: either the head points at it, or its predecessor in the chain does.
            if self.heads[b][bucket] == index {
                self.heads[b][bucket] = next;
                continue;
            }
            let before = self.chain(b, bucket).find(|&(at, _)| self.links[b][at as usize].1 == index);
            if let Some((at, _)) = before {
                self.links[b][at as usize].1 = next;
            }
        }
        self.free.push(index);
        true
    }

    /// The stored evidence of an article.
    pub fn get(&self, id: i64) -> Option<&StoryEvidence> {
        let slot = *self.by_id.get(&id)?;
        self.slots.get(slot as usize)?.as_ref().map(|s| &s.evidence)
    }

    /// Ids of the articles that share at least one full LSH band with `minhash` (an exact match
    /// of [`STORY_ROWS`] MinHash values), each once, unscored.
    pub fn candidates(&self, minhash: &MinHashSig) -> Vec<i64> {
        let mut slots: Vec<u32> = Vec::new();
        for b in 0..STORY_BANDS {
            if band_is_empty(minhash, b) {
                continue;
            }
            let want = story_band_hash(minhash, b) as u32;
            for (at, check) in self.chain(b, self.bucket(want)) {
                if check != want {
                    continue;
                }
                let Some(Some(entry)) = self.slots.get(at as usize) else { continue };
                if band_values(&entry.evidence.minhash, b) == band_values(minhash, b) {
                    slots.push(at);
                }
            }
        }
        slots.sort_unstable();
        slots.dedup();
        slots
            .into_iter()
            .filter_map(|s| self.slots.get(s as usize).and_then(Option::as_ref).map(|e| e.id))
            .collect()
    }

    /// Candidates scored with [`story_score`], keeping those at or above `threshold`, best
    /// first: `(id, score)`.
    pub fn query(&self, evidence: &StoryEvidence, threshold: f32) -> Vec<(i64, f32)> {
        let mut out: Vec<(i64, f32)> = self
            .candidates(&evidence.minhash)
            .into_iter()
            .filter_map(|id| {
                let score = story_score(evidence, self.get(id)?);
                (score >= threshold).then_some((id, score))
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flip(h: u64, bits: &[u32]) -> u64 {
        bits.iter().fold(h, |acc, &b| acc ^ (1u64 << b))
    }

    #[test]
    fn sim_index_finds_all_within_three() {
        let mut idx = SimIndex::new();
        let base = 0x0123_4567_89ab_cdefu64;
        // Three flips spread over three different bands, and three in one band.
        idx.insert(flip(base, &[1, 17, 33]), 1);
        idx.insert(flip(base, &[0, 5, 9]), 2);
        idx.insert(flip(base, &[0, 16, 32, 48]), 3); // distance 4, one flip per band: not found
        idx.insert(base, 4);
        idx.insert(!base, 5);
        let got = idx.query(base, 3);
        assert_eq!(got, vec![(4, 0), (1, 3), (2, 3)]);
        assert_eq!(idx.len(), 5);
        assert!(idx.remove(base, 4));
        assert!(!idx.remove(base, 4));
        assert_eq!(idx.query(base, 3), vec![(1, 3), (2, 3)]);
    }

    #[test]
    fn sim_index_exhaustive_against_scan() {
        let mut idx = SimIndex::new();
        let mut vals = Vec::new();
        let mut x = 7u64;
        for id in 0..2000i64 {
            x = mix64(x);
            // Cluster values around a few centres so that small distances occur.
            let centre = mix64((id % 5) as u64);
            let v = centre ^ (x & x.rotate_left(13) & x.rotate_left(29) & x.rotate_left(41));
            vals.push(v);
            idx.insert(v, id);
        }
        for &q in vals.iter().take(200) {
            let mut want: Vec<(i64, u32)> = vals
                .iter()
                .enumerate()
                .map(|(i, &v)| (i as i64, hamming_(q, v)))
                .filter(|&(_, d)| d <= 3)
                .collect();
            want.sort_unstable_by_key(|&(id, d)| (d, id));
            assert_eq!(idx.query(q, 3), want);
        }
    }

    fn hamming_(a: u64, b: u64) -> u32 {
        (a ^ b).count_ones()
    }

    #[test]
    fn story_index_finds_realistic_wire_copy_only() {
        use crate::dedup::story::tests::{OTHER_REPORT, OTHER_REPORT_2, WIRE, WIRE_LOCAL};
        let mut idx = StoryIndex::default();
        idx.insert(1, StoryEvidence::from_text(WIRE));
        idx.insert(2, StoryEvidence::from_text(OTHER_REPORT));
        idx.insert(3, StoryEvidence::from_text(OTHER_REPORT_2));
        let got = idx.query(&StoryEvidence::from_text(WIRE_LOCAL), crate::dedup::STORY_THRESHOLD);
        assert_eq!(got.iter().map(|x| x.0).collect::<Vec<_>>(), vec![1]);
    }

    /// A signature with random values (`seed` picks them).
    fn random_sig(seed: u64) -> MinHashSig {
        let mut sig = [0u32; crate::dedup::fingerprint::MINHASH_LEN];
        for (i, v) in sig.iter_mut().enumerate() {
            *v = (mix64(seed.wrapping_mul(1000).wrapping_add(i as u64)) >> 32) as u32;
        }
        MinHashSig(sig)
    }

    #[test]
    fn story_index_grows_and_keeps_every_entry_findable() {
        let ev = |seed: u64| StoryEvidence { simhash: seed, minhash: random_sig(seed), shingles: 100 };
        let mut idx = StoryIndex::with_capacity(10);
        assert_eq!(idx.bucket_bits, 8);
        let n = 5_000u64;
        for id in 0..n {
            idx.insert(id as i64, ev(id));
        }
        // Just enough buckets for 5,000 entries at most MAX_LOAD to a bucket.
        assert!(n as usize <= MAX_LOAD << idx.bucket_bits && n as usize > MAX_LOAD << (idx.bucket_bits - 1));
        let chains = |idx: &StoryIndex| -> Vec<usize> {
            (0..STORY_BANDS)
                .flat_map(|b| (0..1usize << idx.bucket_bits).map(move |k| (b, k)))
                .map(|(b, k)| idx.chain(b, k).count())
                .collect()
        };
        let longest = chains(&idx).into_iter().max().unwrap_or(0);
        assert!(longest < 40, "a bucket holds {longest} entries");
        for id in 0..n {
            assert!(idx.candidates(&ev(id).minhash).contains(&(id as i64)), "entry {id} lost");
        }
        // Removing after the table doubled finds the postings where they moved.
        for id in (0..n).step_by(2) {
            assert!(idx.remove(id as i64));
        }
        assert_eq!(chains(&idx).into_iter().sum::<usize>(), STORY_BANDS * (n as usize / 2));
        // Freed slots are reused, and what is inserted into them is found.
        for id in (0..n).step_by(2) {
            idx.insert(id as i64 + n as i64, ev(id + n));
        }
        assert_eq!(idx.slots.len(), n as usize);
        for id in 0..n {
            let found = idx.candidates(&ev(id).minhash).contains(&(id as i64));
            assert_eq!(found, id % 2 == 1, "entry {id}");
            if id % 2 == 0 {
                assert!(idx.candidates(&ev(id + n).minhash).contains(&((id + n) as i64)), "entry {}", id + n);
            }
        }
    }

    #[test]
    fn story_index_candidates_match_a_scan_through_inserts_removals_and_growth() {
        // Few distinct values, so that bands collide and chains are long: unlinking from the
        // middle and the end of a chain is exercised, not only from its head. Some bands empty.
        let sig = |seed: u64| {
            let mut v = [0u32; crate::dedup::fingerprint::MINHASH_LEN];
            for (i, x) in v.iter_mut().enumerate() {
                let r = mix64(seed.wrapping_mul(131).wrapping_add(i as u64));
                *x = if r.is_multiple_of(11) { u32::MAX } else { (r % 3) as u32 };
            }
            MinHashSig(v)
        };
        let ev = |seed: u64| StoryEvidence { simhash: seed, minhash: sig(seed), shingles: 50 };
        let shares_band = |a: &MinHashSig, b: &MinHashSig| {
            (0..STORY_BANDS).any(|k| !band_is_empty(a, k) && band_values(a, k) == band_values(b, k))
        };
        let mut idx = StoryIndex::with_capacity(1);
        let mut live: HashMap<i64, u64> = HashMap::new();
        let mut rng = 12345u64;
        for step in 0..3_000u64 {
            rng = mix64(rng);
            let id = (rng % 1_500) as i64;
            match rng % 5 {
                0 => {
                    assert_eq!(idx.remove(id), live.remove(&id).is_some());
                }
                _ => {
                    // A fresh id, or new evidence for one already there.
                    idx.insert(id, ev(step));
                    live.insert(id, step);
                }
            }
            if step % 97 == 0 {
                let q = sig(mix64(step ^ 0xabc));
                let mut want: Vec<i64> =
                    live.iter().filter(|(_, &s)| shares_band(&q, &sig(s))).map(|(&id, _)| id).collect();
                want.sort_unstable();
                let mut got = idx.candidates(&q);
                got.sort_unstable();
                assert_eq!(got, want, "step {step}");
            }
        }
        assert_eq!(idx.len(), live.len());
        assert!(idx.bucket_bits > 8, "the table never grew");
    }

    #[test]
    fn story_index_insert_query_remove() {
        let text = "Officials said on Tuesday that talks between the two delegations would resume next week in Geneva \
                    after a pause of almost two months caused by disagreements over the border crossing";
        let a = StoryEvidence::from_text(text);
        let b = StoryEvidence::from_text(&format!("In a surprise move, {text} and aid."));
        let c = StoryEvidence::from_text(
            "The council voted to raise the school budget by four percent on Monday night",
        );
        let mut idx = StoryIndex::with_capacity(10);
        idx.insert(1, a.clone());
        idx.insert(2, c.clone());
        idx.insert(3, StoryEvidence::from_text(""));
        let got = idx.query(&b, 0.5);
        assert_eq!(got.iter().map(|x| x.0).collect::<Vec<_>>(), vec![1]);
        assert!(idx.candidates(&StoryEvidence::from_text("").minhash).is_empty());
        assert_eq!(idx.len(), 3);
        assert!(idx.remove(1));
        assert!(!idx.remove(1));
        assert!(idx.query(&b, 0.5).is_empty());
        idx.insert(1, a);
        idx.insert(1, c);
        assert_eq!(idx.len(), 3);
        assert!(idx.query(&b, 0.5).is_empty());
    }
}
