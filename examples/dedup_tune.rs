//! Tune and check the dedup stage against the feed farm's `/truth`.
//!
//! Start the farm on loopback with duplicates, then run this tool:
//!
//! ```text
//! python3 ../shared/bench/farm/farm.py --feeds 400 --dup-share 0.3 --latency-ms 0 --port 18471 &
//! cargo run --release --example dedup_tune -- http://127.0.0.2:18471
//! ```
//!
//! It
//! 1. fetches every feed and checks that the canonical URLs of all item links are exactly the
//!    farm's distinct article URLs (tracking-parameter and fragment variants must merge);
//! 2. fetches every article page of `/truth`, takes the text of the `<p>` elements inside
//!    `<article>` (a crude stand-in for the real extractor, good enough for the farm's markup),
//!    computes the fingerprints, and prints pairwise precision and recall of "same story" over
//!    all pairs for several thresholds of `story_score` and of SimHash distance, and for the
//!    `StoryIndex` candidate path at the default threshold.
//!
//! Only loopback addresses are accepted; the number of requests is bounded by the farm's own
//! feed and article lists (and by `--max-articles`).

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use anyhow::{bail, Context};
use futures_util::stream::{self, StreamExt};
use rill::dedup::{
    canonicalize_url, hamming, story_score, CanonOptions, Fingerprints, StoryEvidence, StoryIndex,
    STORY_THRESHOLD,
};

