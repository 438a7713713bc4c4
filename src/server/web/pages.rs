//! The HTML of every page, with maud: escaped by construction, compiled in, no
//! template files to ship. Pages read well without JavaScript; `app.js` adds
//! search-as-you-type and the SPARQL runner.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::lineage::{Direction, style};
use crate::model::Relation;
use crate::server::views::{
    AccessView, LicenseDetail, LicenseUse, Link, ModelDetail, ModelSummary, OrganizationDetail,
    Page, PersonDetail, Provenance, RecordSummary, ReleaseView, SourceDetail,
};
use crate::view::{EdgeView, SourceView};
// The site's paths, shared with the CLI's pictures.
pub use crate::site::{href, svg_link};

/// The words of the direction menu.
fn direction_label(direction: Direction) -> &'static str {
    match direction {
        Direction::Both => "bases and derivatives",
        Direction::Up => "bases only",
        Direction::Down => "derivatives only",
    }
}

fn link(target: &Link) -> Markup {
    html! { a href=(href(target.kind, &target.id)) { (target.name) } }
}

fn badge(confidence: &str) -> Markup {
    html! { span class={"badge " (confidence)} title={"confidence: " (confidence)} { (confidence) } }
}

fn sources(list: &[SourceView]) -> Markup {
    html! {
        ul.sources {
            @for source in list {
                li {
                    a href=(href("source", &source.id)) { (source.publisher) }
                    ", " (source.published) " "
                    span.muted { "(" (source.kind) ")" }
                }
            }
        }
    }
}

/// Confidence, period and sources of a claim, as table cells.
fn provenance_cells(p: &Provenance) -> Markup {
    html! {
        td { (badge(p.confidence)) }
        td {
            @if let Some(from) = &p.valid_from { "from " (from) " " }
            @if let Some(until) = &p.valid_until { "until " (until) }
        }
        td {
            (sources(&p.sources))
            @if let Some(note) = &p.note { details { summary { "note" } p { (note) } } }
        }
    }
}

/// Site chrome: header with navigation and search, the page, a footer.
pub fn layout(title: &str, footer: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Pedigree" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.site {
                    a.brand href="/" { "Pedigree" }
                    nav aria-label="Sections" {
                        ul {
                            li { a href="/models" { "Models" } }
                            li { a href="/organizations" { "Organisations" } }
                            li { a href="/people" { "People" } }
                            li { a href="/sources" { "Sources" } }
                            li { a href="/licenses" { "Licences" } }
                            li { a href="/query" { "SPARQL" } }
                        }
                    }
                    (search_form("header-search", ""))
                }
                main #main { (body) }
                footer { (footer) }
            }
        }
    }
}

pub fn search_form(id: &str, value: &str) -> Markup {
    html! {
        form.search role="search" action="/search" method="get" {
            label.skip for=(id) { "Search models, organisations and people" }
            input #(id) type="search" name="q" value=(value) placeholder="Search models, organisations, people" aria-autocomplete="list" aria-controls={(id) "-list"};
            button type="submit" { "Search" }
            ul.suggestions #{(id) "-list"} role="listbox" {}
        }
    }
}

/// Counts shown on the home page.
#[derive(Debug)]
pub struct HomeCounts {
    pub models: usize,
    pub families: usize,
    pub organizations: usize,
    pub people: usize,
    pub sources: usize,
    pub licenses: usize,
    pub edges: usize,
    pub queries: usize,
}

pub fn home(counts: &HomeCounts, footer: &str) -> Markup {
    layout(
        "AI-model lineage",
        footer,
        html! {
            h1 { "Where did this model come from?" }
            p.lead {
                "Pedigree records AI models, the organisations that own them, the people behind them, "
                "how open each one is, and how models derive from each other: fine-tuned, distilled, merged, "
                "quantized. Every fact carries its sources and how sure they are."
            }
            (search_form("home-search", ""))
            ul.cards {
                li { a href="/models?kind=model" { span.count { (counts.models) } "models" } }
                li { a href="/models?kind=family" { span.count { (counts.families) } "model families" } }
                li { a href="/organizations" { span.count { (counts.organizations) } "organisations" } }
                li { a href="/people" { span.count { (counts.people) } "people" } }
                li { a href="/sources" { span.count { (counts.sources) } "sources" } }
                li { a href="/licenses" { span.count { (counts.licenses) } "licences" } }
                li { a href="/query" { span.count { (counts.queries) } "canned SPARQL queries" } }
            }
            p { (counts.edges) " lineage edges. Start with "
                a href="/models/avocado" { "Avocado (Muse Spark)" }
                ", Meta's closed model reportedly distilled from Qwen, Gemma and gpt-oss, or "
                a href="/models/deepseek-r1-distill-qwen-7b" { "a DeepSeek-R1 distill" } "." }
        },
    )
}

