//! Parser of `rules.mailrules` (grammar/mailrules.pest).
//!
//! Takes the text of one file and gives a [`MailRules`] AST with a span on
//! every node, plus the diagnostics of every line that could not be read.
//! The file is line oriented: blank lines and `#` comment lines are
//! skipped, and each other line is one rule, parsed on its own. A broken
//! line gives one diagnostic and parsing goes on with the next line, so a
//! file with five broken lines reports five errors.
//!
//! Before a line reaches pest, its parenthesis nesting is checked against
//! [`Limits::max_expression_depth`], so no input can make the recursive
//! descent run deep. The AST builder checks the height of every expression
//! tree against the same limit. pest's call limit stays unset because it
//! is process-wide and would also cap the other grammars. The nesting check
//! and pest's own stack guard, which turns a near overflow into an error,
//! bound the recursion instead.

use std::sync::Once;

use pest::Parser;

use super::lines::{is_blank_or_comment, lines, Line};
use super::server_build::Builder;
use super::server_errors::syntax_error;
use super::server_grammar::{MailRulesParser, Rule as GrammarRule};
use crate::ast::server::{MailRules, Rule, Selector, SelectorKind};
use crate::diag::{codes, Diagnostic};
use crate::limits::Limits;
use crate::span::{FileId, SourceFile, Span};

/// Parses a `rules.mailrules` file.
///
/// Returns the rules of every line that parsed, in file order, and one
/// diagnostic per problem: E0001 for a line that does not parse, E0003 for
/// an unknown selector, E0205 for an expression nested deeper than
/// `limits.max_expression_depth`.
///
/// # Examples
///
/// ```
/// use rulec::ast::server::SelectorKind;
/// use rulec::limits::Limits;
/// use rulec::span::{FileId, SourceFile};
///
/// let source = SourceFile::new("rules.mailrules", "Subject: \"offer\" SET $spamlevel += 10\n");
/// let (rules, diagnostics) = rulec::syntax::server::parse(FileId(0), &source, &Limits::default());
/// assert!(diagnostics.is_empty());
/// assert_eq!(rules.rules[0].selector.kind, SelectorKind::Header("Subject".into()));
/// ```
pub fn parse(file: FileId, source: &SourceFile, limits: &Limits) -> (MailRules, Vec<Diagnostic>) {
    enable_error_detail();
    let mut rules = Vec::new();
    let mut diagnostics = Vec::new();
    for line in lines(&source.text) {
        if is_blank_or_comment(line.text) {
            continue;
        }
        let context = LineContext { file, source, line };
        if let Some(rule) = parse_line(&context, limits, &mut diagnostics) {
            rules.push(rule);
        }
    }
    (MailRules { rules }, diagnostics)
}

/// Turns on pest's detailed error tracking, without which pest reports
/// some errors at the wrong column. The setting is process-wide.
fn enable_error_detail() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| pest::set_error_detail(true));
}

/// One line being parsed, with what is needed to build spans in the file.
pub(super) struct LineContext<'a> {
    pub file: FileId,
    pub source: &'a SourceFile,
    pub line: Line<'a>,
}

impl LineContext<'_> {
    /// Builds a file span from a byte range of the line.
    pub fn span(&self, start: usize, end: usize) -> Span {
        self.source
            .span(self.file, self.line.start + start, self.line.start + end)
    }
}

/// Parses one rule line, pushing its diagnostics. Returns `None` when the
/// line has an error.
fn parse_line(
    context: &LineContext,
    limits: &Limits,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Rule> {
    let text = context.line.text;
    let Some(colon) = text.find(':') else {
        diagnostics.push(missing_colon(context));
        return None;
    };
    let selector = classify_selector(context, colon);
    if let Err(diagnostic) = &selector {
        diagnostics.push(diagnostic.clone());
    }
    if let Some(diagnostic) = check_nesting(context, colon + 1, limits.max_expression_depth) {
        diagnostics.push(diagnostic);
        return None;
    }

    let pairs = match MailRulesParser::parse(GrammarRule::rule_line, text) {
        Ok(pairs) => pairs,
        Err(error) => {
            diagnostics.push(syntax_error(context, &error));
            return None;
        }
    };
    let selector = selector.ok()?;
    let builder = Builder::new(context, limits);
    match builder.rule(pairs, selector) {
        Ok(rule) => Some(rule),
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            None
        }
    }
}

fn missing_colon(context: &LineContext) -> Diagnostic {
    let text = context.line.text;
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len();
    Diagnostic::error(
        codes::SYNTAX,
        context.span(start, end),
        "rule line has no `:` after its selector",
    )
    .with_help(
        "write `selector: [condition] action`, for example \
         `Subject: \"offer\" SET $spamlevel += 10`",
    )
}

/// Reads the text before the first colon as a selector.
fn classify_selector(context: &LineContext, colon: usize) -> Result<Selector, Diagnostic> {
    let raw = &context.line.text[..colon];
    let start = raw.len() - raw.trim_start_matches([' ', '\t']).len();
    let name = raw.trim_matches([' ', '\t']);
    let span = context.span(start, start + name.len());
    let kind = match name {
        "^" => SelectorKind::Begin,
        "*" => SelectorKind::AnyHeader,
        "" | "''" => SelectorKind::HeadersEnd,
        "@" => SelectorKind::Attachment,
        "<" => SelectorKind::Link,
        ">" => SelectorKind::Body,
        "." => SelectorKind::MessageEnd,
        _ if is_header_name(name) => SelectorKind::Header(name.to_string()),
        _ => {
            let message = format!("unknown selector `{name}`");
            let help = "a selector is a header name (printable ASCII without spaces or \
                        colons) or one of `^ * @ < > .`, or empty before the colon";
            return Err(Diagnostic::error(codes::UNKNOWN_SELECTOR, span, message).with_help(help));
        }
    };
    Ok(Selector { kind, span })
}

/// Returns true for an RFC 5322 field name: printable ASCII except colon.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|byte| (0x21..=0x7e).contains(&byte) && byte != b':')
}

/// Finds the first parenthesis nested deeper than `max_depth` in the line
/// from byte `from` on, skipping quoted strings and `/…/` patterns.
fn check_nesting(context: &LineContext, from: usize, max_depth: usize) -> Option<Diagnostic> {
    let text = context.line.text;
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut index = from;
    while index < bytes.len() {
        match bytes[index] {
            quote @ (b'"' | b'/') => index = skip_quoted(bytes, index, quote),
            b'#' => return None,
            b'(' => {
                depth += 1;
                if depth > max_depth {
                    let message =
                        format!("expression nests parentheses more than {max_depth} levels deep");
                    let diagnostic = Diagnostic::error(
                        codes::EXPRESSION_TOO_DEEP,
                        context.span(index, index + 1),
                        message,
                    )
                    .with_help(
                        "split the rule into simpler rules, or raise `max_expression_depth` \
                         in the `[limits]` table of rulec.toml",
                    );
                    return Some(diagnostic);
                }
            }
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        index += 1;
    }
    None
}

/// Returns the index of the delimiter that closes the literal opened at
/// `open`, or the last index when it is not closed. A backslash takes the
/// next byte with it.
fn skip_quoted(bytes: &[u8], open: usize, delimiter: u8) -> usize {
    let mut index = open + 1;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' => index += 2,
            byte if byte == delimiter => return index,
            _ => index += 1,
        }
    }
    bytes.len()
}
