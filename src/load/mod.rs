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
//!
//! The parts, in the order a file meets them:
//! - `walk`: the bounded walk of the tree, which finds the files of each kind folder;
//! - `read`: reading those files under the size cap, on every core;
//! - `text`: the checks that the bytes are clean YAML text;
//! - `parse`: the strict, budgeted YAML parse into records;
//! - `yaml_errors`: serde-saphyr's errors turned into our diagnostics;
//! - `recover`: the ids of files that failed to parse.
//!
//! This module holds what the loader hands back ([`Loaded`]) and its two entry points.

mod parse;
mod read;
mod recover;
mod text;
mod walk;
mod yaml_errors;

use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, FileId, SourceFile};
use crate::model::{Id, Kind, Record, Span, Spanned};

pub(crate) use parse::yaml_options;
pub use read::MAX_FILE_BYTES;
pub use walk::{IMPORTED_FOLDER, MAX_DATA_ENTRIES};

use parse::parse_file;
use read::{load_files_in_parallel, report_too_large};
use recover::recover_from_file_name;
use text::check_text;
use walk::{Walk, read_dir_sorted};

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
    load_tree(root, true)
}

/// The curated records only: the tree without its `imported/` subtree, which is what
/// an importer links its records to (its own earlier output is not curated).
pub fn load_curated(root: &Path) -> Result<Loaded, LoadError> {
    load_tree(root, false)
}

fn load_tree(root: &Path, imported: bool) -> Result<Loaded, LoadError> {
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
    walk.imported = imported;
    walk.enter(&metadata);
    let top = read_dir_sorted(root).map_err(|source| LoadError::Io {
        path: root.to_owned(),
        source,
    })?;
    walk.top_level(top);
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
