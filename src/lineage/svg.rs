//! The lineage picture as a self-contained SVG: the same for the web page, the API
//! (`?format=svg`) and a paper.
//!
//! Bases sit above, arrows run from a base down to what derives from it. The colour of
//! an edge says its relation, its line says its confidence (solid confirmed, dashed
//! reported, dotted rumored, dash-dot disputed: [`style`]). Every edge carries a
//! `<title>` with its sources (a tooltip on hover); nodes and edges link where the
//! caller's link function says (the server: a model's page, an edge's table row),
//! so this module knows no routes.
//!
//! The picture holds links, so it is a labelled `group`, not an `img` (an image's
//! content is hidden from assistive technology, its links with it). Each link has a
//! short name in model names ("Muse Spark from Qwen: distillation, reported"), its
//! `<title>` the longer description, and a focus ring drawn around its own shape
//! (the `focus-ring` filter), not around its bounding box, which for a slanting edge
//! is mostly other edges.

use std::fmt::Write;

use super::layout::{self, NODE_HEIGHT, NodeInput};
use super::style;
use crate::model::{Confidence, Relation};
use crate::numbers::grouped;
use crate::view::{Direction, EdgeView, LineageView, NodeKind};

/// What a link of the picture points at; the caller's link function turns it into a
/// URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// A model, by id.
    Model(&'a str),
    /// A dataset, by id.
    Dataset(&'a str),
    /// The edge at this position of the view's `edges`.
    Edge(usize),
    /// The list of the direct claims a bounded picture folded: `model`'s bases (`Up`)
    /// or derivatives (`Down`), of one relation or of all.
    Folded {
        model: &'a str,
        direction: Direction,
        relation: Option<Relation>,
    },
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The tooltip of an edge: relation, confidence and every source.
fn edge_title(edge: &EdgeView) -> String {
    let mut title = format!(
        "{} derives from {}: {}, {}",
        edge.model, edge.base, edge.relation, edge.confidence
    );
    for source in &edge.sources {
        let _ = write!(
            title,
            "\n· {} ({}, {})",
            source.title, source.publisher, source.published
        );
    }
    title
}

/// The short accessible name of an edge, in model names: "Muse Spark from Qwen:
/// distillation, reported". It holds the edge's visible label ("distillation ·
/// reported") in its words, so people who speak to their browser can say what they
/// see (WCAG 2.5.3, Label in Name).
fn edge_name(edge: &EdgeView, name: &dyn Fn(&str) -> String) -> String {
    format!(
        "{} from {}: {}, {}",
        name(&edge.model),
        name(&edge.base),
        style::relation(edge.relation).label,
        edge.confidence
    )
}

/// The focus ring of a link: its own shape widened, dark outside and white inside,
/// under the shape itself, so it follows a curving edge and shows on white and
/// around every relation colour. In user space over the whole picture, since a straight
/// vertical edge has a bounding box of no width.
fn focus_ring(width: f64, height: f64) -> String {
    format!(
        concat!(
            r#"<filter id="focus-ring" filterUnits="userSpaceOnUse" x="0" y="0" width="{width:.0}" height="{height:.0}">"#,
            r#"<feMorphology in="SourceAlpha" operator="dilate" radius="5" result="outer"/>"#,
            r##"<feFlood flood-color="#1f2328"/><feComposite in2="outer" operator="in" result="dark"/>"##,
            r#"<feMorphology in="SourceAlpha" operator="dilate" radius="2.5" result="inner"/>"#,
            r##"<feFlood flood-color="#ffffff"/><feComposite in2="inner" operator="in" result="light"/>"##,
            r#"<feMerge><feMergeNode in="dark"/><feMergeNode in="light"/><feMergeNode in="SourceGraphic"/></feMerge>"#,
            "</filter>"
        ),
        width = width,
        height = height
    )
}

/// An SVG path through the routed points: straight down, then a smooth curve for
/// each bend.
fn path(points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        if i == 0 {
            let _ = write!(d, "M{x:.1},{y:.1}");
            continue;
        }
        let (px, py) = points[i - 1];
        let mid = (py + y) / 2.0;
        let _ = write!(d, " C{px:.1},{mid:.1} {x:.1},{mid:.1} {x:.1},{y:.1}");
    }
    d
}

/// A placed box's rectangle and its two lines of text (`name`, `sub` escaped
/// already): the same for a model and a folded count. The second line starts with a
/// space, which SVG does not draw, so the two lines do not run together in the
/// box's accessible text.
fn box_body(node: &layout::PlacedNode, name: &str, sub: &str) -> String {
    let left = node.x - node.width / 2.0;
    format!(
        r#"<rect x="{left:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="8"/><text class="name" x="{cx:.1}" y="{ty:.1}" text-anchor="middle">{name}</text><text class="sub" x="{cx:.1}" y="{sy:.1}" text-anchor="middle"> {sub}</text>"#,
        y = node.y,
        w = node.width,
        h = NODE_HEIGHT,
        cx = node.x,
        ty = node.y + 19.0,
        sy = node.y + 34.0,
    )
}

/// A box of folded claims as drawn.
struct FoldedBox<'v> {
    model: &'v str,
    direction: Direction,
    /// `None`: every relation, added up.
    relation: Option<Relation>,
    count: usize,
}

