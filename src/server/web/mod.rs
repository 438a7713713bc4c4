//! The web pages at `/`: find a model, see its lineage as a picture, read the facts
//! with their sources, and query the graph with SPARQL.
//!
//! Pages are rendered on the server from the same views as the JSON API and work
//! without JavaScript; the one stylesheet and the one script are compiled into the
//! binary (no CDN, no request leaves the page).
//!
//! This file owns the list of page routes (the assets, as served, are `assets.rs`)
//! and what every page handler
//! shares (the footer, errors as pages); the handlers are in one file per family of
//! pages, their markup under `pages/`.

mod assets;
mod home;
mod model;
mod neighbours;
pub(super) mod pages;
mod query;
mod query_csv;
mod records;
mod summary;

use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use maud::Markup;

use super::error::ApiError;
use super::state::{AppState, Snapshot};
use super::views::Link;
use crate::model::Kind;

/// The pages and their assets, by path: routes outside the OpenAPI document (see
/// `super::non_api_routes`).
pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/", get(home::home)),
        ("/search", get(home::search)),
        ("/models", get(home::models)),
        ("/models/{id}", get(model::model)),
        ("/models/{id}/bases", get(neighbours::bases)),
        ("/models/{id}/derivatives", get(neighbours::derivatives)),
        ("/organizations", get(home::organizations)),
        ("/organizations/{id}", get(records::organization)),
        ("/people", get(home::people)),
        ("/people/{id}", get(records::person)),
        ("/sources", get(home::sources)),
        ("/sources/{id}", get(records::source)),
        ("/licenses", get(home::licenses)),
        ("/licenses/{id}", get(records::license)),
        ("/query", get(query::query)),
        ("/query/bind", post(query::bind)),
        (
            "/query/results.csv",
            get(query_csv::results_csv).post(query_csv::results_csv),
        ),
        ("/assets/style.css", get(assets::style_sheet)),
        ("/assets/app.js", get(assets::script)),
    ]
}

/// An error as a page: the status and message of the API error, in HTML.
struct PageError(ApiError, String);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let PageError(error, footer) = self;
        let status = error.status();
        // Suggestions link to records of the kind not found; a page names nothing
        // else (a missing canned query) with suggestions to link to.
        let suggestions: Vec<Link> = match &error {
            ApiError::NotFound {
                what, suggestions, ..
            } => match Kind::parse(what) {
                Some(kind) => suggestions
                    .iter()
                    .map(|id| Link {
                        id: id.clone(),
                        name: id.clone(),
                        kind,
                    })
                    .collect(),
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        if status.is_server_error() {
            return error.into_response();
        }
        (
            status,
            Html(
                pages::error_page(
                    status.canonical_reason().unwrap_or("Error"),
                    &error.to_string(),
                    &suggestions,
                    &footer,
                )
                .into_string(),
            ),
        )
            .into_response()
    }
}

fn footer(snapshot: &Snapshot) -> String {
    let version = snapshot
        .data_version
        .as_deref()
        .map(|v| format!(", data {}", &v[..v.len().min(12)]))
        .unwrap_or_default();
    format!(
        "Pedigree · {} records, {} triples, loaded {}{version} · JSON API at /api, SPARQL at /sparql, OpenAPI at /openapi.json",
        snapshot.kb.dataset.len(),
        snapshot.kb.stats.triples,
        super::rfc3339(snapshot.loaded_at)
    )
}

fn page(markup: Markup) -> Html<String> {
    Html(markup.into_string())
}

type PageResult = Result<Html<String>, PageError>;

fn fail(snapshot: &Snapshot) -> impl Fn(ApiError) -> PageError + '_ {
    move |error| PageError(error, footer(snapshot))
}
