//! Bounded at any size (issue 16): on a generated Hub-shaped corpus, the picture and
//! the lineage answers draw at most what they may, fold the rest into counts that add
//! up to the claims in the records, link those counts to lists that hold every claim
//! once, and take the same permits as SPARQL.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use pedigree::generate::{Config as CorpusConfig, Corpus};
use pedigree::kb::KnowledgeBase;
use pedigree::lineage::bounded::{
    BoundedRequest, Bounds, MAX_ANSWER_NODES, MAX_PICTURE_NODES, PICTURE_FAN_OUT, PICTURE_NODES,
};
use pedigree::lineage::neighbours::NeighbourFilter;
use pedigree::lineage::render::Views;
use pedigree::lineage::{Direction, Filter};
use pedigree::rdf::Iris;
use pedigree::server::{AppState, Config, router};
use pedigree::snapshot::Snapshot;
use pedigree::view::{CompactEdgeView, CompactLineageView, CompactNodeView, LineageView};
use tower::ServiceExt;

/// Models in the test corpus: enough for a root with hundreds of direct derivatives
/// and thousands of descendants, small enough to build in a debug test.
const MODELS: usize = 3_000;

struct Fixture {
    _dir: tempfile::TempDir,
    state: AppState,
    /// The state's snapshot, held for the life of the test binary.
    snapshot: std::sync::Arc<Snapshot>,
    /// The root with the most descendants.
    root: String,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let corpus = Corpus::new(CorpusConfig {
            models: MODELS,
            seed: 42,
        });
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in corpus.files() {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let kb = KnowledgeBase::load(dir.path(), Iris::default()).unwrap();
        let state = crate::util::app_state(kb, Config::default());
        Fixture {
            _dir: dir,
            snapshot: state.snapshot(),
            state,
            root: corpus.landmarks().largest_root,
        }
    })
}

fn kb() -> &'static KnowledgeBase {
    &fixture().snapshot.kb
}

struct Answer {
    status: StatusCode,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }
}

async fn get_with(state: AppState, uri: &str) -> Answer {
    let response = router(state)
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Answer { status, body }
}

async fn get(uri: &str) -> Answer {
    get_with(fixture().state.clone(), uri).await
}

/// The lineage claims in the records, as (model, base, relation word), ended ones
/// included: read from the records, not from the index under test.
fn claims() -> Vec<(String, String, String, bool)> {
    kb().dataset
        .models
        .iter()
        .flat_map(|m| {
            m.lineage.iter().map(move |c| {
                (
                    m.id.to_string(),
                    c.base.to_string(),
                    c.relation.value.as_str().to_owned(),
                    c.until.is_none(),
                )
            })
        })
        .collect()
}

fn walk(
    root: &str,
    direction: Direction,
    bounds: Bounds,
) -> pedigree::lineage::bounded::BoundedWalk {
    let filter = Filter::default();
    kb().lineage
        .walk_bounded(
            &kb().dataset,
            &BoundedRequest {
                root,
                also: &[],
                direction,
                filter: &filter,
                max_depth: None,
                bounds,
            },
            &|| false,
        )
        .unwrap()
}

fn ids(
    walk: &pedigree::lineage::bounded::BoundedWalk,
) -> (HashSet<String>, HashSet<(String, String)>) {
    let views = Views {
        index: &kb().lineage,
        dataset: &kb().dataset,
    };
    let view = views.lineage(walk, Direction::Both, &|_, _, _| String::new());
    (
        view.nodes.iter().map(|n| n.id.clone()).collect(),
        view.edges
            .iter()
            .map(|e| (e.model.clone(), e.base.clone()))
            .collect(),
    )
}

