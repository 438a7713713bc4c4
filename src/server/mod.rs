//! The HTTP server: a SPARQL 1.1 Protocol endpoint, the lineage REST API, an OpenAPI
//! description and the web pages, all over one immutable snapshot of the knowledge
//! base.
//!
//! [`router`] builds the whole application without binding anything, so tests call it
//! with `oneshot`; [`serve`] takes a listener and a shutdown future from its caller
//! (the binary, or a test binding `127.0.0.1:0`), as mini-redis does.
//!
//! **Architecture Invariant:** only this module knows axum, tokio and HTTP. Handlers
//! read a snapshot and call the library; they never change data. Evaluation runs on
//! blocking threads, never on the async workers.

mod api;
mod error;
mod negotiate;
mod openapi;
mod params;
mod reload;
mod sparql;
mod state;
mod views;
mod web;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{Method, Request, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use negotiate::negotiate;
pub use openapi::openapi_json;
pub use reload::{SnapshotError, SnapshotSource, WATCH_DEBOUNCE, WatchError};
pub use state::{
    AppState, Config, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_QUERY_BYTES, DEFAULT_QUEUE_WAIT, ReloadOutcome, Snapshot,
    default_max_concurrent_queries,
};

/// Starts reloading on SIGHUP and, with `watch`, on file changes (see [`reload`]).
pub fn start_reloader(
    state: AppState,
    source: SnapshotSource,
    watch: bool,
) -> Result<(), WatchError> {
    reload::start(state, source, watch)
}

/// The whole application: routes, limits, CORS, request logging and panic recovery.
pub fn router(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    let deadline = state.config.idle_timeout;
    with_layers(routes(state), max_body, deadline)
}

fn routes(state: AppState) -> Router {
    let sparql = get(sparql::endpoint).post(sparql::endpoint);
    Router::new()
        .route("/sparql", sparql.clone())
        .route("/sparql/", sparql)
        .route("/api/models", get(api::list_models))
        .route("/api/models/{id}", get(api::get_model))
        .route("/api/models/{id}/lineage", get(api::lineage))
        .route("/api/path", get(api::path))
        .route("/api/organizations", get(api::list_organizations))
        .route("/api/organizations/{id}", get(api::get_organization))
        .route("/api/people", get(api::list_people))
        .route("/api/people/{id}", get(api::get_person))
        .route("/api/sources", get(api::list_sources))
        .route("/api/sources/{id}", get(api::get_source))
        .route("/api/licenses", get(api::list_licenses))
        .route("/api/licenses/{id}", get(api::get_license))
        .route("/api/queries", get(api::list_queries))
        .route("/api/queries/{name}", get(api::run_query))
        .route("/api/status", get(api::status))
        .route("/healthz", get(api::healthz))
        .route("/openapi.json", get(openapi::handler))
        .route("/ns", get(api::vocabulary))
        .merge(web::routes())
        .fallback(no_route)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

/// The layers every route goes through, outermost last: the request deadline, the
/// body limit, CORS, request logging and panic recovery. Public so that tests can
/// wrap routes of their own (a handler that panics) exactly as the server does.
pub fn with_layers(routes: Router, max_body: usize, deadline: Duration) -> Router {
    routes
        .layer(middleware::from_fn_with_state(deadline, request_deadline))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
                .allow_headers([header::CONTENT_TYPE, header::ACCEPT])
                .max_age(Duration::from_secs(3600)),
        )
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
                })
                .on_request(())
                .on_response(|response: &Response, latency: Duration, _span: &tracing::Span| {
                    tracing::info!(
                        status = response.status().as_u16(),
                        ms = format_args!("{:.2}", latency.as_secs_f64() * 1000.0),
                        "done"
                    );
                })
                .on_failure(()),
        )
        .layer(CatchPanicLayer::custom(panic_response))
}

async fn no_route(uri: axum::http::Uri) -> ApiError {
    ApiError::NoRoute(uri.path().chars().take(200).collect())
}

async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> Response {
    let body = serde_json::json!({
        "error": "method not allowed",
        "detail": format!("{method} is not accepted at {}; use GET (or POST for /sparql)", uri.path().chars().take(200).collect::<String>()),
    });
    (axum::http::StatusCode::METHOD_NOT_ALLOWED, axum::Json(body)).into_response()
}

/// Answers 408 when a request takes longer than `limit` from its head to its answer:
/// a client trickling its body cannot hold a worker. Evaluation has its own, shorter
/// limit, so a slow query is answered 503 before this fires.
async fn request_deadline(
    State(limit): State<Duration>,
    request: axum::extract::Request,
    next: Next,
) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::RequestTimeout(limit).into_response(),
    }
}

