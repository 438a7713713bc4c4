//! Syntax errors in plain words: what a query that did not parse says to the person
//! who wrote it. The one place the wording is made, for `/sparql`, the SPARQL page,
//! the canned-query routes and `pedigree query` alike.
//!
//! The parser (spargebra's peg grammar) reports the furthest place it reached and the
//! tokens it would have taken there, which is often far from the mistake: a missing
//! `)` reads "expected one of PREDICATE, STRBEFORE, …" and `SELEC` "expected
//! CONSTRUCT". So the common mistakes are recognised first, from the text itself, in
//! this order: an empty query, an Update (refused: the graph is read-only), a first
//! word that is not a query form, unbalanced brackets; only then is the parser's list
//! of expected tokens shown, without its character classes.

use super::QueryError;
use super::parse::{line_column, scan};

/// The words that open a SPARQL Update operation.
const UPDATE_WORDS: &[&str] = &[
    "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH",
];

/// The words that open a query.
const QUERY_FORMS: &[&str] = &["SELECT", "CONSTRUCT", "ASK", "DESCRIBE"];

/// The message of a query that is an Update, on every route.
pub(super) const READ_ONLY: &str = "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, …) is not accepted; the graph changes only through graph-data/";

/// Explains why `text` did not parse; `raw` is the parser's own message
/// ("error at L:C: expected …").
pub(super) fn syntax_error(text: &str, raw: &str) -> QueryError {
    let at = |offset: usize, message: String| {
        let (line, column) = line_column(text, offset);
        QueryError::Syntax {
            message,
            line: Some(line),
            column: Some(column),
        }
    };
    let Some((offset, word)) = first_word(text) else {
        return QueryError::Syntax {
            message: "the query is empty: write a SELECT, ASK, CONSTRUCT or DESCRIBE query (PREFIX lines and comments alone are not one)".into(),
            line: None,
            column: None,
        };
    };
    let upper = word.to_ascii_uppercase();
    if UPDATE_WORDS.contains(&upper.as_str()) {
        return QueryError::Refused(READ_ONLY.into());
    }
    if !QUERY_FORMS.contains(&upper.as_str()) {
        let hint = crate::diagnostics::did_you_mean(&upper, QUERY_FORMS.iter().copied())
            .map(|hint| format!("; {hint}"))
            .unwrap_or_default();
        let found = if word.is_empty() {
            text[offset..]
                .chars()
                .next()
                .map(String::from)
                .unwrap_or_default()
        } else {
            word.to_owned()
        };
        return at(
            offset,
            format!("a query starts with SELECT, CONSTRUCT, ASK or DESCRIBE, not `{found}`{hint}"),
        );
    }
    if let Some((offset, message)) = unbalanced(text) {
        return at(offset, message);
    }
    peg_error(text, raw)
}

/// The offset and text of the first word after the prologue (comments, `PREFIX` and
/// `BASE` declarations); the word is empty when something else comes first. `None`
/// when nothing comes after the prologue.
fn first_word(text: &str) -> Option<(usize, &str)> {
    let mut rest = skip_blank(text, 0);
    loop {
        let word = word_at(text, rest);
        let after = rest + word.len();
        if word.eq_ignore_ascii_case("PREFIX") {
            // `PREFIX name: <iri>`
            let name = skip_blank(text, after);
            let colon = name + text[name..].find(':')? + 1;
            rest = skip_iri(text, skip_blank(text, colon))?;
        } else if word.eq_ignore_ascii_case("BASE") {
            rest = skip_iri(text, skip_blank(text, after))?;
        } else {
            return (rest < text.len()).then_some((rest, word));
        }
        rest = skip_blank(text, rest);
    }
}

/// The offset of the first byte at or after `from` that is not white space or part
/// of a comment.
fn skip_blank(text: &str, mut from: usize) -> usize {
    let bytes = text.as_bytes();
    while from < bytes.len() {
        match bytes[from] {
            b'#' => from += text[from..].find('\n').unwrap_or(text.len() - from),
            b if b.is_ascii_whitespace() => from += 1,
            _ => break,
        }
    }
    from
}

