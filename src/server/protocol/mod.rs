//! The SPARQL 1.1 Protocol endpoint at `/sparql`: query by GET or POST (form or
//! direct), dataset parameters, content negotiation, a service description, and a
//! clear refusal of everything that would change data or reach elsewhere.
//!
//! This file holds the endpoint and the reading of a query within the size limits;
//! `request` reads a request's shape (where the query is, the dataset parameters),
//! `answer` evaluates and writes the negotiated answer, and `service_description`
//! describes the endpoint to a GET without a query.

mod answer;
mod request;
mod service_description;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;

use super::error::ApiError;
use super::state::{AppState, Snapshot};
use crate::sparql::{self, DatasetOverride, Query};
pub(super) use answer::{answer, run_then};
pub(super) use request::parse_params;
use request::read_request;
pub(super) use service_description::ListeningOn;
use service_description::{endpoint_url, service_description};

/// `GET` and `POST` on `/sparql`.
pub(super) async fn endpoint(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    listening: Option<Extension<ListeningOn>>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let snapshot = state.snapshot();
    let Some((query, dataset)) = read_query(&state, &snapshot, &method, &uri, &headers, body)?
    else {
        let endpoint = endpoint_url(&headers, &uri, listening.map(|Extension(on)| on));
        return service_description(&snapshot, &headers, &uri, endpoint);
    };
    answer(&state, snapshot, query, dataset, &headers).await
}

/// Reads and parses the query of a protocol request, within the size limits: the
/// one reading of `/sparql` requests, shared with the SPARQL page's CSV download.
/// `None` when the request carries no query.
pub(super) fn read_query(
    state: &AppState,
    snapshot: &Snapshot,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Option<(Query, DatasetOverride)>, ApiError> {
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(state.config.max_body_bytes),
        _ => ApiError::BadRequest(format!("cannot read the request body: {rejection}")),
    })?;
    let request = read_request(method, uri, headers, &body)?;
    let Some(query_text) = request.query else {
        return Ok(None);
    };
    refuse_too_long(state, &query_text)?;
    let query = sparql::parse_with_base(&query_text, Some(snapshot.kb.iris.base()))?;
    Ok(Some((query, request.dataset)))
}

/// Refuses a query longer than `--max-query-bytes`: the one check every way of
/// sending a query goes through (`/sparql`, the page's CSV download and the SPARQL
/// page's `run=1`), so none skips the limit.
pub(super) fn refuse_too_long(state: &AppState, query_text: &str) -> Result<(), ApiError> {
    let limit = state.config.max_query_bytes;
    if query_text.len() > limit {
        return Err(ApiError::QueryTooLong {
            length: query_text.len(),
            limit,
        });
    }
    Ok(())
}
