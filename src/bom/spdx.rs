//! The SPDX 3.0.1 JSON-LD document of an [`Ancestry`]: an `ai_AIPackage` per model,
//! a `dataset_DatasetPackage` per dataset, an `Organization` per maker, a
//! `simplelicensing_LicenseExpression` per licence, and `Relationship`s for the
//! edges (`descendantOf`, `trainedOn`, `generates`) and the licences
//! (`hasDeclaredLicense`; `hasConcludedLicense` to `NoAssertionLicense`, since Pedigree
//! concludes no licence of its own), under one `CreationInfo` and an `SpdxDocument`
//! whose root element is the model.
//!
//! SPDX has no field for much of what Pedigree records about a claim (its confidence,
//! most relation words, a training stage, a date known to a month): each is written
//! into the element's `comment` as text and reported as a [`Loss`](super::Loss).
//! Element ids are IRIs under the data's base IRI (`{base}spdx/model/{id}`), the same
//! in every document, so documents of two models merge.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::{
    Ancestry, Bom, Format, LossKind, Losses, TOOL_NAME, TOOL_VERSION, current_licenses,
    huggingface_url, purl, release_date,
};
use crate::lineage::Entity;
use crate::model::{Claim, Modality, PartialDate, Precision, Relation, SourceKind};
use crate::view::SourceView;

const CONTEXT: &str = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";
/// The one `CreationInfo` every element shares, a blank node as SPDX's examples do.
const CREATION_INFO: &str = "_:creationinfo";
/// The individual SPDX names for "no assertion" about a licence.
const NO_ASSERTION_LICENSE: &str = "expandedlicensing_NoAssertionLicense";

pub(super) fn document(ancestry: &Ancestry<'_>) -> Bom {
    let ids = Ids(format!("{}spdx/", ancestry.iris.base()));
    let mut losses = Losses::new(Format::Spdx);
    let mut elements: Vec<Value> = Vec::new();
    let agent = ids.of("agent", TOOL_NAME);
    let tool = ids.of("tool", TOOL_NAME);
    elements.push(json!({
        "type": "SoftwareAgent",
        "spdxId": agent,
        "creationInfo": CREATION_INFO,
        "name": "Pedigree",
    }));
    elements.push(json!({
        "type": "Tool",
        "spdxId": tool,
        "creationInfo": CREATION_INFO,
        "name": format!("{TOOL_NAME} {TOOL_VERSION}"),
    }));

    // The makers, each once, by id.
    let makers: BTreeSet<&str> = ancestry
        .nodes
        .iter()
        .filter_map(|e| e.maker())
        .map(|id| id.as_str())
        .collect();
    for id in &makers {
        if let Some(organization) = ancestry.dataset.organization(id) {
            elements.push(json!({
                "type": "Organization",
                "spdxId": ids.of("organization", id),
                "creationInfo": CREATION_INFO,
                "name": organization.name.as_str(),
            }));
        }
    }

    let mut relationships: Vec<Value> = Vec::new();
    let mut licenses: BTreeMap<&str, Value> = BTreeMap::new();
    for &entity in &ancestry.nodes {
        elements.push(package(ancestry, &ids, entity, &mut losses));
        licensing(
            ancestry,
            &ids,
            entity,
            &mut licenses,
            &mut relationships,
            &mut losses,
        );
    }
    elements.extend(licenses.into_values());
    edges(ancestry, &ids, &mut relationships, &mut losses);
    elements.extend(relationships);

    let root = ids.entity(ancestry.root());
    let members: Vec<Value> = elements.iter().map(|e| e["spdxId"].clone()).collect();
    let document = json!({
        "type": "SpdxDocument",
        "spdxId": ids.of("document", ancestry.root().id().as_str()),
        "creationInfo": CREATION_INFO,
        "name": format!("AI BOM of {} ({})", ancestry.root().name(), ancestry.root().id()),
        "profileConformance": ["core", "software", "ai", "dataset", "simpleLicensing"],
        "rootElement": [root],
        "element": members,
    });
    let creation_info = json!({
        "type": "CreationInfo",
        "@id": CREATION_INFO,
        "specVersion": "3.0.1",
        "created": ancestry.timestamp(),
        "createdBy": [agent],
        "createdUsing": [tool],
    });
    let mut graph = vec![creation_info, document];
    graph.extend(elements);
    Bom {
        format: Format::Spdx,
        document: json!({ "@context": CONTEXT, "@graph": graph }),
        not_carried: losses.into_list(),
    }
}

