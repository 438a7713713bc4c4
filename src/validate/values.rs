//! Values: id format, dates, URLs, language tags and the other documented formats,
//! release consistency, parameter counts, and SPDX licence ids.

use super::{Checker, location};
use crate::diagnostics::{Code, Diagnostic, FileId};
use crate::load::Entry;
use crate::model::{
    Clause, DatasetRecord, DateError, DateValue, ExternalIds, Id, Kind, License, Model,
    Organization, Record, Relation, Release, ReleaseStatus, Source, SourceKind, Spanned, Stage,
    Word,
};

pub(super) fn check_record(checker: &mut Checker<'_>, entry: &Entry) {
    let file = entry.file;
    let id = entry.record.id();
    if let Err(why) = Id::check(id.as_str()) {
        checker.report(
            Diagnostic::at(
                Code::InvalidId,
                file,
                id.span,
                format!("`{}` is not a valid id", id.as_str()),
            )
            .label(why)
            .hint("ids are lowercase letters and digits joined by hyphens, like `llama-3.1-8b`"),
        );
    }
    for (field, text) in entry.record.texts() {
        check_control_characters(checker, file, field, text);
        if text.trim().is_empty() {
            checker.report(
                Diagnostic::at(
                    Code::InvalidFormat,
                    file,
                    text.span,
                    format!("`{field}` is blank"),
                )
                .label("blank text")
                .hint("write the text, or leave the field out if it is optional"),
            );
        }
    }
    for (field, date) in entry.record.dates() {
        check_date(checker, file, field, date);
    }
    for (field, url) in entry.record.urls() {
        check_url(checker, file, field, url);
    }
    for claim in entry.record.claims() {
        let (Some(from), Some(until)) = (claim.claim().from(), claim.claim().until()) else {
            continue;
        };
        if let (Some(f), Some(u)) = (from.date(), until.date())
            && u.certain_cmp(f) == Some(std::cmp::Ordering::Less)
        {
            checker.report(
                Diagnostic::at(
                    Code::UntilBeforeFrom,
                    file,
                    until.span,
                    format!("`until` ({u}) is before `from` ({f})"),
                )
                .label("ends before it starts")
                .secondary(location(file, from.span), "starts here")
                .hint("swap the two dates, or correct one of them"),
            );
        }
    }
    match &entry.record {
        Record::Model(model) => {
            check_model(checker, file, model);
            if !imported(&checker.loaded.files[file.0 as usize].path) {
                check_training_stages(checker, file, model);
            }
        }
        Record::Organization(org) => check_organization(checker, file, org),
        Record::Source(source) => check_source(checker, file, source),
        Record::License(license) => check_license(checker, file, license),
        Record::Person(person) => {
            if let Some(ids) = &person.external_ids {
                check_external_ids(checker, file, ids, Kind::Person);
            }
        }
        Record::Dataset(data) => check_training_data(checker, file, data),
    }
}

/// Text fields that are prose and may run over several lines; every other text of
/// [`Record::texts`] is a name or a title, shown on one line.
const MULTI_LINE_TEXTS: &[&str] = &["positions.statement"];

/// Control characters have no place in a name: printed, they act on the reader's
/// terminal (an ESC sequence sets its title or clears its screen) or start a line
/// of their own (a newline in a name can start a CI workflow command). Human output
/// escapes them anyway ([`crate::escape`]); refusing them keeps the data clean for
/// every other consumer (web pages, exports, spreadsheets). Prose may keep its line
/// breaks and tabs.
fn check_control_characters(
    checker: &mut Checker<'_>,
    file: FileId,
    field: &str,
    text: &Spanned<String>,
) {
    let multi_line = MULTI_LINE_TEXTS.contains(&field);
    let Some(found) = text
        .chars()
        .find(|&c| c.is_control() && !(multi_line && matches!(c, '\n' | '\t')))
    else {
        return;
    };
    let hint = if matches!(found, '\n' | '\r') {
        "write it on one line; a YAML block scalar (`|` or `>`) keeps a final line break unless it is `|-` or `>-`"
    } else {
        "remove the character; YAML escapes such as `\\e`, `\\t` or `\\x1b` in double-quoted text produce control characters too"
    };
    checker.report(
        Diagnostic::at(
            Code::ControlCharacter,
            file,
            text.span,
            format!(
                "`{field}` contains the control character U+{:04X}{}",
                u32::from(found),
                control_name(found)
                    .map(|name| format!(" ({name})"))
                    .unwrap_or_default()
            ),
        )
        .label("control character")
        .hint(hint),
    );
}

