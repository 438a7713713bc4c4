//! Reading W3C test manifests (Turtle) with oxigraph: the helpers the protocol run
//! (`live.rs`) and the query-suite run (`w3c_query.rs`) share. Manifests are read
//! into an in-memory store and asked with SPARQL, rather than walked triple by triple.

use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;

use crate::util::root;

/// The prefixes manifests use, predeclared for [`select`].
const PREFIXES: &str = "PREFIX mf: <http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#>
    PREFIX qt: <http://www.w3.org/2001/sw/DataAccess/tests/test-query#>
    PREFIX dawgt: <http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#>
    PREFIX rs: <http://www.w3.org/2001/sw/DataAccess/tests/result-set#>
    PREFIX ht: <http://www.w3.org/2011/http#>
    PREFIX cnt: <http://www.w3.org/2011/content#>
    PREFIX ut: <http://www.w3.org/2009/sparql/tests/test-update#>
    PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n";

/// A folder of the shared W3C suites: the environment variable `variable` if set,
/// else `../shared/{name}` beside the clone.
pub fn shared_dir(variable: &str, name: &str) -> PathBuf {
    std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared").join(name))
}

/// Reads the Turtle file at `path`, with `base` for its relative IRIs, into the
/// default graph of `store`.
pub fn load_turtle(store: &Store, path: &Path, base: &str) {
    store
        .load_from_reader(
            RdfParser::from_format(RdfFormat::Turtle)
                .with_base_iri(base)
                .unwrap()
                .with_default_graph(GraphName::DefaultGraph),
            std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Runs a SELECT over a manifest store, with the manifest prefixes predeclared.
pub fn select(store: &Store, query: &str) -> Vec<Vec<Option<Term>>> {
    match SparqlEvaluator::new()
        .parse_query(&format!("{PREFIXES}{query}"))
        .unwrap()
        .on_store(store)
        .execute()
        .unwrap()
    {
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            solutions
                .map(|s| {
                    let s = s.unwrap();
                    variables.iter().map(|v| s.get(v).cloned()).collect()
                })
                .collect()
        }
        _ => panic!("expected solutions"),
    }
}

/// A term as plain text: a literal's value, an IRI without brackets, "" if unbound.
pub fn value(term: &Option<Term>) -> String {
    match term {
        Some(Term::Literal(l)) => l.value().to_owned(),
        Some(Term::NamedNode(n)) => n.as_str().to_owned(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}
