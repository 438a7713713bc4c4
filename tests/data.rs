//! The bundled `graph-data/`: valid, complete enough to be worth querying, holding
//! the seed story, and pointing editors at schemas that are up to date.

use pedigree::dataset::{Checked, Dataset};
use pedigree::diagnostics;
use pedigree::model::{AccessLevel, Claim, Confidence, Kind, Relation, ReleaseStatus};

use crate::util::{assert_snapshot, root};

pub(crate) fn bundled() -> Dataset {
    let checked = Checked::run(&root().join("graph-data")).unwrap();
    let report = diagnostics::render_human(&checked.diagnostics, checked.files(), false);
    assert!(
        checked.diagnostics.is_empty(),
        "graph-data/ must validate cleanly:\n{report}"
    );
    checked.into_dataset().unwrap()
}

#[test]
fn bundled_data_is_valid_and_large_enough() {
    let data = bundled();
    let concrete = data.models.iter().filter(|m| !m.is_family()).count();
    assert!(concrete >= 40, "{concrete} models");
    assert!(
        data.organizations.len() >= 10,
        "{} organizations",
        data.organizations.len()
    );
    assert!(data.people.len() >= 5, "{} people", data.people.len());
    assert!(data.sources.len() >= 15, "{} sources", data.sources.len());
    assert!(data.licenses.len() >= 8, "{} licenses", data.licenses.len());
}

#[test]
fn bundled_data_holds_the_seed_story() {
    let data = bundled();
    for id in [
        "meta",
        "alibaba",
        "google",
        "openai",
        "meta-superintelligence-labs",
        "tbd-lab",
        "mark-zuckerberg",
        "alexandr-wang",
        "avocado",
        "llama-4-scout",
        "llama-4-maverick",
        "llama-4-behemoth",
        "qwen",
        "llama-4-community",
    ] {
        assert!(data.get(id).is_some(), "missing {id}");
    }
    // TBD Lab within Meta Superintelligence Labs within Meta.
    let tbd = data.organization("tbd-lab").unwrap();
    assert!(
        tbd.parents
            .iter()
            .any(|p| p.organization.as_str() == "meta-superintelligence-labs")
    );
    let msl = data.organization("meta-superintelligence-labs").unwrap();
    assert!(
        msl.parents
            .iter()
            .any(|p| p.organization.as_str() == "meta")
    );

    let avocado = data.model("avocado").unwrap();
    let qwen_edge = avocado
        .lineage
        .iter()
        .find(|e| e.base.as_str() == "qwen")
        .expect("Avocado's reported lineage to Qwen");
    assert_eq!(
        qwen_edge.confidence.as_ref().unwrap().value,
        Confidence::Reported
    );
    assert_eq!(qwen_edge.relation.value, Relation::Distillation);
    let cites_bloomberg = qwen_edge.source_ids().iter().any(|id| {
        data.source(id.as_str())
            .is_some_and(|s| s.publisher.as_str() == "Bloomberg")
    });
    assert!(cites_bloomberg, "the Qwen edge cites the Bloomberg report");
    assert!(
        avocado
            .access
            .iter()
            .any(|a| a.level.value == AccessLevel::Closed)
    );

    let scout = data.model("llama-4-scout").unwrap();
    let open = scout
        .access
        .iter()
        .find(|a| a.level.value == AccessLevel::OpenWeights)
        .unwrap();
    assert_eq!(
        open.confidence.as_ref().unwrap().value,
        Confidence::Confirmed
    );
    assert!(
        scout
            .licenses
            .iter()
            .any(|l| l.license.as_str() == "llama-4-community")
    );
    let behemoth = data.model("llama-4-behemoth").unwrap();
    assert_eq!(
        behemoth.release.as_ref().unwrap().status.value,
        ReleaseStatus::Announced
    );

    // The German item relays Bloomberg.
    let relays_bloomberg = data.sources.iter().any(|s| {
        s.language.as_str() == "de"
            && s.cites.iter().any(|c| {
                data.source(c.as_str())
                    .is_some_and(|b| b.publisher.as_str() == "Bloomberg")
            })
    });
    assert!(relays_bloomberg);
}

