//! SPARQL evaluation with limits, and the serialisation of its answers.
//!
//! One place for running a query against the knowledge base: parse (with our prefixes
//! pre-declared), refuse what a read-only service must not do, bound before
//! evaluation the work no check can reach (`bounds`), evaluate with oxigraph's
//! `spareval` over the compact store under a [`Guard`] (time, memory, value size,
//! abandonment; `guard`, `dataset`), cap the answer's size, and write it in the
//! format asked for. Used by `pedigree query`, the canned-query tests and the HTTP
//! endpoint.

pub mod bounds;
pub mod dataset;
pub mod guard;
pub mod order;
pub mod products;

use std::io::Write;
use std::time::Duration;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, Quad, Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, Variable};
use spareval::QueryEvaluator;

pub use spargebra::Query;

use crate::rdf::vocab::PREFIXES;
use crate::store::CompactStore;
use dataset::GuardedDataset;
pub use guard::{Guard, StopOnDrop, StopReason};
use order::{SortKey, TopRows};

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
        // An empty text, or one of only comments and PREFIX or BASE lines, is a valid
        // SPARQL Update of no operations: not an update the client meant to send, and
        // refusing it as one would hide the real problem.
        Err(error) => match parser().parse_update(text) {
            Ok(update) if update.operations.is_empty() => Err(QueryError::Syntax {
                message: "the query is empty: write a SELECT, ASK, CONSTRUCT or DESCRIBE query (PREFIX lines and comments alone are not one)".into(),
                line: None,
                column: None,
            }),
            Ok(_) => Err(QueryError::Refused(
                "SPARQL Update is not accepted: the graph is read-only and changes only through graph-data/".into(),
            )),
            Err(_) => Err(syntax_error(&error.to_string())),
        },
    }
}

/// Deepest nesting of brackets a query may have. The parser and the evaluator
/// recurse once per level, so without a bound a few kilobytes of `((((…` exhaust a
/// thread's stack and abort the process. Real queries nest a dozen levels.
pub const MAX_QUERY_NESTING: usize = 64;

/// Queries up to this many nodes (graph patterns, triple patterns, path steps,
/// expression terms) are planned by oxigraph's optimiser (join order, filter
/// push-down). Planning is super-linear in a query's size and cannot be cancelled (it
/// took 36 s on a path of 800 steps), so larger queries run as written: their cost
/// stays linear in their size and every step can be cancelled. The canned queries
/// have fewer than 100 nodes.
pub const OPTIMIZE_UP_TO_NODES: usize = 150;

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
    let bytes = text.as_bytes();
    let (mut depth, mut symbols, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'/' | b'|' | b'&' | b'+' | b'-' | b'*' | b'=' | b'>' | b'!' | b'.' | b';' | b','
            | b'^' | b'?' | b'$' => symbols += 1,
            b'(' | b'{' | b'[' => {
                symbols += 1;
                depth += 1;
                if depth > MAX_QUERY_NESTING {
                    let (line, column) = line_column(text, i);
                    return Err(QueryError::Syntax {
                        message: format!(
                            "brackets nest deeper than {MAX_QUERY_NESTING} levels; flatten the query"
                        ),
                        line: Some(line),
                        column: Some(column),
                    });
                }
            }
            b')' | b'}' | b']' => depth = depth.saturating_sub(1),
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
            // (a comparison) is skipped alone.
            b'<' => {
                let end = bytes[i + 1..]
                    .iter()
                    .position(|&b| b == b'>' || b <= b' ' || b"<\"{}|^`\\".contains(&b));
                match end {
                    Some(end) if bytes[i + 1 + end] == b'>' => i += end + 1,
                    _ => symbols += 1,
                }
            }
            _ => {}
        }
        i += 1;
    }
    if symbols > MAX_QUERY_SYMBOLS {
        return Err(QueryError::TooComplex(format!(
            "the query has {symbols} operators and brackets; the limit is {MAX_QUERY_SYMBOLS}: split it, or list values with VALUES"
        )));
    }
    Ok(())
}

