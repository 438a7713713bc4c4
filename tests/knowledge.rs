//! The knowledge graph: RDF mapping, deterministic export in every format, the
//! vocabulary, and the lineage index agreeing with SPARQL on every model.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Term, Triple};
use pedigree::dataset::Checked;
use pedigree::kb::KnowledgeBase;
use pedigree::lineage::Direction;
use pedigree::rdf::export::{self, ExportFormat};
use pedigree::rdf::{Iris, vocab};
use pedigree::sparql::{self, Answer, Limits};

use crate::util::{Tree, fixtures, root};

/// The bundled data's knowledge base, built once for the whole test binary.
pub fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        KnowledgeBase::load(&root().join("graph-data"), Iris::default())
            .expect("bundled data builds")
    })
}

fn exported(format: ExportFormat) -> Vec<u8> {
    let mut out = Vec::new();
    export::write(&kb().export_triples(), format, kb().iris.base(), &mut out).unwrap();
    out
}

fn parse(bytes: &[u8], format: RdfFormat) -> BTreeSet<String> {
    RdfParser::from_format(format)
        .for_slice(bytes)
        .map(|quad| Triple::from(quad.expect("export parses back")).to_string())
        .collect()
}

#[test]
fn every_export_format_round_trips_to_the_same_triples() {
    let expected: BTreeSet<String> = kb()
        .export_triples()
        .iter()
        .map(|t| t.to_string())
        .collect();
    assert!(expected.len() > 5000, "{} triples", expected.len());
    for (format, rdf_format) in [
        (ExportFormat::Turtle, RdfFormat::Turtle),
        (ExportFormat::NTriples, RdfFormat::NTriples),
        (ExportFormat::NQuads, RdfFormat::NQuads),
        (ExportFormat::RdfXml, RdfFormat::RdfXml),
        (
            ExportFormat::JsonLd,
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
        ),
    ] {
        let parsed = parse(&exported(format), rdf_format);
        assert_eq!(parsed.len(), expected.len(), "{format:?} triple count");
        let missing: Vec<_> = expected.difference(&parsed).take(3).collect();
        assert!(missing.is_empty(), "{format:?} lost {missing:?}");
    }
}

#[test]
fn exports_are_deterministic() {
    for format in [
        ExportFormat::Turtle,
        ExportFormat::NTriples,
        ExportFormat::JsonLd,
        ExportFormat::RdfXml,
    ] {
        assert_eq!(exported(format), exported(format), "{format:?}");
    }
    // A second, independent build of the same data gives the same bytes.
    let again = KnowledgeBase::load(&root().join("graph-data"), Iris::default()).unwrap();
    let mut out = Vec::new();
    export::write(
        &again.export_triples(),
        ExportFormat::Turtle,
        again.iris.base(),
        &mut out,
    )
    .unwrap();
    assert_eq!(out, exported(ExportFormat::Turtle));
}

