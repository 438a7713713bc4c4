//! The Hub API path of `pedigree import huggingface --model REPO_ID... [--descendants]
//! [--depth N] [--endpoint URL]`: each repo's `GET {endpoint}/api/models/{id}` answer
//! becomes a [`Card`] (its `cardData` as the front matter, `sha` as the revision,
//! `lastModified` as the day), and with `--descendants` the children found through
//! `GET {endpoint}/api/models?filter=base_model:<relation>:<id>` are read too, breadth
//! first, each repo once. The cards then go through the same mapping as cards on disk.
//!
//! The network rules, each a named constant below: at most [`MAX_IN_FLIGHT`] requests
//! at once; a request answered 429 or 5xx, or timed out, is tried again, at most
//! [`MAX_ATTEMPTS`] times in all, after the `Retry-After` seconds the Hub asks for
//! (at most [`MAX_RETRY_AFTER`]) or else after [`FIRST_BACKOFF`] doubled on each try;
//! each request has [`REQUEST_TIMEOUT`]; answers larger than [`MAX_ANSWER_BYTES`] are
//! refused; a listing follows its `Link: <…>; rel="next"` pages, on the endpoint's own
//! host only, at most [`MAX_PAGES`] of them. A repo that answers 404, 401 or 403 is
//! reported (`I007`) and skipped; an answer that still fails, or is not the documented
//! JSON, is reported (`I008`) and skipped; an endpoint that cannot be reached at all
//! stops the import (exit 2).
//!
//! Every answer is kept in the cache folder (`<out>/.cache/hub/`, one JSON file per
//! URL with its body, `ETag` and next page), and the next run asks with
//! `If-None-Match`, so an interrupted walk resumes at the cost of `304`s. A token
//! (`HF_TOKEN`) is sent as `Authorization: Bearer …` to the endpoint's host only, and
//! is never printed, logged or written: [`Token`]'s `Debug` hides it, and neither the
//! cache nor any diagnostic holds a header.
//!
//! **Architecture Invariant:** this file is the only code in Pedigree that talks to
//! the network as a client (`tests/layers.rs` checks that `ureq` and outgoing sockets
//! appear nowhere else).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::card::{self, Card, OneOrMany, Origin};
use super::ids::fnv1a;
use super::rules;
use super::{ImportError, Report};
use crate::diagnostics::{Code, Diagnostic, FileId, SourceFile};
use crate::model::{PartialDate, Span};

/// The Hub, when `--endpoint` is not given.
pub const DEFAULT_ENDPOINT: &str = "https://huggingface.co";
/// Requests in flight at once: a few, as `huggingface_hub` itself uses, so a walk of
/// thousands of repos is not a flood.
pub const MAX_IN_FLIGHT: usize = 4;
/// Tries of one request in all, the first included, on 429, 5xx or a timeout.
pub const MAX_ATTEMPTS: u32 = 4;
/// The wait before the second try when the Hub sends no `Retry-After`; doubled
/// before each further try (1 s, 2 s, 4 s).
pub const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// The longest `Retry-After` honoured; a longer one is waited this long.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// The whole of one request, connection to last byte.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Connecting to the endpoint.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest answer read (a model's answer lists its files; the largest repos'
/// stay well under this).
pub const MAX_ANSWER_BYTES: u64 = 32 * 1024 * 1024;
/// Pages of one listing followed at most (a `Link` loop stops earlier).
pub const MAX_PAGES: usize = 10_000;
/// The Hub's relation words, one children listing each, in this order.
pub const RELATIONS: [&str; 4] = ["adapter", "merge", "quantized", "finetune"];
/// The cache's folder below the output folder: a dot folder, which the data loader
/// never reads.
pub const CACHE_FOLDER: &str = ".cache/hub";
/// The `createdAt` the Hub gives every repo created before it stored creation dates:
/// "unknown", not a day.
const PLACEHOLDER_CREATED_AT: &str = "2022-03-02T23:29:04.000Z";

/// The `cardData` fields the importer reads (those of `card::CardData`).
const CARD_FIELDS: [&str; 8] = [
    "base_model",
    "base_model_relation",
    "license",
    "license_name",
    "license_link",
    "datasets",
    "library_name",
    "tags",
];

