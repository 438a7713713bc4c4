//! A Hub answer into a [`Card`]: a repo's `GET {endpoint}/api/models/{id}` answer, its
//! `cardData` as the front matter, `sha` as the revision, `lastModified` as the day,
//! and its `base_model:` tags as the bases when `cardData` names none.

use std::path::PathBuf;

use serde_json::Value;

use super::RELATIONS;
use crate::diagnostics::{Code, Diagnostic, FileId, SourceFile};
use crate::import::Report;
use crate::import::card::{self, Card, OneOrMany, Origin};
use crate::import::rules;
use crate::model::{PartialDate, Span};

/// The `createdAt` the Hub gives every repo created before it stored creation dates:
/// "unknown", not a day.
const PLACEHOLDER_CREATED_AT: &str = "2022-03-02T23:29:04.000Z";

/// The `cardData` fields the importer reads (those of `card::CardData`).
const CARD_FIELDS: [&str; 8] = [
    "base_model",
    "base_model_relation",
    "license",
    "license_name",
    "license_link",
    "datasets",
    "library_name",
    "tags",
];

/// A repo's answer as a card: `cardData` as the front matter (shown in diagnostics
/// as YAML, at the request's URL), the bases and relation from the Hub's
/// `base_model:` tags when `cardData` names no base.
pub(super) fn read_answer(url: &str, body: &str, report: &mut Report) -> Option<Card> {
    let file = FileId(report.files.len() as u32);
    let fail = |report: &mut Report, text: String, why: String| {
        report.files.push(SourceFile {
            path: PathBuf::from(url),
            text,
        });
        report.diagnostics.push(
            Diagnostic::at(
                Code::HubRequestFailed,
                file,
                Span::default(),
                format!("the answer is not a model as the Hub API gives one: {why}"),
            )
            .label("skipped")
            .hint("the repo is skipped; the rest is imported"),
        );
        None
    };
    let value: Value = match serde_json::from_str(body) {
        Ok(value) => value,
        Err(error) => {
            // The answer's first line, so the diagnostic shows what came instead.
            let first = body.lines().next().unwrap_or("");
            let mut end = first.len().min(200);
            while !first.is_char_boundary(end) {
                end -= 1;
            }
            return fail(
                report,
                first[..end].to_owned(),
                format!("not JSON ({error})"),
            );
        }
    };
    let Some(object) = value.as_object() else {
        return fail(report, String::new(), "not a JSON object".to_owned());
    };
    let text_of = |key: &str| object.get(key).and_then(Value::as_str).map(str::trim);
    let Some(repo) = text_of("id") else {
        return fail(report, String::new(), "it has no `id`".to_owned());
    };
    if let Some(why) = rules::repo_problem(repo) {
        return fail(report, String::new(), format!("its `id` `{repo}` is {why}"));
    }
    let sha = text_of("sha")
        .filter(|s| s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_lowercase);
    let day = text_of("lastModified")
        .and_then(day_of)
        .or_else(|| {
            text_of("createdAt")
                .filter(|c| *c != PLACEHOLDER_CREATED_AT)
                .and_then(day_of)
        })
        .or_else(|| day_of(&jiff::Timestamp::now().to_string()))
        .unwrap_or_else(|| "1970-01-01".parse().expect("a valid date"));
    // The fields the importer reads (sorted by key); the rest (evaluation tables,
    // widgets) is left out, as a card's other fields are ignored.
    let card_data = match object.get("cardData") {
        None | Some(Value::Null) => serde_json::Map::new(),
        Some(Value::Object(map)) => map
            .iter()
            .filter(|(key, _)| CARD_FIELDS.contains(&key.as_str()))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect(),
        Some(_) => {
            return fail(
                report,
                String::new(),
                "its `cardData` is not an object".to_owned(),
            );
        }
    };
    // The card data as YAML, the card's own language: diagnostics quote it with lines.
    let text = if card_data.is_empty() {
        String::new()
    } else {
        match serde_saphyr::to_string(&card_data) {
            Ok(text) => text,
            Err(error) => return fail(report, String::new(), error.to_string()),
        }
    };
    report.files.push(SourceFile {
        path: PathBuf::from(url),
        text,
    });
    let text = &report.files[file.0 as usize].text;
    let mut data = match card::parse(text, 0, file) {
        Ok(data) => data,
        Err(diagnostic) => {
            report.diagnostics.push(*diagnostic);
            return None;
        }
    };
    let tags: Vec<String> = object
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let mut origin = Origin::Hub;
    if data.base_model.is_none() {
        let (bases, relations) = tag_bases(&tags);
        if !bases.is_empty() {
            origin = Origin::HubTags;
            data.base_model = Some(OneOrMany::Many(bases));
            data.base_model_relation = match relations.as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            };
        }
    }
    // The Hub's tags (`gguf`, `peft`, `4-bit`, …) join the card's for the inference
    // of a relation; its namespaced tags (`license:…`, `base_model:…`) do not.
    let mut all_tags = data
        .tags
        .take()
        .map(OneOrMany::into_vec)
        .unwrap_or_default();
    for tag in tags {
        if !tag.contains(':') && !all_tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
            all_tags.push(tag);
        }
    }
    if !all_tags.is_empty() {
        data.tags = Some(OneOrMany::Many(all_tags));
    }
    if data.library_name.is_none() {
        data.library_name = text_of("library_name").map(str::to_owned);
    }
    Some(Card {
        repo: repo.to_owned(),
        file,
        data,
        sha,
        day,
        origin,
    })
}

/// The bases the Hub's `base_model:<id>` and `base_model:<relation>:<id>` tags name,
/// in order, once each, and the distinct relations they give.
fn tag_bases(tags: &[String]) -> (Vec<String>, Vec<String>) {
    let mut bases: Vec<String> = Vec::new();
    let mut relations: Vec<String> = Vec::new();
    for tag in tags {
        let Some(rest) = tag.strip_prefix("base_model:") else {
            continue;
        };
        let (relation, base) = match rest.split_once(':') {
            Some((relation, base)) if RELATIONS.contains(&relation) => (Some(relation), base),
            Some(_) => continue,
            None => (None, rest),
        };
        if rules::repo_problem(base).is_some() {
            continue;
        }
        if !bases.iter().any(|b| b.eq_ignore_ascii_case(base)) {
            bases.push(base.to_owned());
        }
        if let Some(relation) = relation
            && !relations.iter().any(|r| r == relation)
        {
            relations.push(relation.to_owned());
        }
    }
    (bases, relations)
}

/// The UTC day of an RFC 3339 time (`2025-08-05T17:06:59.000Z` → 2025-08-05).
fn day_of(time: &str) -> Option<PartialDate> {
    let timestamp: jiff::Timestamp = time.trim().parse().ok()?;
    timestamp.to_string().get(..10)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_give_bases_and_one_relation() {
        let tags: Vec<String> = [
            "gguf",
            "base_model:openai/gpt-oss-120b",
            "base_model:quantized:openai/gpt-oss-120b",
            "base_model:other:x/y",
            "base_model:./path",
        ]
        .map(str::to_owned)
        .to_vec();
        let (bases, relations) = tag_bases(&tags);
        assert_eq!(bases, ["openai/gpt-oss-120b"]);
        assert_eq!(relations, ["quantized"]);
    }

    #[test]
    fn days_are_utc() {
        assert_eq!(
            day_of("2025-08-05T23:59:59.000-05:00").map(|d| d.to_string()),
            Some("2025-08-06".to_owned())
        );
    }
}