/// The usual name of the control characters people meet.
fn control_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\0' => "null",
        '\u{7}' => "bell",
        '\u{8}' => "backspace",
        '\t' => "tab",
        '\n' => "line feed",
        '\r' => "carriage return",
        '\u{1b}' => "escape",
        '\u{7f}' => "delete",
        _ => return None,
    })
}

fn check_date(checker: &mut Checker<'_>, file: FileId, field: &str, date: &Spanned<DateValue>) {
    if let DateValue::Invalid(text, error) = &date.value {
        let hint = match error {
            DateError::Format => {
                "write the date with the precision you know: `2025`, `2025-04` or `2025-04-05`"
            }
            DateError::NoSuchDay => "check the month and day against a calendar",
            DateError::OutOfRange => "check the year for a typo",
        };
        checker.report(
            Diagnostic::at(
                Code::InvalidDate,
                file,
                date.span,
                format!("`{field}` is not a valid date: `{text}`"),
            )
            .label(error.to_string())
            .hint(hint),
        );
    }
}

/// Whether `text` is an absolute http(s) URL with a host. URLs become IRIs in the RDF
/// export, so they are parsed with the same IRI parser oxigraph uses.
pub(crate) fn url_problem(text: &str) -> Option<&'static str> {
    let Ok(iri) = oxiri::Iri::parse(text) else {
        return Some("not a valid URL (spaces and some characters must be percent-encoded)");
    };
    if !matches!(iri.scheme(), "http" | "https") {
        return Some("only http and https URLs are accepted");
    }
    match iri.authority() {
        Some(authority) if !authority.is_empty() => None,
        _ => Some("the URL has no host"),
    }
}

fn check_url(checker: &mut Checker<'_>, file: FileId, field: &str, url: &Spanned<String>) {
    if let Some(problem) = url_problem(url) {
        checker.report(
            Diagnostic::at(
                Code::InvalidUrl,
                file,
                url.span,
                format!("`{field}` is not a usable URL"),
            )
            .label(problem)
            .hint("write the full address, starting with `https://`"),
        );
    }
}

fn format_error(
    checker: &mut Checker<'_>,
    file: FileId,
    value: &Spanned<String>,
    message: String,
    hint: &str,
) {
    checker.report(
        Diagnostic::at(Code::InvalidFormat, file, value.span, message)
            .label("wrong format")
            .hint(hint),
    );
}

fn check_external_ids(checker: &mut Checker<'_>, file: FileId, ids: &ExternalIds, kind: Kind) {
    if let Some(qid) = &ids.wikidata {
        let valid = qid.strip_prefix('Q').is_some_and(|digits| {
            !digits.is_empty()
                && !digits.starts_with('0')
                && digits.bytes().all(|b| b.is_ascii_digit())
        });
        if !valid {
            format_error(
                checker,
                file,
                qid,
                format!("`{}` is not a Wikidata item id", qid.as_str()),
                "a Wikidata item id is `Q` followed by digits, like `Q380`",
            );
        }
    }
    if let Some(hf) = &ids.huggingface {
        let segment_ok = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        };
        let parts: Vec<&str> = hf.split('/').collect();
        let valid = match (kind, parts.as_slice()) {
            (Kind::Model, [owner, name]) => segment_ok(owner) && segment_ok(name),
            (Kind::Model, _) => false,
            // The Hub's oldest datasets have no owner (`squad`).
            (Kind::Dataset, [owner, name]) => segment_ok(owner) && segment_ok(name),
            (_, [name]) => segment_ok(name),
            _ => false,
        };
        if !valid {
            let hint = match kind {
                Kind::Model => {
                    "a Hugging Face model id is `owner/name`, like `meta-llama/Llama-3.1-8B`"
                }
                Kind::Dataset => {
                    "a Hugging Face dataset id is `owner/name`, like `HuggingFaceH4/ultrachat_200k`"
                }
                _ => "a Hugging Face organisation is a single name, like `meta-llama`",
            };
            format_error(
                checker,
                file,
                hf,
                format!("`{}` is not a Hugging Face id", hf.as_str()),
                hint,
            );
        }
    }
}

