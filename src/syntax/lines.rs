//! Splitting a rule-set file into lines, shared by the line-oriented
//! parsers.

/// One physical line of a file, without its line end (`\n` or `\r\n`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    /// Byte offset of the line's first character in the file.
    pub start: usize,
    pub text: &'a str,
}

/// Yields every line of `text`. A last line without a line end is
/// included; an empty text after the last line end is not.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |raw| {
        let line = Line {
            start,
            text: raw.strip_suffix('\n').unwrap_or(raw),
        };
        start += raw.len();
        Line {
            text: line.text.strip_suffix('\r').unwrap_or(line.text),
            ..line
        }
    })
}

/// Returns true for a line that contains nothing to parse: only spaces and
/// tabs, or a comment whose `#` may follow spaces and tabs.
pub(crate) fn is_blank_or_comment(text: &str) -> bool {
    let rest = text.trim_start_matches([' ', '\t']);
    rest.is_empty() || rest.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_handle_lf_and_crlf() {
        let found: Vec<(usize, &str)> = lines("a\r\nbc\n\nd")
            .map(|line| (line.start, line.text))
            .collect();
        assert_eq!(found, vec![(0, "a"), (3, "bc"), (6, ""), (7, "d")]);
    }

    #[test]
    fn blank_and_comment_lines_are_skipped() {
        assert!(is_blank_or_comment(""));
        assert!(is_blank_or_comment(" \t"));
        assert!(is_blank_or_comment("  # note"));
        assert!(!is_blank_or_comment("Subject: DONE"));
    }
}
