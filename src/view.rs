//! The JSON views of lineage answers and of provenance, shared by the lineage layer
//! (which builds and draws them) and the server (which serves them and describes them
//! in OpenAPI). Plain data with serde and schema derives; no petgraph, no HTTP.

use serde::Serialize;
use utoipa::ToSchema;

use crate::model::{Confidence, Relation, SourceKind, Stage};

/// Which way to walk from a model.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Direction {
    /// Towards bases (ancestors).
    Up,
    /// Towards derivatives (descendants).
    Down,
    Both,
}

crate::model::words!(Direction);

/// What a node of a lineage answer is: a model's `kind`, or a dataset.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    ToSchema,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum NodeKind {
    Model,
    Family,
    Dataset,
}

crate::model::words!(NodeKind);

/// A model or dataset in a lineage answer.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct NodeView {
    pub id: String,
    pub name: String,
    /// `model`, `family` or `dataset`.
    pub kind: NodeKind,
    /// The organisation that made it: a model's developer, a dataset's creator
    /// (empty when no creator is recorded).
    pub developer: String,
    /// 0 for the root, negative for ancestors (bases), positive for descendants.
    pub generation: i32,
}

/// A source as cited by an edge.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct SourceView {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub published: String,
    pub url: String,
    pub kind: SourceKind,
}

/// A lineage edge with its provenance: `model` derives from `base`.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct EdgeView {
    pub model: String,
    pub base: String,
    pub relation: Relation,
    /// The stage of training a `trained_on` edge's dataset fed, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    pub confidence: Confidence,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    /// The day by which the earliest source had certainly been published.
    pub first_reported: Option<String>,
    pub note: Option<String>,
    pub sources: Vec<SourceView>,
}

/// The JSON answer of a walk.
// `deny_unknown_fields` only closes the OpenAPI schema (`additionalProperties:
// false`), so a compact answer, which has `sources`, cannot also pass for this view.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LineageView {
    pub root: String,
    pub direction: Direction,
    pub nodes: Vec<NodeView>,
    pub edges: Vec<EdgeView>,
    /// Whether the answer holds the whole walk; when not, `folded` says what it left
    /// out.
    pub complete: bool,
    /// Claims at a model of the answer that it did not draw, counted by side and
    /// relation, each with the list that has them all.
    pub folded: Vec<FoldedView>,
}

/// Direct claims at a model of a bounded answer that the answer left out: `count`
/// claims of `relation` on the model's `direction` side (`up`: bases, `down`:
/// derivatives), all of them in the paginated list at `list`.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct FoldedView {
    pub model: String,
    pub direction: Direction,
    pub relation: Relation,
    pub count: usize,
    /// The path of the paginated list of these claims.
    pub list: String,
}

/// A model in the compact answer: the fields of [`NodeView`], borrowed from the
/// dataset rather than copied.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct CompactNodeView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: NodeKind,
    pub developer: &'a str,
    /// 0 for the root, negative for ancestors (bases), positive for descendants.
    pub generation: i32,
}

/// A lineage edge whose sources are given by id: the compact form, for large walks.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct CompactEdgeView<'a> {
    pub model: &'a str,
    pub base: &'a str,
    pub relation: Relation,
    /// As in [`EdgeView`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    pub confidence: Confidence,
    /// Ids of the sources, each described once in the answer's `sources`.
    pub sources: Vec<&'a str>,
}

/// The compact JSON answer of a walk (`compact=true`): every model, every edge with
/// its relation, confidence and source ids, and each source described once. Tens of
/// thousands of edges citing the same few sources stay small.
// The server does not build this view: `lineage::compact` writes its bytes from
// pieces written once per model and edge (a 73,000-model answer is 17.8 MB). The
// view describes the answer in OpenAPI, and what serde_json writes of it is the
// answer, byte for byte (`tests/bounded.rs` compares the two).
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct CompactLineageView<'a> {
    pub root: &'a str,
    pub direction: Direction,
    #[schema(inline)]
    pub nodes: Vec<CompactNodeView<'a>>,
    #[schema(inline)]
    pub edges: Vec<CompactEdgeView<'a>>,
    pub sources: std::collections::BTreeMap<&'a str, SourceView>,
    /// As in [`LineageView`].
    pub complete: bool,
    pub folded: Vec<FoldedView>,
}

/// The JSON answer of a path query.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct PathView {
    pub from: String,
    pub to: String,
    /// Number of edges on the path.
    pub length: usize,
    /// The models along the path, `from` first.
    pub nodes: Vec<NodeView>,
    /// The edges in path order, each with the way the path walks it: `up` (from a
    /// model to its base) or `down` (from a base to a derivative).
    pub steps: Vec<StepView>,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct StepView {
    pub direction: Direction,
    #[serde(flatten)]
    pub edge: EdgeView,
}

/// Who says so, how sure, since when.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Provenance {
    pub confidence: Confidence,
    pub sources: Vec<SourceView>,
    /// The date from which the claim holds (at its precision).
    pub valid_from: Option<String>,
    /// The date after which it no longer holds.
    pub valid_until: Option<String>,
    /// The day by which its earliest source had certainly been published.
    pub first_reported: Option<String>,
    pub note: Option<String>,
}
