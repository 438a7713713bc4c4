//! `pedigree export`: the whole graph as RDF, deterministic so exports diff well.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;
use pedigree::rdf::export::{self, ExportFormat};

use super::{DataArgs, EXIT_OK};

#[derive(Debug, clap::Args)]
pub(super) struct ExportArgs {
    #[command(flatten)]
    data: DataArgs,
    /// RDF serialisation to write.
    #[arg(long, value_enum, default_value_t = Format::Turtle)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Turtle,
    Ntriples,
    Nquads,
    Rdfxml,
    Jsonld,
}

impl From<Format> for ExportFormat {
    fn from(format: Format) -> ExportFormat {
        match format {
            Format::Turtle => ExportFormat::Turtle,
            Format::Ntriples => ExportFormat::NTriples,
            Format::Nquads => ExportFormat::NQuads,
            Format::Rdfxml => ExportFormat::RdfXml,
            Format::Jsonld => ExportFormat::JsonLd,
        }
    }
}

pub(super) fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let (dataset, iris) = match args.data.dataset()? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let mut triples = pedigree::rdf::triples(&dataset, &iris);
    export::canonical_order(&mut triples);
    drop(dataset);
    let format = ExportFormat::from(args.format);
    match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            export::write(&triples, format, iris.base(), &mut out)?;
            out.flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            export::write(&triples, format, iris.base(), &mut out)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}
