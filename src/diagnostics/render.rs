//! The one renderer of diagnostics, in the three output formats of
//! `pedigree validate` (human with snippets, JSON, GitHub Actions commands) and the
//! JSON `/api/status` shows.

use std::borrow::Cow;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Files, SimpleFile};
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use super::position::{LineIndex, Shown, display_path};
use super::{Diagnostic, Severity, SourceFile};
use crate::escape;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escaping_follows_the_toolkit() {
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(escape_data("x\ny"), "x%0Ay");
    }
}
