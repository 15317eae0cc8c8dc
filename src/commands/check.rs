//! `rill check`: validates the config and the database path, changing nothing.

use crate::config::Config;
use std::path::Path;
use std::process::ExitCode;

pub fn run(cfg: &Config) -> anyhow::Result<ExitCode> {
    check_db_path(&cfg.storage.path)?;
    if let Some(opml) = &cfg.feeds.opml {
        let bytes = std::fs::read(opml).map_err(|e| {
            anyhow::anyhow!(
                "config key `feeds.opml`: cannot read {} ({e}); fix the path or set opml = \"\"",
                opml.display()
            )
        })?;
        crate::feed::opml::parse_opml(&bytes)
            .map_err(|e| anyhow::anyhow!("config key `feeds.opml`: {}: {e}", opml.display()))?;
    }
    match &cfg.source {
        Some(p) => println!("config {} is valid; database {}", p.display(), cfg.storage.path.display()),
        None => println!(
            "no config file found; built-in defaults are valid; database {}",
            cfg.storage.path.display()
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// The database file must be writable, or creatable in an existing writable directory.
fn check_db_path(path: &Path) -> anyhow::Result<()> {
    let fail = |why: String| anyhow::anyhow!("config key `storage.path`: {} {why}", path.display());
    if path.is_dir() {
        return Err(fail("is a directory; name a file such as rill.db".into()));
    }
    if path.exists() {
        std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| fail(format!("is not writable ({e})")))?;
        return Ok(());
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(fail(format!("cannot be created: directory {} does not exist", dir.display())));
    }
    // Probe by creating (and removing) a file: permission bits do not tell the whole story
    // (read-only mounts, ACLs, root).
    let probe = dir.join(format!(".rill-check-{}", std::process::id()));
    std::fs::File::create(&probe)
        .map_err(|e| fail(format!("cannot be created in {} ({e})", dir.display())))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// `rill vacuum`: applies `[retention]` now (in batches, leaving tombstones), then rewrites the
/// file without free pages and switches it to incremental auto-vacuum. Safe beside a running
/// daemon (it waits for the write lock); needs free disk space for a copy of the database.
pub fn vacuum(cfg: &Config) -> anyhow::Result<ExitCode> {
    let path = &cfg.storage.path;
    if !path.exists() {
        anyhow::bail!("no database at {}; nothing to vacuum", path.display());
    }
    let mut store = crate::store::Store::open(path, cfg.storage.busy_timeout)?;
    let mut pruned = 0;
    if cfg.retention.is_active() {
        loop {
            let n = store.prune(&cfg.retention, 500)?;
            pruned += n;
            if n < 500 {
                break;
            }
        }
    }
    let before = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    store.vacuum()?;
    let after = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    println!("pruned {pruned} articles; {} bytes → {} bytes", before, after);
    Ok(ExitCode::SUCCESS)
}
