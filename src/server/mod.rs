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
mod protocol;
mod reload;
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
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::snapshot::SnapshotSource;
pub use error::ApiError;
pub use negotiate::negotiate;
pub use openapi::openapi_json;
pub use reload::{WATCH_DEBOUNCE, WatchError};
pub use state::{
    AppState, Config, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_QUERY_BYTES, DEFAULT_QUEUE_WAIT, ReloadOutcome, default_max_concurrent_queries,
};
pub use web::pages::svg_link;

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
    // `/openapi.json` serves the document of the same `api_routes` (built once, in
    // `openapi::document`), so this copy of it is not needed.
    let (api, _document) = api_routes().split_for_parts();
    non_api_routes()
        .into_iter()
        .fold(api, |router, (path, route)| router.route(path, route))
        .fallback(no_route)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

/// The JSON API: each route is declared by its handler, whose `#[utoipa::path]`
/// gives both the path it is served on and its entry in the OpenAPI document
/// ([`openapi::document`] is built from this router), so no route of the API can be
/// missing from the document.
fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(api::models::list_models))
        .routes(routes!(api::models::get_model))
        .routes(routes!(api::lineage::lineage))
        .routes(routes!(api::lineage::path))
        .routes(routes!(api::records::list_organizations))
        .routes(routes!(api::records::get_organization))
        .routes(routes!(api::records::list_people))
        .routes(routes!(api::records::get_person))
        .routes(routes!(api::records::list_sources))
        .routes(routes!(api::records::get_source))
        .routes(routes!(api::records::list_licenses))
        .routes(routes!(api::records::get_license))
        .routes(routes!(api::queries::list_queries))
        .routes(routes!(api::queries::run_query))
        .routes(routes!(api::service::status))
        .routes(routes!(api::service::healthz))
        .routes(routes!(api::service::vocabulary))
        .routes(routes!(openapi::get_openapi))
}

/// Every route outside the OpenAPI document, by path: the SPARQL 1.1 Protocol
/// endpoint, which its own service description describes (a SPARQL client reads that,
/// and its parameters and bodies are the W3C protocol's), and the web pages with
/// their assets, which answer HTML, not an API. docs/http-api.md lists them under
/// "Routes"; a test keeps this list, the document and that table in agreement.
fn non_api_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    let sparql = get(protocol::endpoint).post(protocol::endpoint);
    let mut routes = vec![("/sparql", sparql.clone()), ("/sparql/", sparql)];
    routes.extend(web::routes());
    routes
}

/// The paths of the routes outside the OpenAPI document (see [`non_api_routes`]);
/// together with the document's paths, every route the server answers.
pub fn non_api_paths() -> Vec<&'static str> {
    non_api_routes().into_iter().map(|(path, _)| path).collect()
}

/// The layers every route goes through, outermost last: the request deadline, the
/// body limit, CORS, request logging and panic recovery. Public so that tests can
/// wrap routes of their own (a handler that panics) exactly as the server does.
pub fn with_layers(routes: Router, max_body: usize, deadline: Duration) -> Router {
    routes
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            deadline,
        ))
        .layer(middleware::map_response_with_state(deadline, explain_deadline))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(max_body, refuse_announced_oversize))
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

/// Gives the 408 of the request deadline (tower-http's `TimeoutLayer`, which answers
/// with an empty body) the JSON error body every error has. A request takes at most
/// `limit` from its head to its answer: a client trickling its body cannot hold a
/// worker. Evaluation has its own, shorter limit, so a slow query is answered 503
/// before this fires. No handler answers 408 itself, so every 408 here is the
/// deadline's.
async fn explain_deadline(State(limit): State<Duration>, response: Response) -> Response {
    if response.status() == StatusCode::REQUEST_TIMEOUT {
        return ApiError::RequestTimeout(limit).into_response();
    }
    response
}