/// The boxes of a view's folded counts: one per relation beside the page's own
/// model(s) (generation 0), where the split says most; one per side beside any other
/// model, so the frontier of a big picture is not a row of "+ 1 merge" boxes.
fn folded_boxes<'v>(
    view: &'v LineageView,
    index: &std::collections::HashMap<&str, usize>,
) -> Vec<FoldedBox<'v>> {
    let mut boxes: Vec<FoldedBox<'v>> = Vec::new();
    for f in &view.folded {
        let Some(&at) = index.get(f.model.as_str()) else {
            continue;
        };
        if view.nodes[at].generation == 0 {
            boxes.push(FoldedBox {
                model: &f.model,
                direction: f.direction,
                relation: Some(f.relation),
                count: f.count,
            });
            continue;
        }
        // The view lists a model's counts side by side, so one look back suffices.
        match boxes.last_mut() {
            Some(last) if last.model == f.model && last.direction == f.direction => {
                last.count += f.count;
                last.relation = None;
            }
            _ => boxes.push(FoldedBox {
                model: &f.model,
                direction: f.direction,
                relation: Some(f.relation),
                count: f.count,
            }),
        }
    }
    boxes
}

/// The side a folded box stands for.
fn folded_side(direction: Direction) -> &'static str {
    match direction {
        Direction::Up => "bases",
        _ => "derivatives",
    }
}

