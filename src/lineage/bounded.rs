//! A walk that stays readable and cheap at any size: it draws at most so many models,
//! the closest and best-ranked first, and folds the rest into one count per model,
//! side and relation ("+ 4,812 quantized"), which the caller links to the list of
//! that model's bases or derivatives.
//!
//! Breadth first over both directions at once, so the closest models come first
//! whichever side they are on. At each model it expands, the walk takes the edges its
//! filter admits (O(degree): counting 13,000 derivatives is cheap), keeps the models
//! already drawn, and draws the best new ones by the ranking rule of
//! [`neighbours`](super::neighbours), at most `per_node` of them and no more than the
//! budget left; the rest are folded. An edge folded at one model whose far end is
//! drawn anyway (reached another way) is drawn after all, so a folded count only ever
//! counts models that are not in the picture. The work is bounded by the edges at the
//! drawn models, never by the size of the family behind them.
//!
//! With no bounds it is exactly [`LineageIndex::walk`]: the same models and edges.
//!
//! What the walk has seen and drawn is kept as one bit per model of the graph, not in
//! hash maps: a whole family's answer (73,000 models of a million) asks a bit per
//! edge, and a small picture touches only the few pages its bits are on.

use std::collections::{BTreeMap, HashSet, VecDeque};

use petgraph::Direction as PetDirection;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::neighbours::{Neighbour, other_end};
use super::{ClaimEdge, Direction, Filter, LineageError, LineageIndex, ModelNode, Subgraph};
use crate::dataset::Dataset;
use crate::model::Relation;

/// Models a picture draws when the caller does not say (web page, `?format=svg`,
/// `pedigree lineage --format svg`).
pub const PICTURE_NODES: usize = 40;
/// Most models a picture may be asked to draw (`limit`): a layered layout of 400
/// boxes is still readable zoomed, and its cost (the layout is quadratic in a layer's
/// width at worst) stays in milliseconds.
pub const MAX_PICTURE_NODES: usize = 400;
/// Most new models a picture draws around one model before it folds the rest.
pub const PICTURE_FAN_OUT: usize = 8;
/// Models a lineage answer in JSON holds when the caller does not say (`limit`).
pub const ANSWER_NODES: usize = 10_000;
/// Most models one lineage answer in JSON may hold (`limit`): the largest family of
/// a million-model Hub (75,863 descendants) in one answer, with room to grow; beyond
/// it the folded counts link to the paginated lists, and SPARQL and the export give
/// the whole graph.
pub const MAX_ANSWER_NODES: usize = 250_000;
/// The walk asks whether to stop after this many expanded models.
const STOP_CHECK_EVERY: usize = 256;

/// How much a bounded walk may draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Models in all, the start included.
    pub max_nodes: usize,
    /// New models drawn around one model; `None` for no limit but `max_nodes`.
    pub per_node: Option<usize>,
}

impl Bounds {
    /// A picture of at most `nodes` models (capped at [`MAX_PICTURE_NODES`]), at most
    /// [`PICTURE_FAN_OUT`] new ones around each.
    pub fn picture(nodes: usize) -> Bounds {
        Bounds {
            max_nodes: nodes.clamp(1, MAX_PICTURE_NODES),
            per_node: Some(PICTURE_FAN_OUT),
        }
    }

    /// An answer of at most `nodes` models (capped at [`MAX_ANSWER_NODES`]), the
    /// closest first, with no limit around one model.
    pub fn answer(nodes: usize) -> Bounds {
        Bounds {
            max_nodes: nodes.clamp(1, MAX_ANSWER_NODES),
            per_node: None,
        }
    }

    /// No bound at all: the whole walk.
    pub const UNBOUNDED: Bounds = Bounds {
        max_nodes: usize::MAX,
        per_node: None,
    };
}

/// Direct claims at a drawn model that the walk did not draw: `count` claims of
/// `relation` on its `direction` side (`Up`: bases, `Down`: derivatives).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Folded {
    pub at: ModelNode,
    pub direction: Direction,
    pub relation: Relation,
    pub count: usize,
}

/// What a bounded walk drew, and what it folded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoundedWalk {
    pub subgraph: Subgraph,
    /// In the order of the drawn models, then bases before derivatives, then
    /// [`Relation::ALL`].
    pub folded: Vec<Folded>,
}

