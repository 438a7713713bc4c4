//! Finding records: by text and, for models, by filters, in the one ranking every
//! list, search page, search-as-you-type box and page-address lookup shows.
//!
//! # What matches
//!
//! A record's texts are its id and name (title, for a source) and its aliases (a
//! licence's SPDX id counts as one). Texts and queries are compared by their *keys*:
//! the letters and digits only, lowercased, so spaces, hyphens, dots and case do not
//! matter ("Llama3.1" and "llama-3.1" both have the key `llama31`, which "Llama 3.1
//! 8B" holds). The query is cut into words at spaces, and a record matches when
//! **every word's key occurs in the key of one of its texts** (not necessarily the
//! same text for every word): "r1 distill" finds "DeepSeek-R1-Distill-Qwen-7B",
//! "distill r1" too, and "avocado meta" finds the model named Muse Spark with the
//! aliases Avocado and Meta Muse Spark. Punctuation inside a word does not cut it,
//! so "llama-3.1" is one word (`llama31`) and does not find "Llama 2 13B" by its
//! scattered 3 and 1. A query with no letter or digit is no query: every record, in
//! name order.
//!
//! # The ranking
//!
//! A matching record ranks by its best text:
//!
//! 1. **exact**: a text's key equals the query's key (`llama 3.1` for "Llama 3.1");
//! 2. **prefix**: a text's key starts with the query's key ("Llama 3.1 8B");
//! 3. **whole word**: every query word covers whole words of some text, its key being
//!    the keys of one or more neighbouring words ("r1 distill" and "r1-distill" in
//!    "DeepSeek-R1-Distill-Qwen-7B", "spark" in "Muse Spark", "3.1" in "Meta Llama
//!    3.1 8B"), where a text's words are its runs of letters and digits;
//! 4. **substring**: anything else that matches ("distil", "llama3.1" in "Llama 3.1").
//!
//! Within a rank, records sort by name (case-insensitive), then by id. Without a
//! query every record ranks alike, so a list is simply in name order.
//!
//! # Cost
//!
//! Both orders and keys are computed once, when the knowledge base is built: each
//! record's place in name order (8 bytes a record), and every record's keys, written
//! one after the other into one string per kind (a text whose key repeats an earlier
//! one of the same record, as an id usually repeats its name, is written once). A
//! search is then one SIMD substring scan (`memchr::memmem`) of that string for the
//! query's longest word, every other word checked only in the records it hits, so no
//! record's texts are folded per request; the texts themselves are read only for the
//! records that match (for the whole-word rank). Figures in `docs/benchmarks.md`.

use memchr::memmem;

use crate::dataset::{Dataset, RecordRef};
use crate::model::{
    AccessLevel, DatasetRecord, Kind, License, Model, Organization, Person, Relation, Source,
};

use super::KnowledgeBase;

/// How well a record matches a query; better ranks sort first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    Exact,
    Prefix,
    WholeWord,
    Substring,
}

/// What models to find: every field set narrows the list.
#[derive(Clone, Debug, Default)]
pub struct ModelFilter<'q> {
    /// Text in the id, name or an alias (see the module's rules).
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

/// A record kind's searched texts and the name it sorts by: the one statement, per
/// kind, of what search reads.
trait Searched {
    fn texts(&self) -> impl Iterator<Item = &str> + Clone;
    /// The name lists sort by, and the id that breaks ties.
    fn sort_key(&self) -> (&str, &str);
}

/// Records found by id, name and aliases, listed by name: models, organisations,
/// people and datasets alike.
macro_rules! searched_by_name_and_aliases {
    ($($kind:ty),+) => {$(
        impl Searched for $kind {
            fn texts(&self) -> impl Iterator<Item = &str> + Clone {
                [self.id.as_str(), self.name.as_str()]
                    .into_iter()
                    .chain(self.aliases.iter().map(|a| a.as_str()))
            }
            fn sort_key(&self) -> (&str, &str) {
                (self.name.as_str(), self.id.as_str())
            }
        }
    )+};
}

