//! The walk up from a model to every ancestor a clause can reach: through the
//! relations in the clause's `reaches` only, preferring the chain that rests on the
//! fewest unconfirmed claims, then the shortest.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::lineage::{ClaimEdge, LineageIndex, ModelNode};
use crate::model::{Confidence, Relation};

/// A set of relations, one bit each: the `reaches` of some clauses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reach(u16);

impl Reach {
    pub fn of(relations: impl IntoIterator<Item = Relation>) -> Reach {
        Reach(relations.into_iter().fold(0, |bits, r| bits | bit(r)))
    }

    pub fn has(self, relation: Relation) -> bool {
        self.0 & bit(relation) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

fn bit(relation: Relation) -> u16 {
    1 << relation as u16
}

/// Whether a clause reaching `reach` follows `edge` (from a model or dataset up to
/// what it derives from). Data is followed by its effect: a model's `trained_on`
/// and a dataset's `derived_from` lead on to the data's licence when the clause
/// reaches `trained_on`, and on to the model that generated the data when it reaches
/// `trained_on_outputs`; a `generated_by` step is taken only for the latter.
pub fn follows(reach: Reach, relation: Relation) -> bool {
    match relation {
        Relation::TrainedOn | Relation::DerivedFrom => {
            reach.has(Relation::TrainedOn) || reach.has(Relation::TrainedOnOutputs)
        }
        Relation::GeneratedBy => reach.has(Relation::TrainedOnOutputs),
        lineage => reach.has(lineage),
    }
}

/// What a walk reached: every node, nearest and surest first, and the best chain
/// to each, built on demand (most nodes hold no clause, so most chains are never
/// needed).
pub struct Reached {
    pub order: Vec<ModelNode>,
    /// Node → (unconfirmed claims, steps, the edge that reached it).
    best: hashbrown::HashMap<ModelNode, (u32, u32, Option<ClaimEdge>)>,
}

impl Reached {
    /// The edges from the start up to `node`, nearest first.
    pub fn chain(&self, index: &LineageIndex, node: ModelNode) -> Vec<ClaimEdge> {
        let mut chain = Vec::new();
        let mut at = node;
        while let Some(&(_, _, Some(edge))) = self.best.get(&at) {
            chain.push(edge);
            at = index.endpoints(edge).0;
        }
        chain.reverse();
        chain
    }
}

/// Every node a clause reaching `reach` can come from, walking up from `start`
/// (which is not listed), preferring the chain on the fewest unconfirmed claims, then
/// the shortest.
pub fn reached(index: &LineageIndex, start: ModelNode, reach: Reach) -> Reached {
    // (unconfirmed claims on the way, steps, node): popped smallest first.
    let mut queue = BinaryHeap::new();
    let mut best: hashbrown::HashMap<ModelNode, (u32, u32, Option<ClaimEdge>)> =
        hashbrown::HashMap::new();
    best.insert(start, (0, 0, None));
    queue.push(Reverse((0u32, 0u32, start)));
    let mut order = Vec::new();
    while let Some(Reverse((doubt, steps, node))) = queue.pop() {
        if best
            .get(&node)
            .is_some_and(|&(d, s, _)| (d, s) < (doubt, steps))
        {
            continue;
        }
        if node != start {
            order.push(node);
        }
        for (edge, base) in index.bases(node) {
            let data = index.edge_data(edge);
            if !follows(reach, data.relation) {
                continue;
            }
            let next = (
                doubt + u32::from(data.confidence != Confidence::Confirmed),
                steps + 1,
            );
            if best.get(&base).is_none_or(|&(d, s, _)| next < (d, s)) {
                best.insert(base, (next.0, next.1, Some(edge)));
                queue.push(Reverse((next.0, next.1, base)));
            }
        }
    }
    Reached { order, best }
}