#[test]
fn an_unbounded_walk_is_the_whole_walk() {
    let root = &fixture().root;
    for direction in [Direction::Up, Direction::Down, Direction::Both] {
        for start in [root.as_str(), "m-0000001", "m-0001500", "m-0002999"] {
            let whole = kb()
                .lineage
                .walk(start, direction, &Filter::default(), None)
                .unwrap();
            let bounded = walk(start, direction, Bounds::UNBOUNDED);
            assert!(bounded.complete(), "{start} {direction:?}");
            let mut a: Vec<_> = whole.nodes.iter().map(|(n, _)| *n).collect();
            let mut b: Vec<_> = bounded.subgraph.nodes.iter().map(|(n, _)| *n).collect();
            a.sort();
            b.sort();
            assert_eq!(a, b, "nodes of {start} {direction:?}");
            assert_eq!(
                whole.edges, bounded.subgraph.edges,
                "edges of {start} {direction:?}"
            );
        }
    }
}

#[test]
fn a_bounded_picture_draws_at_most_its_limit_and_folds_exactly_the_rest() {
    let root = &fixture().root;
    let current: Vec<(String, String, String, bool)> =
        claims().into_iter().filter(|c| c.3).collect();
    // The fixture must be a real test: the root has more derivatives than a picture
    // draws around one model.
    let direct = current.iter().filter(|c| &c.1 == root).count();
    assert!(
        direct > PICTURE_FAN_OUT * 4,
        "root has only {direct} derivatives"
    );
    for limit in [1, 5, PICTURE_NODES, MAX_PICTURE_NODES] {
        let picture = walk(root, Direction::Both, Bounds::picture(limit));
        let (nodes, edges) = ids(&picture);
        assert!(
            nodes.len() <= limit,
            "{} nodes drawn, limit {limit}",
            nodes.len()
        );
        assert!(nodes.contains(root.as_str()));
        // Every folded count is of claims at a drawn model whose other end is not
        // drawn; drawn claims between drawn models are all drawn; together they are
        // every current claim at the drawn models' expanded sides.
        let mut folded: BTreeMap<(String, bool, String), usize> = BTreeMap::new();
        for f in &picture.folded {
            let at = kb().lineage.id(&kb().dataset, f.at).to_owned();
            assert!(nodes.contains(&at));
            *folded
                .entry((
                    at,
                    f.direction == Direction::Up,
                    f.relation.as_str().to_owned(),
                ))
                .or_default() += f.count;
        }
        let generation: HashMap<String, i32> = picture
            .subgraph
            .nodes
            .iter()
            .map(|&(n, g)| (kb().lineage.id(&kb().dataset, n).to_owned(), g))
            .collect();
        let mut expected: BTreeMap<(String, bool, String), usize> = BTreeMap::new();
        for (model, base, relation, _) in &current {
            // A derivative claim at a drawn base expanded downwards (generation >= 0).
            if generation.get(base).is_some_and(|&g| g >= 0) {
                if nodes.contains(model) {
                    assert!(
                        edges.contains(&(model.clone(), base.clone())),
                        "{model} -> {base} not drawn"
                    );
                } else {
                    *expected
                        .entry((base.clone(), false, relation.clone()))
                        .or_default() += 1;
                }
            }
            if generation.get(model).is_some_and(|&g| g <= 0) {
                if nodes.contains(base) {
                    assert!(edges.contains(&(model.clone(), base.clone())));
                } else {
                    *expected
                        .entry((model.clone(), true, relation.clone()))
                        .or_default() += 1;
                }
            }
        }
        assert_eq!(folded, expected, "limit {limit}");
    }
}

#[test]
fn a_picture_draws_the_best_ranked_neighbours_first() {
    let root = &fixture().root;
    let picture = walk(root, Direction::Down, Bounds::picture(PICTURE_NODES));
    let (nodes, _) = ids(&picture);
    let ranked = kb()
        .lineage
        .neighbours(
            &kb().dataset,
            root,
            Direction::Down,
            &NeighbourFilter::default(),
            usize::MAX,
        )
        .unwrap();
    let current: Vec<String> = ranked
        .iter()
        .filter(|n| kb().lineage.edge_data(n.edge).until.is_none())
        .map(|n| kb().lineage.id(&kb().dataset, n.node).to_owned())
        .collect();
    let first: Vec<&String> = current.iter().take(PICTURE_FAN_OUT).collect();
    for id in &first {
        assert!(
            nodes.contains(id.as_str()),
            "{id}, ranked among the first {PICTURE_FAN_OUT}, is not drawn"
        );
    }
    // The ranking rule itself: confidence never rises down the list.
    let confidences: Vec<_> = ranked
        .iter()
        .map(|n| kb().lineage.edge_data(n.edge).confidence)
        .collect();
    assert!(
        confidences.windows(2).all(|w| w[0] >= w[1]),
        "{confidences:?}"
    );
}

