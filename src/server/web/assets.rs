//! The stylesheet and the script the pages load, as served: the hand-written files in
//! `assets/` plus the parts written from the model, so that no enum word or look is
//! kept twice.
//!
//! The stylesheet's confidence rules (a badge's colour and border, the `--confirmed`
//! … colour variables) come from the one table in [`crate::lineage::style`]; the
//! script's record kinds (their words, page folders and which ones search as you
//! type) come from [`Kind::ALL`]. A new confidence level or record kind then shows up
//! in both without touching the files, or does not compile until it has a look.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::lineage::style;
use crate::model::{Confidence, Kind};

const STYLE: &str = include_str!("assets/style.css");
/// The script's files in the order they are served: the shared helpers first, then one
/// file per concern, each its own scope.
const SCRIPTS: &[&str] = &[
    include_str!("assets/common.js"),
    include_str!("assets/search.js"),
    include_str!("assets/results.js"),
    include_str!("assets/query.js"),
    include_str!("assets/lineage.js"),
];

/// `/assets/style.css`: the hand-written sheet, then the confidence rules.
pub(super) async fn style_sheet() -> Response {
    static SHEET: LazyLock<String> = LazyLock::new(|| format!("{STYLE}{}", confidence_rules()));
    asset("text/css; charset=utf-8", &SHEET)
}

/// `/assets/app.js`: the record kinds as a constant, then the hand-written scripts,
/// which read them.
pub(super) async fn script() -> Response {
    static SCRIPT_WITH_KINDS: LazyLock<String> =
        LazyLock::new(|| format!("{}{}", kinds_constant(), SCRIPTS.join("\n")));
    asset("text/javascript; charset=utf-8", &SCRIPT_WITH_KINDS)
}

/// Assets are compiled in; they change only with the binary, so caches may keep
/// them for a day.
fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

/// A colour variable per confidence level and the badge of each:
/// `.badge.reported { … }`, the class the pages give a badge being the confidence's
/// word. A double border needs three pixels to show its two lines.
fn confidence_rules() -> String {
    let mut css = String::from(
        "\n/* Confidence looks, written by the server from lineage::style. */\n:root {",
    );
    for confidence in Confidence::ALL {
        let word = confidence.as_str();
        css.push_str(&format!(
            " --{word}: {};",
            style::line(confidence).badge_colour
        ));
    }
    css.push_str(" }\n");
    for confidence in Confidence::ALL {
        let word = confidence.as_str();
        css.push_str(&format!(
            ".badge.{word} {{ color: var(--{word}); border-style: {}; }}\n",
            style::line(confidence).badge_border
        ));
        if style::line(confidence).badge_border == "double" {
            css.push_str(&format!(".badge.{word} {{ border-width: 3px; }}\n"));
        }
    }
    css
}

/// `PEDIGREE_KINDS`: each record kind's word (as in IRIs, `…/person/{id}`), its
/// folder (as in page and API paths, `/people/{id}`), and whether search-as-you-type
/// asks for it.
fn kinds_constant() -> String {
    let kinds: Vec<_> = Kind::ALL
        .into_iter()
        .map(|kind| {
            json!({
                "noun": kind.noun(),
                "folder": kind.folder(),
                "suggest": suggested_as_you_type(kind),
            })
        })
        .collect();
    format!(
        "// The record kinds, written by the server from model::Kind.\nconst PEDIGREE_KINDS = Object.freeze({});\n",
        serde_json::Value::Array(kinds)
    )
}

/// The kinds a search box suggests while typing: every kind, since people look up a
/// licence ("apache") or a source ("bloomberg") as they look up a model, and each
/// costs the server one scan of precomputed keys (`kb::search`). A new kind decides
/// here (the match is exhaustive); one that is too large or too rarely looked up to
/// be worth a request per keystroke would say `false` and be found by `/search`.
fn suggested_as_you_type(kind: Kind) -> bool {
    match kind {
        Kind::Model
        | Kind::Organization
        | Kind::Person
        | Kind::Source
        | Kind::License
        | Kind::Dataset => true,
    }
}
