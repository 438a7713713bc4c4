//! Reading data files: each under the size cap, all of them on every core.
//!
//! What is read is handed to [`super::load_bytes`]; this part knows nothing of text
//! or YAML.

use std::path::{Path, PathBuf};

use super::{Loaded, load_bytes};
use crate::diagnostics::Code;
use crate::model::Kind;

/// Largest data file read, in bytes. A hand-written record is a few kilobytes; the
/// corpus generator keeps its multi-record files well below this. Anything bigger is
/// almost certainly a mistake (a dataset dumped into the wrong folder).
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// Reads and parses files on every core. Each file is loaded on its own into a small
/// `Loaded` whose file ids start at 0; the parts come back in input order, so the
/// merged result is the same whatever the scheduling.
pub(super) fn load_files_in_parallel(files: Vec<(Kind, PathBuf)>) -> Vec<Loaded> {
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

pub(super) fn report_too_large(loaded: &mut Loaded, path: PathBuf) {
    loaded.report_path(
        path,
        Code::FileTooLarge,
        format!("file is larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024)),
        Some("split it into several files; each file may hold many records".into()),
    );
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
