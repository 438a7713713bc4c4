//! What a model owes (issue 15): the walk that carries licence clauses down the
//! lineage, the compliance findings, and where users see them (CLI, API, pages,
//! SPARQL). Rules are checked on a small graph built here with a test licence whose
//! clauses reach different relations; the bundled graph is checked against its own
//! records (quotes, licences, edges read from the data, not written down here).

use std::collections::BTreeSet;

use axum::http::StatusCode;
use pedigree::dataset::Checked;
use pedigree::diagnostics::Code;
use pedigree::lineage::LineageIndex;
use pedigree::model::Relation;
use pedigree::obligations::view::{Certainty, ObligationsView};
use pedigree::obligations::{Obligations, Prepared};

use crate::knowledge::kb;
use crate::server::{Answer, call};
use crate::util::{Tree, pedigree, stdout};

async fn get(uri: &str) -> Answer {
    call("GET", uri, &[], b"").await
}

/// A test licence (not a real one: the graph is built for the rules) whose clauses
/// reach different relations, a second organisation, and models that exercise each
/// rule.
fn rules_tree() -> Tree {
    let tree = Tree::base();
    tree.write(
        "organizations/other-lab.yaml",
        "id: other-lab\nname: Other Lab\nkind: company\nsources: [acme-blog]\nconfidence: confirmed\n",
    );
    tree.write(
        "licenses/test-terms.yaml",
        r#"id: test-terms
name: Test Terms
spdx: LicenseRef-Test-Terms
url: https://acme.example/terms
osi_approved: false
clauses:
  - kind: derivative_naming
    section: "1"
    quote: Derivatives must be named starting with Acme.
    trigger: distribution
    prefix: Acme
    reaches: [finetune, distillation, trained_on_outputs]
  - kind: license_copy
    section: "2"
    quote: Give every recipient a copy of these terms.
    trigger: distribution
    reaches: [finetune, quantized]
  - kind: outputs_use
    section: "3"
    quote: Do not use outputs to improve other models.
    trigger: training
    outputs: forbidden
    reaches: [distillation, trained_on_outputs]
  - kind: non_commercial
    section: "4"
    quote: No commercial use.
    trigger: commercial_use
    reaches: [finetune]
sources: [acme-blog]
confidence: confirmed
"#,
    );
    let model = |id: &str, name: &str, developer: &str, extra: &str| {
        tree.write(
            &format!("models/{id}.yaml"),
            format!(
                "id: {id}\nname: {name}\ndeveloper: {developer}\nrelease:\n  status: released\n  date: 2025-01-01\n  sources: [acme-blog]\n  confidence: confirmed\n{extra}sources: [acme-blog]\nconfidence: confirmed\n"
            ),
        )
    };
    let license = |id: &str| {
        format!(
            "licenses:\n  - license: {id}\n    sources: [acme-blog]\n    confidence: confirmed\n"
        )
    };
    let edge = |base: &str, relation: &str, confidence: &str| {
        format!(
            "lineage:\n  - base: {base}\n    relation: {relation}\n    sources: [acme-blog]\n    confidence: {confidence}\n"
        )
    };
    model("root", "Acme Root", "acme-lab", &license("test-terms"));
    model(
        "tuned",
        "Tuned Model",
        "other-lab",
        &format!(
            "{}{}",
            license("apache-2.0"),
            edge("root", "finetune", "confirmed")
        ),
    );
    model(
        "tuned-q",
        "Tuned Model Q4",
        "other-lab",
        &format!(
            "{}{}",
            license("apache-2.0"),
            edge("tuned", "quantized", "reported")
        ),
    );
    model(
        "student",
        "Acme Student",
        "other-lab",
        &format!(
            "access:\n  - level: closed\n    sources: [acme-blog]\n    confidence: confirmed\n{}",
            edge("root", "distillation", "reported")
        ),
    );
    model(
        "acme-tuned",
        "Tuned by Acme",
        "acme-lab",
        &format!(
            "{}{}",
            license("apache-2.0"),
            edge("root", "finetune", "confirmed")
        ),
    );
    model(
        "closed-tune",
        "Acme Closed",
        "other-lab",
        &format!(
            "{}access:\n  - level: closed\n    sources: [acme-blog]\n    confidence: confirmed\n{}",
            license("test-terms"),
            edge("root", "finetune", "confirmed")
        ),
    );
    tree.write(
        "datasets/synth-set.yaml",
        "id: synth-set\nname: Synth Set\nsynthetic: true\ngenerated_by:\n  - model: root\n    sources: [acme-blog]\n    confidence: confirmed\nsources: [acme-blog]\nconfidence: confirmed\n",
    );
    model(
        "data-student",
        "Data Student",
        "other-lab",
        "trained_on:\n  - dataset: synth-set\n    stage: supervised_fine_tuning\n    sources: [acme-blog]\n    confidence: confirmed\n",
    );
    tree
}

