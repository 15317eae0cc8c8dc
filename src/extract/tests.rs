//! Rule-by-rule tests of the extractor on small pages written for each rule, plus property tests
//! over arbitrary bytes (no panic, bounded time) and hostile shapes (deep nesting, huge lines).

use super::*;
use crate::model::Person;
use proptest::prelude::*;
use std::time::{Duration, Instant};

fn page(head: &str, body: &str) -> String {
    format!("<!doctype html><html lang=en-GB><head>{head}</head><body>{body}</body></html>")
}

/// A paragraph of prose with a distinguishing word.
fn para(tag: &str) -> String {
    format!(
        "<p>The council met on Tuesday to discuss the {tag} budget, and members argued for hours \
         about roads, schools and the state of the river before a vote was finally taken.</p>"
    )
}

fn article_of(paras: &[&str]) -> String {
    paras.iter().map(|t| para(t)).collect()
}

fn extract(html: &str) -> Article {
    extract_article(html.as_bytes(), Url::parse("https://news.example/a/b.html").ok().as_ref(), None)
}

#[test]
fn paragraph_breaks_are_kept() {
    let html = page(
        "",
        "<article><p>It ended the war.</p><p>He said so<br>twice.</p><div>Then a div.</div></article>",
    );
    let a = extract(&html);
    assert!(a.text.contains("the war.\n\nHe said so\ntwice.\n\nThen a div."), "{:?}", a.text);
    assert!(!a.text.contains("war.He"));
}

#[test]
fn double_line_breaks_are_paragraph_breaks() {
    let body = "<div class=post>First paragraph of an old page, with commas, and enough words to count as prose.<br><br>\
        Second paragraph, also long enough, with commas, to count as the article's prose text.<br>Same paragraph.</div>";
    let a = extract(&page("", body));
    assert!(a.text.contains("prose.\n\nSecond paragraph"), "{:?}", a.text);
    assert!(a.text.contains("prose text.\nSame paragraph."), "{:?}", a.text);
}

#[test]
fn structure_headings_lists_quotes() {
    let body = format!(
        "<article>{}<h2>Second part</h2><ul><li>one item</li><li>two item</li></ul><blockquote><p>A quote here.</p></blockquote>{}</article>",
        article_of(&["alpha", "beta"]),
        article_of(&["gamma"])
    );
    let a = extract(&page("", &body));
    assert!(
        a.text.contains("\n\nSecond part\n\n- one item\n\n- two item\n\nA quote here.\n\n"),
        "{:?}",
        a.text
    );
    assert!(a.html.contains("<h2>Second part</h2><ul><li>one item</li>"), "{}", a.html);
    assert!(a.html.contains("<blockquote><p>A quote here.</p></blockquote>"), "{}", a.html);
}

#[test]
fn captions_of_media_are_dropped() {
    let body = format!(
        "<article>{}<figure><img src=/a.jpg><figcaption>A file photo of an unrelated bridge at dusk.</figcaption></figure>{}</article>",
        article_of(&["alpha", "beta"]),
        article_of(&["gamma"])
    );
    let a = extract(&page("", &body));
    assert!(a.text.contains("gamma") && !a.text.contains("bridge"), "{}", a.text);
}

#[test]
fn related_articles_box_is_dropped() {
    let body = format!(
        "<article>{}<div class=\"related-articles\"><h3>Related</h3><ul><li><a href=/x>Other story one</a></li>\
         <li><a href=/y>Other story two</a></li></ul></div>{}</article>",
        article_of(&["alpha", "beta"]),
        article_of(&["gamma"])
    );
    let a = extract(&page("", &body));
    assert!(a.text.contains("gamma"));
    assert!(!a.text.contains("Other story"), "{}", a.text);
}

