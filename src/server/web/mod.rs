//! The web pages at `/`: find a model, see its lineage as a picture, read the facts
//! with their sources, and query the graph with SPARQL.
//!
//! Pages are rendered on the server from the same views as the JSON API and work
//! without JavaScript; the one stylesheet and the one script are compiled into the
//! binary (no CDN, no request leaves the page).

pub(super) mod pages;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use maud::{Markup, html};

use super::error::ApiError;
use super::params::{Params, PathParam};
use super::state::{AppState, Snapshot};
use super::views::{Builder, Link};
use crate::kb::page::paginate;
use crate::kb::search::ModelFilter;
use crate::lineage::render::Views;
use crate::lineage::{self, Direction, Filter};
use crate::model::{Kind, Relation};
use crate::sparql::{self, Answer, DatasetOverride, Query, SolutionsFormat};
use oxigraph::model::{Literal, Term};

const STYLE: &str = include_str!("assets/style.css");
const SCRIPT: &str = include_str!("assets/app.js");

/// The pages and their assets, by path: routes outside the OpenAPI document (see
/// `super::non_api_routes`).
pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/", get(home)),
        ("/search", get(search)),
        ("/models", get(models)),
        ("/models/{id}", get(model)),
        ("/organizations", get(organizations)),
        ("/organizations/{id}", get(organization)),
        ("/people", get(people)),
        ("/people/{id}", get(person)),
        ("/sources", get(sources)),
        ("/sources/{id}", get(source)),
        ("/licenses", get(licenses)),
        ("/licenses/{id}", get(license)),
        ("/query", get(query)),
        ("/query/results.csv", get(results_csv).post(results_csv)),
        (
            "/assets/style.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE) }),
        ),
        (
            "/assets/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }),
        ),
    ]
}

/// Assets are compiled in; they change only with the binary, so caches may keep
/// them for a day.
fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

/// An error as a page: the status and message of the API error, in HTML.
struct PageError(ApiError, String);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let PageError(error, footer) = self;
        let status = error.status();
        let suggestions: Vec<Link> = match &error {
            ApiError::NotFound {
                what, suggestions, ..
            } => suggestions
                .iter()
                .map(|id| Link {
                    id: id.clone(),
                    name: id.clone(),
                    kind: what,
                })
                .collect(),
            _ => Vec::new(),
        };
        if status.is_server_error() {
            return error.into_response();
        }
        (
            status,
            Html(
                pages::error_page(
                    status.canonical_reason().unwrap_or("Error"),
                    &error.to_string(),
                    &suggestions,
                    &footer,
                )
                .into_string(),
            ),
        )
            .into_response()
    }
}

fn footer(snapshot: &Snapshot) -> String {
    let version = snapshot
        .data_version
        .as_deref()
        .map(|v| format!(", data {}", &v[..v.len().min(12)]))
        .unwrap_or_default();
    format!(
        "Pedigree · {} records, {} triples, loaded {}{version} · JSON API at /api, SPARQL at /sparql, OpenAPI at /openapi.json",
        snapshot.kb.dataset.len(),
        snapshot.kb.stats.triples,
        super::rfc3339(snapshot.loaded_at)
    )
}

fn page(markup: Markup) -> Html<String> {
    Html(markup.into_string())
}

type PageResult = Result<Html<String>, PageError>;

fn fail(snapshot: &Snapshot) -> impl Fn(ApiError) -> PageError + '_ {
    move |error| PageError(error, footer(snapshot))
}

async fn home(State(state): State<AppState>) -> Html<String> {
    let snapshot = state.snapshot();
    let kb_counts = snapshot.kb.counts();
    let counts = pages::HomeCounts {
        models: kb_counts.models,
        families: kb_counts.families,
        organizations: kb_counts.organizations,
        people: kb_counts.people,
        sources: kb_counts.sources,
        licenses: kb_counts.licenses,
        edges: kb_counts.lineage_edges,
        queries: snapshot.queries.len(),
    };
    page(pages::home(&counts, &footer(&snapshot)))
}

/// Most results listed on the search page per kind.
const SEARCH_LIMIT: usize = 50;

