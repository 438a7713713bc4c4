//! IRI constants of the vocabularies the RDF mapping uses, one module per vocabulary.
//!
//! Standard vocabularies come first; `ped` holds the few terms of our own, each
//! defined with label and comment in `docs/vocabulary.ttl` (a test checks that every
//! constant here is defined there).

use oxigraph::model::NamedNodeRef;

/// The namespace of Pedigree's own vocabulary. Fixed, unlike the entity base IRI, so
/// that queries keep working whatever base a deployment chooses.
pub const PED_NAMESPACE: &str = "https://pedigree.example/ns#";

/// Prefixes used in Turtle, RDF/XML and JSON-LD output and offered to queries.
pub const PREFIXES: &[(&str, &str)] = &[
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("fair4ml", "https://w3id.org/fair4ml#"),
    ("org", "http://www.w3.org/ns/org#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("ped", PED_NAMESPACE),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("schema", "http://schema.org/"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("spdx", "http://spdx.org/rdf/terms#"),
    ("time", "http://www.w3.org/2006/time#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

macro_rules! terms {
    ($namespace:literal; $($name:ident = $local:literal),* $(,)?) => {
        $(
            #[doc = concat!("`", $namespace, $local, "`")]
            pub const $name: NamedNodeRef<'static> =
                NamedNodeRef::new_unchecked(concat!($namespace, $local));
        )*
        /// Every term defined in this module (the vocabulary tests walk them).
        pub const ALL: &[NamedNodeRef<'static>] = &[$($name),*];
    };
}

pub mod rdf {
    pub use oxigraph::model::vocab::rdf::{OBJECT, PREDICATE, STATEMENT, SUBJECT, TYPE};
}

pub mod rdfs {
    use super::*;
    terms!("http://www.w3.org/2000/01/rdf-schema#"; COMMENT = "comment", LABEL = "label");
}

pub mod xsd {
    pub use oxigraph::model::vocab::xsd::{BOOLEAN, DATE, G_YEAR, G_YEAR_MONTH, INTEGER};
}

pub mod owl {
    use super::*;
    terms!("http://www.w3.org/2002/07/owl#"; SAME_AS = "sameAs");
}

pub mod prov {
    use super::*;
    terms!("http://www.w3.org/ns/prov#";
        ENTITY = "Entity",
        PERSON = "Person",
        ORGANIZATION = "Organization",
        DERIVATION = "Derivation",
        WAS_DERIVED_FROM = "wasDerivedFrom",
        QUALIFIED_DERIVATION = "qualifiedDerivation",
        ENTITY_PROPERTY = "entity",
    );
}

pub mod schema {
    use super::*;
    terms!("http://schema.org/";
        ORGANIZATION = "Organization",
        PERSON = "Person",
        NAME = "name",
        ALTERNATE_NAME = "alternateName",
        DESCRIPTION = "description",
        CREATOR = "creator",
        IS_PART_OF = "isPartOf",
        URL = "url",
        DATE_PUBLISHED = "datePublished",
        LICENSE = "license",
        ADDRESS_COUNTRY = "addressCountry",
        TICKER_SYMBOL = "tickerSymbol",
        ROLE_NAME = "roleName",
        START_DATE = "startDate",
        END_DATE = "endDate",
        ARCHIVED_AT = "archivedAt",
        DATASET = "Dataset",
        IS_BASED_ON = "isBasedOn",
        IN_LANGUAGE = "inLanguage",
        CITATION = "citation",
    );
}

/// FAIR4ML, the RDA's schema.org extension for machine-learning models.
pub mod fair4ml {
    use super::*;
    terms!("https://w3id.org/fair4ml#"; TRAINED_ON = "trainedOn");
}

pub mod org {
    use super::*;
    terms!("http://www.w3.org/ns/org#";
        ORGANIZATION = "Organization",
        MEMBERSHIP = "Membership",
        ROLE = "Role",
        MEMBER = "member",
        MEMBER_OF = "memberOf",
        ORGANIZATION_PROPERTY = "organization",
        ROLE_PROPERTY = "role",
        MEMBER_DURING = "memberDuring",
        SUB_ORGANIZATION_OF = "subOrganizationOf",
    );
}

pub mod time {
    use super::*;
    terms!("http://www.w3.org/2006/time#";
        INTERVAL = "Interval",
        INSTANT = "Instant",
        HAS_BEGINNING = "hasBeginning",
        HAS_END = "hasEnd",
        IN_XSD_DATE = "inXSDDate",
        IN_XSD_G_YEAR = "inXSDgYear",
        IN_XSD_G_YEAR_MONTH = "inXSDgYearMonth",
    );
}

pub mod dcterms {
    use super::*;
    terms!("http://purl.org/dc/terms/";
        LICENSE_DOCUMENT = "LicenseDocument",
        TITLE = "title",
        ISSUED = "issued",
        SOURCE = "source",
        SUBJECT = "subject",
        REFERENCES = "references",
        IDENTIFIER = "identifier",
    );
}

/// The SPDX RDF vocabulary.
pub mod spdx {
    use super::*;
    terms!("http://spdx.org/rdf/terms#"; LICENSE_ID = "licenseId");
}

/// Dublin Core elements: used where the value is a literal name (publisher, author,
/// language), which the `dcterms` versions of these properties do not allow.
pub mod dc {
    use super::*;
    terms!("http://purl.org/dc/elements/1.1/";
        PUBLISHER = "publisher",
        CREATOR = "creator",
        LANGUAGE = "language",
    );
}

pub mod ped {
    use super::*;
    terms!("https://pedigree.example/ns#";
        MODEL = "Model",
        MODEL_FAMILY = "ModelFamily",
        SOURCE = "Source",
        LICENSE = "License",
        CLAIM = "Claim",
        POSITION = "Position",
        FINETUNE_OF = "finetuneOf",
        ADAPTER_OF = "adapterOf",
        MERGE_OF = "mergeOf",
        QUANTIZED_FROM = "quantizedFrom",
        DISTILLED_FROM = "distilledFrom",
        TRAINED_ON_OUTPUTS_OF = "trainedOnOutputsOf",
        CONTINUED_PRETRAINING_OF = "continuedPretrainingOf",
        RELATION = "relation",
        CONFIDENCE = "confidence",
        VALID_FROM = "validFrom",
        VALID_UNTIL = "validUntil",
        FIRST_REPORTED = "firstReported",
        ACCESS = "access",
        RELEASE_STATUS = "releaseStatus",
        EXPECTED_RELEASE = "expectedRelease",
        ANNOUNCED_ON = "announcedOn",
        PARAMETER_COUNT = "parameterCount",
        ACTIVE_PARAMETER_COUNT = "activeParameterCount",
        INPUT_MODALITY = "inputModality",
        OUTPUT_MODALITY = "outputModality",
        ORGANIZATION_KIND = "organizationKind",
        HOLDS_POSITION = "holdsPosition",
        SOURCE_KIND = "sourceKind",
        RELAYS = "relays",
        OSI_APPROVED = "osiApproved",
        COMMERCIAL_USE = "commercialUse",
        ACCEPTABLE_USE_POLICY = "acceptableUsePolicy",
        USER_THRESHOLD = "userThreshold",
        CLAUSE = "clause",
        CLAUSE_CLASS = "Clause",
        CLAUSE_KIND = "clauseKind",
        BEARING = "bearing",
        TRIGGER = "trigger",
        SECTION = "section",
        QUOTE = "quote",
        REACHES = "reaches",
        NAME_PREFIX = "namePrefix",
        DISPLAY_TEXT = "displayText",
        MEASURED_AT_RELEASE = "measuredAtRelease",
        OUTPUTS_USE = "outputsUse",
        TERRITORY = "territory",
        GENERATED_BY = "generatedBy",
        STAGE = "stage",
        SYNTHETIC = "synthetic",
        MODALITY = "modality",
        AVAILABILITY = "availability",
        COLLECTED_FROM = "collectedFrom",
        EXAMPLE_COUNT = "exampleCount",
        TOKEN_COUNT = "tokenCount",
        BYTE_COUNT = "byteCount",
    );

    /// The IRI of a concept in one of our schemes: `ped:finetune`, `ped:reported`.
    pub fn concept(local: &str) -> oxigraph::model::NamedNode {
        oxigraph::model::NamedNode::new_unchecked(format!("{}{local}", super::PED_NAMESPACE))
    }
}
