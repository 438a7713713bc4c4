//! The loader: reads a `graph-data/` tree into source files and records.
//!
//! This is the only module of the data pipeline that touches the file system. It
//! reads every file, rejects what is not clean YAML text (too large, binary, not UTF-8,
//! byte-order mark, tab indentation, alias bombs) with a diagnostic, and deserialises
//! each YAML document into the record type of its folder. A problem in one file never
//! stops the others from being read: the validator wants to see everything at once.
//!
//! When a file cannot be parsed, its ids are still recovered where possible (from a
//! lenient second parse, else from the file name) so that references to them do not
//! pile up as spurious "unknown reference" errors.
//!
//! The tree itself is untrusted input too (a pull request can add a symbolic link or
//! a thousand folders), so the walk is bounded: symbolic links to folders are never
//! followed and each folder is entered once, links that resolve outside the data
//! folder are refused without being read, only regular files are opened (a FIFO
//! would block the reader for ever), and the walk stops after [`MAX_DATA_ENTRIES`].

use std::borrow::Cow;
use std::collections::HashSet;
use std::fs::Metadata;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_saphyr::{Error as YamlError, Localizer, MessageFormatter};

use crate::diagnostics::{Code, Diagnostic, FileId, SourceFile, did_you_mean};
use crate::model::{Id, Kind, Record, Span, Spanned};

/// Largest data file read, in bytes. A hand-written record is a few kilobytes; the
/// corpus generator keeps its multi-record files well below this. Anything bigger is
/// almost certainly a mistake (a dataset dumped into the wrong folder).
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// Deepest folder nesting followed below a kind folder. Symbolic links to folders are
/// not followed, so this no longer ends loops; it bounds the walk's recursion on a
/// deep real tree (or a bind mount that [`Walk`]'s identity check could not see).
const MAX_FOLDER_DEPTH: usize = 16;

/// Most entries (files, folders and links, hidden or not) the loader looks at in one
/// data tree. The corpus generator writes a million models as about a thousand files
/// and the bundled data has a few hundred; a tree beyond this is a mistake (`--data`
/// pointed at a home folder) or an attack, and walking it would hold every path in
/// memory. The walk stops there and nothing is read (`P016`).
pub const MAX_DATA_ENTRIES: usize = 100_000;

/// Failures that stop loading altogether: the data root itself is unusable.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: no such directory", .0.display())]
    NotFound(PathBuf),
    #[error("{}: not a directory", .0.display())]
    NotADirectory(PathBuf),
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A record and the file it came from.
#[derive(Debug, Clone)]
pub struct Entry {
    pub file: FileId,
    pub record: Record,
}

/// An id known only from a file that failed to parse.
#[derive(Debug, Clone)]
pub struct RecoveredId {
    pub file: FileId,
    pub kind: Kind,
    pub id: Spanned<Id>,
}

/// Everything read from a data tree, good and bad.
#[derive(Debug, Default)]
pub struct Loaded {
    pub files: Vec<SourceFile>,
    pub entries: Vec<Entry>,
    pub recovered: Vec<RecoveredId>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Whether some file could not be read at all (an IO problem rather than bad data).
    pub fn had_io_failure(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.code == Code::UnreadableFile)
    }

    fn add_file(&mut self, path: PathBuf, text: String) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).expect("fewer than 4 billion files"));
        self.files.push(SourceFile { path, text });
        id
    }

    /// Appends the files, records and diagnostics of a part loaded on its own,
    /// shifting its file ids past ours.
    fn absorb(&mut self, part: Loaded) {
        let offset = u32::try_from(self.files.len()).expect("fewer than 4 billion files");
        let shift = |file: FileId| FileId(file.0 + offset);
        self.files.extend(part.files);
        self.entries.extend(part.entries.into_iter().map(|mut e| {
            e.file = shift(e.file);
            e
        }));
        self.recovered
            .extend(part.recovered.into_iter().map(|mut r| {
                r.file = shift(r.file);
                r
            }));
        self.diagnostics
            .extend(part.diagnostics.into_iter().map(|mut d| {
                d.location.file = shift(d.location.file);
                for label in &mut d.secondary {
                    label.location.file = shift(label.location.file);
                }
                d
            }));
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Reports a problem with a path that has no text to point into.
    fn report_path(&mut self, path: PathBuf, code: Code, message: String, hint: Option<String>) {
        let file = self.add_file(path, String::new());
        self.report(Diagnostic::at(code, file, Span::default(), message).maybe_hint(hint));
    }
}

