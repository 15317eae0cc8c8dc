//! Parse throughput: rill's `parse_feed` beside raw feed-rs on the same inputs.
//!
//! Two workloads, generated deterministically so the figures are reproducible: one large RSS
//! feed (thousands of items with HTML descriptions and `content:encoded`), and many small feeds
//! (RSS 2.0, Atom and RSS 1.0 in turn, ten entries each). Descriptions use relative links (the
//! sanitiser rewrites them), full content absolute ones (already clean). Prints MB/s and entries/s for each
//! parser. Run with `cargo bench --bench parse` (a plain `harness = false` binary, no extra
//! dependencies).

use rill::feed::{parse_feed, FeedSource};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// How long each measurement runs at least.
const MIN_TIME: Duration = Duration::from_secs(2);

/// An entry's HTML; `root` is "" for relative links (which the sanitiser must rewrite) or an
/// absolute site address (HTML that is already clean).
fn html_body(i: usize, root: &str) -> String {
    format!(
        "<p>Paragraph {i} with <a href=\"{root}/article/{i}\">a link</a>, <b>bold</b> &amp; <i>italic</i> text.</p>\
         <p>Second paragraph: Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor \
         incididunt ut labore et dolore magna aliqua. <img src=\"{root}/img/{i}.jpg\" alt=\"photo\"></p>"
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn rss(items: usize, seed: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>Bench feed</title><link>http://example.com/</link>\
         <description>Bench</description><ttl>30</ttl>\n",
    );
    for i in 0..items {
        let n = seed * 100_000 + i;
        s.push_str(&format!(
            "<item><title>Story number {n} &amp; more</title><link>http://example.com/story/{n}</link>\
             <guid isPermaLink=\"false\">story-{n}</guid><pubDate>Mon, 0{} Jan 2024 1{}:30:00 GMT</pubDate>\
             <dc:creator>Reporter {}</dc:creator><category>News</category><category>World</category>\
             <description>{}</description><content:encoded><![CDATA[{}{}]]></content:encoded>\
             <enclosure url=\"http://example.com/a/{n}.mp3\" type=\"audio/mpeg\" length=\"1000\"/></item>\n",
            1 + i % 9,
            i % 10,
            i % 50,
            escape(&html_body(n, "")),
            html_body(n, "http://example.com"),
            html_body(n + 1, "http://example.com"),
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}

fn atom(entries: usize, seed: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Atom bench</title>\
         <link href=\"http://example.org/\"/><id>urn:bench</id><updated>2024-01-01T00:00:00Z</updated>\n",
    );
    for i in 0..entries {
        let n = seed * 100_000 + i;
        s.push_str(&format!(
            "<entry><title type=\"html\">Entry {n} &lt;em&gt;x&lt;/em&gt;</title><link href=\"http://example.org/e/{n}\"/>\
             <id>tag:example.org,2024:{n}</id><updated>2024-01-0{}T10:00:00Z</updated><published>2024-01-01T09:00:00+01:00</published>\
             <author><name>Author {}</name><email>a{}@example.org</email></author><category term=\"tech\"/>\
             <summary>Summary of entry {n}</summary><content type=\"html\">{}</content></entry>\n",
            1 + i % 9,
            i % 7,
            i % 7,
            escape(&html_body(n, "http://example.org")),
        ));
    }
    s.push_str("</feed>\n");
    s
}

fn rdf(items: usize, seed: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel rdf:about=\"http://example.net/\"><title>RDF bench</title>\
         <link>http://example.net/</link><description>d</description></channel>\n",
    );
    for i in 0..items {
        let n = seed * 100_000 + i;
        s.push_str(&format!(
            "<item rdf:about=\"http://example.net/{n}\"><title>RDF {n}</title><link>http://example.net/{n}</link>\
             <description>{}</description><dc:date>2024-01-01T00:00:00Z</dc:date><dc:creator>Ed</dc:creator></item>\n",
            escape(&html_body(n, ""))
        ));
    }
    s.push_str("</rdf:RDF>\n");
    s
}

struct Figures {
    mb_per_s: f64,
    entries_per_s: f64,
}

/// Runs `parse` over all `docs` repeatedly for at least [`MIN_TIME`].
fn measure(docs: &[Vec<u8>], parse: &dyn Fn(&[u8]) -> usize) -> Figures {
    let bytes: usize = docs.iter().map(Vec::len).sum();
    let start = Instant::now();
    let (mut rounds, mut entries) = (0usize, 0usize);
    while start.elapsed() < MIN_TIME || rounds == 0 {
        for d in docs {
            entries += black_box(parse(black_box(d)));
        }
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    Figures { mb_per_s: (bytes * rounds) as f64 / secs / 1e6, entries_per_s: entries as f64 / secs }
}

fn feed_rs_parse(d: &[u8]) -> usize {
    feed_rs::parser::parse(d).map(|f| f.entries.len()).unwrap_or(0)
}

fn rill_parse(d: &[u8]) -> usize {
    parse_feed(d, &FeedSource::default()).map(|f| f.entries.len()).unwrap_or(0)
}

fn main() {
    // `cargo test --benches` runs this binary with `--bench` absent: keep that fast.
    if !std::env::args().any(|a| a == "--bench") {
        let docs = vec![rss(3, 0).into_bytes(), atom(3, 1).into_bytes(), rdf(3, 2).into_bytes()];
        for d in &docs {
            assert_eq!(rill_parse(d), 3);
        }
        println!("parse bench: smoke run ok (use `cargo bench --bench parse` for figures)");
        return;
    }
    let large = vec![rss(5_000, 0).into_bytes()];
    let small: Vec<Vec<u8>> = (0..600)
        .map(|i| match i % 3 {
            0 => rss(10, i),
            1 => atom(10, i),
            _ => rdf(10, i),
        })
        .map(String::into_bytes)
        .collect();
    let mb = |docs: &[Vec<u8>]| docs.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    println!("workload             size        parser    MB/s   entries/s");
    for (name, docs) in [("one large RSS", &large), ("600 small (RSS/Atom/RDF)", &small)] {
        for (pname, f) in [("feed-rs", &feed_rs_parse as &dyn Fn(&[u8]) -> usize), ("rill", &rill_parse)] {
            let fig = measure(docs, f);
            println!(
                "{name:<24} {:>6.2} MB  {pname:<8} {:>6.1}  {:>10.0}",
                mb(docs),
                fig.mb_per_s,
                fig.entries_per_s
            );
        }
    }
}
