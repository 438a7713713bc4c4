//! Importing Hugging Face model cards into reviewable records: `pedigree import
//! huggingface --cards DIR` and `--model REPO_ID... [--descendants]`.
//!
//! `card` reads a card's YAML front matter, `hub` reads cards from the Hub API (the
//! only network client in Pedigree), `rules` holds the mapping rules (relation stated
//! or inferred, confidence, licence ids), `ids` the stable ids of Hub repos, `map`
//! turns cards into records against the curated graph, and this file reads the cards
//! folder and writes one YAML file per record under the output folder
//! (`graph-data/imported/huggingface/` by default), comparing with what is there.
//!
//! **Architecture Invariant:** curated records are never written: the import writes
//! only below its own output folder, links to curated records by their Hugging Face
//! ids, and reports a card that disagrees with a curated record instead of changing
//! it. The same input gives the same bytes. This is the only module that reads model
//! cards; docs/import.md documents every rule.

mod card;
mod hub;
mod ids;
mod map;
mod rules;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::dataset::Dataset;
use crate::diagnostics::{Code, Diagnostic, FileId, SourceFile};
use crate::model::{Kind, PartialDate, Span};

pub use card::MAX_CARD_BYTES;
pub use hub::{
    CACHE_FOLDER, CONNECT_TIMEOUT, DEFAULT_ENDPOINT, FIRST_BACKOFF, HubStats, MAX_ANSWER_BYTES,
    MAX_ATTEMPTS, MAX_IN_FLIGHT, MAX_PAGES, MAX_RETRY_AFTER, Progress, RELATIONS, REQUEST_TIMEOUT,
    Token, Walk,
};
pub use ids::repo_id;

/// Why an import could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read the cards folder {path}: {source}")]
    Cards {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write a record as YAML: {0}")]
    Yaml(String),
    #[error("{0}")]
    Usage(String),
    #[error("cannot reach the Hub at {endpoint}: {message}")]
    Unreachable { endpoint: String, message: String },
}

/// What happened to one output file, against what the output folder held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    New,
    Changed,
    Unchanged,
}

/// The outcome of an import: every problem (cards skipped, entries skipped,
/// conflicts), the files with what happened to each, and the counts of the summary.
#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub written: BTreeMap<PathBuf, Change>,
    pub cards: usize,
    /// Cards of models that have a curated record (linked, never written).
    pub curated: usize,
    /// Stub records of bases that were neither imported nor curated.
    pub stubs: usize,
    /// What the walk of the Hub API did, when there was one.
    pub hub: Option<HubStats>,
}

impl Report {
    pub fn count(&self, change: Change) -> usize {
        self.written.values().filter(|&&c| c == change).count()
    }
}

/// What to import: cards on disk, repos read from the Hub API, or both.
#[derive(Debug, Default)]
pub struct Inputs<'a> {
    /// `DIR/<owner>/<name>/README.md`, as `huggingface-cli download` leaves them.
    pub cards: Option<&'a Path>,
    pub hub: Option<Walk<'a>>,
}

/// Imports the cards under `cards` (`<owner>/<name>/README.md`, the layout
/// `huggingface-cli download <owner>/<name> README.md --local-dir DIR/<owner>/<name>`
/// leaves) against `curated`, writing below `out` unless `dry_run`.
pub fn import_cards(
    curated: &Dataset,
    cards: &Path,
    out: &Path,
    dry_run: bool,
) -> Result<Report, ImportError> {
    import(
        curated,
        &Inputs {
            cards: Some(cards),
            hub: None,
        },
        out,
        dry_run,
    )
}

/// Imports the cards on disk and the repos read from the Hub against `curated`,
/// writing below `out` unless `dry_run` (which writes no cache either). A repo both on
/// disk and on the Hub is taken from the Hub, whose answer is the newer.
pub fn import(
    curated: &Dataset,
    inputs: &Inputs<'_>,
    out: &Path,
    dry_run: bool,
) -> Result<Report, ImportError> {
    let mut report = Report::default();
    let mut read = match inputs.cards {
        Some(cards) => read_cards(cards, &mut report)?,
        None => Vec::new(),
    };
    if let Some(walk) = &inputs.hub {
        let from_hub = hub::walk(walk, &out.join(CACHE_FOLDER), !dry_run, &mut report)?;
        let on_hub: HashSet<String> = from_hub.iter().map(|c| c.repo.to_lowercase()).collect();
        read.retain(|c| !on_hub.contains(&c.repo.to_lowercase()));
        read.extend(from_hub);
    }
    // By owner, then name: the order of the cards folder, and one order for the Hub's
    // answers whatever order they came in (the first card to name an organisation or
    // a licence is its record's source).
    read.sort_by(|a, b| (a.owner(), a.name()).cmp(&(b.owner(), b.name())));
    report.cards = read.len();
    let mapped = map::map(curated, &read, &report.files);
    report.diagnostics.extend(mapped.diagnostics);
    report.curated = mapped.curated;
    report.stubs = mapped.stubs;
    let records = mapped.records;
    let mut files: BTreeMap<PathBuf, String> = BTreeMap::new();
    write_all(&mut files, out, Kind::Model, &records.models)?;
    write_all(&mut files, out, Kind::Source, &records.sources)?;
    write_all(&mut files, out, Kind::Organization, &records.organizations)?;
    write_all(&mut files, out, Kind::License, &records.licenses)?;
    write_all(&mut files, out, Kind::Dataset, &records.datasets)?;
    for (path, text) in files {
        let change = match std::fs::read(&path) {
            Ok(old) if old == text.as_bytes() => Change::Unchanged,
            Ok(_) => Change::Changed,
            Err(_) => Change::New,
        };
        if !dry_run && change != Change::Unchanged {
            write_whole(&path, &text)?;
        }
        report.written.insert(path, change);
    }
    Ok(report)
}

