//! Writing answers: the SPARQL results formats, RDF graph formats, and the text
//! table for terminals.

use std::io::Write;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, Quad, Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};

use super::Answer;
use crate::rdf::vocab::PREFIXES;

/// Formats for SELECT and ASK answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SolutionsFormat {
    Json,
    Xml,
    Csv,
    Tsv,
    /// An aligned text table for terminals.
    Table,
}

impl SolutionsFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            SolutionsFormat::Json => "application/sparql-results+json",
            SolutionsFormat::Xml => "application/sparql-results+xml",
            SolutionsFormat::Csv => "text/csv",
            SolutionsFormat::Tsv => "text/tab-separated-values",
            SolutionsFormat::Table => "text/plain",
        }
    }

    fn results_format(self) -> Option<QueryResultsFormat> {
        match self {
            SolutionsFormat::Json => Some(QueryResultsFormat::Json),
            SolutionsFormat::Xml => Some(QueryResultsFormat::Xml),
            SolutionsFormat::Csv => Some(QueryResultsFormat::Csv),
            SolutionsFormat::Tsv => Some(QueryResultsFormat::Tsv),
            SolutionsFormat::Table => None,
        }
    }
}

/// Formats for CONSTRUCT and DESCRIBE answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphFormat {
    Turtle,
    NTriples,
    RdfXml,
    JsonLd,
}

impl GraphFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            GraphFormat::Turtle => "text/turtle",
            GraphFormat::NTriples => "application/n-triples",
            GraphFormat::RdfXml => "application/rdf+xml",
            GraphFormat::JsonLd => "application/ld+json",
        }
    }
}

/// Writes SELECT or ASK answers.
pub fn write_solutions(
    answer: &Answer,
    format: SolutionsFormat,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let Some(results_format) = format.results_format() else {
        return out.write_all(table(answer).as_bytes());
    };
    let serializer = QueryResultsSerializer::from_format(results_format);
    match answer {
        Answer::Boolean(value) => {
            serializer.serialize_boolean_to_writer(out, *value)?;
        }
        Answer::Solutions { variables, rows } => {
            let mut writer = serializer.serialize_solutions_to_writer(out, variables.clone())?;
            for row in rows {
                writer.serialize(variables.iter().zip(row).filter_map(|(variable, value)| {
                    Some((variable.as_ref(), value.as_ref()?.as_ref()))
                }))?;
            }
            writer.finish()?;
        }
        Answer::Graph(_) => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "a graph answer is written with write_graph",
            ));
        }
    }
    Ok(())
}

/// Writes CONSTRUCT or DESCRIBE answers, in canonical triple order.
pub fn write_graph(
    triples: &[Triple],
    format: GraphFormat,
    entity_base: &str,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut sorted = triples.to_vec();
    crate::rdf::export::canonical_order(&mut sorted);
    let export = match format {
        GraphFormat::Turtle => crate::rdf::export::ExportFormat::Turtle,
        GraphFormat::NTriples => crate::rdf::export::ExportFormat::NTriples,
        GraphFormat::RdfXml => crate::rdf::export::ExportFormat::RdfXml,
        GraphFormat::JsonLd => crate::rdf::export::ExportFormat::JsonLd,
    };
    crate::rdf::export::write(&sorted, export, entity_base, out)
}

/// Serialises triples as N-Triples without sorting (for streaming large answers).
pub fn write_ntriples(triples: &[Triple], out: &mut impl Write) -> std::io::Result<()> {
    let mut writer = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(out);
    for triple in triples {
        writer.serialize_quad(&Quad::new(
            triple.subject.clone(),
            triple.predicate.clone(),
            triple.object.clone(),
            GraphNameRef::DefaultGraph,
        ))?;
    }
    writer.finish()?;
    Ok(())
}

/// A term as shown in a table: prefixed names for known namespaces, plain text for
/// simple literals, N-Triples spelling otherwise.
pub fn display_term(term: &Term) -> String {
    match term {
        Term::NamedNode(node) => compact_iri(node.as_str()),
        Term::Literal(literal) => {
            // Plain text, language-tagged text and XSD values (numbers, dates,
            // booleans) read best bare; other datatypes keep their N-Triples spelling.
            let xsd = literal
                .datatype()
                .as_str()
                .starts_with("http://www.w3.org/2001/XMLSchema#");
            if literal.language().is_some() || xsd {
                literal.value().to_owned()
            } else {
                literal.to_string()
            }
        }
        other => other.to_string(),
    }
}

fn compact_iri(iri: &str) -> String {
    PREFIXES
        .iter()
        .filter(|(_, ns)| iri.len() > ns.len() && iri.starts_with(ns))
        .max_by_key(|(_, ns)| ns.len())
        .map(|(prefix, ns)| format!("{prefix}:{}", &iri[ns.len()..]))
        .unwrap_or_else(|| format!("<{iri}>"))
}

/// An aligned text table of a SELECT answer (or `true`/`false` for ASK), for people:
/// every cell and header is escaped ([`crate::escape::line`]), so a value with an
/// ESC sequence or a line break cannot act on the terminal or break the table.
pub fn table(answer: &Answer) -> String {
    match answer {
        Answer::Boolean(value) => format!("{value}\n"),
        Answer::Graph(triples) => format!("{} triples\n", triples.len()),
        Answer::Solutions { variables, rows } => {
            let header: Vec<String> = variables.iter().map(|v| v.as_str().to_owned()).collect();
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|term| {
                            let shown = term.as_ref().map(display_term).unwrap_or_default();
                            crate::escape::line(&shown).into_owned()
                        })
                        .collect()
                })
                .collect();
            let width = |i: usize| {
                cells
                    .iter()
                    .map(|r| r[i].chars().count())
                    .chain([header[i].chars().count()])
                    .max()
                    .unwrap_or(0)
            };
            let widths: Vec<usize> = (0..header.len()).map(width).collect();
            let line = |values: &[String]| -> String {
                let padded: Vec<String> = values
                    .iter()
                    .zip(&widths)
                    .map(|(v, w)| format!("{v}{}", " ".repeat(w - v.chars().count())))
                    .collect();
                format!("│ {} │\n", padded.join(" │ "))
            };
            let rule = |left: &str, middle: &str, right: &str| -> String {
                let bars: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
                format!("{left}{}{right}\n", bars.join(middle))
            };
            let mut out = rule("┌", "┬", "┐");
            out.push_str(&line(&header));
            out.push_str(&rule("├", "┼", "┤"));
            for row in &cells {
                out.push_str(&line(row));
            }
            out.push_str(&rule("└", "┴", "┘"));
            out.push_str(&format!(
                "{} row{}\n",
                rows.len(),
                if rows.len() == 1 { "" } else { "s" }
            ));
            out
        }
    }
}
