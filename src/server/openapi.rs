//! The OpenAPI 3.1 description of the HTTP API: what the document says besides its
//! paths (title, tags, the schemas no path names), and the document itself. The paths
//! come from the router (`super::api_routes`, where each route is declared with its
//! entry), so a route cannot be missing from the document; `docs/openapi.json` ships
//! a copy that a test keeps identical.

use std::sync::LazyLock;

use axum::Json;
use utoipa::OpenApi;

use crate::model::Word;
use crate::view::Direction;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Pedigree",
        description = "AI-model lineage: models, organisations, people, sources and licences, with typed lineage edges, each carrying its sources and confidence. The SPARQL 1.1 endpoint at /sparql follows the W3C protocol and is described there by a SPARQL service description.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    // The vocabulary enums are named by parameters, whose schemas utoipa does not
    // collect; a test checks every `$ref` of the document resolves.
    components(schemas(
        crate::view::CompactLineageView,
        crate::model::AccessLevel,
        crate::model::Confidence,
        crate::model::ModelKind,
        crate::model::Relation,
        Direction,
    )),
    tags(
        (name = "models", description = "Models and model families"),
        (name = "lineage", description = "Walks of the lineage graph"),
        (name = "organizations", description = "Companies, labs and teams"),
        (name = "people", description = "People and their roles"),
        (name = "sources", description = "Cited documents and the claims resting on them"),
        (name = "licenses", description = "Licences and their terms"),
        (name = "datasets", description = "Training datasets: where their examples came from and the models trained on them"),
        (name = "queries", description = "Canned SPARQL queries"),
        (name = "service", description = "Status, health, this document and the vocabulary"),
    )
)]
pub(super) struct ApiDoc;

// The walk direction's schema is written here, from its words, so that its component
// stays as the document has always shown it (no description).
impl utoipa::PartialSchema for Direction {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(Direction::words()))
            .into()
    }
}

impl utoipa::ToSchema for Direction {}

/// The OpenAPI document: [`ApiDoc`] with the paths of the routes the server declares.
/// The router is built here only for its document; building it serves nothing.
pub fn document() -> utoipa::openapi::OpenApi {
    super::api_routes().into_openapi()
}

/// The OpenAPI document as pretty JSON with a trailing newline.
pub fn openapi_json() -> String {
    let mut text = document()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// The document never changes while the binary runs, so it is built once.
static DOCUMENT: LazyLock<serde_json::Value> =
    LazyLock::new(|| serde_json::to_value(document()).unwrap_or_default());

/// This OpenAPI document, as JSON.
#[utoipa::path(
    get,
    path = "/openapi.json",
    responses((status = 200, description = "This OpenAPI 3.1 document", content_type = "application/json", body = Object)),
    tag = "service"
)]
pub(super) async fn get_openapi() -> Json<serde_json::Value> {
    Json(DOCUMENT.clone())
}
