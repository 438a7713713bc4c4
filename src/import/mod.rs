//! Importing Hugging Face model cards into reviewable records: `pedigree import
//! huggingface --cards DIR` and `--model REPO_ID... [--descendants]`.
//!
//! `card` reads a card's YAML front matter, `read` the cards folder, `hub` reads cards
//! from the Hub API (the only network client in Pedigree), `rules` holds the mapping
//! rules (relation stated or inferred, confidence, licence ids), `ids` the stable ids
//! of Hub repos, `plan` is the first pass over the cards, `map` turns a card into
//! records against the curated graph, `files` owns the numbered output files, and
//! this file runs the two passes, writing below the output folder
//! (`graph-data/imported/huggingface/` by default) one file at a time, comparing with
//! what is there.
//!
//! **Architecture Invariant:** curated records are never written: the import writes
//! only below its own output folder, links to curated records by their Hugging Face
//! ids, and reports a card that disagrees with a curated record instead of changing
//! it. The same input gives the same bytes. This is the only module that reads model
//! cards; docs/import.md documents every rule.

mod card;
mod files;
mod hub;
mod ids;
mod map;
mod plan;
mod read;
mod rules;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::dataset::Dataset;
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::model::{Id, Kind};
use files::Produced;
use plan::Plan;

pub use card::MAX_CARD_BYTES;
pub use files::FILES_PER_KIND;
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
    #[error("cannot read {path}: {source}")]
    Read {
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
    /// How many records this run produced were new, changed or unchanged.
    pub records: BTreeMap<Change, usize>,
    /// In a dry run, each record that would be new or changed: its file and id.
    pub would_change: Vec<(PathBuf, Id, Change)>,
    pub cards: usize,
    /// Cards of models that have a curated record (linked, never written).
    pub curated: usize,
    /// Stub records of bases that were neither imported nor curated.
    pub stubs: usize,
    /// What the walk of the Hub API did, when there was one.
    pub hub: Option<HubStats>,
}

impl Report {
    /// Files that are (or would be) new, changed or unchanged.
    pub fn count(&self, change: Change) -> usize {
        self.written.values().filter(|&&c| c == change).count()
    }

