//! The graph as a whole: cycles (in lineage, through datasets too, in family
//! membership, organisation parents and source citations) and models or datasets
//! released before what they derive from.

use std::collections::HashMap;

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use super::{Checker, location};
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::model::{Id, PartialDate, Record, Release, ReleaseStatus, Span, Spanned};

pub(super) fn check(checker: &mut Checker<'_>) {
    for relation in [
        Relation::Lineage,
        Relation::Family,
        Relation::Parent,
        Relation::Cites,
    ] {
        check_cycles(checker, relation);
    }
    check_release_order(checker);
}

/// The relations that must not loop.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Relation {
    Lineage,
    Family,
    Parent,
    Cites,
}

impl Relation {
    fn describe(self) -> &'static str {
        match self {
            Relation::Lineage => "lineage goes",
            Relation::Family => "family membership goes",
            Relation::Parent => "organisation parents go",
            Relation::Cites => "source citations go",
        }
    }
}

/// Edges of `relation` as (from id, to id, location of the reference).
fn edges<'a>(checker: &Checker<'a>, relation: Relation) -> Vec<(&'a str, &'a str, Location)> {
    let mut out = Vec::new();
    for entry in checker.entries() {
        let from = entry.record.id().as_str();
        let mut add = |to: &'a crate::model::Spanned<crate::model::Id>| {
            out.push((from, to.as_str(), location(entry.file, to.span)));
        };
        match (&entry.record, relation) {
            (Record::Model(m), Relation::Lineage) => {
                m.lineage.iter().for_each(|e| add(&e.base));
                m.trained_on.iter().for_each(|t| add(&t.dataset));
            }
            (Record::Dataset(d), Relation::Lineage) => {
                d.generated_by.iter().for_each(|g| add(&g.model));
                d.derived_from.iter().for_each(|f| add(&f.dataset));
            }
            (Record::Model(m), Relation::Family) => m.family.iter().for_each(&mut add),
            (Record::Organization(o), Relation::Parent) => {
                o.parents.iter().for_each(|p| add(&p.organization));
            }
            (Record::Source(s), Relation::Cites) => s.cites.iter().for_each(&mut add),
            _ => {}
        }
    }
    out
}

fn check_cycles<'a>(checker: &mut Checker<'a>, relation: Relation) {
    let edges = edges(checker, relation);
    let mut graph: DiGraph<&'a str, Location> = DiGraph::new();
    let mut nodes: HashMap<&'a str, NodeIndex> = HashMap::new();
    let mut node = |graph: &mut DiGraph<&'a str, Location>, id: &'a str| {
        *nodes.entry(id).or_insert_with(|| graph.add_node(id))
    };
    for (from, to, at) in &edges {
        let (a, b) = (node(&mut graph, from), node(&mut graph, to));
        graph.add_edge(a, b, *at);
    }
    for component in tarjan_scc(&graph) {
        let looped = component.len() > 1 || graph.contains_edge(component[0], component[0]);
        if !looped {
            continue;
        }
        let cycle = find_cycle(&graph, &component);
        let names: Vec<&str> = cycle
            .iter()
            .map(|&(n, _)| graph[n])
            .chain([graph[cycle[0].0]])
            .collect();
        let mut labels = cycle.iter().map(|&(_, at)| at);
        let Some(first) = labels.next() else { continue };
        let mut diagnostic = Diagnostic::new(
            Code::Cycle,
            first,
            format!(
                "{} round in a cycle: {}",
                relation.describe(),
                names.join(" → ")
            ),
        )
        .label("this edge closes the cycle")
        .hint("one of these edges is wrong; a thing cannot derive from, belong to or cite itself");
        for at in labels {
            diagnostic = diagnostic.secondary(at, "part of the cycle");
        }
        checker.report(diagnostic);
    }
}

