//! The model page: its facts, the lineage picture with its legend, the controls of the
//! walk with what their filters hid, the edges drawn, and every claim with its
//! sources. The summary at its top is `summary.rs`.

use maud::{Markup, PreEscaped, html};

use super::summary::{Summary, summary_box};
use super::{
    PROVENANCE, badge, head, href, layout, link, provenance_cells, sources, sources_inline, words,
};
use crate::lineage::bounded::{MAX_PICTURE_NODES, PICTURE_FAN_OUT};
use crate::lineage::hidden::Hidden;
use crate::lineage::{Direction, Refusal, style};
use crate::model::{Confidence, Kind, ModelKind, Relation, Word};
use crate::numbers::grouped;
use crate::server::views::{AccessView, LicenseUse, Link, ModelDetail, ReleaseView};
use crate::view::{EdgeView, LineageView};

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

/// The date fields' grammar, the API's (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`). The
/// fields are text, not `type="date"`: a browser shows a date field in its locale's
/// order (12/10/2025), and the pages write dates in ISO order everywhere.
const ISO_DATE: &str = r"\d{4}(-\d{2}(-\d{2})?)?";

/// The walk settings of a model page, reflected in its URL.
#[derive(Debug, Default)]
pub struct LineageControls {
    pub direction: String,
    pub depth: Option<usize>,
    pub relations: Vec<String>,
    pub as_of: Option<String>,
    pub known_at: Option<String>,
    pub min_confidence: Option<Confidence>,
    /// What the filter hid next to the walk.
    pub hidden: Hidden,
    /// Most models the picture draws.
    pub limit: usize,
    /// Direct claims the picture folded into counts.
    pub folded: usize,
}

/// The options of the confidence menu: any, then each level from the least sure up,
/// as "at least" reads.
pub(super) fn confidence_options() -> impl Iterator<Item = Confidence> {
    let mut levels = Confidence::ALL.to_vec();
    levels.sort();
    levels.into_iter()
}

/// "3 edges hidden by this date · 2 by the relation filter": what each filter hid next
/// to the walk (an edge hidden by two filters counts under both).
fn hidden_note(c: &LineageControls) -> Option<String> {
    let hidden = &c.hidden;
    if hidden.total == 0 {
        return None;
    }
    let parts: Vec<String> = Refusal::ALL
        .into_iter()
        .filter(|&r| hidden.by(r) > 0)
        .map(|r| {
            let why = match r {
                Refusal::Relation => "by the relation filter",
                Refusal::Stage => "by the stage filter",
                Refusal::Confidence => "by the confidence filter",
                Refusal::Date if c.as_of.is_some() => "by this date (As of)",
                Refusal::Date => "as ended (set As of to see them)",
                Refusal::KnownAt => "by Known at",
            };
            format!("{} {why}", hidden.by(r))
        })
        .collect();
    let edges = if hidden.total == 1 { "edge" } else { "edges" };
    Some(format!(
        "{} {edges} next to those shown are hidden: {}.",
        hidden.total,
        parts.join("; ")
    ))
}

/// Why a walk drew nothing: the relations asked for, and what the filters hid.
fn empty_note(c: &LineageControls) -> String {
    let asked = if c.relations.is_empty() {
        "No lineage edges".to_owned()
    } else {
        let labels: Vec<&str> = c
            .relations
            .iter()
            .filter_map(|r| Relation::from_word(r))
            .map(|r| style::relation(r).label)
            .collect();
        format!("No {} edges", labels.join(" or "))
    };
    match hidden_note(c) {
        Some(note) => format!("{asked} with these settings; {note}"),
        None => format!("{asked} are recorded for this model."),
    }
}

fn controls(id: &str, c: &LineageControls) -> Markup {
    html! {
        form.controls #lineage-controls method="get" action=(href(Kind::Model, id)) aria-label="Lineage settings" autocomplete="off" {
            div {
                label.field for="direction" { "Direction" }
                select #direction name="direction" autocomplete="off" aria-describedby="direction-hint" {
                    @for direction in direction_options() {
                        option value=(direction.as_str()) selected[c.direction == direction.as_str()] { (direction_label(direction)) }
                    }
                }
                small.hint #direction-hint { "Which way to walk from this model." }
            }
            div {
                label.field for="depth" { "Depth" }
                input #depth type="number" name="depth" min="1" max="50" value=[c.depth] placeholder="all" size="4" autocomplete="off" aria-describedby="depth-hint";
                small.hint #depth-hint { "Edges away from this model; empty for all." }
            }
            fieldset.relations {
                legend { "Relations" }
                @for relation in Relation::ALL {
                    label { input type="checkbox" name="relation" value=(relation.as_str()) checked[c.relations.iter().any(|r| r == relation.as_str())] autocomplete="off"; " " (style::relation(relation).label) }
                }
                small.hint { "Only these relations; none ticked means all." }
            }
            div {
                label.field for="min_confidence" { "Confidence" }
                select #min_confidence name="min_confidence" autocomplete="off" aria-describedby="min_confidence-hint" {
                    option value="" selected[c.min_confidence.is_none()] { "any" }
                    @for level in confidence_options() {
                        option value=(level.as_str()) selected[c.min_confidence == Some(level)] { "at least " (level) }
                    }
                }
                small.hint #min_confidence-hint { "Only edges at least this sure." }
            }
            div {
                label.field for="as_of" { "As of" }
                input #as_of type="text" name="as_of" value=[c.as_of.as_deref()] placeholder="YYYY-MM-DD" pattern=(ISO_DATE) size="10" autocomplete="off" aria-describedby="as_of-hint";
                small.hint #as_of-hint { "The lineage as it stood that day: an edge counts from its claim's start, else the model's release, else its first report." }
            }
            div {
                label.field for="known_at" { "Known at" }
                input #known_at type="text" name="known_at" value=[c.known_at.as_deref()] placeholder="YYYY-MM-DD" pattern=(ISO_DATE) size="10" autocomplete="off" aria-describedby="known_at-hint";
                small.hint #known_at-hint { "What had been published by that day: edges whose first source had appeared." }
            }
            button.primary type="submit" { "Show" }
            a.button href=(href(Kind::Model, id)) { "Reset" }
        }
    }
}

