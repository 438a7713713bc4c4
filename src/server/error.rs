//! `ApiError`: the one error type of the HTTP layer, and its response.
//!
//! Client errors (4xx) say what was wrong and what is accepted; server errors (5xx)
//! are logged with their cause inside the request's span and answer a generic body,
//! so nothing internal leaks. Every error body is JSON of the same shape:
//! `{ "error": "<short kind>", "detail": "<what to do>", … }`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A parameter, body or header the client sent is wrong.
    #[error("{0}")]
    BadRequest(String),
    /// The query is not SPARQL: `detail` says why in plain words (and where, in
    /// words); `line` and `column` (1-based) are the spot, for pages that mark it.
    #[error("{detail}")]
    Syntax {
        detail: String,
        line: Option<usize>,
        column: Option<usize>,
    },
    /// An id names no record; `suggestions` are close ids.
    #[error("{what} `{id}` not found")]
    NotFound {
        what: &'static str,
        id: String,
        suggestions: Vec<String>,
    },
    /// No route at this path.
    #[error("no such resource: {0}")]
    NoRoute(String),
    /// None of the acceptable media types can be produced.
    #[error("cannot produce any of the media types in Accept: {accept}; available: {available}")]
    NotAcceptable { accept: String, available: String },
    /// The request body's media type is not one this resource takes.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// A read-only service refuses the operation (SPARQL Update, LOAD, SERVICE).
    #[error("{0}")]
    Forbidden(String),
    /// The request body is larger than the limit.
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// The query text is longer than the limit.
    #[error("the query is {length} bytes long; the limit is {limit} bytes")]
    QueryTooLong { length: usize, limit: usize },
    /// The request line (and so the URL) is longer than the server reads.
    #[error(
        "the request line is longer than {0} bytes; send a long query with POST instead of in the URL"
    )]
    UriTooLong(usize),
    /// The request took longer than the server allows from head to answer.
    #[error("the request was not complete and answered within {} s", .0.as_secs())]
    RequestTimeout(std::time::Duration),
    /// The query ran out of time and was cancelled.
    #[error("{0}")]
    Timeout(String),
    /// The query was stopped before it ended: it needed more memory than queries
    /// may use, or the server is shutting down.
    #[error("{0}")]
    QueryStopped(String),
    /// Too many evaluations at once; try again after `retry_after` seconds.
    #[error("{message}")]
    Overloaded { message: String, retry_after: u64 },
    /// A bug or an environment failure; logged, answered generically.
    #[error("internal error: {0}")]
    Internal(String),
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    did_you_mean: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::Syntax { .. } => StatusCode::BAD_REQUEST,
            ApiError::NotFound { .. } | ApiError::NoRoute(_) => StatusCode::NOT_FOUND,
            ApiError::NotAcceptable { .. } => StatusCode::NOT_ACCEPTABLE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::PayloadTooLarge(_) | ApiError::QueryTooLong { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            ApiError::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::Timeout(_) | ApiError::QueryStopped(_) | ApiError::Overloaded { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) | ApiError::Syntax { .. } => "bad request",
            ApiError::NotFound { .. } | ApiError::NoRoute(_) => "not found",
            ApiError::NotAcceptable { .. } => "not acceptable",
            ApiError::UnsupportedMediaType(_) => "unsupported media type",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::PayloadTooLarge(_) | ApiError::QueryTooLong { .. } => "payload too large",
            ApiError::UriTooLong(_) => "URI too long",
            ApiError::RequestTimeout(_) => "request timeout",
            ApiError::Timeout(_) => "timeout",
            ApiError::QueryStopped(_) => "query stopped",
            ApiError::Overloaded { .. } => "overloaded",
            ApiError::Internal(_) => "internal error",
        }
    }

    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        ApiError::Internal(error.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let detail = match &self {
            ApiError::Internal(cause) => {
                // Logged inside the request's span by the trace layer's context.
                tracing::error!(%cause, "internal error");
                "the server failed to answer; the error has been logged".to_owned()
            }
            other => other.to_string(),
        };
        let suggestions = match &self {
            ApiError::NotFound { suggestions, .. } => suggestions.clone(),
            _ => Vec::new(),
        };
        let (line, column) = match &self {
            ApiError::Syntax { line, column, .. } => (*line, *column),
            _ => (None, None),
        };
        let body = Body {
            error: self.kind(),
            detail,
            did_you_mean: suggestions,
            line,
            column,
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let ApiError::Overloaded { retry_after, .. } = &self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
        }
        response
    }
}

impl From<crate::sparql::QueryError> for ApiError {
    fn from(error: crate::sparql::QueryError) -> ApiError {
        use crate::sparql::QueryError;
        match error {
            QueryError::Syntax { line, column, .. } => ApiError::Syntax {
                detail: error.to_string(),
                line,
                column,
            },
            QueryError::BadParameter(_)
            | QueryError::TooLarge(_)
            | QueryError::TooComplex(_)
            | QueryError::ValueTooLarge(_)
            | QueryError::Unsupported(_) => ApiError::BadRequest(error.to_string()),
            QueryError::Refused(message) => ApiError::Forbidden(message),
            QueryError::Timeout(_) => ApiError::Timeout(error.to_string()),
            QueryError::OutOfMemory(_) | QueryError::Cancelled(_) => {
                ApiError::QueryStopped(error.to_string())
            }
            QueryError::Evaluation(cause) => ApiError::Internal(cause.to_string()),
            QueryError::Panicked(cause) => ApiError::Internal(cause),
        }
    }
}
