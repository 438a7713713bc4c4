//! Command-line interface: the clap definitions and one function per subcommand.
//!
//! Arguments are parsed in two stages, as ripgrep does: clap turns the command line
//! into the structs below, then each command builds the real objects from them. This
//! module is the only place that prints; the library returns values and diagnostics.

mod bom;
mod export;
mod generate;
mod import;
mod lineage;
mod obligations;
mod query;
mod serve;
mod validate;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use pedigree::kb::{BuildError, KnowledgeBase};
use pedigree::model::Kind;
use pedigree::rdf::Iris;

/// Data is valid / the command succeeded.
pub const EXIT_OK: u8 = 0;
/// The data is invalid.
pub const EXIT_INVALID: u8 = 1;
/// Usage, IO or internal error.
pub const EXIT_FAILURE: u8 = 2;

/// The data folder used when none is given.
pub const DEFAULT_DATA_DIR: &str = "graph-data";

#[derive(Debug, Parser)]
#[command(
    name = "pedigree",
    version,
    about = "An AI-model lineage knowledge graph: where a model came from, who owns it, who is behind it, and under what terms it can be used.",
    after_help = "Exit codes: 0 ok, 1 invalid data, 2 usage or IO error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a graph-data tree and report every problem at once.
    Validate(ValidateArgs),
    /// Print the JSON Schema of a record kind, or write all of them to a folder.
    Schema(SchemaArgs),
    /// Run a SPARQL 1.1 query against the graph.
    Query(query::QueryArgs),
    /// Write the whole graph as RDF, byte-for-byte the same for the same data.
    Export(export::ExportArgs),
    /// Show a model's lineage: its bases, its derivatives, or both.
    Lineage(lineage::LineageArgs),
    /// Write a model's AI bill of materials (CycloneDX 1.6 or SPDX 3.0.1) with its
    /// whole ancestry; what the format cannot carry is listed on stderr.
    Bom(bom::BomArgs),
    /// Show the shortest lineage path between two models.
    Path(lineage::PathArgs),
    /// Write a synthetic, Hub-shaped corpus for benchmarks (never real data).
    Generate(generate::GenerateArgs),
    /// What a model owes if you ship it: every licence clause that reaches it along its
    /// lineage, with the chain and how sure it is, and its compliance findings.
    Obligations(obligations::ObligationsArgs),
    /// Serve the graph over HTTP (SPARQL endpoint, lineage API, web pages).
    Serve(serve::ServeArgs),
    /// Import model metadata from another catalogue into records of its own folder.
    Import(import::ImportArgs),
}

#[derive(Debug, clap::Args)]
struct ValidateArgs {
    /// The data folder.
    #[arg(default_value = DEFAULT_DATA_DIR)]
    dir: PathBuf,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// When to colour human output (`auto`: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// Output formats of `pedigree validate --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// Snippets with carets, for people.
    Human,
    /// A JSON array of diagnostics, for programs.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::`).
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output written to stdout.
    fn enabled(self) -> bool {
        self.enabled_for(std::io::stdout().is_terminal())
    }

    /// Whether to colour output written to stderr.
    fn enabled_on_stderr(self) -> bool {
        self.enabled_for(std::io::stderr().is_terminal())
    }

    fn enabled_for(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            // https://no-color.org: a non-empty NO_COLOR turns colour off.
            ColorChoice::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

#[derive(Debug, clap::Args)]
struct SchemaArgs {
    /// The record kind whose schema to print.
    #[arg(value_enum, required_unless_present = "out_dir")]
    kind: Option<Kind>,
    /// Write every kind's schema as `<kind>.schema.json` into this folder instead.
    #[arg(long, value_name = "DIR", conflicts_with = "kind")]
    out_dir: Option<PathBuf>,
}

/// Where the data comes from, for every command that reads it.
#[derive(Debug, clap::Args)]
struct DataArgs {
    /// The data folder.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_DATA_DIR)]
    data: PathBuf,
    /// Base IRI of entity IRIs (`{base}model/{id}`); must end with `/` or `#`.
    #[arg(long, value_name = "IRI", default_value = pedigree::rdf::DEFAULT_BASE_IRI)]
    base_iri: String,
}

impl DataArgs {
    /// Loads, validates and builds the knowledge base. Invalid data is reported on
    /// stderr and becomes exit code 1 (`Err(code)`), as for `validate`.
    fn knowledge_base(&self) -> anyhow::Result<Result<KnowledgeBase, ExitCode>> {
        let iris = Iris::new(&self.base_iri)?;
        self.report_invalid(KnowledgeBase::load(&self.data, iris))
    }

    /// Loads and validates the data only, for commands that need no RDF store.
    fn dataset(&self) -> anyhow::Result<Result<(pedigree::dataset::Dataset, Iris), ExitCode>> {
        let iris = Iris::new(&self.base_iri)?;
        let checked = pedigree::dataset::Checked::run(&self.data)?;
        let dataset = checked.into_dataset().map_err(BuildError::Invalid);
        Ok(self.report_invalid(dataset)?.map(|dataset| (dataset, iris)))
    }

    fn report_invalid<T>(
        &self,
        built: Result<T, BuildError>,
    ) -> anyhow::Result<Result<T, ExitCode>> {
        match built {
            Ok(value) => Ok(Ok(value)),
            Err(BuildError::Invalid(checked)) => {
                let color = ColorChoice::Auto.enabled_on_stderr();
                eprint!(
                    "{}",
                    pedigree::diagnostics::render_human(
                        &checked.diagnostics,
                        checked.files(),
                        color
                    )
                );
                eprintln!(
                    "pedigree: {} has {}; run `pedigree validate` for details",
                    self.data.display(),
                    checked.tally()
                );
                let code = if checked.had_io_failure() {
                    EXIT_FAILURE
                } else {
                    EXIT_INVALID
                };
                Ok(Err(ExitCode::from(code)))
            }
            Err(other) => Err(other.into()),
        }
    }
}

/// Parses the command line and runs the command.
pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => validate::run(&args),
        Command::Schema(args) => schema(&args),
        Command::Query(args) => query::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Lineage(args) => lineage::run(&args),
        Command::Bom(args) => bom::run(&args),
        Command::Path(args) => lineage::run_path(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Obligations(args) => obligations::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Import(args) => import::run(&args),
    }
}

fn schema(args: &SchemaArgs) -> anyhow::Result<ExitCode> {
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        for kind in Kind::ALL {
            let path = dir.join(pedigree::schema::file_name(kind));
            std::fs::write(&path, pedigree::schema::render(kind))
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        return Ok(ExitCode::from(EXIT_OK));
    }
    if let Some(kind) = args.kind {
        print!("{}", pedigree::schema::render(kind));
    }
    Ok(ExitCode::from(EXIT_OK))
}
