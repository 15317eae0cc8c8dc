//! `rill search` (full text, ranked, with snippets) and `rill stats`.

use crate::commands::reextract::parse_date;
use crate::config::Config;
use crate::store::Store;
use std::io::Write;
use std::process::ExitCode;

/// Arguments of `rill search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Words to find (FTS5 syntax: "exact phrase", a OR b, pre*, NEAR(a b)).
    pub query: String,
    /// Only articles of this feed.
    #[arg(long)]
    pub feed: Option<String>,
    /// Only articles published (else stored) on or after this date.
    #[arg(long)]
    pub since: Option<String>,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
}

fn open(cfg: &Config) -> anyhow::Result<Store> {
    if !cfg.storage.path.exists() {
        anyhow::bail!("no database at {}; run `rill poll` first", cfg.storage.path.display());
    }
    Ok(Store::open_read_only(&cfg.storage.path, cfg.storage.busy_timeout)?)
}

pub fn search(cfg: &Config, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let since = args.since.as_deref().map(parse_date).transpose()?;
    let hits = open(cfg)?.search(&args.query, args.feed.as_deref(), since, args.limit)?;
    let mut out = std::io::stdout().lock();
    for h in &hits {
        if args.json {
            serde_json::to_writer(&mut out, h)?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "{}  {}  {}\n    {}\n    {}",
                h.id,
                h.published.as_deref().unwrap_or("-"),
                h.title.as_deref().unwrap_or("(no title)"),
                h.url,
                h.snippet.replace('\n', " ")
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `rill stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn stats(cfg: &Config, args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let s = open(cfg)?.stats()?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&s)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let feeds: Vec<String> = s.feeds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    writeln!(out, "feeds:     {}", if feeds.is_empty() { "none".into() } else { feeds.join(", ") })?;
    writeln!(out, "articles:  {} stored, {} waiting for their page", s.articles, s.pending)?;
    writeln!(out, "facts:     {} entities, {} quotes", s.entities, s.quotes)?;
    writeln!(out, "pages:     {} kept, {:.1} MB compressed", s.pages_kept, s.pages_bytes as f64 / 1e6)?;
    writeln!(out, "last poll: {}", s.last_fetch.as_deref().unwrap_or("never"))?;
    if !s.per_day.is_empty() {
        writeln!(out, "per day:")?;
        for (day, n) in &s.per_day {
            writeln!(out, "  {day}  {n}")?;
        }
    }
    if !s.failing.is_empty() {
        writeln!(out, "failing feeds:")?;
        for (url, n, err) in &s.failing {
            writeln!(out, "  {url}  ({n} errors): {}", err.as_deref().unwrap_or(""))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