/// The ASCII letters at `from`.
fn word_at(text: &str, from: usize) -> &str {
    let length = text.as_bytes()[from.min(text.len())..]
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    &text[from..from + length]
}

/// The offset just past the `<…>` at `from`, if one is there.
fn skip_iri(text: &str, from: usize) -> Option<usize> {
    text[from..]
        .strip_prefix('<')
        .and_then(|rest| rest.find('>'))
        .map(|end| from + end + 2)
}

/// The first bracket that does not balance, outside strings, IRIs and comments: a
/// closing one that closes nothing or another kind, or (at the end) the innermost
/// one left open. The offset is where to mark it.
fn unbalanced(text: &str) -> Option<(usize, String)> {
    let mut open: Vec<(usize, u8)> = Vec::new();
    let mut problem = None;
    scan(text, |offset, byte| {
        let opener = match byte {
            b'(' | b'{' | b'[' => {
                open.push((offset, byte));
                return true;
            }
            b')' => b'(',
            b'}' => b'{',
            b']' => b'[',
            _ => return true,
        };
        match open.pop() {
            Some((_, top)) if top == opener => return true,
            Some((at, top)) => {
                let (line, column) = line_column(text, at);
                problem = Some((
                    offset,
                    format!(
                        "missing `{}`: the `{}` at line {line}, column {column} is not closed before this `{}`",
                        closer(top) as char,
                        top as char,
                        byte as char,
                    ),
                ));
            }
            None => {
                problem = Some((
                    offset,
                    format!(
                        "this `{}` closes nothing: there is no `{}` before it",
                        byte as char, opener as char
                    ),
                ));
            }
        }
        false
    });
    // A bracket left open is marked where the text ends, where its closer is
    // missing, and named by where it opened.
    problem.or_else(|| {
        open.pop().map(|(at, top)| {
            let (line, column) = line_column(text, at);
            (
                text.len(),
                format!(
                    "missing `{}`: the `{}` at line {line}, column {column} is never closed",
                    closer(top) as char,
                    top as char
                ),
            )
        })
    })
}

fn closer(opener: u8) -> u8 {
    match opener {
        b'(' => b')',
        b'{' => b'}',
        _ => b']',
    }
}

/// The parser's own message, with its position and with the expected tokens a
/// person can type.
fn peg_error(text: &str, raw: &str) -> QueryError {
    let parsed = raw.strip_prefix("error at ").and_then(|rest| {
        let (position, expected) = rest.split_once(": ")?;
        let (line, column) = position.split_once(':')?;
        Some((
            line.parse::<usize>().ok()?,
            column.parse::<usize>().ok()?,
            expected,
        ))
    });
    let Some((line, column, expected)) = parsed else {
        return QueryError::Syntax {
            message: raw.to_owned(),
            line: None,
            column: None,
        };
    };
    let found = text
        .lines()
        .nth(line - 1)
        .and_then(|l| {
            let rest: String = l.chars().skip(column - 1).collect();
            let token: String = rest
                .trim_start()
                .chars()
                .take_while(|c| !c.is_whitespace())
                .take(30)
                .collect();
            (!token.is_empty()).then_some(token)
        })
        .map_or_else(
            || "the query ends too early".to_owned(),
            |t| format!("found `{t}`"),
        );
    let expected = describe_expected(expected);
    let message = if expected.starts_with("undeclared") {
        expected
    } else {
        format!("{expected}; {found}")
    };
    QueryError::Syntax {
        message,
        line: Some(line),
        column: Some(column),
    }
}

