//! Reliability and security against a live `pedigree serve`: reload that never serves
//! bad data, every limit and refusal, hostile SPARQL and malformed HTTP, panics, and
//! what the process listens on.

use std::io::Write;
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use tower::ServiceExt;

use crate::http::{Server, encode, raw, read_until_closed, request};
use crate::util::{Tree, fixtures, pedigree, wait_for};

fn last_reload(server: &Server) -> serde_json::Value {
    server.get("/api/status").json()["last_reload"].clone()
}

/// What a client saw of Avocado: status, developer and name.
type Sighting = (u16, String, String);

/// A client that asks for Avocado over and over until stopped, through any reloads.
fn busy_client(port: u16, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<Vec<Sighting>> {
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            let answer = request(port, "GET", "/api/models/avocado", &[], b"");
            let (developer, name) = if answer.status == 200 {
                let json = answer.json();
                (
                    json["developer"]["id"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    json["name"].as_str().unwrap_or_default().to_owned(),
                )
            } else {
                (String::new(), answer.text())
            };
            seen.push((answer.status, developer, name));
            let sparql = request(
                port,
                "GET",
                &format!(
                    "/sparql?query={}",
                    encode("ASK { ?m dcterms:identifier \"avocado\" ; prov:wasDerivedFrom+ ?b }")
                ),
                &[("Accept", "application/sparql-results+json")],
                b"",
            );
            seen.push((sparql.status, "tbd-lab".into(), "Muse Spark".into()));
        }
        seen
    })
}

#[test]
fn watch_keeps_the_last_good_data_until_the_files_are_fixed() {
    let tree = Tree::bundled();
    let server = Server::start(&["--data", tree.path().to_str().unwrap(), "--watch"]);
    assert!(
        last_reload(&server).is_null(),
        "no reload before any change"
    );
    let stop = Arc::new(AtomicBool::new(false));
    let client = busy_client(server.port, Arc::clone(&stop));

    // A bad push: an unknown developer. The reload is refused, the status says why.
    let avocado = tree.path().join("models/avocado.yaml");
    let good = std::fs::read_to_string(&avocado).unwrap();
    std::fs::write(
        &avocado,
        good.replace("developer: tbd-lab", "developer: no-such-org"),
    )
    .unwrap();
    wait_for("a refused reload", Duration::from_secs(30), || {
        last_reload(&server)["ok"] == false
    });
    let refused = last_reload(&server);
    let diagnostic = &refused["diagnostics"][0];
    assert_eq!(diagnostic["code"], "P202", "{refused}");
    assert!(
        diagnostic["file"]
            .as_str()
            .unwrap()
            .ends_with("models/avocado.yaml")
    );
    assert_eq!(diagnostic["line"], 5);
    assert!(refused["error"].as_str().unwrap().contains("1 error"));
    assert!(!refused["attempted_at"].as_str().unwrap().is_empty());
    let served = server.get("/api/models/avocado").json();
    assert_eq!(served["developer"]["id"], "tbd-lab", "the last good data");

    // A YAML alias flood (a billion-laughs variant) through the same path: cut off by
    // the parser's budget, reported, nothing changes.
    let flood = fixtures().join("validate/p012-alias-bomb/data/organizations/flood.yaml");
    tree.write("organizations/flood.yaml", std::fs::read(flood).unwrap());
    wait_for("the flood to be reported", Duration::from_secs(60), || {
        last_reload(&server)["diagnostics"]
            .as_array()
            .is_some_and(|all| all.iter().any(|d| d["code"] == "P012"))
    });
    std::fs::remove_file(tree.path().join("organizations/flood.yaml")).unwrap();

    // The fix, with a visible change: served as soon as it is valid.
    std::fs::write(
        &avocado,
        good.replace("name: Muse Spark", "name: Muse Spark (reloaded)"),
    )
    .unwrap();
    wait_for("the fixed data", Duration::from_secs(30), || {
        server.get("/api/models/avocado").json()["name"] == "Muse Spark (reloaded)"
    });
    let accepted = last_reload(&server);
    assert_eq!(accepted["ok"], true, "{accepted}");
    assert_eq!(accepted["diagnostics"].as_array().unwrap().len(), 0);

    stop.store(true, Ordering::Relaxed);
    let seen = client.join().unwrap();
    assert!(
        seen.len() > 10,
        "the client kept asking: {} answers",
        seen.len()
    );
    for (status, developer, name) in &seen {
        assert_eq!(*status, 200, "every request answered: {name}");
        assert_eq!(developer, "tbd-lab", "bad data was never served");
        assert!(name.starts_with("Muse Spark"), "{name}");
    }
    let first_new = seen
        .iter()
        .position(|(_, _, name)| name.ends_with("(reloaded)"));
    if let Some(first_new) = first_new {
        assert!(
            seen[first_new..]
                .iter()
                .step_by(2)
                .all(|(_, _, name)| name.ends_with("(reloaded)")),
            "once swapped, the old data never comes back"
        );
    }
}

