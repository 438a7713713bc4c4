//! Against a real `pedigree serve` on a free port: the W3C SPARQL 1.1 Protocol test
//! manifest, real SPARQL clients (SPARQLWrapper, rdflib, Comunica), and graceful
//! shutdown.

use std::path::PathBuf;
use std::process::Command;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Term};
use oxigraph::store::Store;

use crate::http::{Server, encode};
use crate::util::root;
use crate::w3c::{select, value};

/// Where the W3C protocol manifest lives: `PEDIGREE_W3C_PROTOCOL_DIR`, else
/// `../shared/w3c-sparql11-protocol` beside the clone.
fn w3c_dir() -> PathBuf {
    std::env::var_os("PEDIGREE_W3C_PROTOCOL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/w3c-sparql11-protocol"))
}

/// The update tests of the manifest: they modify data, which a read-only endpoint
/// refuses by design (every update request gets a 403), so they do not apply.
const NOT_APPLICABLE: &[&str] = &[
    "update_dataset_default_graph",
    "update_dataset_default_graphs",
    "update_dataset_named_graphs",
    "update_dataset_full",
    "update_post_form",
    "update_post_direct",
    "update_base_uri",
];

/// One request of a protocol test, read from the manifest.
#[derive(Debug)]
struct ProtocolRequest {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<(String, String)>,
    statuses: Vec<String>,
    format: Option<String>,
    boolean: Option<bool>,
}

#[test]
fn w3c_sparql11_protocol_manifest() {
    let dir = w3c_dir();
    let manifest = dir.join("manifest.ttl");
    // Missing material must never count as a pass: `tests/run` leaves `w3c_` tests
    // out of the run (reported as skipped) when `../shared` is not beside the clone.
    assert!(
        manifest.is_file(),
        "W3C SPARQL 1.1 Protocol manifest not found at {}: set PEDIGREE_W3C_PROTOCOL_DIR, or run \
         tests/run, which skips the w3c_ tests when their material is missing",
        manifest.display()
    );
    let store = Store::new().unwrap();
    let base = format!("file://{}", manifest.display());
    store
        .load_from_reader(
            RdfParser::from_format(RdfFormat::Turtle)
                .with_base_iri(&base)
                .unwrap()
                .with_default_graph(GraphName::DefaultGraph),
            std::fs::File::open(&manifest).unwrap(),
        )
        .unwrap();

    // Every graph any test needs, by file and graph name, loaded with --rdf.
    let graphs = select(
        &store,
        "SELECT DISTINCT ?file ?label WHERE { ?t ut:graphData [ ut:graph ?file ; rdfs:label ?label ] }",
    );
    let mut args: Vec<String> = Vec::new();
    for row in &graphs {
        let file = value(&row[0]);
        let path = file.strip_prefix("file://").unwrap_or(&file).to_owned();
        args.push("--rdf".into());
        args.push(format!("{path}={}", value(&row[1])));
    }
    assert!(
        graphs.len() >= 3,
        "the manifest names its three data graphs"
    );
    let server = Server::start(&args.iter().map(String::as_str).collect::<Vec<_>>());

    let tests = select(
        &store,
        "SELECT ?test ?name WHERE { ?m a mf:Manifest ; mf:entries/rdf:rest*/rdf:first ?test . ?test mf:name ?name }",
    );
    let (mut passed, mut skipped, mut failures) = (0, Vec::new(), Vec::new());
    for row in &tests {
        let test = value(&row[0]);
        let id = test.rsplit('#').next().unwrap_or(&test).to_owned();
        let requests = requests_of(&store, &test);
        if NOT_APPLICABLE.contains(&id.as_str()) {
            // Not run as written, but their updates must meet a clear refusal.
            for request in requests.iter().filter(|r| is_update(r)) {
                let body = request
                    .body
                    .as_ref()
                    .map(|(chars, _)| chars.as_bytes().to_vec())
                    .unwrap_or_default();
                let headers: Vec<(&str, &str)> = request
                    .headers
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                let response = server.request(&request.method, &request.path, &headers, &body);
                assert_eq!(
                    response.status,
                    403,
                    "{id}: an update must be refused with 403: {}",
                    response.text()
                );
            }
            skipped.push(id);
            continue;
        }
        assert!(!requests.is_empty(), "{id} has requests");
        let mut problems = Vec::new();
        for request in &requests {
            if let Some(problem) = check(&server, request) {
                problems.push(problem);
            }
        }
        if problems.is_empty() {
            passed += 1;
        } else {
            failures.push(format!(
                "{id} ({}): {}",
                value(&row[1]),
                problems.join("; ")
            ));
        }
    }
    println!(
        "W3C SPARQL 1.1 Protocol: {passed} passed, {} failed, {} update tests not applicable to a read-only endpoint (their updates refused with 403: {})",
        failures.len(),
        skipped.len(),
        skipped.join(", ")
    );
    assert_eq!(passed + failures.len() + skipped.len(), tests.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        passed >= 27,
        "every query and bad-query/bad-update test should run; {passed} passed"
    );
}

