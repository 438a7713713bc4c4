//! The lineage REST API under `/api`: models (listed, detailed, lineage, paths),
//! organisations, people, sources, licences, canned queries, status.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::ApiError;
use super::negotiate::negotiate;
use super::params::{Params, PathParam};
use super::state::{AppState, ReloadOutcome};
use super::views::{
    Builder, LicenseDetail, ModelDetail, ModelSummary, OrganizationDetail, Page, PersonDetail,
    RecordSummary, SourceDetail,
};
use crate::dataset::Dataset;
use crate::diagnostics::suggestions;
use crate::kb::page::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageRequest, paginate};
use crate::kb::search::ModelFilter;
use crate::lineage::render::{self, Views};
use crate::lineage::{self, Direction, Filter};
use crate::model::{AccessLevel, Confidence, Kind, ModelKind, PartialDate, Relation, Word};
use crate::sparql::{self, DatasetOverride};
use crate::view::{CompactLineageView, LineageView, PathView};

/// 404 with the closest ids of the expected kind.
pub(super) fn not_found(dataset: &Dataset, kind: Kind, id: &str) -> ApiError {
    let ids: Vec<&str> = match kind {
        Kind::Model => dataset.models.iter().map(|r| r.id.as_str()).collect(),
        Kind::Organization => dataset
            .organizations
            .iter()
            .map(|r| r.id.as_str())
            .collect(),
        Kind::Person => dataset.people.iter().map(|r| r.id.as_str()).collect(),
        Kind::Source => dataset.sources.iter().map(|r| r.id.as_str()).collect(),
        Kind::License => dataset.licenses.iter().map(|r| r.id.as_str()).collect(),
    };
    let suggestions = close_matches(id, &ids);
    ApiError::NotFound {
        what: kind.noun(),
        id: id.chars().take(200).collect(),
        suggestions,
    }
}

/// Up to five ids close to `id`, best first.
fn close_matches(id: &str, candidates: &[&str]) -> Vec<String> {
    suggestions(id, candidates.iter().copied(), 5)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// The largest page number or depth a client may give: the bound the OpenAPI
/// description states (`maximum = 2147483647` on those parameters; keep them in
/// step), so generated clients and the server agree on what is valid.
pub const MAX_COUNT_PARAMETER: usize = i32::MAX as usize;

/// The page a request asks for: `page` (from 1) and `per_page` (1 to 1000).
pub(super) fn page_params(params: &Params) -> Result<PageRequest, ApiError> {
    let page = params
        .parsed(
            "page",
            |v| {
                v.parse::<usize>()
                    .ok()
                    .filter(|&p| (1..=MAX_COUNT_PARAMETER).contains(&p))
            },
            "a page number from 1 to 2147483647",
        )?
        .unwrap_or(1);
    let per_page = params
        .parsed(
            "per_page",
            |v| {
                v.parse::<usize>()
                    .ok()
                    .filter(|&n| (1..=MAX_PAGE_SIZE).contains(&n))
            },
            "a page size from 1 to 1000",
        )?
        .unwrap_or(DEFAULT_PAGE_SIZE);
    Ok(PageRequest { page, per_page })
}

pub(super) fn parse_relation(word: &str) -> Result<Relation, ApiError> {
    Relation::parse(word).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "`relation={word}` is not valid: expected one of {}",
            Relation::comma_list()
        ))
    })
}

pub(super) fn parse_date(text: &str) -> Option<PartialDate> {
    PartialDate::parse_any_year(text).ok()
}

