//! The CycloneDX 1.6 JSON document of an [`Ancestry`]: the model as
//! `metadata.component` (a `machine-learning-model`), its ancestors in that
//! component's `pedigree.ancestors` (models as `machine-learning-model`, datasets as
//! `data` components), the edges in `dependencies`, and what CycloneDX has no field
//! for in `properties` named `pedigree:…` (docs/bom.md lists them). Properties are
//! CycloneDX's own name-value store, so this format loses nothing the BOM holds.

use serde_json::{Map, Value, json};

use super::{
    Ancestry, Bom, Format, NAMESPACE_URL, TOOL_NAME, TOOL_VERSION, current_licenses,
    huggingface_url, purl, release_date, uuid_v5,
};
use crate::lineage::Entity;
use crate::model::{Claim, Organization, Relation, SourceKind};
use crate::view::{EdgeView, SourceView};

/// The JSON Schema the document declares (and validates against in the tests).
const SCHEMA: &str = "http://cyclonedx.org/schema/bom-1.6.schema.json";

pub(super) fn document(ancestry: &Ancestry<'_>) -> Bom {
    let root = ancestry.root();
    let mut component = self::component(ancestry, root);
    let ancestors: Vec<Value> = ancestry.nodes[1..]
        .iter()
        .map(|&entity| Value::Object(self::component(ancestry, entity)))
        .collect();
    if !ancestors.is_empty() {
        component.insert("pedigree".into(), json!({ "ancestors": ancestors }));
    }
    let dependencies: Vec<Value> = ancestry
        .nodes
        .iter()
        .map(|entity| {
            let id = entity.id().as_str();
            let mut bases: Vec<&str> = ancestry.bases_of(id).map(|e| e.base.as_str()).collect();
            bases.sort_unstable();
            bases.dedup();
            // A record with no bases is listed with none, as the specification asks
            // of components without dependencies.
            match bases.is_empty() {
                true => json!({ "ref": id }),
                false => json!({ "ref": id, "dependsOn": bases }),
            }
        })
        .collect();
    let mut document = json!({
        "$schema": SCHEMA,
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "timestamp": ancestry.timestamp(),
            "tools": {
                "components": [{ "type": "application", "name": TOOL_NAME, "version": TOOL_VERSION }]
            },
            "component": component,
        },
        "dependencies": dependencies,
    });
    // The serial number names this content: the model's IRI and the document
    // without it. The specification asks for a new one per BOM even when nothing
    // changed; Pedigree's rule is that the same data gives the same bytes, so a
    // changed serial number means a changed BOM.
    let name = format!("{}\n{document}", ancestry.iri(root));
    document["serialNumber"] = format!("urn:uuid:{}", uuid_v5(&NAMESPACE_URL, &name)).into();
    Bom {
        format: Format::Cyclonedx,
        document,
        not_carried: Vec::new(),
    }
}

