//! `pedigree import huggingface --model … --descendants` (issue 14, the Hub API path)
//! against a server on 127.0.0.1 (port 0) that replays recorded answers in the API's
//! shape (`tests/fixtures/import/hub/`, described in its README): children over two
//! pages linked by a `Link` header, a 429 with `Retry-After: 1`, a 500, a repo that
//! disappears mid-walk, an answer that is not JSON, the token sent and never shown,
//! the cache answered with `304`s, and the same bytes on every run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;

use crate::import::files;
use crate::util::{Tree, fixtures, pedigree, pedigree_env, stderr, stdout};

const TOKEN: &str = "hf_TEST_token_that_must_never_show_0123456789";

/// One request the server saw.
#[derive(Clone, Debug)]
struct Seen {
    /// Path and query, as sent.
    target: String,
    authorization: Option<String>,
    if_none_match: Option<String>,
    status: u16,
    at: Instant,
}

#[derive(Debug)]
struct Replay {
    url: String,
    seen: Mutex<Vec<Seen>>,
    /// How often each path was asked for, for the answers that fail once.
    asked: Mutex<HashMap<String, u32>>,
}

/// The recorded answers' server, stopped on drop.
#[derive(Debug)]
struct HubServer {
    url: String,
    replay: Arc<Replay>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl HubServer {
    fn start() -> HubServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let replay = Arc::new(Replay {
            url: url.clone(),
            seen: Mutex::new(Vec::new()),
            asked: Mutex::new(HashMap::new()),
        });
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        let state = replay.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let app = axum::Router::new().fallback(handle).with_state(state);
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stop.await;
                    })
                    .await
                    .unwrap();
            });
        });
        HubServer {
            url,
            replay,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    fn seen(&self) -> Vec<Seen> {
        self.replay.seen.lock().unwrap().clone()
    }
}

impl Drop for HubServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn hub_fixtures() -> PathBuf {
    fixtures().join("import/hub")
}

/// A weak ETag of a body: FNV-1a, as a server computes one from its content.
fn etag(body: &str) -> String {
    let hash = body.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("W/\"{hash:016x}\"")
}

async fn handle(State(replay): State<Arc<Replay>>, request: Request) -> Response {
    let header_text = |name: header::HeaderName| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let authorization = header_text(header::AUTHORIZATION);
    let if_none_match = header_text(header::IF_NONE_MATCH);
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let target = match &query {
        Some(q) => format!("{path}?{q}"),
        None => path.clone(),
    };
    let asked = {
        let mut asked = replay.asked.lock().unwrap();
        let count = asked.entry(target.clone()).or_insert(0);
        *count += 1;
        *count
    };
    let (status, extra, body) = answer(&replay, &path, query.as_deref(), asked);
    let mut response = Response::builder().status(status);
    for (name, value) in extra {
        response = response.header(name, value);
    }
    let (status, response) = if status == StatusCode::OK {
        let tag = etag(&body);
        if if_none_match.as_deref() == Some(tag.as_str()) {
            (
                StatusCode::NOT_MODIFIED,
                Response::builder()
                    .status(StatusCode::NOT_MODIFIED)
                    .header(header::ETAG, tag)
                    .body(Body::empty())
                    .unwrap(),
            )
        } else {
            (
                status,
                response
                    .header(header::ETAG, tag)
                    .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
                    .body(Body::from(body))
                    .unwrap(),
            )
        }
    } else {
        (status, response.body(Body::from(body)).unwrap())
    };
    replay.seen.lock().unwrap().push(Seen {
        target,
        authorization,
        if_none_match,
        status: status.as_u16(),
        at: Instant::now(),
    });
    response
}

