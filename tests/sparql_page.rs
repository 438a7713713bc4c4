//! The SPARQL page and what it asks of the server, without a socket: syntax errors
//! in plain words with a machine-readable line and column (on `/sparql` and on the
//! page rendered without JavaScript), canned-query parameters bound by the server,
//! the answer paged, and the model page's picture downloads.

use axum::http::StatusCode;

use crate::http::encode;
use crate::server::{Answer, call};

async fn get(uri: &str) -> Answer {
    call("GET", uri, &[], b"").await
}

async fn sparql(query: &str) -> Answer {
    call(
        "POST",
        "/sparql",
        &[("Content-Type", "application/sparql-query")],
        query.as_bytes(),
    )
    .await
}

#[tokio::test]
async fn syntax_errors_say_what_is_wrong_and_where_in_fields_and_in_words() {
    let cases: [(&str, &str, u64, u64); 3] = [
        (
            "SELECT ?m WHERE {\n  ?m a ped:Model .\n  FILTER(STRLEN(?m) > 3\n}",
            "missing `)`: the `(` at line 3, column 9 is not closed before this `}`",
            4,
            1,
        ),
        (
            "SELEC ?m WHERE { ?m a ped:Model }",
            "a query starts with SELECT, CONSTRUCT, ASK or DESCRIBE, not `SELEC`; did you mean `SELECT`?",
            1,
            1,
        ),
        (
            "ASK { ?m a ped:Model } }",
            "this `}` closes nothing: there is no `{` before it",
            1,
            24,
        ),
    ];
    for (query, message, line, column) in cases {
        for answer in [
            sparql(query).await,
            get(&format!("/sparql?query={}", encode(query))).await,
        ] {
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
            let json = answer.json();
            assert_eq!(json["line"], line, "{query}: {json}");
            assert_eq!(json["column"], column, "{query}: {json}");
            let detail = json["detail"].as_str().unwrap();
            assert_eq!(
                detail,
                format!("SPARQL syntax error at line {line}, column {column}: {message}"),
            );
        }
    }
    // Errors that are not about a spot in the text carry no position.
    let empty = sparql("# nothing but a comment\n").await.json();
    assert!(empty.get("line").is_none(), "{empty}");
}

#[tokio::test]
async fn updates_are_refused_in_plain_words_whatever_their_syntax() {
    for update in [
        "INSERT DATA { <a> <b> <c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX ex: <http://example.com/>\nCLEAR ALL",
    ] {
        let answer = sparql(update).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{update}");
        let detail = answer.json()["detail"].as_str().unwrap().to_owned();
        assert!(
            detail.starts_with("this endpoint is read-only: SPARQL Update"),
            "{update}: {detail}"
        );
    }
}

#[tokio::test]
async fn the_page_without_javascript_marks_the_error_under_its_column() {
    let query = "SELECT ?m WHERE {\n  ?m a ped:Model\n  FILTER(?m = 1 }\n";
    let page = get(&format!("/query?run=1&query={}", encode(query))).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("missing `)`"), "{html}");
    // The caret line: the gutter, then as many spaces as the column less one.
    assert!(html.contains("at line 3, column 17"), "{html}");
    assert!(
        html.contains(&format!(
            "<span class=\"caret\">{}^ here</span>",
            " ".repeat(16)
        )),
        "the caret under column 17: {html}"
    );
    assert!(
        html.contains("<mark class=\"error-line\">  FILTER(?m = 1 }</mark>"),
        "{html}"
    );
    assert!(
        html.contains("2 │ "),
        "numbered lines around the error: {html}"
    );
    // The query itself stays in the editor, for the reader to fix.
    assert!(html.contains("FILTER(?m = 1 }\n</textarea>"), "{html}");
}