#[test]
fn link_lists_without_class_names_are_dropped() {
    let body = format!(
        "<div>{}<ul><li><a href=/1>Read this other thing now</a></li><li><a href=/2>And this one as well</a></li></ul>\
         <p><a href=/3>You may also like this teaser headline</a></p></div>",
        article_of(&["alpha", "beta", "gamma"])
    );
    let a = extract(&page("", &body));
    assert!(a.text.contains("gamma"));
    assert!(!a.text.contains("other thing") && !a.text.contains("teaser"), "{}", a.text);
}

#[test]
fn comment_section_is_dropped() {
    let body = format!(
        "<article><div class=story>{}</div><section id=comments><h2>42 comments</h2>\
         <div class=comment><p>I disagree with this, strongly, and at length, because the budget is wrong and the roads are fine.</p></div></section></article>",
        article_of(&["alpha", "beta", "gamma"])
    );
    let a = extract(&page("", &body));
    assert!(a.text.contains("gamma"));
    assert!(!a.text.contains("disagree") && !a.text.contains("42 comments"), "{}", a.text);
}

#[test]
fn navigation_banners_and_newsletter_boxes_are_dropped() {
    let body = format!(
        "<header><nav><a href=/>Home</a> <a href=/world>World</a></nav></header>\
         <div id=cookie-banner>We use cookies to improve your experience on this site, okay?</div>\
         <main><h1>Budget</h1>{}<div class=newsletter-signup><p>Get our daily newsletter in your inbox, every morning, for free.</p></div></main>\
         <footer>Copyright 2024 Example News</footer>",
        article_of(&["alpha", "beta", "gamma"])
    );
    let a = extract(&page("<title>Budget | Example News</title>", &body));
    assert!(a.text.starts_with("The council"), "{}", a.text);
    for junk in ["Home", "cookies", "newsletter", "Copyright"] {
        assert!(!a.text.contains(junk), "{junk} in {}", a.text);
    }
}

#[test]
fn json_ld_dates_and_authors() {
    let head = r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},
        {"@type":"NewsArticle","headline":"Council passes budget","datePublished":"2024-03-05T10:30:00+01:00",
         "dateModified":"2024-03-05T12:00:00Z","author":[{"@type":"Person","name":"Ann Writer"},{"@type":"Person","name":"Bo Scribe"}],
         "publisher":{"@type":"Organization","name":"Example News"}}]}</script>
        <meta property="article:published_time" content="2020-01-01T00:00:00Z">"#;
    let a = extract(&page(head, &article_of(&["alpha", "beta"])));
    assert_eq!(a.published.map(|d| d.to_rfc3339()), Some("2024-03-05T09:30:00+00:00".into()));
    assert_eq!(a.modified.map(|d| d.to_rfc3339()), Some("2024-03-05T12:00:00+00:00".into()));
    assert_eq!(a.authors, vec!["Ann Writer", "Bo Scribe"]);
    assert_eq!(a.title.as_deref(), Some("Council passes budget"));
    assert_eq!(a.site_name.as_deref(), Some("Example News"));
    assert_eq!(a.language.as_deref(), Some("en"));
}

#[test]
fn json_ld_escapes_numbers_and_repeated_keys() {
    // Escaped strings are decoded, numbers and nulls are skipped over, and a repeated key means
    // its last value (as JSON parsers read it).
    let head = r#"<script type="application/ld+json">[{"@type":["Thing","NewsArticle"],"wordCount":812,"isFree":true,
        "x":null,"headline":"Draft","headline":"Caf\u00e9 \"owners\" win","author":{"name":"Ann \/ Writer"},
        "image":{"url":"https:\/\/news.example\/lead.jpg","width":1200.5}}]</script>"#;
    let a = extract(&page(head, &article_of(&["alpha", "beta"])));
    assert_eq!(a.title.as_deref(), Some("Café \"owners\" win"));
    assert_eq!(a.authors, vec!["Ann / Writer"]);
    assert_eq!(a.image.as_deref(), Some("https://news.example/lead.jpg"));
}

