//! The handlers of the organisation, person, source, licence and dataset pages.

use axum::extract::State;
use axum::http::Uri;

use super::{PageResult, fail, footer, missing, page, pages};
use crate::model::Kind;
use crate::server::params::{Params, PathParam};
use crate::server::state::AppState;
use crate::server::views::Builder;

macro_rules! detail_page {
    ($name:ident, $kind:expr, $getter:ident, $build:ident, $render:ident) => {
        pub(super) async fn $name(
            State(state): State<AppState>,
            PathParam(id): PathParam,
            uri: Uri,
        ) -> PageResult {
            let snapshot = state.snapshot();
            Params::parse_page(&uri, &[]).map_err(fail(&snapshot))?;
            let kb = &snapshot.kb;
            let record = kb
                .dataset
                .$getter(&id)
                .ok_or_else(|| missing(&snapshot, $kind, &id, &uri))?;
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

pub(super) async fn source(
    State(state): State<AppState>,
    PathParam(id): PathParam,
    uri: Uri,
) -> PageResult {
    let snapshot = state.snapshot();
    Params::parse_page(&uri, &[]).map_err(fail(&snapshot))?;
    let kb = &snapshot.kb;
    let record = kb
        .dataset
        .source(&id)
        .ok_or_else(|| missing(&snapshot, Kind::Source, &id, &uri))?;
    let detail = Builder { kb }.source_detail(record, crate::server::api::SOURCE_CLAIMS_LIMIT);
    Ok(page(pages::source_page(&detail, &footer(&snapshot))))
}

pub(super) async fn dataset(
    State(state): State<AppState>,
    PathParam(id): PathParam,
    uri: Uri,
) -> PageResult {
    let snapshot = state.snapshot();
    Params::parse_page(&uri, &[]).map_err(fail(&snapshot))?;
    let kb = &snapshot.kb;
    let record = kb
        .dataset
        .training_data(&id)
        .ok_or_else(|| missing(&snapshot, Kind::Dataset, &id, &uri))?;
    let builder = Builder { kb };
    let detail = builder.dataset_detail(record);
    let name_of = |id: &str| builder.link(id);
    Ok(page(pages::dataset_page(
        &detail,
        &name_of,
        &footer(&snapshot),
    )))
}
