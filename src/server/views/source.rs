//! The detail view of a source: what it is, and every claim that rests on it, in
//! words.

use serde::Serialize;
use utoipa::ToSchema;

use super::{Builder, Link, date, strings};
use crate::dataset::RecordRef;
use crate::kb::indexes::Citation;
use crate::lineage::style;
use crate::model::{ClaimField, ClaimValue, Confidence, SourceKind};

/// A claim resting on a source.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct CitationView {
    pub record: Link,
    pub field: ClaimField,
    /// The claimed value, in words, records named as their pages name them:
    /// `distillation of Qwen`, `closed`, `Chief AI Officer at Meta Platforms, Inc.`.
    pub value: String,
    pub confidence: Confidence,
}

/// A source with every claim that rests on it.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct SourceDetail {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub url: String,
    pub published: String,
    pub language: String,
    pub kind: SourceKind,
    pub authors: Vec<String>,
    /// Sources this one relays.
    pub cites: Vec<Link>,
    /// Names of relayed originals without a record.
    pub relays: Vec<String>,
    pub archived_url: Option<String>,
    pub note: Option<String>,
    /// Every claim citing this source (the first `limit` of `claim_count`).
    pub claims: Vec<CitationView>,
    pub claim_count: usize,
}

impl Builder<'_> {
    pub fn source_detail(&self, source: &crate::model::Source, limit: usize) -> SourceDetail {
        let citations = self.kb.citations(source.id.as_str());
        SourceDetail {
            id: source.id.to_string(),
            title: source.title.to_string(),
            publisher: source.publisher.to_string(),
            url: source.url.to_string(),
            published: source
                .published
                .date()
                .map(|d| d.to_string())
                .unwrap_or_default(),
            language: source.language.to_string(),
            kind: source.kind.value,
            authors: strings(&source.authors),
            cites: source.cites.iter().map(|c| self.link(c)).collect(),
            relays: strings(&source.relays),
            archived_url: source.archived_url.as_ref().map(|u| u.to_string()),
            note: source.note.clone(),
            claims: citations
                .iter()
                .take(limit)
                .map(|c| self.citation(c))
                .collect(),
            claim_count: citations.len(),
        }
    }

    /// A citation in words: the claim it names, looked up through the typed walk.
    fn citation(&self, citation: &Citation) -> CitationView {
        let dataset = self.dataset();
        let record = RecordRef::from(citation.record);
        let claim = dataset
            .claim(record, citation.field, citation.index as usize)
            .expect("the index cites only claims the walk yields");
        let value = match claim.value {
            ClaimValue::Record(_) => match record {
                RecordRef::Model(i) => {
                    format!(
                        "developed by {}",
                        self.name(dataset.models[i as usize].developer.as_str())
                    )
                }
                RecordRef::Organization(i) => {
                    let o = &dataset.organizations[i as usize];
                    match &o.kind {
                        Some(kind) => format!("{} {}", kind.as_str(), o.name.as_str()),
                        None => o.name.to_string(),
                    }
                }
                RecordRef::Person(i) => dataset.people[i as usize].name.to_string(),
                RecordRef::License(i) => {
                    let l = &dataset.licenses[i as usize];
                    format!("{} ({})", l.name.as_str(), l.spdx.as_str())
                }
                RecordRef::Source(i) => dataset.sources[i as usize].title.to_string(),
                RecordRef::Dataset(i) => {
                    let d = &dataset.datasets[i as usize];
                    match &d.creator {
                        Some(creator) => format!("made by {}", self.name(creator.as_str())),
                        None => d.name.to_string(),
                    }
                }
            },
            ClaimValue::Release(r) => {
                let when = date(&r.date)
                    .or_else(|| date(&r.expected))
                    .unwrap_or_default();
                format!("{} {when}", r.status.as_str()).trim().to_owned()
            }
            ClaimValue::Access(a) => a.level.as_str().to_owned(),
            ClaimValue::Licenses(l) => format!("licensed under {}", self.name(l.license.as_str())),
            ClaimValue::Lineage(e) => format!(
                "{} of {}",
                style::relation(e.relation.value).label,
                self.name(e.base.as_str())
            ),
            ClaimValue::Parents(p) => format!("part of {}", self.name(p.organization.as_str())),
            ClaimValue::Roles(r) => {
                format!(
                    "{} at {}",
                    r.title.as_str(),
                    self.name(r.organization.as_str())
                )
            }
            ClaimValue::Positions(q) => q.statement.to_string(),
            ClaimValue::TrainedOn(t) => {
                let stage = t
                    .stage
                    .as_ref()
                    .map(|s| format!(" ({})", s.as_str()))
                    .unwrap_or_default();
                format!("trained on {}{stage}", self.name(t.dataset.as_str()))
            }
            ClaimValue::Availability(a) => a.level.as_str().to_owned(),
            ClaimValue::Size(s) => format!("{} {}", s.count.value, s.unit.as_str()),
            ClaimValue::GeneratedBy(g) => format!("generated by {}", self.name(g.model.as_str())),
            ClaimValue::DerivedFrom(d) => format!("derived from {}", self.name(d.dataset.as_str())),
            ClaimValue::CollectedFrom(c) => format!("collected from {}", c.origin.as_str()),
        };
        CitationView {
            record: self.link(dataset.id(record)),
            field: claim.field(),
            value,
            confidence: claim
                .claim()
                .confidence()
                .map_or(Confidence::Disputed, |c| c.value),
        }
    }
}
