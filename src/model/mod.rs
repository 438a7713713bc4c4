//! The data model: the serde types of the five record kinds in `graph-data/`.
//!
//! These types are the schema. `docs/data-model.md` documents them for contributors,
//! `pedigree schema` turns them into JSON Schema, and every later layer (RDF mapping,
//! lineage index, HTTP API) reads them. They do no IO and know nothing of files: the
//! loader hands them text, the validator checks what serde cannot.
//!
//! Every value a diagnostic may need to point at is [`Spanned`]. Spans survive only in
//! plain structs and externally tagged enums (serde buffers `flatten`, untagged and
//! internally tagged content and loses the location), so claims repeat their
//! provenance fields through the [`claim!`] macro rather than flattening a shared struct.

mod claims;
mod date;
mod id;
mod spanned;
mod words;

pub use claims::{ClaimField, ClaimRef, ClaimValue};
pub use date::{DateError, DateValue, PartialDate, Precision};
pub use id::{Id, MAX_ID_LEN};
pub use spanned::{Span, Spanned};
pub use words::Word;
pub(crate) use words::words;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};
use utoipa::ToSchema;

/// The five kinds of record, one folder each under `graph-data/`.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    ToSchema,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Kind {
    Model,
    Organization,
    Person,
    Source,
    License,
}

words!(Kind);

impl Kind {
    /// The folder under `graph-data/` that holds records of this kind.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Model => "models",
            Kind::Organization => "organizations",
            Kind::Person => "people",
            Kind::Source => "sources",
            Kind::License => "licenses",
        }
    }

    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.folder() == folder)
    }

    /// The singular noun used in messages and schema file names: the kind's word.
    pub fn noun(self) -> &'static str {
        self.as_str()
    }

    /// "a model", "an organization": for messages.
    pub fn with_article(self) -> &'static str {
        match self {
            Kind::Model => "a model",
            Kind::Organization => "an organization",
            Kind::Person => "a person",
            Kind::Source => "a source",
            Kind::License => "a license",
        }
    }
}

/// How sure the cited sources are of a claim.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Deserialize,
    Serialize,
    JsonSchema,
    ToSchema,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Confidence {
    /// Sources contradict each other, or the party denies it.
    Disputed,
    /// Circulating, thinly sourced.
    Rumored,
    /// Stated by credible press, not confirmed by the party.
    Reported,
    /// Stated by the party itself or a primary document (official, model card, paper).
    Confirmed,
}

// Listed strongest first; a test checks the list holds every variant once.
words!(
    Confidence,
    &[
        Confidence::Confirmed,
        Confidence::Reported,
        Confidence::Rumored,
        Confidence::Disputed,
    ]
);

/// What a claim's provenance looks like to the validator and the RDF mapping, whatever
/// the claim is about.
pub trait Claim {
    /// The span of the claim as a whole, for diagnostics about missing fields.
    fn claim_span(&self) -> Span;
    fn sources(&self) -> Option<&Spanned<Vec<Spanned<Id>>>>;
    fn confidence(&self) -> Option<&Spanned<Confidence>>;
    fn from(&self) -> Option<&Spanned<DateValue>> {
        None
    }
    fn until(&self) -> Option<&Spanned<DateValue>> {
        None
    }
    fn note(&self) -> Option<&str>;

    /// The cited source ids, or none when the field is missing.
    fn source_ids(&self) -> &[Spanned<Id>] {
        self.sources().map_or(&[], |s| s.value.as_slice())
    }
}

/// Defines a claim struct: its own fields plus the provenance fields every claim has.
macro_rules! claim {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* pub $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )*
            /// Ids of the sources that state this claim; at least one.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schemars(required, length(min = 1))]
            pub sources: Option<Spanned<Vec<Spanned<Id>>>>,
            /// How sure the sources are: `confirmed` (needs an official, model-card or
            /// paper source), `reported`, `rumored` or `disputed`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schemars(required)]
            pub confidence: Option<Spanned<Confidence>>,
            /// The date from which the claim holds.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub from: Option<Spanned<DateValue>>,
            /// The date after which the claim no longer holds.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub until: Option<Spanned<DateValue>>,
            /// Free text for what the fields cannot say: a short quote, a caveat.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub note: Option<String>,
        }

        impl Claim for Spanned<$name> {
            fn claim_span(&self) -> Span {
                self.span
            }
            fn sources(&self) -> Option<&Spanned<Vec<Spanned<Id>>>> {
                self.value.sources.as_ref()
            }
            fn confidence(&self) -> Option<&Spanned<Confidence>> {
                self.value.confidence.as_ref()
            }
            fn from(&self) -> Option<&Spanned<DateValue>> {
                self.value.from.as_ref()
            }
            fn until(&self) -> Option<&Spanned<DateValue>> {
                self.value.until.as_ref()
            }
            fn note(&self) -> Option<&str> {
                self.value.note.as_deref()
            }
        }
    };
}

