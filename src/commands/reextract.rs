//! `rill reextract`: run the current extractor (and enricher) over stored pages, without fetching.
//!
//! Articles whose text changes become updates: a new seq, `revision + 1`, `updated_at`; consumers
//! tailing the database see them again. Unchanged articles only record the extractor version.

use crate::config::Config;
use crate::daemon::{finish, FetchedPage};
use crate::store::Store;
use anyhow::Context;
use std::process::ExitCode;

/// Articles re-extracted per write transaction.
const BATCH: usize = 100;

/// Arguments of `rill reextract`.
#[derive(Debug, clap::Args)]
pub struct ReextractArgs {
    /// Only articles first stored on or after this date (YYYY-MM-DD or RFC 3339).
    #[arg(long)]
    pub since: Option<String>,
    /// Only articles carried by this feed (its URL as `feed ls` shows it).
    #[arg(long)]
    pub feed: Option<String>,
}

pub fn run(cfg: &Config, args: &ReextractArgs) -> anyhow::Result<ExitCode> {
    let since = args.since.as_deref().map(parse_date).transpose()?;
    let mut store = Store::open(&cfg.storage.path, cfg.storage.busy_timeout)?;
    if let Some(feed) = &args.feed {
        if store.feed_by_url(feed)?.is_none() {
            anyhow::bail!("feed {feed} is not subscribed (see `rill feed ls`)");
        }
    }
    let ids = store.reextract_candidates(since, args.feed.as_deref())?;
    let (mut done, mut changed, mut damaged) = (0usize, 0usize, 0usize);
    for chunk in ids.chunks(BATCH) {
        let mut batch = Vec::with_capacity(chunk.len());
        for &id in chunk {
            let (Some(page), Some(stored)) = (store.page(id)?, store.stored_entry(id)?) else { continue };
            let (Some(body), Ok(url)) = (page.decompress(), url::Url::parse(&page.url)) else {
                damaged += 1;
                continue;
            };
            let fetched = FetchedPage { body, url, content_type: page.content_type.clone() };
            batch.push((id, finish(Some(&fetched), &stored.entry, false, &cfg.identity)));
        }
        done += batch.len();
        changed += store.revise_articles(&batch).context("cannot store re-extracted articles")?;
    }
    println!(
        "re-extracted {done} articles with extractor version {}: {changed} changed (new seq), {} unchanged{}",
        crate::extract::EXTRACTOR_VERSION,
        done - changed,
        if damaged > 0 { format!(", {damaged} stored pages unreadable") } else { String::new() }
    );
    Ok(ExitCode::SUCCESS)
}

/// Parses `YYYY-MM-DD` (midnight UTC) or an RFC 3339 time.
pub fn parse_date(s: &str) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    if let Some(t) = crate::store::parse_time(s) {
        return Ok(t);
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .with_context(|| format!("--since {s:?} is not a date like 2026-11-25 or 2026-11-25T10:00:00Z"))
}
