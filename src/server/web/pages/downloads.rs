//! The model page's download links: the lineage picture as SVG, DOT and Mermaid,
//! from `/api/models/{id}/lineage?format=…` with the page's current walk settings,
//! so the file holds what the page shows; and the page's own address with more
//! models drawn.

use maud::{Markup, html};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::href;
use super::model::LineageControls;
use crate::lineage::bounded::PICTURE_NODES;
use crate::model::Kind;

/// The formats offered: the label, the API's `format` word and the file extension.
const FORMATS: &[(&str, &str, &str)] = &[
    ("SVG", "svg", "svg"),
    ("DOT", "dot", "dot"),
    ("Mermaid", "mermaid", "mmd"),
];

/// The API address of the lineage of `id` in `format`, with the walk settings of `c`
/// (and, for the SVG, the page's own `limit`, so the file draws what the page does).
pub fn lineage_url(id: &str, c: &LineageControls, format: &str) -> String {
    let encode = |value: &str| utf8_percent_encode(value, NON_ALPHANUMERIC).to_string();
    let mut url = format!("/api/models/{}/lineage?format={format}", encode(id));
    with_settings(&mut url, c);
    if format == "svg" && c.limit != PICTURE_NODES {
        url.push_str(&format!("&limit={}", c.limit));
    }
    url
}

/// The model page of `id` with the walk settings of `c` and `limit` models drawn:
/// the "draw more" link.
pub fn page_url(id: &str, c: &LineageControls, limit: usize) -> String {
    let mut url = format!("{}?limit={limit}", href(Kind::Model, id));
    with_settings(&mut url, c);
    url.push_str("#lineage");
    url
}

/// Appends the walk settings of `c` to `url`, which has a query already. Every value
/// is percent-encoded: the settings echo the page's own URL.
fn with_settings(url: &mut String, c: &LineageControls) {
    let encode = |value: &str| utf8_percent_encode(value, NON_ALPHANUMERIC).to_string();
    let mut push = |name: &str, value: &str| {
        url.push('&');
        url.push_str(name);
        url.push('=');
        url.push_str(&encode(value));
    };
    if !c.direction.is_empty() {
        push("direction", &c.direction);
    }
    if let Some(depth) = c.depth {
        push("depth", &depth.to_string());
    }
    for relation in &c.relations {
        push("relation", relation);
    }
    if let Some(min_confidence) = c.min_confidence {
        push("min_confidence", min_confidence.as_str());
    }
    if let Some(as_of) = &c.as_of {
        push("as_of", as_of);
    }
    if let Some(known_at) = &c.known_at {
        push("known_at", known_at);
    }
}

/// The links, each with a `download` file name `{id}-lineage.{extension}`.
pub fn lineage_downloads(id: &str, c: &LineageControls) -> Markup {
    html! {
        p.downloads #lineage-downloads {
            span.muted { "Download the picture: " }
            @for (label, format, extension) in FORMATS {
                a.button href=(lineage_url(id, c, format)) download={(id) "-lineage." (extension)} { (label) }
                " "
            }
        }
    }
}