/// 1-based line and column (in characters) of byte `offset`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The direct parts of a graph pattern: its sub-patterns and its own expressions
/// (filters, binds, ORDER BY keys, aggregates; an `EXISTS` pattern stays inside its
/// expression). The one place, with [`sub_patterns_mut`], that knows the shape of
/// every pattern, for the walkers that count, check or rewrite.
pub(crate) fn pattern_parts(
    pattern: &spargebra::algebra::GraphPattern,
) -> (
    Vec<&spargebra::algebra::GraphPattern>,
    Vec<&spargebra::algebra::Expression>,
) {
    use spargebra::algebra::{AggregateExpression, GraphPattern as P, OrderExpression};
    match pattern {
        P::Bgp { .. } | P::Path { .. } | P::Values { .. } => (vec![], vec![]),
        P::Join { left, right }
        | P::Lateral { left, right }
        | P::Union { left, right }
        | P::Minus { left, right } => (vec![left, right], vec![]),
        P::LeftJoin {
            left,
            right,
            expression,
        } => (vec![left, right], expression.iter().collect()),
        P::Filter { expr, inner } => (vec![inner], vec![expr]),
        P::Extend {
            inner, expression, ..
        } => (vec![inner], vec![expression]),
        P::OrderBy { inner, expression } => (
            vec![inner],
            expression
                .iter()
                .map(|order| match order {
                    OrderExpression::Asc(e) | OrderExpression::Desc(e) => e,
                })
                .collect(),
        ),
        P::Group {
            inner, aggregates, ..
        } => (
            vec![inner],
            aggregates
                .iter()
                .filter_map(|(_, aggregate)| match aggregate {
                    AggregateExpression::FunctionCall { expr, .. } => Some(expr),
                    AggregateExpression::CountSolutions { .. } => None,
                })
                .collect(),
        ),
        P::Graph { inner, .. }
        | P::Project { inner, .. }
        | P::Distinct { inner }
        | P::Reduced { inner }
        | P::Slice { inner, .. }
        | P::Service { inner, .. } => (vec![inner], vec![]),
    }
}

/// The direct sub-patterns of a graph pattern, to rewrite them in place.
pub(crate) fn sub_patterns_mut(
    pattern: &mut spargebra::algebra::GraphPattern,
) -> Vec<&mut spargebra::algebra::GraphPattern> {
    use spargebra::algebra::GraphPattern as P;
    match pattern {
        P::Bgp { .. } | P::Path { .. } | P::Values { .. } => vec![],
        P::Join { left, right }
        | P::LeftJoin { left, right, .. }
        | P::Lateral { left, right }
        | P::Union { left, right }
        | P::Minus { left, right } => vec![left, right],
        P::Filter { inner, .. }
        | P::Graph { inner, .. }
        | P::Extend { inner, .. }
        | P::OrderBy { inner, .. }
        | P::Project { inner, .. }
        | P::Distinct { inner }
        | P::Reduced { inner }
        | P::Slice { inner, .. }
        | P::Group { inner, .. }
        | P::Service { inner, .. } => vec![inner],
    }
}

/// The direct operands of an expression (none for terms, variables and `EXISTS`,
/// whose pattern is not an expression): the one place that knows the shape of every
/// expression, for the walkers that count or collect.
pub(crate) fn sub_expressions(
    expression: &spargebra::algebra::Expression,
) -> Vec<&spargebra::algebra::Expression> {
    use spargebra::algebra::Expression as E;
    match expression {
        E::NamedNode(_) | E::Literal(_) | E::Variable(_) | E::Bound(_) | E::Exists(_) => vec![],
        E::Or(a, b)
        | E::And(a, b)
        | E::Equal(a, b)
        | E::SameTerm(a, b)
        | E::Greater(a, b)
        | E::GreaterOrEqual(a, b)
        | E::Less(a, b)
        | E::LessOrEqual(a, b)
        | E::Add(a, b)
        | E::Subtract(a, b)
        | E::Multiply(a, b)
        | E::Divide(a, b) => vec![a, b],
        E::UnaryPlus(a) | E::UnaryMinus(a) | E::Not(a) => vec![a],
        E::In(a, list) => std::iter::once(&**a).chain(list).collect(),
        E::If(a, b, c) => vec![a, b, c],
        E::Coalesce(list) | E::FunctionCall(_, list) => list.iter().collect(),
    }
}

