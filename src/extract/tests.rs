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