#[test]
fn meta_tags_and_time_elements_when_no_json_ld() {
    let head = r#"<meta property="og:site_name" content="Example News"><meta name="description" content="What the council did.">
        <meta property="og:image" content="/img/lead.jpg"><link rel="canonical" href="/a/b.html?utm=x">"#;
    let body = format!("<article><time datetime=\"2024-03-05\">5 March</time><span class=byline>By Ann Writer</span>{}</article>", article_of(&["alpha", "beta"]));
    let a = extract(&page(head, &body));
    assert_eq!(a.published.map(|d| d.to_rfc3339()), Some("2024-03-05T00:00:00+00:00".into()));
    assert_eq!(a.authors, vec!["Ann Writer"]);
    assert_eq!(a.image.as_deref(), Some("https://news.example/img/lead.jpg"));
    assert_eq!(a.canonical_url.as_deref(), Some("https://news.example/a/b.html?utm=x"));
    assert_eq!(a.description.as_deref(), Some("What the council did."));
    assert!(!a.text.contains("Ann Writer"));
}

#[test]
fn title_suffix_is_removed() {
    let head = "<title>Council passes budget | Example News</title><meta property=og:site_name content=\"Example News\">";
    assert_eq!(extract(&page(head, &para("a"))).title.as_deref(), Some("Council passes budget"));
    let head = "<title>Council passes budget - Example News</title>";
    let a = extract(&page(head, &para("a")));
    assert_eq!(a.title.as_deref(), Some("Council passes budget"));
    assert_eq!(a.site_name.as_deref(), Some("Example News"));
    let head = "<title>Example News — Council passes budget</title><meta property=og:site_name content=\"Example News\">";
    assert_eq!(extract(&page(head, &para("a"))).title.as_deref(), Some("Council passes budget"));
    // A dash inside a headline is not a suffix.
    let head = "<title>Pay rise - or not - for teachers</title>";
    assert_eq!(extract(&page(head, &para("a"))).title.as_deref(), Some("Pay rise - or not - for teachers"));
}

#[test]
fn relative_links_are_made_absolute_and_html_is_sanitised() {
    let body = format!(
        "<article>{}<p onclick=\"evil()\" style=\"color:red\">See <a href=\"../docs/report.pdf\" onmouseover=x>the report</a>, \
         <a href=\"javascript:alert(1)\">this</a> and <img src=\"/i.png\" onerror=x alt=\"a &amp; b\">, again and again, for the record.</p>\
         <script>alert(1)</script><style>p{{}}</style></article>",
        article_of(&["alpha", "beta"])
    );
    let a = extract(&page("", &body));
    assert!(a.html.contains("<a href=\"https://news.example/docs/report.pdf\">the report</a>"), "{}", a.html);
    assert!(a.html.contains("<img src=\"https://news.example/i.png\" alt=\"a &amp; b\">"), "{}", a.html);
    for bad in ["javascript", "onclick", "onmouseover", "onerror", "style", "script", "alert"] {
        assert!(!a.html.contains(bad), "{bad} in {}", a.html);
    }
    // <base href> wins over the page URL.
    let html = page("<base href=\"https://cdn.example/x/\">", &format!("<article>{}<p>A long sentence with <a href=\"y\">a link</a> in it, to show how links resolve against the base.</p></article>", article_of(&["a", "b"])));
    assert!(extract(&html).html.contains("href=\"https://cdn.example/x/y\""));
}

#[test]
fn evidence_from_the_feed_finds_the_article() {
    // Two equal blocks of prose: the feed's summary says which one is the article.
    let body = format!(
        "<div class=box>{}</div><div class=box>{}</div>",
        article_of(&["alpha", "beta"]),
        "<p>Meanwhile the football club signed a new striker from abroad, and fans, players and coaches all said it was a fine day.</p>".repeat(2)
    );
    let entry = Entry {
        summary: Some("the football club signed a new striker from abroad".into()),
        ..Default::default()
    };
    let a = extract_article(page("", &body).as_bytes(), None, Some(&entry));
    assert!(a.text.contains("striker"), "{}", a.text);
}