impl BoundedWalk {
    /// Whether the walk drew everything its filter and depth admit.
    pub fn complete(&self) -> bool {
        self.folded.is_empty()
    }

    /// Claims folded in all.
    pub fn folded_claims(&self) -> usize {
        self.folded.iter().map(|f| f.count).sum()
    }
}

/// The arguments of a bounded walk beyond the index: where it starts and what it may
/// follow and draw.
#[derive(Clone, Copy, Debug)]
pub struct BoundedRequest<'a> {
    pub root: &'a str,
    /// Further starts, walked as one with the root (a family's members); only as
    /// many as fit in the bounds beside the root.
    pub also: &'a [&'a str],
    pub direction: Direction,
    pub filter: &'a Filter,
    pub max_depth: Option<usize>,
    pub bounds: Bounds,
}

impl LineageIndex {
    /// Walks as [`walk_many`](LineageIndex::walk_many) does, drawing at most what
    /// `request.bounds` allows. `stop` is asked now and then; when it says yes the
    /// walk ends with [`LineageError::Stopped`] (the server's time limit).
    pub fn walk_bounded(
        &self,
        dataset: &Dataset,
        request: &BoundedRequest<'_>,
        stop: &dyn Fn() -> bool,
    ) -> Result<BoundedWalk, LineageError> {
        let start = self.node(request.root)?;
        let mut starts = vec![start];
        let mut started = HashSet::from([start]);
        // Further starts count against the budget too, in the order given: a family
        // of 200 members drawn in 40 boxes starts from its first 39.
        for id in request.also {
            let node = self.node(id)?;
            if starts.len() >= request.bounds.max_nodes {
                break;
            }
            if started.insert(node) {
                starts.push(node);
            }
        }
        let ways: &[(PetDirection, i32)] = match request.direction {
            Direction::Up => &[(PetDirection::Outgoing, -1)],
            Direction::Down => &[(PetDirection::Incoming, 1)],
            Direction::Both => &[(PetDirection::Outgoing, -1), (PetDirection::Incoming, 1)],
        };
        let bounds = request.bounds;
        let models = self.graph.node_count();
        let mut drawn = Drawn::new(models);
        let mut seen: Vec<NodeSet> = ways.iter().map(|_| NodeSet::new(models)).collect();
        for &node in &starts {
            drawn.insert(node, 0);
            for seen in &mut seen {
                seen.insert(node);
            }
        }
        let mut queue: VecDeque<(NodeIndex, usize, usize)> = VecDeque::new();
        for slot in 0..ways.len() {
            queue.extend(starts.iter().map(|&node| (node, 0, slot)));
        }
        let mut edges = Vec::new();
        // (drawn model, way slot, edge, far end) of every edge not drawn (yet).
        let mut folded_edges: Vec<(NodeIndex, usize, Neighbour)> = Vec::new();
        let mut expanded = 0usize;
        while let Some((node, depth, slot)) = queue.pop_front() {
            if request.max_depth.is_some_and(|max| depth >= max) {
                continue;
            }
            expanded += 1;
            if expanded.is_multiple_of(STOP_CHECK_EVERY) && stop() {
                return Err(LineageError::Stopped);
            }
            let (way, sign) = ways[slot];
            let mut fresh = Vec::new();
            for edge in self.graph.edges_directed(node, way) {
                if !request.filter.admits(edge.weight()) {
                    continue;
                }
                let next = other_end(edge.source(), edge.target(), way);
                if seen[slot].contains(next) {
                    edges.push(edge.id());
                } else if drawn.contains(next) {
                    // Drawn already, reached from another start or the other way:
                    // walked on this way too, at no cost to the budget.
                    edges.push(edge.id());
                    seen[slot].insert(next);
                    queue.push_back((next, depth + 1, slot));
                } else {
                    fresh.push(Neighbour {
                        edge: ClaimEdge(edge.id()),
                        node: ModelNode(next),
                    });
                }
            }
            let room = bounds.max_nodes.saturating_sub(drawn.len());
            let keep = bounds.per_node.map_or(room, |n| n.min(room));
            if keep < fresh.len() {
                self.rank_first(dataset, &mut fresh, keep);
            }
            let keep = keep.min(fresh.len());
            for (i, neighbour) in fresh.into_iter().enumerate() {
                let next = neighbour.node.0;
                if i < keep || drawn.contains(next) {
                    if drawn.insert(next, sign * (depth as i32 + 1)) {
                        seen[slot].insert(next);
                        queue.push_back((next, depth + 1, slot));
                    }
                    edges.push(neighbour.edge.0);
                } else {
                    folded_edges.push((node, slot, neighbour));
                }
            }
        }
        // Folded edges whose far end was drawn after all are drawn; the rest are
        // counted by model, side and relation.
        let mut counts: BTreeMap<(NodeIndex, usize, usize), usize> = BTreeMap::new();
        for (at, slot, neighbour) in folded_edges {
            if drawn.contains(neighbour.node.0) {
                edges.push(neighbour.edge.0);
                continue;
            }
            let relation = self.graph[neighbour.edge.0].relation;
            let order = Relation::ALL
                .iter()
                .position(|&r| r == relation)
                .expect("ALL lists every relation");
            *counts.entry((at, slot, order)).or_default() += 1;
        }
        edges.sort();
        edges.dedup();
        let mut nodes = drawn.list;
        nodes.sort_unstable_by_key(|&(node, generation)| (generation, node));
        // Where each drawn model stands, to order the counts; not needed (nor built)
        // when nothing was folded, as in a whole family's answer.
        let mut place = Vec::new();
        if !counts.is_empty() {
            place = vec![0u32; models];
            for (i, &(node, _)) in nodes.iter().enumerate() {
                place[node.index()] = i as u32;
            }
        }
        let mut folded: Vec<(u32, Folded)> = counts
            .into_iter()
            .map(|((at, slot, order), count)| {
                let direction = match ways[slot].0 {
                    PetDirection::Outgoing => Direction::Up,
                    PetDirection::Incoming => Direction::Down,
                };
                let folded = Folded {
                    at: ModelNode(at),
                    direction,
                    relation: Relation::ALL[order],
                    count,
                };
                (place[at.index()], folded)
            })
            .collect();
        folded.sort_by_key(|&(place, f)| (place, f.direction == Direction::Down));
        Ok(BoundedWalk {
            subgraph: Subgraph {
                root: ModelNode(start),
                nodes: nodes
                    .into_iter()
                    .map(|(node, generation)| (ModelNode(node), generation))
                    .collect(),
                edges: edges.into_iter().map(ClaimEdge).collect(),
            },
            folded: folded.into_iter().map(|(_, f)| f).collect(),
        })
    }
}

