//! `rill extract`: the main text and metadata of a page, or of every page in a directory.
//!
//! Reads saved pages (`.html`, `.html.gz`) only; fetching is the fetcher's job, so a URL argument
//! is refused with a hint to save the page first.

use crate::extract::extract_article;
use anyhow::Context;
use flate2::read::GzDecoder;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use url::Url;

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

/// Largest page read from disk (decompressed).
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

pub fn run(args: &ExtractArgs) -> anyhow::Result<ExitCode> {
    let base = match &args.url {
        Some(u) => Some(Url::parse(u).with_context(|| format!("--url {u:?} is not an absolute URL"))?),
        None => None,
    };
    if let Some(dir) = &args.batch {
        return batch(dir, base.as_ref());
    }
    let input = args.input.as_deref().unwrap_or_default();
    if input.starts_with("http://") || input.starts_with("https://") {
        anyhow::bail!("rill extract reads saved pages only: save {input} to a file first (e.g. curl -o page.html URL), then run `rill extract page.html --url {input}`");
    }
    let bytes = read_page(Path::new(input))?;
    let article = extract_article(&bytes, base.as_ref(), None);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &article)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}", article.text)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a page, gunzipping `.gz` files.
fn read_page(path: &Path) -> anyhow::Result<Vec<u8>> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut bytes = Vec::new();
    if path.extension().is_some_and(|e| e == "gz") {
        GzDecoder::new(file).take(MAX_FILE_BYTES).read_to_end(&mut bytes)
    } else {
        file.take(MAX_FILE_BYTES).read_to_end(&mut bytes)
    }
    .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(bytes)
}

fn batch(dir: &Path, base: Option<&Url>) -> anyhow::Result<ExitCode> {
    let mut pages: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let id = name.strip_suffix(".html.gz").or_else(|| name.strip_suffix(".html"))?.to_string();
            Some((id, e.path()))
        })
        .collect();
    pages.sort();
    let mut out = serde_json::Map::new();
    let (mut bytes_total, mut secs) = (0usize, 0f64);
    for (id, path) in &pages {
        let bytes = match read_page(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("rill: {e:#}");
                continue;
            }
        };
        let start = Instant::now();
        let a = extract_article(&bytes, base, None);
        secs += start.elapsed().as_secs_f64();
        bytes_total += bytes.len();
        let mut obj = serde_json::to_value(&a)?;
        if let Some(o) = obj.as_object_mut() {
            o.insert("articleBody".into(), serde_json::Value::String(a.text));
            o.remove("text");
            o.remove("html");
        }
        out.insert(id.clone(), obj);
    }
    let n = pages.len();
    eprintln!(
        "rill extract: pages={n} seconds={secs:.3} pages_per_s={:.1} mb_per_s={:.1} (extraction only, one thread)",
        n as f64 / secs.max(1e-9),
        bytes_total as f64 / 1e6 / secs.max(1e-9)
    );
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer(&mut stdout, &out)?;
    writeln!(stdout)?;
    Ok(ExitCode::SUCCESS)
}
