//! `pedigree serve`: load, validate and index the data, then serve it over HTTP until
//! SIGINT or SIGTERM, reloading it on SIGHUP (and on file changes with `--watch`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use pedigree::rdf::Iris;
use pedigree::server::{self, AppState, Config};
use pedigree::snapshot::{SnapshotError, SnapshotSource};
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
    /// Relative IRIs in the --rdf files resolve against each file's name under this
    /// IRI (as if the files were published in that folder), instead of against the
    /// file's own `file:` URL.
    #[arg(long = "rdf-base", value_name = "IRI")]
    rdf_base: Option<String>,
    /// Seconds a SPARQL query may run before it is cancelled (answered 503).
    #[arg(long, value_name = "SECONDS", default_value_t = sparql::DEFAULT_TIMEOUT.as_secs())]
    query_timeout: u64,
    /// Most rows (or triples) in one SPARQL answer; larger answers are refused with 400.
    #[arg(long, value_name = "N", default_value_t = sparql::DEFAULT_MAX_ROWS)]
    max_rows: usize,
    /// Most memory, in MiB, the queries running at once may add to the process; when
    /// they pass it the oldest is stopped (503). [default: a quarter of the machine's
    /// memory]
    #[arg(long, value_name = "MIB")]
    max_query_memory: Option<usize>,
    /// Largest value (string or IRI), in bytes, a query may build; a query that
    /// builds a larger one is stopped (400).
    #[arg(long, value_name = "BYTES", default_value_t = sparql::DEFAULT_MAX_VALUE_BYTES)]
    max_value_bytes: usize,
    /// Largest request body accepted, in bytes (413 beyond it).
    #[arg(long, value_name = "BYTES", default_value_t = server::DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,
    /// Longest SPARQL query text accepted, in bytes (413 beyond it).
    #[arg(long, value_name = "BYTES", default_value_t = server::DEFAULT_MAX_QUERY_BYTES)]
    max_query_bytes: usize,
    /// SPARQL evaluations running at once; a query that finds none free within
    /// --queue-wait is answered 503 with Retry-After. [default: twice the number of
    /// cores]
    #[arg(long, value_name = "N")]
    max_concurrent_queries: Option<usize>,
    /// Milliseconds a SPARQL query waits for a free evaluation slot before it is
    /// refused with 503 (0 refuses at once).
    #[arg(long, value_name = "MS", default_value_t = server::DEFAULT_QUEUE_WAIT.as_millis() as u64)]
    queue_wait: u64,
    /// Seconds a client has to send a request's head, also between requests on a
    /// kept-alive connection.
    #[arg(long, value_name = "SECONDS", default_value_t = server::DEFAULT_HEADER_READ_TIMEOUT.as_secs())]
    header_read_timeout: u64,
    /// Seconds a connection may pass without moving a byte, and the longest a request
    /// may take from head to answer (408 beyond it). Must exceed --query-timeout.
    #[arg(long, value_name = "SECONDS", default_value_t = server::DEFAULT_IDLE_TIMEOUT.as_secs())]
    idle_timeout: u64,
    /// Reload the data when files under --data or --queries change. Invalid data is
    /// never served: the last good data stays until the files are fixed. SIGHUP
    /// reloads with or without this flag.
    #[arg(long)]
    watch: bool,
}