async fn search(State(state): State<AppState>, uri: Uri) -> PageResult {
    let snapshot = state.snapshot();
    let params = Params::parse(&uri, &["q"]).map_err(fail(&snapshot))?;
    let q = params
        .one("q")
        .map_err(fail(&snapshot))?
        .unwrap_or("")
        .trim()
        .to_owned();
    let kb = &snapshot.kb;
    let builder = Builder { kb };
    let (models, others): (Vec<_>, Vec<_>) = if q.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let filter = ModelFilter {
            text: Some(&q),
            ..ModelFilter::default()
        };
        let models = kb
            .find_models(&filter)
            .into_iter()
            .take(SEARCH_LIMIT)
            .map(|m| builder.model_summary(m))
            .collect();
        let others = [
            Kind::Organization,
            Kind::Person,
            Kind::Source,
            Kind::License,
        ]
        .into_iter()
        .flat_map(|kind| {
            kb.find_records(kind, Some(&q))
                .into_iter()
                .take(SEARCH_LIMIT)
                .map(|record| builder.record_summary(record))
        })
        .collect();
        (models, others)
    };
    Ok(page(pages::search_results(
        &q,
        &models,
        &others,
        &footer(&snapshot),
    )))
}

async fn models(State(state): State<AppState>, uri: Uri) -> PageResult {
    let snapshot = state.snapshot();
    let params = Params::parse(&uri, &["kind", "page", "per_page"]).map_err(fail(&snapshot))?;
    let request = super::api::page_params(&params).map_err(fail(&snapshot))?;
    let kind = params
        .parsed(
            "kind",
            |v| matches!(v, "model" | "family").then(|| v == "family"),
            "model or family",
        )
        .map_err(fail(&snapshot))?;
    let kb = &snapshot.kb;
    let builder = Builder { kb };
    let filter = ModelFilter {
        family: kind,
        ..ModelFilter::default()
    };
    let page_view = paginate(kb.find_models(&filter), request).map(|m| builder.model_summary(m));
    let (title, base) = match kind {
        Some(true) => ("Model families", "/models?kind=family"),
        Some(false) => ("Models", "/models?kind=model"),
        None => ("Models and families", "/models"),
    };
    Ok(page(pages::model_list(
        title,
        &page_view,
        base,
        &footer(&snapshot),
    )))
}

async fn model(State(state): State<AppState>, PathParam(id): PathParam, uri: Uri) -> PageResult {
    let snapshot = state.snapshot();
    let f = fail(&snapshot);
    let params = Params::parse(
        &uri,
        &["direction", "depth", "relation", "as_of", "known_at"],
    )
    .map_err(&f)?;
    let kb = &snapshot.kb;
    let record = kb
        .dataset
        .model(&id)
        .ok_or_else(|| super::api::not_found(&kb.dataset, Kind::Model, &id))
        .map_err(&f)?;
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
        Some(text) => Some(text.parse::<usize>().map_err(|_| {
            f(ApiError::BadRequest(format!(
                "`depth={text}` is not valid: expected a whole number"
            )))
        })?),
        None => None,
    };
    let relations: Vec<Relation> = params
        .many("relation")
        .into_iter()
        .map(super::api::parse_relation)
        .collect::<Result<_, _>>()
        .map_err(&f)?;
    // The API's grammar, so a question the API answers the page answers too.
    let date = |name: &str| -> Result<Option<crate::model::PartialDate>, ApiError> {
        nonempty(name)?
            .map(|text| {
                super::api::parse_date(&text).ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "`{name}={text}` is not valid: expected {}",
                        crate::model::PartialDate::QUESTION_GRAMMAR
                    ))
                })
            })
            .transpose()
    };
    let as_of = date("as_of").map_err(&f)?;
    let known_at = date("known_at").map_err(&f)?;
    let filter = Filter {
        relations: relations.clone(),
        min_confidence: None,
        as_of: as_of.map(lineage::last_day),
        known_at: known_at.map(lineage::last_day),
    };
    let subgraph = kb
        .lineage
        .walk(&id, direction, &filter, depth)
        .map_err(|e| f(ApiError::internal(e)))?;
    let view = Views {
        index: &kb.lineage,
        dataset: &kb.dataset,
    }
    .lineage(&subgraph, direction);
    let picture = lineage::svg::render(&view, &pages::svg_link);
    let detail = Builder { kb }.model_detail(record);
    let controls = pages::LineageControls {
        direction: direction.as_str().to_owned(),
        depth,
        relations: relations.iter().map(|r| r.as_str().to_owned()).collect(),
        as_of: as_of.map(|d| d.to_string()),
        known_at: known_at.map(|d| d.to_string()),
    };
    Ok(page(pages::model_page(
        &detail,
        &picture,
        &view.edges,
        &controls,
        &footer(&snapshot),
    )))
}

