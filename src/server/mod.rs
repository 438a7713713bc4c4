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
mod sparql;
mod state;
mod views;
mod web;

use std::future::Future;
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, Request, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use negotiate::negotiate;
pub use openapi::openapi_json;
pub use state::{AppState, Config, DEFAULT_MAX_BODY_BYTES, Snapshot};

/// The whole application: routes, limits, CORS, request logging and panic recovery.
pub fn router(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
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

/// Serves `router(state)` on `listener` until `shutdown` completes, then finishes the
/// requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
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
