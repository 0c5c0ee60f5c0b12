//! Checks of pattern tests (quoted globs, `regexp:`, `eregexp:`,
//! `eregexpi:` and `/…/flags`): size, flags, and translation to
//! regex-automata, with each error placed at its column in the source.

use crate::ast::server::{Pattern, PatternKind};
use crate::check::server::Checker;
use crate::diag::{codes, Diagnostic};
use crate::pattern;
use crate::span::Span;

/// The flags a `/pattern/flags` test may carry.
const PERL_FLAGS: &str = "imsx";

impl Checker<'_> {
    /// Checks one pattern and returns its number of capture groups, or
    /// `None` when the pattern is invalid (and reported).
    pub(crate) fn check_pattern(&mut self, pattern: &Pattern) -> Option<usize> {
        if !self.check_flags(pattern) {
            return None;
        }
        let max = self.limits.max_pattern_bytes;
        if pattern.text.len() > max {
            self.diagnostics.push(
                Diagnostic::error(
                    codes::PATTERN_TOO_LARGE,
                    pattern.span,
                    format!(
                        "pattern is {} bytes, over the limit of {max} bytes",
                        pattern.text.len()
                    ),
                )
                .with_help(
                    "split it into several rules, or raise `max_pattern_bytes` under [limits] \
                     in rulec.toml",
                ),
            );
            return None;
        }
        match pattern::translate(&pattern.kind, &pattern.text, self.limits) {
            Ok(translated) => Some(translated.groups),
            Err(error) => {
                let span = match error.offset {
                    Some(offset) => self.pattern_offset_span(pattern, offset),
                    None => pattern.span,
                };
                let mut diagnostic = Diagnostic::error(error.code, span, error.message);
                diagnostic.help = error.help;
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    /// E0114 for each unknown flag of a `/pattern/flags` test. Returns
    /// whether all flags are known.
    fn check_flags(&mut self, pattern: &Pattern) -> bool {
        let PatternKind::Perl { flags } = &pattern.kind else {
            return true;
        };
        let source = self.pattern_source(pattern);
        // The flags end the pattern's source text.
        let flags_start = if source.ends_with(flags.as_str()) {
            Some(pattern.span.end as usize - flags.len())
        } else {
            None
        };
        let mut valid = true;
        for (index, flag) in flags.char_indices() {
            if PERL_FLAGS.contains(flag) {
                continue;
            }
            valid = false;
            let span = match flags_start {
                Some(start) => self.span_at(start + index, flag.len_utf8()),
                None => pattern.span,
            };
            self.diagnostics.push(
                Diagnostic::error(
                    codes::UNKNOWN_REGEX_FLAG,
                    span,
                    format!("unknown regex flag `{flag}`"),
                )
                .with_help(
                    "the flags are `i` (ignore case), `m` (multi-line), `s` (`.` matches a \
                     line end) and `x` (ignore white space)",
                ),
            );
        }
        valid
    }

    /// Returns the source text of a pattern, prefix and quotes included.
    fn pattern_source(&self, pattern: &Pattern) -> &str {
        self.source
            .text
            .get(pattern.span.start as usize..pattern.span.end as usize)
            .unwrap_or_default()
    }

    /// Builds a one-character span at byte `offset` of the pattern text.
    /// It walks the source past the prefix and the opening delimiter and
    /// undoes the string escapes the parser resolved.
    fn pattern_offset_span(&self, pattern: &Pattern, offset: usize) -> Span {
        let source = self.pattern_source(pattern);
        let opening = match pattern.kind {
            PatternKind::Perl { .. } => '/',
            _ => '"',
        };
        let Some(open_at) = source.find(opening) else {
            return pattern.span;
        };
        let body_start = open_at + opening.len_utf8();
        match source_offset(
            &source[body_start..],
            resolved_escapes(&pattern.kind),
            offset,
        ) {
            Some(in_body) => {
                let start = pattern.span.start as usize + body_start + in_body;
                let width = source[body_start + in_body..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
                self.span_at(start, width)
            }
            None => pattern.span,
        }
    }

    fn span_at(&self, start: usize, width: usize) -> Span {
        self.source.span(self.file, start, start + width)
    }
}

/// Maps byte `offset` of the unescaped pattern text to a byte offset of
/// `body`, the source after the opening delimiter. This mirrors how the
/// parser reads the source. A backslash pairs with the character after it.
/// When that character is in `resolved`, the pair becomes that one
/// character, and otherwise both are kept. Returns `None` when `offset` lies
/// past the body.
fn source_offset(body: &str, resolved: &[char], offset: usize) -> Option<usize> {
    let mut text_at = 0;
    let mut chars = body.char_indices();
    while let Some((source_at, c)) = chars.next() {
        if text_at >= offset {
            return Some(source_at);
        }
        if c != '\\' {
            text_at += c.len_utf8();
            continue;
        }
        let (next_at, next) = chars.next()?;
        if resolved.contains(&next) {
            text_at += next.len_utf8();
        } else if text_at + 1 >= offset {
            // The offset falls on the escaped character of a kept pair.
            return Some(next_at);
        } else {
            text_at += 1 + next.len_utf8();
        }
    }
    (text_at >= offset).then_some(body.len())
}

/// Returns the characters whose backslash escape the parser resolves in
/// each pattern form, as [`Pattern::text`] describes.
fn resolved_escapes(kind: &PatternKind) -> &'static [char] {
    match kind {
        PatternKind::Simple => &['"', '\\'],
        PatternKind::Perl { .. } => &['/'],
        _ => &['"'],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGEX: &[char] = &['"'];
    const SIMPLE: &[char] = &['"', '\\'];

    #[test]
    fn offsets_without_escapes() {
        assert_eq!(source_offset("a(b\"", REGEX, 1), Some(1));
        assert_eq!(source_offset("a(b\"", REGEX, 3), Some(3));
    }

    #[test]
    fn offsets_after_escaped_quote() {
        // Source `\"x(` is the text `"x(`.
        assert_eq!(source_offset("\\\"x(\"", REGEX, 2), Some(3));
    }

    #[test]
    fn kept_pairs_map_one_to_one() {
        assert_eq!(source_offset("\\d+(\"", REGEX, 3), Some(3));
        // In a regex `\\` stays two characters.
        assert_eq!(source_offset("\\\\(\"", REGEX, 2), Some(2));
        assert_eq!(source_offset("\\\\(\"", REGEX, 1), Some(1));
    }

    #[test]
    fn resolved_backslash_takes_two_source_bytes() {
        // In a quoted glob, source `\\(` is the text `\(`.
        assert_eq!(source_offset("\\\\(\"", SIMPLE, 1), Some(2));
    }

    #[test]
    fn offset_past_the_body_gives_none() {
        assert_eq!(source_offset("ab", REGEX, 5), None);
    }
}
