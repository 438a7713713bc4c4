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
//! **Architecture Invariant:** this module knows nothing of oxigraph's store, of
//! files or of HTTP; it turns records into triples.

pub mod export;
pub mod vocab;

use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};

use crate::dataset::Dataset;
use crate::model::{
    Claim, Confidence, DateValue, Id, Kind, License, Model, Organization, PartialDate, Person,
    Precision, Relation, Source,
};
use vocab::{dc, dcterms, org, owl, ped, prov, rdf, rdfs, schema, spdx, time, xsd};

/// The entity base IRI used when none is configured. `.example` is reserved (RFC
/// 2606) and never resolves: a deployment that publishes its IRIs sets its own.
pub const DEFAULT_BASE_IRI: &str = "https://pedigree.example/id/";

/// The vocabulary (`docs/vocabulary.ttl`), loaded into every store beside the data.
pub const VOCABULARY_TURTLE: &str = include_str!("../../docs/vocabulary.ttl");

/// Why a base IRI was refused.
#[derive(Debug, thiserror::Error)]
pub enum BaseIriError {
    #[error("`{0}` is not an absolute IRI: {1}")]
    Invalid(String, String),
    #[error("`{0}` must end with `/` or `#` so that ids can be appended")]
    NoSeparator(String),
}

/// Mints entity IRIs under a base.
#[derive(Clone, Debug)]
pub struct Iris {
    base: String,
}

impl Default for Iris {
    fn default() -> Self {
        Iris {
            base: DEFAULT_BASE_IRI.to_owned(),
        }
    }
}

impl Iris {
    pub fn new(base: &str) -> Result<Iris, BaseIriError> {
        oxiri::Iri::parse(base)
            .map_err(|e| BaseIriError::Invalid(base.to_owned(), e.to_string()))?;
        if !(base.ends_with('/') || base.ends_with('#')) {
            return Err(BaseIriError::NoSeparator(base.to_owned()));
        }
        Ok(Iris {
            base: base.to_owned(),
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// The IRI of a record: `{base}{kind}/{id}`.
    pub fn entity(&self, kind: Kind, id: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{}/{id}", self.base, kind.noun()))
    }

    pub fn model(&self, id: &str) -> NamedNode {
        self.entity(Kind::Model, id)
    }

    /// The record id and kind an IRI names, if it is one of ours.
    pub fn parse_entity<'a>(&self, iri: &'a str) -> Option<(Kind, &'a str)> {
        let rest = iri.strip_prefix(&self.base)?;
        let (noun, id) = rest.split_once('/')?;
        let kind = Kind::ALL.into_iter().find(|k| k.noun() == noun)?;
        (!id.contains('/')).then_some((kind, id))
    }
}

/// The direct property of a lineage relation.
pub fn relation_property(relation: Relation) -> NamedNode {
    let term = match relation {
        Relation::Finetune => ped::FINETUNE_OF,
        Relation::Adapter => ped::ADAPTER_OF,
        Relation::Merge => ped::MERGE_OF,
        Relation::Quantized => ped::QUANTIZED_FROM,
        Relation::Distillation => ped::DISTILLED_FROM,
        Relation::TrainedOnOutputs => ped::TRAINED_ON_OUTPUTS_OF,
        Relation::ContinuedPretraining => ped::CONTINUED_PRETRAINING_OF,
    };
    term.into_owned()
}

/// A date as a typed literal at its precision: `xsd:gYear`, `xsd:gYearMonth` or
/// `xsd:date`.
pub fn date_literal(date: PartialDate) -> Literal {
    let datatype = match date.precision() {
        Precision::Year => xsd::G_YEAR,
        Precision::Month => xsd::G_YEAR_MONTH,
        Precision::Day => xsd::DATE,
    };
    Literal::new_typed_literal(date.to_string(), datatype)
}

fn day_literal((year, month, day): (u16, u8, u8)) -> Literal {
    Literal::new_typed_literal(format!("{year:04}-{month:02}-{day:02}"), xsd::DATE)
}

fn integer(value: u64) -> Literal {
    Literal::new_typed_literal(value.to_string(), xsd::INTEGER)
}

fn boolean(value: bool) -> Literal {
    Literal::new_typed_literal(value.to_string(), xsd::BOOLEAN)
}

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
    models
        .chain(organizations)
        .chain(people)
        .chain(sources)
        .chain(licenses)
}

struct Mapper<'a> {
    dataset: &'a Dataset,
    iris: &'a Iris,
    triples: Vec<Triple>,
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

