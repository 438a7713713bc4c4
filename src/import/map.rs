//! Cards to records: each card becomes a model record citing a source record for the
//! card, linked to the curated graph by Hugging Face ids; bases outside the import
//! become stubs; disagreements with curated records are reported, never written.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::card::{Card, OneOrMany, Origin, find};
use super::ids::{name_id, repo_id};
use super::rules::{self, Found, HUB_LICENSES, KNOWN_LICENSE_NAMES};
use crate::dataset::Dataset;
use crate::diagnostics::{Code, Diagnostic, SourceFile};
use crate::model::{
    Confidence, DatasetRecord, DateValue, ExternalIds, Id, License, LicenseClaim, LineageEdge,
    Model, Organization, Source, SourceKind, Span, Spanned, TrainedOn,
};

fn sp<T>(value: T) -> Spanned<T> {
    Spanned::new(value, Span::default())
}

fn sources(ids: impl IntoIterator<Item = Id>) -> Option<Spanned<Vec<Spanned<Id>>>> {
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
        aliases: vec![sp(repo.to_owned())],
        kind: None,
        family: None,
        developer: sp(developer),
        description: None,
        parameters: None,
        modality: None,
        homepage: None,
        external_ids: hub_ids(repo),
        release: None,
        access: Vec::new(),
        licenses: Vec::new(),
        lineage: Vec::new(),
        trained_on: Vec::new(),
        sources: sources(cited),
        confidence: Some(sp(confidence)),
        note: Some(note),
    }
}