#[tokio::test]
async fn canned_query_parameters_get_inputs_and_are_bound_by_the_server() {
    let page = get("/query?name=derives-from").await.text();
    assert!(
        page.contains("data-params-for=\"derives-from\"")
            && page.contains("name=\"model\"")
            && page.contains("placeholder=\"avocado\""),
        "{page}"
    );
    // Another query's inputs are there for the script, but not sent.
    assert!(
        page.contains("data-params-for=\"model-lineage\" hidden disabled"),
        "{page}"
    );
    let default = get("/query?name=derives-from&run=1").await.text();
    assert!(default.contains("ASK: true"), "{default}");
    let swapped = get("/query?name=derives-from&model=qwen&base=avocado&run=1")
        .await
        .text();
    assert!(swapped.contains("ASK: false"), "{swapped}");
    assert!(
        swapped.contains("value=\"qwen\""),
        "the input keeps its value"
    );
    // Pages ignore names they do not know (shared links carry `utm_source`, …), as
    // every HTML page does; the declared parameters are still read.
    let unknown = get("/query?name=derives-from&model=qwen&base=avocado&utm_source=x&run=1").await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert!(unknown.text().contains("ASK: false"), "{}", unknown.text());
}

#[tokio::test]
async fn bind_fills_the_declarations_and_escapes_the_values() {
    let text = "ASK { VALUES ?model { UNDEF } ?m ?p ?model }";
    let bound = call(
        "POST",
        &format!("/query/bind?model={}&base=", encode("a\" } ?x")),
        &[("Content-Type", "text/plain")],
        text.as_bytes(),
    )
    .await;
    assert_eq!(bound.status, StatusCode::OK, "{}", bound.text());
    assert_eq!(
        bound.text(),
        "ASK { VALUES ?model { \"a\\\" } ?x\" } ?m ?p ?model }"
    );
    let undeclared = call("POST", "/query/bind?colour=red", &[], text.as_bytes()).await;
    assert_eq!(undeclared.status, StatusCode::BAD_REQUEST);
    assert!(
        undeclared.json()["detail"]
            .as_str()
            .unwrap()
            .contains("`colour`")
    );
}

#[tokio::test]
async fn the_server_rendered_answer_is_paged() {
    let query = encode("SELECT ?s ?p ?o WHERE { ?s ?p ?o }");
    let first = get(&format!("/query?run=1&query={query}")).await.text();
    let rows = |html: &str| html.matches("<tr><td ").count();
    assert_eq!(rows(&first), 100, "one page of rows");
    let total: usize = first
        .split("<p class=\"status\">")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the status counts the rows");
    assert!(total > 200, "the bundled graph has thousands of triples");
    assert!(first.contains(&format!("Rows 1–100 of {total}")));
    assert!(first.contains("rel=\"next\"") && !first.contains("rel=\"prev\""));
    let last_page = total.div_ceil(100);
    let last = get(&format!("/query?run=1&query={query}&page={last_page}"))
        .await
        .text();
    assert_eq!(rows(&last), total - (last_page - 1) * 100);
    assert!(last.contains("rel=\"prev\"") && !last.contains("rel=\"next\""));
    assert!(last.contains(" ms</p>"), "the status gives the query time");
    let bad = get(&format!("/query?run=1&query={query}&page=0")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_model_page_offers_the_picture_as_files_with_its_settings() {
    let page = get("/models/avocado?direction=up&depth=1&relation=distillation")
        .await
        .text();
    for (format, extension) in [("svg", "svg"), ("dot", "dot"), ("mermaid", "mmd")] {
        let href = format!(
            "/api/models/avocado/lineage?format={format}&amp;direction=up&amp;depth=1&amp;relation=distillation"
        );
        assert!(
            page.contains(&format!(
                "href=\"{href}\" download=\"avocado-lineage.{extension}\""
            )),
            "{format}: {page}"
        );
        let file = get(&href.replace("&amp;", "&")).await;
        assert_eq!(file.status, StatusCode::OK, "{format}: {}", file.text());
    }
    let svg =
        get("/api/models/avocado/lineage?format=svg&direction=up&depth=1&relation=distillation")
            .await;
    assert_eq!(svg.content_type, "image/svg+xml");
}
