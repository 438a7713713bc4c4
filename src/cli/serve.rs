//! `pedigree serve`: load, validate and index the data, then serve it over HTTP until
//! SIGINT or SIGTERM.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;
use pedigree::server::{self, AppState, Config, Snapshot};
use pedigree::sparql::{self, Limits};

use super::{DataArgs, EXIT_FAILURE, EXIT_OK};

#[derive(Debug, clap::Args)]
pub(super) struct ServeArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Address to listen on. Port 0 picks a free port (printed at start).
    #[arg(long, default_value = "127.0.0.1:7878")]
    addr: String,
    /// Folder of canned queries (`*.rq`) offered at /api/queries.
    #[arg(long, value_name = "DIR", default_value = "queries")]
    queries: PathBuf,
    /// Also load an RDF file (format from its extension) into the default graph, or
    /// into the named graph `GRAPH_IRI`. Repeatable.
    #[arg(long = "rdf", value_name = "FILE[=GRAPH_IRI]")]
    rdf: Vec<String>,
    /// Seconds a SPARQL query may run before it is cancelled (answered 503).
    #[arg(long, value_name = "SECONDS", default_value_t = sparql::DEFAULT_TIMEOUT.as_secs())]
    query_timeout: u64,
    /// Most rows (or triples) in one SPARQL answer; larger answers are refused with 400.
    #[arg(long, value_name = "N", default_value_t = sparql::DEFAULT_MAX_ROWS)]
    max_rows: usize,
    /// Largest request body accepted, in bytes (413 beyond it).
    #[arg(long, value_name = "BYTES", default_value_t = server::DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,
}

pub(super) fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    init_logging();
    let started = Instant::now();
    let mut kb = match args.data.knowledge_base()? {
        Ok(kb) => kb,
        Err(code) => return Ok(code),
    };
    for spec in &args.rdf {
        let (file, graph) = match spec.split_once('=') {
            Some((file, graph)) => (file, Some(graph)),
            None => (spec.as_str(), None),
        };
        let added = kb.add_rdf(file.as_ref(), graph)?;
        tracing::info!(
            file,
            graph = graph.unwrap_or("(default graph)"),
            quads = added,
            "loaded RDF"
        );
    }
    let queries = if args.queries.is_dir() {
        pedigree::queries::load_dir(&args.queries)?
    } else {
        tracing::warn!(dir = %args.queries.display(), "no canned-query folder; /api/queries is empty");
        Vec::new()
    };
    let snapshot = Snapshot {
        data_version: server::git_commit(&args.data.data),
        kb,
        queries,
        loaded_at: SystemTime::now(),
    };
    let config = Config {
        limits: Limits {
            timeout: Duration::from_secs(args.query_timeout),
            max_rows: args.max_rows,
        },
        max_body_bytes: args.max_body_bytes,
    };
    let state = AppState::new(snapshot, config);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = match tokio::net::TcpListener::bind(&args.addr).await {
            Ok(listener) => listener,
            Err(error) => {
                eprintln!("pedigree: cannot listen on {}: {error}", args.addr);
                return Ok(ExitCode::from(EXIT_FAILURE));
            }
        };
        let address = listener.local_addr()?;
        let snapshot = state.snapshot();
        let stats = snapshot.kb.stats;
        tracing::info!(
            records = stats.records,
            triples = stats.triples,
            queries = snapshot.queries.len(),
            load_ms = format_args!("{:.0}", stats.load_and_validate.as_secs_f64() * 1000.0),
            store_ms = format_args!("{:.0}", stats.fill_store.as_secs_f64() * 1000.0),
            index_ms = format_args!("{:.0}", stats.index_lineage.as_secs_f64() * 1000.0),
            ms = format_args!("{:.1}", started.elapsed().as_secs_f64() * 1000.0),
            "ready"
        );
        // One line on stdout for people and scripts (tests read the port from it).
        println!(
            "pedigree: serving {} on http://{address}/",
            args.data.data.display()
        );
        server::serve(listener, state, server::shutdown_signal()).await?;
        tracing::info!("shut down");
        Ok::<_, anyhow::Error>(ExitCode::from(EXIT_OK))
    })
}

/// Logs to stderr: one line per request (method, path, status, milliseconds) at
/// `info`; `RUST_LOG` overrides the level.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let color = super::ColorChoice::Auto.enabled_on_stderr();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(color)
        .with_target(false)
        .try_init();
}
