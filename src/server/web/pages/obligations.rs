//! What a model owes, on its page (what you must do, may not do and may do, each
//! clause quoted, with the chain it came down and how sure that is), and the
//! findings page (every compliance finding, filtered and paged).

use maud::{Markup, html};

use super::{badge, href, layout, pager};
use crate::model::{Bearing, Kind, Word};
use crate::obligations::view::{
    Certainty, ClauseView, FindingView, Holder, ObligationView, ObligationsView,
};
use crate::server::views::Page;

fn holder(h: &Holder) -> Markup {
    let kind = match h.kind {
        crate::view::NodeKind::Dataset => Kind::Dataset,
        _ => Kind::Model,
    };
    html! { a href=(href(kind, &h.id)) { (h.name) } }
}

fn certainty(c: Certainty) -> Markup {
    html! { span class={"badge " (if c == Certainty::Certain { "confirmed" } else { "reported" })} title="certain: every claim it rests on is confirmed; possible: some claim is reported, rumored or disputed" { (c.word()) } }
}

/// What the clause asks (its one wording), with a link to the policy it names.
fn what(clause: &ClauseView) -> Markup {
    html! {
        (clause.summary())
        @if let Some(policy) = &clause.policy { " (" a href=(policy) rel="nofollow" { "read it" } ")" }
    }
}

fn quote(license_id: &str, clause: &ClauseView) -> Markup {
    html! {
        blockquote cite=(clause.url) {
            p { "“" (clause.quote) "”" }
            footer {
                a href={(href(Kind::License, license_id)) "#clause-" (clause.number)} { "§ " (clause.section) }
                " · " a href=(clause.url) rel="nofollow" { "text" }
            }
        }
    }
}

/// Where an obligation comes from: the model's own licence, or a chain.
fn origin(o: &ObligationView) -> Markup {
    html! {
        @if o.own { "its own licence" }
        @else {
            "from " (holder(&o.from))
            @if let Some(member) = &o.member { " (its member " (holder(member)) "; the checkpoint is not known)" }
            " through "
            @for (i, edge) in o.chain.iter().enumerate() {
                @if i > 0 { " → " }
                (edge.relation.word()) " " (badge(edge.confidence))
            }
        }
    }
}

fn item(o: &ObligationView) -> Markup {
    html! {
        li.obligation {
            p {
                strong { (what(&o.clause)) } " — "
                a href=(href(Kind::License, &o.license.id)) { (o.license.name) } ", " (origin(o)) " " (certainty(o.certainty))
            }
            (quote(&o.license.id, &o.clause))
        }
    }
}

const GROUPS: [(Bearing, &str); 3] = [
    (Bearing::Obligation, "What you must do"),
    (Bearing::Restriction, "What you may not do"),
    (Bearing::Permission, "What you may do"),
];

/// The "Obligations" section of a model page.
pub fn section(view: &ObligationsView) -> Markup {
    html! {
        section.obligations aria-labelledby="obligations" {
            h3 #obligations { "Obligations" }
            p.muted {
                "What shipping this model asks, from its own licences and every licence up its lineage whose clauses reach it. "
                "“Possible” means a claim on the way is not confirmed. "
                a href={"/api/models/" (view.model.id) "/obligations"} { "JSON" }
            }
            @if !view.findings.is_empty() {
                h4 { "Findings" }
                ul.findings {
                    @for f in &view.findings {
                        li { a href={"/findings?code=" (f.code)} { code { (f.code) } } " " (f.message) " " (certainty(f.obligation.certainty)) }
                    }
                }
            }
            @if view.obligations.is_empty() {
                p.muted { "No licence recorded on this model or up its lineage has clauses that reach it." }
            }
            @for (bearing, title) in GROUPS {
                @let list: Vec<&ObligationView> = view.obligations.iter().filter(|o| o.bearing == bearing).collect();
                @if !list.is_empty() {
                    h4 { (title) }
                    ul { @for o in list { (item(o)) } }
                }
            }
        }
    }
}

/// A licence's clauses, each quoted, with its anchor (`#clause-N`, as in the RDF).
pub fn clauses(license_id: &str, clauses: &[ClauseView]) -> Markup {
    html! {
        h2 #clauses { "Clauses" }
        @if clauses.is_empty() {
            p.muted { "Pedigree records no clauses for this licence; its text says what it asks." }
        } @else {
            p.muted { "What the licence asks, forbids and allows, in its own words; “reaches” lists the relations that carry a clause down to derived models." }
            ol.clauses {
                @for clause in clauses {
                    li id={"clause-" (clause.number)} {
                        p {
                            strong { (what(clause)) } " "
                            span.muted { "(" (clause.kind.word()) ", " (clause.bearing.word()) ", when: " (clause.trigger.word())
                                @if !clause.reaches.is_empty() { "; reaches: " (super::words(&clause.reaches)) }
                                ")" }
                        }
                        (quote(license_id, clause))
                    }
                }
            }
        }
    }
}

/// The findings page.
pub fn findings_page(page: &Page<FindingView>, filter: &str, base: &str, footer: &str) -> Markup {
    layout(
        "Compliance findings",
        footer,
        html! {
            h1 { "Compliance findings" }
            p.lead {
                "Where a model's recorded facts disagree with what its lineage's licences ask: licence drift, an unmet naming rule, a restricted use contradicted by how a model is offered, an outputs clause a distillation may breach. "
                "They are findings about the world, not errors in the data; each rests on the claims shown. "
                a href={"/api/findings" (filter)} { "JSON" } " · " a href="https://pedigree.example/docs/obligations" rel="nofollow" { "how they are computed" }
            }
            p { (page.total) " findings" }
            table.records {
                thead { tr { th { "code" } th { "model" } th { "finding" } th { "clause" } th { "certainty" } } }
                tbody {
                    @for f in &page.items {
                        tr {
                            td data-label="code" { a href={"/findings?code=" (f.code)} { code { (f.code) } } " " span.muted { (f.name) } }
                            td data-label="model" { (holder(&f.model)) }
                            td data-label="finding" { (f.message) }
                            td data-label="clause" { (quote(&f.obligation.license.id, &f.obligation.clause)) }
                            td data-label="certainty" { (certainty(f.obligation.certainty)) " " (badge(f.obligation.confidence)) }
                        }
                    }
                }
            }
            (pager(page, base))
        },
    )
}