searched_by_name_and_aliases!(Model, Organization, Person, DatasetRecord);

impl Searched for Source {
    fn texts(&self) -> impl Iterator<Item = &str> + Clone {
        [self.id.as_str(), self.title.as_str()].into_iter()
    }
    fn sort_key(&self) -> (&str, &str) {
        (self.title.as_str(), self.id.as_str())
    }
}

impl Searched for License {
    fn texts(&self) -> impl Iterator<Item = &str> + Clone {
        [self.id.as_str(), self.name.as_str(), self.spdx.as_str()].into_iter()
    }
    fn sort_key(&self) -> (&str, &str) {
        (self.name.as_str(), self.id.as_str())
    }
}

/// Every kind's name order and keys, built with the knowledge base.
#[derive(Debug, Default)]
pub struct SearchIndex {
    models: KindIndex,
    organizations: KindIndex,
    people: KindIndex,
    sources: KindIndex,
    licenses: KindIndex,
    datasets: KindIndex,
}

/// One kind's records in name order, and their keys.
#[derive(Debug, Default)]
struct KindIndex {
    names: NameOrder,
    keys: Keys,
}

/// One kind's records in name order: `place[i]` is record `i`'s place, `order[p]` the
/// record at place `p`.
#[derive(Debug, Default)]
struct NameOrder {
    place: Vec<u32>,
    order: Vec<u32>,
}

/// The keys of every record of a kind, one after the other: record `i`'s are
/// `text[end[i - 1]..end[i]]`, each key followed by [`KEY_END`].
#[derive(Debug, Default)]
struct Keys {
    text: String,
    end: Vec<u32>,
}

/// Ends every key in [`Keys`]. Not a letter or digit, so never part of a key or of a
/// query word: a word found in the keys lies within one key of one record.
const KEY_END: char = ' ';

impl SearchIndex {
    pub fn build(dataset: &Dataset) -> SearchIndex {
        let d = dataset;
        SearchIndex {
            models: KindIndex::build(&d.models),
            organizations: KindIndex::build(&d.organizations),
            people: KindIndex::build(&d.people),
            sources: KindIndex::build(&d.sources),
            licenses: KindIndex::build(&d.licenses),
            datasets: KindIndex::build(&d.datasets),
        }
    }

    /// Bytes held: eight per record for the name order, and the keys.
    pub fn heap_bytes(&self) -> usize {
        [
            &self.models,
            &self.organizations,
            &self.people,
            &self.sources,
            &self.licenses,
            &self.datasets,
        ]
        .iter()
        .map(|k| {
            4 * (k.names.place.capacity() + k.names.order.capacity() + k.keys.end.capacity())
                + k.keys.text.capacity()
        })
        .sum()
    }
}

impl KindIndex {
    fn build<T: Searched>(records: &[T]) -> KindIndex {
        KindIndex {
            names: name_order(records, T::sort_key),
            keys: Keys::build(records),
        }
    }
}

impl Keys {
    fn build<T: Searched>(records: &[T]) -> Keys {
        let mut keys = Keys {
            text: String::new(),
            end: Vec::with_capacity(records.len()),
        };
        let mut key = String::new();
        for record in records {
            let start = keys.text.len();
            for text in record.texts() {
                key.clear();
                push_key(&mut key, text);
                // An empty key never decides a match; a repeated one adds nothing.
                let written = &keys.text[start..];
                if !key.is_empty() && !written.split(KEY_END).any(|k| k == key) {
                    keys.text.push_str(&key);
                    keys.text.push(KEY_END);
                }
            }
            keys.end
                .push(u32::try_from(keys.text.len()).expect("keys under 4 GiB"));
        }
        keys.text.shrink_to_fit();
        keys
    }