fn requests_of(store: &Store, test: &str) -> Vec<ProtocolRequest> {
    // Requests are blank nodes, which cannot be named in a later query; so each query
    // selects `?request` itself and rows are matched by its (stable) identifier.
    let of_requests = format!("<{test}> mf:action/ht:requests/rdf:rest*/rdf:first ?request .");
    let rows = select(
        store,
        &format!(
            "SELECT ?request ?method ?path ?chars ?encoding ?format ?boolean WHERE {{
               {of_requests}
               ?request ht:methodName ?method ; ht:absolutePath ?path .
               OPTIONAL {{ ?request ht:body [ cnt:chars ?chars ; cnt:characterEncoding ?encoding ] }}
               OPTIONAL {{ ?request ht:resp/mf:expectedFormat ?format }}
               OPTIONAL {{ ?request ht:resp/mf:expectedBoolean ?boolean }}
             }}"
        ),
    );
    let headers = select(
        store,
        &format!(
            "SELECT ?request ?name ?value WHERE {{ {of_requests} ?request ht:headers/rdf:rest*/rdf:first [ ht:fieldName ?name ; ht:fieldValue ?value ] }}"
        ),
    );
    let statuses = select(
        store,
        &format!(
            "SELECT ?request ?status WHERE {{ {of_requests} ?request ht:resp/mf:expectedStatus ?status }}"
        ),
    );
    let key = |term: &Option<Term>| term.as_ref().map(|t| t.to_string()).unwrap_or_default();
    rows.iter()
        .map(|row| {
            let request = key(&row[0]);
            ProtocolRequest {
                method: value(&row[1]),
                path: value(&row[2]),
                headers: headers
                    .iter()
                    .filter(|h| key(&h[0]) == request)
                    .map(|h| (value(&h[1]), value(&h[2])))
                    .collect(),
                body: row[3].as_ref().map(|_| (value(&row[3]), value(&row[4]))),
                statuses: statuses
                    .iter()
                    .filter(|s| key(&s[0]) == request)
                    .map(|s| value(&s[1]))
                    .collect(),
                format: row[5].as_ref().map(|_| value(&row[5])),
                boolean: row[6].as_ref().map(|_| value(&row[6]) == "true"),
            }
        })
        .collect()
}

fn is_update(request: &ProtocolRequest) -> bool {
    request
        .headers
        .iter()
        .any(|(_, v)| v.starts_with("application/sparql-update"))
        || request
            .body
            .as_ref()
            .is_some_and(|(chars, _)| chars.starts_with("update="))
}

