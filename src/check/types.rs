//! Static types of server-tier expressions, as far as they are known.
//!
//! Every run-time value is an integer or a string, and two values that
//! both read as integers compare and add as numbers. The checker only
//! reports a type mismatch when it can tell that a value is a string that cannot
//! read as an integer, so a rule that might work is never rejected.

use std::collections::HashMap;

use crate::ast::server::{ActionKind, AssignOp, BinaryOp, Expr, ExprKind, MailRules, Template};
use crate::check::functions::{self, ValueType};
use crate::check::variables::{self, BuiltinVariable, VariableKind};

/// Expressions nested deeper than this are not inspected further. The
/// parser reports nesting over `max_expression_depth`; this cap only keeps
/// the checker's recursion bounded whatever the parser lets through.
pub const MAX_WALK_DEPTH: usize = 256;

/// The checker's information about the value of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaticType {
    /// An integer, or a string that reads as one.
    Int,
    /// A string that does not read as an integer.
    Text,
    /// Either; decided at run time.
    Unknown,
}

/// Built-in string variables whose value can never read as an integer:
/// test names each end with `;`, and an IP address has dots or colons.
/// Other strings, such as a header value, may well be digits.
const NEVER_INTEGER_VARIABLES: &[&str] = &["spamtests", "SenderIP"];

impl StaticType {
    /// Returns the static type of a value whose run-time type is known. A string
    /// may read as an integer, so only integers are certain.
    fn of_value_type(kind: ValueType) -> StaticType {
        match kind {
            ValueType::Int | ValueType::Bool => StaticType::Int,
            ValueType::Str => StaticType::Unknown,
        }
    }

    fn of_builtin(builtin: &BuiltinVariable) -> StaticType {
        let never_integer = NEVER_INTEGER_VARIABLES
            .iter()
            .any(|name| name.eq_ignore_ascii_case(builtin.name));
        if never_integer {
            StaticType::Text
        } else {
            StaticType::of_value_type(builtin.kind)
        }
    }
}

/// Returns the integer a string reads as: optional white space around an
/// optional sign and decimal digits that fit an `i64`.
pub fn reads_as_int(text: &str) -> Option<i64> {
    let trimmed = text.trim();
    let digits = trimmed.strip_prefix(['-', '+']).unwrap_or(trimmed);
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    trimmed.parse().ok()
}

/// Returns the static type of a string literal, which is known only
/// without interpolation.
pub fn template_type(template: &Template) -> StaticType {
    match template.as_literal() {
        Some(text) if reads_as_int(&text).is_some() => StaticType::Int,
        Some(_) => StaticType::Text,
        None => StaticType::Unknown,
    }
}

/// Types of administrators' variables, inferred from every assignment in
/// the file regardless of order: a variable whose `=` and `+=`
/// assignments all give text is text, one whose assignments all give
/// integers is an integer, anything else is unknown.
#[derive(Debug, Default)]
pub struct VariableTypes {
    types: HashMap<String, StaticType>,
}

impl VariableTypes {
    pub fn infer(rules: &MailRules) -> VariableTypes {
        let mut inferred = VariableTypes::default();
        let empty = VariableTypes::default();
        for rule in &rules.rules {
            for action in &rule.actions {
                let ActionKind::Set(assignments) = &action.kind else {
                    continue;
                };
                for assignment in assignments {
                    if assignment.op == AssignOp::Subtract {
                        continue;
                    }
                    if variables::classify(&assignment.target.name) != VariableKind::User {
                        continue;
                    }
                    // Other variables on the right count as unknown, which
                    // keeps the inference one pass and never wrong.
                    let value = expr_type(&assignment.value, &empty, 0);
                    let entry = inferred
                        .types
                        .entry(assignment.target.key())
                        .or_insert(value);
                    if *entry != value {
                        *entry = StaticType::Unknown;
                    }
                }
            }
        }
        inferred
    }

    /// Returns the type of a variable by name (as written, without `$`).
    pub fn variable(&self, name: &str) -> StaticType {
        match variables::classify(name) {
            VariableKind::Builtin(builtin) => StaticType::of_builtin(builtin),
            VariableKind::Config(kind) => StaticType::of_value_type(kind),
            VariableKind::InvalidConfig => StaticType::Unknown,
            VariableKind::User => self
                .types
                .get(&crate::ast::server::variable_key(name))
                .copied()
                .unwrap_or(StaticType::Unknown),
        }
    }
}

/// Returns the static type of an expression.
pub fn expr_type(expr: &Expr, variables: &VariableTypes, depth: usize) -> StaticType {
    if depth > MAX_WALK_DEPTH {
        return StaticType::Unknown;
    }
    match &expr.kind {
        ExprKind::Int(_) => StaticType::Int,
        ExprKind::Str(template) => template_type(template),
        ExprKind::Var(variable) => variables.variable(&variable.name),
        ExprKind::Call { name, .. } => match functions::lookup(name) {
            Some(function) => StaticType::of_value_type(function.result),
            None => StaticType::Unknown,
        },
        ExprKind::Unary { .. } => StaticType::Int,
        ExprKind::Binary { op, lhs, rhs } => match op {
            BinaryOp::Add => {
                let left = expr_type(lhs, variables, depth + 1);
                let right = expr_type(rhs, variables, depth + 1);
                match (left, right) {
                    (StaticType::Int, StaticType::Int) => StaticType::Int,
                    (StaticType::Text, _) | (_, StaticType::Text) => StaticType::Text,
                    _ => StaticType::Unknown,
                }
            }
            _ => StaticType::Int,
        },
        ExprKind::Match { .. } => StaticType::Int,
    }
}

/// Returns the text of a string literal that cannot read as an integer,
/// for messages about comparisons.
pub fn text_literal(expr: &Expr) -> Option<String> {
    let ExprKind::Str(template) = &expr.kind else {
        return None;
    };
    let text = template.as_literal()?;
    reads_as_int(&text).is_none().then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_with_sign_and_spaces() {
        assert_eq!(reads_as_int(" 42 "), Some(42));
        assert_eq!(reads_as_int("-7"), Some(-7));
        assert_eq!(reads_as_int("+7"), Some(7));
    }

    #[test]
    fn non_integers() {
        assert_eq!(reads_as_int(""), None);
        assert_eq!(reads_as_int("-"), None);
        assert_eq!(reads_as_int("4 2"), None);
        assert_eq!(reads_as_int("0x10"), None);
        assert_eq!(reads_as_int("99999999999999999999"), None);
    }
}