/// Requests in flight at once.
const CONCURRENCY: usize = 8;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let base = args.first().cloned().unwrap_or_else(|| "http://127.0.0.2:18471".into());
    let max_articles: usize = args
        .iter()
        .position(|a| a == "--max-articles")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let base_url = url::Url::parse(&base).context("farm URL")?;
    match base_url.host() {
        Some(url::Host::Ipv4(ip)) if ip.is_loopback() => {}
        _ => bail!("the farm must be on a 127.x.x.x address"),
    }
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(30)).build()?;
    let opts = CanonOptions::default();

    let truth_text = client.get(format!("{base}/truth")).send().await?.text().await?;
    let truth: serde_json::Value = serde_json::from_str(&truth_text)?;
    let articles = truth["articles"].as_object().context("truth.articles")?;
    let mut story_of: Vec<(String, String)> = articles
        .iter()
        .filter_map(|(u, v)| Some((u.clone(), v["story"].as_str()?.to_string())))
        .take(max_articles)
        .collect();
    story_of.sort();
    println!("truth: {} articles, {}", story_of.len(), truth["healthy_feeds"]);

    // 1. Canonical URLs of feed links against the truth.
    let feeds_txt = client.get(format!("{base}/feeds.txt")).send().await?.text().await?;
    let feed_urls: Vec<String> = feeds_txt.lines().map(str::to_string).take(10_000).collect();
    let bodies: Vec<String> = stream::iter(feed_urls.clone())
        .map(|u| {
            let client = client.clone();
            async move { client.get(&u).send().await.ok()?.text().await.ok() }
        })
        .buffer_unordered(CONCURRENCY)
        .filter_map(|b| async move { b })
        .collect()
        .await;
    let truth_canon: HashSet<String> =
        articles.keys().filter_map(|u| canonicalize_url(u, &opts).ok()).map(|u| u.to_string()).collect();
    let mut links = 0usize;
    let mut canon: HashSet<String> = HashSet::new();
    for body in &bodies {
        for link in article_links(body) {
            links += 1;
            if let Ok(u) = canonicalize_url(&link, &opts) {
                canon.insert(u.to_string());
            }
        }
    }
    let missing = truth_canon.difference(&canon).count();
    let extra = canon.difference(&truth_canon).count();
    println!(
        "feeds: {} fetched, {links} item links -> {} canonical URLs; truth {} (missing {missing}, extra {extra})",
        bodies.len(),
        canon.len(),
        truth_canon.len()
    );

    // 2. Fingerprints of every article page.
    let t0 = Instant::now();
    let pages: Vec<(usize, Option<String>)> =
        stream::iter(story_of.iter().map(|(u, _)| u.clone()).enumerate())
            .map(|(i, u)| {
                let client = client.clone();
                async move {
                    let text = async { client.get(&u).send().await.ok()?.text().await.ok() }.await;
                    (i, text.map(|h| crude_article_text(&h)))
                }
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
    println!("pages: {} fetched in {:.1} s", pages.len(), t0.elapsed().as_secs_f64());
    let mut texts: Vec<Option<String>> = vec![None; story_of.len()];
    for (i, t) in pages {
        if let Some(slot) = texts.get_mut(i) {
            *slot = t;
        }
    }
    let t1 = Instant::now();
    let items: Vec<(StoryEvidence, &str)> = texts
        .iter()
        .zip(story_of.iter())
        .filter_map(|(t, (_, s))| Some((StoryEvidence::from(&Fingerprints::of(t.as_ref()?)), s.as_str())))
        .collect();
    let words: usize = texts.iter().flatten().map(|t| t.split_whitespace().count()).sum();
    println!("fingerprints: {} articles, {words} words in {:.3} s", items.len(), t1.elapsed().as_secs_f64());

    // All pairs: scores and distances of the same-story pairs and of the others.
    let n = items.len();
    let mut pos_scores = Vec::new();
    let mut neg_scores = Vec::new();
    let mut pos_dist = Vec::new();
    let mut neg_dist_hist: HashMap<u32, usize> = HashMap::new();
    for i in 0..n {
        for j in i + 1..n {
            let (a, sa) = &items[i];
            let (b, sb) = &items[j];
            let score = story_score(a, b);
            let d = hamming(a.simhash, b.simhash);
            if sa == sb {
                pos_scores.push(score);
                pos_dist.push(d);
            } else {
                if score > 0.0 {
                    neg_scores.push(score);
                }
                *neg_dist_hist.entry(d).or_default() += 1;
            }
        }
    }
    let total_pos = pos_scores.len();
    println!("pairs: {} same-story, {} other", total_pos, n * (n - 1) / 2 - total_pos);
    println!("| rule | TP | FP | FN | precision | recall |");
    println!("|---|---|---|---|---|---|");
    for t in [0.2f32, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] {
        let tp = pos_scores.iter().filter(|&&s| s >= t).count();
        let fp = neg_scores.iter().filter(|&&s| s >= t).count();
        row(&format!("story_score >= {t}"), tp, fp, total_pos);
    }
    for d in [3u32, 6, 10, 14] {
        let tp = pos_dist.iter().filter(|&&x| x <= d).count();
        let fp: usize = neg_dist_hist.iter().filter(|(&k, _)| k <= d).map(|(_, v)| v).sum();
        row(&format!("simhash hamming <= {d}"), tp, fp, total_pos);
    }
    let max_neg = neg_scores.iter().copied().fold(0.0f32, f32::max);
    let min_pos = pos_scores.iter().copied().fold(1.0f32, f32::min);
    let mut sorted = pos_dist.clone();
    sorted.sort_unstable();
    println!(
        "same-story score min {min_pos:.3}; other-pair score max {max_neg:.3}; same-story simhash distance median {} max {}",
        sorted.get(sorted.len() / 2).copied().unwrap_or(0),
        sorted.last().copied().unwrap_or(0)
    );

    // Harder copies than the farm makes: for a sample of articles, a "republished" copy that
    // drops the first and last paragraphs, adds an intro and an ending taken from two other
    // articles, and swaps 1 word in 30. Recall = copies that score >= t against their
    // original; false positives = copies that score >= t against any other sampled article.
    println!("\nharder synthetic copies (first+last paragraph replaced, 1 word in 30 changed):");
    let sample: Vec<(&String, &str)> = texts
        .iter()
        .zip(story_of.iter())
        .filter_map(|(t, (_, st))| Some((t.as_ref()?, st.as_str())))
        .filter(|(t, _)| t.split("\n\n").count() >= 5)
        .take(1500)
        .collect();
    let mut x = 0x1234_5678u64;
    let mut copy_scores = Vec::new();
    let mut copies = Vec::new();
    let mut cross_max = Vec::new();
    let originals: Vec<StoryEvidence> = sample.iter().map(|(t, _)| StoryEvidence::from_text(t)).collect();
    for (i, (t, story)) in sample.iter().enumerate() {
        let paras: Vec<&str> = t.split("\n\n").collect();
        let donor_a = sample[(i + 1) % sample.len()].0.split("\n\n").next().unwrap_or("");
        let donor_b = sample[(i + 2) % sample.len()].0.split("\n\n").last().unwrap_or("");
        let middle = paras[1..paras.len() - 1].join("\n\n");
        let edited: Vec<String> = middle
            .split(' ')
            .map(|w| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                if (x >> 33).is_multiple_of(30) {
                    "changed".to_string()
                } else {
                    w.to_string()
                }
            })
            .collect();
        let copy = format!("{donor_a}\n\n{}\n\n{donor_b}", edited.join(" "));
        let ev = StoryEvidence::from_text(&copy);
        copy_scores.push(story_score(&ev, &originals[i]));
        copies.push(ev.clone());
        let worst = originals
            .iter()
            .enumerate()
            .filter(|(j, _)| sample[*j].1 != *story)
            .map(|(_, o)| story_score(&ev, o))
            .fold(0.0f32, f32::max);
        cross_max.push(worst);
    }
    println!("| threshold | copies found (recall) | copies matching an article of another story |");
    println!("|---|---|---|");
    for t in [0.3f32, 0.4, 0.5, 0.6, 0.7] {
        let found = copy_scores.iter().filter(|&&s| s >= t).count();
        let wrong = cross_max.iter().filter(|&&s| s >= t).count();
        println!(
            "| {t} | {found}/{} ({:.4}) | {wrong} |",
            copy_scores.len(),
            found as f64 / copy_scores.len().max(1) as f64
        );
    }
    // The same copies through the candidate path (LSH recall at these similarities).
    let mut originals_index = StoryIndex::with_capacity(originals.len());
    for (i, o) in originals.iter().enumerate() {
        originals_index.insert(i as i64, o.clone());
    }
    let via_index = copies
        .iter()
        .enumerate()
        .filter(|(i, c)| originals_index.query(c, STORY_THRESHOLD).iter().any(|(id, _)| *id == *i as i64))
        .count();
    println!(
        "StoryIndex + story_score >= {STORY_THRESHOLD}: {via_index}/{} copies find their original",
        copies.len()
    );
    let min_copy = copy_scores.iter().copied().fold(1.0f32, f32::min);
    let max_cross = cross_max.iter().copied().fold(0.0f32, f32::max);
    println!("copy score min {min_copy:.3}; best wrong match {max_cross:.3}\n");

    // The candidate path: StoryIndex lookups, then story_score >= STORY_THRESHOLD.
    let mut index = StoryIndex::with_capacity(n);
    let t2 = Instant::now();
    let (mut tp, mut fp) = (0usize, 0usize);
    for (i, (ev, story)) in items.iter().enumerate() {
        for (id, _) in index.query(ev, STORY_THRESHOLD) {
            match items.get(id as usize) {
                Some((_, s)) if s == story => tp += 1,
                _ => fp += 1,
            }
        }
        index.insert(i as i64, ev.clone());
    }
    row(&format!("StoryIndex + story_score >= {STORY_THRESHOLD}"), tp, fp, total_pos);
    println!("index: {n} query+insert in {:.3} s", t2.elapsed().as_secs_f64());
    Ok(())
}

