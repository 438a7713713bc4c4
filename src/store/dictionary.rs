//! The store's dictionary: each distinct term once, as bytes in one arena, named by
//! its position.
//!
//! A term as oxigraph holds it costs 64 bytes plus an allocation for its text; a
//! million-model graph has six million distinct terms, so the dictionary was the
//! largest part of the store. Here a term is its encoding in one shared byte arena
//! (a tag, then its text) and an end offset of 4 bytes; an IRI names its prefix (the
//! IRI up to its fifth `/`, or else up to its last `/` or `#`) by number instead of
//! repeating it, so `https://pedigree.example/id/model/m-0032752` costs its last
//! segment. A term is decoded only when a query's answer needs it.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashMap};

use oxigraph::model::vocab::xsd;
use oxigraph::model::{BlankNode, Literal, NamedNode, Term};

use super::{StoreError, TermId};

/// An IRI whose prefix is in the table: two bytes of prefix number, then the rest.
const TAG_PREFIXED_IRI: u8 = 0;
/// An IRI written whole (the prefix table was full).
const TAG_IRI: u8 = 1;
const TAG_BLANK: u8 = 2;
/// A literal of datatype `xsd:string`.
const TAG_STRING: u8 = 3;
/// A language-tagged literal: the tag, a NUL, the value.
const TAG_LANGUAGE: u8 = 4;
/// Any other literal: the datatype IRI, a NUL (which no IRI holds), the value.
const TAG_TYPED: u8 = 5;

/// Most IRI prefixes the table holds; IRIs of further prefixes are written whole.
const MAX_PREFIXES: usize = u16::MAX as usize;

/// Every distinct term once, by id.
#[derive(Default)]
pub struct Dictionary {
    /// Every term's encoding, one after another.
    bytes: Vec<u8>,
    /// Where each term's encoding ends in `bytes` (it starts where the previous ends).
    ends: Vec<u32>,
    /// Ids, found by the hash of their encoding.
    ids: hashbrown::HashTable<TermId>,
    /// foldhash, randomly seeded: the terms come from the data and the `--rdf` files,
    /// and a query's terms are only looked up, never added.
    hasher: DefaultHashBuilder,
    prefixes: Vec<Box<str>>,
    prefix_numbers: HashMap<Box<str>, u16>,
    /// The prefix numbered last, asked for again and again while a graph's quads
    /// about one kind of record go by.
    last_prefix: Option<u16>,
}

