//! Licence records (`graph-data/licenses/`) and their clauses: what a licence asks
//! of those who use, ship or build on what it covers, each quoted from its text.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};
use utoipa::ToSchema;

use super::{Id, Relation, Spanned, words};

/// What a clause is about. Each kind has one bearing (see [`ClauseKind::bearing`]),
/// except `outputs_use`, whose bearing follows its `outputs` word.
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
pub enum ClauseKind {
    /// A derivative's name must begin with `prefix`.
    DerivativeNaming,
    /// Attribution must be displayed (in one of the words of `text`, when fixed).
    Attribution,
    /// A notice (`text`) must accompany copies.
    NoticeFile,
    /// A copy of the licence must go with redistributed copies.
    LicenseCopy,
    /// Use must comply with an acceptable-use policy (`policy`).
    AcceptableUse,
    /// The use restrictions must be enforceable terms of every derivative's agreement.
    PassDown,
    /// Above `threshold` monthly active users a separate licence must be requested.
    UserThreshold,
    /// What the licence says of training other models on outputs (`outputs`).
    OutputsUse,
    /// No commercial use.
    NonCommercial,
    /// Research or evaluation use only.
    ResearchOnly,
    /// A field of use is excluded.
    FieldOfUse,
    /// Rights withheld in a territory (`territory`).
    Territorial,
    /// Derivatives must be under the same licence.
    ShareAlike,
    /// Derivatives may carry different or additional terms.
    Relicensing,
}

words!(ClauseKind);

/// Whether a clause asks something, forbids something or allows something.
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
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Bearing {
    /// What you must do.
    Obligation,
    /// What you may not do.
    Restriction,
    /// What you may do.
    Permission,
}

words!(Bearing);

/// When a clause applies.
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
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Trigger {
    /// Any use of the materials.
    Use,
    /// Distributing or making available the materials or a derivative.
    Distribution,
    /// Commercial use.
    CommercialUse,
    /// Using the materials or their outputs to train or improve another model.
    Training,
}

words!(Trigger);

/// What a licence says of using outputs to train or improve other models.
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
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum OutputsUse {
    Forbidden,
    Allowed,
    AllowedWithAttribution,
}

words!(OutputsUse);

impl ClauseKind {
    /// The kind's parameter field, if it has one: the field it requires.
    pub fn parameter(self) -> Option<&'static str> {
        match self {
            ClauseKind::DerivativeNaming => Some("prefix"),
            ClauseKind::AcceptableUse => Some("policy"),
            ClauseKind::UserThreshold => Some("threshold"),
            ClauseKind::OutputsUse => Some("outputs"),
            ClauseKind::Territorial => Some("territory"),
            _ => None,
        }
    }

    /// The parameter fields a clause of this kind may set beyond the required one.
    pub fn optional_parameters(self) -> &'static [&'static str] {
        match self {
            ClauseKind::UserThreshold => &["measured_at_release"],
            // Fixed words (Llama's "Built with Llama", Gemma's notice), or words that
            // are the licensee's to write (Apache-2.0 4(b)'s notice of changes, CC's
            // identification of the creator).
            ClauseKind::NoticeFile | ClauseKind::Attribution => &["text"],
            _ => &[],
        }
    }
}

/// One clause of a licence, quoted from its text.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    /// What the clause is about.
    pub kind: Spanned<ClauseKind>,
    /// Where the quote is in the text: its section (`1.b.i`, `4(a)`) or paragraph.
    pub section: Spanned<String>,
    /// The licence's own words, verbatim (pieces may be joined by ` … `).
    pub quote: Spanned<String>,
    /// When the clause applies.
    pub trigger: Spanned<Trigger>,
    /// The lineage relations that carry the clause to derived models (`finetune`,
    /// `distillation`, `trained_on_outputs`, `trained_on` …); empty: it binds only the
    /// licensee of this licence.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub reaches: Box<[Spanned<Relation>]>,
    /// `derivative_naming`: the prefix a derivative's name must begin with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<Spanned<String>>,
    /// `attribution`, `notice_file`: the words to show (any one of them).
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub text: Box<[Spanned<String>]>,
    /// `acceptable_use`: the policy's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Spanned<String>>,
    /// `user_threshold`: monthly active users above which a licence must be requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Spanned<u64>>,
    /// `user_threshold`: whether the users are counted on the version's release date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured_at_release: Option<Spanned<bool>>,
    /// `outputs_use`: forbidden, allowed, or allowed with attribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outputs: Option<Spanned<OutputsUse>>,
    /// `territorial`: the territory (ISO 3166 code, or `EU`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub territory: Option<Spanned<String>>,
    /// Where the quote is, when not the licence's own text (a policy page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Spanned<String>>,
    /// Source record of the quoted text, when not the licence's first source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Spanned<Id>>,
}

impl Clause {
    /// Whether the clause asks, forbids or allows.
    pub fn bearing(&self) -> Bearing {
        match self.kind.value {
            ClauseKind::DerivativeNaming
            | ClauseKind::Attribution
            | ClauseKind::NoticeFile
            | ClauseKind::LicenseCopy
            | ClauseKind::PassDown
            | ClauseKind::UserThreshold
            | ClauseKind::ShareAlike => Bearing::Obligation,
            ClauseKind::AcceptableUse
            | ClauseKind::NonCommercial
            | ClauseKind::ResearchOnly
            | ClauseKind::FieldOfUse
            | ClauseKind::Territorial => Bearing::Restriction,
            ClauseKind::Relicensing => Bearing::Permission,
            ClauseKind::OutputsUse => match self.outputs.as_ref().map(|o| o.value) {
                Some(OutputsUse::Forbidden) => Bearing::Restriction,
                Some(OutputsUse::AllowedWithAttribution) => Bearing::Obligation,
                Some(OutputsUse::Allowed) | None => Bearing::Permission,
            },
        }
    }

    /// Whether `relation` carries the clause to a derived model.
    pub fn reaches(&self, relation: Relation) -> bool {
        self.reaches.iter().any(|r| r.value == relation)
    }

    /// The parameter fields the clause sets, by name, for the kind check.
    pub fn parameters_set(&self) -> Vec<&'static str> {
        let mut set = Vec::new();
        if self.prefix.is_some() {
            set.push("prefix");
        }
        if !self.text.is_empty() {
            set.push("text");
        }
        if self.policy.is_some() {
            set.push("policy");
        }
        if self.threshold.is_some() {
            set.push("threshold");
        }
        if self.measured_at_release.is_some() {
            set.push("measured_at_release");
        }
        if self.outputs.is_some() {
            set.push("outputs");
        }
        if self.territory.is_some() {
            set.push("territory");
        }
        set
    }
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
        /// What the licence asks, forbids and allows, clause by clause.
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub clauses: Box<[Spanned<Clause>]>,
    }
}

impl License {
    /// Whether the licence forbids commercial use (a `non_commercial` or
    /// `research_only` clause); `None` when it records no clause at all.
    pub fn forbids_commercial_use(&self) -> Option<bool> {
        if self.clauses.is_empty() {
            return None;
        }
        Some(self.clauses.iter().any(|c| {
            matches!(
                c.kind.value,
                ClauseKind::NonCommercial | ClauseKind::ResearchOnly
            )
        }))
    }
}
