//! The single writer: one thread owns the daemon's write connection.
//!
//! Stages send [`WriteOp`]s through a bounded channel (a [`WriterHandle`]); the writer takes
//! whatever is queued (up to `batch_size`) and applies it in one transaction (group commit). When
//! an op fails, the batch is rolled back and redone with each op in its own savepoint, so one bad
//! op cannot spoil the others (savepoints are not the default: they make FTS5 flush per op). The
//! articles completed in a batch enter the full-text index together just before the commit.
//! Replies are sent only after the commit, so a caller that got `Ok` knows its data is durable. A
//! transient failure (a lock held by another process past the busy timeout, a full disk) rolls the
//! batch back and retries it with backoff: ops are never dropped, and meanwhile the full channel
//! slows the pipeline down. The loop ends when every handle has been dropped and the queue is drained.

use super::articles::{complete_article, index_queued, insert_entries, revise_article, Finished, Inserted};
use super::feeds::{apply_update, FeedUpdate};
use super::retention::{prune_articles, Retention};
use super::{NewEntry, PendingArticle, Store, StoreError};
use chrono::Utc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};

/// Ops waiting for the writer at most. Large enough to fill a batch while the previous one
/// commits; small enough that a stalled disk stops the fetchers within a few hundred items.
pub const QUEUE_CAPACITY: usize = 512;

/// Longest pause between two retries of a batch that failed transiently.
const MAX_RETRY_PAUSE: Duration = Duration::from_secs(5);

/// Retries of a failing batch after every handle is gone (shutdown), before giving up.
const RETRIES_AT_SHUTDOWN: u32 = 20;

/// What a poll stored.
#[derive(Debug, Default)]
pub struct PollStored {
    /// New articles, stored pending: their page is to be processed.
    pub pending: Vec<PendingArticle>,
    /// Entries already stored.
    pub known: usize,
}

/// One unit of work for the writer.
#[derive(Debug)]
pub enum WriteOp {
    /// A feed was polled: store its bookkeeping and its entries together, so a crash can never
    /// record the new validators without the entries they cover.
    FeedPolled {
        feed_id: i64,
        update: Box<FeedUpdate>,
        entries: Vec<NewEntry>,
        reply: oneshot::Sender<Result<PollStored, StoreError>>,
    },
    /// A pending article's page was processed: store the article and make it visible.
    ArticleReady {
        article_id: i64,
        finished: Box<Finished>,
        reply: oneshot::Sender<Result<bool, StoreError>>,
    },
    /// Housekeeping; replies with a count.
    Chore { chore: Chore, reply: oneshot::Sender<Result<usize, StoreError>> },
    /// A visible article was extracted again: store it as a revision if it changed.
    ArticleRevised {
        article_id: i64,
        finished: Box<Finished>,
        reply: oneshot::Sender<Result<bool, StoreError>>,
    },
}

/// Housekeeping the writer does between the pipeline's ops, each in a small transaction so
/// that readers and the pipeline are never held up for long.
#[derive(Debug, Clone)]
pub enum Chore {
    /// Deletes up to `limit` stored pages fetched before `before` (page retention).
    PrunePages { before: chrono::DateTime<Utc>, limit: usize },
    /// Prunes up to `limit` articles the retention policy no longer keeps.
    PruneArticles { policy: Retention, limit: usize },
    /// Returns up to `pages` free pages of the file to the file system (incremental vacuum).
    Vacuum { pages: usize },
    /// Does nothing in a write transaction: proves the writer takes ops and gets the write lock.
    Ping,
}

/// A cloneable handle to the writer. The writer stops when the last handle is dropped.
#[derive(Debug, Clone)]
pub struct WriterHandle {
    tx: mpsc::Sender<WriteOp>,
    commits: watch::Receiver<u64>,
}

