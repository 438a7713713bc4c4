//! The lineage index itself: one petgraph node per model and per dataset, one edge
//! per lineage claim (a model's `lineage` and `trained_on`, a dataset's
//! `generated_by` and `derived_from`), built from the dataset with the day numbers
//! the filters compare, and the lookups from nodes and edges back to ids, records and
//! claims.

use std::collections::HashMap;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::compact::CompactJson;
use crate::dataset::Dataset;
use crate::model::{
    Claim, Confidence, DatasetRecord, Id, Model, PartialDate, Relation, Spanned, Stage,
};
use crate::view::NodeKind;

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

/// A node in the index (a model or a dataset), as callers hold it: an opaque handle,
/// so no petgraph type leaves this module's layer (the server and the CLI only pass
/// handles back).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModelNode(pub(super) NodeIndex);

/// A lineage claim's edge in the index, as callers hold it: an opaque handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClaimEdge(pub(super) EdgeIndex);

/// A node: a position in `dataset.models` (or `dataset.datasets`), and what ranking
/// it among its neighbours needs (see [`neighbours`](super::neighbours)) without a
/// trip to the record.
#[derive(Clone, Copy, Debug)]
pub struct NodeData {
    pub model: u32,
    /// Whether `model` is a position in `dataset.datasets`.
    pub is_dataset: bool,
    /// Lineage claims naming this model as their base (every claim, ended ones too).
    pub derivatives: u32,
    /// The first day of the model's release date.
    pub released: Option<Day>,
}

/// An edge from a model (or dataset) to its base: the claim's position and what the
/// filters need.
#[derive(Clone, Copy, Debug)]
pub struct EdgeData {
    /// Position of the derived record in `dataset.models`, or in `dataset.datasets`
    /// for `generated_by` and `derived_from`.
    pub model: u32,
    /// Position of the claim in the field `relation` comes from: `lineage`,
    /// `trained_on`, `generated_by` or `derived_from`.
    pub claim: u32,
    pub relation: Relation,
    /// The stage of a `trained_on` claim, when it says.
    pub stage: Option<Stage>,
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
    /// Builds the index from validated data (every base resolves to a model, every
    /// dataset reference to a dataset).
    pub fn build(dataset: &Dataset) -> LineageIndex {
        let mut index = LineageIndex::build_graph(dataset);
        index.compact = CompactJson::build(&index, dataset);
        index
    }

    /// The graph alone, without the compact answer's pieces: what a walk that writes
    /// no lineage answer needs (`validate`'s compliance findings).
    pub fn build_graph(dataset: &Dataset) -> LineageIndex {
        let nodes = dataset.models.len() + dataset.datasets.len();
        let mut index = LineageIndex {
            graph: DiGraph::with_capacity(nodes, dataset.models.len()),
            nodes: HashMap::with_capacity(nodes),
            compact: CompactJson::default(),
        };
        for (position, model) in dataset.models.iter().enumerate() {
            let released = release_day(&model.release);
            index.add_node(&model.id, position, false, released);
        }
        for (position, data) in dataset.datasets.iter().enumerate() {
            let released = release_day(&data.release);
            index.add_node(&data.id, position, true, released);
        }
        for (position, model) in dataset.models.iter().enumerate() {
            let released = release_day(&model.release);
            let edges = model
                .lineage
                .iter()
                .map(|e| (&e.base, e.relation.value, None, e as &dyn Claim));
            let trained = model.trained_on.iter().map(|t| {
                let stage = t.stage.as_ref().map(|s| s.value);
                (&t.dataset, Relation::TrainedOn, stage, t as &dyn Claim)
            });
            index.add_edges(dataset, (&model.id, position, released), edges);
            index.add_edges(dataset, (&model.id, position, released), trained);
        }
        for (position, data) in dataset.datasets.iter().enumerate() {
            let released = release_day(&data.release);
            let generated = data
                .generated_by
                .iter()
                .map(|g| (&g.model, Relation::GeneratedBy, None, g as &dyn Claim));
            let derived = data
                .derived_from
                .iter()
                .map(|d| (&d.dataset, Relation::DerivedFrom, None, d as &dyn Claim));
            index.add_edges(dataset, (&data.id, position, released), generated);
            index.add_edges(dataset, (&data.id, position, released), derived);
        }
        index
    }

    fn add_node(&mut self, id: &Id, position: usize, is_dataset: bool, released: Option<Day>) {
        let node = self.graph.add_node(NodeData {
            model: position as u32,
            is_dataset,
            derivatives: 0,
            released,
        });
        self.nodes.insert(id.as_str().into(), node);
    }

