//! `rill enrich`: entities, roles, quotes and language of a plain-text article.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `rill enrich`.
#[derive(Debug, clap::Args)]
pub struct EnrichArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Enrich every ID.txt in this directory; prints {"ID": {...}}.
    #[arg(long, conflicts_with = "file")]
    pub batch: Option<PathBuf>,
    /// A plain-text article.
    #[arg(required_unless_present = "batch")]
    pub file: Option<PathBuf>,
}

pub fn run(args: &EnrichArgs) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("rill enrich is not built yet")
}