/// Defines a record struct: its own fields plus the record-level claim (`sources`,
/// `confidence`, `note`) that covers the record's plain fields.
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* pub $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )*
            /// Ids of the sources for this record's plain fields (name, developer,
            /// parameters, ...); at least one.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schemars(required, length(min = 1))]
            pub sources: Option<Spanned<Vec<Spanned<Id>>>>,
            /// How sure those sources are of the record's plain fields.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schemars(required)]
            pub confidence: Option<Spanned<Confidence>>,
            /// Free text for what the fields cannot say.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub note: Option<String>,
        }

        impl Claim for Spanned<$name> {
            fn claim_span(&self) -> Span {
                self.span
            }
            fn sources(&self) -> Option<&Spanned<Vec<Spanned<Id>>>> {
                self.value.sources.as_ref()
            }
            fn confidence(&self) -> Option<&Spanned<Confidence>> {
                self.value.confidence.as_ref()
            }
            fn note(&self) -> Option<&str> {
                self.value.note.as_deref()
            }
        }

        /// The record's own claim without a span, for code that holds the record
        /// without its location (everything after validation).
        impl Claim for $name {
            fn claim_span(&self) -> Span {
                Span::default()
            }
            fn sources(&self) -> Option<&Spanned<Vec<Spanned<Id>>>> {
                self.sources.as_ref()
            }
            fn confidence(&self) -> Option<&Spanned<Confidence>> {
                self.confidence.as_ref()
            }
            fn note(&self) -> Option<&str> {
                self.note.as_deref()
            }
        }

        impl $name {
            /// The record's own claim, for code that holds the record without its span.
            pub fn record_claim(&self) -> RecordClaim<'_> {
                RecordClaim {
                    sources: self.sources.as_ref(),
                    confidence: self.confidence.as_ref(),
                    note: self.note.as_deref(),
                }
            }
        }
    };
}

/// A record's own claim (its `sources`, `confidence` and `note`), borrowed.
#[derive(Clone, Copy, Debug)]
pub struct RecordClaim<'a> {
    sources: Option<&'a Spanned<Vec<Spanned<Id>>>>,
    confidence: Option<&'a Spanned<Confidence>>,
    note: Option<&'a str>,
}

impl Claim for RecordClaim<'_> {
    fn claim_span(&self) -> Span {
        Span::default()
    }
    fn sources(&self) -> Option<&Spanned<Vec<Spanned<Id>>>> {
        self.sources
    }
    fn confidence(&self) -> Option<&Spanned<Confidence>> {
        self.confidence
    }
    fn note(&self) -> Option<&str> {
        self.note
    }
}

// ---------------------------------------------------------------------------------
// Models

/// Whether a model record is one concrete model or a family of models.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    Deserialize,
    Serialize,
    JsonSchema,
    ToSchema,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum ModelKind {
    /// One concrete model (`llama-4-scout`).
    #[default]
    Model,
    /// A family or series (`qwen`, `llama-4`); lineage edges may point at a family when
    /// sources do not name the exact model.
    Family,
}

words!(ModelKind);

/// A lineage relation between a model and its base. The first four are Hugging Face's
/// `base_model_relation` values, spelled as Hugging Face spells them.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Deserialize,
    Serialize,
    JsonSchema,
    ToSchema,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Relation {
    /// Weights initialised from the base, then trained further on task data.
    Finetune,
    /// A LoRA or similar adapter on top of the base's frozen weights.
    Adapter,
    /// Weights combined from two or more bases.
    Merge,
    /// The base's weights at lower precision, without further training.
    Quantized,
    /// Trained to imitate the base (the teacher) into new weights.
    Distillation,
    /// Trained on data generated by the base.
    TrainedOnOutputs,
    /// The base's weights trained further on a large general corpus.
    ContinuedPretraining,
}

