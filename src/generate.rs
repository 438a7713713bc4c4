//! A synthetic corpus shaped like the Hugging Face Hub, for benchmarks at scale.
//!
//! The Hub holds about two million models, most with a `base_model`; a few bases have
//! tens of thousands of derivatives and most models have none. This generator makes a
//! forest with that shape: a few hub roots drawing a large share of new models
//! (Zipf-weighted), preferential attachment (popular models attract more), uniform
//! attachment (which grows deep chains, depth ~30 at a million models), a Hub-like
//! mix of relations (quantized and finetune most common, then adapter, merge,
//! distillation), organisations with Zipf-distributed output, licences and sources.
//!
//! It is pure: [`Corpus::files`] yields `(path, text)` pairs and the caller writes
//! them. The same seed gives the same bytes. Many records share a file (a YAML stream)
//! so that a million models is a thousand files, not a million. The output is valid
//! data (`pedigree validate` passes) and is never to be committed to `graph-data/`:
//! every record says it is synthetic.

use std::fmt::Write;

/// Models written per file.
pub const MODELS_PER_FILE: usize = 1000;

/// Settings of one corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    pub models: usize,
    pub seed: u64,
}

/// SplitMix64: a tiny, well-distributed generator whose output is fixed by its seed
/// on every platform, which is all a reproducible benchmark needs.
#[derive(Clone, Debug)]
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Zipf-like index in `0..n`: index k with weight 1/(k+1).
    fn zipf(&mut self, n: usize) -> usize {
        // Inverse transform on the continuous approximation: k = n^u - 1.
        let k = ((n as f64 + 1.0).powf(self.unit()) - 1.0) as usize;
        k.min(n - 1)
    }
}

