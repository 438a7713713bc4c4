//! The pages of the other record kinds: organisation, person, source and licence.

use maud::{Markup, html};

use super::{badge, layout, link, provenance_cells, sources_inline};
use crate::numbers::as_read;
use crate::server::views::{LicenseDetail, OrganizationDetail, PersonDetail, SourceDetail};

pub fn organization_page(org: &OrganizationDetail, footer: &str) -> Markup {
    layout(
        &org.name,
        footer,
        html! {
            h1 { (org.name) }
            @if let Some(d) = &org.description { p.lead { (d) } }
            dl.facts {
                dt { "Kind" } dd { (org.kind) }
                @if let Some(c) = &org.country { dt { "Country" } dd { (c) } }
                @if let Some(w) = &org.website { dt { "Website" } dd { a href=(w) rel="nofollow" { (w) } } }
                @if !org.tickers.is_empty() { dt { "Listed" } dd { @for (i, t) in org.tickers.iter().enumerate() { @if i > 0 { ", " } (t.exchange) ": " (t.symbol) } } }
                dt { "Record" } dd { (badge(org.record.confidence)) " " (sources_inline(&org.record.sources)) }
            }
            @if !org.parents.is_empty() {
                h2 { "Part of" }
                div.table-wrap { table {
                    thead { tr { th scope="col" { "Organisation" } th scope="col" { "Confidence" } th scope="col" { "Period" } th scope="col" { "Sources" } } }
                    tbody { @for p in &org.parents { tr { td { (link(&p.organization)) } (provenance_cells(&p.provenance)) } } }
                } }
            }
            @if !org.sub_organizations.is_empty() {
                h2 { "Sub-organisations" }
                ul { @for s in &org.sub_organizations { li { (link(s)) } } }
            }
            h2 { "Models (" (org.models.len()) ")" }
            @if org.models.is_empty() { p.muted { "No models recorded." } }
            ul { @for m in &org.models { li { (link(m)) } } }
            h2 { "People" }
            @if org.people.is_empty() { p.muted { "No roles recorded." } }
            @else {
                div.table-wrap { table {
                    thead { tr { th scope="col" { "Person" } th scope="col" { "Role" } th scope="col" { "At" } th scope="col" { "Confidence" } th scope="col" { "Period" } th scope="col" { "Sources" } } }
                    tbody { @for m in &org.people { tr { td { (link(&m.person)) } td { (m.title) } td { (link(&m.organization)) } (provenance_cells(&m.provenance)) } } }
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
                thead { tr { th scope="col" { "Role" } th scope="col" { "Organisation" } th scope="col" { "Confidence" } th scope="col" { "Period" } th scope="col" { "Sources" } } }
                tbody { @for r in &person.roles { tr { td { (r.title) } td { (link(&r.organization)) } (provenance_cells(&r.provenance)) } } }
            } }
            @if !person.positions.is_empty() {
                h2 { "Reported positions" }
                div.table-wrap { table {
                    thead { tr { th scope="col" { "Position" } th scope="col" { "About" } th scope="col" { "Confidence" } th scope="col" { "Period" } th scope="col" { "Sources" } } }
                    tbody { @for p in &person.positions { tr { td { (p.statement) } td { @for (i, a) in p.about.iter().enumerate() { @if i > 0 { ", " } (link(a)) } } (provenance_cells(&p.provenance)) } } }
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
                thead { tr { th scope="col" { "Record" } th scope="col" { "Claim" } th scope="col" { "Value" } th scope="col" { "Confidence" } } }
                tbody { @for c in &source.claims { tr { td { (link(&c.record)) } td { (c.field) } td { (c.value) } td { (badge(c.confidence)) } } } }
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
                @if let Some(t) = &license.terms {
                    @if let Some(c) = t.commercial_use { dt { "Commercial use" } dd { (if c { "permitted" } else { "not permitted" }) } }
                    @if let Some(u) = t.user_threshold { dt { "User threshold" } dd { (as_read(u)) " monthly active users" } }
                    @if let Some(a) = &t.attribution { dt { "Attribution" } dd { (a) } }
                    @if let Some(n) = &t.derivative_naming { dt { "Derivative naming" } dd { (n) } }
                    @if let Some(p) = &t.acceptable_use_policy { dt { "Acceptable use policy" } dd { a href=(p) rel="nofollow" { (p) } } }
                }
                dt { "Record" } dd { (badge(license.record.confidence)) " " (sources_inline(&license.record.sources)) }
            }
            h2 { "Models under this licence (" (license.models.len()) ")" }
            ul { @for m in &license.models { li { (link(m)) } } }
        },
    )
}
