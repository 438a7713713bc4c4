//! Stable record ids for Hub repos: the same id for the same repo on every run, and
//! no two repos with one id.

use crate::model::{Id, MAX_ID_LEN};

/// The id of an imported record of a Hub repo: `prefix` (`hf`, `hf-org`,
/// `hf-dataset`), then the repo id lowercased (the Hub resolves repo ids without
/// regard to case) with every run of other characters made one hyphen. That mapping
/// is one-to-one only when the owner has no hyphen (the first hyphen after the
/// prefix then marks the owner's end) and nothing but letters, digits, hyphens and
/// dots between digits was changed; otherwise, and when the result would be too
/// long, the id ends in `-h` and eight hex digits of a hash of the lowercased repo id
/// (FNV-1a, fixed: the same on every machine and run), so `a-b/c` and `a/b-c`, or
/// `x/a_b` and `x/a-b`, stay apart.
pub fn repo_id(prefix: &str, repo: &str) -> Id {
    let lower = repo.to_lowercase();
    let slug = slug(&lower);
    let lossless = match lower.split_once('/') {
        Some((owner, name)) => {
            !owner.is_empty()
                && owner
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                && !name.is_empty()
                && slug_part(name) == name
        }
        None => false,
    };
    let id = format!("{prefix}-{slug}");
    if lossless && id.len() <= MAX_ID_LEN && Id::check(&id).is_ok() {
        return Id::new(id);
    }
    let hash = format!("-h{:08x}", fnv1a(&lower) as u32);
    let room = MAX_ID_LEN - hash.len();
    let mut id: String = id.chars().take(room).collect();
    while id.ends_with('-') || id.ends_with('.') {
        id.pop();
    }
    Id::new(format!("{id}{hash}"))
}

/// An id for a name that is no repo (a licence's `license_name`): the same mapping,
/// with the hash when anything was lost.
pub fn name_id(prefix: &str, name: &str) -> Id {
    let lower = name.to_lowercase();
    let slug = slug_part(&lower);
    let id = format!("{prefix}-{slug}");
    if slug == lower && id.len() <= MAX_ID_LEN && Id::check(&id).is_ok() {
        return Id::new(id);
    }
    let hash = format!("-h{:08x}", fnv1a(&lower) as u32);
    let mut id: String = id.chars().take(MAX_ID_LEN - hash.len()).collect();
    while id.ends_with('-') || id.ends_with('.') {
        id.pop();
    }
    Id::new(format!("{id}{hash}"))
}

/// `owner/name` → `owner-name`, each part slugged.
fn slug(repo: &str) -> String {
    repo.split('/')
        .map(slug_part)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Lowercase letters and digits kept, a dot kept between two digits (`3.1`), every
/// other run of characters one hyphen.
fn slug_part(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let digit = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(char::is_ascii_digit)
        };
        let keep = c.is_ascii_lowercase()
            || c.is_ascii_digit()
            || (c == '.' && digit(i.checked_sub(1)) && digit(Some(i + 1)));
        if keep {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// FNV-1a, 64 bits: a fixed hash, so ids do not change between runs or Rust versions.
pub(super) fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_repo_ids_read_as_themselves() {
        assert_eq!(
            repo_id("hf", "bartowski/gpt-oss-120b-GGUF").as_str(),
            "hf-bartowski-gpt-oss-120b-gguf"
        );
        assert_eq!(
            repo_id("hf", "kevin009/llama3.1-8b").as_str(),
            "hf-kevin009-llama3.1-8b"
        );
    }

    #[test]
    fn lossy_repo_ids_get_a_hash_and_stay_apart() {
        let pairs = [
            ("a-b/c", "a/b-c"),
            ("x/a_b", "x/a-b"),
            ("x/a.b", "x/a-b"),
            ("meta-llama/Llama-3.1-8B", "meta/llama-Llama-3.1-8B"),
        ];
        for (one, two) in pairs {
            let (a, b) = (repo_id("hf", one), repo_id("hf", two));
            assert_ne!(a, b, "{one} and {two}");
            assert!(Id::check(a.as_str()).is_ok() && Id::check(b.as_str()).is_ok());
        }
        // The Hub ignores case, and so do ids.
        assert_eq!(repo_id("hf", "Meta-Llama/X"), repo_id("hf", "meta-llama/x"));
        assert_eq!(
            repo_id("hf", "meta-llama/Llama-3.1-8B").as_str(),
            repo_id("hf", "meta-llama/Llama-3.1-8B").as_str()
        );
    }

    #[test]
    fn long_ids_are_cut_and_hashed_within_the_id_limit() {
        let long = format!("owner/{}", "x".repeat(300));
        let id = repo_id("hf", &long);
        assert!(id.as_str().len() <= MAX_ID_LEN);
        assert!(Id::check(id.as_str()).is_ok());
    }
}
