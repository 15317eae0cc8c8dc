//! The types that travel between stages.
//!
//! Every stage consumes and produces these, and nothing else: the feed parser produces a
//! [`ParsedFeed`] of [`Entry`] values, the extractor turns a page into an [`Article`], the enricher
//! turns an article's text into an [`Enrichment`]. The store maps them to rows. Types here hold
//! plain owned data, with no behaviour that needs the network, the clock or the database.
//!
//! Words: an **entry** is an item of a feed; an **article** is what rill stores for one entry
//! (identified by its canonical URL or its feed id), with the text extracted from its page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A feed as the parser understood it: its own metadata and its entries, in document order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ParsedFeed {
    /// The feed's title, plain text.
    pub title: Option<String>,
    /// The feed's web site (its `link`), absolute.
    pub link: Option<String>,
    /// Entries in document order.
    pub entries: Vec<Entry>,
    /// Publishing hints the feed gives its readers (used by the scheduler).
    pub hints: FeedHints,
}

/// What a feed says about how often it should be polled.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedHints {
    /// RSS `<ttl>`, in minutes.
    pub ttl_minutes: Option<u32>,
    /// `sy:updatePeriod` / `sy:updateFrequency` expressed as one interval, in seconds.
    pub update_interval_secs: Option<u64>,
    /// RSS `<skipHours>`: hours of the day (0–23, GMT) in which not to poll.
    pub skip_hours: Vec<u8>,
    /// RSS `<skipDays>`: days (0 = Monday … 6 = Sunday) on which not to poll.
    pub skip_days: Vec<u8>,
}

/// One item of a feed, normalised.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The entry's id: its guid (RSS) or id (Atom, JSON Feed) when the feed gives one, else a
    /// stable id derived from its link, else from its content (never random).
    pub id: String,
    /// True when `id` came from the feed itself (guid/id element), false when rill derived it.
    pub id_from_feed: bool,
    /// The entry's link, absolute.
    pub link: Option<String>,
    /// Title, plain text.
    pub title: Option<String>,
    /// Summary (description), sanitised HTML.
    pub summary: Option<String>,
    /// Full content (`content:encoded`, Atom content), sanitised HTML.
    pub content: Option<String>,
    pub authors: Vec<Person>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub categories: Vec<String>,
    pub enclosures: Vec<Enclosure>,
}

/// A person named by a feed (author, contributor).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: Option<String>,
    pub email: Option<String>,
    pub uri: Option<String>,
}

/// A media file attached to an entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enclosure {
    pub url: String,
    #[serde(rename = "type")]
    pub mime_type: Option<String>,
    pub length: Option<u64>,
}

/// Where an article's text came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContentSource {
    /// Extracted from the article's web page.
    Page,
    /// Taken from the feed entry (page unavailable, blocked, or poorer than the feed).
    #[default]
    Feed,
}

impl ContentSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ContentSource::Page => "page",
            ContentSource::Feed => "feed",
        }
    }
}

/// The article extracted from a web page (or, as a fallback, from the feed entry).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Title without a " | Site" suffix.
    pub title: Option<String>,
    /// Bylines, in page order.
    pub authors: Vec<String>,
    pub published: Option<DateTime<Utc>>,
    pub modified: Option<DateTime<Utc>>,
    pub site_name: Option<String>,
    /// The page's canonical URL (`rel=canonical`, `og:url`), absolute.
    pub canonical_url: Option<String>,
    /// Language tag the page declares or that was detected (for example "en").
    pub language: Option<String>,
    /// Lead image, absolute URL.
    pub image: Option<String>,
    pub description: Option<String>,
    /// The main text: paragraphs separated by a blank line.
    pub text: String,
    /// The same content as sanitised HTML with absolute links.
    pub html: String,
    pub word_count: usize,
    pub source: ContentSource,
}

/// Kind of a named entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityKind {
    Person,
    Organization,
    Location,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "PERSON",
            EntityKind::Organization => "ORGANIZATION",
            EntityKind::Location => "LOCATION",
        }
    }
}

/// A person, organisation or place named in an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Canonical name for this article (the fullest form the text gives).
    pub name: String,
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// Role or title the text gives ("US Secretary of State").
    pub role: Option<String>,
    /// Other forms in the text that refer to it ("Blinken").
    pub aliases: Vec<String>,
    pub mentions: u32,
    /// Character offset (in Unicode scalar values) of the first mention.
    pub first_offset: usize,
}

/// A direct quotation with its speaker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// The text between the quotation marks.
    pub text: String,
    /// Canonical name of the speaker (an [`Entity::name`]), when attributed.
    pub speaker: Option<String>,
    /// Character offsets (Unicode scalar values) of the quoted text, end exclusive.
    pub start: usize,
    pub end: usize,
}

/// Facts extracted from an article's text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Enrichment {
    /// ISO 639-1 code of the detected language, when confident.
    pub language: Option<String>,
    /// Whether the language-specific rules (quote attribution, roles) applied to this text.
    pub rules_applied: bool,
    pub entities: Vec<Entity>,
    pub quotes: Vec<Quote>,
}
