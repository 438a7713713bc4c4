//! Finding records: by text and, for models, by filters, in the one ranking every
//! list, search page and search-as-you-type box shows.
//!
//! # The ranking
//!
//! A record's texts are its id and name (and, for a model, its aliases). Compared
//! case-insensitively with the query, a record ranks by its best text:
//!
//! 1. **exact**: a text equals the query;
//! 2. **prefix**: a text starts with the query;
//! 3. **substring**: a text contains the query;
//!
//! and records no text of which contains the query are left out. Within a rank,
//! records sort by name (case-insensitive), then by id. Without a query every record
//! ranks alike, so a list is simply in name order.
//!
//! The name order is computed once when the knowledge base is built (each record's
//! place, and the records in that order), so a request compares integers, a list
//! without a query is read in order without sorting, and nothing is allocated per
//! record for it; matching folds ASCII text in place and lowercases only non-ASCII
//! text.

use crate::dataset::{Dataset, RecordRef};
use crate::model::{AccessLevel, Kind, Model, Relation};

use super::KnowledgeBase;

/// How well a record matches a query; better ranks sort first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    Exact,
    Prefix,
    Substring,
}

/// What models to find: every field set narrows the list.
#[derive(Clone, Debug, Default)]
pub struct ModelFilter<'q> {
    /// Text in the id, name or an alias (case-insensitive).
    pub text: Option<&'q str>,
    /// Developed by this organisation or one below it.
    pub organization: Option<&'q str>,
    /// With this access level now (a claim without `until`).
    pub access: Option<AccessLevel>,
    /// Under this licence id now.
    pub license: Option<&'q str>,
    /// With a lineage claim of one of these relations (empty: any or none).
    pub relations: Vec<Relation>,
    /// `Some(true)`: families only; `Some(false)`: concrete models only.
    pub family: Option<bool>,
}

/// The name order (case-insensitive name, then id) of every kind.
#[derive(Debug, Default)]
pub struct SearchIndex {
    models: NameOrder,
    organizations: NameOrder,
    people: NameOrder,
    sources: NameOrder,
    licenses: NameOrder,
}

/// One kind's records in name order: `place[i]` is record `i`'s place, `order[p]` the
/// record at place `p`.
#[derive(Debug, Default)]
struct NameOrder {
    place: Vec<u32>,
    order: Vec<u32>,
}

impl SearchIndex {
    pub fn build(dataset: &Dataset) -> SearchIndex {
        let d = dataset;
        SearchIndex {
            models: name_order(&d.models, |r| (r.name.as_str(), r.id.as_str())),
            organizations: name_order(&d.organizations, |r| (r.name.as_str(), r.id.as_str())),
            people: name_order(&d.people, |r| (r.name.as_str(), r.id.as_str())),
            sources: name_order(&d.sources, |r| (r.title.as_str(), r.id.as_str())),
            licenses: name_order(&d.licenses, |r| (r.name.as_str(), r.id.as_str())),
        }
    }

    /// Bytes held (eight per record).
    pub fn heap_bytes(&self) -> usize {
        [
            &self.models,
            &self.organizations,
            &self.people,
            &self.sources,
            &self.licenses,
        ]
        .iter()
        .map(|o| 4 * (o.place.capacity() + o.order.capacity()))
        .sum()
    }
}

/// The records sorted by (lowercased name, id), and each one's place in that order.
fn name_order<T>(records: &[T], key: impl Fn(&T) -> (&str, &str)) -> NameOrder {
    let mut order: Vec<u32> = (0..records.len() as u32).collect();
    order.sort_by_cached_key(|&i| {
        let (name, id) = key(&records[i as usize]);
        (name.to_lowercase(), id.to_owned())
    });
    let mut place = vec![0u32; records.len()];
    for (at, &record) in order.iter().enumerate() {
        place[record as usize] = at as u32;
    }
    NameOrder { place, order }
}

