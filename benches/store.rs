//! Store throughput: articles committed per second through rill's real write path (the single
//! writer with group commit, FTS5, indexes, entities, quotes, fingerprints), beside the raw
//! limit: SQLite inserting the same rows into one table with no index, 256 rows a transaction.
//!
//! `cargo bench --bench store [-- N]` (default 5,000 articles). Prints both rates and rill's
//! share of the raw limit. Uses a temporary directory; nothing else.

use rill::daemon::finish;
use rill::model::Entry;
use rill::store::{writer, FeedUpdate, NewEntry, Store};
use std::time::{Duration, Instant};

fn article_text(i: usize) -> String {
    (0..8)
        .map(|p| {
            format!(
                "Paragraph {p} of report {i}: Prime Minister Jane Smith said on Monday that the \
                 harbour authority in Portsmouth would reopen pier {p}. \"We expect ferries to run \
                 by the end of the month,\" Smith said, according to the Ministry of Transport."
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(5_000);
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => return eprintln!("bench store: no temp dir: {e}"),
    };
    // The pure stages run up front: this measures the store only.
    let prepared: Vec<(Entry, rill::store::Finished)> = (0..n)
        .map(|i| {
            let entry = Entry {
                id: format!("g{i}"),
                link: Some(format!("https://news{}.example/a/{i}", i % 50)),
                title: Some(format!("Report {i}")),
                content: Some(format!("<p>{}</p>", article_text(i))),
                ..Default::default()
            };
            let fin = finish(None, &entry, false, &Default::default());
            (entry, fin)
        })
        .collect();
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return eprintln!("bench store: {e}"),
    };

    let path = dir.path().join("rill.db");
    let Ok(store) = Store::open(&path, Duration::from_secs(5)) else { return eprintln!("cannot open store") };
    let Ok(feed) = store.add_feed("https://news.example/feed", None) else { return };
    let Ok((handle, thread)) = writer::spawn(store, 256) else { return };
    let started = Instant::now();
    let committed = rt.block_on(async {
        let mut pending = Vec::new();
        for chunk in prepared.chunks(50) {
            let entries: Vec<NewEntry> = chunk
                .iter()
                .map(|(e, _)| NewEntry { key: e.link.clone().unwrap_or_default(), entry: e.clone() })
                .collect();
            let update = FeedUpdate {
                fetched_at: chrono::Utc::now(),
                next_poll_at: chrono::Utc::now(),
                new_entries: entries.len(),
                ..Default::default()
            };
            if let Ok(stored) = handle.feed_polled(feed, update, entries).await {
                pending.extend(stored.pending);
            }
        }
        // Many articles in flight at once, as the page tasks deliver them.
        let mut tasks = tokio::task::JoinSet::new();
        for (p, (_, fin)) in pending.into_iter().zip(prepared.iter()) {
            let (h, mut fin) = (handle.clone(), fin.clone());
            fin.story = Some((p.article_id, None));
            tasks.spawn(async move { h.article_ready(p.article_id, fin).await.unwrap_or(false) });
        }
        let mut ok = 0usize;
        while let Some(r) = tasks.join_next().await {
            ok += usize::from(r.unwrap_or(false));
        }
        ok
    });
    drop(handle);
    let _ = thread.join();
    let rill_secs = started.elapsed().as_secs_f64();

    // The raw limit: the same rows, one table, no index, no FTS, 256 rows per transaction.
    let raw_path = dir.path().join("raw.db");
    let Ok(mut conn) = rusqlite::Connection::open(&raw_path) else { return };
    let _ = conn.pragma_update(None, "journal_mode", "wal");
    let _ = conn.pragma_update(None, "synchronous", "normal");
    let _ = conn.execute_batch("CREATE TABLE a (url TEXT, title TEXT, summary TEXT, text TEXT, html TEXT)");
    let started = Instant::now();
    for chunk in prepared.chunks(256) {
        let Ok(tx) = conn.transaction() else { return };
        for (e, fin) in chunk {
            let _ = tx.execute(
                "INSERT INTO a VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![e.link, e.title, e.content, fin.article.text, fin.article.html],
            );
        }
        let _ = tx.commit();
    }
    let raw_secs = started.elapsed().as_secs_f64();
    println!(
        "store: {committed} articles committed in {rill_secs:.2} s = {:.0} articles/s (FTS5, indexes, \
         entities, quotes, fingerprints, stories)",
        committed as f64 / rill_secs
    );
    println!(
        "raw SQLite, same rows, no index: {:.2} s = {:.0} rows/s; rill runs at {:.0}% of the raw limit",
        raw_secs,
        n as f64 / raw_secs,
        100.0 * raw_secs / rill_secs
    );
}