/// Reads the data tree at `root`. Fails only when `root` itself cannot be read; every
/// other problem becomes a diagnostic in the result.
pub fn load_dir(root: &Path) -> Result<Loaded, LoadError> {
    let io_error = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound(root.to_owned()),
        _ => LoadError::Io {
            path: root.to_owned(),
            source,
        },
    };
    let metadata = std::fs::metadata(root).map_err(io_error)?;
    if !metadata.is_dir() {
        return Err(LoadError::NotADirectory(root.to_owned()));
    }
    // The root may itself be a link (`graph-data -> elsewhere`): what is inside is
    // judged against where it really is.
    let canonical = std::fs::canonicalize(root).map_err(io_error)?;
    let mut walk = Walk::new(canonical);
    walk.enter(&metadata);
    let top = read_dir_sorted(root).map_err(|source| LoadError::Io {
        path: root.to_owned(),
        source,
    })?;
    if walk.count(top.len()) {
        for path in top {
            let name = file_name(&path);
            if name.starts_with('.') {
                continue;
            }
            let Some(found) = walk.classify(&path) else {
                continue;
            };
            match (Kind::from_folder(&name), found) {
                (Some(kind), Found::Folder(metadata)) => {
                    walk.folder(kind, &path, &metadata, 0);
                }
                (_, Found::File(_)) if is_documentation(&name) => {}
                _ => {
                    let folders = Kind::ALL.map(Kind::folder);
                    let hint = did_you_mean(&name, folders).unwrap_or_else(|| {
                        format!("data goes into the folders {}", folders.join(", "))
                    });
                    walk.loaded.report_path(
                        path,
                        Code::UnexpectedPath,
                        format!("`{name}` is not one of the data folders"),
                        Some(hint),
                    );
                }
            }
            if walk.full {
                break;
            }
        }
    }
    if walk.full {
        // Half a tree would only add spurious "unknown reference" errors to the one
        // that matters.
        let mut loaded = Loaded::default();
        loaded.report_path(
            root.to_owned(),
            Code::TooManyEntries,
            format!(
                "the data folder holds more than {MAX_DATA_ENTRIES} files and folders; nothing was read"
            ),
            Some(
                "is --data the graph-data folder? Records need not be one per file: \
                 a file may hold many"
                    .into(),
            ),
        );
        return Ok(loaded);
    }
    let Walk {
        mut loaded, files, ..
    } = walk;
    for part in load_files_in_parallel(files) {
        loaded.absorb(part);
    }
    Ok(loaded)
}

/// What an entry of the tree is, once links are resolved, if it may be used at all.
enum Found {
    Folder(Metadata),
    /// Anything that is not a folder: a regular file, or a special file (FIFO, socket,
    /// device) that is never opened. The metadata is the target's, for a link.
    File(Metadata),
}

/// One walk of a data tree: the files found so far, the folders entered, the entries
/// counted, and the diagnostics about paths.
struct Walk {
    /// The data folder's canonical path: a link whose target is not below it leads
    /// out of the tree.
    root: PathBuf,
    /// Folders entered, by identity, so that no folder is walked twice (a bind mount
    /// of a parent would otherwise multiply the walk as symlink loops did).
    visited: HashSet<FolderIdentity>,
    entries: usize,
    /// Set once more than [`MAX_DATA_ENTRIES`] entries were seen: the walk stops.
    full: bool,
    files: Vec<(Kind, PathBuf)>,
    loaded: Loaded,
}

/// A folder's device and inode numbers.
type FolderIdentity = (u64, u64);

impl Walk {
    fn new(root: PathBuf) -> Walk {
        Walk {
            root,
            visited: HashSet::new(),
            entries: 0,
            full: false,
            files: Vec::new(),
            loaded: Loaded::default(),
        }
    }

