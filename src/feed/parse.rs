//! Bytes → [`ParsedFeed`] through feed-rs.

use crate::model::{Enclosure, Entry, ParsedFeed, Person};
use sha2::{Digest, Sha256};
use url::Url;

/// What the caller knows about where the bytes came from.
#[derive(Debug, Clone, Default)]
pub struct FeedSource<'a> {
    /// The address the feed was fetched from (after redirects): the base for relative links.
    pub url: Option<&'a Url>,
    /// The HTTP `Content-Type` header, whose charset parameter counts.
    pub content_type: Option<&'a str>,
}

/// Why a document could not be read as a feed.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("not a feed: {0}")]
    NotAFeed(String),
}

/// Parses one feed document.
pub fn parse_feed(bytes: &[u8], source: &FeedSource<'_>) -> Result<ParsedFeed, ParseError> {
    let base = source.url.map(|u| u.as_str());
    let parsed = feed_rs::parser::Builder::new()
        .base_uri(base)
        .build()
        .parse(bytes)
        .map_err(|e| ParseError::NotAFeed(e.to_string()))?;
    let feed_base = source.url.cloned();
    let resolve = |href: &str| -> String {
        match &feed_base {
            Some(b) => b.join(href).map(String::from).unwrap_or_else(|_| href.to_string()),
            None => href.to_string(),
        }
    };
    let entries = parsed
        .entries
        .into_iter()
        .map(|e| {
            let link = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(e.links.first())
                .map(|l| resolve(&l.href));
            let title = e.title.map(|t| t.content);
            let summary = e.summary.map(|t| t.content);
            let content = e.content.and_then(|c| c.body);
            let (id, id_from_feed) = if !e.id.is_empty() && !looks_generated(&e.id) {
                (e.id.clone(), true)
            } else if let Some(l) = &link {
                (l.clone(), false)
            } else {
                let mut h = Sha256::new();
                for part in [&title, &summary, &content].into_iter().flatten() {
                    h.update(part.as_bytes());
                    h.update([0]);
                }
                (format!("sha256:{:x}", h.finalize()), false)
            };
            Entry {
                id,
                id_from_feed,
                link,
                title,
                summary,
                content,
                authors: e
                    .authors
                    .into_iter()
                    .map(|p| Person { name: p.name, email: p.email, uri: p.uri })
                    .collect(),
                published: e.published,
                updated: e.updated,
                categories: e.categories.into_iter().map(|c| c.term).collect(),
                enclosures: e
                    .media
                    .into_iter()
                    .flat_map(|m| m.content)
                    .filter_map(|c| {
                        Some(Enclosure {
                            url: resolve(c.url?.as_str()),
                            mime_type: c.content_type.map(|m| m.to_string()),
                            length: c.size,
                        })
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(ParsedFeed {
        title: parsed.title.map(|t| t.content),
        link: parsed.links.first().map(|l| resolve(&l.href)),
        entries,
        hints: Default::default(),
    })
}

/// feed-rs invents an id (a hash) when the document has none; rill derives its own instead.
fn looks_generated(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}
