//! Cards to records: each card becomes a model record citing a source record for the
//! card, linked to the curated graph by Hugging Face ids; bases outside the import
//! become stubs; disagreements with curated records are reported, never written.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::card::{Card, OneOrMany, Origin, find};
use super::ids::{name_id, repo_id};
use super::plan::{Indexed, Plan};
use super::rules::{self, Found, HUB_LICENSES, KNOWN_LICENSE_NAMES};
use crate::dataset::Dataset;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{
    Confidence, DatasetRecord, DateValue, ExternalIds, Id, License, LicenseClaim, LineageEdge,
    Model, Organization, Source, SourceKind, Span, Spanned, TrainedOn,
};

fn sp<T>(value: T) -> Spanned<T> {
    Spanned::new(value, Span::default())
}

fn sources(ids: impl IntoIterator<Item = Id>) -> Option<Spanned<Box<[Spanned<Id>]>>> {
    Some(sp(ids.into_iter().map(sp).collect()))
}

/// A record's external ids when it is known by its Hugging Face id alone.
fn hub_ids(hub_id: &str) -> Option<Spanned<ExternalIds>> {
    Some(sp(ExternalIds {
        huggingface: Some(sp(hub_id.to_owned())),
        wikidata: None,
    }))
}

/// A model record of a Hub repo with no claims yet: named after the repo, its
/// developer the repo's owner, its own facts resting on `cited`.
fn hub_model(
    id: Id,
    repo: &str,
    developer: Id,
    cited: impl IntoIterator<Item = Id>,
    confidence: Confidence,
    note: String,
) -> Model {
    Model {
        id: sp(id),
        name: sp(repo.rsplit('/').next().unwrap_or(repo).to_owned()),
        aliases: Box::new([sp(repo.to_owned())]),
        kind: None,
        family: None,
        developer: sp(developer),
        description: None,
        parameters: None,
        modality: None,
        homepage: None,
        external_ids: hub_ids(repo).map(Box::new),
        release: None,
        access: Box::default(),
        licenses: Box::default(),
        lineage: Box::default(),
        trained_on: Box::default(),
        sources: sources(cited),
        confidence: Some(sp(confidence)),
        note: Some(note),
    }
}

/// Which card a record shared by many cards (an organisation, a licence, a dataset)
/// is taken from: the first card in import order (owner, then name), a stub's citing
/// cards after every card. Kept with the record so the result does not depend on the
/// order the cards are mapped in.
pub type Rank = (u8, String, String);

/// The rank of a card.
pub fn card_rank(card: &Card) -> Rank {
    (0, card.owner().to_owned(), card.name().to_owned())
}

/// The records many cards may name, each with the rank of the card it was taken from
/// (ordered by id, so the files come out the same on every run).
#[derive(Debug, Default)]
pub struct Shared {
    pub organizations: BTreeMap<Id, (Rank, Organization)>,
    pub licenses: BTreeMap<Id, (Rank, License)>,
    pub datasets: BTreeMap<Id, (Rank, DatasetRecord)>,
}

/// Keeps the record of `id` made for the first-ranked card that names it.
fn offer<T>(records: &mut BTreeMap<Id, (Rank, T)>, id: &Id, rank: &Rank, make: impl FnOnce() -> T) {
    if records.get(id).is_none_or(|(held, _)| rank < held) {
        records.insert(id.clone(), (rank.clone(), make()));
    }
}

/// The curated graph, as the import looks things up in it: by Hugging Face id (any
/// case, as the Hub resolves them) and by SPDX id.
struct Curated<'d> {
    models: HashMap<String, &'d Id>,
    organizations: HashMap<String, &'d Id>,
    datasets: HashMap<String, &'d Id>,
    spdx: HashMap<String, &'d Id>,
    dataset: &'d Dataset,
}

