//! The look of lineage edges (`lineage::style`) for people who see colour differently:
//! every pair of relation colours stays apart under simulated protanopia,
//! deuteranopia and tritanopia, each stands off white and reads as text on it, and no
//! confidence badge wears a relation's colour.
//!
//! The colour science is here rather than in `src/`, since only this check needs it:
//! sRGB to linear light, the Machado, Oliveira and Fernandes (2009) simulation
//! matrices at severity 1 (full dichromacy), CIE XYZ and CIELAB under D65, the
//! CIEDE2000 difference (Sharma, Wu and Dalal 2005, checked below against their test
//! data) and the WCAG 2 contrast ratio.

use pedigree::lineage::style;
use pedigree::model::{Confidence, Relation};

/// The least CIEDE2000 difference between two relation colours, as seen with normal
/// vision and under each simulated dichromacy. A difference of 1 is about the least
/// two large patches side by side can show; edges are 2-pixel lines, and a reader
/// matches a line to the legend rather than to its neighbour, and thin marks need
/// several times the large-patch difference to be told apart (Szafir, "Modeling
/// Color Difference for Visualization Design", IEEE VIS 2017). 15 is that margin;
/// the palette reaches 17.
const MIN_PAIR: f64 = 15.0;
/// The least CIEDE2000 difference from white, the picture's background, under each
/// vision: a line must stand out from the page as clearly as from other lines.
const MIN_FROM_WHITE: f64 = 30.0;
/// WCAG 2 AA for text under 18.66 px bold: edge labels are 10.5 px, written in their
/// edge's colour.
const MIN_TEXT_CONTRAST: f64 = 4.5;
/// Badges are neutral: at most this CIELAB chroma (the page's greys are a touch
/// blue, about 7), while every relation colour has at least [`MIN_RELATION_CHROMA`].
const MAX_BADGE_CHROMA: f64 = 10.0;
const MIN_RELATION_CHROMA: f64 = 30.0;

/// The relation colours before issue 16, which merge and continued pre-training, and
/// fine-tune and adapter, could not be told apart in: the check must refuse them.
const BEFORE_ISSUE_16: [&str; 7] = [
    "#1f6feb", "#8250df", "#bf5700", "#6e7781", "#1a7f37", "#0a7a82", "#9a6700",
];

#[derive(Clone, Copy, Debug)]
enum Vision {
    Normal,
    Protanopia,
    Deuteranopia,
    Tritanopia,
}

const VISIONS: [Vision; 4] = [
    Vision::Normal,
    Vision::Protanopia,
    Vision::Deuteranopia,
    Vision::Tritanopia,
];

type Matrix = [[f64; 3]; 3];