pub fn search_results(
    q: &str,
    models: &[ModelSummary],
    others: &[RecordSummary],
    footer: &str,
) -> Markup {
    layout(
        &format!("Search: {q}"),
        footer,
        html! {
            h1 { "Search" }
            (search_form("page-search", q))
            @if models.is_empty() && others.is_empty() {
                p { "Nothing matches “" (q) "”." }
            }
            @if !models.is_empty() {
                h2 { "Models (" (models.len()) ")" }
                (model_table(models))
            }
            @if !others.is_empty() {
                h2 { "Organisations, people, sources and licences (" (others.len()) ")" }
                (record_table(others))
            }
        },
    )
}

fn model_table(models: &[ModelSummary]) -> Markup {
    html! {
        div.table-wrap {
            table {
                thead { tr { th scope="col" { "Model" } th scope="col" { "Developer" } th scope="col" { "Owner" } th scope="col" { "Released" } th scope="col" { "Access" } th scope="col" { "Licences" } } }
                tbody {
                    @for model in models {
                        tr {
                            td { a href=(href("model", &model.id)) { (model.name) } @if model.kind == "family" { " " span.muted { "(family)" } } }
                            td { (link(&model.developer)) }
                            td { (link(&model.owner)) }
                            td { (model.released.as_deref().unwrap_or("")) @if let Some(status) = model.release_status { @if status != "released" { span.muted { (status) } } } }
                            td { (model.access.join(", ")) }
                            td { @for (i, license) in model.licenses.iter().enumerate() { @if i > 0 { ", " } (link(license)) } }
                        }
                    }
                }
            }
        }
    }
}

fn record_table(records: &[RecordSummary]) -> Markup {
    html! {
        div.table-wrap {
            table {
                thead { tr { th scope="col" { "Name" } th scope="col" { "Kind" } th scope="col" { "" } } }
                tbody {
                    @for record in records {
                        tr {
                            td { a href=(href(record.kind, &record.id)) { (record.name) } }
                            td { (record.kind) }
                            td.muted { (record.detail) }
                        }
                    }
                }
            }
        }
    }
}

fn pager<T>(page: &Page<T>, base: &str) -> Markup {
    let last = page.total.div_ceil(page.per_page).max(1);
    let joiner = if base.contains('?') { '&' } else { '?' };
    html! {
        nav.pager aria-label="Pages" {
            @if page.page > 1 { a rel="prev" href={(base) (joiner) "page=" (page.page - 1)} { "← Previous" } }
            span.muted { "Page " (page.page) " of " (last) " · " (page.total) " in all" }
            @if page.page < last { a rel="next" href={(base) (joiner) "page=" (page.page + 1)} { "Next →" } }
        }
    }
}

pub fn model_list(title: &str, page: &Page<ModelSummary>, base: &str, footer: &str) -> Markup {
    layout(
        title,
        footer,
        html! { h1 { (title) } (model_table(&page.items)) (pager(page, base)) },
    )
}