/// The columns of the claims table: what, its value, then its provenance (a
/// dataset's page has the same table).
pub(super) const CLAIM_COLUMNS: [&str; 5] = [
    "Claim",
    "Value",
    PROVENANCE[0],
    PROVENANCE[1],
    PROVENANCE[2],
];

fn release_row(release: &ReleaseView) -> Markup {
    html! {
        tr {
            th scope="row" data-label=(CLAIM_COLUMNS[0]) { "release" }
            td data-label=(CLAIM_COLUMNS[1]) { (release.status) " " (release.date.as_deref().or(release.expected.as_deref()).unwrap_or("")) }
            (provenance_cells(&release.provenance))
        }
    }
}

fn access_row(access: &AccessView) -> Markup {
    html! { tr { th scope="row" data-label=(CLAIM_COLUMNS[0]) { "access" } td data-label=(CLAIM_COLUMNS[1]) { (access.level) } (provenance_cells(&access.provenance)) } }
}

fn license_row(license: &LicenseUse) -> Markup {
    html! { tr { th scope="row" data-label=(CLAIM_COLUMNS[0]) { "licence" } td data-label=(CLAIM_COLUMNS[1]) { (link(&license.license)) " " span.muted { (license.spdx) } } (provenance_cells(&license.provenance)) } }
}

/// The columns of a table of lineage edges.
const EDGE_COLUMNS: [&str; 7] = [
    "Model",
    "Relation",
    "Base",
    "Confidence",
    "Held",
    "First reported",
    "Sources",
];

/// A record's link by id (its name, and its kind for the path: a lineage edge's end
/// is a model or a dataset): tables show names and relation labels, not the data's
/// words.
pub type NameOf<'a> = &'a dyn Fn(&str) -> Link;

fn edge_rows(edges: &[EdgeView], anchors: bool, name_of: NameOf<'_>) -> Markup {
    let [
        model,
        relation,
        base,
        confidence,
        held,
        first,
        sources_column,
    ] = EDGE_COLUMNS;
    html! {
        @for (i, edge) in edges.iter().enumerate() {
            tr id=[anchors.then(|| format!("edge-{i}"))] {
                td data-label=(model) { (link(&name_of(&edge.model))) }
                td data-label=(relation) {
                    (style::relation(edge.relation).label)
                    @if let Some(stage) = edge.stage { " " span.muted { "(" (style::stage_label(stage)) ")" } }
                }
                td data-label=(base) { (link(&name_of(&edge.base))) }
                td data-label=(confidence) { (badge(edge.confidence)) }
                // The period the claim held: without `until` an ended claim would
                // read as current.
                td data-label=(held) {
                    @if let Some(from) = &edge.valid_from { "from " (from) " " }
                    @if let Some(until) = &edge.valid_until { "until " (until) }
                }
                td data-label=(first) { @if let Some(f) = &edge.first_reported { (f) } }
                td data-label=(sources_column) {
                    (sources(&edge.sources))
                    @if let Some(note) = &edge.note { details { summary { "note" } p { (note) } } }
                }
            }
        }
    }
}

pub(super) fn edge_table(
    caption: &str,
    edges: &[EdgeView],
    anchors: bool,
    name_of: NameOf<'_>,
) -> Markup {
    html! {
        div.table-wrap {
            table {
                caption { (caption) }
                (head(&EDGE_COLUMNS))
                tbody { (edge_rows(edges, anchors, name_of)) }
            }
        }
    }
}

