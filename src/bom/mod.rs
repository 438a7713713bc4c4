//! AI bills of materials: a model and its whole typed ancestry as a CycloneDX 1.6 BOM
//! (`cyclonedx`) or an SPDX 3.0.1 JSON-LD document (`spdx`), each with the list of
//! what its format could not carry (`Loss`), so nothing is dropped silently.
//!
//! This file owns what both formats share: which records a BOM holds (the
//! `Ancestry`: the model, then every model and dataset reachable from it towards
//! its bases along the claims that hold now, through datasets too, with every edge
//! and its provenance), the date a BOM is stamped with (the newest date of what it
//! holds, never the clock's), the identifiers (Hugging Face purls, a UUID v5), and the
//! losses. Built from the validated [`Dataset`] and the [`LineageIndex`] only: no
//! knowledge base, no server, no IO. Same data, same bytes.

mod cyclonedx;
mod spdx;

use serde::Serialize;
use sha1::{Digest, Sha1};
use strum::{IntoStaticStr, VariantArray};
use utoipa::ToSchema;

use crate::dataset::Dataset;
use crate::lineage::render::Views;
use crate::lineage::{Direction, Entity, Filter, LineageIndex};
use crate::model::{Claim, DateValue, ExternalIds, Kind, LicenseClaim, PartialDate, Spanned};
use crate::rdf::Iris;
use crate::view::{EdgeView, SourceView};

/// The two BOM formats.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, ToSchema, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Format {
    /// CycloneDX 1.6 JSON.
    Cyclonedx,
    /// SPDX 3.0.1 JSON-LD.
    Spdx,
}

crate::model::words!(Format);

impl Format {
    /// The media type of a document of this format.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Cyclonedx => "application/vnd.cyclonedx+json; version=1.6",
            Format::Spdx => "application/spdx+json",
        }
    }
}

/// Why no BOM could be built.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum BomError {
    /// The id names no model (a dataset has no BOM of its own).
    #[error("no model `{0}`")]
    UnknownModel(String),
}

/// A BOM: the document, and what its format could not carry.
#[derive(Debug)]
pub struct Bom {
    pub format: Format,
    pub document: serde_json::Value,
    /// One entry per kind of fact the format has no place for, with every element or
    /// edge it concerns; empty when the document carries everything.
    pub not_carried: Vec<Loss>,
}

impl Bom {
    /// The document as pretty JSON ending with a newline: the bytes the CLI writes and
    /// the API serves. Object keys are sorted (`serde_json`'s map), so the same data
    /// gives the same bytes.
    pub fn to_json(&self) -> String {
        let mut text =
            serde_json::to_string_pretty(&self.document).expect("a JSON value serialises");
        text.push('\n');
        text
    }
}

/// Kinds of fact a format may have no place for. Each has one wording
/// ([`LossKind::reason`]), the CLI's lines and the API's list both use it.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    ToSchema,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum LossKind {
    /// A lineage relation the format has no word for, written as its generic one.
    Relation,
    /// How sure a claim is (`confirmed`, `reported`, ...).
    Confidence,
    /// The stage of training a `trained_on` claim fed.
    Stage,
    /// A date known to a year or a month, where the format asks for a full timestamp.
    DatePrecision,
    /// Whether a model's weights can be had (`open-weights`, `closed`, ...).
    Access,
    /// Parameter counts.
    Parameters,
    /// Input and output modalities of a model.
    Modality,
    /// A model record of kind `family`, or a model's family.
    Family,
    /// A dataset size counted in examples or tokens.
    Size,
    /// Whether a dataset can be had (`open`, `closed`).
    Availability,
    /// The languages of a dataset.
    Languages,
}

crate::model::words!(LossKind);

