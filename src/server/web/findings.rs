//! The handler of the findings page: the API's filter and page, as HTML.

use axum::extract::State;
use axum::http::Uri;
use percent_encoding::utf8_percent_encode;

use super::{PageResult, QUERY_VALUE, fail, footer, page, pages};
use crate::kb::page::paginate;
use crate::server::api::obligations::{FINDING_PARAMS, finding_filter};
use crate::server::api::page_params;
use crate::server::params::Params;
use crate::server::state::AppState;

pub(super) async fn findings(State(state): State<AppState>, uri: Uri) -> PageResult {
    let snapshot = state.snapshot();
    let f = fail(&snapshot);
    let params = Params::parse_page(&uri, &FINDING_PARAMS).map_err(&f)?;
    let request = page_params(&params).map_err(&f)?;
    let kb = &snapshot.kb;
    let filter = finding_filter(&params, kb).map_err(&f)?;
    let obligations = kb.obligations();
    let view = paginate(kb.find_findings(&filter), request).map(|x| obligations.finding_view(x));
    // The filter as given, for the pager and the JSON link (the page number aside).
    let query: Vec<String> = FINDING_PARAMS
        .iter()
        .filter(|name| !matches!(**name, "page" | "per_page"))
        .filter_map(|name| {
            let value = params.one(name).ok().flatten()?;
            Some(format!(
                "{name}={}",
                utf8_percent_encode(value, QUERY_VALUE)
            ))
        })
        .collect();
    let filter_query = if query.is_empty() {
        String::new()
    } else {
        format!("?{}", query.join("&"))
    };
    let base = format!("/findings{filter_query}");
    Ok(page(pages::findings_page(
        &view,
        &filter_query,
        &base,
        &footer(&snapshot),
    )))
}