impl WriterHandle {
    /// Stores a poll's outcome; resolves after commit.
    pub async fn feed_polled(
        &self,
        feed_id: i64,
        update: FeedUpdate,
        entries: Vec<NewEntry>,
    ) -> Result<PollStored, StoreError> {
        let (reply, rx) = oneshot::channel();
        self.send(WriteOp::FeedPolled { feed_id, update: Box::new(update), entries, reply }).await?;
        rx.await.map_err(|_| StoreError::WriterGone)?
    }

    /// Completes a pending article; resolves after commit (false when it was already complete).
    pub async fn article_ready(&self, article_id: i64, finished: Finished) -> Result<bool, StoreError> {
        let (reply, rx) = oneshot::channel();
        self.send(WriteOp::ArticleReady { article_id, finished: Box::new(finished), reply }).await?;
        rx.await.map_err(|_| StoreError::WriterGone)?
    }

    /// Stores a re-extraction; resolves after commit (true when the article changed).
    pub async fn article_revised(&self, article_id: i64, finished: Finished) -> Result<bool, StoreError> {
        let (reply, rx) = oneshot::channel();
        self.send(WriteOp::ArticleRevised { article_id, finished: Box::new(finished), reply }).await?;
        rx.await.map_err(|_| StoreError::WriterGone)?
    }

    /// Runs one chore; resolves after commit with its count.
    pub async fn chore(&self, chore: Chore) -> Result<usize, StoreError> {
        let (reply, rx) = oneshot::channel();
        self.send(WriteOp::Chore { chore, reply }).await?;
        rx.await.map_err(|_| StoreError::WriterGone)?
    }

    /// A receiver that changes after every commit that made articles visible (for live streams).
    pub fn commits(&self) -> watch::Receiver<u64> {
        self.commits.clone()
    }

    async fn send(&self, op: WriteOp) -> Result<(), StoreError> {
        self.tx.send(op).await.map_err(|_| StoreError::WriterGone)
    }

    /// Ops queued and not yet taken by the writer.
    pub fn queue_depth(&self) -> usize {
        self.tx.max_capacity() - self.tx.capacity()
    }
}

/// Starts the writer thread over `store`. Join the returned handle after dropping every
/// [`WriterHandle`] to wait for the last commit.
pub fn spawn(
    store: Store,
    batch_size: usize,
) -> std::io::Result<(WriterHandle, std::thread::JoinHandle<Result<(), StoreError>>)> {
    let (tx, rx) = mpsc::channel(QUEUE_CAPACITY);
    let (commits_tx, commits) = watch::channel(0);
    let join = std::thread::Builder::new()
        .name("rill-writer".into())
        .spawn(move || Writer { store, rx, batch_size: batch_size.max(1), commits: commits_tx }.run())?;
    Ok((WriterHandle { tx, commits }, join))
}

struct Writer {
    store: Store,
    rx: mpsc::Receiver<WriteOp>,
    batch_size: usize,
    commits: watch::Sender<u64>,
}

/// The result of one op, to be sent once the batch is committed.
enum Outcome {
    Polled(Result<Inserted, StoreError>),
    Ready(Result<bool, StoreError>),
    Pruned(Result<usize, StoreError>),
}

impl Writer {
    fn run(mut self) -> Result<(), StoreError> {
        let mut batch = Vec::with_capacity(self.batch_size);
        while let Some(first) = self.rx.blocking_recv() {
            batch.push(first);
            while batch.len() < self.batch_size {
                match self.rx.try_recv() {
                    Ok(op) => batch.push(op),
                    Err(_) => break,
                }
            }
            let outcomes = self.commit_with_retry(&batch)?;
            if outcomes.iter().any(|o| matches!(o, Outcome::Ready(Ok(true)))) {
                self.commits.send_modify(|n| *n = n.wrapping_add(1));
            }
            reply_all(std::mem::take(&mut batch), outcomes);
        }
        Ok(())
    }

