//! The knowledge base: everything derived from one validated dataset, built once.
//!
//! A [`KnowledgeBase`] holds the dataset, its RDF in a [`CompactStore`] (with the
//! vocabulary and any `--rdf` files beside the data), and the lineage index. It is
//! immutable once built: a reload builds a new one and swaps it in whole, so readers
//! never lock and never see a mix of old and new data.

pub mod citations;
pub mod counts;
pub mod findings;
pub mod hierarchy;
pub mod indexes;
pub mod page;
mod rdf_files;
pub mod search;

use std::path::Path;
use std::time::{Duration, Instant};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Quad, Triple};

use crate::dataset::{Checked, Dataset};
use crate::lineage::LineageIndex;
use crate::load::LoadError;
use crate::obligations::findings::Finding;
use crate::obligations::{Obligations, Prepared};
use crate::rdf::{self, Iris};
use crate::store::{CompactStore, StoreError};
use counts::Counts;
use indexes::Indexes;
use search::SearchIndex;

pub use rdf_files::read_rdf;

/// Why a knowledge base could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The data has errors; the check holds them for reporting.
    #[error("the data has {} error(s)", .0.tally().errors)]
    Invalid(Box<Checked>),
    #[error("RDF store: {0}")]
    Store(#[from] StoreError),
    #[error("the built-in vocabulary does not parse: {0}")]
    Vocabulary(String),
    #[error("cannot load {}: {message}", path.display())]
    ExtraRdf {
        path: std::path::PathBuf,
        message: String,
    },
}

/// Timings and sizes of one build, for logs, `/api/status` and benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BuildStats {
    pub records: usize,
    pub models: usize,
    /// Triples of the data (without the vocabulary).
    pub triples: usize,
    /// Quads in the store: data, vocabulary and `--rdf` files (counting the store is
    /// a full scan, so it is counted once, here).
    pub quads: usize,
    pub load_and_validate: Duration,
    /// Mapping to RDF and filling the store (interleaved).
    pub fill_store: Duration,
    /// The lineage index, the reverse indexes and search's name order and keys.
    pub index_lineage: Duration,
    /// What every model owes, walked for the compliance findings.
    pub findings: Duration,
}

impl BuildStats {
    pub fn total(&self) -> Duration {
        self.load_and_validate + self.fill_store + self.index_lineage + self.findings
    }
}

/// The dataset, its RDF store and its lineage index.
pub struct KnowledgeBase {
    pub dataset: Dataset,
    pub store: CompactStore,
    pub lineage: LineageIndex,
    pub indexes: Indexes,
    /// What the obligation walks need (see [`obligations`](Self::obligations)).
    pub prepared: Prepared,
    /// Every compliance finding about every model, in model order.
    pub findings: Vec<Finding>,
    pub iris: Iris,
    pub stats: BuildStats,
    /// Each record's place in name order and its keys, for [`search`].
    search: SearchIndex,
    counts: Counts,
}

impl std::fmt::Debug for KnowledgeBase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The store has no Debug of its own; its size says enough.
        f.debug_struct("KnowledgeBase")
            .field("records", &self.stats.records)
            .field("triples", &self.stats.triples)
            .field("base_iri", &self.iris.base())
            .finish_non_exhaustive()
    }
}

impl KnowledgeBase {
    /// Loads, validates and builds from a data folder.
    pub fn load(dir: &Path, iris: Iris) -> Result<KnowledgeBase, BuildError> {
        KnowledgeBase::load_with(dir, iris, Vec::new())
    }

    /// [`load`](Self::load), with `extra` quads (from [`read_rdf`]) in the store
    /// beside the data: users can join their own data to ours.
    pub fn load_with(
        dir: &Path,
        iris: Iris,
        extra: Vec<Quad>,
    ) -> Result<KnowledgeBase, BuildError> {
        let started = Instant::now();
        let checked = Checked::run(dir)?;
        let dataset = checked.into_dataset().map_err(BuildError::Invalid)?;
        let elapsed = started.elapsed();
        let mut kb = KnowledgeBase::build_with(dataset, iris, extra)?;
        kb.stats.load_and_validate = elapsed;
        Ok(kb)
    }

