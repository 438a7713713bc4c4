//! The model page answering first (issue 16): the summary's counts by relation against
//! the data, their links to the list routes, the family roll-up, the licence terms,
//! and the lineage controls telling the truth (as_of, min_confidence, "hidden by",
//! unknown parameters).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use pedigree::kb::KnowledgeBase;
use pedigree::lineage::{Direction, Filter};
use pedigree::model::{ModelKind, Relation};
use pedigree::rdf::Iris;
use pedigree::server::{AppState, Config, router};

use crate::server::{Answer, call};
use crate::util::{Tree, fixtures, pedigree, root, stdout};

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| KnowledgeBase::load(&root().join("graph-data"), Iris::default()).unwrap())
}

async fn get(uri: &str) -> Answer {
    call("GET", uri, &[], b"").await
}

async fn page(uri: &str) -> String {
    let answer = get(uri).await;
    assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
    answer.text()
}

/// Counts by relation word.
type Counts = BTreeMap<String, usize>;

/// The direct lineage claims of `ids`, ended ones too, by relation, read from the
/// records themselves rather than from the lineage index: bases from their own claims,
/// derivatives from every model's claims naming them.
fn expected_counts(ids: &[&str]) -> (Counts, Counts) {
    let dataset = &kb().dataset;
    let mut bases = Counts::new();
    let mut derivatives = Counts::new();
    // Every claim the lineage index holds, as (derived, base, relation): a model's
    // lineage and training data, a dataset's generators and sources.
    let mut claims: Vec<(&str, &str, Relation)> = Vec::new();
    for model in &dataset.models {
        let id = model.id.as_str();
        claims.extend(
            model
                .lineage
                .iter()
                .map(|c| (id, c.base.as_str(), c.relation.value)),
        );
        claims.extend(
            model
                .trained_on
                .iter()
                .map(|c| (id, c.dataset.as_str(), Relation::TrainedOn)),
        );
    }
    for data in &dataset.datasets {
        let id = data.id.as_str();
        claims.extend(
            data.generated_by
                .iter()
                .map(|c| (id, c.model.as_str(), Relation::GeneratedBy)),
        );
        claims.extend(
            data.derived_from
                .iter()
                .map(|c| (id, c.dataset.as_str(), Relation::DerivedFrom)),
        );
    }
    for (derived, base, relation) in claims {
        if dataset.get(base).is_none() {
            continue;
        }
        let relation = relation.as_str().to_owned();
        if ids.contains(&derived) {
            *bases.entry(relation.clone()).or_default() += 1;
        }
        if ids.contains(&base) {
            *derivatives.entry(relation).or_default() += 1;
        }
    }
    (bases, derivatives)
}

/// One side's counts as the summary shows them (the `nth` such block on the page: 0 is
/// the model's own, 1 a family's roll-up), with each count's link if it has one.
fn shown_counts(html: &str, side: &str, nth: usize) -> BTreeMap<String, (usize, Option<String>)> {
    let marker = format!("<div class=\"counts {side}\">");
    let block = html
        .split(&marker)
        .nth(nth + 1)
        .unwrap_or_else(|| panic!("no {side} block {nth}"));
    let block = &block[..block.find("</div>").expect("the block ends")];
    block
        .split("<li data-relation=\"")
        .skip(1)
        .map(|item| {
            let (relation, rest) = item.split_once("\">").unwrap();
            let (href, text) = match rest.strip_prefix("<a href=\"") {
                Some(linked) => {
                    let (href, text) = linked.split_once("\">").unwrap();
                    (Some(href.replace("&amp;", "&")), text)
                }
                None => (None, rest),
            };
            let number: String = text
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ',')
                .filter(|c| *c != ',')
                .collect();
            (relation.to_owned(), (number.parse().unwrap(), href))
        })
        .collect()
}

fn numbers(shown: &BTreeMap<String, (usize, Option<String>)>) -> Counts {
    shown.iter().map(|(r, (n, _))| (r.clone(), *n)).collect()
}

/// The picture and the table of the edges drawn: what the lineage controls change
/// (the page's other tables list every claim, whatever the controls say).
fn drawn(html: &str) -> &str {
    let start = html.find("<figure").expect("a picture");
    let end = html[start..].find("<h2>Claims").expect("the claims follow") + start;
    &html[start..end]
}

