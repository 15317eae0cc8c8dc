//! `rill poll` and `rill run`: the pipeline, once or continuously, with signal handling.

use crate::config::Config;
use crate::daemon::{self, Mode, RunOptions, Summary};
use crate::metrics::Metrics;
use std::io::IsTerminal;
use std::path::PathBuf;
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
/// On a terminal a progress bar shows feeds done, new articles, errors and the ETA.
pub fn poll(cfg: Config, args: &PollArgs) -> anyhow::Result<ExitCode> {
    let mode = if args.once { Mode::AllOnce } else { Mode::DueOnce };
    let summary = run_pipeline(cfg, mode, std::io::stderr().is_terminal())?;
    if args.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        println!("{}", describe(&summary));
    }
    Ok(ExitCode::SUCCESS)
}

/// `rill run`: the daemon, until SIGTERM or SIGINT; SIGHUP reloads the config.
pub fn run(cfg: Config) -> anyhow::Result<ExitCode> {
    let summary = run_pipeline(cfg, Mode::Forever, false)?;
    tracing::info!("{}", describe(&summary));
    Ok(ExitCode::SUCCESS)
}

fn run_pipeline(cfg: Config, mode: Mode, progress: bool) -> anyhow::Result<Summary> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let token = CancellationToken::new();
        let signals = tokio::spawn(cancel_on_signal(token.clone()));
        let mut opts = RunOptions::new(mode, token.clone());
        opts.systemd = mode == Mode::Forever && std::env::var_os("NOTIFY_SOCKET").is_some();
        let reloads = if mode == Mode::Forever {
            let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
            opts.reload = Some(rx);
            Some(tokio::spawn(reload_on_sighup(cfg.source.clone(), tx, token.clone())))
        } else {
            None
        };
        let bar = progress.then(|| tokio::spawn(show_progress(opts.metrics.clone(), token.clone())));
        let result = daemon::run_with(Arc::new(cfg), opts).await;
        signals.abort();
        if let Some(r) = reloads {
            r.abort();
        }
        if let Some(b) = bar {
            b.abort();
            let _ = b.await;
        }
        Ok(result?)
    })
}

/// Reads the config file again on every SIGHUP and sends it to the daemon when it is valid;
/// an invalid file is logged and the running configuration kept.
async fn reload_on_sighup(
    source: Option<PathBuf>,
    tx: tokio::sync::mpsc::UnboundedSender<Config>,
    token: CancellationToken,
) {
    use tokio::signal::unix::{signal, SignalKind};
    let Ok(mut hup) = signal(SignalKind::hangup()) else {
        tracing::warn!("cannot install the SIGHUP handler; restart rill to apply config changes");
        return;
    };
    loop {
        tokio::select! {
            _ = hup.recv() => {}
            _ = token.cancelled() => return,
        }
        let _ = sd_notify::notify(false, &[sd_notify::NotifyState::Reloading]);
        match &source {
            None => tracing::info!("SIGHUP: running on built-in defaults; there is no config file to reload"),
            Some(path) => match Config::load(path) {
                Ok(cfg) => {
                    tracing::info!(config = %path.display(), "SIGHUP: reloading");
                    if tx.send(cfg).is_err() {
                        return;
                    }
                }
                Err(e) => tracing::error!(error = %e, "SIGHUP: new config refused; keeping the running one"),
            },
        }
        let _ = sd_notify::notify(false, &[sd_notify::NotifyState::Ready]);
    }
}

/// A progress bar on stderr: feeds done of planned, new articles, errors, ETA.
async fn show_progress(metrics: Arc<Metrics>, token: CancellationToken) {
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} feeds  {msg}  ETA {eta}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    let bar = indicatif::ProgressBar::new(0).with_style(style);
    // Drawn until the task is aborted; the guard clears it.
    struct Clear(indicatif::ProgressBar);
    impl Drop for Clear {
        fn drop(&mut self) {
            self.0.finish_and_clear();
        }
    }
    let bar = Clear(bar);
    loop {
        let s = metrics.summary();
        bar.0.set_length(metrics.feeds_planned.load(std::sync::atomic::Ordering::Relaxed));
        bar.0.set_position(s.feeds_ok + s.feeds_failed);
        bar.0.set_message(format!(
            "{} new, {} committed, {} errors",
            s.new_articles,
            s.articles_committed,
            s.feeds_failed + s.pages_failed
        ));
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_millis(200)) => {}
            _ = token.cancelled() => return,
        }
    }
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
         pages: {} fetched, {} failed, {} disallowed by robots.txt; {} deferred for a host's Retry-After",
        s.feeds_polled,
        s.feeds_ok,
        s.feeds_failed,
        s.not_modified,
        s.unchanged,
        s.new_articles,
        s.articles_committed,
        s.pages_fetched,
        s.pages_failed,
        s.pages_disallowed,
        s.deferred
    )
}