/// The component of one record: a model or a dataset.
fn component(ancestry: &Ancestry<'_>, entity: Entity<'_>) -> Map<String, Value> {
    let id = entity.id().as_str();
    let mut component = Map::new();
    let kind = match entity {
        Entity::Model(_) => "machine-learning-model",
        Entity::Dataset(_) => "data",
    };
    component.insert("type".into(), kind.into());
    component.insert("bom-ref".into(), id.into());
    component.insert("name".into(), entity.name().into());
    let description = match entity {
        Entity::Model(m) => m.description.as_deref().map(|d| &d.value),
        Entity::Dataset(d) => d.description.as_deref(),
    };
    if let Some(description) = description {
        component.insert("description".into(), description.as_str().into());
    }
    if let Some(maker) = entity
        .maker()
        .and_then(|id| ancestry.dataset.organization(id.as_str()))
    {
        // CycloneDX 1.6 tells the maker (`manufacturer`) from who supplies the
        // component; a model's developer is both, and readers look at either.
        component.insert("manufacturer".into(), organization(maker));
        component.insert("supplier".into(), organization(maker));
    }
    let licenses = licenses(ancestry, entity);
    if !licenses.is_empty() {
        component.insert("licenses".into(), licenses.into());
    }
    if let Some(purl) = purl(entity) {
        component.insert("purl".into(), purl.into());
    }
    let references = external_references(ancestry, entity);
    if !references.is_empty() {
        component.insert("externalReferences".into(), references.into());
    }
    let mut properties = Properties::default();
    properties.add("pedigree:iri", ancestry.iri(entity));
    match entity {
        Entity::Model(model) => {
            if let Some(card) = model_card(ancestry, model) {
                component.insert("modelCard".into(), card);
            }
            if model.is_family() {
                properties.add("pedigree:kind", model.model_kind().as_str());
            }
            if let Some(family) = &model.family {
                properties.add("pedigree:family", family.as_str());
            }
            if let Some(release) = &model.release {
                properties.add("pedigree:release-status", release.status.value.as_str());
            }
            for access in model.current_access() {
                properties.add("pedigree:access", access.level.value.as_str());
            }
            if let Some(parameters) = &model.parameters {
                if let Some(total) = &parameters.total {
                    properties.add("pedigree:parameters", total.value.to_string());
                }
                if let Some(active) = &parameters.active {
                    properties.add("pedigree:active-parameters", active.value.to_string());
                }
            }
        }
        Entity::Dataset(data) => {
            let mut entry = json!({ "type": "dataset", "name": data.name.as_str() });
            if let Some(description) = &data.description {
                entry["description"] = description.as_str().into();
            }
            component.insert("data".into(), json!([entry]));
            if let Some(synthetic) = &data.synthetic {
                properties.add("pedigree:synthetic", synthetic.value.to_string());
            }
            for modality in &data.modality {
                properties.add("pedigree:modality", modality.value.as_str());
            }
            for language in &data.languages {
                properties.add("pedigree:language", language.as_str());
            }
            for availability in data.availability.iter().filter(|a| a.until.is_none()) {
                properties.add("pedigree:availability", availability.level.value.as_str());
            }
            for size in data.size.iter().filter(|s| s.until.is_none()) {
                properties.add(
                    &format!("pedigree:size:{}", size.unit.value),
                    size.count.value.to_string(),
                );
            }
            for origin in data.collected_from.iter().filter(|o| o.until.is_none()) {
                properties.add("pedigree:collected-from", origin.origin.as_str());
            }
        }
    }
    if let Some(date) = release_date(entity).and_then(|d| d.date()) {
        properties.add("pedigree:released", date.to_string());
    }
    let record: &dyn Claim = match entity {
        Entity::Model(m) => m,
        Entity::Dataset(d) => d,
    };
    if let Some(confidence) = record.confidence() {
        properties.add("pedigree:confidence", confidence.value.as_str());
    }
    edge_properties(&mut properties, ancestry.bases_of(id));
    component.insert("properties".into(), properties.0.into());
    component
}

/// Each edge from a record to a base, as properties of the record named after the
/// base's `bom-ref`: `pedigree:base:llama-3.1-8b:relation` = `finetune`, with its
/// confidence, stage, period, note and sources. A second claim to the same base
/// (two relations, say) is numbered: `pedigree:base:x#2:relation`.
fn edge_properties<'a>(properties: &mut Properties, edges: impl Iterator<Item = &'a EdgeView>) {
    let mut seen: Vec<&str> = Vec::new();
    for edge in edges {
        let repeat = seen.iter().filter(|&&b| b == edge.base).count();
        seen.push(&edge.base);
        let key = match repeat {
            0 => format!("pedigree:base:{}", edge.base),
            n => format!("pedigree:base:{}#{}", edge.base, n + 1),
        };
        properties.add(&format!("{key}:relation"), edge.relation.as_str());
        properties.add(&format!("{key}:confidence"), edge.confidence.as_str());
        if let Some(stage) = edge.stage {
            properties.add(&format!("{key}:stage"), stage.as_str());
        }
        if let Some(from) = &edge.valid_from {
            properties.add(&format!("{key}:from"), from.as_str());
        }
        if let Some(note) = &edge.note {
            properties.add(&format!("{key}:note"), note.trim());
        }
        for source in &edge.sources {
            properties.add(&format!("{key}:source"), source.url.as_str());
        }
    }
}

/// `properties`: name-value pairs in the order added (names may repeat).
#[derive(Default)]
struct Properties(Vec<Value>);

impl Properties {
    fn add(&mut self, name: &str, value: impl Into<String>) {
        self.0.push(json!({ "name": name, "value": value.into() }));
    }
}

/// An organisation as CycloneDX's organizational entity.
fn organization(organization: &Organization) -> Value {
    let mut entity = json!({ "name": organization.name.as_str() });
    if let Some(website) = &organization.website {
        entity["url"] = json!([website.as_str()]);
    }
    entity
}

