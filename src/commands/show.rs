//! `rill show ID`: one article with its text, metadata, entities and quotes.

use crate::config::Config;
use crate::store::Store;
use std::io::Write;
use std::process::ExitCode;

/// Arguments of `rill show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The article's id (`id` in `rill tail`).
    pub id: i64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(cfg: &Config, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open_read_only(&cfg.storage.path, cfg.storage.busy_timeout)?;
    let Some(article) = store.article(args.id)? else {
        anyhow::bail!("no article with id {} (ids are in `rill tail` output)", args.id);
    };
    let entities = store.article_entities(args.id)?;
    let quotes = store.article_quotes(args.id)?;
    let siblings = store.story_siblings(args.id)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let siblings: Vec<_> = siblings
            .iter()
            .map(|(id, title, url)| serde_json::json!({"id": id, "title": title, "url": url}))
            .collect();
        let v = serde_json::json!({ "article": article, "entities": entities, "quotes": quotes, "story": siblings });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{}", article.title.as_deref().unwrap_or("(no title)"))?;
    writeln!(out, "{}", article.url)?;
    let meta = [
        ("published", article.published.clone()),
        ("authors", (!article.authors.is_empty()).then(|| article.authors.join(", "))),
        ("site", article.site_name.clone()),
        ("language", article.language.clone()),
        ("source", article.content_source.clone()),
        ("seq", Some(format!("{} (revision {})", article.seq, article.revision))),
        ("feeds", Some(article.feeds.join(", "))),
    ];
    for (k, v) in meta {
        if let Some(v) = v {
            writeln!(out, "{k:>10}: {v}")?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", article.text.as_deref().unwrap_or(""))?;
    if !entities.is_empty() {
        writeln!(out, "\nEntities:")?;
        for e in &entities {
            let role = e.role.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
            writeln!(out, "  {:<13} {}{role} ×{}", e.kind, e.name, e.mentions)?;
        }
    }
    if !quotes.is_empty() {
        writeln!(out, "\nQuotes:")?;
        for q in &quotes {
            writeln!(out, "  {}: “{}”", q.speaker.as_deref().unwrap_or("(unattributed)"), q.text)?;
        }
    }
    if !siblings.is_empty() {
        writeln!(out, "\nSame story ({}):", article.story_id.unwrap_or_default())?;
        for (id, title, url) in &siblings {
            writeln!(out, "  {id}  {}  {url}", title.as_deref().unwrap_or("(no title)"))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