/// Sends one manifest request and checks the response; `None` when it conforms.
fn check(server: &Server, request: &ProtocolRequest) -> Option<String> {
    let body: Vec<u8> = match &request.body {
        None => Vec::new(),
        Some((chars, encoding)) if encoding.eq_ignore_ascii_case("UTF-16") => {
            let mut bytes = vec![0xFE, 0xFF];
            bytes.extend(chars.encode_utf16().flat_map(|u| u.to_be_bytes()));
            bytes
        }
        Some((chars, _)) => chars.as_bytes().to_vec(),
    };
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let response = server.request(&request.method, &request.path, &headers, &body);
    let class = format!("StatusCode{}xx", response.status / 100);
    if !request.statuses.iter().any(|s| s.ends_with(&class)) {
        return Some(format!(
            "{} {} gave {}, expected {:?}: {}",
            request.method,
            request.path,
            response.status,
            request.statuses,
            response.text()
        ));
    }
    let content_type = response.header("content-type").unwrap_or("").to_owned();
    if let Some(format) = &request.format {
        let allowed: &[&str] = match format.as_str() {
            "boolean" => &[
                "application/sparql-results+json",
                "application/sparql-results+xml",
            ],
            "tabular" => &[
                "application/sparql-results+json",
                "application/sparql-results+xml",
                "text/csv",
                "text/tab-separated-values",
            ],
            _ => &[
                "application/rdf+xml",
                "text/turtle",
                "application/n-triples",
            ],
        };
        if !allowed.iter().any(|a| content_type.starts_with(a)) {
            return Some(format!("expected a {format} format, got `{content_type}`"));
        }
    }
    if let Some(expected) = request.boolean {
        let actual = if content_type.starts_with("application/sparql-results+json") {
            response.json()["boolean"].as_bool()
        } else {
            Some(response.text().contains("<boolean>true</boolean>"))
        };
        if actual != Some(expected) {
            return Some(format!(
                "expected boolean {expected}, got {}",
                response.text()
            ));
        }
    }
    None
}

// ---------------------------------------------------------------------------------
// Real clients

/// The Python interpreter of the test environment that `tests/setup` prepares.
fn python() -> PathBuf {
    let venv = root().join("target/test-env/venv/bin/python");
    assert!(
        venv.is_file(),
        "{} is missing: run `tests/setup` (tests/run does) to install the SPARQL clients",
        venv.display()
    );
    venv
}

