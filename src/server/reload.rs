//! Live reload: rebuilding the snapshot from its sources on SIGHUP and, with `--watch`,
//! when files under the data or query folders change; swapping it in only when valid.
//!
//! A reload builds a complete new [`Snapshot`] beside the one being served (so memory
//! briefly holds two), on a blocking thread, while requests go on. Only a snapshot
//! that loaded, validated and built without error replaces the current one, in one
//! atomic pointer swap: a request in flight finishes on the snapshot it started with,
//! and no request ever sees a mix. When the new data is invalid, nothing changes for
//! clients; the diagnostics are logged and `/api/status` shows them with the time of
//! the attempt until a later reload succeeds.
//!
//! Reloads run one at a time. Changes that arrive during a reload queue one more
//! reload (never more than one), so the data served always catches up with the
//! files, however many events a `git pull` produces.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use notify::event::{EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher};
use tokio::sync::mpsc;

use super::state::{AppState, MAX_STATUS_DIAGNOSTICS, ReloadOutcome, Snapshot};
use crate::kb::{BuildError, KnowledgeBase};
use crate::queries::CatalogError;
use crate::rdf::Iris;

/// How long the file watcher waits for changes to settle before reloading: a
/// checkout or an editor's save writes several files in quick succession.
pub const WATCH_DEBOUNCE: Duration = Duration::from_millis(250);

const FILES_CHANGED: &str = "files changed";

/// Whether a file event can change what a reload would read. Reading the files, as a
/// reload does, produces open and access-time events; counting those would make
/// every reload trigger the next.
fn changes_content(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))
    )
}

/// Everything a snapshot is built from.
#[derive(Clone, Debug)]
pub struct SnapshotSource {
    pub data: PathBuf,
    pub queries: PathBuf,
    /// Extra RDF files, as `FILE` or `FILE=GRAPH_IRI`.
    pub rdf: Vec<String>,
    pub iris: Iris,
}

/// Why a snapshot could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error("canned queries: {0}")]
    Queries(#[from] CatalogError),
}

impl SnapshotSource {
    /// Loads, validates and builds a whole snapshot. Nothing is served from it until
    /// it is complete.
    pub fn build(&self) -> Result<Snapshot, SnapshotError> {
        let mut extra = Vec::new();
        for spec in &self.rdf {
            let (file, graph) = match spec.split_once('=') {
                Some((file, graph)) => (file, Some(graph)),
                None => (spec.as_str(), None),
            };
            let quads = crate::kb::read_rdf(file.as_ref(), graph)?;
            tracing::info!(
                file,
                graph = graph.unwrap_or("(default graph)"),
                quads = quads.len(),
                "read RDF"
            );
            extra.extend(quads);
        }
        let kb = KnowledgeBase::load_with(&self.data, self.iris.clone(), extra)?;
        let queries = if self.queries.is_dir() {
            crate::queries::load_dir(&self.queries)?
        } else {
            tracing::warn!(dir = %self.queries.display(), "no canned-query folder; /api/queries is empty");
            Vec::new()
        };
        Ok(Snapshot {
            data_version: super::git_commit(&self.data),
            kb,
            queries,
            loaded_at: SystemTime::now(),
        })
    }
}

/// Why the reloader could not start.
#[derive(Debug, thiserror::Error)]
#[error("cannot watch {}: {source}", path.display())]
pub struct WatchError {
    path: PathBuf,
    source: notify::Error,
}

/// Starts reloading `state` from `source` on SIGHUP and, when `watch` is set, on file
/// changes. Must be called inside a Tokio runtime; the reloader lives as long as it.
pub fn start(state: AppState, source: SnapshotSource, watch: bool) -> Result<(), WatchError> {
    // Capacity one: a trigger that finds one already queued is redundant.
    let (trigger, mut triggered) = mpsc::channel::<&'static str>(1);
    let watcher = if watch {
        let on_change = trigger.clone();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| match event {
                Ok(event) if changes_content(&event.kind) => {
                    let _ = on_change.try_send(FILES_CHANGED);
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "file watcher"),
            })
            .map_err(|error| WatchError {
                path: source.data.clone(),
                source: error,
            })?;
        let mut folders = vec![(&source.data, RecursiveMode::Recursive)];
        if source.queries.is_dir() {
            folders.push((&source.queries, RecursiveMode::NonRecursive));
        }
        for (folder, mode) in folders {
            watcher.watch(folder, mode).map_err(|error| WatchError {
                path: folder.clone(),
                source: error,
            })?;
        }
        tracing::info!(data = %source.data.display(), "watching for changes");
        Some(watcher)
    } else {
        None
    };
    #[cfg(unix)]
    tokio::spawn(reload_on_hangup(trigger));
    let source = Arc::new(source);
    tokio::spawn(async move {
        // The watcher stops when dropped; this task owns it for the server's life.
        let _watcher = watcher;
        while let Some(cause) = triggered.recv().await {
            if cause == FILES_CHANGED {
                // Let a burst of writes settle, then count it as one change.
                tokio::time::sleep(WATCH_DEBOUNCE).await;
                while triggered.try_recv().is_ok() {}
            }
            reload(&state, &source, cause).await;
        }
    });
    Ok(())
}

#[cfg(unix)]
async fn reload_on_hangup(trigger: mpsc::Sender<&'static str>) {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hangups = match signal(SignalKind::hangup()) {
        Ok(hangups) => hangups,
        Err(error) => {
            tracing::warn!(%error, "cannot listen for SIGHUP; reload by signal is off");
            return;
        }
    };
    while hangups.recv().await.is_some() {
        let _ = trigger.try_send("SIGHUP");
    }
}

/// One reload: build off the async threads, swap in on success, report either way.
async fn reload(state: &AppState, source: &Arc<SnapshotSource>, cause: &'static str) {
    tracing::info!(cause, "reloading");
    let started = Instant::now();
    let building = Arc::clone(source);
    let built = tokio::task::spawn_blocking(move || building.build()).await;
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut outcome = ReloadOutcome {
        attempted_at: super::rfc3339(SystemTime::now()),
        ok: false,
        duration_ms,
        error: None,
        diagnostics: Vec::new(),
        diagnostics_total: 0,
    };
    match built {
        Ok(Ok(snapshot)) => {
            tracing::info!(
                records = snapshot.kb.stats.records,
                triples = snapshot.kb.stats.triples,
                ms = format_args!("{duration_ms:.0}"),
                "reloaded; serving the new data"
            );
            state.replace(snapshot);
            outcome.ok = true;
        }
        Ok(Err(SnapshotError::Build(BuildError::Invalid(checked)))) => {
            let tally = checked.tally();
            tracing::warn!(
                "reload refused, still serving the last good data: {} has {tally}\n{}",
                source.data.display(),
                crate::diagnostics::render_human(&checked.diagnostics, checked.files(), false)
            );
            let mut diagnostics =
                crate::diagnostics::to_json(&checked.diagnostics, checked.files());
            outcome.diagnostics_total = diagnostics.len();
            diagnostics.truncate(MAX_STATUS_DIAGNOSTICS);
            outcome.diagnostics = diagnostics;
            outcome.error = Some(format!("the data has {tally}"));
        }
        Ok(Err(error)) => {
            tracing::warn!(%error, "reload failed, still serving the last good data");
            outcome.error = Some(error.to_string());
        }
        Err(panic) => {
            tracing::error!(%panic, "reload panicked, still serving the last good data");
            outcome.error =
                Some("the reload failed unexpectedly; the error has been logged".into());
        }
    }
    state.record_reload(outcome);
}
