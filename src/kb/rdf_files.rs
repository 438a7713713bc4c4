//! The extra RDF files of `--rdf`: read into quads beside the data, with their
//! relative IRIs resolved against the file's own IRI.

use std::path::Path;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Quad;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::BuildError;

/// What stays unescaped in a file name or path made into an IRI: RFC 3986's
/// unreserved characters and the path separator.
const PATH_CHARACTERS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Reads an RDF file (format from its extension) into the default graph or into the
/// named graph `graph`, for [`KnowledgeBase::load_with`]. Blank nodes are renamed so
/// two files never share one by accident.
///
/// Relative IRIs in the file (`<x>`, `<#a>`, `<>`) resolve against the file's own IRI,
/// as other stores' loaders do: without `base`, its `file:` URL; with `base` (the
/// `--rdf-base` of `pedigree serve`), the file's name resolved against `base`, as if
/// the file were published in that folder. A file's own `@base` still wins.
pub fn read_rdf(
    path: &Path,
    graph: Option<&str>,
    base: Option<&str>,
) -> Result<Vec<Quad>, BuildError> {
    let fail = |message: String| BuildError::ExtraRdf {
        path: path.to_owned(),
        message,
    };
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let format = RdfFormat::from_extension(extension).ok_or_else(|| {
        fail(format!(
            "unknown RDF file extension `.{extension}` (use .ttl, .nt, .nq, .trig, .rdf or .jsonld)"
        ))
    })?;
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let base = file_iri(path, base).map_err(fail)?;
    let mut parser = RdfParser::from_format(format)
        .rename_blank_nodes()
        .with_base_iri(&base)
        .map_err(|e| fail(format!("`{base}` is not a valid base IRI: {e}")))?;
    if let Some(graph) = graph {
        let graph = oxigraph::model::NamedNode::new(graph)
            .map_err(|e| fail(format!("`{graph}` is not a valid graph IRI: {e}")))?;
        parser = parser.with_default_graph(graph).without_named_graphs();
    }
    parser
        .for_reader(std::io::BufReader::new(file))
        .map(|quad| quad.map_err(|e| fail(e.to_string())))
        .collect()
}

/// The IRI relative IRIs of the file at `path` resolve against: its name under
/// `base`, or else its absolute `file:` URL (percent-encoded, so any path is a valid
/// IRI).
fn file_iri(path: &Path, base: Option<&str>) -> Result<String, String> {
    let encode = |text: &str| utf8_percent_encode(text, PATH_CHARACTERS).to_string();
    match base {
        Some(base) => {
            let base = oxiri::Iri::parse(base.to_owned())
                .map_err(|e| format!("`{base}` is not a valid base IRI: {e}"))?;
            let name = path
                .file_name()
                .map(|n| encode(&n.to_string_lossy()))
                .unwrap_or_default();
            base.resolve(&name)
                .map(oxiri::Iri::into_inner)
                .map_err(|e| format!("cannot resolve `{name}` against `{base}`: {e}"))
        }
        None => {
            let absolute = std::path::absolute(path).map_err(|e| e.to_string())?;
            Ok(format!("file://{}", encode(&absolute.to_string_lossy())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_iris_escape_what_an_iri_cannot_hold() {
        let path = Path::new("/data/my files/modèle#1.ttl");
        assert_eq!(
            file_iri(path, None).unwrap(),
            "file:///data/my%20files/mod%C3%A8le%231.ttl"
        );
        assert_eq!(
            file_iri(path, Some("https://example.org/rdf/")).unwrap(),
            "https://example.org/rdf/mod%C3%A8le%231.ttl"
        );
        assert!(file_iri(path, Some("not an iri")).is_err());
    }
}
