//! `pedigree validate`: check a data tree, print every diagnostic, set the exit code.

use std::process::ExitCode;
use std::time::Instant;

use pedigree::dataset::Checked;
use pedigree::diagnostics;
use pedigree::lineage::LineageIndex;
use pedigree::obligations::{Obligations, Prepared};

use super::{EXIT_FAILURE, EXIT_INVALID, EXIT_OK, OutputFormat, ValidateArgs};

pub(super) fn run(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut checked = Checked::run(&args.dir)?;
    let records = checked.record_count();
    let findings = started.elapsed();
    add_findings(&mut checked);
    let findings = started.elapsed() - findings;
    let elapsed = started.elapsed();
    let files = checked.files();
    let tally = checked.tally();
    let summary = format!(
        "{}: {tally} in {records} records from {} files ({:.1} ms: {:.1} reading and parsing, {:.1} checking, {:.1} compliance findings)",
        args.dir.display(),
        files.len(),
        elapsed.as_secs_f64() * 1000.0,
        checked.timings.0.as_secs_f64() * 1000.0,
        checked.timings.1.as_secs_f64() * 1000.0,
        findings.as_secs_f64() * 1000.0,
    );
    match args.format {
        OutputFormat::Human => {
            print!(
                "{}",
                diagnostics::render_human(&checked.diagnostics, files, args.color.enabled())
            );
            println!("{summary}");
        }
        OutputFormat::Json => {
            print!("{}", diagnostics::render_json(&checked.diagnostics, files));
            eprintln!("{summary}");
        }
        OutputFormat::Github => {
            print!(
                "{}",
                diagnostics::render_github(&checked.diagnostics, files)
            );
            eprintln!("{summary}");
        }
    }
    let code = if checked.had_io_failure() {
        EXIT_FAILURE
    } else if tally.errors > 0 {
        EXIT_INVALID
    } else {
        EXIT_OK
    };
    Ok(ExitCode::from(code))
}

/// Valid data gets its compliance findings (warnings, never errors: they are about
/// the world, not the data) beside the other diagnostics.
fn add_findings(checked: &mut Checked) {
    let Some((dataset, model_files)) = checked.take_dataset() else {
        return;
    };
    let index = LineageIndex::build_graph(&dataset);
    let prepared = Prepared::new(&dataset, &index);
    let obligations = Obligations {
        dataset: &dataset,
        index: &index,
        prepared: &prepared,
    };
    checked
        .diagnostics
        .extend(obligations.diagnostics(&model_files));
    diagnostics::sort(&mut checked.diagnostics, &checked.loaded.files);
}
