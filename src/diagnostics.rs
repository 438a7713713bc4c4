//! Diagnostics: what a problem in `graph-data/` looks like, and the one renderer for it.
//!
//! Every check in the loader and the validator produces [`Diagnostic`]s pointing into
//! [`SourceFile`]s by byte range. This module turns them into the three output formats
//! of `pedigree validate` (human, JSON, GitHub Actions) and the JSON that
//! `/api/status` shows; nothing else formats a diagnostic. Codes are stable: they are
//! documented in `docs/diagnostics.md` and a test keeps that page complete.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Files, SimpleFile};
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use crate::escape;
use crate::model::Span;

/// A file the diagnostics can point into: its path as shown to the user, and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// Index of a [`SourceFile`] in the list the loader builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// How bad a problem is. Errors make `pedigree validate` exit with 1; warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

macro_rules! codes {
    ($( $variant:ident = $code:literal, $name:literal, $severity:ident, $doc:literal; )*) => {
        /// The stable code of each kind of problem.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( #[doc = $doc] $variant, )*
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as printed: `P201`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// A short kebab-case name: `unknown-reference`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// One sentence on what the code means, for `docs/diagnostics.md`.
            pub fn description(self) -> &'static str {
                match self { $(Code::$variant => $doc,)* }
            }
        }
    };
}

codes! {
    UnreadableFile = "P001", "unreadable-file", Error, "A file or folder could not be read (permissions, a broken link).";
    FileTooLarge = "P002", "file-too-large", Error, "A file is larger than the loader accepts.";
    NotUtf8 = "P003", "not-utf8", Error, "A file is not valid UTF-8.";
    ByteOrderMark = "P004", "byte-order-mark", Error, "A file starts with a byte-order mark.";
    BinaryFile = "P005", "binary-file", Error, "A file contains NUL bytes: it is not text.";
    UnexpectedPath = "P006", "unexpected-path", Error, "A file or folder that Pedigree does not read sits where data is expected.";
    EmptyFile = "P007", "empty-file", Error, "A data file holds no record.";
    TabIndentation = "P008", "tab-indentation", Error, "A line is indented with a tab; YAML indentation is spaces only.";
    YamlSyntax = "P010", "yaml-syntax", Error, "The file is not well-formed YAML.";
    DuplicateKey = "P011", "duplicate-key", Error, "A mapping has the same key twice.";
    ResourceLimit = "P012", "resource-limit", Error, "The YAML exceeds a parser limit (nesting, aliases, size): an alias bomb or a runaway file.";
    OutsideDataFolder = "P013", "outside-data-folder", Error, "A symbolic link leads outside the data folder; it is not followed and its target is never read.";
    NotARegularFile = "P014", "not-a-regular-file", Error, "A `.yaml` entry is a named pipe, socket or device rather than a regular file; it is never opened.";
    LinkedFolder = "P015", "linked-folder", Error, "A symbolic link to a folder, or a folder reached a second time (a bind mount); it is not walked.";
    TooManyEntries = "P016", "too-many-entries", Error, "The data folder holds more files and folders than the loader walks (`MAX_DATA_ENTRIES`, 100,000); nothing is read.";
    UnknownField = "P101", "unknown-field", Error, "A field that the record kind does not have.";
    MissingField = "P102", "missing-field", Error, "A required field is missing.";
    InvalidValue = "P103", "invalid-value", Error, "A value has the wrong type or is not one of the allowed words.";
    FileNameMismatch = "P104", "file-name-mismatch", Error, "A single-record file is not named after its record's id.";
    InvalidId = "P105", "invalid-id", Error, "An id or reference does not follow the id grammar.";
    InvalidDate = "P106", "invalid-date", Error, "A date is not YYYY, YYYY-MM or YYYY-MM-DD, or no such day exists.";
    InvalidUrl = "P107", "invalid-url", Error, "A URL is not an absolute http(s) URL.";
    InvalidFormat = "P108", "invalid-format", Error, "A value breaks its documented format (language tag, country code, Wikidata id, Hugging Face id, ticker, empty text).";
    InconsistentRelease = "P109", "inconsistent-release", Error, "A release's status and dates contradict each other.";
    ControlCharacter = "P110", "control-character", Error, "A name, alias, title or other one-line text contains a control character (an escape, a newline, a tab): text that would act on a terminal instead of being shown.";
    DuplicateId = "P201", "duplicate-id", Error, "Two records share an id; ids are unique across the whole graph.";
    UnknownReference = "P202", "unknown-reference", Error, "A reference names no record.";
    WrongKindReference = "P203", "wrong-kind-reference", Error, "A reference names a record of the wrong kind (a person where an organisation is expected).";
    NotAFamily = "P204", "not-a-family", Error, "`family` names a model record that is not of kind `family`.";
    DuplicateReference = "P205", "duplicate-reference", Warning, "The same id is listed twice where once is enough.";
    Cycle = "P301", "cycle", Error, "Lineage, family membership, organisation parents or source citations go round in a cycle.";
    ReleasedBeforeBase = "P302", "released-before-base", Error, "A model is released before a base it derives from.";
    UntilBeforeFrom = "P303", "until-before-from", Error, "A claim's `until` precedes its `from`.";
    MissingSource = "P401", "missing-source", Error, "A claim cites no source.";
    ConfirmedWithoutPrimary = "P402", "confirmed-without-primary-source", Error, "A `confirmed` claim has no official, model-card or paper source.";
    MissingConfidence = "P403", "missing-confidence", Error, "A claim has no confidence.";
    UncitedRelay = "P404", "secondary-press-without-cites", Warning, "A secondary-press source does not say which source it relays (`cites` or `relays`).";
    UnknownSpdx = "P501", "unknown-spdx-id", Error, "An `spdx` value is neither on the SPDX License List nor a `LicenseRef-`.";
    OsiMismatch = "P502", "osi-mismatch", Error, "`osi_approved` disagrees with the SPDX License List.";
    SparqlSyntax = "Q001", "sparql-syntax", Error, "A SPARQL query (given to `pedigree query` or a canned query in `queries/`) does not parse.";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: FileId,
    pub span: Span,
}

