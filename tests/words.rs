//! The model's words are spelled once: serde (YAML, JSON, JSON Schema), strum (parsing,
//! messages), clap (flags) and utoipa (OpenAPI) must give the same word for every
//! variant of every vocabulary enum, and each enum's list holds every variant once.

use pedigree::lineage::Direction;
use pedigree::model::{
    AccessLevel, Confidence, Kind, Modality, ModelKind, OrganizationKind, Relation, ReleaseStatus,
    SourceKind, Word,
};

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
}
