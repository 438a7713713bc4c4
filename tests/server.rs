//! The HTTP application without a socket: every route, every error path, and content
//! negotiation, through `router(state).oneshot(request)`.

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use pedigree::kb::KnowledgeBase;
use pedigree::rdf::Iris;
use pedigree::server::{AppState, Config, router};
use pedigree::snapshot::Snapshot;
use tower::ServiceExt;

use crate::util::root;

fn state() -> AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE
        .get_or_init(|| {
            let kb = KnowledgeBase::load(&root().join("graph-data"), Iris::default()).unwrap();
            let queries = pedigree::queries::load_dir(&root().join("queries")).unwrap();
            let snapshot = Snapshot {
                kb,
                queries,
                loaded_at: std::time::SystemTime::now(),
                data_version: None,
            };
            AppState::new(snapshot, Config::default())
        })
        .clone()
}

pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

pub async fn call(method: &str, uri: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = router(state())
        .oneshot(request.body(Body::from(body.to_vec())).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let content_type = headers
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Answer {
        status,
        content_type,
        headers,
        body,
    }
}

async fn get(uri: &str) -> Answer {
    call("GET", uri, &[], b"").await
}

pub(crate) fn q(text: &str) -> String {
    crate::http::encode(text)
}

// ---------------------------------------------------------------------------------
// SPARQL protocol

#[tokio::test]
async fn sparql_get_post_form_and_direct_give_the_same_answer() {
    let query = "SELECT ?n WHERE { ?m dcterms:identifier \"avocado\" ; schema:name ?n }";
    let by_get = get(&format!("/sparql?query={}", q(query))).await;
    let by_form = call(
        "POST",
        "/sparql",
        &[("content-type", "application/x-www-form-urlencoded")],
        format!("query={}", q(query)).as_bytes(),
    )
    .await;
    let direct = call(
        "POST",
        "/sparql",
        &[("content-type", "application/sparql-query")],
        query.as_bytes(),
    )
    .await;
    for answer in [&by_get, &by_form, &direct] {
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        assert_eq!(answer.content_type, "application/sparql-results+json");
        assert_eq!(
            answer.json()["results"]["bindings"][0]["n"]["value"],
            "Muse Spark"
        );
    }
}

#[tokio::test]
async fn sparql_negotiates_results_formats_with_q_values() {
    let uri = format!("/sparql?query={}", q("SELECT ?x WHERE { VALUES ?x { 1 } }"));
    for (accept, expected) in [
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
        ),
        ("text/csv", "text/csv; charset=utf-8"),
        (
            "text/tab-separated-values",
            "text/tab-separated-values; charset=utf-8",
        ),
        (
            "text/csv;q=0.5, application/sparql-results+xml;q=0.9",
            "application/sparql-results+xml",
        ),
        ("*/*", "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
    ] {
        let answer = call("GET", &uri, &[("accept", accept)], b"").await;
        assert_eq!(answer.status, StatusCode::OK, "{accept}");
        assert_eq!(answer.content_type, expected, "{accept}");
        assert_eq!(answer.headers.get("vary").unwrap(), "Accept");
    }
    let refused = call("GET", &uri, &[("accept", "image/png")], b"").await;
    assert_eq!(refused.status, StatusCode::NOT_ACCEPTABLE);
    assert!(
        refused.json()["detail"]
            .as_str()
            .unwrap()
            .contains("application/sparql-results+json")
    );
}

#[tokio::test]
async fn sparql_graph_answers_in_every_rdf_format() {
    let uri = format!(
        "/sparql?query={}",
        q(
            "CONSTRUCT { ?m schema:name ?n } WHERE { ?m dcterms:identifier \"avocado\" ; schema:name ?n }"
        )
    );
    for (accept, expected, needle) in [
        ("text/turtle", "text/turtle; charset=utf-8", "Muse Spark"),
        (
            "application/n-triples",
            "application/n-triples",
            "<http://schema.org/name> \"Muse Spark\"",
        ),
        ("application/rdf+xml", "application/rdf+xml", "Muse Spark"),
        ("application/ld+json", "application/ld+json", "\"@context\""),
        ("", "text/turtle; charset=utf-8", "Muse Spark"),
    ] {
        let answer = call("GET", &uri, &[("accept", accept)], b"").await;
        assert_eq!(answer.status, StatusCode::OK, "{accept}: {}", answer.text());
        assert_eq!(answer.content_type, expected, "{accept}");
        assert!(
            answer.text().contains(needle),
            "{accept}: {}",
            answer.text()
        );
    }
    // rdflib's SPARQLStore asks for SPARQL results even for CONSTRUCT: it gets the RDF
    // format of the same family, and the Content-Type says which.
    let json_only = call(
        "GET",
        &uri,
        &[("accept", "application/sparql-results+json")],
        b"",
    )
    .await;
    assert_eq!(json_only.status, StatusCode::OK);
    assert_eq!(json_only.content_type, "application/ld+json");
    let xml_only = call(
        "GET",
        &uri,
        &[("accept", "application/sparql-results+xml")],
        b"",
    )
    .await;
    assert_eq!(xml_only.content_type, "application/rdf+xml");
    let image = call("GET", &uri, &[("accept", "image/png")], b"").await;
    assert_eq!(image.status, StatusCode::NOT_ACCEPTABLE);
}

#[tokio::test]
async fn sparql_errors_are_4xx_with_a_message() {
    let syntax = get(&format!(
        "/sparql?query={}",
        q("SELECT ?x WHERE {\n  ?x ?y\n")
    ))
    .await;
    assert_eq!(syntax.status, StatusCode::BAD_REQUEST);
    let detail = syntax.json()["detail"].as_str().unwrap().to_owned();
    assert!(detail.contains("line 3"), "{detail}");
    for (method, uri, content_type, body, expected) in [
        (
            "POST",
            "/sparql",
            "text/plain",
            "ASK {}",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "POST",
            "/sparql",
            "application/sparql-query; charset=UTF-16",
            "ASK {}",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "POST",
            "/sparql",
            "application/sparql-update",
            "CLEAR ALL",
            StatusCode::FORBIDDEN,
        ),
        (
            "POST",
            "/sparql",
            "application/x-www-form-urlencoded",
            "update=CLEAR%20ALL",
            StatusCode::FORBIDDEN,
        ),
        (
            "GET",
            "/sparql?update=CLEAR%20ALL",
            "",
            "",
            StatusCode::FORBIDDEN,
        ),
        (
            "GET",
            "/sparql?query=ASK%7B%7D&query=ASK%7B%7D",
            "",
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "POST",
            "/sparql",
            "application/sparql-query",
            "INSERT DATA { <a:a> <a:b> <a:c> }",
            StatusCode::FORBIDDEN,
        ),
        (
            "POST",
            "/sparql",
            "application/sparql-query",
            "LOAD <http://example.com/x.ttl>",
            StatusCode::FORBIDDEN,
        ),
        (
            "POST",
            "/sparql",
            "application/sparql-query",
            "SELECT * WHERE { SERVICE <http://example.com/sparql> { ?s ?p ?o } }",
            StatusCode::FORBIDDEN,
        ),
        (
            "PUT",
            "/sparql",
            "application/sparql-query",
            "ASK {}",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        ("DELETE", "/sparql", "", "", StatusCode::METHOD_NOT_ALLOWED),
        (
            "GET",
            "/sparql?query=ASK%7B%7D&default-graph-uri=not%20an%20iri",
            "",
            "",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let headers: Vec<(&str, &str)> = if content_type.is_empty() {
            vec![]
        } else {
            vec![("content-type", content_type)]
        };
        let answer = call(method, uri, &headers, body.as_bytes()).await;
        assert_eq!(
            answer.status,
            expected,
            "{method} {uri} {content_type} {body}: {}",
            answer.text()
        );
        let json = answer.json();
        assert!(
            json["error"].is_string() && json["detail"].is_string(),
            "{json}"
        );
    }
    let missing_type = call("POST", "/sparql", &[], b"ASK {}").await;
    assert_eq!(missing_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let bad_utf8 = call(
        "POST",
        "/sparql",
        &[("content-type", "application/sparql-query")],
        b"ASK { \xff }",
    )
    .await;
    assert_eq!(bad_utf8.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn sparql_without_a_query_describes_the_service() {
    let answer = get("/sparql").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type.starts_with("text/turtle"));
    let text = answer.text();
    assert!(
        text.contains("sparql-service-description#SPARQL11Query"),
        "{text}"
    );
    assert!(!text.contains("BasicFederatedQuery"));
}

#[tokio::test]
async fn sparql_is_open_to_other_origins() {
    let preflight = call(
        "OPTIONS",
        "/sparql",
        &[
            ("origin", "https://yasgui.example"),
            ("access-control-request-method", "POST"),
            ("access-control-request-headers", "content-type"),
        ],
        b"",
    )
    .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    assert_eq!(
        preflight
            .headers
            .get("access-control-allow-origin")
            .unwrap(),
        "*"
    );
    let answer = call(
        "GET",
        "/sparql?query=ASK%7B%7D",
        &[("origin", "https://yasgui.example")],
        b"",
    )
    .await;
    assert_eq!(
        answer.headers.get("access-control-allow-origin").unwrap(),
        "*"
    );
}

// ---------------------------------------------------------------------------------
// REST API

#[tokio::test]
async fn model_lineage_shows_qwen_reported_with_bloomberg() {
    let answer = get("/api/models/avocado/lineage").await;
    assert_eq!(answer.status, StatusCode::OK);
    let json = answer.json();
    let qwen = json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["base"] == "qwen")
        .expect("an edge to Qwen");
    assert_eq!(qwen["relation"], "distillation");
    assert_eq!(qwen["confidence"], "reported");
    assert!(
        qwen["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["publisher"] == "Bloomberg")
    );
}

#[tokio::test]
async fn lineage_parameters_filter_and_are_checked() {
    let up = get("/api/models/deepseek-r1-distill-qwen-7b/lineage?direction=up&relation=finetune")
        .await
        .json();
    let bases: Vec<&str> = up["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["base"].as_str().unwrap())
        .collect();
    assert!(
        bases.contains(&"qwen2.5-math-7b") && !bases.contains(&"deepseek-r1"),
        "{bases:?}"
    );
    let shallow = get("/api/models/deepseek-r1-distill-qwen-7b/lineage?direction=up&depth=1")
        .await
        .json();
    assert_eq!(shallow["edges"].as_array().unwrap().len(), 2);
    let confirmed = get("/api/models/avocado/lineage?min_confidence=confirmed")
        .await
        .json();
    assert!(confirmed["edges"].as_array().unwrap().is_empty());
    let before = get("/api/models/avocado/lineage?known_at=2025-12-09")
        .await
        .json();
    assert!(before["edges"].as_array().unwrap().is_empty());
    let on_the_day = get("/api/models/avocado/lineage?known_at=2025-12-10")
        .await
        .json();
    assert_eq!(on_the_day["edges"].as_array().unwrap().len(), 3);
    let dot = get("/api/models/avocado/lineage?format=dot").await;
    assert!(dot.content_type.starts_with("text/vnd.graphviz") && dot.text().starts_with("digraph"));
    let mermaid = get("/api/models/avocado/lineage?format=mermaid").await;
    assert!(mermaid.text().starts_with("flowchart TB"));
    for (uri, needle) in [
        (
            "/api/models/avocado/lineage?direction=sideways",
            "`direction=sideways` is not valid: expected up, down or both",
        ),
        ("/api/models/avocado/lineage?depth=-1", "`depth=-1`"),
        (
            "/api/models/avocado/lineage?relation=finetuned",
            "expected one of finetune",
        ),
        (
            "/api/models/avocado/lineage?as_of=yesterday",
            "`as_of=yesterday`",
        ),
        (
            "/api/models/avocado/lineage?direciton=up",
            "unknown parameter `direciton`; did you mean `direction`?",
        ),
        ("/api/models/avocado/lineage?format=svgz", "`format=svgz`"),
        (
            "/api/models/avocado/lineage?direction=up&direction=down",
            "more than once",
        ),
    ] {
        let answer = get(uri).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
        let detail = answer.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains(needle), "{uri}: {detail}");
    }
}

#[tokio::test]
async fn unknown_ids_are_404_with_suggestions() {
    for (uri, suggestion) in [
        ("/api/models/avocad", "avocado"),
        ("/api/models/avocad/lineage", "avocado"),
        (
            "/api/organizations/meta-superintelligence-lab",
            "meta-superintelligence-labs",
        ),
        ("/api/people/alexandr-wong", "alexandr-wang"),
        (
            "/api/sources/bloomberg-2025-12-10-meta-avocad",
            "bloomberg-2025-12-10-meta-avocado",
        ),
        ("/api/licenses/apache-2", "apache-2.0"),
        ("/api/queries/model-lineag", "model-lineage"),
    ] {
        let answer = get(uri).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        let json = answer.json();
        assert_eq!(json["error"], "not found");
        assert!(
            json["did_you_mean"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == suggestion),
            "{uri}: {json}"
        );
    }
    let nowhere = get("/api/nowhere").await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    assert_eq!(nowhere.json()["error"], "not found");
}

#[tokio::test]
async fn model_list_filters_and_pages() {
    let all = get("/api/models?per_page=1000").await.json();
    assert!(all["total"].as_u64().unwrap() >= 50);
    let search = get("/api/models?q=avo").await.json();
    assert_eq!(
        search["items"][0]["id"], "avocado",
        "aliases are searched: {search}"
    );
    let meta = get("/api/models?organization=meta&per_page=1000")
        .await
        .json();
    let ids: Vec<&str> = meta["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"avocado") && ids.contains(&"llama-4-scout"),
        "sub-organisations count: {ids:?}"
    );
    let closed = get("/api/models?access=closed").await.json();
    assert!(
        closed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["access"].as_array().unwrap().contains(&"closed".into()))
    );
    let mit = get("/api/models?license=mit&per_page=5&page=2")
        .await
        .json();
    assert_eq!(mit["page"], 2);
    assert!(mit["items"].as_array().unwrap().len() <= 5);
    let distilled = get("/api/models?relation=distillation").await.json();
    assert!(
        distilled["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == "avocado")
    );
    for uri in [
        "/api/models?per_page=0",
        "/api/models?page=zero",
        "/api/models?access=gated",
        "/api/models?sort=name",
    ] {
        assert_eq!(get(uri).await.status, StatusCode::BAD_REQUEST, "{uri}");
    }
    assert_eq!(
        get("/api/models?organization=nobody").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn model_detail_carries_every_claim_with_sources() {
    let json = get("/api/models/deepseek-r1-distill-qwen-7b").await.json();
    assert_eq!(json["developer"]["id"], "deepseek-ai");
    assert_eq!(json["release"]["date"], "2025-01-20");
    assert_eq!(json["release"]["confidence"], "confirmed");
    assert!(!json["release"]["sources"].as_array().unwrap().is_empty());
    assert_eq!(json["lineage"].as_array().unwrap().len(), 2);
    assert!(
        json["licenses"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["spdx"] == "MIT")
    );
    assert!(
        json["record"]["sources"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["url"].as_str().unwrap().starts_with("http"))
    );
    let family = get("/api/models/qwen").await.json();
    assert!(
        family["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == "qwen2.5")
    );
    assert!(
        family["derivatives"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["model"] == "avocado")
    );
}

#[tokio::test]
async fn organisations_people_sources_and_licences() {
    let meta = get("/api/organizations/meta").await.json();
    assert!(
        meta["sub_organizations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["id"] == "meta-superintelligence-labs")
    );
    assert!(
        meta["models"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == "avocado")
    );
    assert!(
        meta["people"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["person"]["id"] == "alexandr-wang")
    );
    let alibaba = get("/api/organizations/alibaba").await.json();
    assert!(
        alibaba["tickers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["symbol"] == "BABA" && t["exchange"] == "XNYS")
    );
    let wang = get("/api/people/alexandr-wang").await.json();
    assert!(
        wang["roles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["title"] == "Chief AI Officer")
    );
    assert!(
        wang["positions"][0]["statement"]
            .as_str()
            .unwrap()
            .contains("closed")
    );
    let bloomberg = get("/api/sources/bloomberg-2025-12-10-meta-avocado")
        .await
        .json();
    assert_eq!(bloomberg["publisher"], "Bloomberg");
    let claims = bloomberg["claims"].as_array().unwrap();
    assert!(
        claims
            .iter()
            // In words, the base by its name (Qwen, id `qwen`).
            .any(|c| c["record"]["id"] == "avocado" && c["value"] == "distillation of Qwen"),
        "{claims:?}"
    );
    assert_eq!(
        bloomberg["claim_count"].as_u64().unwrap() as usize,
        claims.len()
    );
    let apache = get("/api/licenses/apache-2.0").await.json();
    assert_eq!(apache["spdx"], "Apache-2.0");
    assert!(apache["models"].as_array().unwrap().len() > 10);
    for list in [
        "/api/organizations",
        "/api/people",
        "/api/sources",
        "/api/licenses",
    ] {
        let json = get(list).await.json();
        assert!(json["total"].as_u64().unwrap() >= 5, "{list}");
    }
}

#[tokio::test]
async fn path_between_models_or_not_related() {
    let related = get("/api/path?from=deepseek-r1-distill-qwen-7b&to=qwen2.5-7b")
        .await
        .json();
    assert_eq!(related["related"], true);
    assert_eq!(related["path"]["length"], 2);
    assert_eq!(related["path"]["steps"][0]["direction"], "up");
    let unrelated = get("/api/path?from=mistral-7b&to=avocado").await.json();
    assert_eq!(unrelated["related"], false);
    assert!(
        unrelated["message"]
            .as_str()
            .unwrap()
            .contains("not related")
    );
    assert_eq!(
        get("/api/path?from=mistral-7b").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get("/api/path?from=mistral-7b&to=nope").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn canned_queries_are_listed_and_run_by_name_only() {
    let list = get("/api/queries").await.json();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"closed-models-with-open-ancestors"),
        "{names:?}"
    );
    let answer = call(
        "GET",
        "/api/queries/closed-models-with-open-ancestors",
        &[("accept", "text/csv")],
        b"",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.text().contains("avocado,qwen"), "{}", answer.text());
    let param = get("/api/queries/model-lineage?model=deepseek-r1-distill-llama-8b").await;
    assert!(param.text().contains("llama-3.1-8b"));
    assert_eq!(
        get("/api/queries/model-lineage?modle=x").await.status,
        StatusCode::BAD_REQUEST
    );
    // Issue 11 bug 1: a repeated parameter used to rewrite inside the literal the
    // first one had put in, and returned Avocado's lineage. Now it is refused.
    let repeated = get(
        "/api/queries/model-lineage?model=VALUES%20%3Fmodel%20%7B%20UNDEF%20%7D&model=UNDEF%20%7D%20%23",
    )
    .await;
    assert_eq!(
        repeated.status,
        StatusCode::BAD_REQUEST,
        "{}",
        repeated.text()
    );
    assert!(
        repeated.text().contains("more than once"),
        "{}",
        repeated.text()
    );
    // One value that spells the other parameter's declaration stays a literal: the
    // question asked is about a model of that (odd) name, which does not exist.
    let spelled = get(
        "/api/queries/derives-from?model=VALUES%20%3Fbase%20%7B%20UNDEF%20%7D&base=UNDEF%20%7D%20%23",
    )
    .await;
    assert_eq!(spelled.status, StatusCode::OK, "{}", spelled.text());
    assert!(spelled.text().contains("false"), "{}", spelled.text());
    for traversal in [
        "/api/queries/..%2F..%2FCargo.toml",
        "/api/queries/..%2Fgraph-data",
        "/api/queries/%2Fetc%2Fpasswd",
    ] {
        assert_eq!(
            get(traversal).await.status,
            StatusCode::NOT_FOUND,
            "{traversal}"
        );
    }
    let graph = call(
        "GET",
        "/api/queries/lineage-graph",
        &[("accept", "application/n-triples")],
        b"",
    )
    .await;
    assert_eq!(graph.content_type, "application/n-triples");
}

#[tokio::test]
async fn status_health_openapi_and_vocabulary() {
    let status = get("/api/status").await.json();
    assert!(status["counts"]["models"].as_u64().unwrap() >= 40);
    assert!(status["counts"]["triples"].as_u64().unwrap() > 5000);
    assert!(status["loaded_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(get("/healthz").await.text(), "ok\n");
    let openapi = get("/openapi.json").await.json();
    assert!(openapi["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(openapi["paths"]["/api/models/{id}/lineage"].is_object());
    assert!(get("/ns").await.text().contains("ped:distilledFrom"));
}

#[test]
fn shipped_openapi_document_is_up_to_date() {
    crate::util::assert_snapshot(
        &root().join("docs/openapi.json"),
        &pedigree::server::openapi_json(),
    );
}

#[tokio::test]
async fn lineage_api_and_sparql_endpoint_agree_for_every_model() {
    // Every node of the lineage: models and the datasets lineage runs through.
    let mut ids: Vec<String> = Vec::new();
    for list in ["/api/models?per_page=1000", "/api/datasets?per_page=1000"] {
        let records = get(list).await.json();
        ids.extend(
            records["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].as_str().unwrap().to_owned()),
        );
    }
    assert!(ids.len() >= 60);
    assert!(ids.iter().any(|id| id == "deepseek-r1-sft-800k"));
    for id in &ids {
        for (direction, path) in [
            ("up", "prov:wasDerivedFrom+"),
            ("down", "^prov:wasDerivedFrom+"),
        ] {
            let api = get(&format!("/api/models/{id}/lineage?direction={direction}"))
                .await
                .json();
            let mut from_api: Vec<String> = api["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["id"].as_str().unwrap().to_owned())
                .filter(|n| n != id)
                .collect();
            from_api.sort();
            let query = format!(
                "SELECT DISTINCT ?id WHERE {{ ?m dcterms:identifier \"{id}\" ; a prov:Entity ; {path} ?x . ?x dcterms:identifier ?id }} ORDER BY ?id"
            );
            let sparql = get(&format!("/sparql?query={}", q(&query))).await.json();
            let from_sparql: Vec<String> = sparql["results"]["bindings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b["id"]["value"].as_str().unwrap().to_owned())
                .collect();
            assert_eq!(from_api, from_sparql, "{id} {direction}");
        }
    }
}

// ---------------------------------------------------------------------------------
// Web pages

#[tokio::test]
async fn every_page_renders_as_html() {
    for uri in [
        "/",
        "/search?q=avo",
        "/models",
        "/models?kind=family&page=1",
        "/models/avocado",
        "/models/avocado?direction=up&depth=1&relation=distillation&as_of=2026-01-01&known_at=2025-12-10",
        "/models/qwen",
        "/organizations",
        "/organizations/meta",
        "/people",
        "/people/alexandr-wang",
        "/sources",
        "/sources/bloomberg-2025-12-10-meta-avocado",
        "/licenses",
        "/licenses/apache-2.0",
        "/query",
        "/query?name=closed-models-with-open-ancestors",
        "/query?name=derives-from&run=1",
    ] {
        let answer = get(uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
        assert!(answer.content_type.starts_with("text/html"), "{uri}");
        let html = answer.text();
        assert!(
            html.starts_with("<!DOCTYPE html>") && html.contains("<main id=\"main\">"),
            "{uri}"
        );
        assert!(
            !html.contains("<script src=\"http"),
            "{uri}: scripts come from this host"
        );
    }
    let model = get("/models/avocado").await.text();
    assert!(model.contains("data-base=\"qwen\"") && model.contains("data-confidence=\"reported\""));
    assert!(model.contains("href=\"/sources/bloomberg-2025-12-10-meta-avocado\""));
    let no_js = get("/query?name=derives-from&run=1").await.text();
    assert!(
        no_js.contains("ASK: true"),
        "the page answers without JavaScript"
    );
}

#[tokio::test]
async fn page_errors_are_pages_with_suggestions() {
    let missing = get("/models/avocad").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.content_type.starts_with("text/html"));
    assert!(missing.text().contains("href=\"/models/avocado\""));
    assert_eq!(
        get("/models/avocado?depth=deep").await.status,
        StatusCode::BAD_REQUEST
    );
    // Issue 16: pages ignore parameters they do not know (shared links carry
    // `utm_source` and the like); the API stays strict.
    assert_eq!(
        get("/models/avocado?colour=red").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn assets_and_svg_are_served_from_the_binary() {
    let css = get("/assets/style.css").await;
    assert!(css.content_type.starts_with("text/css"));
    let js = get("/assets/app.js").await;
    assert!(js.content_type.starts_with("text/javascript") && js.text().contains("/sparql"));
    let svg = get("/api/models/avocado/lineage?format=svg").await;
    assert_eq!(svg.content_type, "image/svg+xml");
    let text = svg.text();
    assert!(text.starts_with("<svg") && text.contains("data-base=\"qwen\""));
    let page = get("/models/avocado").await.text();
    assert!(
        page.contains(text.trim_end()),
        "the page shows the same SVG as the API"
    );
}

/// Issue 16: the picture holds links, so it is a labelled group, not an image; every
/// edge is named in model names with its visible label, every box by its model and
/// its second line. The names are derived here from the JSON answer of the same walk.
#[tokio::test]
async fn the_picture_names_its_links_in_model_names() {
    use pedigree::lineage::style;
    use pedigree::model::{Relation, Word};
    for id in ["avocado", "llama-3.1-8b", "qwen"] {
        let svg = get(&format!("/api/models/{id}/lineage?format=svg"))
            .await
            .text();
        let json = get(&format!("/api/models/{id}/lineage")).await.json();
        assert!(svg.contains(r#"role="group" aria-labelledby="lineage-title lineage-desc""#));
        assert!(!svg.contains(r#"role="img""#), "an image hides its links");
        let name = |id: &str| {
            json["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|n| n["id"] == id)
                .map(|n| n["name"].as_str().unwrap().to_owned())
                .unwrap()
        };
        let edges = json["edges"].as_array().unwrap();
        assert!(!edges.is_empty(), "{id} has edges");
        for edge in edges {
            let relation = Relation::from_word(edge["relation"].as_str().unwrap()).unwrap();
            let label = format!(
                "aria-label=\"{} from {}: {}, {}\"",
                name(edge["model"].as_str().unwrap()),
                name(edge["base"].as_str().unwrap()),
                style::relation(relation).label,
                edge["confidence"].as_str().unwrap()
            );
            assert!(svg.contains(&label), "{id}: no {label}");
        }
        for node in json["nodes"].as_array().unwrap() {
            let node_id = node["id"].as_str().unwrap();
            let start = svg
                .find(&format!(
                    "data-id=\"{node_id}\" aria-label=\"{}, ",
                    node["name"].as_str().unwrap()
                ))
                .unwrap_or_else(|| panic!("{id}: {node_id} is not named by its model"));
            let current = svg[start..]
                .split('>')
                .next()
                .unwrap()
                .contains("aria-current=\"page\"");
            assert_eq!(current, node_id == id, "{id}: aria-current on {node_id}");
        }
    }
}

/// Issue 11: the stylesheet's confidence looks come from `lineage::style`, one rule
/// per level (dashed reported, dotted rumored; the colours are tested in
/// `palette.rs`).
#[tokio::test]
async fn the_stylesheet_writes_every_confidence_from_the_style_table() {
    use pedigree::lineage::style;
    use pedigree::model::Confidence;
    let css = get("/assets/style.css").await.text();
    for confidence in Confidence::ALL {
        let word = confidence.as_str();
        let look = style::line(confidence);
        assert!(
            css.contains(&format!("--{word}: {};", look.badge_colour)),
            "no colour for {word}"
        );
        assert!(
            css.contains(&format!(
                ".badge.{word} {{ color: var(--{word}); border-style: {}; }}",
                look.badge_border
            )),
            "no badge rule for {word}"
        );
    }
    // A badge is bordered as its edges are drawn, where CSS has the line.
    assert_eq!(style::line(Confidence::Reported).badge_border, "dashed");
    assert_eq!(style::line(Confidence::Rumored).badge_border, "dotted");
    assert_eq!(
        css.matches("--reported:").count(),
        1,
        "a second, hand-kept confidence colour"
    );
}

/// Issue 11: the script gets the record kinds from the server, every one of them,
/// with its noun and folder, so a person is labelled "person", not "people" (the
/// folder with its `s` cut off), and no list of kinds is kept in the script.
#[tokio::test]
async fn the_script_gets_every_record_kind_from_the_server() {
    use pedigree::model::Kind;
    let script = get("/assets/app.js").await.text();
    let (prelude, body) = script
        .split_once("\n(function () {")
        .expect("the script's body after the kinds");
    let json = prelude
        .lines()
        .find_map(|line| line.strip_prefix("const PEDIGREE_KINDS = Object.freeze("))
        .and_then(|rest| rest.strip_suffix(");"))
        .expect("the kinds constant before the script");
    let kinds: serde_json::Value = serde_json::from_str(json).unwrap();
    let kinds = kinds.as_array().unwrap();
    assert_eq!(kinds.len(), Kind::ALL.len());
    for (kind, written) in Kind::ALL.into_iter().zip(kinds) {
        assert_eq!(written["noun"], kind.noun());
        assert_eq!(written["folder"], kind.folder());
    }
    let person = kinds.iter().find(|k| k["folder"] == "people").unwrap();
    assert_eq!(person["noun"], "person");
    assert_eq!(person["suggest"], true, "people are suggested as you type");
    assert!(
        !body.contains("replace(/s$/") && !body.contains("'people'"),
        "the script derives a kind's label or folder itself"
    );
    for kind in Kind::ALL {
        assert!(
            !body.contains(&format!("'{}'", kind.folder())),
            "the script spells the folder {} itself",
            kind.folder()
        );
    }
}

// ---------------------------------------------------------------------------------
// Datasets of the protocol, --rdf files with relative IRIs, unknown functions

/// A store with no records, the vocabulary in its default graph, and two `--rdf`
/// files in named graphs: `a.ttl` in `urn:g:a` (its relative IRIs resolved against
/// an `--rdf-base`), `b.ttl` in `urn:g:b` (against its own `file:` URL).
fn graphs_state() -> AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE
        .get_or_init(|| {
            let files = tempfile::tempdir().unwrap();
            let data = files.path().join("data");
            std::fs::create_dir(&data).unwrap();
            std::fs::write(files.path().join("a.ttl"), "<s> <p> <#o>, <> .\n").unwrap();
            std::fs::write(files.path().join("b.ttl"), "<s> <p> <o> .\n").unwrap();
            let mut extra = pedigree::kb::read_rdf(
                &files.path().join("a.ttl"),
                Some("urn:g:a"),
                Some("http://example.org/data/"),
            )
            .unwrap();
            extra.extend(
                pedigree::kb::read_rdf(&files.path().join("b.ttl"), Some("urn:g:b"), None).unwrap(),
            );
            let kb = KnowledgeBase::load_with(&data, Iris::default(), extra).unwrap();
            crate::util::app_state(kb, Config::default())
        })
        .clone()
}

/// The values of `?x` in a SELECT answer, as N-Triples-ish text ("" if unbound).
async fn values_of(uri: &str) -> Vec<String> {
    let response = router(graphs_state())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{uri}");
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let mut values: Vec<String> = json["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["x"]["value"].as_str().unwrap_or_default().to_owned())
        .collect();
    values.sort();
    values
}

#[tokio::test]
async fn protocol_datasets_follow_the_rules_of_from_and_from_named() {
    let graphs = q("SELECT DISTINCT ?x WHERE { GRAPH ?x { ?s ?p ?o } }");
    let default = q("SELECT (COUNT(*) AS ?x) WHERE { ?s ?p ?o }");
    // No parameters: the store's default graph (the vocabulary) and every named graph.
    assert_eq!(
        values_of(&format!("/sparql?query={graphs}")).await,
        ["urn:g:a", "urn:g:b"]
    );
    assert_ne!(values_of(&format!("/sparql?query={default}")).await, ["0"]);
    // Only default-graph-uri: that graph is the default graph, and there are no named
    // graphs (SPARQL 1.1 Query §13.2).
    let only_default = "&default-graph-uri=urn:g:a";
    assert_eq!(
        values_of(&format!("/sparql?query={graphs}{only_default}")).await,
        Vec::<String>::new()
    );
    assert_eq!(
        values_of(&format!("/sparql?query={default}{only_default}")).await,
        ["2"]
    );
    // Only named-graph-uri: those named graphs, and an empty default graph.
    let only_named = "&named-graph-uri=urn:g:b";
    assert_eq!(
        values_of(&format!("/sparql?query={graphs}{only_named}")).await,
        ["urn:g:b"]
    );
    assert_eq!(
        values_of(&format!("/sparql?query={default}{only_named}")).await,
        ["0"]
    );
    // Both: the merge of the listed default graphs, and the listed named graphs.
    let both = "&default-graph-uri=urn:g:a&default-graph-uri=urn:g:b&named-graph-uri=urn:g:a";
    assert_eq!(
        values_of(&format!("/sparql?query={default}{both}")).await,
        ["3"]
    );
    assert_eq!(
        values_of(&format!("/sparql?query={graphs}{both}")).await,
        ["urn:g:a"]
    );
}

#[tokio::test]
async fn relative_iris_in_rdf_files_resolve_against_the_file() {
    // Under --rdf-base, the file is `{base}a.ttl`.
    let a = q("SELECT ?x WHERE { GRAPH <urn:g:a> { ?s ?p ?x } }");
    assert_eq!(
        values_of(&format!("/sparql?query={a}")).await,
        [
            "http://example.org/data/a.ttl",
            "http://example.org/data/a.ttl#o"
        ]
    );
    let a = q("SELECT ?x WHERE { GRAPH <urn:g:a> { ?x ?p ?o } } LIMIT 1");
    assert_eq!(
        values_of(&format!("/sparql?query={a}")).await,
        ["http://example.org/data/s"]
    );
    // Without it, the file's own file: URL.
    let b = q("SELECT ?x WHERE { GRAPH <urn:g:b> { ?s ?p ?x } }");
    let b = values_of(&format!("/sparql?query={b}")).await;
    assert!(
        b.len() == 1 && b[0].starts_with("file:///") && b[0].ends_with("/o"),
        "{b:?}"
    );
}

#[tokio::test]
async fn an_unknown_function_is_an_expression_error_not_a_refusal() {
    // The value is unbound; the row is still there.
    let unbound = q("SELECT (<http://example.org/f>(1) AS ?x) ?z WHERE {}");
    assert_eq!(values_of(&format!("/sparql?query={unbound}")).await, [""]);
    // A FILTER on it is false; `||` with a true side is true, as for any error.
    let filtered = q("SELECT (1 AS ?x) WHERE { FILTER(<http://example.org/f>(1)) }");
    assert!(
        values_of(&format!("/sparql?query={filtered}"))
            .await
            .is_empty()
    );
    let either = q("SELECT (1 AS ?x) WHERE { FILTER(<http://example.org/f>(1) || true) }");
    assert_eq!(values_of(&format!("/sparql?query={either}")).await, ["1"]);
    // The casts the evaluator has keep working, and a cast with two arguments is
    // still the query's mistake: 400.
    let cast = q("SELECT (xsd:integer(\"7\") AS ?x) WHERE {}");
    assert_eq!(values_of(&format!("/sparql?query={cast}")).await, ["7"]);
    let arity = q("SELECT (xsd:integer(1, 2) AS ?x) WHERE {}");
    let response = router(graphs_state())
        .oneshot(
            Request::get(format!("/sparql?query={arity}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

// ---------------------------------------------------------------------------------
// Issue 11 regressions

/// Issue 11, bug 5: `sd:endpoint` is the URL the server answers on (the request's
/// `Host`), not an IRI under the entity base.
#[tokio::test]
async fn issue_11_service_description_names_the_url_it_answers_on() {
    let answer = call(
        "GET",
        "/sparql",
        &[
            ("host", "lineage.test:8080"),
            ("accept", "application/n-triples"),
        ],
        b"",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let text = answer.text();
    assert!(
        text.contains(
            "<http://www.w3.org/ns/sparql-service-description#endpoint> <http://lineage.test:8080/sparql>"
        ),
        "{text}"
    );
    assert!(!text.contains("pedigree.example/id/sparql"), "{text}");
    // A Host that is no authority is not copied into the description.
    let answer = call(
        "GET",
        "/sparql",
        &[("host", "a b>"), ("accept", "application/n-triples")],
        b"",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(!answer.text().contains("a b>"), "{}", answer.text());
}

/// Issue 11, bug 6: the SPARQL page's `run=1` obeys `--max-query-bytes` as `/sparql`
/// does.
#[tokio::test]
async fn issue_11_query_page_enforces_the_query_length_limit() {
    let data = tempfile::tempdir().unwrap();
    let kb = KnowledgeBase::load(data.path(), Iris::default()).unwrap();
    let config = Config {
        max_query_bytes: 40,
        ..Config::default()
    };
    let app = router(crate::util::app_state(kb, config));
    let long = format!("ASK {{ }} # {}", "x".repeat(40));
    for uri in [
        format!("/sparql?query={}", q(&long)),
        format!("/query?run=1&query={}", q(&long)),
    ] {
        let response = app
            .clone()
            .oneshot(Request::get(&uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE, "{uri}");
    }
    let short = app
        .oneshot(
            Request::get(format!("/query?run=1&query={}", q("ASK { }")))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(short.status(), StatusCode::OK);
}

/// Issue 11, bug 8: `/ns` labels its answer with the type it negotiated.
#[tokio::test]
async fn issue_11_vocabulary_content_type_follows_negotiation() {
    let plain = call("GET", "/ns", &[("accept", "text/plain")], b"").await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.content_type, "text/plain; charset=utf-8");
    let turtle = call(
        "GET",
        "/ns",
        &[("accept", "text/turtle, text/plain;q=0.5")],
        b"",
    )
    .await;
    assert_eq!(turtle.content_type, "text/turtle; charset=utf-8");
    assert_eq!(plain.body, turtle.body);
    let refused = call("GET", "/ns", &[("accept", "image/png")], b"").await;
    assert_eq!(refused.status, StatusCode::NOT_ACCEPTABLE);
}

/// Issue 11, bug 8: the model page reads `as_of` with the API's grammar (any
/// four-digit year, `YYYY` and `YYYY-MM` too).
#[tokio::test]
async fn issue_11_model_page_and_api_accept_the_same_as_of_dates() {
    for date in ["1850-01-01", "2025", "2025-06", "0001-01-01"] {
        let api = get(&format!("/api/models/avocado/lineage?as_of={date}")).await;
        let page = get(&format!("/models/avocado?as_of={date}")).await;
        assert_eq!(api.status, StatusCode::OK, "API as_of={date}");
        assert_eq!(page.status, StatusCode::OK, "page as_of={date}");
    }
    for date in ["yesterday", "2025-02-30", "25"] {
        let api = get(&format!("/api/models/avocado/lineage?as_of={date}")).await;
        let page = get(&format!("/models/avocado?as_of={date}")).await;
        assert_eq!(api.status, StatusCode::BAD_REQUEST, "API as_of={date}");
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "page as_of={date}");
    }
}

/// Issue 11, bug 8: a lineage row on the model page shows when its claim ended, so
/// an ended claim does not look current.
#[tokio::test]
async fn issue_11_model_page_shows_when_a_lineage_claim_ended() {
    let tree = crate::util::Tree::base();
    let chat = std::fs::read_to_string(tree.path().join("models/acme-chat.yaml")).unwrap();
    tree.write(
        "models/acme-chat.yaml",
        chat.replace(
            "    relation: finetune\n",
            "    relation: finetune\n    from: 2024-01\n    until: 2024-05-31\n",
        ),
    );
    let kb = KnowledgeBase::load(tree.path(), Iris::default()).unwrap();
    let response = router(crate::util::app_state(kb, Config::default()))
        .oneshot(
            Request::get("/models/acme-chat")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let html = String::from_utf8_lossy(&body);
    let row = html
        .split("<tr")
        .skip(1)
        // The relation as its label (issue 16: pages show "fine-tune", not the data's
        // word), the base by its link.
        .find(|row| row.contains("/models/acme-base") && row.contains("fine-tune"))
        .unwrap_or_else(|| panic!("no lineage row: {html}"));
    assert!(row.contains("until 2024-05-31"), "{row}");
    assert!(row.contains("from 2024-01"), "{row}");
}

/// An organisation's page and the API's organisation filter say the same thing is
/// below it: with its parent claim ended, Acme Lab (and its models) is no longer
/// below Acme in either (the page used to follow the ended claim, the filter not).
#[tokio::test]
async fn organisation_page_and_filter_agree_on_what_is_below() {
    let tree = crate::util::Tree::base();
    let lab = std::fs::read_to_string(tree.path().join("organizations/acme-lab.yaml")).unwrap();
    let ended = lab.replace(
        "    from: 2024-01\n",
        "    from: 2024-01\n    until: 2024-06\n",
    );
    assert_ne!(lab, ended);
    let get = |data: &std::path::Path, uri: &'static str| {
        let kb = KnowledgeBase::load(data, Iris::default()).unwrap();
        let state = AppState::new(
            Snapshot {
                kb,
                queries: Vec::new(),
                loaded_at: std::time::SystemTime::now(),
                data_version: None,
            },
            Config::default(),
        );
        async move {
            let response = router(state)
                .oneshot(Request::get(uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            serde_json::from_slice::<serde_json::Value>(&body).unwrap()
        }
    };
    let ids = |list: &serde_json::Value| -> Vec<String> {
        let mut ids: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    for (content, lab_below) in [(&lab, true), (&ended, false)] {
        tree.write("organizations/acme-lab.yaml", content);
        let page = get(tree.path(), "/api/organizations/acme").await;
        let filter = get(tree.path(), "/api/models?organization=acme").await;
        let on_page = ids(&page["models"]);
        assert_eq!(on_page, ids(&filter["items"]), "ended: {}", !lab_below);
        assert_eq!(
            on_page.contains(&"acme-base".to_owned()),
            lab_below,
            "{on_page:?}"
        );
    }
}

/// The model page and the API read a walk's depth by one rule, with one message.
#[tokio::test]
async fn page_and_api_bound_the_depth_alike() {
    for uri in [
        "/api/models/avocado/lineage?depth=3000000000",
        "/models/avocado?depth=3000000000",
    ] {
        let answer = get(uri).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(
            answer.text().contains("a whole number up to 2147483647"),
            "{uri}: {}",
            answer.text()
        );
    }
    for uri in [
        "/api/models/avocado/lineage?depth=2",
        "/models/avocado?depth=2",
    ] {
        assert_eq!(get(uri).await.status, StatusCode::OK, "{uri}");
    }
}
