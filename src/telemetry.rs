//! Logging: tracing to stderr, human on a terminal, compact one-line events otherwise.
//!
//! Under systemd (`JOURNAL_STREAM` set) or when stderr is not a terminal, lines carry no colours
//! and no timestamps of their own (the journal adds them); `json` is for log shippers. The level
//! comes from `RUST_LOG` when set, else from the config's `[log] level`.

use crate::config::{LogConfig, LogFormat};
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber (once per process; later calls are ignored).
pub fn init(cfg: &LogConfig, format_override: Option<LogFormat>) {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|v| EnvFilter::try_new(v).ok())
        .or_else(|| EnvFilter::try_new(&cfg.level).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    let tty = std::io::stderr().is_terminal();
    let under_journal = std::env::var_os("JOURNAL_STREAM").is_some();
    let format = match format_override.unwrap_or(cfg.format) {
        LogFormat::Auto if tty && !under_journal => LogFormat::Human,
        LogFormat::Auto => LogFormat::Compact,
        f => f,
    };
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Compact if under_journal => builder.compact().with_ansi(false).without_time().try_init(),
        LogFormat::Compact => builder.compact().with_ansi(false).try_init(),
        _ => builder.with_ansi(tty).try_init(),
    };
}
