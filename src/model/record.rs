//! A record of any kind ([`Record`], [`Kind`]) and the walks over its references,
//! dates, URLs and texts that validation and the RDF mapping share.

use super::{
    DatasetRecord, DateValue, Id, License, Model, Organization, Person, Release, Source, Span,
    Spanned, words,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};
use utoipa::ToSchema;

/// The six kinds of record, one folder each under `graph-data/`.
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
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Kind {
    Model,
    Organization,
    Person,
    Source,
    License,
    Dataset,
}

words!(Kind);

impl Kind {
    /// The folder under `graph-data/` that holds records of this kind.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Model => "models",
            Kind::Organization => "organizations",
            Kind::Person => "people",
            Kind::Source => "sources",
            Kind::License => "licenses",
            Kind::Dataset => "datasets",
        }
    }

    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.folder() == folder)
    }

    /// The singular noun used in messages and schema file names: the kind's word.
    pub fn noun(self) -> &'static str {
        self.as_str()
    }

    /// "a model", "an organization": for messages.
    pub fn with_article(self) -> &'static str {
        match self {
            Kind::Model => "a model",
            Kind::Organization => "an organization",
            Kind::Person => "a person",
            Kind::Source => "a source",
            Kind::License => "a license",
            Kind::Dataset => "a dataset",
        }
    }
}

/// Identifiers of the same thing in other databases.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalIds {
    /// Hugging Face repository id (`owner/name`) of a model or a dataset, or an
    /// organisation's name on the Hub.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub huggingface: Option<Spanned<String>>,
    /// Wikidata item id (`Q` and digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<Spanned<String>>,
}

/// One record of any kind, as read from one YAML document.
#[derive(Clone, Debug)]
pub enum Record {
    /// Boxed, as datasets are: a model is several times larger than the other kinds,
    /// and records are held in one vector.
    Model(Box<Spanned<Model>>),
    Organization(Spanned<Organization>),
    Person(Spanned<Person>),
    Source(Spanned<Source>),
    License(Spanned<License>),
    Dataset(Box<Spanned<DatasetRecord>>),
}

impl Record {
    pub fn kind(&self) -> Kind {
        match self {
            Record::Model(_) => Kind::Model,
            Record::Organization(_) => Kind::Organization,
            Record::Person(_) => Kind::Person,
            Record::Source(_) => Kind::Source,
            Record::License(_) => Kind::License,
            Record::Dataset(_) => Kind::Dataset,
        }
    }

    pub fn id(&self) -> &Spanned<Id> {
        match self {
            Record::Model(r) => &r.id,
            Record::Organization(r) => &r.id,
            Record::Person(r) => &r.id,
            Record::Source(r) => &r.id,
            Record::License(r) => &r.id,
            Record::Dataset(r) => &r.id,
        }
    }

    /// The display name (a source's title).
    pub fn name(&self) -> &str {
        match self {
            Record::Model(r) => &r.name,
            Record::Organization(r) => &r.name,
            Record::Person(r) => &r.name,
            Record::Source(r) => &r.title,
            Record::License(r) => &r.name,
            Record::Dataset(r) => &r.name,
        }
    }
}

// Walking a record: the references, claims, dates and URLs it holds, so that the
// validator and the RDF mapping treat every field of every kind alike.

/// A reference from one record to another, with the kind it must name.
#[derive(Clone, Copy, Debug)]
pub struct Reference<'a> {
    pub id: &'a Spanned<Id>,
    /// The kind the reference must name; `None` when any kind will do.
    pub expected: Option<Kind>,
    /// The field it sits in, for messages: `lineage.base`.
    pub field: &'static str,
}

impl Record {
    /// Every reference to another record, in document order.
    pub fn references(&self) -> Vec<Reference<'_>> {
        let mut out: Vec<Reference<'_>> = Vec::new();
        let mut add = |id, expected, field| {
            out.push(Reference {
                id,
                expected,
                field,
            })
        };
        for claim in self.claims() {
            for source in claim.source_ids() {
                add(source, Some(Kind::Source), "sources");
            }
        }
        match self {
            Record::Model(m) => {
                if let Some(family) = &m.family {
                    add(family, Some(Kind::Model), "family");
                }
                add(&m.developer, Some(Kind::Organization), "developer");
                for claim in &m.licenses {
                    add(&claim.license, Some(Kind::License), "licenses.license");
                }
                for edge in &m.lineage {
                    add(&edge.base, Some(Kind::Model), "lineage.base");
                }
                for claim in &m.trained_on {
                    add(&claim.dataset, Some(Kind::Dataset), "trained_on.dataset");
                }
            }
            Record::Dataset(d) => {
                if let Some(creator) = &d.creator {
                    add(creator, Some(Kind::Organization), "creator");
                }
                if let Some(paper) = &d.paper {
                    add(paper, Some(Kind::Source), "paper");
                }
                for claim in &d.licenses {
                    add(&claim.license, Some(Kind::License), "licenses.license");
                }
                for claim in &d.generated_by {
                    add(&claim.model, Some(Kind::Model), "generated_by.model");
                }
                for claim in &d.derived_from {
                    add(&claim.dataset, Some(Kind::Dataset), "derived_from.dataset");
                }
            }
            Record::Organization(o) => {
                for parent in &o.parents {
                    add(
                        &parent.organization,
                        Some(Kind::Organization),
                        "parents.organization",
                    );
                }
            }
            Record::Person(p) => {
                for role in &p.roles {
                    add(
                        &role.organization,
                        Some(Kind::Organization),
                        "roles.organization",
                    );
                }
                for position in &p.positions {
                    for about in &position.about {
                        add(about, None, "positions.about");
                    }
                }
            }
            Record::Source(s) => {
                for cited in &s.cites {
                    add(cited, Some(Kind::Source), "cites");
                }
            }
            Record::License(l) => {
                for clause in &l.clauses {
                    if let Some(source) = &clause.source {
                        add(source, Some(Kind::Source), "clauses.source");
                    }
                }
            }
        }
        out
    }
}