    fn external_ids(&mut self, subject: &NamedNode, ids: Option<&crate::model::ExternalIds>) {
        let Some(ids) = ids else { return };
        if let Some(qid) = &ids.wikidata {
            let wikidata = NamedNode::new_unchecked(format!(
                "http://www.wikidata.org/entity/{}",
                qid.as_str()
            ));
            self.add(subject, owl::SAME_AS, wikidata);
        }
        if let Some(hf) = &ids.huggingface {
            let hub = NamedNode::new_unchecked(format!("https://huggingface.co/{}", hf.as_str()));
            self.add(subject, owl::SAME_AS, hub);
        }
    }

    /// The provenance every claim node and record carries: sources, confidence, note.
    fn provenance(&mut self, node: &NamedNode, claim: &dyn Claim) {
        for source in claim.source_ids() {
            let source = self.source_iri(source);
            self.add(node, dcterms::SOURCE, source);
        }
        if let Some(confidence) = claim.confidence() {
            self.add(node, ped::CONFIDENCE, confidence_iri(confidence.value));
        }
        if let Some(note) = claim.note() {
            self.text(node, rdfs::COMMENT, note);
        }
    }

    /// A claim node: an `rdf:Statement` of `subject predicate object` and a
    /// `ped:Claim` with provenance and period. States the direct triple too when the
    /// claim holds now. Returns the node for callers that add more.
    fn claim(
        &mut self,
        node: NamedNode,
        subject: &NamedNode,
        predicate: NamedNode,
        object: Term,
        claim: &dyn Claim,
    ) -> NamedNode {
        self.add(&node, rdf::TYPE, ped::CLAIM);
        self.add(&node, rdf::TYPE, rdf::STATEMENT);
        self.add(&node, rdf::SUBJECT, subject.clone());
        self.add(&node, rdf::PREDICATE, predicate.clone());
        self.add(&node, rdf::OBJECT, object.clone());
        self.provenance(&node, claim);
        let from = claim.from().and_then(|d| d.date());
        let until = claim.until().and_then(|d| d.date());
        if let Some(from) = from {
            self.add(&node, schema::START_DATE, date_literal(from));
            self.add(&node, ped::VALID_FROM, day_literal(from.first_day()));
        }
        if let Some(until) = until {
            self.add(&node, schema::END_DATE, date_literal(until));
            self.add(&node, ped::VALID_UNTIL, day_literal(until.last_day()));
        }
        if let Some(first) = self.dataset.first_reported(claim) {
            self.add(&node, ped::FIRST_REPORTED, day_literal(first));
        }
        if until.is_none() {
            self.add(subject, predicate, object);
        }
        node
    }

    fn claim_node(&self, record: &NamedNode, field: &str, index: usize) -> NamedNode {
        NamedNode::new_unchecked(format!("{}/claim/{field}/{}", record.as_str(), index + 1))
    }

