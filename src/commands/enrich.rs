//! `rill enrich`: entities, roles, quotes and language of a plain-text article, or of every
//! `ID.txt` in a directory (`--batch DIR --json` prints `{"ID": Enrichment}`, the shape
//! `corpus/nlp-dev/evaluate.py` reads).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::enrich::enrich;
use crate::model::Enrichment;

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

/// Runs `rill enrich`: one file (text or `--json`) or every `ID.txt` of `--batch DIR` as JSON.
pub fn run(args: &EnrichArgs) -> anyhow::Result<ExitCode> {
    // Buffered: pretty JSON is many short lines, and a locked stdout flushes at each one.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if let Some(dir) = &args.batch {
        let mut all: BTreeMap<String, Enrichment> = BTreeMap::new();
        let entries =
            std::fs::read_dir(dir).with_context(|| format!("reading directory {}", dir.display()))?;
        for entry in entries {
            let path = entry.with_context(|| format!("reading directory {}", dir.display()))?.path();
            if path.extension().and_then(|e| e.to_str()) != Some("txt") {
                continue;
            }
            let Some(id) = path.file_stem().and_then(|s| s.to_str()).map(str::to_string) else { continue };
            let text = read_text(&path)?;
            all.insert(id, enrich(&text, None));
        }
        serde_json::to_writer_pretty(&mut out, &all)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(path) = &args.file else { anyhow::bail!("give a FILE or --batch DIR") };
    let text = read_text(path)?;
    let e = enrich(&text, None);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &e)?;
        writeln!(out)?;
    } else {
        print_text(&mut out, &e)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Reads a plain-text article; an unreadable or non-UTF-8 file is an error naming it.
pub fn read_text(path: &std::path::Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8 text", path.display()))
}

fn print_text(out: &mut impl Write, e: &Enrichment) -> std::io::Result<()> {
    writeln!(
        out,
        "language: {} (rules applied: {})",
        e.language.as_deref().unwrap_or("unknown"),
        e.rules_applied
    )?;
    writeln!(out, "entities:")?;
    for ent in &e.entities {
        let role = ent.role.as_deref().map(|r| format!(" — {r}")).unwrap_or_default();
        writeln!(out, "  {:<12} {}{} ×{}", ent.kind.as_str(), ent.name, role, ent.mentions)?;
    }
    writeln!(out, "quotes:")?;
    for q in &e.quotes {
        writeln!(out, "  [{}..{}] {}: “{}”", q.start, q.end, q.speaker.as_deref().unwrap_or("?"), q.text)?;
    }
    Ok(())
}