/// The XSD casts spareval evaluates itself (with the `sep-0002` and `calendar-ext`
/// features oxigraph turns on); every other IRI called as a function is unknown.
/// A registered custom function would shadow the cast, so these are never registered.
const EVALUATED_CASTS: &[&str] = &[
    "http://www.w3.org/2001/XMLSchema#string",
    "http://www.w3.org/2001/XMLSchema#boolean",
    "http://www.w3.org/2001/XMLSchema#double",
    "http://www.w3.org/2001/XMLSchema#float",
    "http://www.w3.org/2001/XMLSchema#integer",
    "http://www.w3.org/2001/XMLSchema#decimal",
    "http://www.w3.org/2001/XMLSchema#date",
    "http://www.w3.org/2001/XMLSchema#time",
    "http://www.w3.org/2001/XMLSchema#dateTime",
    "http://www.w3.org/2001/XMLSchema#duration",
    "http://www.w3.org/2001/XMLSchema#yearMonthDuration",
    "http://www.w3.org/2001/XMLSchema#dayTimeDuration",
    "http://www.w3.org/2001/XMLSchema#gYear",
    "http://www.w3.org/2001/XMLSchema#gYearMonth",
    "http://www.w3.org/2001/XMLSchema#gMonth",
    "http://www.w3.org/2001/XMLSchema#gMonthDay",
    "http://www.w3.org/2001/XMLSchema#gDay",
];

/// Size and reach of a parsed query, measured in one walk over its algebra.
#[derive(Debug, Default)]
struct Shape {
    /// Graph patterns, triple patterns, property-path steps and expression nodes.
    nodes: usize,
    uses_service: bool,
    /// IRIs called as functions that the evaluator does not implement.
    unknown_functions: std::collections::BTreeSet<oxigraph::model::NamedNode>,
}

impl Shape {
    fn of(query: &spargebra::Query) -> Shape {
        use spargebra::Query as Q;
        let mut shape = Shape::default();
        match query {
            Q::Select { pattern, .. }
            | Q::Construct { pattern, .. }
            | Q::Describe { pattern, .. }
            | Q::Ask { pattern, .. } => shape.pattern(pattern),
        }
        if let Q::Construct { template, .. } = query {
            shape.nodes += template.len();
        }
        shape
    }

    fn pattern(&mut self, pattern: &spargebra::algebra::GraphPattern) {
        use spargebra::algebra::GraphPattern as P;
        self.nodes += 1;
        match pattern {
            P::Service { .. } => self.uses_service = true,
            P::Bgp { patterns } => self.nodes += patterns.len(),
            P::Path { path, .. } => self.path(path),
            P::Group { aggregates, .. } => self.nodes += aggregates.len(),
            // Rows of VALUES cost linear time, and the query length bounds them.
            _ => {}
        }
        let (patterns, expressions) = pattern_parts(pattern);
        for expression in expressions {
            self.expression(expression);
        }
        for part in patterns {
            self.pattern(part);
        }
    }

    fn path(&mut self, path: &spargebra::algebra::PropertyPathExpression) {
        use spargebra::algebra::PropertyPathExpression as Path;
        self.nodes += 1;
        match path {
            Path::NamedNode(_) => {}
            Path::NegatedPropertySet(set) => self.nodes += set.len(),
            Path::Reverse(inner)
            | Path::ZeroOrMore(inner)
            | Path::OneOrMore(inner)
            | Path::ZeroOrOne(inner) => self.path(inner),
            Path::Sequence(a, b) | Path::Alternative(a, b) => {
                self.path(a);
                self.path(b);
            }
        }
    }