#[test]
fn deepseek_distills_have_a_base_and_r1_samples() {
    let data = bundled();
    for (id, base) in [
        ("deepseek-r1-distill-qwen-1.5b", "qwen2.5-math-1.5b"),
        ("deepseek-r1-distill-qwen-7b", "qwen2.5-math-7b"),
        ("deepseek-r1-distill-qwen-14b", "qwen2.5-14b"),
        ("deepseek-r1-distill-qwen-32b", "qwen2.5-32b"),
        ("deepseek-r1-distill-llama-8b", "llama-3.1-8b"),
        ("deepseek-r1-distill-llama-70b", "llama-3.3-70b-instruct"),
    ] {
        let model = data.model(id).unwrap_or_else(|| panic!("missing {id}"));
        let has = |base: &str, relation| {
            model
                .lineage
                .iter()
                .any(|e| e.base.as_str() == base && e.relation.value == relation)
        };
        assert!(has(base, Relation::Finetune), "{id} finetune of {base}");
        // Trained on the samples DeepSeek-R1 generated: R1 is an ancestor through
        // the dataset, not through a direct `trained_on_outputs` edge.
        assert!(
            model
                .trained_on
                .iter()
                .any(|t| t.dataset.as_str() == "deepseek-r1-sft-800k"),
            "{id} trained on R1's samples"
        );
        assert!(!has("deepseek-r1", Relation::TrainedOnOutputs), "{id}");
    }
    let samples = data.training_data("deepseek-r1-sft-800k").unwrap();
    assert!(
        samples
            .generated_by
            .iter()
            .any(|g| g.model.as_str() == "deepseek-r1")
    );
}

#[test]
fn every_data_file_points_editors_at_its_schema() {
    let dir = root().join("graph-data");
    for kind in Kind::ALL {
        let folder = dir.join(kind.folder());
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let expected = format!(
                "# yaml-language-server: $schema=../../docs/schema/{}",
                pedigree::schema::file_name(kind)
            );
            assert_eq!(
                text.lines().next(),
                Some(expected.as_str()),
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn shipped_schemas_are_up_to_date() {
    for kind in Kind::ALL {
        let path = root()
            .join("docs/schema")
            .join(pedigree::schema::file_name(kind));
        assert_snapshot(&path, &pedigree::schema::render(kind));
    }
}

#[test]
fn diagnostics_page_lists_every_code() {
    let page = std::fs::read_to_string(root().join("docs/diagnostics.md")).unwrap();
    for code in pedigree::diagnostics::Code::ALL {
        let row = format!("| `{}` | `{}` |", code.as_str(), code.name());
        assert!(page.contains(&row), "docs/diagnostics.md lacks {row}");
    }
}

/// The worked example in `docs/data-model.md` must stay true: its two files validate
/// against the bundled data, and the misspelling it shows gives the error it shows.
#[test]
fn how_to_add_a_model_example_works() {
    let page = std::fs::read_to_string(root().join("docs/data-model.md")).unwrap();
    let section = &page[page.find("## How to add a model").unwrap()..];
    let blocks: Vec<String> = section
        .split("```yaml")
        .skip(1)
        .map(|b| {
            b[..b.find("```").unwrap()]
                .lines()
                .map(|l| l.strip_prefix("   ").unwrap_or(l))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    assert_eq!(blocks.len(), 2, "a source and a model");
    let tree = crate::util::Tree::bundled();
    tree.write(
        "sources/mistral-2026-12-01-blog.yaml",
        blocks[0].trim_start(),
    );
    tree.write("models/mistral-qwen3-8b.yaml", blocks[1].trim_start());
    let checked = Checked::run(tree.path()).unwrap();
    let report = diagnostics::render_human(&checked.diagnostics, checked.files(), false);
    assert!(checked.diagnostics.is_empty(), "{report}");

    tree.write(
        "models/mistral-qwen3-8b.yaml",
        blocks[1]
            .trim_start()
            .replace("base: qwen3-8b", "base: qwen3-8"),
    );
    let checked = Checked::run(tree.path()).unwrap();
    let report = tree.scrub(&diagnostics::render_human(
        &checked.diagnostics,
        checked.files(),
        false,
    ));
    let shown = section[section.find("```text").unwrap() + 7..]
        .split("```")
        .next()
        .unwrap();
    let shown: String = shown
        .lines()
        .map(|l| l.strip_prefix("   ").unwrap_or(l).trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    let actual: String = report
        .replace("data/", "graph-data/")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        actual.contains(shown.trim()),
        "docs show:\n{shown}\nvalidator says:\n{actual}"
    );
}
