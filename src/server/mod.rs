//! The HTTP server: a SPARQL 1.1 Protocol endpoint, the JSON API, an OpenAPI
//! description and the web pages, all over one immutable snapshot of the knowledge
//! base.
//!
//! [`router`] builds the whole application without binding anything, so tests call it
//! with `oneshot`; [`serve`] takes a listener and a shutdown future from its caller
//! (the binary, or a test binding `127.0.0.1:0`), as mini-redis does.
//!
//! This file assembles the router (the API routes with their OpenAPI entries, the
//! routes outside the document, the fallbacks); `layers` wraps it, `serve` and
//! `connection` put it on a socket; `api`, `protocol` and `web` answer.
//!
//! **Architecture Invariant:** only this module knows axum, tokio and HTTP. Handlers
//! read a snapshot and call the library; they never change data. Evaluation runs on
//! blocking threads, never on the async workers.

mod api;
mod blocking;
mod connection;
mod error;
mod layers;
mod negotiate;
mod openapi;
mod params;
mod protocol;
mod reload;
mod serve;
mod state;
mod views;
mod web;

use std::time::SystemTime;

use axum::Router;
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::snapshot::SnapshotSource;
pub use connection::MAX_REQUEST_LINE_BYTES;
pub use error::ApiError;
pub use layers::with_layers;
pub use negotiate::negotiate;
pub use openapi::openapi_json;
pub use reload::{WATCH_DEBOUNCE, WatchError};
pub use serve::{SHUTDOWN_GRACE, SHUTDOWN_STRAGGLERS, THREAD_STACK_BYTES, serve, shutdown_signal};
pub use state::{
    AppState, Config, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_QUERY_BYTES, DEFAULT_QUEUE_WAIT, ReloadOutcome, default_max_concurrent_queries,
};
pub use web::pages::svg_link;

/// Starts reloading on SIGHUP and, with `watch`, on file changes (see the `reload` module).
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
        .routes(routes!(api::obligations::model_obligations))
        .routes(routes!(api::obligations::list_findings))
        .routes(routes!(api::lineage::lineage))
        .routes(routes!(api::bom::bom))
        .routes(routes!(api::lineage::path))
        .routes(routes!(api::neighbours::bases))
        .routes(routes!(api::neighbours::derivatives))
        .routes(routes!(api::records::list_organizations))
        .routes(routes!(api::records::get_organization))
        .routes(routes!(api::records::list_people))
        .routes(routes!(api::records::get_person))
        .routes(routes!(api::records::list_sources))
        .routes(routes!(api::records::get_source))
        .routes(routes!(api::records::list_licenses))
        .routes(routes!(api::records::get_license))
        .routes(routes!(api::records::list_datasets))
        .routes(routes!(api::records::get_dataset))
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

/// The paths of the routes outside the OpenAPI document (see `non_api_routes`);
/// together with the document's paths, every route the server answers.
pub fn non_api_paths() -> Vec<&'static str> {
    non_api_routes().into_iter().map(|(path, _)| path).collect()
}

/// A path no route serves: JSON, or a page for a browser (`web::no_route` decides).
async fn no_route(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: axum::http::HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    web::no_route(&state, &headers, &uri)
}

async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> Response {
    let body = serde_json::json!({
        "error": "method not allowed",
        "detail": format!("{method} is not accepted at {}; use GET (or POST for /sparql)", uri.path().chars().take(200).collect::<String>()),
    });
    (axum::http::StatusCode::METHOD_NOT_ALLOWED, axum::Json(body)).into_response()
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
