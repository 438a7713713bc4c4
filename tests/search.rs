//! Search, names and error pages (issue 16): what people type finds what they mean,
//! in the documented ranking, for every kind; a page address may be a record's name
//! or alias; pages name records rather than showing ids; a mistyped path gets a page
//! with a way back. Expected answers are worked out here from the records
//! themselves, by a slow, plain reading of the rules in `kb::search`, never copied
//! from the code under test.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use pedigree::kb::KnowledgeBase;
use pedigree::rdf::Iris;
use pedigree::server::{AppState, Config, router};
use tower::ServiceExt;

use crate::server::{Answer, call};
use crate::util::{Tree, root};

async fn get(uri: &str) -> Answer {
    call("GET", uri, &[], b"").await
}

/// What Chromium sends for a page.
const BROWSER_ACCEPT: &str =
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

fn bundled() -> &'static KnowledgeBase {
    static KB: std::sync::OnceLock<KnowledgeBase> = std::sync::OnceLock::new();
    KB.get_or_init(|| KnowledgeBase::load(&root().join("graph-data"), Iris::default()).unwrap())
}

fn encode(text: &str) -> String {
    crate::http::encode(text)
}

// ---------------------------------------------------------------------------------
// The rules, read plainly

/// Letters and digits, lowercased.
fn key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The keys of every run of neighbouring words of a text (its words being its runs
/// of letters and digits): "Llama 3.1" gives llama, 3, 1, llama3, 31, llama31.
fn word_runs(text: &str) -> Vec<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(key)
        .collect();
    let mut runs = Vec::new();
    for start in 0..words.len() {
        for end in start + 1..=words.len() {
            runs.push(words[start..end].concat());
        }
    }
    runs
}

/// The rank (0 exact, 1 prefix, 2 whole word, 3 substring) of a record with these
/// texts, or `None` when some word of the query is in none of them. The query's
/// words are cut at spaces.
fn oracle_rank(texts: &[String], query: &str) -> Option<u8> {
    let query_words: Vec<String> = query
        .split_whitespace()
        .map(key)
        .filter(|w| !w.is_empty())
        .collect();
    let whole = query_words.concat();
    let keys: Vec<String> = texts.iter().map(|t| key(t)).collect();
    if !query_words
        .iter()
        .all(|w| keys.iter().any(|k| k.contains(w.as_str())))
    {
        return None;
    }
    if keys.contains(&whole) {
        Some(0)
    } else if keys.iter().any(|k| k.starts_with(&whole)) {
        Some(1)
    } else if query_words
        .iter()
        .all(|w| texts.iter().any(|t| word_runs(t).contains(w)))
    {
        Some(2)
    } else {
        Some(3)
    }
}

/// Every record of a kind as (id, name, texts), read from the dataset.
fn records(folder: &str) -> Vec<(String, String, Vec<String>)> {
    let d = &bundled().dataset;
    let s = |v: &str| v.to_owned();
    match folder {
        "models" => d
            .models
            .iter()
            .map(|m| {
                let mut texts = vec![s(m.id.as_str()), s(m.name.as_str())];
                texts.extend(m.aliases.iter().map(|a| s(a.as_str())));
                (s(m.id.as_str()), s(m.name.as_str()), texts)
            })
            .collect(),
        "organizations" => d
            .organizations
            .iter()
            .map(|o| {
                let mut texts = vec![s(o.id.as_str()), s(o.name.as_str())];
                texts.extend(o.aliases.iter().map(|a| s(a.as_str())));
                (s(o.id.as_str()), s(o.name.as_str()), texts)
            })
            .collect(),
        "people" => d
            .people
            .iter()
            .map(|p| {
                let mut texts = vec![s(p.id.as_str()), s(p.name.as_str())];
                texts.extend(p.aliases.iter().map(|a| s(a.as_str())));
                (s(p.id.as_str()), s(p.name.as_str()), texts)
            })
            .collect(),
        "sources" => d
            .sources
            .iter()
            .map(|r| {
                let texts = vec![s(r.id.as_str()), s(r.title.as_str())];
                (s(r.id.as_str()), s(r.title.as_str()), texts)
            })
            .collect(),
        "licenses" => d
            .licenses
            .iter()
            .map(|l| {
                let texts = vec![s(l.id.as_str()), s(l.name.as_str()), s(l.spdx.as_str())];
                (s(l.id.as_str()), s(l.name.as_str()), texts)
            })
            .collect(),
        other => panic!("no kind {other}"),
    }
}

