//! Spelling suggestions ("did you mean …"), shared by diagnostics and the HTTP API.

/// The candidates closest to `word`, best first: the one place that judges spelling,
/// shared by diagnostics ("did you mean") and the HTTP API's 404s.
pub fn suggestions<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    max: usize,
) -> Vec<&'c str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.85)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    // Offer only the near-best: `qwen3-8` should suggest `qwen3-8b`, not also `qwen`.
    if let Some(&(best, _)) = scored.first() {
        scored.retain(|(score, _)| *score >= best - 0.03);
    }
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

/// "did you mean `x`?" for the candidates closest to `word`, or `None` when nothing
/// is close.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<String> {
    let names: Vec<String> = suggestions(word, candidates, 3)
        .iter()
        .map(|c| format!("`{c}`"))
        .collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [init @ .., last] => Some(format!("did you mean {} or {last}?", init.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_spellings_only() {
        assert_eq!(
            did_you_mean("qwen3-8", ["qwen3-8b", "llama-3.1-8b"]).as_deref(),
            Some("did you mean `qwen3-8b`?")
        );
        assert_eq!(did_you_mean("zzz", ["qwen3-8b"]), None);
    }
}