/// Characters of a query value sent as they are; everything else is percent-encoded
/// (`base_model:quantized:openai/gpt-oss-120b` → `base_model%3Aquantized%3Aopenai%2F…`).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// An access token for the Hub. Its `Debug` never shows it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// A token from its text; an empty one is none.
    pub fn new(text: String) -> Option<Token> {
        let text = text.trim().to_owned();
        (!text.is_empty()).then_some(Token(text))
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(hidden)")
    }
}

/// Where a walk is: what the progress line shows.
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    /// Repos whose answer was read.
    pub repos: usize,
    /// Pages of children listings read.
    pub pages: usize,
    /// Answers the Hub said were unchanged since the cache (`304`).
    pub not_modified: usize,
    /// Repos found and not read yet.
    pub queued: usize,
}

/// What the walk did, for the summary.
#[derive(Clone, Copy, Debug, Default)]
pub struct HubStats {
    /// Repos read (each a card).
    pub repos: usize,
    /// Pages of children listings read.
    pub pages: usize,
    /// Requests sent, retries included.
    pub requests: usize,
    /// Answers served from the cache after a `304`.
    pub not_modified: usize,
    /// Repos and listings skipped (`I007`, `I008`).
    pub skipped: usize,
}

/// A walk of the Hub: the repos to read, whether and how deep to follow children.
pub struct Walk<'a> {
    /// `https://huggingface.co`, or a mirror or test server: scheme and host, no
    /// trailing slash needed.
    pub endpoint: &'a str,
    /// Repo ids (`owner/name`) to start from.
    pub models: &'a [String],
    /// Whether to read the repos' children (`--descendants`).
    pub descendants: bool,
    /// How many generations of children (`--depth`, 1: children only).
    pub depth: u32,
    pub token: Option<Token>,
    /// Called after each answer, from the walk's threads.
    pub progress: &'a (dyn Fn(&Progress) + Sync),
}

impl std::fmt::Debug for Walk<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Walk")
            .field("endpoint", &self.endpoint)
            .field("models", &self.models)
            .field("descendants", &self.descendants)
            .field("depth", &self.depth)
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}

/// Why one request gave no answer to use.
#[derive(Debug)]
enum Failure {
    /// The repo is gone, private or gated: 404, 410, 401, 403.
    Gone(u16),
    /// Still failing after every try, or an answer that cannot be used.
    Failed(String),
    /// The walk cannot go on: the endpoint cannot be reached, or the cache cannot be
    /// written.
    Stop(ImportError),
}

/// An answer's body and, for a listing, the URL of its next page.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Answer {
    url: String,
    etag: Option<String>,
    next: Option<String>,
    body: String,
}

/// The HTTP client of a walk, with its cache and counters.
struct Client<'a> {
    agent: ureq::Agent,
    /// The endpoint without its trailing slash.
    endpoint: String,
    /// `scheme://host[:port]` of the endpoint: the only place the token goes and the
    /// only host whose next pages are followed.
    origin: String,
    token: Option<Token>,
    cache: PathBuf,
    write_cache: bool,
    stopped: AtomicBool,
    requests: AtomicUsize,
    repos: AtomicUsize,
    pages: AtomicUsize,
    not_modified: AtomicUsize,
    queued: AtomicUsize,
    progress: &'a (dyn Fn(&Progress) + Sync),
}

/// `scheme://host[:port]` of an `http(s)://` URL, or `None`.
fn origin_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.contains('@') {
        return None;
    }
    Some(format!("{}{host}", &url[..url.len() - rest.len()]))
}

impl<'a> Client<'a> {
    fn new(walk: &Walk<'a>, cache: &Path, write_cache: bool) -> Result<Client<'a>, ImportError> {
        let endpoint = walk.endpoint.trim_end_matches('/').to_owned();
        let origin = origin_of(&endpoint)
            .filter(|origin| *origin == endpoint)
            .ok_or_else(|| {
                ImportError::Usage(format!(
                    "the endpoint `{endpoint}` is not an http(s) URL of a host (`https://huggingface.co`)"
                ))
            })?;
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(REQUEST_TIMEOUT))
            .timeout_connect(Some(CONNECT_TIMEOUT))
            // The Hub redirects renamed repos to their new name on the same host; the
            // token follows only there.
            .redirect_auth_headers(ureq::config::RedirectAuthHeaders::SameHost)
            .user_agent(format!(
                "pedigree/{} (import huggingface)",
                env!("CARGO_PKG_VERSION")
            ))
            .max_idle_connections_per_host(MAX_IN_FLIGHT)
            .build();
        Ok(Client {
            agent: config.into(),
            endpoint,
            origin,
            token: walk.token.clone(),
            cache: cache.to_owned(),
            write_cache,
            stopped: AtomicBool::new(false),
            requests: AtomicUsize::new(0),
            repos: AtomicUsize::new(0),
            pages: AtomicUsize::new(0),
            not_modified: AtomicUsize::new(0),
            queued: AtomicUsize::new(0),
            progress: walk.progress,
        })
    }

