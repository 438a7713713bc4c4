//! Claim nodes: each claim of a record as an `rdf:Statement` and `ped:Claim` with its
//! provenance and period (and the direct triple while it holds), lineage claims as
//! numbered PROV-O derivations, roles as W3C ORG memberships with OWL-Time periods.

use oxigraph::model::{Literal, NamedNode, Term};

use super::Mapper;
use super::terms::{
    confidence_iri, date_literal, day_literal, integer, relation_property, size_property,
};
use super::vocab::{dcterms, org, ped, prov, rdf, rdfs, schema, time};
use crate::model::{
    Claim, ClaimRef, ClaimValue, DateValue, Id, Kind, Precision, Relation, Spanned,
};

impl Mapper<'_> {
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

    /// The node of a claim in a list field: `{record}/claim/{field}/{n}`, numbered from
    /// 1, the field spelled as in the data files.
    fn claim_node(&self, record: &NamedNode, claim: &ClaimRef<'_>) -> NamedNode {
        NamedNode::new_unchecked(format!(
            "{}/claim/{}/{}",
            record.as_str(),
            claim.field(),
            claim.index + 1
        ))
    }

    /// The triples of one claim of the record `subject`: the record's own provenance
    /// on the entity itself, any other claim as a claim node with what its field adds.
    pub(super) fn claim_of(&mut self, subject: &NamedNode, claim: ClaimRef<'_>) {
        match claim.value {
            ClaimValue::Record(own) => self.provenance(subject, own),
            ClaimValue::Release(release) => {
                // A model has at most one release claim: its node needs no number.
                let node = NamedNode::new_unchecked(format!("{}/claim/release", subject.as_str()));
                let status = ped::concept(release.status.as_str());
                self.claim(
                    node,
                    subject,
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
                        self.add(subject, predicate, date_literal(date));
                    }
                }
            }
            ClaimValue::Access(access) => {
                let node = self.claim_node(subject, &claim);
                let level = ped::concept(access.level.as_str());
                self.claim(
                    node,
                    subject,
                    ped::ACCESS.into_owned(),
                    level.into(),
                    access,
                );
            }
            ClaimValue::Licenses(license) => {
                let node = self.claim_node(subject, &claim);
                let target = self.entity(Kind::License, &license.license);
                self.claim(
                    node,
                    subject,
                    schema::LICENSE.into_owned(),
                    target.into(),
                    license,
                );
            }
            ClaimValue::Lineage(edge) => {
                let target = (Kind::Model, &edge.base);
                self.derivation(subject, target, edge.relation.value, edge);
            }
            ClaimValue::TrainedOn(trained) => {
                let target = (Kind::Dataset, &trained.dataset);
                let node = self.derivation(subject, target, Relation::TrainedOn, trained);
                if let Some(stage) = &trained.stage {
                    self.add(
                        &node,
                        ped::STAGE,
                        ped::concept(&format!("stage_{}", stage.as_str())),
                    );
                }
            }
            ClaimValue::GeneratedBy(generated) => {
                let target = (Kind::Model, &generated.model);
                self.derivation(subject, target, Relation::GeneratedBy, generated);
            }
            ClaimValue::DerivedFrom(derived) => {
                let target = (Kind::Dataset, &derived.dataset);
                self.derivation(subject, target, Relation::DerivedFrom, derived);
            }
            ClaimValue::Availability(availability) => {
                let node = self.claim_node(subject, &claim);
                let level = ped::concept(availability.level.as_str());
                let predicate = ped::AVAILABILITY.into_owned();
                self.claim(node, subject, predicate, level.into(), availability);
            }
            ClaimValue::Size(size) => {
                let node = self.claim_node(subject, &claim);
                let predicate = size_property(size.unit.value);
                let value = integer(size.count.value);
                self.claim(node, subject, predicate, value.into(), size);
            }
            ClaimValue::CollectedFrom(collected) => {
                let node = self.claim_node(subject, &claim);
                let origin = Literal::new_simple_literal(collected.origin.as_str());
                let predicate = ped::COLLECTED_FROM.into_owned();
                self.claim(node, subject, predicate, origin.into(), collected);
            }
            ClaimValue::Parents(parent) => {
                let node = self.claim_node(subject, &claim);
                let target = self.entity(Kind::Organization, &parent.organization);
                self.claim(
                    node,
                    subject,
                    org::SUB_ORGANIZATION_OF.into_owned(),
                    target.into(),
                    parent,
                );
            }
            ClaimValue::Roles(role) => {
                let node = self.claim_node(subject, &claim);
                let organization = self.entity(Kind::Organization, &role.organization);
                let membership = self.claim(
                    node,
                    subject,
                    org::MEMBER_OF.into_owned(),
                    organization.clone().into(),
                    role,
                );
                self.add(&membership, rdf::TYPE, org::MEMBERSHIP);
                self.add(&membership, org::MEMBER, subject.clone());
                self.add(&membership, org::ORGANIZATION_PROPERTY, organization);
                self.text(&membership, schema::ROLE_NAME, &role.title);
                let role_node = NamedNode::new_unchecked(format!("{}/role", membership.as_str()));
                self.add(&membership, org::ROLE_PROPERTY, role_node.clone());
                self.add(&role_node, rdf::TYPE, org::ROLE);
                self.text(&role_node, rdfs::LABEL, &role.title);
                self.period(
                    &membership,
                    role.from.as_deref().map(|d| &d.value),
                    role.until.as_deref().map(|d| &d.value),
                );
            }
            ClaimValue::Positions(position) => {
                let node = self.claim_node(subject, &claim);
                let statement = Literal::new_simple_literal(position.statement.as_str());
                let node = self.claim(
                    node,
                    subject,
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
    }

    /// A lineage claim (a model's `lineage`, `trained_on`, a dataset's `generated_by`,
    /// `derived_from`): the claim node as a PROV-O qualified derivation, the relation's
    /// own property, and `prov:wasDerivedFrom` while it holds, so a property path
    /// over `prov:wasDerivedFrom` runs through datasets as the lineage index does.
    fn derivation(
        &mut self,
        subject: &NamedNode,
        (kind, target): (Kind, &Spanned<Id>),
        relation: Relation,
        claim: &dyn Claim,
    ) -> NamedNode {
        let base = self.entity(kind, target);
        let node = self.derivation_node(subject, target, relation);
        let property = relation_property(relation);
        self.claim(node.clone(), subject, property, base.clone().into(), claim);
        self.add(&node, rdf::TYPE, prov::DERIVATION);
        self.add(&node, prov::ENTITY_PROPERTY, base.clone());
        self.add(&node, ped::RELATION, ped::concept(relation.as_str()));
        self.add(subject, prov::QUALIFIED_DERIVATION, node.clone());
        if claim.until().is_none() {
            self.add(subject, prov::WAS_DERIVED_FROM, base);
        }
        node
    }

    /// The node of a lineage claim: `{record}/derivation/{base}/{relation}` for the
    /// first claim of that base and relation, then `…/{relation}/2`, `…/3` for each
    /// later one (a relation that ended and was reported again), so every claim keeps
    /// its own confidence, sources and period. Ids hold no `/`, so no suffix can be
    /// mistaken for another base or relation.
    fn derivation_node(&mut self, record: &NamedNode, base: &Id, relation: Relation) -> NamedNode {
        let key = (base.clone(), relation);
        let earlier = self.derivations.iter().filter(|seen| **seen == key).count();
        self.derivations.push(key);
        let first = format!(
            "{}/derivation/{}/{}",
            record.as_str(),
            base.as_str(),
            relation.as_str()
        );
        NamedNode::new_unchecked(match earlier {
            0 => first,
            _ => format!("{first}/{}", earlier + 1),
        })
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
}
