//! Licence records (`graph-data/licenses/`) and the terms that matter for lineage.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Id, Spanned};

/// The terms of a licence that matter for lineage; absent fields are not settled.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LicenseTerms {
    /// Whether commercial use is permitted (possibly under the conditions below).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commercial_use: Option<Spanned<bool>>,
    /// Text that must be displayed (`Built with Llama`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Spanned<String>>,
    /// Naming rule for derivatives (a required `Llama` prefix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derivative_naming: Option<Spanned<String>>,
    /// URL of the acceptable-use policy the licence incorporates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptable_use_policy: Option<Spanned<String>>,
    /// Monthly active users above which a separate licence must be requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_threshold: Option<Spanned<u64>>,
}

record! {
    /// A licence (`graph-data/licenses/`).
    pub struct License {
        pub id: Spanned<Id>,
        /// The licence's own name.
        pub name: Spanned<String>,
        /// SPDX licence id (`Apache-2.0`) or `LicenseRef-` and a name.
        pub spdx: Spanned<String>,
        /// Where the licence text is.
        pub url: Spanned<String>,
        /// Whether the Open Source Initiative approved it; must agree with the SPDX list.
        pub osi_approved: Spanned<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub terms: Option<Spanned<LicenseTerms>>,
    }
}
