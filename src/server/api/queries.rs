//! The canned-query routes: the catalogue of `queries/` (`/api/queries`) and running
//! one with its parameters (`/api/queries/{name}`), answered like `/sparql`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

use super::close_matches;
use crate::server::error::ApiError;
use crate::server::params::{Params, PathParam};
use crate::server::state::AppState;
use crate::sparql::{self, DatasetOverride};

/// A canned query in the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueryInfo {
    pub name: String,
    pub title: String,
    pub description: String,
    pub params: Vec<QueryParam>,
    /// The SPARQL text, header included.
    pub sparql: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueryParam {
    pub name: String,
    pub default: String,
    pub description: String,
}

/// The canned queries of `queries/`.
#[utoipa::path(
    get,
    path = "/api/queries",
    responses((status = 200, description = "Every canned query", body = Vec<QueryInfo>)),
    tag = "queries"
)]
pub(in crate::server) async fn list_queries(
    State(state): State<AppState>,
    uri: Uri,
) -> Result<Json<Vec<QueryInfo>>, ApiError> {
    Params::parse(&uri, &[])?;
    let snapshot = state.snapshot();
    Ok(Json(
        snapshot
            .queries
            .iter()
            .map(|q| QueryInfo {
                name: q.name.clone(),
                title: q.title.clone(),
                description: q.description.clone(),
                params: q
                    .params
                    .iter()
                    .map(|p| QueryParam {
                        name: p.name.clone(),
                        default: p.default.clone(),
                        description: p.description.clone(),
                    })
                    .collect(),
                sparql: q.text.clone(),
            })
            .collect(),
    ))
}

/// Runs a canned query; its documented parameters are URL parameters. The answer is
/// content-negotiated like `/sparql`.
#[utoipa::path(
    get,
    path = "/api/queries/{name}",
    params(("name" = String, Path, description = "Query name, as listed by /api/queries")),
    responses(
        (status = 200, description = "The answer, in the negotiated SPARQL results or RDF format"),
        (status = 400, description = "A parameter is not one the query declares"),
        (status = 404, description = "No such query"),
        (status = 406, description = "No acceptable format"),
    ),
    tag = "queries"
)]
pub(in crate::server) async fn run_query(
    State(state): State<AppState>,
    PathParam(name): PathParam,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snapshot = state.snapshot();
    // The name is looked up in the catalogue read at start-up, never joined to a path.
    let query = snapshot.query(&name).ok_or_else(|| {
        let names: Vec<&str> = snapshot.queries.iter().map(|q| q.name.as_str()).collect();
        ApiError::NotFound {
            what: "query",
            id: name.chars().take(200).collect(),
            suggestions: close_matches(&name, &names),
        }
    })?;
    let declared: Vec<&str> = query.params.iter().map(|p| p.name.as_str()).collect();
    let params = Params::parse(&uri, &declared)?;
    let text = sparql::bind_parameters(&query.text, params.pairs())?;
    let parsed = sparql::parse_with_base(&text, Some(snapshot.kb.iris.base()))?;
    crate::server::protocol::answer(
        &state,
        snapshot,
        parsed,
        DatasetOverride::default(),
        &headers,
    )
    .await
}
