//! serde-saphyr's errors as our diagnostics: the code, message, label and hint of
//! each kind of YAML error, and the byte span of where it happened.

use std::borrow::Cow;

use serde_saphyr::{Error as YamlError, Localizer, MessageFormatter};

use crate::diagnostics::{Code, Diagnostic, FileId, did_you_mean};
use crate::model::Span;

/// Formats serde-saphyr's messages without their " at line X, column Y" suffix: our
/// renderer prints the location itself.
struct WithoutLocation;

impl Localizer for WithoutLocation {
    fn attach_location<'a>(&self, base: Cow<'a, str>, _: serde_saphyr::Location) -> Cow<'a, str> {
        base
    }
}

impl MessageFormatter for WithoutLocation {
    fn localizer(&self) -> &dyn Localizer {
        self
    }

    fn format_message<'a>(&self, err: &'a YamlError) -> Cow<'a, str> {
        serde_saphyr::UserMessageFormatter.format_message(err)
    }
}

/// Turns a serde-saphyr error into a diagnostic with our code, message and hint.
pub(super) fn yaml_diagnostic(error: &YamlError, file: FileId, text: &str) -> Diagnostic {
    let span = error
        .location()
        .map(|location| span_of(location, text))
        .unwrap_or_default();
    let plain = || {
        let options = serde_saphyr::render_options! {
            formatter: &WithoutLocation,
            snippets: serde_saphyr::SnippetMode::Off,
        };
        error.render_with_options(options)
    };
    let at = |code: Code, message: String| Diagnostic::at(code, file, span, message);
    match error.without_snippet() {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => at(Code::UnknownField, format!("unknown field `{field}`"))
            .label("not a field here")
            .hint(
                did_you_mean(field, expected.iter().copied())
                    .unwrap_or_else(|| format!("the fields here are: {}", expected.join(", "))),
            ),
        YamlError::SerdeMissingField { field, .. } => {
            at(Code::MissingField, format!("missing field `{field}`"))
                .label(format!("this record needs `{field}`"))
                .hint("see docs/data-model.md for the required fields of each kind")
        }
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let choices = expected
                .iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>();
            at(
                Code::InvalidValue,
                format!("`{variant}` is not an allowed value here"),
            )
            .label("unknown word")
            .hint(match did_you_mean(variant, expected.iter().copied()) {
                Some(suggestion) => suggestion,
                None => format!("expected one of {}", choices.join(", ")),
            })
        }
        YamlError::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("?");
            at(
                Code::DuplicateKey,
                format!("key `{key}` appears twice in this mapping"),
            )
            .label("second occurrence")
            .hint("keep one of the two entries")
        }
        YamlError::Budget { breach, .. } => at(
            Code::ResourceLimit,
            format!("YAML exceeds a parser limit: {}", describe_breach(breach)),
        )
        .label("limit reached here")
        .hint("data files need no anchors, aliases or deep nesting; write the values out"),
        YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. }
        | YamlError::AliasReplayCounterOverflow { .. } => at(
            Code::ResourceLimit,
            format!("YAML exceeds a parser limit: {}", plain()),
        )
        .label("limit reached here")
        .hint("data files need no anchors, aliases or deep nesting; write the values out"),
        YamlError::SerdeInvalidType { .. }
        | YamlError::SerdeInvalidValue { .. }
        | YamlError::SerdeInvalidLength { .. }
        | YamlError::Unexpected { .. }
        | YamlError::NullIntoString { .. }
        | YamlError::InvalidScalar { .. }
        | YamlError::InvalidBooleanStrict { .. }
        | YamlError::Message { .. }
        | YamlError::QuotingRequired { .. }
        | YamlError::ExternallyTaggedEnumExpectedScalarOrMapping { .. }
        | YamlError::UnexpectedValueForUnitEnumVariant { .. } => at(Code::InvalidValue, plain())
            .label("invalid value")
            .hint("check the field's type in docs/data-model.md (text, number, list or mapping)"),
        _ => at(Code::YamlSyntax, plain())
            .label("here")
            .hint("check indentation, colons and quoting near this line"),
    }
}

/// A budget breach in words, naming the limit that was hit.
fn describe_breach(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match breach {
        B::Aliases { aliases } => format!("{aliases} aliases, more than the 1000 allowed"),
        B::Anchors { anchors } => format!("{anchors} anchors, more than the 1000 allowed"),
        B::Depth { depth } => format!("nesting {depth} levels deep, more than the 32 allowed"),
        B::Documents { documents } => {
            format!("{documents} documents in one file, more than the 20000 allowed")
        }
        B::Nodes { nodes } => format!("{nodes} values in one file, more than the 2000000 allowed"),
        B::Events { events } => format!("{events} parser events, more than the 4000000 allowed"),
        B::AliasAnchorRatio { aliases, anchors } => {
            format!("{aliases} aliases for {anchors} anchors: aliases expand far beyond the text")
        }
        other => format!("{other:?}"),
    }
}

/// The byte span of a serde-saphyr location, recomputing the byte offset from line
/// and column where the parser gave none (some scanner errors).
fn span_of(location: serde_saphyr::Location, text: &str) -> Span {
    let span = Span::from(location);
    if location.span().byte_offset().is_some() {
        return span;
    }
    let line = location.line().max(1) as usize;
    let column = location.column().max(1) as usize;
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let rest = &text[line_start.min(text.len())..];
    let in_line: usize = rest.chars().take(column - 1).map(char::len_utf8).sum();
    let start = u32::try_from(line_start + in_line).unwrap_or(u32::MAX);
    Span::new(
        start,
        start.saturating_add(1).min(text.len() as u32).max(start),
    )
}
