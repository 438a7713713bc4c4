//! `pedigree export`: the whole graph as RDF, deterministic so exports diff well.
//!
//! A file named with `--output` is replaced whole or not at all: the export goes to a
//! temporary file beside it, which is renamed over it only once completely written
//! and synced, and removed if anything fails. A full disk leaves the previous export
//! as it was, not truncated and not ending mid-triple.

use std::io::Write;
use std::path::{Path, PathBuf};
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
            write_file(path, |out| {
                export::write(&triples, format, iris.base(), out)
            })?;
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            export::write(&triples, format, iris.base(), &mut out)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// Writes `path` through `write`, replacing it only when everything was written.
///
/// A path that exists and is not a regular file (`/dev/null`, a FIFO, a terminal) is
/// written in place: it holds no previous export to protect, and renaming over it
/// would replace the device itself.
pub(super) fn write_file(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let context = || format!("cannot write {}", path.display());
    let existing = std::fs::metadata(path).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(context)?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out).with_context(context)?;
        return out.flush().with_context(context);
    }
    let temporary = Temporary::create(path).with_context(context)?;
    let file = temporary.file.try_clone().with_context(context)?;
    let mut out = std::io::BufWriter::new(file);
    write(&mut out).with_context(context)?;
    let file = out
        .into_inner()
        .map_err(|e| e.into_error())
        .with_context(context)?;
    if let Some(previous) = existing {
        // Keep who may read the export (a file served by a web server, say).
        file.set_permissions(previous.permissions())
            .with_context(context)?;
    }
    file.sync_all().with_context(context)?;
    temporary.persist(path).with_context(context)
}

/// A temporary file beside the target, removed on drop unless persisted: every early
/// return above (and a panic) cleans up after itself.
struct Temporary {
    path: PathBuf,
    file: std::fs::File,
    persisted: bool,
}

impl Temporary {
    /// Creates `.NAME.PID.N.tmp` in the target's folder (the same file system, so the
    /// rename is atomic), never reusing an existing file.
    fn create(target: &Path) -> std::io::Result<Temporary> {
        let folder = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        let mut attempt = 0u32;
        loop {
            let path = folder.join(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => {
                    return Ok(Temporary {
                        path,
                        file,
                        persisted: false,
                    });
                }
                Err(error)
                    if error.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 =>
                {
                    attempt += 1;
                }
                Err(error) => return Err(error),
            }
        }
    }

    fn persist(mut self, target: &Path) -> std::io::Result<()> {
        std::fs::rename(&self.path, target)?;
        self.persisted = true;
        Ok(())
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if !self.persisted {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
