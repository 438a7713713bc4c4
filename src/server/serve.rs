//! Serving the router on a listener: the accept loop, each connection under its
//! limits (header read and idle timeouts, the request line read first), graceful
//! shutdown and the signals that start it.

use std::future::Future;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;

use super::connection::{
    Activity, Replay, RequestLine, Tracked, read_request_line, refuse_long_request_line,
};
use super::state::AppState;
use super::{protocol, router};

/// Stack of every server thread (async workers and evaluation threads): what any
/// query within the size limits needs (see [`crate::sparql::QUERY_STACK_BYTES`]).
pub const THREAD_STACK_BYTES: usize = crate::sparql::QUERY_STACK_BYTES;

/// Most time the server waits, after a shutdown signal, for requests in flight.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);
/// Most time the binary waits, after [`serve`] returns, for blocking work that is
/// still running (an evaluation between two checks, a reload reading a file) before
/// the process exits anyway.
pub const SHUTDOWN_STRAGGLERS: Duration = Duration::from_secs(2);

/// Serves `router(state)` on `listener` until `shutdown` completes, then finishes the
/// requests in flight (for at most [`SHUTDOWN_GRACE`]).
///
/// HTTP/1.1 connections are served by hyper directly rather than `axum::serve`,
/// because the connection-level limits need its builder: the header read timeout
/// (which hyper also applies while a kept-alive connection waits for its next
/// request) and an idle timeout on the socket itself.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let idle_timeout = state.config.idle_timeout;
    let header_read_timeout = state.config.header_read_timeout;
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(state.config.header_read_timeout)
        .keep_alive(true);
    // The listening address is what the service description names as the endpoint
    // when a request carries no `Host` (see `protocol::service_description::endpoint_url`).
    let app = router(state).layer(axum::Extension(protocol::ListeningOn(
        listener.local_addr()?,
    )));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let activity = Activity::new();
        let mut io = Tracked {
            stream,
            activity: activity.clone(),
        };
        let service = TowerToHyperService::new(app.clone());
        let http = http.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let connection = async {
                let line = tokio::time::timeout(header_read_timeout, read_request_line(&mut io));
                let head = match line.await {
                    Ok(Ok(RequestLine::Read(head))) => head,
                    Ok(Ok(RequestLine::TooLong)) => return refuse_long_request_line(&mut io).await,
                    // Closed, failed or too slow before its first line ended: hyper
                    // would close such a connection too, without an answer.
                    Ok(Err(_)) | Err(_) => return Ok(()),
                };
                let io = TokioIo::new(Replay { head, at: 0, io });
                watcher.watch(http.serve_connection(io, service)).await
            };
            tokio::select! {
                result = connection => {
                    if let Err(error) = result {
                        tracing::debug!(%peer, %error, "connection ended with an error");
                    }
                }
                () = activity.idle_for(idle_timeout) => {
                    tracing::info!(%peer, seconds = idle_timeout.as_secs(), "closed an idle connection");
                }
            }
        });
    }
    drop(listener);
    // Queries still running would only be cut off at the end of the grace period:
    // stop them now, so their clients hear why at once and their threads are free.
    crate::sparql::guard::stop_all(crate::sparql::StopReason::Shutdown);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running after the grace period were cut off");
    }
    Ok(())
}
/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
