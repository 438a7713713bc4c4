//! Compliance findings: where a model's recorded facts disagree with what its
//! lineage's licences ask (licence drift, an unmet naming rule, a restricted use
//! contradicted by how it is offered, an outputs clause a distillation may breach).
//! They are findings about the world, never errors in the data: every code is a
//! warning, rendered by the one diagnostics renderer.

use crate::diagnostics::{Code, Diagnostic, FileId};
use crate::lineage::ClaimEdge;
use crate::model::{AccessLevel, ClauseKind, Model, OutputsUse, Relation, ReleaseStatus, Span};

use super::{Inherited, Obligations, covers};

/// One finding about one model.
#[derive(Clone, Debug)]
pub struct Finding {
    pub code: Code,
    /// Position of the model in `dataset.models`.
    pub model: u32,
    /// The clause the finding is about, and how it reached the model.
    pub inherited: Inherited,
}

/// The codes of findings, in the order they are computed and listed.
pub const CODES: [Code; 4] = [
    Code::LicenseDrift,
    Code::NamingRequirementUnmet,
    Code::RestrictedUseContradicted,
    Code::OutputsClause,
];

impl Obligations<'_> {
    /// The findings about the model at `position`, given what binds it.
    pub fn findings_of(&self, position: usize, binding: &[Inherited]) -> Vec<Finding> {
        let model = &self.dataset.models[position];
        let mut out = Vec::new();
        let mut add = |code, inherited: &Inherited| {
            out.push(Finding {
                code,
                model: position as u32,
                inherited: inherited.clone(),
            })
        };
        let declared: Vec<u32> = self.declared(model);
        let declared_forbid_commerce = declared
            .iter()
            .any(|&l| self.dataset.licenses[l as usize].forbids_commercial_use() == Some(true));
        let mut drifted: Vec<u32> = Vec::new();
        let owner = self.owner(self.index.model_node(position));
        // A licensor does not owe itself: clauses of a licence held by a model of the
        // model's own owner raise no finding (Meta's naming of its own Llama 3).
        let foreign_holder = |i: &Inherited| self.owner(i.member.unwrap_or(i.ancestor)) != owner;
        for inherited in binding.iter().filter(|i| !i.own() && foreign_holder(i)) {
            let license = self.license(inherited);
            let clause = self.clause(inherited);
            let kind = clause.kind.value;
            let foreign = !declared.is_empty() && !declared.contains(&inherited.license);
            let travels = matches!(
                kind,
                ClauseKind::LicenseCopy | ClauseKind::PassDown | ClauseKind::ShareAlike
            ) && !license.clauses.iter().any(|c| {
                c.kind.value == ClauseKind::Relicensing && covers(self.index, c, &inherited.chain)
            });
            let no_commerce = matches!(kind, ClauseKind::NonCommercial | ClauseKind::ResearchOnly);
            if foreign
                && (travels || (no_commerce && !declared_forbid_commerce))
                && !drifted.contains(&inherited.license)
            {
                drifted.push(inherited.license);
                add(Code::LicenseDrift, inherited);
            }
            match kind {
                ClauseKind::DerivativeNaming if distributed(model) => {
                    let prefix = clause.prefix.as_deref().map_or("", String::as_str);
                    if !starts_with_words(&model.name, prefix) {
                        add(Code::NamingRequirementUnmet, inherited);
                    }
                }
                ClauseKind::NonCommercial | ClauseKind::ResearchOnly
                    if model
                        .current_access()
                        .any(|a| a.level.value == AccessLevel::Closed) =>
                {
                    add(Code::RestrictedUseContradicted, inherited);
                }
                ClauseKind::OutputsUse
                    if clause.outputs.as_ref().map(|o| o.value) == Some(OutputsUse::Forbidden)
                        && self.through_outputs(&inherited.chain) =>
                {
                    add(Code::OutputsClause, inherited);
                }
                _ => {}
            }
        }
        out
    }

    /// Every finding about every model, in model order (two threads: the walks are
    /// independent and the knowledge base is read-only).
    pub fn all_findings(&self) -> Vec<Finding> {
        let models = self.dataset.models.len();
        let run = |range: std::ops::Range<usize>| {
            let mut out = Vec::new();
            for position in range {
                let node = self.index.model_node(position);
                let binding = self.of(node);
                out.extend(self.findings_of(position, &binding));
            }
            out
        };
        let half = models / 2;
        let (mut first, second) = std::thread::scope(|s| {
            let second = s.spawn(|| run(half..models));
            (
                run(0..half),
                second.join().expect("a findings walk panicked"),
            )
        });
        first.extend(second);
        first
    }

    /// Every finding as a diagnostic, `model_files` giving each model's file.
    pub fn diagnostics(&self, model_files: &[FileId]) -> Vec<Diagnostic> {
        self.all_findings()
            .iter()
            .map(|f| self.diagnostic(f, model_files[f.model as usize]))
            .collect()
    }

    /// The positions of the licences the model declares now.
    pub fn declared(&self, model: &Model) -> Vec<u32> {
        model
            .current_licenses()
            .filter_map(|c| super::license_position(self.dataset, &c.license))
            .collect()
    }

    /// Whether a chain takes a model's outputs: a distillation, a training on
    /// outputs, or a dataset the ancestor generated.
    fn through_outputs(&self, chain: &[ClaimEdge]) -> bool {
        chain.iter().any(|&e| {
            matches!(
                self.index.edge_data(e).relation,
                Relation::Distillation | Relation::TrainedOnOutputs | Relation::GeneratedBy
            )
        })
    }

    /// The diagnostic of a finding: at the model's value it is about, with the chain,
    /// the clause quoted and how sure it is.
    pub fn diagnostic(&self, finding: &Finding, file: FileId) -> Diagnostic {
        let model = &self.dataset.models[finding.model as usize];
        let inherited = &finding.inherited;
        let license = self.license(inherited);
        let clause = self.clause(inherited);
        let (span, label, message) = self.described(finding);
        let sureness = if inherited.certain() {
            "certain: every claim it rests on is confirmed".to_owned()
        } else {
            format!(
                "possible: it rests on a {} claim{}",
                inherited.weakest,
                if inherited.member.is_some() {
                    " and on a family whose checkpoint is not known"
                } else {
                    ""
                }
            )
        };
        Diagnostic::at(finding.code, file, span, message)
            .label(label)
            .hint(format!(
                "{} {}: “{}” ({sureness}; `pedigree obligations {}` shows the chain)",
                license.name.as_str(),
                clause.section.as_str(),
                clause.quote.as_str(),
                model.id.as_str(),
            ))
    }

    /// What a finding says, in one sentence: the one wording of the diagnostic, the
    /// API and the pages.
    pub fn message(&self, finding: &Finding) -> String {
        self.described(finding).2
    }

    /// The model's value a finding is about (where its diagnostic points), that
    /// value's label, and the finding's sentence.
    fn described(&self, finding: &Finding) -> (Span, String, String) {
        let model = &self.dataset.models[finding.model as usize];
        let inherited = &finding.inherited;
        let license = self.license(inherited);
        let clause = self.clause(inherited);
        match finding.code {
            Code::LicenseDrift => (
                model
                    .current_licenses()
                    .next()
                    .map_or(model.id.span, |c| c.license.span),
                "declared licence".to_owned(),
                format!(
                    "`{}` declares {} but inherits the {} ({}) from {}",
                    model.id.as_str(),
                    self.declared(model)
                        .iter()
                        .map(|&l| self.dataset.licenses[l as usize].id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    license.name.as_str(),
                    clause.kind.value,
                    self.origin(inherited),
                ),
            ),
            Code::NamingRequirementUnmet => (
                model.name.span,
                format!(
                    "does not begin with “{}”",
                    clause.prefix.as_deref().map_or("", String::as_str)
                ),
                format!(
                    "`{}` is named “{}”, but the {} asks derivatives of {} to begin with “{}”",
                    model.id.as_str(),
                    model.name.as_str(),
                    license.name.as_str(),
                    self.origin(inherited),
                    clause.prefix.as_deref().map_or("", String::as_str),
                ),
            ),
            Code::RestrictedUseContradicted => (
                model
                    .current_access()
                    .find(|a| a.level.value == AccessLevel::Closed)
                    .map_or(model.id.span, |a| a.level.span),
                "offered as a product".to_owned(),
                format!(
                    "`{}` is offered closed (through products or an API), but inherits the {} clause of the {} from {}",
                    model.id.as_str(),
                    clause.kind.value,
                    license.name.as_str(),
                    self.origin(inherited),
                ),
            ),
            _ => (
                self.first_claim_span(model, inherited.chain.first().copied())
                    .unwrap_or(model.id.span),
                "trained on outputs".to_owned(),
                format!(
                    "`{}` takes outputs of {}, whose {} forbids using outputs to improve other models",
                    model.id.as_str(),
                    self.origin(inherited),
                    license.name.as_str(),
                ),
            ),
        }
    }

    /// "llama-3.1-8b (finetune)": the ancestor and the chain's relations.
    pub fn origin(&self, inherited: &Inherited) -> String {
        let relations: Vec<String> = inherited
            .chain
            .iter()
            .map(|&e| self.index.edge_data(e).relation.to_string())
            .collect();
        let ancestor = self.index.id(self.dataset, inherited.ancestor);
        let member = inherited
            .member
            .map(|m| format!(", whose member {} holds it", self.index.id(self.dataset, m)))
            .unwrap_or_default();
        format!("{ancestor} ({}{member})", relations.join(" → "))
    }

    /// The span of the model's own claim that starts a chain.
    fn first_claim_span(&self, model: &Model, edge: Option<ClaimEdge>) -> Option<Span> {
        let data = self.index.edge_data(edge?);
        match data.relation {
            Relation::TrainedOn => model
                .trained_on
                .get(data.claim as usize)
                .map(|t| t.dataset.span),
            _ => model.lineage.get(data.claim as usize).map(|l| l.base.span),
        }
    }
}

/// Whether a model is distributed or made available: released, or offered in some
/// form now.
fn distributed(model: &Model) -> bool {
    model
        .release
        .as_ref()
        .is_some_and(|r| r.status.value == ReleaseStatus::Released)
        || model.current_access().any(|a| {
            matches!(
                a.level.value,
                AccessLevel::OpenWeights | AccessLevel::Closed
            )
        })
}

/// Whether `name` begins with `prefix` as a word: case aside, and followed by the
/// end, a space, a hyphen or a digit ("Llama-3.1-Nemotron", "Llama3 8B").
pub fn starts_with_words(name: &str, prefix: &str) -> bool {
    let name = name.trim_start();
    let Some(head) = name.get(..prefix.len()) else {
        return false;
    };
    head.eq_ignore_ascii_case(prefix)
        && name[prefix.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphabetic())
}
