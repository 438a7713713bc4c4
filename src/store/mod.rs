//! The compact, immutable quad store every SPARQL query reads.
//!
//! Built once from the knowledge base's quads and never changed. Each distinct term
//! is stored once in a dictionary (`dictionary`: bytes in one arena, decoded when an
//! answer needs the term) and named by a [`TermId`]; each graph keeps its triples sorted by subject,
//! predicate, object (12 bytes each), with two orders more (POS, OSP) as arrays of
//! positions into that list (4 bytes each), so every triple pattern is one binary
//! search for the range of triples sharing its bound terms: 20 bytes a triple. This is
//! the classic read-only layout (RDF-3X, HDT) and costs a fraction of a general store.
//!
//! It knows nothing of SPARQL evaluation: `sparql::dataset` presents it to the
//! evaluator, and is the one place that checks limits while reading it.

mod dictionary;

use std::collections::BTreeMap;

use oxigraph::model::{GraphName, NamedOrBlankNode, Quad, Term};

use dictionary::Dictionary;

/// A term's position in the dictionary.
pub type TermId = u32;

/// An immutable RDF dataset: a default graph and named graphs.
#[derive(Default)]
pub struct CompactStore {
    terms: Dictionary,
    default: Graph,
    named: BTreeMap<TermId, Graph>,
    quads: usize,
}

impl std::fmt::Debug for CompactStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompactStore")
            .field("terms", &self.terms.len())
            .field("quads", &self.quads)
            .field("named_graphs", &self.named.len())
            .finish()
    }
}

/// Why the store cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the dataset has more than {} distinct terms, the most a store holds",
        TermId::MAX
    )]
    TooManyTerms,
    #[error("a graph has more than {} triples, the most a store holds", u32::MAX)]
    TooManyTriples,
}

impl CompactStore {
    /// Builds a store from quads (duplicates are kept once).
    pub fn from_quads(quads: impl IntoIterator<Item = Quad>) -> Result<CompactStore, StoreError> {
        let mut builder = StoreBuilder::default();
        for quad in quads {
            builder.insert(quad)?;
        }
        Ok(builder.finish())
    }

    /// Number of distinct quads.
    pub fn len(&self) -> usize {
        self.quads
    }

    pub fn is_empty(&self) -> bool {
        self.quads == 0
    }

    /// Number of distinct terms in the dictionary: ids below it are store terms.
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// The term named `id`, decoded from the dictionary.
    pub fn term(&self, id: TermId) -> Option<Term> {
        self.terms.term(id)
    }

    pub fn id(&self, term: &Term) -> Option<TermId> {
        self.terms.id(term)
    }

    /// The default graph, or the named graph `name`.
    pub fn graph(&self, name: Option<TermId>) -> Option<&Graph> {
        match name {
            None => Some(&self.default),
            Some(id) => self.named.get(&id),
        }
    }

    /// Named graphs with their names, in id order.
    pub fn named_graphs(&self) -> impl Iterator<Item = (TermId, &Graph)> {
        self.named.iter().map(|(id, graph)| (*id, graph))
    }

    /// The names of the named graphs, as terms.
    pub fn named_graph_names(&self) -> impl Iterator<Item = NamedOrBlankNode> + '_ {
        self.named.keys().filter_map(|id| match self.term(*id)? {
            Term::NamedNode(node) => Some(node.into()),
            Term::BlankNode(node) => Some(node.into()),
            Term::Literal(_) => None,
        })
    }
}

/// The triples of one graph, sorted three ways.
#[derive(Debug, Default)]
pub struct Graph {
    /// The triples, sorted by subject, predicate, object.
    spo: Vec<[TermId; 3]>,
    /// Positions in `spo`, sorted by predicate, object, subject.
    pos: Vec<u32>,
    /// Positions in `spo`, sorted by object, subject, predicate.
    osp: Vec<u32>,
}

impl Graph {
    pub fn len(&self) -> usize {
        self.spo.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spo.is_empty()
    }

    /// The triples (subject, predicate, object) matching the bound positions: one
    /// binary search in the permutation whose prefix they form.
    pub fn matching(
        &self,
        subject: Option<TermId>,
        predicate: Option<TermId>,
        object: Option<TermId>,
    ) -> Matches<'_> {
        let (key, k, order) = match (subject, predicate, object) {
            (Some(s), Some(p), Some(o)) => ([s, p, o], 3, Order::Spo),
            (Some(s), Some(p), None) => ([s, p, 0], 2, Order::Spo),
            (Some(s), None, Some(o)) => ([o, s, 0], 2, Order::Osp),
            (Some(s), None, None) => ([s, 0, 0], 1, Order::Spo),
            (None, Some(p), Some(o)) => ([p, o, 0], 2, Order::Pos),
            (None, Some(p), None) => ([p, 0, 0], 1, Order::Pos),
            (None, None, Some(o)) => ([o, 0, 0], 1, Order::Osp),
            (None, None, None) => ([0, 0, 0], 0, Order::Spo),
        };
        let key = &key[..k];
        let spo = &self.spo;
        let permuted = |t: &[TermId; 3]| order.permute(t);
        let range = match order {
            Order::Spo => {
                let start = spo.partition_point(|t| &t[..k] < key);
                let end = start + spo[start..].partition_point(|t| &t[..k] == key);
                Positions::Direct(start as u32..end as u32)
            }
            Order::Pos | Order::Osp => {
                let index = if matches!(order, Order::Pos) {
                    &self.pos
                } else {
                    &self.osp
                };
                let at = |i: &u32| permuted(&spo[*i as usize]);
                let start = index.partition_point(|i| &at(i)[..k] < key);
                let end = start + index[start..].partition_point(|i| &at(i)[..k] == key);
                Positions::Indirect(index[start..end].iter())
            }
        };
        Matches { spo, range }
    }
}

