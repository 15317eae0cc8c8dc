//! The HTTP endpoint, served by `rill run` when `[api] listen` is set:
//!
//! * `GET /healthz`: `200 ok` while the pipeline makes progress, `503` when it is stalled.
//! * `GET /metrics`: Prometheus/OpenMetrics text of [`crate::metrics`], with the feeds by state
//!   and the last seq read from the database at scrape time.
//! * `GET /events`: Server-Sent Events, one `article` event per committed article in seq order,
//!   with `id:` = seq and the same JSON as `rill tail`. A client resumes with the
//!   `Last-Event-ID` header (or `?since=SEQ`) and gets every article after it, no gaps, no
//!   repeats; with neither it starts at the articles committed from now on.
//!
//! Owns the routes and the stream; reads the database through its own read-only connections
//! (one per stream), never through the writer. Does not own the metrics' meaning.

use crate::metrics::{Metrics, StateLabel};
use crate::store::{ArticleRow, Store, StoreError};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// Articles read from the database per query of a stream.
const EVENTS_BATCH: usize = 256;
/// How often a stream looks for articles committed by other processes (`rill reextract`),
/// which the in-process commit signal does not see.
const EVENTS_POLL: Duration = Duration::from_secs(2);

/// What the handlers share.
#[derive(Clone)]
pub struct ApiState {
    /// The database file.
    pub db: PathBuf,
    pub busy_timeout: Duration,
    pub metrics: Arc<Metrics>,
    /// Changes after every commit that made articles visible.
    pub commits: watch::Receiver<u64>,
    /// Whether the pipeline makes progress.
    pub healthy: Arc<dyn Fn() -> bool + Send + Sync>,
}

/// The routes, for [`serve`] and for tests.
pub fn router(state: ApiState, shutdown: CancellationToken) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/events", get(move |s, h, q| events(s, h, q, shutdown.clone())))
        .with_state(state)
}

/// Serves the API on `listener` until `shutdown` is cancelled.
pub async fn serve(listener: tokio::net::TcpListener, state: ApiState, shutdown: CancellationToken) {
    let app = router(state, shutdown.clone());
    let result = axum::serve(listener, app).with_graceful_shutdown(shutdown.cancelled_owned()).await;
    if let Err(e) = result {
        tracing::warn!(error = %e, "the API server stopped");
    }
}

async fn healthz(State(s): State<ApiState>) -> Response {
    if (s.healthy)() {
        (StatusCode::OK, "ok\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "stalled: the scheduler has not run for too long\n").into_response()
    }
}

async fn metrics(State(s): State<ApiState>) -> Response {
    let (db, timeout) = (s.db.clone(), s.busy_timeout);
    let read = tokio::task::spawn_blocking(move || -> Result<_, StoreError> {
        let store = Store::open_read_only(&db, timeout)?;
        Ok((store.feeds_by_state()?, store.last_seq()?))
    })
    .await;
    match read {
        Ok(Ok((states, last_seq))) => {
            s.metrics.feeds_by_state.clear();
            for (state, n) in states {
                s.metrics.feeds_by_state.get_or_create(&StateLabel { state }).set(n);
            }
            s.metrics.last_seq.set(last_seq);
        }
        Ok(Err(e)) => tracing::warn!(error = %e, "metrics: cannot read the database"),
        Err(e) => tracing::warn!(error = %e, "metrics: task failed"),
    }
    (
        [(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
        s.metrics.encode(),
    )
        .into_response()
}

#[derive(serde::Deserialize)]
struct EventsQuery {
    since: Option<i64>,
}

/// A stream's state between two events.
struct Cursor {
    store: Option<Store>,
    last: i64,
    queue: VecDeque<ArticleRow>,
    commits: watch::Receiver<u64>,
    shutdown: CancellationToken,
    db: PathBuf,
    busy_timeout: Duration,
}

async fn events(
    State(s): State<ApiState>,
    headers: HeaderMap,
    Query(q): Query<EventsQuery>,
    shutdown: CancellationToken,
) -> Response {
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().parse::<i64>().map_err(|_| v.to_string()));
    let since = match resume {
        Some(Ok(seq)) => Some(seq),
        Some(Err(bad)) => {
            let msg = format!("Last-Event-ID {bad:?} is not a seq; send the id of the last event received\n");
            return (StatusCode::BAD_REQUEST, msg).into_response();
        }
        None => q.since,
    };
    let (db, timeout) = (s.db.clone(), s.busy_timeout);
    let opened = tokio::task::spawn_blocking(move || -> Result<(Store, i64), StoreError> {
        let store = Store::open_read_only(&db, timeout)?;
        let last = store.last_seq()?;
        Ok((store, last))
    })
    .await;
    let (store, now_seq) = match opened {
        Ok(Ok(x)) => x,
        Ok(Err(e)) => return (StatusCode::SERVICE_UNAVAILABLE, format!("{e}\n")).into_response(),
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")).into_response(),
    };
    let cursor = Cursor {
        store: Some(store),
        last: since.unwrap_or(now_seq).max(0),
        queue: VecDeque::new(),
        commits: s.commits.clone(),
        shutdown,
        db: s.db.clone(),
        busy_timeout: s.busy_timeout,
    };
    Sse::new(article_events(cursor)).keep_alive(KeepAlive::default()).into_response()
}

/// Every article after `cursor.last`, as they are committed, until shutdown.
fn article_events(cursor: Cursor) -> impl Stream<Item = Result<Event, Infallible>> + Send {
    stream::unfold(cursor, |mut c| async move {
        loop {
            if let Some(row) = c.queue.pop_front() {
                c.last = row.seq;
                let data = serde_json::to_string(&row).unwrap_or_else(|_| "{}".into());
                let event = Event::default().id(row.seq.to_string()).event("article").data(data);
                return Some((Ok(event), c));
            }
            if c.shutdown.is_cancelled() {
                return None;
            }
            // Mark the current commit count as seen before reading, so a commit that lands
            // during the read wakes the next wait.
            c.commits.borrow_and_update();
            let store = match c.store.take() {
                Some(s) => s,
                None => match Store::open_read_only(&c.db, c.busy_timeout) {
                    Ok(s) => s,
                    Err(_) => return None,
                },
            };
            let last = c.last;
            let read = tokio::task::spawn_blocking(move || {
                let rows = store.articles_since(last, EVENTS_BATCH);
                (store, rows)
            })
            .await;
            match read {
                Ok((store, Ok(rows))) => {
                    c.store = Some(store);
                    if !rows.is_empty() {
                        c.queue.extend(rows);
                        continue;
                    }
                }
                Ok((_, Err(e))) => {
                    tracing::warn!(error = %e, "events: read failed; retrying");
                }
                Err(_) => return None,
            }
            tokio::select! {
                r = c.commits.changed() => {
                    if r.is_err() {
                        // The writer is gone (shutting down): fall back to polling.
                        tokio::time::sleep(EVENTS_POLL).await;
                    }
                }
                _ = tokio::time::sleep(EVENTS_POLL) => {}
                _ = c.shutdown.cancelled() => return None,
            }
        }
    })
}
