//! Deterministic serialisation of triples: same data, same bytes, so exports diff well.
//!
//! Triples are sorted and deduplicated before writing. Turtle, N-Triples, N-Quads and
//! RDF/XML go through oxigraph's serialisers with our prefixes. JSON-LD is written
//! here: oxigraph's writer emits bare expanded JSON-LD, while readers of an export
//! want a real `@context` with prefixes and compact IRIs.

use std::io::Write;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::vocab::xsd;
use oxigraph::model::{
    GraphNameRef, Literal, NamedNodeRef, NamedOrBlankNode, Quad, Term, TermRef, Triple,
};
use serde_json::{Map, Value, json};

use super::vocab::{PREFIXES, rdf};

/// The formats `pedigree export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Turtle,
    NTriples,
    NQuads,
    RdfXml,
    JsonLd,
}

impl ExportFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::Turtle => "text/turtle",
            ExportFormat::NTriples => "application/n-triples",
            ExportFormat::NQuads => "application/n-quads",
            ExportFormat::RdfXml => "application/rdf+xml",
            ExportFormat::JsonLd => "application/ld+json",
        }
    }

    fn rdf_format(self) -> Option<RdfFormat> {
        match self {
            ExportFormat::Turtle => Some(RdfFormat::Turtle),
            ExportFormat::NTriples => Some(RdfFormat::NTriples),
            ExportFormat::NQuads => Some(RdfFormat::NQuads),
            ExportFormat::RdfXml => Some(RdfFormat::RdfXml),
            ExportFormat::JsonLd => None,
        }
    }
}

/// Sorts triples by subject, predicate and object (in N-Triples spelling) and drops
/// duplicates: the canonical order of every export.
// Terms are compared in place, byte by byte as N-Triples spells them (bar the escapes
// inside literals), instead of formatting each into a string: a per-request CONSTRUCT
// spent a third of its time, and a 4-million-triple export most of its sort, on those
// strings.
pub fn canonical_order(triples: &mut Vec<Triple>) {
    triples.sort_unstable_by(|a, b| {
        spelling_order(a.subject.as_ref().into(), b.subject.as_ref().into())
            .then_with(|| spelling_order(a.predicate.as_ref().into(), b.predicate.as_ref().into()))
            .then_with(|| spelling_order(a.object.as_ref(), b.object.as_ref()))
    });
    triples.dedup();
}

/// Orders two terms as their N-Triples spellings would sort: literals (`"`) before
/// IRIs (`<`) before blank nodes (`_:`), and within a kind by the spelling's bytes,
/// the closing delimiter included (so `<a/b>` sorts before `<a>`, as `/` < `>`).
/// Equal spellings mean equal terms, which `dedup` relies on.
fn spelling_order(a: TermRef<'_>, b: TermRef<'_>) -> std::cmp::Ordering {
    fn rank(term: TermRef<'_>) -> u8 {
        match term {
            TermRef::Literal(_) => 0,
            TermRef::NamedNode(_) => 1,
            _ => 2,
        }
    }
    fn spelling<'t>(term: TermRef<'t>) -> impl Iterator<Item = &'t [u8]> {
        let parts: [&'t [u8]; 4] = match term {
            TermRef::NamedNode(node) => [node.as_str().as_bytes(), b">", b"", b""],
            TermRef::BlankNode(node) => [node.as_str().as_bytes(), b"", b"", b""],
            TermRef::Literal(literal) => match (literal.language(), literal.datatype()) {
                (Some(language), _) => {
                    [literal.value().as_bytes(), b"\"@", language.as_bytes(), b""]
                }
                (None, datatype) if datatype == xsd::STRING => {
                    [literal.value().as_bytes(), b"\"", b"", b""]
                }
                (None, datatype) => [
                    literal.value().as_bytes(),
                    b"\"^^<",
                    datatype.as_str().as_bytes(),
                    b">",
                ],
            },
        };
        parts.into_iter()
    }
    rank(a).cmp(&rank(b)).then_with(|| {
        spelling(a)
            .flatten()
            .copied()
            .cmp(spelling(b).flatten().copied())
    })
}