    fn expression(&mut self, expression: &spargebra::algebra::Expression) {
        self.nodes += 1;
        if let spargebra::algebra::Expression::FunctionCall(
            spargebra::algebra::Function::Custom(name),
            _,
        ) = expression
            && !EVALUATED_CASTS.contains(&name.as_str())
        {
            self.unknown_functions.insert(name.clone());
        }
        if let spargebra::algebra::Expression::Exists(pattern) = expression {
            self.pattern(pattern);
        }
        sub_expressions(expression)
            .into_iter()
            .for_each(|e| self.expression(e));
    }
}

/// Extracts line and column from spargebra's "error at L:C: expected ..." message.
fn syntax_error(message: &str) -> QueryError {
    let parsed = message.strip_prefix("error at ").and_then(|rest| {
        let (position, expected) = rest.split_once(": ")?;
        let (line, column) = position.split_once(':')?;
        Some((
            line.parse().ok()?,
            column.parse().ok()?,
            expected.to_owned(),
        ))
    });
    match parsed {
        Some((line, column, expected)) => QueryError::Syntax {
            message: describe_expected(&expected),
            line: Some(line),
            column: Some(column),
        },
        None => QueryError::Syntax {
            message: message.to_owned(),
            line: None,
            column: None,
        },
    }
}

/// Binds query parameters: each `VALUES ?name { UNDEF }` declaration in `text` becomes
/// `VALUES ?name { "value" }`. This is the convention of `queries/` (see
/// [`crate::queries`]): a textual rewrite of that one exact declaration, with the
/// value written as an escaped SPARQL literal, so nothing else in the query changes.
pub fn bind_parameters(text: &str, params: &[(String, String)]) -> Result<String, QueryError> {
    // Every declaration is found in the query's own text first, and the values are
    // spliced in one pass afterwards: a value is never searched again, so a value
    // that spells another declaration stays inside its literal.
    let mut splices: Vec<(usize, usize, String)> = Vec::new();
    for (position, (name, value)) in params.iter().enumerate() {
        if params[..position]
            .iter()
            .any(|(earlier, _)| earlier == name)
        {
            return Err(QueryError::BadParameter(format!(
                "the parameter `{name}` is given more than once; give each parameter one value"
            )));
        }
        let declaration = format!("VALUES ?{name} {{ UNDEF }}");
        let literal = oxigraph::model::Literal::new_simple_literal(value);
        let binding = format!("VALUES ?{name} {{ {literal} }}");
        let before = splices.len();
        splices.extend(
            text.match_indices(&declaration)
                .map(|(start, found)| (start, start + found.len(), binding.clone())),
        );
        if splices.len() == before {
            return Err(QueryError::BadParameter(format!(
                "the query has no parameter `{name}` (a parameter is declared as `{declaration}`)"
            )));
        }
    }
    splices.sort_by_key(|&(start, _, _)| start);
    let mut bound = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, end, binding) in splices {
        // Declarations of different variables cannot overlap (each ends with `}`).
        bound.push_str(&text[copied..start]);
        bound.push_str(&binding);
        copied = end;
    }
    bound.push_str(&text[copied..]);
    Ok(bound)
}

/// Turns peg's "expected one of …" list into something a person can act on.
fn describe_expected(expected: &str) -> String {
    let expected = expected.strip_prefix("expected ").unwrap_or(expected);
    if expected.contains("Prefix not found") {
        return "undeclared prefix: add a PREFIX line (ped:, prov:, schema:, org:, dcterms:, dc:, owl:, rdf:, rdfs:, skos:, spdx:, time: and xsd: are predeclared)".into();
    }
    let Some(list) = expected.strip_prefix("one of ") else {
        return format!("expected {expected}");
    };
    // Character classes are noise to a reader; keep the words and punctuation.
    let words: Vec<&str> = list
        .split(", ")
        .filter(|w| !w.starts_with('[') && !w.contains("..="))
        .collect();
    match words.as_slice() {
        [] => "unexpected character".into(),
        [one] => format!("expected {one}"),
        many if many.len() <= 8 => format!("expected one of {}", many.join(", ")),
        many => format!("expected one of {}, …", many[..8].join(", ")),
    }
}

