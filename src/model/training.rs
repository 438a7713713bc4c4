//! Training data (`graph-data/datasets/`): dataset records, where their examples came
//! from (`generated_by`, `derived_from`, `collected_from`), and a model's
//! `trained_on` claims with the stage of training they fed.

use super::{DateValue, ExternalIds, Id, LicenseClaim, Modality, Release, Spanned, words};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};
use utoipa::ToSchema;

/// The stage of training a dataset fed. Evaluation is not training: a benchmark a
/// model was tested on is no `trained_on` claim.
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
pub enum Stage {
    /// Pre-training from scratch on a large general corpus.
    Pretraining,
    /// Further pre-training of existing weights on a large corpus.
    ContinuedPretraining,
    /// Supervised fine-tuning on examples (instructions, dialogues, reasoning traces).
    SupervisedFineTuning,
    /// Preference tuning: RLHF, DPO and kin, on ranked or paired answers.
    PreferenceTuning,
    /// Reinforcement learning on prompts with rewards (not preferences).
    ReinforcementLearning,
    /// Examples written by a teacher model to be imitated.
    Distillation,
}

words!(Stage);

/// Whether a dataset can be had.
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
pub enum AvailabilityLevel {
    /// Anyone can download it (possibly after accepting its terms).
    Open,
    /// Not published: known only from what its makers say about it.
    Closed,
}

words!(AvailabilityLevel);

/// What a dataset's size counts.
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
pub enum SizeUnit {
    /// Rows: instructions, dialogues, samples, documents.
    Examples,
    /// Tokens, as the makers' tokenizer counts them.
    Tokens,
    Bytes,
}

words!(SizeUnit);

claim! {
    /// A model was trained on a dataset.
    pub struct TrainedOn {
        /// Id of a record in `datasets/`.
        pub dataset: Spanned<Id>,
        /// The stage of training it fed, when the sources say.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub stage: Option<Spanned<Stage>>,
    }
}

claim! {
    /// A model that wrote a synthetic dataset's examples (the teacher).
    pub struct GeneratedBy {
        /// Id of a record in `models/`.
        pub model: Spanned<Id>,
    }
}

claim! {
    /// A dataset this one was made from: filtered, translated, deduplicated, a subset.
    pub struct DerivedFrom {
        /// Id of a record in `datasets/`.
        pub dataset: Spanned<Id>,
    }
}

claim! {
    /// Where a dataset's examples were collected, when that is no dataset of its own
    /// ("publicly available sources", a web crawl).
    pub struct CollectedFrom {
        /// The origin in the makers' words.
        pub origin: Spanned<String>,
    }
}

claim! {
    /// Whether a dataset can be had, over a period.
    pub struct Availability {
        /// `open` or `closed`.
        pub level: Spanned<AvailabilityLevel>,
    }
}

claim! {
    /// How big a dataset is, in one unit, as its makers state it.
    pub struct Size {
        /// How many `unit`s (a `count` field, since `value` is a span's own).
        pub count: Spanned<u64>,
        /// `examples`, `tokens` or `bytes`.
        pub unit: Spanned<SizeUnit>,
    }
}

record! {
    /// A dataset models are trained on (`graph-data/datasets/`).
    pub struct DatasetRecord {
        /// Unique id (`ultrachat-200k`), across every kind.
        pub id: Spanned<Id>,
        /// The name its makers give it.
        pub name: Spanned<String>,
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub aliases: Box<[Spanned<String>]>,
        /// Id of the organisation that made it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub creator: Option<Spanned<Id>>,
        /// One or two sentences.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<Spanned<String>>,
        /// Whether its examples were written by models; then `generated_by` names them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub synthetic: Option<Spanned<bool>>,
        /// Kinds of content it holds.
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub modality: Box<[Spanned<Modality>]>,
        /// BCP 47 language tags (`en`, `zh`).
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub languages: Box<[Spanned<String>]>,
        /// Official page about the dataset.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub homepage: Option<Spanned<String>>,
        /// Id of the source record of the paper that describes it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub paper: Option<Spanned<Id>>,
        /// Ids elsewhere: `huggingface` is the Hub's dataset id (`owner/name`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub external_ids: Option<Spanned<ExternalIds>>,
        /// Release status and date.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub release: Option<Spanned<Release>>,
        /// Whether it can be had, over time (a model's `access`, in a dataset's words).
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub availability: Box<[Spanned<Availability>]>,
        /// Licences, over time.
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub licenses: Box<[Spanned<LicenseClaim>]>,
        /// Sizes, one claim per unit.
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub size: Box<[Spanned<Size>]>,
        /// The models that wrote its examples.
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub generated_by: Box<[Spanned<GeneratedBy>]>,
        /// The datasets it was made from.
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub derived_from: Box<[Spanned<DerivedFrom>]>,
        /// Where its examples were collected, when that is no dataset record.
        #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
        pub collected_from: Box<[Spanned<CollectedFrom>]>,
    }
}

impl DatasetRecord {
    /// Whether the dataset says its examples were written by models.
    pub fn is_synthetic(&self) -> bool {
        self.synthetic.as_ref().is_some_and(|s| s.value)
    }

    /// The release day, if released with a date.
    pub fn release_date(&self) -> Option<&Spanned<DateValue>> {
        self.release.as_ref().and_then(|r| r.date.as_ref())
    }

    /// The licence claims that hold now (no `until`).
    pub fn current_licenses(&self) -> impl Iterator<Item = &Spanned<LicenseClaim>> {
        self.licenses.iter().filter(|l| l.until.is_none())
    }
}