/// Writes `triples` (already in canonical order) in `format`. `entity_base` becomes
/// the `pid:` prefix so entity IRIs read short in Turtle, RDF/XML and JSON-LD.
pub fn write(
    triples: &[Triple],
    format: ExportFormat,
    entity_base: &str,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let Some(rdf_format) = format.rdf_format() else {
        let document = json_ld(triples, entity_base);
        serde_json::to_writer_pretty(&mut *out, &document)?;
        return out.write_all(b"\n");
    };
    let mut serializer = RdfSerializer::from_format(rdf_format);
    if matches!(format, ExportFormat::Turtle | ExportFormat::RdfXml) {
        for (prefix, namespace) in prefixes(entity_base) {
            serializer = serializer
                .with_prefix(prefix, namespace)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        }
    }
    let mut writer = serializer.for_writer(out);
    for triple in triples {
        let quad = Quad::new(
            triple.subject.clone(),
            triple.predicate.clone(),
            triple.object.clone(),
            GraphNameRef::DefaultGraph,
        );
        writer.serialize_quad(&quad)?;
    }
    writer.finish()?;
    Ok(())
}

/// Our prefixes plus `pid:` for the entity base.
fn prefixes(entity_base: &str) -> Vec<(&str, &str)> {
    let mut all: Vec<(&str, &str)> = PREFIXES.to_vec();
    all.push(("pid", entity_base));
    all.sort();
    all
}

/// Builds a compacted JSON-LD document: a `@context` of prefixes and a `@graph` of
/// node objects, one per subject, keys and values in canonical order.
pub fn json_ld(triples: &[Triple], entity_base: &str) -> Value {
    let prefixes = prefixes(entity_base);
    let compact = |iri: &str| -> String {
        // The longest matching namespace wins (`pid:` may nest inside another).
        prefixes
            .iter()
            .filter(|(_, ns)| iri.len() > ns.len() && iri.starts_with(ns))
            .max_by_key(|(_, ns)| ns.len())
            .map(|(prefix, ns)| format!("{prefix}:{}", &iri[ns.len()..]))
            .unwrap_or_else(|| iri.to_owned())
    };
    let mut context = Map::new();
    for (prefix, namespace) in &prefixes {
        context.insert((*prefix).to_owned(), Value::String((*namespace).to_owned()));
    }
    let mut graph: Vec<Value> = Vec::new();
    let mut current: Option<(String, Map<String, Value>)> = None;
    for triple in triples {
        let subject = match &triple.subject {
            NamedOrBlankNode::NamedNode(node) => compact(node.as_str()),
            other => other.to_string(),
        };
        if current.as_ref().is_none_or(|(id, _)| *id != subject) {
            graph.extend(current.take().map(|(_, node)| Value::Object(node)));
            let mut node = Map::new();
            node.insert("@id".into(), Value::String(subject.clone()));
            current = Some((subject, node));
        }
        let (_, node) = current.as_mut().expect("a node was just started");
        // `@type` only holds IRIs: a JSON-LD reader turns every `@type` string back
        // into a named node, so a literal or blank-node class stays an ordinary
        // `rdf:type` property value (issue 11, bug 4).
        let (key, value) = match &triple.object {
            Term::NamedNode(class) if triple.predicate.as_ref() == rdf::TYPE => {
                ("@type".to_owned(), Value::String(compact(class.as_str())))
            }
            object => (
                compact(triple.predicate.as_str()),
                json_value(object, &compact),
            ),
        };
        match node.get_mut(&key) {
            None => {
                node.insert(key, value);
            }
            Some(Value::Array(values)) => values.push(value),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, value]);
            }
        }
    }
    graph.extend(current.map(|(_, node)| Value::Object(node)));
    json!({ "@context": context, "@graph": graph })
}

fn json_value(term: &Term, compact: &impl Fn(&str) -> String) -> Value {
    match term {
        Term::NamedNode(node) => json!({ "@id": compact(node.as_str()) }),
        Term::BlankNode(node) => json!({ "@id": node.to_string() }),
        Term::Literal(literal) => literal_value(literal, compact),
        #[allow(unreachable_patterns)]
        other => Value::String(other.to_string()),
    }
}

fn literal_value(literal: &Literal, compact: &impl Fn(&str) -> String) -> Value {
    if let Some(language) = literal.language() {
        return json!({ "@value": literal.value(), "@language": language });
    }
    let datatype: NamedNodeRef<'_> = literal.datatype();
    if datatype == oxigraph::model::vocab::xsd::STRING {
        return Value::String(literal.value().to_owned());
    }
    json!({ "@value": literal.value(), "@type": compact(datatype.as_str()) })
}
