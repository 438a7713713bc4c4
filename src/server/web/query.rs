//! The handlers of the SPARQL page (`/query`, which can evaluate a query itself for
//! browsers without JavaScript) and of the binding of canned-query parameters the
//! page's script asks for (`/query/bind`).
//!
//! The page's URL holds its state: `query` (the editor's text), `name` (the canned
//! query it came from, whose declared parameters get inputs), those parameters, and,
//! for the answer rendered on the server, `run=1` and `page`.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, html};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::{PageError, fail, footer, pages};
use crate::server::error::ApiError;
use crate::server::params::Params;
use crate::server::state::{AppState, Snapshot};
use crate::sparql::{self, Answer, DatasetOverride};

/// Rows of an answer shown at once, on the server-rendered page and by the script
/// (which reads it from the results' `data-page-rows`): a query over the whole graph
/// has thousands, and a table of thousands of rows is slow to draw and to read.
pub const PAGE_ROWS: usize = 100;

/// The page's own parameters; a canned query's declared parameters come on top.
const PAGE_PARAMS: &[&str] = &["name", "query", "run", "page"];

/// The SPARQL page. With `run=1` (the form submitted without JavaScript) the server
/// evaluates the query, with the canned query's parameters bound, and renders a page
/// of the answer; with JavaScript the page fetches `/sparql` itself.
pub(super) async fn query(State(state): State<AppState>, uri: Uri) -> Result<Response, PageError> {
    let snapshot = state.snapshot();
    let f = fail(&snapshot);
    // The canned query is known before the parameters are checked: its declared
    // parameters are accepted on top of the page's own.
    let raw =
        crate::server::protocol::parse_params(uri.query().unwrap_or("").as_bytes()).map_err(&f)?;
    let named = match raw.iter().find(|(n, _)| n == "name") {
        Some((_, name)) => Some(snapshot.query(name).ok_or_else(|| {
            f(ApiError::NotFound {
                what: "query",
                id: name.chars().take(200).collect(),
                suggestions: Vec::new(),
            })
        })?),
        None => None,
    };
    let mut allowed = PAGE_PARAMS.to_vec();
    allowed.extend(
        named
            .iter()
            .flat_map(|q| q.params.iter().map(|p| p.name.as_str())),
    );
    let params = Params::parse_page(&uri, &allowed).map_err(&f)?;
    params.one("name").map_err(&f)?;
    // Declared parameters left empty are left unbound: the query's default applies.
    let mut values: Vec<(String, String)> = Vec::new();
    for param in named.iter().flat_map(|q| &q.params) {
        if let Some(value) = params
            .one(&param.name)
            .map_err(&f)?
            .filter(|v| !v.is_empty())
        {
            values.push((param.name.clone(), value.to_owned()));
        }
    }
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
    let page: usize = params
        .parsed(
            "page",
            |v| v.parse().ok().filter(|&p| p > 0),
            "a page number from 1",
        )
        .map_err(&f)?
        .unwrap_or(1);
    let run = params.one("run").map_err(&f)?.is_some();
    let answer = if run {
        let pager_base = pager_base(params.pairs());
        let bound = sparql::bind_parameters(&text, &values);
        Some(match bound {
            Ok(bound) => evaluate(&state, &snapshot, &bound, page, pager_base)
                .await
                .map_err(&f)?,
            Err(error) => Err(pages::QueryProblem::from(ApiError::from(error))),
        })
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
            params: &q.params,
        })
        .collect();
    // The default text is the first canned query's, so its parameters get inputs.
    let selected = match (named, params.one("query").map_err(&f)?) {
        (Some(q), _) => Some(q.name.as_str()),
        (None, None) => snapshot.queries.first().map(|q| q.name.as_str()),
        (None, Some(_)) => None,
    };
    let markup = pages::query_page(
        &pages::QueryForm {
            text: &text,
            selected,
            values: &values,
        },
        &canned,
        answer,
        &footer(&snapshot),
    );
    Ok((StatusCode::OK, Html(markup.into_string())).into_response())
}

/// The page's address without `page`, for the pager to add it.
fn pager_base(pairs: &[(String, String)]) -> String {
    let encode = |text: &str| utf8_percent_encode(text, NON_ALPHANUMERIC).to_string();
    let query: Vec<String> = pairs
        .iter()
        .filter(|(name, _)| name != "page")
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect();
    format!("/query?{}", query.join("&"))
}