    /// Record `i`'s keys, each followed by [`KEY_END`].
    fn of(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.end[i - 1] as usize };
        &self.text[start..self.end[i] as usize]
    }

    /// The positions, in order, of the records whose keys hold every word of `query`:
    /// one scan for the longest word (the likeliest to be rare), the others checked
    /// in the records it hits.
    fn matching<'k>(&'k self, query: &'k Query) -> impl Iterator<Item = usize> + 'k {
        let longest = (0..query.words.len())
            .max_by_key(|&i| query.words[i].len())
            .expect("a query has a word");
        let finder = memmem::Finder::new(query.words[longest].as_bytes());
        // The other words' searchers are built once, not per record.
        let others: Vec<memmem::Finder<'_>> = (query.words.iter().enumerate())
            .filter(|&(i, _)| i != longest)
            .map(|(_, w)| memmem::Finder::new(w.as_bytes()))
            .collect();
        let haystack = self.text.as_bytes();
        // The scan goes forward: the next hit is at `at` or later, in record `next`
        // or later. When most records match, the hit is in `next` itself, so it is
        // checked before searching the ends.
        let (mut at, mut next) = (0, 0);
        std::iter::from_fn(move || {
            loop {
                let hit = at + finder.find(&haystack[at..])?;
                let record = if hit < self.end[next] as usize {
                    next
                } else {
                    next + self.end[next..].partition_point(|&end| end as usize <= hit)
                };
                at = self.end[record] as usize;
                next = record + 1;
                let keys = self.of(record).as_bytes();
                if others.iter().all(|w| w.find(keys).is_some()) {
                    return Some(record);
                }
            }
        })
    }
}

/// Appends the key of `text`: its letters and digits, lowercased.
fn push_key(key: &mut String, text: &str) {
    for c in text.chars().filter(|c| c.is_alphanumeric()) {
        if c.is_ascii() {
            key.push(c.to_ascii_lowercase());
        } else {
            key.extend(c.to_lowercase());
        }
    }
}

/// The key of `text`: its letters and digits, lowercased (`Llama-3.1` → `llama31`).
pub fn key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    push_key(&mut key, text);
    key
}

/// The words of a text: its runs of letters and digits.
fn text_words(text: &str) -> impl Iterator<Item = &str> + Clone {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Whether `word` (a key) is the keys of one or more neighbouring words of `text`:
/// "r1distill" in "DeepSeek-R1-Distill-Qwen-7B", "31" in "Llama 3.1 8B".
fn covers_words(text: &str, word: &str) -> bool {
    let mut words = text_words(text);
    loop {
        // Words from this one on, while their keys keep spelling `word`'s start.
        let mut rest = word;
        for next in words.clone() {
            match strip_key(rest, next) {
                Some("") => return true,
                Some(shorter) => rest = shorter,
                None => break,
            }
        }
        if words.next().is_none() {
            return false;
        }
    }
}

/// `key` without the key of the text word `word` at its start, if it starts so.
fn strip_key<'k>(key: &'k str, word: &str) -> Option<&'k str> {
    if word.is_ascii() {
        let n = word.len();
        (key.len() >= n && key.as_bytes()[..n].eq_ignore_ascii_case(word.as_bytes()))
            .then(|| &key[n..])
    } else {
        let mut rest = key.chars();
        word.chars()
            .flat_map(char::to_lowercase)
            .all(|c| rest.next() == Some(c))
            .then_some(rest.as_str())
    }
}

/// A query as it is matched: the keys of its words, and of the whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    key: String,
    words: Vec<String>,
}

impl Query {
    /// `None` when `text` has no letter or digit: no query at all.
    pub fn parse(text: &str) -> Option<Query> {
        let words: Vec<String> = text
            .split_whitespace()
            .map(key)
            .filter(|k| !k.is_empty())
            .collect();
        if words.is_empty() {
            return None;
        }
        Some(Query {
            key: words.concat(),
            words,
        })
    }