#[test]
fn json_ld_has_a_real_context() {
    let document: serde_json::Value =
        serde_json::from_slice(&exported(ExportFormat::JsonLd)).unwrap();
    let context = &document["@context"];
    assert_eq!(context["prov"], "http://www.w3.org/ns/prov#");
    assert_eq!(context["pid"], pedigree::rdf::DEFAULT_BASE_IRI);
    let avocado = document["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|node| node["@id"] == "pid:model/avocado")
        .expect("Avocado is a node with a compact IRI");
    assert!(
        avocado["@type"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "ped:Model")
    );
    assert!(avocado["prov:wasDerivedFrom"].is_array());
}

#[test]
fn sample_triples_are_those_the_vocabulary_promises() {
    let turtle = String::from_utf8(exported(ExportFormat::NTriples)).unwrap();
    for expected in [
        "<https://pedigree.example/id/model/avocado> <http://www.w3.org/ns/prov#wasDerivedFrom> <https://pedigree.example/id/model/qwen> .",
        "<https://pedigree.example/id/model/avocado> <https://pedigree.example/ns#distilledFrom> <https://pedigree.example/id/model/qwen> .",
        "<https://pedigree.example/id/model/avocado/derivation/qwen/distillation> <https://pedigree.example/ns#confidence> <https://pedigree.example/ns#reported> .",
        "<https://pedigree.example/id/model/avocado/derivation/qwen/distillation> <http://purl.org/dc/terms/source> <https://pedigree.example/id/source/bloomberg-2025-12-10-meta-avocado> .",
        "<https://pedigree.example/id/organization/tbd-lab> <http://www.w3.org/ns/org#subOrganizationOf> <https://pedigree.example/id/organization/meta-superintelligence-labs> .",
        "<https://pedigree.example/id/license/apache-2.0> <http://www.w3.org/2002/07/owl#sameAs> <http://spdx.org/licenses/Apache-2.0> .",
        "<https://pedigree.example/id/organization/alibaba> <http://schema.org/tickerSymbol> \"XNYS BABA\" .",
    ] {
        assert!(turtle.contains(expected), "missing: {expected}");
    }
}

#[test]
fn base_iri_is_configurable() {
    let kb = KnowledgeBase::load(
        &root().join("graph-data"),
        Iris::new("http://example.org/lineage/").unwrap(),
    )
    .unwrap();
    let triples = kb.export_triples();
    let text: String = triples.iter().map(|t| t.to_string()).collect();
    assert!(text.contains("<http://example.org/lineage/model/avocado>"));
    assert!(
        !text.contains("pedigree.example/id/"),
        "no entity keeps the default base"
    );
    assert!(Iris::new("not an iri").is_err());
    assert!(Iris::new("http://example.org/no-separator").is_err());
}

#[test]
fn every_vocabulary_term_is_defined_with_label_and_comment() {
    let vocabulary = kb();
    for term in vocab::ped::ALL {
        for property in [
            "http://www.w3.org/2000/01/rdf-schema#label",
            "http://www.w3.org/2000/01/rdf-schema#comment",
        ] {
            let query = format!("ASK {{ <{}> <{property}> ?x }}", term.as_str());
            let answer = sparql::evaluate(
                &vocabulary.store,
                sparql::parse(&query).unwrap(),
                Limits::default(),
                &[],
            )
            .unwrap();
            assert_eq!(
                answer,
                Answer::Boolean(true),
                "{} lacks {property}",
                term.as_str()
            );
        }
    }
    let docs = std::fs::read_to_string(root().join("docs/vocabulary.md")).unwrap();
    for term in vocab::ped::ALL {
        let local = term.as_str().trim_start_matches(vocab::PED_NAMESPACE);
        assert!(
            docs.contains(&format!("`ped:{local}`")),
            "docs/vocabulary.md does not describe ped:{local}"
        );
    }
}

/// The `tests/fixtures/lineage-history` overlay on the base fixture: lineage claims
/// that ended (`until`) and claims repeated with the same base and relation.
fn history_kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        let tree = Tree::with_overlay(&fixtures().join("lineage-history"));
        KnowledgeBase::load(tree.path(), Iris::default()).expect("lineage fixture builds")
    })
}

/// The rows of a SELECT, each term written as in N-Triples.
fn select(kb: &KnowledgeBase, query: &str) -> Vec<Vec<String>> {
    match sparql::evaluate(
        &kb.store,
        sparql::parse(query).unwrap(),
        Limits::default(),
        &[],
    )
    .unwrap()
    {
        Answer::Solutions { rows, .. } => rows
            .into_iter()
            .map(|row| {
                row.iter()
                    .map(|term| term.as_ref().map_or(String::new(), Term::to_string))
                    .collect()
            })
            .collect(),
        other => panic!("unexpected {other:?}"),
    }
}

/// Ids reached from `model` by `prov:wasDerivedFrom+` (up) or its inverse (down).
fn sparql_reachable(kb: &KnowledgeBase, model: &str, direction: Direction) -> BTreeSet<String> {
    let path = match direction {
        Direction::Up => "prov:wasDerivedFrom+",
        _ => "^prov:wasDerivedFrom+",
    };
    let query = format!(
        "SELECT DISTINCT ?id WHERE {{ ?m dcterms:identifier \"{model}\" ; a ped:Model . ?m {path} ?x . ?x dcterms:identifier ?id }}"
    );
    match sparql::evaluate(
        &kb.store,
        sparql::parse(&query).unwrap(),
        Limits::default(),
        &[],
    )
    .unwrap()
    {
        Answer::Solutions { rows, .. } => rows
            .into_iter()
            .map(|row| match &row[0] {
                Some(Term::Literal(id)) => id.value().to_owned(),
                other => panic!("unexpected {other:?}"),
            })
            .collect(),
        other => panic!("unexpected {other:?}"),
    }
}

