//! The SPARQL 1.1 Service Description the endpoint gives a GET without a query, and
//! the endpoint URL it names.

use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use oxigraph::model::{Literal, NamedNode, Triple};

use super::answer::{GRAPH_OFFERS, content_type};
use crate::rdf::export::ExportFormat;
use crate::server::error::ApiError;
use crate::server::negotiate::negotiate;
use crate::server::state::Snapshot;
use crate::sparql::GraphFormat;

/// The address [`crate::server::serve`] listens on, put in every request's extensions so a
/// request without a `Host` header can still be told the endpoint's URL.
#[derive(Clone, Copy, Debug)]
pub(in crate::server) struct ListeningOn(pub std::net::SocketAddr);

/// The URL this endpoint answers on, for the service description's `sd:endpoint`:
/// `http://` and the authority the client addressed (the `Host` header, or the
/// authority of an absolute-form request target), else the address the server
/// listens on; then the path asked. Pedigree serves plain HTTP and reads no
/// `X-Forwarded-*` header, so behind a TLS proxy the scheme stays `http`
/// (docs/security.md). `None` when none of these gives a valid IRI: the
/// description then has no `sd:endpoint` rather than a wrong one.
pub(super) fn endpoint_url(
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
pub(super) fn service_description(
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
