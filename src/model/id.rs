//! `Id`: the identifier of a record, unique across the whole graph.
//!
//! Deserialisation accepts any string so that a malformed id does not abort the
//! whole document; the validator checks the format with [`Id::check`] and reports
//! every bad id at once.

use std::borrow::Borrow;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Longest id accepted, in bytes. Ids appear in URLs and IRIs; a hundred characters is
/// generous for `deepseek-r1-distill-qwen-1.5b` and keeps them readable.
pub const MAX_ID_LEN: usize = 100;

/// The id of a model, organisation, person, source or licence.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(Box<str>);

impl Id {
    pub fn new(text: impl Into<Box<str>>) -> Self {
        Id(text.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Checks the id grammar of `docs/data-model.md`: lowercase ASCII letters and digits
    /// in segments joined by single hyphens, with a dot allowed only between two digits
    /// (`llama-3.1-8b`). Returns why the id is malformed.
    pub fn check(text: &str) -> Result<(), &'static str> {
        if text.is_empty() {
            return Err("an id cannot be empty");
        }
        if text.len() > MAX_ID_LEN {
            return Err("an id can have at most 100 characters");
        }
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let prev = i.checked_sub(1).map(|p| bytes[p]);
            let next = bytes.get(i + 1).copied();
            match b {
                b'a'..=b'z' | b'0'..=b'9' => {}
                b'A'..=b'Z' => return Err("ids are lowercase"),
                b'-' => {
                    if prev.is_none() || next.is_none() {
                        return Err("an id cannot start or end with a hyphen");
                    }
                    if next == Some(b'-') {
                        return Err("hyphens in an id cannot be doubled");
                    }
                }
                b'.' => {
                    let digit = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_digit());
                    if !(digit(prev) && digit(next)) {
                        return Err("a dot is allowed only between two digits, as in `3.1`");
                    }
                }
                b'_' | b' ' => return Err("words in an id are joined with hyphens"),
                _ => return Err("ids use only a-z, 0-9, hyphens and dots between digits"),
            }
        }
        Ok(())
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl std::ops::Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Id {
    fn from(text: &str) -> Self {
        Id::new(text)
    }
}

impl JsonSchema for Id {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Id".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A record id: lowercase letters and digits in hyphen-joined segments; a dot only between two digits (`llama-3.1-8b`).",
            "pattern": r"^(?:[a-z0-9]|(?<=[0-9])\.(?=[0-9])|(?<=[a-z0-9])-(?=[a-z0-9]))+$",
            "maxLength": MAX_ID_LEN,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Id;

    #[test]
    fn accepts_documented_examples() {
        for ok in [
            "avocado",
            "llama-3.1-8b",
            "qwen2.5-math-7b",
            "apache-2.0",
            "deepseek-r1-distill-qwen-1.5b",
            "bloomberg-2025-12-10-meta-avocado",
        ] {
            assert_eq!(Id::check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_malformed_ids() {
        for bad in [
            "", "Avocado", "-a", "a-", "a--b", "a.b", "3.", ".3", "a_b", "a b", "é", "a/b",
        ] {
            assert!(Id::check(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(Id::check(&"a".repeat(101)).is_err());
    }
}
