//! The detail view of a licence: its clauses and the models under it.

use serde::Serialize;
use utoipa::ToSchema;

use super::{Builder, Link, Provenance};
use crate::kb::indexes::RecordKey;
use crate::obligations::view::ClauseView;

/// A licence and the models under it.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct LicenseDetail {
    pub id: String,
    pub name: String,
    pub spdx: String,
    pub url: String,
    pub osi_approved: bool,
    /// What the licence asks, forbids and allows, each clause quoted.
    pub clauses: Vec<ClauseView>,
    /// The models under the licence now: the first 100 by name.
    pub models: Vec<Link>,
    /// How many there are, listed or not.
    pub model_count: usize,
    /// The paginated list of them all.
    pub models_list: String,
    pub record: Provenance,
}

impl Builder<'_> {
    pub fn license_detail(&self, license: &crate::model::License) -> LicenseDetail {
        let dataset = self.dataset();
        let position = dataset
            .get(license.id.as_str())
            .map(|r| RecordKey::from(r).position)
            .unwrap_or(0);
        let (model_count, models) = self.first_models(
            self.kb
                .indexes
                .models_by_license
                .get(&position)
                .cloned()
                .unwrap_or_default(),
        );
        LicenseDetail {
            id: license.id.to_string(),
            name: license.name.to_string(),
            spdx: license.spdx.to_string(),
            url: license.url.to_string(),
            osi_approved: license.osi_approved.value,
            clauses: ClauseView::all(license),
            models,
            model_count,
            models_list: format!("/api/models?license={}", license.id.as_str()),
            record: self.provenance(&license.record_claim()),
        }
    }
}
