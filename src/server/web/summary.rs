//! What the summary at the top of a model page is made of, read from the knowledge
//! base: the direct edges counted by relation (from the lineage index), a family's
//! roll-up over its members, and what the model owes (its obligations and findings).

use std::collections::HashSet;

use super::pages::{FamilyRollup, MemberRow, Summary};
use crate::kb::KnowledgeBase;
use crate::kb::indexes::RecordKey;
use crate::model::Model;
use crate::server::error::ApiError;
use crate::server::views::Builder;

/// At most this many members are listed on a family page, each with its counts, and
/// walked from in its picture; the roll-up's counts add up every member, listed or not.
pub const MAX_MEMBER_ROWS: usize = 200;

/// The summary of `model`. Counts are of every direct claim, ended ones too, whatever
/// the page's own filter, so they are the totals of the lists they link to.
pub(super) fn summary(kb: &KnowledgeBase, model: &Model) -> Result<Summary, ApiError> {
    let counts = kb
        .lineage
        .direct_counts(model.id.as_str())
        .map_err(ApiError::internal)?;
    let members = family_members(kb, model);
    let family = if members.is_empty() {
        None
    } else {
        let builder = Builder { kb };
        let mut rows = Vec::new();
        for &position in members.iter().take(MAX_MEMBER_ROWS) {
            let member = &kb.dataset.models[position as usize];
            let own = kb
                .lineage
                .direct_counts(member.id.as_str())
                .map_err(ApiError::internal)?;
            rows.push(MemberRow {
                member: builder.link(member.id.as_str()),
                family: member.model_kind() == crate::model::ModelKind::Family,
                bases: own.bases.iter().map(|c| c.total).sum(),
                derivatives: own.derivatives.iter().map(|c| c.total).sum(),
            });
        }
        let ids = members
            .iter()
            .map(|&p| kb.dataset.models[p as usize].id.as_str());
        Some(FamilyRollup {
            counts: kb
                .lineage
                .direct_counts_of(ids)
                .map_err(ApiError::internal)?,
            members: rows,
            total_members: members.len(),
        })
    };
    Ok(Summary {
        counts,
        family,
        obligations: kb
            .dataset
            .get(model.id.as_str())
            .map(|r| kb.obligations().view(RecordKey::from(r).position as usize)),
    })
}

/// The ids of the members a family's picture walks from with the family: the first
/// [`MAX_MEMBER_ROWS`], as listed. None for a model.
pub(super) fn picture_members<'k>(kb: &'k KnowledgeBase, model: &Model) -> Vec<&'k str> {
    family_members(kb, model)
        .into_iter()
        .take(MAX_MEMBER_ROWS)
        .map(|p| kb.dataset.models[p as usize].id.as_str())
        .collect()
}

/// Every member of a family, members of its member families included, each once, in
/// the order the family index holds them (breadth first). Empty for a model.
pub(super) fn family_members(kb: &KnowledgeBase, model: &Model) -> Vec<u32> {
    let Some(start) = kb
        .dataset
        .get(model.id.as_str())
        .map(|r| RecordKey::from(r).position)
    else {
        return Vec::new();
    };
    let mut seen = HashSet::from([start]);
    let mut order = Vec::new();
    let mut next = 0;
    let mut queue = vec![start];
    while next < queue.len() {
        let family = queue[next];
        next += 1;
        for &member in kb.indexes.members.get(&family).into_iter().flatten() {
            if seen.insert(member) {
                order.push(member);
                queue.push(member);
            }
        }
    }
    order
}
