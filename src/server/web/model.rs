//! The handler of the model page: reads the walk settings, then walks the lineage,
//! draws it and writes the page on the blocking pool, under the time limit and
//! permits SPARQL evaluation has.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Html;

use super::{PageResult, fail, footer, pages};
use crate::lineage::bounded::{BoundedRequest, Bounds, MAX_PICTURE_NODES, PICTURE_NODES};
use crate::lineage::render::Views;
use crate::lineage::{self, Direction, Filter};
use crate::model::{Confidence, Kind, Relation, Word};
use crate::server::blocking::{run_limited, walk_guarded};
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
            "limit",
        ],
    )
    .map_err(&f)?;
    if snapshot.kb.dataset.training_data(&id).is_some() {
        // A dataset's id under `/models/` (a lineage list's link, a hand-typed
        // address) is its page.
        return Err(super::PageError::Elsewhere(
            axum::response::Redirect::permanent(&crate::site::href(Kind::Dataset, &id)),
        ));
    }
    if snapshot.kb.dataset.model(&id).is_none() {
        // A name or alias of a model redirects to it (`super::missing`).
        return Err(super::missing(&snapshot, Kind::Model, &id, &uri));
    }
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
        stages: Vec::new(),
        min_confidence,
        as_of: as_of.map(lineage::last_day),
        known_at: known_at.map(lineage::last_day),
    };
    let bounds = Bounds::picture(
        crate::server::api::lineage::limit(&params, PICTURE_NODES, MAX_PICTURE_NODES)
            .map_err(&f)?,
    );
    let page_footer = footer(&snapshot);
    let worker = state.clone();
    let work_snapshot = std::sync::Arc::clone(&snapshot);
    let drawn = run_limited(&state, move |guard| {
        let kb = &work_snapshot.kb;
        let record = kb
            .dataset
            .model(&id)
            .ok_or_else(|| crate::server::api::not_found(&kb.dataset, Kind::Model, &id))?;
        // A family's picture is its members' too: one walk from the family and its
        // first members (the ones its summary lists).
        let members = super::summary::picture_members(kb, record);
        let request = BoundedRequest {
            root: &id,
            also: &members,
            direction,
            filter: &filter,
            max_depth: depth,
            bounds,
        };
        let walk = walk_guarded(&worker, kb, &request, guard)?;
        let view = Views {
            index: &kb.lineage,
            dataset: &kb.dataset,
        }
        .lineage(&walk, direction, &crate::site::neighbours_href);
        let picture = lineage::svg::render(&view, &pages::svg_link);
        let hidden = kb.lineage.hidden(&walk.subgraph, direction, &filter, depth);
        let detail = Builder { kb }.model_detail(record);
        let summary = super::summary::summary(kb, record)?;
        let controls = pages::LineageControls {
            direction: direction.as_str().to_owned(),
            depth,
            relations: relations.iter().map(|r| r.as_str().to_owned()).collect(),
            as_of: as_of.map(|d| d.to_string()),
            known_at: known_at.map(|d| d.to_string()),
            min_confidence,
            hidden,
            limit: bounds.max_nodes,
            folded: walk.folded_claims(),
        };
        let name_of = |id: &str| Builder { kb }.link(id);
        Ok(pages::model_page(
            &detail,
            &summary,
            &picture,
            &view,
            &controls,
            &name_of,
            &page_footer,
        )
        .into_string())
    })
    .await;
    drawn.map(Html).map_err(f)
}