    /// Applies a batch until it commits. Gives up only at shutdown after repeated failures.
    fn commit_with_retry(&mut self, batch: &[WriteOp]) -> Result<Vec<Outcome>, StoreError> {
        let mut pause = Duration::from_millis(50);
        let mut failures_at_shutdown = 0;
        // Optimistic first: the whole batch in one transaction without savepoints (a savepoint
        // per op makes FTS5 flush its pending terms each time: measured at a third of the
        // writer's time). Only when an op fails is the batch redone with one savepoint per op.
        let mut isolate = false;
        loop {
            match self.apply(batch, isolate) {
                Ok(Some(outcomes)) => return Ok(outcomes),
                Ok(None) => {
                    isolate = true;
                    continue;
                }
                Err(e) if e.is_transient() => {
                    if self.rx.is_closed() {
                        failures_at_shutdown += 1;
                        if failures_at_shutdown > RETRIES_AT_SHUTDOWN {
                            tracing::error!(error = %e, ops = batch.len(), "giving up on a write batch at shutdown");
                            return Err(e);
                        }
                    }
                    tracing::warn!(error = %e, ops = batch.len(), retry_in = ?pause, "write batch failed; retrying");
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(MAX_RETRY_PAUSE);
                }
                Err(e) => {
                    tracing::error!(error = %e, ops = batch.len(), "write batch failed");
                    return Ok(batch.iter().map(|op| failed(op, &e)).collect());
                }
            }
        }
    }

    /// One transaction over the batch. With `isolate`, each op runs in its own savepoint, so an
    /// op's own non-transient failure is confined to it; without, such a failure rolls the
    /// whole batch back and returns `None` (to be redone isolated). A transient failure aborts
    /// the transaction either way (to be retried).
    fn apply(&mut self, batch: &[WriteOp], isolate: bool) -> Result<Option<Vec<Outcome>>, StoreError> {
        let now = Utc::now();
        let mut tx = self.store.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut outcomes = Vec::with_capacity(batch.len());
        for op in batch {
            let outcome = if isolate {
                let sp = tx.savepoint()?;
                let outcome = run_op(&sp, op, now);
                match outcome.error() {
                    Some(e) if e.is_transient() => return Err(outcome.into_error()),
                    Some(e) => {
                        tracing::warn!(error = %e, "write op failed; the rest of the batch goes on");
                        drop(sp); // rolls the savepoint back
                    }
                    None => sp.commit()?,
                }
                outcome
            } else {
                let outcome = run_op(&tx, op, now);
                match outcome.error() {
                    Some(e) if e.is_transient() => return Err(outcome.into_error()),
                    Some(_) => return Ok(None), // dropping `tx` rolls the batch back
                    None => outcome,
                }
            };
            outcomes.push(outcome);
        }
        index_queued(&tx)?;
        tx.commit()?;
        Ok(Some(outcomes))
    }
}

/// Applies one op inside the current transaction.
fn run_op(conn: &rusqlite::Connection, op: &WriteOp, now: chrono::DateTime<Utc>) -> Outcome {
    match op {
        WriteOp::FeedPolled { feed_id, update, entries, .. } => Outcome::Polled(
            apply_update(conn, *feed_id, update).and_then(|()| insert_entries(conn, *feed_id, entries, now)),
        ),
        WriteOp::ArticleReady { article_id, finished, .. } => {
            Outcome::Ready(complete_article(conn, *article_id, finished, now))
        }
        WriteOp::ArticleRevised { article_id, finished, .. } => {
            Outcome::Ready(revise_article(conn, *article_id, finished, now))
        }
        WriteOp::Chore { chore, .. } => Outcome::Pruned(run_chore(conn, chore, now)),
    }
}

impl Outcome {
    fn error(&self) -> Option<&StoreError> {
        match self {
            Outcome::Polled(Err(e)) | Outcome::Ready(Err(e)) | Outcome::Pruned(Err(e)) => Some(e),
            _ => None,
        }
    }

