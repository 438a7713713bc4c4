//! The JSON views of lineage answers and of provenance, shared by the lineage layer
//! (which builds and draws them) and the server (which serves them and describes them
//! in OpenAPI). Plain data with serde and schema derives; no petgraph, no HTTP. The
//! compact answer, which can be tens of megabytes, also has a writer of its own
//! ([`CompactLineageView::to_json`]) that writes what serde_json would, faster.

use std::io::Write;

use serde::Serialize;
use utoipa::ToSchema;

use crate::model::{Confidence, ModelKind, Relation, SourceKind};

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

/// A model in a lineage answer.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct NodeView {
    pub id: String,
    pub name: String,
    pub kind: ModelKind,
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
    pub kind: ModelKind,
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
    pub confidence: Confidence,
    /// Ids of the sources, each described once in the answer's `sources`.
    pub sources: Vec<&'a str>,
}

/// The compact JSON answer of a walk (`compact=true`): every model, every edge with
/// its relation, confidence and source ids, and each source described once. Tens of
/// thousands of edges citing the same few sources stay small.
// Its text is borrowed from the dataset: a walk of 75,000 models copies no strings.
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

impl CompactLineageView<'_> {
    /// The answer as JSON: byte for byte what `serde_json::to_vec` writes of it (a
    /// test compares the two on every model of the bundled data and on a generated
    /// corpus), at a fraction of the cost. serde_json spent most of a 73,000-model
    /// answer (17.8 MB) checking each byte of ids that never need escaping and
    /// writing a few bytes at a time; here the nodes and edges are written by hand
    /// into one buffer sized up front, words and ids that need no escaping copied
    /// whole. The few described sources and folded counts go through serde_json.
    pub fn to_json(&self) -> Vec<u8> {
        // A node or an edge of a generated corpus takes about 120 bytes; room that is
        // never written is never touched, so it costs no memory.
        let mut out = Vec::with_capacity(4096 + 160 * (self.nodes.len() + self.edges.len()));
        out.extend_from_slice(b"{\"root\":");
        json_string(&mut out, self.root);
        out.extend_from_slice(b",\"direction\":");
        json_string(&mut out, self.direction.as_str());
        out.extend_from_slice(b",\"nodes\":[");
        for (i, node) in self.nodes.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"id\":");
            json_string(&mut out, node.id);
            out.extend_from_slice(b",\"name\":");
            json_string(&mut out, node.name);
            out.extend_from_slice(b",\"kind\":");
            json_string(&mut out, node.kind.as_str());
            out.extend_from_slice(b",\"developer\":");
            json_string(&mut out, node.developer);
            // Writing to a Vec cannot fail.
            let _ = write!(out, ",\"generation\":{}}}", node.generation);
        }
        out.extend_from_slice(b"],\"edges\":[");
        for (i, edge) in self.edges.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"model\":");
            json_string(&mut out, edge.model);
            out.extend_from_slice(b",\"base\":");
            json_string(&mut out, edge.base);
            out.extend_from_slice(b",\"relation\":");
            json_string(&mut out, edge.relation.as_str());
            out.extend_from_slice(b",\"confidence\":");
            json_string(&mut out, edge.confidence.as_str());
            out.extend_from_slice(b",\"sources\":[");
            for (i, &id) in edge.sources.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                json_string(&mut out, id);
            }
            out.extend_from_slice(b"]}");
        }
        out.extend_from_slice(b"],\"sources\":");
        serialize(&mut out, &self.sources);
        out.extend_from_slice(b",\"complete\":");
        serialize(&mut out, &self.complete);
        out.extend_from_slice(b",\"folded\":");
        serialize(&mut out, &self.folded);
        out.push(b'}');
        out
    }
}

/// `text` as a JSON string. Text with nothing to escape (every id, word and almost
/// every name) is copied whole; the rest is escaped by serde_json, whose rules (which
/// characters, which spelling) the answer keeps.
fn json_string(out: &mut Vec<u8>, text: &str) {
    if text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        serialize(out, text);
    } else {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    }
}

fn serialize(out: &mut Vec<u8>, value: &(impl Serialize + ?Sized)) {
    serde_json::to_writer(out, value).expect("views serialize into a Vec without error");
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
