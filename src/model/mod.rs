//! The data model: the serde types of the six record kinds in `graph-data/`.
//!
//! These types are the schema. `docs/data-model.md` documents them for contributors,
//! `pedigree schema` turns them into JSON Schema, and every later layer (RDF mapping,
//! lineage index, HTTP API) reads them. They do no IO and know nothing of files: the
//! loader hands them text, the validator checks what serde cannot.
//!
//! Every value a diagnostic may need to point at is [`Spanned`]. Spans survive only in
//! plain structs and externally tagged enums (serde buffers `flatten`, untagged and
//! internally tagged content and loses the location), so claims repeat their
//! provenance fields through the `claim!` macro rather than flattening a shared struct.
//!
//! The parts: a file per record kind (`models`, `organization`, `person`, `source`,
//! `license`, `training` for datasets and the `trained_on` claim); `provenance` (what every claim carries, and the macros that add it);
//! `record` (a record of any kind and the walks over its fields); `claims` (the one
//! typed walk over claims); `words` (the one spelling of every closed vocabulary);
//! `id`, `date`, `spanned` (the value types).

#[macro_use]
mod provenance;
mod claims;
mod date;
mod id;
mod license;
mod models;
mod organization;
mod person;
mod record;
mod source;
mod spanned;
mod training;
mod words;

pub use claims::{ClaimField, ClaimRef, ClaimValue};
pub use date::{DateError, DateValue, PartialDate, Precision};
pub use id::{Id, MAX_ID_LEN};
pub use spanned::{Span, Spanned};
pub use words::Word;
pub(crate) use words::words;

pub use license::{Bearing, Clause, ClauseKind, License, OutputsUse, Trigger};
pub use models::{
    Access, AccessLevel, LicenseClaim, LineageEdge, Modality, ModalitySpec, Model, ModelKind,
    Parameters, Relation, Release, ReleaseStatus,
};
pub use organization::{Organization, OrganizationKind, ParentClaim, Ticker};
pub use person::{Person, Position, Role};
pub use provenance::{Claim, Confidence, RecordClaim};
pub use record::{ExternalIds, Kind, Record, Reference};
pub use source::{Source, SourceKind};
pub use training::{
    Availability, AvailabilityLevel, CollectedFrom, DatasetRecord, DerivedFrom, GeneratedBy, Size,
    SizeUnit, Stage, TrainedOn,
};
