//! Organisation records (`graph-data/organizations/`): kinds, listings and parents.

use super::{ExternalIds, Id, Spanned, words};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};
use utoipa::ToSchema;

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
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub aliases: Box<[Spanned<String>]>,
        /// `company`, `lab`, `university`, `non-profit`, `team` or `government`; left
        /// out when no source says (an organisation known only as an uploader on the
        /// Hugging Face Hub, written by the importer).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub kind: Option<Spanned<OrganizationKind>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<Spanned<String>>,
        /// ISO 3166-1 alpha-2 country code (`US`, `CN`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub country: Option<Spanned<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub website: Option<Spanned<String>>,
        /// Stock listings.
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub tickers: Box<[Spanned<Ticker>]>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub external_ids: Option<Spanned<ExternalIds>>,
        /// Parent organisations, over time.
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub parents: Box<[Spanned<ParentClaim>]>,
    }
}
