//! The handler of the model page: reads the walk settings, walks the lineage and
//! draws it.

use axum::extract::State;
use axum::http::Uri;

use super::{PageResult, fail, footer, page, pages};
use crate::lineage::render::Views;
use crate::lineage::{self, Direction, Filter};
use crate::model::{Confidence, Kind, Relation, Word};
use crate::server::error::ApiError;
use crate::server::params::{Params, PathParam};
use crate::server::state::AppState;
use crate::server::views::Builder;

pub(super) async fn model(
    State(state): State<AppState>,
    PathParam(id): PathParam,
    uri: Uri,
) -> PageResult {
    let snapshot = state.snapshot();
    let f = fail(&snapshot);
    let params = Params::parse_page(
        &uri,
        &[
            "direction",
            "depth",
            "relation",
            "min_confidence",
            "as_of",
            "known_at",
        ],
    )
    .map_err(&f)?;
    let kb = &snapshot.kb;
    let record = kb
        .dataset
        .model(&id)
        .ok_or_else(|| super::missing(&snapshot, Kind::Model, &id, &uri))?;
    let direction = params
        .word::<Direction>("direction")
        .map_err(&f)?
        .unwrap_or(Direction::Both);
    // An empty field in the form means "not set".
    let nonempty = |name: &str| -> Result<Option<String>, ApiError> {
        Ok(params
            .one(name)?
            .filter(|v| !v.is_empty())
            .map(str::to_owned))
    };
    let depth = match nonempty("depth").map_err(&f)? {
        Some(text) => Some(crate::server::api::parse_depth(&text).ok_or_else(|| {
            f(ApiError::BadRequest(format!(
                "`depth={text}` is not valid: expected {}",
                crate::server::api::DEPTH_EXPECTED
            )))
        })?),
        None => None,
    };
    let relations: Vec<Relation> = params
        .many("relation")
        .into_iter()
        .map(crate::server::api::parse_relation)
        .collect::<Result<_, _>>()
        .map_err(&f)?;
    // The API's grammar, so a question the API answers the page answers too.
    let date = |name: &str| -> Result<Option<crate::model::PartialDate>, ApiError> {
        nonempty(name)?
            .map(|text| {
                crate::server::api::parse_date(&text).ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "`{name}={text}` is not valid: expected {}",
                        crate::model::PartialDate::QUESTION_GRAMMAR
                    ))
                })
            })
            .transpose()
    };
    let min_confidence = match nonempty("min_confidence").map_err(&f)? {
        Some(text) => Some(Confidence::from_word(&text).ok_or_else(|| {
            f(ApiError::BadRequest(format!(
                "`min_confidence={text}` is not valid: expected {}",
                Confidence::or_list()
            )))
        })?),
        None => None,
    };
    let as_of = date("as_of").map_err(&f)?;
    let known_at = date("known_at").map_err(&f)?;
    let filter = Filter {
        relations: relations.clone(),
        min_confidence,
        as_of: as_of.map(lineage::last_day),
        known_at: known_at.map(lineage::last_day),
    };
    // A family's picture is its members' too: one walk from the family and its first
    // members (the ones its summary lists).
    let members = super::summary::picture_members(kb, record);
    let subgraph = kb
        .lineage
        .walk_many(&id, &members, direction, &filter, depth)
        .map_err(|e| f(ApiError::internal(e)))?;
    let view = Views {
        index: &kb.lineage,
        dataset: &kb.dataset,
    }
    .lineage(&subgraph, direction);
    let picture = lineage::svg::render(&view, &pages::svg_link);
    let hidden = kb.lineage.hidden(&subgraph, direction, &filter, depth);
    let detail = Builder { kb }.model_detail(record);
    let summary = super::summary::summary(kb, record).map_err(&f)?;
    let controls = pages::LineageControls {
        direction: direction.as_str().to_owned(),
        depth,
        relations: relations.iter().map(|r| r.as_str().to_owned()).collect(),
        as_of: as_of.map(|d| d.to_string()),
        known_at: known_at.map(|d| d.to_string()),
        min_confidence,
        hidden,
    };
    Ok(page(pages::model_page(
        &detail,
        &summary,
        &picture,
        &view.edges,
        &controls,
        &|id| Builder { kb }.name(id),
        &footer(&snapshot),
    )))
}
