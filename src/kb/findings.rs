//! The compliance findings the knowledge base computed at build, filtered as
//! `/api/findings` and the findings page ask.

use super::KnowledgeBase;
use crate::diagnostics::{Code, Severity};
use crate::obligations::findings::Finding;
use crate::obligations::view::Certainty;

/// What to keep; `None` keeps everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct FindingFilter<'q> {
    pub code: Option<Code>,
    pub severity: Option<Severity>,
    /// The licence the finding's clause belongs to.
    pub license: Option<&'q str>,
    /// The model's developer is this organisation or below it.
    pub organization: Option<&'q str>,
    pub certainty: Option<Certainty>,
}

impl KnowledgeBase {
    /// The findings that pass the filter, in model order.
    pub fn find_findings(&self, filter: &FindingFilter<'_>) -> Vec<&Finding> {
        let license = filter.license.and_then(|id| match self.dataset.get(id) {
            Some(crate::dataset::RecordRef::License(i)) => Some(i),
            _ => None,
        });
        self.findings
            .iter()
            .filter(|f| filter.code.is_none_or(|c| f.code == c))
            .filter(|f| filter.severity.is_none_or(|s| f.code.severity() == s))
            .filter(|f| filter.license.is_none() || Some(f.inherited.license) == license)
            .filter(|f| {
                filter.organization.is_none_or(|org| {
                    self.is_within(
                        self.dataset.models[f.model as usize].developer.as_str(),
                        org,
                    )
                })
            })
            .filter(|f| {
                filter
                    .certainty
                    .is_none_or(|c| (c == Certainty::Certain) == f.inherited.certain())
            })
            .collect()
    }
}