#[tokio::test]
async fn summary_counts_are_the_direct_edges_by_relation() {
    for id in [
        "llama-3.1-8b",
        "llama-3.1-8b-instruct",
        "deepseek-r1",
        "deepseek-r1-distill-llama-8b",
        "qwen2.5-7b",
        "avocado",
        "llama-3.2-1b",
    ] {
        let html = page(&format!("/models/{id}")).await;
        let (bases, derivatives) = expected_counts(&[id]);
        assert!(
            !bases.is_empty() || !derivatives.is_empty(),
            "{id} has lineage to count"
        );
        assert_eq!(
            numbers(&shown_counts(&html, "bases", 0)),
            bases,
            "{id} bases"
        );
        assert_eq!(
            numbers(&shown_counts(&html, "derivatives", 0)),
            derivatives,
            "{id} derivatives"
        );
    }
}

/// The counts are of every claim, ended ones too, as the lists they open count them.
#[tokio::test]
async fn summary_counts_include_ended_claims() {
    let html = history_page("/models/acme-tiny-chat").await;
    let bases = shown_counts(&html, "bases", 0);
    assert_eq!(bases["finetune"].0, 3, "{bases:?}");
    assert!(
        html.contains(
            "3 fine-tune</a> · <span class=\"muted\">1 confirmed, 1 reported, 1 rumored</span>"
        ),
        "{html}"
    );
}

#[tokio::test]
async fn summary_counts_link_to_the_filtered_lists() {
    let html = page("/models/llama-3.1-8b").await;
    let derivatives = shown_counts(&html, "derivatives", 0);
    assert!(derivatives.contains_key("distillation"), "{derivatives:?}");
    assert!(derivatives.contains_key("finetune"), "{derivatives:?}");
    for (relation, (_, href)) in &derivatives {
        assert_eq!(
            href.as_deref(),
            Some(format!("/models/llama-3.1-8b/derivatives?relation={relation}").as_str())
        );
    }
    let html = page("/models/deepseek-r1-distill-llama-8b").await;
    let bases = shown_counts(&html, "bases", 0);
    assert_eq!(
        bases["trained_on"].1.as_deref(),
        Some("/models/deepseek-r1-distill-llama-8b/bases?relation=trained_on")
    );
    assert_eq!(
        bases["finetune"].1.as_deref(),
        Some("/models/deepseek-r1-distill-llama-8b/bases?relation=finetune")
    );
    // Each count is split by confidence.
    assert!(
        html.contains("1 fine-tune</a> · <span class=\"muted\">1 confirmed</span>"),
        "{html}"
    );
}

#[tokio::test]
async fn summary_states_access_licence_developer_release_and_parameters() {
    let html = page("/models/llama-3.1-8b").await;
    let summary = &html[html.find("<section class=\"summary\"").unwrap()..];
    for needle in [
        "open-weights since 2024-07-23",
        "href=\"/licenses/llama-3.1-community\"",
        "href=\"/organizations/meta\"",
        "<dt>Owner</dt>",
        "<dd>2024-07-23</dd>",
        "<dd>8 billion</dd>",
    ] {
        assert!(summary.contains(needle), "{needle}");
    }
}

/// The owner is the top of the developer's organisation chain, as the API's
/// `organizations` list ends.
#[tokio::test]
async fn summary_names_the_owner_at_the_top_of_the_chain() {
    let detail = get("/api/models/gemma-2-9b").await.json();
    let chain = detail["organizations"].as_array().unwrap();
    assert!(chain.len() > 1, "{chain:?}");
    let developer = chain.first().unwrap()["id"].as_str().unwrap();
    let owner = chain.last().unwrap()["id"].as_str().unwrap();
    assert_ne!(developer, owner);
    let html = page("/models/gemma-2-9b").await;
    let summary = &html[html.find("<section class=\"summary\"").unwrap()..];
    let summary = &summary[..summary.find("</dl>").unwrap()];
    let row = |label: &str| {
        let start = summary.find(&format!("<dt>{label}</dt>")).unwrap();
        let rest = &summary[start..];
        rest[..rest.find("</dd>").unwrap()].to_owned()
    };
    assert!(row("Developer").contains(&format!("/organizations/{developer}\"")));
    assert!(row("Owner").contains(&format!("/organizations/{owner}\"")));
}

