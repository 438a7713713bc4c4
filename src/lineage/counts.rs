//! Counts of a model's direct bases and derivatives by relation, each broken down by
//! confidence: the model page's summary ("12 quantized · 10 confirmed, 2 reported")
//! and a family's roll-up. Every claim counts, the ended ones too, as the lists of a
//! model's bases and derivatives that the counts link to list them. One pass over the
//! model's own edges, O(degree), so a root with 13,000 direct derivatives stays cheap.

use std::collections::BTreeMap;

use petgraph::Direction as PetDirection;

use super::{Direction, LineageError, LineageIndex};
use crate::model::{Confidence, Relation};

/// The direct edges of one relation on one side of a model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelationCount {
    pub relation: Relation,
    pub total: usize,
    /// The same edges by confidence, surest first; levels with no edge are left out.
    pub by_confidence: Vec<(Confidence, usize)>,
}

/// A model's (or a family's members') direct edges, counted by relation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DirectCounts {
    /// Edges to bases, in the order of [`Relation::ALL`].
    pub bases: Vec<RelationCount>,
    /// Edges from derivatives, in the order of [`Relation::ALL`].
    pub derivatives: Vec<RelationCount>,
}

impl DirectCounts {
    pub fn side(&self, direction: Direction) -> &[RelationCount] {
        match direction {
            Direction::Up => &self.bases,
            _ => &self.derivatives,
        }
    }
}

/// Tallies per relation and confidence, before they are put in order.
type Tally = BTreeMap<Relation, BTreeMap<Confidence, usize>>;

impl LineageIndex {
    /// The direct edges of `id` (every claim), by relation and confidence.
    pub fn direct_counts(&self, id: &str) -> Result<DirectCounts, LineageError> {
        self.direct_counts_of([id])
    }

    /// The direct edges of every model in `ids` added up (a family's members): an
    /// edge between two of them counts on both sides, as each member's page would.
    pub fn direct_counts_of<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<DirectCounts, LineageError> {
        let mut bases = Tally::new();
        let mut derivatives = Tally::new();
        for id in ids {
            let node = self.node(id)?;
            for (way, tally) in [
                (PetDirection::Outgoing, &mut bases),
                (PetDirection::Incoming, &mut derivatives),
            ] {
                for edge in self.graph.edges_directed(node, way) {
                    let data = edge.weight();
                    *tally
                        .entry(data.relation)
                        .or_default()
                        .entry(data.confidence)
                        .or_default() += 1;
                }
            }
        }
        Ok(DirectCounts {
            bases: ordered(bases),
            derivatives: ordered(derivatives),
        })
    }
}

fn ordered(tally: Tally) -> Vec<RelationCount> {
    Relation::ALL
        .into_iter()
        .filter_map(|relation| {
            let levels = tally.get(&relation)?;
            let mut by_confidence: Vec<(Confidence, usize)> =
                levels.iter().map(|(&c, &n)| (c, n)).collect();
            by_confidence.sort_by_key(|&(confidence, _)| std::cmp::Reverse(confidence));
            Some(RelationCount {
                relation,
                total: by_confidence.iter().map(|(_, n)| n).sum(),
                by_confidence,
            })
        })
        .collect()
}
