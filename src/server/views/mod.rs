//! The JSON shapes of the REST API, and how they are built from the knowledge base:
//! the [`Builder`], the parts every view shares (links, provenance, external ids) and
//! the summaries lists show. Each record kind's detail view is in its own file.
//!
//! Field names are stable (documented in `docs/http-api.md` and described by the
//! OpenAPI document). Every claim carries its provenance: confidence, period and the
//! sources, each with title, publisher, date and URL.

mod license;
mod model;
mod organization;
mod person;
mod source;
mod training;

use serde::Serialize;
use utoipa::ToSchema;

use crate::dataset::{Dataset, RecordRef};
use crate::kb::KnowledgeBase;
pub use crate::kb::page::Page;
use crate::lineage::render::Views;
use crate::model::{
    AccessLevel, Claim, Confidence, DateValue, Kind, Model, ModelKind, ReleaseStatus, Spanned,
};
pub use crate::view::Provenance;

pub use self::license::LicenseDetail;
pub use self::model::{AccessView, LicenseUse, ModelDetail, ReleaseView};
pub use self::organization::OrganizationDetail;
pub use self::person::PersonDetail;
pub use self::source::SourceDetail;
pub use self::training::DatasetDetail;

/// A reference to another record.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Link {
    pub id: String,
    pub name: String,
    pub kind: Kind,
}

/// A model in lists.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ModelSummary {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub kind: ModelKind,
    pub family: Option<Link>,
    pub developer: Link,
    /// The organisation at the top of the developer's hierarchy.
    pub owner: Link,
    pub release_status: Option<ReleaseStatus>,
    pub released: Option<String>,
    /// Access levels that hold now.
    pub access: Vec<AccessLevel>,
    /// Licences that hold now.
    pub licenses: Vec<Link>,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ExternalIds {
    pub huggingface: Option<String>,
    pub wikidata: Option<String>,
}

/// A summary of any record, for lists of organisations, people, sources, licences.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct RecordSummary {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    /// What sort: an organisation kind, a source kind and publication date, an SPDX id.
    pub detail: String,
}

/// Builds views over one knowledge base.
#[derive(Clone, Copy, Debug)]
pub struct Builder<'a> {
    pub kb: &'a KnowledgeBase,
}

fn date(value: &Option<Spanned<DateValue>>) -> Option<String> {
    value.as_ref().and_then(|d| d.date()).map(|d| d.to_string())
}