/// A second place that explains the first ("first defined here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub location: Location,
    pub message: String,
}

/// One problem, with everything needed to show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    pub location: Location,
    /// Text under the caret of the primary location.
    pub label: String,
    pub secondary: Vec<Label>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            location,
            label: String::new(),
            secondary: Vec::new(),
            hint: None,
        }
    }

    pub fn at(code: Code, file: FileId, span: Span, message: impl Into<String>) -> Self {
        Diagnostic::new(code, Location { file, span }, message)
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    pub fn secondary(mut self, location: Location, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            location,
            message: message.into(),
        });
        self
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }
}

/// Sorts diagnostics by file path, then position, then code, so output is stable and
/// reads top to bottom.
pub fn sort(diagnostics: &mut [Diagnostic], files: &[SourceFile]) {
    diagnostics.sort_by(|a, b| {
        let path = |d: &Diagnostic| &files[d.location.file.0 as usize].path;
        path(a)
            .cmp(path(b))
            .then(a.location.span.cmp(&b.location.span))
            .then(a.code.cmp(&b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// Counts of errors and warnings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn of(diagnostics: &[Diagnostic]) -> Tally {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity() == Severity::Error)
            .count();
        Tally {
            errors,
            warnings: diagnostics.len() - errors,
        }
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        write!(
            f,
            "{} and {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning")
        )
    }
}

/// Resolves byte spans to lines and columns, building each file's line index once.
///
/// The index is built over the file's text as shown to people: with its control
/// characters escaped ([`escape::lines`]), because codespan prints snippets from it.
/// Escaping is one character for one character, so lines and columns are those of
/// the original text; byte offsets go through the file's [`escape::Offsets`].
struct LineIndex<'a> {
    files: &'a [SourceFile],
    cache: Vec<Option<Shown<'a>>>,
}

/// A file as the human renderer shows it: escaped name and text, and where the
/// original's byte offsets land in that text.
struct Shown<'a> {
    file: SimpleFile<String, Cow<'a, str>>,
    offsets: escape::Offsets,
}