/// A panic in a handler becomes a logged report and a generic 500, never a dropped
/// connection.
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "handler panicked");
    ApiError::Internal("handler panicked".into()).into_response()
}

/// Stack of every server thread (async workers and evaluation threads): what any
/// query within the size limits needs (see [`crate::sparql::QUERY_STACK_BYTES`]).
pub const THREAD_STACK_BYTES: usize = crate::sparql::QUERY_STACK_BYTES;

/// Most time the server waits, after a shutdown signal, for requests in flight.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);
/// Most time the binary waits, after [`serve`] returns, for blocking work that is
/// still running (an evaluation between two checks, a reload reading a file) before
/// the process exits anyway.
pub const SHUTDOWN_STRAGGLERS: Duration = Duration::from_secs(2);

/// Serves `router(state)` on `listener` until `shutdown` completes, then finishes the
/// requests in flight (for at most [`SHUTDOWN_GRACE`]).
///
/// HTTP/1.1 connections are served by hyper directly rather than `axum::serve`,
/// because the connection-level limits need its builder: the header read timeout
/// (which hyper also applies while a kept-alive connection waits for its next
/// request) and an idle timeout on the socket itself.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let idle_timeout = state.config.idle_timeout;
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(state.config.header_read_timeout)
        .keep_alive(true);
    let app = router(state);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let activity = Activity::new();
        let io = TokioIo::new(Tracked {
            stream,
            activity: activity.clone(),
        });
        let service = TowerToHyperService::new(app.clone());
        let connection = graceful.watch(http.serve_connection(io, service));
        tokio::spawn(async move {
            tokio::select! {
                result = connection => {
                    if let Err(error) = result {
                        tracing::debug!(%peer, %error, "connection ended with an error");
                    }
                }
                () = activity.idle_for(idle_timeout) => {
                    tracing::info!(%peer, seconds = idle_timeout.as_secs(), "closed an idle connection");
                }
            }
        });
    }
    drop(listener);
    // Queries still running would only be cut off at the end of the grace period:
    // stop them now, so their clients hear why at once and their threads are free.
    crate::sparql::guard::stop_all(crate::sparql::StopReason::Shutdown);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running after the grace period were cut off");
    }
    Ok(())
}

/// When a connection last moved a byte, shared between its socket and its watchdog.
#[derive(Clone, Debug)]
struct Activity {
    opened: Instant,
    last_ms: Arc<AtomicU64>,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            last_ms: Arc::new(AtomicU64::new(0)),
        }
    }

    fn touch(&self) {
        let now = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(now, Ordering::Relaxed);
    }

    /// Completes once no byte has moved for `limit`.
    async fn idle_for(self, limit: Duration) {
        loop {
            let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
            let deadline = self.opened + last + limit;
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline.into()).await;
        }
    }
}

/// A TCP stream that records its activity.
#[derive(Debug)]
struct Tracked {
    stream: TcpStream,
    activity: Activity,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// `2026-11-28T21:18:20Z` for a system time (UTC, whole seconds).
pub fn rfc3339(time: SystemTime) -> String {
    let seconds = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rest) = ((seconds / 86_400) as i64, seconds % 86_400);
    // Civil-from-days (Howard Hinnant's algorithm), exact for the proleptic Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The git commit checked out in the work tree that holds `dir`, read from `.git`
/// without running git. `None` outside a git work tree.
pub fn git_commit(dir: &std::path::Path) -> Option<String> {
    let dir = dir.canonicalize().ok()?;
    let git = dir
        .ancestors()
        .map(|a| a.join(".git"))
        .find(|g| g.is_dir())?;
    let head = std::fs::read_to_string(git.join("HEAD")).ok()?;
    let head = head.trim();
    let Some(reference) = head.strip_prefix("ref: ") else {
        return Some(head.to_owned());
    };
    if let Ok(commit) = std::fs::read_to_string(git.join(reference)) {
        return Some(commit.trim().to_owned());
    }
    let packed = std::fs::read_to_string(git.join("packed-refs")).ok()?;
    packed.lines().find_map(|line| {
        let (commit, name) = line.split_once(' ')?;
        (name == reference).then(|| commit.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::rfc3339;
    use std::time::{Duration, SystemTime};

    #[test]
    fn formats_utc_timestamps() {
        assert_eq!(rfc3339(SystemTime::UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_364_700);
        assert_eq!(rfc3339(time), "2025-11-28T21:18:20Z");
        let leap = SystemTime::UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(rfc3339(leap), "2000-02-29T00:00:00Z");
    }
}