#[tokio::test]
async fn obligations_section_quotes_the_clauses_that_reach_the_model() {
    let html = page("/models/deepseek-r1-distill-llama-8b").await;
    let section = &html[html
        .find("<section class=\"obligations\"")
        .expect("the section")..];
    let section = &section[..section.find("</section>").unwrap()];
    // Every clause the walk says binds the model is on the page, linked to its
    // anchor on the licence page, with the three groups a reader expects.
    let view = kb().obligations().view(
        kb().dataset
            .models
            .iter()
            .position(|m| m.id.as_str() == "deepseek-r1-distill-llama-8b")
            .unwrap(),
    );
    assert!(view.obligations.len() >= 5, "{view:?}");
    for o in &view.obligations {
        let anchor = format!("/licenses/{}#clause-{}", o.license.id, o.clause.number);
        assert!(section.contains(&anchor), "{anchor} missing");
    }
    for group in ["What you must do", "What you may not do", "What you may do"] {
        assert!(section.contains(group), "{group}");
    }
    // The Llama 3.1 naming clause, inherited through the finetune edge, and the
    // finding it raises.
    let naming = view
        .obligations
        .iter()
        .find(|o| o.clause.prefix.is_some())
        .expect("a naming clause");
    assert_eq!(naming.license.id, "llama-3.1-community");
    assert!(section.contains("Names must begin with “Llama”"));
    assert!(section.contains("C102"));
}

#[tokio::test]
async fn family_pages_roll_up_their_members() {
    let dataset = &kb().dataset;
    for family in ["llama-3.1", "deepseek", "llama"] {
        let record = dataset.model(family).unwrap();
        assert_eq!(record.model_kind(), ModelKind::Family);
        // Members, and members of member families, from the records.
        let mut members: Vec<&str> = Vec::new();
        let mut queue = vec![family];
        while let Some(f) = queue.pop() {
            for m in &dataset.models {
                if m.family.as_ref().is_some_and(|x| x.as_str() == f)
                    && !members.contains(&m.id.as_str())
                {
                    members.push(m.id.as_str());
                    if m.model_kind() == ModelKind::Family {
                        queue.push(m.id.as_str());
                    }
                }
            }
        }
        assert!(!members.is_empty(), "{family}");
        let html = page(&format!("/models/{family}")).await;
        let table = &html[html.find("<table class=\"members\"").expect("members")..];
        let table = &table[..table.find("</table>").unwrap()];
        for member in &members {
            assert!(
                table.contains(&format!("href=\"/models/{member}\"")),
                "{family}: {member}"
            );
        }
        assert!(table.contains(&format!("{} members", members.len())));
        let (bases, derivatives) = expected_counts(&members);
        assert_eq!(numbers(&shown_counts(&html, "bases", 1)), bases, "{family}");
        assert_eq!(
            numbers(&shown_counts(&html, "derivatives", 1)),
            derivatives,
            "{family}"
        );
        // The family's picture walks from its members too.
        let picture = page(&format!("/models/{family}?depth=1")).await;
        for member in &members {
            assert!(
                drawn(&picture).contains(&format!("/models/{member}\"")),
                "{family}'s picture: {member}"
            );
        }
        // The roll-up has no per-model list to link to.
        assert!(
            shown_counts(&html, "derivatives", 1)
                .values()
                .all(|(_, href)| href.is_none())
        );
    }
}

#[tokio::test]
async fn pages_ignore_unknown_parameters_and_the_api_refuses_them() {
    for uri in [
        "/models/avocado?utm_source=newsletter&fbclid=abc",
        "/models/avocado?direction=up&utm_campaign=x",
        "/?utm_source=x",
        "/models?fbclid=1",
        "/licenses/mit?utm_source=x",
        "/search?q=llama&utm_source=x",
        "/query?utm_source=x",
    ] {
        assert_eq!(get(uri).await.status, StatusCode::OK, "{uri}");
    }
    let shared = page("/models/avocado?direction=up&utm_source=mail").await;
    let plain = page("/models/avocado?direction=up").await;
    assert_eq!(drawn(&shared), drawn(&plain));
    for uri in [
        "/api/models/avocado?utm_source=x",
        "/api/models/avocado/lineage?fbclid=1",
        "/api/models?utm_source=x",
    ] {
        let answer = get(uri).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(answer.text().contains("unknown parameter"), "{uri}");
    }
    // A known parameter with a bad value is still a clear 400 page.
    for (uri, needle) in [
        ("/models/avocado?depth=deep", "`depth=deep`"),
        (
            "/models/avocado?min_confidence=sure",
            "`min_confidence=sure`",
        ),
    ] {
        let answer = get(uri).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(answer.content_type.starts_with("text/html"));
        assert!(answer.text().contains(needle), "{uri}");
    }
}

