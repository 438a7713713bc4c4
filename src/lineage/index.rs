//! The lineage index itself: one petgraph node per model and one edge per lineage
//! claim, built from the dataset with the day numbers the filters compare, and the
//! lookups from nodes and edges back to ids, records and claims.

use std::collections::HashMap;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

use super::compact::CompactJson;
use crate::dataset::Dataset;
use crate::model::{Confidence, LineageEdge, Model, PartialDate, Relation, Spanned};

/// A day as a sortable number, `yyyymmdd`.
pub type Day = u32;

fn day((year, month, day): (u16, u8, u8)) -> Day {
    u32::from(year) * 10_000 + u32::from(month) * 100 + u32::from(day)
}

/// The last day of a date at its precision: "as of 2025" means at the end of 2025.
pub fn last_day(date: PartialDate) -> Day {
    day(date.last_day())
}

pub fn first_day(date: PartialDate) -> Day {
    day(date.first_day())
}

/// A model's node in the index, as callers hold it: an opaque handle, so no petgraph
/// type leaves this module's layer (the server and the CLI only pass handles back).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModelNode(pub(super) NodeIndex);

/// A lineage claim's edge in the index, as callers hold it: an opaque handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClaimEdge(pub(super) EdgeIndex);

/// A node: a position in `dataset.models`, and what ranking its model among its
/// neighbours needs (see [`neighbours`](super::neighbours)) without a trip to the record.
#[derive(Clone, Copy, Debug)]
pub struct NodeData {
    pub model: u32,
    /// Lineage claims naming this model as their base (every claim, ended ones too).
    pub derivatives: u32,
    /// The first day of the model's release date.
    pub released: Option<Day>,
}

/// An edge from a model to its base: the claim's position and what the filters need.
#[derive(Clone, Copy, Debug)]
pub struct EdgeData {
    /// Position of the derived model in `dataset.models`.
    pub model: u32,
    /// Position of the claim in that model's `lineage`.
    pub claim: u32,
    pub relation: Relation,
    pub confidence: Confidence,
    pub from: Option<Day>,
    pub until: Option<Day>,
    /// The first day of the derived model's release date, the start of an edge
    /// without a `from` (see [`Filter`](super::Filter)'s `as_of`).
    pub released: Option<Day>,
    /// The day by which the claim's earliest source had certainly been published.
    pub first_reported: Option<Day>,
}

/// Why a walk could not start.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum LineageError {
    #[error("no model `{0}`")]
    UnknownModel(String),
    /// The caller's stop check said to stop (the server's time limit).
    #[error("the walk was stopped before it ended")]
    Stopped,
}

/// The lineage graph.
#[derive(Debug, Default)]
pub struct LineageIndex {
    pub(super) graph: DiGraph<NodeData, EdgeData>,
    nodes: HashMap<Box<str>, NodeIndex>,
    /// Each node's and edge's JSON in the compact answer, written once.
    pub(super) compact: CompactJson,
}

impl LineageIndex {
    /// Builds the index from validated data (every base resolves to a model).
    pub fn build(dataset: &Dataset) -> LineageIndex {
        let mut index = LineageIndex {
            graph: DiGraph::with_capacity(dataset.models.len(), dataset.models.len()),
            nodes: HashMap::with_capacity(dataset.models.len()),
            compact: CompactJson::default(),
        };
        for (position, model) in dataset.models.iter().enumerate() {
            let node = index.graph.add_node(NodeData {
                model: position as u32,
                derivatives: 0,
                released: release_day(model),
            });
            index.nodes.insert(model.id.as_str().into(), node);
        }
        for (position, model) in dataset.models.iter().enumerate() {
            let from = index.nodes[model.id.as_str()];
            for (claim, edge) in model.lineage.iter().enumerate() {
                let Some(&to) = index.nodes.get(edge.base.as_str()) else {
                    continue;
                };
                let data = edge_data(dataset, position as u32, claim as u32, edge);
                index.graph.add_edge(from, to, data);
                index.graph[to].derivatives += 1;
            }
        }
        index.compact = CompactJson::build(&index, dataset);
        index
    }

    pub(super) fn node(&self, id: &str) -> Result<NodeIndex, LineageError> {
        self.nodes
            .get(id)
            .copied()
            .ok_or_else(|| LineageError::UnknownModel(id.to_owned()))
    }

    pub fn edge_data(&self, edge: ClaimEdge) -> EdgeData {
        self.graph[edge.0]
    }

    /// The (model, base) node pair of an edge.
    pub(super) fn endpoints(&self, edge: ClaimEdge) -> (ModelNode, ModelNode) {
        let (model, base) = self
            .graph
            .edge_endpoints(edge.0)
            .expect("edge indices come from this graph");
        (ModelNode(model), ModelNode(base))
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Bytes held by the graph, the id map and the compact answer's pieces, for the
    /// benchmark report and `/api/status`.
    pub fn heap_bytes(&self) -> usize {
        self.compact.heap_bytes()
            + self.graph.node_count() * (std::mem::size_of::<NodeData>() + 8)
            + self.graph.edge_count() * (std::mem::size_of::<EdgeData>() + 16)
            + self
                .nodes
                .keys()
                .map(|k| k.len() + std::mem::size_of::<(Box<str>, NodeIndex)>() + 8)
                .sum::<usize>()
    }
}

fn release_day(model: &Model) -> Option<Day> {
    model
        .release
        .as_ref()
        .and_then(|r| r.date.as_ref())
        .and_then(|d| d.date())
        .map(first_day)
}

fn edge_data(dataset: &Dataset, model: u32, claim: u32, edge: &Spanned<LineageEdge>) -> EdgeData {
    EdgeData {
        model,
        claim,
        relation: edge.relation.value,
        confidence: edge
            .confidence
            .as_ref()
            .map_or(Confidence::Disputed, |c| c.value),
        from: edge.from.as_ref().and_then(|d| d.date()).map(first_day),
        until: edge.until.as_ref().and_then(|d| d.date()).map(last_day),
        released: release_day(&dataset.models[model as usize]),
        first_reported: dataset.first_reported(edge).map(day),
    }
}

impl LineageIndex {
    /// The model record behind a node.
    pub fn model<'d>(&self, dataset: &'d Dataset, node: ModelNode) -> &'d Model {
        &dataset.models[self.graph[node.0].model as usize]
    }

    /// The lineage claim behind an edge.
    pub fn claim<'d>(&self, dataset: &'d Dataset, edge: ClaimEdge) -> &'d Spanned<LineageEdge> {
        let data = self.graph[edge.0];
        &dataset.models[data.model as usize].lineage[data.claim as usize]
    }
}