/// A set of the graph's models: one bit per model, so a million models' set (125 KB)
/// stays in the processor's cache. A zeroed allocation: the pages of bits a walk
/// never sets are never touched.
struct NodeSet(Vec<u64>);

impl NodeSet {
    fn new(models: usize) -> NodeSet {
        NodeSet(vec![0; models.div_ceil(64)])
    }

    fn contains(&self, node: NodeIndex) -> bool {
        self.0[node.index() / 64] & (1 << (node.index() % 64)) != 0
    }

    /// Whether `node` was not in the set before.
    fn insert(&mut self, node: NodeIndex) -> bool {
        let (word, bit) = (&mut self.0[node.index() / 64], 1 << (node.index() % 64));
        let new = *word & bit == 0;
        *word |= bit;
        new
    }
}

/// The models a walk has drawn, each with its generation, in the order drawn.
struct Drawn {
    set: NodeSet,
    list: Vec<(NodeIndex, i32)>,
}

impl Drawn {
    fn new(models: usize) -> Drawn {
        Drawn {
            set: NodeSet::new(models),
            list: Vec::new(),
        }
    }

    fn contains(&self, node: NodeIndex) -> bool {
        self.set.contains(node)
    }

    /// Draws `node` at `generation` unless it is drawn already; whether it was new.
    fn insert(&mut self, node: NodeIndex, generation: i32) -> bool {
        let new = self.set.insert(node);
        if new {
            self.list.push((node, generation));
        }
        new
    }

    fn len(&self) -> usize {
        self.list.len()
    }
}