    /// Marks a folder as entered; `false` if it was entered before. Elsewhere than
    /// Unix there is no identity to compare, and only the depth cap bounds the walk.
    fn enter(&mut self, metadata: &Metadata) -> bool {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            self.visited.insert((metadata.dev(), metadata.ino()))
        }
        #[cfg(not(unix))]
        {
            let _ = metadata;
            true
        }
    }

    /// Counts a folder's entries; `false` (and the walk is over) past the cap.
    fn count(&mut self, entries: usize) -> bool {
        self.entries = self.entries.saturating_add(entries);
        self.full = self.entries > MAX_DATA_ENTRIES;
        !self.full
    }

    /// Looks at one entry without following it anywhere it must not go. Symbolic
    /// links are resolved: one that leads outside the data folder is refused before
    /// anything is read through it (its target's text could be a secret, and a
    /// diagnostic would show it), and one to a folder is not followed at all, since
    /// inside the tree it can only lead back to folders already walked or about to
    /// be. `None` when the entry was reported and is to be skipped.
    fn classify(&mut self, path: &Path) -> Option<Found> {
        let metadata = match std::fs::symlink_metadata(path) {
            Ok(metadata) => metadata,
            Err(error) => {
                self.unreadable(path, &error);
                return None;
            }
        };
        if !metadata.file_type().is_symlink() {
            return Some(if metadata.is_dir() {
                Found::Folder(metadata)
            } else {
                Found::File(metadata)
            });
        }
        let target = match std::fs::canonicalize(path).and_then(|target| {
            let metadata = std::fs::metadata(&target)?;
            Ok((target, metadata))
        }) {
            Ok(target) => target,
            Err(error) => {
                // A broken link, or one to something that has no path (a pipe, via
                // /dev/stdin): nothing to read either way.
                self.unreadable(path, &error);
                return None;
            }
        };
        let (target, metadata) = target;
        if !target.starts_with(&self.root) {
            self.loaded.report_path(
                path.to_owned(),
                Code::OutsideDataFolder,
                format!(
                    "`{}` is a symbolic link that leads outside the data folder; it was not read",
                    file_name(path)
                ),
                Some(
                    "data files must live inside the data folder; replace the link with the file"
                        .into(),
                ),
            );
            return None;
        }
        if metadata.is_dir() {
            self.loaded.report_path(
                path.to_owned(),
                Code::LinkedFolder,
                format!(
                    "`{}` is a symbolic link to a folder; links to folders are not followed",
                    file_name(path)
                ),
                Some("move the files into a real folder, or delete the link".into()),
            );
            return None;
        }
        Some(Found::File(metadata))
    }

    fn unreadable(&mut self, path: &Path, error: &std::io::Error) {
        self.loaded.report_path(
            path.to_owned(),
            Code::UnreadableFile,
            format!("cannot read file: {error}"),
            None,
        );
    }

    /// Walks a folder of `kind` (already classified as a real folder) for its files.
    fn folder(&mut self, kind: Kind, dir: &Path, metadata: &Metadata, depth: usize) {
        if depth > MAX_FOLDER_DEPTH {
            self.loaded.report_path(
                dir.to_owned(),
                Code::UnexpectedPath,
                format!("folders nest deeper than {MAX_FOLDER_DEPTH} levels here"),
                Some("flatten the folders: a kind's records may sit in any of its files".into()),
            );
            return;
        }
        if !self.enter(metadata) {
            self.loaded.report_path(
                dir.to_owned(),
                Code::LinkedFolder,
                "this folder was reached before by another path (a bind mount?); it is not walked twice"
                    .into(),
                None,
            );
            return;
        }
        let paths = match read_dir_sorted(dir) {
            Ok(paths) => paths,
            Err(error) => {
                self.loaded.report_path(
                    dir.to_owned(),
                    Code::UnreadableFile,
                    format!("cannot read folder: {error}"),
                    None,
                );
                return;
            }
        };
        if !self.count(paths.len()) {
            return;
        }
        for path in paths {
            let name = file_name(&path);
            if name.starts_with('.') {
                continue;
            }
            match self.classify(&path) {
                None => {}
                Some(Found::Folder(metadata)) => {
                    self.folder(kind, &path, &metadata, depth + 1);
                    if self.full {
                        return;
                    }
                }
                Some(Found::File(metadata)) if name.ends_with(".yaml") => {
                    if metadata.is_file() {
                        self.files.push((kind, path));
                    } else {
                        self.loaded.report_path(
                            path,
                            Code::NotARegularFile,
                            format!(
                                "`{name}` is {}, not a regular file; it was not opened",
                                describe_special(&metadata)
                            ),
                            Some("data files are plain files; delete this one".into()),
                        );
                    }
                }
                Some(Found::File(_)) => {
                    let hint = if name.ends_with(".yml") {
                        "rename it to end in `.yaml`: Pedigree reads only `.yaml` files".to_owned()
                    } else {
                        format!(
                            "only `.yaml` files belong in `{}/`; move other files elsewhere",
                            kind.folder()
                        )
                    };
                    self.loaded.report_path(
                        path,
                        Code::UnexpectedPath,
                        format!("`{name}` is not a `.yaml` file"),
                        Some(hint),
                    );
                }
            }
        }
    }
}

