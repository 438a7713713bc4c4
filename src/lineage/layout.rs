//! A layered (Sugiyama-style) layout of a lineage walk: bases above, derivatives
//! below, computed in Rust so the picture is the same in every browser and in the API.
//!
//! The four classic steps, each kept simple and deterministic:
//! 1. **Layering** by longest path from the top: a node sits one layer below its
//!    lowest base, so every edge points down.
//! 2. **Dummy nodes** split edges that span several layers, so they route between
//!    nodes rather than through them.
//! 3. **Crossing reduction** by the barycentre heuristic, sweeping down and up.
//! 4. **Coordinates**: nodes pulled towards the mean of their neighbours, then pushed
//!    apart to keep a minimum gap, a few rounds.
//!
//! Ties are broken by id everywhere, so the same walk gives the same picture.

use std::collections::HashMap;

/// Width of a character of the node label font, in pixels (13 px sans-serif).
const CHAR_WIDTH: f64 = 7.4;
pub const NODE_HEIGHT: f64 = 44.0;
const NODE_PADDING: f64 = 24.0;
const MIN_NODE_WIDTH: f64 = 90.0;
const LAYER_GAP: f64 = 96.0;
const NODE_GAP: f64 = 28.0;
pub const MARGIN: f64 = 24.0;

/// A node to place: its id and the text that decides its width.
#[derive(Clone, Debug)]
pub struct NodeInput {
    pub id: String,
    pub label: String,
    pub sublabel: String,
}

/// A placed node: centre `x`, top `y`.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedNode {
    pub index: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub layer: usize,
}

/// A routed edge: the points from the base's bottom to the derived model's top.
#[derive(Clone, Debug, PartialEq)]
pub struct RoutedEdge {
    pub index: usize,
    pub points: Vec<(f64, f64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<PlacedNode>,
    pub edges: Vec<RoutedEdge>,
}

/// One slot in a layer: a real node or a dummy on a long edge.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Slot {
    Node(usize),
    Dummy { edge: usize, step: usize },
}

fn width_of(node: &NodeInput) -> f64 {
    let chars = node
        .label
        .chars()
        .count()
        .max(node.sublabel.chars().count()) as f64;
    (chars * CHAR_WIDTH + NODE_PADDING).max(MIN_NODE_WIDTH)
}

