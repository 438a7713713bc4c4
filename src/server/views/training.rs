//! The detail view of a dataset: what it holds, where its examples came from, and
//! the models trained on it, each claim with its provenance.

use serde::Serialize;
use utoipa::ToSchema;

use super::model::{LicenseUse, MAX_RECORD_EDGES, ReleaseView};
use super::{Builder, ExternalIds, Link, Provenance, date, external_ids, strings};
use crate::kb::page::PageRequest;
use crate::lineage::Direction;
use crate::lineage::neighbours::NeighbourFilter;
use crate::model::{AvailabilityLevel, DatasetRecord, Modality, SizeUnit};
use crate::view::EdgeView;

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct AvailabilityView {
    pub level: AvailabilityLevel,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct SizeView {
    pub count: u64,
    pub unit: SizeUnit,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct CollectedFromView {
    pub origin: String,
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// A dataset with every claim and its sources.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct DatasetDetail {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    pub creator: Option<Link>,
    /// Whether its examples were written by models (`generated_by` names them).
    pub synthetic: Option<bool>,
    pub modalities: Vec<Modality>,
    /// BCP 47 language tags.
    pub languages: Vec<String>,
    pub homepage: Option<String>,
    /// The source record of the paper describing it.
    pub paper: Option<Link>,
    pub external_ids: ExternalIds,
    pub release: Option<ReleaseView>,
    pub availability: Vec<AvailabilityView>,
    pub licenses: Vec<LicenseUse>,
    pub size: Vec<SizeView>,
    pub collected_from: Vec<CollectedFromView>,
    /// Edges to what it was made from: the models that generated it
    /// (`generated_by`) and the datasets it derives from (`derived_from`); the first
    /// 100 by the ranking rule.
    pub lineage: Vec<EdgeView>,
    pub lineage_total: usize,
    pub bases_list: String,
    /// Edges from the models trained on it (`trained_on`, with their stage) and the
    /// datasets derived from it; the first 100 by the ranking rule.
    pub derivatives: Vec<EdgeView>,
    pub derivatives_total: usize,
    pub derivatives_list: String,
    /// Provenance of the record's plain facts (name, creator, description).
    pub record: Provenance,
}

impl Builder<'_> {
    pub fn dataset_detail(&self, data: &DatasetRecord) -> DatasetDetail {
        let first = PageRequest {
            page: 1,
            per_page: MAX_RECORD_EDGES,
        };
        let all = NeighbourFilter::default();
        let id = data.id.as_str();
        let bases = self.neighbour_page(id, Direction::Up, &all, first);
        let derivatives = self.neighbour_page(id, Direction::Down, &all, first);
        DatasetDetail {
            id: id.to_owned(),
            name: data.name.to_string(),
            aliases: strings(&data.aliases),
            description: data.description.as_ref().map(|d| d.to_string()),
            creator: data.creator.as_ref().map(|c| self.link(c)),
            synthetic: data.synthetic.as_ref().map(|s| s.value),
            modalities: data.modality.iter().map(|m| m.value).collect(),
            languages: strings(&data.languages),
            homepage: data.homepage.as_ref().map(|h| h.to_string()),
            paper: data.paper.as_ref().map(|p| self.link(p)),
            external_ids: external_ids(data.external_ids.as_deref()),
            release: data.release.as_ref().map(|r| ReleaseView {
                status: r.status.value,
                date: date(&r.date),
                expected: date(&r.expected),
                announced: date(&r.announced),
                provenance: self.provenance(r),
            }),
            availability: data
                .availability
                .iter()
                .map(|a| AvailabilityView {
                    level: a.level.value,
                    provenance: self.provenance(a),
                })
                .collect(),
            licenses: data.licenses.iter().map(|l| self.license_use(l)).collect(),
            size: data
                .size
                .iter()
                .map(|s| SizeView {
                    count: s.count.value,
                    unit: s.unit.value,
                    provenance: self.provenance(s),
                })
                .collect(),
            collected_from: data
                .collected_from
                .iter()
                .map(|c| CollectedFromView {
                    origin: c.origin.to_string(),
                    provenance: self.provenance(c),
                })
                .collect(),
            lineage: bases.items,
            lineage_total: bases.total,
            bases_list: crate::site::api_side_href(id, Direction::Up),
            derivatives: derivatives.items,
            derivatives_total: derivatives.total,
            derivatives_list: crate::site::api_side_href(id, Direction::Down),
            record: self.provenance(&data.record_claim()),
        }
    }
}
