//! What a model owes: the clauses of its own licences and of every licence up its
//! lineage that a clause's `reaches` carries down to it, each with the chain of
//! claims it travels, and the compliance findings that follow (see
//! docs/obligations.md).
//!
//! The rules, in one place:
//! - a clause of licence L reaches model M from ancestor A when every step of the
//!   chain M → … → A is a relation in the clause's `reaches` (data is followed by its
//!   effect, see [`walk::follows`]);
//! - among several chains the one resting on the fewest unconfirmed claims wins,
//!   then the shortest;
//! - an obligation is **possible** rather than certain when any claim it rests on
//!   (an edge of the chain, the ancestor's licence claim) is not `confirmed`, or
//!   when it comes from a family whose member checkpoint is not known;
//! - only licences that hold now (no `until`) count.
//!
//! Works on a validated [`Dataset`] and its [`LineageIndex`] only: no IO.

pub mod findings;
pub mod view;
mod walk;

use std::collections::HashMap;

use crate::dataset::{Dataset, RecordRef};
use crate::lineage::{ClaimEdge, Entity, LineageIndex, ModelNode};
use crate::model::{Clause, Confidence, License, LicenseClaim, Spanned};
pub use walk::Reach;

/// One clause that binds a model, and how it got there.
#[derive(Clone, Debug)]
pub struct Inherited {
    /// Position of the licence in `dataset.licenses`.
    pub license: u32,
    /// Position of the clause in the licence's `clauses`.
    pub clause: u32,
    /// Where the licence holds: the model itself (empty chain), an ancestor, or a
    /// family the chain ends at (then `member` names the member whose licence it is).
    pub ancestor: ModelNode,
    /// The family member whose licence this is, when `ancestor` is a family and the
    /// checkpoint is not known.
    pub member: Option<ModelNode>,
    /// The claims from the model up to `ancestor`, nearest first; empty for the
    /// model's own licences.
    pub chain: Vec<ClaimEdge>,
    /// The confidence of the licence claim at `ancestor` (or `member`).
    pub license_confidence: Confidence,
    /// The weakest confidence of everything the obligation rests on.
    pub weakest: Confidence,
}

impl Inherited {
    /// Certain: every claim it rests on is confirmed, and no family stands in for an
    /// unknown checkpoint.
    pub fn certain(&self) -> bool {
        self.weakest == Confidence::Confirmed && self.member.is_none()
    }

    /// Whether the model's own licence says it (nothing inherited).
    pub fn own(&self) -> bool {
        self.chain.is_empty() && self.member.is_none()
    }

    /// How the obligation ranks against another for the same clause: certain first,
    /// then inherited over own (an inherited clause binds a derivative; the same
    /// clause in one's own licence may bind only the licensor), then the shorter chain.
    fn rank(&self) -> (bool, bool, usize) {
        (!self.certain(), self.own(), self.chain.len())
    }
}

/// What the walks need, prepared once per dataset (the knowledge base keeps it):
/// the clauses grouped by the relations they reach, each node's licences and owner,
/// and for each family the distinct licences of its members, so a walk touches no
/// string and allocates only for the clauses it finds.
#[derive(Debug, Default)]
pub struct Prepared {
    /// Each distinct `reaches` of some clause.
    reaches: Vec<Reach>,
    /// Family (its node's slot) → (licence, member node) per distinct licence among
    /// its members and their members, the first member in data order.
    family_licenses: HashMap<usize, Vec<(u32, ModelNode)>>,
    /// Each node's licences that hold now, with the claim's confidence:
    /// `licenses[starts[slot]..starts[slot + 1]]`.
    starts: Vec<u32>,
    licenses: Vec<(u32, Confidence)>,
    /// Each node's owner (position in `dataset.organizations` of the top of its
    /// maker's hierarchy); `u32::MAX` when it has no maker.
    owners: Vec<u32>,
    /// Whether each licence records any clause.
    with_clauses: Vec<bool>,
}

const NO_OWNER: u32 = u32::MAX;

