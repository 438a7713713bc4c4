//! Reverse indexes over a dataset, for the questions records do not answer directly:
//! which models an organisation develops, which organisations sit below it, who holds
//! roles there, and which claims rest on a source.
//!
//! Positions, not copies: every entry is a few integers into the dataset's vectors.

use std::collections::HashMap;

use crate::dataset::{Dataset, RecordRef};
use crate::model::Claim;

/// Which claim field of a record a citation sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClaimField {
    /// The record's own claim (its plain facts).
    Record,
    Release,
    Access,
    License,
    Lineage,
    Parent,
    Role,
    Position,
}

impl ClaimField {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimField::Record => "record",
            ClaimField::Release => "release",
            ClaimField::Access => "access",
            ClaimField::License => "licenses",
            ClaimField::Lineage => "lineage",
            ClaimField::Parent => "parents",
            ClaimField::Role => "roles",
            ClaimField::Position => "positions",
        }
    }
}

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
            _ => RecordRef::License(key.position),
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
    /// Model position → positions of the licences used by it or any claim in it.
    pub models_by_license: HashMap<u32, Vec<u32>>,
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
        let cite = |indexes: &mut Indexes,
                    record: RecordRef,
                    field: ClaimField,
                    index: usize,
                    claim: &dyn Claim| {
            for source in claim.source_ids() {
                if let Some(source) = position(dataset, source.as_str()) {
                    indexes.citations.push(Citation {
                        source,
                        record: record.into(),
                        field,
                        index: index as u32,
                    });
                }
            }
        };
        for (i, model) in dataset.models.iter().enumerate() {
            let record = RecordRef::Model(i as u32);
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
            cite(
                &mut indexes,
                record,
                ClaimField::Record,
                0,
                &model.record_claim(),
            );
            if let Some(release) = &model.release {
                cite(&mut indexes, record, ClaimField::Release, 0, release);
            }
            for (j, access) in model.access.iter().enumerate() {
                cite(&mut indexes, record, ClaimField::Access, j, access);
            }
            for (j, license) in model.licenses.iter().enumerate() {
                cite(&mut indexes, record, ClaimField::License, j, license);
                if let Some(l) = position(dataset, license.license.as_str()) {
                    let models = indexes.models_by_license.entry(l).or_default();
                    if models.last() != Some(&(i as u32)) {
                        models.push(i as u32);
                    }
                }
            }
            for (j, edge) in model.lineage.iter().enumerate() {
                cite(&mut indexes, record, ClaimField::Lineage, j, edge);
            }
        }
        for (i, org) in dataset.organizations.iter().enumerate() {
            let record = RecordRef::Organization(i as u32);
            cite(
                &mut indexes,
                record,
                ClaimField::Record,
                0,
                &org.record_claim(),
            );
            for (j, parent) in org.parents.iter().enumerate() {
                cite(&mut indexes, record, ClaimField::Parent, j, parent);
                if let Some(p) = position(dataset, parent.organization.as_str()) {
                    let children = indexes.children.entry(p).or_default();
                    if !children.contains(&(i as u32)) {
                        children.push(i as u32);
                    }
                }
            }
        }
        for (i, person) in dataset.people.iter().enumerate() {
            let record = RecordRef::Person(i as u32);
            cite(
                &mut indexes,
                record,
                ClaimField::Record,
                0,
                &person.record_claim(),
            );
            for (j, role) in person.roles.iter().enumerate() {
                cite(&mut indexes, record, ClaimField::Role, j, role);
                if let Some(org) = position(dataset, role.organization.as_str()) {
                    indexes
                        .roles_by_organization
                        .entry(org)
                        .or_default()
                        .push((i as u32, j as u32));
                }
            }
            for (j, statement) in person.positions.iter().enumerate() {
                cite(&mut indexes, record, ClaimField::Position, j, statement);
            }
        }
        for (i, license) in dataset.licenses.iter().enumerate() {
            cite(
                &mut indexes,
                RecordRef::License(i as u32),
                ClaimField::Record,
                0,
                &license.record_claim(),
            );
        }
        indexes.citations.sort_unstable();
        indexes
    }

    /// The claims that cite the source at `position`.
    pub fn citations_of(&self, source: u32) -> &[Citation] {
        let start = self.citations.partition_point(|c| c.source < source);
        let end = self.citations.partition_point(|c| c.source <= source);
        &self.citations[start..end]
    }
}
