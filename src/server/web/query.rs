//! The handlers of the SPARQL page (`/query`, which can evaluate a query itself for
//! browsers without JavaScript) and of its spreadsheet-safe CSV download
//! (`/query/results.csv`).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, html};
use oxigraph::model::{Literal, Term};

use super::{PageError, fail, footer, pages};
use crate::server::error::ApiError;
use crate::server::params::Params;
use crate::server::state::{AppState, Snapshot};
use crate::sparql::{self, Answer, DatasetOverride, Query, SolutionsFormat};

/// The SPARQL page. With `run=1` (the form submitted without JavaScript) the server
/// evaluates the query and renders the answer; with JavaScript the page fetches
/// `/sparql` itself.
pub(super) async fn query(State(state): State<AppState>, uri: Uri) -> Result<Response, PageError> {
    let snapshot = state.snapshot();
    let f = fail(&snapshot);
    let params = Params::parse_page(&uri, &["name", "query", "run"]).map_err(&f)?;
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
pub(super) async fn results_csv(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let snapshot = state.snapshot();
    let (query, dataset) =
        crate::server::protocol::read_query(&state, &snapshot, &method, &uri, &headers, body)?
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
    let body = crate::server::protocol::run_then(&state, snapshot, query, dataset, |_, answer| {
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
pub(super) async fn evaluate(
    state: &AppState,
    snapshot: &std::sync::Arc<Snapshot>,
    text: &str,
) -> Result<Result<Markup, String>, ApiError> {
    crate::server::protocol::refuse_too_long(state, text)?;
    let parsed = match sparql::parse_with_base(text, Some(snapshot.kb.iris.base())) {
        Ok(parsed) => parsed,
        Err(error) => return Ok(Err(error.to_string())),
    };
    Ok(crate::server::protocol::run_then(
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