/// What kind of special file this is, in words.
fn describe_special(metadata: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    let _ = metadata;
    "a special file"
}

/// Reads and parses files on every core. Each file is loaded on its own into a small
/// `Loaded` whose file ids start at 0; the parts come back in input order, so the
/// merged result is the same whatever the scheduling.
fn load_files_in_parallel(files: Vec<(Kind, PathBuf)>) -> Vec<Loaded> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    let files = &files;
    let mut results: Vec<(usize, Loaded)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some((kind, path)) = files.get(index) else {
                            break;
                        };
                        let mut part = Loaded::default();
                        load_file(&mut part, *kind, path.clone());
                        done.push((index, part));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a loader thread panicked"))
            .collect()
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, part)| part).collect()
}

/// Files allowed at the top of a data tree beside the kind folders.
fn is_documentation(name: &str) -> bool {
    matches!(name, "README.md" | "README" | "LICENSE" | "LICENSE.md")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn read_dir_sorted(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = std::fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()?;
    paths.sort();
    Ok(paths)
}

/// Reads one file and, if it is clean text, parses its records.
fn load_file(loaded: &mut Loaded, kind: Kind, path: PathBuf) {
    let bytes = match read_capped(&path) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return report_too_large(loaded, path),
        Err(error) => {
            loaded.report_path(
                path,
                Code::UnreadableFile,
                format!("cannot read file: {error}"),
                None,
            );
            return;
        }
    };
    load_bytes(loaded, kind, path, bytes);
}

fn report_too_large(loaded: &mut Loaded, path: PathBuf) {
    loaded.report_path(
        path,
        Code::FileTooLarge,
        format!("file is larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024)),
        Some("split it into several files; each file may hold many records".into()),
    );
}

/// Checks and parses one file's bytes as records of `kind`.
fn load_bytes(loaded: &mut Loaded, kind: Kind, path: PathBuf, bytes: Vec<u8>) {
    let Some(text) = check_text(loaded, &path, bytes) else {
        recover_from_file_name(loaded, kind, &path);
        return;
    };
    let file = loaded.add_file(path, text);
    parse_file(loaded, kind, file);
}

/// Loads files given in memory, as `(kind, path, bytes)`, exactly as [`load_dir`]
/// loads files read from disk (the paths only name them in diagnostics). For tests
/// and fuzzing, and for callers whose files do not come from a folder.
pub fn load_sources(files: Vec<(Kind, PathBuf, Vec<u8>)>) -> Loaded {
    let mut loaded = Loaded::default();
    for (kind, path, bytes) in files {
        if bytes.len() > MAX_FILE_BYTES {
            report_too_large(&mut loaded, path);
            continue;
        }
        let mut part = Loaded::default();
        load_bytes(&mut part, kind, path, bytes);
        loaded.absorb(part);
    }
    loaded
}

/// Reads at most `MAX_FILE_BYTES`; `None` when the file is larger. Reading through a
/// bounded `take` rather than trusting the metadata size also bounds memory for files
/// that grow while being read. The walk opens only what it saw as a regular file; the
/// check after opening refuses a device swapped in since (a FIFO swapped in between
/// the two would still block the open: that needs a writer racing the loader on the
/// same machine, who could do worse).
fn read_capped(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() <= MAX_FILE_BYTES).then_some(bytes))
}

