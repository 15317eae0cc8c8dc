//! Benchmarks of the dedup stage: canonicalisation, fingerprints, and candidate lookup in the
//! indexes with 1,000,000 articles.
//!
//! ```text
//! cargo bench --bench dedup
//! ```
//!
//! The index benchmarks fill the index with synthetic fingerprints (uniformly random SimHash
//! values; MinHash signatures of random, unrelated shingle sets), then time one lookup. Real
//! SimHash values cluster somewhat, which makes some buckets fuller than the ~15 entries a
//! uniform fill gives; the lookup stays a scan of four short vectors.

use std::sync::LazyLock;

use rill::dedup::{
    canonicalize_url, simhash64, CanonOptions, Fingerprints, MinHashSig, SimIndex, StoryEvidence, StoryIndex,
    MINHASH_LEN, STORY_THRESHOLD,
};

fn main() {
    divan::main();
}

const N: usize = 1_000_000;

fn splitmix(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

static SIM: LazyLock<(SimIndex, Vec<u64>)> = LazyLock::new(|| {
    let mut idx = SimIndex::new();
    let mut x = 1u64;
    let mut values = Vec::with_capacity(N);
    for id in 0..N {
        let v = splitmix(&mut x);
        idx.insert(v, id as i64);
        values.push(v);
    }
    (idx, values)
});

fn random_sig(x: &mut u64) -> MinHashSig {
    let mut sig = [0u32; MINHASH_LEN];
    for s in sig.iter_mut() {
        *s = (splitmix(x) >> 32) as u32;
    }
    MinHashSig(sig)
}

static STORY: LazyLock<(StoryIndex, Vec<StoryEvidence>)> = LazyLock::new(|| {
    // Started small, as the daemon starts with an empty store: the index must grow its bucket
    // table by itself (before it did, this lookup took 279 µs at 1,000,000 entries, a cost that
    // grew with the index; with the table grown, 44–60 µs, mostly cache misses along the chains).
    let mut idx = StoryIndex::with_capacity(1024);
    let mut x = 2u64;
    let mut queries = Vec::new();
    for id in 0..N {
        let ev = StoryEvidence { simhash: splitmix(&mut x), minhash: random_sig(&mut x), shingles: 400 };
        if id % 1000 == 0 {
            // A near copy of every 1000th article: it shares ~75% of its MinHash values.
            let mut q = ev.clone();
            for (i, v) in q.minhash.0.iter_mut().enumerate() {
                if i % 4 == 3 {
                    *v = (splitmix(&mut x) >> 32) as u32;
                }
            }
            queries.push(q);
        }
        idx.insert(id as i64, ev);
    }
    (idx, queries)
});

const TEXT: &str = include_str!("../src/dedup/story.rs");

#[divan::bench]
fn canonicalize(bencher: divan::Bencher) {
    let opts = CanonOptions::default();
    bencher.bench(|| {
        canonicalize_url(
            divan::black_box(
                "HTTP://www.Example.com:80/news/2024/a-story/?utm_source=rss&b=2&a=%7e1#comments",
            ),
            &opts,
        )
    });
}

#[divan::bench]
fn fingerprints_of_article(bencher: divan::Bencher) {
    // About 1,800 words of prose.
    bencher
        .counter(divan::counter::BytesCount::of_str(TEXT))
        .bench(|| Fingerprints::of(divan::black_box(TEXT)));
}

#[divan::bench]
fn simhash_of_article(bencher: divan::Bencher) {
    bencher.bench(|| simhash64(divan::black_box(TEXT)));
}

/// One SimIndex lookup (Hamming ≤ 3) among 1,000,000 entries; the query is present.
#[divan::bench]
fn sim_index_query_1m(bencher: divan::Bencher) {
    let (idx, values) = &*SIM;
    let mut i = 0usize;
    bencher.bench_local(|| {
        i = (i + 7919) % values.len();
        idx.query(divan::black_box(values[i] ^ 0b101), 3)
    });
}

/// One StoryIndex lookup + scoring among 1,000,000 entries; each query has one true match.
#[divan::bench]
fn story_index_query_1m(bencher: divan::Bencher) {
    let (idx, queries) = &*STORY;
    let mut i = 0usize;
    bencher.bench_local(|| {
        i = (i + 1) % queries.len();
        idx.query(divan::black_box(&queries[i]), STORY_THRESHOLD)
    });
}
