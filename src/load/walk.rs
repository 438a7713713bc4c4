//! The bounded walk of a data tree: which files of which kind folder are to be read.
//!
//! Symbolic links to folders are never followed and each folder (by device and inode)
//! is entered once; links that resolve outside the data folder are refused unread;
//! only regular `.yaml` files are kept; and the walk stops after [`MAX_DATA_ENTRIES`].
//! It reads no file: it only lists them, and reports paths that do not belong.

use std::collections::HashSet;
use std::fs::Metadata;
use std::path::{Path, PathBuf};

use super::Loaded;
use crate::diagnostics::{Code, did_you_mean};
use crate::model::Kind;

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

/// The folder beside the kind folders that holds imported records, one folder per
/// source: `imported/huggingface/models/…`.
pub const IMPORTED_FOLDER: &str = "imported";

/// What an entry of the tree is, once links are resolved, if it may be used at all.
enum Found {
    Folder(Metadata),
    /// Anything that is not a folder: a regular file, or a special file (FIFO, socket,
    /// device) that is never opened. The metadata is the target's, for a link.
    File(Metadata),
}

/// One walk of a data tree: the files found so far, the folders entered, the entries
/// counted, and the diagnostics about paths.
pub(super) struct Walk {
    /// The data folder's canonical path: a link whose target is not below it leads
    /// out of the tree.
    root: PathBuf,
    /// Folders entered, by identity, so that no folder is walked twice (a bind mount
    /// of a parent would otherwise multiply the walk as symlink loops did).
    visited: HashSet<FolderIdentity>,
    entries: usize,
    /// Set once more than [`MAX_DATA_ENTRIES`] entries were seen: the walk stops.
    pub(super) full: bool,
    pub(super) files: Vec<(Kind, PathBuf)>,
    pub(super) loaded: Loaded,
    /// Whether the `imported/` subtree is walked (not when only curated records are
    /// wanted).
    pub(super) imported: bool,
}

/// A folder's device and inode numbers.
type FolderIdentity = (u64, u64);

impl Walk {
    pub(super) fn new(root: PathBuf) -> Walk {
        Walk {
            root,
            visited: HashSet::new(),
            entries: 0,
            full: false,
            files: Vec::new(),
            loaded: Loaded::default(),
            imported: true,
        }
    }

    /// Marks a folder as entered; `false` if it was entered before. Elsewhere than
    /// Unix there is no identity to compare, and only the depth cap bounds the walk.
    pub(super) fn enter(&mut self, metadata: &Metadata) -> bool {
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

    /// Walks the top of the data tree: the kind folders, the documentation allowed
    /// beside them, the `imported/` subtree, and anything else, which is reported.
    pub(super) fn top_level(&mut self, top: Vec<PathBuf>) {
        self.kind_folders(top, true);
    }

    /// Walks a level that holds kind folders: the top of the tree, or one source's
    /// folder under `imported/` (`imported/huggingface/models/…`), which an importer
    /// writes so that curated and imported records never share a file.
    fn kind_folders(&mut self, top: Vec<PathBuf>, top_of_tree: bool) {
        if self.count(top.len()) {
            for path in top {
                let name = file_name(&path);
                if name.starts_with('.') {
                    continue;
                }
                let Some(found) = self.classify(&path) else {
                    continue;
                };
                match (Kind::from_folder(&name), found) {
                    (Some(kind), Found::Folder(metadata)) => {
                        self.folder(kind, &path, &metadata, 0);
                    }
                    (None, Found::Folder(metadata)) if top_of_tree && name == IMPORTED_FOLDER => {
                        if self.imported {
                            self.imported_sources(&path, &metadata);
                        }
                    }
                    (_, Found::File(_)) if is_documentation(&name) => {}
                    _ => {
                        let folders = Kind::ALL.map(Kind::folder);
                        let hint = did_you_mean(&name, folders).unwrap_or_else(|| {
                            format!("data goes into the folders {}", folders.join(", "))
                        });
                        self.loaded.report_path(
                            path,
                            Code::UnexpectedPath,
                            format!("`{name}` is not one of the data folders"),
                            Some(hint),
                        );
                    }
                }
                if self.full {
                    break;
                }
            }
        }
    }

    /// `imported/`: a folder per source (`huggingface`), each holding kind folders.
    fn imported_sources(&mut self, dir: &Path, metadata: &Metadata) {
        if !self.enter(metadata) {
            return;
        }
        let sources = match read_dir_sorted(dir) {
            Ok(paths) => paths,
            Err(error) => return self.unreadable(dir, &error),
        };
        if !self.count(sources.len()) {
            return;
        }
        for source in sources {
            let name = file_name(&source);
            if name.starts_with('.') {
                continue;
            }
            match self.classify(&source) {
                Some(Found::Folder(metadata)) if self.enter(&metadata) => {
                    match read_dir_sorted(&source) {
                        Ok(paths) => self.kind_folders(paths, false),
                        Err(error) => self.unreadable(&source, &error),
                    }
                }
                Some(Found::Folder(_)) | None => {}
                Some(Found::File(_)) => self.loaded.report_path(
                    source,
                    Code::UnexpectedPath,
                    format!("`{name}` is not a folder of imported records"),
                    Some("`imported/` holds one folder per source, as `imported/huggingface/models/`".into()),
                ),
            }
            if self.full {
                break;
            }
        }
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

/// Files allowed at the top of a data tree beside the kind folders.
fn is_documentation(name: &str) -> bool {
    matches!(name, "README.md" | "README" | "LICENSE" | "LICENSE.md")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub(super) fn read_dir_sorted(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = std::fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()?;
    paths.sort();
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
