//! The model's words are spelled once: serde (YAML, JSON, JSON Schema), strum (parsing,
//! messages), clap (flags) and utoipa (OpenAPI) must give the same word for every
//! variant of every vocabulary enum, and each enum's list holds every variant once.
//! Every list of an enum's words written by hand in docs/ names exactly its words.

use pedigree::bom::{Format, LossKind};
use pedigree::lineage::Direction;
use pedigree::model::{
    AccessLevel, Bearing, ClauseKind, Confidence, Kind, Modality, ModelKind, OrganizationKind,
    OutputsUse, Relation, ReleaseStatus, SourceKind, Trigger, Word,
};
use pedigree::obligations::view::Certainty;

/// Checks one enum: the four spellings agree and `LISTED` is a permutation of the
/// declared variants.
fn check<T>()
where
    T: Word + serde::Serialize + clap::ValueEnum + utoipa::PartialSchema + strum::VariantArray,
{
    let name = std::any::type_name::<T>();
    let mut listed: Vec<&str> = T::words().collect();
    let mut declared: Vec<&str> = T::VARIANTS.iter().map(|v| v.word()).collect();
    listed.sort_unstable();
    declared.sort_unstable();
    assert_eq!(listed, declared, "{name}: LISTED is not every variant once");
    let schema = serde_json::to_value(T::schema()).unwrap();
    let schema_words: Vec<&str> = schema["enum"]
        .as_array()
        .map(|words| words.iter().map(|w| w.as_str().unwrap()).collect())
        .unwrap_or_default();
    for &variant in T::LISTED {
        let word = variant.word();
        let serde = serde_json::to_value(variant).unwrap();
        assert_eq!(serde, word, "{name}::{variant:?}: serde and strum disagree");
        let clap = variant.to_possible_value().unwrap();
        assert_eq!(
            clap.get_name(),
            word,
            "{name}::{variant:?}: clap and strum disagree"
        );
        assert_eq!(
            T::from_word(word),
            Some(variant),
            "{name}: `{word}` does not parse back"
        );
        assert!(
            schema_words.contains(&word),
            "{name}::{variant:?}: the OpenAPI schema lacks `{word}`: {schema}"
        );
    }
    assert_eq!(schema_words.len(), T::LISTED.len(), "{name}: {schema}");
}

/// Checks serde's reading too, for the enums the data files spell.
fn check_read<T>()
where
    T: Word + serde::de::DeserializeOwned + schemars::JsonSchema,
{
    let name = std::any::type_name::<T>();
    let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap();
    for &variant in T::LISTED {
        let word = variant.word();
        let read: T = serde_json::from_value(serde_json::json!(word)).unwrap();
        assert_eq!(read, variant, "{name}: serde does not read `{word}`");
        let text = schema.to_string();
        assert!(
            text.contains(&format!("\"{word}\"")),
            "{name}: the JSON Schema lacks `{word}`: {text}"
        );
    }
}

#[test]
fn every_vocabulary_enum_spells_each_word_once() {
    check::<Kind>();
    check::<Confidence>();
    check::<Relation>();
    check::<ReleaseStatus>();
    check::<AccessLevel>();
    check::<Modality>();
    check::<OrganizationKind>();
    check::<SourceKind>();
    check::<ModelKind>();
    check::<Direction>();
    check::<ClauseKind>();
    check::<Trigger>();
    check::<OutputsUse>();
    check::<Bearing>();
    check::<Certainty>();
    check_read::<ClauseKind>();
    check_read::<Trigger>();
    check_read::<OutputsUse>();
    check::<Format>();
    check::<LossKind>();
    check_read::<Confidence>();
    check_read::<Relation>();
    check_read::<ReleaseStatus>();
    check_read::<AccessLevel>();
    check_read::<Modality>();
    check_read::<OrganizationKind>();
    check_read::<SourceKind>();
    check_read::<ModelKind>();
}

#[test]
fn lists_in_messages_come_from_the_enum() {
    assert_eq!(Direction::or_list(), "up, down or both");
    assert_eq!(
        Confidence::or_list(),
        "confirmed, reported, rumored or disputed"
    );
    assert!(Relation::comma_list().starts_with("finetune, adapter, merge"));
}

/// Parameters name the enums' schemas by `$ref`; each must be a component.
#[test]
fn every_openapi_reference_resolves() {
    let text = pedigree::server::openapi_json();
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    let components = &document["components"]["schemas"];
    for reference in text.split("\"$ref\": \"").skip(1) {
        let target = reference.split('"').next().unwrap();
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected reference {target}"));
        assert!(components[name].is_object(), "dangling reference {target}");
    }
}

