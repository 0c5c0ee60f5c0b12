//! Checks of personal rule files.
//!
//! Takes the AST of one user's rules and gives every problem at once:
//! fields and comparisons that do not fit (`conditions`), actions that
//! are invalid or conflict (`actions`), and problems between rules
//! (duplicate names, rules that can never run, too many rules). A file
//! with no error diagnostics compiles; warnings never stop compilation.

mod actions;
mod conditions;

pub use conditions::BAND_NAMES;

use std::collections::HashMap;

use crate::ast::user::{ActionKind, Rule, Trigger, UserRules};
use crate::diag::{codes, Diagnostic};
use crate::limits::Limits;

/// Checks a parsed personal rule file.
///
/// # Examples
///
/// ```
/// use rulec::limits::Limits;
/// use rulec::span::{FileId, SourceFile};
///
/// let source = SourceFile::new("bob.rules", "rule \"x\"\n if subjct is \"a\"\n then stop\n");
/// let limits = Limits::default();
/// let (rules, _) = rulec::syntax::user::parse(FileId(0), &source, &limits);
/// let diagnostics = rulec::check::user::check(&rules, &limits);
/// assert_eq!(diagnostics[0].code, "E0502");
/// assert_eq!(diagnostics[0].help.as_deref(), Some("did you mean `subject`?"));
/// ```
pub fn check(rules: &UserRules, limits: &Limits) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    if rules.rules.len() > limits.max_user_rules {
        let first_over = &rules.rules[limits.max_user_rules];
        diagnostics.push(
            Diagnostic::error(
                codes::TOO_MANY_RULES,
                first_over.name_span,
                format!(
                    "{} rules in one personal rule file, over the limit of {}",
                    rules.rules.len(),
                    limits.max_user_rules
                ),
            )
            .with_help("merge rules with `if any`, or raise `max_user_rules` in rulec.toml"),
        );
        // Checking thousands of rules over the limit only adds noise.
        return diagnostics;
    }

    for rule in &rules.rules {
        conditions::check(rule, limits, &mut diagnostics);
        actions::check(rule, limits, &mut diagnostics);
    }
    check_duplicate_names(rules, &mut diagnostics);
    check_unreachable(rules, &mut diagnostics);
    crate::diag::sort(&mut diagnostics);
    diagnostics
}

/// Warns about a rule whose name an earlier rule already has, ignoring
/// case, so that each rule has a name of its own.
fn check_duplicate_names(rules: &UserRules, diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, &Rule> = HashMap::new();
    for rule in &rules.rules {
        let key = rule.name.to_lowercase();
        if let Some(first) = seen.get(&key) {
            diagnostics.push(
                Diagnostic::warning(
                    codes::DUPLICATE_RULE_NAME,
                    rule.name_span,
                    format!(
                        "rule name \"{}\" is already used on line {}",
                        rule.name, first.name_span.line
                    ),
                )
                .with_help("give each rule its own name"),
            );
        } else {
            seen.insert(key, rule);
        }
    }
}

/// Warns about the first rule after one that always ends the user's rules
/// (its conditions always hold and it has `stop` or `delete silently`).
/// Triggers are independent, so only rules of the same trigger count.
fn check_unreachable(rules: &UserRules, diagnostics: &mut Vec<Diagnostic>) {
    let mut ended_by: HashMap<Trigger, &Rule> = HashMap::new();
    let mut reported: HashMap<Trigger, usize> = HashMap::new();
    for (index, rule) in rules.rules.iter().enumerate() {
        if let Some(ender) = ended_by.get(&rule.trigger) {
            if reported.insert(rule.trigger, index).is_none() {
                let after = rules.rules[index + 1..]
                    .iter()
                    .filter(|later| later.trigger == rule.trigger)
                    .count();
                let mut message = format!(
                    "rule \"{}\" never runs because rule \"{}\" on line {} always ends the rules",
                    rule.name, ender.name, ender.name_span.line
                );
                match after {
                    0 => {}
                    1 => message.push_str(", and neither does the rule after it"),
                    _ => message.push_str(&format!(", and neither do the {after} rules after it")),
                }
                diagnostics.push(
                    Diagnostic::warning(codes::UNREACHABLE_USER_RULE, rule.name_span, message)
                        .with_help("move the rule above it, or give that rule a condition"),
                );
            }
            continue;
        }
        let ends = rule
            .actions
            .iter()
            .any(|action| matches!(action.kind, ActionKind::Stop | ActionKind::DeleteSilently));
        if ends && rule.conditions.is_always() {
            ended_by.insert(rule.trigger, rule);
        }
    }
}
