//! The compact JSON answer of a walk (`compact=true`), written from JSON rendered once
//! per model, edge and source when the index is built.
//!
//! A whole family's answer is large (73,000 models and edges of a million-model
//! corpus, 17.8 MB) and its cost was not the writing but the reading: every model's
//! id, name and developer, every edge's claim and every cited source id is a separate
//! allocation somewhere in gigabytes of records, and fetching each one (a cache and a
//! TLB miss) cost more than writing it. So each node's, edge's and source's JSON is
//! written once, here, into one buffer per kind in index order, and an answer copies
//! the pieces of the models and edges it drew, reading each buffer forwards (it
//! writes each generation's models, and its edges, in index order). The cost is
//! memory: about 250 bytes a model at a million models (see `docs/benchmarks.md`).
//!
//! The bytes are exactly what `serde_json` writes of a
//! [`CompactLineageView`](crate::view::CompactLineageView), the type that describes
//! the answer in OpenAPI; a test compares the two on every model of the bundled data
//! and of a generated corpus.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use super::bounded::BoundedWalk;
use super::render::{ListLink, Views};
use super::{ClaimEdge, Direction, LineageIndex, ModelNode};
use crate::dataset::Dataset;
use crate::model::Confidence;

/// Every model, edge and source of a dataset as pieces of the compact answer.
#[derive(Default)]
pub(super) struct CompactJson {
    /// Per node: its object up to the value of `generation`, which depends on the walk.
    nodes: Pieces<u8>,
    /// Per edge: its whole object.
    edges: Pieces<u8>,
    /// Per edge: the places in `sources` of the sources it cites.
    cited: Pieces<u32>,
    /// Per source, in the order of ids (the answer's order): `"id":{…}`.
    sources: Pieces<u8>,
}

/// Runs of items end to end in one buffer, the `i`th from `bounds[i]` to
/// `bounds[i + 1]`: one allocation for a million runs, and neighbours side by side.
struct Pieces<T> {
    items: Vec<T>,
    bounds: Vec<usize>,
}

impl<T> Default for Pieces<T> {
    fn default() -> Self {
        Pieces {
            items: Vec::new(),
            bounds: vec![0],
        }
    }
}

impl<T> Pieces<T> {
    /// Adds a run: what `write` appends.
    fn push(&mut self, write: impl FnOnce(&mut Vec<T>)) {
        write(&mut self.items);
        self.bounds.push(self.items.len());
    }

    fn get(&self, i: usize) -> &[T] {
        &self.items[self.bounds[i]..self.bounds[i + 1]]
    }

    fn len(&self) -> usize {
        self.bounds.len() - 1
    }

    fn average_len(&self) -> usize {
        self.items.len() / self.len().max(1)
    }

    /// Gives back the room left over from growing.
    fn shrink_to_fit(&mut self) {
        self.items.shrink_to_fit();
        self.bounds.shrink_to_fit();
    }

    fn heap_bytes(&self) -> usize {
        self.items.capacity() * size_of::<T>() + self.bounds.capacity() * size_of::<usize>()
    }
}

impl fmt::Debug for CompactJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompactJson")
            .field("nodes", &self.nodes.len())
            .field("edges", &self.edges.len())
            .field("sources", &self.sources.len())
            .field("heap_bytes", &self.heap_bytes())
            .finish()
    }
}