    fn model_url(&self, repo: &str) -> String {
        format!("{}/api/models/{repo}", self.endpoint)
    }

    fn listing_url(&self, repo: &str, relation: &str) -> String {
        let filter = format!("base_model:{relation}:{repo}");
        format!(
            "{}/api/models?filter={}",
            self.endpoint,
            utf8_percent_encode(&filter, QUERY_VALUE)
        )
    }

    fn tick(&self) {
        (self.progress)(&Progress {
            repos: self.repos.load(Ordering::Relaxed),
            pages: self.pages.load(Ordering::Relaxed),
            not_modified: self.not_modified.load(Ordering::Relaxed),
            queued: self.queued.load(Ordering::Relaxed),
        });
    }

    /// The cache file of a URL: FNV-1a of the URL, the URL itself inside to tell two
    /// URLs of one hash apart.
    fn cache_path(&self, url: &str) -> PathBuf {
        self.cache.join(format!("{:016x}.json", fnv1a(url)))
    }

    fn cached(&self, url: &str) -> Option<Answer> {
        let text = std::fs::read_to_string(self.cache_path(url)).ok()?;
        serde_json::from_str::<Answer>(&text)
            .ok()
            .filter(|answer| answer.url == url)
    }

    fn store(&self, answer: &Answer) -> Result<(), ImportError> {
        if !self.write_cache {
            return Ok(());
        }
        let path = self.cache_path(&answer.url);
        let text = serde_json::to_string(answer).map_err(|e| ImportError::Yaml(e.to_string()))?;
        super::write_whole(&path, &text)
    }

