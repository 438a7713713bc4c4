//! `pedigree import huggingface --cards` (issue 14): real model cards (fixtures in
//! `tests/fixtures/import/cards/`, their origin in `SOURCES.md`) into records that
//! validate, link to curated records, reproduce the bundled import byte for byte, and
//! report every bad card with its file and line while importing the rest.

use std::path::Path;

use crate::util::{Tree, copy_dir, fixtures, pedigree, root, stdout};

fn cards() -> String {
    fixtures().join("import/cards").display().to_string()
}

/// Every file below `dir`, by path relative to it, with its bytes.
pub(crate) fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().display().to_string();
                out.push((relative, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Every YAML document in an import's `kind` folder (records share numbered files,
/// docs/import.md), none when there is no such folder.
pub(crate) fn documents(dir: &Path, kind: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir.join(kind)) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .flat_map(|text| text.split("\n---\n").map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

/// The document of record `id` in an import's `kind` folder, if there is one.
pub(crate) fn imported(dir: &Path, kind: &str, id: &str) -> Option<String> {
    let wanted = format!("id: {id}");
    documents(dir, kind)
        .into_iter()
        .find(|document| document.lines().any(|line| line == wanted))
}

/// The same, for a record that must be there.
pub(crate) fn record(dir: &Path, kind: &str, id: &str) -> String {
    imported(dir, kind, id).unwrap_or_else(|| panic!("no {kind} record {id} in {}", dir.display()))
}

#[test]
fn importing_the_fixture_cards_gives_the_bundled_records_byte_for_byte_twice() {
    let out = tempfile::tempdir().unwrap();
    let path = out.path().display().to_string();
    let run = || pedigree(&["import", "huggingface", "--cards", &cards(), "--out", &path]);
    let first = run();
    // Three base_model entries in the fixtures are not repo ids: reported, exit 1.
    assert_eq!(first.status.code(), Some(1), "{}", stdout(&first));
    let written = files(out.path());
    let bundled = files(&root().join("graph-data/imported/huggingface"));
    assert_eq!(
        written.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        bundled.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    assert_eq!(
        written, bundled,
        "the bundled import is what the cards give"
    );
    let second = run();
    assert!(
        stdout(&second).contains("0 new, 0 changed, 53 unchanged"),
        "{}",
        stdout(&second)
    );
    assert_eq!(files(out.path()), written, "same input, same bytes");
}

#[test]
fn the_import_validates_and_its_derivatives_hang_under_curated_bases() {
    let tree = Tree::bundled();
    let data = tree.path().display().to_string();
    let validate = pedigree(&["validate", &data]);
    assert_eq!(validate.status.code(), Some(0), "{}", stdout(&validate));
    // Warnings there may be: the compliance findings of the bundled graph (C1xx);
    // the import itself adds no problem.
    let report = stdout(&validate);
    assert!(report.contains(": 0 errors and "), "{report}");
    assert!(
        report
            .lines()
            .filter(|l| l.starts_with("warning["))
            .all(|l| l.starts_with("warning[C1")),
        "{report}"
    );
    let lineage = pedigree(&[
        "lineage",
        "gpt-oss-120b",
        "--direction",
        "down",
        "--data",
        &data,
    ]);
    let text = stdout(&lineage);
    // bartowski's GGUF states `base_model_relation: quantized` of openai/gpt-oss-120b.
    assert!(
        text.contains("quantized · reported ◀─ openai_gpt-oss-120b-GGUF"),
        "{text}"
    );
    // kevin009/lla is a PEFT adapter (inferred, third party: rumored) of the curated
    // Llama 3.1 8B Instruct, found by its Hugging Face id.
    let lineage = pedigree(&[
        "lineage",
        "llama-3.1-8b-instruct",
        "--direction",
        "down",
        "--data",
        &data,
    ]);
    let text = stdout(&lineage);
    assert!(
        text.contains("adapter · rumored ◀─ lla (hf-kevin009-lla)"),
        "{text}"
    );
    // mlabonne's card names the base by its old repo name: matched by the curated
    // record's alias under the same owner, not made a stub.
    assert!(
        text.contains("hf-mlabonne-meta-llama-3.1-8b-instruct-abliterated"),
        "{text}"
    );
    assert!(
        imported(
            &tree.path().join("imported/huggingface"),
            "models",
            "hf-meta-llama-meta-llama-3.1-8b-instruct-ha82b943f"
        )
        .is_none()
    );
}

#[test]
fn the_mapping_rules_show_in_the_records() {
    let dir = root().join("graph-data/imported/huggingface");
    let read = |kind: &str, id: &str| record(&dir, kind, id);
    // Several bases: a merge, inferred, so a third party's claim is rumored.
    let merge = read(
        "models",
        "hf-combinhorizon-rombos-qwen2.5-7b-inst-basemerge-ties",
    );
    assert_eq!(merge.matches("relation: merge").count(), 2, "{merge}");
    assert!(merge.contains("confidence: rumored") && merge.contains("several bases: merge"));
    // `license: other` + `license_name` → one LicenseRef record per name.
    let calme = read("models", "hf-maziyarpanahi-calme-2.1-qwen2-72b");
    assert!(
        calme.contains("license: hf-license-tongyi-qianwen"),
        "{calme}"
    );
    let license = read("licenses", "hf-license-tongyi-qianwen");
    assert!(
        license.contains("spdx: LicenseRef-tongyi-qianwen"),
        "{license}"
    );
    // `license_name: gemma-terms-of-use` → the curated Gemma terms; a Hub licence id
    // (`llama3.2`) → the curated Llama 3.2 licence.
    let gemma = read("models", "hf-second-state-gemma-7b-it-gguf-h185df7ab");
    assert!(gemma.contains("license: gemma-terms") && gemma.contains("relation: quantized"));
    let adapter = read("models", "hf-psinghal-content");
    assert!(
        adapter.contains("license: llama-3.2-community") && adapter.contains("relation: adapter")
    );
    // `datasets:` → training claims, to curated datasets by Hub id or to stubs.
    let zephyr_gguf = read("models", "hf-second-state-zephyr-7b-beta-gguf-h91204fef");
    assert!(
        zephyr_gguf.contains("dataset: ultrachat-200k"),
        "{zephyr_gguf}"
    );
    assert!(
        read("datasets", "hf-dataset-teknium-openhermes-2.5")
            .contains("huggingface: teknium/OpenHermes-2.5")
    );
    // The card source is pinned to the revision read, when known.
    let source = read("sources", "hf-card-kevin009-lla");
    assert!(
        source.contains("/blob/829913f5aee9a3aa6df995c7234e6d1f12de3665/README.md"),
        "{source}"
    );
    assert!(source.contains("kind: model-card"));
    // A base neither imported nor curated is a stub citing the cards that name it.
    let stub = read("models", "hf-google-gemma-7b-it");
    assert!(
        stub.contains("Stub:") && stub.contains("hf-card-second-state-gemma-7b-it-gguf-h185df7ab")
    );
}

#[test]
fn bad_cards_are_reported_with_file_and_line_and_the_rest_imported() {
    let dir = tempfile::tempdir().unwrap();
    let card = |repo: &str, text: &[u8]| {
        let path = dir.path().join(repo);
        std::fs::create_dir_all(&path).unwrap();
        std::fs::write(path.join("README.md"), text).unwrap();
    };
    card(
        "acme/good",
        b"---\nbase_model: openai/gpt-oss-20b\nlicense: apache-2.0\n---\n# Good\n",
    );
    card("acme/no-front-matter", b"# Just a title\n");
    card("acme/unclosed", b"---\nbase_model: openai/gpt-oss-20b\n");
    card(
        "acme/not-yaml",
        b"---\nbase_model: [openai/gpt-oss-20b\n---\n",
    );
    card("acme/latin1", b"---\nlicense: mit\n---\ncaf\xe9\n");
    card("acme/paths", b"---\nbase_model:\n- ./checkpoint\n- D:/models/x\n- https://huggingface.co/openai/gpt-oss-20b\n- acme/paths\n- openai/gpt-oss-20b\n---\n");
    card("acme/cycle-a", b"---\nbase_model: acme/cycle-b\n---\n");
    card("acme/cycle-b", b"---\nbase_model: acme/cycle-a\n---\n");
    card("acme/odd-licence", b"---\nlicense: not-a-licence\n---\n");
    let huge = format!(
        "---\nlicense: mit\n---\n{}",
        "x".repeat(pedigree::import::MAX_CARD_BYTES)
    );
    card("acme/huge", huge.as_bytes());
    let tree = Tree::bundled();
    let data = tree.path().display().to_string();
    let out = pedigree(&[
        "import",
        "huggingface",
        "--cards",
        &dir.path().display().to_string(),
        "--data",
        &data,
    ]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for expected in [
        "error[I001]: the card has no YAML front matter",
        "acme/no-front-matter/README.md:1:1",
        "error[I001]: the card's front matter is never closed",
        "error[I001]: the card's front matter is not YAML the importer can read",
        "error[I002]: the card is not UTF-8",
        "error[I002]: the card is",
        "error[I003]: `./checkpoint` is a local path, not a repo id",
        "acme/paths/README.md:3:3",
        "error[I003]: `D:/models/x` is a local path, not a repo id",
        "error[I003]: `https://huggingface.co/openai/gpt-oss-20b` is a URL, not a repo id",
        "error[I003]: `acme/paths` names itself as its base",
        "error[I004]: acme/cycle-a is part of a cycle",
        "error[I004]: acme/cycle-b is part of a cycle",
        "warning[I005]: the licence `not-a-licence` is not one Pedigree can name",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // The good card and the good entry of the bad one are imported, and the result,
    // cycle broken, validates.
    let models = tree.path().join("imported/huggingface");
    let good = record(&models, "models", "hf-acme-good");
    assert!(good.contains("base: gpt-oss-20b") && good.contains("license: apache-2.0"));
    let paths = record(&models, "models", "hf-acme-paths");
    assert_eq!(paths.matches("- base:").count(), 1, "{paths}");
    assert!(!record(&models, "models", "hf-acme-cycle-a").contains("base:"));
    let validate = pedigree(&["validate", &data]);
    assert_eq!(validate.status.code(), Some(0), "{}", stdout(&validate));
}

#[test]
fn curated_records_are_never_written_and_disagreements_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    // A card for the curated gpt-oss-20b naming a base the curated record does not.
    let card = dir.path().join("openai/gpt-oss-20b");
    std::fs::create_dir_all(&card).unwrap();
    std::fs::write(
        card.join("README.md"),
        "---\nbase_model: Qwen/Qwen2.5-7B\nlicense: apache-2.0\n---\n",
    )
    .unwrap();
    let tree = Tree::bundled();
    let curated = std::fs::read(tree.path().join("models/gpt-oss-20b.yaml")).unwrap();
    let data = tree.path().display().to_string();
    let out = pedigree(&[
        "import",
        "huggingface",
        "--cards",
        &dir.path().display().to_string(),
        "--data",
        &data,
        "--dry-run",
    ]);
    let text = stdout(&out);
    assert!(
        text.contains(
            "warning[I006]: the card of openai/gpt-oss-20b names the base `Qwen/Qwen2.5-7B`"
        ),
        "{text}"
    );
    assert!(text.contains("1 of curated models, linked"), "{text}");
    assert_eq!(
        std::fs::read(tree.path().join("models/gpt-oss-20b.yaml")).unwrap(),
        curated
    );
    assert!(
        !text.contains("hf-openai-gpt-oss-20b"),
        "no twin of a curated model: {text}"
    );
}

#[test]
fn a_dry_run_writes_nothing_and_says_what_would_change() {
    let tree = Tree::empty();
    copy_dir(&root().join("graph-data"), tree.path());
    std::fs::remove_dir_all(tree.path().join("imported")).unwrap();
    let data = tree.path().display().to_string();
    let out = pedigree(&[
        "import",
        "huggingface",
        "--cards",
        &cards(),
        "--data",
        &data,
        "--dry-run",
    ]);
    let text = stdout(&out);
    assert!(text.contains("would write (new)"), "{text}");
    assert!(
        text.contains("53 records (53 new, 0 changed, 0 unchanged) in 53 files (53 new, 0 changed, 0 unchanged), none written (dry run)"),
        "{text}"
    );
    assert!(!tree.path().join("imported").exists());
}

#[test]
fn a_second_import_adds_to_the_first_and_a_stub_never_replaces_an_imported_record() {
    let out = tempfile::tempdir().unwrap();
    let path = out.path().display().to_string();
    let first = pedigree(&["import", "huggingface", "--cards", &cards(), "--out", &path]);
    assert_eq!(first.status.code(), Some(1), "{}", stdout(&first));
    let full = record(
        out.path(),
        "models",
        "hf-mlabonne-meta-llama-3.1-8b-instruct-abliterated",
    );
    assert!(!full.contains("Stub:"), "{full}");
    // Another folder of cards, one of which names a model the first run imported: in
    // this run it is a base outside the import, so a stub, which must not replace the
    // record the first run wrote.
    let more = tempfile::tempdir().unwrap();
    let card = more.path().join("acme/abliterated-gguf");
    std::fs::create_dir_all(&card).unwrap();
    std::fs::write(
        card.join("README.md"),
        "---\nbase_model: mlabonne/Meta-Llama-3.1-8B-Instruct-abliterated\nbase_model_relation: quantized\nlicense: llama3.1\n---\n",
    )
    .unwrap();
    let second = pedigree(&[
        "import",
        "huggingface",
        "--cards",
        &more.path().display().to_string(),
        "--out",
        &path,
    ]);
    assert_eq!(second.status.code(), Some(0), "{}", stdout(&second));
    assert_eq!(
        record(
            out.path(),
            "models",
            "hf-mlabonne-meta-llama-3.1-8b-instruct-abliterated"
        ),
        full,
        "the fuller record of the first run is kept"
    );
    let added = record(out.path(), "models", "hf-acme-abliterated-gguf");
    assert!(
        added.contains("base: hf-mlabonne-meta-llama-3.1-8b-instruct-abliterated"),
        "{added}"
    );
    // Every record of the first run is still there, and the two runs' records
    // validate together beside the curated graph.
    let records = |dir: &Path| -> usize {
        ["models", "sources", "organizations", "licenses", "datasets"]
            .iter()
            .map(|kind| documents(dir, kind).len())
            .sum()
    };
    let bundled = records(&root().join("graph-data/imported/huggingface"));
    assert_eq!(
        records(out.path()),
        bundled + 3,
        "the new model, its card and acme"
    );
    let tree = Tree::bundled();
    std::fs::remove_dir_all(tree.path().join("imported/huggingface")).unwrap();
    copy_dir(out.path(), &tree.path().join("imported/huggingface"));
    let validate = pedigree(&["validate", &tree.path().display().to_string()]);
    assert_eq!(validate.status.code(), Some(0), "{}", stdout(&validate));
}

#[test]
fn only_an_importers_numbered_files_may_hold_one_record_under_another_name() {
    let tree = Tree::base();
    let organization = "id: acme-labs\nname: Acme Labs\n";
    // Below `imported/<source>/<kind>/`, a three-hex-digit name is the import's layout.
    tree.write("imported/huggingface/organizations/3c6.yaml", organization);
    let numbered = pedigree(&["validate", &tree.path().display().to_string()]);
    assert!(!stdout(&numbered).contains("P104"), "{}", stdout(&numbered));
    // The same file among curated records, or an imported file with another name, must
    // be named after its record.
    for path in [
        "organizations/3c6.yaml",
        "imported/huggingface/organizations/acme.yaml",
    ] {
        let tree = Tree::base();
        tree.write(path, organization);
        let named = pedigree(&["validate", &tree.path().display().to_string()]);
        assert!(
            stdout(&named).contains("error[P104]: file `"),
            "{path}: {}",
            stdout(&named)
        );
    }
}