/// What the picture left out, and a link to draw more.
fn folded_note(id: &str, view: &LineageView, c: &LineageControls) -> Markup {
    let more = (c.limit * 2).min(MAX_PICTURE_NODES);
    html! {
        @if c.folded > 0 {
            p.muted #lineage-folded role="note" {
                "The picture draws " (view.nodes.len()) " models, the closest and best-ranked first (surest claim, most built upon, newest, then name), at most "
                (PICTURE_FAN_OUT) " new ones around each; " (grouped(c.folded as u64))
                " more direct claims are folded into the “+” boxes, which open their lists. "
                @if more > c.limit {
                    a href=(super::downloads::page_url(id, c, more)) { "Draw up to " (more) " models" }
                }
            }
        }
    }
}

/// The first edges of a record's side, and a link to all of them when there are more.
fn more_edges(total: usize, shown: usize, list: &str, noun: &str) -> Markup {
    html! {
        @if total > shown {
            p.more { "Showing " (shown) " of " (grouped(total as u64)) " " (noun) ", surest first. " a href=(list) { "All " (grouped(total as u64)) " " (noun) } }
        }
    }
}

pub fn model_page(
    model: &ModelDetail,
    summary: &Summary,
    picture: &str,
    view: &LineageView,
    c: &LineageControls,
    name_of: NameOf<'_>,
    footer: &str,
) -> Markup {
    let walked = &view.edges;
    layout(
        &model.name,
        footer,
        html! {
            h1 { (model.name) @if model.kind == ModelKind::Family { " " span.muted { "(model family)" } } }
            @if !model.aliases.is_empty() { p.muted { "Also known as " (model.aliases.join(", ")) } }
            @if let Some(description) = &model.description { p.lead { (description) } }
            (summary_box(model, summary))
            dl.facts {
                dt { "Organisations" }
                dd { @for (i, org) in model.organizations.iter().enumerate() { @if i > 0 { " → " } (link(org)) } }
                @if let Some(family) = &model.family { dt { "Family" } dd { (link(family)) } }
                @if !model.input_modalities.is_empty() { dt { "Modality" } dd { (words(&model.input_modalities)) " → " (words(&model.output_modalities)) } }
                @if let Some(hf) = &model.external_ids.huggingface { dt { "Hugging Face" } dd { a href={"https://huggingface.co/" (hf)} rel="nofollow" { (hf) } } }
                @if let Some(home) = &model.homepage { dt { "Homepage" } dd { a href=(home) rel="nofollow" { (home) } } }
                dt { "Record" } dd { (badge(model.record.confidence)) " " (sources_inline(&model.record.sources)) }
            }
            h2 #lineage { "Lineage" }
            p.muted { "Bases above, derived models below. Colour: relation; line: confidence (" (style::line_legend()) "). Hover or focus an edge for its sources, click or tap it for its row below with their links, click a model to open it." }
            figure.picture aria-label={"Lineage of " (model.name)} { (PreEscaped(picture)) }
            (folded_note(&model.id, view, c))
            (super::downloads::lineage_downloads(&model.id, c))
            (controls(&model.id, c))
            @if walked.is_empty() {
                p.empty #lineage-note role="status" { (empty_note(c)) }
            } @else {
                @if let Some(note) = hidden_note(c) { p.muted #lineage-note role="status" { (note) } }
                (edge_table("Edges in the picture", walked, true, name_of))
            }
            h2 { "Claims" }
            div.table-wrap {
                table {
                    caption { "What is claimed about " (model.name) ", how sure, and who says so" }
                    (head(&CLAIM_COLUMNS))
                    tbody {
                        @if let Some(release) = &model.release { (release_row(release)) }
                        @for access in &model.access { (access_row(access)) }
                        @for license in &model.licenses { (license_row(license)) }
                        @for edge in &model.lineage {
                            tr {
                                th scope="row" data-label=(CLAIM_COLUMNS[0]) { "lineage" }
                                td data-label=(CLAIM_COLUMNS[1]) {
                                    (style::relation(edge.relation).label)
                                    @if let Some(stage) = edge.stage { " (" (style::stage_label(stage)) ")" }
                                    @if !edge.relation.is_data() { " of" }
                                    " " (link(&name_of(&edge.base)))
                                }
                                td data-label=(CLAIM_COLUMNS[2]) { (badge(edge.confidence)) }
                                // The period the claim held: without `until` an ended
                                // claim would read as current.
                                td data-label=(CLAIM_COLUMNS[3]) {
                                    @if let Some(from) = &edge.valid_from { "from " (from) " " }
                                    @if let Some(until) = &edge.valid_until { "until " (until) }
                                }
                                td data-label=(CLAIM_COLUMNS[4]) { (sources(&edge.sources)) }
                            }
                        }
                    }
                }
            }
            (more_edges(model.lineage_total, model.lineage.len(), &format!("{}/bases", href(Kind::Model, &model.id)), "lineage claims"))
            @if !model.derivatives.is_empty() {
                h2 { "Derived directly from " (model.name) }
                (edge_table("Models that name this one as their base", &model.derivatives, false, name_of))
                (more_edges(model.derivatives_total, model.derivatives.len(), &format!("{}/derivatives", href(Kind::Model, &model.id)), "derivatives"))
            }
        },
    )
}
