//! The record routes of organisations, people, sources and licences: each kind
//! listed (`/api/organizations`, ...) and detailed (`/api/organizations/{id}`, ...).

use axum::Json;
use axum::extract::State;
use axum::http::Uri;

use super::{not_found, page_params};
use crate::kb::page::paginate;
use crate::model::Kind;
use crate::server::error::ApiError;
use crate::server::params::{Params, PathParam};
use crate::server::state::AppState;
use crate::server::views::{
    Builder, LicenseDetail, OrganizationDetail, Page, PersonDetail, RecordSummary, SourceDetail,
};

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
        pub(in crate::server) async fn $name(State(state): State<AppState>, PathParam(id): PathParam, uri: Uri) -> Result<Json<$body>, ApiError> {
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
pub(in crate::server) const SOURCE_CLAIMS_LIMIT: usize = 1000;

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
pub(in crate::server) async fn get_source(
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
        pub(in crate::server) async fn $name(State(state): State<AppState>, uri: Uri) -> Result<Json<Page<RecordSummary>>, ApiError> {
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