impl Dictionary {
    /// Number of terms: the ids below it.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The term named `id`, decoded.
    pub fn term(&self, id: TermId) -> Option<Term> {
        let encoding = self.encoding(id)?;
        let (&tag, rest) = encoding.split_first()?;
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        let split = |bytes: &'_ [u8]| -> Option<(String, String)> {
            let nul = bytes.iter().position(|&b| b == 0)?;
            Some((text(&bytes[..nul]), text(&bytes[nul + 1..])))
        };
        Some(match tag {
            TAG_PREFIXED_IRI => {
                let number = u16::from_be_bytes([*rest.first()?, *rest.get(1)?]);
                let prefix = self.prefixes.get(usize::from(number))?;
                NamedNode::new_unchecked(format!("{prefix}{}", text(&rest[2..]))).into()
            }
            TAG_IRI => NamedNode::new_unchecked(text(rest)).into(),
            TAG_BLANK => BlankNode::new_unchecked(text(rest)).into(),
            TAG_STRING => Literal::new_simple_literal(text(rest)).into(),
            TAG_LANGUAGE => {
                let (language, value) = split(rest)?;
                Literal::new_language_tagged_literal_unchecked(value, language).into()
            }
            TAG_TYPED => {
                let (datatype, value) = split(rest)?;
                Literal::new_typed_literal(value, NamedNode::new_unchecked(datatype)).into()
            }
            _ => return None,
        })
    }

    /// The id of `term`, if the dictionary holds it.
    pub fn id(&self, term: &Term) -> Option<TermId> {
        let prefix =
            iri_prefix(term).and_then(|p| Some((self.prefix_numbers.get(p).copied()?, p.len())));
        let mut encoding = Vec::new();
        encode(term, prefix, &mut encoding);
        let hash = self.hasher.hash_one(&encoding);
        self.ids
            .find(hash, |&id| self.encoding(id) == Some(&encoding[..]))
            .copied()
    }

    /// The id of `term`, added when new; `buffer` is scratch space.
    pub fn insert(&mut self, term: &Term, buffer: &mut Vec<u8>) -> Result<TermId, StoreError> {
        let prefix = iri_prefix(term).and_then(|p| Some((self.prefix_number(p)?, p.len())));
        buffer.clear();
        encode(term, prefix, buffer);
        let hash = self.hasher.hash_one(&buffer[..]);
        let (bytes, ends) = (&self.bytes, &self.ends);
        if let Some(&id) = self.ids.find(hash, |&id| {
            encoding_of(bytes, ends, id) == Some(&buffer[..])
        }) {
            return Ok(id);
        }
        let id = TermId::try_from(self.ends.len()).map_err(|_| StoreError::TooManyTerms)?;
        self.bytes.extend_from_slice(buffer);
        let end = u32::try_from(self.bytes.len()).map_err(|_| StoreError::TooManyTerms)?;
        self.ends.push(end);
        let (bytes, ends, hasher) = (&self.bytes, &self.ends, &self.hasher);
        self.ids.insert_unique(hash, id, |&id| {
            hasher.hash_one(encoding_of(bytes, ends, id).unwrap_or_default())
        });
        Ok(id)
    }

    /// The number of an IRI prefix, added when new while the table has room.
    fn prefix_number(&mut self, prefix: &str) -> Option<u16> {
        if let Some(last) = self.last_prefix
            && *self.prefixes[usize::from(last)] == *prefix
        {
            return Some(last);
        }
        if let Some(&number) = self.prefix_numbers.get(prefix) {
            self.last_prefix = Some(number);
            return Some(number);
        }
        if self.prefixes.len() >= MAX_PREFIXES {
            return None;
        }
        let number = self.prefixes.len() as u16;
        self.prefixes.push(prefix.into());
        self.prefix_numbers.insert(prefix.into(), number);
        self.last_prefix = Some(number);
        Some(number)
    }

    /// Gives back the room the building left over.
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.prefixes.shrink_to_fit();
        let (bytes, ends, hasher) = (&self.bytes, &self.ends, &self.hasher);
        self.ids
            .shrink_to_fit(|&id| hasher.hash_one(encoding_of(bytes, ends, id).unwrap_or_default()));
    }

    fn encoding(&self, id: TermId) -> Option<&[u8]> {
        encoding_of(&self.bytes, &self.ends, id)
    }
}

/// An IRI's prefix, for a term that is an IRI with one.
fn iri_prefix(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(node) => Some(&node.as_str()[..prefix_end(node.as_str())]),
        _ => None,
    }
}

/// A term's encoding: a tag, then its text; an IRI whose prefix has a number (given
/// with the prefix's length) writes the number instead of the prefix.
fn encode(term: &Term, prefix: Option<(u16, usize)>, out: &mut Vec<u8>) {
    match term {
        Term::NamedNode(node) => {
            let iri = node.as_str();
            match prefix {
                Some((number, length)) => {
                    out.push(TAG_PREFIXED_IRI);
                    out.extend_from_slice(&number.to_be_bytes());
                    out.extend_from_slice(&iri.as_bytes()[length..]);
                }
                None => {
                    out.push(TAG_IRI);
                    out.extend_from_slice(iri.as_bytes());
                }
            }
        }
        Term::BlankNode(node) => {
            out.push(TAG_BLANK);
            out.extend_from_slice(node.as_str().as_bytes());
        }
        Term::Literal(literal) => {
            if let Some(language) = literal.language() {
                out.push(TAG_LANGUAGE);
                out.extend_from_slice(language.as_bytes());
                out.push(0);
            } else if literal.datatype() == xsd::STRING {
                out.push(TAG_STRING);
            } else {
                out.push(TAG_TYPED);
                out.extend_from_slice(literal.datatype().as_str().as_bytes());
                out.push(0);
            }
            out.extend_from_slice(literal.value().as_bytes());
        }
    }
}

