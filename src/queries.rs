//! The catalogue of canned queries in `queries/`: each a `.rq` file opening with a
//! comment block that names it, says what it answers and lists its parameters.
//!
//! ```text
//! # title: Full lineage of a model
//! # description: Every lineage edge above a model, with relation, confidence and sources.
//! # param: model = avocado | id of the model
//! ```
//!
//! A parameter `model` is the variable `?model`, bound to a plain string when given
//! and left unbound otherwise. The query declares it with `VALUES ?model { UNDEF }`
//! (which puts the variable in scope, so the evaluator can pre-bind it, and matches
//! anything when it is not) and supplies its default with
//! `BIND(COALESCE(?model, "avocado") AS ...)`, so the file runs as it is in any SPARQL
//! client. The catalogue is read once; names come from the files, so a request for a
//! query is checked against this list and never turned into a path.

use std::path::{Path, PathBuf};

/// One canned query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CannedQuery {
    /// The file stem: `closed-models-with-open-ancestors`.
    pub name: String,
    pub title: String,
    pub description: String,
    pub params: Vec<Param>,
    /// The whole file, header included (comments are valid SPARQL).
    pub text: String,
}

/// A documented parameter of a canned query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub default: String,
    pub description: String,
}

/// Why the catalogue could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{name}.rq: {problem}")]
    Header { name: String, problem: String },
    /// A file that is not read: a link out of the folder, something other than a
    /// regular file, or too large. Its content is never shown.
    #[error("{}: {reason}; it was not read", path.display())]
    Refused { path: PathBuf, reason: &'static str },
}

/// Largest canned-query file read, in bytes: as long as the server's default limit
/// on a query's text (256 KiB); canned queries are a few kilobytes.
pub const MAX_QUERY_FILE_BYTES: u64 = 256 * 1024;

/// Reads every `*.rq` file of `dir`, sorted by name.
pub fn load_dir(dir: &Path) -> Result<Vec<CannedQuery>, CatalogError> {
    let io = |source| CatalogError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    paths.retain(|p| p.extension().is_some_and(|e| e == "rq"));
    paths.sort();
    let root = std::fs::canonicalize(dir).map_err(io)?;
    paths
        .iter()
        .map(|path| {
            check_file(&root, path)?;
            let text = std::fs::read_to_string(path).map_err(|source| CatalogError::Io {
                path: path.clone(),
                source,
            })?;
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            parse(&name, &text)
        })
        .collect()
}

/// The rules of the data folder (docs/security.md) for the query folder, which a
/// pull request can change too: a file is read only if it resolves inside the
/// folder, is a regular file (a FIFO would block the reader for good) and is not
/// larger than a query may be.
fn check_file(root: &Path, path: &Path) -> Result<(), CatalogError> {
    let refuse = |reason| CatalogError::Refused {
        path: path.to_owned(),
        reason,
    };
    let io = |source| CatalogError::Io {
        path: path.to_owned(),
        source,
    };
    let target = std::fs::canonicalize(path).map_err(io)?;
    if !target.starts_with(root) {
        return Err(refuse(
            "a symbolic link that leads outside the query folder",
        ));
    }
    let metadata = std::fs::metadata(&target).map_err(io)?;
    if !metadata.is_file() {
        return Err(refuse("not a regular file"));
    }
    if metadata.len() > MAX_QUERY_FILE_BYTES {
        return Err(refuse("larger than the longest query accepted"));
    }
    Ok(())
}

/// Reads a query's header.
pub fn parse(name: &str, text: &str) -> Result<CannedQuery, CatalogError> {
    let problem = |problem: String| CatalogError::Header {
        name: name.to_owned(),
        problem,
    };
    let valid_name = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid_name {
        return Err(problem(
            "query file names are lowercase words joined by hyphens".into(),
        ));
    }
    let mut title = None;
    let mut description = None;
    let mut params = Vec::new();
    for line in text.lines() {
        let Some(comment) = line.strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = comment.trim().split_once(':') else {
            continue;
        };
        let value = value.trim().to_owned();
        match key.trim() {
            "title" => title = Some(value),
            "description" => description = Some(value),
            "param" => params.push(parse_param(&value).ok_or_else(|| {
                problem(format!(
                    "`# param: {value}` should read `# param: name = default | description`"
                ))
            })?),
            _ => {}
        }
    }
    let title = title.ok_or_else(|| problem("the header needs a `# title:` line".into()))?;
    let description =
        description.ok_or_else(|| problem("the header needs a `# description:` line".into()))?;
    for param in &params {
        let declaration = format!("VALUES ?{} {{ UNDEF }}", param.name);
        if !text.contains(&declaration) {
            return Err(problem(format!(
                "parameter `{}` must be declared in the query as `{declaration}`",
                param.name
            )));
        }
    }
    Ok(CannedQuery {
        name: name.to_owned(),
        title,
        description,
        params,
        text: text.to_owned(),
    })
}

fn parse_param(value: &str) -> Option<Param> {
    let (binding, description) = value.split_once('|')?;
    let (name, default) = binding.split_once('=')?;
    let name = name.trim();
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    valid.then(|| Param {
        name: name.to_owned(),
        default: default.trim().to_owned(),
        description: description.trim().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_title_description_and_params() {
        let text = "# title: T\n# description: D\n# param: model = avocado | id of the model\nSELECT ?m WHERE { VALUES ?model { UNDEF } }\n";
        let query = parse("t", text).unwrap();
        assert_eq!(query.title, "T");
        assert_eq!(query.params[0].name, "model");
        assert_eq!(query.params[0].default, "avocado");
    }

    #[test]
    fn rejects_incomplete_headers() {
        assert!(parse("t", "# title: T\nASK {}").is_err());
        assert!(
            parse(
                "t",
                "# title: T\n# description: D\n# param: x = 1 | unused\nASK {}"
            )
            .is_err()
        );
        assert!(parse("../etc", "# title: T\n# description: D\nASK {}").is_err());
    }
}