fn run_client(program: &PathBuf, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(root())
        .output()
        .expect("the client runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{} {args:?} failed:\n{stdout}\n{}",
        program.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn sparqlwrapper_and_rdflib_work_unchanged() {
    let server = Server::start(&[]);
    let endpoint = server.url("/sparql");
    let out = run_client(&python(), &["tests/clients/python_clients.py", &endpoint]);
    for check in [
        "sparqlwrapper select json",
        "sparqlwrapper select xml",
        "sparqlwrapper select csv",
        "sparqlwrapper ask",
        "sparqlwrapper construct turtle",
        "rdflib select",
        "rdflib ask",
        "rdflib construct",
    ] {
        assert!(
            out.contains(&format!("ok {check}")),
            "missing `ok {check}` in:\n{out}"
        );
    }
}

#[test]
fn comunica_works_unchanged() {
    let script = root().join("tests/clients/comunica_check.mjs");
    let modules = root().join("tests/clients/node_modules/@comunica/query-sparql");
    assert!(
        modules.is_dir(),
        "{} is missing: run `tests/setup` (tests/run does)",
        modules.display()
    );
    let server = Server::start(&[]);
    let out = run_client(
        &PathBuf::from("node"),
        &[script.to_str().unwrap(), &server.url("/sparql")],
    );
    for check in ["comunica select", "comunica ask", "comunica construct"] {
        assert!(
            out.contains(&format!("ok {check}")),
            "missing `ok {check}` in:\n{out}"
        );
    }
}

#[test]
fn serves_on_a_real_port_and_stops_gracefully() {
    let server = Server::start(&[]);
    let health = server.get("/healthz");
    assert_eq!(health.status, 200);
    let lineage = server.get("/api/models/avocado/lineage");
    assert_eq!(lineage.status, 200);
    assert!(lineage.text().contains("\"base\":\"qwen\""));
    let query = server.get(&format!(
        "/sparql?query={}",
        encode("ASK { ?m prov:wasDerivedFrom+ ?b }")
    ));
    assert_eq!(query.json()["boolean"], true);
    let status = server.stop();
    assert!(
        status.success(),
        "SIGTERM ends the server cleanly: {status:?}"
    );
}

#[test]
fn refuses_to_start_on_invalid_data() {
    let tree = crate::util::Tree::with_overlay(
        &crate::util::fixtures().join("validate/p202-unknown-reference/data"),
    );
    let output = Command::new(env!("CARGO_BIN_EXE_pedigree"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--data",
            tree.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error[P202]"), "{stderr}");
}

#[test]
fn limits_are_enforced_and_the_server_stays_up() {
    let server = Server::start(&[
        "--query-timeout",
        "1",
        "--max-rows",
        "10",
        "--max-body-bytes",
        "2000",
    ]);
    // Every node to every node it reaches by any path, either way: far beyond a second.
    let heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<x:nothing>|^!<x:nothing>)* ?b }";
    let started = std::time::Instant::now();
    let timeout = server.get(&format!("/sparql?query={}", encode(heavy)));
    assert_eq!(timeout.status, 503, "{}", timeout.text());
    assert!(
        timeout.json()["detail"]
            .as_str()
            .unwrap()
            .contains("cancelled")
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "cancelled promptly, not run to the end"
    );
    // A cross product runs under the same limit: every quad it reads checks it.
    let bomb = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let started = std::time::Instant::now();
    let stopped = server.get(&format!("/sparql?query={}", encode(bomb)));
    assert_eq!(stopped.status, 503, "{}", stopped.text());
    assert!(
        stopped.json()["detail"]
            .as_str()
            .unwrap()
            .contains("cancelled")
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "the product is cancelled at the limit, not run to the end"
    );
    let rows = server.get(&format!(
        "/sparql?query={}",
        encode("SELECT * WHERE { ?s ?p ?o }")
    ));
    assert_eq!(rows.status, 400);
    assert!(
        rows.json()["detail"]
            .as_str()
            .unwrap()
            .contains("more than 10 rows")
    );
    let body = format!("ASK {{ {} }}", "?s ?p ?o . ".repeat(300));
    let large = server.request(
        "POST",
        "/sparql",
        &[("Content-Type", "application/sparql-query")],
        body.as_bytes(),
    );
    assert_eq!(large.status, 413);
    assert_eq!(large.json()["error"], "payload too large");
    // Still answering.
    assert_eq!(server.get("/healthz").status, 200);
    let small = server.get(&format!(
        "/sparql?query={}",
        encode("SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    ));
    assert_eq!(small.status, 200);
}

/// The browser the end-to-end tests drive: `CHROMIUM`, else Debian's.
fn chromium() -> PathBuf {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.exists(),
        "{} is missing: run `tests/setup` (tests/run does) to install Chromium",
        path.display()
    );
    path
}

/// Where the browser journeys put their screenshots: `docs/screenshots`, which the
/// README shows, with `UPDATE_SCREENSHOTS=1`; else a folder under `target/`, so an
/// ordinary run leaves the work tree as it was.
fn screenshot_folder() -> PathBuf {
    let folder = if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
        root().join("docs/screenshots")
    } else {
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots")
    };
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

/// Runs the browser journey `tests/clients/e2e/{name}.mjs` against a fresh server on
/// the bundled data, and checks that each of `steps` passed and each of
/// `screenshots` was taken again.
fn browser_journey(name: &str, steps: &[&str], screenshots: &[&str]) {
    let browser = chromium();
    let modules = root().join("tests/clients/node_modules/playwright-core");
    assert!(
        modules.is_dir(),
        "{} is missing: run `tests/setup`",
        modules.display()
    );
    let folder = screenshot_folder();
    for shot in screenshots {
        let _ = std::fs::remove_file(folder.join(shot));
    }
    let server = Server::start(&[]);
    let output = Command::new("node")
        .args([
            root()
                .join(format!("tests/clients/e2e/{name}.mjs"))
                .to_str()
                .unwrap(),
            &server.url("/"),
            folder.to_str().unwrap(),
        ])
        .env("CHROMIUM", &browser)
        .current_dir(root())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "browser journey `{name}` failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for step in steps.iter().chain(&["stay on this host"]) {
        assert!(
            stdout.contains(&format!("ok {step}")),
            "missing `ok {step}` in:\n{stdout}"
        );
    }
    for shot in screenshots {
        let bytes = std::fs::read(folder.join(shot)).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 20_000,
            "{shot} is a real screenshot"
        );
    }
}

#[test]
fn browser_search_as_you_type() {
    browser_journey(
        "search",
        &[
            "open the home page",
            "a person suggested as you type is labelled \"person\"",
            "search \"avo\" as you type and open Avocado",
            "the arrow keys move aria-activedescendant over the options",
            "the open suggestions pass axe-core",
            "Escape closes the suggestions",
            "a click outside closes the suggestions",
            "\"See all results\" opens the search page",
            "\"Llama3.1\" and \"r1 distill\" find their models as you type",
            "/models/muse-spark lands on Avocado's page",
        ],
        &[],
    );
}

#[test]
fn browser_model_page() {
    browser_journey(
        "model",
        &[
            "see Qwen in the lineage picture with a reported edge",
            "click an edge to reach its sources",
            "click through to Qwen",
            "read a model page without JavaScript",
        ],
        &["model-page.png"],
    );
}

/// Issue 16: after Back/Forward the lineage form showed other values than the URL.
#[test]
fn browser_lineage_controls() {
    browser_journey(
        "controls",
        &[
            "open a model page with every default",
            "set depth 1, a relation and a confidence, and show",
            "go Back: the form is back to the defaults the URL says",
            "go Forward: the form shows depth 1 again",
            "change the form without submitting, go Back and Forward: the URL wins",
            "a page restored from the back-forward cache with old field values shows the URL",
            "history within the page (popstate) sets the form from the URL",
            "the fields do not autocomplete",
        ],
        &[],
    );
}

#[test]
fn browser_sparql_page() {
    browser_journey(
        "query",
        &[
            "run a canned query on the SPARQL page",
            "offer downloads in every results format",
            "give a canned query its parameters",
            "keep the query in the URL across a reload",
            "mark a syntax error at its line and column",
            "page through an answer of thousands of rows",
            "sort a column both ways",
            "leave the editor with Tab and indent with Ctrl+]",
            "answer a canned query without JavaScript",
        ],
        &["sparql-page.png", "sparql-error.png"],
    );
}

/// Issue 16: on a 390 px phone no page scrolls sideways, table rows stack as cards
/// labelled by their columns, and the lineage picture fits the screen, centred on the
/// page's model, zooming and moving by buttons, fingers and keys; an edge's sources
/// are reached by Tab and by a tap.
#[test]
fn browser_phone() {
    browser_journey(
        "phone",
        &[
            "no page scrolls sideways at 390 px",
            "table rows stack as cards, each cell labelled by its column",
            "the picture fits the screen, centred on the page's model",
            "zoom in, out and fit with the buttons",
            "a finger drags the picture and two pinch it",
            "by keyboard, an edge shows its sources and Enter opens its row",
            "a tap on an edge opens its row with the sources",
            "without JavaScript the picture scrolls in its own box",
        ],
        &["phone-models.png", "phone-lineage.png"],
    );
}

/// Issue 16: axe-core finds no serious or critical violation on any kind of page, on
/// a desktop (1280 × 800) or a phone (390 × 844).
#[test]
fn browser_accessibility() {
    let pages = [
        "home",
        "search",
        "models list",
        "model page",
        "model page with many edges",
        "model page with folded counts",
        "derivatives list",
        "organisation",
        "person",
        "source",
        "licence",
        "SPARQL page with results",
        "error page",
    ];
    let steps: Vec<String> = ["desktop", "phone"]
        .iter()
        .flat_map(|device| {
            pages
                .iter()
                .map(move |page| format!("{device}: {page} has no serious accessibility violation"))
        })
        .collect();
    browser_journey(
        "accessibility",
        &steps.iter().map(String::as_str).collect::<Vec<_>>(),
        &[],
    );
}
