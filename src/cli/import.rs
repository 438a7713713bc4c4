//! `pedigree import huggingface`: model cards into reviewable records of their own
//! folder, with every problem reported and the rest imported.

use std::path::PathBuf;
use std::process::ExitCode;

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
struct HuggingfaceArgs {
    /// Model cards on disk, one folder per repo: `DIR/<owner>/<name>/README.md` (as
    /// `huggingface-cli download <owner>/<name> README.md --local-dir DIR/<owner>/<name>`
    /// leaves them).
    #[arg(long, value_name = "DIR")]
    cards: PathBuf,
    /// The curated data the import links to.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_DATA_DIR)]
    data: PathBuf,
    /// Where the records go (default: the data folder's `imported/huggingface/`, so
    /// curated and imported records never share a file).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Write nothing; print what would change.
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
    let report = match import::import_cards(&curated, &args.cards, &out, args.dry_run) {
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
    if args.dry_run {
        for (path, change) in &report.written {
            if *change != Change::Unchanged {
                println!("would write ({}) {}", word(*change), path.display());
            }
        }
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
    println!(
        "{}: {} cards read ({} of curated models, linked), {} files {} ({} new, {} changed, {} unchanged), {} stubs, {} conflicts, {} problems skipped",
        out.display(),
        report.cards,
        report.curated,
        report.written.len(),
        if args.dry_run {
            "would be written"
        } else {
            "written"
        },
        report.count(Change::New),
        report.count(Change::Changed),
        report.count(Change::Unchanged),
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

fn word(change: Change) -> &'static str {
    match change {
        Change::New => "new",
        Change::Changed => "changed",
        Change::Unchanged => "unchanged",
    }
}
