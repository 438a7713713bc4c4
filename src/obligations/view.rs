//! The JSON shapes of obligations and findings (the API's, the CLI's `--format
//! json`, and what the pages render), built from [`Inherited`] and [`Finding`].

use serde::Serialize;
use utoipa::ToSchema;

use super::findings::Finding;
use super::{Inherited, Obligations};
use crate::lineage::render::Views;
use crate::model::{
    Bearing, Clause, ClauseKind, Confidence, License, OutputsUse, Relation, Trigger, words,
};
use crate::view::{EdgeView, NodeKind};

/// Whether an obligation or finding rests only on confirmed claims.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    ToSchema,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Certainty {
    /// Every claim it rests on is confirmed.
    Certain,
    /// Some claim it rests on is reported, rumored or disputed, or a family stands
    /// in for a checkpoint that is not known.
    Possible,
}

words!(Certainty);

/// A licence, named.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct LicenseName {
    pub id: String,
    pub name: String,
    pub spdx: String,
}

impl LicenseName {
    pub fn of(license: &License) -> LicenseName {
        LicenseName {
            id: license.id.to_string(),
            name: license.name.to_string(),
            spdx: license.spdx.to_string(),
        }
    }
}

/// A clause as quoted: what it is, where it is, what it reaches.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ClauseView {
    /// Its number in the licence's list, from 1 (`#clause-1` on the licence page
    /// and in the RDF).
    pub number: usize,
    pub kind: ClauseKind,
    pub bearing: Bearing,
    pub trigger: Trigger,
    pub section: String,
    /// The licence's own words.
    pub quote: String,
    /// Where the quote is: the clause's own URL (a policy page) or the licence's.
    pub url: String,
    /// The source record of the quoted text, when the clause names one.
    pub source: Option<String>,
    pub reaches: Vec<Relation>,
    pub prefix: Option<String>,
    pub text: Vec<String>,
    pub policy: Option<String>,
    pub threshold: Option<u64>,
    pub measured_at_release: Option<bool>,
    pub outputs: Option<OutputsUse>,
    pub territory: Option<String>,
}

impl ClauseView {
    pub fn of(license: &License, number: usize, clause: &Clause) -> ClauseView {
        ClauseView {
            number,
            kind: clause.kind.value,
            bearing: clause.bearing(),
            trigger: clause.trigger.value,
            section: clause.section.to_string(),
            quote: clause.quote.to_string(),
            url: clause
                .url
                .as_ref()
                .map_or_else(|| license.url.to_string(), |u| u.to_string()),
            source: clause.source.as_ref().map(|s| s.to_string()),
            reaches: clause.reaches.iter().map(|r| r.value).collect(),
            prefix: clause.prefix.as_ref().map(|p| p.to_string()),
            text: clause.text.iter().map(|t| t.to_string()).collect(),
            policy: clause.policy.as_ref().map(|p| p.to_string()),
            threshold: clause.threshold.as_ref().map(|t| t.value),
            measured_at_release: clause.measured_at_release.as_ref().map(|m| m.value),
            outputs: clause.outputs.as_ref().map(|o| o.value),
            territory: clause.territory.as_ref().map(|t| t.to_string()),
        }
    }

    /// What the clause asks, in a few words ("Names must begin with “Llama”"): the
    /// one wording the CLI's text and the pages show.
    pub fn summary(&self) -> String {
        let quoted = |texts: &[String]| {
            texts
                .iter()
                .map(|t| format!("“{t}”"))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        if let Some(prefix) = &self.prefix {
            return format!("Names must begin with “{prefix}”");
        }
        match self.kind {
            ClauseKind::Attribution if !self.text.is_empty() => {
                return format!("Show {}", quoted(&self.text));
            }
            ClauseKind::NoticeFile if !self.text.is_empty() => {
                return format!("Include the notice {}", quoted(&self.text));
            }
            _ => {}
        }
        if self.policy.is_some() {
            return "Follow the acceptable-use policy".to_owned();
        }
        if let Some(users) = self.threshold {
            let at_release = if self.measured_at_release == Some(true) {
                " (counted on the version's release date)"
            } else {
                ""
            };
            return format!(
                "Above {} monthly active users, ask for a licence{at_release}",
                crate::numbers::as_read(users)
            );
        }
        if let Some(outputs) = self.outputs {
            return format!(
                "Training other models on outputs: {}",
                outputs.as_str().replace('_', " ")
            );
        }
        if let Some(territory) = &self.territory {
            return format!("Rights withheld in {territory}");
        }
        let words = self.kind.as_str().replace('_', " ");
        let mut chars = words.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }

    /// Every clause of a licence.
    pub fn all(license: &License) -> Vec<ClauseView> {
        license
            .clauses
            .iter()
            .enumerate()
            .map(|(i, c)| ClauseView::of(license, i + 1, c))
            .collect()
    }
}

/// A model or dataset an obligation comes from.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Holder {
    pub id: String,
    pub name: String,
    pub kind: NodeKind,
}