impl LossKind {
    /// Why `format` cannot carry it, and where the document keeps it as text.
    pub fn reason(self, format: Format) -> &'static str {
        match (format, self) {
            (Format::Spdx, LossKind::Relation) => {
                "SPDX 3 has no word for this lineage relation: written as `descendantOf`, the word kept as text in the relationship's comment and the model's `ai_informationAboutTraining`"
            }
            (Format::Spdx, LossKind::Confidence) => {
                "SPDX 3 has no confidence field: kept in the element's comment"
            }
            (Format::Spdx, LossKind::Stage) => {
                "SPDX 3's `trainedOn` has no training stage: kept as text in the relationship's comment and the model's `ai_informationAboutTraining`"
            }
            (Format::Spdx, LossKind::DatePrecision) => {
                "SPDX 3 dates are full timestamps: written as the first second of the period, the date as recorded kept in the comment"
            }
            (Format::Spdx, LossKind::Access) => {
                "SPDX 3 has no access level: kept in the package's comment"
            }
            (Format::Spdx, LossKind::Parameters) => {
                "SPDX 3's AI profile has no parameter count: kept in the package's comment"
            }
            (Format::Spdx, LossKind::Modality) => {
                "SPDX 3's AI profile has no input or output modality: kept in the package's comment"
            }
            (Format::Spdx, LossKind::Family) => {
                "SPDX 3 has no model family: kept in the package's comment"
            }
            (Format::Spdx, LossKind::Size) => {
                "SPDX 3's dataset size counts bytes only: kept in the package's comment"
            }
            (Format::Spdx, LossKind::Availability) => {
                "SPDX 3's dataset availability says how to get the data, not whether it is public: kept in the package's comment"
            }
            (Format::Spdx, LossKind::Languages) => {
                "SPDX 3's dataset profile has no language: kept in the package's comment"
            }
            // CycloneDX keeps every one of these in `properties`; a loss of this
            // format would need a wording here first.
            (Format::Cyclonedx, _) => "CycloneDX 1.6 has no field for it",
        }
    }
}

/// One kind of fact a document could not carry, and where it occurs: element ids
/// (`llama-3.1-8b`) or edges (`deepseek-r1-distill-llama-8b → llama-3.1-8b`), each
/// with the value that was lost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Loss {
    pub kind: LossKind,
    /// Why the format cannot carry it, and where the document keeps it as text.
    pub reason: &'static str,
    /// Where it occurs, with the value: `deepseek-r1-distill-llama-8b → llama-3.1-8b: finetune`.
    pub occurrences: Vec<String>,
}

impl std::fmt::Display for Loss {
    /// One line: `not carried: confidence (3: a: confirmed, …): why`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "not carried: {} ({}: {}): {}",
            self.kind,
            self.occurrences.len(),
            self.occurrences.join("; "),
            self.reason
        )
    }
}

/// Collects losses of one format, grouped by kind in the enum's order.
#[derive(Debug)]
struct Losses {
    format: Format,
    found: std::collections::BTreeMap<LossKind, Vec<String>>,
}

impl Losses {
    fn new(format: Format) -> Losses {
        Losses {
            format,
            found: std::collections::BTreeMap::new(),
        }
    }

    fn add(&mut self, kind: LossKind, occurrence: String) {
        self.found.entry(kind).or_default().push(occurrence);
    }

    fn into_list(self) -> Vec<Loss> {
        self.found
            .into_iter()
            .map(|(kind, occurrences)| Loss {
                kind,
                reason: kind.reason(self.format),
                occurrences,
            })
            .collect()
    }
}

/// Builds the BOM of model `id` in `format`.
pub fn build(
    dataset: &Dataset,
    index: &LineageIndex,
    iris: &Iris,
    id: &str,
    format: Format,
) -> Result<Bom, BomError> {
    let ancestry = Ancestry::gather(dataset, index, iris, id)?;
    Ok(match format {
        Format::Cyclonedx => cyclonedx::document(&ancestry),
        Format::Spdx => spdx::document(&ancestry),
    })
}

/// What a BOM holds: the model, its ancestors and the edges between them.
#[derive(Debug)]
struct Ancestry<'d> {
    dataset: &'d Dataset,
    views: Views<'d>,
    iris: &'d Iris,
    /// The model the BOM is of first, then every ancestor (model or dataset), nearest
    /// generation first, by id within one.
    nodes: Vec<Entity<'d>>,
    /// Every edge between them, by derived record, base and relation.
    edges: Vec<EdgeView>,
}

