//! Renderings of lineage walks and paths: the JSON view (also the HTTP API's), a
//! readable text tree, Graphviz DOT and Mermaid.
//!
//! Every edge carries its provenance (relation, confidence, period, sources), in every
//! format that has room for it.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use petgraph::graph::{EdgeIndex, NodeIndex};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Direction, LineageIndex, Path, Subgraph};
use crate::dataset::Dataset;
use crate::model::{Claim, Confidence};

/// A model in a lineage answer.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct NodeView {
    pub id: String,
    pub name: String,
    /// `model` or `family`.
    pub kind: &'static str,
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
    pub kind: &'static str,
}

/// A lineage edge with its provenance: `model` derives from `base`.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct EdgeView {
    pub model: String,
    pub base: String,
    pub relation: &'static str,
    pub confidence: &'static str,
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
    pub direction: &'static str,
    pub nodes: Vec<NodeView>,
    pub edges: Vec<EdgeView>,
}

/// A model in the compact answer: the fields of [`NodeView`], borrowed from the
/// dataset rather than copied.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct CompactNodeView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// `model` or `family`.
    pub kind: &'static str,
    pub developer: &'a str,
    /// 0 for the root, negative for ancestors (bases), positive for descendants.
    pub generation: i32,
}

/// A lineage edge whose sources are given by id: the compact form, for large walks.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct CompactEdgeView<'a> {
    pub model: &'a str,
    pub base: &'a str,
    pub relation: &'static str,
    pub confidence: &'static str,
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
    pub direction: &'static str,
    #[schema(inline)]
    pub nodes: Vec<CompactNodeView<'a>>,
    #[schema(inline)]
    pub edges: Vec<CompactEdgeView<'a>>,
    pub sources: std::collections::BTreeMap<&'a str, SourceView>,
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
    pub direction: &'static str,
    #[serde(flatten)]
    pub edge: EdgeView,
}

/// Builds views of one index over one dataset.
#[derive(Clone, Copy, Debug)]
pub struct Views<'a> {
    pub index: &'a LineageIndex,
    pub dataset: &'a Dataset,
}

impl<'a> Views<'a> {
    pub fn node(&self, node: NodeIndex, generation: i32) -> NodeView {
        let model = self.index.model(self.dataset, node);
        NodeView {
            id: model.id.to_string(),
            name: model.name.to_string(),
            kind: if model.is_family() { "family" } else { "model" },
            developer: model.developer.to_string(),
            generation,
        }
    }

    pub fn edge(&self, edge: EdgeIndex) -> EdgeView {
        let (model, base) = self.index.endpoints(edge);
        let claim = self.index.claim(self.dataset, edge);
        let date = |d: &Option<crate::model::Spanned<crate::model::DateValue>>| {
            d.as_ref().and_then(|d| d.date()).map(|d| d.to_string())
        };
        EdgeView {
            model: self.index.model(self.dataset, model).id.to_string(),
            base: self.index.model(self.dataset, base).id.to_string(),
            relation: claim.relation.as_str(),
            confidence: claim
                .confidence
                .as_ref()
                .map_or(Confidence::Disputed, |c| c.value)
                .as_str(),
            valid_from: date(&claim.from),
            valid_until: date(&claim.until),
            first_reported: self
                .dataset
                .first_reported(claim)
                .map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
            note: claim.note.clone(),
            sources: self.sources(claim),
        }
    }

    pub fn sources(&self, claim: &dyn Claim) -> Vec<SourceView> {
        claim
            .source_ids()
            .iter()
            .filter_map(|id| self.dataset.source(id.as_str()))
            .map(|source| SourceView {
                id: source.id.to_string(),
                title: source.title.to_string(),
                publisher: source.publisher.to_string(),
                published: source
                    .published
                    .date()
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                url: source.url.to_string(),
                kind: source.kind.as_str(),
            })
            .collect()
    }

    pub fn lineage(&self, subgraph: &Subgraph, direction: Direction) -> LineageView {
        LineageView {
            root: self.index.model(self.dataset, subgraph.root).id.to_string(),
            direction: direction.as_str(),
            nodes: subgraph
                .nodes
                .iter()
                .map(|&(node, generation)| self.node(node, generation))
                .collect(),
            edges: subgraph.edges.iter().map(|&edge| self.edge(edge)).collect(),
        }
    }

    pub fn compact_lineage(
        &self,
        subgraph: &Subgraph,
        direction: Direction,
    ) -> CompactLineageView<'a> {
        let dataset: &'a Dataset = self.dataset;
        let mut sources = std::collections::BTreeMap::new();
        let edges = subgraph
            .edges
            .iter()
            .map(|&edge| {
                let (model, base) = self.index.endpoints(edge);
                let claim = self.index.claim(dataset, edge);
                let ids: Vec<&'a str> = claim.source_ids().iter().map(|id| id.as_str()).collect();
                for &id in &ids {
                    if !sources.contains_key(id)
                        && let Some(view) = self.sources(claim).into_iter().find(|s| s.id == id)
                    {
                        sources.insert(id, view);
                    }
                }
                CompactEdgeView {
                    model: self.index.model(dataset, model).id.as_str(),
                    base: self.index.model(dataset, base).id.as_str(),
                    relation: claim.relation.as_str(),
                    confidence: claim
                        .confidence
                        .as_ref()
                        .map_or(Confidence::Disputed, |c| c.value)
                        .as_str(),
                    sources: ids,
                }
            })
            .collect();
        CompactLineageView {
            root: self.index.model(dataset, subgraph.root).id.as_str(),
            direction: direction.as_str(),
            nodes: subgraph
                .nodes
                .iter()
                .map(|&(node, generation)| {
                    let model = self.index.model(dataset, node);
                    CompactNodeView {
                        id: model.id.as_str(),
                        name: model.name.as_str(),
                        kind: if model.is_family() { "family" } else { "model" },
                        developer: model.developer.as_str(),
                        generation,
                    }
                })
                .collect(),
            edges,
            sources,
        }
    }

    pub fn path(&self, path: &Path) -> PathView {
        let nodes: Vec<NodeView> = path
            .nodes
            .iter()
            .enumerate()
            .map(|(i, &node)| self.node(node, i as i32))
            .collect();
        PathView {
            from: nodes.first().map(|n| n.id.clone()).unwrap_or_default(),
            to: nodes.last().map(|n| n.id.clone()).unwrap_or_default(),
            length: path.steps.len(),
            steps: path
                .steps
                .iter()
                .map(|step| StepView {
                    direction: step.direction.as_str(),
                    edge: self.edge(step.edge),
                })
                .collect(),
            nodes,
        }
    }
}

