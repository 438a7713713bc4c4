//! SPARQL queries with limits: the types every part shares (limits, errors, answers)
//! and the map of the parts.
//!
//! A query goes `parse` (our prefixes pre-declared, size checked first, Update and
//! SERVICE refused) → `params` (canned-query parameters bound) → `eval` (the
//! rewrites of `bounds`, `order` and `products`, then oxigraph's `spareval` over the
//! compact store under a [`Guard`] from `guard`, reading through `dataset`) →
//! `answer` (the results and graph formats, the terminal table). `shape` holds the
//! walkers that know the algebra's every pattern and expression. Used by
//! `pedigree query`, the canned-query tests and the HTTP endpoint.

mod answer;
pub mod bounds;
pub mod dataset;
mod eval;
mod explain;
pub mod guard;
pub mod order;
mod params;
mod parse;
pub mod products;
mod shape;

use std::time::Duration;

use oxigraph::model::{Term, Triple};
use oxigraph::sparql::{QueryEvaluationError, Variable};

pub use spargebra::Query;

pub use answer::{
    GraphFormat, SolutionsFormat, display_term, table, write_graph, write_ntriples, write_solutions,
};
pub use eval::{OPTIMIZE_UP_TO_NODES, evaluate, evaluate_guarded, evaluate_on};
pub use guard::{Guard, StopOnDrop, StopReason};
pub use params::bind_parameters;
pub use parse::{MAX_QUERY_NESTING, MAX_QUERY_SYMBOLS, QUERY_STACK_BYTES, parse, parse_with_base};
pub(crate) use shape::{pattern_parts, sub_expressions, sub_patterns_mut};

/// Default time a query may run before it is cancelled.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default cap on solutions (rows) or triples in one answer.
pub const DEFAULT_MAX_ROWS: usize = 100_000;
/// Default cap on one value (string or IRI, in bytes) a query may make: generous for
/// a `GROUP_CONCAT` of thousands of names, small enough that the few values an
/// expression combines (see [`bounds::MAX_VALUE_AMPLIFICATION`]) stay far below the
/// memory budget.
pub const DEFAULT_MAX_VALUE_BYTES: usize = 16 << 20;

/// Limits on one evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub timeout: Duration,
    pub max_rows: usize,
    pub max_value_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: DEFAULT_TIMEOUT,
            max_rows: DEFAULT_MAX_ROWS,
            max_value_bytes: DEFAULT_MAX_VALUE_BYTES,
        }
    }
}

/// Why a query produced no answer.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The text is not SPARQL; `line` and `column` are 1-based when known.
    #[error("SPARQL syntax error{}: {message}", location_suffix(*.line, *.column))]
    Syntax {
        message: String,
        line: Option<usize>,
        column: Option<usize>,
    },
    /// The query asks for something a read-only endpoint does not do.
    #[error("{0}")]
    Refused(String),
    #[error("query evaluation failed: {0}")]
    Evaluation(#[from] QueryEvaluationError),
    #[error("the query ran longer than {} s and was cancelled", .0.as_secs_f64())]
    Timeout(Duration),
    /// The queries running together grew the process past the memory budget; this
    /// one was stopped to bring it back.
    #[error("the query was stopped: it needed more than the {} MiB of memory queries may use", .0 >> 20)]
    OutOfMemory(usize),
    /// The query built a value (string or IRI) larger than the value limit.
    #[error(
        "the query was stopped: it built a value larger than {0} bytes, the most a query may make"
    )]
    ValueTooLarge(usize),
    /// Nobody waits for the answer any more, or the server is shutting down.
    #[error("the query was cancelled: {0}")]
    Cancelled(&'static str),
    #[error("the answer has more than {0} rows; add a LIMIT or narrow the query")]
    TooLarge(usize),
    /// A parameter was given that the query does not declare, or given twice.
    #[error("{0}")]
    BadParameter(String),
    /// The query is too large to plan safely.
    #[error("{0}")]
    TooComplex(String),
    /// The evaluator panicked: a bug in it, reported rather than crashing.
    #[error("the query evaluator failed: {0}")]
    Panicked(String),
    /// The query is valid SPARQL but calls what this endpoint cannot evaluate, such
    /// as a cast with the wrong number of arguments (`xsd:integer(?a, ?b)`): the
    /// client's mistake, not the server's. (An unknown function IRI is not this: it
    /// is an expression error, and its value is unbound.)
    #[error("{0}")]
    Unsupported(String),
}

/// An RDF dataset given by the SPARQL protocol (`default-graph-uri`,
/// `named-graph-uri`). When either is given, the query's own FROM and FROM NAMED are
/// ignored and the listed graphs are the whole dataset, by the rules of FROM and FROM
/// NAMED (SPARQL 1.1 Query §13.2): the default graph is the merge of the listed
/// default graphs (empty if none is listed), the named graphs are the listed ones (none
/// if none is listed). When neither is given, the query's FROM and FROM NAMED apply,
/// and without those the store's default graph and all its named graphs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DatasetOverride {
    pub default_graphs: Vec<oxigraph::model::NamedNode>,
    pub named_graphs: Vec<oxigraph::model::NamedNode>,
}

impl DatasetOverride {
    pub fn is_empty(&self) -> bool {
        self.default_graphs.is_empty() && self.named_graphs.is_empty()
    }
}

fn location_suffix(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(" at line {line}, column {column}"),
        _ => String::new(),
    }
}

/// A fully evaluated answer, held in memory (within [`Limits::max_rows`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Solutions {
        variables: Vec<Variable>,
        rows: Vec<Vec<Option<Term>>>,
    },
    Boolean(bool),
    Graph(Vec<Triple>),
}