/// Ids the lineage index reaches from `model` with no filter.
fn index_reachable(kb: &KnowledgeBase, model: &str, direction: Direction) -> BTreeSet<String> {
    kb.lineage
        .reachable(model, direction)
        .unwrap()
        .into_iter()
        .map(|node| kb.lineage.id(&kb.dataset, node).to_owned())
        .collect()
}

/// Checks the index against `prov:wasDerivedFrom+` both ways for every model; returns
/// how many (model, direction) pairs it compared.
fn assert_index_agrees_with_sparql(kb: &KnowledgeBase) -> usize {
    let mut compared = 0;
    for model in &kb.dataset.models {
        for direction in [Direction::Up, Direction::Down] {
            assert_eq!(
                index_reachable(kb, model.id.as_str(), direction),
                sparql_reachable(kb, model.id.as_str(), direction),
                "{} {direction:?}",
                model.id.as_str()
            );
            compared += 1;
        }
    }
    compared
}

#[test]
fn lineage_index_agrees_with_sparql_for_every_model() {
    let compared = assert_index_agrees_with_sparql(kb());
    assert!(compared >= 100);
}

#[test]
fn lineage_index_agrees_with_sparql_on_ended_and_repeated_claims() {
    let kb = history_kb();
    let compared = assert_index_agrees_with_sparql(kb);
    assert_eq!(compared, 2 * kb.dataset.models.len());
    // The fixture holds what the check is for: ended claims and repeated ones.
    let edges: Vec<_> = kb.dataset.models.iter().flat_map(|m| &m.lineage).collect();
    assert!(edges.iter().any(|e| e.until.is_some()));
    assert!(edges.iter().any(|e| e.until.is_none()));
    let repeated = kb.dataset.models.iter().any(|m| {
        m.lineage.iter().enumerate().any(|(i, e)| {
            m.lineage[..i]
                .iter()
                .any(|f| f.base.value == e.base.value && f.relation.value == e.relation.value)
        })
    });
    assert!(repeated);
}

#[test]
fn lineage_history_fixture_is_valid() {
    let tree = Tree::with_overlay(&fixtures().join("lineage-history"));
    let checked = Checked::run(tree.path()).unwrap();
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
}

/// Issue 11, bug 2: two lineage claims with the same model, base and relation merged
/// into one RDF node with two confidences and both periods. Each claim now has its own
/// node; the first keeps the IRI it always had.
#[test]
fn regression_11_repeated_lineage_claims_get_their_own_nodes() {
    let rows = select(
        history_kb(),
        "SELECT ?d (COUNT(?c) AS ?confidences) (COUNT(?end) AS ?ends) WHERE {
           ?m dcterms:identifier \"acme-tiny-chat\" ; prov:qualifiedDerivation ?d .
           ?d ped:confidence ?c .
           OPTIONAL { ?d schema:endDate ?end }
         } GROUP BY ?d ORDER BY ?d",
    );
    let one = "\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>";
    let zero = "\"0\"^^<http://www.w3.org/2001/XMLSchema#integer>";
    let node = |tail: &str| {
        format!("<https://pedigree.example/id/model/acme-tiny-chat/derivation/{tail}>")
    };
    assert_eq!(
        rows,
        vec![
            vec![
                node("acme-tiny-2/finetune"),
                one.to_owned(),
                zero.to_owned()
            ],
            vec![node("acme-tiny/finetune"), one.to_owned(), one.to_owned()],
            vec![
                node("acme-tiny/finetune/2"),
                one.to_owned(),
                zero.to_owned()
            ],
        ]
    );
    // Each node keeps its own confidence: the ended claim was confirmed, the new one rumored.
    let confidence = |tail: &str| {
        select(
            history_kb(),
            &format!("SELECT ?c WHERE {{ {} ped:confidence ?c }}", node(tail)),
        )
    };
    assert_eq!(
        confidence("acme-tiny/finetune"),
        vec![vec!["<https://pedigree.example/ns#confirmed>".to_owned()]]
    );
    assert_eq!(
        confidence("acme-tiny/finetune/2"),
        vec![vec!["<https://pedigree.example/ns#rumored>".to_owned()]]
    );
}