type Answer = (StatusCode, Vec<(&'static str, String)>, String);

/// The recorded answer to a request, the failures of the synthetic repos made here.
fn answer(replay: &Replay, path: &str, query: Option<&str>, asked: u32) -> Answer {
    let not_found = || {
        (
            StatusCode::NOT_FOUND,
            Vec::new(),
            r#"{"error":"Repository not found"}"#.to_owned(),
        )
    };
    if path == "/api/models" {
        let pairs: HashMap<String, String> = form_urlencoded::parse(query.unwrap_or("").as_bytes())
            .into_owned()
            .collect();
        let Some(filter) = pairs.get("filter") else {
            return not_found();
        };
        let cursor: usize = pairs
            .get("cursor")
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let pages: Vec<serde_json::Value> = filter
            .strip_prefix("base_model:")
            .and_then(|rest| rest.split_once(':'))
            .and_then(|(relation, repo)| {
                std::fs::read_to_string(
                    hub_fixtures()
                        .join("listings")
                        .join(relation)
                        .join(format!("{repo}.json")),
                )
                .ok()
            })
            .map(|text| serde_json::from_str(&text).unwrap())
            .unwrap_or_else(|| vec![serde_json::json!([])]);
        let Some(page) = pages.get(cursor) else {
            return not_found();
        };
        let mut extra = Vec::new();
        if cursor + 1 < pages.len() {
            let filter: String = form_urlencoded::byte_serialize(filter.as_bytes()).collect();
            extra.push((
                "link",
                format!(
                    "<{}/api/models?filter={filter}&cursor={}>; rel=\"next\"",
                    replay.url,
                    cursor + 1
                ),
            ));
        }
        return (StatusCode::OK, extra, page.to_string());
    }
    let Some(repo) = path.strip_prefix("/api/models/") else {
        return not_found();
    };
    match (repo, asked) {
        ("test-owner/gpt-oss-120b-rate-limited", 1) => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                vec![("retry-after", "1".to_owned())],
                r#"{"error":"You have been rate-limited"}"#.to_owned(),
            );
        }
        ("test-owner/gpt-oss-120b-flaky", 1) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                Vec::new(),
                r#"{"error":"Internal Error"}"#.to_owned(),
            );
        }
        ("test-owner/gpt-oss-120b-down", _) => {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                vec![("retry-after", "1".to_owned())],
                r#"{"error":"Service Unavailable"}"#.to_owned(),
            );
        }
        // A private or gated repo: the Hub answers 401 without a token that may read
        // it, 403 with one that may not.
        ("test-owner/gated-model", _) => {
            return (
                StatusCode::UNAUTHORIZED,
                Vec::new(),
                r#"{"error":"Access to model test-owner/gated-model is restricted."}"#.to_owned(),
            );
        }
        ("test-owner/forbidden-model", _) => {
            return (
                StatusCode::FORBIDDEN,
                Vec::new(),
                r#"{"error":"Access to model test-owner/forbidden-model is restricted."}"#
                    .to_owned(),
            );
        }
        ("test-owner/gpt-oss-120b-not-json", _) => {
            return (
                StatusCode::OK,
                Vec::new(),
                "<html><body>Not the API</body></html>".to_owned(),
            );
        }
        _ => {}
    }
    match std::fs::read_to_string(hub_fixtures().join("models").join(format!("{repo}.json"))) {
        Ok(body) => (StatusCode::OK, Vec::new(), body),
        Err(_) => not_found(),
    }
}

/// Imports the two roots and their children from `server` with `extra` arguments.
fn import(server: &HubServer, extra: &[&str], token: Option<&str>) -> Output {
    let mut args = vec![
        "import",
        "huggingface",
        "--model",
        "openai/gpt-oss-120b",
        "meta-llama/Llama-3.1-8B-Instruct",
        "--descendants",
        "--endpoint",
        &server.url,
    ];
    args.extend_from_slice(extra);
    pedigree_env(&args, &[("HF_TOKEN", token)])
}

fn read(dir: &Path, kind: &str, id: &str) -> String {
    crate::import::record(dir, kind, id)
}

