//! The paths of the web pages (`/models/{id}`, …): what the pages link to, and what
//! the lineage picture links to wherever it is drawn (the server's pages and API,
//! and `pedigree lineage --format svg`). The routes themselves are the server's.

use crate::lineage::svg::Target;

/// The path of a record's page.
pub fn href(kind: &str, id: &str) -> String {
    let folder = match kind {
        "model" | "family" => "models",
        "organization" => "organizations",
        "person" => "people",
        "source" => "sources",
        _ => "licenses",
    };
    format!("/{folder}/{id}")
}

/// Where the lineage picture's links go: a model's page, and an edge's row in the
/// model page's claims table (`#edge-i`).
pub fn svg_link(target: Target<'_>) -> String {
    match target {
        Target::Model(id) => href("model", id),
        Target::Edge(index) => format!("#edge-{index}"),
    }
}