#[test]
fn a_walk_stops_when_told() {
    let filter = Filter::default();
    let stopped = kb().lineage.walk_bounded(
        &kb().dataset,
        &BoundedRequest {
            root: &fixture().root,
            also: &[],
            direction: Direction::Down,
            filter: &filter,
            max_depth: None,
            bounds: Bounds::UNBOUNDED,
        },
        &|| true,
    );
    assert_eq!(
        stopped.unwrap_err(),
        pedigree::lineage::LineageError::Stopped
    );
}

#[tokio::test]
async fn the_model_page_of_the_largest_root_is_bounded_and_its_boxes_open_their_lists() {
    let root = &fixture().root;
    let answer = get(&format!("/models/{root}")).await;
    assert_eq!(answer.status, StatusCode::OK);
    let html = answer.text();
    assert!(html.len() < 1_000_000, "{} bytes", html.len());
    let drawn = html.matches("class=\"node ").count() - html.matches("class=\"node folded").count();
    assert!(drawn <= PICTURE_NODES, "{drawn} models drawn");
    // Each folded box links to a list whose total is the box's count.
    let boxes: Vec<(String, usize)> = html
        .split("<a class=\"node folded\" href=\"")
        .skip(1)
        .map(|rest| {
            let href = rest[..rest.find('"').unwrap()].replace("&amp;", "&");
            let count = rest.split("data-count=\"").nth(1).unwrap();
            (href, count[..count.find('"').unwrap()].parse().unwrap())
        })
        .collect();
    assert!(
        !boxes.is_empty(),
        "the largest root's picture folds nothing"
    );
    // Beside the page's own model the boxes are split by relation.
    assert!(
        boxes
            .iter()
            .any(|(href, _)| href.starts_with(&format!("/models/{root}/derivatives?relation="))),
        "{boxes:?}"
    );
    for (href, count) in boxes.iter().take(6) {
        assert!(
            href.contains("/derivatives") || href.contains("/bases"),
            "{href}"
        );
        let page = get(href).await;
        assert_eq!(page.status, StatusCode::OK, "{href}");
        let api = get(&format!("/api{href}")).await.json();
        let total = api["total"].as_u64().unwrap() as usize;
        // The box counts the claims not drawn; the list holds every claim.
        assert!(total >= *count, "{href}: list {total} < folded {count}");
    }
    assert!(
        html.contains("id=\"lineage-folded\""),
        "no note on what was folded"
    );
}