/// One generated model, before it is written.
#[derive(Clone, Debug)]
struct Model {
    developer: usize,
    family: Option<usize>,
    license: usize,
    source: usize,
    confidence: &'static str,
    /// (base model index, relation).
    bases: Vec<(usize, &'static str)>,
    day: u32,
}

/// The licences a corpus uses: SPDX ids where they exist, else synthetic refs.
const LICENSES: &[(&str, &str, &str, bool)] = &[
    ("apache-2.0", "Apache License 2.0", "Apache-2.0", true),
    ("mit", "MIT License", "MIT", true),
    (
        "gpl-3.0",
        "GNU General Public License v3.0",
        "GPL-3.0-only",
        true,
    ),
    (
        "cc-by-4.0",
        "Creative Commons Attribution 4.0",
        "CC-BY-4.0",
        false,
    ),
    (
        "cc-by-nc-4.0",
        "Creative Commons Attribution Non Commercial 4.0",
        "CC-BY-NC-4.0",
        false,
    ),
    (
        "synthetic-community-a",
        "Synthetic Community Licence A",
        "LicenseRef-Synthetic-Community-A",
        false,
    ),
    (
        "synthetic-community-b",
        "Synthetic Community Licence B",
        "LicenseRef-Synthetic-Community-B",
        false,
    ),
    (
        "synthetic-research",
        "Synthetic Research Licence",
        "LicenseRef-Synthetic-Research",
        false,
    ),
];

/// The generated corpus, held compactly until it is written.
#[derive(Debug)]
pub struct Corpus {
    config: Config,
    models: Vec<Model>,
    organizations: usize,
    families: usize,
    sources: usize,
}

/// Days from 2019-01-01 over which releases spread.
const SPAN_DAYS: u32 = 2500;

impl Corpus {
    pub fn new(config: Config) -> Corpus {
        let n = config.models.max(1);
        let mut random = Random(config.seed ^ 0x005E_ED0F_FEED);
        let organizations = (n / 200).max(10);
        let families = (n / 2000).max(5);
        let sources = (n / 100).max(10);
        let roots = (n / 50).max(5).min(n);
        let hubs = roots.min(10);
        let mut models: Vec<Model> = Vec::with_capacity(n);
        // Preferential attachment: each model appears once, plus once per derivative.
        let mut urn: Vec<u32> = Vec::with_capacity(n * 2);
        for i in 0..n {
            let day = (i as u64 * SPAN_DAYS as u64 / n as u64) as u32;
            let source = random.below(sources);
            let roll = random.unit();
            let confidence = if roll < 0.9 {
                "confirmed"
            } else if roll < 0.98 {
                "reported"
            } else {
                "rumored"
            };
            if i < roots {
                models.push(Model {
                    developer: random.zipf(organizations),
                    family: Some(i % families),
                    license: random.below(LICENSES.len()),
                    source,
                    confidence,
                    bases: Vec::new(),
                    day,
                });
                urn.push(i as u32);
                continue;
            }
            // Hubs draw a third; popular models and uniform picks most of the rest; a
            // few pick a very recent model, which grows the long chains of
            // finetunes-of-finetunes the Hub has.
            let pick = random.unit();
            let base = if pick < 0.04 {
                random.zipf(hubs)
            } else if pick < 0.36 {
                urn[random.below(urn.len())] as usize
            } else if pick < 0.7 {
                random.below(i)
            } else {
                i - 1 - random.below(i.min(3))
            };
            let relation_roll = random.unit();
            let relation = match relation_roll {
                r if r < 0.35 => "quantized",
                r if r < 0.68 => "finetune",
                r if r < 0.83 => "adapter",
                r if r < 0.91 => "merge",
                r if r < 0.98 => "distillation",
                _ => "trained_on_outputs",
            };
            let mut bases = vec![(base, relation)];
            if relation == "merge" {
                let other = random.below(i);
                if other != base {
                    bases.push((other, "merge"));
                }
            }
            let parent = &models[base];
            let developer = if random.unit() < 0.3 {
                parent.developer
            } else {
                random.zipf(organizations)
            };
            let license = if random.unit() < 0.7 {
                parent.license
            } else {
                random.below(LICENSES.len())
            };
            // A derivative is released on or after its bases.
            let day = day.max(bases.iter().map(|&(b, _)| models[b].day).max().unwrap_or(0));
            for &(b, _) in &bases {
                urn.push(b as u32);
            }
            urn.push(i as u32);
            models.push(Model {
                developer,
                family: None,
                license,
                source,
                confidence,
                bases,
                day,
            });
        }
        Corpus {
            config,
            models,
            organizations,
            families,
            sources,
        }
    }

    /// Number of files [`Corpus::files`] yields.
    pub fn file_count(&self) -> usize {
        self.models.len().div_ceil(MODELS_PER_FILE) + 4
    }

    /// The corpus as `(path relative to the data folder, text)` pairs.
    pub fn files(&self) -> impl Iterator<Item = (String, String)> + '_ {
        let fixed = [
            (
                "organizations/synthetic.yaml".to_owned(),
                self.organizations_file(),
            ),
            ("sources/synthetic.yaml".to_owned(), self.sources_file()),
            ("licenses/synthetic.yaml".to_owned(), licenses_file()),
            ("models/families.yaml".to_owned(), self.families_file()),
        ];
        let chunks = self.models.len().div_ceil(MODELS_PER_FILE);
        fixed.into_iter().chain((0..chunks).map(move |chunk| {
            let start = chunk * MODELS_PER_FILE;
            let end = (start + MODELS_PER_FILE).min(self.models.len());
            (
                format!("models/batch-{chunk:05}.yaml"),
                self.models_file(start..end),
            )
        }))
    }

    fn organizations_file(&self) -> String {
        let mut out = String::new();
        for o in 0..self.organizations {
            if o > 0 {
                out.push_str("---\n");
            }
            let _ = write!(
                out,
                "id: org-{o:06}\nname: Synthetic Organisation {o}\nkind: {}\nsources: [{}]\nconfidence: confirmed\nnote: synthetic benchmark data\n",
                if o % 7 == 0 { "lab" } else { "company" },
                self.primary_source(o)
            );
        }
        out
    }