    fn model(&mut self, model: &Model) {
        let m = self.entity(Kind::Model, &model.id);
        self.add(&m, rdf::TYPE, ped::MODEL);
        self.add(&m, rdf::TYPE, prov::ENTITY);
        self.text(&m, dcterms::IDENTIFIER, &model.id);
        if model.is_family() {
            self.add(&m, rdf::TYPE, ped::MODEL_FAMILY);
        }
        self.text(&m, schema::NAME, &model.name);
        for alias in &model.aliases {
            self.text(&m, schema::ALTERNATE_NAME, alias);
        }
        if let Some(description) = &model.description {
            self.add(&m, schema::DESCRIPTION, english(description));
        }
        if let Some(family) = &model.family {
            let family = self.entity(Kind::Model, family);
            self.add(&m, schema::IS_PART_OF, family);
        }
        let developer = self.entity(Kind::Organization, &model.developer);
        self.add(&m, schema::CREATOR, developer);
        if let Some(parameters) = &model.parameters {
            if let Some(total) = &parameters.total {
                self.add(&m, ped::PARAMETER_COUNT, integer(total.value));
            }
            if let Some(active) = &parameters.active {
                self.add(&m, ped::ACTIVE_PARAMETER_COUNT, integer(active.value));
            }
        }
        if let Some(modality) = &model.modality {
            for input in &modality.input {
                self.text(&m, ped::INPUT_MODALITY, input.as_str());
            }
            for output in &modality.output {
                self.text(&m, ped::OUTPUT_MODALITY, output.as_str());
            }
        }
        if let Some(homepage) = &model.homepage {
            self.add(&m, schema::URL, NamedNode::new_unchecked(homepage.as_str()));
        }
        self.external_ids(&m, model.external_ids.as_deref());
        self.provenance(&m, &model.record_claim());

        if let Some(release) = &model.release {
            let node = NamedNode::new_unchecked(format!("{}/claim/release", m.as_str()));
            let status = ped::concept(release.status.as_str());
            self.claim(
                node.clone(),
                &m,
                ped::RELEASE_STATUS.into_owned(),
                status.into(),
                release,
            );
            let dates = [
                (&release.date, schema::DATE_PUBLISHED),
                (&release.expected, ped::EXPECTED_RELEASE),
                (&release.announced, ped::ANNOUNCED_ON),
            ];
            for (date, predicate) in dates {
                if let Some(date) = date.as_ref().and_then(|d| d.date()) {
                    self.add(&m, predicate, date_literal(date));
                }
            }
        }
        for (i, access) in model.access.iter().enumerate() {
            let node = self.claim_node(&m, "access", i);
            let level = ped::concept(access.level.as_str());
            self.claim(node, &m, ped::ACCESS.into_owned(), level.into(), access);
        }
        for (i, license) in model.licenses.iter().enumerate() {
            let node = self.claim_node(&m, "license", i);
            let target = self.entity(Kind::License, &license.license);
            self.claim(
                node,
                &m,
                schema::LICENSE.into_owned(),
                target.into(),
                license,
            );
        }
        for edge in &model.lineage {
            let base = self.entity(Kind::Model, &edge.base);
            let node = NamedNode::new_unchecked(format!(
                "{}/derivation/{}/{}",
                m.as_str(),
                edge.base.as_str(),
                edge.relation.as_str()
            ));
            let property = relation_property(edge.relation.value);
            self.claim(node.clone(), &m, property, base.clone().into(), edge);
            self.add(&node, rdf::TYPE, prov::DERIVATION);
            self.add(&node, prov::ENTITY_PROPERTY, base.clone());
            self.add(&node, ped::RELATION, ped::concept(edge.relation.as_str()));
            self.add(&m, prov::QUALIFIED_DERIVATION, node);
            if edge.until.is_none() {
                self.add(&m, prov::WAS_DERIVED_FROM, base);
            }
        }
    }