#[test]
fn the_walk_follows_pages_and_retries_reports_the_gone_and_never_shows_the_token() {
    let server = HubServer::start();
    let tree = Tree::bundled();
    let data = tree.path().display().to_string();
    let out = import(&server, &["--data", &data], Some(TOKEN));
    let (text, errors) = (stdout(&out), stderr(&out));
    // The gone repo and the answer that is not JSON are problems: exit 1, the rest
    // imported.
    assert_eq!(out.status.code(), Some(1), "{text}\n{errors}");
    for expected in [
        "error[I007]: test-owner/gpt-oss-120b-gone answered 404",
        "/api/models/test-owner/gpt-oss-120b-gone",
        "error[I008]: the answer is not a model as the Hub API gives one: not JSON",
        "/api/models/test-owner/gpt-oss-120b-not-json",
        "error[I008]: no usable answer for test-owner/gpt-oss-120b-down: the request answered 503 on each of 4 tries",
        // The card data is read as a card's front matter: the bad entry is pointed at
        // by line, and skipped.
        "error[I003]: `./checkpoint` is a local path, not a repo id",
        "/api/models/test-owner/gpt-oss-120b-local-path:2:3",
        "8 repos read, 9 listing pages",
        "3 skipped",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let seen = server.seen();
    let count = |target: &str| seen.iter().filter(|s| s.target == target).count();
    // Two pages of the quantizations of gpt-oss-120b, the second through the Link.
    assert_eq!(
        count("/api/models?filter=base_model%3Aquantized%3Aopenai%2Fgpt-oss-120b"),
        1
    );
    assert_eq!(
        count("/api/models?filter=base_model%3Aquantized%3Aopenai%2Fgpt-oss-120b&cursor=1"),
        1
    );
    // Retried after the 429, no sooner than its Retry-After; and after the 500.
    let tries: Vec<&Seen> = seen
        .iter()
        .filter(|s| s.target == "/api/models/test-owner/gpt-oss-120b-rate-limited")
        .collect();
    assert_eq!(
        tries.iter().map(|s| s.status).collect::<Vec<_>>(),
        [429, 200]
    );
    assert!(tries[1].at - tries[0].at >= Duration::from_millis(900));
    assert_eq!(
        seen.iter()
            .filter(|s| s.target == "/api/models/test-owner/gpt-oss-120b-flaky")
            .map(|s| s.status)
            .collect::<Vec<_>>(),
        [500, 200]
    );
    // A repo that keeps failing is tried MAX_ATTEMPTS times, then skipped.
    assert_eq!(count("/api/models/test-owner/gpt-oss-120b-down"), 4);
    // Each repo read once; depth 1 lists the roots' children only.
    assert_eq!(count("/api/models/bartowski/openai_gpt-oss-120b-GGUF"), 1);
    assert!(
        !seen
            .iter()
            .any(|s| s.target.contains("bartowski") && s.target.starts_with("/api/models?"))
    );
    // The token goes with every request and nowhere else.
    assert!(
        seen.iter()
            .all(|s| s.authorization.as_deref() == Some(&format!("Bearer {TOKEN}")))
    );
    assert!(!text.contains(TOKEN) && !errors.contains(TOKEN));
    for (path, bytes) in files(tree.path()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(TOKEN),
            "the token is in {path}"
        );
    }
    // The records: the GGUF under the curated gpt-oss-120b as its card states; the
    // adapter's source pinned to the revision the Hub gave; the tags-only repo's base
    // from the Hub's tags, inferred (and so rumored, from a third party).
    let dir = tree.path().join("imported/huggingface");
    let gguf = read(
        &dir,
        "models",
        "hf-bartowski-openai-gpt-oss-120b-gguf-h37784be8",
    );
    assert!(gguf.contains("base: gpt-oss-120b") && gguf.contains("relation: quantized"));
    let source = read(&dir, "sources", "hf-card-kevin009-lla");
    assert!(
        source.contains("/blob/829913f5aee9a3aa6df995c7234e6d1f12de3665/README.md")
            && source.contains("read from the Hub API"),
        "{source}"
    );
    let limited = read(
        &dir,
        "sources",
        "hf-card-test-owner-gpt-oss-120b-rate-limited-h1f8d6aef",
    );
    assert!(limited.contains("published: \"2025-08-11\""), "{limited}");
    let tags_only = read(
        &dir,
        "models",
        "hf-test-owner-gpt-oss-120b-tags-only-h68ff5968",
    );
    assert!(
        tags_only.contains("relation: finetune")
            && tags_only.contains("confidence: rumored")
            && tags_only.contains("The Hub's `base_model:` tags name `openai/gpt-oss-120b`"),
        "{tags_only}"
    );
    let local_path = crate::import::documents(&dir, "models")
        .into_iter()
        .find(|document| document.contains("gpt-oss-120b-local-path"))
        .unwrap();
    assert_eq!(local_path.matches("- base:").count(), 1, "{local_path}");
    let flaky = read(&dir, "models", "hf-test-owner-gpt-oss-120b-flaky-hf8ec5527");
    assert!(flaky.contains("relation: quantized"), "{flaky}");
    assert!(
        crate::import::imported(&dir, "models", "hf-test-owner-gpt-oss-120b-gone-h611f1ab9")
            .is_none()
    );
    // The cache sits in a dot folder the loader skips: the tree validates, and the
    // imported children hang under the curated base.
    assert!(dir.join(".cache/hub").is_dir());
    let validate = pedigree(&["validate", &data]);
    assert_eq!(validate.status.code(), Some(0), "{}", stdout(&validate));
    let lineage = pedigree(&[
        "lineage",
        "gpt-oss-120b",
        "--direction",
        "down",
        "--data",
        &data,
    ]);
    assert!(
        stdout(&lineage).contains("gpt-oss-120b-rate-limited"),
        "{}",
        stdout(&lineage)
    );
}

