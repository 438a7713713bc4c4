//! The JSON API under `/api`, a file per concern: `models` (listed and
//! detailed), `lineage` (walks and paths), `bom` (a model's AI bill of materials),
//! `neighbours` (a model's direct bases and derivatives, ranked and paginated),
//! `obligations` (what a model owes, and the compliance findings), `records`
//! (organisations, people, sources,
//! licences), `queries` (the canned queries) and `service` (status, health, the
//! vocabulary). This file holds what several of them (and the web pages) share: the
//! 404 with close matches and the parsing of pages, relations and dates.

pub(super) mod bom;
pub(super) mod lineage;
pub(super) mod models;
pub(in crate::server) mod neighbours;
pub(in crate::server) mod obligations;
pub(super) mod queries;
pub(super) mod records;
pub(super) mod service;

use super::error::ApiError;
use super::params::Params;
use crate::dataset::Dataset;
use crate::diagnostics::suggestions;
use crate::kb::page::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageRequest};
use crate::model::{Kind, PartialDate, Relation, Stage, Word};

pub(super) use records::SOURCE_CLAIMS_LIMIT;

/// 404 with the closest ids of the expected kind.
pub(super) fn not_found(dataset: &Dataset, kind: Kind, id: &str) -> ApiError {
    let ids: Vec<&str> = match kind {
        Kind::Model => dataset.models.iter().map(|r| r.id.as_str()).collect(),
        Kind::Organization => dataset
            .organizations
            .iter()
            .map(|r| r.id.as_str())
            .collect(),
        Kind::Person => dataset.people.iter().map(|r| r.id.as_str()).collect(),
        Kind::Source => dataset.sources.iter().map(|r| r.id.as_str()).collect(),
        Kind::License => dataset.licenses.iter().map(|r| r.id.as_str()).collect(),
        Kind::Dataset => dataset.datasets.iter().map(|r| r.id.as_str()).collect(),
    };
    let suggestions = close_matches(id, &ids);
    ApiError::NotFound {
        what: kind.noun(),
        id: id.chars().take(200).collect(),
        suggestions,
    }
}

/// Up to five ids close to `id`, best first.
fn close_matches(id: &str, candidates: &[&str]) -> Vec<String> {
    suggestions(id, candidates.iter().copied(), 5)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// The largest page number or depth a client may give: the bound the OpenAPI
/// description states (`maximum = 2147483647` on those parameters; keep them in
/// step), so generated clients and the server agree on what is valid.
pub const MAX_COUNT_PARAMETER: usize = i32::MAX as usize;

/// The page a request asks for: `page` (from 1) and `per_page` (1 to 1000).
pub(super) fn page_params(params: &Params) -> Result<PageRequest, ApiError> {
    let page = params
        .parsed(
            "page",
            |v| {
                v.parse::<usize>()
                    .ok()
                    .filter(|&p| (1..=MAX_COUNT_PARAMETER).contains(&p))
            },
            "a page number from 1 to 2147483647",
        )?
        .unwrap_or(1);
    let per_page = params
        .parsed(
            "per_page",
            |v| {
                v.parse::<usize>()
                    .ok()
                    .filter(|&n| (1..=MAX_PAGE_SIZE).contains(&n))
            },
            "a page size from 1 to 1000",
        )?
        .unwrap_or(DEFAULT_PAGE_SIZE);
    Ok(PageRequest { page, per_page })
}

pub(super) fn parse_relation(word: &str) -> Result<Relation, ApiError> {
    Relation::parse(word).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "`relation={word}` is not valid: expected one of {}",
            Relation::comma_list()
        ))
    })
}

pub(super) fn parse_stage(word: &str) -> Result<Stage, ApiError> {
    Stage::parse(word).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "`stage={word}` is not valid: expected one of {}",
            Stage::comma_list()
        ))
    })
}

/// A walk's depth, as the API and the model page read it: a whole number within
/// [`MAX_COUNT_PARAMETER`].
pub(super) fn parse_depth(text: &str) -> Option<usize> {
    text.parse::<usize>()
        .ok()
        .filter(|&depth| depth <= MAX_COUNT_PARAMETER)
}

/// What [`parse_depth`] accepts, for messages.
pub(super) const DEPTH_EXPECTED: &str = "a whole number up to 2147483647";

pub(super) fn parse_date(text: &str) -> Option<PartialDate> {
    PartialDate::parse_any_year(text).ok()
}
