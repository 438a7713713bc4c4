//! The Hub API path of `pedigree import huggingface --model REPO_ID... [--descendants]
//! [--depth N] [--endpoint URL]`: the walk. Each repo's `GET {endpoint}/api/models/{id}`
//! answer becomes a [`Card`] (`answer` reads it), and with `--descendants` the children
//! found through `GET {endpoint}/api/models?filter=base_model:<relation>:<id>` are read
//! too, breadth first, each repo once, at most [`MAX_IN_FLIGHT`] requests at once. The
//! cards then go through the same mapping as cards on disk. A repo that answers 404,
//! 401 or 403 is reported (`I007`) and skipped; an answer that still fails, or is not
//! the documented JSON, is reported (`I008`) and skipped; an endpoint that cannot be
//! reached at all stops the import (exit 2).
//!
//! `client` sends the requests (retries, timeouts, pages, the cache, the token) and is
//! the only code in Pedigree that talks to the network; `answer` turns one answer into
//! a card.

mod answer;
mod client;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::card::Card;
use super::rules;
use super::{ImportError, Report};
use crate::diagnostics::{Code, Diagnostic, FileId, SourceFile};
use crate::model::Span;
use answer::read_answer;
pub use client::{
    CACHE_FOLDER, CONNECT_TIMEOUT, FIRST_BACKOFF, MAX_ANSWER_BYTES, MAX_ATTEMPTS, MAX_PAGES,
    MAX_RETRY_AFTER, REQUEST_TIMEOUT, Token,
};
use client::{Client, Failure};

/// The Hub, when `--endpoint` is not given.
pub const DEFAULT_ENDPOINT: &str = "https://huggingface.co";
/// Requests in flight at once: a few, as `huggingface_hub` itself uses, so a walk of
/// thousands of repos is not a flood.
pub const MAX_IN_FLIGHT: usize = 4;
/// The Hub's relation words, one children listing each, in this order.
pub const RELATIONS: [&str; 4] = ["adapter", "merge", "quantized", "finetune"];

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