pub fn record_list(title: &str, page: &Page<RecordSummary>, base: &str, footer: &str) -> Markup {
    layout(
        title,
        footer,
        html! { h1 { (title) } (record_table(&page.items)) (pager(page, base)) },
    )
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
        form.controls method="get" action=(href("model", id)) aria-label="Lineage settings" {
            div {
                label.field for="direction" { "Direction" }
                select #direction name="direction" {
                    // `both` first: the default.
                    @for direction in [Direction::Both, Direction::Up, Direction::Down] {
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
            a.button href=(href("model", id)) { "Reset" }
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
                td { a href=(href("model", &edge.model)) { (edge.model) } }
                td { (edge.relation) }
                td { a href=(href("model", &edge.base)) { (edge.base) } }
                td { (badge(edge.confidence.as_str())) }
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
            h1 { (model.name) @if model.kind == "family" { " " span.muted { "(model family)" } } }
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
                @if !model.input_modalities.is_empty() { dt { "Modality" } dd { (model.input_modalities.join(", ")) " → " (model.output_modalities.join(", ")) } }
                @if let Some(hf) = &model.external_ids.huggingface { dt { "Hugging Face" } dd { a href={"https://huggingface.co/" (hf)} rel="nofollow" { (hf) } } }
                @if let Some(home) = &model.homepage { dt { "Homepage" } dd { a href=(home) rel="nofollow" { (home) } } }
                dt { "Record" } dd { (badge(model.record.confidence)) " " (sources_inline(&model.record.sources)) }
            }
            h2 #lineage { "Lineage" }
            p.muted { "Bases above, derived models below. Colour: relation; line: confidence (" (style::line_legend()) "). Hover an edge for its sources, click it for its row below, click a model to open it." }
            figure.picture aria-label={"Lineage of " (model.name)} { (PreEscaped(picture)) }
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
                                td { (edge.relation) " of " a href=(href("model", &edge.base)) { (edge.base) } }
                                td { (badge(edge.confidence.as_str())) }
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

fn sources_inline(list: &[SourceView]) -> Markup {
    html! { @for (i, s) in list.iter().enumerate() { @if i > 0 { ", " } a href=(href("source", &s.id)) { (s.publisher) } } }
}

fn format_count(n: u64) -> String {
    match n {
        n if n >= 1_000_000_000 && n % 100_000_000 == 0 => format!("{}B", n as f64 / 1e9),
        n if n >= 1_000_000_000 => format!("{:.2}B", n as f64 / 1e9),
        n if n >= 1_000_000 => format!("{:.0}M", n as f64 / 1e6),
        n => n.to_string(),
    }
}

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
                    @if let Some(u) = t.user_threshold { dt { "User threshold" } dd { (u) " monthly active users" } }
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

/// A canned query as the SPARQL page lists it.
#[derive(Debug)]
pub struct CannedEntry<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub text: &'a str,
}

/// The SPARQL page. `answer` is the server-rendered result, for browsers without
/// JavaScript (or an error message).
pub fn query_page(
    text: &str,
    canned: &[CannedEntry<'_>],
    answer: Option<Result<Markup, String>>,
    footer: &str,
) -> Markup {
    layout(
        "SPARQL",
        footer,
        html! {
            h1 { "SPARQL" }
            p.lead { "Query the graph with SPARQL 1.1. The editor talks to " code { "/sparql" } " like any client; prefixes such as " code { "ped:" } ", " code { "prov:" } " and " code { "schema:" } " are predeclared (the terms are in " a href="/ns" { "the vocabulary" } " and docs/vocabulary.md). Ctrl+Enter runs." }
            div.query-layout {
                div {
                    form #sparql-form method="get" action="/query" {
                        label for="sparql-editor" { "Query" }
                        textarea.sparql #sparql-editor name="query" spellcheck="false" { (text) }
                        input type="hidden" name="run" value="1";
                        div.toolbar {
                            button.primary #run type="submit" { "Run" }
                            span.status #status role="status" aria-live="polite" {}
                            span #downloads {}
                        }
                    }
                    section #results aria-label="Results" {
                        @match answer {
                            Some(Ok(markup)) => (markup),
                            Some(Err(message)) => p.error role="alert" { (message) },
                            None => {},
                        }
                    }
                }
                aside aria-label="Canned queries" {
                    h2 { "Canned queries" }
                    ul.canned {
                        @for q in canned {
                            li {
                                a href={"/query?name=" (q.name)} data-canned=(q.name) data-sparql=(q.text) { span.title { (q.title) } }
                                p { (q.description) }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// The page for a request that cannot be answered: `heading` names the kind of
/// problem ("Not found", "Bad request", …), `what` says what was wrong.
pub fn error_page(heading: &str, what: &str, suggestions: &[Link], footer: &str) -> Markup {
    layout(
        heading,
        footer,
        html! {
            h1 { (heading) }
            p { (what) }
            @if !suggestions.is_empty() {
                p { "Did you mean:" }
                ul { @for s in suggestions { li { (link(s)) } } }
            }
            (search_form("notfound-search", ""))
        },
    )
}