/// The confidence words of the edge rows drawn.
fn row_confidences(html: &str) -> Vec<String> {
    drawn(html)
        .split("<tr id=\"edge-")
        .skip(1)
        .map(|row| {
            let badge = row.split("class=\"badge ").nth(1).unwrap();
            badge[..badge.find('"').unwrap()].to_owned()
        })
        .collect()
}

/// A page of the lineage-history fixture, whose edges are confirmed, reported and
/// rumored, some ended (the bundled data's edges are nearly all confirmed).
async fn history_page(uri: &str) -> String {
    use tower::ServiceExt;
    static STATE: OnceLock<AppState> = OnceLock::new();
    let state = STATE.get_or_init(|| {
        let tree = Tree::with_overlay(&fixtures().join("lineage-history"));
        let kb = KnowledgeBase::load(tree.path(), Iris::default()).unwrap();
        crate::util::app_state(kb, Config::default())
    });
    let response = router(state.clone())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{uri}");
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    String::from_utf8_lossy(&body).into_owned()
}

#[tokio::test]
async fn min_confidence_is_a_control_and_filters_the_walk() {
    // Acme Tiny Chat now: a reported and a rumored base, a reported derivative; and
    // one ended claim, hidden without an as-of date.
    let all = history_page("/models/acme-tiny-chat?depth=1").await;
    assert!(all.contains("<select id=\"min_confidence\" name=\"min_confidence\""));
    let mut every = row_confidences(&all);
    every.sort();
    assert_eq!(every, ["reported", "reported", "rumored"]);
    assert!(
        drawn(&all).contains("1 as ended (set As of to see them)"),
        "{}",
        drawn(&all)
    );
    let sure = history_page("/models/acme-tiny-chat?depth=1&min_confidence=reported").await;
    assert_eq!(row_confidences(&sure), ["reported", "reported"]);
    assert!(sure.contains("<option value=\"reported\" selected>"));
    assert!(
        drawn(&sure).contains(
            "2 edges next to those shown are hidden: 1 by the confidence filter; 1 as ended"
        ),
        "{}",
        drawn(&sure)
    );
    // An empty choice is "any".
    let mut any =
        row_confidences(&history_page("/models/acme-tiny-chat?depth=1&min_confidence=").await);
    any.sort();
    assert_eq!(any, every);
    // On the bundled data the API and the page agree on the walk.
    let page = page("/models/avocado?min_confidence=reported").await;
    let api = get("/api/models/avocado/lineage?min_confidence=reported")
        .await
        .json();
    assert_eq!(
        api["edges"].as_array().unwrap().len(),
        row_confidences(&page).len()
    );
}

