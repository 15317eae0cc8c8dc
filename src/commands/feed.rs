//! `rill feed add|rm|ls|import|export`: the subscription list.
//!
//! Every input is validated before the database is opened, so a bad URL or an unreadable OPML
//! file changes nothing. `feed add` fetches the URL first (see [`crate::discover`]): a feed is
//! subscribed, a page is searched for the feed it links to; nothing is stored unless a feed was
//! found (or `--no-fetch` was given).

use crate::config::{feed_url, Config};
use crate::discover::{self, DiscoverError, Found};
use crate::feed::opml::{parse_opml, write_opml, OpmlFeed};
use crate::fetch::{Fetcher, RequestSettings};
use crate::store::{fmt_time, FeedRecord, Store, StoreError};
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `rill feed`.
#[derive(Debug, clap::Args)]
pub struct FeedArgs {
    #[command(subcommand)]
    pub command: FeedCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum FeedCommand {
    /// Subscribe to a feed, given its URL or the URL of a page that links to it.
    Add {
        /// The feed's http(s) URL, or a site's or page's (its feed is looked for).
        url: String,
        /// A title to show until the feed's own is known.
        #[arg(long)]
        title: Option<String>,
        /// An extra request header, "Name: value" (repeatable; cookies, tokens).
        #[arg(long = "header", value_name = "NAME: VALUE")]
        headers: Vec<String>,
        /// A User-Agent for this feed only.
        #[arg(long)]
        user_agent: Option<String>,
        /// HTTP basic auth, "user:password".
        #[arg(long, value_name = "USER:PASSWORD")]
        basic_auth: Option<String>,
        /// A proxy for this feed only (http://, https:// or socks5://).
        #[arg(long)]
        proxy: Option<String>,
        /// When the page links to several feeds, subscribe to the first.
        #[arg(long)]
        first: bool,
        /// Subscribe to the URL as given, without fetching it (offline, or a feed that is down).
        #[arg(long, conflicts_with = "first")]
        no_fetch: bool,
    },
    /// Unsubscribe from a feed (its articles stay).
    Rm {
        /// The feed's URL as `feed ls` shows it.
        url: String,
    },
    /// List feeds with their state.
    Ls {
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Subscribe to every feed of an OPML file.
    Import {
        /// The OPML file.
        file: PathBuf,
    },
    /// Print the subscriptions as OPML.
    Export,
}

pub fn run(cfg: &Config, args: &FeedArgs) -> anyhow::Result<ExitCode> {
    let open = || Store::open(&cfg.storage.path, cfg.storage.busy_timeout);
    match &args.command {
        FeedCommand::Add { url, title, headers, user_agent, basic_auth, proxy, first, no_fetch } => {
            let url = feed_url(url).map_err(anyhow::Error::msg)?;
            let request = RequestSettings {
                user_agent: user_agent.clone(),
                headers: headers
                    .iter()
                    .map(|h| RequestSettings::parse_header(h))
                    .collect::<Result<_, _>>()?,
                basic_auth: basic_auth.clone(),
                proxy: proxy.clone(),
                ..Default::default()
            };
            request.validate()?;
            let store = open()?;
            if store.feed_by_url(url.as_str())?.is_some() {
                anyhow::bail!(StoreError::FeedExists(url.to_string()));
            }
            let (url, note) = if *no_fetch {
                (url, None)
            } else {
                let resolved = discover_feed(cfg, &url, &request, *first)?;
                let note = describe_found(&resolved);
                (resolved.url, note)
            };
            match store.add_feed_with(url.as_str(), title.as_deref(), Some(&request)) {
                Ok(_) => {
                    if let Some(note) = note {
                        println!("{note}");
                    }
                    println!("subscribed to {url}");
                }
                Err(e @ StoreError::FeedExists(_)) => anyhow::bail!(e),
                Err(e) => return Err(e.into()),
            }
        }
        FeedCommand::Rm { url } => {
            let store = open()?;
            // Accept the URL as typed or in its normalised form.
            let normalised = feed_url(url).map(String::from).unwrap_or_else(|_| url.clone());
            match store.remove_feed(url).or_else(|_| store.remove_feed(&normalised)) {
                Ok(()) => println!("unsubscribed from {normalised}"),
                Err(e) => anyhow::bail!(e),
            }
        }
        FeedCommand::Ls { json } => {
            let feeds = open()?.list_feeds()?;
            print_feeds(&feeds, *json)?;
        }
        FeedCommand::Import { file } => {
            let bytes =
                std::fs::read(file).with_context(|| format!("cannot read OPML file {}", file.display()))?;
            let list = parse_opml(&bytes)
                .with_context(|| format!("{} is not a readable OPML file", file.display()))?;
            let mut good = Vec::new();
            let mut skipped = 0;
            for f in list {
                match feed_url(&f.xml_url) {
                    Ok(u) => good.push((u.to_string(), f.title)),
                    Err(m) => {
                        skipped += 1;
                        eprintln!("rill: skipping {}: {m}", file.display());
                    }
                }
            }
            let total = good.len();
            let added = open()?.add_feeds(&good)?;
            println!(
                "imported {added} feeds from {} ({} already subscribed, {skipped} skipped)",
                file.display(),
                total - added
            );
        }
        FeedCommand::Export => {
            let feeds: Vec<OpmlFeed> = open()?
                .list_feeds()?
                .into_iter()
                .map(|f| OpmlFeed { xml_url: f.url, title: f.title, html_url: f.site_url })
                .collect();
            let mut out = std::io::stdout().lock();
            out.write_all(write_opml("rill subscriptions", &feeds).as_bytes())?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Fetches `url` with the config's fetcher and the feed's own settings and finds its feed. With
/// several candidates (and no `--first`) they are printed, one per line, before the error.
fn discover_feed(
    cfg: &Config,
    url: &url::Url,
    request: &RequestSettings,
    first: bool,
) -> anyhow::Result<discover::Resolved> {
    let fetcher = Fetcher::new(&cfg.fetch)?;
    let opts = discover::Options {
        settings: (!request.is_empty()).then_some(request),
        max_bytes: cfg.fetch.max_feed_bytes,
        first,
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    match runtime.block_on(discover::resolve(&fetcher, url, opts)) {
        Ok(r) => Ok(r),
        Err(e) => {
            if let DiscoverError::Several { links, .. } = &e {
                let mut out = std::io::stdout().lock();
                for l in links {
                    writeln!(out, "{}\t{}\t{}", l.url, l.kind, l.title.as_deref().unwrap_or(""))?;
                }
                out.flush()?;
            }
            Err(e.into())
        }
    }
}

/// A line saying how the feed was found, when it is not simply the URL given.
fn describe_found(r: &discover::Resolved) -> Option<String> {
    let named = |kind: &discover::FeedKind, title: &Option<String>| match title {
        Some(t) => format!("{kind}, \"{t}\""),
        None => kind.to_string(),
    };
    match &r.found {
        Found::Direct => None,
        Found::Moved { from } => Some(format!("{from} moved permanently to {}", r.url)),
        Found::Linked { page, kind, title, of: 1 } => {
            Some(format!("{page} links to the feed {} ({})", r.url, named(kind, title)))
        }
        Found::Linked { page, kind, title, of } => {
            Some(format!("{page} links to {of} feeds; taking the first: {} ({})", r.url, named(kind, title)))
        }
        Found::UsualPath { page } => Some(format!("{page} links to no feed; found one at {}", r.url)),
    }
}

fn print_feeds(feeds: &[FeedRecord], json: bool) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let t = |v: Option<chrono::DateTime<chrono::Utc>>| v.map(fmt_time);
    if json {
        for f in feeds {
            let line = serde_json::json!({
                "url": f.url, "title": f.title, "state": f.state.as_str(), "state_reason": f.state_reason,
                "last_fetch": t(f.last_fetch_at), "last_status": f.last_status, "last_error": f.last_error,
                "next_poll": t(f.next_poll_at), "error_count": f.error_count, "articles": f.article_count,
                "interval_secs": f.interval_secs,
            });
            writeln!(out, "{line}")?;
        }
        return Ok(out.flush()?);
    }
    writeln!(
        out,
        "{:<9} {:<20} {:>6} {:<20} {:>6} {:>8}  URL",
        "STATE", "LAST FETCH", "STATUS", "NEXT POLL", "ERRORS", "ARTICLES"
    )?;
    let dash = || "-".to_string();
    for f in feeds {
        writeln!(
            out,
            "{:<9} {:<20} {:>6} {:<20} {:>6} {:>8}  {}",
            f.state.as_str(),
            t(f.last_fetch_at).unwrap_or_else(dash),
            f.last_status.map(|s| s.to_string()).unwrap_or_else(dash),
            t(f.next_poll_at).unwrap_or_else(|| "now".into()),
            f.error_count,
            f.article_count,
            f.url
        )?;
        if let Some(e) = &f.last_error {
            writeln!(out, "          last error: {e}")?;
        }
        if let Some(r) = &f.state_reason {
            writeln!(out, "          reason: {r}")?;
        }
    }
    Ok(out.flush()?)
}
