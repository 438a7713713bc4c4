//! Searches over the lineage index: which edges a walk may follow ([`Filter`]), the
//! breadth-first walk up or down from a model, reachability, and the shortest path
//! between two models by a bidirectional search.

use std::collections::{HashMap, HashSet, VecDeque};

use petgraph::Direction as PetDirection;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::{ClaimEdge, Day, EdgeData, LineageError, LineageIndex, ModelNode};
use crate::model::{Confidence, Relation, Stage};
pub use crate::view::Direction;

/// Which edges a walk may follow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only these relations; empty means all.
    pub relations: Vec<Relation>,
    /// Only `trained_on` edges of these stages (edges of other relations pass);
    /// empty means all.
    pub stages: Vec<Stage>,
    /// Only edges at least this sure; `None` means any.
    pub min_confidence: Option<Confidence>,
    /// The lineage as it stood on this day: edges that had started by then (see
    /// [`Filter::started`]) and whose claim had not ended before it (`until`), ended
    /// since or not; `None` means now: only edges whose claim has no `until`.
    pub as_of: Option<Day>,
    /// Only edges whose earliest source had certainly been published by this day.
    pub known_at: Option<Day>,
}

/// The filters of a [`Filter`], each of which can turn an edge away.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refusal {
    Relation,
    /// By `stages`: a `trained_on` edge of another stage, or of none.
    Stage,
    Confidence,
    /// By `as_of`: the edge had not started or had ended on that day; without a date,
    /// the claim has ended (it has an `until`).
    Date,
    KnownAt,
}

impl Filter {
    /// The day an edge starts, for `as_of`: its claim's `from`, else the derived
    /// model's release, else the day its first source was published. A model cannot
    /// derive from its base before it exists, and the first report is the latest day
    /// by which it certainly did. An edge with none of the three has no known start
    /// and counts from always.
    pub fn started(edge: &EdgeData) -> Option<Day> {
        edge.from.or(edge.released).or(edge.first_reported)
    }

    /// Whether one filter turns `edge` away. The one statement of every rule: walks,
    /// paths and the "hidden by" counts all ask here.
    pub fn refuses(&self, refusal: Refusal, edge: &EdgeData) -> bool {
        match refusal {
            Refusal::Relation => {
                !self.relations.is_empty() && !self.relations.contains(&edge.relation)
            }
            Refusal::Stage => {
                edge.relation == Relation::TrainedOn
                    && !self.stages.is_empty()
                    && edge.stage.is_none_or(|stage| !self.stages.contains(&stage))
            }
            Refusal::Confidence => self.min_confidence.is_some_and(|min| edge.confidence < min),
            Refusal::Date => match self.as_of {
                // No date asks about the present, and a claim with an `until` has ended:
                // the edges the RDF mapping states as direct `prov:wasDerivedFrom`
                // triples, so walks and SPARQL property paths agree.
                None => edge.until.is_some(),
                Some(day) => {
                    Self::started(edge).is_some_and(|start| start > day)
                        || edge.until.is_some_and(|until| until < day)
                }
            },
            Refusal::KnownAt => self
                .known_at
                .is_some_and(|day| edge.first_reported.is_none_or(|r| r > day)),
        }
    }

    pub fn admits(&self, edge: &EdgeData) -> bool {
        Refusal::ALL.iter().all(|&r| !self.refuses(r, edge))
    }
}

impl Refusal {
    pub const ALL: [Refusal; 5] = [
        Refusal::Relation,
        Refusal::Stage,
        Refusal::Confidence,
        Refusal::Date,
        Refusal::KnownAt,
    ];
}

/// The result of a walk: the nodes reached with their generation (negative for
/// ancestors, positive for descendants, 0 for the root) and the edges followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subgraph {
    pub root: ModelNode,
    pub nodes: Vec<(ModelNode, i32)>,
    pub edges: Vec<ClaimEdge>,
}