/// The answer for every model of a tree, by id.
fn views(tree: &Tree) -> Vec<ObligationsView> {
    let checked = Checked::run(tree.path()).unwrap();
    assert!(checked.is_valid(), "{:?}", checked.diagnostics);
    let dataset = checked.into_dataset().unwrap();
    let index = LineageIndex::build(&dataset);
    let prepared = Prepared::new(&dataset, &index);
    let obligations = Obligations {
        dataset: &dataset,
        index: &index,
        prepared: &prepared,
    };
    (0..dataset.models.len())
        .map(|p| obligations.view(p))
        .collect()
}

fn of<'v>(views: &'v [ObligationsView], id: &str) -> &'v ObligationsView {
    views.iter().find(|v| v.model.id == id).unwrap()
}

/// (code, certainty) of each finding.
fn findings(view: &ObligationsView) -> BTreeSet<(String, Certainty)> {
    view.findings
        .iter()
        .map(|f| (f.code.clone(), f.obligation.certainty))
        .collect()
}

/// (licence, section, certainty, relations of the chain) of each inherited clause.
fn inherited(view: &ObligationsView) -> BTreeSet<(String, String, Certainty, Vec<Relation>)> {
    view.obligations
        .iter()
        .filter(|o| !o.own)
        .map(|o| {
            (
                o.license.id.clone(),
                o.clause.section.clone(),
                o.certainty,
                o.chain.iter().map(|e| e.relation).collect(),
            )
        })
        .collect()
}

fn set<const N: usize>(items: [(&str, Certainty); N]) -> BTreeSet<(String, Certainty)> {
    items.iter().map(|(c, k)| (c.to_string(), *k)).collect()
}

