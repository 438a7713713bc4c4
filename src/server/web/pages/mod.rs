//! The HTML of every page, with maud: escaped by construction, compiled in, no
//! template files to ship. Pages read well without JavaScript; `app.js` adds
//! search-as-you-type and the SPARQL runner.
//!
//! This file owns the site chrome (layout, search form, error page) and the
//! fragments several pages share (links, badges, sources, provenance cells, the
//! record tables and the pager); each family of pages is in its own file.

mod downloads;
mod home;
mod model;
mod neighbours;
mod obligations;
mod query;
mod records;
mod summary;
mod training;

use maud::{DOCTYPE, Markup, html};

use crate::model::{Confidence, Kind, ModelKind, ReleaseStatus, Word};
use crate::server::views::{Link, ModelSummary, Page, Provenance, RecordSummary};
use crate::view::SourceView;
// The site's paths, shared with the CLI's pictures.
pub use crate::site::{href, svg_link};

pub use self::home::{HomeCounts, home, model_list, record_list, search_results};
pub use self::model::{LineageControls, model_page};
pub use self::neighbours::{NeighbourList, neighbour_list};
pub use self::obligations::findings_page;
pub use self::query::{CannedEntry, QueryForm, QueryProblem, query_page};
pub use self::records::{license_page, organization_page, person_page, source_page};
pub use self::summary::{FamilyRollup, MemberRow, Summary};
pub use self::training::dataset_page;

fn link(target: &Link) -> Markup {
    html! { a href=(href(target.kind, &target.id)) { (target.name) } }
}

/// `a, b`: the words of a list of enum values, as the pages show them.
fn words<T: Word>(values: &[T]) -> String {
    values
        .iter()
        .map(|v| v.word())
        .collect::<Vec<_>>()
        .join(", ")
}

fn badge(confidence: Confidence) -> Markup {
    let confidence = confidence.as_str();
    html! { span class={"badge " (confidence)} title={"confidence: " (confidence)} { (confidence) } }
}

fn sources(list: &[SourceView]) -> Markup {
    html! {
        ul.sources {
            @for source in list {
                li {
                    a href=(href(Kind::Source, &source.id)) { (source.publisher) }
                    ", " (source.published) " "
                    span.muted { "(" (source.kind) ")" }
                }
            }
        }
    }
}

/// A table's head row. Every cell of a column carries its header as `data-label`,
/// which a phone shows beside the cell when the rows stack as cards (style.css); so
/// each table keeps its headers in one list, read by the head and by its cells.
fn head(columns: &[&str]) -> Markup {
    html! { thead { tr { @for column in columns { th scope="col" { (column) } } } } }
}

/// The headers of the cells [`provenance_cells`] writes, last in a table's columns.
const PROVENANCE: [&str; 3] = ["Confidence", "Period", "Sources"];

/// Confidence, period and sources of a claim, as table cells.
fn provenance_cells(p: &Provenance) -> Markup {
    html! {
        td data-label=(PROVENANCE[0]) { (badge(p.confidence)) }
        td data-label=(PROVENANCE[1]) {
            @if let Some(from) = &p.valid_from { "from " (from) " " }
            @if let Some(until) = &p.valid_until { "until " (until) }
        }
        td data-label=(PROVENANCE[2]) {
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
                            li { a href="/datasets" { "Datasets" } }
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

/// The search box: a plain GET form to `/search`, and the input of a WAI-ARIA 1.2
/// combobox whose listbox `search.js` fills as you type. The listbox starts hidden
/// (an empty listbox is not announced); its options, the script's links, are its
/// direct children, so it is a `div`, not a list.
pub fn search_form(id: &str, value: &str) -> Markup {
    let list = format!("{id}-list");
    html! {
        form.search role="search" action="/search" method="get" {
            label.skip for=(id) { "Search models, organisations, people, sources and licences" }
            input #(id) type="search" name="q" value=(value) placeholder="Search models, organisations, people"
                role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls=(list) autocomplete="off";
            button type="submit" { "Search" }
            div.suggestions #(list) role="listbox" aria-label="Suggestions" hidden {}
        }
    }
}

fn model_table(models: &[ModelSummary]) -> Markup {
    const COLUMNS: [&str; 6] = [
        "Model",
        "Developer",
        "Owner",
        "Released",
        "Access",
        "Licences",
    ];
    html! {
        div.table-wrap {
            table {
                (head(&COLUMNS))
                tbody {
                    @for model in models {
                        tr {
                            td data-label=(COLUMNS[0]) { a href=(href(Kind::Model, &model.id)) { (model.name) } @if model.kind == ModelKind::Family { " " span.muted { "(family)" } } }
                            td data-label=(COLUMNS[1]) { (link(&model.developer)) }
                            td data-label=(COLUMNS[2]) { (link(&model.owner)) }
                            td data-label=(COLUMNS[3]) { (model.released.as_deref().unwrap_or("")) @if let Some(status) = model.release_status { @if status != ReleaseStatus::Released { span.muted { (status) } } } }
                            td data-label=(COLUMNS[4]) { (words(&model.access)) }
                            td data-label=(COLUMNS[5]) { @for (i, license) in model.licenses.iter().enumerate() { @if i > 0 { ", " } (link(license)) } }
                        }
                    }
                }
            }
        }
    }
}

fn record_table(records: &[RecordSummary]) -> Markup {
    const COLUMNS: [&str; 3] = ["Name", "Kind", "Details"];
    html! {
        div.table-wrap {
            table {
                (head(&COLUMNS))
                tbody {
                    @for record in records {
                        tr {
                            td data-label=(COLUMNS[0]) { a href=(href(record.kind, &record.id)) { (record.name) } }
                            td data-label=(COLUMNS[1]) { (record.kind) }
                            td.muted data-label=(COLUMNS[2]) { (record.detail) }
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

fn sources_inline(list: &[SourceView]) -> Markup {
    html! { @for (i, s) in list.iter().enumerate() { @if i > 0 { ", " } a href=(href(Kind::Source, &s.id)) { (s.publisher) } } }
}

/// The page for a request that cannot be answered: `heading` names the kind of
/// problem ("Not found", …), `what` says in plain words what was wrong; then the
/// records it may have meant, a search box and the ways back.
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
            p { "Search for it:" }
            (search_form("notfound-search", ""))
            p {
                "Or go back to the " a href="/" { "home page" } ", or browse the "
                a href="/models" { "models" } ", "
                a href="/organizations" { "organisations" } ", "
                a href="/people" { "people" } ", "
                a href="/sources" { "sources" } ", "
                a href="/licenses" { "licences" } " and "
                a href="/datasets" { "datasets" } "."
            }
        },
    )
}
