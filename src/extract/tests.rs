//! Rule-by-rule tests of the extractor on small pages written for each rule.

use super::*;

fn page(body: &str) -> String {
    format!("<!doctype html><html lang=en><head><title>T</title></head><body>{body}</body></html>")
}

const P: &str =
    "This sentence is long enough to count as a real paragraph of the article, with commas, and more words.";

#[test]
fn paragraph_breaks_are_kept() {
    let html = page(&format!("<article><p>{P} the war.</p><p>He said {P}</p></article>"));
    let a = extract_article(html.as_bytes(), None, None);
    assert!(a.text.contains("the war.\n\nHe said"), "{}", a.text);
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
            "{cur} {:?} class={:?} id={:?} drop={} text={} link={}",
            dom.tag(cur),
            dom.attr(cur, "class"),
            dom.attr(cur, "id"),
            sel.drop[cur as usize],
            s.text,
            s.link
        );
        cur = dom.parent(cur);
    }
}
