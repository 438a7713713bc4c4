//! The layout of the import's output: which file each record goes in, and how a file
//! is put together from the records of this run and those already in it.
//!
//! Records are grouped, not one per file: each kind folder holds at most
//! [`FILES_PER_KIND`] files named by three hex digits, and a record's file is a fixed
//! hash of its id (a card's source record goes into the number of the card's model),
//! so the Hub's two million models make about 500 records a file, a few hundred
//! kilobytes each, far below the loader's `MAX_FILE_BYTES` and `MAX_DATA_ENTRIES`.
//! A record never moves between files, so a changed card changes one file of each
//! kind, and the diff shows its records alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::ids::fnv1a;
use super::{Change, ImportError};
use crate::model::{Id, Kind};

/// How many files one kind folder of the import may hold (`000.yaml` to `fff.yaml`).
/// At the Hub's two million models that is about 500 records (half a megabyte) a
/// file; one file per record would make four million files, past what the loader
/// walks.
pub const FILES_PER_KIND: u16 = 4096;

/// The number of the file a record with this id is written to.
pub fn file_number(id: &Id) -> u16 {
    (fnv1a(id.as_str()) % u64::from(FILES_PER_KIND)) as u16
}

/// `out/<kind folder>/<number as three hex digits>.yaml`.
pub fn file_path(out: &Path, kind: Kind, number: u16) -> PathBuf {
    out.join(kind.folder()).join(format!("{number:03x}.yaml"))
}

/// A record this run produced, serialised, and whether it is a stub (which never
/// replaces a fuller record an earlier import wrote).
pub struct Produced {
    pub yaml: String,
    pub stub: bool,
}

impl Produced {
    pub fn of<T: Serialize>(record: &T, stub: bool) -> Result<Produced, ImportError> {
        let yaml = serde_saphyr::to_string(record).map_err(|e| ImportError::Yaml(e.to_string()))?;
        Ok(Produced { yaml, stub })
    }
}

/// The text of one output file: the records of this run and, kept byte for byte, the
/// records already in the file that this run did not produce (an import of other
/// cards into the same folder adds to it, never takes away), all in id order, one
/// YAML document each, after the line that points editors at the kind's schema. A
/// stub replaces only a stub: a fuller record written by an earlier import is kept.
///
/// Returns the text and what happened to each record this run produced.
pub fn assemble(
    kind: Kind,
    existing: Option<&str>,
    produced: BTreeMap<Id, Produced>,
) -> (String, Vec<(Id, Change)>) {
    let mut documents: BTreeMap<String, String> = BTreeMap::new();
    let mut unnamed = Vec::new();
    for document in existing.map(documents_of).unwrap_or_default() {
        match id_of(&document) {
            Some(id) => {
                documents.insert(id, document);
            }
            // Nothing the import writes lacks an id; a document without one was put
            // there by hand, and is kept rather than lost.
            None => unnamed.push(document),
        }
    }
    let mut changes = Vec::with_capacity(produced.len());
    for (id, record) in produced {
        let change = match documents.get(id.as_str()) {
            None => Change::New,
            Some(document) if *document == record.yaml => Change::Unchanged,
            Some(document) if record.stub && !is_stub(document) => Change::Unchanged,
            Some(_) => Change::Changed,
        };
        if change != Change::Unchanged {
            documents.insert(id.as_str().to_owned(), record.yaml);
        }
        changes.push((id, change));
    }
    // Four levels up from `graph-data/imported/huggingface/<folder>/`.
    let mut text = format!(
        "# yaml-language-server: $schema=../../../../docs/schema/{}.schema.json\n",
        kind.noun()
    );
    for (i, document) in documents.into_values().chain(unnamed).enumerate() {
        if i > 0 {
            text.push_str("---\n");
        }
        text.push_str(&document);
        if !document.ends_with('\n') {
            text.push('\n');
        }
    }
    (text, changes)
}

