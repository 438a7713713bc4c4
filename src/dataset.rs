//! The dataset: a checked `graph-data/` tree, and the validated records it yields.
//!
//! [`Checked::run`] is the one entry point for reading data: it loads, validates and
//! sorts the diagnostics. Only a tree without errors becomes a [`Dataset`], the
//! immutable input of everything downstream (RDF mapping, lineage index, server).

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostics::{self, Diagnostic, FileId, SourceFile, Tally};
use crate::load::{self, LoadError, Loaded};
use crate::model::{
    Claim, ClaimField, ClaimRef, DatasetRecord, Id, Kind, License, Model, Organization, Person,
    Record, Source,
};
use crate::validate;

/// The outcome of loading and validating a data tree.
#[derive(Debug)]
pub struct Checked {
    pub loaded: Loaded,
    /// The loader's and the validator's diagnostics, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Time spent reading and parsing, and checking.
    pub timings: (std::time::Duration, std::time::Duration),
}

impl Checked {
    /// Loads and validates the tree at `root`.
    pub fn run(root: &Path) -> Result<Checked, LoadError> {
        let started = std::time::Instant::now();
        let loaded = load::load_dir(root)?;
        Ok(Checked::validate(loaded, started))
    }

    /// Loads and validates the curated records of the tree at `root` (without its
    /// `imported/` subtree): what an importer links to.
    pub fn run_curated(root: &Path) -> Result<Checked, LoadError> {
        let started = std::time::Instant::now();
        let loaded = load::load_curated(root)?;
        Ok(Checked::validate(loaded, started))
    }

    /// Validates what was loaded some other way (see [`load::load_sources`]).
    pub fn from_loaded(loaded: load::Loaded) -> Checked {
        Checked::validate(loaded, std::time::Instant::now())
    }

    fn validate(mut loaded: load::Loaded, started: std::time::Instant) -> Checked {
        let parsed = started.elapsed();
        let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
        diagnostics.extend(validate::check(&loaded));
        diagnostics::sort(&mut diagnostics, &loaded.files);
        Checked {
            loaded,
            diagnostics,
            timings: (parsed, started.elapsed() - parsed),
        }
    }

    pub fn tally(&self) -> Tally {
        Tally::of(&self.diagnostics)
    }

    pub fn is_valid(&self) -> bool {
        self.tally().errors == 0
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.loaded.files
    }

    pub fn record_count(&self) -> usize {
        self.loaded.entries.len()
    }

    /// Whether some file could not be read (exit code 2 rather than 1).
    pub fn had_io_failure(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.code == diagnostics::Code::UnreadableFile)
    }

    /// The dataset, if the tree has no errors, and the file of each model (by its
    /// position in `dataset.models`), leaving the files and diagnostics here for
    /// reporting: what `validate` needs to add findings about the valid data.
    pub fn take_dataset(&mut self) -> Option<(Dataset, Vec<FileId>)> {
        if !self.is_valid() {
            return None;
        }
        let entries = std::mem::take(&mut self.loaded.entries);
        let model_files = entries
            .iter()
            .filter(|e| matches!(e.record, Record::Model(_)))
            .map(|e| e.file)
            .collect();
        Some((
            Dataset::from_records(entries.into_iter().map(|e| e.record)),
            model_files,
        ))
    }

    /// The dataset, if the tree has no errors; else the check itself, for reporting.
    pub fn into_dataset(self) -> Result<Dataset, Box<Checked>> {
        if !self.is_valid() {
            return Err(Box::new(self));
        }
        Ok(Dataset::from_records(
            self.loaded.entries.into_iter().map(|e| e.record),
        ))
    }
}

/// Where a record sits in a [`Dataset`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordRef {
    Model(u32),
    Organization(u32),
    Person(u32),
    Source(u32),
    License(u32),
    Dataset(u32),
}

impl RecordRef {
    pub fn kind(self) -> Kind {
        match self {
            RecordRef::Model(_) => Kind::Model,
            RecordRef::Organization(_) => Kind::Organization,
            RecordRef::Person(_) => Kind::Person,
            RecordRef::Source(_) => Kind::Source,
            RecordRef::License(_) => Kind::License,
            RecordRef::Dataset(_) => Kind::Dataset,
        }
    }
}

/// Validated records by kind, in file order, with an index from id to record.
///
/// **Architecture Invariant:** a `Dataset` exists only for data without errors: every
/// reference resolves to a record of the right kind, every date is valid, lineage is
/// acyclic. Code downstream may rely on this and need not re-check.
#[derive(Debug, Default)]
pub struct Dataset {
    pub models: Vec<Model>,
    pub organizations: Vec<Organization>,
    pub people: Vec<Person>,
    pub sources: Vec<Source>,
    pub licenses: Vec<License>,
    /// Dataset records (the kind `dataset`; this struct is the whole validated tree).
    pub datasets: Vec<DatasetRecord>,
    index: HashMap<Id, RecordRef>,
}