/// The element IRIs of one document: `{base}spdx/{what}/{id}`.
struct Ids(String);

impl Ids {
    fn of(&self, what: &str, id: &str) -> String {
        format!("{}{what}/{id}", self.0)
    }

    fn entity(&self, entity: Entity<'_>) -> String {
        match entity {
            Entity::Model(m) => self.of("model", m.id.as_str()),
            Entity::Dataset(d) => self.of("dataset", d.id.as_str()),
        }
    }
}

/// A date as SPDX's timestamp (the first second of the period, UTC), and whether
/// that says more than the data does (a year or a month).
fn timestamp(date: PartialDate) -> (String, bool) {
    let (year, month, day) = date.first_day();
    (
        format!("{year:04}-{month:02}-{day:02}T00:00:00Z"),
        date.precision() != Precision::Day,
    )
}

/// The package of a model or a dataset.
fn package(ancestry: &Ancestry<'_>, ids: &Ids, entity: Entity<'_>, losses: &mut Losses) -> Value {
    let id = entity.id().as_str();
    let mut package = Map::new();
    let mut comment: Vec<String> = Vec::new();
    package.insert("spdxId".into(), ids.entity(entity).into());
    package.insert("creationInfo".into(), CREATION_INFO.into());
    package.insert("name".into(), entity.name().into());
    let description = match entity {
        Entity::Model(m) => m.description.as_deref().map(|d| &d.value),
        Entity::Dataset(d) => d.description.as_deref(),
    };
    if let Some(description) = description {
        package.insert("description".into(), description.as_str().into());
    }
    if let Some(maker) = entity.maker() {
        let agent = ids.of("organization", maker.as_str());
        package.insert("suppliedBy".into(), agent.clone().into());
        package.insert("originatedBy".into(), json!([agent]));
    }
    if let Some(date) = release_date(entity).and_then(|d| d.date()) {
        let (time, widened) = timestamp(date);
        package.insert("releaseTime".into(), time.into());
        if widened {
            comment.push(format!("released: {date}"));
            losses.add(LossKind::DatePrecision, format!("{id} released: {date}"));
        }
    }
    if let Some(purl) = purl(entity) {
        package.insert("software_packageUrl".into(), purl.into());
    }
    if let Some(url) = huggingface_url(entity) {
        package.insert("software_downloadLocation".into(), url.into());
    }
    let homepage = match entity {
        Entity::Model(m) => m.homepage.as_deref().map(|h| &h.value),
        Entity::Dataset(d) => d.homepage.as_deref(),
    };
    if let Some(homepage) = homepage {
        package.insert("software_homePage".into(), homepage.as_str().into());
    }
    package.insert(
        "externalIdentifier".into(),
        json!([{
            "type": "ExternalIdentifier",
            "externalIdentifierType": "other",
            "identifier": ancestry.iri(entity),
            "comment": "Pedigree IRI",
        }]),
    );
    let record: &dyn Claim = match entity {
        Entity::Model(m) => m,
        Entity::Dataset(d) => d,
    };
    let references = external_refs(&ancestry.sources(record));
    if !references.is_empty() {
        package.insert("externalRef".into(), references.into());
    }
    match entity {
        Entity::Model(model) => {
            package.insert("type".into(), "ai_AIPackage".into());
            package.insert("software_primaryPurpose".into(), "model".into());
            if let Some(training) = training(ancestry, id) {
                package.insert("ai_informationAboutTraining".into(), training.into());
            }
            if model.is_family() {
                comment.push("kind: family".into());
                losses.add(LossKind::Family, format!("{id}: family"));
            }
            if let Some(family) = &model.family {
                comment.push(format!("family: {}", family.as_str()));
                losses.add(
                    LossKind::Family,
                    format!("{id}: member of {}", family.as_str()),
                );
            }
            let access: Vec<&str> = model
                .current_access()
                .map(|a| a.level.value.as_str())
                .collect();
            if !access.is_empty() {
                let access = access.join(", ");
                comment.push(format!("access: {access}"));
                losses.add(LossKind::Access, format!("{id}: {access}"));
            }
            if let Some(parameters) = &model.parameters {
                let mut counts = Vec::new();
                if let Some(total) = &parameters.total {
                    counts.push(format!("{} total", total.value));
                }
                if let Some(active) = &parameters.active {
                    counts.push(format!("{} active", active.value));
                }
                if !counts.is_empty() {
                    let counts = counts.join(", ");
                    comment.push(format!("parameters: {counts}"));
                    losses.add(LossKind::Parameters, format!("{id}: {counts}"));
                }
            }
            if let Some(modality) = &model.modality {
                let words = |list: &[crate::model::Spanned<Modality>]| {
                    list.iter()
                        .map(|m| m.value.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let text = format!(
                    "{} in, {} out",
                    words(&modality.input),
                    words(&modality.output)
                );
                comment.push(format!("modality: {text}"));
                losses.add(LossKind::Modality, format!("{id}: {text}"));
            }
        }
        Entity::Dataset(data) => {
            package.insert("type".into(), "dataset_DatasetPackage".into());
            package.insert("software_primaryPurpose".into(), "data".into());
            // SPDX's dataset types include Pedigree's four modalities word for word.
            let mut types: Vec<&str> = data.modality.iter().map(|m| m.value.as_str()).collect();
            if types.is_empty() {
                types.push("noAssertion");
            }
            package.insert("dataset_datasetType".into(), json!(types));
            let mut process = Vec::new();
            if data.is_synthetic() {
                process.push("Synthetic: its examples were written by models.".to_owned());
            }
            for origin in data.collected_from.iter().filter(|o| o.until.is_none()) {
                process.push(format!("Collected from {}.", origin.origin.as_str()));
            }
            if !process.is_empty() {
                package.insert(
                    "dataset_dataCollectionProcess".into(),
                    process.join(" ").into(),
                );
            }
            for size in data.size.iter().filter(|s| s.until.is_none()) {
                if size.unit.value == crate::model::SizeUnit::Bytes {
                    package.insert("dataset_datasetSize".into(), size.count.value.into());
                } else {
                    let text = format!("{} {}", size.count.value, size.unit.value);
                    comment.push(format!("size: {text}"));
                    losses.add(LossKind::Size, format!("{id}: {text}"));
                }
            }
            let availability: Vec<&str> = data
                .availability
                .iter()
                .filter(|a| a.until.is_none())
                .map(|a| a.level.value.as_str())
                .collect();
            if !availability.is_empty() {
                let availability = availability.join(", ");
                comment.push(format!("availability: {availability}"));
                losses.add(LossKind::Availability, format!("{id}: {availability}"));
            }
            if !data.languages.is_empty() {
                let languages: Vec<&str> = data.languages.iter().map(|l| l.as_str()).collect();
                let languages = languages.join(", ");
                comment.push(format!("languages: {languages}"));
                losses.add(LossKind::Languages, format!("{id}: {languages}"));
            }
        }
    }
    if let Some(confidence) = record.confidence() {
        comment.push(format!("record confidence: {}", confidence.value));
        losses.add(LossKind::Confidence, format!("{id}: {}", confidence.value));
    }
    if !comment.is_empty() {
        package.insert(
            "comment".into(),
            format!("Pedigree: {}.", comment.join("; ")).into(),
        );
    }
    Value::Object(package)
}

/// How a model came from its direct bases, in words, for the AI profile's one field
/// about training (`ai_informationAboutTraining`): `finetune of Llama 3.1 8B
/// (llama-3.1-8b); distillation on DeepSeek-R1 SFT data (deepseek-r1-sft-800k).`
/// The relationships say the same without the words SPDX lacks.
fn training(ancestry: &Ancestry<'_>, id: &str) -> Option<String> {
    let steps: Vec<String> = ancestry
        .bases_of(id)
        .map(|edge| {
            let base = entity(ancestry, &edge.base).map_or(edge.base.as_str(), |e| e.name());
            match (edge.relation, edge.stage) {
                (Relation::TrainedOn, Some(stage)) => format!("{stage} on {base} ({})", edge.base),
                (Relation::TrainedOn, None) => format!("trained on {base} ({})", edge.base),
                (relation, _) => format!("{relation} of {base} ({})", edge.base),
            }
        })
        .collect();
    (!steps.is_empty()).then(|| format!("{}.", steps.join("; ")))
}

/// The licence elements a record uses (each once in `licenses`) and its
/// `hasDeclaredLicense` and `hasConcludedLicense` relationships.
fn licensing<'d>(
    ancestry: &Ancestry<'d>,
    ids: &Ids,
    entity: Entity<'d>,
    licenses: &mut BTreeMap<&'d str, Value>,
    relationships: &mut Vec<Value>,
    losses: &mut Losses,
) {
    let id = entity.id().as_str();
    let package = ids.entity(entity);
    for claim in current_licenses(entity) {
        let Some(license) = ancestry.dataset.license(claim.license.as_str()) else {
            continue;
        };
        let element = ids.of("license", license.id.as_str());
        licenses.entry(license.id.as_str()).or_insert_with(|| {
            let mut expression = json!({
                "type": "simplelicensing_LicenseExpression",
                "spdxId": element,
                "creationInfo": CREATION_INFO,
                "name": license.name.as_str(),
                "simplelicensing_licenseExpression": license.spdx.as_str(),
            });
            // A `LicenseRef-` is only meaningful with where its text is.
            if ::spdx::license_id(&license.spdx).is_none() {
                expression["simplelicensing_customIdToUri"] = json!([{
                    "type": "DictionaryEntry",
                    "key": license.spdx.as_str(),
                    "value": license.url.as_str(),
                }]);
            }
            expression
        });
        let mut relationship = relationship(
            ids.of(
                "relationship",
                &format!("{id}/hasDeclaredLicense/{}", license.id.as_str()),
            ),
            &package,
            "hasDeclaredLicense",
            &element,
        );
        provenance(&mut relationship, ancestry, claim);
        if let Some(confidence) = claim.confidence() {
            losses.add(
                LossKind::Confidence,
                format!("{id} licence {}: {}", license.id.as_str(), confidence.value),
            );
        }
        relationships.push(relationship);
    }
    let mut concluded = relationship(
        ids.of("relationship", &format!("{id}/hasConcludedLicense")),
        &package,
        "hasConcludedLicense",
        NO_ASSERTION_LICENSE,
    );
    concluded["comment"] =
        "Pedigree records the licences its sources declare and concludes none of its own.".into();
    relationships.push(concluded);
}

/// The relationships of the lineage edges. Each edge's claim is written from the
/// record that holds it, except `generated_by`, which SPDX states from the model
/// (`generates`).
fn edges(ancestry: &Ancestry<'_>, ids: &Ids, relationships: &mut Vec<Value>, losses: &mut Losses) {
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for edge in &ancestry.edges {
        let (Some(model), Some(base)) =
            (entity(ancestry, &edge.model), entity(ancestry, &edge.base))
        else {
            continue;
        };
        let (model_id, base_id) = (ids.entity(model), ids.entity(base));
        let (kind, from, to) = match edge.relation {
            Relation::TrainedOn => ("trainedOn", &model_id, &base_id),
            Relation::GeneratedBy => ("generates", &base_id, &model_id),
            _ => ("descendantOf", &model_id, &base_id),
        };
        let mut name = format!("{}/{}/{}", edge.model, edge.relation, edge.base);
        let count = used.entry(name.clone()).or_default();
        *count += 1;
        if *count > 1 {
            name = format!("{name}/{count}");
        }
        let mut relationship = relationship(ids.of("relationship", &name), from, kind, to);
        let arrow = format!("{} → {}", edge.model, edge.base);
        let mut notes = vec![format!("relation {}", edge.relation)];
        // `trainedOn`, `generates` and, for two datasets, `descendantOf` say what
        // Pedigree's word says; the model relations all become `descendantOf`.
        let exact = matches!(
            edge.relation,
            Relation::TrainedOn | Relation::GeneratedBy | Relation::DerivedFrom
        );
        if !exact {
            losses.add(LossKind::Relation, format!("{arrow}: {}", edge.relation));
        }
        if let Some(stage) = edge.stage {
            notes.push(format!("stage {stage}"));
            losses.add(LossKind::Stage, format!("{arrow}: {stage}"));
        }
        notes.push(format!("confidence {}", edge.confidence));
        losses.add(
            LossKind::Confidence,
            format!("{arrow}: {}", edge.confidence),
        );
        if let Some(date) = edge
            .valid_from
            .as_deref()
            .and_then(|d| PartialDate::parse_any_year(d).ok())
        {
            let (time, widened) = timestamp(date);
            relationship["startTime"] = time.into();
            if widened {
                notes.push(format!("from {date}"));
                losses.add(LossKind::DatePrecision, format!("{arrow} from: {date}"));
            }
        }
        relationship["comment"] = format!("Pedigree: {}.", notes.join("; ")).into();
        if let Some(note) = &edge.note {
            relationship["description"] = note.trim().into();
        }
        let references = external_refs(&edge.sources);
        if !references.is_empty() {
            relationship["externalRef"] = references.into();
        }
        relationships.push(relationship);
    }
}

/// The record behind an id of the ancestry.
fn entity<'d>(ancestry: &Ancestry<'d>, id: &str) -> Option<Entity<'d>> {
    ancestry
        .nodes
        .iter()
        .copied()
        .find(|e| e.id().as_str() == id)
}

