//! The SPARQL 1.1 Protocol endpoint at `/sparql`: query by GET or POST (form or
//! direct), dataset parameters, content negotiation, a service description, and a
//! clear refusal of everything that would change data or reach elsewhere.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use oxigraph::model::{Literal, NamedNode, Triple};

use super::error::ApiError;
use super::negotiate::negotiate;
use super::state::{AppState, Snapshot};
use crate::rdf::export::ExportFormat;
use crate::sparql::{self, Answer, DatasetOverride, GraphFormat, Query, SolutionsFormat};

/// What a request asks for, once its shape (method, media type, parameters) is read.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Request {
    pub query: Option<String>,
    pub dataset: DatasetOverride,
}

/// What a client refused for lack of capacity is told to wait, in seconds.
pub const RETRY_AFTER_SECONDS: u64 = 1;

const FORM: &str = "application/x-www-form-urlencoded";
const SPARQL_QUERY: &str = "application/sparql-query";
const SPARQL_UPDATE: &str = "application/sparql-update";

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

/// `GET` and `POST` on `/sparql`.
pub(super) async fn endpoint(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    listening: Option<Extension<ListeningOn>>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let snapshot = state.snapshot();
    let Some((query, dataset)) = read_query(&state, &snapshot, &method, &uri, &headers, body)?
    else {
        let endpoint = endpoint_url(&headers, &uri, listening.map(|Extension(on)| on));
        return service_description(&snapshot, &headers, &uri, endpoint);
    };
    answer(&state, snapshot, query, dataset, &headers).await
}

/// Reads and parses the query of a protocol request, within the size limits: the
/// one reading of `/sparql` requests, shared with the SPARQL page's CSV download.
/// `None` when the request carries no query.
pub(super) fn read_query(
    state: &AppState,
    snapshot: &Snapshot,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Option<(Query, DatasetOverride)>, ApiError> {
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(state.config.max_body_bytes),
        _ => ApiError::BadRequest(format!("cannot read the request body: {rejection}")),
    })?;
    let request = read_request(method, uri, headers, &body)?;
    let Some(query_text) = request.query else {
        return Ok(None);
    };
    refuse_too_long(state, &query_text)?;
    let query = sparql::parse_with_base(&query_text, Some(snapshot.kb.iris.base()))?;
    Ok(Some((query, request.dataset)))
}

/// Refuses a query longer than `--max-query-bytes`: the one check every way of
/// sending a query goes through (`/sparql`, the page's CSV download and the SPARQL
/// page's `run=1`), so none skips the limit.
pub(super) fn refuse_too_long(state: &AppState, query_text: &str) -> Result<(), ApiError> {
    let limit = state.config.max_query_bytes;
    if query_text.len() > limit {
        return Err(ApiError::QueryTooLong {
            length: query_text.len(),
            limit,
        });
    }
    Ok(())
}

/// Evaluates off the async threads and hands the answer to `finish` there too, so
/// neither evaluation nor serialising a large answer holds up an async worker; the
/// watchdog inside `sparql::evaluate_on` cancels evaluation at the time limit,
/// freeing the blocking thread.
///
/// Each evaluation holds a permit of `state.evaluations` until it really ends (the
/// permit moves into the blocking task), so the limit counts running work, not
/// waiting clients. A query waits at most `queue_wait` for a permit: long enough for
/// a burst of short queries to be answered in turn, short enough that when slow
/// queries hold every permit, clients hear 503 with `Retry-After` at once instead of
/// queueing without bound behind them.
pub(super) async fn run_then<T: Send + 'static>(
    state: &AppState,
    snapshot: Arc<Snapshot>,
    query: Query,
    dataset: DatasetOverride,
    finish: impl FnOnce(&Snapshot, Answer) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let limits = state.config.limits;
    let waiting = Arc::clone(&state.evaluations).acquire_owned();
    // An error means the semaphore was closed, which it never is; a timeout is the
    // designed refusal.
    let Ok(Ok(permit)) = tokio::time::timeout(state.config.queue_wait, waiting).await else {
        return Err(ApiError::Overloaded {
            message: format!(
                "{} queries are already running, the most this server runs at once, and none finished within {} ms; retry shortly",
                state.config.max_concurrent_queries,
                state.config.queue_wait.as_millis()
            ),
            retry_after: RETRY_AFTER_SECONDS,
        });
    };
    // The guard's deadline counts from here, not from the queue. The waiter below
    // stops it when dropped: when the client hangs up or the request deadline fires,
    // axum drops this future, and the evaluation ends at its next step, freeing its
    // thread and permit.
    let guard = sparql::Guard::start(limits.timeout, limits.max_value_bytes);
    let _waiter = sparql::StopOnDrop(guard.clone());
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let answer =
            sparql::evaluate_guarded(&snapshot.kb.store, query, limits, &[], &dataset, &guard)?;
        finish(&snapshot, answer)
    })
    .await
    .map_err(ApiError::internal)?
}