impl<'d> Ancestry<'d> {
    /// Walks up from `id` along every relation, over the claims that hold now (no
    /// `until`): the same edges the lineage answers and SPARQL's
    /// `prov:wasDerivedFrom+` follow.
    fn gather(
        dataset: &'d Dataset,
        index: &'d LineageIndex,
        iris: &'d Iris,
        id: &str,
    ) -> Result<Ancestry<'d>, BomError> {
        if dataset.model(id).is_none() {
            return Err(BomError::UnknownModel(id.to_owned()));
        }
        let walk = index
            .walk(id, Direction::Up, &Filter::default(), None)
            .map_err(|_| BomError::UnknownModel(id.to_owned()))?;
        let views = Views { index, dataset };
        let mut nodes: Vec<(i32, Entity<'d>)> = walk
            .nodes
            .iter()
            .map(|&(node, generation)| (generation, index.entity(dataset, node)))
            .collect();
        // The walk numbers ancestors' generations negatively: -1 first.
        nodes.sort_by(|(g1, e1), (g2, e2)| g2.cmp(g1).then_with(|| e1.id().cmp(e2.id())));
        let mut edges: Vec<EdgeView> = walk.edges.iter().map(|&e| views.edge(e)).collect();
        edges.sort_by(|a, b| (&a.model, &a.base, a.relation).cmp(&(&b.model, &b.base, b.relation)));
        Ok(Ancestry {
            dataset,
            views,
            iris,
            nodes: nodes.into_iter().map(|(_, entity)| entity).collect(),
            edges,
        })
    }

    /// The model the BOM is of.
    fn root(&self) -> Entity<'d> {
        self.nodes[0]
    }

    /// The edges from `id` to its bases.
    fn bases_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a EdgeView> + 'a {
        self.edges.iter().filter(move |e| e.model == id)
    }

    /// The sources a claim cites, as views with their URLs.
    fn sources(&self, claim: &dyn Claim) -> Vec<SourceView> {
        self.views.sources(claim)
    }

    /// The entity IRI of a record (`{base}{kind}/{id}`), as the RDF export and
    /// SPARQL name it.
    fn iri(&self, entity: Entity<'_>) -> String {
        let kind = match entity {
            Entity::Model(_) => Kind::Model,
            Entity::Dataset(_) => Kind::Dataset,
        };
        self.iris.entity(kind, entity.id().as_str()).into_string()
    }

    /// The date a BOM is stamped with: the newest of the release dates of what it
    /// holds and the publication dates of the sources it cites, at midnight UTC. A
    /// BOM of the same data is the same document whenever it is written; a BOM is
    /// current as of the newest fact in it.
    fn timestamp(&self) -> String {
        let mut newest: Option<(u16, u8, u8)> = None;
        let mut consider = |date: Option<PartialDate>| {
            if let Some(day) = date.map(PartialDate::last_day) {
                newest = newest.max(Some(day));
            }
        };
        let mut cited: Vec<&dyn Claim> = Vec::new();
        for &entity in &self.nodes {
            consider(release_date(entity).and_then(DateValue::date));
            match entity {
                Entity::Model(m) => {
                    cited.push(m);
                    cited.extend(m.current_licenses().map(|l| l as &dyn Claim));
                }
                Entity::Dataset(d) => {
                    cited.push(d);
                    cited.extend(d.current_licenses().map(|l| l as &dyn Claim));
                }
            }
        }
        for claim in cited {
            for source in claim.source_ids() {
                consider(
                    self.dataset
                        .source(source.as_str())
                        .and_then(|s| s.published.date()),
                );
            }
        }
        for edge in &self.edges {
            for source in &edge.sources {
                consider(PartialDate::parse_any_year(&source.published).ok());
            }
        }
        // A valid dataset cites a source for every record, so there is a date; the
        // epoch is only the answer to data that cites none.
        let (year, month, day) = newest.unwrap_or((1970, 1, 1));
        format!("{year:04}-{month:02}-{day:02}T00:00:00Z")
    }
}