#[test]
fn charset_from_meta() {
    let mut bytes = b"<html><head><meta charset=windows-1252></head><body><article>".to_vec();
    bytes.extend_from_slice(
        b"<p>Caf\xe9 society \x96 a long paragraph, with commas, that is the article text for this page.</p>",
    );
    bytes.extend_from_slice(b"</article></body></html>");
    let a = extract_article(&bytes, None, None);
    assert!(a.text.contains("Café society – a long"), "{}", a.text);
}

fn entry_with(content: &str) -> Entry {
    Entry {
        id: "1".into(),
        title: Some("Feed title".into()),
        link: Some("https://news.example/a".into()),
        content: Some(content.into()),
        authors: vec![Person { name: Some("Feed Author".into()), ..Default::default() }],
        ..Default::default()
    }
}

#[test]
fn article_from_entry_has_paragraphs_and_clean_html() {
    let e = entry_with("<p>First para.</p><p>Second <a href=/x>link</a>.</p><script>x()</script>");
    let a = article_from_entry(&e);
    assert_eq!(a.text, "First para.\n\nSecond link.");
    assert_eq!(a.html, "<p>First para.</p><p>Second <a href=\"https://news.example/x\">link</a>.</p>");
    assert_eq!(a.source, ContentSource::Feed);
    assert_eq!(a.authors, vec!["Feed Author"]);
}

#[test]
fn choose_article_prefers_the_richer_source() {
    let long_feed = entry_with(&"<p>word word word word word word word word word word.</p>".repeat(40));
    let short_page = Article {
        text: "Subscribe to read. ".repeat(3),
        word_count: 9,
        source: ContentSource::Page,
        ..Default::default()
    };
    assert_eq!(choose_article(Some(short_page), &long_feed).source, ContentSource::Feed);
    assert_eq!(choose_article(None, &long_feed).source, ContentSource::Feed);

    let summary_feed = entry_with("<p>A short teaser of the story.</p>");
    let full_page = extract(&page("<title>Page title</title>", &article_of(&["a", "b", "c", "d"])));
    let chosen = choose_article(Some(full_page), &summary_feed);
    assert_eq!(chosen.source, ContentSource::Page);
    assert!(chosen.text.contains("council"));

    let full_feed = entry_with(
        &"<p>The harbour reopened on Monday after three weeks of repairs, officials said today.</p>"
            .repeat(12),
    );
    let other_block = extract(&page("", &article_of(&["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"])));
    assert!(other_block.word_count > full_feed.content.as_deref().map_or(0, text::word_count));
    assert_eq!(choose_article(Some(other_block), &full_feed).source, ContentSource::Feed);

    let blocked =
        extract(&page("", "<p>Access denied. Please enable JavaScript and cookies to continue.</p>"));
    assert_eq!(choose_article(Some(blocked), &summary_feed).source, ContentSource::Feed);
}

