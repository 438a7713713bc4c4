//! `pedigree bom`: a model's AI bill of materials, as CycloneDX 1.6 JSON or SPDX 3.0.1
//! JSON-LD, on stdout or in a file; what the format could not carry goes to stderr,
//! one `not carried: …` line per kind of fact, so nothing is dropped silently.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use pedigree::bom::{self, BomError, Format};
use pedigree::lineage::LineageIndex;

use super::{DataArgs, EXIT_FAILURE, EXIT_OK};

#[derive(Debug, clap::Args)]
pub(super) struct BomArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The model's id.
    model: String,
    /// `cyclonedx` (CycloneDX 1.6 JSON) or `spdx` (SPDX 3.0.1 JSON-LD).
    #[arg(long, value_enum, default_value_t = Format::Cyclonedx)]
    format: Format,
    /// Write to this file instead of standard output (replaced whole or not at all).
    #[arg(short, long, visible_alias = "output", value_name = "FILE")]
    out: Option<PathBuf>,
}

pub(super) fn run(args: &BomArgs) -> anyhow::Result<ExitCode> {
    let (dataset, iris) = match args.data.dataset()? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let index = LineageIndex::build(&dataset);
    let bom = match bom::build(&dataset, &index, &iris, &args.model, args.format) {
        Ok(bom) => bom,
        Err(error @ BomError::UnknownModel(_)) => {
            let ids = dataset.models.iter().map(|m| m.id.as_str());
            match pedigree::diagnostics::did_you_mean(&args.model, ids) {
                Some(hint) => eprintln!("pedigree: {error}; {hint}"),
                None => eprintln!("pedigree: {error}"),
            }
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    let text = bom.to_json();
    match &args.out {
        Some(path) => super::export::write_file(path, |out| out.write_all(text.as_bytes()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    // Losses describe the format, not the data: they are reported and the command
    // still succeeds. Their lines quote ids and values from the data, so they are
    // escaped: none can act on the terminal.
    for loss in &bom.not_carried {
        eprintln!("{}", pedigree::escape::line(&loss.to_string()));
    }
    Ok(ExitCode::from(EXIT_OK))
}