words!(Relation);

/// Where a model stands in its release.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Deserialize,
    Serialize,
    JsonSchema,
    ToSchema,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum ReleaseStatus {
    /// Available (as weights or through a product or API) since `date`.
    Released,
    /// Made public by its developer, not yet available.
    Announced,
    /// Expected, reported by others, not yet announced by its developer.
    Planned,
    /// Announced or planned, then abandoned.
    Cancelled,
}

words!(ReleaseStatus);

/// How the weights of a model can be had.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Deserialize,
    Serialize,
    JsonSchema,
    ToSchema,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum AccessLevel {
    /// Anyone can download the weights (possibly after accepting a licence).
    OpenWeights,
    /// Weights withheld; offered only through the developer's products or API.
    Closed,
    /// Not available in any form yet.
    Unreleased,
}

words!(AccessLevel);

/// A kind of input or output a model handles.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Deserialize,
    Serialize,
    JsonSchema,
    ToSchema,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Modality {
    Text,
    Image,
    Audio,
    Video,
}

words!(Modality);

/// Parameter counts as the developer states them.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parameters {
    /// Total parameters (`8B` is `8000000000`).
    pub total: Option<Spanned<u64>>,
    /// Parameters active per token, for mixture-of-experts models.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<Spanned<u64>>,
}

/// What a model takes in and gives out.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModalitySpec {
    #[serde(default)]
    pub input: Vec<Spanned<Modality>>,
    #[serde(default)]
    pub output: Vec<Spanned<Modality>>,
}

/// Identifiers of the same thing in other databases.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalIds {
    /// Hugging Face repository id (`owner/name`) of a model, or organisation name on the Hub.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub huggingface: Option<Spanned<String>>,
    /// Wikidata item id (`Q` and digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<Spanned<String>>,
}

claim! {
    /// When a model was (or is expected to be) released.
    pub struct Release {
        /// `released`, `announced`, `planned` or `cancelled`.
        pub status: Spanned<ReleaseStatus>,
        /// The release date; required when `released`, not allowed otherwise.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub date: Option<Spanned<DateValue>>,
        /// The expected release date, for `announced` and `planned`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub expected: Option<Spanned<DateValue>>,
        /// The date the model was first announced, if different from its release.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub announced: Option<Spanned<DateValue>>,
    }
}

claim! {
    /// How the weights can be had, over a period.
    pub struct Access {
        /// `open-weights`, `closed` or `unreleased`.
        pub level: Spanned<AccessLevel>,
    }
}

claim! {
    /// A licence the model is distributed under.
    pub struct LicenseClaim {
        /// Id of a record in `licenses/`.
        pub license: Spanned<Id>,
    }
}

claim! {
    /// A lineage edge from this model to a base model (or family).
    pub struct LineageEdge {
        /// Id of the base model or family.
        pub base: Spanned<Id>,
        /// How this model derives from the base.
        pub relation: Spanned<Relation>,
    }
}

record! {
    /// A model or a family of models (`graph-data/models/`).
    pub struct Model {
        /// Unique id (`llama-4-scout`).
        pub id: Spanned<Id>,
        /// Display name as the developer writes it.
        pub name: Spanned<String>,
        /// Other names and spellings people search for.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub aliases: Vec<Spanned<String>>,
        /// `model` (default) or `family`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub kind: Option<Spanned<ModelKind>>,
        /// Id of the family (a model record of kind `family`) this model belongs to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub family: Option<Spanned<Id>>,
        /// Id of the organisation (or team) that built it.
        pub developer: Spanned<Id>,
        /// One or two sentences.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<Spanned<String>>,
        /// Parameter counts as the developer states them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub parameters: Option<Spanned<Parameters>>,
        /// Input and output modalities.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub modality: Option<Spanned<ModalitySpec>>,
        /// Official page about the model.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub homepage: Option<Spanned<String>>,
        /// Ids in other databases.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub external_ids: Option<Spanned<ExternalIds>>,
        /// Release status and date.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub release: Option<Spanned<Release>>,
        /// How the weights can be had, over time.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub access: Vec<Spanned<Access>>,
        /// Licences, over time.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub licenses: Vec<Spanned<LicenseClaim>>,
        /// Edges to base models.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub lineage: Vec<Spanned<LineageEdge>>,
    }
}

