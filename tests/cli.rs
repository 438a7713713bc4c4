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
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 5);
}
