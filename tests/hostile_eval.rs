//! Queries that must not take the server down (issue 17): memory, time for every
//! query shape, abandoned work, the cross-product bypasses, ORDER BY, shutdown.
//!
//! Each case was found against a live server; each test runs it against one, and
//! checks the server answers it, stays up and gives its resources back.

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::http::{Response, Server, encode};

/// A query's answer over POST.
fn post(server: &Server, query: &str) -> Response {
    server.request(
        "POST",
        "/sparql",
        &[
            ("Content-Type", "application/sparql-query"),
            ("Accept", "application/sparql-results+json"),
        ],
        query.as_bytes(),
    )
}

/// The server process's resident memory, in bytes.
fn rss(server: &Server) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<u64>()
        .unwrap()
        * 1024
}

fn running(server: &Server) -> u64 {
    server.get("/api/status").json()["memory"]["running_queries"]
        .as_u64()
        .expect("status shows running queries")
}

/// Polls until no evaluation runs, for at most `timeout`.
fn wait_idle(server: &Server, timeout: Duration) {
    crate::util::wait_for("no evaluation to run", timeout, || running(server) == 0);
}

/// The values of `variable` in a SELECT answer, in order.
fn column(answer: &Response, variable: &str) -> Vec<String> {
    answer.json()["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b[variable]["value"].as_str().unwrap().to_owned())
        .collect()
}

/// `CONCAT` doubling a value `n` times: 990 bytes that asked for 8 GiB.
fn doubling(n: usize) -> String {
    let mut query = String::from("SELECT (STRLEN(?a30) AS ?len) { BIND(\"xxxxxxxx\" AS ?a0)");
    for i in 1..=n {
        query.push_str(&format!(" BIND(CONCAT(?a{0},?a{0}) AS ?a{1})", i - 1, i));
    }
    query.replace("?a30) AS ?len", &format!("?a{n}) AS ?len")) + " }"
}

#[test]
fn a_value_doubled_thirty_times_is_stopped_at_the_value_limit() {
    let server = Server::start(&["--query-timeout", "30"]);
    let before = rss(&server);
    let answer = post(&server, &doubling(30));
    assert_eq!(answer.status, 400, "{}", answer.text());
    let detail = answer.json()["detail"].as_str().unwrap().to_owned();
    assert!(detail.contains("value larger than"), "{detail}");
    assert_eq!(server.get("/healthz").status, 200);
    // The biggest value it made was twice the 16 MiB limit; nothing of it stays.
    let after = rss(&server);
    assert!(
        after < before + (256 << 20),
        "RSS grew from {before} to {after} bytes"
    );
    // A doubling that stays under the limit is answered.
    let small = post(&server, &doubling(10));
    assert_eq!(small.status, 200, "{}", small.text());
    let len = &small.json()["results"]["bindings"][0]["len"]["value"];
    assert_eq!(len.as_str(), Some((8 << 10).to_string().as_str()));
}

#[test]
fn queries_past_the_memory_budget_are_stopped_and_the_memory_comes_back() {
    let server = Server::start(&[
        "--query-timeout",
        "60",
        "--idle-timeout",
        "90",
        "--max-query-memory",
        "64",
    ]);
    assert_eq!(
        server.get("/api/status").json()["limits"]["max_query_memory_bytes"],
        64 << 20
    );
    let before = rss(&server);
    // Millions of distinct strings, held for DISTINCT: grows without bound.
    let hungry = "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?a ?b ?c . ?d ?e ?f BIND(CONCAT(STR(?c), STR(?f)) AS ?x) }";
    let answer = post(&server, hungry);
    assert_eq!(answer.status, 503, "{}", answer.text());
    let detail = answer.json()["detail"].as_str().unwrap().to_owned();
    assert!(detail.contains("memory"), "{detail}");
    assert_eq!(server.get("/healthz").status, 200);
    wait_idle(&server, Duration::from_secs(10));
    let after = rss(&server);
    assert!(
        after < before + (192 << 20),
        "RSS grew from {before} to {after} bytes and stayed"
    );
    let normal = post(&server, "ASK { ?m dcterms:identifier \"avocado\" }");
    assert_eq!(normal.status, 200, "{}", normal.text());
}

#[test]
fn values_tables_that_multiply_are_refused_before_they_run() {
    let server = Server::start(&[]);
    let table = |v: &str| {
        format!(
            "VALUES ?{v} {{ {} }}",
            (0..300)
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        )
    };
    let product = format!(
        "SELECT (COUNT(*) AS ?n) {{ {} {} {} {} }}",
        table("a"),
        table("b"),
        table("c"),
        table("d")
    );
    let answer = post(&server, &product);
    assert_eq!(answer.status, 400, "{}", answer.text());
    assert!(
        answer.json()["detail"].as_str().unwrap().contains("VALUES"),
        "{}",
        answer.text()
    );
    assert_eq!(running(&server), 0, "refused before evaluation");
    // Two tables that multiply to a few thousand rows are answered.
    let small = format!(
        "SELECT (COUNT(*) AS ?n) {{ {} {} }}",
        table("a"),
        table("b")
    );
    let answer = post(&server, &small);
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(
        answer.json()["results"]["bindings"][0]["n"]["value"].as_str(),
        Some("90000")
    );
}

#[test]
fn every_query_shape_stops_at_the_time_limit_and_frees_its_thread() {
    let server = Server::start(&["--query-timeout", "2"]);
    let cases = [
        (
            "sort of a big intermediate result",
            "SELECT ?s ?p ?o ?a ?c { ?s ?p ?o OPTIONAL { ?a a ?c } } ORDER BY ?c ?o LIMIT 1",
        ),
        (
            "distinct over a path",
            "SELECT DISTINCT ?a ?b { ?a (!<x:nothing>|^!<x:nothing>)* ?b }",
        ),
        (
            "coalesce joining two groups",
            "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f BIND(COALESCE(?c, ?f) AS ?z) ?g ?h ?z }",
        ),
        (
            "subquery projecting what it never binds",
            "SELECT (COUNT(*) AS ?n) { ?a ?b ?c { SELECT ?x { ?d ?e ?f } } ?g ?h ?i }",
        ),
        (
            "both sides of OPTIONAL",
            "SELECT (COUNT(*) AS ?n) { ?a ?b ?c OPTIONAL { ?d ?e ?f . ?g ?h ?i } }",
        ),
        (
            "FILTER EXISTS",
            "SELECT (COUNT(*) AS ?n) { ?a ?b ?c FILTER EXISTS { ?d ?e ?f . ?g ?h ?i FILTER(?i != ?c) } }",
        ),
    ];
    for (name, query) in cases {
        let started = Instant::now();
        let answer = post(&server, query);
        assert!(
            [200, 503].contains(&answer.status),
            "{name}: {} {}",
            answer.status,
            answer.text()
        );
        // The bug was minutes past the limit; a generous bound detects it.
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{name}: answered after {:?}",
            started.elapsed()
        );
        wait_idle(&server, Duration::from_secs(10));
        assert_eq!(server.get("/healthz").status, 200, "{name}");
    }
}

