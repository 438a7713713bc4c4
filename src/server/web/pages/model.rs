//! The model page: its facts, the lineage picture with its legend and the controls
//! of the walk, the edges drawn, and every claim with its sources.

use maud::{Markup, PreEscaped, html};

use super::{badge, href, layout, link, provenance_cells, sources, sources_inline, words};
use crate::lineage::{Direction, style};
use crate::model::{Kind, ModelKind, Relation};
use crate::server::views::{AccessView, LicenseUse, ModelDetail, ReleaseView};
use crate::view::EdgeView;

/// The options of the direction menu: every direction, the default (`both`) first.
fn direction_options() -> impl Iterator<Item = Direction> {
    let default = Direction::Both;
    std::iter::once(default).chain(Direction::ALL.into_iter().filter(move |d| *d != default))
}

/// The words of the direction menu.
fn direction_label(direction: Direction) -> &'static str {
    match direction {
        Direction::Both => "bases and derivatives",
        Direction::Up => "bases only",
        Direction::Down => "derivatives only",
    }
}

/// The walk settings of a model page, reflected in its URL.
#[derive(Debug, Default)]
pub struct LineageControls {
    pub direction: String,
    pub depth: Option<usize>,
    pub relations: Vec<String>,
    pub as_of: Option<String>,
    pub known_at: Option<String>,
}

fn controls(id: &str, c: &LineageControls) -> Markup {
    html! {
        form.controls method="get" action=(href(Kind::Model, id)) aria-label="Lineage settings" {
            div {
                label.field for="direction" { "Direction" }
                select #direction name="direction" {
                    @for direction in direction_options() {
                        option value=(direction.as_str()) selected[c.direction == direction.as_str()] { (direction_label(direction)) }
                    }
                }
            }
            div {
                label.field for="depth" { "Depth" }
                input #depth type="number" name="depth" min="1" max="50" value=[c.depth] placeholder="all" size="4";
            }
            fieldset.relations {
                legend { "Relations" }
                @for relation in Relation::ALL {
                    label { input type="checkbox" name="relation" value=(relation.as_str()) checked[c.relations.iter().any(|r| r == relation.as_str())]; " " (style::relation(relation).label) }
                }
            }
            div {
                label.field for="as_of" { "As of" }
                input #as_of type="date" name="as_of" value=[c.as_of.as_deref()];
            }
            div {
                label.field for="known_at" { "Known at" }
                input #known_at type="date" name="known_at" value=[c.known_at.as_deref()];
            }
            button.primary type="submit" { "Show" }
            a.button href=(href(Kind::Model, id)) { "Reset" }
        }
    }
}

fn release_row(release: &ReleaseView) -> Markup {
    html! {
        tr {
            th scope="row" { "release" }
            td { (release.status) " " (release.date.as_deref().or(release.expected.as_deref()).unwrap_or("")) }
            (provenance_cells(&release.provenance))
        }
    }
}

fn access_row(access: &AccessView) -> Markup {
    html! { tr { th scope="row" { "access" } td { (access.level) } (provenance_cells(&access.provenance)) } }
}

fn license_row(license: &LicenseUse) -> Markup {
    html! { tr { th scope="row" { "licence" } td { (link(&license.license)) " " span.muted { (license.spdx) } } (provenance_cells(&license.provenance)) } }
}

fn edge_rows(edges: &[EdgeView], anchors: bool) -> Markup {
    html! {
        @for (i, edge) in edges.iter().enumerate() {
            tr id=[anchors.then(|| format!("edge-{i}"))] {
                td { a href=(href(Kind::Model, &edge.model)) { (edge.model) } }
                td { (edge.relation) }
                td { a href=(href(Kind::Model, &edge.base)) { (edge.base) } }
                td { (badge(edge.confidence)) }
                // The period the claim held: without `until` an ended claim would
                // read as current.
                td {
                    @if let Some(from) = &edge.valid_from { "from " (from) " " }
                    @if let Some(until) = &edge.valid_until { "until " (until) }
                }
                td { @if let Some(f) = &edge.first_reported { (f) } }
                td {
                    (sources(&edge.sources))
                    @if let Some(note) = &edge.note { details { summary { "note" } p { (note) } } }
                }
            }
        }
    }
}

