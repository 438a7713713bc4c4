//! Canned queries: every `queries/*.rq` parses, documents itself, and returns exactly
//! the answer checked in beside it (`.tsv` for SELECT, `.srj` for ASK, `.nt` for
//! CONSTRUCT). A query that stops matching the data fails the build; after a
//! deliberate data change, `UPDATE_EXPECT=1 cargo test` rewrites the answers.

use pedigree::queries;
use pedigree::sparql::{self, Answer, Limits, SolutionsFormat};

use crate::knowledge::kb;
use crate::util::{assert_snapshot, root};

fn answer_text(answer: &Answer) -> (String, &'static str) {
    let mut out = Vec::new();
    let extension = match answer {
        Answer::Solutions { .. } => {
            sparql::write_solutions(answer, SolutionsFormat::Tsv, &mut out).unwrap();
            "tsv"
        }
        Answer::Boolean(_) => {
            sparql::write_solutions(answer, SolutionsFormat::Json, &mut out).unwrap();
            out.push(b'\n');
            "srj"
        }
        Answer::Graph(triples) => {
            let mut sorted = triples.clone();
            pedigree::rdf::export::canonical_order(&mut sorted);
            sparql::write_ntriples(&sorted, &mut out).unwrap();
            "nt"
        }
    };
    (String::from_utf8(out).unwrap(), extension)
}

#[test]
fn every_canned_query_matches_its_expected_answer() {
    let catalogue =
        queries::load_dir(&root().join("queries")).expect("every query has a valid header");
    assert!(catalogue.len() >= 12, "{} canned queries", catalogue.len());
    let mut failures = Vec::new();
    for query in &catalogue {
        let parsed = match sparql::parse(&query.text) {
            Ok(parsed) => parsed,
            Err(error) => {
                failures.push(format!("{}: {error}", query.name));
                continue;
            }
        };
        let answer = sparql::evaluate(&kb().store, parsed, Limits::default(), &[]).unwrap();
        if let Answer::Solutions { rows, .. } = &answer {
            if rows.is_empty() {
                failures.push(format!(
                    "{}: returns no rows on the bundled data",
                    query.name
                ));
            }
            if !query.text.contains("ORDER BY") {
                failures.push(format!(
                    "{}: a SELECT needs ORDER BY for a stable answer",
                    query.name
                ));
            }
        }
        let (text, extension) = answer_text(&answer);
        let path = root()
            .join("queries")
            .join(format!("{}.{extension}", query.name));
        if let Err(panic) = std::panic::catch_unwind(|| assert_snapshot(&path, &text)) {
            let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
            failures.push(format!("{}: {message}", query.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn parameters_change_the_answer() {
    let catalogue = queries::load_dir(&root().join("queries")).unwrap();
    let lineage = catalogue
        .iter()
        .find(|q| q.name == "model-lineage")
        .unwrap();
    assert_eq!(lineage.params[0].name, "model");
    let run = |model: &str| {
        let text =
            sparql::bind_parameters(&lineage.text, &[("model".to_owned(), model.to_owned())])
                .unwrap();
        match sparql::evaluate(
            &kb().store,
            sparql::parse(&text).unwrap(),
            Limits::default(),
            &[],
        )
        .unwrap()
        {
            Answer::Solutions { rows, .. } => rows,
            other => panic!("{other:?}"),
        }
    };
    let avocado = run("avocado");
    let distill = run("deepseek-r1-distill-qwen-7b");
    assert!(!avocado.is_empty() && !distill.is_empty());
    assert_ne!(avocado, distill);
    let text = format!("{distill:?}");
    assert!(
        text.contains("qwen2.5-math-7b") && text.contains("deepseek-v3-base"),
        "{text}"
    );
    // A value cannot break out of its literal, and unknown parameters are refused.
    let hostile = sparql::bind_parameters(
        &lineage.text,
        &[("model".to_owned(), "x\" } ?s ?p ?o { \"".to_owned())],
    )
    .unwrap();
    assert!(sparql::parse(&hostile).is_ok());
    assert!(
        sparql::bind_parameters(&lineage.text, &[("nope".to_owned(), "x".to_owned())]).is_err()
    );
    // Issue 11 bug 1: values are spliced once, never searched again, and a
    // parameter given twice is refused.
    let twice = [
        ("model".to_owned(), "VALUES ?model { UNDEF }".to_owned()),
        ("model".to_owned(), "UNDEF } #".to_owned()),
    ];
    assert!(matches!(
        sparql::bind_parameters(&lineage.text, &twice),
        Err(sparql::QueryError::BadParameter(message)) if message.contains("more than once")
    ));
    let derives = catalogue.iter().find(|q| q.name == "derives-from").unwrap();
    let spelled = [
        ("model".to_owned(), "VALUES ?base { UNDEF }".to_owned()),
        ("base".to_owned(), "UNDEF } #".to_owned()),
    ];
    let bound = sparql::bind_parameters(&derives.text, &spelled).unwrap();
    assert!(
        bound.contains(r#"VALUES ?model { "VALUES ?base { UNDEF }" }"#),
        "{bound}"
    );
    assert!(bound.contains(r#"VALUES ?base { "UNDEF } #" }"#), "{bound}");
    assert!(matches!(
        sparql::evaluate(
            &kb().store,
            sparql::parse(&bound).unwrap(),
            Limits::default(),
            &[]
        ),
        Ok(Answer::Boolean(false))
    ));
}

#[test]
fn the_seed_story_question_has_the_seed_story_answer() {
    let text =
        std::fs::read_to_string(root().join("queries/closed-models-with-open-ancestors.tsv"))
            .unwrap();
    let avocado_qwen = text
        .lines()
        .any(|line| line.starts_with("\"avocado\"\t\"qwen\"") && line.contains("\"reported\""));
    assert!(
        avocado_qwen,
        "Avocado, closed, reportedly derives from open-weight Qwen:\n{text}"
    );
}