    /// Adds the edges of one field of one record, each claim's position its place in
    /// the field.
    fn add_edges<'d>(
        &mut self,
        dataset: &Dataset,
        (id, position, released): (&Id, usize, Option<Day>),
        claims: impl Iterator<Item = (&'d Spanned<Id>, Relation, Option<Stage>, &'d dyn Claim)>,
    ) {
        let from = self.nodes[id.as_str()];
        for (claim, (base, relation, stage, provenance)) in claims.enumerate() {
            let Some(&to) = self.nodes.get(base.as_str()) else {
                continue;
            };
            let data = EdgeData {
                model: position as u32,
                claim: claim as u32,
                relation,
                stage,
                confidence: provenance
                    .confidence()
                    .map_or(Confidence::Disputed, |c| c.value),
                from: provenance.from().and_then(|d| d.date()).map(first_day),
                until: provenance.until().and_then(|d| d.date()).map(last_day),
                released,
                first_reported: dataset.first_reported(provenance).map(day),
            };
            self.graph.add_edge(from, to, data);
            self.graph[to].derivatives += 1;
        }
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
    pub fn endpoints(&self, edge: ClaimEdge) -> (ModelNode, ModelNode) {
        let (model, base) = self
            .graph
            .edge_endpoints(edge.0)
            .expect("edge indices come from this graph");
        (ModelNode(model), ModelNode(base))
    }

    /// The node of a model or dataset id.
    pub fn find(&self, id: &str) -> Option<ModelNode> {
        self.nodes.get(id).copied().map(ModelNode)
    }

    /// The node of the model at `position` in `dataset.models`: models are added
    /// first, in dataset order, so the two numberings agree.
    pub fn model_node(&self, position: usize) -> ModelNode {
        ModelNode(NodeIndex::new(position))
    }

    /// The node in a slot of `0..node_count()`.
    pub fn node_at(&self, slot: usize) -> ModelNode {
        ModelNode(NodeIndex::new(slot))
    }

    /// A node's slot in `0..node_count()`, for arrays indexed by node.
    pub fn slot(node: ModelNode) -> usize {
        node.0.index()
    }

    /// Whether the node stands for a dataset.
    pub fn is_dataset(&self, node: ModelNode) -> bool {
        self.graph[node.0].is_dataset
    }

    /// The edges from a node to what it derives from (its lineage bases, its training
    /// data, a dataset's generator and sources), each with the node it reaches.
    pub fn bases(&self, node: ModelNode) -> impl Iterator<Item = (ClaimEdge, ModelNode)> + '_ {
        self.graph
            .edges_directed(node.0, petgraph::Direction::Outgoing)
            .map(|e| (ClaimEdge(e.id()), ModelNode(e.target())))
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

fn release_day(release: &Option<Spanned<crate::model::Release>>) -> Option<Day> {
    release
        .as_ref()
        .and_then(|r| r.date.as_ref())
        .and_then(|d| d.date())
        .map(first_day)
}

/// What a node stands for: a model (or family) or a dataset.
#[derive(Clone, Copy, Debug)]
pub enum Entity<'d> {
    Model(&'d Model),
    Dataset(&'d DatasetRecord),
}

impl<'d> Entity<'d> {
    pub fn id(self) -> &'d Id {
        match self {
            Entity::Model(m) => &m.id,
            Entity::Dataset(d) => &d.id,
        }
    }

    pub fn name(self) -> &'d str {
        match self {
            Entity::Model(m) => &m.name,
            Entity::Dataset(d) => &d.name,
        }
    }

    pub fn kind(self) -> NodeKind {
        match self {
            Entity::Model(m) if m.is_family() => NodeKind::Family,
            Entity::Model(_) => NodeKind::Model,
            Entity::Dataset(_) => NodeKind::Dataset,
        }
    }

    /// The organisation that made it: a model's developer, a dataset's creator.
    pub fn maker(self) -> Option<&'d Id> {
        match self {
            Entity::Model(m) => Some(&m.developer),
            Entity::Dataset(d) => d.creator.as_deref(),
        }
    }
}

impl LineageIndex {
    /// The record behind a node.
    pub fn entity<'d>(&self, dataset: &'d Dataset, node: ModelNode) -> Entity<'d> {
        let data = self.graph[node.0];
        match data.is_dataset {
            true => Entity::Dataset(&dataset.datasets[data.model as usize]),
            false => Entity::Model(&dataset.models[data.model as usize]),
        }
    }

    /// The id of the record behind a node.
    pub fn id<'d>(&self, dataset: &'d Dataset, node: ModelNode) -> &'d str {
        self.entity(dataset, node).id().as_str()
    }

    /// The claim behind an edge (its relation is the edge data's).
    pub fn claim<'d>(&self, dataset: &'d Dataset, edge: ClaimEdge) -> &'d dyn Claim {
        let data = self.graph[edge.0];
        let (record, claim) = (data.model as usize, data.claim as usize);
        match data.relation {
            Relation::TrainedOn => &dataset.models[record].trained_on[claim],
            Relation::GeneratedBy => &dataset.datasets[record].generated_by[claim],
            Relation::DerivedFrom => &dataset.datasets[record].derived_from[claim],
            _ => &dataset.models[record].lineage[claim],
        }
    }
}