    fn organization(&mut self, organization: &Organization) {
        let o = self.entity(Kind::Organization, &organization.id);
        self.add(&o, rdf::TYPE, schema::ORGANIZATION);
        self.add(&o, rdf::TYPE, org::ORGANIZATION);
        self.add(&o, rdf::TYPE, prov::ORGANIZATION);
        self.text(&o, dcterms::IDENTIFIER, &organization.id);
        self.text(&o, schema::NAME, &organization.name);
        for alias in &organization.aliases {
            self.text(&o, schema::ALTERNATE_NAME, alias);
        }
        if let Some(description) = &organization.description {
            self.add(&o, schema::DESCRIPTION, english(description));
        }
        self.text(&o, ped::ORGANIZATION_KIND, organization.kind.as_str());
        if let Some(country) = &organization.country {
            self.text(&o, schema::ADDRESS_COUNTRY, country);
        }
        if let Some(website) = &organization.website {
            self.add(&o, schema::URL, NamedNode::new_unchecked(website.as_str()));
        }
        for ticker in &organization.tickers {
            // schema.org's format: the exchange's MIC, a space, the instrument.
            let symbol = format!("{} {}", ticker.exchange.as_str(), ticker.symbol.as_str());
            self.text(&o, schema::TICKER_SYMBOL, &symbol);
        }
        self.external_ids(&o, organization.external_ids.as_deref());
        self.provenance(&o, &organization.record_claim());
        for (i, parent) in organization.parents.iter().enumerate() {
            let node = self.claim_node(&o, "parent", i);
            let target = self.entity(Kind::Organization, &parent.organization);
            self.claim(
                node,
                &o,
                org::SUB_ORGANIZATION_OF.into_owned(),
                target.into(),
                parent,
            );
        }
    }

    fn person(&mut self, person: &Person) {
        let p = self.entity(Kind::Person, &person.id);
        self.add(&p, rdf::TYPE, schema::PERSON);
        self.add(&p, rdf::TYPE, prov::PERSON);
        self.text(&p, dcterms::IDENTIFIER, &person.id);
        self.text(&p, schema::NAME, &person.name);
        for alias in &person.aliases {
            self.text(&p, schema::ALTERNATE_NAME, alias);
        }
        if let Some(description) = &person.description {
            self.add(&p, schema::DESCRIPTION, english(description));
        }
        self.external_ids(&p, person.external_ids.as_deref());
        self.provenance(&p, &person.record_claim());
        for (i, role) in person.roles.iter().enumerate() {
            let node = self.claim_node(&p, "role", i);
            let organization = self.entity(Kind::Organization, &role.organization);
            let membership = self.claim(
                node,
                &p,
                org::MEMBER_OF.into_owned(),
                organization.clone().into(),
                role,
            );
            self.add(&membership, rdf::TYPE, org::MEMBERSHIP);
            self.add(&membership, org::MEMBER, p.clone());
            self.add(&membership, org::ORGANIZATION_PROPERTY, organization);
            self.text(&membership, schema::ROLE_NAME, &role.title);
            let role_node = NamedNode::new_unchecked(format!("{}/role", membership.as_str()));
            self.add(&membership, org::ROLE_PROPERTY, role_node.clone());
            self.add(&role_node, rdf::TYPE, org::ROLE);
            self.text(&role_node, rdfs::LABEL, &role.title);
            self.period(&membership, role.from.as_deref(), role.until.as_deref());
        }
        for (i, position) in person.positions.iter().enumerate() {
            let node = self.claim_node(&p, "position", i);
            let statement = Literal::new_simple_literal(position.statement.as_str());
            let node = self.claim(
                node,
                &p,
                ped::HOLDS_POSITION.into_owned(),
                statement.into(),
                position,
            );
            self.add(&node, rdf::TYPE, ped::POSITION);
            for about in &position.about {
                if let Some(target) = self.dataset.get(about.as_str()) {
                    let about = self.entity(target.kind(), about);
                    self.add(&node, dcterms::SUBJECT, about);
                }
            }
        }
    }

    /// `org:memberDuring` with an OWL-Time interval, at the precision of the dates.
    fn period(
        &mut self,
        membership: &NamedNode,
        from: Option<&DateValue>,
        until: Option<&DateValue>,
    ) {
        let (from, until) = (
            from.and_then(DateValue::date),
            until.and_then(DateValue::date),
        );
        if from.is_none() && until.is_none() {
            return;
        }
        let interval = NamedNode::new_unchecked(format!("{}/period", membership.as_str()));
        self.add(membership, org::MEMBER_DURING, interval.clone());
        self.add(&interval, rdf::TYPE, time::INTERVAL);
        for (date, edge, name) in [
            (from, time::HAS_BEGINNING, "start"),
            (until, time::HAS_END, "end"),
        ] {
            let Some(date) = date else { continue };
            let instant = NamedNode::new_unchecked(format!("{}/{name}", interval.as_str()));
            self.add(&interval, edge, instant.clone());
            self.add(&instant, rdf::TYPE, time::INSTANT);
            let property = match date.precision() {
                Precision::Year => time::IN_XSD_G_YEAR,
                Precision::Month => time::IN_XSD_G_YEAR_MONTH,
                Precision::Day => time::IN_XSD_DATE,
            };
            self.add(&instant, property, date_literal(date));
        }
    }

