//! How many records of each kind a knowledge base holds: what `/api/status` and the
//! home page show. Counted once at build, so asking costs nothing.

use crate::dataset::Dataset;
use crate::lineage::LineageIndex;

/// Records by kind, and the edges of the lineage index.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Concrete models (families are counted apart).
    pub models: usize,
    pub families: usize,
    pub organizations: usize,
    pub people: usize,
    pub sources: usize,
    pub licenses: usize,
    pub lineage_edges: usize,
}

impl Counts {
    pub(super) fn of(dataset: &Dataset, lineage: &LineageIndex) -> Counts {
        let families = dataset.models.iter().filter(|m| m.is_family()).count();
        Counts {
            models: dataset.models.len() - families,
            families,
            organizations: dataset.organizations.len(),
            people: dataset.people.len(),
            sources: dataset.sources.len(),
            licenses: dataset.licenses.len(),
            lineage_edges: lineage.edge_count(),
        }
    }
}

impl super::KnowledgeBase {
    /// Records by kind and lineage edges.
    pub fn counts(&self) -> Counts {
        self.counts
    }
}
