//! The paths of the web pages (`/models/{id}`, …): what the pages link to, and what
//! the lineage picture links to wherever it is drawn (the server's pages and API,
//! and `pedigree lineage --format svg`). The routes themselves are the server's.

use crate::lineage::Direction;
use crate::lineage::svg::Target;
use crate::model::{Kind, Relation};

/// The path of a record's page: pages are named like the data's folders, so a new
/// record kind gets its page path with its folder.
pub fn href(kind: Kind, id: &str) -> String {
    format!("/{}/{id}", kind.folder())
}

/// Where the lineage picture's links go: a model's page, and an edge's row in the
/// model page's claims table (`#edge-i`).
pub fn svg_link(target: Target<'_>) -> String {
    match target {
        Target::Model(id) => href(Kind::Model, id),
        Target::Dataset(id) => href(Kind::Dataset, id),
        Target::Edge(index) => format!("#edge-{index}"),
        Target::Folded {
            model,
            direction,
            relation: Some(relation),
        } => neighbours_href(model, direction, relation),
        Target::Folded {
            model,
            direction,
            relation: None,
        } => side_href(model, direction),
    }
}

/// The side of a model a list of its direct claims shows, as its path spells it.
fn side(direction: Direction) -> &'static str {
    match direction {
        Direction::Up => "bases",
        _ => "derivatives",
    }
}

/// The page listing a model's direct bases (`Up`) or derivatives, paginated:
/// `/models/{id}/derivatives`. The lists cover every node of the lineage, so a
/// dataset's are under `/models/` too (its record page is `/datasets/{id}`).
pub fn side_href(id: &str, direction: Direction) -> String {
    format!("{}/{}", href(Kind::Model, id), side(direction))
}

/// The same list in the JSON API: `/api/models/{id}/derivatives`.
pub fn api_side_href(id: &str, direction: Direction) -> String {
    format!("/api{}", side_href(id, direction))
}

/// The same list filtered to one relation: `/models/{id}/derivatives?relation=quantized`.
pub fn neighbours_href(id: &str, direction: Direction, relation: Relation) -> String {
    format!(
        "{}?relation={}",
        side_href(id, direction),
        relation.as_str()
    )
}

/// The same list in the JSON API: `/api/models/{id}/derivatives?relation=quantized`.
pub fn api_neighbours_href(id: &str, direction: Direction, relation: Relation) -> String {
    format!("/api{}", neighbours_href(id, direction, relation))
}
