//! What every claim carries (sources, confidence, period, note): the [`Claim`] trait,
//! the confidence scale, and the `claim!` and `record!` macros that give each claim
//! and record struct those fields.

use super::{DateValue, Id, Span, Spanned, words};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};
use utoipa::ToSchema;

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
    fn sources(&self) -> Option<&Spanned<Box<[Spanned<Id>]>>>;
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
        self.sources().map_or(&[], |s| &s.value[..])
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
        #[derive(Clone, Debug, ::serde::Deserialize, ::serde::Serialize, ::schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )*
            /// Ids of the sources that state this claim; at least one.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schemars(required, length(min = 1))]
            pub sources: Option<$crate::model::Spanned<Box<[$crate::model::Spanned<$crate::model::Id>]>>>,
            /// How sure the sources are: `confirmed` (needs an official, model-card or
            /// paper source), `reported`, `rumored` or `disputed`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schemars(required)]
            pub confidence: Option<$crate::model::Spanned<$crate::model::Confidence>>,
            /// The date from which the claim holds.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub from: Option<Box<$crate::model::Spanned<$crate::model::DateValue>>>,
            /// The date after which the claim no longer holds.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub until: Option<Box<$crate::model::Spanned<$crate::model::DateValue>>>,
            /// Free text for what the fields cannot say: a short quote, a caveat.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub note: Option<String>,
        }

        impl $crate::model::Claim for $crate::model::Spanned<$name> {
            fn claim_span(&self) -> $crate::model::Span {
                self.span
            }
            fn sources(&self) -> Option<&$crate::model::Spanned<Box<[$crate::model::Spanned<$crate::model::Id>]>>> {
                self.value.sources.as_ref()
            }
            fn confidence(&self) -> Option<&$crate::model::Spanned<$crate::model::Confidence>> {
                self.value.confidence.as_ref()
            }
            fn from(&self) -> Option<&$crate::model::Spanned<$crate::model::DateValue>> {
                self.value.from.as_deref()
            }
            fn until(&self) -> Option<&$crate::model::Spanned<$crate::model::DateValue>> {
                self.value.until.as_deref()
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
        #[derive(Clone, Debug, ::serde::Deserialize, ::serde::Serialize, ::schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )*
            /// Ids of the sources for this record's plain fields (name, developer,
            /// parameters, ...); at least one.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schemars(required, length(min = 1))]
            pub sources: Option<$crate::model::Spanned<Box<[$crate::model::Spanned<$crate::model::Id>]>>>,
            /// How sure those sources are of the record's plain fields.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schemars(required)]
            pub confidence: Option<$crate::model::Spanned<$crate::model::Confidence>>,
            /// Free text for what the fields cannot say.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub note: Option<String>,
        }

        impl $crate::model::Claim for $crate::model::Spanned<$name> {
            fn claim_span(&self) -> $crate::model::Span {
                self.span
            }
            fn sources(&self) -> Option<&$crate::model::Spanned<Box<[$crate::model::Spanned<$crate::model::Id>]>>> {
                self.value.sources.as_ref()
            }
            fn confidence(&self) -> Option<&$crate::model::Spanned<$crate::model::Confidence>> {
                self.value.confidence.as_ref()
            }
            fn note(&self) -> Option<&str> {
                self.value.note.as_deref()
            }
        }

        /// The record's own claim without a span, for code that holds the record
        /// without its location (everything after validation).
        impl $crate::model::Claim for $name {
            fn claim_span(&self) -> $crate::model::Span {
                $crate::model::Span::default()
            }
            fn sources(&self) -> Option<&$crate::model::Spanned<Box<[$crate::model::Spanned<$crate::model::Id>]>>> {
                self.sources.as_ref()
            }
            fn confidence(&self) -> Option<&$crate::model::Spanned<$crate::model::Confidence>> {
                self.confidence.as_ref()
            }
            fn note(&self) -> Option<&str> {
                self.note.as_deref()
            }
        }

        impl $name {
            /// The record's own claim, for code that holds the record without its span.
            pub fn record_claim(&self) -> $crate::model::RecordClaim<'_> {
                $crate::model::RecordClaim {
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
    pub(super) sources: Option<&'a Spanned<Box<[Spanned<Id>]>>>,
    pub(super) confidence: Option<&'a Spanned<Confidence>>,
    pub(super) note: Option<&'a str>,
}

impl Claim for RecordClaim<'_> {
    fn claim_span(&self) -> Span {
        Span::default()
    }
    fn sources(&self) -> Option<&Spanned<Box<[Spanned<Id>]>>> {
        self.sources
    }
    fn confidence(&self) -> Option<&Spanned<Confidence>> {
        self.confidence
    }
    fn note(&self) -> Option<&str> {
        self.note
    }
}