fn encoding_of<'a>(bytes: &'a [u8], ends: &[u32], id: TermId) -> Option<&'a [u8]> {
    let index = id as usize;
    let end = *ends.get(index)? as usize;
    let start = if index == 0 {
        0
    } else {
        ends[index - 1] as usize
    };
    bytes.get(start..end)
}

/// Where an IRI's prefix ends: after its fifth `/` (`https://host/id/model/`), or else
/// after its last `/` or `#` (`http://schema.org/`, `…/XMLSchema#`), or 0.
fn prefix_end(iri: &str) -> usize {
    let bytes = iri.as_bytes();
    if let Some(at) = memchr::memchr_iter(b'/', bytes).nth(4) {
        return at + 1;
    }
    memchr::memrchr2(b'/', b'#', bytes).map_or(0, |at| at + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_term_comes_back_as_it_went_in() {
        let terms: Vec<Term> = vec![
            NamedNode::new_unchecked("https://pedigree.example/id/model/avocado").into(),
            NamedNode::new_unchecked("https://pedigree.example/id/model/llama-4").into(),
            NamedNode::new_unchecked("http://schema.org/name").into(),
            NamedNode::new_unchecked("urn:x").into(),
            BlankNode::new_unchecked("b0").into(),
            Literal::new_simple_literal("Avocado").into(),
            Literal::new_simple_literal("").into(),
            Literal::new_simple_literal("with\0nul").into(),
            Literal::new_language_tagged_literal_unchecked("Avocat", "fr").into(),
            Literal::new_typed_literal("2025-12-10", xsd::DATE).into(),
            Literal::new_typed_literal("a\0b", xsd::INTEGER).into(),
        ];
        let mut dictionary = Dictionary::default();
        let mut buffer = Vec::new();
        let ids: Vec<TermId> = terms
            .iter()
            .map(|t| dictionary.insert(t, &mut buffer).unwrap())
            .collect();
        assert_eq!(ids, (0..terms.len() as TermId).collect::<Vec<_>>());
        // Inserting again finds the same ids.
        for (term, id) in terms.iter().zip(&ids) {
            assert_eq!(dictionary.insert(term, &mut buffer).unwrap(), *id);
        }
        dictionary.shrink_to_fit();
        for (term, id) in terms.iter().zip(&ids) {
            assert_eq!(dictionary.term(*id).as_ref(), Some(term));
            assert_eq!(dictionary.id(term), Some(*id), "{term}");
        }
        assert_eq!(dictionary.len(), terms.len());
        assert_eq!(dictionary.term(terms.len() as TermId), None);
        assert_eq!(
            dictionary.id(&NamedNode::new_unchecked("https://pedigree.example/id/model/x").into()),
            None
        );
        assert_eq!(
            dictionary.id(&Literal::new_simple_literal("avocado").into()),
            None
        );
    }

    #[test]
    fn prefixes_end_at_the_fifth_slash_or_the_last_slash_or_hash() {
        fn cut(iri: &str) -> &str {
            &iri[..prefix_end(iri)]
        }
        assert_eq!(
            cut("https://pedigree.example/id/model/m-1/claim/0"),
            "https://pedigree.example/id/model/"
        );
        assert_eq!(cut("http://schema.org/name"), "http://schema.org/");
        assert_eq!(
            cut("http://www.w3.org/2001/XMLSchema#date"),
            "http://www.w3.org/2001/XMLSchema#"
        );
        assert_eq!(cut("urn:x"), "");
    }
}
