//! Parsing a query: our prefixes pre-declared, size checked before parsing, Update and
//! SERVICE refused, and syntax errors turned into messages a person can act on.

use super::shape::Shape;
use super::{Query, QueryError};
use crate::rdf::vocab::PREFIXES;

/// The parser every query goes through, with our prefixes pre-declared so `ped:` and
/// `prov:` need no PREFIX lines.
fn parser() -> spargebra::SparqlParser {
    let mut parser = spargebra::SparqlParser::new();
    for (prefix, namespace) in PREFIXES {
        parser = parser
            .with_prefix(*prefix, *namespace)
            .expect("the built-in prefixes are valid IRIs");
    }
    parser
}

/// Parses a query. Updates are refused with a clear message rather than a syntax
/// error, and so is SERVICE: this is a read-only graph with no outbound requests.
pub fn parse(text: &str) -> Result<Query, QueryError> {
    parse_with_base(text, None)
}

/// [`parse`], resolving relative IRIs in the query against `base` (the endpoint
/// passes its entity base, so `<s>` means `{base}s`).
pub fn parse_with_base(text: &str, base: Option<&str>) -> Result<Query, QueryError> {
    check_size(text)?;
    let mut query_parser = parser();
    if let Some(base) = base {
        query_parser = query_parser
            .with_base_iri(base)
            .map_err(|e| QueryError::Refused(format!("invalid base IRI `{base}`: {e}")))?;
    }
    match query_parser.parse_query(text) {
        Ok(query) => {
            let shape = Shape::of(&query);
            if shape.uses_service {
                return Err(QueryError::Refused(
                    "SERVICE is not supported: Pedigree never queries other endpoints".into(),
                ));
            }
            Ok(query)
        }
        Err(error) => Err(super::explain::syntax_error(text, &error.to_string())),
    }
}

/// Deepest nesting of brackets a query may have. The parser and the evaluator
/// recurse once per level, so without a bound a few kilobytes of `((((…` exhaust a
/// thread's stack and abort the process. Real queries nest a dozen levels.
pub const MAX_QUERY_NESTING: usize = 64;

/// Most operators and punctuation (`/ | & + - * = < > ! . ; , ^ ? $` and brackets,
/// outside strings, IRIs and comments) a query may have. Every chain a query can
/// build (`a/b/c`, `x || y || z`, `{…} UNION {…} UNION …`) needs one per link, and
/// parsing, planning and evaluating recurse once per link: counting them before
/// parsing bounds the stack any query needs (see [`QUERY_STACK_BYTES`]) and the time
/// to plan it. Hand-written queries have a few hundred.
pub const MAX_QUERY_SYMBOLS: usize = 5_000;

/// Stack a thread needs to parse, plan, evaluate and drop any query within
/// [`MAX_QUERY_SYMBOLS`] and [`MAX_QUERY_NESTING`], with room to spare. Measured on a
/// property path of n steps: evaluation takes about 13 KB of stack per step in a
/// debug build and under 5.5 KB in release; parsing about 2.3 KB and 350 B. The
/// default 2 MiB of a spawned thread overflows, which aborts the whole process, at
/// about 900 steps in debug. Threads that run queries are given this much: it is
/// reserved address space, and only what a query touches is committed.
pub const QUERY_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Refuses, before parsing, queries nested deeper than [`MAX_QUERY_NESTING`] or with
/// more than [`MAX_QUERY_SYMBOLS`] operators. String literals, IRIs and comments do
/// not count.
fn check_size(text: &str) -> Result<(), QueryError> {
    let (mut depth, mut symbols) = (0usize, 0usize);
    let mut too_deep = None;
    scan(text, |i, byte| {
        match byte {
            b'(' | b'{' | b'[' => {
                symbols += 1;
                depth += 1;
                if depth > MAX_QUERY_NESTING {
                    too_deep = Some(i);
                    return false;
                }
            }
            b')' | b'}' | b']' => depth = depth.saturating_sub(1),
            _ => symbols += 1,
        }
        true
    });
    if let Some(offset) = too_deep {
        let (line, column) = line_column(text, offset);
        return Err(QueryError::Syntax {
            message: format!(
                "brackets nest deeper than {MAX_QUERY_NESTING} levels; flatten the query"
            ),
            line: Some(line),
            column: Some(column),
        });
    }
    if symbols > MAX_QUERY_SYMBOLS {
        return Err(QueryError::TooComplex(format!(
            "the query has {symbols} operators and brackets; the limit is {MAX_QUERY_SYMBOLS}: split it, or list values with VALUES"
        )));
    }
    Ok(())
}