impl Prepared {
    pub fn new(dataset: &Dataset, index: &LineageIndex) -> Prepared {
        let mut reaches: Vec<Reach> = dataset
            .licenses
            .iter()
            .flat_map(|l| &l.clauses)
            .map(|c| reach_of(c))
            .filter(|r| !r.is_empty())
            .collect();
        reaches.sort();
        reaches.dedup();
        let tops = organization_tops(dataset);
        let nodes = index.node_count();
        let (mut starts, mut licenses, mut owners) = (
            Vec::with_capacity(nodes + 1),
            Vec::new(),
            Vec::with_capacity(nodes),
        );
        for slot in 0..nodes {
            starts.push(licenses.len() as u32);
            let entity = index.entity(dataset, index.node_at(slot));
            let claims: Box<dyn Iterator<Item = &Spanned<LicenseClaim>>> = match entity {
                Entity::Model(m) => Box::new(m.current_licenses()),
                Entity::Dataset(d) => Box::new(d.licenses.iter().filter(|l| l.until.is_none())),
            };
            licenses.extend(claims.filter_map(|c| {
                let confidence = c
                    .confidence
                    .as_ref()
                    .map_or(Confidence::Disputed, |c| c.value);
                Some((license_position(dataset, &c.license)?, confidence))
            }));
            let owner = entity.maker().and_then(|m| match dataset.get(m) {
                Some(RecordRef::Organization(i)) => Some(tops[i as usize]),
                _ => None,
            });
            owners.push(owner.unwrap_or(NO_OWNER));
        }
        starts.push(licenses.len() as u32);
        let mut family_licenses: HashMap<usize, Vec<(u32, ModelNode)>> = HashMap::new();
        for (position, model) in dataset.models.iter().enumerate() {
            let node = index.model_node(position);
            let held = &licenses[starts[position] as usize..starts[position + 1] as usize];
            // Every family the model belongs to, up the family tree (Qwen2.5-3B is in
            // Qwen2.5, itself in Qwen); the tree is acyclic (validated), the bound
            // only guards the loop.
            let mut family = model.family.as_ref();
            for _ in 0..64 {
                let Some(RecordRef::Model(at)) = family.and_then(|f| dataset.get(f)) else {
                    break;
                };
                let list = family_licenses.entry(at as usize).or_default();
                for &(license, _) in held {
                    if !list.iter().any(|&(l, _)| l == license) {
                        list.push((license, node));
                    }
                }
                family = dataset.models[at as usize].family.as_ref();
            }
        }
        Prepared {
            reaches,
            family_licenses,
            starts,
            licenses,
            owners,
            with_clauses: dataset
                .licenses
                .iter()
                .map(|l| !l.clauses.is_empty())
                .collect(),
        }
    }

    /// Bytes held, for `/api/status` and the benchmarks.
    pub fn heap_bytes(&self) -> usize {
        self.reaches.len() * 2
            + self.starts.len() * 4
            + self.licenses.len() * 8
            + self.owners.len() * 4
            + self.with_clauses.len()
            + self
                .family_licenses
                .values()
                .map(|v| v.len() * 8 + 48)
                .sum::<usize>()
    }
}

/// Each organisation's top (following the parents that hold now), by position.
fn organization_tops(dataset: &Dataset) -> Vec<u32> {
    (0..dataset.organizations.len())
        .map(|start| {
            let mut at = start as u32;
            // Hierarchies are acyclic (validated); the bound only guards the loop.
            for _ in 0..64 {
                let parent = dataset.organizations[at as usize]
                    .parents
                    .iter()
                    .find(|p| p.until.is_none())
                    .and_then(|p| match dataset.get(&p.organization) {
                        Some(RecordRef::Organization(i)) => Some(i),
                        _ => None,
                    });
                match parent {
                    Some(p) => at = p,
                    None => break,
                }
            }
            at
        })
        .collect()
}

/// The walks over one dataset and its index, with what was prepared for them.
#[derive(Clone, Copy, Debug)]
pub struct Obligations<'a> {
    pub dataset: &'a Dataset,
    pub index: &'a LineageIndex,
    pub prepared: &'a Prepared,
}

impl<'a> Obligations<'a> {
    /// Every clause that binds the model at `node`, one per (licence, clause): the
    /// best-ranked way it arrives. Ordered by licence, then clause.
    pub fn of(&self, node: ModelNode) -> Vec<Inherited> {
        let mut found: Vec<Inherited> = Vec::new();
        for &(license, claim) in self.licenses_at(node) {
            let clauses = &self.dataset.licenses[license as usize].clauses;
            for clause in 0..clauses.len() {
                found.push(self.inherited(license, clause, node, None, Vec::new(), claim));
            }
        }
        for &reach in &self.prepared.reaches {
            let reached = walk::reached(self.index, node, reach);
            for &ancestor in &reached.order {
                let members = self.family_members(ancestor);
                let holders = std::iter::once((ancestor, None))
                    .chain(members.iter().map(|&(_, m)| (m, Some(m))));
                let mut chain: Option<Vec<ClaimEdge>> = None;
                for (holder, member) in holders {
                    for &(license, claim) in self.licenses_at(holder) {
                        if !self.prepared.with_clauses[license as usize] {
                            continue;
                        }
                        let chain =
                            chain.get_or_insert_with(|| reached.chain(self.index, ancestor));
                        if self.relicensed_on_the_way(
                            node,
                            chain,
                            holder,
                            license,
                            member.is_some(),
                        ) {
                            continue;
                        }
                        let clauses = &self.dataset.licenses[license as usize].clauses;
                        for (c, clause) in clauses.iter().enumerate() {
                            if reach_of(clause) == reach && covers(self.index, clause, chain) {
                                found.push(self.inherited(
                                    license,
                                    c,
                                    ancestor,
                                    member,
                                    chain.clone(),
                                    claim,
                                ));
                            }
                        }
                    }
                }
            }
        }
        found.sort_by_key(|i| (i.license, i.clause, i.rank()));
        found.dedup_by_key(|i| (i.license, i.clause));
        found
    }