impl Model {
    pub fn model_kind(&self) -> ModelKind {
        self.kind.as_ref().map(|k| k.value).unwrap_or_default()
    }

    pub fn is_family(&self) -> bool {
        self.model_kind() == ModelKind::Family
    }
}

// ---------------------------------------------------------------------------------
// Organisations

/// What sort of organisation.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Deserialize,
    Serialize,
    JsonSchema,
    ToSchema,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum OrganizationKind {
    Company,
    Lab,
    University,
    NonProfit,
    Team,
    Government,
}

words!(OrganizationKind);

/// A listing on a stock exchange.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ticker {
    /// ISO 10383 market identifier code of the exchange (`XNAS`, `XNYS`, `XHKG`).
    pub exchange: Spanned<String>,
    /// The symbol on that exchange (`BABA`, `9988`).
    pub symbol: Spanned<String>,
}

claim! {
    /// The organisation this one belongs to, over a period.
    pub struct ParentClaim {
        /// Id of the parent organisation.
        pub organization: Spanned<Id>,
    }
}

record! {
    /// A company, lab, university, non-profit or team (`graph-data/organizations/`).
    pub struct Organization {
        pub id: Spanned<Id>,
        pub name: Spanned<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub aliases: Vec<Spanned<String>>,
        /// `company`, `lab`, `university`, `non-profit`, `team` or `government`.
        pub kind: Spanned<OrganizationKind>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<Spanned<String>>,
        /// ISO 3166-1 alpha-2 country code (`US`, `CN`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub country: Option<Spanned<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub website: Option<Spanned<String>>,
        /// Stock listings.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub tickers: Vec<Spanned<Ticker>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub external_ids: Option<Spanned<ExternalIds>>,
        /// Parent organisations, over time.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub parents: Vec<Spanned<ParentClaim>>,
    }
}

// ---------------------------------------------------------------------------------
// People

claim! {
    /// A role a person held at an organisation.
    pub struct Role {
        /// Id of the organisation.
        pub organization: Spanned<Id>,
        /// The title as the organisation or the press gives it (`Chief AI Officer`).
        pub title: Spanned<String>,
    }
}

claim! {
    /// A publicly reported position a person holds.
    pub struct Position {
        /// The position in a sentence ("favours closed models over open-weight releases").
        pub statement: Spanned<String>,
        /// Ids of the records the position concerns.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub about: Vec<Spanned<Id>>,
    }
}

record! {
    /// A person (`graph-data/people/`).
    pub struct Person {
        pub id: Spanned<Id>,
        pub name: Spanned<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub aliases: Vec<Spanned<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<Spanned<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub external_ids: Option<Spanned<ExternalIds>>,
        /// Roles over time.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub roles: Vec<Spanned<Role>>,
        /// Publicly reported positions.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub positions: Vec<Spanned<Position>>,
    }
}

// ---------------------------------------------------------------------------------
// Sources

/// What sort of document a source is.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Deserialize,
    Serialize,
    JsonSchema,
    ToSchema,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum SourceKind {
    /// Announcement, blog post, licence text or filing by the party itself.
    Official,
    /// The model's card on its hub.
    ModelCard,
    /// A paper or technical report.
    Paper,
    /// Original reporting by the press.
    Press,
    /// Press relaying another outlet's reporting.
    SecondaryPress,
    /// Encyclopedias and databases.
    Reference,
}

words!(SourceKind);

impl SourceKind {
    /// Whether a source of this kind can carry a `confirmed` claim on its own.
    pub fn is_primary(self) -> bool {
        matches!(
            self,
            SourceKind::Official | SourceKind::ModelCard | SourceKind::Paper
        )
    }
}