#[test]
fn order_by_sorts_any_mix_of_terms() {
    let server = Server::start(&[]);
    // These panicked inside the evaluator's sort, every time.
    for query in [
        "SELECT ?o { ?s ?p ?o } ORDER BY DESC(?o) LIMIT 1",
        "SELECT ?o ?c { ?s ?p ?o OPTIONAL { ?s a ?c } } ORDER BY ?c ?o LIMIT 5",
        "SELECT ?o { { SELECT ?o { ?s ?p ?o } ORDER BY DESC(?o) LIMIT 3 } }",
        "CONSTRUCT { <x:s> <x:p> ?o } { ?s ?p ?o } ORDER BY DESC(?o) LIMIT 3",
    ] {
        let answer = post(&server, query);
        assert_eq!(answer.status, 200, "{query}: {}", answer.text());
        assert!(!answer.text().is_empty(), "{query}");
    }
    let numbers = post(
        &server,
        "SELECT ?n { VALUES ?n { 3 1 \"b\" 2.5 10 \"a\" } } ORDER BY DESC(?n)",
    );
    let values = column(&numbers, "n");
    // Numbers by value, after other literals (docs/http-api.md).
    assert_eq!(values, ["10", "3", "2.5", "1", "b", "a"]);
    let page = post(
        &server,
        "SELECT DISTINCT ?n { VALUES ?n { 5 4 4 3 3 2 1 } } ORDER BY ?n OFFSET 1 LIMIT 2",
    );
    let values = column(&page, "n");
    assert_eq!(values, ["2", "3"]);
    // Inside a subquery the evaluator sorts, on keys that make its order total.
    let nested = post(
        &server,
        "SELECT ?n { { SELECT ?n { VALUES ?n { 3 1 \"b\" 2.5 10 \"a\" } } ORDER BY DESC(?n) LIMIT 3 } }",
    );
    let mut values = column(&nested, "n");
    values.sort();
    assert_eq!(values, ["10", "2.5", "3"]);
}

#[test]
fn a_client_that_hangs_up_stops_its_query() {
    let server = Server::start(&[
        "--query-timeout",
        "60",
        "--idle-timeout",
        "90",
        "--max-concurrent-queries",
        "1",
    ]);
    let slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<x:nothing>|^!<x:nothing>)* ?b }";
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        stream,
        "GET /sparql?query={} HTTP/1.1\r\nHost: x\r\n\r\n",
        encode(slow)
    )
    .unwrap();
    let started = Instant::now();
    while running(&server) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the query never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(stream);
    // Without cancellation it would run its full 60 s and hold the only slot.
    wait_idle(&server, Duration::from_secs(15));
    let next = post(&server, "ASK { ?m dcterms:identifier \"avocado\" }");
    assert_eq!(next.status, 200, "the slot is free: {}", next.text());
}

#[test]
fn sigterm_ends_the_server_with_queries_in_flight() {
    let server = Server::start(&["--query-timeout", "120", "--idle-timeout", "200"]);
    let port = server.port;
    let client = std::thread::spawn(move || {
        crate::http::request(
            port,
            "GET",
            &format!(
                "/sparql?query={}",
                encode("SELECT (COUNT(*) AS ?n) WHERE { ?a (!<x:nothing>|^!<x:nothing>)* ?b }")
            ),
            &[],
            b"",
        )
    });
    let started = Instant::now();
    while running(&server) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the query never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // `stop` sends SIGTERM and fails unless the process exits within 5 s.
    let status = server.stop();
    assert!(status.success(), "{status:?}");
    let answer = client.join().unwrap();
    assert_eq!(answer.status, 503, "{}", answer.text());
    assert!(answer.text().contains("shutting down"), "{}", answer.text());
}
