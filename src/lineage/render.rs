//! Renderings of lineage walks and paths: the JSON view (also the HTTP API's), a
//! readable text tree, Graphviz DOT and Mermaid.
//!
//! Every edge carries its provenance (relation, confidence, period, sources), in every
//! format that has room for it.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use super::bounded::BoundedWalk;
use super::{ClaimEdge, Direction, LineageIndex, ModelNode, Path, style};
use crate::dataset::Dataset;
use crate::model::Relation;
use crate::model::{Claim, Confidence, Id};
use crate::view::{
    EdgeView, FoldedView, LineageView, NodeKind, NodeView, PathView, SourceView, StepView,
};

/// The path of the list of a model's direct bases (`Up`) or derivatives of one
/// relation, as the caller's routes spell it.
pub type ListLink<'l> = &'l dyn Fn(&str, Direction, Relation) -> String;

/// Builds views of one index over one dataset.
#[derive(Clone, Copy, Debug)]
pub struct Views<'a> {
    pub index: &'a LineageIndex,
    pub dataset: &'a Dataset,
}

impl<'a> Views<'a> {
    pub fn node(&self, node: ModelNode, generation: i32) -> NodeView {
        let entity = self.index.entity(self.dataset, node);
        NodeView {
            id: entity.id().to_string(),
            name: entity.name().to_owned(),
            kind: entity.kind(),
            developer: entity.maker().map(Id::to_string).unwrap_or_default(),
            generation,
        }
    }

    pub fn edge(&self, edge: ClaimEdge) -> EdgeView {
        let (model, base) = self.index.endpoints(edge);
        let claim = self.index.claim(self.dataset, edge);
        let date = |d: Option<&crate::model::Spanned<crate::model::DateValue>>| {
            d.and_then(|d| d.date()).map(|d| d.to_string())
        };
        EdgeView {
            model: self.index.id(self.dataset, model).to_owned(),
            base: self.index.id(self.dataset, base).to_owned(),
            relation: self.index.edge_data(edge).relation,
            stage: self.index.edge_data(edge).stage,
            confidence: claim.confidence().map_or(Confidence::Disputed, |c| c.value),
            valid_from: date(claim.from()),
            valid_until: date(claim.until()),
            first_reported: self
                .dataset
                .first_reported(claim)
                .map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
            note: claim.note().map(str::to_owned),
            sources: self.sources(claim),
        }
    }

    pub fn sources(&self, claim: &dyn Claim) -> Vec<SourceView> {
        claim
            .source_ids()
            .iter()
            .filter_map(|id| self.source(id.as_str()))
            .collect()
    }

    /// The source `id`, when the dataset has it.
    pub(super) fn source(&self, id: &str) -> Option<SourceView> {
        let source = self.dataset.source(id)?;
        Some(SourceView {
            id: source.id.to_string(),
            title: source.title.to_string(),
            publisher: source.publisher.to_string(),
            published: source
                .published
                .date()
                .map(|d| d.to_string())
                .unwrap_or_default(),
            url: source.url.to_string(),
            kind: source.kind.value,
        })
    }

    /// The folded counts of a bounded walk as views, each with the path of its list
    /// (`list`, given by the caller: this layer knows no routes).
    pub(super) fn folded(&self, walk: &BoundedWalk, list: ListLink<'_>) -> Vec<FoldedView> {
        walk.folded
            .iter()
            .map(|f| {
                let model = self.index.id(self.dataset, f.at);
                FoldedView {
                    model: model.to_owned(),
                    direction: f.direction,
                    relation: f.relation,
                    count: f.count,
                    list: list(model, f.direction, f.relation),
                }
            })
            .collect()
    }