/// The walk filters shared by lineage and path.
fn filter(params: &Params) -> Result<Filter, ApiError> {
    Ok(Filter {
        relations: params
            .many("relation")
            .into_iter()
            .map(parse_relation)
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
pub(super) async fn list_models(
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
pub(super) async fn get_model(
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
        ("min_confidence" = Option<Confidence>, Query, description = "Only edges at least this sure (confidence rises from disputed to confirmed)"),
        ("as_of" = Option<String>, Query, format = Date, description = "Only claims that held on this date (YYYY-MM-DD; YYYY-MM and YYYY are read as their last day)"),
        ("known_at" = Option<String>, Query, format = Date, description = "Only claims whose earliest source was published by this date (YYYY-MM-DD)"),
        ("format" = Option<String>, Query, pattern = "^(json|dot|mermaid|svg)$", description = "json (default), dot, mermaid or svg (the picture of the web page)"),
        ("compact" = Option<bool>, Query, description = "With json: give each edge's sources by id and describe each source once (for large walks)"),
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
pub(super) async fn lineage(
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
            "format",
            "compact",
        ],
    )?;
    let compact = params
        .parsed("compact", |v| v.parse::<bool>().ok(), "true or false")?
        .unwrap_or(false);
    let direction = params
        .word::<Direction>("direction")?
        .unwrap_or(Direction::Both);
    let depth = params.parsed(
        "depth",
        |v| {
            v.parse::<usize>()
                .ok()
                .filter(|&d| d <= MAX_COUNT_PARAMETER)
        },
        "a whole number up to 2147483647",
    )?;
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
    let filter = filter(&params)?;
    let snapshot = state.snapshot();
    let kb = &snapshot.kb;
    let subgraph = kb
        .lineage
        .walk(&id, direction, &filter, depth)
        .map_err(|_| not_found(&kb.dataset, Kind::Model, &id))?;
    let views = Views {
        index: &kb.lineage,
        dataset: &kb.dataset,
    };
    if compact && format == LineageFormat::Json {
        let answer = LineageAnswer::Compact(views.compact_lineage(&subgraph, direction));
        return Ok(Json(answer).into_response());
    }
    let view = views.lineage(&subgraph, direction);
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
            crate::lineage::svg::render(&view, &super::svg_link),
        )
            .into_response(),
    })
}

/// The JSON answer of a lineage walk: the full view, or the compact one with
/// `compact=true`. Untagged, so each is written as itself; the OpenAPI description
/// offers both.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum LineageAnswer<'a> {
    Full(LineageView),
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
        ("min_confidence" = Option<Confidence>, Query, description = "Only edges at least this sure"),
        ("as_of" = Option<String>, Query, format = Date, description = "Only claims that held on this date"),
        ("known_at" = Option<String>, Query, format = Date, description = "Only claims published by this date"),
    ),
    responses(
        (status = 200, description = "The path, or `related: false`", body = PathAnswer),
        (status = 400, description = "A parameter is missing or invalid"),
        (status = 404, description = "No such model"),
    ),
    tag = "lineage"
)]
pub(super) async fn path(
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

macro_rules! detail_route {
    ($name:ident, $path:literal, $kind:expr, $getter:ident, $build:ident, $body:ty, $tag:literal, $what:literal) => {
        #[utoipa::path(
            get,
            path = $path,
            params(("id" = String, Path, description = "Record id")),
            responses(
                (status = 200, description = $what, body = $body),
                (status = 404, description = "No such record; `did_you_mean` lists close ids"),
            ),
            tag = $tag
        )]
        pub(super) async fn $name(State(state): State<AppState>, PathParam(id): PathParam, uri: Uri) -> Result<Json<$body>, ApiError> {
            Params::parse(&uri, &[])?;
            let snapshot = state.snapshot();
            let record = snapshot.kb.dataset.$getter(&id).ok_or_else(|| not_found(&snapshot.kb.dataset, $kind, &id))?;
            Ok(Json(Builder { kb: &snapshot.kb }.$build(record)))
        }
    };
}

detail_route!(
    get_organization,
    "/api/organizations/{id}",
    Kind::Organization,
    organization,
    organization_detail,
    OrganizationDetail,
    "organizations",
    "The organisation, its place in the hierarchy, its models and people"
);
detail_route!(
    get_person,
    "/api/people/{id}",
    Kind::Person,
    person,
    person_detail,
    PersonDetail,
    "people",
    "The person, with roles over time and positions"
);
detail_route!(
    get_license,
    "/api/licenses/{id}",
    Kind::License,
    license,
    license_detail,
    LicenseDetail,
    "licenses",
    "The licence, its terms and the models under it"
);

