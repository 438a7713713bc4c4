//! Shared state: the current snapshot (knowledge base plus canned queries), swapped
//! whole on reload, and the server's limits.
//!
//! Handlers call [`AppState::snapshot`] once and work on that `Arc` to the end of the
//! request: a reload in the middle swaps the pointer for later requests, while this
//! one finishes on the data it started with. No request takes a lock.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use arc_swap::ArcSwap;

use crate::kb::KnowledgeBase;
use crate::queries::CannedQuery;
use crate::sparql::Limits;

/// Default cap on a request body (a SPARQL query or form), in bytes.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
/// Default page size of list endpoints, and the largest page a client may ask for.
pub const DEFAULT_PAGE_SIZE: usize = 50;
pub const MAX_PAGE_SIZE: usize = 1000;

/// Everything a request may read: built once, never changed.
#[derive(Debug)]
pub struct Snapshot {
    pub kb: KnowledgeBase,
    pub queries: Vec<CannedQuery>,
    /// When this snapshot was built.
    pub loaded_at: SystemTime,
    /// The git commit of the data, when the data folder is in a git work tree.
    pub data_version: Option<String>,
}

impl Snapshot {
    pub fn query(&self, name: &str) -> Option<&CannedQuery> {
        self.queries.iter().find(|q| q.name == name)
    }
}

/// Server limits and settings, fixed at start-up.
#[derive(Clone, Debug)]
pub struct Config {
    pub limits: Limits,
    pub max_body_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            limits: Limits::default(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

/// The state every handler gets: cheap to clone (two `Arc`s).
#[derive(Clone, Debug)]
pub struct AppState {
    current: Arc<ArcSwap<Snapshot>>,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn new(snapshot: Snapshot, config: Config) -> AppState {
        AppState {
            current: Arc::new(ArcSwap::from_pointee(snapshot)),
            config: Arc::new(config),
        }
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