/// Lays out `nodes` and `edges` given as `(derived, base)` index pairs.
pub fn layout(nodes: &[NodeInput], edges: &[(usize, usize)]) -> Layout {
    let count = nodes.len();
    // 1. Longest-path layering: repeat relaxation until stable (the graph is a DAG, so
    // at most `count` rounds).
    let mut layer = vec![0usize; count];
    for _ in 0..=count {
        let mut changed = false;
        for &(derived, base) in edges {
            if derived != base && layer[derived] < layer[base] + 1 {
                layer[derived] = layer[base] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let depth = layer.iter().copied().max().unwrap_or(0) + 1;

    // 2. Slots per layer, with dummies along edges that span several layers.
    let mut layers: Vec<Vec<Slot>> = vec![Vec::new(); depth];
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|&a, &b| nodes[a].id.cmp(&nodes[b].id));
    for &node in &order {
        layers[layer[node]].push(Slot::Node(node));
    }
    // For each edge, the chain of slots from base (top) to derived (bottom).
    let mut chains: Vec<Vec<Slot>> = Vec::with_capacity(edges.len());
    for (edge, &(derived, base)) in edges.iter().enumerate() {
        let mut chain = vec![Slot::Node(base)];
        for (step, l) in (layer[base] + 1..layer[derived]).enumerate() {
            let dummy = Slot::Dummy { edge, step };
            layers[l].push(dummy);
            chain.push(dummy);
        }
        chain.push(Slot::Node(derived));
        chains.push(chain);
    }
    let mut above: HashMap<SlotKey, Vec<SlotKey>> = HashMap::new();
    let mut below: HashMap<SlotKey, Vec<SlotKey>> = HashMap::new();
    for chain in &chains {
        for pair in chain.windows(2) {
            below.entry(key(pair[0])).or_default().push(key(pair[1]));
            above.entry(key(pair[1])).or_default().push(key(pair[0]));
        }
    }

    // 3. Crossing reduction: barycentre of neighbour positions, sweeping down then up.
    for round in 0..8 {
        let downward = round % 2 == 0;
        let range: Vec<usize> = if downward {
            (1..depth).collect()
        } else {
            (0..depth.saturating_sub(1)).rev().collect()
        };
        for l in range {
            let neighbour_layer = if downward { l - 1 } else { l + 1 };
            let positions: HashMap<SlotKey, usize> = layers[neighbour_layer]
                .iter()
                .enumerate()
                .map(|(i, s)| (key(*s), i))
                .collect();
            let links = if downward { &above } else { &below };
            let current: HashMap<SlotKey, usize> = layers[l]
                .iter()
                .enumerate()
                .map(|(i, s)| (key(*s), i))
                .collect();
            let mut keyed: Vec<(f64, String, Slot)> = layers[l]
                .iter()
                .map(|slot| {
                    let ps: Vec<usize> = links
                        .get(&key(*slot))
                        .map(|ns| {
                            ns.iter()
                                .filter_map(|n| positions.get(n).copied())
                                .collect()
                        })
                        .unwrap_or_default();
                    let bary = if ps.is_empty() {
                        current[&key(*slot)] as f64
                    } else {
                        ps.iter().sum::<usize>() as f64 / ps.len() as f64
                    };
                    (bary, tie_break(*slot, nodes), *slot)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
            layers[l] = keyed.into_iter().map(|(_, _, s)| s).collect();
        }
    }

    // 4. Coordinates.
    let slot_width = |slot: Slot| match slot {
        Slot::Node(n) => width_of(&nodes[n]),
        Slot::Dummy { .. } => 12.0,
    };
    let mut x: HashMap<SlotKey, f64> = HashMap::new();
    for slots in &layers {
        let mut cursor = 0.0;
        for slot in slots {
            let w = slot_width(*slot);
            x.insert(key(*slot), cursor + w / 2.0);
            cursor += w + NODE_GAP;
        }
    }
    for _ in 0..6 {
        for slots in &layers {
            // Pull towards the mean of all neighbours.
            let mut wanted: Vec<f64> = slots
                .iter()
                .map(|slot| {
                    let k = key(*slot);
                    let neighbours: Vec<f64> = above
                        .get(&k)
                        .into_iter()
                        .chain(below.get(&k))
                        .flatten()
                        .filter_map(|n| x.get(n).copied())
                        .collect();
                    if neighbours.is_empty() {
                        x[&k]
                    } else {
                        neighbours.iter().sum::<f64>() / neighbours.len() as f64
                    }
                })
                .collect();
            // Keep the minimum gap: once pushing rightwards, once leftwards, and take
            // the average of the two, which keeps the gaps and does not drift sideways.
            let gap = |i: usize| (slot_width(slots[i - 1]) + slot_width(slots[i])) / 2.0 + NODE_GAP;
            let mut rightwards = wanted.clone();
            for i in 1..slots.len() {
                rightwards[i] = rightwards[i].max(rightwards[i - 1] + gap(i));
            }
            for i in (1..slots.len()).rev() {
                wanted[i - 1] = wanted[i - 1].min(wanted[i] - gap(i));
            }
            for (slot, (right, left)) in slots.iter().zip(rightwards.into_iter().zip(wanted)) {
                x.insert(key(*slot), (right + left) / 2.0);
            }
        }
    }
    // Shift everything right of the margin.
    let left = layers
        .iter()
        .flatten()
        .map(|s| x[&key(*s)] - slot_width(*s) / 2.0)
        .fold(f64::INFINITY, f64::min);
    let shift = if left.is_finite() {
        MARGIN - left
    } else {
        MARGIN
    };
    for value in x.values_mut() {
        *value += shift;
    }
    let right = layers
        .iter()
        .flatten()
        .map(|s| x[&key(*s)] + slot_width(*s) / 2.0)
        .fold(0.0, f64::max);
    let y_of = |l: usize| MARGIN + l as f64 * (NODE_HEIGHT + LAYER_GAP);

    let placed: Vec<PlacedNode> = (0..count)
        .map(|n| PlacedNode {
            index: n,
            x: x[&key(Slot::Node(n))],
            y: y_of(layer[n]),
            width: width_of(&nodes[n]),
            layer: layer[n],
        })
        .collect();
    let routed = chains
        .iter()
        .enumerate()
        .map(|(index, chain)| {
            let mut points = Vec::new();
            for (i, slot) in chain.iter().enumerate() {
                let k = key(*slot);
                let slot_layer = match slot {
                    Slot::Node(n) => layer[*n],
                    Slot::Dummy { .. } => layer[edges[index].1] + i,
                };
                let top = y_of(slot_layer);
                match slot {
                    Slot::Node(_) if i == 0 => points.push((x[&k], top + NODE_HEIGHT)),
                    Slot::Node(_) => points.push((x[&k], top)),
                    Slot::Dummy { .. } => {
                        points.push((x[&k], top));
                        points.push((x[&k], top + NODE_HEIGHT));
                    }
                }
            }
            RoutedEdge { index, points }
        })
        .collect();
    let mut routed: Vec<RoutedEdge> = routed;
    spread_ports(&placed, edges, &mut routed);
    Layout {
        width: right + MARGIN,
        height: y_of(depth - 1) + NODE_HEIGHT + MARGIN,
        nodes: placed,
        edges: routed,
    }
}

/// Spreads the ends of the edges meeting at a node across its side, ordered by where
/// they come from, so converging arrows stay apart.
fn spread_ports(nodes: &[PlacedNode], edges: &[(usize, usize)], routed: &mut [RoutedEdge]) {
    for node in nodes {
        // Edges arriving at the top of this node (it is the derived model), and
        // leaving from its bottom (it is the base).
        for arriving in [true, false] {
            let mut ends: Vec<(f64, usize)> = edges
                .iter()
                .enumerate()
                .filter(|(_, (derived, base))| {
                    if arriving {
                        *derived == node.index
                    } else {
                        *base == node.index
                    }
                })
                .map(|(i, _)| {
                    let points = &routed[i].points;
                    let neighbour = if arriving {
                        points[points.len() - 2]
                    } else {
                        points[1]
                    };
                    (neighbour.0, i)
                })
                .collect();
            if ends.len() < 2 {
                continue;
            }
            ends.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let span = node.width * 0.6;
            let step = span / (ends.len() - 1) as f64;
            for (k, &(_, i)) in ends.iter().enumerate() {
                let x = node.x - span / 2.0 + step * k as f64;
                let points = &mut routed[i].points;
                let end = if arriving { points.len() - 1 } else { 0 };
                points[end].0 = x;
            }
        }
    }
}

/// A hashable identity for a slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum SlotKey {
    Node(usize),
    Dummy(usize, usize),
}

fn key(slot: Slot) -> SlotKey {
    match slot {
        Slot::Node(n) => SlotKey::Node(n),
        Slot::Dummy { edge, step } => SlotKey::Dummy(edge, step),
    }
}

fn tie_break(slot: Slot, nodes: &[NodeInput]) -> String {
    match slot {
        Slot::Node(n) => nodes[n].id.clone(),
        Slot::Dummy { edge, step } => format!("~{edge:08}{step:04}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str) -> NodeInput {
        NodeInput {
            id: id.into(),
            label: id.into(),
            sublabel: String::new(),
        }
    }

    #[test]
    fn bases_sit_above_their_derivatives() {
        // d derives from b and c; b and c from a; e from a directly (a long edge).
        let nodes: Vec<NodeInput> = ["a", "b", "c", "d", "e"].map(node).to_vec();
        let edges = [(1, 0), (2, 0), (3, 1), (3, 2), (3, 0), (4, 0)];
        let layout = layout(&nodes, &edges);
        for &(derived, base) in &edges {
            assert!(
                layout.nodes[base].y < layout.nodes[derived].y,
                "{base} above {derived}"
            );
        }
        // The long edge a→d routes through a dummy: more than two points.
        assert!(layout.edges[4].points.len() > 2);
        // Nodes in a layer do not overlap.
        let (b, c) = (&layout.nodes[1], &layout.nodes[2]);
        assert!((b.x - c.x).abs() >= (b.width + c.width) / 2.0);
        assert!(layout.width > 0.0 && layout.height > 0.0);
    }

    #[test]
    fn same_input_same_layout() {
        let nodes: Vec<NodeInput> = ["x", "y", "z"].map(node).to_vec();
        let edges = [(1, 0), (2, 0)];
        assert_eq!(layout(&nodes, &edges), layout(&nodes, &edges));
    }

    #[test]
    fn a_lone_node_is_laid_out() {
        let layout = layout(&[node("solo")], &[]);
        assert_eq!(layout.nodes.len(), 1);
        assert!(layout.edges.is_empty());
    }
}
