//! The validator: every check that serde cannot make, run over everything loaded.
//!
//! Checks run in passes, like taplo's: the loader has already reported syntax and
//! schema problems; here come values (ids, dates, URLs, formats), then references
//! (unknown ids, wrong kinds, duplicates), then provenance (sources and confidence of
//! every claim), then the graph as a whole (cycles, releases before their bases).
//! Every pass goes on across all files, so one run reports every problem.
//!
//! **Architecture Invariant:** validation does no IO; it reads [`Loaded`] and returns
//! diagnostics. It knows nothing of the CLI or the server.

mod graph;
mod provenance;
mod references;
mod values;

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, FileId, Location};
use crate::load::{Entry, Loaded};
use crate::model::{Id, Kind, Record, Span};

/// What an id names: its kind, where it is defined, and the record if it parsed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Target<'a> {
    pub kind: Kind,
    pub location: Location,
    pub record: Option<&'a Record>,
}

/// Shared state of one validation run.
pub(crate) struct Checker<'a> {
    pub loaded: &'a Loaded,
    /// Every id, first definition wins.
    pub index: HashMap<&'a str, Target<'a>>,
    pub out: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    fn new(loaded: &'a Loaded) -> Self {
        Checker {
            loaded,
            index: HashMap::with_capacity(loaded.entries.len()),
            out: Vec::new(),
        }
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.out.push(diagnostic);
    }

    pub fn entries(&self) -> &'a [Entry] {
        &self.loaded.entries
    }

    /// The record an id names, if it parsed.
    pub fn record(&self, id: &str) -> Option<&'a Record> {
        self.index.get(id).and_then(|target| target.record)
    }

    /// Ids of every record of `kind` (or of every kind), for "did you mean" hints.
    pub fn ids_of(&self, kind: Option<Kind>) -> impl Iterator<Item = &'a str> + '_ {
        self.index
            .iter()
            .filter(move |(_, target)| kind.is_none_or(|k| target.kind == k))
            .map(|(id, _)| *id)
    }
}

pub(crate) fn location(file: FileId, span: Span) -> Location {
    Location { file, span }
}

/// Runs every semantic check over what the loader read and returns the diagnostics
/// (unsorted; the caller merges them with the loader's and sorts).
pub fn check(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut checker = Checker::new(loaded);
    references::index_ids(&mut checker);
    for entry in checker.entries() {
        values::check_record(&mut checker, entry);
        references::check_record(&mut checker, entry);
        provenance::check_record(&mut checker, entry);
    }
    references::check_hub_ids(&mut checker);
    graph::check(&mut checker);
    checker.out
}

/// The ids defined in a loaded tree, for callers that need them without validating.
pub fn defined_ids(loaded: &Loaded) -> Vec<&Id> {
    loaded
        .entries
        .iter()
        .map(|e| &e.record.id().value)
        .collect()
}