#[tokio::test]
async fn the_record_lists_its_first_edges_and_the_lists_hold_every_claim_once() {
    let root = &fixture().root;
    let record = get(&format!("/api/models/{root}")).await;
    assert_eq!(record.status, StatusCode::OK);
    assert!(record.body.len() < 1_000_000, "{} bytes", record.body.len());
    let record = record.json();
    let expected = claims().iter().filter(|c| &c.1 == root).count();
    assert_eq!(
        record["derivatives_total"].as_u64().unwrap() as usize,
        expected
    );
    let listed = record["derivatives"].as_array().unwrap().len();
    assert_eq!(listed, expected.min(100));
    // Every page of the list, together: each claim once, surest first throughout.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut confidences = Vec::new();
    let per_page = 37;
    for page in 1.. {
        let answer = get(&format!(
            "{}?page={page}&per_page={per_page}",
            record["derivatives_list"].as_str().unwrap()
        ))
        .await
        .json();
        let items = answer["items"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        for item in items {
            *seen
                .entry(item["model"].as_str().unwrap().to_owned())
                .or_default() += 1;
            confidences.push(item["confidence"].as_str().unwrap().to_owned());
        }
    }
    let mut expected_models: BTreeMap<String, usize> = BTreeMap::new();
    for c in claims().into_iter().filter(|c| &c.1 == root) {
        *expected_models.entry(c.0).or_default() += 1;
    }
    assert_eq!(seen, expected_models);
    let rank = |c: &str| {
        ["confirmed", "reported", "rumored", "disputed"]
            .iter()
            .position(|&w| w == c)
    };
    assert!(confidences.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])));
    // A relation filter keeps only that relation.
    let quantized = get(&format!(
        "/api/models/{root}/derivatives?relation=quantized&per_page=1000"
    ))
    .await
    .json();
    assert!(
        quantized["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["relation"] == "quantized")
    );
    assert_eq!(
        quantized["total"].as_u64().unwrap() as usize,
        claims()
            .iter()
            .filter(|c| &c.1 == root && c.2 == "quantized")
            .count()
    );
}

