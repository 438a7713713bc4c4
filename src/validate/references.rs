//! References: the id index, duplicate ids, unknown ids and ids of the wrong kind, and
//! two records naming one Hugging Face repo.

use super::{Checker, Target, location};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::load::Entry;
use crate::model::{Id, Kind, Record};

/// Builds the id index from every parsed record, reporting duplicates, then adds the
/// ids recovered from files that failed to parse.
pub(super) fn index_ids(checker: &mut Checker<'_>) {
    let loaded = checker.loaded;
    for entry in &loaded.entries {
        let id = entry.record.id();
        let here = location(entry.file, id.span);
        let target = Target {
            kind: entry.record.kind(),
            location: here,
            record: Some(&entry.record),
        };
        match checker.index.get(id.as_str()) {
            Some(first) => {
                let first_location = first.location;
                let first_kind = first.kind;
                let message = format!("the id `{}` is already taken", id.as_str());
                checker.report(
                    Diagnostic::new(Code::DuplicateId, here, message)
                        .label("second definition")
                        .secondary(
                            first_location,
                            format!("first defined here, as {}", first_kind.with_article()),
                        )
                        .hint("ids are unique across all kinds; rename one of the two records"),
                );
            }
            None => {
                checker.index.insert(id.as_str(), target);
            }
        }
    }
    for recovered in &loaded.recovered {
        checker
            .index
            .entry(recovered.id.as_str())
            .or_insert(Target {
                kind: recovered.kind,
                location: location(recovered.file, recovered.id.span),
                record: None,
            });
    }
}

/// Checks that every reference in the record names a record of the right kind.
pub(super) fn check_record(checker: &mut Checker<'_>, entry: &Entry) {
    for reference in entry.record.references() {
        let here = location(entry.file, reference.id.span);
        let id = reference.id.as_str();
        match checker.index.get(id).copied() {
            None => {
                let noun = reference.expected.map_or("record", Kind::noun);
                let hint = did_you_mean(id, checker.ids_of(reference.expected)).or_else(|| {
                    Id::check(id)
                        .err()
                        .map(|why| format!("this is not even a valid id: {why}"))
                });
                let hint = hint.unwrap_or_else(|| match reference.expected {
                    Some(kind) => format!("add `{}/{id}.yaml`, or fix the spelling", kind.folder()),
                    None => "fix the spelling, or add the record it should name".to_owned(),
                });
                checker.report(
                    Diagnostic::new(
                        Code::UnknownReference,
                        here,
                        format!("unknown {noun} `{id}`"),
                    )
                    .label("no record has this id")
                    .hint(hint),
                );
            }
            Some(target) => {
                if let Some(expected) = reference.expected
                    && target.kind != expected
                {
                    let message = format!(
                        "`{id}` is {}, but `{}` needs {}",
                        target.kind.with_article(),
                        reference.field,
                        expected.with_article()
                    );
                    checker.report(
                        Diagnostic::new(Code::WrongKindReference, here, message)
                            .label(format!("expected {}", expected.with_article()))
                            .secondary(target.location, "defined here")
                            .maybe_hint(did_you_mean(id, checker.ids_of(Some(expected)))),
                    );
                } else if reference.field == "family" {
                    check_family(checker, entry, reference.id, target);
                }
            }
        }
    }
    check_duplicate_references(checker, entry);
}

/// `family` must name a record of kind `family`.
fn check_family(
    checker: &mut Checker<'_>,
    entry: &Entry,
    id: &crate::model::Spanned<Id>,
    target: Target<'_>,
) {
    if let Some(Record::Model(family)) = target.record
        && !family.is_family()
    {
        checker.report(
            Diagnostic::new(
                Code::NotAFamily,
                location(entry.file, id.span),
                format!("`{}` is a model, not a family", id.as_str()),
            )
            .label("not of kind `family`")
            .secondary(target.location, "defined here")
            .hint(format!(
                "give `{}` the line `kind: family`, or point `family` at its family",
                id.as_str()
            )),
        );
    }
}

/// The same id listed twice in one list (two identical sources on a claim, a source
/// cited twice) is harmless but usually a copy-paste slip.
fn check_duplicate_references(checker: &mut Checker<'_>, entry: &Entry) {
    let mut lists: Vec<&[crate::model::Spanned<Id>]> = entry
        .record
        .claims()
        .into_iter()
        .map(|c| c.source_ids())
        .collect();
    if let Record::Source(source) = &entry.record {
        lists.push(&source.cites);
    }
    for list in lists {
        for (i, id) in list.iter().enumerate() {
            if let Some(first) = list[..i].iter().find(|earlier| earlier.value == id.value) {
                checker.report(
                    Diagnostic::new(
                        Code::DuplicateReference,
                        location(entry.file, id.span),
                        format!("`{}` is listed twice", id.as_str()),
                    )
                    .label("again")
                    .secondary(location(entry.file, first.span), "first listed here")
                    .hint("remove the second entry"),
                );
            }
        }
    }
}

/// Two model (or two dataset) records with the same Hugging Face id, compared without
/// regard to case as the Hub resolves them: the same repo recorded twice. The usual
/// cause is a curated record added for a repo imported earlier; the importer links to
/// the curated record when run again, and its twin can go.
pub(super) fn check_hub_ids(checker: &mut Checker<'_>) {
    let mut first: std::collections::HashMap<(Kind, String), crate::diagnostics::Location> =
        std::collections::HashMap::new();
    let mut found = Vec::new();
    for entry in checker.entries() {
        let ids = match &entry.record {
            Record::Model(m) => m.external_ids.as_deref(),
            Record::Dataset(d) => d.external_ids.as_ref(),
            _ => None,
        };
        let Some(hub) = ids.and_then(|ids| ids.huggingface.as_ref()) else {
            continue;
        };
        let here = location(entry.file, hub.span);
        let key = (entry.record.kind(), hub.to_lowercase());
        match first.get(&key) {
            None => {
                first.insert(key, here);
            }
            Some(&earlier) => found.push(
                Diagnostic::new(
                    Code::DuplicateHubId,
                    here,
                    format!(
                        "`{}` names the Hugging Face repo `{}`, as another record does",
                        entry.record.id().as_str(),
                        hub.as_str()
                    ),
                )
                .label("the same repo")
                .secondary(earlier, "named here first")
                .hint("keep one record of the repo: if one is under `imported/`, run the import again (it links to the curated record) and delete the imported twin"),
            ),
        }
    }
    for diagnostic in found {
        checker.report(diagnostic);
    }
}