#[test]
fn sighup_reloads_without_watching() {
    let tree = Tree::bundled();
    let server = Server::start(&["--data", tree.path().to_str().unwrap()]);
    let avocado = tree.path().join("models/avocado.yaml");
    let good = std::fs::read_to_string(&avocado).unwrap();
    std::fs::write(
        &avocado,
        good.replace("name: Muse Spark", "name: Muse Spark (hup)"),
    )
    .unwrap();
    // Not watching: the change is not picked up by itself.
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(
        server.get("/api/models/avocado").json()["name"],
        "Muse Spark"
    );
    server.signal("HUP");
    wait_for("the reload on SIGHUP", Duration::from_secs(30), || {
        server.get("/api/models/avocado").json()["name"] == "Muse Spark (hup)"
    });
    assert_eq!(last_reload(&server)["ok"], true);
    // A broken file and another SIGHUP: refused, still serving.
    std::fs::write(&avocado, "id: avocado\nname: [unclosed\n").unwrap();
    server.signal("HUP");
    wait_for("the refused reload", Duration::from_secs(30), || {
        last_reload(&server)["ok"] == false
    });
    assert_eq!(
        server.get("/api/models/avocado").json()["name"],
        "Muse Spark (hup)"
    );
    assert_eq!(server.stop().code(), Some(0));
}

/// Every node to every node it reaches by any path either way: runs until cancelled.
const SLOW_QUERY: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<x:nothing>|^!<x:nothing>)* ?b }";

#[test]
fn evaluations_beyond_the_limit_are_refused_with_retry_after_and_workers_are_freed() {
    let server = Server::start(&[
        "--max-concurrent-queries",
        "1",
        "--queue-wait",
        "300",
        "--query-timeout",
        "3",
    ]);
    let port = server.port;
    let slow = std::thread::spawn(move || {
        request(
            port,
            "GET",
            &format!("/sparql?query={}", encode(SLOW_QUERY)),
            &[],
            b"",
        )
    });
    let quick = format!("/sparql?query={}", encode("ASK { ?s ?p ?o }"));
    // Long enough for the slow query to be running; it runs for three seconds.
    std::thread::sleep(Duration::from_millis(700));
    let busy = server.get(&quick);
    assert_eq!(busy.status, 503, "{}", busy.text());
    assert_eq!(busy.header("retry-after"), Some("1"));
    assert_eq!(busy.json()["error"], "overloaded");
    let timed_out = slow.join().unwrap();
    assert_eq!(timed_out.status, 503);
    assert!(
        timed_out.text().contains("cancelled"),
        "{}",
        timed_out.text()
    );
    // The cancelled evaluation gave its permit back.
    assert_eq!(server.get(&quick).status, 200);
    // The lineage API is not an evaluation and never waits for one.
    assert_eq!(server.get("/api/models/avocado/lineage").status, 200);
}