#[derive(Clone, Copy, Debug)]
enum Order {
    Spo,
    Pos,
    Osp,
}

impl Order {
    /// A triple's terms in this order.
    fn permute(self, &[s, p, o]: &[TermId; 3]) -> [TermId; 3] {
        match self {
            Order::Spo => [s, p, o],
            Order::Pos => [p, o, s],
            Order::Osp => [o, s, p],
        }
    }
}

/// Where the matches of a pattern are in a graph's `spo` list.
#[derive(Debug)]
enum Positions<'a> {
    Direct(std::ops::Range<u32>),
    Indirect(std::slice::Iter<'a, u32>),
}

/// Triples of one pattern, in (subject, predicate, object) order.
#[derive(Debug)]
pub struct Matches<'a> {
    spo: &'a [[TermId; 3]],
    range: Positions<'a>,
}

impl Iterator for Matches<'_> {
    type Item = [TermId; 3];

    fn next(&mut self) -> Option<[TermId; 3]> {
        let position = match &mut self.range {
            Positions::Direct(range) => range.next()?,
            Positions::Indirect(positions) => *positions.next()?,
        };
        Some(self.spo[position as usize])
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.range {
            Positions::Direct(range) => range.size_hint(),
            Positions::Indirect(positions) => positions.size_hint(),
        }
    }
}

/// Collects quads, then sorts them into a [`CompactStore`].
#[derive(Default)]
struct StoreBuilder {
    store: CompactStore,
    /// Scratch space for encoding a term.
    buffer: Vec<u8>,
}

impl StoreBuilder {
    fn id(&mut self, term: Term) -> Result<TermId, StoreError> {
        self.store.terms.insert(&term, &mut self.buffer)
    }

    fn insert(&mut self, quad: Quad) -> Result<(), StoreError> {
        let s = self.id(quad.subject.into())?;
        let p = self.id(quad.predicate.into())?;
        let o = self.id(quad.object)?;
        let graph = match quad.graph_name {
            GraphName::DefaultGraph => &mut self.store.default,
            GraphName::NamedNode(node) => {
                let g = self.id(node.into())?;
                self.store.named.entry(g).or_default()
            }
            GraphName::BlankNode(node) => {
                let g = self.id(node.into())?;
                self.store.named.entry(g).or_default()
            }
        };
        // Positions into a graph's triples are `u32`s.
        if graph.spo.len() >= u32::MAX as usize {
            return Err(StoreError::TooManyTriples);
        }
        graph.spo.push([s, p, o]);
        Ok(())
    }

    fn finish(mut self) -> CompactStore {
        let mut quads = 0;
        for graph in std::iter::once(&mut self.store.default).chain(self.store.named.values_mut()) {
            graph.spo.sort_unstable();
            graph.spo.dedup();
            graph.spo.shrink_to_fit();
            let spo = &graph.spo;
            let positions = || (0..spo.len() as u32).collect::<Vec<u32>>();
            let mut pos = positions();
            pos.sort_unstable_by_key(|&i| Order::Pos.permute(&spo[i as usize]));
            let mut osp = positions();
            osp.sort_unstable_by_key(|&i| Order::Osp.permute(&spo[i as usize]));
            graph.pos = pos;
            graph.osp = osp;
            quads += graph.spo.len();
        }
        self.store.quads = quads;
        self.store.terms.shrink_to_fit();
        self.store
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    fn iri(s: &str) -> NamedNode {
        NamedNode::new(format!("http://e/{s}")).unwrap()
    }

    #[test]
    fn every_pattern_finds_exactly_the_matching_triples() {
        let quads: Vec<Quad> = [
            ("a", "p", "b"),
            ("a", "q", "c"),
            ("b", "p", "c"),
            ("a", "p", "b"),
        ]
        .iter()
        .map(|(s, p, o)| Quad::new(iri(s), iri(p), iri(o), GraphName::DefaultGraph))
        .chain([Quad::new(
            iri("a"),
            iri("p"),
            Literal::new_simple_literal("x"),
            iri("g"),
        )])
        .collect();
        let store = CompactStore::from_quads(quads.clone()).unwrap();
        assert_eq!(store.len(), 4, "the duplicate is kept once");
        let id = |s: &str| store.id(&iri(s).into());
        let graph = store.graph(None).unwrap();
        let all: Vec<[TermId; 3]> = graph.matching(None, None, None).collect();
        assert_eq!(all.len(), 3);
        for s in [None, id("a"), id("b")] {
            for p in [None, id("p"), id("q")] {
                for o in [None, id("b"), id("c")] {
                    let expected: Vec<[TermId; 3]> = all
                        .iter()
                        .copied()
                        .filter(|t| {
                            s.is_none_or(|s| t[0] == s)
                                && p.is_none_or(|p| t[1] == p)
                                && o.is_none_or(|o| t[2] == o)
                        })
                        .collect();
                    let mut found: Vec<[TermId; 3]> = graph.matching(s, p, o).collect();
                    found.sort_unstable();
                    assert_eq!(found, expected, "pattern {s:?} {p:?} {o:?}");
                }
            }
        }
        let g = id("g").unwrap();
        assert_eq!(store.graph(Some(g)).unwrap().len(), 1);
        assert_eq!(store.named_graph_names().count(), 1);
    }
}
