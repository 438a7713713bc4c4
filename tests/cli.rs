//! The `pedigree` binary: exit codes, output formats, colour, schema output.

use crate::util::{Tree, fixtures, pedigree, stderr, stdout};

#[test]
fn valid_data_exits_zero_with_a_summary() {
    let tree = Tree::base();
    let out = pedigree(&["validate", tree.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("0 errors and 0 warnings in 9 records from 9 files"));
}

#[test]
fn invalid_data_exits_one() {
    let tree = Tree::with_overlay(&fixtures().join("validate/p202-unknown-reference/data"));
    let out = pedigree(&["validate", tree.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("error[P202]: unknown organization `acme-labs`"),
        "{text}"
    );
    assert!(text.contains("models/acme-chat.yaml:3:12"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "NO_COLOR output must not contain escape codes"
    );
}

#[test]
fn warnings_alone_exit_zero() {
    let tree =
        Tree::with_overlay(&fixtures().join("validate/p404-secondary-press-without-cites/data"));
    let out = pedigree(&["validate", tree.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("warning[P404]"));
}

#[test]
fn missing_folder_and_bad_usage_exit_two() {
    let out = pedigree(&["validate", "/nonexistent/pedigree-data"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("pedigree: /nonexistent/pedigree-data: no such directory"));
    let out = pedigree(&["validate", "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("invalid value 'yaml'"));
    let out = pedigree(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unreadable_file_exits_two() {
    let tree = Tree::base();
    std::os::unix::fs::symlink("/nonexistent/x", tree.path().join("people/gone.yaml")).unwrap();
    let out = pedigree(&["validate", tree.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stdout(&out).contains("error[P001]"));
}

#[test]
fn json_output_is_a_clean_array_on_stdout() {
    let tree = Tree::with_overlay(&fixtures().join("validate/many-problems-at-once/data"));
    let out = pedigree(&[
        "validate",
        "--format",
        "json",
        tree.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let items = json.as_array().unwrap();
    assert!(items.len() >= 4);
    for item in items {
        for key in [
            "code", "severity", "message", "file", "line", "column", "hint",
        ] {
            assert!(item.get(key).is_some(), "missing {key} in {item}");
        }
    }
    assert!(
        stderr(&out).contains("errors and"),
        "the summary goes to stderr"
    );
}

#[test]
fn github_output_is_one_workflow_command_per_problem() {
    let tree = Tree::with_overlay(&fixtures().join("validate/many-problems-at-once/data"));
    let out = pedigree(&[
        "validate",
        "--format",
        "github",
        tree.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.lines().count() >= 4);
    assert!(
        text.lines()
            .all(|l| l.starts_with("::error file=") || l.starts_with("::warning file=")),
        "{text}"
    );
}

#[test]
fn colour_is_opt_in_off_a_terminal() {
    let tree = Tree::with_overlay(&fixtures().join("validate/p202-unknown-reference/data"));
    let path = tree.path().to_str().unwrap();
    let out = pedigree(&["validate", "--color", "always", path]);
    assert!(stdout(&out).contains('\u{1b}'), "--color always colours");
    let out = pedigree(&["validate", path]);
    assert!(
        !stdout(&out).contains('\u{1b}'),
        "auto does not colour a pipe"
    );
}

#[test]
fn schema_command_prints_and_writes_every_kind() {
    let out = pedigree(&["schema", "model"]);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        schema["title"],
        "Pedigree model record (graph-data/models/)"
    );
    assert!(schema["properties"]["lineage"].is_object());
    let dir = tempfile::tempdir().unwrap();
    let out = pedigree(&["schema", "--out-dir", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        pedigree::model::Kind::ALL.len()
    );
}

#[test]
fn query_runs_a_canned_query_in_every_results_format() {
    let out = pedigree(&[
        "query",
        "--format",
        "tsv",
        "queries/closed-models-with-open-ancestors.rq",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("\"avocado\"\t\"qwen\""),
        "{}",
        stdout(&out)
    );
    for format in ["json", "xml", "csv", "table"] {
        let out = pedigree(&["query", "--format", format, "queries/derives-from.rq"]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        assert!(stdout(&out).contains("true"), "{format}");
    }
    let out = pedigree(&["query", "--format", "turtle", "queries/lineage-graph.rq"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("ped:distilledFrom"),
        "{}",
        stdout(&out)
    );
    let out = pedigree(&["query", "--format", "table", "queries/lineage-graph.rq"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a results format for a graph answer is a usage error"
    );
}

#[test]
fn query_parameters_are_bound() {
    let out = pedigree(&[
        "query",
        "--format",
        "tsv",
        "--param",
        "model=deepseek-r1-distill-llama-8b",
        "queries/model-lineage.rq",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("\"llama-3.1-8b\""),
        "{}",
        stdout(&out)
    );
    let out = pedigree(&["query", "--param", "nope=1", "queries/model-lineage.rq"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no parameter `nope`"));
}

#[test]
fn query_syntax_errors_point_at_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.rq");
    std::fs::write(
        &file,
        "SELECT ?m WHERE {\n  ?m a ped:Model .\n  OPTIONAL ?m ped:name ?n .\n}\n",
    )
    .unwrap();
    let out = pedigree(&["query", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(text.contains("error[Q001]: SPARQL syntax error"), "{text}");
    assert!(text.contains("bad.rq:3:12"), "{text}");
    assert!(text.contains("3 │   OPTIONAL ?m ped:name ?n ."), "{text}");
    assert!(text.contains("expected \"{\""), "{text}");
}

#[test]
fn query_refuses_updates() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("update.rq");
    std::fs::write(&file, "DELETE WHERE { ?s ?p ?o }").unwrap();
    let out = pedigree(&["query", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
}

#[test]
fn export_writes_the_same_bytes_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.nq"), dir.path().join("b.nq"));
    for path in [&a, &b] {
        let out = pedigree(&["export", "--format", "nquads", "-o", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let first = std::fs::read(&a).unwrap();
    assert!(first.len() > 100_000);
    assert_eq!(first, std::fs::read(&b).unwrap());
    let out = pedigree(&["export", "--format", "jsonld"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["@context"].is_object() && json["@graph"].is_array());
}

#[test]
fn lineage_in_every_format() {
    let out = pedigree(&["lineage", "avocado", "--direction", "up"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("distillation · reported ─▶ Qwen (qwen)"),
        "{}",
        stdout(&out)
    );
    let out = pedigree(&["lineage", "avocado", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let qwen = json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["base"] == "qwen")
        .unwrap();
    assert_eq!(qwen["confidence"], "reported");
    assert!(
        qwen["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["publisher"] == "Bloomberg")
    );
    let out = pedigree(&["lineage", "avocado", "--format", "dot"]);
    assert!(stdout(&out).starts_with("digraph lineage {") && stdout(&out).contains("style=dashed"));
    let out = pedigree(&[
        "lineage",
        "qwen2.5-7b",
        "--direction",
        "down",
        "--relation",
        "finetune",
        "--format",
        "mermaid",
    ]);
    assert!(stdout(&out).starts_with("flowchart TB"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("continued_pretraining"));
    let out = pedigree(&["lineage", "avocad"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `avocado`?"));
}

#[test]
fn path_between_models() {
    let out = pedigree(&["path", "deepseek-r1-distill-qwen-7b", "qwen2.5-7b"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("2 steps"), "{}", stdout(&out));
    let out = pedigree(&["path", "mistral-7b", "avocado"]);
    assert!(stdout(&out).contains("not related"));
}

#[test]
fn commands_refuse_invalid_data_with_its_diagnostics() {
    let tree = Tree::with_overlay(&fixtures().join("validate/p202-unknown-reference/data"));
    let out = pedigree(&[
        "lineage",
        "acme-chat",
        "--data",
        tree.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[P202]"), "{}", stderr(&out));
}

#[test]
fn a_reader_that_stops_early_ends_the_export_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_pedigree"))
        .args(["export", "--format", "ntriples"])
        .current_dir(crate::util::root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line's worth, then hang up, as `pedigree export | head -1` does.
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

/// Issue 11, bug 8: `pedigree lineage --as-of` takes the API's date grammar, so a
/// date before 1900 is a question, not a usage error.
#[test]
fn issue_11_lineage_as_of_takes_the_api_date_grammar() {
    let output = pedigree(&["lineage", "avocado", "--as-of", "1850-01-01"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = pedigree(&["lineage", "avocado", "--as-of", "spring"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}