/// The words between backticks in the second column of the `nth` line of `doc` that starts with `marker`
/// (after trimming), or, with `rows`, in the first column of the table rows that follow
/// that line (a table header).
fn doc_words(doc: &str, marker: &str, nth: usize, rows: bool) -> Vec<String> {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs")
            .join(doc),
    )
    .unwrap();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let start = *lines
        .iter()
        .filter(|l| l.starts_with(marker))
        .nth(nth)
        .unwrap_or_else(|| panic!("{doc}: no line starts with {marker:?}"));
    let ticked = |line: &str| -> Vec<String> {
        line.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect()
    };
    if !rows {
        // The second column of the row: the values.
        return ticked(start.split('|').nth(2).unwrap_or_default());
    }
    let at = lines.iter().position(|l| std::ptr::eq(*l, start)).unwrap();
    lines[at + 1..]
        .iter()
        .skip(1) // the |---| line
        .take_while(|l| l.starts_with('|'))
        .filter_map(|row| ticked(row.split('|').nth(1)?).into_iter().next())
        .collect()
}

fn sorted(words: impl IntoIterator<Item = impl Into<String>>) -> Vec<String> {
    let mut words: Vec<String> = words.into_iter().map(Into::into).collect();
    words.sort();
    words
}

/// The tables and lists of words in docs/ name exactly the enum's words.
#[test]
fn doc_tables_agree_with_the_enums() {
    let relations = sorted(Relation::words());
    assert_eq!(
        sorted(doc_words("vocabulary.md", "| YAML `relation`", 0, true)),
        relations,
        "docs/vocabulary.md: the lineage relation table"
    );
    assert_eq!(
        sorted(doc_words("data-model.md", "| relation ", 0, true)),
        relations,
        "docs/data-model.md: the relation table"
    );
    assert_eq!(
        sorted(doc_words("data-model.md", "| `kind`", 0, false)),
        sorted(ModelKind::words()),
        "docs/data-model.md: model kinds"
    );
    assert_eq!(
        sorted(doc_words("data-model.md", "| `kind`", 1, false)),
        sorted(OrganizationKind::words()),
        "docs/data-model.md: organisation kinds"
    );
    assert_eq!(
        sorted(doc_words("http-api.md", "| `min_confidence` |", 0, false)),
        sorted(Confidence::words()),
        "docs/http-api.md: min_confidence"
    );
    assert_eq!(
        sorted(doc_words("http-api.md", "| `direction` |", 0, false)),
        sorted(Direction::words()),
        "docs/http-api.md: direction"
    );
    assert_eq!(
        sorted(doc_words("bom.md", "| kind | CycloneDX", 0, true)),
        sorted(LossKind::words()),
        "docs/bom.md: the table of what each format cannot carry"
    );
    let web = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/web.md"),
    )
    .unwrap()
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ");
    let legend = pedigree::lineage::style::line_legend();
    assert!(
        web.contains(&legend),
        "docs/web.md must describe the lines as the picture draws them: {legend}"
    );
}

/// Every relation, confidence level and access level is a concept of
/// `docs/vocabulary.ttl` whose notation is its word, and no concept is left over.
#[test]
fn vocabulary_concepts_are_the_enums_words() {
    let ttl = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/vocabulary.ttl"),
    )
    .unwrap();
    fn concepts(ttl: &str, class: &str) -> Vec<String> {
        let marker = format!(" a ped:{class} ;");
        ttl.lines()
            .filter(|l| l.contains(&marker))
            .map(|l| {
                let word = l.split(&marker).next().unwrap().trim_start_matches("ped:");
                assert!(
                    l.contains(&format!("skos:notation \"{word}\"")),
                    "ped:{word}: its notation is not its word"
                );
                word.to_owned()
            })
            .collect()
    }
    assert_eq!(
        sorted(concepts(&ttl, "Relation")),
        sorted(Relation::words())
    );
    assert_eq!(
        sorted(concepts(&ttl, "ConfidenceLevel")),
        sorted(Confidence::words())
    );
    assert_eq!(
        sorted(concepts(&ttl, "AccessLevel")),
        sorted(AccessLevel::words())
    );
    assert_eq!(
        sorted(concepts(&ttl, "ClauseKind")),
        sorted(ClauseKind::words())
    );
    assert_eq!(sorted(concepts(&ttl, "Bearing")), sorted(Bearing::words()));
    assert_eq!(sorted(concepts(&ttl, "Trigger")), sorted(Trigger::words()));
    assert_eq!(
        sorted(concepts(&ttl, "OutputsPolicy")),
        sorted(OutputsUse::words())
    );
}

/// The text of `doc` between the first `from` and the next `to` after it.
fn doc_span(doc: &str, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs")
            .join(doc),
    )
    .unwrap();
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("{doc}: no {from:?}"))
        + from.len();
    let end = text[start..]
        .find(to)
        .unwrap_or_else(|| panic!("{doc}: no {to:?} after {from:?}"));
    text[start..start + end].to_owned()
}

/// The words between backticks, without the `ped:` prefix or quotes the vocabulary
/// page writes them with.
fn ticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(|w| w.trim_start_matches("ped:").trim_matches('"').to_owned())
        .collect()
}