fn row(rule: &str, tp: usize, fp: usize, total_pos: usize) {
    let p = if tp + fp == 0 { 1.0 } else { tp as f64 / (tp + fp) as f64 };
    let r = if total_pos == 0 { 1.0 } else { tp as f64 / total_pos as f64 };
    println!("| {rule} | {tp} | {fp} | {} | {p:.4} | {r:.4} |", total_pos - tp);
}

/// Absolute article links in a feed body (RSS, Atom or JSON Feed), XML-unescaped.
fn article_links(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find("http://") {
        let tail = &rest[i..];
        let end = tail.find(['<', '"', ' ', '\n']).unwrap_or(tail.len());
        let link = tail[..end].replace("&amp;", "&");
        if link.contains("/articles/") {
            out.push(link);
        }
        rest = &tail[end..];
    }
    out
}

/// The text of the `<p>` elements inside the first `<article>` (or the whole page): a crude
/// stand-in for the extractor, enough for the farm's pages.
fn crude_article_text(html: &str) -> String {
    let start = html.find("<article").unwrap_or(0);
    let end = html[start..].find("</article>").map_or(html.len(), |e| start + e);
    let mut region = &html[start..end];
    let mut paras = Vec::new();
    while let Some(i) = region.find("<p") {
        let after = &region[i + 2..];
        if !after.starts_with('>') && !after.starts_with(' ') {
            region = after;
            continue;
        }
        let Some(open_end) = after.find('>') else { break };
        let body = &after[open_end + 1..];
        let close = body.find("</p>").unwrap_or(body.len());
        paras.push(decode_entities(&strip_tags(&body[..close])));
        region = &body[close..];
    }
    paras.join("\n\n")
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