    /// One GET, with the cache, the retries and the token.
    fn get(&self, url: &str) -> Result<Answer, Failure> {
        let cached = self.cached(url);
        let mut last = String::new();
        for attempt in 1..=MAX_ATTEMPTS {
            if self.stopped.load(Ordering::Relaxed) {
                return Err(Failure::Failed("the walk stopped".to_owned()));
            }
            let mut request = self.agent.get(url).header("Accept", "application/json");
            if let Some(Token(token)) = &self.token {
                request = request.header("Authorization", format!("Bearer {token}"));
            }
            if let Some(etag) = cached.as_ref().and_then(|c| c.etag.as_deref()) {
                request = request.header("If-None-Match", etag);
            }
            self.requests.fetch_add(1, Ordering::Relaxed);
            let wait = match request.call() {
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    let header = |name: &str| {
                        response
                            .headers()
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned)
                    };
                    match status {
                        200..=299 => {
                            let etag = header("etag");
                            let next = response
                                .headers()
                                .get_all("link")
                                .iter()
                                .filter_map(|v| v.to_str().ok())
                                .find_map(next_link);
                            let body = match response
                                .body_mut()
                                .with_config()
                                .limit(MAX_ANSWER_BYTES)
                                .read_to_string()
                            {
                                Ok(body) => body,
                                Err(ureq::Error::BodyExceedsLimit(_)) => {
                                    return Err(Failure::Failed(format!(
                                        "the answer is larger than the {MAX_ANSWER_BYTES} bytes read"
                                    )));
                                }
                                Err(error) => {
                                    last = format!("the answer broke off ({error})");
                                    if attempt < MAX_ATTEMPTS {
                                        std::thread::sleep(backoff(attempt));
                                    }
                                    continue;
                                }
                            };
                            let answer = Answer {
                                url: url.to_owned(),
                                etag,
                                next,
                                body,
                            };
                            self.store(&answer).map_err(Failure::Stop)?;
                            return Ok(answer);
                        }
                        304 => match cached {
                            Some(answer) => {
                                self.not_modified.fetch_add(1, Ordering::Relaxed);
                                return Ok(answer);
                            }
                            None => {
                                return Err(Failure::Failed(
                                    "the Hub answered 304 to a request that asked for no cached answer"
                                        .to_owned(),
                                ));
                            }
                        },
                        401 | 403 | 404 | 410 => return Err(Failure::Gone(status)),
                        429 | 500..=599 => {
                            last = format!("answered {status}");
                            header("retry-after")
                                .and_then(|s| s.trim().parse::<u64>().ok())
                                .map(|s| Duration::from_secs(s).min(MAX_RETRY_AFTER))
                                .unwrap_or_else(|| backoff(attempt))
                        }
                        _ => {
                            return Err(Failure::Failed(format!("the Hub answered {status}")));
                        }
                    }
                }
                Err(error) if unreachable(&error) => {
                    self.stopped.store(true, Ordering::Relaxed);
                    return Err(Failure::Stop(ImportError::Unreachable {
                        endpoint: self.endpoint.clone(),
                        message: error.to_string(),
                    }));
                }
                Err(error @ (ureq::Error::Timeout(_) | ureq::Error::Io(_))) => {
                    last = format!("failed ({error})");
                    backoff(attempt)
                }
                Err(error) => return Err(Failure::Failed(error.to_string())),
            };
            if attempt < MAX_ATTEMPTS {
                std::thread::sleep(wait);
            }
        }
        Err(Failure::Failed(format!(
            "the request {last} on each of {MAX_ATTEMPTS} tries"
        )))
    }

    /// Every child id of one listing, page after page; a page that fails ends the
    /// listing with what was read so far and the failure.
    fn list(&self, repo: &str, relation: &str) -> (Vec<String>, Option<Failure>) {
        let mut url = self.listing_url(repo, relation);
        let mut visited = HashSet::new();
        let mut ids = Vec::new();
        for _ in 0..MAX_PAGES {
            visited.insert(url.clone());
            let answer = match self.get(&url) {
                Ok(answer) => answer,
                Err(failure) => return (ids, Some(failure)),
            };
            let items = match serde_json::from_str::<Vec<Value>>(&answer.body) {
                Ok(items) => items,
                Err(error) => {
                    return (
                        ids,
                        Some(Failure::Failed(format!(
                            "a page of the listing is not a JSON array of models ({error})"
                        ))),
                    );
                }
            };
            ids.extend(items.iter().filter_map(|item| {
                item.get("id")
                    .or_else(|| item.get("modelId"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            }));
            self.pages.fetch_add(1, Ordering::Relaxed);
            self.tick();
            let Some(next) = answer.next else {
                return (ids, None);
            };
            let Some(next) = self.resolve(&next) else {
                return (
                    ids,
                    Some(Failure::Failed(format!(
                        "the next page `{next}` is not on {}; it is not followed",
                        self.origin
                    ))),
                );
            };
            if !visited.insert(next.clone()) {
                return (ids, None);
            }
            url = next;
        }
        (
            ids,
            Some(Failure::Failed(format!(
                "the listing has more than {MAX_PAGES} pages; the rest are not read"
            ))),
        )
    }

    /// A `Link` URL on the endpoint's own host, made absolute; `None` for any other.
    fn resolve(&self, link: &str) -> Option<String> {
        if link.starts_with('/') && !link.starts_with("//") {
            return Some(format!("{}{link}", self.origin));
        }
        (origin_of(link)? == self.origin).then(|| link.to_owned())
    }
}

/// Whether an error means the endpoint cannot be reached at all.
fn unreachable(error: &ureq::Error) -> bool {
    match error {
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => true,
        ureq::Error::Io(e) => matches!(
            e.kind(),
            std::io::ErrorKind::ConnectionRefused
                | std::io::ErrorKind::AddrNotAvailable
                | std::io::ErrorKind::NetworkUnreachable
                | std::io::ErrorKind::HostUnreachable
        ),
        _ => false,
    }
}

/// The wait after try `attempt` (1-based): [`FIRST_BACKOFF`], doubled each time.
fn backoff(attempt: u32) -> Duration {
    FIRST_BACKOFF * 2u32.pow(attempt.saturating_sub(1).min(10))
}

/// The `rel="next"` URL of one `Link` header value (`<url>; rel="next", <url>; rel="prev"`).
fn next_link(header: &str) -> Option<String> {
    let mut rest = header;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>')?;
        let url = &after[..close];
        let params = &after[close + 1..];
        let end = params.find('<').unwrap_or(params.len());
        // This link's parameters: up to the next link, without the comma between.
        let is_next = params[..end]
            .trim_end()
            .trim_end_matches(',')
            .split(';')
            .filter_map(|p| p.split_once('='))
            .any(|(key, value)| {
                key.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            });
        if is_next {
            return Some(url.to_owned());
        }
        rest = &params[end..];
    }
    None
}

