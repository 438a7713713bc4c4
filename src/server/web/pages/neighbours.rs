//! The page listing a model's direct bases or derivatives
//! (`/models/{id}/derivatives?relation=quantized`): what the summary's counts and the
//! picture's "+ 4,812 quantized" boxes open. Filters as a plain GET form, the claims
//! as the model page's edge table, a page at a time.

use maud::{Markup, html};

use super::model::{NameOf, confidence_options, edge_table};
use super::{href, layout, pager};
use crate::lineage::{Direction, style};
use crate::model::{Confidence, Kind, Relation};
use crate::numbers::grouped;
use crate::server::views::Page;
use crate::view::EdgeView;

/// What the list shows and how it was filtered.
#[derive(Debug)]
pub struct NeighbourList<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub direction: Direction,
    pub relations: &'a [Relation],
    pub min_confidence: Option<Confidence>,
    pub page: &'a Page<EdgeView>,
}

/// The list's own path with its filters, for the pager and the other side's link.
fn list_path(id: &str, side: &str, relations: &[Relation], min: Option<Confidence>) -> String {
    let mut query: Vec<String> = relations
        .iter()
        .map(|r| format!("relation={}", r.as_str()))
        .collect();
    if let Some(min) = min {
        query.push(format!("min_confidence={}", min.as_str()));
    }
    let path = format!("{}/{side}", href(Kind::Model, id));
    if query.is_empty() {
        path
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

pub fn neighbour_list(list: &NeighbourList<'_>, name_of: NameOf<'_>, footer: &str) -> Markup {
    let (side, noun, title) = match list.direction {
        Direction::Up => ("bases", "base", format!("Bases of {}", list.name)),
        _ => (
            "derivatives",
            "derivative",
            format!("Derivatives of {}", list.name),
        ),
    };
    let labels: Vec<&str> = list
        .relations
        .iter()
        .map(|&r| style::relation(r).label)
        .collect();
    let what = if labels.is_empty() {
        format!("{noun} claims")
    } else {
        format!("{} {noun} claims", labels.join(" or "))
    };
    let base = list_path(list.id, side, list.relations, list.min_confidence);
    layout(
        &title,
        footer,
        html! {
            h1 { (title) }
            p.lead {
                (grouped(list.page.total as u64)) " " (what)
                @if let Some(min) = list.min_confidence { ", at least " (min) }
                ", every claim (ended ones too), surest first, then the model most built upon, the newest, by name. "
                a href=(href(Kind::Model, list.id)) { "Back to " (list.name) }
            }
            form.controls method="get" action={(href(Kind::Model, list.id)) "/" (side)} aria-label="Filter the list" {
                fieldset.relations {
                    legend { "Relations" }
                    @for relation in Relation::ALL {
                        label { input type="checkbox" name="relation" value=(relation.as_str()) checked[list.relations.contains(&relation)]; " " (style::relation(relation).label) }
                    }
                }
                div {
                    label.field for="min_confidence" { "Confidence" }
                    select #min_confidence name="min_confidence" {
                        option value="" selected[list.min_confidence.is_none()] { "any" }
                        @for level in confidence_options() {
                            option value=(level.as_str()) selected[list.min_confidence == Some(level)] { "at least " (level) }
                        }
                    }
                }
                button.primary type="submit" { "Show" }
            }
            @if list.page.items.is_empty() {
                p.empty role="status" { "No " (what) " with these settings." }
            } @else {
                (edge_table(&title, &list.page.items, false, name_of))
                (pager(list.page, &base))
            }
        },
    )
}
