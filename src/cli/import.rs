//! `pedigree import huggingface`: model cards into reviewable records of their own
//! folder, with every problem reported and the rest imported.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pedigree::dataset::Checked;
use pedigree::diagnostics::{self, Severity};
use pedigree::import::{self, Change};

use super::{ColorChoice, DEFAULT_DATA_DIR, EXIT_FAILURE, EXIT_INVALID, EXIT_OK};

#[derive(Debug, clap::Args)]
pub(super) struct ImportArgs {
    #[command(subcommand)]
    source: ImportSource,
}

#[derive(Debug, clap::Subcommand)]
enum ImportSource {
    /// Model cards from Hugging Face: their `base_model`, `base_model_relation`,
    /// `license` and `datasets`, linked to the curated records by Hugging Face id.
    Huggingface(HuggingfaceArgs),
}

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("input").required(true).multiple(true).args(["cards", "model"]))]
struct HuggingfaceArgs {
    /// Model cards on disk, one folder per repo: `DIR/<owner>/<name>/README.md` (as
    /// `huggingface-cli download <owner>/<name> README.md --local-dir DIR/<owner>/<name>`
    /// leaves them).
    #[arg(long, value_name = "DIR")]
    cards: Option<PathBuf>,
    /// Repos to read from the Hub API (`owner/name`, one or more): their card data,
    /// revision and tags.
    #[arg(long, value_name = "REPO_ID", num_args = 1..)]
    model: Vec<String>,
    /// Also read the repos' children (adapters, merges, quantizations, fine-tunes),
    /// as the Hub lists them.
    #[arg(long, requires = "model")]
    descendants: bool,
    /// How many generations of children `--descendants` reads (1: children only).
    #[arg(long, value_name = "N", default_value_t = 1, requires = "descendants")]
    depth: u32,
    /// The Hub API's host. A token in the environment variable HF_TOKEN is sent to it
    /// (never printed or written).
    #[arg(long, value_name = "URL", default_value = import::DEFAULT_ENDPOINT)]
    endpoint: String,
    /// The curated data the import links to.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_DATA_DIR)]
    data: PathBuf,
    /// Where the records go (default: the data folder's `imported/huggingface/`, so
    /// curated and imported records never share a file). The Hub's answers are cached
    /// in its `.cache/hub/` folder.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Write nothing (no records, no cache); print what would change.
    #[arg(long)]
    dry_run: bool,
    /// When to colour the diagnostics (`auto`: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

pub(super) fn run(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let ImportSource::Huggingface(args) = &args.source;
    let checked = Checked::run_curated(&args.data)?;
    if !checked.is_valid() {
        print!(
            "{}",
            diagnostics::render_human(&checked.diagnostics, checked.files(), args.color.enabled())
        );
        eprintln!(
            "{}: the curated data has errors; fix them before importing",
            args.data.display()
        );
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    let curated = checked
        .into_dataset()
        .map_err(|_| anyhow::anyhow!("invalid data"))?;
    let out = args.out.clone().unwrap_or_else(|| {
        args.data
            .join(pedigree::load::IMPORTED_FOLDER)
            .join("huggingface")
    });
    let bar = spinner(!args.model.is_empty());
    let progress = |p: &import::Progress| {
        bar.set_message(format!(
            "{} repos read, {} listing pages, {} unchanged since the cache, {} queued",
            p.repos, p.pages, p.not_modified, p.queued
        ));
        bar.tick();
    };
    let inputs = import::Inputs {
        cards: args.cards.as_deref(),
        hub: (!args.model.is_empty()).then(|| import::Walk {
            endpoint: &args.endpoint,
            models: &args.model,
            descendants: args.descendants,
            depth: args.depth,
            token: std::env::var("HF_TOKEN").ok().and_then(import::Token::new),
            progress: &progress,
        }),
    };
    let result = import::import(&curated, &inputs, &out, args.dry_run);
    bar.finish_and_clear();
    let report = match result {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    print!(
        "{}",
        diagnostics::render_human(&report.diagnostics, &report.files, args.color.enabled())
    );
    for (path, id, change) in &report.would_change {
        println!(
            "would write ({}) {} in {}",
            word(*change),
            id.as_str(),
            path.display()
        );
    }
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.code.severity() == Severity::Error)
        .count();
    let conflicts = report
        .diagnostics
        .iter()
        .filter(|d| d.code == diagnostics::Code::ImportConflict)
        .count();
    if let Some(hub) = &report.hub {
        println!(
            "{}: {} repos read, {} listing pages, {} requests ({} answers unchanged since the cache), {} skipped",
            args.endpoint.trim_end_matches('/'),
            hub.repos,
            hub.pages,
            hub.requests,
            hub.not_modified,
            hub.skipped,
        );
    }
    println!(
        "{}: {} cards read ({} of curated models, linked); {} records ({} new, {} changed, {} unchanged) in {} files ({} new, {} changed, {} unchanged){}; {} stubs, {} conflicts, {} problems skipped",
        out.display(),
        report.cards,
        report.curated,
        report.records.values().sum::<usize>(),
        report.records(Change::New),
        report.records(Change::Changed),
        report.records(Change::Unchanged),
        report.written.len(),
        report.count(Change::New),
        report.count(Change::Changed),
        report.count(Change::Unchanged),
        if args.dry_run {
            ", none written (dry run)"
        } else {
            ""
        },
        report.stubs,
        conflicts,
        errors,
    );
    Ok(ExitCode::from(if errors > 0 {
        EXIT_INVALID
    } else {
        EXIT_OK
    }))
}

/// The progress line of a walk of the Hub: on a terminal's stderr only.
fn spinner(walking: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        None,
        if walking && std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("the template is valid"),
    );
    bar
}

fn word(change: Change) -> &'static str {
    match change {
        Change::New => "new",
        Change::Changed => "changed",
        Change::Unchanged => "unchanged",
    }
}
