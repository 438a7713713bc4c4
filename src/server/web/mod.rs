//! The web pages at `/`: find a model, see its lineage as a picture, read the facts
//! with their sources, and query the graph with SPARQL.
//!
//! Pages are rendered on the server from the same views as the JSON API and work
//! without JavaScript; the one stylesheet and the one script are compiled into the
//! binary (no CDN, no request leaves the page).
//!
//! This file owns the list of page routes (the assets, as served, are `assets.rs`)
//! and what every page handler
//! shares (the footer, errors as pages, a record asked for by name or alias, the
//! page for a path no route serves); the handlers are in one file per family of
//! pages, their markup under `pages/`.

mod assets;
mod findings;
mod home;
mod model;
mod neighbours;
pub(super) mod pages;
mod query;
mod query_csv;
mod records;
mod summary;

use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};
use maud::Markup;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::error::ApiError;
use super::negotiate::negotiate;
use super::state::{AppState, Snapshot};
use super::views::{Builder, Link};
use crate::model::Kind;
use crate::site::href;

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
        ("/datasets", get(home::datasets)),
        ("/datasets/{id}", get(records::dataset)),
        ("/findings", get(findings::findings)),
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

/// What a page handler answers instead of its page: an error, as a page, or the
/// address of the record the request meant.
enum PageError {
    /// The status and message of the API error, in HTML, with the records it may
    /// have meant (by name) and the page's footer.
    Failed {
        error: ApiError,
        suggestions: Vec<Link>,
        footer: String,
    },
    /// The record asked for by a name or alias is at this address ([`missing`]).
    Elsewhere(Redirect),
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (error, suggestions, footer) = match self {
            PageError::Failed {
                error,
                suggestions,
                footer,
            } => (error, suggestions, footer),
            PageError::Elsewhere(redirect) => return redirect.into_response(),
        };
        let status = error.status();
        if status.is_server_error() {
            return error.into_response();
        }
        let html = pages::error_page(heading(status), &in_words(&error), &suggestions, &footer);
        (status, Html(html.into_string())).into_response()
    }
}

/// The heading of an error page: the status's own name ("Not Found", "Bad
/// Request"), so the heading and the status never disagree (a fuzzing finding: a 400
/// page once said "Not found"); the sentence under it says what went wrong.
fn heading(status: StatusCode) -> &'static str {
    status.canonical_reason().unwrap_or("Error")
}

/// What went wrong, for a person reading a page: the API's words, but a missing record
/// or page said as a sentence rather than as the API's `model `x` not found`.
fn in_words(error: &ApiError) -> String {
    match error {
        ApiError::NotFound { what, id, .. } => {
            format!("There is no {what} with the id “{id}”, nor one by that name.")
        }
        ApiError::NoRoute(path) => format!("There is no page at {path}."),
        other => other.to_string(),
    }
}

/// What a value in a query string escapes: all but letters, digits and `-._~`
/// (RFC 3986's unreserved characters).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What a page address that names no record of `kind` answers. The address may be a
/// name or alias rather than an id (`/models/muse-spark` for the model named Muse
/// Spark, id `avocado`): when exactly one record of the kind has a text with the
/// address's key (`kb::search`: letters and digits, lowercased), a permanent
/// redirect (308) to that record's page (the same page of it: `/models/{id}/bases`
/// too), the query string kept; when several do, the
/// search page for the address; when none does, the 404 page with close ids.
fn missing(snapshot: &Snapshot, kind: Kind, id: &str, uri: &Uri) -> PageError {
    let kb = &snapshot.kb;
    match kb.named(kind, id).as_slice() {
        [] => fail(snapshot)(crate::server::api::not_found(&kb.dataset, kind, id)),
        [one] => {
            // The same page of the record: its address with the id in place of the
            // name (`/models/muse-spark/derivatives` → `/models/avocado/derivatives`).
            let rest = uri
                .path()
                .strip_prefix(&format!("/{}/", kind.folder()))
                .and_then(|after| after.find('/').map(|slash| &after[slash..]))
                .unwrap_or("");
            let mut target = format!("{}{rest}", href(kind, kb.dataset.id(*one).as_str()));
            if let Some(query) = uri.query() {
                target = format!("{target}?{query}");
            }
            PageError::Elsewhere(Redirect::permanent(&target))
        }
        _ => PageError::Elsewhere(Redirect::to(&format!(
            "/search?q={}",
            utf8_percent_encode(id, QUERY_VALUE)
        ))),
    }
}

/// The answer to a path no route serves: the JSON error under `/api` and to clients
/// that prefer JSON (or say nothing: `curl`, scripts), else, to a browser, a page
/// with the site's header and search box, links home, and a link to the record when
/// the path's last part is an id (`/modles/avocado`).
pub(super) fn no_route(state: &AppState, headers: &HeaderMap, uri: &Uri) -> Response {
    let path: String = uri.path().chars().take(200).collect();
    let error = ApiError::NoRoute(path.clone());
    let api = path == "/api" || path.starts_with("/api/");
    let offers = [("application/json", false), ("text/html", true)];
    if api || !matches!(negotiate(headers, &offers), Ok((_, true))) {
        return error.into_response();
    }
    let snapshot = state.snapshot();
    let kb = &snapshot.kb;
    let last = path.rsplit('/').find(|part| !part.is_empty()).unwrap_or("");
    let suggestions: Vec<Link> = kb
        .dataset
        .get(last)
        .map(|record| Builder { kb }.link(kb.dataset.id(record).as_str()))
        .into_iter()
        .collect();
    let html = pages::error_page(
        heading(StatusCode::NOT_FOUND),
        &in_words(&error),
        &suggestions,
        &footer(&snapshot),
    );
    (StatusCode::NOT_FOUND, Html(html.into_string())).into_response()
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

/// Turns an API error into its page. The ids a 404 suggests become links named as
/// their records are (a page shows names, not ids); a missing canned query suggests
/// names that are no record, and links nothing.
fn fail(snapshot: &Snapshot) -> impl Fn(ApiError) -> PageError + '_ {
    move |error| {
        let kb = &snapshot.kb;
        let suggestions = match &error {
            ApiError::NotFound { suggestions, .. } => suggestions
                .iter()
                .filter(|id| kb.dataset.get(id).is_some())
                .map(|id| Builder { kb }.link(id))
                .collect(),
            _ => Vec::new(),
        };
        PageError::Failed {
            error,
            suggestions,
            footer: footer(snapshot),
        }
    }
}