impl Dataset {
    fn from_records(records: impl Iterator<Item = Record>) -> Dataset {
        let mut dataset = Dataset::default();
        for record in records {
            let id = record.id().value.clone();
            let position = |len: usize| u32::try_from(len).expect("fewer than 4 billion records");
            let at = match record {
                Record::Model(r) => {
                    dataset.models.push(r.value);
                    RecordRef::Model(position(dataset.models.len() - 1))
                }
                Record::Organization(r) => {
                    dataset.organizations.push(r.value);
                    RecordRef::Organization(position(dataset.organizations.len() - 1))
                }
                Record::Person(r) => {
                    dataset.people.push(r.value);
                    RecordRef::Person(position(dataset.people.len() - 1))
                }
                Record::Source(r) => {
                    dataset.sources.push(r.value);
                    RecordRef::Source(position(dataset.sources.len() - 1))
                }
                Record::License(r) => {
                    dataset.licenses.push(r.value);
                    RecordRef::License(position(dataset.licenses.len() - 1))
                }
                Record::Dataset(r) => {
                    dataset.datasets.push(r.value);
                    RecordRef::Dataset(position(dataset.datasets.len() - 1))
                }
            };
            dataset.index.insert(id, at);
        }
        dataset
    }

    pub fn get(&self, id: &str) -> Option<RecordRef> {
        self.index.get(id).copied()
    }

    pub fn model(&self, id: &str) -> Option<&Model> {
        match self.get(id)? {
            RecordRef::Model(i) => self.models.get(i as usize),
            _ => None,
        }
    }

    pub fn organization(&self, id: &str) -> Option<&Organization> {
        match self.get(id)? {
            RecordRef::Organization(i) => self.organizations.get(i as usize),
            _ => None,
        }
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        match self.get(id)? {
            RecordRef::Person(i) => self.people.get(i as usize),
            _ => None,
        }
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        match self.get(id)? {
            RecordRef::Source(i) => self.sources.get(i as usize),
            _ => None,
        }
    }

    pub fn license(&self, id: &str) -> Option<&License> {
        match self.get(id)? {
            RecordRef::License(i) => self.licenses.get(i as usize),
            _ => None,
        }
    }

    /// The dataset record (kind `dataset`) with this id.
    pub fn training_data(&self, id: &str) -> Option<&DatasetRecord> {
        match self.get(id)? {
            RecordRef::Dataset(i) => self.datasets.get(i as usize),
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Every claim of the record at `record` (none for a source).
    pub fn claims(&self, record: RecordRef) -> Vec<ClaimRef<'_>> {
        match record {
            RecordRef::Model(i) => self.models[i as usize].claims(),
            RecordRef::Organization(i) => self.organizations[i as usize].claims(),
            RecordRef::Person(i) => self.people[i as usize].claims(),
            RecordRef::License(i) => self.licenses[i as usize].claims(),
            RecordRef::Dataset(i) => self.datasets[i as usize].claims(),
            RecordRef::Source(_) => Vec::new(),
        }
    }

    /// The claim at `index` of `field` in the record at `record`, if there is one.
    pub fn claim(
        &self,
        record: RecordRef,
        field: ClaimField,
        index: usize,
    ) -> Option<ClaimRef<'_>> {
        self.claims(record)
            .into_iter()
            .find(|claim| claim.field() == field && claim.index == index)
    }

    /// The id of the record at `record`.
    pub fn id(&self, record: RecordRef) -> &Id {
        match record {
            RecordRef::Model(i) => &self.models[i as usize].id,
            RecordRef::Organization(i) => &self.organizations[i as usize].id,
            RecordRef::Person(i) => &self.people[i as usize].id,
            RecordRef::Source(i) => &self.sources[i as usize].id,
            RecordRef::License(i) => &self.licenses[i as usize].id,
            RecordRef::Dataset(i) => &self.datasets[i as usize].id,
        }
    }

    /// The day by which the earliest of a claim's sources had certainly been
    /// published: the last day of its publication date at that date's precision (a
    /// source dated `2025-12` counts from 31 December). "What was public on day X"
    /// compares against this.
    pub fn first_reported(&self, claim: &dyn Claim) -> Option<(u16, u8, u8)> {
        claim
            .source_ids()
            .iter()
            .filter_map(|id| self.source(id.as_str()))
            .filter_map(|source| source.published.date())
            .map(|date| date.last_day())
            .min()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}