#[test]
fn a_second_run_is_answered_from_the_cache_and_writes_the_same_bytes() {
    let server = HubServer::start();
    let out = tempfile::tempdir().unwrap();
    let path = out.path().display().to_string();
    let first = import(&server, &["--out", &path], None);
    assert_eq!(first.status.code(), Some(1), "{}", stdout(&first));
    let written = files(out.path());
    let asked_first = server.seen().len();
    let second = import(&server, &["--out", &path], None);
    let text = stdout(&second);
    assert_eq!(second.status.code(), Some(1), "{text}");
    assert_eq!(files(out.path()), written, "same answers, same bytes");
    assert!(text.contains("0 new, 0 changed"), "{text}");
    let again: Vec<Seen> = server.seen().split_off(asked_first);
    // Every answer the first run kept is asked for with its ETag and answered 304;
    // only the gone repo answers otherwise. No token was set, none was sent.
    for seen in &again {
        if seen.target.ends_with("gpt-oss-120b-gone") {
            assert_eq!(seen.status, 404);
        } else if seen.target.ends_with("gpt-oss-120b-down") {
            assert_eq!(seen.status, 503);
        } else {
            assert!(seen.if_none_match.is_some(), "{seen:?}");
            assert_eq!(seen.status, 304, "{seen:?}");
        }
    }
    assert!(
        again
            .iter()
            .chain(&server.seen())
            .all(|s| s.authorization.is_none())
    );
    let not_modified = again.iter().filter(|s| s.status == 304).count();
    assert!(
        text.contains(&format!(
            "({not_modified} answers unchanged since the cache)"
        )),
        "{text}"
    );
}

#[test]
fn a_dry_run_with_cards_and_the_hub_writes_nothing() {
    let server = HubServer::start();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let cards = fixtures().join("import/cards").display().to_string();
    let output = import(
        &server,
        &[
            "--cards",
            &cards,
            "--out",
            &out.display().to_string(),
            "--dry-run",
        ],
        None,
    );
    let text = stdout(&output);
    assert!(text.contains("would write (new)"), "{text}");
    assert!(text.contains("8 repos read"), "{text}");
    // bartowski's card is both on disk and on the Hub: read once, from the Hub.
    assert_eq!(
        text.matches("hf-bartowski-openai-gpt-oss-120b-gguf-h37784be8 in")
            .count(),
        1,
        "{text}"
    );
    assert!(!out.exists(), "a dry run writes no record and no cache");
}

#[test]
fn a_private_or_gated_repo_says_how_to_read_it_and_the_rest_is_imported() {
    let server = HubServer::start();
    let out = tempfile::tempdir().unwrap();
    let output = pedigree_env(
        &[
            "import",
            "huggingface",
            "--model",
            "test-owner/gated-model",
            "test-owner/forbidden-model",
            "bartowski/openai_gpt-oss-120b-GGUF",
            "--endpoint",
            &server.url,
            "--out",
            &out.path().display().to_string(),
        ],
        &[("HF_TOKEN", Some(TOKEN))],
    );
    let (text, errors) = (stdout(&output), stderr(&output));
    assert_eq!(output.status.code(), Some(1), "{text}\n{errors}");
    for status in ["gated-model answered 401", "forbidden-model answered 403"] {
        let at = text
            .find(&format!(
                "error[I007]: test-owner/{status}: private or gated"
            ))
            .unwrap_or_else(|| panic!("{status}: {text}"));
        let rest = &text[at..];
        let hint = &rest[..rest.find("\n\n").unwrap_or(rest.len())];
        assert!(
            hint.contains("set HF_TOKEN to a token that may read it"),
            "{hint}"
        );
    }
    assert!(!text.contains(TOKEN) && !errors.contains(TOKEN));
    // The readable repo is imported beside the two refused ones.
    assert!(
        crate::import::imported(
            out.path(),
            "models",
            "hf-bartowski-openai-gpt-oss-120b-gguf-h37784be8"
        )
        .is_some(),
        "{text}"
    );
}

#[test]
fn an_unreachable_endpoint_is_an_error_of_its_own() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = tempfile::tempdir().unwrap();
    let output = pedigree_env(
        &[
            "import",
            "huggingface",
            "--model",
            "test-owner/anything",
            "--endpoint",
            &format!("http://127.0.0.1:{port}"),
            "--out",
            &out.path().display().to_string(),
        ],
        &[("HF_TOKEN", Some(TOKEN))],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("cannot reach the Hub at http://127.0.0.1:"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains(TOKEN));
    // A --model that is not a repo id, and --depth without --descendants, are usage
    // errors.
    let bad = pedigree(&["import", "huggingface", "--model", "./checkpoint"]);
    assert_eq!(bad.status.code(), Some(2));
    let bad = pedigree(&["import", "huggingface", "--model", "a/b", "--depth", "2"]);
    assert_eq!(bad.status.code(), Some(2));
}
