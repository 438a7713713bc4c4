//! Reading URL parameters: strict for the REST API (unknown names, repeated single
//! values and malformed values are 400s that say which parameter and why, and so is a
//! path segment that is not valid percent-encoded UTF-8), lenient about unknown names
//! for HTML pages, whose links are shared with `?utm_source=…` and `?fbclid=…` added.

use axum::extract::{FromRequestParts, Path};
use axum::http::Uri;
use axum::http::request::Parts;

use super::error::ApiError;
use super::protocol::parse_params;
use crate::diagnostics::did_you_mean;
use crate::model::Word;

/// The one parameter of a route's path (`/api/models/{id}`). axum's own `Path`
/// answers a bad segment with a plain-text 400; this answers with our JSON error.
/// (Found by fuzzing: `/api/models/%FF/lineage`.)
#[derive(Debug)]
pub struct PathParam(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathParam {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(PathParam(value)),
            Err(rejection) => Err(ApiError::BadRequest(format!(
                "the path is not valid: {}",
                rejection.body_text()
            ))),
        }
    }
}

/// The parameters of one request, checked against the names a route accepts.
#[derive(Debug)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Reads the query string, refusing names not in `allowed`.
    pub fn parse(uri: &Uri, allowed: &[&str]) -> Result<Params, ApiError> {
        let pairs = parse_params(uri.query().unwrap_or("").as_bytes())?;
        for (name, _) in &pairs {
            if !allowed.contains(&name.as_str()) {
                let hint = did_you_mean(name, allowed.iter().copied())
                    .map(|h| format!("; {h}"))
                    .unwrap_or_else(|| {
                        if allowed.is_empty() {
                            "; this resource takes no parameters".into()
                        } else {
                            format!("; accepted: {}", allowed.join(", "))
                        }
                    });
                return Err(ApiError::BadRequest(format!(
                    "unknown parameter `{name}`{hint}"
                )));
            }
        }
        Ok(Params { pairs })
    }

    /// Reads the query string of an HTML page: names not in `known` are dropped, not
    /// refused, because links to pages travel through mail, chats and trackers that
    /// add their own (`utm_source`, `fbclid`). Known names are read as strictly as on
    /// the API (a malformed value is still a 400 page).
    pub fn parse_page(uri: &Uri, known: &[&str]) -> Result<Params, ApiError> {
        let mut pairs = parse_params(uri.query().unwrap_or("").as_bytes())?;
        pairs.retain(|(name, _)| known.contains(&name.as_str()));
        Ok(Params { pairs })
    }

    /// A parameter given at most once.
    pub fn one(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut values = self
            .pairs
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(ApiError::BadRequest(format!(
                "`{name}` is given more than once"
            )));
        }
        Ok(first)
    }

    /// A required parameter.
    pub fn required(&self, name: &str) -> Result<&str, ApiError> {
        self.one(name)?
            .filter(|v| !v.is_empty())
            .ok_or_else(|| ApiError::BadRequest(format!("`{name}` is required")))
    }

    /// Every value of a repeatable parameter, also split at commas
    /// (`relation=finetune,merge` is `relation=finetune&relation=merge`).
    pub fn many(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(n, _)| n == name)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// A parameter parsed with `parse`, whose error says what is expected.
    pub fn parsed<T>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> Option<T>,
        expected: &str,
    ) -> Result<Option<T>, ApiError> {
        match self.one(name)? {
            None => Ok(None),
            Some(value) => parse(value).map(Some).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "`{name}={value}` is not valid: expected {expected}"
                ))
            }),
        }
    }

    /// A parameter spelled as one of `T`'s words; the error lists them.
    pub fn word<T: Word>(&self, name: &str) -> Result<Option<T>, ApiError> {
        self.parsed(name, T::from_word, &T::or_list())
    }

    /// Every parameter, for routes that pass them on (canned-query parameters).
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }
}