fn check_model(checker: &mut Checker<'_>, file: FileId, model: &Model) {
    if let Some(ids) = &model.external_ids {
        check_external_ids(checker, file, ids, Kind::Model);
    }
    for edge in model.lineage.iter().filter(|e| e.relation.is_data()) {
        let relation = edge.relation.as_str();
        let hint = match edge.relation.value {
            Relation::TrainedOn => "list the dataset under `trained_on:` (with its `stage`)",
            Relation::GeneratedBy => {
                "a model generates a dataset: write `generated_by:` in the dataset's record"
            }
            _ => "`derived_from:` joins two datasets, in the derived dataset's record",
        };
        checker.report(
            Diagnostic::at(
                Code::DataRelationInLineage,
                file,
                edge.relation.span,
                format!("`{relation}` is not a relation between models"),
            )
            .label("joins a dataset")
            .hint(hint),
        );
    }
}

/// Whether a file is an importer's output (`imported/<source>/<kind folder>/…`): its
/// claims state what the imported metadata states, which seldom says a stage.
fn imported(path: &std::path::Path) -> bool {
    let parts: Vec<_> = path.components().map(|c| c.as_os_str()).collect();
    parts.windows(3).any(|w| {
        w[0] == crate::load::IMPORTED_FOLDER
            && w[2]
                .to_str()
                .is_some_and(|folder| Kind::from_folder(folder).is_some())
    })
}

/// A curated `trained_on` claim should say the stage (`P406`).
fn check_training_stages(checker: &mut Checker<'_>, file: FileId, model: &Model) {
    for trained in model.trained_on.iter().filter(|t| t.stage.is_none()) {
        checker.report(
            Diagnostic::at(
                Code::TrainedOnWithoutStage,
                file,
                trained.dataset.span,
                format!(
                    "`{}` was trained on `{}` at which stage?",
                    model.id.as_str(),
                    trained.dataset.as_str()
                ),
            )
            .label("no `stage`")
            .hint(format!(
                "add `stage:` with one of {}, when the sources say",
                Stage::or_list()
            )),
        );
    }
    if let Some(parameters) = &model.parameters
        && let (Some(total), Some(active)) = (&parameters.total, &parameters.active)
        && active.value > total.value
    {
        checker.report(
            Diagnostic::at(
                Code::InvalidFormat,
                file,
                active.span,
                format!(
                    "`active` ({}) exceeds `total` ({})",
                    active.value, total.value
                ),
            )
            .label("more active than total parameters")
            .secondary(location(file, total.span), "total")
            .hint("`active` is the per-token share of a mixture-of-experts model's `total`"),
        );
    }
    if let Some(release) = &model.release {
        check_release(checker, file, release, "model");
    }
}

