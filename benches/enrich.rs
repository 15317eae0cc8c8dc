//! Throughput of `rill::enrich::enrich` on news articles: the development article and rill's own
//! test articles (src/enrich/testdata), one at a time and as a corpus.
//!
//! Run: `cargo bench --bench enrich`. Articles per second = articles / time per iteration of
//! `corpus` (single thread).

use divan::{black_box, Bencher};

const ARTICLES: &[&str] = &[
    include_str!("../src/enrich/testdata/bbc-nhs-review.txt"),
    include_str!("../src/enrich/testdata/wire-malaria-vaccine.txt"),
    include_str!("../src/enrich/testdata/ap-city-budget.txt"),
    include_str!("../src/enrich/testdata/nyt-chip-plant.txt"),
    include_str!("../src/enrich/testdata/afp-sudan-aid.txt"),
];

fn main() {
    divan::main();
}

/// All articles once: divide the article count by the time per iteration.
#[divan::bench(counter = divan::counter::ItemsCount::new(ARTICLES.len()))]
fn corpus(b: Bencher) {
    // Build the lexicon outside the measurement.
    let _ = rill::enrich::enrich("Warm up.", None);
    b.bench(|| {
        for a in ARTICLES {
            black_box(rill::enrich::enrich(black_box(a), None));
        }
    });
}

#[divan::bench(args = 0..ARTICLES.len())]
fn article(b: Bencher, i: usize) {
    let _ = rill::enrich::enrich("Warm up.", None);
    b.bench(|| black_box(rill::enrich::enrich(black_box(ARTICLES[i]), None)));
}