#[test]
fn hostile_shapes_are_fast_and_safe() {
    let cases = [
        "<div>".repeat(50_000) + &para("deep") + &"</div>".repeat(50_000),
        "<p>".to_string() + &"word ".repeat(2_000_000),
        "<a>".repeat(100_000),
        "</div>".repeat(100_000) + "<p>x</p>",
        "<table>".repeat(30_000) + &"<td>".repeat(30_000),
        "<li>".repeat(50_000),
        "&#".repeat(100_000) + "&amp" + &"&".repeat(100_000),
        format!("<script type=application/ld+json>{}</script>", "[".repeat(100_000)),
        "<".repeat(200_000) + &"<!--".repeat(1000),
        format!("<div class=\"{}\">x</div>", "a".repeat(1_000_000)),
        "<div class=author>".repeat(50_000),
        "<div class=story><figure>".repeat(30_000) + &para("x").repeat(1000),
        "<header><h1>".repeat(30_000),
    ];
    for html in cases {
        let start = Instant::now();
        let a = extract_article(html.as_bytes(), None, None);
        let limit = Duration::from_secs(if cfg!(debug_assertions) { 60 } else { 3 });
        assert!(start.elapsed() < limit, "{} bytes took {:?}", html.len(), start.elapsed());
        let _ = a.text.len();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::fuzz_cases(256), ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let a = extract_article(&bytes, None, None);
        prop_assert_eq!(a.word_count, text::word_count(&a.text));
    }

    #[test]
    fn never_panics_on_tag_soup(parts in proptest::collection::vec(
        prop_oneof![
            Just("<div>"), Just("</div>"), Just("<p>"), Just("</p>"), Just("<li>"), Just("<ul>"), Just("</ul>"),
            Just("<a href=x>"), Just("</a>"), Just("<table><tr><td>"), Just("</table>"), Just("<br>"),
            Just("<script>"), Just("</script>"), Just("<!--"), Just("-->"), Just("<article class=comment>"),
            Just("&amp;"), Just("&#x1F600;"), Just("text, words "), Just("<b>"), Just("</i>"), Just("<svg/>"),
            Just("<h2>"), Just("<blockquote>"), Just("\u{0}"), Just("<img src=/x>"), Just("<"), Just(">"),
        ], 0..400)) {
        let html: String = parts.concat();
        let a = extract_article(html.as_bytes(), Url::parse("https://x.example/").ok().as_ref(), None);
        prop_assert!(!a.html.contains("<script"));
        prop_assert!(!a.text.contains("\n\n\n"));
    }
}

/// Debug aid: `RILL_DEBUG_PAGE=file RILL_DEBUG_TEXT=needle cargo test --lib debug_page -- --ignored --nocapture`
/// prints the ancestors of the text node holding the needle and whether each is dropped.
#[test]
#[ignore]
fn debug_page() {
    let (Ok(path), Ok(needle)) = (std::env::var("RILL_DEBUG_PAGE"), std::env::var("RILL_DEBUG_TEXT")) else {
        return;
    };
    let bytes = std::fs::read(path).unwrap_or_default();
    let src = charset::decode(&bytes);
    let dom = dom::parse(&src);
    let sel = content::select(&dom, &[]);
    println!(
        "roots: {:?}",
        sel.roots.iter().map(|&r| (r, dom.tag(r), dom.attr(r, "class"))).collect::<Vec<_>>()
    );
    let Some(t) = (0..dom.nodes.len() as u32).find(|&i| dom.raw_text(i).is_some_and(|s| s.contains(&needle)))
    else {
        println!("needle not found");
        return;
    };
    let mut cur = t;
    while cur != dom::NONE {
        let s = sel.stats[cur as usize];
        println!(
            "{cur} {:?} class={:?} id={:?} drop={} text={} link={} good={}",
            dom.tag(cur),
            dom.attr(cur, "class"),
            dom.attr(cur, "id"),
            sel.drop[cur as usize],
            s.text,
            s.link,
            s.good
        );
        cur = dom.parent(cur);
    }
}

#[test]
fn headline_byline_and_date_lines_above_the_text_are_dropped() {
    let body = format!(
        "<article><h1>Council passes budget</h1><p>By Ann Writer</p><p>Updated: Sat 8:31 PM, Feb 17, 2018</p>{}</article>",
        article_of(&["alpha", "beta", "gamma"])
    );
    let a = extract(&page("", &body));
    assert!(a.text.starts_with("The council met"), "{}", a.text);
}

#[test]
fn json_ld_article_body_rescues_a_wrong_pick() {
    let story = "The harbour reopened on Monday after three weeks of repairs to the sea wall, and fishermen said the catch was good. ".repeat(12);
    let head = format!(
        r#"<script type="application/ld+json">{{"@type":"NewsArticle","headline":"Harbour","articleBody":"{story}"}}</script>"#
    );
    // The page renders the story with script only; the visible prose is an unrelated promo block.
    let body = "<div class=x>".to_string() + &article_of(&["alpha", "beta", "gamma", "delta"]) + "</div>";
    let a = extract(&page(&head, &body));
    assert!(a.text.contains("harbour reopened"), "{}", a.text);
    assert!(a.html.starts_with("<p>The harbour"), "{}", a.html);
}
