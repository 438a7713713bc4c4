//! The layers every route goes through: the request deadline (and its JSON 408), the
//! body limit (and the early 413 of an announced oversize body), CORS, request
//! logging and panic recovery.

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use super::error::ApiError;

/// The layers every route goes through, outermost last: the request deadline, the
/// body limit, CORS, request logging and panic recovery. Public so that tests can
/// wrap routes of their own (a handler that panics) exactly as the server does.
pub fn with_layers(routes: Router, max_body: usize, deadline: Duration) -> Router {
    routes
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            deadline,
        ))
        .layer(middleware::map_response_with_state(deadline, explain_deadline))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(max_body, refuse_announced_oversize))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
                .allow_headers([header::CONTENT_TYPE, header::ACCEPT])
                .max_age(Duration::from_secs(3600)),
        )
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
                })
                .on_request(())
                .on_response(|response: &Response, latency: Duration, _span: &tracing::Span| {
                    tracing::info!(
                        status = response.status().as_u16(),
                        ms = format_args!("{:.2}", latency.as_secs_f64() * 1000.0),
                        "done"
                    );
                })
                .on_failure(()),
        )
        .layer(CatchPanicLayer::custom(panic_response))
}

/// Gives the 408 of the request deadline (tower-http's `TimeoutLayer`, which answers
/// with an empty body) the JSON error body every error has. A request takes at most
/// `limit` from its head to its answer: a client trickling its body cannot hold a
/// worker. Evaluation has its own, shorter limit, so a slow query is answered 503
/// before this fires. No handler answers 408 itself, so every 408 here is the
/// deadline's.
async fn explain_deadline(State(limit): State<Duration>, response: Response) -> Response {
    if response.status() == StatusCode::REQUEST_TIMEOUT {
        return ApiError::RequestTimeout(limit).into_response();
    }
    response
}

/// Answers 413 at once when a request announces, in `Content-Length`, a body larger
/// than `max_body`, before anything reads the body. Reading is what makes hyper send
/// `100 Continue` to a client that sent `Expect: 100-continue`; without this check
/// such a client was invited to send gigabytes only to be refused, and a client that
/// announced a huge body and sent none held the request until the deadline. The body
/// stays unread, so the connection is closed after the answer.
async fn refuse_announced_oversize(
    State(max_body): State<usize>,
    request: axum::extract::Request,
    next: Next,
) -> Response {
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if announced.is_some_and(|length| length > max_body as u64) {
        let mut response = ApiError::PayloadTooLarge(max_body).into_response();
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return response;
    }
    next.run(request).await
}

/// A panic in a handler becomes a logged report and a generic 500, never a dropped
/// connection.
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "handler panicked");
    ApiError::Internal("handler panicked".into()).into_response()
}