    fn sources_file(&self) -> String {
        let mut out = String::new();
        for s in 0..self.sources {
            if s > 0 {
                out.push_str("---\n");
            }
            let (year, month, day) =
                date((s as u64 * SPAN_DAYS as u64 / self.sources as u64) as u32);
            let kind = if s % 10 == 9 { "press" } else { "model-card" };
            let _ = write!(
                out,
                "id: src-{s:06}\ntitle: Synthetic source {s}\npublisher: Synthetic Publisher {}\nurl: https://synthetic.example/source/{s}\npublished: {year:04}-{month:02}-{day:02}\nlanguage: en\nkind: {kind}\nnote: synthetic benchmark data\n",
                s % 50
            );
        }
        out
    }

    fn families_file(&self) -> String {
        let mut out = String::new();
        for f in 0..self.families {
            if f > 0 {
                out.push_str("---\n");
            }
            let _ = write!(
                out,
                "id: family-{f:05}\nname: Synthetic Family {f}\nkind: family\ndeveloper: org-{:06}\nsources: [{}]\nconfidence: confirmed\n",
                f % self.organizations,
                self.primary_source(f)
            );
        }
        out
    }

    /// A model-card source (every tenth source is press, which cannot confirm).
    fn primary_source(&self, n: usize) -> String {
        let mut s = n % self.sources;
        if s % 10 == 9 {
            s -= 1;
        }
        format!("src-{s:06}")
    }

    fn models_file(&self, range: std::ops::Range<usize>) -> String {
        let mut out = String::with_capacity(range.len() * 420);
        for i in range.clone() {
            let m = &self.models[i];
            if i > range.start {
                out.push_str("---\n");
            }
            let source = if m.confidence == "confirmed" {
                self.primary_source(m.source)
            } else {
                format!("src-{:06}", m.source)
            };
            let (year, month, day) = date(m.day);
            let _ = write!(
                out,
                "id: m-{i:07}\nname: Synthetic Model {i}\ndeveloper: org-{:06}\n",
                m.developer
            );
            if let Some(family) = m.family {
                let _ = writeln!(out, "family: family-{family:05}");
            }
            let _ = write!(
                out,
                "release:\n  status: released\n  date: {year:04}-{month:02}-{day:02}\n  sources: [{source}]\n  confidence: {}\n",
                m.confidence
            );
            let _ = write!(
                out,
                "licenses:\n  - license: {}\n    sources: [{source}]\n    confidence: {}\n",
                LICENSES[m.license].0, m.confidence
            );
            if !m.bases.is_empty() {
                out.push_str("lineage:\n");
                for (base, relation) in &m.bases {
                    let _ = write!(
                        out,
                        "  - base: m-{base:07}\n    relation: {relation}\n    sources: [{source}]\n    confidence: {}\n",
                        m.confidence
                    );
                }
            }
            let _ = write!(out, "sources: [{source}]\nconfidence: {}\n", m.confidence);
        }
        out
    }

    /// Facts about the corpus for the benchmark report: the root with the most
    /// descendants (and how many), and the deepest model (and its depth).
    pub fn landmarks(&self) -> Landmarks {
        let n = self.models.len();
        let mut depth = vec![0u32; n];
        let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (i, m) in self.models.iter().enumerate() {
            depth[i] = m
                .bases
                .iter()
                .map(|&(b, _)| depth[b] + 1)
                .max()
                .unwrap_or(0);
            for &(b, _) in &m.bases {
                children[b].push(i as u32);
            }
        }
        let deepest = (0..n)
            .max_by_key(|&i| (depth[i], std::cmp::Reverse(i)))
            .unwrap_or(0);
        // Descendant counts of the hub roots (the largest families are among them).
        let mut best = (0, 0);
        for root in 0..n.min(10) {
            let mut seen = vec![false; n];
            let mut stack = vec![root];
            let mut count = 0;
            while let Some(node) = stack.pop() {
                for &child in &children[node] {
                    if !seen[child as usize] {
                        seen[child as usize] = true;
                        count += 1;
                        stack.push(child as usize);
                    }
                }
            }
            if count > best.1 {
                best = (root, count);
            }
        }
        Landmarks {
            largest_root: format!("m-{:07}", best.0),
            largest_root_descendants: best.1,
            deepest: format!("m-{deepest:07}"),
            deepest_depth: depth.get(deepest).copied().unwrap_or(0) as usize,
            seed: self.config.seed,
        }
    }
}

