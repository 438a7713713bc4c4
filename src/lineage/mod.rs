//! The lineage index: models and their typed lineage edges in a petgraph graph, for
//! fast walks (ancestors, descendants, shortest paths) with filters.
//!
//! Built from the same validated [`Dataset`](crate::dataset::Dataset) as the RDF
//! mapping, and tested to agree with SPARQL property paths on every model. Edges point
//! from the derived model to its base, as `prov:wasDerivedFrom` does. Every lineage
//! claim is an edge (a claim that ended and one that repeats it are two parallel
//! edges); a walk without an as-of date follows only claims without `until`, the ones
//! the direct triples state. The graph is compact: nodes and edges hold positions into
//! the dataset and pre-computed day numbers for the date filters, not copies of
//! records, so a million-model forest stays small.
//!
//! **Architecture Invariant:** the index does no IO and knows nothing of HTTP; it
//! answers questions about the graph and leaves rendering to [`render`].
//!
//! The parts: `index` builds the graph and answers what a node or edge stands for;
//! `walk` holds the filters and the searches over it (walks, reachability, shortest
//! paths); `counts` counts a model's direct edges by relation and confidence;
//! `hidden` counts what a walk's filter hid next to it; `neighbours` ranks a model's
//! direct claims (the one order of lists and pictures); `bounded` walks drawing at
//! most so many models and folds the rest into counts; `compact` writes the compact
//! JSON answer from pieces written once at build; the other modules draw what a walk
//! returns.

pub mod bounded;
mod compact;
pub mod counts;
pub mod hidden;
mod index;
pub mod layout;
pub mod neighbours;
pub mod render;
pub mod style;
pub mod svg;
mod walk;

pub use index::{
    ClaimEdge, Day, EdgeData, Entity, LineageError, LineageIndex, ModelNode, NodeData, first_day,
    last_day,
};
pub use walk::{Direction, Filter, Path, Refusal, Step, Subgraph};
