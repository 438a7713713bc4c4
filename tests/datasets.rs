//! Training data as first-class entities (issue 13): dataset records in the API and
//! the pages, lineage that runs through them (walks, paths, the stage filter, the
//! picture), and SPARQL seeing the same graph. Expected values are read from the
//! records, not written down here, wherever the data can say them.

use axum::http::StatusCode;

use crate::server::{Answer, call};

async fn get(uri: &str) -> Answer {
    call("GET", uri, &[], b"").await
}

fn ids(nodes: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = nodes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

/// The models whose records say they were trained on `dataset`.
fn trained_on(dataset: &str) -> Vec<String> {
    let data = crate::data::bundled();
    let mut ids: Vec<String> = data
        .models
        .iter()
        .filter(|m| m.trained_on.iter().any(|t| t.dataset.as_str() == dataset))
        .map(|m| m.id.to_string())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_dataset_record_lists_its_makers_and_the_models_trained_on_it() {
    let answer = get("/api/datasets/deepseek-r1-sft-800k").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let record = answer.json();
    assert_eq!(record["creator"]["id"], "deepseek-ai");
    assert_eq!(record["synthetic"], true);
    assert_eq!(record["availability"][0]["level"], "closed");
    assert_eq!(record["size"][0]["unit"], "examples");
    assert!(!record["size"][0]["sources"].as_array().unwrap().is_empty());
    let made_from: Vec<(&str, &str)> = record["lineage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["relation"].as_str().unwrap(), e["base"].as_str().unwrap()))
        .collect();
    assert_eq!(made_from, [("generated_by", "deepseek-r1")]);
    let mut students: Vec<String> = record["derivatives"]
        .as_array()
        .unwrap()
        .iter()
        .inspect(|e| {
            assert_eq!(e["relation"], "trained_on");
            assert_eq!(e["stage"], "distillation");
        })
        .map(|e| e["model"].as_str().unwrap().to_owned())
        .collect();
    students.sort();
    assert_eq!(students, trained_on("deepseek-r1-sft-800k"));
    assert_eq!(students.len(), 6);

    let list = get("/api/datasets?q=ultra").await.json();
    let listed = ids(&list["items"]);
    assert!(listed.contains(&"ultrachat".to_owned()), "{listed:?}");
    assert!(listed.iter().all(|id| id.contains("ultra")), "{listed:?}");

    let missing = get("/api/datasets/ultrachat-2000k").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.text().contains("ultrachat"), "{}", missing.text());
}

#[tokio::test]
async fn a_model_trained_on_generated_data_descends_from_the_generator_through_the_dataset() {
    let down = get("/api/models/deepseek-r1/lineage?direction=down")
        .await
        .json();
    let nodes = ids(&down["nodes"]);
    assert!(nodes.contains(&"deepseek-r1-sft-800k".to_owned()));
    for student in trained_on("deepseek-r1-sft-800k") {
        assert!(nodes.contains(&student), "{student} is below deepseek-r1");
    }
    let dataset = down["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "deepseek-r1-sft-800k")
        .unwrap();
    assert_eq!(dataset["kind"], "dataset");
    assert_eq!(dataset["generation"], 1);
    assert_eq!(dataset["developer"], "deepseek-ai");

    // The path R1-Distill-Qwen-7B ← the samples ← DeepSeek-R1.
    let path = get("/api/path?from=deepseek-r1-distill-qwen-7b&to=deepseek-r1")
        .await
        .json();
    assert_eq!(path["related"], true, "{path}");
    let steps: Vec<(&str, &str, &str)> = path["path"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["model"].as_str().unwrap(),
                s["relation"].as_str().unwrap(),
                s["base"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            (
                "deepseek-r1-distill-qwen-7b",
                "trained_on",
                "deepseek-r1-sft-800k"
            ),
            ("deepseek-r1-sft-800k", "generated_by", "deepseek-r1"),
        ]
    );
}

#[tokio::test]
async fn relation_and_stage_filters_walk_only_the_data_asked_for() {
    let up = |query: &str| format!("/api/models/zephyr-7b-beta/lineage?direction=up&{query}");
    let all = get(&up("")).await.json();
    let everything = ids(&all["nodes"]);
    for expected in [
        "ultrachat-200k",
        "ultrafeedback-binarized",
        "mistral-7b",
        "gpt-4",
    ] {
        assert!(
            everything.contains(&expected.to_owned()),
            "{expected}: {everything:?}"
        );
    }
    // Only preference data: DPO's dataset, and what it was made from; not the SFT set.
    let preference = get(&up("stage=preference_tuning")).await.json();
    let preference = ids(&preference["nodes"]);
    assert!(preference.contains(&"ultrafeedback-binarized".to_owned()));
    assert!(
        !preference.contains(&"ultrachat-200k".to_owned()),
        "{preference:?}"
    );
    assert!(
        preference.contains(&"mistral-7b".to_owned()),
        "other relations pass"
    );
    // Only the model relations: no dataset at all.
    let weights = get(&up("relation=finetune")).await.json();
    assert_eq!(ids(&weights["nodes"]), ["mistral-7b", "zephyr-7b-beta"]);
    let wrong = get(&up("stage=evaluation")).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(
        wrong.text().contains("supervised_fine_tuning"),
        "{}",
        wrong.text()
    );
}

#[tokio::test]
async fn pictures_draw_datasets_as_their_own_shape_and_say_so() {
    let svg = get("/api/models/deepseek-r1-distill-qwen-7b/lineage?format=svg")
        .await
        .text();
    assert!(svg.contains(r#"class="node dataset""#), "{svg}");
    assert!(svg.contains(r#"href="/datasets/deepseek-r1-sft-800k""#));
    assert!(
        svg.contains("deepseek-ai dataset"),
        "the box says what it is"
    );
    assert!(
        svg.contains(">dataset edges<"),
        "the legend names the data edges"
    );
    assert!(svg.contains(".lineage .node.dataset rect{rx:0"));
    // A picture without data keeps the legend it had.
    let plain =
        get("/api/models/llama-3.1-8b-instruct/lineage?format=svg&direction=up&relation=finetune")
            .await
            .text();
    assert!(!plain.contains(">dataset edges<"));
}

#[tokio::test]
async fn dataset_pages_render_and_model_addresses_of_datasets_redirect() {
    let page = get("/datasets/ultrachat").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    for expected in [
        "UltraChat",
        "href=\"/organizations/thunlp\"",
        "href=\"/licenses/cc-by-nc-4.0\"",
        "until 2023-10-12",
        "href=\"/datasets/ultrachat-200k\"",
        "generated by",
    ] {
        assert!(html.contains(expected), "{expected}");
    }
    let list = get("/datasets").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text().contains("href=\"/datasets/alpaca-data\""));
    let moved = get("/models/ultrachat").await;
    assert_eq!(moved.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(moved.headers["location"], "/datasets/ultrachat");
    // The model page names its training data with the stage.
    let zephyr = get("/models/zephyr-7b-beta").await.text();
    assert!(zephyr.contains("(supervised fine-tuning)"), "stage shown");
    assert!(zephyr.contains("href=\"/datasets/ultrachat-200k\""));
}

#[tokio::test]
async fn sparql_sees_training_data_directly_and_qualified() {
    let query = "SELECT ?model ?stage WHERE { ?m fair4ml:trainedOn ?d ; dcterms:identifier ?model ; prov:qualifiedDerivation ?q . ?q prov:entity ?d ; ped:stage/skos:notation ?stage . ?d dcterms:identifier \"ultrafeedback-binarized\" }";
    let answer = get(&format!("/sparql?query={}", crate::server::q(query)))
        .await
        .json();
    let rows = answer["results"]["bindings"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{answer}");
    assert_eq!(rows[0]["model"]["value"], "zephyr-7b-beta");
    assert_eq!(rows[0]["stage"]["value"], "preference_tuning");
    // The generator is an ancestor through the data, as in the lineage index.
    let ask = "ASK { ?z dcterms:identifier \"zephyr-7b-beta\" . ?g dcterms:identifier \"gpt-4\" . ?z prov:wasDerivedFrom+ ?g }";
    let answer = get(&format!("/sparql?query={}", crate::server::q(ask)))
        .await
        .json();
    assert_eq!(answer["boolean"], true);
}
