//! Content negotiation: the one function that picks a response media type from an
//! `Accept` header, honouring q-values and wildcards (RFC 9110 §12.5.1).

use axum::http::HeaderMap;
use axum::http::header::ACCEPT;

use super::error::ApiError;

/// One media range of an Accept header.
#[derive(Debug, PartialEq)]
struct Range<'a> {
    kind: &'a str,
    subtype: &'a str,
    q: f32,
}

fn parse_accept(accept: &str) -> Vec<Range<'_>> {
    accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let media = parts.next()?.trim();
            let (kind, subtype) = media.split_once('/')?;
            let mut q = 1.0f32;
            for parameter in parts {
                if let Some((name, value)) = parameter.split_once('=')
                    && name.trim().eq_ignore_ascii_case("q")
                {
                    // An unreadable q-value makes the range unusable, not the request.
                    q = value
                        .trim()
                        .parse::<f32>()
                        .ok()
                        .filter(|q| (0.0..=1.0).contains(q))?;
                }
            }
            Some(Range {
                kind: kind.trim(),
                subtype: subtype.trim(),
                q,
            })
        })
        .collect()
}

/// How well a range matches a media type: `None` if not at all, else its precision
/// (2 exact, 1 `type/*`, 0 `*/*`) so the most specific matching range decides.
fn precision(range: &Range<'_>, media_type: &str) -> Option<u8> {
    let (kind, subtype) = media_type.split_once('/')?;
    if range.kind == "*" && range.subtype == "*" {
        Some(0)
    } else if range.kind.eq_ignore_ascii_case(kind) && range.subtype == "*" {
        Some(1)
    } else if range.kind.eq_ignore_ascii_case(kind) && range.subtype.eq_ignore_ascii_case(subtype) {
        Some(2)
    } else {
        None
    }
}

/// Picks the offer the client prefers: the highest q-value from the most specific
/// matching range, ties going to the earlier offer (the server's preference). The
/// first offer is the default when there is no Accept header or it is empty.
/// Answers 406 naming the available types when nothing acceptable is offered.
pub fn negotiate<T: Copy>(
    headers: &HeaderMap,
    offers: &[(&'static str, T)],
) -> Result<(&'static str, T), ApiError> {
    let accept: String = headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    pick(&accept, offers)
}

/// [`negotiate`] on the text of an Accept header.
pub fn pick<T: Copy>(
    accept: &str,
    offers: &[(&'static str, T)],
) -> Result<(&'static str, T), ApiError> {
    let ranges = parse_accept(accept);
    if accept.trim().is_empty() {
        return Ok(offers[0]);
    }
    let mut best: Option<(f32, usize)> = None;
    for (index, (media_type, _)) in offers.iter().enumerate() {
        let q = ranges
            .iter()
            .filter_map(|range| precision(range, media_type).map(|p| (p, range.q)))
            .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
            .map(|(_, q)| q)
            .unwrap_or(0.0);
        if q > 0.0 && best.is_none_or(|(best_q, _)| q > best_q) {
            best = Some((q, index));
        }
    }
    match best {
        Some((_, index)) => Ok(offers[index]),
        None => Err(ApiError::NotAcceptable {
            accept: accept.chars().take(200).collect(),
            available: offers
                .iter()
                .map(|(m, _)| *m)
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::pick;

    const OFFERS: &[(&str, u8)] = &[
        ("application/sparql-results+json", 1),
        ("application/sparql-results+xml", 2),
        ("text/csv", 3),
    ];

    #[test]
    fn empty_accept_gets_the_default() {
        assert_eq!(pick("", OFFERS).unwrap().1, 1);
        assert_eq!(pick("*/*", OFFERS).unwrap().1, 1);
    }

    #[test]
    fn q_values_and_specificity_decide() {
        assert_eq!(pick("application/sparql-results+xml", OFFERS).unwrap().1, 2);
        assert_eq!(
            pick(
                "text/csv;q=0.9, application/sparql-results+xml;q=0.5",
                OFFERS
            )
            .unwrap()
            .1,
            3
        );
        assert_eq!(pick("*/*;q=0.1, text/*;q=0.8", OFFERS).unwrap().1, 3);
        // The most specific range wins even with a lower q: csv is refused here.
        assert_eq!(
            pick("text/*, text/csv;q=0", OFFERS).unwrap_err().status(),
            axum::http::StatusCode::NOT_ACCEPTABLE
        );
    }

    #[test]
    fn nothing_acceptable_is_406() {
        let error = pick("image/png", OFFERS).unwrap_err();
        assert_eq!(error.status(), axum::http::StatusCode::NOT_ACCEPTABLE);
        assert!(
            error
                .to_string()
                .contains("application/sparql-results+json")
        );
    }

    #[test]
    fn garbage_does_not_panic() {
        for accept in [
            ",,,",
            ";q=",
            "a/b;q=NaN",
            "text/csv;q=2",
            "/",
            "*/",
            "\u{0}",
        ] {
            let _ = pick(accept, OFFERS);
        }
    }
}