macro_rules! detail_page {
    ($name:ident, $kind:expr, $getter:ident, $build:ident, $render:ident) => {
        async fn $name(
            State(state): State<AppState>,
            PathParam(id): PathParam,
            uri: Uri,
        ) -> PageResult {
            let snapshot = state.snapshot();
            Params::parse(&uri, &[]).map_err(fail(&snapshot))?;
            let kb = &snapshot.kb;
            let record = kb
                .dataset
                .$getter(&id)
                .ok_or_else(|| super::api::not_found(&kb.dataset, $kind, &id))
                .map_err(fail(&snapshot))?;
            let detail = Builder { kb }.$build(record);
            Ok(page(pages::$render(&detail, &footer(&snapshot))))
        }
    };
}

detail_page!(
    organization,
    Kind::Organization,
    organization,
    organization_detail,
    organization_page
);
detail_page!(person, Kind::Person, person, person_detail, person_page);
detail_page!(
    license,
    Kind::License,
    license,
    license_detail,
    license_page
);

async fn source(State(state): State<AppState>, PathParam(id): PathParam, uri: Uri) -> PageResult {
    let snapshot = state.snapshot();
    Params::parse(&uri, &[]).map_err(fail(&snapshot))?;
    let kb = &snapshot.kb;
    let record = kb
        .dataset
        .source(&id)
        .ok_or_else(|| super::api::not_found(&kb.dataset, Kind::Source, &id))
        .map_err(fail(&snapshot))?;
    let detail = Builder { kb }.source_detail(record, super::api::SOURCE_CLAIMS_LIMIT);
    Ok(page(pages::source_page(&detail, &footer(&snapshot))))
}

macro_rules! list_page {
    ($name:ident, $kind:expr, $title:literal, $base:literal) => {
        async fn $name(State(state): State<AppState>, uri: Uri) -> PageResult {
            let snapshot = state.snapshot();
            let params = Params::parse(&uri, &["page", "per_page"]).map_err(fail(&snapshot))?;
            let request = super::api::page_params(&params).map_err(fail(&snapshot))?;
            let kb = &snapshot.kb;
            let builder = Builder { kb };
            let view = paginate(kb.find_records($kind, None), request)
                .map(|record| builder.record_summary(record));
            Ok(page(pages::record_list(
                $title,
                &view,
                $base,
                &footer(&snapshot),
            )))
        }
    };
}

list_page!(
    organizations,
    Kind::Organization,
    "Organisations",
    "/organizations"
);
list_page!(people, Kind::Person, "People", "/people");
list_page!(sources, Kind::Source, "Sources", "/sources");
list_page!(licenses, Kind::License, "Licences", "/licenses");

/// The SPARQL page. With `run=1` (the form submitted without JavaScript) the server
/// evaluates the query and renders the answer; with JavaScript the page fetches
/// `/sparql` itself.
async fn query(State(state): State<AppState>, uri: Uri) -> Result<Response, PageError> {
    let snapshot = state.snapshot();
    let f = fail(&snapshot);
    let params = Params::parse(&uri, &["name", "query", "run"]).map_err(&f)?;
    let named = match params.one("name").map_err(&f)? {
        Some(name) => Some(snapshot.query(name).ok_or_else(|| {
            f(ApiError::NotFound {
                what: "query",
                id: name.chars().take(200).collect(),
                suggestions: Vec::new(),
            })
        })?),
        None => None,
    };
    let text = params
        .one("query")
        .map_err(&f)?
        .map(str::to_owned)
        .or_else(|| named.map(|q| q.text.clone()))
        .unwrap_or_else(|| {
            snapshot
                .queries
                .first()
                .map(|q| q.text.clone())
                .unwrap_or_else(|| "SELECT ?model ?name WHERE {\n  ?model a ped:Model ; schema:name ?name .\n}\nORDER BY ?name\nLIMIT 20\n".into())
        });
    let run = params.one("run").map_err(&f)?.is_some();
    let answer = if run {
        Some(evaluate(&state, &snapshot, &text).await.map_err(&f)?)
    } else {
        None
    };
    let canned: Vec<pages::CannedEntry<'_>> = snapshot
        .queries
        .iter()
        .map(|q| pages::CannedEntry {
            name: &q.name,
            title: &q.title,
            description: &q.description,
            text: &q.text,
        })
        .collect();
    let markup = pages::query_page(&text, &canned, answer, &footer(&snapshot));
    Ok((StatusCode::OK, Html(markup.into_string())).into_response())
}