#[test]
fn a_burst_of_short_queries_waits_for_a_slot_instead_of_being_refused() {
    let server = Server::start(&["--max-concurrent-queries", "1"]);
    let port = server.port;
    let query = format!(
        "/sparql?query={}",
        encode("SELECT ?m WHERE { ?m prov:wasDerivedFrom+ ?base } LIMIT 50")
    );
    let clients: Vec<_> = (0..16)
        .map(|_| {
            let query = query.clone();
            std::thread::spawn(move || {
                (0..10)
                    .map(|_| request(port, "GET", &query, &[], b"").status)
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    let statuses: Vec<u16> = clients
        .into_iter()
        .flat_map(|client| client.join().unwrap())
        .collect();
    assert_eq!(statuses.len(), 160);
    assert!(
        statuses.iter().all(|&status| status == 200),
        "one slot, sixteen clients: every short query waits its turn and is answered: {statuses:?}"
    );
}

#[test]
fn impossible_queue_wait_is_a_usage_error() {
    let output = pedigree(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--query-timeout",
        "10",
        "--queue-wait",
        "5000",
        "--idle-timeout",
        "15",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--queue-wait"));
}

#[test]
fn query_text_and_body_size_limits() {
    let server = Server::start(&["--max-query-bytes", "200", "--max-body-bytes", "4000"]);
    let long = format!("ASK {{ ?s ?p \"{}\" }}", "x".repeat(300));
    let refused = server.get(&format!("/sparql?query={}", encode(&long)));
    assert_eq!(refused.status, 413);
    assert!(
        refused.json()["detail"]
            .as_str()
            .unwrap()
            .contains("limit is 200 bytes")
    );
    let posted = server.request(
        "POST",
        "/sparql",
        &[("Content-Type", "application/sparql-query")],
        long.as_bytes(),
    );
    assert_eq!(posted.status, 413);
    let body = server.request(
        "POST",
        "/sparql",
        &[("Content-Type", "application/sparql-query")],
        &vec![b' '; 5000],
    );
    assert_eq!(body.status, 413);
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn impossible_limits_are_usage_errors() {
    let output = pedigree(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--query-timeout",
        "30",
        "--idle-timeout",
        "20",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--idle-timeout"));
    let output = pedigree(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--max-concurrent-queries",
        "0",
    ]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn slow_and_idle_clients_cannot_pin_connections() {
    let server = Server::start(&[
        "--header-read-timeout",
        "1",
        "--query-timeout",
        "1",
        "--queue-wait",
        "500",
        "--idle-timeout",
        "2",
    ]);
    // Slowloris: half a request head, then nothing.
    let mut slow_head = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    slow_head
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    read_until_closed(&mut slow_head, Duration::from_secs(20));

    // A kept-alive connection that goes quiet after its first answer.
    let mut idle = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let answer = read_until_closed(&mut idle, Duration::from_secs(20));
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );

    // A body announced and then trickled: answered 408, never held.
    let mut trickle = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    trickle
        .write_all(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\nASK")
        .unwrap();
    let answer = read_until_closed(&mut trickle, Duration::from_secs(20));
    let text = String::from_utf8_lossy(&answer);
    assert!(
        text.starts_with("HTTP/1.1 408") || answer.is_empty(),
        "{text}"
    );

    assert_eq!(server.get("/healthz").status, 200, "still serving others");
}

#[test]
fn hostile_sparql_is_refused_or_cancelled_and_the_server_stays_up() {
    let server = Server::start(&["--query-timeout", "2"]);
    let chain = |link: &str, n: usize| vec![link; n].join("/");
    let cases: Vec<(&str, String, &[u16])> = vec![
        (
            "deep nesting",
            format!(
                "ASK {{ FILTER({}1{}) }}",
                "(".repeat(5000),
                ")".repeat(5000)
            ),
            &[400],
        ),
        (
            "long property path",
            format!(
                "SELECT * WHERE {{ ?a {} ?b }}",
                chain("prov:wasDerivedFrom", 30_000)
            ),
            &[400, 413],
        ),
        (
            "long path under the limit",
            format!(
                "SELECT * WHERE {{ ?a {} ?b }}",
                chain("prov:wasDerivedFrom", 4_000)
            ),
            &[200, 503],
        ),
        (
            "union chain",
            format!(
                "SELECT * WHERE {{ {} }}",
                vec!["{ ?a <x:p> ?b }"; 1600].join(" UNION ")
            ),
            &[200, 503],
        ),
        (
            "or chain",
            format!(
                "SELECT * WHERE {{ ?s ?p ?o FILTER({}) }}",
                vec!["?o"; 1600].join(" || ")
            ),
            &[200, 503],
        ),
        (
            "cross join",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }".into(),
            &[503],
        ),
        ("unbounded path", SLOW_QUERY.into(), &[503]),
        (
            "regex bomb",
            "SELECT * WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), \"(a+)+$\")) } LIMIT 5".into(),
            &[200],
        ),
        (
            "huge regex",
            "SELECT * WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), \"a{1000}{1000}{1000}\")) } LIMIT 5"
                .into(),
            &[200, 503],
        ),
        (
            "giant literal",
            format!("ASK {{ ?s ?p \"{}\" }}", "a".repeat(200_000)),
            &[200],
        ),
        ("update", "DELETE WHERE { ?s ?p ?o }".into(), &[403]),
        ("load", "LOAD <http://example.org/x.ttl>".into(), &[403]),
        (
            "service",
            "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }".into(),
            &[403],
        ),
        ("not sparql", "\u{0}\u{1}\u{2} SELECT".into(), &[400]),
        // Found by the sparql_request fuzzer as a 500: an IRI called as a function
        // parses and only failed in evaluation. It was then refused with 400; now an
        // unknown function is an expression error as SPARQL defines (the FILTER is
        // false, the value unbound), so the query is answered.
        (
            "custom function",
            "ASK { ?s ?p ?o FILTER <http://example.org/f>(?o) }".into(),
            &[200],
        ),
        (
            "custom function on no solutions",
            "SELECT (<http://example.org/f>(1) AS ?x) WHERE {}".into(),
            &[200],
        ),
    ];
    for (name, query, expected) in cases {
        let answer = server.request(
            "POST",
            "/sparql",
            &[("Content-Type", "application/sparql-query")],
            query.as_bytes(),
        );
        assert!(
            expected.contains(&answer.status),
            "{name}: {} {}",
            answer.status,
            answer.text().chars().take(300).collect::<String>()
        );
        if answer.status >= 400 {
            assert!(
                !answer.json()["detail"].as_str().unwrap().is_empty(),
                "{name}"
            );
        }
        assert_eq!(server.get("/healthz").status, 200, "{name}: still up");
    }
}

#[test]
fn malformed_http_gets_4xx_never_a_dropped_connection() {
    let server = Server::start(&[]);
    let cases: Vec<(&str, Vec<u8>, &[u16])> = vec![
        ("bad percent-encoding", b"GET /sparql?query=%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(), &[400]),
        ("invalid UTF-8 in the query", b"GET /sparql?query=%FF%FE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(), &[400]),
        ("invalid UTF-8 body", b"POST /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/sparql-query\r\nContent-Length: 4\r\n\r\n\xff\xfe\xfd\xfc".to_vec(), &[400]),
        ("two content types", b"POST /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/sparql-query\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\nASK { }  ".to_vec(), &[400, 415]),
        ("unknown content type", b"POST /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: image/png\r\nContent-Length: 4\r\n\r\nASK ".to_vec(), &[415]),
        ("absurd accept", format!("GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAccept: {}\r\n\r\n", vec!["x/y;q=abc"; 2000].join(", ")).into_bytes(), &[406, 400, 431]),
        ("huge header", format!("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: {}\r\n\r\n", "a".repeat(1_000_000)).into_bytes(), &[431, 400]),
        ("path traversal to a query", b"GET /api/queries/..%2F..%2FCargo.toml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(), &[404]),
        ("path traversal to an asset", b"GET /assets/../../Cargo.toml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(), &[404]),
        ("unknown method", b"BREW /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(), &[405]),
        ("lineage with bad parameters", b"GET /api/models/avocado/lineage?depth=-1&direction=sideways&%ZZ=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(), &[400]),
        ("lineage of an id with control characters", b"GET /api/models/%00%0A%1B/lineage HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(), &[404, 400]),
    ];
    for (name, bytes, expected) in cases {
        let answer = raw(&server, &bytes);
        assert!(
            expected.contains(&answer.status),
            "{name}: {} {}",
            answer.status,
            answer.text().chars().take(300).collect::<String>()
        );
        assert!(
            !answer.text().contains("[package]"),
            "{name}: nothing outside the roots"
        );
    }
    // Garbage that is not HTTP at all: closed with a 400, or simply closed.
    let mut garbage = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    garbage
        .write_all(b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03 not http\r\n\r\n")
        .unwrap();
    let answer = read_until_closed(&mut garbage, Duration::from_secs(20));
    assert!(answer.is_empty() || answer.starts_with(b"HTTP/1.1 400"));
    assert_eq!(server.get("/healthz").status, 200);
}

#[tokio::test]
async fn a_panicking_handler_answers_500_with_a_generic_body() {
    async fn boom() -> &'static str {
        panic!("secret internal detail")
    }
    let app = pedigree::server::with_layers(
        Router::new().route("/boom", get(boom)),
        1024,
        Duration::from_secs(5),
    );
    let response = app
        .oneshot(Request::builder().uri("/boom").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains("internal error"), "{text}");
    assert!(!text.contains("secret"), "no internals leak: {text}");
}

/// The local addresses the process `pid` listens on, from `/proc` (Linux).
#[cfg(target_os = "linux")]
fn listening_addresses(pid: u32) -> Vec<String> {
    let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|entry| std::fs::read_link(entry.ok()?.path()).ok())
        .filter_map(|target| {
            let target = target.to_string_lossy().into_owned();
            Some(
                target
                    .strip_prefix("socket:[")?
                    .strip_suffix(']')?
                    .to_owned(),
            )
        })
        .collect();
    let mut listening = Vec::new();
    for table in [
        "/proc/net/tcp",
        "/proc/net/tcp6",
        "/proc/net/udp",
        "/proc/net/udp6",
    ] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // Field 3 is the state (0A: LISTEN for TCP; UDP sockets are all "open"),
            // field 9 the inode.
            let listens = table.contains("udp") || fields[3] == "0A";
            if listens && inodes.iter().any(|inode| inode == fields[9]) {
                listening.push(format!("{table} {}", fields[1]));
            }
        }
    }
    listening
}

#[cfg(target_os = "linux")]
#[test]
fn nothing_listens_beyond_the_configured_address() {
    let server = Server::start(&["--watch"]);
    let listening = listening_addresses(server.pid());
    // 0100007F is 127.0.0.1 in /proc's byte order; the port is hex.
    let expected = format!("/proc/net/tcp 0100007F:{:04X}", server.port);
    assert_eq!(listening, vec![expected]);
}