/// Most claims listed on one source page.
pub(super) const SOURCE_CLAIMS_LIMIT: usize = 1000;

/// A source with every claim that rests on it.
#[utoipa::path(
    get,
    path = "/api/sources/{id}",
    params(("id" = String, Path, description = "Source id")),
    responses(
        (status = 200, description = "The source and the claims citing it (at most 1000 listed; `claim_count` has the total)", body = SourceDetail),
        (status = 404, description = "No such source"),
    ),
    tag = "sources"
)]
pub(super) async fn get_source(
    State(state): State<AppState>,
    PathParam(id): PathParam,
    uri: Uri,
) -> Result<Json<SourceDetail>, ApiError> {
    Params::parse(&uri, &[])?;
    let snapshot = state.snapshot();
    let source = snapshot
        .kb
        .dataset
        .source(&id)
        .ok_or_else(|| not_found(&snapshot.kb.dataset, Kind::Source, &id))?;
    Ok(Json(
        Builder { kb: &snapshot.kb }.source_detail(source, SOURCE_CLAIMS_LIMIT),
    ))
}

macro_rules! list_route {
    ($name:ident, $path:literal, $kind:expr, $tag:literal) => {
        #[utoipa::path(
            get,
            path = $path,
            params(
                ("q" = Option<String>, Query, description = "Text to find in ids and names"),
                ("page" = Option<usize>, Query, minimum = 1, maximum = 2147483647, description = "Page number, from 1"),
                ("per_page" = Option<usize>, Query, minimum = 1, maximum = 1000, description = "Page size, 1 to 1000 (default 50)"),
            ),
            responses(
                (status = 200, description = "A page of records", body = Page<RecordSummary>),
                (status = 400, description = "A parameter is invalid"),
            ),
            tag = $tag
        )]
        pub(super) async fn $name(State(state): State<AppState>, uri: Uri) -> Result<Json<Page<RecordSummary>>, ApiError> {
            let params = Params::parse(&uri, &["q", "page", "per_page"])?;
            let request = page_params(&params)?;
            let snapshot = state.snapshot();
            let kb = &snapshot.kb;
            let builder = Builder { kb };
            let found = kb.find_records($kind, params.one("q")?);
            Ok(Json(paginate(found, request).map(|record| builder.record_summary(record))))
        }
    };
}

list_route!(
    list_organizations,
    "/api/organizations",
    Kind::Organization,
    "organizations"
);
list_route!(list_people, "/api/people", Kind::Person, "people");
list_route!(list_sources, "/api/sources", Kind::Source, "sources");
list_route!(list_licenses, "/api/licenses", Kind::License, "licenses");

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
pub(super) async fn list_queries(
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
pub(super) async fn run_query(
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
    super::protocol::answer(
        &state,
        snapshot,
        parsed,
        DatasetOverride::default(),
        &headers,
    )
    .await
}

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
}

/// Memory in use, in bytes (process figures from /proc on Linux, else null).
#[derive(Debug, Serialize, ToSchema)]
pub struct Memory {
    pub rss_bytes: Option<u64>,
    pub peak_rss_bytes: Option<u64>,
    /// Held by the lineage index (graph and id map).
    pub lineage_index_bytes: usize,
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
pub(super) async fn status(
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
        },
        loaded_at: super::rfc3339(snapshot.loaded_at),
        data_version: snapshot.data_version.clone(),
        build_ms: kb.stats.total().as_secs_f64() * 1000.0,
        base_iri: kb.iris.base().to_owned(),
        memory: Memory {
            rss_bytes: proc_status("VmRSS:"),
            peak_rss_bytes: proc_status("VmHWM:"),
            lineage_index_bytes: kb.lineage.heap_bytes(),
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
pub(super) async fn healthz() -> impl IntoResponse {
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
pub(super) async fn vocabulary(headers: HeaderMap) -> Result<Response, ApiError> {
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
