//! The organisation hierarchy as questions: the chain of current parents above an
//! organisation, whether one organisation sits at or below another, and every
//! organisation below one.
//!
//! Only current parent claims (no `until`) count, and the first one an organisation
//! lists is its parent: the chain is a path, not a tree.

use super::KnowledgeBase;

impl KnowledgeBase {
    /// `start` and the organisations above it, nearest first, following each one's
    /// first current parent. Stops before repeating an organisation, so a cycle in
    /// the parents ends the chain instead of looping.
    pub fn organization_chain<'a>(&'a self, start: &'a str) -> Vec<&'a str> {
        let mut chain: Vec<&str> = Vec::new();
        let mut current = Some(start);
        while let Some(id) = current.take() {
            if chain.contains(&id) {
                break;
            }
            chain.push(id);
            current = self.current_parent(id);
        }
        chain
    }

    /// Whether `ancestor` is `organization` or anywhere in its chain of parents. No
    /// allocation: this runs once per model when a list filters by organisation.
    pub fn is_within(&self, organization: &str, ancestor: &str) -> bool {
        // A chain visits each organisation at most once before it repeats, so this
        // many steps see all of it.
        let mut steps = self.dataset.organizations.len() + 1;
        let mut current = Some(organization);
        while let Some(id) = current {
            if id == ancestor {
                return true;
            }
            if steps == 0 {
                return false;
            }
            steps -= 1;
            current = self.current_parent(id);
        }
        false
    }

    /// The positions (in `dataset.organizations`) of the organisation at `position`
    /// and of every organisation below it, nearest first: exactly the organisations
    /// [`is_within`](Self::is_within) places within it, so an organisation's page and
    /// `/api/models?organization=` list the same models.
    pub fn organizations_below(&self, position: u32) -> Vec<u32> {
        let mut below = vec![position];
        let mut i = 0;
        while i < below.len() {
            let parent = self.dataset.organizations[below[i] as usize].id.as_str();
            for &child in self.indexes.children.get(&below[i]).into_iter().flatten() {
                let child_id = self.dataset.organizations[child as usize].id.as_str();
                // The children index holds every parent claim, ended or not; below
                // means below through the child's current parent.
                if self.current_parent(child_id) == Some(parent) && !below.contains(&child) {
                    below.push(child);
                }
            }
            i += 1;
        }
        below
    }

    /// The first parent `organization` names without an `until`.
    fn current_parent(&self, organization: &str) -> Option<&str> {
        self.dataset
            .organization(organization)
            .and_then(|org| org.parents.iter().find(|p| p.until.is_none()))
            .map(|p| p.organization.as_str())
    }
}
