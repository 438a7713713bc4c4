//! `pedigree validate`: check a data tree, print every diagnostic, set the exit code.

use std::process::ExitCode;
use std::time::Instant;

use pedigree::dataset::Checked;
use pedigree::diagnostics;

use super::{EXIT_FAILURE, EXIT_INVALID, EXIT_OK, OutputFormat, ValidateArgs};

pub(super) fn run(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let checked = Checked::run(&args.dir)?;
    let elapsed = started.elapsed();
    let files = checked.files();
    let tally = checked.tally();
    let summary = format!(
        "{}: {tally} in {} records from {} files ({:.1} ms: {:.1} reading and parsing, {:.1} checking)",
        args.dir.display(),
        checked.record_count(),
        files.len(),
        elapsed.as_secs_f64() * 1000.0,
        checked.timings.0.as_secs_f64() * 1000.0,
        checked.timings.1.as_secs_f64() * 1000.0,
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