    /// Records produced that are (or would be) new, changed or unchanged.
    pub fn records(&self, change: Change) -> usize {
        self.records.get(&change).copied().unwrap_or(0)
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
///
/// Two passes, so that memory does not grow with the cards: the first reads each card
/// for its repo id and bases alone (which cards are imported, which bases become
/// stubs, which cards form cycles); the second reads the cards again one output file
/// at a time, maps them and writes that file before reading the next. What stays in
/// memory is a few ids per card, the records many cards share (organisations,
/// licences, datasets) and the problems found. Cards read from the Hub API are held
/// from the walk on.
pub fn import(
    curated: &Dataset,
    inputs: &Inputs<'_>,
    out: &Path,
    dry_run: bool,
) -> Result<Report, ImportError> {
    let mut report = Report::default();
    let listed = match inputs.cards {
        Some(cards) => read::list_cards(cards)?,
        None => Vec::new(),
    };
    let from_hub = match &inputs.hub {
        Some(walk) => hub::walk(walk, &out.join(CACHE_FOLDER), !dry_run, &mut report)?,
        None => Vec::new(),
    };
    let on_hub: HashSet<String> = from_hub.iter().map(|c| c.repo.to_lowercase()).collect();
    let mut cards: Vec<Input> = listed
        .into_iter()
        .filter(|l| !on_hub.contains(&l.repo.to_lowercase()))
        .map(Input::Disk)
        .chain(from_hub.into_iter().map(|card| Input::Held(Box::new(card))))
        .collect();
    // By owner, then name: the order of the cards folder, and one order for the Hub's
    // answers whatever order they came in (the first card to name an organisation or
    // a licence is its record's source).
    cards.sort_by(|a, b| owner_and_name(a.repo()).cmp(&owner_and_name(b.repo())));
    let mut mapper = map::Mapper::new(curated);

    let mut indexed = Vec::with_capacity(cards.len());
    for input in &cards {
        match input {
            Input::Disk(listed) => {
                // Problems are reported by the second pass, which reads the card again.
                let mut scratch = Report::default();
                if let Some(card) = read::read_card(listed, &mut scratch) {
                    indexed.push(mapper.index(&card, &scratch.files[card.file.0 as usize].text));
                }
            }
            Input::Held(card) => {
                indexed.push(mapper.index(card, &report.files[card.file.0 as usize].text));
            }
        }
    }
    report.cards = indexed.len();
    let plan = Plan::new(&indexed, |repo| mapper.is_curated(repo));
    drop(indexed);

    // The cards and stubs of each models file, by file number.
    let mut groups: BTreeMap<u16, (Vec<usize>, Vec<&String>)> = BTreeMap::new();
    for (i, input) in cards.iter().enumerate() {
        let number = files::file_number(&repo_id("hf", input.repo()));
        groups.entry(number).or_default().0.push(i);
    }
    for repo in plan.stubs.keys() {
        let number = files::file_number(&repo_id("hf", repo));
        groups.entry(number).or_default().1.push(repo);
    }
    let walked = std::mem::take(&mut report.diagnostics);
    // Problems by the rank of their card, so they come out in card order whatever
    // order the files are written in.
    let mut unread: Vec<(usize, Diagnostic)> = Vec::new();
    let mut mapped: Vec<(usize, Diagnostic)> = Vec::new();
    for (number, (members, stubs)) in groups {
        let mut models: BTreeMap<Id, Produced> = BTreeMap::new();
        let mut sources: BTreeMap<Id, Produced> = BTreeMap::new();
        for i in members {
            let card = match &cards[i] {
                Input::Disk(listed) => {
                    let card = read::read_card(listed, &mut report);
                    unread.extend(report.diagnostics.drain(..).map(|d| (i, d)));
                    match card {
                        Some(card) => std::borrow::Cow::Owned(card),
                        None => continue,
                    }
                }
                Input::Held(card) => std::borrow::Cow::Borrowed(card.as_ref()),
            };
            let mut problems = Vec::new();
            let text = &report.files[card.file.0 as usize].text;
            if let Some((model, source)) = mapper.card(&card, text, &plan, &mut problems) {
                models.insert(model.id.value.clone(), Produced::of(&model, false)?);
                sources.insert(source.id.value.clone(), Produced::of(&source, false)?);
            }
            // A card on disk that no problem points into is done with: its file entry
            // goes (it is the last one), so the report holds only cards with problems.
            let last = report.files.len() - 1;
            if matches!(cards[i], Input::Disk(_))
                && card.file.0 as usize == last
                && problems.is_empty()
            {
                report.files.pop();
            }
            mapped.extend(problems.into_iter().map(|d| (i, d)));
        }
        for repo in stubs {
            let stub = mapper.stub(repo, &plan.stubs[repo]);
            models.insert(stub.id.value.clone(), Produced::of(&stub, true)?);
        }
        put(&mut report, out, Kind::Model, number, models, dry_run)?;
        put(&mut report, out, Kind::Source, number, sources, dry_run)?;
    }
    unread.sort_by_key(|(rank, _)| *rank);
    mapped.sort_by_key(|(rank, _)| *rank);
    report.diagnostics = unread
        .into_iter()
        .map(|(_, d)| d)
        .chain(walked)
        .chain(mapped.into_iter().map(|(_, d)| d))
        .collect();
    report.curated = mapper.curated_cards;
    report.stubs = mapper.stubs;
    let shared = mapper.shared;
    put_all(
        &mut report,
        out,
        Kind::Organization,
        shared.organizations,
        dry_run,
    )?;
    put_all(&mut report, out, Kind::License, shared.licenses, dry_run)?;
    put_all(&mut report, out, Kind::Dataset, shared.datasets, dry_run)?;
    Ok(report)
}

/// A card to import: on disk (read when needed) or read from the Hub (held).
enum Input {
    Disk(read::Listed),
    Held(Box<card::Card>),
}

impl Input {
    fn repo(&self) -> &str {
        match self {
            Input::Disk(listed) => &listed.repo,
            Input::Held(card) => &card.repo,
        }
    }
}

/// `(owner, name)` of a repo id, the import's order of cards.
fn owner_and_name(repo: &str) -> (&str, &str) {
    (
        repo.split('/').next().unwrap_or(repo),
        repo.rsplit('/').next().unwrap_or(repo),
    )
}

/// The shared records of one kind, each in its numbered file.
fn put_all<T: Serialize>(
    report: &mut Report,
    out: &Path,
    kind: Kind,
    records: BTreeMap<Id, (map::Rank, T)>,
    dry_run: bool,
) -> Result<(), ImportError> {
    let mut by_file: BTreeMap<u16, BTreeMap<Id, Produced>> = BTreeMap::new();
    for (id, (_, record)) in records {
        let produced = Produced::of(&record, false)?;
        by_file
            .entry(files::file_number(&id))
            .or_default()
            .insert(id, produced);
    }
    for (number, produced) in by_file {
        put(report, out, kind, number, produced, dry_run)?;
    }
    Ok(())
}

/// Puts this run's records of one file together with what the file holds, says
/// whether that is new, changed or unchanged, and writes it unless `dry_run`.
fn put(
    report: &mut Report,
    out: &Path,
    kind: Kind,
    number: u16,
    produced: BTreeMap<Id, Produced>,
    dry_run: bool,
) -> Result<(), ImportError> {
    if produced.is_empty() {
        return Ok(());
    }
    let path = files::file_path(out, kind, number);
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => return Err(ImportError::Read { path, source }),
    };
    let (text, changes) = files::assemble(kind, existing.as_deref(), produced);
    for (id, change) in changes {
        *report.records.entry(change).or_default() += 1;
        if dry_run && change != Change::Unchanged {
            report.would_change.push((path.clone(), id, change));
        }
    }
    let change = match &existing {
        Some(old) if *old == text => Change::Unchanged,
        Some(_) => Change::Changed,
        None => Change::New,
    };
    if !dry_run && change != Change::Unchanged {
        files::write_whole(&path, &text)?;
    }
    report.written.insert(path, change);
    Ok(())
}
