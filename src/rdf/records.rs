//! The own fields of each record kind (model, organization, person, source, license)
//! as triples; their claims are handed to the claim mapping.

use oxigraph::model::{Literal, NamedNode};

use super::Mapper;
use super::terms::{boolean, date_literal, english, integer};
use super::vocab::{dc, dcterms, org, owl, ped, prov, rdf, rdfs, schema, spdx};
use crate::model::{DatasetRecord, Kind, License, Model, Organization, Person, Source};

impl Mapper<'_> {
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

    pub(super) fn model(&mut self, model: &Model) {
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
        self.external_ids(&m, model.external_ids.as_deref().map(|ids| &ids.value));
        for claim in model.claims() {
            self.claim_of(&m, claim);
        }
    }

    pub(super) fn training_data(&mut self, data: &DatasetRecord) {
        let d = self.entity(Kind::Dataset, &data.id);
        self.add(&d, rdf::TYPE, schema::DATASET);
        self.add(&d, rdf::TYPE, prov::ENTITY);
        self.text(&d, dcterms::IDENTIFIER, &data.id);
        self.text(&d, schema::NAME, &data.name);
        for alias in &data.aliases {
            self.text(&d, schema::ALTERNATE_NAME, alias);
        }
        if let Some(description) = &data.description {
            self.add(&d, schema::DESCRIPTION, english(description));
        }
        if let Some(creator) = &data.creator {
            let creator = self.entity(Kind::Organization, creator);
            self.add(&d, schema::CREATOR, creator);
        }
        if let Some(synthetic) = &data.synthetic {
            self.add(&d, ped::SYNTHETIC, boolean(synthetic.value));
        }
        for modality in &data.modality {
            self.text(&d, ped::MODALITY, modality.as_str());
        }
        for language in &data.languages {
            self.text(&d, schema::IN_LANGUAGE, language);
        }
        if let Some(homepage) = &data.homepage {
            self.add(&d, schema::URL, NamedNode::new_unchecked(homepage.as_str()));
        }
        if let Some(paper) = &data.paper {
            let paper = self.source_iri(paper);
            self.add(&d, schema::CITATION, paper);
        }
        self.external_ids(&d, data.external_ids.as_deref());
        for claim in data.claims() {
            self.claim_of(&d, claim);
        }
    }

    pub(super) fn organization(&mut self, organization: &Organization) {
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
        if let Some(kind) = &organization.kind {
            self.text(&o, ped::ORGANIZATION_KIND, kind.as_str());
        }
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
        for claim in organization.claims() {
            self.claim_of(&o, claim);
        }
    }

    pub(super) fn person(&mut self, person: &Person) {
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
        for claim in person.claims() {
            self.claim_of(&p, claim);
        }
    }

    pub(super) fn source(&mut self, source: &Source) {
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

    pub(super) fn license(&mut self, license: &License) {
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
        if let Some(forbids) = license.forbids_commercial_use() {
            self.add(&l, ped::COMMERCIAL_USE, boolean(!forbids));
        }
        for (n, clause) in license.clauses.iter().enumerate() {
            let c = NamedNode::new_unchecked(format!("{}#clause-{}", l.as_str(), n + 1));
            self.add(&l, ped::CLAUSE, c.clone());
            self.clause(&c, clause);
        }
        for claim in license.claims() {
            self.claim_of(&l, claim);
        }
    }

    /// A licence clause: its kind, bearing, trigger, quote and where it is, the
    /// relations it reaches and its kind's parameter.
    fn clause(&mut self, c: &NamedNode, clause: &crate::model::Clause) {
        self.add(c, rdf::TYPE, ped::CLAUSE_CLASS);
        self.add(c, ped::CLAUSE_KIND, ped::concept(clause.kind.as_str()));
        self.add(c, ped::BEARING, ped::concept(clause.bearing().as_str()));
        self.add(c, ped::TRIGGER, ped::concept(clause.trigger.as_str()));
        self.text(c, ped::SECTION, &clause.section);
        self.add(c, ped::QUOTE, english(&clause.quote));
        for reach in &clause.reaches {
            self.add(c, ped::REACHES, ped::concept(reach.as_str()));
        }
        if let Some(prefix) = &clause.prefix {
            self.text(c, ped::NAME_PREFIX, prefix);
        }
        for text in &clause.text {
            self.text(c, ped::DISPLAY_TEXT, text);
        }
        if let Some(policy) = &clause.policy {
            self.add(
                c,
                ped::ACCEPTABLE_USE_POLICY,
                NamedNode::new_unchecked(policy.as_str()),
            );
        }
        if let Some(threshold) = &clause.threshold {
            self.add(c, ped::USER_THRESHOLD, integer(threshold.value));
        }
        if let Some(at_release) = &clause.measured_at_release {
            self.add(c, ped::MEASURED_AT_RELEASE, boolean(at_release.value));
        }
        if let Some(outputs) = &clause.outputs {
            self.add(c, ped::OUTPUTS_USE, ped::concept(outputs.as_str()));
        }
        if let Some(territory) = &clause.territory {
            self.text(c, ped::TERRITORY, territory);
        }
        if let Some(url) = &clause.url {
            self.add(c, schema::URL, NamedNode::new_unchecked(url.as_str()));
        }
        if let Some(source) = &clause.source {
            let source = self.source_iri(source);
            self.add(c, dcterms::SOURCE, source);
        }
    }
}
