//! A Hugging Face model card as the importer reads it: the repo id, the YAML front
//! matter's fields that matter for lineage, and where each sits in the card's text.

use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic, FileId};
use crate::model::{PartialDate, Span};

/// Largest card read, in bytes. Real cards are some kilobytes; the largest seen with
/// long evaluation tables stay under 200 KB. A larger file is skipped (`I002`).
pub const MAX_CARD_BYTES: usize = 1024 * 1024;

/// A field that may be one string or a list of them, as cards write `base_model`,
/// `datasets`, `tags` and `language` either way.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

/// The front-matter fields the importer reads; every other field is ignored.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct CardData {
    #[serde(default)]
    pub base_model: Option<OneOrMany>,
    #[serde(default)]
    pub base_model_relation: Option<String>,
    #[serde(default)]
    pub license: Option<String>,
    #[serde(default)]
    pub license_name: Option<String>,
    #[serde(default)]
    pub license_link: Option<String>,
    #[serde(default)]
    pub datasets: Option<OneOrMany>,
    #[serde(default)]
    pub library_name: Option<String>,
    #[serde(default)]
    pub tags: Option<OneOrMany>,
}

/// Where a card was read: a file on disk, or the Hub API's answer for the repo
/// (`cardData`), whose bases may come from the Hub's `base_model:` tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `DIR/<owner>/<name>/README.md`.
    Disk,
    /// `GET /api/models/<owner>/<name>`: `cardData`, `sha`, `lastModified`.
    Hub,
    /// The same, where `cardData` names no base: the bases (and the relation, when
    /// the tags give one) are the Hub's `base_model:<relation>:<id>` tags.
    HubTags,
}

/// One card, read and parsed.
#[derive(Clone, Debug)]
pub struct Card {
    /// `owner/name`, as the folder layout (or the Hub) gives it.
    pub repo: String,
    pub file: FileId,
    pub data: CardData,
    /// The revision the card was read at, when known (`huggingface-cli download`
    /// writes it beside the file).
    pub sha: Option<String>,
    /// The day the card was read at that revision (on disk), or the revision's day
    /// (`lastModified`, from the Hub).
    pub day: PartialDate,
    pub origin: Origin,
}

impl Card {
    pub fn tags(&self) -> Vec<String> {
        self.data
            .tags
            .clone()
            .map(OneOrMany::into_vec)
            .unwrap_or_default()
    }

    /// The owner part of the repo id.
    pub fn owner(&self) -> &str {
        self.repo.split('/').next().unwrap_or(&self.repo)
    }

    /// The name part of the repo id.
    pub fn name(&self) -> &str {
        self.repo.rsplit('/').next().unwrap_or(&self.repo)
    }
}

/// The front matter of a card's text: the YAML between the first `---` line (after
/// blank lines, as the Hub allows) and the next `---` line, with its byte range.
pub fn front_matter(text: &str, file: FileId) -> Result<(&str, usize), Box<Diagnostic>> {
    let start = text.len() - text.trim_start().len();
    let rest = &text[start..];
    let first_line = rest.lines().next().unwrap_or("");
    if first_line.trim_end() != "---" {
        return Err(Box::new(
            Diagnostic::at(
                Code::CardFrontMatter,
                file,
                Span::new(start as u32, (start + first_line.len()) as u32),
                "the card has no YAML front matter",
            )
            .label("expected `---` here")
            .hint("a model card starts with its metadata between two `---` lines"),
        ));
    }
    let body_start = start + first_line.len() + 1;
    let mut offset = body_start.min(text.len());
    for line in text[offset..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok((&text[body_start.min(text.len())..offset], body_start));
        }
        offset += line.len();
    }
    Err(Box::new(
        Diagnostic::at(
            Code::CardFrontMatter,
            file,
            Span::new(start as u32, (start + first_line.len()) as u32),
            "the card's front matter is never closed",
        )
        .label("opened here")
        .hint("end the metadata with a line holding only `---`"),
    ))
}

/// Parses the front matter's YAML into the fields the importer reads.
pub fn parse(yaml: &str, yaml_start: usize, file: FileId) -> Result<CardData, Box<Diagnostic>> {
    if yaml.trim().is_empty() {
        return Ok(CardData::default());
    }
    // The data files' budgets: a card is someone else's text, and an alias bomb in
    // it must fail fast in bounded memory as one in `graph-data/` does.
    serde_saphyr::from_str_with_options::<CardData>(yaml, crate::load::yaml_options()).map_err(
        |error| {
            let at = error
                .location()
                .and_then(|l| l.span().byte_offset())
                .map(|offset| yaml_start + offset as usize)
                .unwrap_or(yaml_start)
                .min(yaml_start + yaml.len());
            Box::new(
                Diagnostic::at(
                    Code::CardFrontMatter,
                    file,
                    Span::new(at as u32, at as u32),
                    "the card's front matter is not YAML the importer can read",
                )
                .label(first_line(&error.to_string()))
                .hint("the card is skipped; fix its metadata on the Hub and import it again"),
            )
        },
    )
}

fn first_line(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or(text)
        .chars()
        .take(200)
        .collect()
}

/// The byte range of the first occurrence of `needle` in `text` after `from`, or an
/// empty range at `from`: where a diagnostic about a field's value points.
pub fn find(text: &str, from: usize, needle: &str) -> Span {
    match text.get(from..).and_then(|rest| rest.find(needle)) {
        Some(at) => Span::new((from + at) as u32, (from + at + needle.len()) as u32),
        None => Span::new(from as u32, from as u32),
    }
}
