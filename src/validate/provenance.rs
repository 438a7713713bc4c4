//! Provenance: every claim cites a source and says how sure it is, and `confirmed`
//! rests on a primary source.

use super::{Checker, location};
use crate::diagnostics::{Code, Diagnostic};
use crate::load::Entry;
use crate::model::{ClaimField, Confidence, Record};

pub(super) fn check_record(checker: &mut Checker<'_>, entry: &Entry) {
    for claim in entry.record.claims() {
        let claim_span = claim.claim().claim_span();
        let what = match claim.field() {
            ClaimField::Record => format!("the {} record itself", entry.record.kind()),
            field => format!("this `{field}` claim"),
        };
        match claim.claim().sources() {
            None => checker.report(
                Diagnostic::at(
                    Code::MissingSource,
                    entry.file,
                    claim_span,
                    format!("{what} cites no source"),
                )
                .label("needs `sources:`")
                .hint("add `sources: [source-id]` naming where a reader can check it"),
            ),
            Some(list) if list.is_empty() => checker.report(
                Diagnostic::at(
                    Code::MissingSource,
                    entry.file,
                    list.span,
                    format!("{what} cites no source"),
                )
                .label("empty list")
                .hint("name at least one source in `sources`"),
            ),
            Some(_) => {}
        }
        let Some(confidence) = claim.claim().confidence() else {
            checker.report(
                Diagnostic::at(
                    Code::MissingConfidence,
                    entry.file,
                    claim_span,
                    format!("{what} has no confidence"),
                )
                .label("needs `confidence:`")
                .hint("add `confidence:` with one of confirmed, reported, rumored, disputed"),
            );
            continue;
        };
        if confidence.value != Confidence::Confirmed {
            continue;
        }
        // Unknown sources are reported as unknown references; judge only those that
        // resolve, and stay silent if none do (the reference error says enough).
        let resolved: Vec<_> = claim
            .source_ids()
            .iter()
            .filter_map(|id| match checker.record(id.as_str()) {
                Some(Record::Source(source)) => Some(source),
                _ => None,
            })
            .collect();
        if !resolved.is_empty() && !resolved.iter().any(|source| source.kind.is_primary()) {
            let first = resolved[0];
            let mut diagnostic = Diagnostic::at(
                Code::ConfirmedWithoutPrimary,
                entry.file,
                confidence.span,
                format!("{what} is `confirmed` but cites no official, model-card or paper source"),
            )
            .label("confirmed by whom?")
            .hint("cite the party's own announcement, model card or paper, or lower the confidence to `reported`");
            if let Some(target) = checker.index.get(first.id.as_str()) {
                diagnostic = diagnostic.secondary(
                    location(target.location.file, first.kind.span),
                    format!(
                        "`{}` is {} source",
                        first.id.as_str(),
                        article_kind(first.kind.value.as_str())
                    ),
                );
            }
            checker.report(diagnostic);
        }
    }
}

fn article_kind(kind: &str) -> String {
    format!("a `{kind}`")
}