impl<'d> Curated<'d> {
    fn new(dataset: &'d Dataset) -> Curated<'d> {
        let hf = |ids: Option<&'d Spanned<ExternalIds>>| {
            ids.and_then(|ids| ids.huggingface.as_ref())
                .map(|hf| hf.to_lowercase())
        };
        // A model is found by its Hugging Face id and, under the same owner, by each of
        // its aliases: the Hub renames repos and redirects the old names, which cards
        // keep using (`meta-llama/Meta-Llama-3.1-8B-Instruct`).
        let mut models: HashMap<String, &'d Id> = HashMap::new();
        for model in &dataset.models {
            let Some(repo) = hf(model.external_ids.as_deref()) else {
                continue;
            };
            if let Some((owner, _)) = repo.split_once('/') {
                for alias in &model.aliases {
                    let alias = alias.to_lowercase();
                    let name = alias.rsplit('/').next().unwrap_or(&alias).replace(' ', "-");
                    models
                        .entry(format!("{owner}/{name}"))
                        .or_insert(&model.id.value);
                }
            }
            models.insert(repo, &model.id.value);
        }
        Curated {
            models,
            organizations: dataset
                .organizations
                .iter()
                .filter_map(|o| Some((hf(o.external_ids.as_ref())?, &o.id.value)))
                .collect(),
            datasets: dataset
                .datasets
                .iter()
                .filter_map(|d| Some((hf(d.external_ids.as_ref())?, &d.id.value)))
                .collect(),
            spdx: dataset
                .licenses
                .iter()
                .map(|l| (l.spdx.to_lowercase(), &l.id.value))
                .collect(),
            dataset,
        }
    }
}

/// Maps cards one at a time against the curated graph, gathering the records many
/// cards share; the models and card sources it returns are the caller's to write.
pub struct Mapper<'d> {
    curated: Curated<'d>,
    pub shared: Shared,
    /// Cards of curated models (linked, never written).
    pub curated_cards: usize,
    pub stubs: usize,
}

impl std::fmt::Debug for Mapper<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mapper")
            .field("curated_cards", &self.curated_cards)
            .field("stubs", &self.stubs)
            .finish_non_exhaustive()
    }
}

