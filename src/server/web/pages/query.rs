//! The SPARQL page: the editor, the inputs of the selected canned query's
//! parameters, the canned queries beside it, and the answer (or the problem, marked
//! at its line and column) rendered on the server for browsers without JavaScript.

use maud::{Markup, html};

use super::layout;
use crate::queries::Param;
use crate::server::error::ApiError;
use crate::server::web::query::PAGE_ROWS;

/// A canned query as the SPARQL page lists it.
#[derive(Debug)]
pub struct CannedEntry<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub text: &'a str,
    pub params: &'a [Param],
}

/// What the editor holds: the text, the canned query it came from, and the values
/// given to that query's parameters.
#[derive(Debug)]
pub struct QueryForm<'a> {
    pub text: &'a str,
    pub selected: Option<&'a str>,
    pub values: &'a [(String, String)],
}

/// Why the page has no answer to show: the error's message, and where in the query
/// the problem is when it is a syntax error.
#[derive(Debug)]
pub struct QueryProblem {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl From<ApiError> for QueryProblem {
    fn from(error: ApiError) -> QueryProblem {
        let (line, column) = match &error {
            ApiError::Syntax { line, column, .. } => (*line, *column),
            _ => (None, None),
        };
        QueryProblem {
            message: error.to_string(),
            line,
            column,
        }
    }
}

/// Lines shown above and below the line of a syntax error.
const CONTEXT_LINES: usize = 2;

/// The lines around a syntax error, numbered, with a `^` under its column. The
/// script draws the same block from `/sparql`'s `line` and `column`.
fn problem_context(text: &str, line: usize, column: usize) -> Markup {
    let lines: Vec<&str> = text.lines().collect();
    let first = line.saturating_sub(CONTEXT_LINES).max(1);
    let last = (line + CONTEXT_LINES).min(lines.len().max(line));
    let width = last.to_string().len();
    html! {
        pre.error-context aria-label={"The query around line " (line) ", column " (column)} {
            @for n in first..=last {
                @let content = lines.get(n - 1).copied().unwrap_or("");
                span.line-number { (format!("{n:>width$} │ ")) }
                @if n == line { mark.error-line { (content) } } @else { (content) }
                "\n"
                @if n == line {
                    span.line-number { (format!("{:>width$} │ ", "")) }
                    span.caret { (" ".repeat(column.saturating_sub(1))) "^ here" }
                    "\n"
                }
            }
        }
    }
}

/// The inputs of one canned query's parameters. Only the selected query's are shown
/// and sent (a disabled fieldset is not submitted); the script switches them.
fn param_inputs(q: &CannedEntry<'_>, form: &QueryForm<'_>) -> Markup {
    let selected = form.selected == Some(q.name);
    html! {
        fieldset.params data-params-for=(q.name) hidden[!selected] disabled[!selected] {
            legend { "Parameters of “" (q.title) "”" }
            @for p in q.params {
                @let id = format!("param-{}-{}", q.name, p.name);
                @let value = form.values.iter().find(|(n, _)| n == &p.name).map(|(_, v)| v.as_str());
                div {
                    label.field for=(id) { code { "?" (p.name) } " " (p.description) }
                    input id=(id) name=(p.name) data-param=(p.name) value=[value] placeholder=(p.default);
                }
            }
            p.hint { "Empty inputs use the default shown. Values are bound into the query's " code { "VALUES ?name { UNDEF }" } " lines, as " code { "/api/queries/{name}" } " binds them." }
        }
    }
}

/// The SPARQL page. `answer` is the server-rendered result, for browsers without
/// JavaScript (or the problem).
pub fn query_page(
    form: &QueryForm<'_>,
    canned: &[CannedEntry<'_>],
    answer: Option<Result<Markup, QueryProblem>>,
    footer: &str,
) -> Markup {
    layout(
        "SPARQL",
        footer,
        html! {
            h1 { "SPARQL" }
            p.lead { "Query the graph with SPARQL 1.1. The editor talks to " code { "/sparql" } " like any client; prefixes such as " code { "ped:" } ", " code { "prov:" } " and " code { "schema:" } " are predeclared (the terms are in " a href="/ns" { "the vocabulary" } " and docs/vocabulary.md)." }
            div.query-layout {
                div {
                    form #sparql-form method="get" action="/query" {
                        label for="sparql-editor" { "Query" }
                        textarea.sparql #sparql-editor name="query" spellcheck="false" aria-describedby="editor-keys" { (form.text) }
                        p.hint #editor-keys { "Ctrl+Enter runs. Tab moves on to the next control; Ctrl+] indents the selected lines and Ctrl+[ outdents them." }
                        @if let Some(name) = form.selected { input type="hidden" name="name" value=(name); }
                        @for q in canned.iter().filter(|q| !q.params.is_empty()) { (param_inputs(q, form)) }
                        input type="hidden" name="run" value="1";
                        div.toolbar {
                            button.primary #run type="submit" { "Run" }
                            button #copy-link type="button" hidden { "Copy link" }
                            span.status #status role="status" aria-live="polite" {}
                            span #downloads {}
                        }
                    }
                    section #results aria-label="Results" tabindex="-1" data-page-rows=(PAGE_ROWS) {
                        @match answer {
                            Some(Ok(markup)) => (markup),
                            Some(Err(problem)) => {
                                p.error role="alert" { (problem.message) }
                                @if let (Some(line), Some(column)) = (problem.line, problem.column) {
                                    (problem_context(form.text, line, column))
                                }
                            }
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
