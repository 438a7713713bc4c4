//! The detail view of a licence: its terms and the models under it.

use serde::Serialize;
use utoipa::ToSchema;

use super::{Builder, Link, Provenance};
use crate::kb::indexes::RecordKey;

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
            terms: license.terms.as_ref().map(|t| TermsView {
                commercial_use: t.commercial_use.as_ref().map(|c| c.value),
                attribution: t.attribution.as_ref().map(|a| a.to_string()),
                derivative_naming: t.derivative_naming.as_ref().map(|d| d.to_string()),
                acceptable_use_policy: t.acceptable_use_policy.as_ref().map(|u| u.to_string()),
                user_threshold: t.user_threshold.as_ref().map(|u| u.value),
            }),
            models,
            model_count,
            models_list: format!("/api/models?license={}", license.id.as_str()),
            record: self.provenance(&license.record_claim()),
        }
    }
}