/// Issue 11, bug 3: with no filter the index followed a lineage edge whose claim had
/// an `until`, while `prov:wasDerivedFrom` is stated only for claims without one. Now
/// no `as_of` means now (claims without `until`); `as_of` brings ended claims back
/// for the days they held.
#[test]
fn regression_11_ended_lineage_claims_are_followed_only_as_of_a_day_they_held() {
    let kb = history_kb();
    let claims_followed = |model: &str, as_of: Option<u32>| {
        let filter = pedigree::lineage::Filter {
            as_of,
            ..Default::default()
        };
        let walk = kb
            .lineage
            .walk(model, Direction::Up, &filter, Some(1))
            .unwrap();
        let mut claims: Vec<u32> = walk
            .edges
            .iter()
            .map(|&e| kb.lineage.edge_data(e).claim)
            .collect();
        claims.sort();
        claims
    };
    // Only ended claims: nothing now, and each ended claim on a day it held.
    assert!(index_reachable(kb, "acme-tiny-legacy", Direction::Up).is_empty());
    assert!(sparql_reachable(kb, "acme-tiny-legacy", Direction::Up).is_empty());
    assert_eq!(claims_followed("acme-tiny-legacy", None), Vec::<u32>::new());
    assert_eq!(claims_followed("acme-tiny-legacy", Some(20240415)), vec![0]);
    assert_eq!(claims_followed("acme-tiny-legacy", Some(20240615)), vec![1]);
    assert_eq!(
        claims_followed("acme-tiny-legacy", Some(20240815)),
        Vec::<u32>::new()
    );
    // Ended then reported again: now, the current claims; in April 2024, the ended one.
    assert_eq!(claims_followed("acme-tiny-chat", None), vec![1, 2]);
    assert_eq!(claims_followed("acme-tiny-chat", Some(20240415)), vec![0]);
    assert_eq!(
        claims_followed("acme-tiny-chat", Some(20241015)),
        vec![1, 2]
    );
    let bases: BTreeSet<String> = ["acme-tiny", "acme-tiny-2"].map(String::from).into();
    assert_eq!(index_reachable(kb, "acme-tiny-chat", Direction::Up), bases);
}

/// Issue 11: claim fields had two spellings (`licenses` in diagnostics and the API,
/// `license` in claim node IRIs); the YAML's spelling is now the only one.
#[test]
fn regression_11_claim_fields_are_spelled_as_in_the_data_files() {
    use pedigree::model::ClaimField;
    let spelled: Vec<&str> = [
        ClaimField::Record,
        ClaimField::Release,
        ClaimField::Access,
        ClaimField::Licenses,
        ClaimField::Lineage,
        ClaimField::Parents,
        ClaimField::Roles,
        ClaimField::Positions,
    ]
    .into_iter()
    .map(ClaimField::as_str)
    .collect();
    assert_eq!(
        spelled,
        [
            "record",
            "release",
            "access",
            "licenses",
            "lineage",
            "parents",
            "roles",
            "positions"
        ]
    );
    let rows = select(
        history_kb(),
        "SELECT ?n WHERE { ?n a ped:Claim . FILTER(CONTAINS(STR(?n), \"/claim/licenses/\") || CONTAINS(STR(?n), \"/claim/parents/\")) } ORDER BY ?n",
    );
    assert_eq!(
        rows,
        vec![
            vec!["<https://pedigree.example/id/model/acme-base/claim/licenses/1>".to_owned()],
            vec!["<https://pedigree.example/id/organization/acme-lab/claim/parents/1>".to_owned()],
        ]
    );
}