/// The CSV download the SPARQL page offers: the answer to a SELECT or ASK query,
/// taking the query as `/sparql` does, written as CSV that is safe to open in a
/// spreadsheet ([`spreadsheet_safe`]). `/sparql` itself answers `text/csv` exactly
/// as the SPARQL 1.1 CSV results format says, for programs.
async fn results_csv(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let snapshot = state.snapshot();
    let (query, dataset) = super::protocol::read_query(
        &state, &snapshot, &method, &uri, &headers, body,
    )?
    .ok_or_else(|| {
        ApiError::BadRequest(
            "give the query to download as a `query` parameter or as the body".into(),
        )
    })?;
    if matches!(query, Query::Construct { .. } | Query::Describe { .. }) {
        return Err(ApiError::BadRequest(
            "CSV holds the answers of SELECT and ASK queries; download a graph from /sparql as Turtle, N-Triples, RDF/XML or JSON-LD".into(),
        ));
    }
    let body = super::protocol::run_then(&state, snapshot, query, dataset, |_, answer| {
        let mut body = Vec::new();
        sparql::write_solutions(&spreadsheet_safe(answer), SolutionsFormat::Csv, &mut body)
            .map_err(ApiError::internal)?;
        Ok(body)
    })
    .await?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"pedigree-results.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// What a spreadsheet reads as the start of a formula (or, for TAB and CR, what
/// hides one), per OWASP's advice on CSV injection.
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// An answer whose cells a spreadsheet will not run: a value that starts like a
/// formula (an alias `=HYPERLINK(…)` would be a live link, `@cmd` a command in
/// some) gets a leading `'`, which makes the spreadsheet show the text as text.
/// Only literals can start so; IRIs start with their scheme and blank nodes with
/// `_:`. This changes the values (`-1` becomes `'-1`), which is why `/sparql`
/// never does it.
fn spreadsheet_safe(answer: Answer) -> Answer {
    let Answer::Solutions { variables, rows } = answer else {
        return answer;
    };
    let rows = rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|cell| match cell {
                    Some(Term::Literal(literal)) if literal.value().starts_with(FORMULA_STARTS) => {
                        Some(Literal::new_simple_literal(format!("'{}", literal.value())).into())
                    }
                    other => other,
                })
                .collect()
        })
        .collect();
    Answer::Solutions { variables, rows }
}

/// Evaluates a query for the page, as an HTML table or a message. The answer is
/// rendered on the blocking thread that evaluated it, like every SPARQL answer.
///
/// A query longer than `--max-query-bytes` is refused as `/sparql` refuses it (the
/// outer error, a 413 page), before parsing; what parsing or evaluation says about a
/// query within the limit is shown on the page beside it (the inner error).
async fn evaluate(
    state: &AppState,
    snapshot: &std::sync::Arc<Snapshot>,
    text: &str,
) -> Result<Result<Markup, String>, ApiError> {
    super::protocol::refuse_too_long(state, text)?;
    let parsed = match sparql::parse_with_base(text, Some(snapshot.kb.iris.base())) {
        Ok(parsed) => parsed,
        Err(error) => return Ok(Err(error.to_string())),
    };
    Ok(super::protocol::run_then(
        state,
        snapshot.clone(),
        parsed,
        DatasetOverride::default(),
        |snapshot, answer| render_answer(snapshot, answer).map_err(ApiError::internal),
    )
    .await
    .map_err(|e| e.to_string()))
}

fn render_answer(snapshot: &Snapshot, answer: Answer) -> std::io::Result<Markup> {
    Ok(match answer {
        Answer::Boolean(value) => html! { p.answer { "ASK: " (value) } },
        Answer::Graph(triples) => {
            let mut out = Vec::new();
            sparql::write_graph(
                &triples,
                sparql::GraphFormat::Turtle,
                snapshot.kb.iris.base(),
                &mut out,
            )?;
            html! { pre.answer { (String::from_utf8_lossy(&out)) } }
        }
        Answer::Solutions { variables, rows } => html! {
            p.status { (rows.len()) " rows" }
            div.table-wrap {
                table.results {
                    thead { tr { @for v in &variables { th scope="col" { (v.as_str()) } } } }
                    tbody {
                        @for row in &rows {
                            tr { @for cell in row { td { (cell.as_ref().map(sparql::display_term).unwrap_or_default()) } } }
                        }
                    }
                }
            }
        },
    })
}