/// Evaluates `query` on `store` within `limits`, pre-binding `substitutions` (which
/// oxigraph allows only for projected variables; parameters go through
/// [`bind_parameters`] instead).
pub fn evaluate(
    store: &CompactStore,
    query: Query,
    limits: Limits,
    substitutions: &[(Variable, Term)],
) -> Result<Answer, QueryError> {
    evaluate_on(
        store,
        query,
        limits,
        substitutions,
        &DatasetOverride::default(),
    )
}

/// [`evaluate`] with the dataset given by the protocol.
pub fn evaluate_on(
    store: &CompactStore,
    query: Query,
    limits: Limits,
    substitutions: &[(Variable, Term)],
    dataset: &DatasetOverride,
) -> Result<Answer, QueryError> {
    let guard = Guard::start(limits.timeout, limits.max_value_bytes);
    evaluate_guarded(store, query, limits, substitutions, dataset, &guard)
}

/// [`evaluate_on`] under a guard the caller holds, so it can stop the evaluation
/// (when its client hangs up, or at shutdown). The guard's deadline counts from its
/// creation.
pub fn evaluate_guarded(
    store: &CompactStore,
    query: Query,
    limits: Limits,
    substitutions: &[(Variable, Term)],
    dataset: &DatasetOverride,
    guard: &Guard,
) -> Result<Answer, QueryError> {
    // A panic inside the evaluator is a bug there, not a reason to lose the thread
    // (or, in the CLI, the process): it becomes an error like any other.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run(store, query, limits, substitutions, dataset, guard)
    }));
    guard.finish();
    let outcome = outcome.unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        Err(QueryError::Panicked(message.to_owned()))
    });
    // A stop may surface as a failed step, or as a value the evaluator quietly
    // dropped; either way the answer is incomplete and the stop is the error.
    match guard.stopped() {
        Some(reason) => Err(stopped(reason, limits)),
        None => outcome,
    }
}

fn stopped(reason: StopReason, limits: Limits) -> QueryError {
    match reason {
        StopReason::Timeout => QueryError::Timeout(limits.timeout),
        StopReason::Memory => QueryError::OutOfMemory(guard::memory_budget()),
        StopReason::ValueTooLarge => QueryError::ValueTooLarge(limits.max_value_bytes),
        StopReason::Abandoned => QueryError::Cancelled("nobody waits for its answer any more"),
        StopReason::Shutdown => QueryError::Cancelled("the server is shutting down"),
    }
}