/// `POST /query/bind?{param}={value}…` with a query as the body: the query with its
/// declared parameters (`VALUES ?param { UNDEF }`) bound, as `text/plain`. The page's
/// script binds the parameter inputs this way, with the code `/api/queries/{name}`
/// binds with, rather than splicing values into SPARQL itself; it then sends the
/// bound query to `/sparql` like any other. Empty values are left unbound.
pub(super) async fn bind(
    State(state): State<AppState>,
    uri: Uri,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(state.config.max_body_bytes),
        _ => ApiError::BadRequest(format!("cannot read the request body: {rejection}")),
    })?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::BadRequest("the query is not valid UTF-8".into()))?;
    crate::server::protocol::refuse_too_long(&state, text)?;
    let pairs = crate::server::protocol::parse_params(uri.query().unwrap_or("").as_bytes())?;
    let values: Vec<(String, String)> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    let bound = sparql::bind_parameters(text, &values)?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        bound,
    )
        .into_response())
}

/// Evaluates a query for the page: page `page` of the answer as HTML, or the
/// problem. The answer is rendered on the blocking thread that evaluated it, like
/// every SPARQL answer.
///
/// A query longer than `--max-query-bytes` is refused as `/sparql` refuses it (the
/// outer error, a 413 page), before parsing; what parsing or evaluation says about a
/// query within the limit is shown on the page beside it (the inner error).
pub(super) async fn evaluate(
    state: &AppState,
    snapshot: &std::sync::Arc<Snapshot>,
    text: &str,
    page: usize,
    pager_base: String,
) -> Result<Result<Markup, pages::QueryProblem>, ApiError> {
    crate::server::protocol::refuse_too_long(state, text)?;
    let started = Instant::now();
    let parsed = match sparql::parse_with_base(text, Some(snapshot.kb.iris.base())) {
        Ok(parsed) => parsed,
        Err(error) => return Ok(Err(ApiError::from(error).into())),
    };
    Ok(crate::server::protocol::run_then(
        state,
        snapshot.clone(),
        parsed,
        DatasetOverride::default(),
        move |snapshot, answer| {
            render_answer(snapshot, answer, page, &pager_base, started).map_err(ApiError::internal)
        },
    )
    .await
    .map_err(pages::QueryProblem::from))
}

fn render_answer(
    snapshot: &Snapshot,
    answer: Answer,
    page: usize,
    pager_base: &str,
    started: Instant,
) -> std::io::Result<Markup> {
    let took = format!(" in {} ms", started.elapsed().as_millis());
    Ok(match answer {
        Answer::Boolean(value) => html! {
            p.status { "Answered" (took) }
            p.answer { "ASK: " (value) }
        },
        Answer::Graph(triples) => {
            let mut out = Vec::new();
            sparql::write_graph(
                &triples,
                sparql::GraphFormat::Turtle,
                snapshot.kb.iris.base(),
                &mut out,
            )?;
            html! {
                p.status { (triples.len()) " triples" (took) }
                pre.answer { (String::from_utf8_lossy(&out)) }
            }
        }
        Answer::Solutions { variables, rows } => {
            let last = rows.len().div_ceil(PAGE_ROWS).max(1);
            let page = page.min(last);
            let shown = rows.iter().skip((page - 1) * PAGE_ROWS).take(PAGE_ROWS);
            html! {
                p.status { (rows.len()) " rows" (took) }
                div.table-wrap {
                    table.results {
                        thead { tr { @for v in &variables { th scope="col" { (v.as_str()) } } } }
                        tbody {
                            @for row in shown {
                                // Each cell labelled by its variable, for a phone
                                // (see pages::head).
                                tr { @for (v, cell) in variables.iter().zip(row) { td data-label=(v.as_str()) { (cell.as_ref().map(sparql::display_term).unwrap_or_default()) } } }
                            }
                        }
                    }
                }
                @if last > 1 {
                    nav.pager aria-label="Pages of the answer" {
                        @if page > 1 { a rel="prev" href={(pager_base) "&page=" (page - 1)} { "← Previous" } }
                        span.muted { "Rows " ((page - 1) * PAGE_ROWS + 1) "–" ((page * PAGE_ROWS).min(rows.len())) " of " (rows.len()) }
                        @if page < last { a rel="next" href={(pager_base) "&page=" (page + 1)} { "Next →" } }
                    }
                }
            }
        }
    })
}