/// Evaluates a query and answers in the format the client accepts. The format is
/// chosen from the query's form before evaluation, so a client that accepts nothing
/// we write gets its 406 without waiting for the query to run.
pub(super) async fn answer(
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
fn content_type(media_type: &str) -> String {
    match media_type {
        "text/csv" | "text/tab-separated-values" | "text/turtle" | "text/plain" => {
            format!("{media_type}; charset=utf-8")
        }
        other => other.to_owned(),
    }
}

/// Reads the protocol request: where the query is, and the dataset parameters.
pub(super) fn read_request(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Request, ApiError> {
    let url_params = parse_params(uri.query().unwrap_or("").as_bytes())?;
    let mut params = url_params.clone();
    let mut direct_query = None;
    if method == Method::POST {
        // Two Content-Types are ambiguous: a proxy may have read the other one.
        if headers.get_all(header::CONTENT_TYPE).iter().count() > 1 {
            return Err(ApiError::BadRequest(
                "the request has more than one Content-Type header; send exactly one".into(),
            ));
        }
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .ok_or_else(|| {
                ApiError::UnsupportedMediaType(format!(
                    "a POST to /sparql needs a Content-Type: `{SPARQL_QUERY}` or `{FORM}`"
                ))
            })?
            .to_str()
            .map_err(|_| ApiError::BadRequest("the Content-Type header is not ASCII".into()))?;
        let (media_type, charset) = split_media_type(content_type);
        if let Some(charset) = charset
            && !charset.eq_ignore_ascii_case("utf-8")
        {
            return Err(ApiError::UnsupportedMediaType(format!(
                "charset `{charset}` is not supported; send UTF-8"
            )));
        }
        match media_type.as_str() {
            FORM => params.extend(parse_params(body)?),
            SPARQL_QUERY => {
                let text = std::str::from_utf8(body).map_err(|e| {
                    ApiError::BadRequest(format!("the query is not valid UTF-8: {e}"))
                })?;
                direct_query = Some(text.to_owned());
            }
            SPARQL_UPDATE => {
                return Err(ApiError::Forbidden(
                    "SPARQL Update is not accepted: this endpoint is read-only; data changes through graph-data/".into(),
                ));
            }
            other => {
                return Err(ApiError::UnsupportedMediaType(format!(
                    "Content-Type `{other}` is not accepted; send `{SPARQL_QUERY}` or `{FORM}`"
                )));
            }
        }
    }
    let values = |name: &str, from: &[(String, String)]| -> Vec<String> {
        from.iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    if !values("update", &params).is_empty() {
        return Err(ApiError::Forbidden(
            "SPARQL Update is not accepted: this endpoint is read-only; data changes through graph-data/".into(),
        ));
    }
    let mut queries = values("query", &params);
    if let Some(direct) = direct_query {
        if !queries.is_empty() {
            return Err(ApiError::BadRequest(
                "the query is given both in the body and as a `query` parameter".into(),
            ));
        }
        queries.push(direct);
    }
    if queries.len() > 1 {
        return Err(ApiError::BadRequest(format!(
            "{} `query` parameters given; send exactly one",
            queries.len()
        )));
    }
    // Dataset parameters travel in the URL for direct POSTs and either place for forms.
    let graphs = |name: &str| -> Result<Vec<NamedNode>, ApiError> {
        values(name, &params)
            .into_iter()
            .map(|iri| {
                NamedNode::new(iri.clone()).map_err(|e| {
                    ApiError::BadRequest(format!("`{name}` value `{iri}` is not an IRI: {e}"))
                })
            })
            .collect()
    };
    Ok(Request {
        query: queries.pop(),
        dataset: DatasetOverride {
            default_graphs: graphs("default-graph-uri")?,
            named_graphs: graphs("named-graph-uri")?,
        },
    })
}

/// Splits `type/subtype; charset=x` into the lowercase media type and the charset.
fn split_media_type(content_type: &str) -> (String, Option<String>) {
    let mut parts = content_type.split(';');
    let media_type = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_owned())
    });
    (media_type, charset)
}

/// Decodes `application/x-www-form-urlencoded` text, refusing invalid UTF-8 rather
/// than replacing it (a query silently changed would give a wrong answer). The
/// `form_urlencoded` crate decodes the same way but replaces invalid UTF-8 with
/// U+FFFD, so only the splitting is done here and the percent-decoding is the
/// `percent-encoding` crate's (a `%` not followed by two hex digits stays as it is,
/// as the URL standard says). Repeated names are all kept: the protocol refuses a
/// repeated `query`, and `default-graph-uri`/`named-graph-uri` may repeat.
pub(super) fn parse_params(input: &[u8]) -> Result<Vec<(String, String)>, ApiError> {
    input
        .split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut split = pair.splitn(2, |&b| b == b'=');
            let name = decode(split.next().unwrap_or_default())?;
            let value = decode(split.next().unwrap_or_default())?;
            Ok((name, value))
        })
        .collect()
}

/// One name or value: `+` is a space, then percent-decoding, then strict UTF-8.
fn decode(raw: &[u8]) -> Result<String, ApiError> {
    let plus_as_space: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    percent_encoding::percent_decode(&plus_as_space)
        .decode_utf8()
        .map(std::borrow::Cow::into_owned)
        .map_err(|_| {
            ApiError::BadRequest("a parameter is not valid UTF-8 after percent-decoding".into())
        })
}

