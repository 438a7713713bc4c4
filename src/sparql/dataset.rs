//! The compact store as oxigraph's evaluator sees it, with the guard checked at
//! every step.
//!
//! Implements `spareval::QueryableDataset` over [`CompactStore`]: internal terms are
//! the store's ids, and terms a query makes (computed values, constants the store
//! lacks) get ids above the store's in a per-query dictionary. This is where an
//! evaluation's limits bite: every quad read and every term looked up checks the
//! [`Guard`], and a new value larger than the guard's value limit stops the
//! evaluation instead of being kept.

use std::cell::RefCell;
use std::collections::HashMap;

use oxigraph::model::Term;
use spareval::{ExpressionTerm, InternalQuad, QueryableDataset};

use super::guard::{Guard, StopReason, Stopped};
use crate::store::{CompactStore, Graph, TermId};

/// One evaluation's view of the store.
#[derive(Debug)]
pub struct GuardedDataset<'a> {
    store: &'a CompactStore,
    guard: Guard,
    made: RefCell<Made>,
}

/// Terms the query made that the store does not hold.
#[derive(Debug, Default)]
struct Made {
    terms: Vec<Term>,
    ids: HashMap<Term, TermId>,
}

impl<'a> GuardedDataset<'a> {
    pub fn new(store: &'a CompactStore, guard: Guard) -> GuardedDataset<'a> {
        GuardedDataset {
            store,
            guard,
            made: RefCell::default(),
        }
    }

    fn first_made_id(&self) -> TermId {
        // The store refuses more terms than fit, so its count is an id.
        TermId::try_from(self.store.term_count()).unwrap_or(TermId::MAX)
    }

    fn intern(&self, term: Term) -> Result<TermId, Stopped> {
        if let Some(id) = self.store.id(&term) {
            return Ok(id);
        }
        let mut made = self.made.borrow_mut();
        if let Some(id) = made.ids.get(&term) {
            return Ok(*id);
        }
        if term_bytes(&term) > self.guard.max_value_bytes() {
            self.guard.stop(StopReason::ValueTooLarge);
            return Err(Stopped(StopReason::ValueTooLarge));
        }
        let id = self
            .first_made_id()
            .checked_add(TermId::try_from(made.terms.len()).unwrap_or(TermId::MAX))
            .ok_or(Stopped(StopReason::ValueTooLarge))?;
        made.terms.push(term.clone());
        made.ids.insert(term, id);
        Ok(id)
    }
}

/// The bytes a term's text takes.
pub fn term_bytes(term: &Term) -> usize {
    match term {
        Term::NamedNode(node) => node.as_str().len(),
        Term::BlankNode(node) => node.as_str().len(),
        Term::Literal(literal) => literal.value().len(),
    }
}

impl<'a> QueryableDataset<'a> for GuardedDataset<'a> {
    type InternalTerm = TermId;
    type Error = Stopped;

    fn internal_quads_for_pattern(
        &self,
        subject: Option<&TermId>,
        predicate: Option<&TermId>,
        object: Option<&TermId>,
        graph_name: Option<Option<&TermId>>,
    ) -> impl Iterator<Item = Result<InternalQuad<TermId>, Stopped>> + use<'a> {
        let store: &'a CompactStore = self.store;
        let guard = self.guard.clone();
        let (s, p, o) = (subject.copied(), predicate.copied(), object.copied());
        let first_made = self.first_made_id();
        // A term the query made is in no triple.
        let absent = [s, p, o].iter().flatten().any(|id| *id >= first_made);
        let graphs: Vec<(Option<TermId>, &'a Graph)> = match graph_name {
            _ if absent => Vec::new(),
            Some(None) => store.graph(None).map(|g| (None, g)).into_iter().collect(),
            Some(Some(name)) => store
                .graph(Some(*name))
                .map(|g| (Some(*name), g))
                .into_iter()
                .collect(),
            None => store
                .named_graphs()
                .map(|(name, g)| (Some(name), g))
                .collect(),
        };
        graphs
            .into_iter()
            .flat_map(move |(name, graph)| {
                graph.matching(s, p, o).map(move |[s, p, o]| InternalQuad {
                    subject: s,
                    predicate: p,
                    object: o,
                    graph_name: name,
                })
            })
            .map(move |quad| {
                guard.check()?;
                Ok(quad)
            })
    }

    fn internal_named_graphs(&self) -> impl Iterator<Item = Result<TermId, Stopped>> + use<'a> {
        let store: &'a CompactStore = self.store;
        store.named_graphs().map(|(name, _)| Ok(name))
    }

    fn contains_internal_graph_name(&self, graph_name: &TermId) -> Result<bool, Stopped> {
        Ok(self.store.graph(Some(*graph_name)).is_some())
    }

    fn internalize_term(&self, term: Term) -> Result<TermId, Stopped> {
        self.guard.check()?;
        self.intern(term)
    }

    fn externalize_term(&self, id: TermId) -> Result<Term, Stopped> {
        if let Some(term) = self.store.term(id) {
            return Ok(term);
        }
        let index = (id - self.first_made_id()) as usize;
        self.made
            .borrow()
            .terms
            .get(index)
            .cloned()
            .ok_or(Stopped(StopReason::Abandoned))
    }

    fn internalize_expression_term(&self, term: ExpressionTerm) -> Result<TermId, Stopped> {
        self.guard.check()?;
        self.intern(term.into())
    }
}