impl Shown<'_> {
    /// The escaped offset of a byte offset into the original text.
    fn offset(&self, original: &str, byte: usize) -> usize {
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
    fn new(files: &'a [SourceFile]) -> Self {
        LineIndex {
            files,
            cache: (0..files.len()).map(|_| None).collect(),
        }
    }

    fn file(&mut self, id: FileId) -> &Shown<'a> {
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

    fn line_column(&mut self, id: FileId, byte: u32) -> LineColumn {
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
    fn range(&mut self, location: Location) -> std::ops::Range<usize> {
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

/// Renders diagnostics for people, with snippets and carets. `color` adds ANSI colours.
///
/// Everything printed that comes from the data (messages, labels and hints quote
/// values and keys; paths and snippets are the files' own) goes through
/// [`crate::escape`], so a file cannot send its reader's terminal control sequences
/// or start an output line of its own, such as a CI workflow command.
pub fn render_human(diagnostics: &[Diagnostic], files: &[SourceFile], color: bool) -> String {
    let mut index = LineIndex::new(files);
    let config = term::Config::default();
    let mut out: Vec<u8> = Vec::new();
    for diagnostic in diagnostics {
        let severity = match diagnostic.severity() {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let primary =
            cs::Label::primary(diagnostic.location.file.0, index.range(diagnostic.location))
                .with_message(escape::line(&diagnostic.label));
        let mut labels = vec![primary];
        labels.extend(diagnostic.secondary.iter().map(|label| {
            cs::Label::secondary(label.location.file.0, index.range(label.location))
                .with_message(escape::line(&label.message))
        }));
        let rendered = cs::Diagnostic::new(severity)
            .with_code(diagnostic.code.as_str())
            .with_message(escape::line(&diagnostic.message))
            .with_labels(labels)
            .with_notes(
                diagnostic
                    .hint
                    .iter()
                    .map(|hint| format!("hint: {}", escape::line(hint)))
                    .collect(),
            );
        let database = Database(&index.cache);
        let result = if color {
            term::emit_to_write_style(
                &mut termcolor::Ansi::new(&mut out),
                &config,
                &database,
                &rendered,
            )
        } else {
            term::emit_to_write_style(
                &mut termcolor::NoColor::new(&mut out),
                &config,
                &database,
                &rendered,
            )
        };
        // Rendering into memory fails only if a span lies outside its file, which would be
        // a bug in a check; fall back to a plain line rather than losing the diagnostic.
        if result.is_err() {
            let path = display_path(&files[diagnostic.location.file.0 as usize].path);
            out.extend_from_slice(
                format!(
                    "{}[{}]: {} ({})\n",
                    severity_word(diagnostic.severity()),
                    diagnostic.code,
                    escape::line(&diagnostic.message),
                    escape::line(&path),
                )
                .as_bytes(),
            );
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The codespan view of the files that have a line index built.
struct Database<'c, 'a>(&'c [Option<Shown<'a>>]);

impl<'c> Files<'c> for Database<'c, '_> {
    type FileId = u32;
    type Name = &'c str;
    type Source = &'c str;

    fn name(&'c self, id: u32) -> Result<&'c str, codespan_reporting::files::Error> {
        self.get(id).map(|f| f.name().as_str())
    }

    fn source(&'c self, id: u32) -> Result<&'c str, codespan_reporting::files::Error> {
        self.get(id).map(|f| f.source().as_ref())
    }

    fn line_index(
        &'c self,
        id: u32,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        self.get(id)?.line_index((), byte_index)
    }

    fn line_range(
        &'c self,
        id: u32,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        self.get(id)?.line_range((), line_index)
    }
}

impl<'c, 'a> Database<'c, 'a> {
    fn get(
        &self,
        id: u32,
    ) -> Result<&'c SimpleFile<String, Cow<'a, str>>, codespan_reporting::files::Error> {
        self.0
            .get(id as usize)
            .and_then(Option::as_ref)
            .map(|shown| &shown.file)
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }
}

/// One diagnostic in the JSON output: a flat, documented shape that programs can read.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    /// The column just after the last character of the range.
    pub end_column: usize,
    pub label: String,
    pub hint: Option<String>,
    pub related: Vec<JsonLabel>,
}

#[derive(Debug, Serialize)]
pub struct JsonLabel {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Converts diagnostics to their JSON shape (used by `--format json` and `/api/status`).
pub fn to_json(diagnostics: &[Diagnostic], files: &[SourceFile]) -> Vec<JsonDiagnostic> {
    let mut index = LineIndex::new(files);
    diagnostics
        .iter()
        .map(|d| {
            let start = index.line_column(d.location.file, d.location.span.start);
            let end = index.line_column(d.location.file, d.location.span.end);
            JsonDiagnostic {
                code: d.code.as_str(),
                name: d.code.name(),
                severity: d.severity(),
                message: d.message.clone(),
                file: display_path(&files[d.location.file.0 as usize].path),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                label: d.label.clone(),
                hint: d.hint.clone(),
                related: d
                    .secondary
                    .iter()
                    .map(|l| {
                        let at = index.line_column(l.location.file, l.location.span.start);
                        JsonLabel {
                            file: display_path(&files[l.location.file.0 as usize].path),
                            line: at.line,
                            column: at.column,
                            message: l.message.clone(),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Renders diagnostics as a JSON array (pretty-printed, one trailing newline).
pub fn render_json(diagnostics: &[Diagnostic], files: &[SourceFile]) -> String {
    let mut text = serde_json::to_string_pretty(&to_json(diagnostics, files))
        .unwrap_or_else(|_| "[]".to_owned());
    text.push('\n');
    text
}

/// Renders diagnostics as GitHub Actions workflow commands, one line each, so a pull
/// request shows them as annotations on the changed lines.
pub fn render_github(diagnostics: &[Diagnostic], files: &[SourceFile]) -> String {
    let mut out = String::new();
    for d in to_json(diagnostics, files) {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str(" (hint: ");
            message.push_str(hint);
            message.push(')');
        }
        // GitHub's `endColumn` is the last column of the range; ours is the one after it.
        let end_column = if d.end_line == d.line {
            d.end_column.saturating_sub(1).max(d.column)
        } else {
            d.end_column
        };
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&d.file),
            d.line,
            d.column,
            d.end_line,
            end_column,
            escape_property(&format!("{} {}", d.code, d.name)),
            escape_data(&message),
        ));
    }
    out
}

/// Escapes workflow-command data as the GitHub Actions toolkit does.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes workflow-command properties as the GitHub Actions toolkit does.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The candidates closest to `word`, best first: the one place that judges spelling,
/// shared by diagnostics ("did you mean") and the HTTP API's 404s.
pub fn suggestions<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    max: usize,
) -> Vec<&'c str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.85)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    // Offer only the near-best: `qwen3-8` should suggest `qwen3-8b`, not also `qwen`.
    if let Some(&(best, _)) = scored.first() {
        scored.retain(|(score, _)| *score >= best - 0.03);
    }
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

/// "did you mean `x`?" for the candidates closest to `word`, or `None` when nothing
/// is close.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<String> {
    let names: Vec<String> = suggestions(word, candidates, 3)
        .iter()
        .map(|c| format!("`{c}`"))
        .collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [init @ .., last] => Some(format!("did you mean {} or {last}?", init.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {code}");
            assert!(code.as_str().starts_with(['P', 'Q']) && code.as_str().len() == 4);
        }
    }

    #[test]
    fn suggests_close_spellings_only() {
        assert_eq!(
            did_you_mean("qwen3-8", ["qwen3-8b", "llama-3.1-8b"]).as_deref(),
            Some("did you mean `qwen3-8b`?")
        );
        assert_eq!(did_you_mean("zzz", ["qwen3-8b"]), None);
    }

    #[test]
    fn github_escaping_follows_the_toolkit() {
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(escape_data("x\ny"), "x%0Ay");
    }
}
