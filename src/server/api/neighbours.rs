//! The lists of a model's direct bases and derivatives (`/api/models/{id}/bases`,
//! `/api/models/{id}/derivatives`): every claim, ended ones too, filtered by relation
//! and confidence, ranked surest first, paginated. The model record lists the first
//! hundred of each and links here; so do a lineage answer's folded counts.

use axum::Json;
use axum::extract::State;
use axum::http::Uri;

use super::{not_found, page_params, parse_relation};
use crate::kb::page::Page;
use crate::lineage::Direction;
use crate::lineage::neighbours::NeighbourFilter;
use crate::model::{Confidence, Kind, Relation};
use crate::server::error::ApiError;
use crate::server::params::{Params, PathParam};
use crate::server::state::AppState;
use crate::server::views::Builder;
use crate::view::EdgeView;

/// The parameters of a list of direct claims, as the API and the pages read them.
pub(in crate::server) const NEIGHBOUR_PARAMETERS: &[&str] =
    &["relation", "min_confidence", "page", "per_page"];

/// The filter of a list of direct claims.
pub(in crate::server) fn neighbour_filter(params: &Params) -> Result<NeighbourFilter, ApiError> {
    Ok(NeighbourFilter {
        relations: params
            .many("relation")
            .into_iter()
            .map(parse_relation)
            .collect::<Result<_, _>>()?,
        min_confidence: params.word::<Confidence>("min_confidence")?,
    })
}

async fn list(
    state: AppState,
    id: String,
    uri: Uri,
    direction: Direction,
) -> Result<Json<Page<EdgeView>>, ApiError> {
    let params = Params::parse(&uri, NEIGHBOUR_PARAMETERS)?;
    let filter = neighbour_filter(&params)?;
    let request = page_params(&params)?;
    let snapshot = state.snapshot();
    let kb = &snapshot.kb;
    // The lists cover every node of the lineage: models and datasets.
    if kb.dataset.model(&id).is_none() && kb.dataset.training_data(&id).is_none() {
        return Err(not_found(&kb.dataset, Kind::Model, &id));
    }
    Ok(Json(
        Builder { kb }.neighbour_page(&id, direction, &filter, request),
    ))
}

/// A model's direct bases: every claim naming a base, ranked, paginated.
#[utoipa::path(
    get,
    path = "/api/models/{id}/bases",
    params(
        ("id" = String, Path, description = "Model id"),
        ("relation" = Option<Vec<Relation>>, Query, style = Form, explode = false, description = "Only these relations (repeat or comma-separate; empty means any)"),
        ("min_confidence" = Option<Confidence>, Query, description = "Only claims at least this sure"),
        ("page" = Option<usize>, Query, minimum = 1, maximum = 2147483647, description = "Page number, from 1"),
        ("per_page" = Option<usize>, Query, minimum = 1, maximum = 1000, description = "Page size, 1 to 1000 (default 50)"),
    ),
    responses(
        (status = 200, description = "A page of claims, surest first, then the base most built upon, newest, by name", body = Page<EdgeView>),
        (status = 400, description = "A parameter is invalid"),
        (status = 404, description = "No such model"),
    ),
    tag = "lineage"
)]
pub(in crate::server) async fn bases(
    State(state): State<AppState>,
    PathParam(id): PathParam,
    uri: Uri,
) -> Result<Json<Page<EdgeView>>, ApiError> {
    list(state, id, uri, Direction::Up).await
}

/// A model's direct derivatives: every claim naming it as a base, ranked, paginated.
#[utoipa::path(
    get,
    path = "/api/models/{id}/derivatives",
    params(
        ("id" = String, Path, description = "Model id"),
        ("relation" = Option<Vec<Relation>>, Query, style = Form, explode = false, description = "Only these relations (repeat or comma-separate; empty means any)"),
        ("min_confidence" = Option<Confidence>, Query, description = "Only claims at least this sure"),
        ("page" = Option<usize>, Query, minimum = 1, maximum = 2147483647, description = "Page number, from 1"),
        ("per_page" = Option<usize>, Query, minimum = 1, maximum = 1000, description = "Page size, 1 to 1000 (default 50)"),
    ),
    responses(
        (status = 200, description = "A page of claims, surest first, then the derivative most built upon, newest, by name", body = Page<EdgeView>),
        (status = 400, description = "A parameter is invalid"),
        (status = 404, description = "No such model"),
    ),
    tag = "lineage"
)]
pub(in crate::server) async fn derivatives(
    State(state): State<AppState>,
    PathParam(id): PathParam,
    uri: Uri,
) -> Result<Json<Page<EdgeView>>, ApiError> {
    list(state, id, uri, Direction::Down).await
}