/// How `text` matches `query` (already lowercased), if at all.
fn rank_text(text: &str, query: &str) -> Option<Rank> {
    if text.is_ascii() {
        // ASCII lowercases byte by byte, so fold in place instead of allocating. A
        // non-ASCII query byte never equals an ASCII one, as it should not.
        let (text, query) = (text.as_bytes(), query.as_bytes());
        if text.eq_ignore_ascii_case(query) {
            Some(Rank::Exact)
        } else if text.len() >= query.len() && text[..query.len()].eq_ignore_ascii_case(query) {
            Some(Rank::Prefix)
        } else if !query.is_empty()
            && text
                .windows(query.len())
                .any(|w| w.eq_ignore_ascii_case(query))
        {
            Some(Rank::Substring)
        } else {
            None
        }
    } else {
        let text = text.to_lowercase();
        if text == query {
            Some(Rank::Exact)
        } else if text.starts_with(query) {
            Some(Rank::Prefix)
        } else if text.contains(query) {
            Some(Rank::Substring)
        } else {
            None
        }
    }
}

/// The best rank of any of `texts` against `query` (lowercased).
pub fn rank<'t>(texts: impl IntoIterator<Item = &'t str>, query: &str) -> Option<Rank> {
    texts
        .into_iter()
        .filter_map(|text| rank_text(text, query))
        .min()
}

