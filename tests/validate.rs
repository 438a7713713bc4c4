//! Validation fixtures: each folder in `tests/fixtures/validate/` overlays the valid
//! base tree with files that break one rule, and `expected.txt` beside it holds the
//! human-readable report. One test walks every case, so adding a case is adding a
//! folder.

use pedigree::dataset::Checked;
use pedigree::diagnostics::{self, Code};

use crate::util::{Tree, assert_snapshot, fixtures};

/// Runs the validator on `tree` and renders the report as `pedigree validate` does
/// (without colour and without the timing in the summary line).
fn report(tree: &Tree) -> (Checked, String) {
    let checked = Checked::run(tree.path()).unwrap();
    let mut text = diagnostics::render_human(&checked.diagnostics, checked.files(), false);
    text.push_str(&format!("{}\n", checked.tally()));
    let text = tree.scrub(&text);
    (checked, text)
}

#[test]
fn base_fixture_is_valid() {
    let (checked, text) = report(&Tree::base());
    assert!(checked.diagnostics.is_empty(), "{text}");
    assert_eq!(checked.record_count(), 9);
}

#[test]
fn every_case_matches_its_expected_report() {
    let cases = fixtures().join("validate");
    let mut names: Vec<_> = std::fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(
        names.len() >= 30,
        "expected the full set of cases, found {}",
        names.len()
    );
    let mut failures = Vec::new();
    for name in &names {
        let case = cases.join(name);
        let tree = Tree::with_overlay(&case.join("data"));
        let (checked, text) = report(&tree);
        // A case named after a code must report that code, so a snapshot cannot be
        // accepted that lost the diagnostic it exists for.
        if let Some(code) = name.split('-').next().filter(|c| c.starts_with('p')) {
            let code = code.to_uppercase();
            if !checked.diagnostics.iter().any(|d| d.code.as_str() == code) {
                failures.push(format!("{name}: no {code} reported:\n{text}"));
            }
        }
        if name.starts_with("valid-") && !checked.diagnostics.is_empty() {
            failures.push(format!("{name}: expected no diagnostics:\n{text}"));
        }
        let result =
            std::panic::catch_unwind(|| assert_snapshot(&case.join("expected.txt"), &text));
        if let Err(panic) = result {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "snapshot mismatch".into());
            failures.push(format!("{name}: {message}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_code_has_a_fixture_or_a_dedicated_test() {
    // P001 (unreadable) and P002 (too large) are built at test time below rather than
    // committed: a dangling link and an 8 MiB file.
    // Q001 is about queries, not data: tests/cli.rs covers it.
    // P013 to P016 need symbolic links, a FIFO or 100,000 entries, which the fixture
    // overlay (a copy by content) and git cannot hold: tests/hostile_data.rs builds
    // them at run time.
    let covered_elsewhere = [
        Code::UnreadableFile,
        Code::FileTooLarge,
        Code::SparqlSyntax,
        Code::OutsideDataFolder,
        Code::NotARegularFile,
        Code::LinkedFolder,
        Code::TooManyEntries,
        // The importer's codes are about model cards, not data: tests/import.rs
        // reports each from a card that breaks it.
        Code::CardFrontMatter,
        Code::CardUnreadable,
        Code::CardBaseModel,
        Code::CardCycle,
        Code::CardLicense,
        Code::ImportConflict,
        // The Hub API path's codes are about answers of the network: tests/import_hub.rs
        // replays a repo that disappears mid-walk (I007) and answers that fail (I008).
        Code::HubRepoGone,
        Code::HubRequestFailed,
        // Compliance findings are computed over valid data with its lineage (not by
        // the validator's passes): tests/obligations.rs builds a graph for each.
        Code::LicenseDrift,
        Code::NamingRequirementUnmet,
        Code::RestrictedUseContradicted,
        Code::OutputsClause,
    ];
    let cases: Vec<String> = std::fs::read_dir(fixtures().join("validate"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    for code in Code::ALL {
        let prefix = format!("{}-", code.as_str().to_lowercase());
        assert!(
            covered_elsewhere.contains(code) || cases.iter().any(|c| c.starts_with(&prefix)),
            "no fixture for {code} ({})",
            code.name()
        );
    }
}

#[test]
fn unreadable_file_is_reported_and_the_rest_still_checked() {
    let tree = Tree::base();
    std::os::unix::fs::symlink(
        "/nonexistent/pedigree-test",
        tree.path().join("models/dangling.yaml"),
    )
    .unwrap();
    tree.write(
        "models/bad-id.yaml",
        "id: Bad\nname: B\ndeveloper: acme\nsources: [acme-blog]\nconfidence: confirmed\n",
    );
    let (checked, text) = report(&tree);
    assert!(checked.had_io_failure(), "{text}");
    let codes: Vec<Code> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&Code::UnreadableFile), "{text}");
    assert!(
        codes.contains(&Code::InvalidId),
        "other files must still be checked:\n{text}"
    );
}

#[test]
fn huge_file_is_refused_with_bounded_memory() {
    let tree = Tree::base();
    let line = "# padding padding padding padding padding padding padding padding\n";
    let huge = line.repeat(pedigree::load::MAX_FILE_BYTES / line.len() + 1);
    tree.write("models/huge.yaml", huge);
    let (checked, text) = report(&tree);
    let diagnostic = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::FileTooLarge);
    assert!(diagnostic.is_some(), "{text}");
    assert!(text.contains("file is larger than 8 MiB"), "{text}");
}

#[test]
fn alias_bomb_fails_fast() {
    let case = fixtures().join("validate/p012-alias-bomb/data");
    let tree = Tree::with_overlay(&case);
    let started = std::time::Instant::now();
    let (checked, text) = report(&tree);
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.code == Code::ResourceLimit),
        "{text}"
    );
    // Not a timing assertion on performance: a billion-element expansion would take
    // minutes and gigabytes, so finishing at all within this generous bound shows the
    // budget cut it off.
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn ids_of_broken_files_still_resolve() {
    // `broken.yaml` fails to parse, yet `bob`'s role pointing at `broken` must not be
    // reported as an unknown reference on top of the syntax error.
    let tree = Tree::with_overlay(&fixtures().join("validate/many-problems-at-once/data"));
    let (checked, text) = report(&tree);
    assert!(
        !checked
            .diagnostics
            .iter()
            .any(|d| d.code == Code::UnknownReference && d.message.contains("`broken`")),
        "{text}"
    );
    assert!(checked.tally().errors >= 4, "{text}");
}

#[test]
fn output_formats_carry_file_line_and_column() {
    let tree = Tree::with_overlay(&fixtures().join("validate/p202-unknown-reference/data"));
    let checked = Checked::run(tree.path()).unwrap();
    let json: serde_json::Value = serde_json::from_str(&diagnostics::render_json(
        &checked.diagnostics,
        checked.files(),
    ))
    .unwrap();
    let first = &json[0];
    assert_eq!(first["code"], "P202");
    assert_eq!(first["name"], "unknown-reference");
    assert_eq!(first["severity"], "error");
    assert!(
        first["file"]
            .as_str()
            .unwrap()
            .ends_with("models/acme-chat.yaml")
    );
    assert_eq!(first["line"], 3);
    assert_eq!(first["column"], 12);
    assert_eq!(first["hint"], "did you mean `acme-lab`?");
    let github = diagnostics::render_github(&checked.diagnostics, checked.files());
    let first_line = tree.scrub(github.lines().next().unwrap());
    assert_eq!(
        first_line,
        "::error file=data/models/acme-chat.yaml,line=3,col=12,endLine=3,endColumn=20,title=P202 unknown-reference::unknown organization `acme-labs` (hint: did you mean `acme-lab`?)"
    );
}
