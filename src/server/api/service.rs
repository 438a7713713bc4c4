//! The service routes: what the server is serving (`/api/status`), liveness
//! (`/healthz`) and the vocabulary (`/ns`).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::server::error::ApiError;
use crate::server::negotiate::negotiate;
use crate::server::params::Params;
use crate::server::state::{AppState, ReloadOutcome};

/// Counts of records by kind.
#[derive(Debug, Serialize, ToSchema)]
pub struct Counts {
    pub models: usize,
    pub families: usize,
    pub organizations: usize,
    pub people: usize,
    pub sources: usize,
    pub licenses: usize,
    pub lineage_edges: usize,
    pub triples: usize,
    pub canned_queries: usize,
    /// Compliance findings about all models (`/api/findings`).
    pub findings: usize,
}

/// Memory in use, in bytes (process figures from /proc on Linux, else null).
#[derive(Debug, Serialize, ToSchema)]
pub struct Memory {
    pub rss_bytes: Option<u64>,
    pub peak_rss_bytes: Option<u64>,
    /// Held by the lineage index (graph and id map).
    pub lineage_index_bytes: usize,
    /// Held by the obligation walks' tables and the compliance findings.
    pub obligations_bytes: usize,
    /// Held by search: every record's place in name order and its keys (`kb::search`).
    pub search_index_bytes: usize,
    /// SPARQL evaluations running now (abandoned ones stop at their next step).
    pub running_queries: usize,
    /// Bytes allocated now (counted by the binary's allocator; what the memory budget
    /// measures). Lower than the RSS, which also holds what the allocator keeps for
    /// reuse.
    pub allocated_bytes: Option<usize>,
}

/// A figure of `/proc/self/status` in bytes (`VmRSS`, `VmHWM`).
fn proc_status(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// What the server is serving.
#[derive(Debug, Serialize, ToSchema)]
pub struct Status {
    pub counts: Counts,
    /// When the data was loaded (RFC 3339, UTC).
    pub loaded_at: String,
    /// The git commit of the data folder, when known.
    pub data_version: Option<String>,
    /// Milliseconds spent loading, validating and indexing.
    pub build_ms: f64,
    pub base_iri: String,
    pub memory: Memory,
    /// The last reload attempt (SIGHUP or `--watch`), if any since start-up. When it
    /// failed, the data above is still the last good data, and this says why.
    #[schema(value_type = Option<ReloadOutcome>)]
    pub last_reload: Option<Arc<ReloadOutcome>>,
    pub limits: LimitsView,
}

/// The limits this server enforces (`docs/security.md`).
#[derive(Debug, Serialize, ToSchema)]
pub struct LimitsView {
    pub max_body_bytes: usize,
    pub max_query_bytes: usize,
    pub query_timeout_s: f64,
    pub max_rows: usize,
    /// Most bytes the queries running at once may add to the process.
    pub max_query_memory_bytes: usize,
    /// Largest value (string or IRI) a query may build.
    pub max_value_bytes: usize,
    pub max_concurrent_queries: usize,
    pub queue_wait_ms: f64,
    pub header_read_timeout_s: f64,
    pub idle_timeout_s: f64,
}

/// Counts, load time, data version, the last reload and the limits.
#[utoipa::path(get, path = "/api/status", responses((status = 200, description = "Status", body = Status)), tag = "service")]
pub(in crate::server) async fn status(
    State(state): State<AppState>,
    uri: Uri,
) -> Result<Json<Status>, ApiError> {
    Params::parse(&uri, &[])?;
    let snapshot = state.snapshot();
    let kb = &snapshot.kb;
    let config = &state.config;
    let counts = kb.counts();
    Ok(Json(Status {
        counts: Counts {
            models: counts.models,
            families: counts.families,
            organizations: counts.organizations,
            people: counts.people,
            sources: counts.sources,
            licenses: counts.licenses,
            lineage_edges: counts.lineage_edges,
            triples: kb.stats.quads,
            canned_queries: snapshot.queries.len(),
            findings: kb.findings.len(),
        },
        loaded_at: crate::server::rfc3339(snapshot.loaded_at),
        data_version: snapshot.data_version.clone(),
        build_ms: kb.stats.total().as_secs_f64() * 1000.0,
        base_iri: kb.iris.base().to_owned(),
        memory: Memory {
            rss_bytes: proc_status("VmRSS:"),
            peak_rss_bytes: proc_status("VmHWM:"),
            lineage_index_bytes: kb.lineage.heap_bytes(),
            obligations_bytes: kb.obligations_heap_bytes(),
            search_index_bytes: kb.search_heap_bytes(),
            running_queries: crate::sparql::guard::running(),
            allocated_bytes: crate::sparql::guard::allocated(),
        },
        last_reload: state.last_reload(),
        limits: LimitsView {
            max_body_bytes: config.max_body_bytes,
            max_query_bytes: config.max_query_bytes,
            query_timeout_s: config.limits.timeout.as_secs_f64(),
            max_rows: config.limits.max_rows,
            max_query_memory_bytes: config.max_query_memory,
            max_value_bytes: config.limits.max_value_bytes,
            max_concurrent_queries: config.max_concurrent_queries,
            queue_wait_ms: config.queue_wait.as_secs_f64() * 1000.0,
            header_read_timeout_s: config.header_read_timeout.as_secs_f64(),
            idle_timeout_s: config.idle_timeout.as_secs_f64(),
        },
    }))
}

/// Liveness: answers `ok` while the server runs.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "ok", body = String)), tag = "service")]
pub(in crate::server) async fn healthz() -> impl IntoResponse {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "ok\n",
    )
}

/// The vocabulary (Turtle), so `ped:` terms can be looked up. A client that asks
/// for `text/plain` (a browser showing the text) gets the same Turtle labelled as
/// it asked: the Content-Type is the negotiated type.
#[utoipa::path(
    get,
    path = "/ns",
    summary = "The vocabulary (Turtle), so `ped:` terms can be looked up",
    description = "A client that asks for `text/plain` (a browser showing the text) gets the same Turtle labelled as it asked: the Content-Type is the negotiated type.",
    responses(
        (status = 200, description = "The Pedigree vocabulary (the `ped:` terms) in Turtle, labelled with the negotiated type", content(
            (String = "text/turtle"),
            (String = "text/plain"),
        )),
        (status = 406, description = "Neither text/turtle nor text/plain is acceptable"),
    ),
    tag = "service"
)]
pub(in crate::server) async fn vocabulary(headers: HeaderMap) -> Result<Response, ApiError> {
    let (media_type, ()) = negotiate(&headers, &[("text/turtle", ()), ("text/plain", ())])?;
    Ok((
        [
            (header::CONTENT_TYPE, format!("{media_type}; charset=utf-8")),
            (header::VARY, "Accept".to_owned()),
        ],
        crate::rdf::VOCABULARY_TURTLE,
    )
        .into_response())
}