#[test]
fn lineage_filters_and_paths() {
    let kb = kb();
    let up = |filter: &pedigree::lineage::Filter| {
        let subgraph = kb
            .lineage
            .walk("deepseek-r1-distill-qwen-7b", Direction::Up, filter, None)
            .unwrap();
        let mut ids: Vec<String> = subgraph
            .nodes
            .iter()
            .map(|&(n, _)| kb.lineage.id(&kb.dataset, n).to_owned())
            .collect();
        ids.sort();
        ids
    };
    let all = up(&Default::default());
    assert!(
        all.contains(&"qwen2.5-7b".to_owned()) && all.contains(&"deepseek-v3-base".to_owned()),
        "{all:?}"
    );
    let finetunes_only = up(&pedigree::lineage::Filter {
        relations: vec![pedigree::model::Relation::Finetune],
        ..Default::default()
    });
    assert!(
        !finetunes_only.contains(&"deepseek-r1".to_owned()),
        "{finetunes_only:?}"
    );
    assert!(finetunes_only.contains(&"qwen2.5-math-7b".to_owned()));
    // Known on the day of the seed story: Avocado's edges were public; a day before, not.
    let avocado = |known_at: u32| {
        let filter = pedigree::lineage::Filter {
            known_at: Some(known_at),
            ..Default::default()
        };
        kb.lineage
            .walk("avocado", Direction::Up, &filter, None)
            .unwrap()
            .edges
            .len()
    };
    assert_eq!(avocado(20251210), 3);
    assert_eq!(avocado(20251209), 0);
    // Depth limits the walk.
    let shallow = kb
        .lineage
        .walk(
            "deepseek-r1-distill-qwen-7b",
            Direction::Up,
            &Default::default(),
            Some(1),
        )
        .unwrap();
    assert_eq!(shallow.nodes.len(), 3, "the model and its two direct bases");
    // Paths, and unrelated models.
    let path = kb
        .lineage
        .path(
            "deepseek-r1-distill-qwen-7b",
            "qwen2.5-7b",
            &Default::default(),
        )
        .unwrap()
        .unwrap();
    assert_eq!(path.steps.len(), 2);
    assert_eq!(
        kb.lineage
            .path("mistral-7b", "avocado", &Default::default())
            .unwrap(),
        None
    );
    assert!(
        kb.lineage
            .walk("no-such-model", Direction::Up, &Default::default(), None)
            .is_err()
    );
}

#[test]
fn build_statistics_are_reported() {
    // Figures, not assertions on speed: printed for the issue notes (`--nocapture`).
    let stats = kb().stats;
    println!(
        "records {} triples {}; load+validate {:?}, rdf+store {:?}, index {:?}",
        stats.records,
        stats.triples,
        stats.load_and_validate,
        stats.fill_store,
        stats.index_lineage
    );
    assert_eq!(
        stats.quads,
        kb().store.len(),
        "the cached count is the store's"
    );
    assert_eq!(stats.records, kb().dataset.len());
    assert_eq!(stats.models, kb().dataset.models.len());
}

/// Issue 11, bug 4: only an IRI `rdf:type` object may become `@type`; a literal or
/// blank-node object must read back as itself, not as an IRI.
#[test]
fn issue_11_json_ld_keeps_non_iri_types_as_property_values() {
    use oxigraph::model::graph::CanonicalizationAlgorithm;
    use oxigraph::model::vocab::rdf;
    use oxigraph::model::{BlankNode, Graph, Literal, NamedNode};

    let subject = NamedNode::new("https://pedigree.example/id/model/s").unwrap();
    let blank = BlankNode::new("class").unwrap();
    let mut triples = vec![
        Triple::new(
            subject.clone(),
            rdf::TYPE,
            Literal::new_simple_literal("lit"),
        ),
        Triple::new(subject.clone(), rdf::TYPE, blank.clone()),
        Triple::new(
            subject.clone(),
            rdf::TYPE,
            NamedNode::new("https://w3id.org/pedigree#Model").unwrap(),
        ),
        Triple::new(blank, rdf::TYPE, Literal::new_simple_literal("other")),
    ];
    export::canonical_order(&mut triples);
    let mut written = Vec::new();
    export::write(
        &triples,
        ExportFormat::JsonLd,
        pedigree::rdf::DEFAULT_BASE_IRI,
        &mut written,
    )
    .unwrap();
    let mut read_back: Graph = RdfParser::from_format(RdfFormat::JsonLd {
        profile: Default::default(),
    })
    .for_slice(&written)
    .map(|quad| Triple::from(quad.expect("JSON-LD parses back")))
    .collect();
    let mut expected: Graph = triples.into_iter().collect();
    read_back.canonicalize(CanonicalizationAlgorithm::Unstable);
    expected.canonicalize(CanonicalizationAlgorithm::Unstable);
    assert_eq!(read_back, expected, "{}", String::from_utf8_lossy(&written));
}