    fn source(&mut self, source: &Source) {
        let s = self.entity(Kind::Source, &source.id);
        self.add(&s, rdf::TYPE, ped::SOURCE);
        self.add(&s, rdf::TYPE, prov::ENTITY);
        self.text(&s, dcterms::IDENTIFIER, &source.id);
        let title =
            Literal::new_language_tagged_literal(source.title.as_str(), source.language.as_str())
                .unwrap_or_else(|_| Literal::new_simple_literal(source.title.as_str()));
        self.add(&s, dcterms::TITLE, title);
        self.text(&s, dc::PUBLISHER, &source.publisher);
        self.add(
            &s,
            schema::URL,
            NamedNode::new_unchecked(source.url.as_str()),
        );
        if let Some(date) = source.published.date() {
            self.add(&s, dcterms::ISSUED, date_literal(date));
        }
        self.text(&s, dc::LANGUAGE, &source.language);
        self.text(&s, ped::SOURCE_KIND, source.kind.as_str());
        for author in &source.authors {
            self.text(&s, dc::CREATOR, author);
        }
        for cited in &source.cites {
            let cited = self.source_iri(cited);
            self.add(&s, dcterms::REFERENCES, cited);
        }
        for relayed in &source.relays {
            self.text(&s, ped::RELAYS, relayed);
        }
        if let Some(archived) = &source.archived_url {
            self.add(
                &s,
                schema::ARCHIVED_AT,
                NamedNode::new_unchecked(archived.as_str()),
            );
        }
        if let Some(note) = &source.note {
            self.text(&s, rdfs::COMMENT, note);
        }
    }

    fn license(&mut self, license: &License) {
        let l = self.entity(Kind::License, &license.id);
        self.add(&l, rdf::TYPE, ped::LICENSE);
        self.add(&l, rdf::TYPE, dcterms::LICENSE_DOCUMENT);
        self.text(&l, schema::NAME, &license.name);
        self.text(&l, dcterms::IDENTIFIER, &license.id);
        self.text(&l, spdx::LICENSE_ID, &license.spdx);
        if !license.spdx.starts_with("LicenseRef-") {
            let spdx = NamedNode::new_unchecked(format!(
                "http://spdx.org/licenses/{}",
                license.spdx.as_str()
            ));
            self.add(&l, owl::SAME_AS, spdx);
        }
        self.add(
            &l,
            schema::URL,
            NamedNode::new_unchecked(license.url.as_str()),
        );
        self.add(&l, ped::OSI_APPROVED, boolean(license.osi_approved.value));
        if let Some(terms) = &license.terms {
            if let Some(commercial) = &terms.commercial_use {
                self.add(&l, ped::COMMERCIAL_USE, boolean(commercial.value));
            }
            if let Some(attribution) = &terms.attribution {
                self.text(&l, ped::ATTRIBUTION_NOTICE, attribution);
            }
            if let Some(naming) = &terms.derivative_naming {
                self.text(&l, ped::DERIVATIVE_NAMING, naming);
            }
            if let Some(policy) = &terms.acceptable_use_policy {
                self.add(
                    &l,
                    ped::ACCEPTABLE_USE_POLICY,
                    NamedNode::new_unchecked(policy.as_str()),
                );
            }
            if let Some(threshold) = &terms.user_threshold {
                self.add(&l, ped::USER_THRESHOLD, integer(threshold.value));
            }
        }
        self.provenance(&l, &license.record_claim());
    }
}

/// Descriptions are written in English.
fn english(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "en")
}

pub fn confidence_iri(confidence: Confidence) -> NamedNode {
    ped::concept(confidence.as_str())
}