#[test]
fn clauses_reach_through_the_relations_they_name_and_findings_follow() {
    let tree = rules_tree();
    let views = views(&tree);
    use Certainty::{Certain, Possible};

    // A finetune under Apache-2.0 by another developer: the copy and non-commercial
    // clauses travel (no relicensing clause) and the name lacks the prefix.
    let tuned = of(&views, "tuned");
    assert_eq!(findings(tuned), set([("C101", Certain), ("C102", Certain)]));
    let chains: BTreeSet<_> = inherited(tuned).into_iter().map(|i| (i.1, i.3)).collect();
    assert!(chains.contains(&("1".into(), vec![Relation::Finetune])));
    assert!(chains.contains(&("4".into(), vec![Relation::Finetune])));

    // Its quantized copy, on a reported edge: only the clause that reaches
    // `quantized` comes down, and only as possible.
    let quantized = of(&views, "tuned-q");
    let sections: BTreeSet<String> = inherited(quantized)
        .iter()
        .filter(|i| i.0 == "test-terms")
        .map(|i| i.1.clone())
        .collect();
    assert_eq!(sections, BTreeSet::from(["2".to_owned()]));
    assert!(
        inherited(quantized)
            .iter()
            .filter(|i| i.0 == "test-terms")
            .all(|i| i.2 == Possible && i.3 == [Relation::Quantized, Relation::Finetune])
    );
    assert_eq!(findings(quantized), set([("C101", Possible)]));

    // A reported distillation: the outputs clause may be breached; the name has the
    // prefix; no licence is declared, so nothing drifts.
    assert_eq!(findings(of(&views, "student")), set([("C104", Possible)]));

    // Trained on data the licensed model generated: the outputs clause reaches
    // through the dataset.
    let data_student = of(&views, "data-student");
    assert_eq!(
        findings(data_student),
        set([("C102", Certain), ("C104", Certain)])
    );
    assert!(
        inherited(data_student)
            .iter()
            .any(|i| i.1 == "3" && i.3 == [Relation::TrainedOn, Relation::GeneratedBy])
    );

    // The licensor's own derivative, relicensed: nothing of its terms binds it.
    let own = of(&views, "acme-tuned");
    assert!(findings(own).is_empty(), "{:?}", own.findings);
    assert!(!inherited(own).iter().any(|i| i.0 == "test-terms"));

    // Offered closed under a non-commercial clause it inherits.
    assert_eq!(
        findings(of(&views, "closed-tune")),
        set([("C103", Certain)])
    );

    // The root itself: its own clauses, nothing inherited, no finding.
    let root = of(&views, "root");
    assert!(root.findings.is_empty());
    assert_eq!(root.obligations.len(), 4);
    assert!(root.obligations.iter().all(|o| o.own));
}

#[test]
fn validate_reports_findings_as_warnings_with_their_place() {
    let tree = rules_tree();
    let out = pedigree(&["validate", &tree.path().display().to_string()]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "findings never fail: {report}");
    for code in [
        Code::LicenseDrift,
        Code::NamingRequirementUnmet,
        Code::RestrictedUseContradicted,
        Code::OutputsClause,
    ] {
        assert!(
            report.contains(&format!("warning[{}]", code.as_str())),
            "{code:?}: {report}"
        );
    }
    // The naming finding points at the name, and quotes the clause.
    let at = report
        .find("warning[C102]: `tuned` is named")
        .expect("C102 on tuned");
    let finding = &report[at..];
    assert!(finding.contains("models/tuned.yaml:2:7"), "{finding}");
    assert!(finding.contains("“Derivatives must be named starting with Acme.”"));
    let json = pedigree(&[
        "validate",
        &tree.path().display().to_string(),
        "--format",
        "json",
    ]);
    let diagnostics: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let codes: BTreeSet<&str> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, BTreeSet::from(["C101", "C102", "C103", "C104"]));
}

/// The clause of a bundled licence with this section.
fn quote(license: &str, section: &str) -> String {
    let data = crate::data::bundled();
    let license = data.license(license).unwrap();
    license
        .clauses
        .iter()
        .find(|c| c.section.as_str() == section)
        .map(|c| c.quote.to_string())
        .unwrap_or_else(|| panic!("no clause {section}"))
}

