//! Output that cannot be turned against its reader (issue 17, findings 11 to 15):
//! data with terminal escapes and line breaks shown, never obeyed; no line of human
//! output that a CI runner would execute; spreadsheet-safe CSV downloads; clear 400s
//! for empty queries; and limits answered at once in the JSON error shape.

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use pedigree::lineage::render;
use pedigree::model::{Confidence, Relation};
use pedigree::view::{Direction, EdgeView, LineageView, NodeKind, NodeView};

use crate::http::{Server, encode, parse_response, raw, read_until_closed};
use crate::util::{Tree, pedigree, stderr, stdout};

/// Control characters in `text` other than the line breaks that end its lines.
fn controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| c.is_control() && c != '\n')
        .collect()
}

/// Lines of human output that GitHub Actions would read as a workflow command.
fn workflow_commands(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.starts_with("::")).collect()
}

/// A model file of the base fixture with a raw ESC sequence (set the window title,
/// clear the screen) in a comment and a syntax error on the same line.
const RAW_ESCAPES: &[u8] =
    b"id: acme-chat\nname: Acme Chat # \x1b]0;pwned\x07\x1b[2J\rgone: [unclosed\n";

#[test]
fn issue_17_11_validate_snippets_show_raw_escape_bytes_instead_of_sending_them() {
    let tree = Tree::base();
    tree.write("models/acme-chat.yaml", RAW_ESCAPES);
    let out = pedigree(&[
        "validate",
        "--color",
        "never",
        tree.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(controls(&text).is_empty(), "raw controls in: {text:?}");
    assert!(text.contains("␛]0;pwned␇␛[2J␍gone"), "{text}");
}

#[test]
fn issue_17_11_control_characters_in_names_are_a_validation_error() {
    let tree = Tree::base();
    let original = std::fs::read_to_string(tree.path().join("models/acme-chat.yaml")).unwrap();
    tree.write(
        "models/acme-chat.yaml",
        original.replace(
            "name: Acme Chat",
            "name: \"Acme \\e]0;pwned\\a\\e[2J Chat\"",
        ),
    );
    let path = tree.path().to_str().unwrap();
    let out = pedigree(&["validate", "--format", "json", path]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["P110"], "{report:#}");
    // Commands that print names refuse such data, with the diagnostic, escaped.
    let out = pedigree(&["lineage", "--data", path, "acme-chat"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("P110"), "{}", stderr(&out));
    assert!(controls(&stderr(&out)).is_empty(), "{:?}", stderr(&out));
}

fn node(id: &str, name: &str, generation: i32) -> NodeView {
    NodeView {
        id: id.into(),
        name: name.into(),
        kind: NodeKind::Model,
        developer: "acme".into(),
        generation,
    }
}

#[test]
fn issue_17_11_the_text_lineage_tree_escapes_names() {
    let view = LineageView {
        root: "chat".into(),
        direction: Direction::Up,
        nodes: vec![
            node("chat", "Chat \u{1b}]0;pwned\u{7}", 0),
            node("base", "Base\n::error file=x::injected", -1),
        ],
        edges: vec![EdgeView {
            model: "chat".into(),
            base: "base".into(),
            relation: Relation::Finetune,
            stage: None,
            confidence: Confidence::Reported,
            valid_from: None,
            valid_until: None,
            first_reported: None,
            note: None,
            sources: Vec::new(),
        }],
        complete: true,
        folded: Vec::new(),
    };
    let text = render::text(&view);
    assert!(controls(&text).is_empty(), "{text:?}");
    assert!(workflow_commands(&text).is_empty(), "{text}");
    assert!(text.starts_with("Chat ␛]0;pwned␇ (chat)\n"), "{text}");
    assert!(
        text.contains("Base␊::error file=x::injected (base)"),
        "{text}"
    );
}

#[test]
fn issue_17_11_the_query_table_escapes_values() {
    let tree = Tree::base();
    let scratch = Tree::empty();
    let query = scratch.path().join("q.rq");
    std::fs::write(
        &query,
        "SELECT ?v WHERE { VALUES ?v { \"a\\u001B]0;pwned\\u0007\\u001B[2J\" \"b\\r\\n::error file=x::y\" } }",
    )
    .unwrap();
    let out = pedigree(&[
        "query",
        "--data",
        tree.path().to_str().unwrap(),
        "--format",
        "table",
        query.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(controls(&text).is_empty(), "{text:?}");
    assert!(workflow_commands(&text).is_empty(), "{text}");
    assert!(text.contains("│ a␛]0;pwned␇␛[2J"), "{text}");
    assert!(text.contains("│ b␍␊::error file=x::y"), "{text}");
}

/// A tree whose file name and whose key carry a newline and a workflow command.
fn tree_with_injected_commands() -> Tree {
    let tree = Tree::base();
    let original = std::fs::read_to_string(tree.path().join("models/acme-chat.yaml")).unwrap();
    tree.write(
        "models/acme-chat.yaml",
        format!("{original}\"x\\n::error file=key.yaml,line=1::from a key\": 1\n"),
    );
    tree.write(
        "models/x\n::error file=name.yaml,line=1::from a file name.yaml",
        "id: acme-other\nname: Other\n",
    );
    tree
}

#[test]
fn issue_17_12_human_output_never_starts_a_line_with_a_workflow_command() {
    let tree = tree_with_injected_commands();
    let path = tree.path().to_str().unwrap();
    let out = pedigree(&["validate", "--color", "never", path]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    // Both injections are reported, shown on the diagnostics' own lines.
    assert!(text.contains("x␊::error file=key.yaml"), "{text}");
    assert!(text.contains("x␊::error file=name.yaml"), "{text}");
    assert!(workflow_commands(&text).is_empty(), "{text}");
    assert!(workflow_commands(&stderr(&out)).is_empty());
    // Commands that refuse invalid data print the same diagnostics on stderr.
    let out = pedigree(&["lineage", "--data", path, "acme-chat"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("x␊::error"), "{}", stderr(&out));
    assert!(
        workflow_commands(&stderr(&out)).is_empty(),
        "{}",
        stderr(&out)
    );
}

#[test]
fn issue_17_12_github_format_escapes_data_by_the_toolkit_rules() {
    let tree = tree_with_injected_commands();
    let path = tree.path().to_str().unwrap();
    let json = pedigree(&["validate", "--format", "json", path]);
    let count = serde_json::from_slice::<serde_json::Value>(&json.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .len();
    let out = pedigree(&["validate", "--format", "github", path]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    // One command per diagnostic: no data starts a line of its own.
    assert_eq!(lines.len(), count, "{text}");
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("::error file=") || l.starts_with("::warning file=")),
        "{text}"
    );
    // In a property (the file), `:` and `,` are escaped too; in the message, newlines.
    assert!(
        text.contains(
            "/models/x%0A%3A%3Aerror file=name.yaml%2Cline=1%3A%3Afrom a file name.yaml,"
        ),
        "{text}"
    );
    assert!(
        text.contains("x%0A::error file=key.yaml,line=1::from a key"),
        "{text}"
    );
}

/// A live server over the small base fixture.
fn serve_base() -> (Tree, Server) {
    serve(Tree::base())
}

fn serve(tree: Tree) -> (Tree, Server) {
    let server = Server::start(&["--data", tree.path().to_str().unwrap()]);
    (tree, server)
}

/// Aliases a spreadsheet would run as formulas (valid data: no control characters).
const FORMULA_ALIASES: &str = "aliases:\n  - '=HYPERLINK(\"http://evil.example/\",\"click\")'\n  - '+SUM(1+1)'\n  - '@cmd'\n  - '-2+3'\n";

/// The aliases, and literals starting with TAB and CR (which data cannot hold).
const ALIAS_QUERY: &str = "SELECT ?alias WHERE { { ?m schema:alternateName ?alias } UNION { VALUES ?alias { \"\\tx\" \"\\ry\" \"plain\" -5 } } } ORDER BY ?alias";

/// The first cell of each data row of a CSV answer, unquoted but not unescaped: what
/// a spreadsheet looks at to decide whether it is a formula.
fn first_cells(csv: &str) -> Vec<String> {
    csv.split("\r\n")
        .skip(1)
        .filter(|row| !row.is_empty())
        .map(|row| row.strip_prefix('"').unwrap_or(row).to_owned())
        .collect()
}

fn starts_like_a_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

#[test]
fn issue_17_13_the_web_pages_csv_download_is_safe_for_spreadsheets() {
    let tree = Tree::base();
    let model = tree.path().join("models/acme-base.yaml");
    let original = std::fs::read_to_string(&model).unwrap();
    tree.write(
        "models/acme-base.yaml",
        original.replacen("\nname:", &format!("\n{FORMULA_ALIASES}name:"), 1),
    );
    let (_tree, server) = serve(tree);
    let sparql_csv = server.request(
        "POST",
        "/sparql",
        &[
            ("Content-Type", "application/sparql-query"),
            ("Accept", "text/csv"),
        ],
        ALIAS_QUERY.as_bytes(),
    );
    assert_eq!(sparql_csv.status, 200, "{}", sparql_csv.text());
    // /sparql stays conformant: the values as they are.
    let conformant = first_cells(&sparql_csv.text());
    assert_eq!(conformant.len(), 8, "{conformant:?}");
    assert_eq!(
        conformant
            .iter()
            .filter(|c| starts_like_a_formula(c))
            .count(),
        7,
        "{conformant:?}"
    );
    assert!(conformant.contains(&"@cmd".to_owned()), "{conformant:?}");

    let download = server.request(
        "POST",
        "/query/results.csv",
        &[("Content-Type", "application/sparql-query")],
        ALIAS_QUERY.as_bytes(),
    );
    assert_eq!(download.status, 200, "{}", download.text());
    assert_eq!(
        download.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    assert!(
        download
            .header("content-disposition")
            .unwrap_or("")
            .starts_with("attachment"),
        "{:?}",
        download.headers
    );
    let safe = first_cells(&download.text());
    assert_eq!(safe.len(), conformant.len(), "{safe:?}");
    assert!(!safe.iter().any(|c| starts_like_a_formula(c)), "{safe:?}");
    for (original, defused) in conformant.iter().zip(&safe) {
        let expected = if starts_like_a_formula(original) {
            format!("'{original}")
        } else {
            original.clone()
        };
        assert_eq!(defused, &expected);
    }
    // The same download by GET, and the page's script asks for it, not for /sparql.
    let by_get = server.get(&format!("/query/results.csv?query={}", encode(ALIAS_QUERY)));
    assert_eq!(by_get.text(), download.text());
    let script = server.get("/assets/app.js").text();
    assert!(
        script.contains("['CSV', 'text/csv', 'csv', '/query/results.csv']"),
        "the SPARQL page's CSV button must use the spreadsheet-safe download"
    );
    let graph = server.get(&format!(
        "/query/results.csv?query={}",
        encode("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1")
    ));
    assert_eq!(graph.status, 400, "{}", graph.text());
}

#[test]
fn issue_17_14_an_empty_query_is_a_bad_request_not_an_update() {
    let (_tree, server) = serve_base();
    for (name, text) in [
        ("empty", ""),
        ("blank", "  \n\t\n"),
        ("a comment", "# SELECT * WHERE { ?s ?p ?o }\n"),
        ("a PREFIX line", "PREFIX ex: <http://example.org/>\n"),
        (
            "PREFIX and BASE",
            "BASE <http://example.org/>\nPREFIX ex: <x>\n# nothing\n",
        ),
    ] {
        let posted = server.request(
            "POST",
            "/sparql",
            &[("Content-Type", "application/sparql-query")],
            text.as_bytes(),
        );
        let got = server.get(&format!("/sparql?query={}", encode(text)));
        for answer in [posted, got] {
            assert_eq!(answer.status, 400, "{name}: {}", answer.text());
            let detail = answer.json()["detail"].as_str().unwrap().to_owned();
            assert!(detail.contains("the query is empty"), "{name}: {detail}");
        }
    }
    // A real update is still refused as one.
    let update = server.request(
        "POST",
        "/sparql",
        &[("Content-Type", "application/sparql-query")],
        b"PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }",
    );
    assert_eq!(update.status, 403, "{}", update.text());
}

/// Sends a request head that announces a body and sends none of it, then reads the
/// answer: it must come without the body, so without `100 Continue` first.
fn announce_huge_body(server: &Server, expect: bool) -> crate::http::Response {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let expect = if expect {
        "Expect: 100-continue\r\n"
    } else {
        ""
    };
    let head = format!(
        "POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n{expect}Content-Length: 99999999999\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    parse_response(&read_until_closed(&mut stream, Duration::from_secs(30)))
}

#[test]
fn issue_17_15_an_announced_oversized_body_is_refused_at_once() {
    let (_tree, server) = serve_base();
    for expect in [true, false] {
        let answer = announce_huge_body(&server, expect);
        assert_eq!(answer.status, 413, "expect {expect}: {}", answer.text());
        let body = answer.json();
        assert_eq!(body["error"], "payload too large", "{body}");
        assert!(body["detail"].as_str().unwrap().contains("bytes"), "{body}");
    }
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn issue_17_15_a_very_long_url_gets_414_in_the_json_error_shape() {
    let (_tree, server) = serve_base();
    let query = format!("ASK {{ ?s ?p \"{}\" }}", "x".repeat(100_000));
    let request = format!(
        "GET /sparql?query={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        encode(&query)
    );
    let answer = raw(&server, request.as_bytes());
    assert_eq!(answer.status, 414, "{}", answer.text());
    assert!(
        answer
            .header("content-type")
            .unwrap_or("")
            .starts_with("application/json"),
        "{:?}",
        answer.headers
    );
    let body = answer.json();
    assert_eq!(body["error"], "URI too long", "{body}");
    assert!(body["detail"].as_str().unwrap().contains("POST"), "{body}");
    // A URL under the limit still reaches the endpoint, and the server is still up.
    let short = format!("ASK {{ ?s ?p \"{}\" }}", "x".repeat(20_000));
    assert_eq!(
        server
            .get(&format!("/sparql?query={}", encode(&short)))
            .status,
        200
    );
    assert_eq!(server.get("/healthz").status, 200);
}
