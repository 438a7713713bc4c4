//! The one escaping of data for human output: a control character that comes from the
//! data is shown to the reader, never obeyed by the reader's terminal or CI runner.
//!
//! Human output (the diagnostics renderer, the text lineage tree and path, the query
//! table) prints text that someone else wrote: names, aliases, file names, keys, and
//! the lines of a file quoted in a snippet. Printed raw, an ESC byte sets a terminal's
//! window title or clears its screen, a carriage return overwrites what was printed
//! before it, and a newline starts a line that can read `::error file=…`, which GitHub
//! Actions executes as a workflow command. So every control character (Unicode
//! category Cc: C0, DEL and C1) is replaced by one visible character:
//!
//! - C0 controls U+0000–U+001F become their pictures U+2400–U+241F (ESC is `␛`, a
//!   newline `␊`, a carriage return `␍`), and DEL becomes `␡` (U+2421);
//! - C1 controls U+0080–U+009F, for which Unicode has no pictures, become `�`
//!   (U+FFFD). The validator names the exact code point of any control character in
//!   a name ([`crate::diagnostics::Code::ControlCharacter`]), so nothing is lost.
//!
//! One character for one character, so a column counted in characters is the same
//! before and after escaping (snippets, carets and table widths stay aligned). Text
//! for machines (JSON, CSV, TSV, SPARQL results, RDF, `--format github`) is not
//! escaped here: each of those formats escapes by its own rules.

use std::borrow::Cow;

/// The visible stand-in for a control character.
fn picture(c: char) -> char {
    match u32::from(c) {
        code @ 0x00..=0x1F => char::from_u32(0x2400 + code).unwrap_or('\u{FFFD}'),
        0x7F => '\u{2421}',
        _ => '\u{FFFD}',
    }
}

/// Escapes every control character, line breaks and tabs included: for text shown on
/// one line (a name in a table cell or a tree, a file path, a diagnostic's message).
pub fn line(text: &str) -> Cow<'_, str> {
    escape(text, false).0
}

/// Escapes the control characters of a multi-line text (a file quoted in a
/// snippet) but keeps its layout: newlines, tabs and the carriage return of a CRLF
/// line end stay as they are.
pub fn lines(text: &str) -> (Cow<'_, str>, Offsets) {
    escape(text, true)
}

fn escape(text: &str, keep_layout: bool) -> (Cow<'_, str>, Offsets) {
    let kept = |i: usize, c: char| {
        keep_layout && (c == '\n' || c == '\t' || (c == '\r' && text[i + 1..].starts_with('\n')))
    };
    if !text
        .char_indices()
        .any(|(i, c)| c.is_control() && !kept(i, c))
    {
        return (Cow::Borrowed(text), Offsets::default());
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut offsets = Offsets::default();
    for (i, c) in text.char_indices() {
        if c.is_control() && !kept(i, c) {
            let shown = picture(c);
            out.push(shown);
            let grown = shown.len_utf8() - c.len_utf8();
            let total = offsets.shifts.last().map_or(0, |&(_, t)| t) + grown;
            offsets.shifts.push((i + c.len_utf8(), total));
        } else {
            out.push(c);
        }
    }
    (Cow::Owned(out), offsets)
}

/// Where a byte offset into the original text lands in the escaped text (pictures
/// are longer in UTF-8 than the controls they replace), so spans into the original
/// still point at the same characters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Offsets {
    /// For each escaped character: the original offset just after it, and the bytes
    /// the escaped text has gained up to there.
    shifts: Vec<(usize, usize)>,
}

impl Offsets {
    /// The escaped offset of the original byte offset `original` (a char boundary).
    pub fn map(&self, original: usize) -> usize {
        let passed = self.shifts.partition_point(|&(end, _)| end <= original);
        match passed {
            0 => original,
            n => original + self.shifts[n - 1].1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_one_visible_character_each() {
        assert_eq!(line("a\u{1b}]0;x\u{7}b"), "a␛]0;x␇b");
        assert_eq!(line("x\n::error file=a::b"), "x␊::error file=a::b");
        assert_eq!(line("\r\t\u{7f}\u{9b}"), "␍␉␡�");
        assert!(matches!(line("plain – text ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn layout_is_kept_in_lines_and_offsets_follow() {
        let text = "a: \u{1b}[2J\r\nb: \rc\td\n";
        let (shown, offsets) = lines(text);
        assert_eq!(shown, "a: ␛[2J\r\nb: ␍c\td\n");
        for (i, c) in text.char_indices() {
            let mapped = offsets.map(i);
            let expected = if c.is_control() && c != '\n' && c != '\t' && i != 7 {
                picture(c)
            } else {
                c
            };
            assert_eq!(shown[mapped..].chars().next(), Some(expected), "at {i}");
        }
        assert_eq!(offsets.map(text.len()), shown.len());
    }
}
