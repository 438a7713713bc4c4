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
//!
//! The watch outlives the folder it watches: a watch on a folder ends when the folder
//! is deleted, so each watched folder's parent is watched too, and when an event says
//! the folder itself was removed, created or renamed, its watch is added again before
//! the next reload (`rm -rf graph-data && git checkout graph-data` goes on being
//! served). The watcher never follows symbolic links, so a link to `/` in the data
//! cannot make it watch the whole file system.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use notify::event::{EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher};
use tokio::sync::mpsc;

use super::state::{AppState, MAX_STATUS_DIAGNOSTICS, ReloadOutcome};
use crate::kb::BuildError;
use crate::snapshot::{SnapshotError, SnapshotSource};

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
    let watch = if watch {
        let watch = FolderWatch::start(&source, trigger.clone())?;
        tracing::info!(data = %source.data.display(), "watching for changes");
        Some(watch)
    } else {
        None
    };
    // The handler is installed here, before `start` returns, not in the task: until
    // it is, SIGHUP's default action ends the process, and the server announces
    // that it is ready as soon as `start` returns.
    #[cfg(unix)]
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
        Ok(hangups) => {
            tokio::spawn(reload_on_hangup(hangups, trigger));
        }
        Err(error) => tracing::warn!(%error, "cannot listen for SIGHUP; reload by signal is off"),
    }
    let source = Arc::new(source);
    tokio::spawn(async move {
        // The watcher stops when dropped; this task owns it for the server's life.
        let mut watch = watch;
        while let Some(cause) = triggered.recv().await {
            if cause == FILES_CHANGED {
                // Let a burst of writes settle, then count it as one change.
                tokio::time::sleep(WATCH_DEBOUNCE).await;
                while triggered.try_recv().is_ok() {}
            }
            // Before the reload reads the files: whatever changes after the watch is
            // back triggers another reload, whatever changed before is read by this one.
            if let Some(watch) = &mut watch {
                watch.reattach_if_replaced();
            }
            reload(&state, &source, cause).await;
        }
    });
    Ok(())
}

/// One folder the reloader watches, as an absolute path (events name paths under the
/// path watched, and the parent's events must compare equal to it).
#[derive(Debug)]
struct WatchedFolder {
    path: PathBuf,
    mode: RecursiveMode,
}

/// The file watcher of the data and query folders, and of their parents so that a
/// folder deleted and created again is noticed.
struct FolderWatch {
    watcher: notify::RecommendedWatcher,
    folders: Arc<Vec<WatchedFolder>>,
    /// Set by the watcher when an event names a watched folder itself: it may be a
    /// new folder now, which the old watch does not see.
    replaced: Arc<AtomicBool>,
}

impl FolderWatch {
    fn start(
        source: &SnapshotSource,
        trigger: mpsc::Sender<&'static str>,
    ) -> Result<FolderWatch, WatchError> {
        let absolute = |path: &PathBuf| std::path::absolute(path).unwrap_or_else(|_| path.clone());
        let mut folders = vec![WatchedFolder {
            path: absolute(&source.data),
            mode: RecursiveMode::Recursive,
        }];
        if source.queries.is_dir() {
            folders.push(WatchedFolder {
                path: absolute(&source.queries),
                mode: RecursiveMode::NonRecursive,
            });
        }
        let folders = Arc::new(folders);
        let replaced = Arc::new(AtomicBool::new(false));
        let handler = {
            let folders = Arc::clone(&folders);
            let replaced = Arc::clone(&replaced);
            move |event: notify::Result<notify::Event>| match event {
                Ok(event) if changes_content(&event.kind) => {
                    // An event without paths (the kernel's queue overflowed) may hide
                    // anything, a replaced folder included.
                    let names = |test: &dyn Fn(&Path, &Path) -> bool| {
                        event.paths.is_empty()
                            || event
                                .paths
                                .iter()
                                .any(|p| folders.iter().any(|f| test(p, &f.path)))
                    };
                    // The parents' watches report every sibling: only ours count.
                    if !names(&|p, f| p.starts_with(f)) {
                        return;
                    }
                    if names(&|p, f| p == f) {
                        replaced.store(true, Ordering::SeqCst);
                    }
                    let _ = trigger.try_send(FILES_CHANGED);
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "file watcher"),
            }
        };
        // Following links would let a link to `/` (or to any large folder) moved into
        // the data make the watcher walk and watch everything below it.
        let config = notify::Config::default().with_follow_symlinks(false);
        let mut watcher =
            notify::RecommendedWatcher::new(handler, config).map_err(|error| WatchError {
                path: source.data.clone(),
                source: error,
            })?;
        for folder in folders.iter() {
            watcher
                .watch(&folder.path, folder.mode)
                .map_err(|error| WatchError {
                    path: folder.path.clone(),
                    source: error,
                })?;
            // Without the parent's watch, the server still reloads on changes; it
            // only cannot notice the folder coming back after a deletion.
            if let Some(parent) = folder.path.parent().filter(|p| p.is_dir())
                && let Err(error) = watcher.watch(parent, RecursiveMode::NonRecursive)
            {
                tracing::warn!(folder = %folder.path.display(), %error,
                    "cannot watch the parent folder; a deleted and recreated folder will not be watched again");
            }
        }
        Ok(FolderWatch {
            watcher,
            folders,
            replaced,
        })
    }

    /// Watches the folders again if one was removed, created or renamed since the
    /// last look. A folder that is still missing is watched again once it is created
    /// (its parent's event sets the flag once more).
    ///
    /// Watching walks the data folder (one system call per folder) on the reload
    /// task itself: quick, and rare, for trees whose entries the loader caps anyway.
    fn reattach_if_replaced(&mut self) {
        if !self.replaced.swap(false, Ordering::SeqCst) {
            return;
        }
        for folder in self.folders.iter() {
            // The old watch may already be gone (the kernel drops it with the folder);
            // if the folder was renamed it follows the old folder, so drop it either way.
            let _ = self.watcher.unwatch(&folder.path);
            if !folder.path.is_dir() {
                tracing::warn!(folder = %folder.path.display(), "watched folder is gone; watching for it to come back");
                continue;
            }
            match self.watcher.watch(&folder.path, folder.mode) {
                Ok(()) => {
                    tracing::info!(folder = %folder.path.display(), "watching the folder again")
                }
                Err(error) => {
                    tracing::warn!(folder = %folder.path.display(), %error, "cannot watch the folder again")
                }
            }
        }
    }
}

#[cfg(unix)]
async fn reload_on_hangup(
    mut hangups: tokio::signal::unix::Signal,
    trigger: mpsc::Sender<&'static str>,
) {
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
            // The log gets the same first diagnostics as the status: a tree of 50,000
            // broken files would otherwise write a line of megabytes at every reload.
            let shown = checked.diagnostics.len().min(MAX_STATUS_DIAGNOSTICS);
            let more = match checked.diagnostics.len() - shown {
                0 => String::new(),
                more => format!(
                    "… and {more} more diagnostics; run `pedigree validate` to see them all\n"
                ),
            };
            tracing::warn!(
                "reload refused, still serving the last good data: {} has {tally}\n{}{more}",
                source.data.display(),
                crate::diagnostics::render_human(
                    &checked.diagnostics[..shown],
                    checked.files(),
                    false
                )
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