// ---------------------------------------------------------------------------------
// The domain questions the API, the pages and the CLI share (kb::search, page,
// counts, hierarchy, citations).

#[test]
fn model_search_ranks_exact_then_prefix_then_substring() {
    use pedigree::kb::search::ModelFilter;
    let ids = |text: &str| -> Vec<String> {
        kb().find_models(&ModelFilter {
            text: Some(text),
            ..ModelFilter::default()
        })
        .iter()
        .map(|m| m.id.to_string())
        .collect()
    };
    // An alias that equals the text wins, whatever the name.
    assert_eq!(ids("AVOCADO").first().map(String::as_str), Some("avocado"));
    let llama = ids("llama");
    assert_eq!(llama[0], "llama", "the exact id first: {llama:?}");
    // Every prefix match comes before the first substring-only match.
    let prefix = |id: &str| {
        let m = kb().dataset.model(id).unwrap();
        std::iter::once(m.id.as_str())
            .chain(std::iter::once(m.name.as_str()))
            .chain(m.aliases.iter().map(|a| a.as_str()))
            .any(|t| t.to_lowercase().starts_with("llama"))
    };
    let first_substring = llama.iter().position(|id| !prefix(id));
    if let Some(at) = first_substring {
        assert!(llama[at..].iter().all(|id| !prefix(id)), "{llama:?}");
    }
    assert!(ids("no such model anywhere").is_empty());
}

#[test]
fn model_filters_and_record_search_share_the_ranking() {
    use pedigree::kb::search::ModelFilter;
    use pedigree::model::Kind;
    let families = kb().find_models(&ModelFilter {
        family: Some(true),
        ..ModelFilter::default()
    });
    assert!(families.iter().all(|m| m.is_family()));
    // Without text, a list is in name order.
    let names: Vec<String> = families.iter().map(|m| m.name.to_lowercase()).collect();
    assert!(names.is_sorted(), "{names:?}");
    let meta = kb().find_models(&ModelFilter {
        organization: Some("meta"),
        ..ModelFilter::default()
    });
    assert!(meta.iter().any(|m| m.id.as_str() == "avocado"));
    let orgs = kb().find_records(Kind::Organization, Some("meta"));
    assert_eq!(kb().dataset.id(orgs[0]).as_str(), "meta");
    assert_eq!(
        kb().find_records(Kind::Person, None).len(),
        kb().dataset.people.len()
    );
}

#[test]
fn organization_chain_follows_current_parents_to_the_top() {
    let chain = kb().organization_chain("tbd-lab");
    assert_eq!(chain[0], "tbd-lab");
    assert!(chain.contains(&"meta"), "{chain:?}");
    assert!(kb().is_within("tbd-lab", "meta"));
    assert!(kb().is_within("meta", "meta"));
    assert!(!kb().is_within("meta", "tbd-lab"));
}

#[test]
fn counts_and_citations_come_from_the_knowledge_base() {
    let counts = kb().counts();
    assert_eq!(counts.models + counts.families, kb().dataset.models.len());
    assert_eq!(counts.sources, kb().dataset.sources.len());
    assert_eq!(counts.lineage_edges, kb().lineage.edge_count());
    let source = "bloomberg-2025-12-10-meta-avocado";
    assert!(!kb().citations(source).is_empty());
    assert!(
        kb().citations("avocado").is_empty(),
        "a model cites nothing"
    );
    assert!(kb().citations("nothing").is_empty());
}
