//! Reverse indexes over a dataset, for the questions records do not answer directly:
//! which models an organisation develops, which organisations sit below it, who holds
//! roles there, and which claims rest on a source.
//!
//! Positions, not copies: every entry is a few integers into the dataset's vectors.

use std::collections::HashMap;

use crate::dataset::{Dataset, RecordRef};
use crate::model::{ClaimField, ClaimRef, ClaimValue};

/// A claim that cites a source: the record, the field and the position in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Citation {
    pub source: u32,
    pub record: RecordKey,
    pub field: ClaimField,
    pub index: u32,
}

/// A record's kind and position, orderable (unlike [`RecordRef`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordKey {
    pub kind: u8,
    pub position: u32,
}

impl From<RecordRef> for RecordKey {
    fn from(record: RecordRef) -> RecordKey {
        let (kind, position) = match record {
            RecordRef::Model(i) => (0, i),
            RecordRef::Organization(i) => (1, i),
            RecordRef::Person(i) => (2, i),
            RecordRef::Source(i) => (3, i),
            RecordRef::License(i) => (4, i),
            RecordRef::Dataset(i) => (5, i),
        };
        RecordKey { kind, position }
    }
}

impl From<RecordKey> for RecordRef {
    fn from(key: RecordKey) -> RecordRef {
        match key.kind {
            0 => RecordRef::Model(key.position),
            1 => RecordRef::Organization(key.position),
            2 => RecordRef::Person(key.position),
            3 => RecordRef::Source(key.position),
            4 => RecordRef::License(key.position),
            _ => RecordRef::Dataset(key.position),
        }
    }
}

/// The reverse indexes of one dataset.
#[derive(Debug, Default)]
pub struct Indexes {
    /// Organisation position → positions of the models it develops directly.
    pub models_by_developer: HashMap<u32, Vec<u32>>,
    /// Organisation position → positions of organisations that name it as a parent.
    pub children: HashMap<u32, Vec<u32>>,
    /// Organisation position → (person position, role index) of roles held there.
    pub roles_by_organization: HashMap<u32, Vec<(u32, u32)>>,
    /// Licence position → positions of the models that use it (in any licence claim).
    pub models_by_license: HashMap<u32, Vec<u32>>,
    /// Licence position → positions of the datasets under it (in any licence claim).
    pub datasets_by_license: HashMap<u32, Vec<u32>>,
    /// Organisation position → positions of the datasets it made.
    pub datasets_by_creator: HashMap<u32, Vec<u32>>,
    /// Family position → positions of its direct members.
    pub members: HashMap<u32, Vec<u32>>,
    /// Every citation, sorted by source position.
    citations: Vec<Citation>,
}

fn position(dataset: &Dataset, id: &str) -> Option<u32> {
    dataset.get(id).map(|r| RecordKey::from(r).position)
}

impl Indexes {
    pub fn build(dataset: &Dataset) -> Indexes {
        let mut indexes = Indexes::default();
        for (i, model) in dataset.models.iter().enumerate() {
            if let Some(org) = position(dataset, model.developer.as_str()) {
                indexes
                    .models_by_developer
                    .entry(org)
                    .or_default()
                    .push(i as u32);
            }
            if let Some(family) = model
                .family
                .as_ref()
                .and_then(|f| position(dataset, f.as_str()))
            {
                indexes.members.entry(family).or_default().push(i as u32);
            }
            indexes.add_claims(dataset, RecordRef::Model(i as u32), model.claims());
        }
        for (i, org) in dataset.organizations.iter().enumerate() {
            indexes.add_claims(dataset, RecordRef::Organization(i as u32), org.claims());
        }
        for (i, person) in dataset.people.iter().enumerate() {
            indexes.add_claims(dataset, RecordRef::Person(i as u32), person.claims());
        }
        for (i, data) in dataset.datasets.iter().enumerate() {
            if let Some(org) = data
                .creator
                .as_ref()
                .and_then(|c| position(dataset, c.as_str()))
            {
                indexes
                    .datasets_by_creator
                    .entry(org)
                    .or_default()
                    .push(i as u32);
            }
            indexes.add_claims(dataset, RecordRef::Dataset(i as u32), data.claims());
        }
        for (i, license) in dataset.licenses.iter().enumerate() {
            indexes.add_claims(dataset, RecordRef::License(i as u32), license.claims());
        }
        indexes.citations.sort_unstable();
        indexes
    }

    /// Indexes the claims of one record: every citation, and the reverse edges the
    /// claim fields that name another record give.
    fn add_claims(&mut self, dataset: &Dataset, record: RecordRef, claims: Vec<ClaimRef<'_>>) {
        let at = RecordKey::from(record).position;
        for claim in claims {
            for source in claim.source_ids() {
                if let Some(source) = position(dataset, source.as_str()) {
                    self.citations.push(Citation {
                        source,
                        record: record.into(),
                        field: claim.field(),
                        index: claim.index as u32,
                    });
                }
            }
            match claim.value {
                ClaimValue::Licenses(license) => {
                    let by_license = match record {
                        RecordRef::Dataset(_) => &mut self.datasets_by_license,
                        _ => &mut self.models_by_license,
                    };
                    if let Some(l) = position(dataset, license.license.as_str()) {
                        let records = by_license.entry(l).or_default();
                        if records.last() != Some(&at) {
                            records.push(at);
                        }
                    }
                }
                ClaimValue::Parents(parent) => {
                    if let Some(p) = position(dataset, parent.organization.as_str()) {
                        let children = self.children.entry(p).or_default();
                        if !children.contains(&at) {
                            children.push(at);
                        }
                    }
                }
                ClaimValue::Roles(role) => {
                    if let Some(org) = position(dataset, role.organization.as_str()) {
                        self.roles_by_organization
                            .entry(org)
                            .or_default()
                            .push((at, claim.index as u32));
                    }
                }
                // Claims that name no other record, or (lineage and training data)
                // whose reverse edges the lineage index holds.
                ClaimValue::Record(_)
                | ClaimValue::Release(_)
                | ClaimValue::Access(_)
                | ClaimValue::Lineage(_)
                | ClaimValue::TrainedOn(_)
                | ClaimValue::Positions(_)
                | ClaimValue::Availability(_)
                | ClaimValue::Size(_)
                | ClaimValue::GeneratedBy(_)
                | ClaimValue::DerivedFrom(_)
                | ClaimValue::CollectedFrom(_) => {}
            }
        }
    }

    /// The claims that cite the source at `position`.
    pub fn citations_of(&self, source: u32) -> &[Citation] {
        let start = self.citations.partition_point(|c| c.source < source);
        let end = self.citations.partition_point(|c| c.source <= source);
        &self.citations[start..end]
    }
}