/// Calls `on` with the offset of every operator, punctuation mark and bracket of
/// `text` outside string literals, IRIs and comments (`/ | & + - * = < > ! . ; , ^ ?
/// $` and `( ) { } [ ]`), until it returns `false`: the one lexer of the size check
/// and of the bracket balance the syntax errors are explained with.
pub(super) fn scan(text: &str, mut on: impl FnMut(usize, u8) -> bool) {
    let bytes = text.as_bytes();
    let mut i = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            // The guard calls `on`; when it says go on, the byte falls to `_`.
            byte @ (b'/' | b'|' | b'&' | b'+' | b'-' | b'*' | b'=' | b'>' | b'!' | b'.' | b';'
            | b',' | b'^' | b'?' | b'$' | b'(' | b'{' | b'[' | b')' | b'}' | b']')
                if !on(i, byte) =>
            {
                return;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            quote @ (b'"' | b'\'') => {
                let long = bytes[i..].starts_with(&[quote; 3]);
                i += if long { 3 } else { 1 };
                while i < bytes.len() {
                    if bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if bytes[i] == quote && (!long || bytes[i..].starts_with(&[quote; 3])) {
                        i += if long { 2 } else { 0 };
                        break;
                    }
                    if !long && bytes[i] == b'\n' {
                        break;
                    }
                    i += 1;
                }
            }
            // An IRI: `<` followed by IRI characters up to `>`. A `<` that is not one
            // (a comparison) is an operator.
            b'<' => {
                let end = bytes[i + 1..]
                    .iter()
                    .position(|&b| b == b'>' || b <= b' ' || b"<\"{}|^`\\".contains(&b));
                match end {
                    Some(end) if bytes[i + 1 + end] == b'>' => i += end + 1,
                    _ => {
                        if !on(i, b'<') {
                            return;
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// 1-based line and column (in characters) of byte `offset`.
pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sparql::eval::OPTIMIZE_UP_TO_NODES;

    #[test]
    fn deep_nesting_is_refused_before_parsing_but_brackets_in_text_do_not_count() {
        let deep = format!("ASK {{ FILTER({}1{}) }}", "(".repeat(200), ")".repeat(200));
        match parse(&deep) {
            Err(QueryError::Syntax { message, .. }) => assert!(message.contains("nest deeper")),
            other => panic!("expected a refusal, got {other:?}"),
        }
        let brackets = "(".repeat(200);
        for harmless in [
            format!("ASK {{ ?s ?p \"{brackets}\" }}"),
            format!("ASK {{ ?s ?p '''{brackets}\n''' }}"),
            format!("ASK {{ ?s ?p <x:{brackets}> }}\n"),
            format!("ASK {{ ?s ?p ?o }} # {brackets}\n"),
            format!("ASK {{ ?s ?p ?o FILTER(?o < 3 || ?o > \"\\\"{brackets}\") }}"),
        ] {
            assert!(parse(&harmless).is_ok(), "{harmless}");
        }
    }

    #[test]
    fn huge_queries_are_refused_and_large_ones_skip_the_optimiser() {
        let path = vec!["<x:p>"; MAX_QUERY_SYMBOLS].join("/");
        let huge = format!("SELECT * WHERE {{ ?a {path} ?b }}");
        assert!(matches!(parse(&huge), Err(QueryError::TooComplex(_))));
        let catalogue = crate::queries::load_dir(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries"),
        )
        .unwrap();
        for query in catalogue {
            let nodes = Shape::of(&parse(&query.text).unwrap()).nodes;
            assert!(
                nodes <= OPTIMIZE_UP_TO_NODES,
                "{}: {nodes} nodes; canned queries should be planned",
                query.name
            );
        }
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let error = parse("SELECT ?x WHERE {\n  ?x ?y \n}").unwrap_err();
        match error {
            QueryError::Syntax { line, column, .. } => {
                assert_eq!(line, Some(3));
                assert!(column.is_some());
            }
            other => panic!("expected a syntax error, got {other}"),
        }
    }

    #[test]
    fn updates_and_service_are_refused() {
        assert!(matches!(
            parse("INSERT DATA { <a:b> <a:c> <a:d> }"),
            Err(QueryError::Refused(_))
        ));
        assert!(matches!(
            parse("LOAD <http://example.com/data.ttl>"),
            Err(QueryError::Refused(_))
        ));
        let service = "SELECT * WHERE { SERVICE <http://example.com/sparql> { ?s ?p ?o } }";
        assert!(matches!(parse(service), Err(QueryError::Refused(_))));
    }

    #[test]
    fn cross_products_parse_and_are_left_to_the_limits() {
        for product in [
            "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            "ASK { ?m a ped:Model . ?o a schema:Organization }",
        ] {
            assert!(
                parse(product).is_ok(),
                "{product}: {:?}",
                parse(product).err()
            );
        }
    }

    #[test]
    fn known_prefixes_need_no_declaration() {
        assert!(parse("SELECT ?m WHERE { ?m a ped:Model ; prov:wasDerivedFrom ?b }").is_ok());
    }
}