/// A record's release date, if it has one.
fn release_date(entity: Entity<'_>) -> Option<&DateValue> {
    let release = match entity {
        Entity::Model(m) => m.release.as_ref(),
        Entity::Dataset(d) => d.release.as_ref(),
    };
    release.and_then(|r| r.date.as_ref()).map(|d| &d.value)
}

/// A record's licence claims that hold now.
fn current_licenses<'d>(entity: Entity<'d>) -> Vec<&'d Spanned<LicenseClaim>> {
    match entity {
        Entity::Model(m) => m.current_licenses().collect(),
        Entity::Dataset(d) => d.current_licenses().collect(),
    }
}

/// A record's external ids.
fn external_ids(entity: Entity<'_>) -> Option<&ExternalIds> {
    match entity {
        Entity::Model(m) => m.external_ids.as_deref().map(|ids| &ids.value),
        Entity::Dataset(d) => d.external_ids.as_deref(),
    }
}

/// The Hugging Face page of a model or dataset repo, as the web pages link it.
fn huggingface_url(entity: Entity<'_>) -> Option<String> {
    let repo = external_ids(entity)?.huggingface.as_deref()?;
    Some(match entity {
        Entity::Model(_) => format!("https://huggingface.co/{repo}"),
        Entity::Dataset(_) => format!("https://huggingface.co/datasets/{repo}"),
    })
}

/// The package URL of a model's Hugging Face repo: `pkg:huggingface/<owner>/<name>`
/// (the purl specification's `huggingface` type; no version, since Pedigree records
/// no commit). Datasets get none: the type names model repos only.
fn purl(entity: Entity<'_>) -> Option<String> {
    let Entity::Model(_) = entity else {
        return None;
    };
    let repo = external_ids(entity)?.huggingface.as_deref()?;
    // Each segment percent-encoded as the purl specification asks (letters, digits
    // and `.-_~` stay as they are; Hub names use no others, but the data is input).
    let encoded: Vec<String> = repo
        .split('/')
        .map(|part| percent_encoding::utf8_percent_encode(part, PURL_SEGMENT).to_string())
        .collect();
    Some(format!("pkg:huggingface/{}", encoded.join("/")))
}

/// What a purl segment escapes: everything but letters, digits and `.-_~`.
const PURL_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'-')
    .remove(b'_')
    .remove(b'~');

/// The URL namespace of RFC 9562 (appendix A), under which BOM serial numbers are
/// minted.
const NAMESPACE_URL: [u8; 16] = [
    0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
];

/// An RFC 9562 version 5 (name-based, SHA-1) UUID of `name` in `namespace`, in its
/// usual text form: the same name gives the same UUID. A dozen lines over the `sha1`
/// crate the build already has, rather than the `uuid` crate for one function.
fn uuid_v5(namespace: &[u8; 16], name: &str) -> String {
    let mut hash = Sha1::new();
    hash.update(namespace);
    hash.update(name.as_bytes());
    let digest = hash.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // the RFC's variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The name of the tool written into both formats, with the version that wrote it.
const TOOL_NAME: &str = "pedigree";
const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_v5_gives_the_rfc_example() {
        // RFC 9562, appendix A.4: "www.example.com" in the DNS namespace.
        const NAMESPACE_DNS: [u8; 16] = [
            0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4,
            0x30, 0xc8,
        ];
        assert_eq!(
            uuid_v5(&NAMESPACE_DNS, "www.example.com"),
            "2ed6657d-e927-568b-95e1-2665a8aea6a2"
        );
        // Python's `uuid.uuid5(uuid.NAMESPACE_URL, "https://www.python.org/")`.
        assert_eq!(
            uuid_v5(&NAMESPACE_URL, "https://www.python.org/"),
            "5406f80d-92e9-51cd-a176-77445955e733"
        );
    }

    #[test]
    fn purls_escape_what_the_specification_escapes() {
        let segment = |s: &str| percent_encoding::utf8_percent_encode(s, PURL_SEGMENT).to_string();
        assert_eq!(segment("Llama-3.1-8B_x~"), "Llama-3.1-8B_x~");
        assert_eq!(segment("a b@c"), "a%20b%40c");
    }
}