fn strings(values: &[Spanned<String>]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

/// Most models an organisation or a licence record lists; `model_count` has the total
/// and `models_list` the paginated list of them all.
pub const MAX_LISTED_MODELS: usize = 100;

impl<'a> Builder<'a> {
    fn dataset(&self) -> &'a Dataset {
        &self.kb.dataset
    }

    fn lineage_views(&self) -> Views<'a> {
        Views {
            index: &self.kb.lineage,
            dataset: &self.kb.dataset,
        }
    }

    /// A link to any record by id (the id is known to exist in validated data).
    /// The first [`MAX_LISTED_MODELS`] of the models at `positions` (in
    /// `dataset.models`) by name, then id, and how many there are: an organisation's
    /// or a licence's models, which at Hub scale are tens of thousands. A partial
    /// selection, so the page does not sort them all.
    pub fn first_models(&self, mut positions: Vec<u32>) -> (usize, Vec<Link>) {
        let models = &self.dataset().models;
        let order = |a: &u32, b: &u32| {
            let (a, b) = (&models[*a as usize], &models[*b as usize]);
            a.name
                .as_str()
                .cmp(b.name.as_str())
                .then_with(|| a.id.as_str().cmp(b.id.as_str()))
        };
        let total = positions.len();
        if total > MAX_LISTED_MODELS {
            positions.select_nth_unstable_by(MAX_LISTED_MODELS - 1, order);
            positions.truncate(MAX_LISTED_MODELS);
        }
        positions.sort_unstable_by(order);
        let links = positions
            .iter()
            .map(|&m| self.link(models[m as usize].id.as_str()))
            .collect();
        (total, links)
    }

    pub fn link(&self, id: &str) -> Link {
        let dataset = self.dataset();
        let (kind, name) = match dataset.get(id) {
            Some(RecordRef::Model(i)) => (Kind::Model, dataset.models[i as usize].name.to_string()),
            Some(RecordRef::Organization(i)) => (
                Kind::Organization,
                dataset.organizations[i as usize].name.to_string(),
            ),
            Some(RecordRef::Person(i)) => {
                (Kind::Person, dataset.people[i as usize].name.to_string())
            }
            Some(RecordRef::Source(i)) => {
                (Kind::Source, dataset.sources[i as usize].title.to_string())
            }
            Some(RecordRef::License(i)) => {
                (Kind::License, dataset.licenses[i as usize].name.to_string())
            }
            Some(RecordRef::Dataset(i)) => {
                (Kind::Dataset, dataset.datasets[i as usize].name.to_string())
            }
            None => (Kind::Model, id.to_owned()),
        };
        Link {
            id: id.to_owned(),
            name,
            kind,
        }
    }

    /// A record's name (a source's title) by id: what pages and words show of it.
    pub fn name(&self, id: &str) -> String {
        self.link(id).name
    }

    pub fn provenance(&self, claim: &dyn Claim) -> Provenance {
        Provenance {
            confidence: claim.confidence().map_or(Confidence::Disputed, |c| c.value),
            sources: self.lineage_views().sources(claim),
            valid_from: claim.from().and_then(|d| d.date()).map(|d| d.to_string()),
            valid_until: claim.until().and_then(|d| d.date()).map(|d| d.to_string()),
            first_reported: self
                .dataset()
                .first_reported(claim)
                .map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
            note: claim.note().map(str::to_owned),
        }
    }

    /// The developer and the organisations above it (following current parents).
    pub fn organization_chain(&self, start: &str) -> Vec<Link> {
        self.kb
            .organization_chain(start)
            .into_iter()
            .map(|id| self.link(id))
            .collect()
    }

    pub fn owner(&self, developer: &str) -> Link {
        let chain = self.kb.organization_chain(developer);
        self.link(chain.last().copied().unwrap_or(developer))
    }

    /// A list entry for any record.
    pub fn record_summary(&self, record: RecordRef) -> RecordSummary {
        let dataset = self.dataset();
        let (name, detail) = match record {
            RecordRef::Model(i) => {
                let m = &dataset.models[i as usize];
                (m.name.to_string(), self.name(m.developer.as_str()))
            }
            RecordRef::Organization(i) => {
                let o = &dataset.organizations[i as usize];
                (
                    o.name.to_string(),
                    o.kind
                        .as_ref()
                        .map(|k| k.as_str().to_owned())
                        .unwrap_or_default(),
                )
            }
            RecordRef::Person(i) => {
                let p = &dataset.people[i as usize];
                let role = p
                    .current_role()
                    .map(|r| {
                        format!(
                            "{}, {}",
                            r.title.as_str(),
                            self.name(r.organization.as_str())
                        )
                    })
                    .unwrap_or_default();
                (p.name.to_string(), role)
            }
            RecordRef::Source(i) => {
                let s = &dataset.sources[i as usize];
                let detail = format!(
                    "{} · {} · {}",
                    s.publisher.as_str(),
                    s.published
                        .date()
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    s.kind.as_str()
                );
                (s.title.to_string(), detail)
            }
            RecordRef::License(i) => {
                let l = &dataset.licenses[i as usize];
                (l.name.to_string(), l.spdx.to_string())
            }
            RecordRef::Dataset(i) => {
                let d = &dataset.datasets[i as usize];
                let creator = d.creator.as_ref().map(|c| self.name(c.as_str()));
                (d.name.to_string(), creator.unwrap_or_default())
            }
        };
        RecordSummary {
            id: dataset.id(record).to_string(),
            name,
            kind: record.kind(),
            detail,
        }
    }

    pub fn model_summary(&self, model: &Model) -> ModelSummary {
        ModelSummary {
            id: model.id.to_string(),
            name: model.name.to_string(),
            aliases: strings(&model.aliases),
            kind: model.model_kind(),
            family: model.family.as_ref().map(|f| self.link(f)),
            developer: self.link(&model.developer),
            owner: self.owner(&model.developer),
            release_status: model.release.as_ref().map(|r| r.status.value),
            released: model.release.as_ref().and_then(|r| date(&r.date)),
            access: model.current_access().map(|a| a.level.value).collect(),
            licenses: model
                .current_licenses()
                .map(|l| self.link(&l.license))
                .collect(),
        }
    }
}

fn external_ids(ids: Option<&crate::model::ExternalIds>) -> ExternalIds {
    ExternalIds {
        huggingface: ids
            .and_then(|i| i.huggingface.as_ref())
            .map(|h| h.to_string()),
        wikidata: ids.and_then(|i| i.wikidata.as_ref()).map(|w| w.to_string()),
    }
}
