//! Diagnostics: what a problem in `graph-data/` looks like (codes, severities,
//! locations), with the map of the parts that show it.
//!
//! Every check in the loader and the validator produces [`Diagnostic`]s pointing into
//! [`SourceFile`]s by byte range. `position` resolves spans to lines and columns,
//! `render` is the one renderer (the three output formats of `pedigree validate`:
//! human, JSON, GitHub Actions, and the JSON that `/api/status` shows; nothing else
//! formats a diagnostic), `suggest` the one judge of spelling. Codes are stable: they
//! are documented in `docs/diagnostics.md` and a test keeps that page complete.

mod position;
mod render;
mod suggest;

use std::path::PathBuf;

use serde::Serialize;

use crate::model::Span;

pub use position::{LineColumn, display_path};
pub use render::{JsonDiagnostic, JsonLabel, render_github, render_human, render_json, to_json};
pub use suggest::{did_you_mean, suggestions};

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
    DataRelationInLineage = "P111", "data-relation-in-lineage", Error, "A model's `lineage` uses a relation that joins a dataset (`trained_on`, `generated_by`, `derived_from`); those claims have fields of their own.";
    DuplicateId = "P201", "duplicate-id", Error, "Two records share an id; ids are unique across the whole graph.";
    UnknownReference = "P202", "unknown-reference", Error, "A reference names no record.";
    WrongKindReference = "P203", "wrong-kind-reference", Error, "A reference names a record of the wrong kind (a person where an organisation is expected).";
    NotAFamily = "P204", "not-a-family", Error, "`family` names a model record that is not of kind `family`.";
    DuplicateReference = "P205", "duplicate-reference", Warning, "The same id is listed twice where once is enough.";
    DuplicateHubId = "P206", "duplicate-hub-id", Warning, "Two model or dataset records name the same Hugging Face repo: a curated record and an imported twin (the import links to the curated one when run again), or two curated records.";
    Cycle = "P301", "cycle", Error, "Lineage, family membership, organisation parents or source citations go round in a cycle.";
    ReleasedBeforeBase = "P302", "released-before-base", Error, "A model or dataset is released before a base it derives from: a model before its base or its training data, a dataset before the model that generated it or the dataset it was made from.";
    UntilBeforeFrom = "P303", "until-before-from", Error, "A claim's `until` precedes its `from`.";
    MissingSource = "P401", "missing-source", Error, "A claim cites no source.";
    ConfirmedWithoutPrimary = "P402", "confirmed-without-primary-source", Error, "A `confirmed` claim has no official, model-card or paper source.";
    MissingConfidence = "P403", "missing-confidence", Error, "A claim has no confidence.";
    UncitedRelay = "P404", "secondary-press-without-cites", Warning, "A secondary-press source does not say which source it relays (`cites` or `relays`).";
    SyntheticWithoutGenerator = "P405", "synthetic-without-generator", Warning, "A dataset marked `synthetic: true` names no model in `generated_by`.";
    TrainedOnWithoutStage = "P406", "trained-on-without-stage", Warning, "A `trained_on` claim does not say which `stage` of training the dataset fed.";
    UnknownSpdx = "P501", "unknown-spdx-id", Error, "An `spdx` value is neither on the SPDX License List nor a `LicenseRef-`.";
    OsiMismatch = "P502", "osi-mismatch", Error, "`osi_approved` disagrees with the SPDX License List.";
    ClauseParameter = "P503", "clause-parameter", Error, "A licence clause lacks the parameter its kind needs (`prefix`, `text`, `policy`, `threshold`, `outputs`, `territory`) or sets one that belongs to another kind.";
    ClauseReaches = "P504", "clause-reaches", Error, "A licence clause's `reaches` lists `generated_by` or `derived_from`; the relations that carry a clause through data are `trained_on_outputs` and `trained_on`.";
    LicenseDrift = "C101", "license-drift", Warning, "A model declares a licence other than one its lineage passes down: an ancestor's licence whose terms travel with derivatives (a licence copy, pass-down or share-alike clause, without a relicensing clause) or forbid commercial use where the declared licence does not.";
    NamingRequirementUnmet = "C102", "naming-requirement-unmet", Warning, "A distributed model's name does not begin with the prefix an inherited naming clause asks for (\"Llama\").";
    RestrictedUseContradicted = "C103", "restricted-use-contradicted", Warning, "A model offered closed, through products or an API, inherits a non-commercial or research-only clause.";
    OutputsClause = "C104", "outputs-clause", Warning, "A model distilled from, or trained on outputs of, a model whose licence forbids using its outputs to improve other models.";
    CardFrontMatter = "I001", "card-front-matter", Error, "A model card has no YAML front matter, an unclosed one, or front matter that is not YAML; the card is skipped.";
    CardUnreadable = "I002", "card-unreadable", Error, "A model card is not UTF-8, too large (`MAX_CARD_BYTES`) or cannot be read; it is skipped.";
    CardBaseModel = "I003", "card-base-model", Error, "A `base_model` entry is not a Hub repo id (a local path, a URL), is listed twice, names the card's own repo, or the list is empty; the entry is skipped, the rest imported.";
    CardCycle = "I004", "card-cycle", Error, "Imported cards name each other as bases in a cycle; the lineage claims of the cycle are skipped.";
    CardLicense = "I005", "card-license", Warning, "A card's licence is neither an SPDX id, a Hub licence Pedigree knows, nor `other` with a `license_name`; no licence claim is imported.";
    ImportConflict = "I006", "import-conflict", Warning, "A card disagrees with the curated record of the same model (another base, relation or licence); nothing is written over the curated record.";
    HubRepoGone = "I007", "hub-repo-gone", Error, "A repo named by `--model` or found in a children listing answers 404, 410, 401 or 403 on the Hub API (deleted, renamed away, private or gated); it is skipped, the rest imported.";
    HubRequestFailed = "I008", "hub-request-failed", Error, "A Hub API request still failed after `MAX_ATTEMPTS` tries (429, 5xx, a timeout), or its answer is not the documented JSON; that repo or listing is skipped, the rest imported.";
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {code}");
            assert!(code.as_str().starts_with(['P', 'I', 'C', 'Q']) && code.as_str().len() == 4);
        }
    }
}