/// A release's date fields agree with its status (`noun`: what was released).
fn check_release(checker: &mut Checker<'_>, file: FileId, release: &Spanned<Release>, noun: &str) {
    {
        let status = release.status.value;
        let mut inconsistent = |span, message: String, hint: &str| {
            let mut diagnostic = Diagnostic::at(Code::InconsistentRelease, file, span, message)
                .label("contradicts the status")
                .hint(hint);
            if span != release.status.span {
                diagnostic = diagnostic.secondary(location(file, release.status.span), "status");
            }
            checker.report(diagnostic);
        };
        match (status, &release.date) {
            (ReleaseStatus::Released, None) => inconsistent(
                release.status.span,
                format!("a `released` {noun} needs a release `date`"),
                "add `date:` with the precision you know (`2025`, `2025-04`, `2025-04-05`)",
            ),
            (ReleaseStatus::Released, Some(_)) => {}
            (_, Some(date)) => inconsistent(
                date.span,
                format!("a `{}` {noun} has no release `date` yet", status.as_str()),
                "use `expected:` for an expected date, or set `status: released`",
            ),
            (_, None) => {}
        }
        if let Some(expected) = &release.expected
            && matches!(status, ReleaseStatus::Released | ReleaseStatus::Cancelled)
        {
            inconsistent(
                expected.span,
                format!(
                    "`expected` makes no sense for a `{}` {noun}",
                    status.as_str()
                ),
                "remove `expected`, or keep it in a `note`",
            );
        }
    }
}

fn check_organization(checker: &mut Checker<'_>, file: FileId, org: &Organization) {
    if let Some(ids) = &org.external_ids {
        check_external_ids(checker, file, ids, Kind::Organization);
    }
    if let Some(country) = &org.country
        && !(country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()))
    {
        format_error(
            checker,
            file,
            country,
            format!(
                "`{}` is not an ISO 3166-1 alpha-2 country code",
                country.as_str()
            ),
            "write two capital letters, like `US`, `CN` or `FR`",
        );
    }
    for ticker in &org.tickers {
        let mic = &ticker.exchange;
        if !(mic.len() == 4
            && mic
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
        {
            format_error(
                checker,
                file,
                mic,
                format!(
                    "`{}` is not an ISO 10383 market identifier code",
                    mic.as_str()
                ),
                "use the exchange's MIC: `XNAS` (Nasdaq), `XNYS` (New York), `XHKG` (Hong Kong)",
            );
        }
        let symbol = &ticker.symbol;
        if symbol.is_empty()
            || !symbol
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.')
        {
            format_error(
                checker,
                file,
                symbol,
                format!("`{}` is not a ticker symbol", symbol.as_str()),
                "write the symbol as the exchange lists it, like `BABA` or `9988`",
            );
        }
    }
}

fn check_language(checker: &mut Checker<'_>, file: FileId, language: &Spanned<String>) {
    if oxilangtag::LanguageTag::parse(language.as_str()).is_err() {
        format_error(
            checker,
            file,
            language,
            format!("`{}` is not a BCP 47 language tag", language.as_str()),
            "write a language tag like `en`, `de` or `zh-Hans`",
        );
    }
}

fn check_training_data(checker: &mut Checker<'_>, file: FileId, data: &DatasetRecord) {
    if let Some(ids) = &data.external_ids {
        check_external_ids(checker, file, ids, Kind::Dataset);
    }
    for language in &data.languages {
        check_language(checker, file, language);
    }
    if let Some(release) = &data.release {
        check_release(checker, file, release, "dataset");
    }
    if let Some(synthetic) = &data.synthetic
        && synthetic.value
        && data.generated_by.is_empty()
    {
        checker.report(
            Diagnostic::at(
                Code::SyntheticWithoutGenerator,
                file,
                synthetic.span,
                format!("`{}` is synthetic, but by which model?", data.id.as_str()),
            )
            .label("no `generated_by`")
            .hint("add `generated_by:` naming the model that wrote the examples, with its sources"),
        );
    }
    for size in &data.size {
        if size.count.value == 0 {
            checker.report(
                Diagnostic::at(
                    Code::InvalidFormat,
                    file,
                    size.count.span,
                    "a dataset's `size` is 0",
                )
                .label("empty")
                .hint("write the size its makers state, or leave `size` out"),
            );
        }
    }
}

fn check_source(checker: &mut Checker<'_>, file: FileId, source: &Source) {
    check_language(checker, file, &source.language);
    if source.kind.value == SourceKind::SecondaryPress
        && source.cites.is_empty()
        && source.relays.is_empty()
    {
        checker.report(
            Diagnostic::at(
                Code::UncitedRelay,
                file,
                source.kind.span,
                "a `secondary-press` source should say what it relays",
            )
            .label("relays something")
            .hint("add `cites:` with the id of the original report, or `relays:` with its name if it has no record"),
        );
    }
}