/// Checks that the bytes are clean UTF-8 YAML text. Reports what is wrong and returns
/// `None` if the file should not be parsed.
fn check_text(loaded: &mut Loaded, path: &Path, bytes: Vec<u8>) -> Option<String> {
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        let file = loaded.add_file(path.to_owned(), String::new());
        loaded.report(
            Diagnostic::at(
                Code::BinaryFile,
                file,
                Span::default(),
                format!("file contains a NUL byte at offset {nul}: it is not a text file"),
            )
            .hint("data files are UTF-8 YAML text; move binary files out of graph-data/"),
        );
        return None;
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid_up_to = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            // The lossy text keeps everything before the first bad byte intact, so the
            // offset still points at the right place in what we show.
            let at = u32::try_from(valid_up_to).unwrap_or(u32::MAX);
            let file = loaded.add_file(path.to_owned(), text);
            loaded.report(
                Diagnostic::at(
                    Code::NotUtf8,
                    file,
                    Span::new(at, at.saturating_add(1)),
                    format!("file is not valid UTF-8 (first bad byte at offset {valid_up_to})"),
                )
                .label("not UTF-8")
                .hint("save the file as UTF-8 (Latin-1 and UTF-16 are not accepted)"),
            );
            return None;
        }
    };
    if text.starts_with('\u{feff}') {
        let file = loaded.add_file(path.to_owned(), text);
        loaded.report(
            Diagnostic::at(
                Code::ByteOrderMark,
                file,
                Span::new(0, 3),
                "file starts with a byte-order mark",
            )
            .label("byte-order mark")
            .hint("save the file as UTF-8 without BOM"),
        );
        return None;
    }
    let tab_lines = tab_indented_lines(&text);
    if !tab_lines.is_empty() {
        let file = loaded.add_file(path.to_owned(), text);
        for span in tab_lines {
            loaded.report(
                Diagnostic::at(
                    Code::TabIndentation,
                    file,
                    span,
                    "line is indented with a tab",
                )
                .label("tab")
                .hint("YAML indentation is spaces only; replace the tab with spaces"),
            );
        }
        return None;
    }
    if is_blank_yaml(&text) {
        let file = loaded.add_file(path.to_owned(), text);
        loaded.report(
            Diagnostic::at(
                Code::EmptyFile,
                file,
                Span::default(),
                "file holds no record",
            )
            .hint("add a record, or delete the file"),
        );
        return None;
    }
    Some(text)
}

/// Spans of the first tab in the leading whitespace of each line.
fn tab_indented_lines(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(tab) = line[..indent].find('\t') {
            let at = u32::try_from(offset + tab).unwrap_or(u32::MAX);
            spans.push(Span::new(at, at + 1));
        }
        offset += line.len();
    }
    spans
}

/// Whether the text holds no YAML content: only blank lines, comments and markers.
fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#') || line == "---" || line == "..."
    })
}

/// The options every data file is parsed with: strict where YAML is lax, with budgets
/// tight enough that an alias bomb or a nesting storm fails fast in bounded memory.
fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 32,
            max_documents: 20_000,
            max_nodes: 2_000_000,
            max_events: 4_000_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_recorded_anchor_events: 100_000,
            max_recorded_anchor_bytes: 1024 * 1024,
        },
        with_snippet: false,
        strict_booleans: true,
    }
}

fn parse_file(loaded: &mut Loaded, kind: Kind, file: FileId) {
    let text = &loaded.files[file.0 as usize].text;
    let parsed = match kind {
        Kind::Model => parse_as(text, |model| Record::Model(Box::new(model))),
        Kind::Organization => parse_as(text, Record::Organization),
        Kind::Person => parse_as(text, Record::Person),
        Kind::Source => parse_as(text, Record::Source),
        Kind::License => parse_as(text, Record::License),
    };
    match parsed {
        Ok(records) => {
            if let [record] = records.as_slice() {
                check_file_name(loaded, file, record);
            }
            if records.is_empty() {
                loaded.report(
                    Diagnostic::at(
                        Code::EmptyFile,
                        file,
                        Span::default(),
                        "file holds no record",
                    )
                    .hint("add a record, or delete the file"),
                );
            }
            loaded
                .entries
                .extend(records.into_iter().map(|record| Entry { file, record }));
        }
        Err(error) => {
            let diagnostic = yaml_diagnostic(&error, file, text);
            loaded.report(diagnostic);
            recover_ids(loaded, kind, file);
        }
    }
}

fn parse_as<T: DeserializeOwned>(
    text: &str,
    wrap: impl Fn(Spanned<T>) -> Record,
) -> Result<Vec<Record>, YamlError> {
    let documents: Vec<Spanned<T>> =
        serde_saphyr::from_multiple_with_options(text, yaml_options())?;
    Ok(documents.into_iter().map(wrap).collect())
}

