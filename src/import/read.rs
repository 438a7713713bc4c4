//! Reading model cards on disk: listing `DIR/<owner>/<name>/README.md` without
//! reading them, then reading one card's front matter (and its revision) when the
//! import needs it, so the cards are never all in memory at once.

use std::path::{Path, PathBuf};

use super::card;
use super::{ImportError, MAX_CARD_BYTES, Report};
use crate::diagnostics::{Code, Diagnostic, FileId, SourceFile};
use crate::model::{PartialDate, Span};

/// A card on disk, listed but not read.
#[derive(Clone, Debug)]
pub struct Listed {
    /// `owner/name`, from the folder names.
    pub repo: String,
    /// The repo's folder, `DIR/<owner>/<name>`.
    pub folder: PathBuf,
}

impl Listed {
    pub fn readme(&self) -> PathBuf {
        self.folder.join("README.md")
    }
}

/// Lists every `<owner>/<name>/README.md` below `dir`, in order, reading none.
pub fn list_cards(dir: &Path) -> Result<Vec<Listed>, ImportError> {
    let list = |path: &Path| -> Result<Vec<PathBuf>, ImportError> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|source| ImportError::Cards {
                path: path.to_owned(),
                source,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_dir()
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        entries.sort();
        Ok(entries)
    };
    let mut cards = Vec::new();
    for owner in list(dir)? {
        for folder in list(&owner)? {
            if !folder.join("README.md").is_file() {
                continue;
            }
            let name = |p: &Path| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            };
            cards.push(Listed {
                repo: format!("{}/{}", name(&owner), name(&folder)),
                folder,
            });
        }
    }
    Ok(cards)
}

/// Reads and parses one listed card; a card that cannot be read or has no usable
/// front matter is reported in `report` and skipped.
pub fn read_card(listed: &Listed, report: &mut Report) -> Option<card::Card> {
    let path = &listed.readme();
    let folder = &listed.folder;
    let repo = listed.repo.clone();
    let file = FileId(report.files.len() as u32);
    let unreadable = |report: &mut Report, why: String| {
        report.files.push(SourceFile {
            path: path.to_owned(),
            text: String::new(),
        });
        report.diagnostics.push(
            Diagnostic::at(Code::CardUnreadable, file, Span::default(), why)
                .label("skipped")
                .hint("the card is skipped; the other cards are imported"),
        );
        None
    };
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return unreadable(report, format!("cannot read the card: {e}")),
    };
    if metadata.len() > MAX_CARD_BYTES as u64 {
        return unreadable(
            report,
            format!(
                "the card is {} bytes, more than the {MAX_CARD_BYTES} a card may have",
                metadata.len()
            ),
        );
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return unreadable(report, format!("cannot read the card: {e}")),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return unreadable(report, "the card is not UTF-8".to_owned());
    };
    report.files.push(SourceFile {
        path: path.to_owned(),
        text,
    });
    let text = &report.files[file.0 as usize].text;
    let parsed = card::front_matter(text, file).and_then(|(yaml, start)| {
        // Where the closing `---` line ends: all a diagnostic about the card points at.
        let closing = start + yaml.len();
        let end = text[closing..]
            .find('\n')
            .map_or(text.len(), |n| closing + n + 1);
        card::parse(yaml, start, file).map(|data| (data, end))
    });
    let (data, end) = match parsed {
        Ok(parsed) => parsed,
        Err(diagnostic) => {
            report.diagnostics.push(*diagnostic);
            return None;
        }
    };
    // The card's body (most of a README) is never pointed at: only the front matter
    // is kept for the report, so an import holds the metadata of each card, not its
    // prose.
    let kept = &mut report.files[file.0 as usize].text;
    kept.truncate(end);
    kept.shrink_to_fit();
    let (sha, day) = revision(folder, &metadata);
    Some(card::Card {
        repo,
        file,
        data,
        sha,
        day,
        origin: card::Origin::Disk,
    })
}

/// The revision and day a card was read at: `huggingface-cli download --local-dir`
/// writes `.cache/huggingface/download/README.md.metadata` (the commit hash, the
/// ETag, the download's Unix time); without it, the card file's modification day.
fn revision(folder: &Path, metadata: &std::fs::Metadata) -> (Option<String>, PartialDate) {
    let day_of = |seconds: i64| {
        // RFC 3339 in UTC (`2026-12-07T18:00:00Z`): the day is its first ten characters.
        jiff::Timestamp::from_second(seconds)
            .ok()
            .and_then(|t| t.to_string().get(..10).and_then(|day| day.parse().ok()))
    };
    let modified = metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| day_of(d.as_secs() as i64));
    let fallback = modified.unwrap_or_else(|| "1970-01-01".parse().expect("a valid date"));
    let sidecar = folder.join(".cache/huggingface/download/README.md.metadata");
    let Ok(text) = std::fs::read_to_string(sidecar) else {
        return (None, fallback);
    };
    let mut lines = text.lines();
    let sha = lines
        .next()
        .map(str::trim)
        .filter(|s| s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_owned);
    let day = lines
        .nth(1)
        .and_then(|t| t.trim().parse::<f64>().ok())
        .and_then(|t| day_of(t as i64))
        .unwrap_or(fallback);
    (sha, day)
}
