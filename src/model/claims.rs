//! The claims a record holds, as typed references: the one walk over claim fields that
//! validation, the reverse indexes, the RDF mapping and the API views all share.
//!
//! [`ClaimValue`] has one variant per claim field, and [`ClaimField`] is derived from
//! it, so a new claim field is one variant here plus one line in the walk; every
//! consumer matches on [`ClaimValue`] without a catch-all arm, and the compiler points
//! at each one that does not yet say what the new field means.

use super::{
    Access, Availability, Claim, CollectedFrom, DatasetRecord, DerivedFrom, GeneratedBy, Id,
    License, LicenseClaim, LineageEdge, Model, Organization, ParentClaim, Person, Position, Record,
    Release, Role, Size, Spanned, TrainedOn,
};

/// One claim, typed by the field it sits in.
///
/// Variants are named after the YAML field they come from, so the derived
/// [`ClaimField`] spells each field exactly as the data files do (`licenses`, not
/// `license`); the record's own claim (its top-level `sources` and `confidence`) is
/// `record`.
#[derive(Clone, Copy, strum::EnumDiscriminants)]
#[strum_discriminants(
    name(ClaimField),
    doc = "Which claim field of a record a claim sits in, spelled as in the data files: \
           `record` (the record's own claim), `release`, `access`, `licenses`, `lineage`, \
           `trained_on`, `parents`, `roles`, `positions`, `availability`, `size`, \
           `generated_by`, `derived_from`, `collected_from`. Diagnostics, citations in the API and claim \
           node IRIs all use this one spelling.",
    derive(
        Hash,
        PartialOrd,
        Ord,
        strum::IntoStaticStr,
        strum::Display,
        serde::Serialize,
        utoipa::ToSchema
    ),
    strum(serialize_all = "snake_case"),
    serde(rename_all = "snake_case")
)]
pub enum ClaimValue<'a> {
    /// The record's own claim, covering its plain fields (name, developer, ...).
    Record(&'a dyn Claim),
    Release(&'a Spanned<Release>),
    Access(&'a Spanned<Access>),
    Licenses(&'a Spanned<LicenseClaim>),
    Lineage(&'a Spanned<LineageEdge>),
    TrainedOn(&'a Spanned<TrainedOn>),
    Parents(&'a Spanned<ParentClaim>),
    Roles(&'a Spanned<Role>),
    Positions(&'a Spanned<Position>),
    Availability(&'a Spanned<Availability>),
    Size(&'a Spanned<Size>),
    GeneratedBy(&'a Spanned<GeneratedBy>),
    DerivedFrom(&'a Spanned<DerivedFrom>),
    CollectedFrom(&'a Spanned<CollectedFrom>),
}

impl ClaimField {
    /// The field's name as the data files spell it.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A claim inside a record: which field, where in it, and the claim itself.
#[derive(Clone, Copy, Debug)]
pub struct ClaimRef<'a> {
    /// The position in its field's list; 0 for the record's own claim and `release`.
    pub index: usize,
    pub value: ClaimValue<'a>,
}

impl<'a> ClaimRef<'a> {
    pub fn field(&self) -> ClaimField {
        ClaimField::from(&self.value)
    }

    /// The claim's provenance (sources, confidence, period, note), whatever it is about.
    pub fn claim(&self) -> &'a dyn Claim {
        match self.value {
            ClaimValue::Record(claim) => claim,
            ClaimValue::Release(claim) => claim,
            ClaimValue::Access(claim) => claim,
            ClaimValue::Licenses(claim) => claim,
            ClaimValue::Lineage(claim) => claim,
            ClaimValue::TrainedOn(claim) => claim,
            ClaimValue::Parents(claim) => claim,
            ClaimValue::Roles(claim) => claim,
            ClaimValue::Positions(claim) => claim,
            ClaimValue::Availability(claim) => claim,
            ClaimValue::Size(claim) => claim,
            ClaimValue::GeneratedBy(claim) => claim,
            ClaimValue::DerivedFrom(claim) => claim,
            ClaimValue::CollectedFrom(claim) => claim,
        }
    }

    /// The cited source ids, borrowed from the record.
    pub fn source_ids(&self) -> &'a [Spanned<Id>] {
        self.claim().source_ids()
    }
}

/// Names the field only: the provenance behind `&dyn Claim` has no `Debug`.
impl std::fmt::Debug for ClaimValue<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ClaimValue::{:?}", ClaimField::from(self))
    }
}

/// Builds a record's claim list: the record's own claim first, then each field's
/// entries in declaration order (the order the RDF mapping emits them in).
struct Walk<'a>(Vec<ClaimRef<'a>>);

impl<'a> Walk<'a> {
    fn new(own: &'a dyn Claim) -> Walk<'a> {
        Walk(vec![ClaimRef {
            index: 0,
            value: ClaimValue::Record(own),
        }])
    }

    fn each<T>(mut self, claims: &'a [T], typed: fn(&'a T) -> ClaimValue<'a>) -> Walk<'a> {
        self.0
            .extend(claims.iter().enumerate().map(|(index, claim)| ClaimRef {
                index,
                value: typed(claim),
            }));
        self
    }
}

fn model_claims<'a>(model: &'a Model, own: &'a dyn Claim) -> Vec<ClaimRef<'a>> {
    Walk::new(own)
        .each(model.release.as_slice(), ClaimValue::Release)
        .each(&model.access, ClaimValue::Access)
        .each(&model.licenses, ClaimValue::Licenses)
        .each(&model.lineage, ClaimValue::Lineage)
        .each(&model.trained_on, ClaimValue::TrainedOn)
        .0
}

fn dataset_claims<'a>(dataset: &'a DatasetRecord, own: &'a dyn Claim) -> Vec<ClaimRef<'a>> {
    Walk::new(own)
        .each(dataset.release.as_slice(), ClaimValue::Release)
        .each(&dataset.availability, ClaimValue::Availability)
        .each(&dataset.licenses, ClaimValue::Licenses)
        .each(&dataset.size, ClaimValue::Size)
        .each(&dataset.generated_by, ClaimValue::GeneratedBy)
        .each(&dataset.derived_from, ClaimValue::DerivedFrom)
        .each(&dataset.collected_from, ClaimValue::CollectedFrom)
        .0
}

fn organization_claims<'a>(
    organization: &'a Organization,
    own: &'a dyn Claim,
) -> Vec<ClaimRef<'a>> {
    Walk::new(own)
        .each(&organization.parents, ClaimValue::Parents)
        .0
}

fn person_claims<'a>(person: &'a Person, own: &'a dyn Claim) -> Vec<ClaimRef<'a>> {
    Walk::new(own)
        .each(&person.roles, ClaimValue::Roles)
        .each(&person.positions, ClaimValue::Positions)
        .0
}

fn license_claims<'a>(own: &'a dyn Claim) -> Vec<ClaimRef<'a>> {
    Walk::new(own).0
}

impl Model {
    /// Every claim of the model, its own first.
    pub fn claims(&self) -> Vec<ClaimRef<'_>> {
        model_claims(self, self)
    }
}

impl Organization {
    /// Every claim of the organisation, its own first.
    pub fn claims(&self) -> Vec<ClaimRef<'_>> {
        organization_claims(self, self)
    }
}

impl Person {
    /// Every claim of the person, its own first.
    pub fn claims(&self) -> Vec<ClaimRef<'_>> {
        person_claims(self, self)
    }
}

impl DatasetRecord {
    /// Every claim of the dataset, its own first.
    pub fn claims(&self) -> Vec<ClaimRef<'_>> {
        dataset_claims(self, self)
    }
}

impl License {
    /// The licence's claims: only its own (its terms are plain fields).
    pub fn claims(&self) -> Vec<ClaimRef<'_>> {
        license_claims(self)
    }
}

impl Record {
    /// Every claim: the record's own (spanned, for diagnostics about the record as a
    /// whole) and each claim field's entries. Sources hold none: a source describes a
    /// document, it claims nothing.
    pub fn claims(&self) -> Vec<ClaimRef<'_>> {
        match self {
            Record::Model(m) => model_claims(&m.value, &**m),
            Record::Organization(o) => organization_claims(&o.value, o),
            Record::Person(p) => person_claims(&p.value, p),
            Record::License(l) => license_claims(l),
            Record::Dataset(d) => dataset_claims(&d.value, &**d),
            Record::Source(_) => Vec::new(),
        }
    }
}
