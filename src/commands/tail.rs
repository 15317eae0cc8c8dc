//! `rill tail`: visible articles in commit (seq) order, as JSON lines; `--follow` keeps going.
//!
//! Reads through its own read-only connection. Each batch is one read transaction, so it sees
//! whole commits only: with `seq > last` as the cursor nothing is skipped or repeated, and a
//! consumer that restarts with `--since LAST` continues exactly where it stopped.

use crate::config::Config;
use crate::store::{ArticleRow, Store};
use anyhow::Context;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

/// Rows read per query.
const PAGE: usize = 500;
/// How often `--follow` looks for new commits.
const FOLLOW_INTERVAL: Duration = Duration::from_millis(200);

/// Arguments of `rill tail`.
#[derive(Debug, clap::Args)]
pub struct TailArgs {
    /// Start after this seq (default 0: from the beginning).
    #[arg(long, default_value_t = 0)]
    pub since: i64,
    /// Keep printing new articles as they are committed.
    #[arg(long, short)]
    pub follow: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TailFormat::Json)]
    pub format: TailFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TailFormat {
    Json,
    Text,
}

pub fn run(cfg: &Config, args: &TailArgs) -> anyhow::Result<ExitCode> {
    let path = &cfg.storage.path;
    if !path.exists() {
        anyhow::bail!("no database at {}; run `rill poll` or `rill run` first", path.display());
    }
    let store = Store::open_read_only(path, cfg.storage.busy_timeout)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let mut since = args.since;
    let mut out = std::io::stdout().lock();
    let mut version = store.data_version()?;
    loop {
        let rows = store.articles_since(since, PAGE)?;
        for row in &rows {
            print_row(&mut out, row, args.format)?;
            since = row.seq;
        }
        out.flush()?;
        if rows.len() == PAGE {
            continue;
        }
        if !args.follow {
            return Ok(ExitCode::SUCCESS);
        }
        // Sleep until another connection commits.
        loop {
            std::thread::sleep(FOLLOW_INTERVAL);
            let v = store.data_version()?;
            if v != version {
                version = v;
                break;
            }
        }
    }
}

fn print_row(out: &mut impl Write, row: &ArticleRow, format: TailFormat) -> anyhow::Result<()> {
    match format {
        TailFormat::Json => {
            serde_json::to_writer(&mut *out, row)?;
            writeln!(out)?;
        }
        TailFormat::Text => writeln!(
            out,
            "{}\t{}\t{}\t{}",
            row.seq,
            row.published.as_deref().unwrap_or("-"),
            row.title.as_deref().unwrap_or("(no title)").replace(['\t', '\n'], " "),
            row.url
        )?,
    }
    Ok(())
}