/// One step of a path: an edge, and whether the path walks it from model to base
/// (`Up`) or from base to model (`Down`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub edge: ClaimEdge,
    pub direction: Direction,
}

/// A path between two models.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    pub nodes: Vec<ModelNode>,
    pub steps: Vec<Step>,
}

impl LineageIndex {
    /// Walks from `root` in `direction` along admitted edges, up to `max_depth` edges
    /// away (unlimited when `None`).
    pub fn walk(
        &self,
        root: &str,
        direction: Direction,
        filter: &Filter,
        max_depth: Option<usize>,
    ) -> Result<Subgraph, LineageError> {
        self.walk_many(root, &[], direction, filter, max_depth)
    }

    /// Walks from `root` and from each of `also` at once, as one walk whose first
    /// generation is all of them (a family and its members): each model is reached
    /// once, so the cost is that of the union, not of a walk per member.
    pub fn walk_many(
        &self,
        root: &str,
        also: &[&str],
        direction: Direction,
        filter: &Filter,
        max_depth: Option<usize>,
    ) -> Result<Subgraph, LineageError> {
        let start = self.node(root)?;
        let mut starts = vec![start];
        let mut started = HashSet::from([start]);
        for id in also {
            let node = self.node(id)?;
            if started.insert(node) {
                starts.push(node);
            }
        }
        let mut generations: HashMap<NodeIndex, i32> =
            starts.iter().map(|&node| (node, 0)).collect();
        let mut edges = Vec::new();
        let walks: &[(PetDirection, i32)] = match direction {
            Direction::Up => &[(PetDirection::Outgoing, -1)],
            Direction::Down => &[(PetDirection::Incoming, 1)],
            Direction::Both => &[(PetDirection::Outgoing, -1), (PetDirection::Incoming, 1)],
        };
        for &(way, sign) in walks {
            let mut queue: VecDeque<(NodeIndex, usize)> =
                starts.iter().map(|&node| (node, 0)).collect();
            let mut seen: HashSet<NodeIndex> = starts.iter().copied().collect();
            while let Some((node, depth)) = queue.pop_front() {
                if max_depth.is_some_and(|max| depth >= max) {
                    continue;
                }
                for edge in self.graph.edges_directed(node, way) {
                    if !filter.admits(edge.weight()) {
                        continue;
                    }
                    edges.push(edge.id());
                    let next = if way == PetDirection::Outgoing {
                        edge.target()
                    } else {
                        edge.source()
                    };
                    if seen.insert(next) {
                        generations.entry(next).or_insert(sign * (depth as i32 + 1));
                        queue.push_back((next, depth + 1));
                    }
                }
            }
        }
        edges.sort();
        edges.dedup();
        let mut nodes: Vec<(NodeIndex, i32)> = generations.into_iter().collect();
        nodes.sort_by_key(|&(node, generation)| (generation, node));
        Ok(Subgraph {
            root: ModelNode(start),
            nodes: nodes
                .into_iter()
                .map(|(node, generation)| (ModelNode(node), generation))
                .collect(),
            edges: edges.into_iter().map(ClaimEdge).collect(),
        })
    }

    /// Ids of every ancestor (`Up`) or descendant (`Down`) of `root` along the claims
    /// that hold now (the default filter): the question SPARQL's
    /// `prov:wasDerivedFrom+` answers.
    pub fn reachable(
        &self,
        root: &str,
        direction: Direction,
    ) -> Result<Vec<ModelNode>, LineageError> {
        let subgraph = self.walk(root, direction, &Filter::default(), None)?;
        Ok(subgraph
            .nodes
            .into_iter()
            .filter(|&(node, _)| node != subgraph.root)
            .map(|(node, _)| node)
            .collect())
    }

