//! The detail view of a model: its release, access, licences, lineage and
//! derivatives, each claim with its provenance.

use serde::Serialize;
use utoipa::ToSchema;

use super::{Builder, ExternalIds, Link, Provenance, date, external_ids, strings};
use crate::kb::indexes::RecordKey;
use crate::kb::page::{Page, PageRequest, paginate};
use crate::lineage::Direction;
use crate::lineage::neighbours::NeighbourFilter;
use crate::model::{AccessLevel, LicenseClaim, Modality, Model, ModelKind, ReleaseStatus, Spanned};
use crate::view::EdgeView;

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ReleaseView {
    pub status: ReleaseStatus,
    pub date: Option<String>,
    pub expected: Option<String>,
    pub announced: Option<String>,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct AccessView {
    pub level: AccessLevel,
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

/// A model with every claim and its sources.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ModelDetail {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub kind: ModelKind,
    pub description: Option<String>,
    pub family: Option<Link>,
    /// Members, for a family.
    pub members: Vec<Link>,
    pub developer: Link,
    /// The developer and the organisations above it, ending with the owner.
    pub organizations: Vec<Link>,
    pub parameters: Option<Parameters>,
    pub input_modalities: Vec<Modality>,
    pub output_modalities: Vec<Modality>,
    pub homepage: Option<String>,
    pub external_ids: ExternalIds,
    pub release: Option<ReleaseView>,
    pub access: Vec<AccessView>,
    pub licenses: Vec<LicenseUse>,
    /// Edges to the model's bases (every claim, ended ones too): the first
    /// `MAX_RECORD_EDGES` (100) by the ranking rule, surest first.
    pub lineage: Vec<EdgeView>,
    /// The number of claims naming a base, listed or not.
    pub lineage_total: usize,
    /// The paginated list of them all.
    pub bases_list: String,
    /// Edges from models that derive from this one: the first `MAX_RECORD_EDGES`
    /// (100) by the ranking rule, as `lineage`.
    pub derivatives: Vec<EdgeView>,
    /// The number of claims naming this model as their base, listed or not.
    pub derivatives_total: usize,
    /// The paginated list of them all.
    pub derivatives_list: String,
    /// Provenance of the record's plain facts (name, developer, parameters).
    pub record: Provenance,
}

/// Most edges a model record lists on each side; the rest are in the lists its
/// `bases_list` and `derivatives_list` name. A root with 13,000 derivatives stays a
/// record of some kilobytes.
pub const MAX_RECORD_EDGES: usize = 100;

impl Builder<'_> {
    /// One page of the direct claims on one side of the model `id` (`Up`: bases,
    /// `Down`: derivatives) that `filter` admits, ranked by the ranking rule
    /// (`lineage::neighbours`): the lists the summary's counts and the picture's
    /// folded boxes link to, and the first edges of a model record.
    pub fn neighbour_page(
        &self,
        id: &str,
        direction: Direction,
        filter: &NeighbourFilter,
        request: PageRequest,
    ) -> Page<EdgeView> {
        let end = request.page.saturating_mul(request.per_page);
        let found = self
            .kb
            .lineage
            .neighbours(self.dataset(), id, direction, filter, end)
            .unwrap_or_default();
        let views = self.lineage_views();
        paginate(found, request).map(|n| views.edge(n.edge))
    }

    /// A licence claim of a model or dataset, with the licence's SPDX id.
    pub fn license_use(&self, claim: &Spanned<LicenseClaim>) -> LicenseUse {
        LicenseUse {
            license: self.link(&claim.license),
            spdx: self
                .dataset()
                .license(&claim.license)
                .map(|x| x.spdx.to_string())
                .unwrap_or_default(),
            provenance: self.provenance(claim),
        }
    }

    pub fn model_detail(&self, model: &Model) -> ModelDetail {
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
        let first = PageRequest {
            page: 1,
            per_page: MAX_RECORD_EDGES,
        };
        let all = NeighbourFilter::default();
        let bases = self.neighbour_page(model.id.as_str(), Direction::Up, &all, first);
        let derivatives = self.neighbour_page(model.id.as_str(), Direction::Down, &all, first);
        ModelDetail {
            id: model.id.to_string(),
            name: model.name.to_string(),
            aliases: strings(&model.aliases),
            kind: model.model_kind(),
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
                .map(|m| m.input.iter().map(|x| x.value).collect())
                .unwrap_or_default(),
            output_modalities: model
                .modality
                .as_ref()
                .map(|m| m.output.iter().map(|x| x.value).collect())
                .unwrap_or_default(),
            homepage: model.homepage.as_ref().map(|h| h.to_string()),
            external_ids: external_ids(model.external_ids.as_deref().map(|ids| &ids.value)),
            release: model.release.as_ref().map(|r| ReleaseView {
                status: r.status.value,
                date: date(&r.date),
                expected: date(&r.expected),
                announced: date(&r.announced),
                provenance: self.provenance(r),
            }),
            access: model
                .access
                .iter()
                .map(|a| AccessView {
                    level: a.level.value,
                    provenance: self.provenance(a),
                })
                .collect(),
            licenses: model.licenses.iter().map(|l| self.license_use(l)).collect(),
            lineage: bases.items,
            lineage_total: bases.total,
            bases_list: crate::site::api_side_href(model.id.as_str(), Direction::Up),
            derivatives: derivatives.items,
            derivatives_total: derivatives.total,
            derivatives_list: crate::site::api_side_href(model.id.as_str(), Direction::Down),
            record: self.provenance(&model.record_claim()),
        }
    }
}