/// The ids the rules find for `query` among a kind's records, in the documented
/// order: rank, then case-insensitive name, then id.
fn expected(folder: &str, query: &str) -> Vec<String> {
    let mut found: Vec<(u8, String, String)> = records(folder)
        .into_iter()
        .filter_map(|(id, name, texts)| {
            oracle_rank(&texts, query).map(|rank| (rank, name.to_lowercase(), id))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, _, id)| id).collect()
}

async fn api_ids(folder: &str, query: &str) -> Vec<String> {
    let uri = format!("/api/{folder}?per_page=1000&q={}", encode(query));
    let answer = get(&uri).await;
    assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
    answer.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

// ---------------------------------------------------------------------------------
// Search

#[tokio::test]
async fn every_word_of_the_query_matches_somewhere() {
    let found = api_ids("models", "r1 distill").await;
    // Every model named DeepSeek-R1-Distill-…, read from the names, is found.
    let distills: BTreeSet<String> = bundled()
        .dataset
        .models
        .iter()
        .filter(|m| m.name.as_str().starts_with("DeepSeek-R1-Distill-"))
        .map(|m| m.id.to_string())
        .collect();
    assert!(distills.len() >= 4, "the data has the R1 distills");
    assert!(
        distills.iter().all(|id| found.contains(id)),
        "{found:?} misses some of {distills:?}"
    );
    assert_eq!(found, expected("models", "r1 distill"));
    // The words' order does not matter; a word matching nothing empties the list.
    let reversed: BTreeSet<String> = api_ids("models", "distill r1").await.into_iter().collect();
    assert_eq!(reversed, found.iter().cloned().collect());
    assert!(api_ids("models", "r1 distill zzzz").await.is_empty());
}

#[tokio::test]
async fn spaces_punctuation_and_case_do_not_matter() {
    let found = api_ids("models", "Llama3.1").await;
    let llama31: Vec<String> = bundled()
        .dataset
        .models
        .iter()
        .filter(|m| m.name.as_str().starts_with("Llama 3.1"))
        .map(|m| m.id.to_string())
        .collect();
    assert!(llama31.len() >= 3);
    assert!(
        llama31.iter().all(|id| found.contains(id)),
        "{found:?} misses some of {llama31:?}"
    );
    // The family named exactly "Llama 3.1" comes first: its key equals the query's.
    let first = bundled().dataset.model(&found[0]).unwrap();
    assert_eq!(key(first.name.as_str()), "llama31");
    assert_eq!(found, expected("models", "Llama3.1"));
    assert_eq!(api_ids("models", "LLAMA-3.1").await, found);
}

/// Queries of models: each rank among their answers, words across texts,
/// punctuation inside words.
const MODEL_QUERIES: &[&str] = &[
    "avo",
    "meta",
    "spark",
    "seek",
    "qwen 7b",
    "Llama 3.1 8B",
    "3.1 meta",
    "llama-3.1",
    "r1-distill",
    "llama",
    "r1",
    "a",
    "2.5",
];

/// The documented order (exact, prefix, whole word, substring; then name, then id)
/// for every kind, against the plain reading of the rules.
#[tokio::test]
async fn results_are_ranked_as_documented_for_every_kind() {
    for (folder, queries) in [
        ("models", MODEL_QUERIES),
        (
            "organizations",
            &["meta", "lab", "ai", "google deepmind"][..],
        ),
        ("people", &["wang", "a", "mark"][..]),
        ("sources", &["bloomberg", "meta avocado", "llama 3"][..]),
        ("licenses", &["apache", "llama", "LicenseRef", "mit"][..]),
    ] {
        for query in queries {
            let found = api_ids(folder, query).await;
            assert_eq!(found, expected(folder, query), "/api/{folder}?q={query}");
        }
    }
    // Each rank occurs among the models found above, so the order between the ranks
    // is tested.
    let ranks: BTreeSet<u8> = MODEL_QUERIES
        .iter()
        .flat_map(|query| {
            records("models")
                .into_iter()
                .filter_map(move |(_, _, texts)| oracle_rank(&texts, query))
        })
        .collect();
    assert_eq!(
        ranks,
        BTreeSet::from([0, 1, 2, 3]),
        "every rank is exercised"
    );
}

#[tokio::test]
async fn a_query_without_letters_or_digits_lists_everything_in_name_order() {
    let all = api_ids("licenses", "").await;
    assert_eq!(api_ids("licenses", " - . ").await, all);
    let mut by_name: Vec<(String, String)> = records("licenses")
        .into_iter()
        .map(|(id, name, _)| (name.to_lowercase(), id))
        .collect();
    by_name.sort();
    assert_eq!(
        all,
        by_name.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn the_search_page_finds_sources_and_licences() {
    for (query, folder) in [("apache", "licenses"), ("bloomberg avocado", "sources")] {
        let html = get(&format!("/search?q={}", encode(query))).await.text();
        let ids = expected(folder, query);
        assert!(!ids.is_empty(), "{query}");
        for id in ids {
            assert!(
                html.contains(&format!("href=\"/{folder}/{id}\"")),
                "/search?q={query} lists /{folder}/{id}"
            );
        }
    }
    // Found by what people type: the R1 distills, and Llama 3.1 without its space.
    let html = get("/search?q=r1+distill").await.text();
    assert!(html.contains("href=\"/models/deepseek-r1-distill-qwen-7b\""));
    let html = get("/search?q=Llama3.1").await.text();
    assert!(html.contains("href=\"/models/llama-3.1-8b\""));
}

// ---------------------------------------------------------------------------------
// The search box

#[tokio::test]
async fn every_search_box_is_an_aria_combobox() {
    for uri in ["/", "/search?q=avo", "/models/avocado", "/nope"] {
        let answer = call("GET", uri, &[("accept", BROWSER_ACCEPT)], b"").await;
        let html = answer.text();
        let inputs: Vec<&str> = html
            .split("<input")
            .skip(1)
            .map(|rest| &rest[..rest.find('>').unwrap()])
            .filter(|tag| tag.contains("name=\"q\""))
            .collect();
        assert!(!inputs.is_empty(), "{uri} has a search box");
        for input in inputs {
            for attribute in [
                "role=\"combobox\"",
                "aria-expanded=\"false\"",
                "aria-autocomplete=\"list\"",
            ] {
                assert!(
                    input.contains(attribute),
                    "{uri}: {input} lacks {attribute}"
                );
            }
            let controls = input
                .split("aria-controls=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| panic!("{uri}: {input} controls nothing"));
            let listbox = format!("id=\"{controls}\" role=\"listbox\"");
            assert!(html.contains(&listbox), "{uri}: no listbox {controls}");
        }
    }
}

#[tokio::test]
async fn every_kind_is_suggested_as_you_type() {
    let script = get("/assets/app.js").await.text();
    let json = script
        .lines()
        .find_map(|line| line.strip_prefix("const PEDIGREE_KINDS = Object.freeze("))
        .and_then(|rest| rest.strip_suffix(");"))
        .unwrap();
    let kinds: serde_json::Value = serde_json::from_str(json).unwrap();
    for kind in kinds.as_array().unwrap() {
        assert_eq!(kind["suggest"], true, "{kind}");
    }
}

// ---------------------------------------------------------------------------------
// Names and aliases in page addresses

#[tokio::test]
async fn a_name_or_alias_in_a_page_address_redirects_to_the_record() {
    let model = bundled().dataset.model("avocado").unwrap();
    let mut spellings = vec![model.name.to_string()];
    spellings.extend(model.aliases.iter().map(|a| a.to_string()));
    spellings.push(model.name.as_str().to_lowercase().replace(' ', "-"));
    assert!(spellings.contains(&"muse-spark".to_owned()));
    for spelling in spellings {
        let uri = format!("/models/{}", encode(&spelling));
        let answer = get(&uri).await;
        assert_eq!(answer.status, StatusCode::PERMANENT_REDIRECT, "{uri}");
        assert_eq!(answer.headers["location"], "/models/avocado", "{uri}");
    }
    // The page's settings go along.
    let answer = get("/models/muse-spark?direction=up&depth=1").await;
    assert_eq!(
        answer.headers["location"],
        "/models/avocado?direction=up&depth=1"
    );
    // Other kinds, by name: every organisation whose name's key is its own.
    for org in &bundled().dataset.organizations {
        let slug = org.name.as_str().to_lowercase().replace(' ', "-");
        if bundled().dataset.get(&slug).is_some() {
            continue; // the slug is an id: that record's page, no redirect
        }
        let uri = format!("/organizations/{}", encode(&slug));
        let answer = get(&uri).await;
        let sharing = bundled()
            .dataset
            .organizations
            .iter()
            .filter(|o| {
                std::iter::once(o.name.as_str())
                    .chain(std::iter::once(o.id.as_str()))
                    .chain(o.aliases.iter().map(|a| a.as_str()))
                    .any(|t| key(t) == key(&slug))
            })
            .count();
        if sharing == 1 {
            assert_eq!(answer.status, StatusCode::PERMANENT_REDIRECT, "{uri}");
            assert_eq!(
                answer.headers["location"],
                format!("/organizations/{}", org.id.as_str()),
                "{uri}"
            );
        }
    }
    // The API stays strict: a name is not an id there.
    let api = get("/api/models/muse-spark").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.json()["error"], "not found");
    // A name no record has is still the 404 page with close ids.
    let missing = get("/models/avocad").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.text().contains("href=\"/models/avocado\""));
}

/// A router over a copy of the base fixture in which two models share an alias.
fn ambiguous_state() -> (Tree, AppState) {
    let tree = Tree::base();
    for id in ["acme-base", "acme-chat"] {
        let path = format!("models/{id}.yaml");
        let text = std::fs::read_to_string(tree.path().join(&path)).unwrap();
        tree.write(&path, format!("{text}aliases: [Acme One]\n"));
    }
    let kb = KnowledgeBase::load(tree.path(), Iris::default()).unwrap();
    (tree, crate::util::app_state(kb, Config::default()))
}

#[tokio::test]
async fn an_address_several_records_answer_to_goes_to_the_search_page() {
    let (_tree, state) = ambiguous_state();
    let response = router(state.clone())
        .oneshot(
            Request::get("/models/acme-one")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/search?q=acme-one");
    // One of them by its own name still goes to its page.
    let response = router(state)
        .oneshot(
            Request::get("/models/acme-chat?depth=1")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

// ---------------------------------------------------------------------------------
// Error pages

#[tokio::test]
async fn a_mistyped_path_gets_a_page_with_a_way_back() {
    for (uri, names) in [
        ("/modles/avocado", Some("/models/avocado")),
        ("/nope", None),
        ("/models/avocado/nope", None),
    ] {
        let answer = call("GET", uri, &[("accept", BROWSER_ACCEPT)], b"").await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(answer.content_type.starts_with("text/html"), "{uri}");
        let html = answer.text();
        assert!(
            html.contains("<header class=\"site\">"),
            "{uri}: the site's header"
        );
        assert!(html.contains("action=\"/search\""), "{uri}: a search box");
        assert!(html.contains("href=\"/\""), "{uri}: a way home");
        assert!(
            html.contains(&format!("There is no page at {uri}.")),
            "{uri}: says what is wrong in words"
        );
        if let Some(page) = names {
            // The path's last part is an id: its page is offered by name.
            let name = &bundled().dataset.model("avocado").unwrap().name;
            assert!(
                html.contains(&format!("<a href=\"{page}\">{name}</a>")),
                "{uri}"
            );
        }
    }
}

#[tokio::test]
async fn json_clients_and_the_api_keep_the_json_error() {
    for (uri, accept) in [
        ("/nope", None),
        ("/nope", Some("application/json")),
        ("/nope", Some("*/*")),
        ("/nope", Some("image/png")),
        ("/api/nope", Some(BROWSER_ACCEPT)),
        ("/api", Some(BROWSER_ACCEPT)),
    ] {
        let headers: Vec<(&str, &str)> = accept.map(|a| ("accept", a)).into_iter().collect();
        let answer = call("GET", uri, &headers, b"").await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri} {accept:?}");
        assert!(
            answer.content_type.starts_with("application/json"),
            "{uri} {accept:?}: {}",
            answer.content_type
        );
        assert_eq!(answer.json()["error"], "not found");
    }
}

#[tokio::test]
async fn a_record_not_found_is_said_in_words_with_suggestions_by_name() {
    let answer = get("/people/alexandr-wong").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    let html = answer.text();
    assert!(html.contains("There is no person with the id “alexandr-wong”"));
    let person = bundled()
        .dataset
        .people
        .iter()
        .find(|p| p.id.as_str() == "alexandr-wang")
        .unwrap();
    assert!(html.contains(&format!(
        "<a href=\"/people/alexandr-wang\">{}</a>",
        escape(person.name.as_str())
    )));
    assert!(
        !html.contains("`alexandr-wong` not found"),
        "the API's words stay in the API"
    );
}

// ---------------------------------------------------------------------------------
// Names, not ids, on pages

#[tokio::test]
async fn lists_and_tables_name_records_rather_than_show_ids() {
    let d = &bundled().dataset;
    let name_of = |id: &str| -> String {
        d.model(id)
            .map(|m| m.name.to_string())
            .or_else(|| {
                d.organizations
                    .iter()
                    .find(|o| o.id.as_str() == id)
                    .map(|o| o.name.to_string())
            })
            .unwrap()
    };
    // People: each current role names its organisation.
    let people = get("/people").await.text();
    for person in &d.people {
        if let Some(role) = person.current_role() {
            let org = role.organization.as_str();
            assert!(
                people.contains(&format!(
                    "{}, {}",
                    role.title.as_str(),
                    escape(&name_of(org))
                )),
                "/people: {} at {org}",
                person.id.as_str()
            );
            assert!(
                !people.contains(&format!(", {org}<")),
                "/people shows the id {org}"
            );
        }
    }
    // A model page's edge tables: names and relation labels.
    for id in ["llama-3.1-8b", "avocado", "deepseek-r1-distill-qwen-7b"] {
        let html = get(&format!("/models/{id}")).await.text();
        let model = d.model(id).unwrap();
        for edge in &model.lineage {
            let base = edge.base.as_str();
            let label = pedigree::lineage::style::relation(edge.relation.value).label;
            assert!(
                html.contains(&format!(
                    "{label} of <a href=\"/models/{base}\">{}</a>",
                    escape(&name_of(base))
                )),
                "/models/{id}: its claim on {base}"
            );
            assert!(
                html.contains(&format!(">{label}</td>")),
                "/models/{id}: relation label {label}"
            );
        }
        if name_of(id) != id {
            assert!(
                !html.contains(&format!(">{id}</a>")),
                "/models/{id} shows its id as a link text"
            );
        }
    }
    // A source's claims in words name the records.
    let source = get("/sources/bloomberg-2025-12-10-meta-avocado")
        .await
        .text();
    assert!(source.contains(&format!("distillation of {}", escape(&name_of("qwen")))));
    assert!(source.contains(&format!("developed by {}", escape(&name_of("tbd-lab")))));
    assert!(!source.contains("developed by tbd-lab"));
}

#[tokio::test]
async fn pages_write_dates_in_iso_order() {
    // A date field shows the browser's locale order (12/10/2025); the model page's
    // date fields are text with the ISO grammar.
    let html = get("/models/avocado?as_of=2026-01-01&known_at=2025")
        .await
        .text();
    assert!(!html.contains("type=\"date\""));
    assert!(html.contains("value=\"2026-01-01\"") && html.contains("value=\"2025\""));
    assert!(html.contains("placeholder=\"YYYY-MM-DD\""));
}

/// maud's escaping of text, for comparing names with markup.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
