//! Source records (`graph-data/sources/`): the documents claims cite.

use super::{DateValue, Id, Spanned, words};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};
use utoipa::ToSchema;

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
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub authors: Box<[Spanned<String>]>,
    /// Ids of the sources this one relays.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub cites: Box<[Spanned<Id>]>,
    /// Names of outlets or documents this one relays that have no source record (the
    /// original's address was never seen, or it is not public): `[CNBC]`.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub relays: Box<[Spanned<String>]>,
    /// A web-archive copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_url: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