fn edge_table(caption: &str, edges: &[EdgeView], anchors: bool) -> Markup {
    html! {
        div.table-wrap {
            table {
                caption { (caption) }
                thead { tr { th scope="col" { "Model" } th scope="col" { "Relation" } th scope="col" { "Base" } th scope="col" { "Confidence" } th scope="col" { "Held" } th scope="col" { "First reported" } th scope="col" { "Sources" } } }
                tbody { (edge_rows(edges, anchors)) }
            }
        }
    }
}

pub fn model_page(
    model: &ModelDetail,
    picture: &str,
    walked: &[EdgeView],
    c: &LineageControls,
    footer: &str,
) -> Markup {
    layout(
        &model.name,
        footer,
        html! {
            h1 { (model.name) @if model.kind == ModelKind::Family { " " span.muted { "(model family)" } } }
            @if !model.aliases.is_empty() { p.muted { "Also known as " (model.aliases.join(", ")) } }
            @if let Some(description) = &model.description { p.lead { (description) } }
            dl.facts {
                dt { "Developer" }
                dd { @for (i, org) in model.organizations.iter().enumerate() { @if i > 0 { " → " } (link(org)) } }
                @if let Some(family) = &model.family { dt { "Family" } dd { (link(family)) } }
                @if let Some(p) = &model.parameters {
                    dt { "Parameters" }
                    dd { @if let Some(total) = p.total { (format_count(total)) " total" } @if let Some(active) = p.active { ", " (format_count(active)) " active" } }
                }
                @if !model.input_modalities.is_empty() { dt { "Modality" } dd { (words(&model.input_modalities)) " → " (words(&model.output_modalities)) } }
                @if let Some(hf) = &model.external_ids.huggingface { dt { "Hugging Face" } dd { a href={"https://huggingface.co/" (hf)} rel="nofollow" { (hf) } } }
                @if let Some(home) = &model.homepage { dt { "Homepage" } dd { a href=(home) rel="nofollow" { (home) } } }
                dt { "Record" } dd { (badge(model.record.confidence)) " " (sources_inline(&model.record.sources)) }
            }
            h2 #lineage { "Lineage" }
            p.muted { "Bases above, derived models below. Colour: relation; line: confidence (" (style::line_legend()) "). Hover an edge for its sources, click it for its row below, click a model to open it." }
            figure.picture aria-label={"Lineage of " (model.name)} { (PreEscaped(picture)) }
            (super::downloads::lineage_downloads(&model.id, c))
            (controls(&model.id, c))
            (edge_table("Edges in the picture", walked, true))
            h2 { "Claims" }
            div.table-wrap {
                table {
                    caption { "What is claimed about " (model.name) ", how sure, and who says so" }
                    thead { tr { th scope="col" { "Claim" } th scope="col" { "Value" } th scope="col" { "Confidence" } th scope="col" { "Period" } th scope="col" { "Sources" } } }
                    tbody {
                        @if let Some(release) = &model.release { (release_row(release)) }
                        @for access in &model.access { (access_row(access)) }
                        @for license in &model.licenses { (license_row(license)) }
                        @for edge in &model.lineage {
                            tr {
                                th scope="row" { "lineage" }
                                td { (edge.relation) " of " a href=(href(Kind::Model, &edge.base)) { (edge.base) } }
                                td { (badge(edge.confidence)) }
                                // The period the claim held: without `until` an ended
                                // claim would read as current.
                                td {
                                    @if let Some(from) = &edge.valid_from { "from " (from) " " }
                                    @if let Some(until) = &edge.valid_until { "until " (until) }
                                }
                                td { (sources(&edge.sources)) }
                            }
                        }
                    }
                }
            }
            @if !model.members.is_empty() {
                h2 { "Members of the family" }
                ul { @for member in &model.members { li { (link(member)) } } }
            }
            @if !model.derivatives.is_empty() {
                h2 { "Derived directly from " (model.name) }
                (edge_table("Models that name this one as their base", &model.derivatives, false))
            }
        },
    )
}

fn format_count(n: u64) -> String {
    match n {
        n if n >= 1_000_000_000 && n % 100_000_000 == 0 => format!("{}B", n as f64 / 1e9),
        n if n >= 1_000_000_000 => format!("{:.2}B", n as f64 / 1e9),
        n if n >= 1_000_000 => format!("{:.0}M", n as f64 / 1e6),
        n => n.to_string(),
    }
}