/// One cycle through a strongly connected component: each node with the location of
/// its edge to the next. Walks edges inside the component from its smallest node until
/// a node repeats, then keeps the loop.
fn find_cycle(
    graph: &DiGraph<&str, Location>,
    component: &[NodeIndex],
) -> Vec<(NodeIndex, Location)> {
    let inside: std::collections::HashSet<NodeIndex> = component.iter().copied().collect();
    let start = *component
        .iter()
        .min_by_key(|&&n| graph[n])
        .expect("components are non-empty");
    let mut path: Vec<(NodeIndex, Location)> = Vec::new();
    let mut current = start;
    loop {
        if let Some(position) = path.iter().position(|&(n, _)| n == current) {
            return path.split_off(position);
        }
        // The smallest-named successor keeps the reported cycle deterministic.
        let next = graph
            .edges(current)
            .filter(|e| inside.contains(&petgraph::visit::EdgeRef::target(e)))
            .min_by_key(|e| graph[petgraph::visit::EdgeRef::target(e)])
            .expect("every node of a cycle has a successor inside it");
        path.push((current, *next.weight()));
        current = petgraph::visit::EdgeRef::target(&next);
    }
}

/// A model cannot be released before a base it derives from or a dataset it was
/// trained on, nor a dataset before the model that generated it or the dataset it was
/// made from. Compared only when both are released with dates whose order is certain
/// at their precision.
fn check_release_order(checker: &mut Checker<'_>) {
    let mut found = Vec::new();
    for entry in checker.entries() {
        let Some((date, date_span)) = released_on(&entry.record) else {
            continue;
        };
        for (base_id, what) in derives_from(&entry.record) {
            let Some(target) = checker.index.get(base_id.as_str()) else {
                continue;
            };
            let Some((base_date, base_span)) = target.record.and_then(released_on) else {
                continue;
            };
            if date.certain_cmp(base_date) == Some(std::cmp::Ordering::Less) {
                let base_file = target.location.file;
                found.push(
                    Diagnostic::new(
                        Code::ReleasedBeforeBase,
                        location(entry.file, date_span),
                        format!(
                            "`{}` is released on {date}, before {} `{}` ({base_date})",
                            entry.record.id().as_str(),
                            what.noun,
                            base_id.as_str()
                        ),
                    )
                    .label("released here")
                    .secondary(location(entry.file, base_id.span), what.label)
                    .secondary(
                        location(base_file, base_span),
                        format!("{} is released later", what.short),
                    )
                    .hint("one of the two dates is wrong, or the edge points at the wrong base"),
                );
            }
        }
    }
    for diagnostic in found {
        checker.report(diagnostic);
    }
}

/// What an edge's far end is to the record, in the words of a P302 message.
struct Far {
    noun: &'static str,
    short: &'static str,
    label: String,
}

/// The records `record` derives from, with what each is to it.
fn derives_from(record: &Record) -> Vec<(&Spanned<Id>, Far)> {
    let far = |noun, short, label: String| Far { noun, short, label };
    match record {
        Record::Model(m) => m
            .lineage
            .iter()
            .map(|e| {
                let label = format!("{} of this base", e.relation.as_str());
                (&e.base, far("its base", "the base", label))
            })
            .chain(m.trained_on.iter().map(|t| {
                let label = "trained on this dataset".to_owned();
                (&t.dataset, far("its training data", "the dataset", label))
            }))
            .collect(),
        Record::Dataset(d) => d
            .generated_by
            .iter()
            .map(|g| {
                let label = "generated by this model".to_owned();
                (
                    &g.model,
                    far("the model that generated it", "the model", label),
                )
            })
            .chain(d.derived_from.iter().map(|f| {
                let label = "derived from this dataset".to_owned();
                (
                    &f.dataset,
                    far("the dataset it was made from", "the dataset", label),
                )
            }))
            .collect(),
        _ => Vec::new(),
    }
}

/// The release date of a released model or dataset.
fn released_on(record: &Record) -> Option<(PartialDate, Span)> {
    let release: &Spanned<Release> = match record {
        Record::Model(m) => m.release.as_ref()?,
        Record::Dataset(d) => d.release.as_ref()?,
        _ => return None,
    };
    if release.status.value != ReleaseStatus::Released {
        return None;
    }
    let date = release.date.as_ref()?;
    Some((date.date()?, date.span))
}