/// Answers 413 at once when a request announces, in `Content-Length`, a body larger
/// than `max_body`, before anything reads the body. Reading is what makes hyper send
/// `100 Continue` to a client that sent `Expect: 100-continue`; without this check
/// such a client was invited to send gigabytes only to be refused, and a client that
/// announced a huge body and sent none held the request until the deadline. The body
/// stays unread, so the connection is closed after the answer.
async fn refuse_announced_oversize(
    State(max_body): State<usize>,
    request: axum::extract::Request,
    next: Next,
) -> Response {
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if announced.is_some_and(|length| length > max_body as u64) {
        let mut response = ApiError::PayloadTooLarge(max_body).into_response();
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return response;
    }
    next.run(request).await
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
    let header_read_timeout = state.config.header_read_timeout;
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(state.config.header_read_timeout)
        .keep_alive(true);
    // The listening address is what the service description names as the endpoint
    // when a request carries no `Host` (see `protocol::endpoint_url`).
    let app = router(state).layer(axum::Extension(protocol::ListeningOn(
        listener.local_addr()?,
    )));
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
        let mut io = Tracked {
            stream,
            activity: activity.clone(),
        };
        let service = TowerToHyperService::new(app.clone());
        let http = http.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let connection = async {
                let line = tokio::time::timeout(header_read_timeout, read_request_line(&mut io));
                let head = match line.await {
                    Ok(Ok(RequestLine::Read(head))) => head,
                    Ok(Ok(RequestLine::TooLong)) => return refuse_long_request_line(&mut io).await,
                    // Closed, failed or too slow before its first line ended: hyper
                    // would close such a connection too, without an answer.
                    Ok(Err(_)) | Err(_) => return Ok(()),
                };
                let io = TokioIo::new(Replay { head, at: 0, io });
                watcher.watch(http.serve_connection(io, service)).await
            };
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

/// Longest request line (method, target and version) the server reads.
///
/// hyper refuses a request target longer than 65,534 bytes itself, answering a bare
/// 414 with no body, and offers no way to change that answer. So the first line of
/// each connection is read here before hyper sees it, and a line longer than this
/// (which every target hyper would refuse makes it) is answered with the JSON error
/// of [`ApiError::UriTooLong`]. Later requests on a kept-alive connection reach
/// hyper directly and keep its bare 414: their first line cannot be found without
/// parsing the request before it.
pub const MAX_REQUEST_LINE_BYTES: usize = 65_534;

/// What the start of a connection holds.
enum RequestLine {
    /// The bytes read, up to and including the end of the first line (and perhaps
    /// more), to be replayed to hyper.
    Read(Vec<u8>),
    /// The first line is longer than [`MAX_REQUEST_LINE_BYTES`].
    TooLong,
}

/// Reads a connection until its first line ends or grows longer than the limit.
async fn read_request_line(io: &mut Tracked) -> std::io::Result<RequestLine> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 8192];
    loop {
        let n = read_some(io, &mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let searched = head.len();
        head.extend_from_slice(&chunk[..n]);
        match head[searched..].iter().position(|&b| b == b'\n') {
            Some(end) if searched + end <= MAX_REQUEST_LINE_BYTES => {
                return Ok(RequestLine::Read(head));
            }
            Some(_) => return Ok(RequestLine::TooLong),
            None if head.len() > MAX_REQUEST_LINE_BYTES => return Ok(RequestLine::TooLong),
            None => {}
        }
    }
}

/// Reads what the stream has into `chunk`; 0 at its end. (tokio's io-util extension
/// traits are not built, so the stream is polled directly.)
async fn read_some(io: &mut Tracked, chunk: &mut [u8]) -> std::io::Result<usize> {
    std::future::poll_fn(|cx| {
        let mut buf = ReadBuf::new(chunk);
        Pin::new(&mut *io)
            .poll_read(cx, &mut buf)
            .map_ok(|()| buf.filled().len())
    })
    .await
}

/// Answers a request line over the limit with 414 and the JSON error shape, then
/// closes the connection (the rest of the request is never read).
async fn refuse_long_request_line(io: &mut Tracked) -> Result<(), hyper::Error> {
    let response = ApiError::UriTooLong(MAX_REQUEST_LINE_BYTES).into_response();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_owned();
    let Ok(body) = axum::body::to_bytes(response.into_body(), usize::MAX).await else {
        return Ok(());
    };
    let head = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    );
    // The client may already have gone; there is no one left to tell.
    let mut answer = head.into_bytes();
    answer.extend_from_slice(&body);
    let mut written = 0;
    while written < answer.len() {
        match std::future::poll_fn(|cx| Pin::new(&mut *io).poll_write(cx, &answer[written..])).await
        {
            Ok(0) | Err(_) => return Ok(()),
            Ok(n) => written += n,
        }
    }
    let _ = std::future::poll_fn(|cx| Pin::new(&mut *io).poll_shutdown(cx)).await;
    // Closing a socket with unread bytes makes the kernel reset the connection, and a
    // reset can destroy the answer before the client reads it; so read on (and
    // discard) what the client is still sending, within a bound. The connection's
    // idle timeout ends a client that neither sends nor closes.
    let mut chunk = [0u8; 8192];
    let mut drained = 0;
    while drained < MAX_DRAIN_BYTES {
        match read_some(io, &mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
    Ok(())
}

/// Most bytes read and discarded after refusing a request line, so the refusal
/// reaches a client still sending (see [`refuse_long_request_line`]).
const MAX_DRAIN_BYTES: usize = 1024 * 1024;

/// A connection whose first bytes were already read: replays them, then reads on.
#[derive(Debug)]
struct Replay {
    head: Vec<u8>,
    at: usize,
    io: Tracked,
}

impl AsyncRead for Replay {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        if this.at < this.head.len() {
            let n = buf.remaining().min(this.head.len() - this.at);
            buf.put_slice(&this.head[this.at..this.at + n]);
            this.at += n;
            if this.at == this.head.len() {
                this.head = Vec::new();
                this.at = 0;
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.io).poll_read(cx, buf)
    }
}

impl AsyncWrite for Replay {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
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

/// `2026-11-28T21:18:20Z` for a system time (UTC, whole seconds). `jiff` writes RFC
/// 3339 and drops the fraction, which is zero here. A time before 1970 (or after
/// jiff's year 9999) reads as the epoch.
pub fn rfc3339(time: SystemTime) -> String {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .ok()
        .and_then(|since| i64::try_from(since.as_secs()).ok())
        .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_string()
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