/// Renders a walk; `link` gives the URL of each node and edge.
///
/// A box's second line starts with a space, which SVG does not draw: without it the
/// text of the box reads "Qwenqwen-team family", which is not within its accessible
/// name "Qwen, qwen-team family" (WCAG 2.5.3, Label in Name).
pub fn render(view: &LineageView, link: &dyn Fn(Target<'_>) -> String) -> String {
    let index: std::collections::HashMap<&str, usize> = view
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut inputs: Vec<NodeInput> = view
        .nodes
        .iter()
        .map(|n| NodeInput {
            id: n.id.clone(),
            label: n.name.clone(),
            sublabel: match n.kind {
                NodeKind::Family => format!("{} family", n.developer),
                NodeKind::Dataset => format!("{} dataset", n.developer).trim().to_owned(),
                NodeKind::Model => n.developer.clone(),
            },
        })
        .collect();
    let mut edges: Vec<(usize, usize)> = view
        .edges
        .iter()
        .filter_map(|e| Some((*index.get(e.model.as_str())?, *index.get(e.base.as_str())?)))
        .collect();
    let drawn_edges = edges.len();
    // Each folded count is a box of its own beside its model: below it for
    // derivatives, above it for bases, joined by one line.
    let folded_from = inputs.len();
    let folded = folded_boxes(view, &index);
    for f in &folded {
        let at = index[f.model];
        let own = inputs.len();
        let what = f.relation.map_or("more", |r| style::relation(r).label);
        inputs.push(NodeInput {
            id: format!("~{}~{}~{}", f.model, f.direction, what),
            label: format!("+ {} {what}", grouped(f.count as u64)),
            sublabel: folded_side(f.direction).to_owned(),
        });
        edges.push(match f.direction {
            Direction::Up => (at, own),
            _ => (own, at),
        });
    }
    let placed = layout::layout(&inputs, &edges);
    // How many drawn edges meet at each base and at each derived model, for placing
    // labels: one pass, not a count per edge.
    let mut fan_out: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut fan_in: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for edge in &view.edges {
        *fan_out.entry(edge.base.as_str()).or_default() += 1;
        *fan_in.entry(edge.model.as_str()).or_default() += 1;
    }
    let legend_height = 58.0;
    // Wide enough for the legend's row of relations.
    let legend_width: f64 = Relation::ALL
        .iter()
        .map(|&r| 30.0 + style::relation(r).label.len() as f64 * 6.2)
        .sum::<f64>()
        + 2.0 * layout::MARGIN;
    let width = placed.width.max(legend_width);
    let height = placed.height + legend_height;
    let root_name = view
        .nodes
        .iter()
        .find(|n| n.id == view.root)
        .map_or(view.root.as_str(), |n| n.name.as_str());
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" class="lineage" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" role="group" aria-labelledby="lineage-title lineage-desc" data-root="{root}">"##,
        root = escape(&view.root)
    );
    let folded_note = if view.folded.is_empty() {
        String::new()
    } else {
        let claims: usize = view.folded.iter().map(|f| f.count).sum();
        format!(
            " {} more direct claims are folded into counts that link to their lists.",
            grouped(claims as u64)
        )
    };
    let _ = write!(
        svg,
        r#"<title id="lineage-title">Lineage of {}</title><desc id="lineage-desc">{} models and {} lineage edges; bases above, derived models below.{}</desc>"#,
        escape(root_name),
        view.nodes.len(),
        view.edges.len(),
        folded_note
    );
    svg.push_str(concat!(
        "<style>",
        ".lineage text{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;fill:#1f2328}",
        ".lineage .node rect{fill:#fff;stroke:#57606a;stroke-width:1.2}",
        ".lineage .node.family rect{fill:#f6f8fa;stroke-dasharray:4 2}",
        // A dataset is a square-cornered, tinted box (SVG 2 lets CSS set `rx`), and
        // its second line says "dataset": shape and words, not colour alone.
        ".lineage .node.dataset rect{rx:0;fill:#f3f4f6;stroke:#4d545c;stroke-width:1.6}",
        ".lineage .node.root rect{stroke:#1f2328;stroke-width:2.5}",
        ".lineage .node.folded rect{fill:#f6f8fa;stroke-dasharray:2 3}",
        ".lineage .node:hover rect,.lineage .node:focus rect{fill:#ddf4ff}",
        ".lineage a:focus{outline:none}",
        // An edge's ring is drawn around its hit path, solid where the line may be
        // dashed, so the ring is smooth.
        ".lineage a.node:focus-visible rect,.lineage a.edge:focus-visible path.hit{filter:url(#focus-ring)}",
        ".lineage a.edge:focus-visible path.hit{stroke:#fff;stroke-width:4}",
        ".lineage a.edge:focus-visible .label{font-weight:700}",
        // Forced colours (Windows high contrast) drop the filter's colours: an
        // outline in the system's highlight stands in for the ring.
        "@media (forced-colors:active){.lineage a:focus-visible{outline:2px solid Highlight}}",
        ".lineage .name{font-size:13px;font-weight:600}",
        ".lineage .sub{font-size:11px;fill:#57606a}",
        ".lineage .edge path{fill:none;stroke-width:2}",
        ".lineage .edge path.hit{stroke:transparent;stroke-width:14;pointer-events:stroke}",
        ".lineage .edge:hover path:not(.hit),.lineage .edge:focus path:not(.hit){stroke-width:4}",
        ".lineage .label{font-size:10.5px;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}",
        ".lineage .legend{font-size:11px}",
        "</style>"
    ));
    svg.push_str("<defs>");
    svg.push_str(&focus_ring(width, height));
    for relation in Relation::ALL {
        let colour = style::relation(relation).colour;
        let _ = write!(
            svg,
            r#"<marker id="arrow-{relation}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>"#
        );
    }
    svg.push_str("</defs>");
    svg.push_str(r#"<g class="edges">"#);
    let name = |id: &str| {
        index
            .get(id)
            .map_or(id, |&i| view.nodes[i].name.as_str())
            .to_owned()
    };
    let mut placed_edges = 0;
    for (edge_index, edge) in view.edges.iter().enumerate() {
        if !index.contains_key(edge.model.as_str()) || !index.contains_key(edge.base.as_str()) {
            continue;
        }
        let route = &placed.edges[placed_edges];
        placed_edges += 1;
        let look = style::relation(edge.relation);
        let colour = look.colour;
        // The label sits where this edge is furthest from its neighbours: near the
        // derived end when its base fans out to several models, else near the base.
        let t = if fan_out[edge.base.as_str()] > fan_in[edge.model.as_str()] {
            0.72
        } else {
            0.3
        };
        let (label_x, label_y) = match route.points.as_slice() {
            [(x1, y1), (x2, y2)] => (x1 + (x2 - x1) * t, y1 + (y2 - y1) * t),
            points => points[1],
        };
        let _ = write!(
            svg,
            r##"<a class="edge rel-{relation} conf-{confidence}" href="{href}" data-model="{model}" data-base="{base}" data-relation="{relation}" data-confidence="{confidence}" aria-label="{aria_label}"><title>{title}</title><path class="hit" d="{d}"/><path d="{d}" stroke="{colour}" stroke-dasharray="{dash}" marker-end="url(#arrow-{relation})"/><text class="label" x="{label_x:.1}" y="{label_y:.1}" text-anchor="middle" dy="-3" style="fill:{colour}">{relation_label} · {confidence}</text></a>"##,
            relation = edge.relation,
            confidence = edge.confidence,
            model = escape(&edge.model),
            base = escape(&edge.base),
            title = escape(&edge_title(edge)),
            aria_label = escape(&edge_name(edge, &name)),
            d = path(&route.points),
            href = escape(&link(Target::Edge(edge_index))),
            dash = style::line(edge.confidence).dasharray.unwrap_or("none"),
            relation_label = look.label,
        );
    }
    for (i, f) in folded.iter().enumerate() {
        let route = &placed.edges[drawn_edges + i];
        let _ = write!(
            svg,
            r#"<path class="folded-edge" d="{d}" stroke="{colour}" stroke-width="1.5" fill="none" aria-hidden="true"/>"#,
            d = path(&route.points),
            colour = f.relation.map_or("#57606a", |r| style::relation(r).colour),
        );
    }
    svg.push_str("</g><g class=\"nodes\">");
    for node in &placed.nodes {
        if node.index >= folded_from {
            let f = &folded[node.index - folded_from];
            let at_name = view
                .nodes
                .iter()
                .find(|n| n.id == f.model)
                .map_or(f.model, |n| n.name.as_str());
            let _ = write!(
                svg,
                r#"<a class="node folded" href="{href}" data-model="{model}" data-direction="{direction}" data-relation="{relation}" data-count="{count}" aria-label="{label}"><title>{label}</title>{body}</a>"#,
                href = escape(&link(Target::Folded {
                    model: f.model,
                    direction: f.direction,
                    relation: f.relation,
                })),
                model = escape(f.model),
                direction = f.direction,
                relation = f.relation.map_or("", |r| r.as_str()),
                count = f.count,
                // The visible words ("+ 4,812 quantized" or "+ 37 more", then
                // "derivatives") in order within the name (WCAG 2.5.3, Label in Name).
                label = escape(&format!(
                    "{} {} {} of {}: open the list",
                    grouped(f.count as u64),
                    f.relation.map_or("more", |r| style::relation(r).label),
                    folded_side(f.direction),
                    at_name
                )),
                body = box_body(
                    node,
                    &escape(&inputs[node.index].label),
                    &escape(&inputs[node.index].sublabel)
                ),
            );
            continue;
        }
        let view_node = &view.nodes[node.index];
        let classes = format!(
            "node {}{}",
            view_node.kind,
            if view_node.id == view.root {
                " root"
            } else {
                ""
            }
        );
        let _ = write!(
            svg,
            r#"<a class="{classes}" href="{href}" data-id="{id}" aria-label="{name}, {sub}"{current}><title>{name} ({id})</title>{body}</a>"#,
            href = escape(&link(match view_node.kind {
                NodeKind::Dataset => Target::Dataset(&view_node.id),
                NodeKind::Model | NodeKind::Family => Target::Model(&view_node.id),
            })),
            id = escape(&view_node.id),
            name = escape(&view_node.name),
            sub = escape(&inputs[node.index].sublabel),
            body = box_body(
                node,
                &escape(&view_node.name),
                &escape(&inputs[node.index].sublabel)
            ),
            // The page's own model, as a link to the page one is on.
            current = if view_node.id == view.root {
                r#" aria-current="page""#
            } else {
                ""
            },
        );
    }
    svg.push_str("</g>");
    // Legend: relations by colour, confidence by line.
    let top = placed.height + 8.0;
    let _ = write!(
        svg,
        r#"<g class="legend" transform="translate({:.0},{top:.0})">"#,
        layout::MARGIN
    );
    let mut x = 0.0;
    // The data relations share one grey: one legend entry for the three, drawn only
    // when the picture holds a dataset.
    let has_data = view.nodes.iter().any(|n| n.kind == NodeKind::Dataset);
    let data_entry = style::RelationStyle {
        label: "dataset edges",
        colour: style::DATA_EDGE_COLOUR,
    };
    let entries = Relation::ALL
        .iter()
        .filter(|r| !r.is_data())
        .map(|&r| style::relation(r))
        .chain(has_data.then_some(data_entry));
    for style::RelationStyle { label, colour } in entries {
        let _ = write!(
            svg,
            r#"<line x1="{x:.0}" y1="8" x2="{x2:.0}" y2="8" stroke="{colour}" stroke-width="3"/><text x="{tx:.0}" y="12">{label}</text>"#,
            x2 = x + 18.0,
            tx = x + 22.0,
            label = label
        );
        x += 30.0 + label.len() as f64 * 6.2;
    }
    let mut x = 0.0;
    for level in Confidence::ALL {
        let confidence = level.as_str();
        let pattern = style::line(level).dasharray.unwrap_or("none");
        let _ = write!(
            svg,
            r##"<line x1="{x:.0}" y1="32" x2="{x2:.0}" y2="32" stroke="#57606a" stroke-width="2" stroke-dasharray="{pattern}"/><text x="{tx:.0}" y="36">{confidence}</text>"##,
            x2 = x + 28.0,
            tx = x + 32.0,
        );
        x += 40.0 + confidence.len() as f64 * 6.2;
    }
    svg.push_str("</g></svg>\n");
    svg
}