/// The address [`super::serve`] listens on, put in every request's extensions so a
/// request without a `Host` header can still be told the endpoint's URL.
#[derive(Clone, Copy, Debug)]
pub(super) struct ListeningOn(pub std::net::SocketAddr);

/// The URL this endpoint answers on, for the service description's `sd:endpoint`:
/// `http://` and the authority the client addressed (the `Host` header, or the
/// authority of an absolute-form request target), else the address the server
/// listens on; then the path asked. Pedigree serves plain HTTP and reads no
/// `X-Forwarded-*` header, so behind a TLS proxy the scheme stays `http`
/// (docs/security.md). `None` when none of these gives a valid IRI: the
/// description then has no `sd:endpoint` rather than a wrong one.
fn endpoint_url(
    headers: &HeaderMap,
    uri: &Uri,
    listening: Option<ListeningOn>,
) -> Option<NamedNode> {
    let from_host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .and_then(|host| host.parse::<axum::http::uri::Authority>().ok())
        .or_else(|| uri.authority().cloned())
        .map(|authority| authority.to_string());
    let authority =
        from_host.or_else(|| listening.map(|ListeningOn(address)| address.to_string()))?;
    NamedNode::new(format!("http://{authority}{}", uri.path())).ok()
}

/// The service description (SPARQL 1.1 Service Description), for a GET without a
/// query: what the endpoint supports, in the negotiated RDF format.
fn service_description(
    snapshot: &Snapshot,
    headers: &HeaderMap,
    uri: &Uri,
    endpoint: Option<NamedNode>,
) -> Result<Response, ApiError> {
    const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
    let sd = |local: &str| NamedNode::new_unchecked(format!("{SD}{local}"));
    let rdf_type = NamedNode::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
    let service = NamedNode::new_unchecked(format!("{}#service", snapshot.kb.iris.base()));
    let mut triples = vec![
        Triple::new(service.clone(), rdf_type.clone(), sd("Service")),
        Triple::new(
            service.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Query"),
        ),
        Triple::new(
            service.clone(),
            NamedNode::new_unchecked("http://www.w3.org/2000/01/rdf-schema#comment"),
            Literal::new_simple_literal(format!(
                "Pedigree: a read-only SPARQL 1.1 endpoint over an AI-model lineage graph ({} triples). SPARQL Update and SERVICE are refused. Path: {}",
                snapshot.kb.stats.triples,
                uri.path()
            )),
        ),
    ];
    triples.extend(endpoint.map(|endpoint| Triple::new(service.clone(), sd("endpoint"), endpoint)));
    // No sd:feature sd:BasicFederatedQuery: Pedigree refuses SERVICE.
    let formats = [
        "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
        "http://www.w3.org/ns/formats/SPARQL_Results_XML",
        "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
        "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
        "http://www.w3.org/ns/formats/Turtle",
        "http://www.w3.org/ns/formats/N-Triples",
        "http://www.w3.org/ns/formats/RDF_XML",
        "http://www.w3.org/ns/formats/JSON-LD",
    ];
    for format in formats {
        triples.push(Triple::new(
            service.clone(),
            sd("resultFormat"),
            NamedNode::new_unchecked(format),
        ));
    }
    let (media_type, format) = negotiate(headers, GRAPH_OFFERS)?;
    let export = match format {
        GraphFormat::Turtle => ExportFormat::Turtle,
        GraphFormat::NTriples => ExportFormat::NTriples,
        GraphFormat::RdfXml => ExportFormat::RdfXml,
        GraphFormat::JsonLd => ExportFormat::JsonLd,
    };
    crate::rdf::export::canonical_order(&mut triples);
    let mut body = Vec::new();
    crate::rdf::export::write(&triples, export, snapshot.kb.iris.base(), &mut body)
        .map_err(ApiError::internal)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_forms_strictly() {
        let params = parse_params(b"query=ASK%20%7B%7D&x=a+b&y=100%").unwrap();
        assert_eq!(params[0], ("query".into(), "ASK {}".into()));
        assert_eq!(params[1].1, "a b");
        assert_eq!(params[2].1, "100%");
        assert!(parse_params(b"query=%FF%FE").is_err());
        // An encoded `+` is a plus, a bare one a space; broken escapes stay as sent;
        // empty pairs are skipped and repeats kept.
        let params = parse_params(b"a=1%2B1&&b=%zz%4&a=x+%2b&c").unwrap();
        assert_eq!(
            params,
            [
                ("a".into(), "1+1".into()),
                ("b".into(), "%zz%4".into()),
                ("a".into(), "x +".into()),
                ("c".into(), String::new()),
            ]
        );
    }

    #[test]
    fn media_types_split_with_charset() {
        assert_eq!(
            split_media_type("Application/SPARQL-Query; charset=\"UTF-16\""),
            ("application/sparql-query".into(), Some("UTF-16".into()))
        );
    }
}