/// A readable tree: the root, then its bases (up) and/or derivatives (down), each edge
/// labelled with relation and confidence. A model reached twice is printed once in
/// full and then marked `(see above)`, so diamonds in the graph stay readable.
pub fn text(view: &LineageView) -> String {
    let names: HashMap<&str, &str> = view
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.name.as_str()))
        .collect();
    // Names come from the data: escaped, so none can act on the reader's terminal.
    let label = |id: &str| match names.get(id) {
        Some(name) if *name != id => format!("{} ({id})", crate::escape::line(name)),
        _ => crate::escape::line(id).into_owned(),
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", label(&view.root));
    let sections: &[(bool, &str)] = match view.direction {
        "up" => &[(true, "")],
        "down" => &[(false, "")],
        _ => &[(true, "bases"), (false, "derivatives")],
    };
    for &(up, heading) in sections {
        if !heading.is_empty() {
            let _ = writeln!(out, "{heading}:");
        }
        let mut seen = HashSet::from([view.root.clone()]);
        let before = out.len();
        tree(&mut out, view, &view.root, up, "", &mut seen, &label);
        if out.len() == before {
            let what = if up { "bases" } else { "derivatives" };
            let _ = writeln!(out, "└─ (no {what} recorded)");
        }
    }
    out
}

fn tree(
    out: &mut String,
    view: &LineageView,
    id: &str,
    up: bool,
    prefix: &str,
    seen: &mut HashSet<String>,
    label: &dyn Fn(&str) -> String,
) {
    let mut children: Vec<&super::render::EdgeView> = view
        .edges
        .iter()
        .filter(|e| if up { e.model == id } else { e.base == id })
        .collect();
    children.sort_by(|a, b| (a.relation, &a.base, &a.model).cmp(&(b.relation, &b.base, &b.model)));
    for (i, edge) in children.iter().enumerate() {
        let last = i + 1 == children.len();
        let (branch, indent) = if last {
            ("└─", "   ")
        } else {
            ("├─", "│  ")
        };
        let next = if up { &edge.base } else { &edge.model };
        let arrow = if up { "─▶" } else { "◀─" };
        let repeat = !seen.insert(next.clone());
        let _ = writeln!(
            out,
            "{prefix}{branch} {} · {} {arrow} {}{}",
            edge.relation,
            edge.confidence,
            label(next),
            if repeat { " (see above)" } else { "" }
        );
        if !repeat {
            tree(
                out,
                view,
                next,
                up,
                &format!("{prefix}{indent}"),
                seen,
                label,
            );
        }
    }
}

/// Edge styles shared by DOT and the web page's legend: confidence shows as the line.
pub fn dot_style(confidence: &str) -> &'static str {
    match confidence {
        "confirmed" => "solid",
        "reported" => "dashed",
        "rumored" => "dotted",
        _ => "tapered",
    }
}

/// Graphviz DOT: bases above, arrows from base to derivative, labelled with relation
/// and confidence; reported edges dashed, rumored dotted.
pub fn dot(view: &LineageView) -> String {
    let mut out =
        String::from("digraph lineage {\n  rankdir=TB;\n  node [shape=box, style=rounded];\n");
    for node in &view.nodes {
        let bold = if node.id == view.root {
            ", penwidth=2"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {} [label={}{bold}];",
            quote(&node.id),
            quote(&node.name)
        );
    }
    for edge in &view.edges {
        let _ = writeln!(
            out,
            "  {} -> {} [label={}, style={}];",
            quote(&edge.base),
            quote(&edge.model),
            quote(&format!("{} ({})", edge.relation, edge.confidence)),
            dot_style(edge.confidence)
        );
    }
    out.push_str("}\n");
    out
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Mermaid flowchart: bases above; confirmed edges solid, others dotted.
pub fn mermaid(view: &LineageView) -> String {
    let mut ids: HashMap<&str, String> = HashMap::new();
    let mut out = String::from("flowchart TB\n");
    for (i, node) in view.nodes.iter().enumerate() {
        let key = format!("n{i}");
        let _ = writeln!(out, "  {key}[\"{}\"]", node.name.replace('"', "#quot;"));
        ids.insert(node.id.as_str(), key);
    }
    for edge in &view.edges {
        let (Some(base), Some(model)) = (ids.get(edge.base.as_str()), ids.get(edge.model.as_str()))
        else {
            continue;
        };
        let arrow = if edge.confidence == "confirmed" {
            "-->"
        } else {
            "-.->"
        };
        let _ = writeln!(
            out,
            "  {base} {arrow}|\"{} ({})\"| {model}",
            edge.relation, edge.confidence
        );
    }
    out
}
