//! The handler of the lists of a model's direct bases and derivatives
//! (`/models/{id}/bases`, `/models/{id}/derivatives`), read as the API reads them
//! (`api::neighbours`), with an empty form field meaning "not set".

use axum::extract::State;
use axum::http::Uri;

use super::{PageResult, fail, footer, missing, page, pages};
use crate::lineage::Direction;
use crate::lineage::neighbours::NeighbourFilter;
use crate::model::{Confidence, Kind, Word};
use crate::server::api::neighbours::NEIGHBOUR_PARAMETERS;
use crate::server::error::ApiError;
use crate::server::params::{Params, PathParam};
use crate::server::state::AppState;
use crate::server::views::Builder;

async fn list(state: AppState, id: String, uri: Uri, direction: Direction) -> PageResult {
    let snapshot = state.snapshot();
    let f = fail(&snapshot);
    let params = Params::parse_page(&uri, NEIGHBOUR_PARAMETERS).map_err(&f)?;
    let kb = &snapshot.kb;
    // The lists cover every node of the lineage: a model's, or a dataset's.
    let name = match (kb.dataset.model(&id), kb.dataset.training_data(&id)) {
        (Some(model), _) => model.name.as_str(),
        (None, Some(data)) => data.name.as_str(),
        // A name or alias of a model redirects to its list (`super::missing`).
        (None, None) => return Err(missing(&snapshot, Kind::Model, &id, &uri)),
    };
    let relations = params
        .many("relation")
        .into_iter()
        .map(crate::server::api::parse_relation)
        .collect::<Result<Vec<_>, _>>()
        .map_err(&f)?;
    let min_confidence = match params.one("min_confidence").map_err(&f)? {
        None | Some("") => None,
        Some(text) => Some(Confidence::from_word(text).ok_or_else(|| {
            f(ApiError::BadRequest(format!(
                "`min_confidence={text}` is not valid: expected {}",
                Confidence::or_list()
            )))
        })?),
    };
    let request = crate::server::api::page_params(&params).map_err(&f)?;
    let filter = NeighbourFilter {
        relations: relations.clone(),
        min_confidence,
    };
    let listed = Builder { kb }.neighbour_page(&id, direction, &filter, request);
    Ok(page(pages::neighbour_list(
        &pages::NeighbourList {
            id: &id,
            name,
            direction,
            relations: &relations,
            min_confidence,
            page: &listed,
        },
        &|id| Builder { kb }.link(id),
        &footer(&snapshot),
    )))
}

pub(super) async fn bases(
    State(state): State<AppState>,
    PathParam(id): PathParam,
    uri: Uri,
) -> PageResult {
    list(state, id, uri, Direction::Up).await
}

pub(super) async fn derivatives(
    State(state): State<AppState>,
    PathParam(id): PathParam,
    uri: Uri,
) -> PageResult {
    list(state, id, uri, Direction::Down).await
}