    pub fn lineage(
        &self,
        walk: &BoundedWalk,
        direction: Direction,
        list: ListLink<'_>,
    ) -> LineageView {
        let subgraph = &walk.subgraph;
        LineageView {
            root: self.index.id(self.dataset, subgraph.root).to_owned(),
            direction,
            nodes: subgraph
                .nodes
                .iter()
                .map(|&(node, generation)| self.node(node, generation))
                .collect(),
            edges: subgraph.edges.iter().map(|&edge| self.edge(edge)).collect(),
            complete: walk.complete(),
            folded: self.folded(walk, list),
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
                    direction: step.direction,
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
        Direction::Up => &[(true, "")],
        Direction::Down => &[(false, "")],
        Direction::Both => &[(true, "bases"), (false, "derivatives")],
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
    let mut children: Vec<&EdgeView> = view
        .edges
        .iter()
        .filter(|e| if up { e.model == id } else { e.base == id })
        .collect();
    // By the relation's word, as the tree has always been ordered.
    children.sort_by(|a, b| {
        (a.relation.as_str(), &a.base, &a.model).cmp(&(b.relation.as_str(), &b.base, &b.model))
    });
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
            "{prefix}{branch} {}{} · {} {arrow} {}{}",
            edge.relation,
            edge.stage.map(|s| format!(" ({s})")).unwrap_or_default(),
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

/// Graphviz DOT: bases above, arrows from base to derivative, labelled with relation
/// and confidence, coloured by relation and drawn in the confidence's line
/// ([`style::line`]).
pub fn dot(view: &LineageView) -> String {
    let mut out =
        String::from("digraph lineage {\n  rankdir=TB;\n  node [shape=box, style=rounded];\n");
    for node in &view.nodes {
        let bold = if node.id == view.root {
            ", penwidth=2"
        } else {
            ""
        };
        // A dataset is a cylinder, Graphviz's shape for stored data, as the SVG
        // draws it as a box of its own.
        let shape = match node.kind {
            NodeKind::Dataset => ", shape=cylinder, style=solid",
            NodeKind::Model | NodeKind::Family => "",
        };
        let _ = writeln!(
            out,
            "  {} [label={}{bold}{shape}];",
            quote(&node.id),
            quote(&node.name)
        );
    }
    for edge in &view.edges {
        let _ = writeln!(
            out,
            "  {} -> {} [label={}, style={}, color=\"{}\"];",
            quote(&edge.base),
            quote(&edge.model),
            quote(&format!("{} ({})", edge.relation, edge.confidence)),
            style::line(edge.confidence).dot,
            style::relation(edge.relation).colour,
        );
    }
    out.push_str(&folded_comments(view, "  //"));
    out.push_str("}\n");
    out
}

/// What a bounded answer left out, as comment lines of a text format (ids are
/// validated slugs and lists are paths, so nothing here can end a comment early).
fn folded_comments(view: &LineageView, comment: &str) -> String {
    let mut out = String::new();
    for f in &view.folded {
        let side = if f.direction == Direction::Up {
            "bases"
        } else {
            "derivatives"
        };
        let _ = writeln!(
            out,
            "{comment} + {} {} {side} of {} left out: {}",
            f.count,
            style::relation(f.relation).label,
            f.model,
            f.list
        );
    }
    out
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Mermaid flowchart: bases above; confirmed edges solid arrows, others dotted ones,
/// and a `linkStyle` per edge gives it the relation's colour and the confidence's
/// exact dash pattern ([`style::line`]), as in the SVG.
pub fn mermaid(view: &LineageView) -> String {
    let mut ids: HashMap<&str, String> = HashMap::new();
    let mut out = String::from("flowchart TB\n");
    let mut link_styles = String::new();
    let mut links = 0;
    for (i, node) in view.nodes.iter().enumerate() {
        let key = format!("n{i}");
        let name = node.name.replace('"', "#quot;");
        // Mermaid's cylinder (`[("…")]`) for a dataset, its box for a model.
        let _ = match node.kind {
            NodeKind::Dataset => writeln!(out, "  {key}[(\"{name}\")]"),
            NodeKind::Model | NodeKind::Family => writeln!(out, "  {key}[\"{name}\"]"),
        };
        ids.insert(node.id.as_str(), key);
    }
    for edge in &view.edges {
        let (Some(base), Some(model)) = (ids.get(edge.base.as_str()), ids.get(edge.model.as_str()))
        else {
            continue;
        };
        let line = style::line(edge.confidence);
        let _ = writeln!(
            out,
            "  {base} {}|\"{} ({})\"| {model}",
            line.mermaid_arrow, edge.relation, edge.confidence
        );
        let _ = write!(
            link_styles,
            "  linkStyle {links} stroke:{}",
            style::relation(edge.relation).colour
        );
        if let Some(dashes) = line.dasharray {
            let _ = write!(link_styles, ",stroke-dasharray:{dashes}");
        }
        link_styles.push('\n');
        links += 1;
    }
    out.push_str(&link_styles);
    out.push_str(&folded_comments(view, "  %%"));
    out
}