/// A document that claims cite (`graph-data/sources/`).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: Spanned<Id>,
    /// The document's own title, in its own language.
    pub title: Spanned<String>,
    /// Who published it (`Bloomberg`, `Meta AI`).
    pub publisher: Spanned<String>,
    /// Where a reader can check it.
    pub url: Spanned<String>,
    /// Publication date as printed on the document.
    pub published: Spanned<DateValue>,
    /// BCP 47 language tag (`en`, `de`, `zh`).
    pub language: Spanned<String>,
    /// `official`, `model-card`, `paper`, `press`, `secondary-press` or `reference`.
    pub kind: Spanned<SourceKind>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Spanned<String>>,
    /// Ids of the sources this one relays.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<Spanned<Id>>,
    /// Names of outlets or documents this one relays that have no source record (the
    /// original's address was never seen, or it is not public): `[CNBC]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relays: Vec<Spanned<String>>,
    /// A web-archive copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_url: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

// ---------------------------------------------------------------------------------
// Licences

/// The terms of a licence that matter for lineage; absent fields are not settled.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LicenseTerms {
    /// Whether commercial use is permitted (possibly under the conditions below).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commercial_use: Option<Spanned<bool>>,
    /// Text that must be displayed (`Built with Llama`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Spanned<String>>,
    /// Naming rule for derivatives (a required `Llama` prefix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derivative_naming: Option<Spanned<String>>,
    /// URL of the acceptable-use policy the licence incorporates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptable_use_policy: Option<Spanned<String>>,
    /// Monthly active users above which a separate licence must be requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_threshold: Option<Spanned<u64>>,
}

record! {
    /// A licence (`graph-data/licenses/`).
    pub struct License {
        pub id: Spanned<Id>,
        /// The licence's own name.
        pub name: Spanned<String>,
        /// SPDX licence id (`Apache-2.0`) or `LicenseRef-` and a name.
        pub spdx: Spanned<String>,
        /// Where the licence text is.
        pub url: Spanned<String>,
        /// Whether the Open Source Initiative approved it; must agree with the SPDX list.
        pub osi_approved: Spanned<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub terms: Option<Spanned<LicenseTerms>>,
    }
}

/// One record of any kind, as read from one YAML document.
#[derive(Clone, Debug)]
pub enum Record {
    /// Boxed: a model is several times larger than the other kinds, and records are
    /// held in one vector.
    Model(Box<Spanned<Model>>),
    Organization(Spanned<Organization>),
    Person(Spanned<Person>),
    Source(Spanned<Source>),
    License(Spanned<License>),
}

impl Record {
    pub fn kind(&self) -> Kind {
        match self {
            Record::Model(_) => Kind::Model,
            Record::Organization(_) => Kind::Organization,
            Record::Person(_) => Kind::Person,
            Record::Source(_) => Kind::Source,
            Record::License(_) => Kind::License,
        }
    }

    pub fn id(&self) -> &Spanned<Id> {
        match self {
            Record::Model(r) => &r.id,
            Record::Organization(r) => &r.id,
            Record::Person(r) => &r.id,
            Record::Source(r) => &r.id,
            Record::License(r) => &r.id,
        }
    }

    /// The display name (a source's title).
    pub fn name(&self) -> &str {
        match self {
            Record::Model(r) => &r.name,
            Record::Organization(r) => &r.name,
            Record::Person(r) => &r.name,
            Record::Source(r) => &r.title,
            Record::License(r) => &r.name,
        }
    }
}

// ---------------------------------------------------------------------------------
// Walking a record: the references, claims, dates and URLs it holds, so that the
// validator and the RDF mapping treat every field of every kind alike.

/// A reference from one record to another, with the kind it must name.
#[derive(Clone, Copy, Debug)]
pub struct Reference<'a> {
    pub id: &'a Spanned<Id>,
    /// The kind the reference must name; `None` when any kind will do.
    pub expected: Option<Kind>,
    /// The field it sits in, for messages: `lineage.base`.
    pub field: &'static str,
}

