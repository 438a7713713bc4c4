//! Answering a SPARQL query: evaluation off the async threads under the concurrency
//! limit, the answer's format negotiated from the query form, and its writing.

use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::server::blocking::run_limited;
use crate::server::error::ApiError;
use crate::server::negotiate::negotiate;
use crate::server::state::{AppState, Snapshot};
use crate::sparql::{self, Answer, DatasetOverride, GraphFormat, Query, SolutionsFormat};

/// Media types for SELECT and ASK answers, the first being the default.
pub(super) const SOLUTION_OFFERS: &[(&str, SolutionsFormat)] = &[
    ("application/sparql-results+json", SolutionsFormat::Json),
    ("application/sparql-results+xml", SolutionsFormat::Xml),
    ("text/csv", SolutionsFormat::Csv),
    ("text/tab-separated-values", SolutionsFormat::Tsv),
    ("application/json", SolutionsFormat::Json),
    ("application/xml", SolutionsFormat::Xml),
];

/// Media types for CONSTRUCT and DESCRIBE answers, the first being the default.
pub(super) const GRAPH_OFFERS: &[(&str, GraphFormat)] = &[
    ("text/turtle", GraphFormat::Turtle),
    ("application/n-triples", GraphFormat::NTriples),
    ("application/rdf+xml", GraphFormat::RdfXml),
    ("application/ld+json", GraphFormat::JsonLd),
];

/// For a graph answer to a client that accepts only SPARQL results types (rdflib's
/// SPARQLStore sends `application/sparql-results+json` whatever the query form), the
/// RDF format of the same family: JSON-LD for JSON, RDF/XML for XML, Turtle otherwise.
/// Refusing with 406 would break such clients for no gain; the response's
/// Content-Type says what it is.
const GRAPH_FALLBACKS: &[(&str, GraphFormat)] = &[
    ("application/sparql-results+json", GraphFormat::JsonLd),
    ("application/json", GraphFormat::JsonLd),
    ("application/sparql-results+xml", GraphFormat::RdfXml),
    ("application/xml", GraphFormat::RdfXml),
    ("text/csv", GraphFormat::Turtle),
    ("text/tab-separated-values", GraphFormat::Turtle),
];

/// Evaluates off the async threads and hands the answer to `finish` there too, so
/// neither evaluation nor serialising a large answer holds up an async worker; the
/// watchdog inside `sparql::evaluate_on` cancels evaluation at the time limit,
/// freeing the blocking thread. Permits, queueing and cancellation are
/// [`run_limited`]'s, shared with the lineage answers.
pub(in crate::server) async fn run_then<T: Send + 'static>(
    state: &AppState,
    snapshot: Arc<Snapshot>,
    query: Query,
    dataset: DatasetOverride,
    finish: impl FnOnce(&Snapshot, Answer) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let limits = state.config.limits;
    run_limited(state, move |guard| {
        let answer =
            sparql::evaluate_guarded(&snapshot.kb.store, query, limits, &[], &dataset, guard)?;
        finish(&snapshot, answer)
    })
    .await
}

/// Evaluates a query and answers in the format the client accepts. The format is
/// chosen from the query's form before evaluation, so a client that accepts nothing
/// we write gets its 406 without waiting for the query to run.
pub(in crate::server) async fn answer(
    state: &AppState,
    snapshot: Arc<Snapshot>,
    query: Query,
    dataset: DatasetOverride,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let format = choose_format(&query, headers)?;
    run_then(state, snapshot, query, dataset, move |snapshot, answer| {
        respond(&answer, format, snapshot.kb.iris.base())
    })
    .await
}

/// The media type and writer an answer will have.
#[derive(Clone, Copy, Debug)]
enum AnswerFormat {
    Graph(&'static str, GraphFormat),
    Solutions(&'static str, SolutionsFormat),
}

/// Negotiates the answer's format from the query form: RDF for CONSTRUCT and
/// DESCRIBE, SPARQL results for SELECT and ASK.
fn choose_format(query: &Query, headers: &HeaderMap) -> Result<AnswerFormat, ApiError> {
    if matches!(query, Query::Construct { .. } | Query::Describe { .. }) {
        let (media_type, format) = match negotiate(headers, GRAPH_OFFERS) {
            Ok(chosen) => chosen,
            Err(refusal) => {
                let (_, format) = negotiate(headers, GRAPH_FALLBACKS).map_err(|_| refusal)?;
                (format.media_type(), format)
            }
        };
        Ok(AnswerFormat::Graph(media_type, format))
    } else {
        let (media_type, format) = negotiate(headers, SOLUTION_OFFERS)?;
        Ok(AnswerFormat::Solutions(media_type, format))
    }
}

/// Writes an answer in the negotiated format.
fn respond(answer: &Answer, format: AnswerFormat, entity_base: &str) -> Result<Response, ApiError> {
    let mut body = Vec::new();
    let media_type = match (answer, format) {
        (Answer::Graph(triples), AnswerFormat::Graph(media_type, format)) => {
            sparql::write_graph(triples, format, entity_base, &mut body)
                .map_err(ApiError::internal)?;
            media_type
        }
        (
            Answer::Solutions { .. } | Answer::Boolean(_),
            AnswerFormat::Solutions(media_type, format),
        ) => {
            sparql::write_solutions(answer, format, &mut body).map_err(ApiError::internal)?;
            media_type
        }
        _ => {
            return Err(ApiError::internal(
                "the answer's form differs from the query's",
            ));
        }
    };
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type(media_type)),
            (header::VARY, "Accept".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// Text types get an explicit charset; the others are UTF-8 by definition.
pub(super) fn content_type(media_type: &str) -> String {
    match media_type {
        "text/csv" | "text/tab-separated-values" | "text/turtle" | "text/plain" => {
            format!("{media_type}; charset=utf-8")
        }
        other => other.to_owned(),
    }
}
