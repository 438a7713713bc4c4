//! Entity IRIs: `{base}{kind}/{id}` under one configurable base, and back.

use oxigraph::model::NamedNode;

use crate::model::Kind;

/// The entity base IRI used when none is configured. `.example` is reserved (RFC
/// 2606) and never resolves: a deployment that publishes its IRIs sets its own.
pub const DEFAULT_BASE_IRI: &str = "https://pedigree.example/id/";

/// Why a base IRI was refused.
#[derive(Debug, thiserror::Error)]
pub enum BaseIriError {
    #[error("`{0}` is not an absolute IRI: {1}")]
    Invalid(String, String),
    #[error("`{0}` must end with `/` or `#` so that ids can be appended")]
    NoSeparator(String),
}

/// Mints entity IRIs under a base.
#[derive(Clone, Debug)]
pub struct Iris {
    base: String,
}

impl Default for Iris {
    fn default() -> Self {
        Iris {
            base: DEFAULT_BASE_IRI.to_owned(),
        }
    }
}

impl Iris {
    pub fn new(base: &str) -> Result<Iris, BaseIriError> {
        oxiri::Iri::parse(base)
            .map_err(|e| BaseIriError::Invalid(base.to_owned(), e.to_string()))?;
        if !(base.ends_with('/') || base.ends_with('#')) {
            return Err(BaseIriError::NoSeparator(base.to_owned()));
        }
        Ok(Iris {
            base: base.to_owned(),
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// The IRI of a record: `{base}{kind}/{id}`.
    pub fn entity(&self, kind: Kind, id: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{}/{id}", self.base, kind.noun()))
    }

    pub fn model(&self, id: &str) -> NamedNode {
        self.entity(Kind::Model, id)
    }

    /// The record id and kind an IRI names, if it is one of ours.
    pub fn parse_entity<'a>(&self, iri: &'a str) -> Option<(Kind, &'a str)> {
        let rest = iri.strip_prefix(&self.base)?;
        let (noun, id) = rest.split_once('/')?;
        let kind = Kind::ALL.into_iter().find(|k| k.noun() == noun)?;
        (!id.contains('/')).then_some((kind, id))
    }
}
