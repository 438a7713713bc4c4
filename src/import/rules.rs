//! The mapping rules of a card's fields to Pedigree's words, each in one function:
//! which relation a card states or implies, how sure a claim is, and which licence
//! record a Hub licence id names. docs/import.md documents every rule with examples.

use crate::model::{Confidence, Relation};

use super::card::{Card, Origin};

/// How a lineage claim's relation was found: stated in `base_model_relation`, or
/// inferred by one of the Hub's rules (named in the claim's note).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    Stated,
    /// The rule, in words for the note.
    Inferred(&'static str),
}

/// The relation of a card to its bases. `base_model_relation` when the card states
/// one of the Hub's four words; otherwise, as the Hub infers it: several bases are a
/// merge; a PEFT library or an adapter tag makes an adapter; a quantization format's
/// tag or library makes a quantization; anything else is a fine-tune.
pub fn relation(card: &Card, bases: usize) -> (Relation, Found) {
    let stated = card.data.base_model_relation.as_deref().map(str::trim);
    let word = |w: &str| match w {
        "adapter" => Some(Relation::Adapter),
        "merge" => Some(Relation::Merge),
        "quantized" => Some(Relation::Quantized),
        "finetune" => Some(Relation::Finetune),
        _ => None,
    };
    if let Some(relation) = stated.and_then(word) {
        // From the Hub's `base_model:<relation>:<id>` tags, the relation is the Hub's
        // inference, not the uploader's statement.
        if card.origin == Origin::HubTags {
            return (
                relation,
                Found::Inferred("the Hub's `base_model:<relation>:<id>` tag"),
            );
        }
        return (relation, Found::Stated);
    }
    let tags: Vec<String> = card.tags().iter().map(|t| t.to_lowercase()).collect();
    let library = card
        .data
        .library_name
        .as_deref()
        .map(str::to_lowercase)
        .unwrap_or_default();
    let tagged = |names: &[&str]| tags.iter().any(|t| names.contains(&t.as_str()));
    if bases > 1 {
        return (Relation::Merge, Found::Inferred("several bases: merge"));
    }
    if library == "peft" || tagged(&["peft", "lora", "adapter"]) {
        return (
            Relation::Adapter,
            Found::Inferred("PEFT library or adapter tag: adapter"),
        );
    }
    let quantized = [
        "gguf",
        "gptq",
        "awq",
        "exl2",
        "mlx",
        "nvfp4",
        "bitsandbytes",
        "4-bit",
        "8-bit",
    ];
    if tagged(&quantized)
        || quantized.contains(&library.as_str())
        || card.name().to_lowercase().ends_with("-gguf")
    {
        return (
            Relation::Quantized,
            Found::Inferred("quantization format tag, library or -GGUF name: quantized"),
        );
    }
    (
        Relation::Finetune,
        Found::Inferred("no other sign: finetune"),
    )
}

/// How sure a card's lineage claim is. A card is its uploader's declaration: a base
/// stated by the base's own developer (the same owner on the Hub) is `confirmed`, by
/// anyone else `reported`; an inferred relation is one step lower.
pub fn confidence(card: &Card, base_repo: Option<&str>, found: Found) -> Confidence {
    let own = base_repo
        .and_then(|repo| repo.split_once('/'))
        .is_some_and(|(owner, _)| owner.eq_ignore_ascii_case(card.owner()));
    match (own, found) {
        (true, Found::Stated) => Confidence::Confirmed,
        (true, Found::Inferred(_)) | (false, Found::Stated) => Confidence::Reported,
        (false, Found::Inferred(_)) => Confidence::Rumored,
    }
}

/// The Hub's own licence ids for model licences, and the curated licence record each
/// names. Ids on the SPDX list (`apache-2.0`, `mit`) are matched by their SPDX id.
pub const HUB_LICENSES: &[(&str, &str)] = &[
    ("llama2", "llama-2-community"),
    ("llama3", "llama-3-community"),
    ("llama3.1", "llama-3.1-community"),
    ("llama3.2", "llama-3.2-community"),
    ("llama3.3", "llama-3.3-community"),
    ("llama4", "llama-4-community"),
    ("gemma", "gemma-terms"),
    ("deepseek", "deepseek-model"),
];

/// `license_name`s that uploaders write for licences Pedigree has a record of.
pub const KNOWN_LICENSE_NAMES: &[(&str, &str)] = &[
    ("gemma-terms-of-use", "gemma-terms"),
    ("gemma", "gemma-terms"),
    ("llama-3", "llama-3-community"),
    ("llama3", "llama-3-community"),
    ("llama-3.1", "llama-3.1-community"),
    ("llama3.1", "llama-3.1-community"),
    ("qwen", "qwen-license"),
    ("qwen-research", "qwen-research"),
    ("deepseek", "deepseek-model"),
];

/// Whether a `base_model` entry is a Hub repo id (`owner/name`); if not, why.
pub fn repo_problem(entry: &str) -> Option<&'static str> {
    let entry = entry.trim();
    if entry.is_empty() {
        return Some("an empty entry");
    }
    if entry.contains("://") {
        return Some("a URL, not a repo id");
    }
    if entry.starts_with(['.', '/', '~']) || entry.contains('\\') || entry.contains(':') {
        return Some("a local path, not a repo id");
    }
    let part = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    match entry.split_once('/') {
        Some((owner, name)) if part(owner) && part(name) => None,
        Some(_) => Some("not an `owner/name` repo id"),
        None => Some("a name without its owner (`owner/name`)"),
    }
}
