//! The RDF mapping: a validated [`Dataset`] as triples in standard vocabularies.
//!
//! The mapping is pure (no IO, no store): [`triples`] returns the graph, which the
//! knowledge base loads into oxigraph and `pedigree export` serialises. It follows
//! `docs/vocabulary.md`, which explains every choice; in short:
//!
//! - entities get IRIs `{base}{kind}/{id}` under one configurable base ([`Iris`]);
//! - each record carries its own provenance directly (`dcterms:source`,
//!   `ped:confidence`);
//! - each claim becomes a node that is both an `rdf:Statement` (`rdf:subject`,
//!   `rdf:predicate`, `rdf:object`) and a `ped:Claim` with `dcterms:source`,
//!   `ped:confidence` and its period, so "who says so, how sure, since when" is plain
//!   triples any SPARQL client can query; lineage claims are also PROV-O qualified
//!   derivations, roles are W3C ORG memberships;
//! - the direct triple a claim qualifies (`?m ped:distilledFrom ?base`,
//!   `?m prov:wasDerivedFrom ?base`) is stated too when the claim holds now (it has
//!   no `until`), so simple queries stay simple; history lives in the claim nodes.
//!
//! The parts: `iris` mints entity IRIs under the base; `terms` turns dates, numbers,
//! relations and confidences into RDF terms; `claims` writes claim, derivation and
//! membership nodes with their provenance; `records` maps each record kind's own
//! fields. This module holds the entry points and the mapper they share.
//!
//! **Architecture Invariant:** this module knows nothing of oxigraph's store, of
//! files or of HTTP; it turns records into triples.

pub mod export;
pub mod vocab;

mod claims;
mod iris;
mod records;
mod terms;

use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};

use crate::dataset::Dataset;
use crate::model::{Id, Kind, Relation};

pub use iris::{BaseIriError, DEFAULT_BASE_IRI, Iris};
pub use terms::{confidence_iri, date_literal, relation_property};

/// The vocabulary (`docs/vocabulary.ttl`), loaded into every store beside the data.
pub const VOCABULARY_TURTLE: &str = include_str!("../../docs/vocabulary.ttl");

/// Maps the whole dataset (without the vocabulary) to triples, in record order.
pub fn triples(dataset: &Dataset, iris: &Iris) -> Vec<Triple> {
    stream(dataset, iris).collect()
}

/// The same triples as [`triples`], produced record by record as they are consumed,
/// so a large dataset is never held as one vector of triples.
pub fn stream<'a>(dataset: &'a Dataset, iris: &'a Iris) -> impl Iterator<Item = Triple> + 'a {
    let mapper = move || Mapper {
        dataset,
        iris,
        triples: Vec::new(),
        derivations: Vec::new(),
    };
    let models = dataset.models.iter().flat_map(move |m| {
        let mut out = mapper();
        out.model(m);
        out.triples
    });
    let organizations = dataset.organizations.iter().flat_map(move |o| {
        let mut out = mapper();
        out.organization(o);
        out.triples
    });
    let people = dataset.people.iter().flat_map(move |p| {
        let mut out = mapper();
        out.person(p);
        out.triples
    });
    let sources = dataset.sources.iter().flat_map(move |s| {
        let mut out = mapper();
        out.source(s);
        out.triples
    });
    let licenses = dataset.licenses.iter().flat_map(move |l| {
        let mut out = mapper();
        out.license(l);
        out.triples
    });
    let datasets = dataset.datasets.iter().flat_map(move |d| {
        let mut out = mapper();
        out.training_data(d);
        out.triples
    });
    models
        .chain(datasets)
        .chain(organizations)
        .chain(people)
        .chain(sources)
        .chain(licenses)
}

struct Mapper<'a> {
    dataset: &'a Dataset,
    iris: &'a Iris,
    triples: Vec<Triple>,
    /// The (base, relation) of each lineage claim mapped so far, to number repeats.
    derivations: Vec<(Id, Relation)>,
}

impl Mapper<'_> {
    fn add(
        &mut self,
        subject: &NamedNode,
        predicate: impl Into<NamedNode>,
        object: impl Into<Term>,
    ) {
        self.triples.push(Triple::new(
            NamedOrBlankNode::from(subject.clone()),
            predicate.into(),
            object.into(),
        ));
    }

    fn text(&mut self, subject: &NamedNode, predicate: impl Into<NamedNode>, text: &str) {
        self.add(subject, predicate, Literal::new_simple_literal(text));
    }

    fn entity(&self, kind: Kind, id: &Id) -> NamedNode {
        self.iris.entity(kind, id.as_str())
    }

    fn source_iri(&self, id: &Id) -> NamedNode {
        self.entity(Kind::Source, id)
    }
}