/// Every record the import writes, by kind and id (ordered, so the files and their
/// contents come out the same on every run).
#[derive(Debug, Default)]
pub struct Records {
    pub models: BTreeMap<Id, Model>,
    pub sources: BTreeMap<Id, Source>,
    pub organizations: BTreeMap<Id, Organization>,
    pub licenses: BTreeMap<Id, License>,
    pub datasets: BTreeMap<Id, DatasetRecord>,
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
        let hf = |ids: &'d Option<Spanned<ExternalIds>>| {
            ids.as_ref()
                .and_then(|ids| ids.huggingface.as_ref())
                .map(|hf| hf.to_lowercase())
        };
        // A model is found by its Hugging Face id and, under the same owner, by each of
        // its aliases: the Hub renames repos and redirects the old names, which cards
        // keep using (`meta-llama/Meta-Llama-3.1-8B-Instruct`).
        let mut models: HashMap<String, &'d Id> = HashMap::new();
        for model in &dataset.models {
            let Some(repo) = hf(&model.external_ids) else {
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
                .filter_map(|o| Some((hf(&o.external_ids)?, &o.id.value)))
                .collect(),
            datasets: dataset
                .datasets
                .iter()
                .filter_map(|d| Some((hf(&d.external_ids)?, &d.id.value)))
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

/// What one run of the mapping gives: the records, the problems, and the cards that
/// name a curated model (linked, not written).
#[derive(Debug, Default)]
pub struct Mapped {
    pub records: Records,
    pub diagnostics: Vec<Diagnostic>,
    pub curated: usize,
    pub stubs: usize,
}

/// Maps every card (sorted by repo id) against the curated `dataset`.
pub fn map(dataset: &Dataset, cards: &[Card], files: &[SourceFile]) -> Mapped {
    let curated = Curated::new(dataset);
    let mut out = Mapped::default();
    let imported: HashMap<String, Id> = cards
        .iter()
        .filter(|c| !curated.models.contains_key(&c.repo.to_lowercase()))
        .map(|c| (c.repo.to_lowercase(), repo_id("hf", &c.repo)))
        .collect();
    let mut stub_citations: BTreeMap<String, BTreeSet<Id>> = BTreeMap::new();
    for card in cards {
        let text = &files[card.file.0 as usize].text;
        let bases = bases(card, text, &mut out.diagnostics);
        if let Some(&curated_id) = curated.models.get(&card.repo.to_lowercase()) {
            out.curated += 1;
            conflicts(
                &curated,
                curated_id,
                card,
                text,
                &bases,
                &mut out.diagnostics,
            );
            continue;
        }
        let id = imported[&card.repo.to_lowercase()].clone();
        let source = card_source(card);
        let source_id = source.id.value.clone();
        out.records.sources.insert(source_id.clone(), source);
        let developer = organization(&curated, card.owner(), &source_id, &mut out.records);
        let (relation, found) = rules::relation(card, bases.len());
        let mut lineage = Vec::new();
        for base in &bases {
            let base_id = match (
                curated.models.get(&base.to_lowercase()),
                imported.get(&base.to_lowercase()),
            ) {
                (Some(&curated), _) => curated.clone(),
                (None, Some(imported)) => imported.clone(),
                (None, None) => {
                    stub_citations
                        .entry(base.clone())
                        .or_default()
                        .insert(source_id.clone());
                    repo_id("hf", base)
                }
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
            &curated,
            card,
            text,
            &source_id,
            &mut out.records,
            &mut out.diagnostics,
        );
        let trained_on = datasets(&curated, card, &source_id, &mut out.records);
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
        model.licenses = licenses;
        model.lineage = lineage;
        model.trained_on = trained_on;
        out.records.models.insert(id, model);
    }
    break_cycles(&mut out, cards, &imported);
    for (repo, cited_by) in stub_citations {
        let id = repo_id("hf", &repo);
        let owner = repo.split('/').next().unwrap_or(&repo).to_owned();
        let first = cited_by.iter().next().cloned().expect("a stub is cited");
        let developer = organization(&curated, &owner, &first, &mut out.records);
        out.stubs += 1;
        let note = format!(
            "Stub: {repo} is named as a base by the cards cited, and was not imported itself; importing it fills this record."
        );
        let stub = hub_model(
            id.clone(),
            &repo,
            developer,
            cited_by,
            Confidence::Reported,
            note,
        );
        out.records.models.insert(id, stub);
    }
    out
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
        authors: Vec::new(),
        cites: Vec::new(),
        relays: Vec::new(),
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
fn organization(curated: &Curated<'_>, owner: &str, source: &Id, records: &mut Records) -> Id {
    if let Some(&id) = curated.organizations.get(&owner.to_lowercase()) {
        return id.clone();
    }
    let id = name_id("hf-org", owner);
    records.organizations.entry(id.clone()).or_insert_with(|| Organization {
        id: sp(id.clone()),
        name: sp(owner.to_owned()),
        aliases: Vec::new(),
        kind: None,
        description: None,
        country: None,
        website: None,
        tickers: Vec::new(),
        external_ids: hub_ids(owner),
        parents: Vec::new(),
        sources: sources([source.clone()]),
        confidence: Some(sp(Confidence::Confirmed)),
        note: Some(format!("The owner `{owner}` on the Hugging Face Hub, as a card names it; what sort of organisation it is, no source says.")),
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
    records: &mut Records,
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
                    .or_else(|| Some(license_ref(card, name, source, records)))
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
            .map(|found| spdx_license(found, source, records))
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
fn spdx_license(found: spdx::LicenseId, source: &Id, records: &mut Records) -> Id {
    let id = name_id("hf-license", found.name);
    records.licenses.entry(id.clone()).or_insert_with(|| License {
        id: sp(id.clone()),
        name: sp(found.full_name.to_owned()),
        spdx: sp(found.name.to_owned()),
        url: sp(format!("https://spdx.org/licenses/{}.html", found.name)),
        osi_approved: sp(found.is_osi_approved()),
        clauses: Vec::new(),
        sources: sources([source.clone()]),
        confidence: Some(sp(Confidence::Confirmed)),
        note: Some("Named by SPDX id in a card; name and OSI approval as the SPDX License List gives them.".to_owned()),
    });
    id
}

/// A licence known only by a card's `license_name`: one record per name, its text at
/// the card's `license_link`.
fn license_ref(card: &Card, name: &str, source: &Id, records: &mut Records) -> Id {
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
    records.licenses.entry(id.clone()).or_insert_with(|| License {
        id: sp(id.clone()),
        name: sp(name.to_owned()),
        spdx: sp(format!("LicenseRef-{}", spdx_name.trim_matches('-'))),
        url: sp(url),
        osi_approved: sp(false),
        clauses: Vec::new(),
        sources: sources([source.clone()]),
        confidence: Some(sp(Confidence::Reported)),
        note: Some(format!("`license: other`, `license_name: {name}` in the card of {}; its terms are not read.", card.repo)),
    });
    id
}

/// The card's `datasets:` as training claims, to the curated dataset of each Hub
/// dataset id or to a stub. The card does not say the stage.
fn datasets(
    curated: &Curated<'_>,
    card: &Card,
    source: &Id,
    records: &mut Records,
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
                records
                    .datasets
                    .entry(id.clone())
                    .or_insert_with(|| stub_dataset(&id, &name, source));
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
        aliases: vec![sp(name.to_owned())],
        creator: None,
        description: None,
        synthetic: None,
        modality: Vec::new(),
        languages: Vec::new(),
        homepage: None,
        paper: None,
        external_ids: hub_ids(name),
        release: None,
        availability: Vec::new(),
        licenses: Vec::new(),
        size: Vec::new(),
        generated_by: Vec::new(),
        derived_from: Vec::new(),
        collected_from: Vec::new(),
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

/// Imported cards that name each other as bases in a cycle: their lineage claims
/// inside the cycle are dropped and reported, so the output validates.
fn break_cycles(out: &mut Mapped, cards: &[Card], imported: &HashMap<String, Id>) {
    let ids: Vec<&Id> = out.records.models.keys().collect();
    let position: HashMap<&Id, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let edges: Vec<Vec<usize>> = ids
        .iter()
        .map(|id| {
            out.records.models[*id]
                .lineage
                .iter()
                .filter_map(|e| position.get(&e.base.value).copied())
                .collect()
        })
        .collect();
    // The models on a cycle: those of a strongly connected component of more than one
    // model, or naming themselves. Linear in models and edges, so an import of
    // 100,000 cards checks its cycles in one pass.
    let in_cycle: BTreeSet<Id> = strongly_connected(&edges)
        .into_iter()
        .filter(|c| c.len() > 1 || edges[c[0]].contains(&c[0]))
        .flatten()
        .map(|i| ids[i].clone())
        .collect();
    let card_of: HashMap<&Id, &Card> = cards
        .iter()
        .filter_map(|c| imported.get(&c.repo.to_lowercase()).map(|id| (id, c)))
        .collect();
    for id in &in_cycle {
        let Some(card) = card_of.get(id).copied() else {
            continue;
        };
        if let Some(model) = out.records.models.get_mut(id) {
            model.lineage.retain(|e| !in_cycle.contains(&e.base.value));
        }
        out.diagnostics.push(
            Diagnostic::at(Code::CardCycle, card.file, Span::default(), format!("{} is part of a cycle of imported cards naming each other as bases", card.repo))
                .label("in a cycle")
                .hint("the lineage claims inside the cycle are skipped; one of the cards names the wrong base"),
        );
    }
}

/// The strongly connected components of a graph given as adjacency lists (Tarjan's
/// algorithm, with an explicit stack so a long chain cannot overflow the call stack).
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low) = (vec![UNSEEN; n], vec![0; n]);
    let mut on_stack = vec![false; n];
    let (mut stack, mut components, mut next) = (Vec::new(), Vec::new(), 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, how many of its edges are done)
        let mut calls = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut done)) = calls.last_mut() {
            if let Some(&to) = edges[node].get(*done) {
                *done += 1;
                if index[to] == UNSEEN {
                    index[to] = next;
                    low[to] = next;
                    next += 1;
                    stack.push(to);
                    on_stack[to] = true;
                    calls.push((to, 0));
                } else if on_stack[to] {
                    low[node] = low[node].min(index[to]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    fn cyclic(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
        let mut found: Vec<Vec<usize>> = strongly_connected(edges)
            .into_iter()
            .filter(|c| c.len() > 1 || edges[c[0]].contains(&c[0]))
            .map(|mut c| {
                c.sort_unstable();
                c
            })
            .collect();
        found.sort();
        found
    }

    #[test]
    fn components_are_the_cycles_and_a_long_chain_is_none() {
        // 0 → 1 → 2 → 0 is a cycle; 3 → 0 leads into it; 4 names itself; 5 → 6 does not.
        let edges = vec![vec![1], vec![2], vec![0], vec![0], vec![4], vec![6], vec![]];
        assert_eq!(cyclic(&edges), vec![vec![0, 1, 2], vec![4]]);
        // A chain as deep as a large import's: no recursion, no cycle.
        let n = 200_000;
        let chain: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
            .collect();
        assert!(cyclic(&chain).is_empty());
        assert_eq!(strongly_connected(&chain).len(), n);
    }
}
