//! Values as RDF terms: dates at their precision, numbers, booleans, English text,
//! and the IRIs of a lineage relation's direct property and of a confidence.

use oxigraph::model::{Literal, NamedNode};

use super::vocab::{fair4ml, ped, schema, xsd};
use crate::model::{Confidence, PartialDate, Precision, Relation, SizeUnit};

/// The direct property of a lineage relation.
pub fn relation_property(relation: Relation) -> NamedNode {
    let term = match relation {
        Relation::Finetune => ped::FINETUNE_OF,
        Relation::Adapter => ped::ADAPTER_OF,
        Relation::Merge => ped::MERGE_OF,
        Relation::Quantized => ped::QUANTIZED_FROM,
        Relation::Distillation => ped::DISTILLED_FROM,
        Relation::TrainedOnOutputs => ped::TRAINED_ON_OUTPUTS_OF,
        Relation::ContinuedPretraining => ped::CONTINUED_PRETRAINING_OF,
        Relation::TrainedOn => fair4ml::TRAINED_ON,
        Relation::GeneratedBy => ped::GENERATED_BY,
        Relation::DerivedFrom => schema::IS_BASED_ON,
    };
    term.into_owned()
}

/// The property of a dataset's size in one unit.
pub fn size_property(unit: SizeUnit) -> NamedNode {
    let term = match unit {
        SizeUnit::Examples => ped::EXAMPLE_COUNT,
        SizeUnit::Tokens => ped::TOKEN_COUNT,
        SizeUnit::Bytes => ped::BYTE_COUNT,
    };
    term.into_owned()
}

/// A date as a typed literal at its precision: `xsd:gYear`, `xsd:gYearMonth` or
/// `xsd:date`.
pub fn date_literal(date: PartialDate) -> Literal {
    let datatype = match date.precision() {
        Precision::Year => xsd::G_YEAR,
        Precision::Month => xsd::G_YEAR_MONTH,
        Precision::Day => xsd::DATE,
    };
    Literal::new_typed_literal(date.to_string(), datatype)
}

pub(super) fn day_literal((year, month, day): (u16, u8, u8)) -> Literal {
    Literal::new_typed_literal(format!("{year:04}-{month:02}-{day:02}"), xsd::DATE)
}

pub(super) fn integer(value: u64) -> Literal {
    Literal::new_typed_literal(value.to_string(), xsd::INTEGER)
}

pub(super) fn boolean(value: bool) -> Literal {
    Literal::new_typed_literal(value.to_string(), xsd::BOOLEAN)
}

/// Descriptions are written in English.
pub(super) fn english(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "en")
}

pub fn confidence_iri(confidence: Confidence) -> NamedNode {
    ped::concept(confidence.as_str())
}