/// The words of a plain comma-separated list.
fn listed(text: &str) -> Vec<String> {
    text.split(',').map(|w| w.trim().to_owned()).collect()
}

/// The words that open the bullets of a list (`- **`word`**: …` or `` - `word`: … ``).
fn bulleted(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with("- "))
        .filter_map(|l| ticked(l).into_iter().next())
        .collect()
}

/// The words defined in a sentence of the form `` `word` (what it means), … ``.
fn defined(text: &str) -> Vec<String> {
    let pieces: Vec<&str> = text.split('`').collect();
    (1..pieces.len())
        .step_by(2)
        .filter(|&i| {
            pieces
                .get(i + 1)
                .is_some_and(|after| after.starts_with(" ("))
        })
        .map(|i| pieces[i].to_owned())
        .collect()
}

/// Every other hand-written list of an enum's words in docs/ names exactly its words.
#[test]
fn doc_word_lists_agree_with_the_enums() {
    let checks: Vec<(&str, Vec<String>, Vec<&str>)> = vec![
        (
            "data-model.md: claim confidence",
            ticked(&doc_span(
                "data-model.md",
                "| `confidence` | yes      |",
                "\n",
            )),
            Confidence::words().collect(),
        ),
        (
            "data-model.md: confidence levels",
            bulleted(&doc_span(
                "data-model.md",
                "Confidence levels:",
                "\n\nClaims",
            )),
            Confidence::words().collect(),
        ),
        (
            "data-model.md: modality",
            ticked(&doc_span("data-model.md", "`output`: lists of", "|")),
            Modality::words().collect(),
        ),
        (
            "data-model.md: release status",
            ticked(&doc_span("data-model.md", "| `status`    |", "\n")),
            ReleaseStatus::words().collect(),
        ),
        (
            "data-model.md: access levels",
            bulleted(&doc_span(
                "data-model.md",
                "`access` entries are claims with `level`:",
                "\n\n\"Open source\"",
            )),
            AccessLevel::words().collect(),
        ),
        (
            "data-model.md: source kinds",
            defined(&doc_span("data-model.md", "Source kinds:", "\n\n")),
            SourceKind::words().collect(),
        ),
        (
            "http-api.md: access filter",
            ticked(&doc_span("http-api.md", "`access` (", ")")),
            AccessLevel::words().collect(),
        ),
        (
            "http-api.md: kind filter",
            ticked(&doc_span("http-api.md", "`kind` (", ")")),
            ModelKind::words().collect(),
        ),
        (
            "vocabulary.md: release mapping",
            ticked(&doc_span("vocabulary.md", "`ped:releaseStatus` (", ")")),
            ReleaseStatus::words().collect(),
        ),
        (
            "vocabulary.md: access mapping",
            ticked(&doc_span("vocabulary.md", "`ped:access` (", ")")),
            AccessLevel::words().collect(),
        ),
        (
            "vocabulary.md: source mapping",
            ticked(&doc_span("vocabulary.md", "`ped:sourceKind` (", ")")),
            SourceKind::words().collect(),
        ),
        (
            "vocabulary.md: ped:releaseStatus",
            listed(&doc_span(
                "vocabulary.md",
                "| `ped:releaseStatus` | property |",
                "|",
            )),
            ReleaseStatus::words().collect(),
        ),
        (
            "vocabulary.md: modalities",
            ticked(&doc_span(
                "vocabulary.md",
                "| `ped:inputModality`, `ped:outputModality` | properties |",
                "|",
            )),
            Modality::words().collect(),
        ),
        (
            "vocabulary.md: ped:organizationKind",
            listed(&doc_span(
                "vocabulary.md",
                "| `ped:organizationKind` | property |",
                "|",
            )),
            OrganizationKind::words().collect(),
        ),
        (
            "vocabulary.md: ped:sourceKind",
            listed(&doc_span(
                "vocabulary.md",
                "| `ped:sourceKind` | property |",
                "|",
            )),
            SourceKind::words().collect(),
        ),
        (
            "vocabulary.md: claim confidence",
            ticked(&doc_span("vocabulary.md", "`ped:confidence`: ", ".")),
            Confidence::words().collect(),
        ),
        (
            "vocabulary.md: confidence concepts",
            ticked(&doc_span("vocabulary.md", "confidence levels (", "; class")),
            Confidence::words().collect(),
        ),
        (
            "vocabulary.md: access concepts",
            ticked(&doc_span("vocabulary.md", "access levels (", "; class")),
            AccessLevel::words().collect(),
        ),
        (
            "vocabulary.md: release concepts",
            ticked(&doc_span("vocabulary.md", "release statuses (", "; class")),
            ReleaseStatus::words().collect(),
        ),
    ];
    for (place, doc, words) in checks {
        assert_eq!(sorted(doc), sorted(words), "docs/{place}");
    }
}