impl CompactJson {
    /// Renders every node and edge of `index` (whose graph is built) and every source
    /// of `dataset`.
    pub(super) fn build(index: &LineageIndex, dataset: &Dataset) -> CompactJson {
        let views = Views { index, dataset };
        let mut json = CompactJson::default();
        // Sources in the order of their ids, as the answer's map has them.
        let mut order: Vec<&str> = dataset.sources.iter().map(|s| s.id.as_str()).collect();
        order.sort_unstable();
        let mut place: HashMap<&str, u32> = HashMap::with_capacity(order.len());
        for id in order {
            let Some(source) = views.source(id) else {
                continue;
            };
            place.insert(id, json.sources.len() as u32);
            json.sources.push(|out| {
                string(out, id);
                out.push(b':');
                serialize(out, &source);
            });
        }
        for node in index.graph.node_indices() {
            let entity = index.entity(dataset, ModelNode(node));
            json.nodes.push(|out| {
                out.extend_from_slice(b"{\"id\":");
                string(out, entity.id().as_str());
                out.extend_from_slice(b",\"name\":");
                string(out, entity.name());
                out.extend_from_slice(b",\"kind\":");
                string(out, entity.kind().as_str());
                out.extend_from_slice(b",\"developer\":");
                string(out, entity.maker().map_or("", |id| id.as_str()));
                out.extend_from_slice(b",\"generation\":");
            });
        }
        for edge in index.graph.edge_indices() {
            let (model, base) = index.endpoints(ClaimEdge(edge));
            let claim = index.claim(dataset, ClaimEdge(edge));
            let data = index.edge_data(ClaimEdge(edge));
            let confidence = claim.confidence().map_or(Confidence::Disputed, |c| c.value);
            json.edges.push(|out| {
                out.extend_from_slice(b"{\"model\":");
                string(out, index.id(dataset, model));
                out.extend_from_slice(b",\"base\":");
                string(out, index.id(dataset, base));
                out.extend_from_slice(b",\"relation\":");
                string(out, data.relation.as_str());
                // Only a `trained_on` edge that says its stage has one, as serde
                // skips a `None` stage.
                if let Some(stage) = data.stage {
                    out.extend_from_slice(b",\"stage\":");
                    string(out, stage.as_str());
                }
                out.extend_from_slice(b",\"confidence\":");
                string(out, confidence.as_str());
                out.extend_from_slice(b",\"sources\":[");
                for (i, id) in claim.source_ids().iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    string(out, id.as_str());
                }
                out.extend_from_slice(b"]}");
            });
            // Only sources the dataset has are described, as in the full answer.
            json.cited.push(|out| {
                out.extend(
                    claim
                        .source_ids()
                        .iter()
                        .filter_map(|id| place.get(id.as_str())),
                )
            });
        }
        for pieces in [&mut json.nodes, &mut json.edges, &mut json.sources] {
            pieces.shrink_to_fit();
        }
        json.cited.shrink_to_fit();
        json
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.nodes.heap_bytes()
            + self.edges.heap_bytes()
            + self.cited.heap_bytes()
            + self.sources.heap_bytes()
    }
}

impl Views<'_> {
    /// The compact JSON answer of a walk: every drawn model, every drawn edge with its
    /// source ids, each cited source described once (by id), and the folded counts
    /// with the paths of their lists (`list`).
    pub fn compact_lineage(
        &self,
        walk: &BoundedWalk,
        direction: Direction,
        list: ListLink<'_>,
    ) -> Vec<u8> {
        let json = &self.index.compact;
        let subgraph = &walk.subgraph;
        let nodes = &subgraph.nodes;
        let edges = &subgraph.edges;
        // Room for pieces a quarter longer than the average, so a 17 MB answer is
        // seldom grown (and copied) on the way; room never written is never touched.
        let size = 4096
            + nodes.len() * (json.nodes.average_len() + 13) * 5 / 4
            + edges.len() * (json.edges.average_len() + 1) * 5 / 4;
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(b"{\"root\":");
        string(&mut out, self.index.id(self.dataset, subgraph.root));
        out.extend_from_slice(b",\"direction\":");
        string(&mut out, direction.as_str());
        out.extend_from_slice(b",\"nodes\":[");
        for (i, &(node, generation)) in nodes.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(json.nodes.get(node.0.index()));
            serialize(&mut out, &generation);
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"edges\":[");
        let mut cited = vec![false; json.sources.len()];
        for (i, &edge) in edges.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(json.edges.get(edge.0.index()));
            for &place in json.cited.get(edge.0.index()) {
                cited[place as usize] = true;
            }
        }
        out.extend_from_slice(b"],\"sources\":{");
        let mut first = true;
        for (place, _) in cited.iter().enumerate().filter(|(_, cited)| **cited) {
            if !first {
                out.push(b',');
            }
            first = false;
            out.extend_from_slice(json.sources.get(place));
        }
        out.extend_from_slice(b"},\"complete\":");
        serialize(&mut out, &walk.complete());
        out.extend_from_slice(b",\"folded\":");
        serialize(&mut out, &self.folded(walk, list));
        out.push(b'}');
        out
    }
}

/// `text` as a JSON string. Text with nothing to escape (every id and word, almost
/// every name) is copied whole; the rest is escaped by serde_json, so the answer keeps
/// its rules (which characters, which spelling).
fn string(out: &mut Vec<u8>, text: &str) {
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
