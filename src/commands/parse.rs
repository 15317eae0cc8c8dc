//! `rill parse`: one saved feed, parsed exactly as the daemon parses it, printed as JSON.

use crate::feed::{parse_feed, FeedSource};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `rill parse`.
#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// The address the feed was fetched from (base for relative links).
    #[arg(long)]
    pub url: Option<String>,
    /// The HTTP Content-Type the feed was served with (its charset counts).
    #[arg(long)]
    pub content_type: Option<String>,
    /// Print JSON (the only output format).
    #[arg(long)]
    pub json: bool,
    /// The saved feed.
    pub file: PathBuf,
}

pub fn run(args: &ParseArgs) -> anyhow::Result<ExitCode> {
    let feed = match read_and_parse(args) {
        Ok(feed) => feed,
        Err(e) => {
            // Any failure (unreadable file, bad --url, a document that is not a feed) is this
            // command's ordinary failure: exit 1, one line on stderr.
            eprintln!("rill parse: {}", e.replace('\n', " "));
            return Ok(ExitCode::from(1));
        }
    };
    // A closed pipe (`rill parse … | head`) surfaces as an io::Error, which main maps to 0.
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string_pretty(&feed_json(&feed))?)?;
    Ok(ExitCode::SUCCESS)
}

fn read_and_parse(args: &ParseArgs) -> Result<crate::model::ParsedFeed, String> {
    let file = args.file.display();
    let bytes = std::fs::read(&args.file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let base = match &args.url {
        Some(u) => Some(url::Url::parse(u).map_err(|e| format!("--url {u:?} is not an absolute URL: {e}"))?),
        None => None,
    };
    let source = FeedSource { url: base.as_ref(), content_type: args.content_type.as_deref() };
    parse_feed(&bytes, &source).map_err(|e| format!("{file}: {e}"))
}

/// The JSON shape `rill parse` prints: the feed's title and link and its entries, timestamps in
/// RFC 3339 UTC, missing values `null` or `[]`.
pub fn feed_json(feed: &crate::model::ParsedFeed) -> serde_json::Value {
    let entries: Vec<_> = feed
        .entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "id": e.id,
                "link": e.link,
                "title": e.title,
                "summary": e.summary,
                "content": e.content,
                "authors": e.authors,
                "published": e.published.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                "updated": e.updated.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                "categories": e.categories,
                "enclosures": e.enclosures,
            })
        })
        .collect();
    serde_json::json!({ "title": feed.title, "link": feed.link, "entries": entries })
}
