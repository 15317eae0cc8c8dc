//! The command line: argument definitions and dispatch, nothing else.

use crate::commands;
use crate::config::{self, Config, LogFormat};
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
    /// Log format (overrides [log] format).
    #[arg(long, global = true, value_enum)]
    pub log_format: Option<CliLogFormat>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CliLogFormat {
    Human,
    Compact,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the daemon: poll feeds as they come due until SIGTERM or SIGINT.
    Run,
    /// One pass over the feeds that are due (all feeds with --once), then a summary.
    Poll(commands::poll::PollArgs),
    /// Manage subscriptions.
    Feed(commands::feed::FeedArgs),
    /// Print stored articles in commit order as JSON lines.
    Tail(commands::tail::TailArgs),
    /// Full-text search with ranked, highlighted snippets.
    Search(commands::search::SearchArgs),
    /// Feeds by state, articles per day, errors, queues.
    Stats(commands::search::StatsArgs),
    /// One article with its text, metadata, entities and quotes.
    Show(commands::show::ShowArgs),
    /// Run the current extractor over stored pages; changed articles get a new seq.
    Reextract(commands::reextract::ReextractArgs),
    /// Apply [retention] now, then compact the database file.
    Vacuum,
    /// Validate the config and the database path.
    Check,
    /// Parse one saved feed exactly as the daemon would and print it as JSON.
    Parse(commands::parse::ParseArgs),
    /// Extract the article from a page (file or URL), or from every page in a directory.
    Extract(commands::extract::ExtractArgs),
    /// Extract entities, roles and quotes from a plain-text article.
    Enrich(commands::enrich::EnrichArgs),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let load = || -> anyhow::Result<Config> {
        let cfg = config::discover(cli.config.as_deref())?;
        let format = cli.log_format.map(|f| match f {
            CliLogFormat::Human => LogFormat::Human,
            CliLogFormat::Compact => LogFormat::Compact,
            CliLogFormat::Json => LogFormat::Json,
        });
        crate::telemetry::init(&cfg.log, format);
        Ok(cfg)
    };
    match &cli.command {
        Command::Run => commands::poll::run(load()?),
        Command::Poll(a) => commands::poll::poll(load()?, a),
        Command::Feed(a) => commands::feed::run(&load()?, a),
        Command::Tail(a) => commands::tail::run(&load()?, a),
        Command::Search(a) => commands::search::search(&load()?, a),
        Command::Stats(a) => commands::search::stats(&load()?, a),
        Command::Show(a) => commands::show::run(&load()?, a),
        Command::Reextract(a) => commands::reextract::run(&load()?, a),
        Command::Check => commands::check::run(&load()?),
        Command::Vacuum => commands::check::vacuum(&load()?),
        Command::Parse(a) => commands::parse::run(a),
        Command::Extract(a) => commands::extract::run(a),
        Command::Enrich(a) => commands::enrich::run(a),
    }
}