/// A single-record file must be named after its record, so that a reader who sees an
/// id can find its file.
fn check_file_name(loaded: &mut Loaded, file: FileId, record: &Record) {
    let path = &loaded.files[file.0 as usize].path;
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    let id = record.id();
    if stem.as_deref() != Some(id.as_str()) {
        let expected = format!("{}.yaml", id.as_str());
        let diagnostic = Diagnostic::at(
            Code::FileNameMismatch,
            file,
            id.span,
            format!(
                "file `{}` holds the record `{}`",
                path.file_name().unwrap_or_default().to_string_lossy(),
                id.as_str()
            ),
        )
        .label("this id")
        .hint(format!("rename the file to `{expected}`, or change the id"));
        loaded.report(diagnostic);
    }
}

/// Just enough of a record to learn its id from a file that failed the strict parse.
#[derive(Deserialize)]
struct IdProbe {
    id: Option<Spanned<Id>>,
}

fn recover_ids(loaded: &mut Loaded, kind: Kind, file: FileId) {
    let text = &loaded.files[file.0 as usize].text;
    let probes: Result<Vec<IdProbe>, _> =
        serde_saphyr::from_multiple_with_options(text, yaml_options());
    match probes {
        Ok(probes) => {
            let ids = probes.into_iter().filter_map(|p| p.id);
            let recovered: Vec<RecoveredId> =
                ids.map(|id| RecoveredId { file, kind, id }).collect();
            loaded.recovered.extend(recovered);
        }
        Err(_) => {
            let path = loaded.files[file.0 as usize].path.clone();
            recover_from_file_name(loaded, kind, &path);
        }
    }
}

fn recover_from_file_name(loaded: &mut Loaded, kind: Kind, path: &Path) {
    let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
        return;
    };
    if Id::check(&stem).is_ok() {
        // The id has no place in any file's text; point at the start of the file.
        let file = loaded
            .files
            .iter()
            .rposition(|f| f.path == path)
            .map(|i| FileId(i as u32))
            .unwrap_or(FileId(0));
        loaded.recovered.push(RecoveredId {
            file,
            kind,
            id: Spanned::new(Id::new(stem), Span::default()),
        });
    }
}

/// Formats serde-saphyr's messages without their " at line X, column Y" suffix: our
/// renderer prints the location itself.
struct WithoutLocation;

impl Localizer for WithoutLocation {
    fn attach_location<'a>(&self, base: Cow<'a, str>, _: serde_saphyr::Location) -> Cow<'a, str> {
        base
    }
}

impl MessageFormatter for WithoutLocation {
    fn localizer(&self) -> &dyn Localizer {
        self
    }

    fn format_message<'a>(&self, err: &'a YamlError) -> Cow<'a, str> {
        serde_saphyr::UserMessageFormatter.format_message(err)
    }
}

