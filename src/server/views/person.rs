//! The detail view of a person: roles over time and reported positions.

use serde::Serialize;
use utoipa::ToSchema;

use super::{Builder, ExternalIds, Link, Provenance, external_ids, strings};

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

impl Builder<'_> {
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
}
