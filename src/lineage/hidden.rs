//! How many edges next to a walk its filter turned away, and by which filter: the
//! "3 edges hidden by this date" beside the lineage controls, and the reason an empty
//! picture gives.
//!
//! Counted over the walk's frontier: every edge, in the walk's direction, at a node
//! the walk expanded (the nodes it reached short of its depth limit), that the filter
//! refused. An edge refused by two filters counts under both. Edges behind a hidden
//! edge are not walked, so the figures say what the filter hid next to what is shown,
//! not in the whole graph; the cost is the edges touched, O(edges at the walk's nodes).

use std::collections::HashSet;

use petgraph::Direction as PetDirection;
use petgraph::visit::EdgeRef;

use super::walk::Refusal;
use super::{Direction, Filter, LineageIndex, Subgraph};

/// Edges next to a walk that its filter hid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hidden {
    /// Edges hidden by any filter, each counted once.
    pub total: usize,
    /// Per filter, in the order of [`Refusal::ALL`].
    by: [usize; Refusal::ALL.len()],
}

impl Hidden {
    /// Edges the one filter `refusal` turned away (some also by others).
    pub fn by(&self, refusal: Refusal) -> usize {
        self.by[refusal_slot(refusal)]
    }
}

fn refusal_slot(refusal: Refusal) -> usize {
    Refusal::ALL
        .iter()
        .position(|&r| r == refusal)
        .expect("ALL lists every refusal")
}

impl LineageIndex {
    /// The edges `filter` hid next to `subgraph`, the answer of
    /// `walk(root, direction, filter, max_depth)`.
    pub fn hidden(
        &self,
        subgraph: &Subgraph,
        direction: Direction,
        filter: &Filter,
        max_depth: Option<usize>,
    ) -> Hidden {
        let mut hidden = Hidden::default();
        let mut seen = HashSet::new();
        for &(node, generation) in &subgraph.nodes {
            if max_depth.is_some_and(|max| generation.unsigned_abs() as usize >= max) {
                continue;
            }
            // Ancestors were expanded towards their bases, descendants towards their
            // derivatives, the root both ways the walk went.
            let ways: &[PetDirection] = match (generation.signum(), direction) {
                (-1, _) | (0, Direction::Up) => &[PetDirection::Outgoing],
                (1, _) | (0, Direction::Down) => &[PetDirection::Incoming],
                _ => &[PetDirection::Outgoing, PetDirection::Incoming],
            };
            for &way in ways {
                for edge in self.graph.edges_directed(node.0, way) {
                    let refused: Vec<Refusal> = Refusal::ALL
                        .into_iter()
                        .filter(|&r| filter.refuses(r, edge.weight()))
                        .collect();
                    if refused.is_empty() || !seen.insert(edge.id()) {
                        continue;
                    }
                    hidden.total += 1;
                    for refusal in refused {
                        hidden.by[refusal_slot(refusal)] += 1;
                    }
                }
            }
        }
        hidden
    }
}
