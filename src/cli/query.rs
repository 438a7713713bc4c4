//! `pedigree query`: run a SPARQL query from a file or stdin against the graph.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;
use oxigraph::sparql::Variable;
use pedigree::diagnostics::{self, Code, Diagnostic, FileId, SourceFile};
use pedigree::model::Span;
use pedigree::sparql::{self, Answer, GraphFormat, Limits, QueryError, SolutionsFormat};

use super::{ColorChoice, DataArgs, EXIT_FAILURE, EXIT_OK};

#[derive(Debug, clap::Args)]
pub(super) struct QueryArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Output format. SELECT and ASK: table (default on a terminal), json, xml, csv,
    /// tsv (default otherwise). CONSTRUCT and DESCRIBE: turtle (default), ntriples,
    /// rdfxml, jsonld.
    #[arg(long, value_enum)]
    format: Option<QueryFormat>,
    /// Bind a query parameter: `--param model=avocado` binds `?model` to the string
    /// "avocado". A parameter is declared in the query as `VALUES ?model { UNDEF }`;
    /// canned queries list theirs in their header.
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    params: Vec<(String, String)>,
    /// Seconds the query may run before it is cancelled.
    #[arg(long, value_name = "SECONDS", default_value_t = sparql::DEFAULT_TIMEOUT.as_secs())]
    timeout: u64,
    /// The query file, or `-` for standard input.
    file: PathBuf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(super) enum QueryFormat {
    Table,
    Json,
    Xml,
    Csv,
    Tsv,
    Turtle,
    Ntriples,
    Rdfxml,
    Jsonld,
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=VALUE, got `{text}`"))?;
    let name = name.trim_start_matches('?');
    Variable::new(name).map_err(|e| format!("`{name}` is not a SPARQL variable name: {e}"))?;
    Ok((name.to_owned(), value.to_owned()))
}

pub(super) fn run(args: &QueryArgs) -> anyhow::Result<ExitCode> {
    let (name, text) = read_query(&args.file)?;
    let text = match sparql::bind_parameters(&text, &args.params) {
        Ok(text) => text,
        Err(error) => return Ok(report(&name, &text, &error)),
    };
    let query = match sparql::parse_with_base(&text, Some(&args.data.base_iri)) {
        Ok(query) => query,
        Err(error) => return Ok(report(&name, &text, &error)),
    };
    let kb = match args.data.knowledge_base()? {
        Ok(kb) => kb,
        Err(code) => return Ok(code),
    };
    let limits = Limits {
        timeout: std::time::Duration::from_secs(args.timeout),
        ..Limits::default()
    };
    let answer = match sparql::evaluate(&kb.store, query, limits, &[]) {
        Ok(answer) => answer,
        Err(error) => return Ok(report(&name, &text, &error)),
    };
    let mut out = std::io::stdout().lock();
    match &answer {
        Answer::Graph(triples) => {
            let format = match args.format.unwrap_or(QueryFormat::Turtle) {
                QueryFormat::Turtle => GraphFormat::Turtle,
                QueryFormat::Ntriples => GraphFormat::NTriples,
                QueryFormat::Rdfxml => GraphFormat::RdfXml,
                QueryFormat::Jsonld => GraphFormat::JsonLd,
                other => anyhow::bail!(
                    "`--format {}` is for SELECT and ASK; this query returns a graph (use turtle, ntriples, rdfxml or jsonld)",
                    other
                        .to_possible_value()
                        .map(|v| v.get_name().to_owned())
                        .unwrap_or_default()
                ),
            };
            sparql::write_graph(triples, format, kb.iris.base(), &mut out)?;
        }
        _ => {
            let default = if std::io::stdout().is_terminal() {
                QueryFormat::Table
            } else {
                QueryFormat::Tsv
            };
            let format = match args.format.unwrap_or(default) {
                QueryFormat::Table => SolutionsFormat::Table,
                QueryFormat::Json => SolutionsFormat::Json,
                QueryFormat::Xml => SolutionsFormat::Xml,
                QueryFormat::Csv => SolutionsFormat::Csv,
                QueryFormat::Tsv => SolutionsFormat::Tsv,
                other => anyhow::bail!(
                    "`--format {}` is for CONSTRUCT and DESCRIBE; this query returns solutions (use table, json, xml, csv or tsv)",
                    other
                        .to_possible_value()
                        .map(|v| v.get_name().to_owned())
                        .unwrap_or_default()
                ),
            };
            sparql::write_solutions(&answer, format, &mut out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::from(EXIT_OK))
}

fn read_query(file: &PathBuf) -> anyhow::Result<(String, String)> {
    if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the query from standard input")?;
        return Ok(("<stdin>".into(), text));
    }
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    Ok((file.display().to_string(), text))
}

/// Prints a query error; syntax errors point at the line and column with a snippet,
/// through the same renderer as data diagnostics. A bad query is a usage error.
fn report(name: &str, text: &str, error: &QueryError) -> ExitCode {
    match error {
        QueryError::Syntax {
            message,
            line: Some(line),
            column: Some(column),
        } => {
            let files = [SourceFile {
                path: name.into(),
                text: text.to_owned(),
            }];
            let offset = byte_offset(text, *line, *column);
            let diagnostic = Diagnostic::at(
                Code::SparqlSyntax,
                FileId(0),
                Span::new(offset, offset + 1),
                "SPARQL syntax error",
            )
            .label(message.clone())
            .hint("see https://www.w3.org/TR/sparql11-query/ for the grammar; prefixes such as ped: and prov: are predeclared");
            let color = ColorChoice::Auto.enabled_on_stderr();
            eprint!(
                "{}",
                diagnostics::render_human(&[diagnostic], &files, color)
            );
        }
        other => eprintln!("pedigree: {name}: {other}"),
    }
    ExitCode::from(EXIT_FAILURE)
}

/// The byte offset of a 1-based line and column (in characters).
fn byte_offset(text: &str, line: usize, column: usize) -> u32 {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let in_line: usize = text[line_start.min(text.len())..]
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    u32::try_from(line_start + in_line).unwrap_or(u32::MAX)
}
