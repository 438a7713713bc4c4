//! The summary at the top of a model page, the page answering first: access and since
//! when, licences, developer and owner, release, parameters, and the direct bases and
//! derivatives counted by relation, each count linking to its filtered list; on a
//! family page, the roll-up over its members; and what the model owes (see
//! `obligations`).

use maud::{Markup, html};

use super::{badge, head, link};
use crate::lineage::counts::{DirectCounts, RelationCount};
use crate::lineage::{Direction, style};
use crate::numbers::{as_read, grouped};
use crate::obligations::view::ObligationsView;
use crate::server::views::{Link, ModelDetail};

/// What the summary shows beyond the model's own facts.
#[derive(Debug)]
pub struct Summary {
    pub counts: DirectCounts,
    /// For a family: its members and their edges added up.
    pub family: Option<FamilyRollup>,
    /// What the model owes; `None` only for a record the dataset does not hold.
    pub obligations: Option<ObligationsView>,
}

#[derive(Debug)]
pub struct FamilyRollup {
    /// Every member's direct edges added up.
    pub counts: DirectCounts,
    /// The first members (see `MAX_MEMBER_ROWS`), each with its own counts.
    pub members: Vec<MemberRow>,
    pub total_members: usize,
}

#[derive(Debug)]
pub struct MemberRow {
    pub member: Link,
    /// Whether the member is itself a family.
    pub family: bool,
    pub bases: usize,
    pub derivatives: usize,
}

/// "10 confirmed, 2 reported".
fn by_confidence(count: &RelationCount) -> String {
    count
        .by_confidence
        .iter()
        .map(|(confidence, n)| format!("{} {confidence}", grouped(*n as u64)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One side's counts: a link per relation to its list.
fn side(id: &str, counts: &DirectCounts, direction: Direction, links: bool) -> Markup {
    let noun = match direction {
        Direction::Up => "bases",
        _ => "derivatives",
    };
    let rows = counts.side(direction);
    let total: usize = rows.iter().map(|c| c.total).sum();
    html! {
        div class={"counts " (noun)} {
            h3 { (grouped(total as u64)) " direct " (if total == 1 { &noun[..noun.len() - 1] } else { noun }) }
            @if rows.is_empty() {
                p.muted { "None recorded." }
            } @else {
                ul {
                    @for count in rows {
                        li data-relation=(count.relation.as_str()) {
                            @let words = format!("{} {}", grouped(count.total as u64), style::relation(count.relation).label);
                            @if links {
                                a href=(crate::site::neighbours_href(id, direction, count.relation)) { (words) }
                            } @else {
                                (words)
                            }
                            " · " span.muted { (by_confidence(count)) }
                        }
                    }
                }
            }
        }
    }
}

fn counts(id: &str, counts: &DirectCounts, links: bool) -> Markup {
    html! {
        div.tree {
            (side(id, counts, Direction::Up, links))
            (side(id, counts, Direction::Down, links))
        }
    }
}

/// The facts a reader asks first.
fn facts(model: &ModelDetail) -> Markup {
    // Access that holds now, and since when: its own `from`, else the release date
    // (a released model is available from its release).
    let current: Vec<_> = model
        .access
        .iter()
        .filter(|a| a.provenance.valid_until.is_none())
        .collect();
    let released = model.release.as_ref().and_then(|r| r.date.as_deref());
    let developer = model.organizations.first();
    // The chain ends with the owner: the developer itself when nothing is above it.
    let owner = model.organizations.last();
    html! {
        dl.facts {
            dt { "Access" }
            dd {
                @if current.is_empty() { span.muted { "not recorded" } }
                @for (i, access) in current.iter().enumerate() {
                    @if i > 0 { "; " }
                    (access.level) " "
                    @if let Some(since) = access.provenance.valid_from.as_deref().or(released) { "since " (since) " " }
                    (badge(access.provenance.confidence))
                }
            }
            dt { "Licence" }
            dd {
                @if model.licenses.is_empty() { span.muted { "not recorded" } }
                @for (i, license) in model.licenses.iter().enumerate() {
                    @if i > 0 { ", " }
                    (link(&license.license)) " " span.muted { (license.spdx) }
                }
            }
            dt { "Developer" }
            dd { @if let Some(d) = developer { (link(d)) } @else { (link(&model.developer)) } }
            @if let Some(owner) = owner { dt { "Owner" } dd { (link(owner)) } }
            dt { "Released" }
            dd {
                @match &model.release {
                    Some(r) => { @if let Some(date) = &r.date { (date) } @else { (r.status) @if let Some(e) = &r.expected { " (expected " (e) ")" } } }
                    None => { span.muted { "not recorded" } }
                }
            }
            @if let Some(total) = model.parameters.as_ref().and_then(|p| p.total) {
                dt { "Parameters" }
                dd { (as_read(total)) @if let Some(active) = model.parameters.as_ref().and_then(|p| p.active) { ", " (as_read(active)) " active" } }
            }
        }
    }
}

/// The columns of the members table (see [`head`]).
const MEMBER_COLUMNS: [&str; 3] = ["Member", "Bases", "Derivatives"];

fn members(family: &FamilyRollup) -> Markup {
    html! {
        div.table-wrap {
            table.members {
                caption { (grouped(family.total_members as u64)) " members, with their own direct lineage" }
                (head(&MEMBER_COLUMNS))
                tbody {
                    @for row in &family.members {
                        tr {
                            td data-label=(MEMBER_COLUMNS[0]) { (link(&row.member)) @if row.family { " " span.muted { "(family)" } } }
                            td data-label=(MEMBER_COLUMNS[1]) { (grouped(row.bases as u64)) }
                            td data-label=(MEMBER_COLUMNS[2]) { (grouped(row.derivatives as u64)) }
                        }
                    }
                }
            }
        }
        @if family.members.len() < family.total_members {
            p.muted { "The first " (family.members.len()) " of " (grouped(family.total_members as u64)) " members; the counts above add up all of them." }
        }
    }
}

pub fn summary_box(model: &ModelDetail, summary: &Summary) -> Markup {
    html! {
        section.summary aria-labelledby="summary" {
            h2 #summary { "At a glance" }
            (facts(model))
            p.muted { "Direct lineage by relation, every claim (ended ones too); each count opens its list." }
            (counts(&model.id, &summary.counts, true))
            @if let Some(family) = &summary.family {
                h3 { "Across the family" }
                p.muted { "The direct lineage of every member added up." }
                (counts(&model.id, &family.counts, false))
                (members(family))
            }
            @if let Some(view) = &summary.obligations { (super::obligations::section(view)) }
        }
    }
}
