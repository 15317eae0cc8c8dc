//! `rill extract`: the main text and metadata of a page, or of every page in a directory.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `rill extract`.
#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Base URL of the page (when reading a file).
    #[arg(long)]
    pub url: Option<String>,
    /// Print the whole Article as JSON instead of the text.
    #[arg(long)]
    pub json: bool,
    /// Extract every *.html / *.html.gz in this directory; prints {"ID": {"articleBody": ...}}.
    #[arg(long, conflicts_with = "input")]
    pub batch: Option<PathBuf>,
    /// A file (or http(s) URL) to extract.
    #[arg(required_unless_present = "batch")]
    pub input: Option<String>,
}

pub fn run(args: &ExtractArgs) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("rill extract is not built yet")
}