/// Issue 16: "As of 2024-07-01" showed DeepSeek-R1-Distill-Llama-8B (released
/// 2025-01-20) and Llama 3.2 (September 2024) as derivatives of Llama 3.1 8B
/// (released 2024-07-23), because `as_of` read only claim `from`/`until`.
#[tokio::test]
async fn as_of_is_the_lineage_as_it_stood_that_day() {
    let later = [
        "deepseek-r1-distill-llama-8b",
        "llama-3.2-1b",
        "llama-3.2-3b",
        "llama-3.1-8b-instruct",
    ];
    let now = page("/models/llama-3.1-8b").await;
    for id in later {
        assert!(drawn(&now).contains(&format!("/models/{id}\"")), "{id} now");
    }
    let then = page("/models/llama-3.1-8b?as_of=2024-07-01").await;
    for id in later {
        assert!(
            !drawn(&then).contains(&format!("/models/{id}\"")),
            "{id} as of 2024-07-01"
        );
    }
    // Every direct derivative came later, and the page says so.
    let (_, derivatives) = expected_counts(&["llama-3.1-8b"]);
    let hidden: usize = derivatives.values().sum();
    assert!(
        drawn(&then).contains(&format!("{hidden} by this date (As of)")),
        "{}",
        drawn(&then)
    );
    // October 2024: Llama 3.2 (2024-09-25) is there, the DeepSeek distill is not.
    let october = page("/models/llama-3.1-8b?as_of=2024-10-01").await;
    assert!(drawn(&october).contains("/models/llama-3.2-1b\""));
    assert!(!drawn(&october).contains("/models/deepseek-r1-distill-llama-8b\""));
    // The API and the CLI use the same rule.
    let api = get("/api/models/llama-3.1-8b/lineage?direction=down&as_of=2024-10-01")
        .await
        .json();
    let ids: Vec<&str> = api["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"llama-3.2-1b"), "{ids:?}");
    assert!(!ids.contains(&"deepseek-r1-distill-llama-8b"), "{ids:?}");
    let cli = pedigree(&[
        "lineage",
        "llama-3.1-8b",
        "--direction",
        "down",
        "--as-of",
        "2024-10-01",
        "--data",
        root().join("graph-data").to_str().unwrap(),
    ]);
    let text = stdout(&cli);
    assert!(text.contains("llama-3.2-1b"), "{text}");
    assert!(!text.contains("deepseek-r1-distill-llama-8b"), "{text}");
}

/// The rule's order: a claim's own `from` wins over its model's release; a model's
/// release over its first report.
#[test]
fn an_edge_starts_at_its_from_else_its_release_else_its_first_report() {
    let index = &kb().lineage;
    let dataset = &kb().dataset;
    let mut checked = 0;
    for model in &dataset.models {
        let walk = index
            .walk(
                model.id.as_str(),
                Direction::Up,
                &Filter::default(),
                Some(1),
            )
            .unwrap();
        for &edge in &walk.edges {
            let data = index.edge_data(edge);
            let claim = index.claim(dataset, edge);
            let start = Filter::started(&data);
            let release = model.release.as_ref().and_then(|r| r.date.as_ref());
            match (claim.from(), release) {
                (Some(_), _) => assert_eq!(start, data.from),
                (None, Some(_)) => assert_eq!(start, data.released),
                (None, None) => assert_eq!(start, data.first_reported),
            }
            if let Some(day) = start {
                let on = Filter {
                    as_of: Some(day),
                    ..Filter::default()
                };
                let before = Filter {
                    as_of: Some(day - 1),
                    ..Filter::default()
                };
                assert!(on.admits(&data), "{}", model.id.as_str());
                // `day - 1` of a first day of a month is not a calendar day, but it
                // still sorts before it, which is all the rule compares.
                assert!(!before.admits(&data), "{}", model.id.as_str());
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked}");
}

#[tokio::test]
async fn empty_results_say_why() {
    let (bases, derivatives) = expected_counts(&["llama-3.1-8b"]);
    assert!(!bases.contains_key("merge") && !derivatives.contains_key("merge"));
    let all: usize = bases.values().sum::<usize>() + derivatives.values().sum::<usize>();
    let html = page("/models/llama-3.1-8b?relation=merge").await;
    let note = format!(
        "No merge edges with these settings; {all} edges next to those shown are hidden: {all} by the relation filter."
    );
    assert!(drawn(&html).contains(&note), "{}", drawn(&html));
    assert!(!drawn(&html).contains("<tr id=\"edge-"));
    // A model with no lineage at all says that instead.
    let lonely = dataset_model_without_lineage();
    let html = page(&format!("/models/{lonely}")).await;
    assert!(
        drawn(&html).contains("No lineage edges are recorded for this model."),
        "{lonely}"
    );
}

fn dataset_model_without_lineage() -> &'static str {
    kb().dataset
        .models
        .iter()
        .map(|m| m.id.as_str())
        .find(|id| {
            let (bases, derivatives) = expected_counts(&[id]);
            bases.is_empty() && derivatives.is_empty()
        })
        .expect("a model without lineage")
}

/// A walk from several models at once reaches each model once, with every start in
/// generation 0, and is the union of the walks from each.
#[test]
fn a_walk_from_many_models_is_the_union_of_their_walks() {
    let index = &kb().lineage;
    let members = ["llama-3.1-8b", "llama-3.1-70b", "llama-3.1-8b-instruct"];
    let many = index
        .walk_many(
            "llama-3.1",
            &members,
            Direction::Both,
            &Filter::default(),
            Some(1),
        )
        .unwrap();
    let mut union = std::collections::BTreeSet::new();
    let mut edges = std::collections::BTreeSet::new();
    for id in std::iter::once("llama-3.1").chain(members) {
        let one = index
            .walk(id, Direction::Both, &Filter::default(), Some(1))
            .unwrap();
        union.extend(one.nodes.iter().map(|&(n, _)| n));
        edges.extend(one.edges);
    }
    let nodes: std::collections::BTreeSet<_> = many.nodes.iter().map(|&(n, _)| n).collect();
    assert_eq!(nodes, union);
    assert_eq!(nodes.len(), many.nodes.len(), "each model once");
    assert_eq!(
        many.edges
            .iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>(),
        edges
    );
    for id in members {
        let generation = many
            .nodes
            .iter()
            .find(|&&(n, _)| index.id(&kb().dataset, n) == id)
            .map(|&(_, g)| g);
        assert_eq!(generation, Some(0), "{id}");
    }
}