/// The positions of the records `keep` lets through whose texts match `query`, best
/// first (all of them in name order without a query). The one ranking loop every
/// kind goes through.
fn ranked<'d, T: 'd, I: IntoIterator<Item = &'d str>>(
    records: &'d [T],
    names: &NameOrder,
    query: Option<&str>,
    texts: impl Fn(&'d T) -> I,
    keep: impl Fn(&'d T) -> bool,
) -> Vec<u32> {
    let Some(query) = query.map(str::to_lowercase) else {
        // Every record ranks alike: name order is the answer, read as it is.
        return names
            .order
            .iter()
            .copied()
            .filter(|&i| keep(&records[i as usize]))
            .collect();
    };
    let mut candidates: Vec<(Rank, u32, u32)> = records
        .iter()
        .enumerate()
        .filter(|(_, record)| keep(record))
        .filter_map(|(i, record)| Some((rank(texts(record), &query)?, names.place[i], i as u32)))
        .collect();
    // Name places are distinct, so the order is total and an unstable sort is exact.
    candidates.sort_unstable();
    candidates
        .into_iter()
        .map(|(_, _, position)| position)
        .collect()
}

impl KnowledgeBase {
    /// The models `filter` lets through, in the ranking of this module.
    pub fn find_models(&self, filter: &ModelFilter<'_>) -> Vec<&Model> {
        self.find_model_positions(filter)
            .into_iter()
            .map(|i| &self.dataset.models[i as usize])
            .collect()
    }

    fn find_model_positions(&self, filter: &ModelFilter<'_>) -> Vec<u32> {
        ranked(
            &self.dataset.models,
            &self.search.models,
            filter.text,
            |model| {
                [model.id.as_str(), model.name.as_str()]
                    .into_iter()
                    .chain(model.aliases.iter().map(|a| a.as_str()))
            },
            |model| self.passes(model, filter),
        )
    }

    /// Whether `model` passes the filters other than text.
    fn passes(&self, model: &Model, filter: &ModelFilter<'_>) -> bool {
        filter
            .family
            .is_none_or(|family| model.is_family() == family)
            && filter
                .access
                .is_none_or(|level| model.current_access().any(|a| a.level.value == level))
            && filter.license.is_none_or(|license| {
                model
                    .current_licenses()
                    .any(|l| l.license.as_str() == license)
            })
            && (filter.relations.is_empty()
                || model
                    .lineage
                    .iter()
                    .any(|e| filter.relations.contains(&e.relation.value)))
            && filter
                .organization
                .is_none_or(|org| self.is_within(model.developer.as_str(), org))
    }

    /// The records of `kind` whose id or name holds `text` (all of them without it),
    /// in the ranking of this module. Models are matched on their aliases too.
    pub fn find_records(&self, kind: Kind, text: Option<&str>) -> Vec<RecordRef> {
        let d = &self.dataset;
        let s = &self.search;
        match kind {
            Kind::Model => self
                .find_model_positions(&ModelFilter {
                    text,
                    ..ModelFilter::default()
                })
                .into_iter()
                .map(RecordRef::Model)
                .collect(),
            Kind::Organization => ranked(
                &d.organizations,
                &s.organizations,
                text,
                |r| [r.id.as_str(), r.name.as_str()],
                |_| true,
            )
            .into_iter()
            .map(RecordRef::Organization)
            .collect(),
            Kind::Person => ranked(
                &d.people,
                &s.people,
                text,
                |r| [r.id.as_str(), r.name.as_str()],
                |_| true,
            )
            .into_iter()
            .map(RecordRef::Person)
            .collect(),
            Kind::Source => ranked(
                &d.sources,
                &s.sources,
                text,
                |r| [r.id.as_str(), r.title.as_str()],
                |_| true,
            )
            .into_iter()
            .map(RecordRef::Source)
            .collect(),
            Kind::License => ranked(
                &d.licenses,
                &s.licenses,
                text,
                |r| [r.id.as_str(), r.name.as_str()],
                |_| true,
            )
            .into_iter()
            .map(RecordRef::License)
            .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_exact_then_prefix_then_substring_ignoring_case() {
        assert_eq!(rank_text("Avocado", "avocado"), Some(Rank::Exact));
        assert_eq!(rank_text("Avocado 2", "avo"), Some(Rank::Prefix));
        assert_eq!(rank_text("Big Avocado", "avo"), Some(Rank::Substring));
        assert_eq!(rank_text("Banana", "avo"), None);
        // The best text counts.
        assert_eq!(rank(["x-avo", "Avo"], "avo"), Some(Rank::Exact));
        assert_eq!(rank(["pear", "apple"], "avo"), None);
    }

    #[test]
    fn folds_non_ascii_text_as_lowercasing_does() {
        assert_eq!(rank_text("ÉCLAIR", "éclair"), Some(Rank::Exact));
        assert_eq!(rank_text("Straße Modell", "mod"), Some(Rank::Substring));
        // A non-ASCII query never matches ASCII text by accident.
        assert_eq!(rank_text("eclair", "é"), None);
    }

    #[test]
    fn an_empty_query_matches_everything_alike() {
        assert_eq!(rank_text("anything", ""), Some(Rank::Prefix));
        assert_eq!(rank_text("", ""), Some(Rank::Exact));
    }

    #[test]
    fn name_order_is_case_insensitive_then_by_id() {
        let records = [
            ("beta", "b"),
            ("Alpha", "z"),
            ("alpha", "a"),
            ("Gamma", "g"),
        ];
        let names = name_order(&records, |&(name, id)| (name, id));
        // alpha/a, Alpha/z, beta, Gamma.
        assert_eq!(names.place, [2, 1, 0, 3]);
        assert_eq!(names.order, [2, 1, 0, 3]);
    }

    #[test]
    fn rank_comes_before_name_order() {
        let records = [
            ["z-avocado", "Zed avocado"],
            ["avo", "Avo"],
            ["a", "Avocado"],
        ];
        let names = name_order(&records, |r| (r[1], r[0]));
        let find = |query| ranked(&records, &names, query, |r| *r, |_| true);
        // Exact (avo), then prefix (Avocado), then substring (Zed avocado).
        assert_eq!(find(Some("AVO")), [1, 2, 0]);
        assert_eq!(find(None), [1, 2, 0]);
        assert!(find(Some("kiwi")).is_empty());
        // What `keep` refuses is left out, with or without a query.
        let kept = |query| ranked(&records, &names, query, |r| *r, |r| r[0] != "avo");
        assert_eq!(kept(Some("avo")), [2, 0]);
        assert_eq!(kept(None), [2, 0]);
    }
}