    /// The shortest path between two models, following admitted edges in either
    /// direction; `None` when they are not related.
    ///
    /// A bidirectional breadth-first search: each round expands, by one level, the
    /// side whose frontier has fewer edges to follow, so a path from a deep leaf to a
    /// root with a hundred thousand derivatives walks up from the leaf instead of
    /// down through the whole family.
    pub fn path(
        &self,
        from: &str,
        to: &str,
        filter: &Filter,
    ) -> Result<Option<Path>, LineageError> {
        let start = self.node(from)?;
        let goal = self.node(to)?;
        if start == goal {
            return Ok(Some(Path {
                nodes: vec![ModelNode(start)],
                steps: Vec::new(),
            }));
        }
        // node -> (the node it was reached from and the step taken, distance)
        let mut seen_start: Seen = HashMap::from([(start, (None, 0))]);
        let mut seen_goal: Seen = HashMap::from([(goal, (None, 0))]);
        let mut frontier_start = vec![start];
        let mut frontier_goal = vec![goal];
        let degree = |nodes: &[NodeIndex]| -> usize {
            nodes
                .iter()
                .map(|&n| {
                    self.graph.edges_directed(n, PetDirection::Outgoing).count()
                        + self.graph.edges_directed(n, PetDirection::Incoming).count()
                })
                .sum()
        };
        loop {
            if frontier_start.is_empty() || frontier_goal.is_empty() {
                return Ok(None);
            }
            let from_start = degree(&frontier_start) <= degree(&frontier_goal);
            let (frontier, seen, other) = if from_start {
                (&mut frontier_start, &mut seen_start, &seen_goal)
            } else {
                (&mut frontier_goal, &mut seen_goal, &seen_start)
            };
            let mut next = Vec::new();
            let mut best: Option<(u32, NodeIndex)> = None;
            for &node in frontier.iter() {
                let depth = seen[&node].1;
                let up = self
                    .graph
                    .edges_directed(node, PetDirection::Outgoing)
                    .map(|e| (e, e.target(), Direction::Up));
                let down = self
                    .graph
                    .edges_directed(node, PetDirection::Incoming)
                    .map(|e| (e, e.source(), Direction::Down));
                for (edge, neighbour, direction) in up.chain(down) {
                    if !filter.admits(edge.weight()) || seen.contains_key(&neighbour) {
                        continue;
                    }
                    let step = Step {
                        edge: ClaimEdge(edge.id()),
                        direction,
                    };
                    seen.insert(neighbour, (Some((node, step)), depth + 1));
                    next.push(neighbour);
                    if let Some(&(_, other_depth)) = other.get(&neighbour) {
                        let total = depth + 1 + other_depth;
                        if best.is_none_or(|(b, _)| total < b) {
                            best = Some((total, neighbour));
                        }
                    }
                }
            }
            *frontier = next;
            if let Some((_, meeting)) = best {
                return Ok(Some(self.join_paths(meeting, &seen_start, &seen_goal)));
            }
        }
    }

    /// Joins the two halves of a bidirectional search at `meeting`.
    fn join_paths(&self, meeting: NodeIndex, seen_start: &Seen, seen_goal: &Seen) -> Path {
        // From the meeting node back to the start, then reversed.
        let mut nodes = vec![meeting];
        let mut steps = Vec::new();
        let mut current = meeting;
        while let Some((Some((before, step)), _)) = seen_start.get(&current) {
            steps.push(*step);
            nodes.push(*before);
            current = *before;
        }
        nodes.reverse();
        steps.reverse();
        // From the meeting node on to the goal: the goal side walked these edges the
        // other way, so each step's direction flips.
        let mut current = meeting;
        while let Some((Some((next, step)), _)) = seen_goal.get(&current) {
            let direction = match step.direction {
                Direction::Up => Direction::Down,
                _ => Direction::Up,
            };
            steps.push(Step {
                edge: step.edge,
                direction,
            });
            nodes.push(*next);
            current = *next;
        }
        Path {
            nodes: nodes.into_iter().map(ModelNode).collect(),
            steps,
        }
    }
}

/// What one side of a bidirectional search has reached: for each node, the node and
/// step it was reached by (none for where that side started) and its distance.
type Seen = HashMap<NodeIndex, (Option<(NodeIndex, Step)>, u32)>;
