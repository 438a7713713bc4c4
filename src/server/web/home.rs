//! The handlers of the pages that lead to a record: home, search and the paged lists.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Html;

use super::{PageError, PageResult, fail, footer, page, pages};
use crate::kb::page::paginate;
use crate::kb::search::ModelFilter;
use crate::model::{Kind, ModelKind};
use crate::server::params::Params;
use crate::server::state::AppState;
use crate::server::views::Builder;

pub(super) async fn home(State(state): State<AppState>) -> Html<String> {
    let snapshot = state.snapshot();
    let kb_counts = snapshot.kb.counts();
    let counts = pages::HomeCounts {
        models: kb_counts.models,
        families: kb_counts.families,
        organizations: kb_counts.organizations,
        people: kb_counts.people,
        sources: kb_counts.sources,
        licenses: kb_counts.licenses,
        edges: kb_counts.lineage_edges,
        queries: snapshot.queries.len(),
    };
    page(pages::home(&counts, &footer(&snapshot)))
}

/// Most results listed on the search page per kind.
const SEARCH_LIMIT: usize = 50;

pub(super) async fn search(State(state): State<AppState>, uri: Uri) -> PageResult {
    let snapshot = state.snapshot();
    let params = Params::parse_page(&uri, &["q"]).map_err(fail(&snapshot))?;
    let q = params
        .one("q")
        .map_err(fail(&snapshot))?
        .unwrap_or("")
        .trim()
        .to_owned();
    let kb = &snapshot.kb;
    let builder = Builder { kb };
    let (models, others): (Vec<_>, Vec<_>) = if q.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let filter = ModelFilter {
            text: Some(&q),
            ..ModelFilter::default()
        };
        let models = kb
            .find_models(&filter)
            .into_iter()
            .take(SEARCH_LIMIT)
            .map(|m| builder.model_summary(m))
            .collect();
        let others = [
            Kind::Organization,
            Kind::Person,
            Kind::Source,
            Kind::License,
            Kind::Dataset,
        ]
        .into_iter()
        .flat_map(|kind| {
            kb.find_records(kind, Some(&q))
                .into_iter()
                .take(SEARCH_LIMIT)
                .map(|record| builder.record_summary(record))
        })
        .collect();
        (models, others)
    };
    Ok(page(pages::search_results(
        &q,
        &models,
        &others,
        &footer(&snapshot),
    )))
}

pub(super) async fn models(State(state): State<AppState>, uri: Uri) -> PageResult {
    let snapshot = state.snapshot();
    let f = fail(&snapshot);
    let params = Params::parse_page(
        &uri,
        &["kind", "organization", "license", "page", "per_page"],
    )
    .map_err(&f)?;
    let request = crate::server::api::page_params(&params).map_err(&f)?;
    let kind = params.word::<ModelKind>("kind").map_err(&f)?;
    let kb = &snapshot.kb;
    // The lists an organisation's and a licence's pages link to ("All 5,000 models"):
    // the API's own filters, the models of the organisation and those below it, or
    // under the licence now.
    let nonempty = |name: &str| -> Result<Option<&str>, PageError> {
        Ok(params.one(name).map_err(&f)?.filter(|v| !v.is_empty()))
    };
    let organization = nonempty("organization")?;
    let license = nonempty("license")?;
    let builder = Builder { kb };
    let mut title = match kind {
        Some(ModelKind::Family) => "Model families".to_owned(),
        Some(ModelKind::Model) => "Models".to_owned(),
        None => "Models and families".to_owned(),
    };
    let mut query: Vec<String> = Vec::new();
    if let Some(kind) = kind {
        query.push(format!("kind={}", kind.as_str()));
    }
    if let Some(org) = organization {
        let Some(record) = kb.dataset.organization(org) else {
            return Err(f(crate::server::api::not_found(
                &kb.dataset,
                Kind::Organization,
                org,
            )));
        };
        title = format!("{title} of {} and below", record.name.as_str());
        query.push(format!("organization={org}"));
    }
    if let Some(license) = license {
        let Some(record) = kb.dataset.license(license) else {
            return Err(f(crate::server::api::not_found(
                &kb.dataset,
                Kind::License,
                license,
            )));
        };
        title = format!("{title} under {}", record.name.as_str());
        query.push(format!("license={license}"));
    }
    let filter = ModelFilter {
        family: kind.map(|kind| kind == ModelKind::Family),
        organization,
        license,
        ..ModelFilter::default()
    };
    let page_view = paginate(kb.find_models(&filter), request).map(|m| builder.model_summary(m));
    let base = if query.is_empty() {
        "/models".to_owned()
    } else {
        format!("/models?{}", query.join("&"))
    };
    Ok(page(pages::model_list(
        &title,
        &page_view,
        &base,
        &footer(&snapshot),
    )))
}

macro_rules! list_page {
    ($name:ident, $kind:expr, $title:literal, $base:literal) => {
        pub(super) async fn $name(State(state): State<AppState>, uri: Uri) -> PageResult {
            let snapshot = state.snapshot();
            let params =
                Params::parse_page(&uri, &["page", "per_page"]).map_err(fail(&snapshot))?;
            let request = crate::server::api::page_params(&params).map_err(fail(&snapshot))?;
            let kb = &snapshot.kb;
            let builder = Builder { kb };
            let view = paginate(kb.find_records($kind, None), request)
                .map(|record| builder.record_summary(record));
            Ok(page(pages::record_list(
                $title,
                &view,
                $base,
                &footer(&snapshot),
            )))
        }
    };
}

list_page!(
    organizations,
    Kind::Organization,
    "Organisations",
    "/organizations"
);
list_page!(people, Kind::Person, "People", "/people");
list_page!(sources, Kind::Source, "Sources", "/sources");
list_page!(licenses, Kind::License, "Licences", "/licenses");
list_page!(datasets, Kind::Dataset, "Datasets", "/datasets");
