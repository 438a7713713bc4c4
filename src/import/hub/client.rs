//! The HTTP client of the Hub walk, and what makes it robust. The network rules, each
//! a named constant: at most [`MAX_IN_FLIGHT`] requests at once; a request answered 429
//! or 5xx, or timed out, is tried again, at most [`MAX_ATTEMPTS`] times in all, after
//! the `Retry-After` the Hub asks for (seconds or an HTTP date; at most
//! [`MAX_RETRY_AFTER`]) or else
//! after [`FIRST_BACKOFF`] doubled on each try; each request has [`REQUEST_TIMEOUT`];
//! answers larger than [`MAX_ANSWER_BYTES`] are refused; a listing follows its
//! `Link: <…>; rel="next"` pages, on the endpoint's own host only, at most
//! [`MAX_PAGES`] of them.
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
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{MAX_IN_FLIGHT, Progress, Walk};
use crate::import::ImportError;
use crate::import::ids::fnv1a;

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
/// The cache's folder below the output folder: a dot folder, which the data loader
/// never reads.
pub const CACHE_FOLDER: &str = ".cache/hub";

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

/// Why one request gave no answer to use.
#[derive(Debug)]
pub(super) enum Failure {
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
pub(super) struct Answer {
    url: String,
    etag: Option<String>,
    next: Option<String>,
    pub(super) body: String,
}

/// The HTTP client of a walk, with its cache and counters.
pub(super) struct Client<'a> {
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
    pub(super) requests: AtomicUsize,
    pub(super) repos: AtomicUsize,
    pub(super) pages: AtomicUsize,
    pub(super) not_modified: AtomicUsize,
    pub(super) queued: AtomicUsize,
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
    pub(super) fn new(
        walk: &Walk<'a>,
        cache: &Path,
        write_cache: bool,
    ) -> Result<Client<'a>, ImportError> {
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

    pub(super) fn model_url(&self, repo: &str) -> String {
        format!("{}/api/models/{repo}", self.endpoint)
    }

    pub(super) fn listing_url(&self, repo: &str, relation: &str) -> String {
        let filter = format!("base_model:{relation}:{repo}");
        format!(
            "{}/api/models?filter={}",
            self.endpoint,
            utf8_percent_encode(&filter, QUERY_VALUE)
        )
    }

    pub(super) fn tick(&self) {
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
        crate::import::files::write_whole(&path, &text)
    }

    /// One GET, with the cache, the retries and the token.
    pub(super) fn get(&self, url: &str) -> Result<Answer, Failure> {
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
                                .and_then(|value| retry_after(&value, jiff::Timestamp::now()))
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
    pub(super) fn list(&self, repo: &str, relation: &str) -> (Vec<String>, Option<Failure>) {
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

/// The wait a `Retry-After` value asks for, at most [`MAX_RETRY_AFTER`]: seconds, or
/// an HTTP date (RFC 9110 §10.2.3: `Sun, 06 Nov 1994 08:49:37 GMT`) counted from
/// `now` (a date already past asks for no wait). `None` for anything else, which
/// falls back to the backoff.
fn retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds).min(MAX_RETRY_AFTER));
    }
    let at = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(value)
        .ok()?;
    let wait = at.duration_since(now);
    Some(
        Duration::try_from(wait)
            .unwrap_or(Duration::ZERO)
            .min(MAX_RETRY_AFTER),
    )
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
    fn origins_are_scheme_and_host_and_backoff_doubles() {
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
    fn retry_after_reads_seconds_and_http_dates() {
        let now: jiff::Timestamp = "1994-11-06T08:49:30Z".parse().unwrap();
        assert_eq!(retry_after("5", now), Some(Duration::from_secs(5)));
        assert_eq!(retry_after(" 3600 ", now), Some(MAX_RETRY_AFTER));
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(7))
        );
        // A date already past asks for no wait; a far one is capped.
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            retry_after("Mon, 07 Nov 1994 08:49:37 GMT", now),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(retry_after("soon", now), None);
        assert_eq!(retry_after("-1", now), None);
    }

    #[test]
    fn the_token_never_shows_in_debug() {
        let token = Token::new("hf_secret".to_owned()).unwrap();
        assert!(!format!("{token:?}").contains("hf_secret"));
        assert!(Token::new("  ".to_owned()).is_none());
    }
}
