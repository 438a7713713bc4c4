//! The lineage routes: a model's lineage walk (`/api/models/{id}/lineage`, as JSON,
//! DOT, Mermaid or SVG) and the shortest path between two models (`/api/path`), with
//! the walk filters they share.

use axum::Json;
use axum::extract::State;
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::{not_found, parse_date, parse_relation, parse_stage};
use crate::lineage::bounded::{
    ANSWER_NODES, BoundedRequest, Bounds, MAX_ANSWER_NODES, MAX_PICTURE_NODES, PICTURE_NODES,
};
use crate::lineage::render::{self, Views};
use crate::lineage::{self, Direction, Filter};
use crate::model::{Confidence, Kind, PartialDate, Relation, Stage};
use crate::server::blocking::{run_limited, walk_guarded};
use crate::server::error::ApiError;
use crate::server::params::{Params, PathParam};
use crate::server::state::AppState;
use crate::view::{CompactLineageView, LineageView, PathView};

/// The walk filters shared by lineage and path.
fn filter(params: &Params) -> Result<Filter, ApiError> {
    Ok(Filter {
        relations: params
            .many("relation")
            .into_iter()
            .map(parse_relation)
            .collect::<Result<_, _>>()?,
        stages: params
            .many("stage")
            .into_iter()
            .map(parse_stage)
            .collect::<Result<_, _>>()?,
        min_confidence: params.word::<Confidence>("min_confidence")?,
        as_of: params
            .parsed("as_of", parse_date, PartialDate::QUESTION_GRAMMAR)?
            .map(lineage::last_day),
        known_at: params
            .parsed("known_at", parse_date, PartialDate::QUESTION_GRAMMAR)?
            .map(lineage::last_day),
    })
}

/// Formats of the lineage picture and answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineageFormat {
    Json,
    Dot,
    Mermaid,
    Svg,
}

/// A model's lineage: nodes and edges, each edge with its provenance.
#[utoipa::path(
    get,
    path = "/api/models/{id}/lineage",
    params(
        ("id" = String, Path, description = "Model id"),
        ("direction" = Option<Direction>, Query, description = "Towards bases, towards derivatives, or both ways (the default)"),
        ("depth" = Option<usize>, Query, minimum = 0, maximum = 2147483647, description = "Follow at most this many edges"),
        ("relation" = Option<Vec<Relation>>, Query, style = Form, explode = false, description = "Only these relations (repeat or comma-separate; empty means any)"),
        ("stage" = Option<Vec<Stage>>, Query, style = Form, explode = false, description = "Only `trained_on` edges of these training stages (repeat or comma-separate; edges of other relations pass; empty means any)"),
        ("min_confidence" = Option<Confidence>, Query, description = "Only edges at least this sure (confidence rises from disputed to confirmed)"),
        ("as_of" = Option<String>, Query, format = Date, description = "The lineage as it stood on this date (YYYY-MM-DD; YYYY-MM and YYYY are read as their last day): an edge counts from its claim's `from`, else its model's release, else its first report, until its `until`"),
        ("known_at" = Option<String>, Query, format = Date, description = "Only claims whose earliest source was published by this date (YYYY-MM-DD)"),
        ("format" = Option<String>, Query, pattern = "^(json|dot|mermaid|svg)$", description = "json (default), dot, mermaid or svg (the picture of the web page)"),
        ("compact" = Option<bool>, Query, description = "With json: give each edge's sources by id and describe each source once (for large walks)"),
        ("limit" = Option<usize>, Query, minimum = 1, maximum = 250000, description = "Most models in the answer, the closest first (json, dot, mermaid: default 10000, at most 250000; svg: default 40, at most 400, and at most 8 new models around each). What is left out is counted in `folded`, by model, side and relation, each count with the path of its paginated list; `complete` says whether anything was"),
    ),
    responses(
        (status = 200, description = "The lineage: a LineageView, or with compact=true a CompactLineageView; as text for dot and mermaid, as SVG for svg", content(
            (LineageAnswer = "application/json"),
            (String = "text/vnd.graphviz"),
            (String = "text/plain"),
            (String = "image/svg+xml"),
        )),
        (status = 400, description = "A parameter is invalid"),
        (status = 404, description = "No such model"),
    ),
    tag = "lineage"
)]
pub(in crate::server) async fn lineage(
    State(state): State<AppState>,
    PathParam(id): PathParam,
    uri: Uri,
) -> Result<Response, ApiError> {
    let params = Params::parse(
        &uri,
        &[
            "direction",
            "depth",
            "relation",
            "min_confidence",
            "as_of",
            "known_at",
            "stage",
            "format",
            "compact",
            "limit",
        ],
    )?;
    let compact = params
        .parsed("compact", |v| v.parse::<bool>().ok(), "true or false")?
        .unwrap_or(false);
    let direction = params
        .word::<Direction>("direction")?
        .unwrap_or(Direction::Both);
    let depth = params.parsed("depth", super::parse_depth, super::DEPTH_EXPECTED)?;
    let format = params
        .parsed(
            "format",
            |v| match v {
                "json" => Some(LineageFormat::Json),
                "dot" => Some(LineageFormat::Dot),
                "mermaid" => Some(LineageFormat::Mermaid),
                "svg" => Some(LineageFormat::Svg),
                _ => None,
            },
            "json, dot, mermaid or svg",
        )?
        .unwrap_or(LineageFormat::Json);
    let bounds = match format {
        LineageFormat::Svg => {
            limit(&params, PICTURE_NODES, MAX_PICTURE_NODES).map(Bounds::picture)?
        }
        _ => limit(&params, ANSWER_NODES, MAX_ANSWER_NODES).map(Bounds::answer)?,
    };
    let filter = filter(&params)?;
    let snapshot = state.snapshot();
    let worker = state.clone();
    run_limited(&state, move |guard| {
        let kb = &snapshot.kb;
        let request = BoundedRequest {
            root: &id,
            also: &[],
            direction,
            filter: &filter,
            max_depth: depth,
            bounds,
        };
        let walk = walk_guarded(&worker, kb, &request, guard)?;
        let views = Views {
            index: &kb.lineage,
            dataset: &kb.dataset,
        };
        let list = &crate::site::api_neighbours_href;
        if compact && format == LineageFormat::Json {
            let answer = views.compact_lineage(&walk, direction, list);
            return Ok(([(header::CONTENT_TYPE, "application/json")], answer).into_response());
        }
        let view = views.lineage(&walk, direction, list);
        Ok(match format {
            LineageFormat::Json => Json(LineageAnswer::Full(view)).into_response(),
            LineageFormat::Dot => (
                [(header::CONTENT_TYPE, "text/vnd.graphviz; charset=utf-8")],
                render::dot(&view),
            )
                .into_response(),
            LineageFormat::Mermaid => (
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                render::mermaid(&view),
            )
                .into_response(),
            LineageFormat::Svg => (
                [(header::CONTENT_TYPE, "image/svg+xml")],
                crate::lineage::svg::render(&view, &crate::server::svg_link),
            )
                .into_response(),
        })
    })
    .await
}