/// Where the interesting questions are in a generated corpus.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Landmarks {
    pub largest_root: String,
    pub largest_root_descendants: usize,
    pub deepest: String,
    pub deepest_depth: usize,
    pub seed: u64,
}

fn licenses_file() -> String {
    let mut out = String::new();
    for (i, (id, name, spdx, osi)) in LICENSES.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        let _ = write!(
            out,
            "id: {id}\nname: {name}\nspdx: {spdx}\nurl: https://synthetic.example/license/{id}\nosi_approved: {osi}\n{}sources: [src-000000]\nconfidence: confirmed\nnote: synthetic benchmark data\n",
            synthetic_clauses(id)
        );
    }
    out
}

/// Clauses for the synthetic licences only (real licences are never given invented
/// words), so a corpus exercises the obligation walks and every finding at scale.
fn synthetic_clauses(id: &str) -> &'static str {
    match id {
        "synthetic-community-a" => concat!(
            "clauses:\n",
            "  - kind: derivative_naming\n    section: \"1\"\n    quote: Synthetic clause for benchmarks.\n    trigger: distribution\n    prefix: Synthetic\n    reaches: [finetune, adapter, merge, quantized, distillation]\n",
            "  - kind: license_copy\n    section: \"2\"\n    quote: Synthetic clause for benchmarks.\n    trigger: distribution\n    reaches: [finetune, adapter, merge, quantized]\n",
            "  - kind: outputs_use\n    section: \"3\"\n    quote: Synthetic clause for benchmarks.\n    trigger: training\n    outputs: forbidden\n    reaches: [distillation, trained_on_outputs]\n",
        ),
        "synthetic-research" => concat!(
            "clauses:\n",
            "  - kind: research_only\n    section: \"1\"\n    quote: Synthetic clause for benchmarks.\n    trigger: use\n    reaches: [finetune, adapter, merge, quantized, distillation]\n",
        ),
        _ => "",
    }
}

/// The calendar date `days` after 2019-01-01, by `jiff`'s calendar. Generated days
/// stay within a few years of 2019, far inside its range.
fn date(days: u32) -> (u32, u32, u32) {
    let day = jiff::civil::date(2019, 1, 1)
        .checked_add(jiff::Span::new().days(i64::from(days)))
        .expect("generated dates lie within jiff's calendar");
    let part = |n: i8| u32::from(n.unsigned_abs());
    (
        u32::from(day.year().unsigned_abs()),
        part(day.month()),
        part(day.day()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes() {
        let a: Vec<_> = Corpus::new(Config {
            models: 3000,
            seed: 7,
        })
        .files()
        .collect();
        let b: Vec<_> = Corpus::new(Config {
            models: 3000,
            seed: 7,
        })
        .files()
        .collect();
        let c: Vec<_> = Corpus::new(Config {
            models: 3000,
            seed: 8,
        })
        .files()
        .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn dates_walk_the_calendar() {
        assert_eq!(date(0), (2019, 1, 1));
        assert_eq!(date(31), (2019, 2, 1));
        assert_eq!(date(365 + 59), (2020, 2, 29));
    }

    #[test]
    fn shape_is_hub_like() {
        let corpus = Corpus::new(Config {
            models: 20_000,
            seed: 1,
        });
        let landmarks = corpus.landmarks();
        assert!(landmarks.largest_root_descendants > 1_000, "{landmarks:?}");
        assert!(landmarks.deepest_depth >= 10, "{landmarks:?}");
    }
}
