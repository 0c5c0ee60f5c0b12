//! Checks of actions: assignments, the header text of `INJECT` and
//! `REPLACE`, the reply text of `NDN`, and `DISCARDHEADER`'s selector.

use crate::ast::server::{
    Action, ActionKind, AssignOp, Assignment, Rule, SelectorKind, Template, TemplatePart,
};
use crate::check::functions::ValueType;
use crate::check::server::{Checker, Groups};
use crate::check::types::{expr_type, StaticType};
use crate::check::variables::{self, VariableKind};
use crate::diag::{codes, Diagnostic};
use crate::ruleset::RuleSet;
use crate::span::Span;

/// An SMTP reply line may be at most 512 bytes, CRLF included (RFC 5321,
/// section 4.5.3.1.5).
pub const MAX_REPLY_LINE_BYTES: usize = 512;

/// Reply code and enhanced status code in front of an `NDN` text.
pub const NDN_REPLY_PREFIX: &str = "550 5.7.1 ";

impl Checker<'_> {
    pub(crate) fn check_action(&mut self, rule: &Rule, action: &Action, groups: Groups) {
        match &action.kind {
            ActionKind::Set(assignments) => {
                for assignment in assignments {
                    self.check_assignment(rule, assignment, groups);
                }
            }
            ActionKind::Inject(template) | ActionKind::Replace(template) => {
                self.check_template(rule, template, groups);
                let keyword = if matches!(action.kind, ActionKind::Inject(_)) {
                    "INJECT"
                } else {
                    "REPLACE"
                };
                self.check_header_text(keyword, template);
            }
            ActionKind::Ndn(Some(template)) => {
                self.check_template(rule, template, groups);
                self.check_reply_text(template);
            }
            ActionKind::DiscardHeader => self.check_discard_header(rule, action),
            ActionKind::Ndn(None)
            | ActionKind::Spam
            | ActionKind::DiscardMessage
            | ActionKind::Done => {}
        }
    }

    fn check_assignment(&mut self, rule: &Rule, assignment: &Assignment, groups: Groups) {
        let mut matches = 0;
        self.check_expr(rule, &assignment.value, groups, &mut matches, 0);
        self.check_assigned(&assignment.target);

        let target_type = self.variable_types.variable(&assignment.target.name);
        let value_type = expr_type(&assignment.value, &self.variable_types, 0);
        let target = &assignment.target.name;
        let quoted = self.quote(assignment.value.span);
        let mismatch = match assignment.op {
            AssignOp::Subtract if target_type == StaticType::Text => Some((
                assignment.span,
                format!("`-=` on `${target}`, which holds text, not a number"),
                "`-=` subtracts numbers; use `+=` to append text or `=` to replace it",
            )),
            AssignOp::Subtract if value_type == StaticType::Text => Some((
                assignment.value.span,
                format!("cannot subtract `{quoted}`, which is text, not a number"),
                "`-=` subtracts numbers",
            )),
            AssignOp::Set | AssignOp::Add
                if value_type == StaticType::Text && holds_number(target) =>
            {
                Some((
                    assignment.value.span,
                    format!("`${target}` holds a number, but `{quoted}` is text"),
                    "assign a number, for example `SET $spamlevel += 25`",
                ))
            }
            _ => None,
        };
        if let Some((span, message, help)) = mismatch {
            self.diagnostics
                .push(Diagnostic::error(codes::TYPE_MISMATCH, span, message).with_help(help));
        }
    }

    /// E0112: `DISCARDHEADER` only makes sense while a header is current.
    fn check_discard_header(&mut self, rule: &Rule, action: &Action) {
        if matches!(
            rule.selector.kind,
            SelectorKind::Header(_) | SelectorKind::AnyHeader
        ) {
            return;
        }
        let selector = self.quote(rule.selector.span);
        let selector = if selector.is_empty() {
            "the empty selector".to_string()
        } else {
            format!("`{selector}`")
        };
        self.diagnostics.push(
            Diagnostic::error(
                codes::DISCARDHEADER_WITHOUT_HEADER,
                action.span,
                format!("`DISCARDHEADER` in a rule on {selector}, which has no current header"),
            )
            .with_help(
                "use DISCARDHEADER in a rule on a header name or `*`, for example \
                 `Return-Receipt-To: \"*\" DISCARDHEADER`",
            ),
        );
    }

    /// E0116: the literal part of an `INJECT` or `REPLACE` text must be
    /// `Name: value` with a valid header name and no line break.
    fn check_header_text(&mut self, keyword: &str, template: &Template) {
        let problem = header_text_problem(template);
        let Some(problem) = problem else {
            return;
        };
        self.diagnostics.push(
            Diagnostic::error(
                codes::INVALID_HEADER_TEXT,
                template.span,
                format!("`{keyword}` text {problem}"),
            )
            .with_help(format!(
                "write one header as `Name: value`, for example `{keyword} \"X-SPAM-Warning: \
                 HIGH\"`; a name is printable ASCII without spaces or `:`"
            )),
        );
    }

    /// E0117: an `NDN` text must fit one SMTP reply line.
    fn check_reply_text(&mut self, template: &Template) {
        let literal_parts = template.parts.iter().filter_map(|part| match part {
            TemplatePart::Text(text) => Some(text.as_str()),
            _ => None,
        });
        if let Some(message) = reply_text_problem("`NDN` text", literal_parts) {
            self.diagnostics
                .push(reply_text_diagnostic(template.span, message));
        }
    }
}