#[test]
fn a_distilled_llama_owes_the_llama_terms_and_the_teacher_mit_terms() {
    let out = pedigree(&[
        "obligations",
        "deepseek-r1-distill-llama-8b",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let view: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let obligations = view["obligations"].as_array().unwrap();
    let find = |license: &str, kind: &str| {
        obligations
            .iter()
            .find(|o| o["license"]["id"] == license && o["clause"]["kind"] == kind)
            .unwrap_or_else(|| panic!("{license} {kind}"))
    };
    // The Llama 3.1 naming and attribution clauses, through the finetune edge to
    // Llama 3.1 8B, quoted as the licence record has them.
    let data = crate::data::bundled();
    let base = data
        .model("deepseek-r1-distill-llama-8b")
        .unwrap()
        .lineage
        .iter()
        .find(|e| e.relation.value == Relation::Finetune)
        .unwrap()
        .base
        .to_string();
    for kind in ["derivative_naming", "attribution"] {
        let o = find("llama-3.1-community", kind);
        assert_eq!(o["from"]["id"], base.as_str());
        assert_eq!(o["chain"][0]["relation"], "finetune");
        assert_eq!(o["certainty"], "certain");
        let section = o["clause"]["section"].as_str().unwrap();
        assert_eq!(o["clause"]["quote"], quote("llama-3.1-community", section));
        assert!(!o["chain"][0]["sources"].as_array().unwrap().is_empty());
    }
    // DeepSeek-R1's MIT terms on using its outputs, through the dataset it generated.
    let mit = find("mit", "outputs_use");
    assert_eq!(mit["from"]["id"], "deepseek-r1");
    let relations: Vec<&str> = mit["chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["relation"].as_str().unwrap())
        .collect();
    assert_eq!(relations, ["trained_on", "generated_by"]);
    // Its name does not begin with "Llama": the finding says so.
    assert!(
        view["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "C102")
    );
    // The text form says the same, and an unknown model is a usage error.
    let text = stdout(&pedigree(&["obligations", "deepseek-r1-distill-llama-8b"]));
    assert!(text.contains("Names must begin with “Llama”"), "{text}");
    assert!(text.contains("C102 naming-requirement-unmet"), "{text}");
    let unknown = pedigree(&["obligations", "deepseek-r1-distil-llama-8b"]);
    assert_ne!(unknown.status.code(), Some(0));
}

/// The canned queries for licence drift and outputs clauses agree with the
/// findings the walk computes on the bundled graph (the drift query follows weight
/// relations only, so it is compared with the findings whose chain does).
#[test]
fn canned_finding_queries_agree_with_the_findings() {
    let kb = kb();
    let obligations = kb.obligations();
    let query = |name: &str| -> Vec<Vec<String>> {
        let text = std::fs::read_to_string(crate::util::root().join(format!("queries/{name}.rq")))
            .unwrap();
        let out = pedigree(&[
            "query",
            &crate::util::root()
                .join(format!("queries/{name}.rq"))
                .display()
                .to_string(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{text}");
        stdout(&out)
            .lines()
            .skip(1)
            .map(|l| {
                l.split('\t')
                    .map(|c| c.trim_matches('"').to_owned())
                    .collect()
            })
            .collect()
    };
    let weights = [
        Relation::Finetune,
        Relation::Adapter,
        Relation::Merge,
        Relation::Quantized,
        Relation::ContinuedPretraining,
    ];
    let drift_found: BTreeSet<(String, String)> = kb
        .findings
        .iter()
        .filter(|f| f.code == Code::LicenseDrift)
        .filter(|f| {
            f.inherited
                .chain
                .iter()
                .all(|&e| weights.contains(&kb.lineage.edge_data(e).relation))
        })
        .map(|f| {
            (
                kb.dataset.models[f.model as usize].id.to_string(),
                obligations.license(&f.inherited).id.to_string(),
            )
        })
        .collect();
    let drift_query: BTreeSet<(String, String)> = query("license-drift")
        .into_iter()
        .map(|row| (row[0].clone(), row[3].clone()))
        .collect();
    assert!(!drift_found.is_empty());
    assert_eq!(drift_query, drift_found);

    let outputs_found: BTreeSet<String> = kb
        .findings
        .iter()
        .filter(|f| f.code == Code::OutputsClause)
        .map(|f| kb.dataset.models[f.model as usize].id.to_string())
        .collect();
    let outputs_query: BTreeSet<String> = query("outputs-clause-findings")
        .into_iter()
        .map(|row| row[0].clone())
        .collect();
    assert!(!outputs_found.is_empty());
    assert_eq!(outputs_query, outputs_found);
}

#[tokio::test]
async fn the_api_serves_obligations_and_filtered_findings() {
    let answer = get("/api/models/avocado/obligations").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let view = answer.json();
    // Avocado is reportedly distilled from the Gemma family: Gemma's pass-down
    // clause reaches it, possible, through a member whose licence it is.
    let pass_down = view["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["license"]["id"] == "gemma-terms" && o["clause"]["kind"] == "pass_down")
        .expect("Gemma's pass-down clause");
    assert_eq!(pass_down["certainty"], "possible");
    assert_eq!(pass_down["from"]["id"], "gemma");
    assert!(pass_down["member"]["id"].is_string());
    assert_eq!(pass_down["chain"][0]["relation"], "distillation");
    assert_eq!(pass_down["chain"][0]["confidence"], "reported");

    let missing = get("/api/models/avocadoo/obligations").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.text().contains("avocado"));

    let all = get("/api/findings?per_page=1000").await.json();
    assert_eq!(all["total"], kb().findings.len());
    let naming = get("/api/findings?code=C102&per_page=1000").await.json();
    let expected = kb()
        .findings
        .iter()
        .filter(|f| f.code == Code::NamingRequirementUnmet)
        .count();
    assert!(expected > 0);
    assert_eq!(naming["total"], expected);
    for item in naming["items"].as_array().unwrap() {
        assert_eq!(item["code"], "C102");
        assert_eq!(item["name"], "naming-requirement-unmet");
        assert!(item["message"].as_str().unwrap().contains("Llama"));
    }
    let by_license = get("/api/findings?license=llama-2-community").await.json();
    for item in by_license["items"].as_array().unwrap() {
        assert_eq!(item["obligation"]["license"]["id"], "llama-2-community");
    }
    let certain = get("/api/findings?certainty=certain&per_page=1000")
        .await
        .json();
    for item in certain["items"].as_array().unwrap() {
        assert_eq!(item["obligation"]["certainty"], "certain");
    }
    assert_eq!(
        get("/api/findings?code=C999").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get("/api/findings?license=nope").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get("/api/findings?colour=red").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_findings_page_lists_every_finding_and_licence_pages_anchor_clauses() {
    let answer = get("/findings?per_page=1000").await;
    assert_eq!(answer.status, StatusCode::OK);
    let html = answer.text();
    for finding in &kb().findings {
        let id = kb().dataset.models[finding.model as usize].id.as_str();
        assert!(html.contains(&format!("href=\"/models/{id}\"")), "{id}");
    }
    let filtered = get("/findings?code=C101").await.text();
    assert!(filtered.contains("/api/findings?code=C101"));
    let license = get("/licenses/llama-3.1-community").await.text();
    let record = kb().dataset.license("llama-3.1-community").unwrap();
    for n in 1..=record.clauses.len() {
        assert!(
            license.contains(&format!("id=\"clause-{n}\"")),
            "clause {n}"
        );
    }
}

/// A dataset's licence binds the models trained on it: Alpaca 7B, trained on the
/// Alpaca data under CC BY-NC 4.0 (per the records), inherits its non-commercial
/// clause through the `trained_on` edge.
#[test]
fn a_dataset_licence_reaches_the_models_trained_on_it() {
    let kb = kb();
    let data = &kb.dataset;
    let model = data.model("alpaca-7b").unwrap();
    let trained = &model.trained_on[0].dataset;
    let licence = &data.training_data(trained).unwrap().licenses[0].license;
    let position = data.models.iter().position(|m| m.id == model.id).unwrap();
    let view = kb.obligations().view(position);
    let non_commercial = view
        .obligations
        .iter()
        .find(|o| o.clause.kind.as_str() == "non_commercial")
        .expect("the dataset's non-commercial clause");
    assert_eq!(non_commercial.license.id, licence.as_str());
    assert_eq!(non_commercial.from.id, trained.as_str());
    assert_eq!(
        non_commercial
            .chain
            .iter()
            .map(|e| e.relation)
            .collect::<Vec<_>>(),
        [Relation::TrainedOn]
    );
}
