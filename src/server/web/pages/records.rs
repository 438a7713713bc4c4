//! The pages of the other record kinds: organisation, person, source and licence.

use maud::{Markup, html};

use super::{PROVENANCE, badge, head, layout, link, provenance_cells, sources_inline};
use crate::numbers::grouped;
use crate::server::views::{LicenseDetail, OrganizationDetail, PersonDetail, SourceDetail};

/// The columns of each table of these pages (see [`head`]).
const PARENT_COLUMNS: [&str; 4] = ["Organisation", PROVENANCE[0], PROVENANCE[1], PROVENANCE[2]];
const PEOPLE_COLUMNS: [&str; 6] = [
    "Person",
    "Role",
    "At",
    PROVENANCE[0],
    PROVENANCE[1],
    PROVENANCE[2],
];
const ROLE_COLUMNS: [&str; 5] = [
    "Role",
    "Organisation",
    PROVENANCE[0],
    PROVENANCE[1],
    PROVENANCE[2],
];
const POSITION_COLUMNS: [&str; 5] = [
    "Position",
    "About",
    PROVENANCE[0],
    PROVENANCE[1],
    PROVENANCE[2],
];
const CLAIM_COLUMNS: [&str; 4] = ["Record", "Claim", "Value", "Confidence"];

pub fn organization_page(org: &OrganizationDetail, footer: &str) -> Markup {
    layout(
        &org.name,
        footer,
        html! {
            h1 { (org.name) }
            @if let Some(d) = &org.description { p.lead { (d) } }
            dl.facts {
                @if let Some(kind) = org.kind { dt { "Kind" } dd { (kind) } }
                @if let Some(c) = &org.country { dt { "Country" } dd { (c) } }
                @if let Some(w) = &org.website { dt { "Website" } dd { a href=(w) rel="nofollow" { (w) } } }
                @if !org.tickers.is_empty() { dt { "Listed" } dd { @for (i, t) in org.tickers.iter().enumerate() { @if i > 0 { ", " } (t.exchange) ": " (t.symbol) } } }
                dt { "Record" } dd { (badge(org.record.confidence)) " " (sources_inline(&org.record.sources)) }
            }
            @if !org.parents.is_empty() {
                h2 { "Part of" }
                div.table-wrap { table {
                    (head(&PARENT_COLUMNS))
                    tbody { @for p in &org.parents { tr { td data-label=(PARENT_COLUMNS[0]) { (link(&p.organization)) } (provenance_cells(&p.provenance)) } } }
                } }
            }
            @if !org.sub_organizations.is_empty() {
                h2 { "Sub-organisations" }
                ul { @for s in &org.sub_organizations { li { (link(s)) } } }
            }
            h2 { "Models (" (grouped(org.model_count as u64)) ")" }
            @if org.models.is_empty() { p.muted { "No models recorded." } }
            ul { @for m in &org.models { li { (link(m)) } } }
            @if org.model_count > org.models.len() {
                p.more { "Showing the first " (org.models.len()) " by name. " a href={"/models?organization=" (org.id)} { "All " (grouped(org.model_count as u64)) " models" } }
            }
            h2 { "People" }
            @if org.people.is_empty() { p.muted { "No roles recorded." } }
            @else {
                div.table-wrap { table {
                    (head(&PEOPLE_COLUMNS))
                    tbody { @for m in &org.people { tr { td data-label=(PEOPLE_COLUMNS[0]) { (link(&m.person)) } td data-label=(PEOPLE_COLUMNS[1]) { (m.title) } td data-label=(PEOPLE_COLUMNS[2]) { (link(&m.organization)) } (provenance_cells(&m.provenance)) } } }
                } }
            }
        },
    )
}

pub fn person_page(person: &PersonDetail, footer: &str) -> Markup {
    layout(
        &person.name,
        footer,
        html! {
            h1 { (person.name) }
            @if let Some(d) = &person.description { p.lead { (d) } }
            h2 { "Roles over time" }
            div.table-wrap { table {
                (head(&ROLE_COLUMNS))
                tbody { @for r in &person.roles { tr { td data-label=(ROLE_COLUMNS[0]) { (r.title) } td data-label=(ROLE_COLUMNS[1]) { (link(&r.organization)) } (provenance_cells(&r.provenance)) } } }
            } }
            @if !person.positions.is_empty() {
                h2 { "Reported positions" }
                div.table-wrap { table {
                    (head(&POSITION_COLUMNS))
                    tbody { @for p in &person.positions { tr { td data-label=(POSITION_COLUMNS[0]) { (p.statement) } td data-label=(POSITION_COLUMNS[1]) { @for (i, a) in p.about.iter().enumerate() { @if i > 0 { ", " } (link(a)) } } (provenance_cells(&p.provenance)) } } }
                } }
            }
        },
    )
}

pub fn source_page(source: &SourceDetail, footer: &str) -> Markup {
    layout(
        &source.title,
        footer,
        html! {
            h1 lang=(source.language) { (source.title) }
            dl.facts {
                dt { "Publisher" } dd { (source.publisher) }
                dt { "Published" } dd { (source.published) }
                dt { "Kind" } dd { (source.kind) }
                dt { "Address" } dd { a href=(source.url) rel="nofollow" { (source.url) } }
                @if !source.authors.is_empty() { dt { "Authors" } dd { (source.authors.join(", ")) } }
                @if !source.cites.is_empty() { dt { "Relays" } dd { @for (i, c) in source.cites.iter().enumerate() { @if i > 0 { ", " } (link(c)) } } }
                @if !source.relays.is_empty() { dt { "Relays (no record)" } dd { (source.relays.join(", ")) } }
                @if let Some(a) = &source.archived_url { dt { "Archived" } dd { a href=(a) rel="nofollow" { (a) } } }
            }
            @if let Some(note) = &source.note { p.lead { (note) } }
            h2 { "Claims resting on this source (" (source.claim_count) ")" }
            div.table-wrap { table {
                (head(&CLAIM_COLUMNS))
                tbody { @for c in &source.claims { tr { td data-label=(CLAIM_COLUMNS[0]) { (link(&c.record)) } td data-label=(CLAIM_COLUMNS[1]) { (c.field) } td data-label=(CLAIM_COLUMNS[2]) { (c.value) } td data-label=(CLAIM_COLUMNS[3]) { (badge(c.confidence)) } } } }
            } }
        },
    )
}

pub fn license_page(license: &LicenseDetail, footer: &str) -> Markup {
    layout(
        &license.name,
        footer,
        html! {
            h1 { (license.name) }
            dl.facts {
                dt { "SPDX" } dd { (license.spdx) }
                dt { "OSI approved" } dd { (if license.osi_approved { "yes" } else { "no" }) }
                dt { "Text" } dd { a href=(license.url) rel="nofollow" { (license.url) } }
                dt { "Record" } dd { (badge(license.record.confidence)) " " (sources_inline(&license.record.sources)) }
            }
            (super::obligations::clauses(&license.id, &license.clauses))
            h2 { "Models under this licence (" (grouped(license.model_count as u64)) ")" }
            ul { @for m in &license.models { li { (link(m)) } } }
            @if license.model_count > license.models.len() {
                p.more { "Showing the first " (license.models.len()) " by name. " a href={"/models?license=" (license.id)} { "All " (grouped(license.model_count as u64)) " models" } }
            }
        },
    )
}
