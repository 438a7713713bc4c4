//! The strict YAML parse of a file's text into records of its folder's kind, under
//! budgets that bound an alias bomb or a nesting storm, and the file-name check of a
//! single-record file.

use serde::de::DeserializeOwned;
use serde_saphyr::Error as YamlError;

use super::recover::recover_ids;
use super::yaml_errors::yaml_diagnostic;
use super::{Entry, Loaded};
use crate::diagnostics::{Code, Diagnostic, FileId};
use crate::model::{Kind, Record, Span, Spanned};

/// The options every data file is parsed with: strict where YAML is lax, with budgets
/// tight enough that an alias bomb or a nesting storm fails fast in bounded memory.
pub(crate) fn yaml_options() -> serde_saphyr::Options {
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

pub(super) fn parse_file(loaded: &mut Loaded, kind: Kind, file: FileId) {
    let text = &loaded.files[file.0 as usize].text;
    let parsed = match kind {
        Kind::Model => parse_as(text, |model| Record::Model(Box::new(model))),
        Kind::Organization => parse_as(text, Record::Organization),
        Kind::Person => parse_as(text, Record::Person),
        Kind::Source => parse_as(text, Record::Source),
        Kind::License => parse_as(text, Record::License),
        Kind::Dataset => parse_as(text, |data| Record::Dataset(Box::new(data))),
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
/// id can find its file. An importer's numbered files (`imported/huggingface/models/3c6.yaml`)
/// are exempt: which records share one is a hash of their ids (docs/import.md), and one
/// holds a single record until another id falls into it.
fn check_file_name(loaded: &mut Loaded, file: FileId, record: &Record) {
    let path = &loaded.files[file.0 as usize].path;
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    let numbered = stem.as_deref().is_some_and(|s| {
        s.len() == 3
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    // `imported/<source>/<kind folder>/<number>.yaml`
    let in_import = path
        .ancestors()
        .nth(3)
        .and_then(|p| p.file_name())
        .is_some_and(|name| name == super::IMPORTED_FOLDER);
    if numbered && in_import {
        return;
    }
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