/// Runs `f` on every item, at most [`MAX_IN_FLIGHT`] at once, the results in the
/// items' order.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..MAX_IN_FLIGHT.min(items.len()) {
            scope.spawn(|| {
                loop {
                    let at = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(at) else { break };
                    let result = f(item);
                    results.lock().expect("no worker panics")[at] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("no worker panics")
        .into_iter()
        .map(|r| r.expect("every item ran"))
        .collect()
}

/// Walks the Hub from `walk.models`, breadth first: each repo's answer read once, and
/// with `descendants`, the children of each generation up to `depth`. Problems with
/// one repo or listing are reported and skipped; an unreachable endpoint or an
/// unwritable cache stops the walk.
pub(super) fn walk(
    walk: &Walk<'_>,
    cache: &Path,
    write_cache: bool,
    report: &mut Report,
) -> Result<Vec<Card>, ImportError> {
    for model in walk.models {
        if let Some(problem) = rules::repo_problem(model) {
            return Err(ImportError::Usage(format!(
                "--model `{model}` is {problem}"
            )));
        }
    }
    let client = Client::new(walk, cache, write_cache)?;
    let mut stats = HubStats::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut level: Vec<String> = walk
        .models
        .iter()
        .map(|m| m.trim().to_owned())
        .filter(|m| seen.insert(m.to_lowercase()))
        .collect();
    let mut cards = Vec::new();
    let mut depth = 0;
    while !level.is_empty() {
        client.queued.store(level.len(), Ordering::Relaxed);
        let answers = in_parallel(&level, |repo| {
            let answer = client.get(&client.model_url(repo));
            if answer.is_ok() {
                client.repos.fetch_add(1, Ordering::Relaxed);
            }
            client.queued.fetch_sub(1, Ordering::Relaxed);
            client.tick();
            answer
        });
        let mut read = Vec::new();
        for (repo, answer) in level.iter().zip(answers) {
            let url = client.model_url(repo);
            match answer {
                Ok(answer) => {
                    if let Some(card) = read_answer(&url, &answer.body, report) {
                        seen.insert(card.repo.to_lowercase());
                        read.push(card.repo.clone());
                        cards.push(card);
                    } else {
                        stats.skipped += 1;
                    }
                }
                Err(Failure::Stop(error)) => return Err(error),
                Err(failure) => {
                    stats.skipped += 1;
                    problem(report, &url, repo, failure);
                }
            }
        }
        if !walk.descendants || depth >= walk.depth {
            break;
        }
        let listings: Vec<(String, &str)> = read
            .iter()
            .flat_map(|repo| RELATIONS.iter().map(move |r| (repo.clone(), *r)))
            .collect();
        let children = in_parallel(&listings, |(repo, relation)| client.list(repo, relation));
        let mut next = Vec::new();
        for ((repo, relation), (ids, failure)) in listings.iter().zip(children) {
            let url = client.listing_url(repo, relation);
            for id in ids {
                if let Some(why) = rules::repo_problem(&id) {
                    stats.skipped += 1;
                    let what = format!("the {relation} children of {repo}");
                    problem(
                        report,
                        &url,
                        &what,
                        Failure::Failed(format!("the listing names `{id}`, which is {why}")),
                    );
                } else if seen.insert(id.to_lowercase()) {
                    next.push(id);
                }
            }
            match failure {
                None => {}
                Some(Failure::Stop(error)) => return Err(error),
                Some(failure) => {
                    stats.skipped += 1;
                    problem(
                        report,
                        &url,
                        &format!("the {relation} children of {repo}"),
                        failure,
                    );
                }
            }
        }
        level = next;
        depth += 1;
    }
    stats.repos = cards.len();
    stats.pages = client.pages.load(Ordering::Relaxed);
    stats.requests = client.requests.load(Ordering::Relaxed);
    stats.not_modified = client.not_modified.load(Ordering::Relaxed);
    report.hub = Some(stats);
    Ok(cards)
}

/// Reports a repo or listing that gave no usable answer, at its URL.
fn problem(report: &mut Report, url: &str, what: &str, failure: Failure) {
    let file = FileId(report.files.len() as u32);
    report.files.push(SourceFile {
        path: PathBuf::from(url),
        text: String::new(),
    });
    let diagnostic = match failure {
        Failure::Gone(status) => {
            let (why, hint) = match status {
                401 | 403 => (
                    "private or gated",
                    "set HF_TOKEN to a token that may read it, or leave it out; the rest is imported",
                ),
                _ => (
                    "gone (deleted, renamed away or never there)",
                    "it is skipped and the rest imported; a listing may still name a repo deleted since",
                ),
            };
            Diagnostic::at(
                Code::HubRepoGone,
                file,
                Span::default(),
                format!("{what} answered {status}: {why}"),
            )
            .label("skipped")
            .hint(hint)
        }
        Failure::Failed(why) => Diagnostic::at(
            Code::HubRequestFailed,
            file,
            Span::default(),
            format!("no usable answer for {what}: {why}"),
        )
        .label("skipped")
        .hint("it is skipped and the rest imported; run the import again to retry it (answers already read come from the cache)"),
        Failure::Stop(error) => Diagnostic::at(
            Code::HubRequestFailed,
            file,
            Span::default(),
            format!("no usable answer for {what}: {error}"),
        )
        .label("skipped"),
    };
    report.diagnostics.push(diagnostic);
}

/// A repo's answer as a card: `cardData` as the front matter (shown in diagnostics
/// as YAML, at the request's URL), the bases and relation from the Hub's
/// `base_model:` tags when `cardData` names no base.
fn read_answer(url: &str, body: &str, report: &mut Report) -> Option<Card> {
    let file = FileId(report.files.len() as u32);
    let fail = |report: &mut Report, text: String, why: String| {
        report.files.push(SourceFile {
            path: PathBuf::from(url),
            text,
        });
        report.diagnostics.push(
            Diagnostic::at(
                Code::HubRequestFailed,
                file,
                Span::default(),
                format!("the answer is not a model as the Hub API gives one: {why}"),
            )
            .label("skipped")
            .hint("the repo is skipped; the rest is imported"),
        );
        None
    };
    let value: Value = match serde_json::from_str(body) {
        Ok(value) => value,
        Err(error) => {
            // The answer's first line, so the diagnostic shows what came instead.
            let first = body.lines().next().unwrap_or("");
            let mut end = first.len().min(200);
            while !first.is_char_boundary(end) {
                end -= 1;
            }
            return fail(
                report,
                first[..end].to_owned(),
                format!("not JSON ({error})"),
            );
        }
    };
    let Some(object) = value.as_object() else {
        return fail(report, String::new(), "not a JSON object".to_owned());
    };
    let text_of = |key: &str| object.get(key).and_then(Value::as_str).map(str::trim);
    let Some(repo) = text_of("id") else {
        return fail(report, String::new(), "it has no `id`".to_owned());
    };
    if let Some(why) = rules::repo_problem(repo) {
        return fail(report, String::new(), format!("its `id` `{repo}` is {why}"));
    }
    let sha = text_of("sha")
        .filter(|s| s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_lowercase);
    let day = text_of("lastModified")
        .and_then(day_of)
        .or_else(|| {
            text_of("createdAt")
                .filter(|c| *c != PLACEHOLDER_CREATED_AT)
                .and_then(day_of)
        })
        .or_else(|| day_of(&jiff::Timestamp::now().to_string()))
        .unwrap_or_else(|| "1970-01-01".parse().expect("a valid date"));
    // The fields the importer reads (sorted by key); the rest (evaluation tables,
    // widgets) is left out, as a card's other fields are ignored.
    let card_data = match object.get("cardData") {
        None | Some(Value::Null) => serde_json::Map::new(),
        Some(Value::Object(map)) => map
            .iter()
            .filter(|(key, _)| CARD_FIELDS.contains(&key.as_str()))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect(),
        Some(_) => {
            return fail(
                report,
                String::new(),
                "its `cardData` is not an object".to_owned(),
            );
        }
    };
    // The card data as YAML, the card's own language: diagnostics quote it with lines.
    let text = if card_data.is_empty() {
        String::new()
    } else {
        match serde_saphyr::to_string(&card_data) {
            Ok(text) => text,
            Err(error) => return fail(report, String::new(), error.to_string()),
        }
    };
    report.files.push(SourceFile {
        path: PathBuf::from(url),
        text,
    });
    let text = &report.files[file.0 as usize].text;
    let mut data = match card::parse(text, 0, file) {
        Ok(data) => data,
        Err(diagnostic) => {
            report.diagnostics.push(*diagnostic);
            return None;
        }
    };
    let tags: Vec<String> = object
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let mut origin = Origin::Hub;
    if data.base_model.is_none() {
        let (bases, relations) = tag_bases(&tags);
        if !bases.is_empty() {
            origin = Origin::HubTags;
            data.base_model = Some(OneOrMany::Many(bases));
            data.base_model_relation = match relations.as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            };
        }
    }
    // The Hub's tags (`gguf`, `peft`, `4-bit`, …) join the card's for the inference
    // of a relation; its namespaced tags (`license:…`, `base_model:…`) do not.
    let mut all_tags = data
        .tags
        .take()
        .map(OneOrMany::into_vec)
        .unwrap_or_default();
    for tag in tags {
        if !tag.contains(':') && !all_tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
            all_tags.push(tag);
        }
    }
    if !all_tags.is_empty() {
        data.tags = Some(OneOrMany::Many(all_tags));
    }
    if data.library_name.is_none() {
        data.library_name = text_of("library_name").map(str::to_owned);
    }
    Some(Card {
        repo: repo.to_owned(),
        file,
        data,
        sha,
        day,
        origin,
    })
}

