//! JSON Schema of the data files, generated from the record types.
//!
//! `pedigree schema` prints these; `docs/schema/<kind>.schema.json` ships them so
//! editors check `graph-data/` files as they are typed (each file's first line points
//! at its schema). A test fails when the shipped files differ from what the types
//! generate, so the schema cannot go stale.

use schemars::JsonSchema;

use crate::model::{DatasetRecord, Kind, License, Model, Organization, Person, Source};

/// Base of the `$id` of every schema: where the schemas live in the repository.
const SCHEMA_ID_BASE: &str = "https://pedigree.invalid/schema/";

/// The JSON Schema for records of `kind`.
pub fn schema(kind: Kind) -> serde_json::Value {
    let mut schema = match kind {
        Kind::Model => generate::<Model>(),
        Kind::Organization => generate::<Organization>(),
        Kind::Person => generate::<Person>(),
        Kind::Source => generate::<Source>(),
        Kind::License => generate::<License>(),
        Kind::Dataset => generate::<DatasetRecord>(),
    };
    if let Some(object) = schema.as_object_mut() {
        object.insert(
            "$id".into(),
            format!("{SCHEMA_ID_BASE}{}.schema.json", kind.noun()).into(),
        );
        object.insert(
            "title".into(),
            format!(
                "Pedigree {} record (graph-data/{}/)",
                kind.noun(),
                kind.folder()
            )
            .into(),
        );
    }
    schema
}

fn generate<T: JsonSchema>() -> serde_json::Value {
    schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

/// The file name a kind's schema ships under in `docs/schema/`.
pub fn file_name(kind: Kind) -> String {
    format!("{}.schema.json", kind.noun())
}

/// A schema as shipped: pretty-printed with a trailing newline.
pub fn render(kind: Kind) -> String {
    let mut text =
        serde_json::to_string_pretty(&schema(kind)).expect("a JSON value always serialises");
    text.push('\n');
    text
}