/// The dates of a release claim, with their field names.
fn release_dates<'a>(
    out: &mut Vec<(&'static str, &'a Spanned<DateValue>)>,
    release: &'a Option<Spanned<Release>>,
) {
    let Some(release) = release else { return };
    let fields = [
        ("release.date", &release.date),
        ("release.expected", &release.expected),
        ("release.announced", &release.announced),
    ];
    out.extend(
        fields
            .into_iter()
            .filter_map(|(name, date)| date.as_ref().map(|date| (name, date))),
    );
}

impl Record {
    /// Every date field, with its name for messages.
    pub fn dates(&self) -> Vec<(&'static str, &Spanned<DateValue>)> {
        let mut out = Vec::new();
        for claim in self.claims() {
            if let Some(from) = claim.claim().from() {
                out.push(("from", from));
            }
            if let Some(until) = claim.claim().until() {
                out.push(("until", until));
            }
        }
        match self {
            Record::Model(m) => release_dates(&mut out, &m.release),
            Record::Dataset(d) => release_dates(&mut out, &d.release),
            Record::Source(s) => out.push(("published", &s.published)),
            Record::Organization(_) | Record::Person(_) | Record::License(_) => {}
        }
        out
    }

    /// Every URL field, with its name for messages.
    pub fn urls(&self) -> Vec<(&'static str, &Spanned<String>)> {
        let mut out = Vec::new();
        match self {
            Record::Model(m) => out.extend(m.homepage.as_deref().map(|u| ("homepage", u))),
            Record::Organization(o) => out.extend(o.website.as_ref().map(|u| ("website", u))),
            Record::Source(s) => {
                out.push(("url", &s.url));
                out.extend(s.archived_url.as_ref().map(|u| ("archived_url", u)));
            }
            Record::License(l) => {
                out.push(("url", &l.url));
                for clause in &l.clauses {
                    out.extend(clause.policy.as_ref().map(|u| ("clauses.policy", u)));
                    out.extend(clause.url.as_ref().map(|u| ("clauses.url", u)));
                }
            }
            Record::Dataset(d) => out.extend(d.homepage.as_ref().map(|u| ("homepage", u))),
            Record::Person(_) => {}
        }
        out
    }

    /// Every free-text field that must not be blank, with its name for messages.
    pub fn texts(&self) -> Vec<(&'static str, &Spanned<String>)> {
        let mut out: Vec<(&'static str, &Spanned<String>)> = Vec::new();
        fn aliases(
            list: &[Spanned<String>],
        ) -> impl Iterator<Item = (&'static str, &Spanned<String>)> {
            list.iter().map(|alias| ("aliases", alias))
        }
        match self {
            Record::Model(m) => {
                out.push(("name", &m.name));
                out.extend(aliases(&m.aliases));
            }
            Record::Organization(o) => {
                out.push(("name", &o.name));
                out.extend(aliases(&o.aliases));
            }
            Record::Person(p) => {
                out.push(("name", &p.name));
                out.extend(aliases(&p.aliases));
                out.extend(p.roles.iter().map(|r| ("roles.title", &r.title)));
                out.extend(
                    p.positions
                        .iter()
                        .map(|q| ("positions.statement", &q.statement)),
                );
            }
            Record::Source(s) => {
                out.push(("title", &s.title));
                out.push(("publisher", &s.publisher));
                out.extend(s.authors.iter().map(|a| ("authors", a)));
                out.extend(s.relays.iter().map(|r| ("relays", r)));
            }
            Record::License(l) => {
                out.push(("name", &l.name));
                for clause in &l.clauses {
                    out.push(("clauses.section", &clause.section));
                    out.push(("clauses.quote", &clause.quote));
                    out.extend(clause.prefix.as_ref().map(|p| ("clauses.prefix", p)));
                    out.extend(clause.text.iter().map(|t| ("clauses.text", t)));
                    out.extend(clause.territory.as_ref().map(|t| ("clauses.territory", t)));
                }
            }
            Record::Dataset(d) => {
                out.push(("name", &d.name));
                out.extend(aliases(&d.aliases));
                out.extend(d.languages.iter().map(|l| ("languages", l)));
                out.extend(
                    d.collected_from
                        .iter()
                        .map(|c| ("collected_from.origin", &c.origin)),
                );
            }
        }
        out
    }

    /// The record's own span (its first key), for diagnostics about the whole record.
    pub fn span(&self) -> Span {
        match self {
            Record::Model(r) => r.span,
            Record::Organization(r) => r.span,
            Record::Person(r) => r.span,
            Record::Source(r) => r.span,
            Record::License(r) => r.span,
            Record::Dataset(r) => r.span,
        }
    }
}
