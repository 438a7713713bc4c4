//! AI bills of materials: the CycloneDX and SPDX documents of bundled models hold
//! their whole typed ancestry (checked against the lineage index for every model,
//! and against the seed story's facts), validate against the official JSON schemas of
//! both formats, come out byte for byte the same from the same data, and say what
//! their format could not carry, on the command line and in the API.
//!
//! The schema checks (`bom_schema_…`) run `tests/bom/validate.py` in the Python
//! environment `tests/setup` prepares. Missing schemas never count as a pass: the
//! test fails saying so, and `tests/run` leaves the `bom_schema_` tests out of the
//! run (reported as skipped) when the schema packages could not be installed.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use pedigree::bom::{self, Bom, Format, LossKind};
use pedigree::dataset::Dataset;
use pedigree::lineage::{Direction, Filter, LineageIndex};
use pedigree::model::Relation;
use pedigree::rdf::Iris;
use serde_json::Value;

use crate::server::call;
use crate::util::{pedigree, root};

/// The bundled data and its lineage index, built once.
fn bundled() -> &'static (Dataset, LineageIndex) {
    static DATA: OnceLock<(Dataset, LineageIndex)> = OnceLock::new();
    DATA.get_or_init(|| {
        let dataset = crate::data::bundled();
        let index = LineageIndex::build(&dataset);
        (dataset, index)
    })
}

fn build(id: &str, format: Format) -> Bom {
    let (dataset, index) = bundled();
    bom::build(dataset, index, &Iris::default(), id, format).unwrap()
}

/// The component with `bom-ref` `id` among the root and its ancestors.
fn component<'a>(document: &'a Value, id: &str) -> &'a Value {
    let root = &document["metadata"]["component"];
    if root["bom-ref"] == id {
        return root;
    }
    ancestors(document)
        .iter()
        .find(|c| c["bom-ref"] == id)
        .unwrap_or_else(|| panic!("no component `{id}` in the BOM"))
}

fn ancestors(document: &Value) -> &Vec<Value> {
    document["metadata"]["component"]["pedigree"]["ancestors"]
        .as_array()
        .expect("the root component has pedigree.ancestors")
}

/// The values of the properties named `name`.
fn property<'a>(component: &'a Value, name: &str) -> Vec<&'a str> {
    component["properties"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter(|p| p["name"] == name)
                .map(|p| p["value"].as_str().unwrap())
                .collect()
        })
        .unwrap_or_default()
}