#[tokio::test]
async fn lineage_answers_are_capped_and_say_what_they_left_out() {
    let root = &fixture().root;
    let descendants = kb().lineage.reachable(root, Direction::Down).unwrap().len();
    let small = get(&format!(
        "/api/models/{root}/lineage?direction=down&limit=50&compact=true"
    ))
    .await;
    assert_eq!(small.status, StatusCode::OK);
    let small = small.json();
    assert_eq!(small["nodes"].as_array().unwrap().len(), 50);
    assert_eq!(small["complete"], false);
    let folded: u64 = small["folded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["count"].as_u64().unwrap())
        .sum();
    assert!(folded > 0);
    assert!(
        small["folded"][0]["list"]
            .as_str()
            .unwrap()
            .starts_with("/api/models/")
    );
    // The default answer holds the whole family of this corpus.
    let whole = get(&format!(
        "/api/models/{root}/lineage?direction=down&compact=true"
    ))
    .await
    .json();
    assert_eq!(whole["nodes"].as_array().unwrap().len(), descendants + 1);
    assert_eq!(whole["complete"], true);
    // Beyond the caps: a 400 that names them.
    let over = get(&format!(
        "/api/models/{root}/lineage?limit={}",
        MAX_ANSWER_NODES + 1
    ))
    .await;
    assert_eq!(over.status, StatusCode::BAD_REQUEST);
    assert!(over.text().contains(&MAX_ANSWER_NODES.to_string()));
    let svg = get(&format!(
        "/api/models/{root}/lineage?format=svg&limit={}",
        MAX_PICTURE_NODES + 1
    ))
    .await;
    assert_eq!(svg.status, StatusCode::BAD_REQUEST);
    let svg = get(&format!("/api/models/{root}/lineage?format=svg")).await;
    assert_eq!(svg.status, StatusCode::OK);
    assert!(svg.body.len() < 1_000_000);
    assert!(svg.text().contains("class=\"node folded\""));
}

#[tokio::test]
async fn drawing_takes_the_same_permits_as_sparql() {
    // No permit at all: every piece of lineage work is refused at once, as queries are.
    let config = Config {
        max_concurrent_queries: 0,
        queue_wait: std::time::Duration::from_millis(10),
        ..Config::default()
    };
    let kb = KnowledgeBase::load(&crate::util::root().join("graph-data"), Iris::default()).unwrap();
    let state = crate::util::app_state(kb, config);
    for uri in [
        "/models/avocado",
        "/api/models/avocado/lineage",
        "/api/models/avocado/lineage?format=svg",
    ] {
        let answer = get_with(state.clone(), uri).await;
        assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE, "{uri}");
        assert!(
            answer.text().contains("already running"),
            "{uri}: {}",
            answer.text()
        );
    }
    // A record or a list is no drawing: answered.
    assert_eq!(
        get_with(state.clone(), "/api/models/avocado").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_family_page_draws_no_more_than_its_limit_though_it_has_more_members() {
    // The generated families have hundreds of members; the picture starts from as
    // many as fit.
    let family = "family-00000";
    let members = kb()
        .dataset
        .models
        .iter()
        .filter(|m| m.family.as_ref().is_some_and(|f| f.as_str() == family))
        .count();
    assert!(members > 10, "{family} has {members} members");
    let html = get(&format!("/models/{family}?limit=10")).await;
    assert_eq!(html.status, StatusCode::OK);
    let html = html.text();
    let drawn = html.matches("class=\"node ").count() - html.matches("class=\"node folded").count();
    assert!((1..=10).contains(&drawn), "{drawn} models drawn");
}

#[tokio::test]
async fn organisation_and_licence_records_list_their_first_models_and_link_to_all() {
    // The licence most models are under, counted from the records.
    let mut by_license: BTreeMap<String, usize> = BTreeMap::new();
    for model in &kb().dataset.models {
        for license in model.current_licenses() {
            *by_license.entry(license.license.to_string()).or_default() += 1;
        }
    }
    let (license, count) = by_license.into_iter().max_by_key(|(_, n)| *n).unwrap();
    assert!(count > 100, "{license} has only {count} models");
    let record = get(&format!("/api/licenses/{license}")).await.json();
    assert_eq!(record["model_count"].as_u64().unwrap() as usize, count);
    assert_eq!(record["models"].as_array().unwrap().len(), 100);
    let list = get(record["models_list"].as_str().unwrap()).await.json();
    assert_eq!(list["total"].as_u64().unwrap() as usize, count);
    // The page shows the first hundred and links to the page listing them all.
    let html = get(&format!("/licenses/{license}")).await.text();
    let href = format!("/models?license={license}");
    assert!(
        html.contains(&format!("href=\"{href}\"")),
        "no link to {href}"
    );
    let all = get(&href).await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(
        all.text().contains(&format!(" {count} in all")),
        "{href} does not count {count}"
    );
    // An organisation with more than a hundred models below it.
    let org = "org-000000";
    let record = get(&format!("/api/organizations/{org}")).await.json();
    let total = record["model_count"].as_u64().unwrap() as usize;
    let listed = record["models"].as_array().unwrap();
    assert_eq!(listed.len(), total.min(100));
    let names: Vec<&str> = listed.iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "not in name order");
    let list = get(&format!("/api/models?organization={org}")).await.json();
    assert_eq!(list["total"].as_u64().unwrap() as usize, total);
}

/// Every compact answer of `kb`'s models (those `keep` keeps), each way, with at
/// most `limit` models: what it is, its bytes, and the full answer of the same walk.
fn compact_answers(
    kb: &KnowledgeBase,
    limit: usize,
    keep: impl Fn(usize) -> bool,
) -> Vec<(String, Vec<u8>, LineageView)> {
    let views = Views {
        index: &kb.lineage,
        dataset: &kb.dataset,
    };
    let list = |id: &str, d: Direction, r: pedigree::model::Relation| format!("/{id}/{d}/{r}");
    let filter = Filter::default();
    let mut answers = Vec::new();
    for (i, model) in kb.dataset.models.iter().enumerate() {
        if !keep(i) {
            continue;
        }
        for direction in [Direction::Up, Direction::Down, Direction::Both] {
            let request = BoundedRequest {
                root: model.id.as_str(),
                also: &[],
                direction,
                filter: &filter,
                max_depth: None,
                bounds: Bounds::answer(limit),
            };
            let walk = kb
                .lineage
                .walk_bounded(&kb.dataset, &request, &|| false)
                .unwrap();
            answers.push((
                format!("{} {direction:?}", model.id.as_str()),
                views.compact_lineage(&walk, direction, &list),
                views.lineage(&walk, direction, &list),
            ));
        }
    }
    answers
}

/// The compact view of what a full answer says: its models, its edges with the ids
/// of the sources they cite, and each of those sources once.
fn compact_of(full: &LineageView) -> CompactLineageView<'_> {
    CompactLineageView {
        root: &full.root,
        direction: full.direction,
        nodes: full
            .nodes
            .iter()
            .map(|n| CompactNodeView {
                id: &n.id,
                name: &n.name,
                kind: n.kind,
                developer: &n.developer,
                generation: n.generation,
            })
            .collect(),
        edges: full
            .edges
            .iter()
            .map(|e| CompactEdgeView {
                model: &e.model,
                base: &e.base,
                relation: e.relation,
                stage: e.stage,
                confidence: e.confidence,
                sources: e.sources.iter().map(|s| s.id.as_str()).collect(),
            })
            .collect(),
        sources: full
            .edges
            .iter()
            .flat_map(|e| &e.sources)
            .map(|s| (s.id.as_str(), s.clone()))
            .collect(),
        complete: full.complete,
        folded: full.folded.clone(),
    }
}