/// The bases the Hub's `base_model:<id>` and `base_model:<relation>:<id>` tags name,
/// in order, once each, and the distinct relations they give.
fn tag_bases(tags: &[String]) -> (Vec<String>, Vec<String>) {
    let mut bases: Vec<String> = Vec::new();
    let mut relations: Vec<String> = Vec::new();
    for tag in tags {
        let Some(rest) = tag.strip_prefix("base_model:") else {
            continue;
        };
        let (relation, base) = match rest.split_once(':') {
            Some((relation, base)) if RELATIONS.contains(&relation) => (Some(relation), base),
            Some(_) => continue,
            None => (None, rest),
        };
        if rules::repo_problem(base).is_some() {
            continue;
        }
        if !bases.iter().any(|b| b.eq_ignore_ascii_case(base)) {
            bases.push(base.to_owned());
        }
        if let Some(relation) = relation
            && !relations.iter().any(|r| r == relation)
        {
            relations.push(relation.to_owned());
        }
    }
    (bases, relations)
}

/// The UTC day of an RFC 3339 time (`2025-08-05T17:06:59.000Z` → 2025-08-05).
fn day_of(time: &str) -> Option<PartialDate> {
    let timestamp: jiff::Timestamp = time.trim().parse().ok()?;
    timestamp.to_string().get(..10)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_link_is_found_among_others() {
        let header = r#"<https://huggingface.co/api/models?filter=x&cursor=abc>; rel="next", <https://huggingface.co/api/models?filter=x>; rel="first""#;
        assert_eq!(
            next_link(header).as_deref(),
            Some("https://huggingface.co/api/models?filter=x&cursor=abc")
        );
        assert_eq!(next_link(r#"<https://a/b>; rel="prev""#), None);
        assert_eq!(
            next_link("<https://a/b>; rel=next").as_deref(),
            Some("https://a/b")
        );
        assert_eq!(next_link("garbage"), None);
    }

    #[test]
    fn tags_give_bases_and_one_relation() {
        let tags: Vec<String> = [
            "gguf",
            "base_model:openai/gpt-oss-120b",
            "base_model:quantized:openai/gpt-oss-120b",
            "base_model:other:x/y",
            "base_model:./path",
        ]
        .map(str::to_owned)
        .to_vec();
        let (bases, relations) = tag_bases(&tags);
        assert_eq!(bases, ["openai/gpt-oss-120b"]);
        assert_eq!(relations, ["quantized"]);
    }

    #[test]
    fn days_are_utc_and_origins_are_scheme_and_host() {
        assert_eq!(
            day_of("2025-08-05T23:59:59.000-05:00").map(|d| d.to_string()),
            Some("2025-08-06".to_owned())
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080/api/models?x=1").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("ftp://x"), None);
        assert_eq!(origin_of("https://user@evil/"), None);
        assert_eq!(backoff(1), FIRST_BACKOFF);
        assert_eq!(backoff(3), FIRST_BACKOFF * 4);
    }

    #[test]
    fn the_token_never_shows_in_debug() {
        let token = Token::new("hf_secret".to_owned()).unwrap();
        assert!(!format!("{token:?}").contains("hf_secret"));
        assert!(Token::new("  ".to_owned()).is_none());
    }
}