/// `dependsOn` of `id` in the dependency graph.
fn depends_on(document: &Value, id: &str) -> Vec<String> {
    let entry = document["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["ref"] == id)
        .unwrap_or_else(|| panic!("`{id}` is not in the dependency graph"));
    entry["dependsOn"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|r| r.as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn cyclonedx_bom_of_a_distilled_model_holds_its_typed_ancestry() {
    let bom = build("deepseek-r1-distill-llama-8b", Format::Cyclonedx);
    let document = &bom.document;
    assert_eq!(document["bomFormat"], "CycloneDX");
    assert_eq!(document["specVersion"], "1.6");
    assert!(
        document["serialNumber"]
            .as_str()
            .unwrap()
            .starts_with("urn:uuid:")
    );
    let root = &document["metadata"]["component"];
    assert_eq!(root["type"], "machine-learning-model");
    assert_eq!(root["bom-ref"], "deepseek-r1-distill-llama-8b");
    assert_eq!(root["name"], "DeepSeek-R1-Distill-Llama-8B");
    assert_eq!(
        root["purl"],
        "pkg:huggingface/deepseek-ai/DeepSeek-R1-Distill-Llama-8B"
    );
    assert_eq!(root["manufacturer"]["name"], "DeepSeek");
    assert_eq!(root["supplier"]["name"], "DeepSeek");
    // MIT is on the SPDX list (an id); the Llama 3.1 licence is a LicenseRef (a name).
    let licenses = root["licenses"].as_array().unwrap();
    assert!(licenses.iter().any(|l| l["license"]["id"] == "MIT"));
    assert!(
        licenses
            .iter()
            .any(|l| l["license"]["name"] == "LicenseRef-Llama-3.1-Community-License")
    );

    // The base through `finetune`, with the claim's confidence and sources.
    let llama = component(document, "llama-3.1-8b");
    assert_eq!(llama["type"], "machine-learning-model");
    assert_eq!(
        property(root, "pedigree:base:llama-3.1-8b:relation"),
        ["finetune"]
    );
    assert_eq!(
        property(root, "pedigree:base:llama-3.1-8b:confidence"),
        ["confirmed"]
    );
    assert!(
        property(root, "pedigree:base:llama-3.1-8b:source")
            .contains(&"https://huggingface.co/deepseek-ai/DeepSeek-R1")
    );
    // The dataset it was trained on, a `data` component, and the model card's link.
    let data = component(document, "deepseek-r1-sft-800k");
    assert_eq!(data["type"], "data");
    assert_eq!(data["data"][0]["type"], "dataset");
    assert_eq!(
        property(root, "pedigree:base:deepseek-r1-sft-800k:relation"),
        ["trained_on"]
    );
    assert_eq!(
        property(root, "pedigree:base:deepseek-r1-sft-800k:stage"),
        ["distillation"]
    );
    assert_eq!(
        root["modelCard"]["modelParameters"]["datasets"][0]["ref"],
        "deepseek-r1-sft-800k"
    );
    // The teacher, reached through the dataset's `generated_by`.
    let teacher = component(document, "deepseek-r1");
    assert_eq!(teacher["type"], "machine-learning-model");
    assert_eq!(
        property(data, "pedigree:base:deepseek-r1:relation"),
        ["generated_by"]
    );
    assert_eq!(
        depends_on(document, "deepseek-r1-distill-llama-8b"),
        ["deepseek-r1-sft-800k", "llama-3.1-8b"]
    );
    assert_eq!(
        depends_on(document, "deepseek-r1-sft-800k"),
        ["deepseek-r1"]
    );
    // CycloneDX keeps relation, confidence and the rest in properties.
    assert!(bom.not_carried.is_empty(), "{:?}", bom.not_carried);
}

/// The SPDX element id of a record.
fn spdx_id(kind: &str, id: &str) -> String {
    format!("{}spdx/{kind}/{id}", pedigree::rdf::DEFAULT_BASE_IRI)
}

/// The relationships of `type` from `from`.
fn relationships<'a>(document: &'a Value, kind: &str, from: &str) -> Vec<&'a Value> {
    document["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "Relationship" && e["relationshipType"] == kind)
        .filter(|e| e["from"] == from)
        .collect()
}

fn element<'a>(document: &'a Value, spdx_id: &str) -> &'a Value {
    document["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["spdxId"] == spdx_id)
        .unwrap_or_else(|| panic!("no element {spdx_id}"))
}

#[test]
fn spdx_bom_of_a_distilled_model_states_the_same_relationships() {
    let bom = build("deepseek-r1-distill-llama-8b", Format::Spdx);
    let document = &bom.document;
    assert_eq!(
        document["@context"],
        "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    );
    let model = spdx_id("model", "deepseek-r1-distill-llama-8b");
    let graph = document["@graph"].as_array().unwrap();
    let spdx_document = graph.iter().find(|e| e["type"] == "SpdxDocument").unwrap();
    assert_eq!(spdx_document["rootElement"], serde_json::json!([model]));
    let info = graph.iter().find(|e| e["type"] == "CreationInfo").unwrap();
    assert_eq!(info["specVersion"], "3.0.1");

    let package = element(document, &model);
    assert_eq!(package["type"], "ai_AIPackage");
    assert_eq!(package["releaseTime"], "2025-01-20T00:00:00Z");
    assert_eq!(
        package["suppliedBy"],
        spdx_id("organization", "deepseek-ai")
    );
    assert_eq!(
        element(document, &spdx_id("organization", "deepseek-ai"))["name"],
        "DeepSeek"
    );

    // The AI profile's field about training says it in words, relation and stage.
    let training = package["ai_informationAboutTraining"].as_str().unwrap();
    assert!(
        training.contains("finetune of Llama 3.1 8B (llama-3.1-8b)"),
        "{training}"
    );
    assert!(
        training.contains("distillation on DeepSeek-R1 SFT data"),
        "{training}"
    );

    let finetune = relationships(document, "descendantOf", &model);
    assert_eq!(finetune.len(), 1);
    assert_eq!(finetune[0]["to"][0], spdx_id("model", "llama-3.1-8b"));
    let comment = finetune[0]["comment"].as_str().unwrap();
    assert!(comment.contains("relation finetune"), "{comment}");
    assert!(comment.contains("confidence confirmed"), "{comment}");

    let dataset = spdx_id("dataset", "deepseek-r1-sft-800k");
    let trained = relationships(document, "trainedOn", &model);
    assert_eq!(trained.len(), 1);
    assert_eq!(trained[0]["to"][0], dataset);
    assert_eq!(
        element(document, &dataset)["type"],
        "dataset_DatasetPackage"
    );
    let teacher = spdx_id("model", "deepseek-r1");
    let generates = relationships(document, "generates", &teacher);
    assert_eq!(generates.len(), 1);
    assert_eq!(generates[0]["to"][0], dataset);

    let declared: BTreeSet<&str> = relationships(document, "hasDeclaredLicense", &model)
        .iter()
        .map(|r| r["to"][0].as_str().unwrap())
        .collect();
    let expected: BTreeSet<String> = ["mit", "llama-3.1-community"]
        .iter()
        .map(|l| spdx_id("license", l))
        .collect();
    assert_eq!(
        declared,
        expected.iter().map(String::as_str).collect::<BTreeSet<_>>()
    );
    let llama_license = element(document, &spdx_id("license", "llama-3.1-community"));
    assert_eq!(
        llama_license["simplelicensing_licenseExpression"],
        "LicenseRef-Llama-3.1-Community-License"
    );
    assert_eq!(
        relationships(document, "hasConcludedLicense", &model)[0]["to"][0],
        "expandedlicensing_NoAssertionLicense"
    );

    // SPDX says `descendantOf` for `finetune`, and has no confidence field: both
    // are listed as not carried, with the edge.
    let lost = |kind: LossKind| -> Vec<String> {
        bom.not_carried
            .iter()
            .find(|l| l.kind == kind)
            .map(|l| l.occurrences.clone())
            .unwrap_or_default()
    };
    assert!(
        lost(LossKind::Relation)
            .contains(&"deepseek-r1-distill-llama-8b → llama-3.1-8b: finetune".to_owned())
    );
    assert!(
        lost(LossKind::Confidence)
            .contains(&"deepseek-r1-distill-llama-8b → llama-3.1-8b: confirmed".to_owned())
    );
    assert!(
        lost(LossKind::Stage).contains(
            &"deepseek-r1-distill-llama-8b → deepseek-r1-sft-800k: distillation".to_owned()
        )
    );
    // `trained_on` and `generated_by` have SPDX words of their own.
    assert!(
        lost(LossKind::Relation)
            .iter()
            .all(|o| !o.contains("trained_on"))
    );
}

/// Every bundled model's BOMs hold exactly the records and edges the lineage index
/// reaches from it towards its bases, and SPDX lists every relation word it had to
/// drop.
#[test]
fn every_bom_holds_exactly_the_ancestry_the_lineage_index_walks() {
    let (dataset, index) = bundled();
    for model in &dataset.models {
        let id = model.id.as_str();
        let walk = index
            .walk(id, Direction::Up, &Filter::default(), None)
            .unwrap();
        let expected: BTreeSet<String> = walk
            .nodes
            .iter()
            .filter(|&&(node, _)| node != walk.root)
            .map(|&(node, _)| index.id(dataset, node).to_owned())
            .collect();
        let views = pedigree::lineage::render::Views { index, dataset };
        let edges: Vec<_> = walk.edges.iter().map(|&e| views.edge(e)).collect();
        let expected_edges: BTreeSet<(String, String)> = edges
            .iter()
            .map(|e| (e.model.clone(), e.base.clone()))
            .collect();

        let cyclonedx = build(id, Format::Cyclonedx).document;
        let found: BTreeSet<String> =
            match cyclonedx["metadata"]["component"]["pedigree"]["ancestors"].as_array() {
                Some(list) => list
                    .iter()
                    .map(|c| c["bom-ref"].as_str().unwrap().to_owned())
                    .collect(),
                None => BTreeSet::new(),
            };
        assert_eq!(found, expected, "{id}: ancestors");
        let mut dependencies = BTreeSet::new();
        for entry in cyclonedx["dependencies"].as_array().unwrap() {
            for base in entry["dependsOn"].as_array().into_iter().flatten() {
                dependencies.insert((
                    entry["ref"].as_str().unwrap().to_owned(),
                    base.as_str().unwrap().to_owned(),
                ));
            }
        }
        assert_eq!(dependencies, expected_edges, "{id}: dependencies");

        let spdx = build(id, Format::Spdx);
        let graph = spdx.document["@graph"].as_array().unwrap();
        let lineage = graph
            .iter()
            .filter(|e| {
                ["descendantOf", "trainedOn", "generates"]
                    .contains(&e["relationshipType"].as_str().unwrap_or(""))
            })
            .count();
        assert_eq!(lineage, edges.len(), "{id}: lineage relationships");
        let dropped = edges
            .iter()
            .filter(|e| {
                !matches!(
                    e.relation,
                    Relation::TrainedOn | Relation::GeneratedBy | Relation::DerivedFrom
                )
            })
            .count();
        let listed = spdx
            .not_carried
            .iter()
            .find(|l| l.kind == LossKind::Relation)
            .map_or(0, |l| l.occurrences.len());
        assert_eq!(listed, dropped, "{id}: relation words not carried");
        let confidences = spdx
            .not_carried
            .iter()
            .find(|l| l.kind == LossKind::Confidence)
            .map_or(0, |l| l.occurrences.len());
        assert!(
            confidences > edges.len(),
            "{id}: every edge's and record's confidence is listed"
        );
    }
}

#[test]
fn the_same_data_gives_the_same_bytes_and_changed_data_a_new_serial_number() {
    for format in ["cyclonedx", "spdx"] {
        let run = || pedigree(&["bom", "avocado", "--format", format]);
        let (first, second) = (run(), run());
        assert!(first.status.success(), "{first:?}");
        assert_eq!(first.stdout, second.stdout, "{format}: two runs differ");
    }
    let (dataset, index) = bundled();
    let serial = |dataset: &Dataset| {
        bom::build(
            dataset,
            index,
            &Iris::default(),
            "llama-3.1-8b",
            Format::Cyclonedx,
        )
        .unwrap()
        .document["serialNumber"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let before = serial(dataset);
    let mut changed = crate::data::bundled();
    let model = changed
        .models
        .iter_mut()
        .find(|m| m.id.as_str() == "llama-3.1-8b")
        .unwrap();
    model.name.value = "Llama 3.1 8B (renamed)".to_owned();
    assert_ne!(serial(&changed), before);
    assert_eq!(serial(dataset), before);
}

#[test]
fn bom_command_writes_a_file_and_lists_what_spdx_cannot_carry() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("avocado.spdx.json");
    let out = pedigree(&[
        "bom",
        "avocado",
        "--format",
        "spdx",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&file).unwrap();
    let stdout = pedigree(&["bom", "avocado", "--format", "spdx"]).stdout;
    assert_eq!(written.as_bytes(), stdout);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    // One line per kind of fact, each naming where it occurs.
    assert!(
        lines.iter().all(|l| l.starts_with("not carried: ")),
        "{stderr}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("not carried: relation (3: ")
                && l.contains("avocado → qwen: distillation")),
        "{stderr}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("not carried: confidence")
                && l.contains("avocado → gemma: reported")),
        "{stderr}"
    );

    // CycloneDX carries everything: nothing on stderr.
    let cyclonedx = pedigree(&["bom", "avocado", "--format", "cyclonedx"]);
    assert!(cyclonedx.status.success());
    assert!(cyclonedx.stderr.is_empty(), "{cyclonedx:?}");

    // A misspelt model and a dataset are usage errors.
    let unknown = pedigree(&["bom", "avocad"]);
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("no model `avocad`") && stderr.contains("avocado"),
        "{stderr}"
    );
    let dataset = pedigree(&["bom", "deepseek-r1-sft-800k"]);
    assert_eq!(dataset.status.code(), Some(2));
}

#[tokio::test]
async fn bom_route_answers_the_document_and_counts_what_is_not_carried() {
    let spdx = call("GET", "/api/models/avocado/bom?format=spdx", &[], b"").await;
    assert_eq!(spdx.status, 200);
    assert_eq!(spdx.content_type, "application/spdx+json");
    let expected = build("avocado", Format::Spdx);
    assert_eq!(spdx.text(), expected.to_json());
    let header = spdx.headers["pedigree-not-carried"].to_str().unwrap();
    assert_eq!(
        header,
        format!(
            "{};list=\"/api/models/avocado/bom?format=spdx&with=losses\"",
            expected.not_carried.len()
        )
    );
    let list = header
        .split("list=\"")
        .nth(1)
        .unwrap()
        .trim_end_matches('"');
    let wrapped = call("GET", list, &[], b"").await.json();
    assert_eq!(wrapped["format"], "spdx");
    assert_eq!(wrapped["bom"], expected.document);
    assert_eq!(
        wrapped["not_carried"].as_array().unwrap().len(),
        expected.not_carried.len()
    );
    assert_eq!(wrapped["not_carried"][0]["kind"], "relation");

    let cyclonedx = call("GET", "/api/models/avocado/bom", &[], b"").await;
    assert_eq!(
        cyclonedx.content_type,
        "application/vnd.cyclonedx+json; version=1.6"
    );
    assert!(
        cyclonedx.headers["pedigree-not-carried"]
            .to_str()
            .unwrap()
            .starts_with("0;")
    );
    assert_eq!(cyclonedx.json()["bomFormat"], "CycloneDX");

    let unknown = call("GET", "/api/models/avocad/bom", &[], b"").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["did_you_mean"][0], "avocado");
    for bad in ["format=xml", "with=everything", "colour=red"] {
        let answer = call("GET", &format!("/api/models/avocado/bom?{bad}"), &[], b"").await;
        assert_eq!(answer.status, 400, "{bad}: {}", answer.text());
    }
}

// ---------------------------------------------------------------------------------
// The official schemas

/// The Python interpreter of the test environment that `tests/setup` prepares.
fn python() -> PathBuf {
    let venv = root().join("target/test-env/venv/bin/python");
    assert!(
        venv.is_file(),
        "{} is missing: run `tests/setup` (tests/run does) to install the BOM schema packages",
        venv.display()
    );
    venv
}

/// The models whose BOMs are checked against the schemas: the four the seed story
/// and the issue name (a distillation through a dataset, a model with datasets, a
/// closed model distilled from families, a base), then, for each relation the bundled
/// lineage holds, the first model by id whose ancestry has an edge of it, so every
/// kind of edge is written at least once. Not every model: the SPDX schema takes
/// about a second per document.
fn models_to_validate() -> Vec<String> {
    let (dataset, index) = bundled();
    let mut chosen: Vec<String> = [
        "deepseek-r1-distill-llama-8b",
        "zephyr-7b-beta",
        "avocado",
        "llama-3.1-8b",
    ]
    .map(str::to_owned)
    .to_vec();
    for id in &chosen {
        assert!(dataset.model(id).is_some(), "{id} is bundled");
    }
    let views = pedigree::lineage::render::Views { index, dataset };
    let relations_of = |id: &str| -> BTreeSet<Relation> {
        let walk = index
            .walk(id, Direction::Up, &Filter::default(), None)
            .unwrap();
        walk.edges.iter().map(|&e| views.edge(e).relation).collect()
    };
    let mut covered: BTreeSet<Relation> = chosen.iter().flat_map(|id| relations_of(id)).collect();
    let mut ids: Vec<&str> = dataset.models.iter().map(|m| m.id.as_str()).collect();
    ids.sort_unstable();
    for id in ids {
        let relations = relations_of(id);
        if !relations.is_subset(&covered) {
            covered.extend(relations);
            chosen.push(id.to_owned());
        }
    }
    chosen
}

/// Writes the BOMs of [`models_to_validate`] in `format` into a folder, and runs the
/// validator over all of them.
fn validate_models(format: Format) {
    let folder = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = models_to_validate()
        .iter()
        .map(|id| {
            let path = folder.path().join(format!("{id}.{format}.json"));
            std::fs::write(&path, build(id, format).to_json()).unwrap();
            path
        })
        .collect();
    validate(format, &files);
}

fn validate(format: Format, files: &[PathBuf]) {
    let output = Command::new(python())
        .arg(root().join("tests/bom/validate.py"))
        .arg(format.as_str())
        .args(files)
        .output()
        .expect("the validator runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_ne!(
        output.status.code(),
        Some(3),
        "SKIPPED is not a pass: {stdout}(tests/run leaves the bom_schema_ tests out when the schemas cannot be installed)"
    );
    assert!(
        output.status.success(),
        "{format} documents do not validate:\n{stdout}\n{stderr}"
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok ")).count(),
        files.len(),
        "{stdout}"
    );
}

#[test]
fn bom_schema_cyclonedx_documents_validate_against_the_official_schema() {
    validate_models(Format::Cyclonedx);
}

#[test]
fn bom_schema_spdx_documents_validate_against_the_official_schema() {
    validate_models(Format::Spdx);
}

/// The validator can fail: a document that breaks each schema is refused.
#[test]
fn bom_schema_validator_refuses_invalid_documents() {
    let folder = tempfile::tempdir().unwrap();
    let mut cyclonedx = build("avocado", Format::Cyclonedx).document;
    cyclonedx["metadata"]["component"]["type"] = "model".into();
    let mut spdx = build("avocado", Format::Spdx).document;
    let relationship = spdx["@graph"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|e| e["type"] == "Relationship")
        .unwrap();
    relationship["relationshipType"] = "distilledFrom".into();
    for (format, document) in [(Format::Cyclonedx, cyclonedx), (Format::Spdx, spdx)] {
        let path = folder.path().join(format!("broken.{format}.json"));
        std::fs::write(&path, document.to_string()).unwrap();
        let output = Command::new(python())
            .arg(root().join("tests/bom/validate.py"))
            .arg(format.as_str())
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(1),
            "{format}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}