fn run(
    store: &CompactStore,
    mut query: Query,
    limits: Limits,
    substitutions: &[(Variable, Term)],
    dataset: &DatasetOverride,
    guard: &Guard,
) -> Result<Answer, QueryError> {
    {
        let (Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. }) = &query;
        bounds::check(pattern, limits.max_value_bytes).map_err(QueryError::TooComplex)?;
    }
    let ordered = match &mut query {
        Query::Select { pattern, .. } => order::lift(pattern),
        _ => None,
    };
    {
        let (Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. }) = &mut query;
        order::totalize(pattern);
        products::as_nested_loops(pattern);
    }
    let mut evaluator = QueryEvaluator::new();
    let shape = Shape::of(&query);
    if shape.nodes > OPTIMIZE_UP_TO_NODES {
        evaluator = evaluator.without_optimizations();
    }
    // An IRI called as a function that the evaluator does not know is, in SPARQL, an
    // expression error (the value is unbound, a FILTER on it is false), not a
    // failure of the query; spareval refuses the whole query instead. So each such
    // IRI the query calls is registered as a function that always errs.
    for function in shape.unknown_functions {
        evaluator = evaluator.with_custom_function(function, |_| None);
    }
    let mut prepared = evaluator.prepare(&query);
    if !dataset.is_empty() {
        // SPARQL 1.1 Query §13.2, which the protocol's parameters follow as FROM and
        // FROM NAMED do: a dataset that lists only default graphs has no named graphs,
        // one that lists only named graphs has an empty default graph.
        let spec = prepared.dataset_mut();
        spec.set_default_graph(
            dataset
                .default_graphs
                .iter()
                .cloned()
                .map(Into::into)
                .collect(),
        );
        spec.set_available_named_graphs(
            dataset
                .named_graphs
                .iter()
                .cloned()
                .map(Into::into)
                .collect(),
        );
    }
    for (variable, term) in substitutions {
        prepared = prepared.substitute_variable(variable.clone(), term.clone());
    }
    let failed = |error: QueryEvaluationError| match error {
        // Unreachable after `parse` refused SERVICE, but kept as the last line of
        // defence: no handler means no outbound request.
        QueryEvaluationError::UnsupportedService(_) | QueryEvaluationError::UnboundService => {
            QueryError::Refused(
                "SERVICE is not supported: Pedigree never queries other endpoints".into(),
            )
        }
        // Unknown functions are registered above, so what is left here is a cast
        // called with the wrong number of arguments (parsed like any IRI call, and
        // only refused here): the query's fault, so it must not read as a server
        // failure.
        error @ (QueryEvaluationError::UnsupportedCustomFunction(_)
        | QueryEvaluationError::UnsupportedCustomFunctionArity { .. }
        | QueryEvaluationError::InvalidServiceName(_)) => {
            QueryError::Unsupported(error.to_string())
        }
        other => QueryError::Evaluation(other),
    };
    let checked = |guard: &Guard| guard.check().map_err(|s| stopped(s.0, limits));
    let data = GuardedDataset::new(store, guard.clone());
    match prepared.execute(data).map_err(failed)? {
        QueryResults::Boolean(value) => Ok(Answer::Boolean(value)),
        QueryResults::Solutions(solutions) => {
            if let Some(ordered) = ordered {
                let keep = ordered.offset.saturating_add(
                    ordered
                        .limit
                        .unwrap_or(usize::MAX)
                        .min(limits.max_rows.saturating_add(1)),
                );
                let mut top = TopRows::new(&ordered, keep);
                for solution in solutions {
                    checked(guard)?;
                    let solution = solution.map_err(failed)?;
                    let keys = ordered
                        .keys
                        .iter()
                        .map(|(v, _)| SortKey::of(solution.get(v)))
                        .collect();
                    let values = ordered
                        .projected
                        .iter()
                        .map(|v| solution.get(v).cloned())
                        .collect();
                    top.push(keys, values);
                }
                checked(guard)?;
                let (rows, _) = top.finish();
                let rows: Vec<_> = rows
                    .into_iter()
                    .skip(ordered.offset)
                    .take(ordered.limit.unwrap_or(usize::MAX))
                    .collect();
                if rows.len() > limits.max_rows {
                    return Err(QueryError::TooLarge(limits.max_rows));
                }
                return Ok(Answer::Solutions {
                    variables: ordered.projected,
                    rows,
                });
            }
            let variables = solutions.variables().to_vec();
            let mut rows = Vec::new();
            for solution in solutions {
                checked(guard)?;
                if rows.len() == limits.max_rows {
                    return Err(QueryError::TooLarge(limits.max_rows));
                }
                let solution = solution.map_err(failed)?;
                rows.push(variables.iter().map(|v| solution.get(v).cloned()).collect());
            }
            Ok(Answer::Solutions { variables, rows })
        }
        QueryResults::Graph(triples) => {
            let mut graph = Vec::new();
            for triple in triples {
                checked(guard)?;
                if graph.len() == limits.max_rows {
                    return Err(QueryError::TooLarge(limits.max_rows));
                }
                graph.push(triple.map_err(failed)?);
            }
            Ok(Answer::Graph(graph))
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

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