impl Vision {
    /// Machado et al. 2009, Table 1 at severity 1.0, on linear RGB. Tritanopia is the
    /// model's weakest case (it was fitted to the L and M cones' shifts), so its
    /// figure is a guide rather than a measurement.
    fn matrix(self) -> Matrix {
        match self {
            Vision::Normal => [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
            Vision::Protanopia => [
                [0.152286, 1.052583, -0.204868],
                [0.114503, 0.786281, 0.099216],
                [-0.003882, -0.048116, 1.051998],
            ],
            Vision::Deuteranopia => [
                [0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881],
            ],
            Vision::Tritanopia => [
                [1.255528, -0.076749, -0.178779],
                [-0.078411, 0.930809, 0.147602],
                [0.004733, 0.691367, 0.303900],
            ],
        }
    }
}

/// `#rrggbb` as linear-light RGB in 0..=1.
fn linear(hex: &str) -> [f64; 3] {
    assert!(
        hex.len() == 7 && hex.starts_with('#'),
        "{hex} is not #rrggbb"
    );
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    [channel(1), channel(3), channel(5)]
}

/// How a colour looks under `vision`, in CIELAB (D65).
fn seen(hex: &str, vision: Vision) -> [f64; 3] {
    let rgb = linear(hex);
    let m = vision.matrix();
    let sim: Vec<f64> = (0..3)
        .map(|i| {
            (0..3)
                .map(|j| m[i][j] * rgb[j])
                .sum::<f64>()
                .clamp(0.0, 1.0)
        })
        .collect();
    lab([
        0.4124564 * sim[0] + 0.3575761 * sim[1] + 0.1804375 * sim[2],
        0.2126729 * sim[0] + 0.7151522 * sim[1] + 0.0721750 * sim[2],
        0.0193339 * sim[0] + 0.1191920 * sim[1] + 0.9503041 * sim[2],
    ])
}

fn lab([x, y, z]: [f64; 3]) -> [f64; 3] {
    let f = |t: f64| {
        let delta: f64 = 6.0 / 29.0;
        if t > delta.powi(3) {
            t.cbrt()
        } else {
            t / (3.0 * delta * delta) + 4.0 / 29.0
        }
    };
    let (fx, fy, fz) = (f(x / 0.95047), f(y), f(z / 1.08883));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

fn chroma(lab: [f64; 3]) -> f64 {
    lab[1].hypot(lab[2])
}

/// CIEDE2000 (Sharma, Wu and Dalal 2005), with kL = kC = kH = 1.
fn ciede2000(one: [f64; 3], two: [f64; 3]) -> f64 {
    let [l1, a1, b1] = one;
    let [l2, a2, b2] = two;
    let c_mean = (a1.hypot(b1) + a2.hypot(b2)) / 2.0;
    let g = 0.5 * (1.0 - (c_mean.powi(7) / (c_mean.powi(7) + 25f64.powi(7))).sqrt());
    let (a1, a2) = ((1.0 + g) * a1, (1.0 + g) * a2);
    let (c1, c2) = (a1.hypot(b1), a2.hypot(b2));
    let hue = |b: f64, a: f64| {
        if a == 0.0 && b == 0.0 {
            0.0
        } else {
            b.atan2(a).to_degrees().rem_euclid(360.0)
        }
    };
    let (h1, h2) = (hue(b1, a1), hue(b2, a2));
    let dl = l2 - l1;
    let dc = c2 - c1;
    let dh = if c1 * c2 == 0.0 {
        0.0
    } else if (h2 - h1).abs() <= 180.0 {
        h2 - h1
    } else if h2 - h1 > 180.0 {
        h2 - h1 - 360.0
    } else {
        h2 - h1 + 360.0
    };
    let dh_big = 2.0 * (c1 * c2).sqrt() * (dh / 2.0).to_radians().sin();
    let l_mean = (l1 + l2) / 2.0;
    let c_mean = (c1 + c2) / 2.0;
    let h_mean = if c1 * c2 == 0.0 {
        h1 + h2
    } else if (h1 - h2).abs() <= 180.0 {
        (h1 + h2) / 2.0
    } else if h1 + h2 < 360.0 {
        (h1 + h2 + 360.0) / 2.0
    } else {
        (h1 + h2 - 360.0) / 2.0
    };
    let cos = |degrees: f64| degrees.to_radians().cos();
    let t =
        1.0 - 0.17 * cos(h_mean - 30.0) + 0.24 * cos(2.0 * h_mean) + 0.32 * cos(3.0 * h_mean + 6.0)
            - 0.20 * cos(4.0 * h_mean - 63.0);
    let d_theta = 30.0 * (-((h_mean - 275.0) / 25.0).powi(2)).exp();
    let r_c = 2.0 * (c_mean.powi(7) / (c_mean.powi(7) + 25f64.powi(7))).sqrt();
    let s_l = 1.0 + 0.015 * (l_mean - 50.0).powi(2) / (20.0 + (l_mean - 50.0).powi(2)).sqrt();
    let s_c = 1.0 + 0.045 * c_mean;
    let s_h = 1.0 + 0.015 * c_mean * t;
    let r_t = -(2.0 * d_theta).to_radians().sin() * r_c;
    ((dl / s_l).powi(2)
        + (dc / s_c).powi(2)
        + (dh_big / s_h).powi(2)
        + r_t * (dc / s_c) * (dh_big / s_h))
        .sqrt()
}

/// The WCAG 2 contrast ratio of a colour against white.
fn contrast_on_white(hex: &str) -> f64 {
    let [r, g, b] = linear(hex);
    let luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    1.05 / (luminance + 0.05)
}

/// The closest pair of `colours` under `vision`: (difference, first, second).
fn closest_pair(colours: &[(String, &str)], vision: Vision) -> (f64, String, String) {
    let mut closest = (f64::INFINITY, String::new(), String::new());
    for (i, (name, colour)) in colours.iter().enumerate() {
        for (other, other_colour) in &colours[i + 1..] {
            let d = ciede2000(seen(colour, vision), seen(other_colour, vision));
            if d < closest.0 {
                closest = (d, name.clone(), other.clone());
            }
        }
    }
    closest
}

/// The colours that carry a relation on their own: those of the relations between
/// models. The three relations that join a dataset share one neutral grey, told
/// apart by their ends (a dataset is a square box that says "dataset"), and are
/// checked by [`data_edges_share_one_neutral_colour_that_reads_on_white`]: an
/// eighth hue cannot stand 15 apart from the seven under every vision (a search
/// of the sRGB cube in steps of 8 found at most 12).
fn relation_colours() -> Vec<(String, &'static str)> {
    Relation::ALL
        .iter()
        .filter(|r| !r.is_data())
        .map(|&r| {
            (
                style::relation(r).label.to_owned(),
                style::relation(r).colour,
            )
        })
        .collect()
}

/// The implementation against Sharma, Wu and Dalal's published test pairs (Table 1
/// of "The CIEDE2000 color-difference formula", 2005), covering the hue-angle and
/// near-neutral branches.
#[test]
fn ciede2000_agrees_with_sharmas_test_data() {
    let pairs = [
        ([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485], 2.0425),
        ([50.0, 3.1571, -77.2803], [50.0, 0.0, -82.7485], 2.8615),
        ([50.0, 0.0, 0.0], [50.0, -1.0, 2.0], 2.3669),
        ([50.0, 2.5, 0.0], [73.0, 25.0, -18.0], 27.1492),
        (
            [60.2574, -34.0099, 36.2677],
            [60.4626, -34.1751, 39.4387],
            1.2644,
        ),
        ([2.0776, 0.0795, -1.135], [0.9033, -0.0636, -0.5514], 0.9082),
    ];
    for (one, two, expected) in pairs {
        let d = ciede2000(one, two);
        assert!(
            (d - expected).abs() < 5e-4,
            "{one:?} {two:?}: {d}, not {expected}"
        );
        assert!((ciede2000(two, one) - d).abs() < 1e-9, "symmetric");
    }
}

/// The simulation keeps greys grey (each row of a matrix sums to one) and confuses
/// what each dichromacy is known to confuse: red and green for protanopes and
/// deuteranopes, blue and green for tritanopes.
#[test]
fn the_simulations_confuse_what_each_dichromacy_confuses() {
    for vision in VISIONS {
        for row in vision.matrix() {
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-5, "{vision:?}");
        }
        let grey = seen("#777777", vision);
        assert!(chroma(grey) < 0.5, "{vision:?} keeps grey grey: {grey:?}");
    }
    let apart = |a: &str, b: &str, vision| ciede2000(seen(a, vision), seen(b, vision));
    // A red and a dark green a protanope confuses, a red and a leaf green a
    // deuteranope confuses, and a blue and a grey-green a tritanope confuses: far
    // apart to everyone else.
    let pairs = [
        ("#cc3333", "#006633", Vision::Protanopia),
        ("#cc3333", "#448822", Vision::Deuteranopia),
        ("#3366cc", "#447766", Vision::Tritanopia),
    ];
    for (one, two, confused) in pairs {
        assert!(apart(one, two, Vision::Normal) > 30.0, "{one} {two}");
        assert!(apart(one, two, confused) < 10.0, "{one} {two} {confused:?}");
    }
}

#[test]
fn relation_colours_stay_apart_for_every_vision() {
    let colours = relation_colours();
    let mut problems = Vec::new();
    for vision in VISIONS {
        let (d, a, b) = closest_pair(&colours, vision);
        println!("{vision:?}: closest relations {a} and {b}, CIEDE2000 {d:.1}");
        if d < MIN_PAIR {
            problems.push(format!("{vision:?}: {a} and {b} are {d:.1} apart"));
        }
        for (name, colour) in &colours {
            let d = ciede2000(seen(colour, vision), seen("#ffffff", vision));
            if d < MIN_FROM_WHITE {
                problems.push(format!("{vision:?}: {name} is {d:.1} from white"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "relation colours too close (at least {MIN_PAIR} apart, {MIN_FROM_WHITE} from white):\n{}",
        problems.join("\n")
    );
}

/// The check can fail: the palette it replaced is refused under protanopia and
/// deuteranopia, as people saw.
#[test]
fn the_palette_before_issue_16_fails_the_check() {
    let old: Vec<(String, &str)> = Relation::ALL
        .iter()
        .zip(BEFORE_ISSUE_16)
        .map(|(r, c)| (r.as_str().to_owned(), c))
        .collect();
    assert!(closest_pair(&old, Vision::Normal).0 < 15.0);
    let (d, a, b) = closest_pair(&old, Vision::Protanopia);
    assert!(d < 5.0, "{a} and {b}: {d}");
    assert_eq!((a.as_str(), b.as_str()), ("merge", "continued_pretraining"));
    let (d, a, b) = closest_pair(&old, Vision::Deuteranopia);
    assert!(d < 5.0, "{a} and {b}: {d}");
    assert_eq!((a.as_str(), b.as_str()), ("finetune", "adapter"));
}

#[test]
fn relation_colours_read_as_text_on_white() {
    for (name, colour) in relation_colours() {
        let ratio = contrast_on_white(colour);
        assert!(
            ratio >= MIN_TEXT_CONTRAST,
            "{name} ({colour}) is {ratio:.2}:1 on white, under WCAG AA's {MIN_TEXT_CONTRAST}:1"
        );
    }
}

/// Badges say confidence by their word and border pattern, in neutral greys, so no
/// badge colour is (or looks like) a relation's; each reads as text on white, and no
/// two levels share a border. Compared as seen with normal vision: under a
/// dichromacy some relation colours do look grey (raspberry to a protanope), which
/// is why a badge's colour says nothing and its word and border say it all.
#[test]
fn confidence_badges_wear_no_relation_colour() {
    let relations = relation_colours();
    let mut borders = std::collections::HashSet::new();
    for level in Confidence::ALL {
        let look = style::line(level);
        let badge = seen(look.badge_colour, Vision::Normal);
        assert!(
            chroma(badge) <= MAX_BADGE_CHROMA,
            "{level}: {} is not neutral",
            look.badge_colour
        );
        assert!(contrast_on_white(look.badge_colour) >= MIN_TEXT_CONTRAST);
        assert!(
            borders.insert(look.badge_border),
            "{level} shares its border"
        );
        for (name, colour) in &relations {
            assert!(
                !colour.eq_ignore_ascii_case(look.badge_colour),
                "{level} wears {name}'s colour"
            );
            let d = ciede2000(badge, seen(colour, Vision::Normal));
            assert!(d >= MIN_PAIR, "{level}'s badge looks like {name} ({d:.1})");
        }
    }
    for (name, colour) in &relations {
        let c = chroma(seen(colour, Vision::Normal));
        assert!(
            c >= MIN_RELATION_CHROMA,
            "{name} ({colour}) is nearly grey ({c:.1}), like a badge"
        );
    }
}

/// docs/web.md's palette table lists each relation with its colour, as drawn.
#[test]
fn the_palette_table_in_the_docs_is_the_style_table() {
    let web = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/web.md"),
    )
    .unwrap();
    for relation in Relation::ALL {
        let look = style::relation(relation);
        let row = format!("| {} | `{}` |", look.label, look.colour);
        assert!(
            web.lines().any(|line| line.starts_with(&row)),
            "docs/web.md has no palette row starting `{row}`"
        );
    }
}

#[test]
fn data_edges_share_one_neutral_colour_that_reads_on_white() {
    for relation in Relation::ALL.iter().filter(|r| r.is_data()) {
        assert_eq!(style::relation(*relation).colour, style::DATA_EDGE_COLOUR);
    }
    let grey = seen(style::DATA_EDGE_COLOUR, Vision::Normal);
    assert!(
        chroma(grey) <= MAX_BADGE_CHROMA,
        "the data edges' grey has a hue"
    );
    assert!(contrast_on_white(style::DATA_EDGE_COLOUR) >= MIN_TEXT_CONTRAST);
    for (name, colour) in relation_colours() {
        assert_ne!(
            colour,
            style::DATA_EDGE_COLOUR,
            "{name} wears the data grey"
        );
    }
}