/// The YAML documents of a file the import wrote: the text between `---` lines, the
/// schema line and blank lines before the first left out. (A `---` at the start of
/// a line cannot occur inside a document: block scalars are indented.)
fn documents_of(text: &str) -> Vec<String> {
    let mut documents = Vec::new();
    let mut current = String::new();
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "---" {
            documents.push(std::mem::take(&mut current));
        } else if !(current.is_empty() && (line.starts_with('#') || line.trim().is_empty())) {
            current.push_str(line);
        }
    }
    documents.push(current);
    documents.retain(|d| !d.trim().is_empty());
    documents
}

/// The record id a document states on its top-level `id:` line.
fn id_of(document: &str) -> Option<String> {
    document.lines().find_map(|line| {
        let id = line.strip_prefix("id:")?.trim().trim_matches(['"', '\'']);
        (!id.is_empty()).then(|| id.to_owned())
    })
}

/// Whether a document is a stub the import wrote: its top-level note says so.
fn is_stub(document: &str) -> bool {
    document.lines().any(|line| {
        line.strip_prefix("note:").is_some_and(|note| {
            note.trim_start()
                .trim_start_matches(['"', '\''])
                .starts_with("Stub:")
        })
    })
}

/// Writes a file whole: a temporary file beside it, then a rename, so a reader never
/// sees half a file and a failure leaves the previous one.
pub fn write_whole(path: &Path, text: &str) -> Result<(), ImportError> {
    let fail = |source| ImportError::Write {
        path: path.to_owned(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, text).map_err(fail)?;
    std::fs::rename(&temporary, path).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn produced(yaml: &str, stub: bool) -> Produced {
        Produced {
            yaml: yaml.to_owned(),
            stub,
        }
    }

    #[test]
    fn records_of_other_runs_are_kept_and_this_runs_replace_their_own() {
        let existing =
            "# yaml-language-server: $schema=x\nid: a\nname: old a\n---\nid: c\nname: c\n";
        let mut run = BTreeMap::new();
        run.insert(
            Id::new("a".to_owned()),
            produced("id: a\nname: new a\n", false),
        );
        run.insert(Id::new("b".to_owned()), produced("id: b\nname: b\n", false));
        let (text, changes) = assemble(Kind::Model, Some(existing), run);
        assert_eq!(
            changes,
            vec![
                (Id::new("a".to_owned()), Change::Changed),
                (Id::new("b".to_owned()), Change::New)
            ]
        );
        assert_eq!(
            text,
            "# yaml-language-server: $schema=../../../../docs/schema/model.schema.json\nid: a\nname: new a\n---\nid: b\nname: b\n---\nid: c\nname: c\n"
        );
        // Reading back what was written finds the same three documents.
        assert_eq!(documents_of(&text).len(), 3);
    }

    #[test]
    fn a_stub_never_replaces_a_fuller_record_but_replaces_a_stub() {
        let existing = "id: full\nname: x\nnote: Imported from the card.\n---\nid: stub\nnote: \"Stub: named as a base.\"\n";
        let mut run = BTreeMap::new();
        run.insert(
            Id::new("full".to_owned()),
            produced("id: full\nnote: \"Stub: new\"\n", true),
        );
        run.insert(
            Id::new("stub".to_owned()),
            produced("id: stub\nnote: \"Stub: newer\"\n", true),
        );
        let (text, changes) = assemble(Kind::Model, Some(existing), run);
        assert_eq!(changes[0].1, Change::Unchanged, "the fuller record is kept");
        assert_eq!(changes[1].1, Change::Changed);
        assert!(text.contains("note: Imported from the card."), "{text}");
        assert!(text.contains("Stub: newer"), "{text}");
        assert!(!text.contains("Stub: new\""), "{text}");
    }

    #[test]
    fn file_numbers_are_fixed_and_spread() {
        let numbers: std::collections::BTreeSet<u16> = (0..10_000)
            .map(|i| file_number(&Id::new(format!("hf-owner-model-{i}"))))
            .collect();
        assert!(numbers.iter().all(|&n| n < FILES_PER_KIND));
        assert!(
            numbers.len() > 3_500,
            "{} files for 10,000 ids",
            numbers.len()
        );
    }
}