impl ServeArgs {
    /// The server's limits, refusing combinations that cannot work.
    fn config(&self) -> anyhow::Result<Config> {
        let positive = [
            ("--query-timeout", self.query_timeout),
            ("--header-read-timeout", self.header_read_timeout),
            ("--idle-timeout", self.idle_timeout),
            ("--max-rows", self.max_rows as u64),
            ("--max-body-bytes", self.max_body_bytes as u64),
            ("--max-query-bytes", self.max_query_bytes as u64),
            ("--max-value-bytes", self.max_value_bytes as u64),
            (
                "--max-query-memory",
                self.max_query_memory.unwrap_or(1) as u64,
            ),
        ];
        if let Some((flag, _)) = positive.iter().find(|(_, value)| *value == 0) {
            anyhow::bail!("{flag} must be at least 1");
        }
        // A request's whole life (waiting for an evaluation slot, then evaluating)
        // must fit in the idle timeout, or slow queries would be cut off instead of
        // answered.
        let longest_query =
            Duration::from_secs(self.query_timeout) + Duration::from_millis(self.queue_wait);
        if Duration::from_secs(self.idle_timeout) <= longest_query {
            anyhow::bail!(
                "--idle-timeout ({} s) must exceed --query-timeout ({} s) plus --queue-wait ({} ms), or slow queries would be cut off instead of answered",
                self.idle_timeout,
                self.query_timeout,
                self.queue_wait
            );
        }
        let max_concurrent_queries = self
            .max_concurrent_queries
            .unwrap_or_else(server::default_max_concurrent_queries);
        if max_concurrent_queries == 0 {
            anyhow::bail!("--max-concurrent-queries must be at least 1");
        }
        Ok(Config {
            limits: Limits {
                timeout: Duration::from_secs(self.query_timeout),
                max_rows: self.max_rows,
                max_value_bytes: self.max_value_bytes,
            },
            max_query_memory: self
                .max_query_memory
                .map_or_else(sparql::guard::default_memory_budget, |mib| {
                    mib.saturating_mul(1 << 20)
                }),
            max_body_bytes: self.max_body_bytes,
            max_query_bytes: self.max_query_bytes,
            max_concurrent_queries,
            queue_wait: Duration::from_millis(self.queue_wait),
            header_read_timeout: Duration::from_secs(self.header_read_timeout),
            idle_timeout: Duration::from_secs(self.idle_timeout),
        })
    }
}

pub(super) fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    init_logging();
    let started = Instant::now();
    let config = args.config()?;
    let source = SnapshotSource {
        data: args.data.data.clone(),
        queries: args.queries.clone(),
        rdf: args.rdf.clone(),
        rdf_base: args.rdf_base.clone(),
        iris: Iris::new(&args.data.base_iri)?,
    };
    let snapshot = match source.build() {
        Ok(snapshot) => snapshot,
        Err(SnapshotError::Build(error)) => match args.data.report_invalid(Err(error))? {
            Ok(snapshot) => snapshot,
            Err(code) => return Ok(code),
        },
        Err(error) => return Err(error.into()),
    };
    sparql::guard::set_memory_budget(config.max_query_memory);
    let state = AppState::new(snapshot, config);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(server::THREAD_STACK_BYTES)
        .build()
        .context("cannot start the async runtime")?;
    let outcome = runtime.block_on(async {
        let listener = match tokio::net::TcpListener::bind(&args.addr).await {
            Ok(listener) => listener,
            Err(error) => {
                eprintln!("pedigree: cannot listen on {}: {error}", args.addr);
                return Ok(ExitCode::from(EXIT_FAILURE));
            }
        };
        let address = listener.local_addr()?;
        server::start_reloader(state.clone(), source, args.watch)?;
        let snapshot = state.snapshot();
        let stats = snapshot.kb.stats;
        tracing::info!(
            records = stats.records,
            triples = stats.triples,
            queries = snapshot.queries.len(),
            load_ms = format_args!("{:.0}", stats.load_and_validate.as_secs_f64() * 1000.0),
            store_ms = format_args!("{:.0}", stats.fill_store.as_secs_f64() * 1000.0),
            index_ms = format_args!("{:.0}", stats.index_lineage.as_secs_f64() * 1000.0),
            findings = snapshot.kb.findings.len(),
            findings_ms = format_args!("{:.0}", stats.findings.as_secs_f64() * 1000.0),
            ms = format_args!("{:.1}", started.elapsed().as_secs_f64() * 1000.0),
            "ready"
        );
        // One line on stdout for people and scripts (tests read the port from it).
        println!(
            "pedigree: serving {} on http://{address}/",
            args.data.data.display()
        );
        server::serve(listener, state, server::shutdown_signal()).await?;
        Ok::<_, anyhow::Error>(ExitCode::from(EXIT_OK))
    });
    // Dropping the runtime would wait for every blocking task, such as a reload stuck
    // reading a file; `serve` already gave requests their grace period.
    runtime.shutdown_timeout(server::SHUTDOWN_STRAGGLERS);
    tracing::info!("shut down");
    outcome
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