    fn into_error(self) -> StoreError {
        match self {
            Outcome::Polled(Err(e)) | Outcome::Ready(Err(e)) | Outcome::Pruned(Err(e)) => e,
            _ => StoreError::WriterGone,
        }
    }
}

fn run_chore(
    tx: &rusqlite::Connection,
    chore: &Chore,
    now: chrono::DateTime<Utc>,
) -> Result<usize, StoreError> {
    match chore {
        Chore::PrunePages { before, limit } => Ok(tx.execute(
            "DELETE FROM pages WHERE article_id IN
                (SELECT article_id FROM pages WHERE fetched_at < ?1 ORDER BY fetched_at LIMIT ?2)",
            rusqlite::params![super::fmt_time(*before), *limit as i64],
        )?),
        Chore::PruneArticles { policy, limit } => prune_articles(tx, policy, *limit, now),
        Chore::Vacuum { pages } => {
            let before: i64 = tx.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
            // incremental_vacuum returns one row per page freed; step through them.
            let mut stmt = tx.prepare(&format!("PRAGMA incremental_vacuum({pages})"))?;
            let mut rows = stmt.query([])?;
            while rows.next()?.is_some() {}
            let after: i64 = tx.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
            Ok((before - after).max(0) as usize)
        }
        Chore::Ping => Ok(0),
    }
}

fn failed(op: &WriteOp, e: &StoreError) -> Outcome {
    let copy = || StoreError::BatchFailed(e.to_string());
    match op {
        WriteOp::FeedPolled { .. } => Outcome::Polled(Err(copy())),
        WriteOp::ArticleReady { .. } | WriteOp::ArticleRevised { .. } => Outcome::Ready(Err(copy())),
        WriteOp::Chore { .. } => Outcome::Pruned(Err(copy())),
    }
}

fn reply_all(batch: Vec<WriteOp>, outcomes: Vec<Outcome>) {
    for (op, outcome) in batch.into_iter().zip(outcomes) {
        // A caller that stopped waiting (shutdown) is not an error.
        match (op, outcome) {
            (WriteOp::FeedPolled { reply, .. }, Outcome::Polled(r)) => {
                let _ = reply.send(r.map(|i| PollStored { pending: i.pending, known: i.known }));
            }
            (
                WriteOp::ArticleReady { reply, .. } | WriteOp::ArticleRevised { reply, .. },
                Outcome::Ready(r),
            ) => {
                let _ = reply.send(r);
            }
            (WriteOp::Chore { reply, .. }, Outcome::Pruned(r)) => {
                let _ = reply.send(r);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Entry;

    fn update() -> FeedUpdate {
        FeedUpdate { fetched_at: Utc::now(), next_poll_at: Utc::now(), ..Default::default() }
    }

    fn entry(link: &str) -> NewEntry {
        NewEntry {
            key: link.into(),
            entry: Entry { id: link.into(), link: Some(link.into()), ..Default::default() },
        }
    }

    #[test]
    fn a_failing_op_is_isolated_and_the_rest_of_its_batch_commits() {
        let store = Store::open_in_memory().unwrap();
        let feed = store.add_feed("https://example.org/feed", None).unwrap();
        let (handle, thread) = spawn(store, 64).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (good, bad, good2) = rt.block_on(async {
            // Sent together, so they share a batch: the middle one links an entry to a feed
            // that does not exist (a foreign-key violation).
            tokio::join!(
                handle.feed_polled(feed, update(), vec![entry("https://example.org/a")]),
                handle.feed_polled(feed + 1000, update(), vec![entry("https://example.org/b")]),
                handle.feed_polled(feed, update(), vec![entry("https://example.org/c")]),
            )
        });
        assert_eq!(good.unwrap().pending.len(), 1);
        assert!(bad.is_err());
        assert_eq!(good2.unwrap().pending.len(), 1);
        drop(handle);
        thread.join().unwrap().unwrap();
    }
}