/// Turns peg's "expected one of …" list into something a person can act on.
fn describe_expected(expected: &str) -> String {
    let expected = expected.strip_prefix("expected ").unwrap_or(expected);
    if expected.contains("Prefix not found") {
        return "undeclared prefix: add a PREFIX line (ped:, prov:, schema:, org:, dcterms:, dc:, owl:, rdf:, rdfs:, skos:, spdx:, time: and xsd: are predeclared)".into();
    }
    let Some(list) = expected.strip_prefix("one of ") else {
        return if expected.starts_with('[') {
            "unexpected text".into()
        } else {
            format!("expected {expected}")
        };
    };
    // Character classes are noise to a reader; keep the words and punctuation.
    let words: Vec<&str> = list
        .split(", ")
        .filter(|w| !w.starts_with('[') && !w.contains("..="))
        .collect();
    match words.as_slice() {
        [] => "unexpected text".into(),
        [one] => format!("expected {one}"),
        many if many.len() <= 8 => format!("expected one of {}", many.join(", ")),
        many => format!("expected one of {}, …", many[..8].join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    /// The message, line and column a query's syntax error has.
    fn syntax(text: &str) -> (String, Option<usize>, Option<usize>) {
        match parse(text) {
            Err(QueryError::Syntax {
                message,
                line,
                column,
            }) => (message, line, column),
            other => panic!("{text}: expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn updates_are_refused_as_read_only_even_when_they_would_not_parse() {
        for update in [
            "INSERT DATA { <a> <b> <c> }",
            "insert data { <a:b> <a:c> <a:d> }",
            "PREFIX ex: <http://example.com/>\n# a comment\nDELETE WHERE { ?s ?p ?o }",
            "CLEAR ALL",
            "LOAD <http://example.com/data.ttl>",
            "BASE <http://example.com/> DROP GRAPH <g>",
        ] {
            match parse(update) {
                Err(QueryError::Refused(message)) => assert_eq!(message, READ_ONLY, "{update}"),
                other => panic!("{update}: expected a refusal, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_misspelt_query_form_is_named_with_a_suggestion() {
        let (message, line, column) = syntax("# find them\nSELEC ?x WHERE { ?x ?y ?z }");
        assert!(
            message.contains("SELECT, CONSTRUCT, ASK or DESCRIBE"),
            "{message}"
        );
        assert!(message.contains("not `SELEC`"), "{message}");
        assert!(message.contains("did you mean `SELECT`?"), "{message}");
        assert_eq!((line, column), (Some(2), Some(1)));
        let (message, _, column) = syntax("  {?x ?y ?z}");
        assert!(message.contains("not `{`"), "{message}");
        assert_eq!(column, Some(3));
    }

    #[test]
    fn unbalanced_brackets_say_which_is_missing_and_where() {
        let (message, line, column) = syntax("SELECT ?x WHERE {\n  ?x ?y ?z FILTER(?x = 1 }");
        assert!(message.starts_with("missing `)`"), "{message}");
        assert!(message.contains("line 2, column 18"), "{message}");
        assert_eq!((line, column), (Some(2), Some(26)));
        let (message, _, column) = syntax("SELECT ?x WHERE { ?x ?y ?z } }");
        assert!(message.contains("closes nothing"), "{message}");
        assert_eq!(column, Some(30));
        let (message, line, column) = syntax("SELECT ?x WHERE {\n  ?x ?y \"}\" ");
        assert_eq!(
            message,
            "missing `}`: the `{` at line 1, column 17 is never closed"
        );
        assert_eq!(
            (line, column),
            (Some(2), Some(13)),
            "marked where the text ends"
        );
    }

    #[test]
    fn other_errors_keep_the_parser_position_and_show_what_was_found() {
        let (message, line, column) = syntax("SELECT ?x WHERE { ?x ?y ?z } LIMIT ten");
        assert!(message.ends_with("; found `ten`"), "{message}");
        assert!(
            !message.contains('['),
            "character classes are left out: {message}"
        );
        assert_eq!((line, column), (Some(1), Some(36)));
        let (message, ..) = syntax("SELECT ?x WHERE { ?x foo:bar ?z }");
        assert!(message.starts_with("undeclared prefix"), "{message}");
        let (message, ..) = syntax("# only a comment\nPREFIX ex: <http://example.com/>\n");
        assert!(message.starts_with("the query is empty"), "{message}");
    }
}
