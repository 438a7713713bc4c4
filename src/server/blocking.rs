//! The one way a request's CPU work leaves the async threads: SPARQL evaluation, and
//! drawing and writing lineage answers (walks, layouts, SVG, large JSON). Each waits
//! at most `queue_wait` for one of the same permits, runs on the blocking pool under
//! the same time limit and memory watch (a [`Guard`]), and stops at its next check
//! when the client hangs up, so no request occupies an async worker or runs on
//! unbounded.

use crate::kb::KnowledgeBase;
use crate::lineage::LineageError;
use crate::lineage::bounded::{BoundedRequest, BoundedWalk};
use crate::model::Kind;
use crate::server::error::ApiError;
use crate::server::state::AppState;
use crate::sparql::{self, Guard, StopReason};

/// What a client refused for lack of capacity is told to wait, in seconds.
pub(in crate::server) const RETRY_AFTER_SECONDS: u64 = 1;

/// Runs `work` on the blocking pool once a permit is free; `work` checks the guard
/// it is given and returns early once it is stopped.
///
/// Each run holds a permit of `state.evaluations` until it really ends (the permit
/// moves into the blocking task), so the limit counts running work, not waiting
/// clients. It waits at most `queue_wait` for a permit: long enough for a burst of
/// short requests to be answered in turn, short enough that when slow work holds
/// every permit, clients hear 503 with `Retry-After` at once instead of queueing
/// without bound behind it.
pub(in crate::server) async fn run_limited<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Guard) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let limits = state.config.limits;
    let waiting = std::sync::Arc::clone(&state.evaluations).acquire_owned();
    // An error means the semaphore was closed, which it never is; a timeout is the
    // designed refusal.
    let Ok(Ok(permit)) = tokio::time::timeout(state.config.queue_wait, waiting).await else {
        return Err(ApiError::Overloaded {
            message: format!(
                "{} queries or drawings are already running, the most this server runs at once, and none finished within {} ms; retry shortly",
                state.config.max_concurrent_queries,
                state.config.queue_wait.as_millis()
            ),
            retry_after: RETRY_AFTER_SECONDS,
        });
    };
    // The guard's deadline counts from here, not from the queue. The waiter below
    // stops it when dropped: when the client hangs up or the request deadline fires,
    // axum drops this future, and the work ends at its next check, freeing its
    // thread and permit.
    let guard = Guard::start(limits.timeout, limits.max_value_bytes);
    let _waiter = sparql::StopOnDrop(guard.clone());
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let answer = work(&guard);
        guard.finish();
        answer
    })
    .await
    .map_err(ApiError::internal)?
}

/// The bounded walk of every served lineage answer, under `guard`: an unknown model
/// is a 404 with close ids, a stop says why in plain words.
pub(in crate::server) fn walk_guarded(
    state: &AppState,
    kb: &KnowledgeBase,
    request: &BoundedRequest<'_>,
    guard: &Guard,
) -> Result<BoundedWalk, ApiError> {
    kb.lineage
        .walk_bounded(&kb.dataset, request, &|| guard.check().is_err())
        .map_err(|error| match error {
            LineageError::UnknownModel(id) => {
                crate::server::api::not_found(&kb.dataset, Kind::Model, &id)
            }
            LineageError::Stopped => stopped(state, guard.stopped()),
        })
}

/// Why drawing or writing an answer was stopped, for the client.
pub(in crate::server) fn stopped(state: &AppState, reason: Option<StopReason>) -> ApiError {
    let limit = state.config.limits.timeout.as_secs_f64();
    match reason {
        Some(StopReason::Timeout) => ApiError::Timeout(format!(
            "this answer took longer than the {limit} s time limit to draw and was stopped; ask for less (a smaller `limit` or `depth`)"
        )),
        Some(StopReason::Memory) => ApiError::QueryStopped(
            "this answer was stopped: the server needed its memory for other work; retry shortly or ask for less"
                .to_owned(),
        ),
        Some(StopReason::Shutdown) => {
            ApiError::QueryStopped("the server is shutting down".to_owned())
        }
        Some(StopReason::ValueTooLarge | StopReason::Abandoned) | None => {
            ApiError::QueryStopped("nobody waits for this answer any more".to_owned())
        }
    }
}
