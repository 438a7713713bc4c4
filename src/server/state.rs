//! Shared state: the current snapshot (knowledge base plus canned queries), swapped
//! whole on reload, the outcome of the last reload, and the server's limits.
//!
//! Handlers call [`AppState::snapshot`] once and work on that `Arc` to the end of the
//! request: a reload in the middle swaps the pointer for later requests, while this
//! one finishes on the data it started with. No request takes a lock.

use std::sync::Arc;
use std::time::Duration;

use arc_swap::{ArcSwap, ArcSwapOption};
use tokio::sync::Semaphore;

// Re-exported so handlers name the snapshot they read beside the state holding it.
pub use crate::snapshot::Snapshot;
use crate::sparql::Limits;

/// Default cap on a request body (a SPARQL query or form), in bytes.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
/// Default cap on the text of one SPARQL query, in bytes (after percent-decoding).
/// Hand-written and generated queries are a few kilobytes; a long `VALUES` list of a
/// few thousand ids still fits.
pub const DEFAULT_MAX_QUERY_BYTES: usize = 256 * 1024;
/// Default time a client has to send a request's head, counted from the moment the
/// connection waits for it: a fresh connection, or a kept-alive one between requests.
/// Slow-header clients (slowloris) and idle kept-alive connections are closed.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time a connection may pass without a byte read or written, which is also
/// the longest a request may take from its head to its answer (408 beyond it): a
/// client trickling its body or not reading its answer cannot pin a connection. It
/// must exceed the query time limit, so a slow query is answered 503, not cut off.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Default time a SPARQL query waits for a free evaluation slot before it is refused
/// with 503. Short queries take a millisecond or less, so under a burst they wait a
/// little and are answered; when slow queries hold every slot, clients learn so
/// within this time instead of piling up behind them.
pub const DEFAULT_QUEUE_WAIT: Duration = Duration::from_millis(1000);

/// Server limits and settings, fixed at start-up. `docs/security.md` lists them with
/// their flags.
#[derive(Clone, Debug)]
pub struct Config {
    /// Time and size limits of one SPARQL evaluation.
    pub limits: Limits,
    /// Most bytes the evaluations running at once may add to the process (see
    /// `sparql::guard`).
    pub max_query_memory: usize,
    pub max_body_bytes: usize,
    pub max_query_bytes: usize,
    /// SPARQL evaluations running at once; a query that finds none free within
    /// `queue_wait` is answered 503 with `Retry-After`.
    pub max_concurrent_queries: usize,
    pub queue_wait: Duration,
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
}

/// Default number of SPARQL evaluations at once: two per core, so short queries still
/// get a thread while long ones run, and a burst cannot queue without bound.
pub fn default_max_concurrent_queries() -> usize {
    2 * std::thread::available_parallelism().map_or(2, |n| n.get())
}

impl Default for Config {
    fn default() -> Self {
        Config {
            limits: Limits::default(),
            max_query_memory: crate::sparql::guard::default_memory_budget(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_query_bytes: DEFAULT_MAX_QUERY_BYTES,
            max_concurrent_queries: default_max_concurrent_queries(),
            queue_wait: DEFAULT_QUEUE_WAIT,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
        }
    }
}

/// The outcome of the last reload attempt, shown by `/api/status`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ReloadOutcome {
    /// When the attempt finished (RFC 3339, UTC).
    pub attempted_at: String,
    /// Whether the new data was valid and is now served.
    pub ok: bool,
    pub duration_ms: f64,
    /// Why the attempt failed (the data has errors, a file cannot be read, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The diagnostics of invalid data, in the order `pedigree validate` prints them,
    /// at most `MAX_STATUS_DIAGNOSTICS` of them.
    #[schema(value_type = Vec<Object>)]
    pub diagnostics: Vec<crate::diagnostics::JsonDiagnostic>,
    pub diagnostics_total: usize,
}

/// Most diagnostics `/api/status` shows for a failed reload, and the most the log
/// line of that reload renders (with a count of the rest): the first is public, the
/// second is written again at every reload, so neither may grow with the data.
pub const MAX_STATUS_DIAGNOSTICS: usize = 100;

/// The state every handler gets: cheap to clone (a few `Arc`s).
#[derive(Clone, Debug)]
pub struct AppState {
    current: Arc<ArcSwap<Snapshot>>,
    last_reload: Arc<ArcSwapOption<ReloadOutcome>>,
    /// One permit per SPARQL evaluation allowed to run at once.
    pub evaluations: Arc<Semaphore>,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn new(snapshot: Snapshot, config: Config) -> AppState {
        AppState {
            current: Arc::new(ArcSwap::from_pointee(snapshot)),
            last_reload: Arc::new(ArcSwapOption::empty()),
            evaluations: Arc::new(Semaphore::new(config.max_concurrent_queries)),
            config: Arc::new(config),
        }
    }

    /// The outcome of the last reload, if one was attempted since start-up.
    pub fn last_reload(&self) -> Option<Arc<ReloadOutcome>> {
        self.last_reload.load_full()
    }

    pub fn record_reload(&self, outcome: ReloadOutcome) {
        self.last_reload.store(Some(Arc::new(outcome)));
    }

    /// The snapshot to answer this request from.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    /// Replaces the snapshot for every later request.
    pub fn replace(&self, snapshot: Snapshot) {
        self.current.store(Arc::new(snapshot));
    }

    pub fn query_timeout(&self) -> Duration {
        self.config.limits.timeout
    }
}
