//! The OpenAPI 3.1 description of the HTTP API, generated from the handlers'
//! annotations and response types; `docs/openapi.json` ships a copy that a test keeps
//! identical.

use axum::Json;
use utoipa::OpenApi;

use super::api;
use crate::lineage::Direction;
use crate::model::Word;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Pedigree",
        description = "AI-model lineage: models, organisations, people, sources and licences, with typed lineage edges, each carrying its sources and confidence. The SPARQL 1.1 endpoint at /sparql follows the W3C protocol and is described there by a SPARQL service description.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    paths(
        api::list_models,
        api::get_model,
        api::lineage,
        api::path,
        api::list_organizations,
        api::get_organization,
        api::list_people,
        api::get_person,
        api::list_sources,
        api::get_source,
        api::list_licenses,
        api::get_license,
        api::list_queries,
        api::run_query,
        api::status,
        api::healthz,
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
        (name = "queries", description = "Canned SPARQL queries"),
        (name = "service", description = "Status and health"),
    )
)]
struct ApiDoc;

// The walk direction's schema is written here, from its words, so that `lineage` knows
// nothing of OpenAPI.
impl utoipa::PartialSchema for Direction {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(Direction::words()))
            .into()
    }
}

impl utoipa::ToSchema for Direction {}

/// The OpenAPI document as pretty JSON with a trailing newline.
pub fn openapi_json() -> String {
    let mut text = ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

pub(super) async fn handler() -> Json<serde_json::Value> {
    Json(serde_json::to_value(ApiDoc::openapi()).unwrap_or_default())
}
