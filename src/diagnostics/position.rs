//! Where a byte span lands for a reader: line, column, and the escaped text snippets
//! are cut from.

use std::borrow::Cow;
use std::path::Path;

use codespan_reporting::files::{Files, SimpleFile};
use serde::Serialize;

use super::{FileId, Location, SourceFile};
use crate::escape;

/// Resolves byte spans to lines and columns, building each file's line index once.
///
/// The index is built over the file's text as shown to people: with its control
/// characters escaped ([`escape::lines`]), because codespan prints snippets from it.
/// Escaping is one character for one character, so lines and columns are those of
/// the original text; byte offsets go through the file's [`escape::Offsets`].
pub(super) struct LineIndex<'a> {
    files: &'a [SourceFile],
    pub(super) cache: Vec<Option<Shown<'a>>>,
}

/// A file as the human renderer shows it: escaped name and text, and where the
/// original's byte offsets land in that text.
pub(super) struct Shown<'a> {
    pub(super) file: SimpleFile<String, Cow<'a, str>>,
    offsets: escape::Offsets,
}

impl Shown<'_> {
    /// The escaped offset of a byte offset into the original text.
    pub(super) fn offset(&self, original: &str, byte: usize) -> usize {
        self.offsets.map(clamp_to_char_boundary(original, byte))
    }
}

/// A resolved position: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

impl<'a> LineIndex<'a> {
    pub(super) fn new(files: &'a [SourceFile]) -> Self {
        LineIndex {
            files,
            cache: (0..files.len()).map(|_| None).collect(),
        }
    }

    pub(super) fn file(&mut self, id: FileId) -> &Shown<'a> {
        let index = id.0 as usize;
        let files = self.files;
        self.cache[index].get_or_insert_with(|| {
            let file = &files[index];
            let (text, offsets) = escape::lines(&file.text);
            Shown {
                file: SimpleFile::new(escape::line(&display_path(&file.path)).into_owned(), text),
                offsets,
            }
        })
    }

    pub(super) fn line_column(&mut self, id: FileId, byte: u32) -> LineColumn {
        let original = self.files[id.0 as usize].text.as_str();
        let shown = self.file(id);
        let byte = shown.offset(original, byte as usize);
        shown
            .file
            .location((), byte)
            .map(|l| LineColumn {
                line: l.line_number,
                column: l.column_number,
            })
            .unwrap_or(LineColumn { line: 1, column: 1 })
    }

    /// A location's byte range in the escaped text of its file.
    pub(super) fn range(&mut self, location: Location) -> std::ops::Range<usize> {
        let original = self.files[location.file.0 as usize].text.as_str();
        let shown = self.file(location.file);
        let start = shown.offset(original, location.span.start as usize);
        let end = shown
            .offset(original, location.span.end as usize)
            .max(start);
        start..end
    }
}

fn clamp_to_char_boundary(text: &str, byte: usize) -> usize {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

/// A path as shown in diagnostics: with forward slashes on every platform, so output
/// and snapshots are the same everywhere.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