fn check_license(checker: &mut Checker<'_>, file: FileId, license: &License) {
    for clause in &license.clauses {
        check_clause(checker, file, clause);
    }
    check_spdx(checker, file, license);
}

/// A clause sets exactly the parameter its kind has, and reaches only through
/// relations that can carry it (the data relations are spelled by their effect:
/// `trained_on_outputs`, `trained_on`).
fn check_clause(checker: &mut Checker<'_>, file: FileId, clause: &Spanned<Clause>) {
    let kind = clause.kind.value;
    let wanted = kind.parameter();
    let mut allowed: Vec<&str> = wanted.into_iter().collect();
    allowed.extend(kind.optional_parameters());
    if let Some(wanted) = wanted
        && !clause.parameters_set().contains(&wanted)
    {
        checker.report(
            Diagnostic::at(
                Code::ClauseParameter,
                file,
                clause.kind.span,
                format!("a clause of kind `{kind}` needs `{wanted}`"),
            )
            .label(format!("no `{wanted}`"))
            .hint(format!(
                "add `{wanted}:` (see docs/data-model.md, licence clauses)"
            )),
        );
    }
    for set in clause.parameters_set() {
        if !allowed.contains(&set) {
            checker.report(
                Diagnostic::at(
                    Code::ClauseParameter,
                    file,
                    clause.kind.span,
                    format!("a clause of kind `{kind}` has no `{set}`"),
                )
                .label(format!("`{set}` belongs to another kind"))
                .hint(match wanted {
                    Some(w) => format!("a clause of kind `{kind}` takes `{w}` only"),
                    None => format!("a clause of kind `{kind}` does not take `{set}`; remove it"),
                }),
            );
        }
    }
    for reach in &clause.reaches {
        if matches!(reach.value, Relation::GeneratedBy | Relation::DerivedFrom) {
            checker.report(
                Diagnostic::at(
                    Code::ClauseReaches,
                    file,
                    reach.span,
                    format!("`{}` cannot carry a clause", reach.value),
                )
                .label("not a reach")
                .hint("write `trained_on_outputs` for models trained on data a model generated, `trained_on` for models trained on a dataset under the licence"),
            );
        }
    }
}

fn check_spdx(checker: &mut Checker<'_>, file: FileId, license: &License) {
    let spdx_id = license.spdx.as_str();
    if let Some(name) = spdx_id.strip_prefix("LicenseRef-") {
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.'));
        if !valid {
            checker.report(
                Diagnostic::at(
                    Code::UnknownSpdx,
                    file,
                    license.spdx.span,
                    format!("`{spdx_id}` is not a valid SPDX LicenseRef"),
                )
                .label("invalid characters")
                .hint("after `LicenseRef-` use letters, digits, `-` and `.` only"),
            );
        }
        return;
    }
    match spdx::license_id(spdx_id) {
        None => {
            let hint = spdx::imprecise_license_id(spdx_id)
                .map(|(found, _)| format!("did you mean `{}`?", found.name))
                .unwrap_or_else(|| {
                    "use an id from https://spdx.org/licenses/, or `LicenseRef-` and a name for licences not on the list".into()
                });
            checker.report(
                Diagnostic::at(
                    Code::UnknownSpdx,
                    file,
                    license.spdx.span,
                    format!("`{spdx_id}` is not on the SPDX License List"),
                )
                .label("unknown SPDX id")
                .hint(hint),
            );
        }
        Some(found) => {
            if found.is_osi_approved() != license.osi_approved.value {
                checker.report(
                    Diagnostic::at(
                        Code::OsiMismatch,
                        file,
                        license.osi_approved.span,
                        format!(
                            "the SPDX License List says {spdx_id} is {}OSI-approved",
                            if found.is_osi_approved() { "" } else { "not " }
                        ),
                    )
                    .label("disagrees with SPDX")
                    .hint(format!("set `osi_approved: {}`", found.is_osi_approved())),
                );
            }
        }
    }
}
