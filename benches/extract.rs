//! Extraction throughput: pages/s and MB/s of `extract_article` on one thread.
//!
//! `cargo bench --bench extract [-- DIR]` reads every `*.html` / `*.html.gz` in DIR (default:
//! `$RILL_BENCH_PAGES`, else `../shared/corpus/extraction-dev/html`), decompresses them up front,
//! and times only the extraction, best of five rounds; then the bare parser (charset decoding and
//! the tree, no extraction) on the same pages, the raw limit extraction is reported against; and
//! html5ever (through `scraper`) building its tree from the same text, for comparison with the
//! parser most Rust code would use.

use flate2::read::GzDecoder;
use rill::extract::extract_article;
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .or_else(|| std::env::var("RILL_BENCH_PAGES").ok())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/corpus/extraction-dev/html"));
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("bench extract: no pages at {} (pass a directory)", dir.display());
        return;
    };
    let mut pages: Vec<Vec<u8>> = Vec::new();
    for e in entries.flatten() {
        let path = e.path();
        let name = path.to_string_lossy().into_owned();
        let Ok(file) = std::fs::File::open(&path) else { continue };
        let mut bytes = Vec::new();
        let ok = if name.ends_with(".html.gz") {
            GzDecoder::new(file).read_to_end(&mut bytes).is_ok()
        } else if name.ends_with(".html") {
            std::io::BufReader::new(file).read_to_end(&mut bytes).is_ok()
        } else {
            false
        };
        if ok {
            pages.push(bytes);
        }
    }
    if pages.is_empty() {
        eprintln!("bench extract: no pages in {}", dir.display());
        return;
    }
    let mb = pages.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    let mut best = f64::MAX;
    let mut words = 0;
    for _ in 0..5 {
        let start = Instant::now();
        words = pages.iter().map(|p| extract_article(p, None, None).word_count).sum::<usize>();
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "extract: {} pages, {mb:.2} MB, best of 5: {best:.3} s = {:.0} pages/s, {:.1} MB/s ({words} words)",
        pages.len(),
        pages.len() as f64 / best,
        mb / best
    );
    // The raw limit: the chosen HTML parser (charset decoding + tree) on the same pages, no
    // extraction. rill's share of it is what extraction itself costs.
    let mut parse_best = f64::MAX;
    let mut nodes = 0;
    for _ in 0..5 {
        let start = Instant::now();
        nodes = pages
            .iter()
            .map(|p| rill::extract::dom::parse(&rill::extract::charset::decode(p)).nodes.len())
            .sum::<usize>();
        parse_best = parse_best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "parse only (decode + tree): best of 5: {parse_best:.3} s = {:.0} pages/s, {:.1} MB/s ({nodes} nodes); \
         extraction runs at {:.0}% of the bare parser's throughput",
        pages.len() as f64 / parse_best,
        mb / parse_best,
        100.0 * parse_best / best
    );
    // The common Rust choice for comparison: html5ever building a tree through `scraper`, on the
    // same decoded text (rill parses with its own tokenizer and arena tree in `extract::dom`).
    let texts: Vec<String> = pages.iter().map(|p| rill::extract::charset::decode(p).into_owned()).collect();
    let mut h5_best = f64::MAX;
    let mut h5_nodes = 0;
    for _ in 0..3 {
        let start = Instant::now();
        h5_nodes = texts.iter().map(|t| scraper::Html::parse_document(t).tree.nodes().count()).sum::<usize>();
        h5_best = h5_best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "html5ever (scraper::Html::parse_document, tree only): best of 3: {h5_best:.3} s = {:.0} pages/s, \
         {:.1} MB/s ({h5_nodes} nodes); rill's whole extraction runs at {:.0}% of html5ever's bare parse",
        pages.len() as f64 / h5_best,
        mb / h5_best,
        100.0 * h5_best / best
    );
}
