//! The SPARQL page's CSV download (`/query/results.csv`): the answer written so a
//! spreadsheet opens it safely.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use oxigraph::model::{Literal, Term};

use crate::server::error::ApiError;
use crate::server::state::AppState;
use crate::sparql::{self, Answer, Query, SolutionsFormat};

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