/// E0117 for the default reply text, `ndn` under `[replies]` in
/// rulec.toml.
pub fn check_default_reply(set: &RuleSet) -> Option<Diagnostic> {
    let file = set.config_file?;
    let message = reply_text_problem(
        "`replies.ndn` in rulec.toml",
        std::iter::once(set.config.replies.ndn.as_str()),
    )?;
    let source = set.sources.get(file);
    // The TOML parser keeps no spans, so the key is found by its text.
    let start = source
        .text
        .match_indices("ndn")
        .map(|(start, _)| start)
        .find(|&start| source.text[..start].ends_with(['\n', ' ', '\t']) || start == 0)
        .unwrap_or(0);
    let end = source.text[start..]
        .find('\n')
        .map_or(source.text.len(), |line_end| start + line_end);
    Some(reply_text_diagnostic(
        source.span(file, start, end),
        message,
    ))
}

/// Describes what keeps a reply text from fitting one SMTP reply line,
/// judging the parts known before run time.
fn reply_text_problem<'a>(what: &str, parts: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut literal_bytes = 0;
    let mut bad_char = None;
    for text in parts {
        literal_bytes += text.len();
        if bad_char.is_none() {
            bad_char = text.chars().find(|c| c.is_control());
        }
    }
    let line_bytes = NDN_REPLY_PREFIX.len() + literal_bytes + 2;
    if let Some(c) = bad_char {
        let kind = if c == '\n' || c == '\r' {
            "a line break"
        } else {
            "a control character"
        };
        Some(format!(
            "{what} has {kind} ({c:?}); an SMTP reply is one line"
        ))
    } else if line_bytes > MAX_REPLY_LINE_BYTES {
        Some(format!(
            "{what} makes a reply line of {line_bytes} bytes, over the SMTP limit of \
             {MAX_REPLY_LINE_BYTES} bytes"
        ))
    } else {
        None
    }
}

fn reply_text_diagnostic(span: Span, message: String) -> Diagnostic {
    Diagnostic::error(codes::INVALID_REPLY_TEXT, span, message).with_help(format!(
        "keep the text to one line of at most {} bytes of printable characters",
        MAX_REPLY_LINE_BYTES - NDN_REPLY_PREFIX.len() - 2
    ))
}

/// Returns true when a variable is a writable built-in that stores a number
/// (`$spamlevel`, `$IsSpammer`, the band thresholds).
fn holds_number(name: &str) -> bool {
    match variables::classify(name) {
        VariableKind::Builtin(builtin) => {
            builtin.writable && matches!(builtin.kind, ValueType::Int | ValueType::Bool)
        }
        _ => false,
    }
}

/// Describes what is wrong with an `INJECT`/`REPLACE` text, judging only
/// the parts known before run time.
fn header_text_problem(template: &Template) -> Option<String> {
    for part in &template.parts {
        if let TemplatePart::Text(text) = part {
            if let Some(c) = text.chars().find(|&c| c.is_control() && c != '\t') {
                return Some(format!(
                    "has a control character ({c:?}); a header is one line"
                ));
            }
        }
    }
    // The name is the literal text up to the first colon; it cannot be
    // judged when an interpolation comes first.
    let mut leading = String::new();
    let mut whole_literal = true;
    for part in &template.parts {
        match part {
            TemplatePart::Text(text) => leading.push_str(text),
            _ => {
                whole_literal = false;
                break;
            }
        }
    }
    let Some((name, _value)) = leading.split_once(':') else {
        return whole_literal.then(|| format!("{leading:?} has no `:` after a header name"));
    };
    if name.is_empty() {
        return Some("has no header name before the `:`".to_string());
    }
    if let Some(c) = name.chars().find(|&c| !is_field_name_char(c)) {
        return Some(format!(
            "has the header name {name:?}, which contains {c:?}; header names are printable \
             ASCII without spaces"
        ));
    }
    None
}

/// Returns true for a character of an RFC 5322 field name: printable
/// ASCII except `:`.
fn is_field_name_char(c: char) -> bool {
    matches!(c, '!'..='9' | ';'..='~')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::FileId;

    fn literal(text: &str) -> Template {
        let span = Span {
            file: FileId(0),
            start: 0,
            end: 0,
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        };
        Template {
            parts: vec![TemplatePart::Text(text.to_string())],
            span,
        }
    }

    #[test]
    fn valid_header_text() {
        assert_eq!(header_text_problem(&literal("X-Flag: 1")), None);
        assert_eq!(header_text_problem(&literal("X-Empty:")), None);
    }

    #[test]
    fn header_text_without_colon() {
        let problem = header_text_problem(&literal("X-Flag 1")).expect("a problem");
        assert!(problem.contains("no `:`"), "{problem}");
    }

    #[test]
    fn header_name_with_space() {
        let problem = header_text_problem(&literal("X Flag: 1")).expect("a problem");
        assert!(problem.contains("' '"), "{problem}");
    }

    #[test]
    fn header_text_with_line_break() {
        let problem = header_text_problem(&literal("X-A: 1\nX-B: 2")).expect("a problem");
        assert!(problem.contains("control character"), "{problem}");
    }
}