fn relationship(spdx_id: String, from: &str, kind: &str, to: &str) -> Value {
    json!({
        "type": "Relationship",
        "spdxId": spdx_id,
        "creationInfo": CREATION_INFO,
        "from": from,
        "relationshipType": kind,
        "to": [to],
    })
}

/// A licence claim's confidence, note and sources on its relationship.
fn provenance(relationship: &mut Value, ancestry: &Ancestry<'_>, claim: &dyn Claim) {
    if let Some(confidence) = claim.confidence() {
        relationship["comment"] = format!("Pedigree: confidence {}.", confidence.value).into();
    }
    if let Some(note) = claim.note() {
        relationship["description"] = note.trim().into();
    }
    let references = external_refs(&ancestry.sources(claim));
    if !references.is_empty() {
        relationship["externalRef"] = references.into();
    }
}

/// Sources as external references: the party's own documents, cards and papers as
/// `documentation`, the press and references as `other`; the comment says which.
fn external_refs(sources: &[SourceView]) -> Vec<Value> {
    sources
        .iter()
        .map(|source| {
            let kind = match source.kind {
                SourceKind::Official | SourceKind::ModelCard | SourceKind::Paper => "documentation",
                SourceKind::Press | SourceKind::SecondaryPress | SourceKind::Reference => "other",
            };
            json!({
                "type": "ExternalRef",
                "externalRefType": kind,
                "locator": [source.url],
                "comment": format!(
                    "{}: {} ({}, {})",
                    source.kind, source.title, source.publisher, source.published
                ),
            })
        })
        .collect()
}