/// The `limit` parameter: at most `max` models, `default` when absent.
pub(in crate::server) fn limit(
    params: &Params,
    default: usize,
    max: usize,
) -> Result<usize, ApiError> {
    Ok(params
        .parsed(
            "limit",
            |v| v.parse::<usize>().ok().filter(|&n| (1..=max).contains(&n)),
            &format!("a whole number from 1 to {max}"),
        )?
        .unwrap_or(default))
}

/// The JSON answer of a lineage walk: the full view, or the compact one with
/// `compact=true`. Untagged, so each is written as itself; the OpenAPI description
/// offers both.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum LineageAnswer<'a> {
    Full(LineageView),
    // Described, never built: `Views::compact_lineage` writes the compact answer's
    // bytes itself, those serde_json would write of this view.
    #[allow(dead_code)]
    Compact(#[schema(inline)] CompactLineageView<'a>),
}

/// The answer of a path query.
#[derive(Debug, Serialize, ToSchema)]
pub struct PathAnswer {
    pub from: String,
    pub to: String,
    /// Whether the two models are related by lineage (under the filters).
    pub related: bool,
    /// The shortest path, when related.
    pub path: Option<PathView>,
    pub message: String,
}

/// The shortest lineage path between two models.
#[utoipa::path(
    get,
    path = "/api/path",
    params(
        ("from" = String, Query, min_length = 1, description = "Model id"),
        ("to" = String, Query, min_length = 1, description = "Model id"),
        ("relation" = Option<Vec<Relation>>, Query, style = Form, explode = false, description = "Only these relations (repeat or comma-separate; empty means any)"),
        ("stage" = Option<Vec<Stage>>, Query, style = Form, explode = false, description = "Only `trained_on` edges of these training stages (repeat or comma-separate; edges of other relations pass; empty means any)"),
        ("min_confidence" = Option<Confidence>, Query, description = "Only edges at least this sure"),
        ("as_of" = Option<String>, Query, format = Date, description = "The lineage as it stood on this date"),
        ("known_at" = Option<String>, Query, format = Date, description = "Only claims published by this date"),
    ),
    responses(
        (status = 200, description = "The path, or `related: false`", body = PathAnswer),
        (status = 400, description = "A parameter is missing or invalid"),
        (status = 404, description = "No such model"),
    ),
    tag = "lineage"
)]
pub(in crate::server) async fn path(
    State(state): State<AppState>,
    uri: Uri,
) -> Result<Json<PathAnswer>, ApiError> {
    let params = Params::parse(
        &uri,
        &[
            "from",
            "to",
            "relation",
            "min_confidence",
            "as_of",
            "known_at",
            "stage",
        ],
    )?;
    let (from, to) = (
        params.required("from")?.to_owned(),
        params.required("to")?.to_owned(),
    );
    let filter = filter(&params)?;
    let snapshot = state.snapshot();
    let kb = &snapshot.kb;
    for id in [&from, &to] {
        if kb.dataset.model(id).is_none() {
            return Err(not_found(&kb.dataset, Kind::Model, id));
        }
    }
    let path = kb
        .lineage
        .path(&from, &to, &filter)
        .map_err(ApiError::internal)?;
    let views = Views {
        index: &kb.lineage,
        dataset: &kb.dataset,
    };
    Ok(Json(match path {
        Some(path) => {
            let view = views.path(&path);
            PathAnswer {
                message: format!("{} edge(s) from `{from}` to `{to}`", view.length),
                from,
                to,
                related: true,
                path: Some(view),
            }
        }
        None => PathAnswer {
            message: format!("`{from}` and `{to}` are not related by lineage"),
            from,
            to,
            related: false,
            path: None,
        },
    }))
}
