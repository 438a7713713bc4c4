//! Pedigree: an AI-model lineage knowledge graph.
//!
//! # Layout
//!
//! Data flows one way, from YAML files to answers:
//!
//! ```text
//!  graph-data/*.yaml ──load──▶ Loaded ──validate──▶ Checked ──▶ Dataset ──┬─rdf──▶ CompactStore ─┐
//!                    (files, records,    (diagnostics)   (validated      └─lineage──▶ index ─────┴─▶ KnowledgeBase
//!                     diagnostics)                        records)
//! ```
//!
//! The modules, lowest layer first (a module uses only lower layers; `tests/layers.rs`
//! checks it, and docs/ARCHITECTURE.md draws the map):
//!
//! - [`escape`]: the one escaping of data for human output (control characters shown).
//! - [`numbers`]: big numbers as people read them ("700 million", "13,214").
//! - [`store`]: the compact, immutable quad store SPARQL reads.
//! - [`generate`]: the synthetic Hub-shaped corpus for benchmarks.
//! - [`model`]: the serde types of the six record kinds, with spans, and the one
//!   spelling of every closed vocabulary; no IO.
//! - [`diagnostics`]: what a problem looks like and the one renderer for it.
//! - [`view`]: the JSON views of lineage answers and provenance, shared by lineage and server.
//! - [`load`]: reads a `graph-data/` tree (the one reader of data files).
//! - [`queries`]: reads the catalogue of canned queries in `queries/`.
//! - [`schema`]: JSON Schema generated from the model types.
//! - [`validate`]: every semantic check, as [`diagnostics::Diagnostic`]s; no IO.
//! - [`dataset`]: load + validate in one call, and the validated [`dataset::Dataset`].
//! - [`rdf`]: the dataset as triples (pure), and their export.
//! - [`import`]: Hugging Face model cards (on disk, or from the Hub API: the only
//!   network client) into records of their own output folder.
//! - [`lineage`]: the petgraph lineage index, its walks and pictures; no IO.
//! - [`obligations`]: what a model owes along its lineage (licence clauses that reach
//!   it, with their chains) and the compliance findings; no IO.
//! - [`kb`]: the knowledge base (dataset, store, lineage index, reverse indexes,
//!   findings) and the questions every front end asks it: search, pages, counts,
//!   hierarchy, citations, findings.
//! - [`bom`]: AI bills of materials (CycloneDX 1.6, SPDX 3.0.1) of a model and its
//!   ancestry, with what each format could not carry.
//! - [`site`]: the paths of the web pages, for links from pictures drawn anywhere.
//! - [`sparql`]: parsing, limits (the guard), evaluation and answers of queries.
//! - [`snapshot`]: load + validate + build + canned queries, as one immutable snapshot.
//! - [`server`]: the HTTP service (axum); the only module that serves HTTP.
//!
//! The binary (`src/main.rs`, `src/cli/`) is a thin shell over this library.

pub mod bom;
pub mod dataset;
pub mod diagnostics;
pub mod escape;
pub mod generate;
pub mod import;
pub mod kb;
pub mod lineage;
pub mod load;
pub mod model;
pub mod numbers;
pub mod obligations;
pub mod queries;
pub mod rdf;
pub mod schema;
pub mod server;
pub mod site;
pub mod snapshot;
pub mod sparql;
pub mod store;
pub mod validate;
pub mod view;