/// One clause that binds a model, and how it got there.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ObligationView {
    pub bearing: Bearing,
    pub license: LicenseName,
    pub clause: ClauseView,
    /// Whose licence it is: the model itself, an ancestor, or a family.
    pub from: Holder,
    /// When `from` is a family whose checkpoint is not known: the member whose
    /// licence this is.
    pub member: Option<Holder>,
    /// True for the model's own licences (an empty chain).
    pub own: bool,
    /// The claims from the model up to `from`, nearest first, each with its
    /// relation, confidence and sources.
    pub chain: Vec<EdgeView>,
    pub certainty: Certainty,
    /// The weakest confidence of everything it rests on (the chain's claims and the
    /// licence claim).
    pub confidence: Confidence,
    /// The confidence of the licence claim at `from` (or `member`).
    pub license_confidence: Confidence,
}

/// A compliance finding.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct FindingView {
    /// `C101` …
    pub code: String,
    /// `license-drift` …
    pub name: String,
    pub severity: String,
    pub model: Holder,
    /// The model's developer (organisation id).
    pub developer: String,
    /// What the finding says, in one sentence.
    pub message: String,
    /// The obligation it is about: licence, clause, chain, certainty.
    pub obligation: ObligationView,
}

/// Everything that binds one model, and its findings.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ObligationsView {
    pub model: Holder,
    /// The licences the model declares now.
    pub declared: Vec<LicenseName>,
    /// What you must do, may not do and may do if you ship it: own licences first,
    /// then inherited ones, each once.
    pub obligations: Vec<ObligationView>,
    pub findings: Vec<FindingView>,
}

impl Obligations<'_> {
    fn holder(&self, node: crate::lineage::ModelNode) -> Holder {
        let entity = self.index.entity(self.dataset, node);
        Holder {
            id: entity.id().to_string(),
            name: entity.name().to_owned(),
            kind: entity.kind(),
        }
    }

    pub fn obligation_view(&self, inherited: &Inherited) -> ObligationView {
        let views = Views {
            index: self.index,
            dataset: self.dataset,
        };
        let license = self.license(inherited);
        let clause = self.clause(inherited);
        ObligationView {
            bearing: clause.bearing(),
            license: LicenseName::of(license),
            clause: ClauseView::of(license, inherited.clause as usize + 1, clause),
            from: self.holder(inherited.ancestor),
            member: inherited.member.map(|m| self.holder(m)),
            own: inherited.own(),
            chain: inherited.chain.iter().map(|&e| views.edge(e)).collect(),
            certainty: if inherited.certain() {
                Certainty::Certain
            } else {
                Certainty::Possible
            },
            confidence: inherited.weakest,
            license_confidence: inherited.license_confidence,
        }
    }

    pub fn finding_view(&self, finding: &Finding) -> FindingView {
        let model = &self.dataset.models[finding.model as usize];

        FindingView {
            code: finding.code.as_str().to_owned(),
            name: finding.code.name().to_owned(),
            severity: "warning".to_owned(),
            model: self.holder(self.index.model_node(finding.model as usize)),
            developer: model.developer.to_string(),
            message: self.message(finding),
            obligation: self.obligation_view(&finding.inherited),
        }
    }

    /// The whole answer for one model: own clauses first, then inherited ones.
    pub fn view(&self, position: usize) -> ObligationsView {
        let node = self.index.model_node(position);
        let model = &self.dataset.models[position];
        let mut binding = self.of(node);
        let findings = self.findings_of(position, &binding);
        binding.sort_by_key(|i| (!i.own(), i.chain.len(), i.license, i.clause));
        ObligationsView {
            model: self.holder(node),
            declared: self
                .declared(model)
                .into_iter()
                .map(|l| LicenseName::of(&self.dataset.licenses[l as usize]))
                .collect(),
            obligations: binding.iter().map(|i| self.obligation_view(i)).collect(),
            findings: findings.iter().map(|f| self.finding_view(f)).collect(),
        }
    }
}
