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
use crate::lineage::{ClaimEdge, LineageIndex, ModelNode};
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
/// the clauses grouped by the relations they reach, and for each family the
/// distinct licences of its members.
#[derive(Debug, Default)]
pub struct Prepared {
    /// Each distinct `reaches` of some clause.
    reaches: Vec<Reach>,
    /// Family (position in `dataset.models`) → (licence, member node) per distinct
    /// licence among its members and their members, the first member in data order.
    family_licenses: HashMap<u32, Vec<(u32, ModelNode)>>,
}

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
        let mut family_licenses: HashMap<u32, Vec<(u32, ModelNode)>> = HashMap::new();
        for (position, model) in dataset.models.iter().enumerate() {
            let licenses: Vec<u32> = model
                .current_licenses()
                .filter_map(|c| license_position(dataset, &c.license))
                .collect();
            // Every family the model belongs to, up the family tree (Qwen2.5-3B is in
            // Qwen2.5, itself in Qwen); the tree is acyclic (validated), the bound
            // only guards the loop.
            let mut family = model.family.as_ref();
            for _ in 0..64 {
                let Some(RecordRef::Model(at)) = family.and_then(|f| dataset.get(f)) else {
                    break;
                };
                let list = family_licenses.entry(at).or_default();
                for &license in &licenses {
                    if !list.iter().any(|&(l, _)| l == license) {
                        list.push((license, index.model_node(position)));
                    }
                }
                family = dataset.models[at as usize].family.as_ref();
            }
        }
        Prepared {
            reaches,
            family_licenses,
        }
    }

    /// Bytes held, for `/api/status` and the benchmarks.
    pub fn heap_bytes(&self) -> usize {
        self.reaches.len() * 2
            + self
                .family_licenses
                .values()
                .map(|v| v.len() * 8 + 48)
                .sum::<usize>()
    }
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
        let own = self.licenses_at(node);
        for (license, claim) in own {
            let clauses = &self.dataset.licenses[license as usize].clauses;
            for clause in 0..clauses.len() {
                found.push(self.inherited(license, clause, node, None, Vec::new(), claim));
            }
        }
        for &reach in &self.prepared.reaches {
            for (ancestor, chain) in walk::reached(self.index, node, reach) {
                let at =
                    |found: &mut Vec<Inherited>, holder: ModelNode, member: Option<ModelNode>| {
                        for (license, claim) in self.licenses_at(holder) {
                            if self.relicensed_on_the_way(
                                node,
                                &chain,
                                holder,
                                license,
                                member.is_some(),
                            ) {
                                continue;
                            }
                            let clauses = &self.dataset.licenses[license as usize].clauses;
                            for (c, clause) in clauses.iter().enumerate() {
                                if reach_of(clause) == reach && covers(self.index, clause, &chain) {
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
                    };
                at(&mut found, ancestor, None);
                if let Some(members) = self.family_members(ancestor) {
                    for &(_, member) in members {
                        at(&mut found, member, Some(member));
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
    /// parents that hold now), if it has a maker.
    pub fn owner(&self, node: ModelNode) -> Option<&'a str> {
        let mut org = self.index.entity(self.dataset, node).maker()?.as_str();
        // Hierarchies are acyclic (validated); the bound only guards the loop.
        for _ in 0..64 {
            let parent = self
                .dataset
                .organization(org)
                .and_then(|o| o.parents.iter().find(|p| p.until.is_none()));
            match parent {
                Some(p) => org = p.organization.as_str(),
                None => break,
            }
        }
        Some(org)
    }

    /// The licences that hold now at a node (a model's or a dataset's), with the
    /// confidence of each claim.
    fn licenses_at(&self, node: ModelNode) -> Vec<(u32, Confidence)> {
        let claims: Box<dyn Iterator<Item = &Spanned<LicenseClaim>>> =
            match self.index.entity(self.dataset, node) {
                crate::lineage::Entity::Model(m) => Box::new(m.current_licenses()),
                crate::lineage::Entity::Dataset(d) => {
                    Box::new(d.licenses.iter().filter(|l| l.until.is_none()))
                }
            };
        claims
            .filter_map(|c| {
                let license = license_position(self.dataset, &c.license)?;
                let confidence = c
                    .confidence
                    .as_ref()
                    .map_or(Confidence::Disputed, |c| c.value);
                Some((license, confidence))
            })
            .collect()
    }

    /// The distinct licences of a family's members, when the node is a family.
    fn family_members(&self, node: ModelNode) -> Option<&[(u32, ModelNode)]> {
        match self.index.entity(self.dataset, node) {
            crate::lineage::Entity::Model(m) if m.is_family() => {
                let Some(RecordRef::Model(position)) = self.dataset.get(&m.id) else {
                    return None;
                };
                self.prepared
                    .family_licenses
                    .get(&position)
                    .map(Vec::as_slice)
            }
            _ => None,
        }
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
