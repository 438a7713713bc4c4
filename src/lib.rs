//! Pedigree: an AI-model lineage knowledge graph.
//!
//! # Layout
//!
//! Data flows one way, from YAML files to answers:
//!
//! ```text
//!  graph-data/*.yaml ──load──▶ Loaded ──validate──▶ Checked ──▶ Dataset
//!                    (files, records,    (diagnostics)          (validated records)
//!                     diagnostics)
//! ```
//!
//! - [`model`]: the serde types of the five record kinds, with spans; no IO.
//! - [`load`]: reads a `graph-data/` tree; the only module here that touches files.
//! - [`validate`]: every semantic check, as [`diagnostics::Diagnostic`]s.
//! - [`diagnostics`]: what a problem looks like and the one renderer for it.
//! - [`escape`]: the one escaping of data for human output (control characters shown).
//! - [`dataset`]: load + validate in one call, and the validated [`dataset::Dataset`].
//! - [`schema`]: JSON Schema generated from the model types.
//! - [`rdf`]: the dataset as triples (pure), and their export.
//! - [`store`]: the compact, immutable quad store SPARQL reads.
//! - [`view`]: the JSON views of lineage answers and provenance, shared by lineage and server.
//! - [`lineage`]: the petgraph lineage index, its walks and pictures.
//! - [`kb`]: the knowledge base: dataset, store, lineage index, reverse indexes.
//! - [`sparql`]: parsing, limits (the guard), evaluation and answers of queries.
//! - [`queries`]: the catalogue of canned queries in `queries/`.
//! - [`site`]: the paths of the web pages, for links from pictures drawn anywhere.
//! - [`snapshot`]: load + validate + build + canned queries, as one immutable snapshot.
//! - [`server`]: the HTTP service (axum); the only module that knows HTTP.
//! - [`generate`]: the synthetic Hub-shaped corpus for benchmarks.
//!
//! The binary (`src/main.rs`, `src/cli/`) is a thin shell over this library.

pub mod dataset;
pub mod diagnostics;
pub mod escape;
pub mod generate;
pub mod kb;
pub mod lineage;
pub mod load;
pub mod model;
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
