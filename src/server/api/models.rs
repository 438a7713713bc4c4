//! The model routes: `/api/models` (filtered and paginated) and `/api/models/{id}`.

use axum::Json;
use axum::extract::State;
use axum::http::Uri;

use super::{not_found, page_params, parse_relation};
use crate::kb::page::paginate;
use crate::kb::search::ModelFilter;
use crate::model::{AccessLevel, Kind, ModelKind, Relation};
use crate::server::error::ApiError;
use crate::server::params::{Params, PathParam};
use crate::server::state::AppState;
use crate::server::views::{Builder, ModelDetail, ModelSummary, Page};

/// List models, filtered and paginated.
#[utoipa::path(
    get,
    path = "/api/models",
    params(
        ("q" = Option<String>, Query, description = "Text to find in ids, names and aliases (case-insensitive)"),
        ("organization" = Option<String>, Query, min_length = 1, description = "Only models developed by this organisation or any organisation below it"),
        ("access" = Option<AccessLevel>, Query, description = "Only models with this access level now"),
        ("license" = Option<String>, Query, min_length = 1, description = "Only models under this licence id now"),
        ("relation" = Option<Vec<Relation>>, Query, style = Form, explode = false, description = "Only models with a lineage edge of one of these relations (repeat or comma-separate; empty means any)"),
        ("kind" = Option<ModelKind>, Query, description = "Only concrete models, or only families"),
        ("page" = Option<usize>, Query, minimum = 1, maximum = 2147483647, description = "Page number, from 1"),
        ("per_page" = Option<usize>, Query, minimum = 1, maximum = 1000, description = "Page size, 1 to 1000 (default 50)"),
    ),
    responses(
        (status = 200, description = "A page of models", body = Page<ModelSummary>),
        (status = 400, description = "A parameter is invalid"),
        (status = 404, description = "The organisation or licence filtered on does not exist (with close matches)"),
    ),
    tag = "models"
)]
pub(in crate::server) async fn list_models(
    State(state): State<AppState>,
    uri: Uri,
) -> Result<Json<Page<ModelSummary>>, ApiError> {
    let params = Params::parse(
        &uri,
        &[
            "q",
            "organization",
            "access",
            "license",
            "relation",
            "kind",
            "page",
            "per_page",
        ],
    )?;
    let request = page_params(&params)?;
    let snapshot = state.snapshot();
    let kb = &snapshot.kb;
    let organization = params.one("organization")?;
    if let Some(org) = organization
        && kb.dataset.organization(org).is_none()
    {
        return Err(not_found(&kb.dataset, Kind::Organization, org));
    }
    let license = params.one("license")?;
    if let Some(l) = license
        && kb.dataset.license(l).is_none()
    {
        return Err(not_found(&kb.dataset, Kind::License, l));
    }
    let filter = ModelFilter {
        text: params.one("q")?,
        organization,
        access: params.word::<AccessLevel>("access")?,
        license,
        relations: params
            .many("relation")
            .into_iter()
            .map(parse_relation)
            .collect::<Result<Vec<_>, _>>()?,
        family: params
            .word::<ModelKind>("kind")?
            .map(|kind| kind == ModelKind::Family),
    };
    let builder = Builder { kb };
    Ok(Json(
        paginate(kb.find_models(&filter), request).map(|m| builder.model_summary(m)),
    ))
}

/// A model with every claim and its sources.
#[utoipa::path(
    get,
    path = "/api/models/{id}",
    params(("id" = String, Path, description = "Model id")),
    responses(
        (status = 200, description = "The model", body = ModelDetail),
        (status = 404, description = "No such model; `did_you_mean` lists close ids"),
    ),
    tag = "models"
)]
pub(in crate::server) async fn get_model(
    State(state): State<AppState>,
    PathParam(id): PathParam,
    uri: Uri,
) -> Result<Json<ModelDetail>, ApiError> {
    Params::parse(&uri, &[])?;
    let snapshot = state.snapshot();
    let model = snapshot
        .kb
        .dataset
        .model(&id)
        .ok_or_else(|| not_found(&snapshot.kb.dataset, Kind::Model, &id))?;
    Ok(Json(Builder { kb: &snapshot.kb }.model_detail(model)))
}
