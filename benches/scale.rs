//! The scheduler at scale: with 100,000 feeds (`cargo bench --bench scale [-- N]`), how long the
//! store takes to decide what is due (the query the scheduler runs every round, at most every
//! 30 s) and when to wake next, with none due and with 1% due. The idle daemon itself (memory
//! and CPU between due times) is measured by `benches/idle.sh` on the same kind of database.

use chrono::{Duration as Days, Utc};
use rill::store::Store;
use std::time::{Duration, Instant};

fn best_of<T>(rounds: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..rounds {
        let t = Instant::now();
        out = Some(f());
        best = best.min(t.elapsed());
    }
    (best, out.unwrap_or_else(f))
}

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let Ok(dir) = tempfile::tempdir() else { return };
    let Ok(mut store) = Store::open(&dir.path().join("rill.db"), Duration::from_secs(5)) else { return };
    let feeds: Vec<(String, Option<String>)> =
        (0..n).map(|i| (format!("https://host{}.example/feed/{i}.xml", i % 5000), None)).collect();
    let started = Instant::now();
    if store.add_feeds(&feeds).is_err() {
        return eprintln!("bench scale: cannot add feeds");
    }
    let added = started.elapsed();
    let now = Utc::now();
    let later = rill::store::fmt_time(now + Days::days(1));
    let polled = rill::store::fmt_time(now - Days::hours(1));
    let set =
        store.conn().execute("UPDATE feeds SET next_poll_at = ?1, last_fetch_at = ?2", [&later, &polled]);
    if set.is_err() {
        return;
    }
    let (none_due, rows) = best_of(10, || store.feeds_to_poll(now, false).map(|v| v.len()).unwrap_or(0));
    assert_eq!(rows, 0);
    let (next, _) = best_of(10, || store.next_due());
    let due_at = rill::store::fmt_time(now - Days::minutes(1));
    let _ = store.conn().execute("UPDATE feeds SET next_poll_at = ?1 WHERE id % 100 = 0", [&due_at]);
    let (some_due, rows) = best_of(10, || store.feeds_to_poll(now, false).map(|v| v.len()).unwrap_or(0));
    println!("scale: {n} feeds added in {:.2} s", added.as_secs_f64());
    println!("  what is due (none due):  {:.2} ms", none_due.as_secs_f64() * 1e3);
    println!("  what is due ({rows} due):   {:.2} ms", some_due.as_secs_f64() * 1e3);
    println!("  when to wake next:       {:.2} ms", next.as_secs_f64() * 1e3);
}
