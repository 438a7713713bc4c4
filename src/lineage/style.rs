//! How a lineage edge looks, in every picture: the one table of relation labels and
//! colours, and of confidence line styles and badges, read by the SVG, DOT, Mermaid,
//! the web legend, the forms and the web stylesheet's confidence rules. Exhaustive matches: a new relation or confidence level does
//! not compile until it has a look.

use crate::model::{Confidence, Relation};

/// How a relation shows: its colour and its human label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RelationStyle {
    /// Words for people (`fine-tune`); the data's word is the relation's own.
    pub label: &'static str,
    /// A CSS/SVG/Graphviz colour.
    pub colour: &'static str,
}

/// The look of each relation.
pub fn relation(relation: Relation) -> RelationStyle {
    let (label, colour) = match relation {
        Relation::Finetune => ("fine-tune", "#1f6feb"),
        Relation::Adapter => ("adapter", "#8250df"),
        Relation::Merge => ("merge", "#bf5700"),
        Relation::Quantized => ("quantized", "#6e7781"),
        Relation::Distillation => ("distillation", "#1a7f37"),
        Relation::TrainedOnOutputs => ("trained on outputs", "#0a7a82"),
        Relation::ContinuedPretraining => ("continued pre-training", "#9a6700"),
    };
    RelationStyle { label, colour }
}

/// How a confidence level shows: the line of its edges, and its badge on web pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineStyle {
    /// The line in words, for legends: `solid`, `dashed`, `dotted`, `dash-dot`.
    pub name: &'static str,
    /// The SVG `stroke-dasharray` (also Mermaid's); `None` draws a solid line.
    pub dasharray: Option<&'static str>,
    /// The Graphviz `style`. Graphviz has no dash-dot line, so `disputed` is drawn
    /// `dashed` and `bold`: the nearest line that stays apart from `reported`.
    pub dot: &'static str,
    /// The Mermaid arrow: Mermaid has only solid and dotted arrows; the `linkStyle`
    /// written with it carries the exact dash pattern.
    pub mermaid_arrow: &'static str,
    /// The colour of the confidence's badge (and of its word) on web pages.
    pub badge_colour: &'static str,
    /// The CSS `border-style` of the badge, after the line: CSS has no dash-dot
    /// border, so `disputed` is `solid` and told apart by its colour.
    pub badge_border: &'static str,
}

/// The line of each confidence level: solid confirmed, dashed reported, dotted
/// rumored, dash-dot disputed; badges green, brown, orange and red.
pub fn line(confidence: Confidence) -> LineStyle {
    #[rustfmt::skip]
    let (name, dasharray, dot, mermaid_arrow, badge_colour, badge_border) = match confidence {
        Confidence::Confirmed => ("solid", None, "solid", "-->", "#1a7f37", "solid"),
        Confidence::Reported => ("dashed", Some("7 4"), "dashed", "-.->", "#9a6700", "dashed"),
        Confidence::Rumored => ("dotted", Some("2 4"), "dotted", "-.->", "#bc4c00", "dotted"),
        Confidence::Disputed => ("dash-dot", Some("8 3 2 3"), "\"dashed,bold\"", "-.->", "#cf222e", "solid"),
    };
    LineStyle {
        name,
        dasharray,
        dot,
        mermaid_arrow,
        badge_colour,
        badge_border,
    }
}

/// The legend of line styles in words: `solid confirmed, dashed reported, …`.
pub fn line_legend() -> String {
    Confidence::ALL
        .iter()
        .map(|&c| format!("{} {}", line(c).name, c.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}
