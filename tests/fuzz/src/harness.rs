//! The fuzzing harness: what each fuzz target does with one input, shared by the
//! libFuzzer targets (`tests/fuzz/fuzz_targets/`) and by the regression tests that
//! replay every saved crashing input (`tests/fuzz_regressions.rs`).
//!
//! Each entry point runs one input on a thread with the stack the server gives its
//! threads ([`pedigree::sparql::QUERY_STACK_BYTES`]), so an input that needs the
//! server's stack is not reported as a crash, and one that overflows even that is.
//! The invariants checked are the service's promises: no panic (libFuzzer's panic
//! hook aborts on any, even one the server's panic layer would turn into a 500), no
//! 500, and every refusal a JSON body that says what was wrong.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use pedigree::dataset::Checked;
use pedigree::kb::KnowledgeBase;
use pedigree::model::Kind;
use pedigree::rdf::Iris;
use pedigree::server::{AppState, Config, router};
use pedigree::snapshot::Snapshot;
use tower::ServiceExt;

/// Runs `work` on a thread with the server's stack and waits for it. One such thread
/// serves every input (spawning one per input, with its 256 MiB stack mapping, cost
/// more than most inputs); a panic on it is passed on to the caller.
fn on_server_stack(work: impl FnOnce() + Send + 'static) {
    type Job = Box<dyn FnOnce() + Send>;
    type Outcome = std::thread::Result<()>;
    static WORKER: OnceLock<std::sync::Mutex<(Sender<Job>, Receiver<Outcome>)>> = OnceLock::new();
    let worker = WORKER.get_or_init(|| {
        let (jobs, job_queue) = std::sync::mpsc::channel::<Job>();
        let (outcomes, outcome_queue) = std::sync::mpsc::channel::<Outcome>();
        std::thread::Builder::new()
            .name("harness".into())
            .stack_size(pedigree::sparql::QUERY_STACK_BYTES)
            .spawn(move || {
                for job in job_queue {
                    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                    if outcomes.send(outcome).is_err() {
                        break;
                    }
                }
            })
            .expect("the harness thread starts");
        std::sync::Mutex::new((jobs, outcome_queue))
    });
    let channels = worker
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    channels
        .0
        .send(Box::new(work))
        .expect("the harness thread runs");
    let outcome = channels.1.recv().expect("the harness thread answers");
    drop(channels);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// The repository root: the nearest folder up from this crate holding `graph-data`.
fn repository() -> PathBuf {
    let mut dir = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    while !dir.join("graph-data").is_dir() {
        assert!(
            dir.pop(),
            "no graph-data above {}",
            env!("CARGO_MANIFEST_DIR")
        );
    }
    dir
}

/// The valid base fixture, which fuzzed records can refer to.
const BASE: &[(Kind, &str, &str)] = &[
    (
        Kind::License,
        "licenses/apache-2.0.yaml",
        include_str!("../../fixtures/base/licenses/apache-2.0.yaml"),
    ),
    (
        Kind::Model,
        "models/acme-base.yaml",
        include_str!("../../fixtures/base/models/acme-base.yaml"),
    ),
    (
        Kind::Model,
        "models/acme-chat.yaml",
        include_str!("../../fixtures/base/models/acme-chat.yaml"),
    ),
    (
        Kind::Model,
        "models/acme-family.yaml",
        include_str!("../../fixtures/base/models/acme-family.yaml"),
    ),
    (
        Kind::Organization,
        "organizations/acme-lab.yaml",
        include_str!("../../fixtures/base/organizations/acme-lab.yaml"),
    ),
    (
        Kind::Organization,
        "organizations/acme.yaml",
        include_str!("../../fixtures/base/organizations/acme.yaml"),
    ),
    (
        Kind::Person,
        "people/ada.yaml",
        include_str!("../../fixtures/base/people/ada.yaml"),
    ),
    (
        Kind::Source,
        "sources/acme-blog.yaml",
        include_str!("../../fixtures/base/sources/acme-blog.yaml"),
    ),
    (
        Kind::Source,
        "sources/wire-report.yaml",
        include_str!("../../fixtures/base/sources/wire-report.yaml"),
    ),
];

/// The YAML loader and validator: the input is one file, its kind chosen by the first
/// byte, loaded beside the base fixture. Every diagnostic is rendered in every format
/// (spans must fall inside their files), and valid data is built into a knowledge
/// base whose lineage views are rendered.
pub fn yaml(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let kind = Kind::ALL[usize::from(selector) % Kind::ALL.len()];
    let mut files: Vec<(Kind, PathBuf, Vec<u8>)> = BASE
        .iter()
        .map(|(kind, path, text)| (*kind, PathBuf::from(path), text.as_bytes().to_vec()))
        .collect();
    files.push((
        kind,
        PathBuf::from(format!("{}/fuzzed.yaml", kind.folder())),
        bytes.to_vec(),
    ));
    on_server_stack(move || {
        let checked = Checked::from_loaded(pedigree::load::load_sources(files));
        let files = checked.files();
        for diagnostic in &checked.diagnostics {
            let file = &files[diagnostic.location.file.0 as usize];
            assert!(
                diagnostic.location.span.end as usize <= file.text.len(),
                "span beyond the file"
            );
        }
        let _ = pedigree::diagnostics::render_human(&checked.diagnostics, files, true);
        let _ = pedigree::diagnostics::render_json(&checked.diagnostics, files);
        let _ = pedigree::diagnostics::render_github(&checked.diagnostics, files);
        if let Ok(dataset) = checked.into_dataset() {
            let kb = KnowledgeBase::build(dataset, Iris::default()).expect("valid data builds");
            let _ = kb.export_triples();
            for model in &kb.dataset.models {
                for direction in [
                    pedigree::lineage::Direction::Up,
                    pedigree::lineage::Direction::Down,
                ] {
                    kb.lineage
                        .walk(model.id.as_str(), direction, &Default::default(), None)
                        .expect("every model can be walked");
                }
            }
        }
    });
}

/// The application over the bundled data, built once, with a short query time limit
/// so slow inputs end quickly.
fn app_state() -> AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE
        .get_or_init(|| {
            let root = repository();
            let kb = KnowledgeBase::load(&root.join("graph-data"), Iris::default())
                .expect("the bundled data is valid");
            let queries = pedigree::queries::load_dir(&root.join("queries"))
                .expect("the canned queries parse");
            let mut config = Config::default();
            config.limits.timeout = Duration::from_millis(500);
            let snapshot = Snapshot {
                kb,
                queries,
                loaded_at: std::time::SystemTime::now(),
                data_version: None,
            };
            AppState::new(snapshot, config)
        })
        .clone()
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_stack_size(pedigree::sparql::QUERY_STACK_BYTES)
            .enable_all()
            .build()
            .expect("a runtime starts")
    })
}

