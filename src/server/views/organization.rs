//! The detail view of an organisation: its place in the hierarchy, and the models
//! and people of it and everything below it.

use serde::Serialize;
use utoipa::ToSchema;

use super::{Builder, ExternalIds, Link, Provenance, external_ids, strings};
use crate::kb::indexes::RecordKey;
use crate::model::{Organization, OrganizationKind};

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
    /// Left out when no source says what sort of organisation it is.
    pub kind: Option<OrganizationKind>,
    pub description: Option<String>,
    pub country: Option<String>,
    pub website: Option<String>,
    pub tickers: Vec<TickerView>,
    pub external_ids: ExternalIds,
    pub parents: Vec<ParentView>,
    /// Organisations that name this one as a parent.
    pub sub_organizations: Vec<Link>,
    /// Models developed by this organisation or any organisation below it: the first
    /// 100 by name.
    pub models: Vec<Link>,
    /// How many there are, listed or not.
    pub model_count: usize,
    /// The paginated list of them all.
    pub models_list: String,
    /// Roles held here or in any organisation below.
    pub people: Vec<MemberView>,
    pub record: Provenance,
}

impl Builder<'_> {
    pub fn organization_detail(&self, org: &Organization) -> OrganizationDetail {
        let dataset = self.dataset();
        let position = dataset
            .get(org.id.as_str())
            .map(|r| RecordKey::from(r).position)
            .unwrap_or(0);
        // This organisation and everything below it, for models and people: the
        // knowledge base's one rule, the one the API's organisation filter follows.
        let below = self.kb.organizations_below(position);
        let (model_count, models) = self.first_models(
            below
                .iter()
                .filter_map(|o| self.kb.indexes.models_by_developer.get(o))
                .flatten()
                .copied()
                .collect(),
        );
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
            kind: org.kind.as_ref().map(|k| k.value),
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
            model_count,
            models_list: format!("/api/models?organization={}", org.id.as_str()),
            people,
            record: self.provenance(&org.record_claim()),
        }
    }
}