impl Record {
    /// Every reference to another record, in document order.
    pub fn references(&self) -> Vec<Reference<'_>> {
        let mut out: Vec<Reference<'_>> = Vec::new();
        let mut add = |id, expected, field| {
            out.push(Reference {
                id,
                expected,
                field,
            })
        };
        for claim in self.claims() {
            for source in claim.source_ids() {
                add(source, Some(Kind::Source), "sources");
            }
        }
        match self {
            Record::Model(m) => {
                if let Some(family) = &m.family {
                    add(family, Some(Kind::Model), "family");
                }
                add(&m.developer, Some(Kind::Organization), "developer");
                for claim in &m.licenses {
                    add(&claim.license, Some(Kind::License), "licenses.license");
                }
                for edge in &m.lineage {
                    add(&edge.base, Some(Kind::Model), "lineage.base");
                }
            }
            Record::Organization(o) => {
                for parent in &o.parents {
                    add(
                        &parent.organization,
                        Some(Kind::Organization),
                        "parents.organization",
                    );
                }
            }
            Record::Person(p) => {
                for role in &p.roles {
                    add(
                        &role.organization,
                        Some(Kind::Organization),
                        "roles.organization",
                    );
                }
                for position in &p.positions {
                    for about in &position.about {
                        add(about, None, "positions.about");
                    }
                }
            }
            Record::Source(s) => {
                for cited in &s.cites {
                    add(cited, Some(Kind::Source), "cites");
                }
            }
            Record::License(_) => {}
        }
        out
    }
}

impl Record {
    /// Every date field, with its name for messages.
    pub fn dates(&self) -> Vec<(&'static str, &Spanned<DateValue>)> {
        let mut out = Vec::new();
        for claim in self.claims() {
            if let Some(from) = claim.claim().from() {
                out.push(("from", from));
            }
            if let Some(until) = claim.claim().until() {
                out.push(("until", until));
            }
        }
        match self {
            Record::Model(m) => {
                if let Some(release) = &m.release {
                    let fields = [
                        ("release.date", &release.date),
                        ("release.expected", &release.expected),
                        ("release.announced", &release.announced),
                    ];
                    out.extend(
                        fields
                            .into_iter()
                            .filter_map(|(n, d)| d.as_ref().map(|d| (n, d))),
                    );
                }
            }
            Record::Source(s) => out.push(("published", &s.published)),
            Record::Organization(_) | Record::Person(_) | Record::License(_) => {}
        }
        out
    }

    /// Every URL field, with its name for messages.
    pub fn urls(&self) -> Vec<(&'static str, &Spanned<String>)> {
        let mut out = Vec::new();
        match self {
            Record::Model(m) => out.extend(m.homepage.as_ref().map(|u| ("homepage", u))),
            Record::Organization(o) => out.extend(o.website.as_ref().map(|u| ("website", u))),
            Record::Source(s) => {
                out.push(("url", &s.url));
                out.extend(s.archived_url.as_ref().map(|u| ("archived_url", u)));
            }
            Record::License(l) => {
                out.push(("url", &l.url));
                let policy = l
                    .terms
                    .as_ref()
                    .and_then(|t| t.acceptable_use_policy.as_ref());
                out.extend(policy.map(|u| ("terms.acceptable_use_policy", u)));
            }
            Record::Person(_) => {}
        }
        out
    }

    /// Every free-text field that must not be blank, with its name for messages.
    pub fn texts(&self) -> Vec<(&'static str, &Spanned<String>)> {
        let mut out: Vec<(&'static str, &Spanned<String>)> = Vec::new();
        fn aliases(
            list: &[Spanned<String>],
        ) -> impl Iterator<Item = (&'static str, &Spanned<String>)> {
            list.iter().map(|alias| ("aliases", alias))
        }
        match self {
            Record::Model(m) => {
                out.push(("name", &m.name));
                out.extend(aliases(&m.aliases));
            }
            Record::Organization(o) => {
                out.push(("name", &o.name));
                out.extend(aliases(&o.aliases));
            }
            Record::Person(p) => {
                out.push(("name", &p.name));
                out.extend(aliases(&p.aliases));
                out.extend(p.roles.iter().map(|r| ("roles.title", &r.title)));
                out.extend(
                    p.positions
                        .iter()
                        .map(|q| ("positions.statement", &q.statement)),
                );
            }
            Record::Source(s) => {
                out.push(("title", &s.title));
                out.push(("publisher", &s.publisher));
                out.extend(s.authors.iter().map(|a| ("authors", a)));
                out.extend(s.relays.iter().map(|r| ("relays", r)));
            }
            Record::License(l) => out.push(("name", &l.name)),
        }
        out
    }

    /// The record's own span (its first key), for diagnostics about the whole record.
    pub fn span(&self) -> Span {
        match self {
            Record::Model(r) => r.span,
            Record::Organization(r) => r.span,
            Record::Person(r) => r.span,
            Record::Source(r) => r.span,
            Record::License(r) => r.span,
        }
    }
}