    /// How a record whose keys are `keys` (as [`Keys::of`] gives them; they hold
    /// every word) and whose texts are `texts` ranks.
    fn rank<'t>(&self, keys: &str, texts: impl Iterator<Item = &'t str> + Clone) -> Rank {
        let mut best = Rank::Substring;
        for key in keys.split(KEY_END) {
            if key == self.key {
                return Rank::Exact;
            }
            if key.starts_with(&self.key) {
                best = Rank::Prefix;
            }
        }
        if best == Rank::Prefix {
            return best;
        }
        let whole = self
            .words
            .iter()
            .all(|w| texts.clone().any(|text| covers_words(text, w)));
        if whole { Rank::WholeWord } else { best }
    }

    /// How a record with these texts ranks, if it matches: [`Self::rank`] for a
    /// record with no keys built (a test, or a lookup of a few texts).
    pub fn rank_texts<'t>(&self, texts: impl Iterator<Item = &'t str> + Clone) -> Option<Rank> {
        let mut keys = String::new();
        for text in texts.clone() {
            push_key(&mut keys, text);
            keys.push(KEY_END);
        }
        self.words
            .iter()
            .all(|w| keys.split(KEY_END).any(|k| k.contains(w.as_str())))
            .then(|| self.rank(&keys, texts))
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

/// The positions of the records `keep` lets through that match `query`, each with
/// its rank, best first (all of them in name order, ranked exact, without a query).
/// The one ranking loop every kind goes through.
fn ranked<'d, T: Searched>(
    records: &'d [T],
    index: &KindIndex,
    query: Option<&str>,
    keep: impl Fn(&'d T) -> bool,
) -> Vec<(Rank, u32)> {
    let Some(query) = query.and_then(Query::parse) else {
        // Every record ranks alike: name order is the answer, read as it is.
        return index
            .names
            .order
            .iter()
            .filter(|&&i| keep(&records[i as usize]))
            .map(|&i| (Rank::Exact, i))
            .collect();
    };
    let mut candidates: Vec<(Rank, u32, u32)> = index
        .keys
        .matching(&query)
        .filter_map(|i| {
            let record = &records[i];
            keep(record).then(|| {
                let rank = query.rank(index.keys.of(i), record.texts());
                (rank, index.names.place[i], i as u32)
            })
        })
        .collect();
    // Name places are distinct, so the order is total and an unstable sort is exact.
    candidates.sort_unstable();
    candidates
        .into_iter()
        .map(|(rank, _, position)| (rank, position))
        .collect()
}

impl KnowledgeBase {
    /// The models `filter` lets through, in the ranking of this module.
    pub fn find_models(&self, filter: &ModelFilter<'_>) -> Vec<&Model> {
        ranked(
            &self.dataset.models,
            &self.search.models,
            filter.text,
            |model| self.passes(model, filter),
        )
        .into_iter()
        .map(|(_, i)| &self.dataset.models[i as usize])
        .collect()
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

    /// The records of `kind` matching `text` (all of them without it), in the
    /// ranking of this module.
    pub fn find_records(&self, kind: Kind, text: Option<&str>) -> Vec<RecordRef> {
        self.find_ranked(kind, text)
            .into_iter()
            .map(|(_, record)| record)
            .collect()
    }

    /// [`find_records`](Self::find_records), each with its rank.
    pub fn find_ranked(&self, kind: Kind, text: Option<&str>) -> Vec<(Rank, RecordRef)> {
        let d = &self.dataset;
        let s = &self.search;
        fn refs(found: Vec<(Rank, u32)>, f: fn(u32) -> RecordRef) -> Vec<(Rank, RecordRef)> {
            found.into_iter().map(|(rank, i)| (rank, f(i))).collect()
        }
        match kind {
            Kind::Model => refs(
                ranked(&d.models, &s.models, text, |_| true),
                RecordRef::Model,
            ),
            Kind::Organization => refs(
                ranked(&d.organizations, &s.organizations, text, |_| true),
                RecordRef::Organization,
            ),
            Kind::Person => refs(
                ranked(&d.people, &s.people, text, |_| true),
                RecordRef::Person,
            ),
            Kind::Source => refs(
                ranked(&d.sources, &s.sources, text, |_| true),
                RecordRef::Source,
            ),
            Kind::License => refs(
                ranked(&d.licenses, &s.licenses, text, |_| true),
                RecordRef::License,
            ),
            Kind::Dataset => refs(
                ranked(&d.datasets, &s.datasets, text, |_| true),
                RecordRef::Dataset,
            ),
        }
    }

    /// The records of `kind` one of whose texts (id, name, aliases) has the key of
    /// `name`: what a page address that is no id may mean (`/models/muse-spark`, the
    /// model named "Muse Spark"). Empty when `name` has no letter or digit.
    pub fn named(&self, kind: Kind, name: &str) -> Vec<RecordRef> {
        let name = key(name);
        if name.is_empty() {
            return Vec::new();
        }
        self.find_ranked(kind, Some(&name))
            .into_iter()
            .take_while(|(rank, _)| *rank == Rank::Exact)
            .map(|(_, record)| record)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record of the tests: its texts, the first two its id and name.
    struct Texts(Vec<&'static str>);

    impl Searched for Texts {
        fn texts(&self) -> impl Iterator<Item = &str> + Clone {
            self.0.iter().copied()
        }
        fn sort_key(&self) -> (&str, &str) {
            (self.0[1], self.0[0])
        }
    }

    fn rank_of(texts: &[&'static str], query: &str) -> Option<Rank> {
        Query::parse(query)
            .unwrap()
            .rank_texts(texts.iter().copied())
    }

    fn find(records: &[Texts], query: Option<&str>) -> Vec<u32> {
        let index = KindIndex::build(records);
        ranked(records, &index, query, |_| true)
            .into_iter()
            .map(|(_, i)| i)
            .collect()
    }

    #[test]
    fn ranks_exact_then_prefix_then_whole_word_then_substring_ignoring_case() {
        assert_eq!(rank_of(&["Avocado"], "avocado"), Some(Rank::Exact));
        assert_eq!(rank_of(&["Avocado 2"], "avo"), Some(Rank::Prefix));
        assert_eq!(rank_of(&["Muse Spark"], "SPARK"), Some(Rank::WholeWord));
        assert_eq!(rank_of(&["Big Avocado"], "avo"), Some(Rank::Substring));
        assert_eq!(rank_of(&["Banana"], "avo"), None);
        // The best text counts.
        assert_eq!(rank_of(&["x-avo", "Avo"], "avo"), Some(Rank::Exact));
        assert_eq!(rank_of(&["pear", "apple"], "avo"), None);
    }

    #[test]
    fn spaces_and_punctuation_do_not_matter() {
        assert_eq!(rank_of(&["Llama 3.1"], "Llama3.1"), Some(Rank::Exact));
        assert_eq!(rank_of(&["Llama 3.1 8B"], "llama3.1"), Some(Rank::Prefix));
        assert_eq!(
            rank_of(&["Meta Llama 3.1 8B"], "llama3.1"),
            Some(Rank::WholeWord)
        );
        assert_eq!(rank_of(&["llama-3.1-8b"], "LLAMA 3.1"), Some(Rank::Prefix));
        assert_eq!(rank_of(&["Llama 3.2"], "llama3.1"), None);
        // Punctuation does not cut a word: its digits are not looked for one by one.
        assert_eq!(rank_of(&["Llama 2 13B"], "llama-3.1"), None);
        assert_eq!(
            rank_of(&["Llama 2 13B"], "llama 3 1"),
            Some(Rank::Substring)
        );
    }

    #[test]
    fn every_word_must_match_somewhere() {
        let r1 = ["deepseek-r1-distill-qwen-7b", "DeepSeek-R1-Distill-Qwen-7B"];
        assert_eq!(rank_of(&r1, "r1 distill"), Some(Rank::WholeWord));
        assert_eq!(rank_of(&r1, "distill r1"), Some(Rank::WholeWord));
        assert_eq!(rank_of(&r1, "distil r1"), Some(Rank::Substring));
        // A word with punctuation covers neighbouring words.
        assert_eq!(rank_of(&r1, "R1-Distill"), Some(Rank::WholeWord));
        assert_eq!(
            rank_of(&["Meta Llama 3.1 8B"], "3.1 meta"),
            Some(Rank::WholeWord)
        );
        assert_eq!(
            rank_of(&["Meta Llama 3.1 8B"], "a3.1"),
            Some(Rank::Substring)
        );
        assert_eq!(rank_of(&r1, "r1 distill llama"), None);
        // Words may match different texts.
        let avocado = ["avocado", "Muse Spark", "Avocado", "Meta Muse Spark"];
        assert_eq!(rank_of(&avocado, "avocado meta"), Some(Rank::WholeWord));
        assert_eq!(rank_of(&avocado, "spark avo"), Some(Rank::Substring));
    }

    #[test]
    fn folds_non_ascii_text_as_lowercasing_does() {
        assert_eq!(rank_of(&["ÉCLAIR"], "éclair"), Some(Rank::Exact));
        assert_eq!(rank_of(&["Straße Modell"], "mod"), Some(Rank::Substring));
        assert_eq!(rank_of(&["Straße Modell"], "STRASSE"), None);
        assert_eq!(rank_of(&["通义千问 Qwen"], "通义"), Some(Rank::Prefix));
        // A non-ASCII query never matches ASCII text by accident.
        assert_eq!(rank_of(&["eclair"], "é"), None);
    }

    #[test]
    fn a_word_covers_whole_neighbouring_words() {
        assert!(covers_words("DeepSeek-R1-Distill-Qwen-7B", "r1distill"));
        assert!(covers_words("DeepSeek-R1-Distill-Qwen-7B", "qwen7b"));
        assert!(covers_words("DeepSeek-R1-Distill-Qwen-7B", "deepseek"));
        assert!(!covers_words("DeepSeek-R1-Distill-Qwen-7B", "r1dist"));
        assert!(!covers_words("DeepSeek-R1-Distill-Qwen-7B", "seekr1"));
        assert!(covers_words("Große Straße", "straße"));
        assert!(!covers_words("Große Straße", "strasse"));
        assert!(!covers_words("", "a"));
    }

    #[test]
    fn a_query_without_letters_or_digits_is_no_query() {
        assert_eq!(Query::parse(""), None);
        assert_eq!(Query::parse(" -. "), None);
        assert_eq!(key("Llama-3.1 8B"), "llama318b");
    }

    #[test]
    fn keys_are_written_once_per_record_and_never_straddle_two() {
        let records = [Texts(vec!["ab", "AB", "a-b"]), Texts(vec!["cd", "Cd", "x"])];
        let keys = Keys::build(&records);
        assert_eq!(keys.of(0), "ab ");
        assert_eq!(keys.of(1), "cd x ");
        // "bc" spans the end of one record and the start of the next: no match.
        assert!(find(&records, Some("bc")).is_empty());
        assert_eq!(find(&records, Some("x")), [1]);
        // A word found several times in one record yields the record once.
        let repeated = [Texts(vec!["aa-aa", "AA AA"])];
        assert_eq!(find(&repeated, Some("a")), [0]);
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
            Texts(vec!["z-avocado", "Zed avocado"]),
            Texts(vec!["avo", "Avo"]),
            Texts(vec!["a", "Avocado"]),
            Texts(vec!["b", "An avo pear"]),
        ];
        // Exact (avo), then prefix (Avocado), then whole word (An avo pear), then
        // substring (Zed avocado).
        assert_eq!(find(&records, Some("AVO")), [1, 2, 3, 0]);
        assert_eq!(find(&records, None), [3, 1, 2, 0]);
        assert!(find(&records, Some("kiwi")).is_empty());
        // What `keep` refuses is left out, with or without a query.
        let index = KindIndex::build(&records);
        let kept = |query| -> Vec<u32> {
            ranked(&records, &index, query, |r| r.0[0] != "avo")
                .into_iter()
                .map(|(_, i)| i)
                .collect()
        };
        assert_eq!(kept(Some("avo")), [2, 3, 0]);
        assert_eq!(kept(None), [3, 2, 0]);
    }
}
