//! Checks of expressions: function calls, list names, variables read and
//! the type mismatches that are certain without running the rules.

use crate::ast::server::{BinaryOp, Expr, ExprKind, Rule, UnaryOp};
use crate::check::functions::{self, Function, ParamType, FUNCTIONS};
use crate::check::names;
use crate::check::server::{Checker, Groups};
use crate::check::types::{expr_type, text_literal, StaticType, MAX_WALK_DEPTH};
use crate::diag::{codes, Diagnostic};
use crate::span::Span;

/// Maximum length of a source excerpt quoted in a message, in characters.
const MAX_QUOTED_CHARS: usize = 40;

impl Checker<'_> {
    /// Checks an expression and everything inside it, and counts its
    /// `=~` and `!~` tests in `matches`.
    pub(crate) fn check_expr(
        &mut self,
        rule: &Rule,
        expr: &Expr,
        groups: Groups,
        matches: &mut usize,
        depth: usize,
    ) {
        if depth > MAX_WALK_DEPTH {
            return;
        }
        match &expr.kind {
            ExprKind::Int(_) => {}
            ExprKind::Str(template) => self.check_template(rule, template, groups),
            ExprKind::Var(variable) => self.check_read(rule, variable),
            ExprKind::Call {
                name,
                name_span,
                args,
            } => {
                for arg in args {
                    self.check_expr(rule, arg, groups, matches, depth + 1);
                }
                self.check_call(expr, name, *name_span, args);
            }
            ExprKind::Unary { op, operand } => {
                self.check_expr(rule, operand, groups, matches, depth + 1);
                if *op == UnaryOp::Negate {
                    self.require_number(operand, "cannot negate");
                }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                self.check_expr(rule, lhs, groups, matches, depth + 1);
                self.check_expr(rule, rhs, groups, matches, depth + 1);
                self.check_binary(*op, lhs, rhs);
            }
            ExprKind::Match { value, pattern, .. } => {
                self.check_expr(rule, value, groups, matches, depth + 1);
                self.check_pattern(pattern);
                *matches += 1;
            }
        }
    }

    fn check_binary(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr) {
        match op {
            BinaryOp::Subtract => {
                self.require_number(lhs, "cannot subtract from");
                self.require_number(rhs, "cannot subtract");
            }
            BinaryOp::Less | BinaryOp::LessEqual | BinaryOp::Greater | BinaryOp::GreaterEqual => {
                self.check_ordering(lhs, rhs);
                self.check_ordering(rhs, lhs);
            }
            _ => {}
        }
    }

    /// E0103 when `expr` is certainly text that does not read as a number.
    fn require_number(&mut self, expr: &Expr, what: &str) {
        if expr_type(expr, &self.variable_types, 0) != StaticType::Text {
            return;
        }
        let quoted = self.quote(expr.span);
        self.diagnostics.push(
            Diagnostic::error(
                codes::TYPE_MISMATCH,
                expr.span,
                format!("{what} `{quoted}`, which is text, not a number"),
            )
            .with_help("`-` works on numbers only; use `+` to join text"),
        );
    }

    /// E0103 for an ordering comparison of a text literal with a number:
    /// the two would compare as text, which is almost never what was meant.
    fn check_ordering(&mut self, literal: &Expr, other: &Expr) {
        let Some(text) = text_literal(literal) else {
            return;
        };
        if expr_type(other, &self.variable_types, 0) != StaticType::Int {
            return;
        }
        let quoted = self.quote(other.span);
        self.diagnostics.push(
            Diagnostic::error(
                codes::TYPE_MISMATCH,
                literal.span,
                format!(
                    "ordering comparison of the text {text:?} with the number `{quoted}`; \
                     they compare as text"
                ),
            )
            .with_help("compare the number with a number, for example `$spamlevel >= 50`"),
        );
    }

    /// E0101, E0102 and argument checks of one call.
    fn check_call(&mut self, call: &Expr, name: &str, name_span: Span, args: &[Expr]) {
        let Some(function) = functions::lookup(name) else {
            self.report_unknown_function(name, name_span);
            return;
        };
        if args.len() < function.min_args() || args.len() > function.max_args() {
            self.report_argument_count(function, call.span, args.len());
        }
        for (param, arg) in function.params.iter().zip(args) {
            match param.kind {
                ParamType::Str => {}
                ParamType::Int => {
                    if expr_type(arg, &self.variable_types, 0) == StaticType::Text {
                        let quoted = self.quote(arg.span);
                        self.diagnostics.push(
                            Diagnostic::error(
                                codes::TYPE_MISMATCH,
                                arg.span,
                                format!(
                                    "argument `{}` of `@{}` must be a number, but `{quoted}` \
                                     is text",
                                    param.name, function.name
                                ),
                            )
                            .with_help(format!("the signature is `{}`", function.signature())),
                        );
                    }
                }
                ParamType::ListName => self.check_list_name(function, arg),
            }
        }
    }

    fn report_unknown_function(&mut self, name: &str, name_span: Span) {
        let suggestion = names::closest(name, FUNCTIONS.iter().map(|function| function.name));
        let help = match suggestion {
            Some(known) => format!("did you mean `@{known}`?"),
            None => {
                let all: Vec<String> = FUNCTIONS
                    .iter()
                    .map(|function| format!("@{}", function.name))
                    .collect();
                format!("the functions are {}", all.join(", "))
            }
        };
        self.diagnostics.push(
            Diagnostic::error(
                codes::UNKNOWN_FUNCTION,
                name_span,
                format!("unknown function `@{name}`"),
            )
            .with_help(help),
        );
    }

    fn report_argument_count(&mut self, function: &Function, span: Span, given: usize) {
        let (min, max) = (function.min_args(), function.max_args());
        let expected = if min == max {
            format!("{min} {}", plural(min, "argument"))
        } else {
            format!("{min} or {max} arguments")
        };
        self.diagnostics.push(
            Diagnostic::error(
                codes::ARGUMENT_COUNT,
                span,
                format!(
                    "`@{}` takes {expected}, but {given} {} given",
                    function.name,
                    if given == 1 { "was" } else { "were" }
                ),
            )
            .with_help(format!("the signature is `{}`", function.signature())),
        );
    }

    /// E0119, E0107 and E0106 for the list-name argument of `@inwordlist`.
    fn check_list_name(&mut self, function: &Function, arg: &Expr) {
        let literal = match &arg.kind {
            ExprKind::Str(template) => template.as_literal(),
            _ => None,
        };
        let Some(name) = literal else {
            self.diagnostics.push(
                Diagnostic::error(
                    codes::LIST_NAME_NOT_LITERAL,
                    arg.span,
                    format!(
                        "the list name of `@{}` must be a string literal",
                        function.name
                    ),
                )
                .with_help("write the name in quotes, for example `\"lists.badwords\"`"),
            );
            return;
        };
        if leaves_rule_set(&name) {
            self.diagnostics.push(
                Diagnostic::error(
                    codes::LIST_OUTSIDE_RULE_SET,
                    arg.span,
                    format!("list name {name:?} points outside the rule-set directory"),
                )
                .with_help(
                    "name a `lists.NAME` file of the rule-set directory, without a path, \
                     for example `\"lists.badwords\"`",
                ),
            );
            return;
        }
        let key = name.to_ascii_lowercase();
        if self.set.word_lists.contains_key(&key) {
            return;
        }
        let prefixed = format!("lists.{key}");
        let suggestion = if self.set.word_lists.contains_key(&prefixed) {
            Some(prefixed.as_str())
        } else {
            names::closest(&key, self.set.word_lists.keys().map(String::as_str))
        };
        let help = match suggestion {
            Some(known) => format!("did you mean `\"{known}\"`?"),
            None if key.starts_with("lists.") => format!(
                "create the file `{name}` in the rule-set directory, one word or phrase \
                 per line"
            ),
            None => "list documents are files named `lists.NAME` in the rule-set \
                     directory, and the name includes the `lists.` prefix"
                .to_string(),
        };
        self.diagnostics.push(
            Diagnostic::error(
                codes::LIST_NOT_FOUND,
                arg.span,
                format!("list `{name}` not found"),
            )
            .with_help(help),
        );
    }

    /// Returns the source text of a span, shortened for a message.
    pub(crate) fn quote(&self, span: Span) -> String {
        let text = self
            .source
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or_default();
        let mut chars = text.chars();
        let mut quoted: String = chars.by_ref().take(MAX_QUOTED_CHARS).collect();
        if chars.next().is_some() {
            quoted.push('…');
        }
        quoted
    }
}

/// Returns true when a list name is absolute or has a path separator or
/// `..`.
fn leaves_rule_set(name: &str) -> bool {
    let has_drive = name.len() >= 2 && name.as_bytes()[1] == b':';
    name.contains(['/', '\\']) || name.contains("..") || has_drive
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_leave_rule_set() {
        assert!(leaves_rule_set("../lists.x"));
        assert!(leaves_rule_set("/etc/passwd"));
        assert!(leaves_rule_set("sub\\lists.x"));
        assert!(leaves_rule_set("C:lists.x"));
        assert!(leaves_rule_set("lists..x"));
        assert!(!leaves_rule_set("lists.badwords"));
    }
}
