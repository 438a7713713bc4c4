//! The SPARQL page: the editor, the canned queries beside it, and the answer
//! rendered on the server for browsers without JavaScript.

use maud::{Markup, html};

use super::layout;

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