/// The licences a record is distributed under now: an SPDX id as `license.id` when
/// the SPDX licence list has it, else its `LicenseRef-…` as `license.name`; each with
/// the URL of its text, as `declared` (Pedigree records what the sources state, and
/// concludes nothing of its own), and the claim's provenance in properties.
fn licenses(ancestry: &Ancestry<'_>, entity: Entity<'_>) -> Vec<Value> {
    current_licenses(entity)
        .into_iter()
        .filter_map(|claim| {
            let license = ancestry.dataset.license(claim.license.as_str())?;
            let mut object = Map::new();
            let field = match ::spdx::license_id(&license.spdx) {
                Some(_) => "id",
                None => "name",
            };
            object.insert(field.into(), license.spdx.as_str().into());
            object.insert("acknowledgement".into(), "declared".into());
            object.insert("url".into(), license.url.as_str().into());
            let mut properties = Properties::default();
            properties.add("pedigree:license", license.id.as_str());
            properties.add("pedigree:license-name", license.name.as_str());
            if let Some(confidence) = claim.confidence() {
                properties.add("pedigree:confidence", confidence.value.as_str());
            }
            if let Some(note) = claim.note() {
                properties.add("pedigree:note", note.trim());
            }
            for source in ancestry.sources(claim) {
                properties.add("pedigree:source", source.url);
            }
            object.insert("properties".into(), properties.0.into());
            Some(json!({ "license": object }))
        })
        .collect()
}

/// The record's pages: its homepage, its Hugging Face repo and the sources of its
/// plain fields, each once.
fn external_references(ancestry: &Ancestry<'_>, entity: Entity<'_>) -> Vec<Value> {
    let mut references: Vec<Value> = Vec::new();
    let mut add = |kind: &str, url: &str, comment: Option<String>| {
        if references
            .iter()
            .any(|r| r["url"] == url && r["type"] == kind)
        {
            return;
        }
        let mut reference = json!({ "type": kind, "url": url });
        if let Some(comment) = comment {
            reference["comment"] = comment.into();
        }
        references.push(reference);
    };
    let homepage = match entity {
        Entity::Model(m) => m.homepage.as_deref().map(|h| &h.value),
        Entity::Dataset(d) => d.homepage.as_deref(),
    };
    if let Some(homepage) = homepage {
        add("website", homepage, None);
    }
    if let Some(url) = huggingface_url(entity) {
        add("distribution", &url, Some("Hugging Face repository".into()));
    }
    let record: &dyn Claim = match entity {
        Entity::Model(m) => m,
        Entity::Dataset(d) => d,
    };
    for source in ancestry.sources(record) {
        add(
            reference_type(&source),
            &source.url,
            Some(describe(&source)),
        );
    }
    references
}

/// The external reference type of a source: a model card is CycloneDX's
/// `model-card`, the party's own documents and papers are `documentation`, the
/// press and references `other`.
fn reference_type(source: &SourceView) -> &'static str {
    match source.kind {
        SourceKind::ModelCard => "model-card",
        SourceKind::Official | SourceKind::Paper => "documentation",
        SourceKind::Press | SourceKind::SecondaryPress | SourceKind::Reference => "other",
    }
}

/// `model-card: Title (Publisher, 2025-01-20)`.
fn describe(source: &SourceView) -> String {
    format!(
        "{}: {} ({}, {})",
        source.kind, source.title, source.publisher, source.published
    )
}

/// The model card: the datasets the model was trained on (by `bom-ref`) and its
/// input and output modalities, when the data says.
fn model_card(ancestry: &Ancestry<'_>, model: &crate::model::Model) -> Option<Value> {
    let mut parameters = Map::new();
    let datasets: Vec<Value> = ancestry
        .bases_of(model.id.as_str())
        .filter(|e| e.relation == Relation::TrainedOn)
        .map(|e| json!({ "ref": e.base }))
        .collect();
    if !datasets.is_empty() {
        parameters.insert("datasets".into(), datasets.into());
    }
    if let Some(modality) = &model.modality {
        let formats = |list: &[crate::model::Spanned<crate::model::Modality>]| -> Vec<Value> {
            list.iter()
                .map(|m| json!({ "format": m.value.as_str() }))
                .collect()
        };
        if !modality.input.is_empty() {
            parameters.insert("inputs".into(), formats(&modality.input).into());
        }
        if !modality.output.is_empty() {
            parameters.insert("outputs".into(), formats(&modality.output).into());
        }
    }
    (!parameters.is_empty()).then(|| json!({ "modelParameters": parameters }))
}
