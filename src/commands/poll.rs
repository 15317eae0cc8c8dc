//! `rill poll` and `rill run`: the pipeline, once or continuously, with signal handling.

use crate::config::Config;
use crate::daemon::{self, Mode, Summary};
use std::process::ExitCode;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Arguments of `rill poll`.
#[derive(Debug, clap::Args)]
pub struct PollArgs {
    /// Poll every feed now, whether due or not (default: only the feeds that are due).
    #[arg(long)]
    pub once: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `rill poll`: one pass, then a summary. Exits 0 even when feeds failed (their errors are stored).
pub fn poll(cfg: Config, args: &PollArgs) -> anyhow::Result<ExitCode> {
    let mode = if args.once { Mode::AllOnce } else { Mode::DueOnce };
    let summary = run_pipeline(cfg, mode)?;
    if args.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        println!("{}", describe(&summary));
    }
    Ok(ExitCode::SUCCESS)
}

/// `rill run`: the daemon, until SIGTERM or SIGINT.
pub fn run(cfg: Config) -> anyhow::Result<ExitCode> {
    let summary = run_pipeline(cfg, Mode::Forever)?;
    tracing::info!("{}", describe(&summary));
    Ok(ExitCode::SUCCESS)
}

fn run_pipeline(cfg: Config, mode: Mode) -> anyhow::Result<Summary> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let token = CancellationToken::new();
        let signals = tokio::spawn(cancel_on_signal(token.clone()));
        let result = daemon::run(Arc::new(cfg), mode, token).await;
        signals.abort();
        Ok(result?)
    })
}

/// Cancels `token` on the first SIGTERM or SIGINT.
async fn cancel_on_signal(token: CancellationToken) {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut int)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt()))
    else {
        tracing::warn!("cannot install signal handlers; stop rill with SIGKILL");
        return;
    };
    tokio::select! {
        _ = term.recv() => tracing::info!("SIGTERM: stopping"),
        _ = int.recv() => tracing::info!("SIGINT: stopping"),
    }
    token.cancel();
}

/// One line for humans.
pub fn describe(s: &Summary) -> String {
    format!(
        "polled {} feeds: {} ok, {} failed, {} not modified (304), {} unchanged; {} new articles, {} committed; \
         pages: {} fetched, {} failed, {} disallowed by robots.txt",
        s.feeds_polled,
        s.feeds_ok,
        s.feeds_failed,
        s.not_modified,
        s.unchanged,
        s.new_articles,
        s.articles_committed,
        s.pages_fetched,
        s.pages_failed,
        s.pages_disallowed
    )
}
