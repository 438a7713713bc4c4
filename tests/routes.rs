//! The route map: every route the server answers is in the OpenAPI document or on
//! the server's list of routes outside it, docs/http-api.md's route table says the
//! same, and every route listed anywhere answers.

use std::collections::BTreeMap;

use crate::server::call;
use crate::util::root;

/// Methods by path, as a sorted map so two maps compare and print readably.
type RouteMap = BTreeMap<String, Vec<String>>;

/// The OpenAPI document's paths and their methods.
fn documented() -> RouteMap {
    let document: serde_json::Value =
        serde_json::from_str(&pedigree::server::openapi_json()).unwrap();
    document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(path, item)| {
            let methods = item
                .as_object()
                .unwrap()
                .keys()
                .map(|method| method.to_uppercase())
                .collect();
            (path.clone(), methods)
        })
        .collect()
}

/// The route table of docs/http-api.md: (methods, whether it says "in OpenAPI") by
/// path.
fn table() -> BTreeMap<String, (Vec<String>, bool)> {
    let text = std::fs::read_to_string(root().join("docs/http-api.md")).unwrap();
    let section = text
        .split("\n## Routes\n")
        .nth(1)
        .expect("docs/http-api.md has a `## Routes` section")
        .split("\n## ")
        .next()
        .unwrap();
    let mut rows = BTreeMap::new();
    for line in section.lines().filter(|line| line.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let [route, methods, in_openapi] = cells[..] else {
            panic!("a route row has three cells: {line}");
        };
        let methods = methods.split(", ").map(str::to_owned).collect();
        let in_openapi = match in_openapi {
            "yes" => true,
            other if other.starts_with("no") => false,
            other => panic!("`in OpenAPI` is yes or no…, not {other:?}: {line}"),
        };
        let previous = rows.insert(route.trim_matches('`').to_owned(), (methods, in_openapi));
        assert!(previous.is_none(), "listed twice: {line}");
    }
    rows
}

#[test]
fn every_route_is_in_the_openapi_document_or_listed_outside_it_and_the_docs_agree() {
    let documented = documented();
    let outside = pedigree::server::non_api_paths();
    for path in &outside {
        assert!(
            !documented.contains_key(*path),
            "{path} is both in the OpenAPI document and on the list of routes outside it"
        );
    }
    let table = table();
    let table_documented: RouteMap = table
        .iter()
        .filter(|(_, (_, in_openapi))| *in_openapi)
        .map(|(path, (methods, _))| (path.clone(), methods.clone()))
        .collect();
    assert_eq!(
        table_documented, documented,
        "docs/http-api.md's routes marked `yes` differ from the OpenAPI document's paths"
    );
    let mut table_outside: Vec<&str> = table
        .iter()
        .filter(|(_, (_, in_openapi))| !*in_openapi)
        .map(|(path, _)| path.as_str())
        .collect();
    let mut outside = outside;
    table_outside.sort_unstable();
    outside.sort_unstable();
    assert_eq!(
        table_outside, outside,
        "docs/http-api.md's routes marked `no` differ from the server's routes outside the document"
    );
}

/// The router is built in one place (`server::routes`) from the two lists above; a
/// `.route(` elsewhere under src/server would add a route neither list knows.
#[test]
fn routes_are_added_only_where_the_route_lists_are_joined() {
    let mut found = Vec::new();
    let mut stack = vec![root().join("src/server")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for call in [
                    ".route(",
                    ".route_service(",
                    ".nest(",
                    ".nest_service(",
                    ".merge(",
                ] {
                    let count = text.matches(call).count();
                    if count > 0 {
                        let file = path.strip_prefix(root()).unwrap().display().to_string();
                        found.push((file, call, count));
                    }
                }
            }
        }
    }
    assert_eq!(
        found,
        [("src/server/mod.rs".to_owned(), ".route(", 1)],
        "routes are added only by `server::routes`, from `api_routes` (with their OpenAPI entries) and `non_api_routes`"
    );
}

/// A path of the table with its parameters filled in with ids that exist, so that a
/// 404 can only mean the route is missing.
async fn example(path: &str) -> String {
    let Some((prefix, _)) = path.split_once('{') else {
        return path.to_owned();
    };
    let collection = prefix.trim_end_matches('/').rsplit('/').next().unwrap();
    let list = match collection {
        "queries" => "/api/queries".to_owned(),
        other => format!("/api/{other}?per_page=1"),
    };
    let answer = call("GET", &list, &[], b"").await.json();
    let first = match collection {
        "queries" => answer[0]["name"].as_str().unwrap().to_owned(),
        _ => answer["items"][0]["id"].as_str().unwrap().to_owned(),
    };
    let (_, rest) = path.split_once('}').unwrap();
    format!("{prefix}{first}{rest}")
}

#[tokio::test]
async fn every_listed_route_answers() {
    let table = table();
    assert!(table.len() > 30, "the route table was read: {table:?}");
    for (path, (methods, _)) in &table {
        let uri = example(path).await;
        for method in methods {
            let answer = call(method, &uri, &[], b"").await;
            assert!(
                answer.status != 404 && answer.status != 405,
                "{method} {uri} (for {path}) answered {}: {}",
                answer.status,
                answer.text()
            );
        }
    }
}
