//! What a model owes (`/api/models/{id}/obligations`) and the compliance findings
//! (`/api/findings`), and the one parsing of the findings filter the page shares.

use axum::Json;
use axum::extract::State;
use axum::http::Uri;

use super::{not_found, page_params};
use crate::dataset::RecordRef;
use crate::diagnostics::Severity;
use crate::kb::KnowledgeBase;
use crate::kb::findings::FindingFilter;
use crate::kb::page::paginate;
use crate::model::Kind;
use crate::obligations::findings::CODES;
use crate::obligations::view::{Certainty, FindingView, ObligationsView};
use crate::server::error::ApiError;
use crate::server::params::{Params, PathParam};
use crate::server::state::AppState;
use crate::server::views::Page;

/// The query parameters of the findings filter (with `page` and `per_page`).
pub(in crate::server) const FINDING_PARAMS: [&str; 7] = [
    "code",
    "severity",
    "license",
    "organization",
    "certainty",
    "page",
    "per_page",
];

/// The findings filter a request asks for; 404 for a licence or organisation that
/// does not exist, 400 for a word that is not one.
pub(in crate::server) fn finding_filter<'p>(
    params: &'p Params,
    kb: &KnowledgeBase,
) -> Result<FindingFilter<'p>, ApiError> {
    let codes: Vec<&str> = CODES.iter().map(|c| c.as_str()).collect();
    let code = params.parsed(
        "code",
        |v| CODES.iter().copied().find(|c| c.as_str() == v),
        &codes.join(", "),
    )?;
    let severity = params.parsed(
        "severity",
        |v| match v {
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        },
        "warning or error",
    )?;
    let license = params.one("license")?;
    if let Some(l) = license
        && kb.dataset.license(l).is_none()
    {
        return Err(not_found(&kb.dataset, Kind::License, l));
    }
    let organization = params.one("organization")?;
    if let Some(o) = organization
        && kb.dataset.organization(o).is_none()
    {
        return Err(not_found(&kb.dataset, Kind::Organization, o));
    }
    Ok(FindingFilter {
        code,
        severity,
        license,
        organization,
        certainty: params.word::<Certainty>("certainty")?,
    })
}

/// What a model owes if you ship it, and its findings.
#[utoipa::path(
    get,
    path = "/api/models/{id}/obligations",
    params(("id" = String, Path, description = "Model id")),
    responses(
        (status = 200, description = "Every licence clause that binds the model (its own licences', and every one up its lineage that a clause's `reaches` carries down), each with the chain of claims it came through and how sure that is; and the model's compliance findings", body = ObligationsView),
        (status = 404, description = "No such model; `did_you_mean` lists close ids"),
    ),
    tag = "models"
)]
pub(in crate::server) async fn model_obligations(
    State(state): State<AppState>,
    PathParam(id): PathParam,
    uri: Uri,
) -> Result<Json<ObligationsView>, ApiError> {
    Params::parse(&uri, &[])?;
    let snapshot = state.snapshot();
    let kb = &snapshot.kb;
    let Some(RecordRef::Model(position)) = kb.dataset.get(&id) else {
        return Err(not_found(&kb.dataset, Kind::Model, &id));
    };
    Ok(Json(kb.obligations().view(position as usize)))
}

/// Compliance findings about every model, filtered and paginated.
#[utoipa::path(
    get,
    path = "/api/findings",
    params(
        ("code" = Option<String>, Query, description = "Only findings of this code: C101 (licence drift), C102 (naming requirement unmet), C103 (restricted use contradicted), C104 (outputs clause)"),
        ("severity" = Option<String>, Query, description = "Only findings of this severity (`warning`; findings are never errors)"),
        ("license" = Option<String>, Query, min_length = 1, description = "Only findings about a clause of this licence id"),
        ("organization" = Option<String>, Query, min_length = 1, description = "Only findings about models developed by this organisation or any organisation below it"),
        ("certainty" = Option<Certainty>, Query, description = "Only findings resting on confirmed claims only (`certain`), or on some claim that is not (`possible`)"),
        ("page" = Option<usize>, Query, minimum = 1, maximum = 2147483647, description = "Page number, from 1"),
        ("per_page" = Option<usize>, Query, minimum = 1, maximum = 1000, description = "Page size, 1 to 1000 (default 50)"),
    ),
    responses(
        (status = 200, description = "A page of findings, in model order", body = Page<FindingView>),
        (status = 400, description = "A parameter is invalid"),
        (status = 404, description = "The licence or organisation filtered on does not exist (with close matches)"),
    ),
    tag = "models"
)]
pub(in crate::server) async fn list_findings(
    State(state): State<AppState>,
    uri: Uri,
) -> Result<Json<Page<FindingView>>, ApiError> {
    let params = Params::parse(&uri, &FINDING_PARAMS)?;
    let request = page_params(&params)?;
    let snapshot = state.snapshot();
    let kb = &snapshot.kb;
    let filter = finding_filter(&params, kb)?;
    let obligations = kb.obligations();
    Ok(Json(
        paginate(kb.find_findings(&filter), request).map(|f| obligations.finding_view(f)),
    ))
}
