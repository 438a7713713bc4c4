//! The page of a dataset: what it holds, where its examples came from, the models
//! trained on it, and its picture.

use maud::{Markup, html};

use super::model::{CLAIM_COLUMNS, NameOf, edge_table};
use super::{badge, head, href, layout, link, provenance_cells, sources_inline};
use crate::model::Kind;
use crate::numbers::{as_read, grouped};
use crate::server::views::DatasetDetail;

pub fn dataset_page(data: &DatasetDetail, name_of: NameOf<'_>, footer: &str) -> Markup {
    let picture = format!(
        "/api/models/{}/lineage?format=svg",
        percent_encoding::utf8_percent_encode(&data.id, percent_encoding::NON_ALPHANUMERIC)
    );
    layout(
        &data.name,
        footer,
        html! {
            h1 { (data.name) " " span.muted { "(dataset)" } }
            @if !data.aliases.is_empty() { p.muted { "Also known as " (data.aliases.join(", ")) } }
            @if let Some(description) = &data.description { p.lead { (description) } }
            dl.facts {
                @if let Some(creator) = &data.creator { dt { "Made by" } dd { (link(creator)) } }
                @if let Some(synthetic) = data.synthetic {
                    dt { "Examples" } dd { (if synthetic { "written by models (synthetic)" } else { "not written by models" }) }
                }
                @if !data.modalities.is_empty() {
                    dt { "Holds" } dd { (data.modalities.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")) }
                }
                @if !data.languages.is_empty() { dt { "Languages" } dd { (data.languages.join(", ")) } }
                @if let Some(homepage) = &data.homepage { dt { "Homepage" } dd { a href=(homepage) rel="nofollow" { (homepage) } } }
                @if let Some(hf) = &data.external_ids.huggingface {
                    dt { "Hugging Face" } dd { a href={"https://huggingface.co/datasets/" (hf)} rel="nofollow" { (hf) } }
                }
                @if let Some(paper) = &data.paper { dt { "Paper" } dd { (link(paper)) } }
                dt { "Record" } dd { (badge(data.record.confidence)) " " (sources_inline(&data.record.sources)) }
            }
            h2 { "Claims" }
            div.table-wrap { table {
                caption { "What the sources say about " (data.name) }
                (head(&CLAIM_COLUMNS))
                tbody {
                    @if let Some(release) = &data.release {
                        tr { th scope="row" data-label=(CLAIM_COLUMNS[0]) { "release" } td data-label=(CLAIM_COLUMNS[1]) { (release.status.as_str()) @if let Some(date) = &release.date { " " (date) } } (provenance_cells(&release.provenance)) }
                    }
                    @for a in &data.availability {
                        tr { th scope="row" data-label=(CLAIM_COLUMNS[0]) { "availability" } td data-label=(CLAIM_COLUMNS[1]) { (a.level.as_str()) } (provenance_cells(&a.provenance)) }
                    }
                    @for l in &data.licenses {
                        tr { th scope="row" data-label=(CLAIM_COLUMNS[0]) { "licence" } td data-label=(CLAIM_COLUMNS[1]) { (link(&l.license)) " " span.muted { (l.spdx) } } (provenance_cells(&l.provenance)) }
                    }
                    @for s in &data.size {
                        tr { th scope="row" data-label=(CLAIM_COLUMNS[0]) { "size" } td data-label=(CLAIM_COLUMNS[1]) { (as_read(s.count)) " " (s.unit.as_str()) } (provenance_cells(&s.provenance)) }
                    }
                    @for c in &data.collected_from {
                        tr { th scope="row" data-label=(CLAIM_COLUMNS[0]) { "collected from" } td data-label=(CLAIM_COLUMNS[1]) { (c.origin) } (provenance_cells(&c.provenance)) }
                    }
                }
            } }
            h2 { "Lineage" }
            figure.lineage-image {
                img src=(picture) alt={"The lineage of " (data.name) ": the models that generated it, the datasets it was made from, and the models trained on it, as the tables below list them."};
                figcaption { "The datasets and models around " (data.name) ". " a href={"/api/models/" (data.id) "/lineage"} { "As JSON" } }
            }
            @if !data.lineage.is_empty() {
                (edge_table("What it was made from: the models that generated it and the datasets it derives from", &data.lineage, false, name_of))
                (more(data.lineage_total, data.lineage.len(), &data.id, "bases"))
            }
            @if !data.derivatives.is_empty() {
                (edge_table("The models trained on it, and the datasets derived from it", &data.derivatives, false, name_of))
                (more(data.derivatives_total, data.derivatives.len(), &data.id, "derivatives"))
            }
        },
    )
}

/// A link to the whole list of a side when the page shows only its first claims.
fn more(total: usize, shown: usize, id: &str, side: &str) -> Markup {
    html! {
        @if total > shown {
            p.more { "Showing " (shown) " of " (grouped(total as u64)) ". " a href={(href(Kind::Model, id)) "/" (side)} { "All " (grouped(total as u64)) } }
        }
    }
}
