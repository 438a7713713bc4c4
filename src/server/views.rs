//! The JSON shapes of the REST API, and how they are built from the knowledge base.
//!
//! Field names are stable (documented in `docs/http-api.md` and described by the
//! OpenAPI document). Every claim carries its provenance: confidence, period and the
//! sources, each with title, publisher, date and URL.

use serde::Serialize;
use utoipa::ToSchema;

use crate::dataset::{Dataset, RecordRef};
use crate::kb::KnowledgeBase;
use crate::kb::indexes::{Citation, RecordKey};
pub use crate::kb::page::Page;
use crate::lineage::Direction;
use crate::lineage::render::Views;
use crate::model::{Claim, ClaimValue, Confidence, DateValue, Kind, Model, Organization, Spanned};
use crate::view::EdgeView;
pub use crate::view::Provenance;

/// A reference to another record.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Link {
    pub id: String,
    pub name: String,
    /// `model`, `organization`, `person`, `source` or `license`.
    pub kind: &'static str,
}

/// A model in lists.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ModelSummary {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// `model` or `family`.
    pub kind: &'static str,
    pub family: Option<Link>,
    pub developer: Link,
    /// The organisation at the top of the developer's hierarchy.
    pub owner: Link,
    /// `released`, `announced`, `planned` or `cancelled`.
    pub release_status: Option<&'static str>,
    pub released: Option<String>,
    /// Access levels that hold now.
    pub access: Vec<&'static str>,
    /// Licences that hold now.
    pub licenses: Vec<Link>,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ReleaseView {
    pub status: &'static str,
    pub date: Option<String>,
    pub expected: Option<String>,
    pub announced: Option<String>,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct AccessView {
    /// `open-weights`, `closed` or `unreleased`.
    pub level: &'static str,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct LicenseUse {
    pub license: Link,
    pub spdx: String,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Parameters {
    pub total: Option<u64>,
    pub active: Option<u64>,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ExternalIds {
    pub huggingface: Option<String>,
    pub wikidata: Option<String>,
}

/// A model with every claim and its sources.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ModelDetail {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub kind: &'static str,
    pub description: Option<String>,
    pub family: Option<Link>,
    /// Members, for a family.
    pub members: Vec<Link>,
    pub developer: Link,
    /// The developer and the organisations above it, ending with the owner.
    pub organizations: Vec<Link>,
    pub parameters: Option<Parameters>,
    pub input_modalities: Vec<&'static str>,
    pub output_modalities: Vec<&'static str>,
    pub homepage: Option<String>,
    pub external_ids: ExternalIds,
    pub release: Option<ReleaseView>,
    pub access: Vec<AccessView>,
    pub licenses: Vec<LicenseUse>,
    /// Edges to the model's bases.
    pub lineage: Vec<EdgeView>,
    /// Edges from models that derive from this one.
    pub derivatives: Vec<EdgeView>,
    /// Provenance of the record's plain facts (name, developer, parameters).
    pub record: Provenance,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ParentView {
    pub organization: Link,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct MemberView {
    pub person: Link,
    pub organization: Link,
    pub title: String,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct TickerView {
    /// ISO 10383 market identifier code.
    pub exchange: String,
    pub symbol: String,
}

/// An organisation with its place in the hierarchy, its models and its people.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct OrganizationDetail {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub kind: &'static str,
    pub description: Option<String>,
    pub country: Option<String>,
    pub website: Option<String>,
    pub tickers: Vec<TickerView>,
    pub external_ids: ExternalIds,
    pub parents: Vec<ParentView>,
    /// Organisations that name this one as a parent.
    pub sub_organizations: Vec<Link>,
    /// Models developed by this organisation or any organisation below it.
    pub models: Vec<Link>,
    /// Roles held here or in any organisation below.
    pub people: Vec<MemberView>,
    pub record: Provenance,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct RoleView {
    pub organization: Link,
    pub title: String,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct PositionView {
    pub statement: String,
    pub about: Vec<Link>,
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// A person with roles over time and reported positions.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct PersonDetail {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    pub external_ids: ExternalIds,
    pub roles: Vec<RoleView>,
    pub positions: Vec<PositionView>,
    pub record: Provenance,
}

/// A claim resting on a source.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct CitationView {
    pub record: Link,
    /// `record`, `release`, `access`, `licenses`, `lineage`, `parents`, `roles`, `positions`.
    pub field: &'static str,
    /// The claimed value, in words: `distillation of qwen`, `closed`, `Chief AI Officer at meta`.
    pub value: String,
    pub confidence: &'static str,
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
    pub kind: &'static str,
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

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct TermsView {
    pub commercial_use: Option<bool>,
    pub attribution: Option<String>,
    pub derivative_naming: Option<String>,
    pub acceptable_use_policy: Option<String>,
    pub user_threshold: Option<u64>,
}

/// A licence and the models under it.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct LicenseDetail {
    pub id: String,
    pub name: String,
    pub spdx: String,
    pub url: String,
    pub osi_approved: bool,
    pub terms: Option<TermsView>,
    pub models: Vec<Link>,
    pub record: Provenance,
}

/// A summary of any record, for lists of organisations, people, sources, licences.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct RecordSummary {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
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
            None => (Kind::Model, id.to_owned()),
        };
        Link {
            id: id.to_owned(),
            name,
            kind: kind.noun(),
        }
    }

    pub fn provenance(&self, claim: &dyn Claim) -> Provenance {
        Provenance {
            confidence: claim
                .confidence()
                .map_or(Confidence::Disputed, |c| c.value)
                .as_str(),
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
                (m.name.to_string(), m.developer.to_string())
            }
            RecordRef::Organization(i) => {
                let o = &dataset.organizations[i as usize];
                (o.name.to_string(), o.kind.as_str().to_owned())
            }
            RecordRef::Person(i) => {
                let p = &dataset.people[i as usize];
                let role = p
                    .roles
                    .iter()
                    .find(|r| r.until.is_none())
                    .map(|r| format!("{}, {}", r.title.as_str(), r.organization.as_str()))
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
        };
        RecordSummary {
            id: dataset.id(record).to_string(),
            name,
            kind: record.kind().noun(),
            detail,
        }
    }

    pub fn model_summary(&self, model: &Model) -> ModelSummary {
        ModelSummary {
            id: model.id.to_string(),
            name: model.name.to_string(),
            aliases: strings(&model.aliases),
            kind: if model.is_family() { "family" } else { "model" },
            family: model.family.as_ref().map(|f| self.link(f)),
            developer: self.link(&model.developer),
            owner: self.owner(&model.developer),
            release_status: model.release.as_ref().map(|r| r.status.as_str()),
            released: model.release.as_ref().and_then(|r| date(&r.date)),
            access: model
                .access
                .iter()
                .filter(|a| a.until.is_none())
                .map(|a| a.level.as_str())
                .collect(),
            licenses: model
                .licenses
                .iter()
                .filter(|l| l.until.is_none())
                .map(|l| self.link(&l.license))
                .collect(),
        }
    }

    pub fn model_detail(&self, model: &Model) -> ModelDetail {
        let views = self.lineage_views();
        let position = self
            .dataset()
            .get(model.id.as_str())
            .map(|r| RecordKey::from(r).position);
        let members = position
            .and_then(|p| self.kb.indexes.members.get(&p))
            .map(|members| {
                members
                    .iter()
                    .map(|&m| self.link(self.dataset().models[m as usize].id.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        ModelDetail {
            id: model.id.to_string(),
            name: model.name.to_string(),
            aliases: strings(&model.aliases),
            kind: if model.is_family() { "family" } else { "model" },
            description: model.description.as_ref().map(|d| d.to_string()),
            family: model.family.as_ref().map(|f| self.link(f)),
            members,
            developer: self.link(&model.developer),
            organizations: self.organization_chain(&model.developer),
            parameters: model.parameters.as_ref().map(|p| Parameters {
                total: p.total.as_ref().map(|t| t.value),
                active: p.active.as_ref().map(|a| a.value),
            }),
            input_modalities: model
                .modality
                .as_ref()
                .map(|m| m.input.iter().map(|x| x.as_str()).collect())
                .unwrap_or_default(),
            output_modalities: model
                .modality
                .as_ref()
                .map(|m| m.output.iter().map(|x| x.as_str()).collect())
                .unwrap_or_default(),
            homepage: model.homepage.as_ref().map(|h| h.to_string()),
            external_ids: external_ids(model.external_ids.as_deref()),
            release: model.release.as_ref().map(|r| ReleaseView {
                status: r.status.as_str(),
                date: date(&r.date),
                expected: date(&r.expected),
                announced: date(&r.announced),
                provenance: self.provenance(r),
            }),
            access: model
                .access
                .iter()
                .map(|a| AccessView {
                    level: a.level.as_str(),
                    provenance: self.provenance(a),
                })
                .collect(),
            licenses: model
                .licenses
                .iter()
                .map(|l| LicenseUse {
                    license: self.link(&l.license),
                    spdx: self
                        .dataset()
                        .license(&l.license)
                        .map(|x| x.spdx.to_string())
                        .unwrap_or_default(),
                    provenance: self.provenance(l),
                })
                .collect(),
            lineage: views.edges_at(model.id.as_str(), Direction::Up),
            derivatives: views.edges_at(model.id.as_str(), Direction::Down),
            record: self.provenance(&model.record_claim()),
        }
    }

    pub fn organization_detail(&self, org: &Organization) -> OrganizationDetail {
        let dataset = self.dataset();
        let position = dataset
            .get(org.id.as_str())
            .map(|r| RecordKey::from(r).position)
            .unwrap_or(0);
        // This organisation and everything below it, for models and people.
        let mut below = vec![position];
        let mut i = 0;
        while i < below.len() {
            if let Some(children) = self.kb.indexes.children.get(&below[i]) {
                for &child in children {
                    if !below.contains(&child) {
                        below.push(child);
                    }
                }
            }
            i += 1;
        }
        let mut models: Vec<Link> = below
            .iter()
            .filter_map(|o| self.kb.indexes.models_by_developer.get(o))
            .flatten()
            .map(|&m| self.link(dataset.models[m as usize].id.as_str()))
            .collect();
        models.sort_by(|a, b| a.name.cmp(&b.name));
        let people = below
            .iter()
            .filter_map(|o| self.kb.indexes.roles_by_organization.get(o))
            .flatten()
            .map(|&(p, r)| {
                let person = &dataset.people[p as usize];
                let role = &person.roles[r as usize];
                MemberView {
                    person: self.link(&person.id),
                    organization: self.link(&role.organization),
                    title: role.title.to_string(),
                    provenance: self.provenance(role),
                }
            })
            .collect();
        OrganizationDetail {
            id: org.id.to_string(),
            name: org.name.to_string(),
            aliases: strings(&org.aliases),
            kind: org.kind.as_str(),
            description: org.description.as_ref().map(|d| d.to_string()),
            country: org.country.as_ref().map(|c| c.to_string()),
            website: org.website.as_ref().map(|w| w.to_string()),
            tickers: org
                .tickers
                .iter()
                .map(|t| TickerView {
                    exchange: t.exchange.to_string(),
                    symbol: t.symbol.to_string(),
                })
                .collect(),
            external_ids: external_ids(org.external_ids.as_deref()),
            parents: org
                .parents
                .iter()
                .map(|p| ParentView {
                    organization: self.link(&p.organization),
                    provenance: self.provenance(p),
                })
                .collect(),
            sub_organizations: self
                .kb
                .indexes
                .children
                .get(&position)
                .map(|children| {
                    children
                        .iter()
                        .map(|&c| self.link(dataset.organizations[c as usize].id.as_str()))
                        .collect()
                })
                .unwrap_or_default(),
            models,
            people,
            record: self.provenance(&org.record_claim()),
        }
    }

    pub fn person_detail(&self, person: &crate::model::Person) -> PersonDetail {
        PersonDetail {
            id: person.id.to_string(),
            name: person.name.to_string(),
            aliases: strings(&person.aliases),
            description: person.description.as_ref().map(|d| d.to_string()),
            external_ids: external_ids(person.external_ids.as_deref()),
            roles: person
                .roles
                .iter()
                .map(|r| RoleView {
                    organization: self.link(&r.organization),
                    title: r.title.to_string(),
                    provenance: self.provenance(r),
                })
                .collect(),
            positions: person
                .positions
                .iter()
                .map(|p| PositionView {
                    statement: p.statement.to_string(),
                    about: p.about.iter().map(|a| self.link(a)).collect(),
                    provenance: self.provenance(p),
                })
                .collect(),
            record: self.provenance(&person.record_claim()),
        }
    }

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
            kind: source.kind.as_str(),
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
                        dataset.models[i as usize].developer.as_str()
                    )
                }
                RecordRef::Organization(i) => {
                    let o = &dataset.organizations[i as usize];
                    format!("{} {}", o.kind.as_str(), o.name.as_str())
                }
                RecordRef::Person(i) => dataset.people[i as usize].name.to_string(),
                RecordRef::License(i) => {
                    let l = &dataset.licenses[i as usize];
                    format!("{} ({})", l.name.as_str(), l.spdx.as_str())
                }
                RecordRef::Source(i) => dataset.sources[i as usize].title.to_string(),
            },
            ClaimValue::Release(r) => {
                let when = date(&r.date)
                    .or_else(|| date(&r.expected))
                    .unwrap_or_default();
                format!("{} {when}", r.status.as_str()).trim().to_owned()
            }
            ClaimValue::Access(a) => a.level.as_str().to_owned(),
            ClaimValue::Licenses(l) => format!("licensed under {}", l.license.as_str()),
            ClaimValue::Lineage(e) => {
                format!("{} of {}", e.relation.as_str(), e.base.as_str())
            }
            ClaimValue::Parents(p) => format!("part of {}", p.organization.as_str()),
            ClaimValue::Roles(r) => {
                format!("{} at {}", r.title.as_str(), r.organization.as_str())
            }
            ClaimValue::Positions(q) => q.statement.to_string(),
        };
        CitationView {
            record: self.link(dataset.id(record)),
            field: claim.field().as_str(),
            value,
            confidence: claim
                .claim()
                .confidence()
                .map_or(Confidence::Disputed, |c| c.value)
                .as_str(),
        }
    }

    pub fn license_detail(&self, license: &crate::model::License) -> LicenseDetail {
        let dataset = self.dataset();
        let position = dataset
            .get(license.id.as_str())
            .map(|r| RecordKey::from(r).position)
            .unwrap_or(0);
        LicenseDetail {
            id: license.id.to_string(),
            name: license.name.to_string(),
            spdx: license.spdx.to_string(),
            url: license.url.to_string(),
            osi_approved: license.osi_approved.value,
            terms: license.terms.as_ref().map(|t| TermsView {
                commercial_use: t.commercial_use.as_ref().map(|c| c.value),
                attribution: t.attribution.as_ref().map(|a| a.to_string()),
                derivative_naming: t.derivative_naming.as_ref().map(|d| d.to_string()),
                acceptable_use_policy: t.acceptable_use_policy.as_ref().map(|u| u.to_string()),
                user_threshold: t.user_threshold.as_ref().map(|u| u.value),
            }),
            models: self
                .kb
                .indexes
                .models_by_license
                .get(&position)
                .map(|models| {
                    models
                        .iter()
                        .map(|&m| self.link(dataset.models[m as usize].id.as_str()))
                        .collect()
                })
                .unwrap_or_default(),
            record: self.provenance(&license.record_claim()),
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
