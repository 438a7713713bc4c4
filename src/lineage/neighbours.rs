//! A model's direct neighbours in the one order every bounded answer shows them: the
//! lists of a model's bases and derivatives, and which neighbours a bounded picture
//! draws before it folds the rest into "+ 4,812 quantized".
//!
//! **The ranking rule**, for the claims (edges) at one model: the surest claim first
//! (confirmed, reported, rumored, disputed); then the neighbour most built upon (most
//! lineage claims naming it as their base: the graph's own measure of reuse, standing
//! in for download counts, which Pedigree does not record); then the most recently
//! released (unknown release last); then name, then id, then the claim's place in the
//! data. Everything but the name is held by the index, so ranking 13,000 derivatives
//! compares numbers and reads a name only on a tie.

use std::cmp::{Ordering, Reverse};

use petgraph::Direction as PetDirection;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::{ClaimEdge, Direction, EdgeData, LineageError, LineageIndex, ModelNode};
use crate::dataset::Dataset;
use crate::model::{Confidence, Relation};

/// A claim at a model, seen from that model: the edge and the model at its other end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Neighbour {
    pub edge: ClaimEdge,
    pub node: ModelNode,
}

/// Which direct claims a list of bases or derivatives shows: every claim, ended ones
/// too (as the summary counts them), of these relations and at least this sure.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NeighbourFilter {
    /// Only these relations; empty means all.
    pub relations: Vec<Relation>,
    pub min_confidence: Option<Confidence>,
}

impl NeighbourFilter {
    fn admits(&self, edge: &EdgeData) -> bool {
        (self.relations.is_empty() || self.relations.contains(&edge.relation))
            && self.min_confidence.is_none_or(|min| edge.confidence >= min)
    }
}

/// The petgraph direction of one side of a model: towards its bases (`Up`) the
/// model's outgoing edges, towards its derivatives (`Down`, and `Both` read as it)
/// the incoming ones.
pub(super) fn side(direction: Direction) -> PetDirection {
    match direction {
        Direction::Up => PetDirection::Outgoing,
        _ => PetDirection::Incoming,
    }
}

impl LineageIndex {
    /// The direct claims at `id` on one side (`Up`: its bases, `Down`: its
    /// derivatives) that `filter` admits, the first `ranked` of them in the ranking
    /// rule's order and the rest after them in no order (a page of a list needs only
    /// the claims up to its end ranked: O(n + ranked log ranked)).
    pub fn neighbours(
        &self,
        dataset: &Dataset,
        id: &str,
        direction: Direction,
        filter: &NeighbourFilter,
        ranked: usize,
    ) -> Result<Vec<Neighbour>, LineageError> {
        let node = self.node(id)?;
        let way = side(direction);
        let mut found: Vec<Neighbour> = self
            .graph
            .edges_directed(node, way)
            .filter(|e| filter.admits(e.weight()))
            .map(|e| Neighbour {
                edge: ClaimEdge(e.id()),
                node: ModelNode(other_end(e.source(), e.target(), way)),
            })
            .collect();
        self.rank_first(dataset, &mut found, ranked);
        Ok(found)
    }

    /// Puts the `keep` best of `found` first, in order, by the ranking rule (the
    /// rest follow in no order): a partial selection, O(n) and then O(keep log keep),
    /// so choosing 8 of 13,000 derivatives does not sort them all.
    pub(super) fn rank_first(&self, dataset: &Dataset, found: &mut [Neighbour], keep: usize) {
        if keep == 0 {
            return;
        }
        if keep < found.len() {
            found.select_nth_unstable_by(keep - 1, |a, b| self.rank(dataset, a, b));
        }
        let keep = keep.min(found.len());
        found[..keep].sort_unstable_by(|a, b| self.rank(dataset, a, b));
    }

    /// The ranking rule (see the module's documentation).
    fn rank(&self, dataset: &Dataset, a: &Neighbour, b: &Neighbour) -> Ordering {
        let quick = |n: &Neighbour| {
            let node = &self.graph[n.node.0];
            (
                Reverse(self.graph[n.edge.0].confidence),
                Reverse(node.derivatives),
                Reverse(node.released.unwrap_or(0)),
            )
        };
        quick(a).cmp(&quick(b)).then_with(|| {
            let (ea, eb) = (self.entity(dataset, a.node), self.entity(dataset, b.node));
            ea.name()
                .cmp(eb.name())
                .then_with(|| ea.id().as_str().cmp(eb.id().as_str()))
                .then_with(|| a.edge.cmp(&b.edge))
        })
    }
}

/// The model at the far end of an edge walked `way` from its near end.
pub(super) fn other_end(source: NodeIndex, target: NodeIndex, way: PetDirection) -> NodeIndex {
    match way {
        PetDirection::Outgoing => target,
        PetDirection::Incoming => source,
    }
}
