//! The pages that lead to a record: the home page, search results and the paged
//! lists of models and of other records.

use maud::{Markup, html};

use super::{layout, model_table, pager, record_table, search_form};
use crate::server::views::{ModelSummary, Page, RecordSummary};

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
