//! The command line: argument definitions and dispatch, nothing else.

use crate::commands;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// rill: a streaming RSS, Atom and JSON Feed ingest daemon.
#[derive(Debug, Parser)]
#[command(name = "rill", version, about, propagate_version = true)]
pub struct Cli {
    /// Config file (else $RILL_CONFIG, ./config/rill.toml, /etc/rill/rill.toml, built-in defaults).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse one saved feed exactly as the daemon would and print it as JSON.
    Parse(commands::parse::ParseArgs),
    /// Extract the article from a page (file or URL), or from every page in a directory.
    Extract(commands::extract::ExtractArgs),
    /// Extract entities, roles and quotes from a plain-text article.
    Enrich(commands::enrich::EnrichArgs),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Parse(a) => commands::parse::run(a),
        Command::Extract(a) => commands::extract::run(a),
        Command::Enrich(a) => commands::enrich::run(a),
    }
}