/// Every record of one kind as a file of its own, `out/<folder>/<id>.yaml`, opening
/// with the line that points editors at the kind's schema.
fn write_all<T: Serialize>(
    files: &mut BTreeMap<PathBuf, String>,
    out: &Path,
    kind: Kind,
    records: &BTreeMap<crate::model::Id, T>,
) -> Result<(), ImportError> {
    for (id, record) in records {
        let yaml = serde_saphyr::to_string(record).map_err(|e| ImportError::Yaml(e.to_string()))?;
        // Four levels up from `graph-data/imported/huggingface/<folder>/`.
        let text = format!(
            "# yaml-language-server: $schema=../../../../docs/schema/{}.schema.json\n{yaml}",
            kind.noun()
        );
        files.insert(
            out.join(kind.folder())
                .join(format!("{}.yaml", id.as_str())),
            text,
        );
    }
    Ok(())
}

/// Writes a file whole: a temporary file beside it, then a rename, so a reader never
/// sees half a record and a failure leaves the previous file.
fn write_whole(path: &Path, text: &str) -> Result<(), ImportError> {
    let fail = |source| ImportError::Write {
        path: path.to_owned(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, text).map_err(fail)?;
    std::fs::rename(&temporary, path).map_err(fail)
}

/// Reads every `<owner>/<name>/README.md` below `dir`, in order; a card that cannot
/// be read or has no usable front matter is reported and skipped.
fn read_cards(dir: &Path, report: &mut Report) -> Result<Vec<card::Card>, ImportError> {
    let list = |path: &Path| -> Result<Vec<PathBuf>, ImportError> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|source| ImportError::Cards {
                path: path.to_owned(),
                source,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_dir()
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        entries.sort();
        Ok(entries)
    };
    let mut cards = Vec::new();
    for owner in list(dir)? {
        for repo in list(&owner)? {
            let path = repo.join("README.md");
            if !path.is_file() {
                continue;
            }
            let name = |p: &Path| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            };
            let repo_id = format!("{}/{}", name(&owner), name(&repo));
            if let Some(card) = read_card(&path, &repo, repo_id, report) {
                cards.push(card);
            }
        }
    }
    Ok(cards)
}

fn read_card(path: &Path, folder: &Path, repo: String, report: &mut Report) -> Option<card::Card> {
    let file = FileId(report.files.len() as u32);
    let unreadable = |report: &mut Report, why: String| {
        report.files.push(SourceFile {
            path: path.to_owned(),
            text: String::new(),
        });
        report.diagnostics.push(
            Diagnostic::at(Code::CardUnreadable, file, Span::default(), why)
                .label("skipped")
                .hint("the card is skipped; the other cards are imported"),
        );
        None
    };
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return unreadable(report, format!("cannot read the card: {e}")),
    };
    if metadata.len() > MAX_CARD_BYTES as u64 {
        return unreadable(
            report,
            format!(
                "the card is {} bytes, more than the {MAX_CARD_BYTES} a card may have",
                metadata.len()
            ),
        );
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return unreadable(report, format!("cannot read the card: {e}")),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return unreadable(report, "the card is not UTF-8".to_owned());
    };
    report.files.push(SourceFile {
        path: path.to_owned(),
        text,
    });
    let text = &report.files[file.0 as usize].text;
    let parsed = card::front_matter(text, file).and_then(|(yaml, start)| {
        // Where the closing `---` line ends: all a diagnostic about the card points at.
        let closing = start + yaml.len();
        let end = text[closing..]
            .find('\n')
            .map_or(text.len(), |n| closing + n + 1);
        card::parse(yaml, start, file).map(|data| (data, end))
    });
    let (data, end) = match parsed {
        Ok(parsed) => parsed,
        Err(diagnostic) => {
            report.diagnostics.push(*diagnostic);
            return None;
        }
    };
    // The card's body (most of a README) is never pointed at: only the front matter
    // is kept for the report, so an import holds the metadata of each card, not its
    // prose.
    let kept = &mut report.files[file.0 as usize].text;
    kept.truncate(end);
    kept.shrink_to_fit();
    let (sha, day) = revision(folder, &metadata);
    Some(card::Card {
        repo,
        file,
        data,
        sha,
        day,
        origin: card::Origin::Disk,
    })
}

/// The revision and day a card was read at: `huggingface-cli download --local-dir`
/// writes `.cache/huggingface/download/README.md.metadata` (the commit hash, the
/// ETag, the download's Unix time); without it, the card file's modification day.
fn revision(folder: &Path, metadata: &std::fs::Metadata) -> (Option<String>, PartialDate) {
    let day_of = |seconds: i64| {
        // RFC 3339 in UTC (`2026-12-07T18:00:00Z`): the day is its first ten characters.
        jiff::Timestamp::from_second(seconds)
            .ok()
            .and_then(|t| t.to_string().get(..10).and_then(|day| day.parse().ok()))
    };
    let modified = metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| day_of(d.as_secs() as i64));
    let fallback = modified.unwrap_or_else(|| "1970-01-01".parse().expect("a valid date"));
    let sidecar = folder.join(".cache/huggingface/download/README.md.metadata");
    let Ok(text) = std::fs::read_to_string(sidecar) else {
        return (None, fallback);
    };
    let mut lines = text.lines();
    let sha = lines
        .next()
        .map(str::trim)
        .filter(|s| s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_owned);
    let day = lines
        .nth(1)
        .and_then(|t| t.trim().parse::<f64>().ok())
        .and_then(|t| day_of(t as i64))
        .unwrap_or(fallback);
    (sha, day)
}
