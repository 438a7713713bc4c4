//! How a lineage edge looks, in every picture: the one table of relation labels and
//! colours, and of confidence line styles and badges, read by the SVG, DOT, Mermaid,
//! the web legend, the forms and the web stylesheet's confidence rules. Exhaustive
//! matches: a new relation or confidence level does not compile until it has a look.
//!
//! **Colour is the relation, and only the relation.** The seven colours stay apart
//! for people with protanopia, deuteranopia and tritanopia as well as for everyone
//! else, and each reads as text on white (WCAG AA, 4.5:1, since the picture writes
//! its edge labels in the edge's colour); `tests/palette.rs` simulates the three
//! (Machado et al. 2009) and measures every pair (CIEDE2000). Okabe and Ito's
//! colour-blind-safe set was the starting point, but four of its eight colours are
//! too light to draw a line or a word on white (yellow, sky blue, orange and bluish
//! green are under 3.5:1), so the colours were searched for near its hues under
//! both constraints (docs/web.md has the figures). Confidence never borrows a
//! colour: it is the line's pattern, and badges are neutral greys bordered with that
//! pattern, so no hue means two things (green was distillation on edges and
//! confirmed on badges before).

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
        // Blue, violet, ochre, ink, green, raspberry, brown.
        Relation::Finetune => ("fine-tune", "#226fe9"),
        Relation::Adapter => ("adapter", "#4b1ba8"),
        Relation::Merge => ("merge", "#906e00"),
        Relation::Quantized => ("quantized", "#000036"),
        Relation::Distillation => ("distillation", "#006954"),
        Relation::TrainedOnOutputs => ("trained on outputs", "#df2672"),
        Relation::ContinuedPretraining => ("continued pre-training", "#6f3000"),
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
    /// The colour of the confidence's badge (and of its word) on web pages: a neutral
    /// grey, since every hue is a relation's.
    pub badge_colour: &'static str,
    /// The CSS `border-style` of the badge, after the line. CSS has no dash-dot
    /// border, so `disputed` is `double`: a pattern of its own, as dash-dot is.
    pub badge_border: &'static str,
}

/// The line of each confidence level: solid confirmed, dashed reported, dotted
/// rumored, dash-dot disputed; badges neutral, darker the surer, bordered solid,
/// dashed, dotted and double.
pub fn line(confidence: Confidence) -> LineStyle {
    #[rustfmt::skip]
    let (name, dasharray, dot, mermaid_arrow, badge_colour, badge_border) = match confidence {
        Confidence::Confirmed => ("solid", None, "solid", "-->", "#1f2328", "solid"),
        Confidence::Reported => ("dashed", Some("7 4"), "dashed", "-.->", "#424a53", "dashed"),
        Confidence::Rumored => ("dotted", Some("2 4"), "dotted", "-.->", "#57606a", "dotted"),
        Confidence::Disputed => ("dash-dot", Some("8 3 2 3"), "\"dashed,bold\"", "-.->", "#57606a", "double"),
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