/// Sends one request through the whole application and checks the answer.
fn send(request: Request<Body>) {
    let head = request.method() == axum::http::Method::HEAD;
    let state = app_state();
    let response = runtime().block_on(async move {
        let response = router(state)
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("the body is read");
        (status, content_type, body)
    });
    let (status, content_type, body) = response;
    assert_ne!(
        status.as_u16(),
        500,
        "a 500: {}",
        String::from_utf8_lossy(&body)
    );
    if head {
        // An answer to HEAD has headers only, whatever its status.
        assert!(body.is_empty(), "a body in an answer to HEAD");
    } else if content_type.starts_with("text/html") {
        // Pages answer errors as pages, headed by what went wrong.
        let page = String::from_utf8_lossy(&body);
        if !status.is_success() {
            let heading = format!("<h1>{}</h1>", status.canonical_reason().unwrap_or("Error"));
            assert!(page.contains(&heading), "{status} page without {heading}");
        }
    } else if status.is_client_error() || status.is_server_error() {
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_else(|_| {
            panic!(
                "{status} without a JSON body: {}",
                String::from_utf8_lossy(&body)
            )
        });
        assert!(
            json["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{status} says nothing"
        );
    }
}

/// Splits fuzz bytes into `n` fields at `0xFF` bytes (missing fields are empty).
fn fields(data: &[u8], n: usize) -> Vec<Vec<u8>> {
    let mut fields: Vec<Vec<u8>> = data.splitn(n, |&b| b == 0xFF).map(<[u8]>::to_vec).collect();
    fields.resize(n, Vec::new());
    fields
}

/// Percent-encodes what a URI cannot hold, keeping the characters that give a query
/// string its structure, so the fuzzer can build parameters.
fn uri_text(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~&=%+,;:/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The SPARQL request path: method, Content-Type, Accept, where the query goes (URL,
/// form or body), the protocol's dataset parameters, and the query text.
pub fn sparql_request(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let [content_type, accept, extra_params, text]: [Vec<u8>; 4] =
        fields(rest, 4).try_into().expect("four fields");
    let content_type = String::from_utf8_lossy(&content_type).into_owned();
    let accept = String::from_utf8_lossy(&accept).into_owned();
    let query = uri_text(&text);
    let extra = uri_text(&extra_params);
    let (method, uri, body) = match selector % 4 {
        0 => ("GET", format!("/sparql?query={query}&{extra}"), Vec::new()),
        1 => (
            "POST",
            format!("/sparql?{extra}"),
            format!("query={query}").into_bytes(),
        ),
        2 => ("POST", format!("/sparql?{extra}"), text),
        _ => (
            ["PUT", "DELETE", "OPTIONS", "HEAD"][usize::from(selector / 4) % 4],
            format!("/sparql?query={query}"),
            Vec::new(),
        ),
    };
    let mut request = Request::builder().method(method).uri(uri.as_str());
    if selector & 0x10 == 0 {
        request = request.header("content-type", content_type.as_str());
    }
    if selector & 0x20 == 0 {
        request = request.header("accept", accept.as_str());
    }
    let Ok(request) = request.body(Body::from(body)) else {
        return; // Not a request HTTP can carry (invalid header or URI): nothing to test.
    };
    on_server_stack(move || send(request));
}

/// Ids that exist, so that most inputs reach past the lookup.
const IDS: &[&str] = &[
    "avocado",
    "qwen",
    "llama-3.1-8b",
    "deepseek-r1",
    "qwen2.5-7b",
    "llama-4-maverick",
    "gemma-3-27b",
    "meta",
];

/// The lineage API and pages: an endpoint, a model id (a real one or fuzzed), and a
/// fuzzed query string of parameters.
pub fn lineage_params(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let [id, params]: [Vec<u8>; 2] = fields(rest, 2).try_into().expect("two fields");
    let id = if selector & 0x80 == 0 {
        IDS[usize::from(selector) % IDS.len()].to_owned()
    } else {
        uri_text(&id).replace('/', "%2F")
    };
    let params = uri_text(&params);
    let uri = match selector % 6 {
        0 => format!("/api/models/{id}/lineage?{params}"),
        1 => format!("/api/path?{params}"),
        2 => format!("/api/path?from={id}&{params}"),
        3 => format!("/models/{id}?{params}"),
        4 => format!("/api/models?{params}"),
        _ => format!("/api/models/{id}?{params}"),
    };
    let Ok(request) = Request::builder().uri(uri.as_str()).body(Body::empty()) else {
        return;
    };
    on_server_stack(move || send(request));
}
