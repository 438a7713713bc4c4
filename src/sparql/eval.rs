//! Evaluating a parsed query over the compact store: the rewrites that keep every
//! step bounded, spareval under the [`Guard`], and the answer collected within the
//! row cap.

use oxigraph::model::Term;
use oxigraph::sparql::{QueryEvaluationError, QueryResults, Variable};
use spareval::QueryEvaluator;

use super::dataset::GuardedDataset;
use super::guard::{self, Guard, StopReason};
use super::order::{self, SortKey, TopRows};
use super::shape::Shape;
use super::{Answer, DatasetOverride, Limits, Query, QueryError, bounds, products};
use crate::store::CompactStore;

/// Queries up to this many nodes (graph patterns, triple patterns, path steps,
/// expression terms) are planned by oxigraph's optimiser (join order, filter
/// push-down). Planning is super-linear in a query's size and cannot be cancelled (it
/// took 36 s on a path of 800 steps), so larger queries run as written: their cost
/// stays linear in their size and every step can be cancelled. The canned queries
/// have fewer than 100 nodes.
pub const OPTIMIZE_UP_TO_NODES: usize = 150;

/// Evaluates `query` on `store` within `limits`, pre-binding `substitutions` (which
/// oxigraph allows only for projected variables; parameters go through
/// [`super::bind_parameters`] instead).
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