/// Each compact answer is, byte for byte, what serde_json writes of the compact view
/// of the full answer of the same walk: the type OpenAPI describes, saying what the
/// full answer says.
fn assert_compact_answers_are_the_full_ones(answers: &[(String, Vec<u8>, LineageView)]) {
    for (what, compact, full) in answers {
        assert_eq!(
            String::from_utf8(compact.clone()).unwrap(),
            serde_json::to_string(&compact_of(full)).unwrap(),
            "{what}"
        );
    }
}

#[test]
fn compact_answers_say_what_the_full_answers_say_as_serde_writes_it() {
    // The bundled data (every kind of claim and source); the generated corpus, whole
    // and cut short (folded counts).
    assert_compact_answers_are_the_full_ones(&compact_answers(
        crate::knowledge::kb(),
        MAX_ANSWER_NODES,
        |_| true,
    ));
    assert_compact_answers_are_the_full_ones(&compact_answers(kb(), MAX_ANSWER_NODES, |i| {
        i % 97 == 0
    }));
    let cut = compact_answers(kb(), 30, |i| i % 89 == 0);
    assert!(cut.iter().any(|(_, _, full)| !full.folded.is_empty()));
    assert_compact_answers_are_the_full_ones(&cut);
}

#[test]
fn compact_answers_escape_text_as_serde_does() {
    // Quotes and backslashes, and what JSON does not escape (`/`, non-ASCII); the
    // validator refuses control characters in names and titles.
    let nasty = r#"Muse "Spark" \ back\slash / é 😀 </script>"#;
    let tree = crate::util::Tree::bundled();
    tree.write(
        "models/avocado.yaml",
        std::fs::read_to_string(tree.path().join("models/avocado.yaml"))
            .unwrap()
            .replacen("name: Muse Spark", &format!("name: '{nasty}'"), 1),
    );
    // A source of its lineage claim.
    let source = "sources/bloomberg-2025-12-10-meta-avocado.yaml";
    let text = std::fs::read_to_string(tree.path().join(source)).unwrap();
    let title = text.lines().find(|l| l.starts_with("title: ")).unwrap();
    tree.write(
        source,
        text.replacen(title, &format!("title: '{nasty}'"), 1),
    );
    let kb = KnowledgeBase::load(tree.path(), Iris::default()).unwrap();
    let answers = compact_answers(&kb, MAX_ANSWER_NODES, |i| {
        kb.dataset.models[i].id.as_str() == "avocado"
    });
    let escaped = serde_json::to_string(nasty).unwrap();
    let written = |compact: &[u8]| String::from_utf8_lossy(compact).matches(&escaped).count();
    // The name in every answer, the title too where the claim is drawn (up).
    assert!(answers.iter().all(|(_, compact, _)| written(compact) >= 1));
    assert!(answers.iter().any(|(_, compact, _)| written(compact) == 2));
    assert_compact_answers_are_the_full_ones(&answers);
}