impl<'d> Mapper<'d> {
    pub fn new(dataset: &'d Dataset) -> Mapper<'d> {
        Mapper {
            curated: Curated::new(dataset),
            shared: Shared::default(),
            curated_cards: 0,
            stubs: 0,
        }
    }

    /// Whether a repo id (lowercased) is a curated model's.
    pub fn is_curated(&self, lower_repo: &str) -> bool {
        self.curated.models.contains_key(lower_repo)
    }

    /// The first pass's view of a card: its repo id and the bases it names (the
    /// problems with them are reported when the card is mapped).
    pub fn index(&self, card: &Card, text: &str) -> Indexed {
        Indexed {
            repo: card.repo.clone(),
            bases: bases(card, text, &mut Vec::new()),
        }
    }

    /// Maps one card: its model record and its card's source record, or nothing for a
    /// card of a curated model (checked against it for conflicts instead).
    pub fn card(
        &mut self,
        card: &Card,
        text: &str,
        plan: &Plan,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<(Model, Source)> {
        let bases = bases(card, text, diagnostics);
        if let Some(&curated_id) = self.curated.models.get(&card.repo.to_lowercase()) {
            self.curated_cards += 1;
            conflicts(&self.curated, curated_id, card, text, &bases, diagnostics);
            return None;
        }
        let rank = card_rank(card);
        let id = repo_id("hf", &card.repo);
        let source = card_source(card);
        let source_id = source.id.value.clone();
        let developer = organization(
            &self.curated,
            card.owner(),
            &source_id,
            &rank,
            &mut self.shared,
        );
        let (relation, found) = rules::relation(card, bases.len());
        let mut lineage = Vec::new();
        for base in &bases {
            let base_id = match (
                self.curated.models.get(&base.to_lowercase()),
                plan.imported.get(&base.to_lowercase()),
            ) {
                (Some(&curated), _) => curated.clone(),
                (None, Some(imported)) => imported.clone(),
                (None, None) => repo_id("hf", base),
            };
            let note = match (found, card.origin) {
                (Found::Inferred(rule), Origin::HubTags) => format!(
                    "The Hub's `base_model:` tags name `{base}` (the card data names no base); relation inferred by the rule \"{rule}\"."
                ),
                (Found::Stated, _) => format!(
                    "`base_model: {base}`, `base_model_relation: {}` in the card (stated).",
                    relation.as_str()
                ),
                (Found::Inferred(rule), _) => format!(
                    "`base_model: {base}` in the card; relation inferred by the rule \"{rule}\"."
                ),
            };
            lineage.push(sp(LineageEdge {
                base: sp(base_id),
                relation: sp(relation),
                sources: sources([source_id.clone()]),
                confidence: Some(sp(rules::confidence(card, Some(base), found))),
                from: None,
                until: None,
                note: Some(note),
            }));
        }
        let licenses = license(
            &self.curated,
            card,
            text,
            &source_id,
            &rank,
            &mut self.shared,
            diagnostics,
        );
        let trained_on = datasets(&self.curated, card, &source_id, &rank, &mut self.shared);
        // The card is the uploader's own statement of its repo's name and owner.
        let note = format!("Imported from the Hugging Face card of {}.", card.repo);
        let mut model = hub_model(
            id.clone(),
            &card.repo,
            developer,
            [source_id],
            Confidence::Confirmed,
            note,
        );
        if plan.in_cycle.contains(&id) {
            lineage.retain(|e| !plan.in_cycle.contains(&e.base.value));
            diagnostics.push(
                Diagnostic::at(Code::CardCycle, card.file, Span::default(), format!("{} is part of a cycle of imported cards naming each other as bases", card.repo))
                    .label("in a cycle")
                    .hint("the lineage claims inside the cycle are skipped; one of the cards names the wrong base"),
            );
        }
        model.licenses = licenses.into();
        model.lineage = lineage.into();
        model.trained_on = trained_on.into();
        Some((model, source))
    }

    /// The stub record of a base that was neither imported nor curated, citing the
    /// cards that name it.
    pub fn stub(&mut self, repo: &str, cited_by: &BTreeSet<Id>) -> Model {
        let id = repo_id("hf", repo);
        let owner = repo.split('/').next().unwrap_or(repo).to_owned();
        let first = cited_by.iter().next().cloned().expect("a stub is cited");
        let rank = (1, repo.to_owned(), String::new());
        let developer = organization(&self.curated, &owner, &first, &rank, &mut self.shared);
        self.stubs += 1;
        let note = format!(
            "Stub: {repo} is named as a base by the cards cited, and was not imported itself; importing it fills this record."
        );
        hub_model(
            id,
            repo,
            developer,
            cited_by.iter().cloned(),
            Confidence::Reported,
            note,
        )
    }
}

/// The card's `base_model` entries that are Hub repo ids, in order, once each; every
/// other entry (a path, a URL, a duplicate, the card's own repo, an empty list) is
/// reported with the line it sits on, and skipped.
fn bases(card: &Card, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<String> {
    let Some(field) = card.data.base_model.clone() else {
        return Vec::new();
    };
    let key = find(text, 0, "base_model:");
    let report = |diagnostics: &mut Vec<Diagnostic>, span: Span, message: String, label: &str| {
        diagnostics.push(
            Diagnostic::at(Code::CardBaseModel, card.file, span, message)
                .label(label.to_owned())
                .hint("the entry is skipped; the card's other fields are imported"),
        );
    };
    let entries = field.clone().into_vec();
    if matches!(field, OneOrMany::Many(ref list) if list.is_empty()) {
        report(
            diagnostics,
            key,
            format!("`{}` lists no base model", card.repo),
            "empty list",
        );
    }
    let mut kept: Vec<String> = Vec::new();
    // Each entry is looked for after the previous one, so a repeated entry points at
    // its second line.
    let mut cursor = key.start as usize;
    for entry in entries {
        let at = find(text, cursor, entry.trim());
        cursor = at.end as usize;
        let entry = entry.trim().to_owned();
        if let Some(problem) = rules::repo_problem(&entry) {
            report(
                diagnostics,
                at,
                format!("`{entry}` is {problem}"),
                "not a Hub repo id",
            );
        } else if entry.eq_ignore_ascii_case(&card.repo) {
            report(
                diagnostics,
                at,
                format!("`{}` names itself as its base", card.repo),
                "its own repo",
            );
        } else if kept.iter().any(|k| k.eq_ignore_ascii_case(&entry)) {
            report(
                diagnostics,
                at,
                format!("`{entry}` is listed twice"),
                "again",
            );
        } else {
            kept.push(entry);
        }
    }
    kept
}

/// The source record of a card: the uploader's model card, pinned to the revision
/// read when it is known.
fn card_source(card: &Card) -> Source {
    let url = match &card.sha {
        Some(sha) => format!("https://huggingface.co/{}/blob/{sha}/README.md", card.repo),
        None => format!("https://huggingface.co/{}", card.repo),
    };
    let id = repo_id("hf-card", &card.repo);
    Source {
        id: sp(id),
        title: sp(format!("{} (model card)", card.repo)),
        publisher: sp(format!("Hugging Face (model card by {})", card.owner())),
        url: sp(url),
        published: sp(DateValue::Valid(card.day)),
        language: sp("en".to_owned()),
        kind: sp(SourceKind::ModelCard),
        authors: Box::default(),
        cites: Box::default(),
        relays: Box::default(),
        archived_url: None,
        note: Some(match (&card.sha, card.origin) {
            (Some(sha), Origin::Disk) => format!("Read at revision {sha}; `published` is the day it was read at that revision."),
            (None, Origin::Disk) => "Read from a card on disk without its revision; `published` is the day the file was written.".to_owned(),
            (Some(sha), _) => format!("Card data read from the Hub API at revision {sha}; `published` is the day of that revision, the repo's last commit (`lastModified`, in UTC)."),
            (None, _) => "Card data read from the Hub API, which gave no revision; `published` is the day of the repo's last commit (`lastModified`, in UTC).".to_owned(),
        }),
    }
}

/// The developer of a Hub repo: the curated organisation whose Hugging Face id is the
/// owner, else an imported organisation known by its Hub name alone.
fn organization(
    curated: &Curated<'_>,
    owner: &str,
    source: &Id,
    rank: &Rank,
    shared: &mut Shared,
) -> Id {
    if let Some(&id) = curated.organizations.get(&owner.to_lowercase()) {
        return id.clone();
    }
    let id = name_id("hf-org", owner);
    offer(&mut shared.organizations, &id, rank, || Organization {
        id: sp(id.clone()),
        name: sp(owner.to_owned()),
        aliases: Box::default(),
        kind: None,
        description: None,
        country: None,
        website: None,
        tickers: Box::default(),
        external_ids: hub_ids(owner),
        parents: Box::default(),
        sources: sources([source.clone()]),
        confidence: Some(sp(Confidence::Confirmed)),
        note: Some(format!(
            "The owner `{owner}` on the Hugging Face Hub, as a card names it; what sort of organisation it is, no source says."
        )),
    });
    id
}

/// The card's licence as a claim: an SPDX id to its record, a Hub licence id to the
/// curated record it names, `other` with a `license_name` to a `LicenseRef-` record
/// (one per name).
fn license(
    curated: &Curated<'_>,
    card: &Card,
    text: &str,
    source: &Id,
    rank: &Rank,
    shared: &mut Shared,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Spanned<LicenseClaim>> {
    let Some(word) = card
        .data
        .license
        .as_deref()
        .map(str::trim)
        .map(str::to_lowercase)
    else {
        return Vec::new();
    };
    let known = |id: &str| curated.dataset.license(id).map(|l| l.id.value.clone());
    let target = if word == "other" {
        match card
            .data
            .license_name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            Some(name) => {
                let lower = name.to_lowercase();
                KNOWN_LICENSE_NAMES
                    .iter()
                    .find(|(n, _)| *n == lower)
                    .and_then(|(_, id)| known(id))
                    .or_else(|| Some(license_ref(card, name, source, rank, shared)))
            }
            None => None,
        }
    } else if let Some(&id) = curated.spdx.get(&word) {
        Some(id.clone())
    } else if let Some((_, id)) = HUB_LICENSES.iter().find(|(hub, _)| *hub == word) {
        known(id)
    } else {
        spdx::license_id(&word)
            .or_else(|| spdx::imprecise_license_id(&word).map(|(l, _)| l))
            .map(|found| spdx_license(found, source, rank, shared))
    };
    let Some(target) = target else {
        diagnostics.push(
            Diagnostic::at(Code::CardLicense, card.file, find(text, 0, "license:"), format!("the licence `{word}` is not one Pedigree can name"))
                .label("no licence record")
                .hint("an SPDX id, a Hub licence id (`llama3.1`, `gemma`) or `other` with `license_name` is imported"),
        );
        return Vec::new();
    };
    vec![sp(LicenseClaim {
        license: sp(target),
        sources: sources([source.clone()]),
        // The uploader states the licence of its own repo.
        confidence: Some(sp(Confidence::Confirmed)),
        from: None,
        until: None,
        note: Some(format!("`license: {word}` in the card.")),
    })]
}

/// A licence on the SPDX list that no curated record carries.
fn spdx_license(found: spdx::LicenseId, source: &Id, rank: &Rank, shared: &mut Shared) -> Id {
    let id = name_id("hf-license", found.name);
    offer(&mut shared.licenses, &id, rank, || {
        License {
        id: sp(id.clone()),
        name: sp(found.full_name.to_owned()),
        spdx: sp(found.name.to_owned()),
        url: sp(format!("https://spdx.org/licenses/{}.html", found.name)),
        osi_approved: sp(found.is_osi_approved()),
        clauses: Box::default(),
        sources: sources([source.clone()]),
        confidence: Some(sp(Confidence::Confirmed)),
        note: Some("Named by SPDX id in a card; name and OSI approval as the SPDX License List gives them.".to_owned()),
    }
    });
    id
}

/// A licence known only by a card's `license_name`: one record per name, its text at
/// the card's `license_link`.
fn license_ref(card: &Card, name: &str, source: &Id, rank: &Rank, shared: &mut Shared) -> Id {
    let id = name_id("hf-license", name);
    let spdx_name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let link = card
        .data
        .license_link
        .as_deref()
        .map(str::trim)
        .unwrap_or("LICENSE");
    let url = if link.starts_with("https://") || link.starts_with("http://") {
        link.to_owned()
    } else {
        format!(
            "https://huggingface.co/{}/blob/main/{}",
            card.repo,
            link.trim_start_matches('/')
        )
    };
    offer(&mut shared.licenses, &id, rank, || License {
        id: sp(id.clone()),
        name: sp(name.to_owned()),
        spdx: sp(format!("LicenseRef-{}", spdx_name.trim_matches('-'))),
        url: sp(url),
        osi_approved: sp(false),
        clauses: Box::default(),
        sources: sources([source.clone()]),
        confidence: Some(sp(Confidence::Reported)),
        note: Some(format!(
            "`license: other`, `license_name: {name}` in the card of {}; its terms are not read.",
            card.repo
        )),
    });
    id
}

/// The card's `datasets:` as training claims, to the curated dataset of each Hub
/// dataset id or to a stub. The card does not say the stage.
fn datasets(
    curated: &Curated<'_>,
    card: &Card,
    source: &Id,
    rank: &Rank,
    shared: &mut Shared,
) -> Vec<Spanned<TrainedOn>> {
    let listed = card
        .data
        .datasets
        .clone()
        .map(OneOrMany::into_vec)
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    let mut claims = Vec::new();
    for name in listed {
        let name = name.trim().to_owned();
        if name.is_empty() || !seen.insert(name.to_lowercase()) {
            continue;
        }
        let id = match curated.datasets.get(&name.to_lowercase()) {
            Some(&id) => id.clone(),
            None => {
                let id = repo_id("hf-dataset", &name);
                offer(&mut shared.datasets, &id, rank, || {
                    stub_dataset(&id, &name, source)
                });
                id
            }
        };
        claims.push(sp(TrainedOn {
            dataset: sp(id),
            stage: None,
            sources: sources([source.clone()]),
            confidence: Some(sp(Confidence::Reported)),
            from: None,
            until: None,
            note: Some(format!(
                "`datasets: {name}` in the card, which does not say at which stage."
            )),
        }));
    }
    claims
}

fn stub_dataset(id: &Id, name: &str, source: &Id) -> DatasetRecord {
    DatasetRecord {
        id: sp(id.clone()),
        name: sp(name.rsplit('/').next().unwrap_or(name).to_owned()),
        aliases: Box::new([sp(name.to_owned())]),
        creator: None,
        description: None,
        synthetic: None,
        modality: Box::default(),
        languages: Box::default(),
        homepage: None,
        paper: None,
        external_ids: hub_ids(name),
        release: None,
        availability: Box::default(),
        licenses: Box::default(),
        size: Box::default(),
        generated_by: Box::default(),
        derived_from: Box::default(),
        collected_from: Box::default(),
        sources: sources([source.clone()]),
        confidence: Some(sp(Confidence::Reported)),
        note: Some(
            "Stub: a Hub dataset named in a card's `datasets:`; no dataset card was imported."
                .to_owned(),
        ),
    }
}

/// A card of a curated model that disagrees with the curated record (a base or a
/// licence the record does not have) is reported; nothing is written.
fn conflicts(
    curated: &Curated<'_>,
    id: &Id,
    card: &Card,
    text: &str,
    bases: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(model) = curated.dataset.model(id.as_str()) else {
        return;
    };
    let curated_bases: BTreeSet<String> = model
        .lineage
        .iter()
        .filter(|e| e.until.is_none())
        .filter_map(|e| curated.dataset.model(e.base.as_str()))
        .filter_map(|m| {
            m.external_ids
                .as_ref()?
                .huggingface
                .as_ref()
                .map(|h| h.to_lowercase())
        })
        .collect();
    for base in bases {
        if !curated_bases.contains(&base.to_lowercase()) {
            diagnostics.push(
                Diagnostic::at(Code::ImportConflict, card.file, find(text, 0, base), format!("the card of {} names the base `{base}`, which the curated record `{}` does not", card.repo, id.as_str()))
                    .label("not in the curated lineage")
                    .hint(format!("the curated record is kept as it is; if the card is right, add the claim to `models/{}.yaml` with the card as its source", id.as_str())),
            );
        }
    }
}
