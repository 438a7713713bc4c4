//! Who cites what: the claims that rest on a source, from the reverse index.

use super::KnowledgeBase;
use super::indexes::{Citation, RecordKey};

impl KnowledgeBase {
    /// The claims citing the source `source`, ordered by record and field; empty when
    /// `source` is not a source.
    pub fn citations(&self, source: &str) -> &[Citation] {
        match self.dataset.get(source) {
            Some(record @ crate::dataset::RecordRef::Source(_)) => {
                self.indexes.citations_of(RecordKey::from(record).position)
            }
            _ => &[],
        }
    }
}