/// Turns a serde-saphyr error into a diagnostic with our code, message and hint.
fn yaml_diagnostic(error: &YamlError, file: FileId, text: &str) -> Diagnostic {
    let span = error
        .location()
        .map(|location| span_of(location, text))
        .unwrap_or_default();
    let plain = || {
        let options = serde_saphyr::render_options! {
            formatter: &WithoutLocation,
            snippets: serde_saphyr::SnippetMode::Off,
        };
        error.render_with_options(options)
    };
    let at = |code: Code, message: String| Diagnostic::at(code, file, span, message);
    match error.without_snippet() {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => at(Code::UnknownField, format!("unknown field `{field}`"))
            .label("not a field here")
            .hint(
                did_you_mean(field, expected.iter().copied())
                    .unwrap_or_else(|| format!("the fields here are: {}", expected.join(", "))),
            ),
        YamlError::SerdeMissingField { field, .. } => {
            at(Code::MissingField, format!("missing field `{field}`"))
                .label(format!("this record needs `{field}`"))
                .hint("see docs/data-model.md for the required fields of each kind")
        }
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let choices = expected
                .iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>();
            at(
                Code::InvalidValue,
                format!("`{variant}` is not an allowed value here"),
            )
            .label("unknown word")
            .hint(match did_you_mean(variant, expected.iter().copied()) {
                Some(suggestion) => suggestion,
                None => format!("expected one of {}", choices.join(", ")),
            })
        }
        YamlError::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("?");
            at(
                Code::DuplicateKey,
                format!("key `{key}` appears twice in this mapping"),
            )
            .label("second occurrence")
            .hint("keep one of the two entries")
        }
        YamlError::Budget { breach, .. } => at(
            Code::ResourceLimit,
            format!("YAML exceeds a parser limit: {}", describe_breach(breach)),
        )
        .label("limit reached here")
        .hint("data files need no anchors, aliases or deep nesting; write the values out"),
        YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. }
        | YamlError::AliasReplayCounterOverflow { .. } => at(
            Code::ResourceLimit,
            format!("YAML exceeds a parser limit: {}", plain()),
        )
        .label("limit reached here")
        .hint("data files need no anchors, aliases or deep nesting; write the values out"),
        YamlError::SerdeInvalidType { .. }
        | YamlError::SerdeInvalidValue { .. }
        | YamlError::SerdeInvalidLength { .. }
        | YamlError::Unexpected { .. }
        | YamlError::NullIntoString { .. }
        | YamlError::InvalidScalar { .. }
        | YamlError::InvalidBooleanStrict { .. }
        | YamlError::Message { .. }
        | YamlError::QuotingRequired { .. }
        | YamlError::ExternallyTaggedEnumExpectedScalarOrMapping { .. }
        | YamlError::UnexpectedValueForUnitEnumVariant { .. } => at(Code::InvalidValue, plain())
            .label("invalid value")
            .hint("check the field's type in docs/data-model.md (text, number, list or mapping)"),
        _ => at(Code::YamlSyntax, plain())
            .label("here")
            .hint("check indentation, colons and quoting near this line"),
    }
}

/// A budget breach in words, naming the limit that was hit.
fn describe_breach(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match breach {
        B::Aliases { aliases } => format!("{aliases} aliases, more than the 1000 allowed"),
        B::Anchors { anchors } => format!("{anchors} anchors, more than the 1000 allowed"),
        B::Depth { depth } => format!("nesting {depth} levels deep, more than the 32 allowed"),
        B::Documents { documents } => {
            format!("{documents} documents in one file, more than the 20000 allowed")
        }
        B::Nodes { nodes } => format!("{nodes} values in one file, more than the 2000000 allowed"),
        B::Events { events } => format!("{events} parser events, more than the 4000000 allowed"),
        B::AliasAnchorRatio { aliases, anchors } => {
            format!("{aliases} aliases for {anchors} anchors: aliases expand far beyond the text")
        }
        other => format!("{other:?}"),
    }
}

/// The byte span of a serde-saphyr location, recomputing the byte offset from line
/// and column where the parser gave none (some scanner errors).
fn span_of(location: serde_saphyr::Location, text: &str) -> Span {
    let span = Span::from(location);
    if location.span().byte_offset().is_some() {
        return span;
    }
    let line = location.line().max(1) as usize;
    let column = location.column().max(1) as usize;
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let rest = &text[line_start.min(text.len())..];
    let in_line: usize = rest.chars().take(column - 1).map(char::len_utf8).sum();
    let start = u32::try_from(line_start + in_line).unwrap_or(u32::MAX);
    Span::new(
        start,
        start.saturating_add(1).min(text.len() as u32).max(start),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tabs_in_indentation_only() {
        let spans = tab_indented_lines("a: 1\n\tb: 2\nc: \"x\ty\"\n  \td: 3\n");
        assert_eq!(spans, vec![Span::new(5, 6), Span::new(22, 23)]);
    }

    /// A bind mount cannot be made in a test without privileges; what guards against
    /// it is that a folder, by identity, is entered once however it is reached.
    #[test]
    fn a_folder_is_entered_once_by_identity() {
        let mut walk = Walk::new(PathBuf::from("/"));
        let here = std::fs::metadata(".").unwrap();
        let again = std::fs::metadata(std::fs::canonicalize(".").unwrap()).unwrap();
        let other = std::fs::metadata("src").unwrap();
        assert!(walk.enter(&here));
        assert!(!walk.enter(&again), "the same folder by another path");
        assert!(walk.enter(&other));
    }

    #[test]
    fn blank_yaml_is_comments_and_markers_only() {
        assert!(is_blank_yaml("# comment\n---\n\n"));
        assert!(!is_blank_yaml("# comment\nid: x\n"));
    }
}