    fn inherited(
        &self,
        license: u32,
        clause: usize,
        ancestor: ModelNode,
        member: Option<ModelNode>,
        chain: Vec<ClaimEdge>,
        claim: Confidence,
    ) -> Inherited {
        let weakest = chain
            .iter()
            .map(|&e| self.index.edge_data(e).confidence)
            .chain([claim])
            .min()
            .unwrap_or(Confidence::Confirmed);
        Inherited {
            license,
            clause: clause as u32,
            ancestor,
            member,
            chain,
            license_confidence: claim,
            weakest,
        }
    }

    /// Whether the chain from `start` passes through (or starts at) a model of the
    /// same owner as `holder` that declares licences of its own, `license` not among
    /// them: the licensor relicensed its own derivative, and its terms replace the
    /// holder's there (Meta's Llama 3.2 Vision, built on Llama 3.1, is under the
    /// Llama 3.2 licence). A derivative that keeps the licence keeps its terms.
    fn relicensed_on_the_way(
        &self,
        start: ModelNode,
        chain: &[ClaimEdge],
        holder: ModelNode,
        license: u32,
        through_family: bool,
    ) -> bool {
        let Some(owner) = self.owner(holder) else {
            return false;
        };
        // The nodes before the holder: the start and every base but the last one
        // (the last is the holder itself, unless a family stands in for it).
        let before = chain.len() - usize::from(!through_family);
        let mut on_the_way = std::iter::once(start)
            .chain(chain[..before].iter().map(|&e| self.index.endpoints(e).1));
        on_the_way.any(|n| {
            let declared = self.licenses_at(n);
            self.owner(n) == Some(owner)
                && !declared.is_empty()
                && !declared.iter().any(|&(l, _)| l == license)
        })
    }

    /// The organisation at the top of a node's maker's hierarchy (following the
    /// parents that hold now), by position, if it has a maker.
    pub fn owner(&self, node: ModelNode) -> Option<u32> {
        let owner = self.prepared.owners[LineageIndex::slot(node)];
        (owner != NO_OWNER).then_some(owner)
    }

    /// The licences that hold now at a node (a model's or a dataset's), with the
    /// confidence of each claim.
    fn licenses_at(&self, node: ModelNode) -> &'a [(u32, Confidence)] {
        let slot = LineageIndex::slot(node);
        let starts = &self.prepared.starts;
        &self.prepared.licenses[starts[slot] as usize..starts[slot + 1] as usize]
    }

    /// The distinct licences of a family's members, when the node is a family.
    fn family_members(&self, node: ModelNode) -> &'a [(u32, ModelNode)] {
        self.prepared
            .family_licenses
            .get(&LineageIndex::slot(node))
            .map_or(&[], Vec::as_slice)
    }

    pub fn license(&self, inherited: &Inherited) -> &'a License {
        &self.dataset.licenses[inherited.license as usize]
    }

    pub fn clause(&self, inherited: &Inherited) -> &'a Spanned<Clause> {
        &self.license(inherited).clauses[inherited.clause as usize]
    }
}

/// The relations a clause reaches, as a set.
pub fn reach_of(clause: &Clause) -> Reach {
    Reach::of(clause.reaches.iter().map(|r| r.value))
}

/// Whether every step of `chain` is one the clause follows (the walk for the
/// clause's own `reaches` already guarantees it; a clause of another kind, such as
/// `relicensing`, is checked against a chain found for another).
pub fn covers(index: &LineageIndex, clause: &Clause, chain: &[ClaimEdge]) -> bool {
    let reach = reach_of(clause);
    chain
        .iter()
        .all(|&e| walk::follows(reach, index.edge_data(e).relation))
}

fn license_position(dataset: &Dataset, id: &str) -> Option<u32> {
    match dataset.get(id)? {
        RecordRef::License(i) => Some(i),
        _ => None,
    }
}