    /// Builds store and index from a validated dataset.
    pub fn build(dataset: Dataset, iris: Iris) -> Result<KnowledgeBase, BuildError> {
        KnowledgeBase::build_with(dataset, iris, Vec::new())
    }

    /// [`build`](Self::build), with `extra` quads in the store.
    pub fn build_with(
        dataset: Dataset,
        iris: Iris,
        extra: Vec<Quad>,
    ) -> Result<KnowledgeBase, BuildError> {
        let mut stats = BuildStats {
            records: dataset.len(),
            models: dataset.models.len(),
            ..BuildStats::default()
        };
        // Triples stream from the mapping straight into the store: a large dataset is
        // never held twice. Mapping and filling interleave, so they are timed together.
        let started = Instant::now();
        let mut count = 0usize;
        let data = rdf::stream(&dataset, &iris)
            .inspect(|_| count += 1)
            .map(default_graph);
        let vocabulary = vocabulary()?.into_iter().map(default_graph);
        let store = CompactStore::from_quads(data.chain(vocabulary).chain(extra))?;
        stats.triples = count;
        // Data and vocabulary share some triples (labels of our own terms), so the
        // store counts distinct quads rather than the sum being taken.
        stats.quads = store.len();
        stats.fill_store = started.elapsed();

        let started = Instant::now();
        let lineage = LineageIndex::build(&dataset);
        let indexes = Indexes::build(&dataset);
        let search = SearchIndex::build(&dataset);
        let counts = Counts::of(&dataset, &lineage);
        stats.index_lineage = started.elapsed();
        let started = Instant::now();
        let prepared = Prepared::new(&dataset, &lineage);
        let findings = Obligations {
            dataset: &dataset,
            index: &lineage,
            prepared: &prepared,
        }
        .all_findings();
        stats.findings = started.elapsed();
        Ok(KnowledgeBase {
            dataset,
            store,
            lineage,
            indexes,
            prepared,
            findings,
            iris,
            stats,
            search,
            counts,
        })
    }

    /// The obligation walks over this knowledge base.
    pub fn obligations(&self) -> Obligations<'_> {
        Obligations {
            dataset: &self.dataset,
            index: &self.lineage,
            prepared: &self.prepared,
        }
    }

    /// Bytes held by the obligation walks' tables and the findings.
    pub fn obligations_heap_bytes(&self) -> usize {
        self.prepared.heap_bytes()
            + self
                .findings
                .iter()
                .map(|f| {
                    std::mem::size_of::<Finding>()
                        + f.inherited.chain.len() * std::mem::size_of::<crate::lineage::ClaimEdge>()
                })
                .sum::<usize>()
    }

    /// Bytes held by search (name orders and keys).
    pub fn search_heap_bytes(&self) -> usize {
        self.search.heap_bytes()
    }

    /// The data's triples in canonical order, without the vocabulary: what
    /// `pedigree export` writes.
    pub fn export_triples(&self) -> Vec<Triple> {
        let mut triples = rdf::triples(&self.dataset, &self.iris);
        rdf::export::canonical_order(&mut triples);
        triples
    }
}

fn default_graph(triple: Triple) -> Quad {
    triple.in_graph(GraphName::DefaultGraph)
}

/// The vocabulary's triples, parsed from the Turtle file embedded at compile time.
pub fn vocabulary() -> Result<Vec<Triple>, BuildError> {
    RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(rdf::VOCABULARY_TURTLE.as_bytes())
        .map(|quad| {
            quad.map(Triple::from)
                .map_err(|e| BuildError::Vocabulary(e.to_string()))
        })
        .collect()
}
