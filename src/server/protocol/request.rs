//! Reading a SPARQL protocol request: where its query is (URL, form or direct body),
//! its dataset parameters, and the refusal of updates, other media types and charsets.

use axum::http::{HeaderMap, Method, Uri, header};
use oxigraph::model::NamedNode;

use crate::server::error::ApiError;
use crate::sparql::DatasetOverride;

/// What a request asks for, once its shape (method, media type, parameters) is read.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Request {
    pub query: Option<String>,
    pub dataset: DatasetOverride,
}

const FORM: &str = "application/x-www-form-urlencoded";
const SPARQL_QUERY: &str = "application/sparql-query";
const SPARQL_UPDATE: &str = "application/sparql-update";

/// Reads the protocol request: where the query is, and the dataset parameters.
pub(super) fn read_request(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Request, ApiError> {
    let url_params = parse_params(uri.query().unwrap_or("").as_bytes())?;
    let mut params = url_params.clone();
    let mut direct_query = None;
    if method == Method::POST {
        // Two Content-Types are ambiguous: a proxy may have read the other one.
        if headers.get_all(header::CONTENT_TYPE).iter().count() > 1 {
            return Err(ApiError::BadRequest(
                "the request has more than one Content-Type header; send exactly one".into(),
            ));
        }
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .ok_or_else(|| {
                ApiError::UnsupportedMediaType(format!(
                    "a POST to /sparql needs a Content-Type: `{SPARQL_QUERY}` or `{FORM}`"
                ))
            })?
            .to_str()
            .map_err(|_| ApiError::BadRequest("the Content-Type header is not ASCII".into()))?;
        let (media_type, charset) = split_media_type(content_type);
        if let Some(charset) = charset
            && !charset.eq_ignore_ascii_case("utf-8")
        {
            return Err(ApiError::UnsupportedMediaType(format!(
                "charset `{charset}` is not supported; send UTF-8"
            )));
        }
        match media_type.as_str() {
            FORM => params.extend(parse_params(body)?),
            SPARQL_QUERY => {
                let text = std::str::from_utf8(body).map_err(|e| {
                    ApiError::BadRequest(format!("the query is not valid UTF-8: {e}"))
                })?;
                direct_query = Some(text.to_owned());
            }
            SPARQL_UPDATE => {
                return Err(ApiError::Forbidden(
                    "SPARQL Update is not accepted: this endpoint is read-only; data changes through graph-data/".into(),
                ));
            }
            other => {
                return Err(ApiError::UnsupportedMediaType(format!(
                    "Content-Type `{other}` is not accepted; send `{SPARQL_QUERY}` or `{FORM}`"
                )));
            }
        }
    }
    let values = |name: &str, from: &[(String, String)]| -> Vec<String> {
        from.iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    if !values("update", &params).is_empty() {
        return Err(ApiError::Forbidden(
            "SPARQL Update is not accepted: this endpoint is read-only; data changes through graph-data/".into(),
        ));
    }
    let mut queries = values("query", &params);
    if let Some(direct) = direct_query {
        if !queries.is_empty() {
            return Err(ApiError::BadRequest(
                "the query is given both in the body and as a `query` parameter".into(),
            ));
        }
        queries.push(direct);
    }
    if queries.len() > 1 {
        return Err(ApiError::BadRequest(format!(
            "{} `query` parameters given; send exactly one",
            queries.len()
        )));
    }
    // Dataset parameters travel in the URL for direct POSTs and either place for forms.
    let graphs = |name: &str| -> Result<Vec<NamedNode>, ApiError> {
        values(name, &params)
            .into_iter()
            .map(|iri| {
                NamedNode::new(iri.clone()).map_err(|e| {
                    ApiError::BadRequest(format!("`{name}` value `{iri}` is not an IRI: {e}"))
                })
            })
            .collect()
    };
    Ok(Request {
        query: queries.pop(),
        dataset: DatasetOverride {
            default_graphs: graphs("default-graph-uri")?,
            named_graphs: graphs("named-graph-uri")?,
        },
    })
}

/// Splits `type/subtype; charset=x` into the lowercase media type and the charset.
fn split_media_type(content_type: &str) -> (String, Option<String>) {
    let mut parts = content_type.split(';');
    let media_type = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_owned())
    });
    (media_type, charset)
}

/// Decodes `application/x-www-form-urlencoded` text, refusing invalid UTF-8 rather
/// than replacing it (a query silently changed would give a wrong answer). The
/// `form_urlencoded` crate decodes the same way but replaces invalid UTF-8 with
/// U+FFFD, so only the splitting is done here and the percent-decoding is the
/// `percent-encoding` crate's (a `%` not followed by two hex digits stays as it is,
/// as the URL standard says). Repeated names are all kept: the protocol refuses a
/// repeated `query`, and `default-graph-uri`/`named-graph-uri` may repeat.
pub(in crate::server) fn parse_params(input: &[u8]) -> Result<Vec<(String, String)>, ApiError> {
    input
        .split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut split = pair.splitn(2, |&b| b == b'=');
            let name = decode(split.next().unwrap_or_default())?;
            let value = decode(split.next().unwrap_or_default())?;
            Ok((name, value))
        })
        .collect()
}

/// One name or value: `+` is a space, then percent-decoding, then strict UTF-8.
fn decode(raw: &[u8]) -> Result<String, ApiError> {
    let plus_as_space: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    percent_encoding::percent_decode(&plus_as_space)
        .decode_utf8()
        .map(std::borrow::Cow::into_owned)
        .map_err(|_| {
            ApiError::BadRequest("a parameter is not valid UTF-8 after percent-decoding".into())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_forms_strictly() {
        let params = parse_params(b"query=ASK%20%7B%7D&x=a+b&y=100%").unwrap();
        assert_eq!(params[0], ("query".into(), "ASK {}".into()));
        assert_eq!(params[1].1, "a b");
        assert_eq!(params[2].1, "100%");
        assert!(parse_params(b"query=%FF%FE").is_err());
        // An encoded `+` is a plus, a bare one a space; broken escapes stay as sent;
        // empty pairs are skipped and repeats kept.
        let params = parse_params(b"a=1%2B1&&b=%zz%4&a=x+%2b&c").unwrap();
        assert_eq!(
            params,
            [
                ("a".into(), "1+1".into()),
                ("b".into(), "%zz%4".into()),
                ("a".into(), "x +".into()),
                ("c".into(), String::new()),
            ]
        );
    }

    #[test]
    fn media_types_split_with_charset() {
        assert_eq!(
            split_media_type("Application/SPARQL-Query; charset=\"UTF-16\""),
            ("application/sparql-query".into(), Some("UTF-16".into()))
        );
    }
}
