//! Whether a file's bytes are clean YAML text: no NUL byte, valid UTF-8, no
//! byte-order mark, no tab indentation, not empty. Each problem is a diagnostic.

use std::path::Path;

use super::Loaded;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::Span;

/// Checks that the bytes are clean UTF-8 YAML text. Reports what is wrong and returns
/// `None` if the file should not be parsed.
pub(super) fn check_text(loaded: &mut Loaded, path: &Path, bytes: Vec<u8>) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tabs_in_indentation_only() {
        let spans = tab_indented_lines("a: 1\n\tb: 2\nc: \"x\ty\"\n  \td: 3\n");
        assert_eq!(spans, vec![Span::new(5, 6), Span::new(22, 23)]);
    }

    #[test]
    fn blank_yaml_is_comments_and_markers_only() {
        assert!(is_blank_yaml("# comment\n---\n\n"));
        assert!(!is_blank_yaml("# comment\nid: x\n"));
    }
}
