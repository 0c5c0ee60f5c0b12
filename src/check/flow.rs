//! Warnings about the order of rules: rules that can never run (W0002)
//! and rules that repeat an earlier one (W0003).

use std::collections::HashMap;
use std::fmt::Write;

use crate::ast::server::{
    ActionKind, AssignOp, BinaryOp, ConditionKind, Expr, ExprKind, MailRules, Pattern, PatternKind,
    Rule, SelectorKind, Template, TemplatePart, UnaryOp,
};
use crate::check::server::is_final;
use crate::check::types::MAX_WALK_DEPTH;
use crate::diag::{codes, Diagnostic};

/// A rule without condition that always ends processing when it runs.
struct Blocker<'a> {
    rule: &'a Rule,
    /// The final action, as written in messages (`DONE`, `NDN`, …).
    action: &'static str,
}

/// W0002: rules that an earlier unconditional `DONE`, `NDN` or
/// `DISCARDMESSAGE` keeps from ever running.
///
/// Within one event rules run in file order, so such a rule blocks the
/// later rules of its event. A `*` rule runs for every header, so it also
/// blocks later rules on any header name. `^` runs before everything
/// else, so it blocks every other rule of the file except earlier `^`
/// rules; the empty selector runs after the last header and before the end
/// of the message, so it also blocks every `.` rule.
pub fn unreachable_rules(rules: &MailRules) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut blockers: HashMap<EventKey, Blocker> = HashMap::new();
    let first_final = |kind: SelectorKind| {
        rules
            .rules
            .iter()
            .find(|rule| rule.selector.kind == kind && final_action(rule).is_some())
    };
    let begin_blocker = rules
        .rules
        .iter()
        .position(|rule| rule.selector.kind == SelectorKind::Begin && final_action(rule).is_some());
    let headers_end_blocker = first_final(SelectorKind::HeadersEnd);

    for (index, rule) in rules.rules.iter().enumerate() {
        if let Some(blocker_index) = begin_blocker {
            let earlier_begin = rule.selector.kind == SelectorKind::Begin && index < blocker_index;
            if index != blocker_index && !earlier_begin {
                let blocker = &rules.rules[blocker_index];
                let action = final_action(blocker).unwrap_or("DONE");
                let movable = rule.selector.kind == SelectorKind::Begin;
                diagnostics.push(unreachable(
                    rule,
                    &Blocker {
                        rule: blocker,
                        action,
                    },
                    "before any other rule",
                    movable,
                ));
                continue;
            }
        }
        if let (SelectorKind::MessageEnd, Some(blocker)) =
            (&rule.selector.kind, headers_end_blocker)
        {
            let action = final_action(blocker).unwrap_or("DONE");
            let blocker = Blocker {
                rule: blocker,
                action,
            };
            diagnostics.push(unreachable(rule, &blocker, "after the last header", false));
            continue;
        }
        if let Some((blocker, when)) = find_blocker(&blockers, &rule.selector.kind) {
            diagnostics.push(unreachable(rule, blocker, when, true));
            continue;
        }
        if let Some(action) = final_action(rule) {
            blockers
                .entry(EventKey::of(&rule.selector.kind))
                .or_insert(Blocker { rule, action });
        }
    }
    diagnostics
}

/// Identifies an event: the header name is case-folded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum EventKey {
    Begin,
    Header(String),
    AnyHeader,
    HeadersEnd,
    Attachment,
    Link,
    Body,
    MessageEnd,
}

impl EventKey {
    fn of(selector: &SelectorKind) -> EventKey {
        match selector {
            SelectorKind::Begin => EventKey::Begin,
            SelectorKind::Header(name) => EventKey::Header(name.to_ascii_lowercase()),
            SelectorKind::AnyHeader => EventKey::AnyHeader,
            SelectorKind::HeadersEnd => EventKey::HeadersEnd,
            SelectorKind::Attachment => EventKey::Attachment,
            SelectorKind::Link => EventKey::Link,
            SelectorKind::Body => EventKey::Body,
            SelectorKind::MessageEnd => EventKey::MessageEnd,
        }
    }
}

/// Finds an earlier blocker of a rule with this selector, with the words
/// that say when the blocker runs.
fn find_blocker<'a, 'b>(
    blockers: &'b HashMap<EventKey, Blocker<'a>>,
    selector: &SelectorKind,
) -> Option<(&'b Blocker<'a>, &'static str)> {
    let key = EventKey::of(selector);
    if let Some(blocker) = blockers.get(&key) {
        return Some((blocker, "earlier in the same event"));
    }
    match key {
        EventKey::Header(_) => blockers
            .get(&EventKey::AnyHeader)
            .map(|blocker| (blocker, "for every header")),
        _ => None,
    }
}

/// Builds the W0002 warning. `movable` is true when moving the rule above
/// its blocker would let it run.
fn unreachable(rule: &Rule, blocker: &Blocker, when: &str, movable: bool) -> Diagnostic {
    let line = blocker.rule.span.line;
    let help = if movable {
        format!(
            "give the rule on line {line} a condition, move this rule above it, or remove \
             this rule"
        )
    } else {
        format!("give the rule on line {line} a condition, or remove this rule")
    };
    Diagnostic::warning(
        codes::UNREACHABLE_RULE,
        rule.span,
        format!(
            "rule can never run: the rule on line {line} ends processing with `{}` {when}",
            blocker.action
        ),
    )
    .with_help(help)
}

/// The first action of a condition-less rule that ends processing.
fn final_action(rule: &Rule) -> Option<&'static str> {
    if rule.condition.is_some() {
        return None;
    }
    rule.actions
        .iter()
        .find(|action| is_final(&action.kind))
        .map(|action| match action.kind {
            ActionKind::Ndn(_) => "NDN",
            ActionKind::DiscardMessage => "DISCARDMESSAGE",
            _ => "DONE",
        })
}

/// W0003: a rule with the same selector, condition and actions as an
/// earlier one, ignoring the case of keywords, names and white space.
pub fn duplicate_rules(rules: &MailRules) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut first_lines: HashMap<String, u32> = HashMap::new();
    for rule in &rules.rules {
        let key = canonical_rule(rule);
        match first_lines.get(&key) {
            Some(&line) => diagnostics.push(
                Diagnostic::warning(
                    codes::DUPLICATE_RULE,
                    rule.span,
                    format!("rule repeats the rule on line {line}"),
                )
                .with_help("remove one of the two; as it is, its actions run twice"),
            ),
            None => {
                first_lines.insert(key, rule.span.line);
            }
        }
    }
    diagnostics
}

/// Writes a rule in one canonical spelling: keywords, selector, variable
/// and function names in one case, no optional white space. Pattern and
/// string texts are kept as they are.
fn canonical_rule(rule: &Rule) -> String {
    let mut out = String::new();
    match &rule.selector.kind {
        SelectorKind::Begin => out.push('^'),
        SelectorKind::Header(name) => out.push_str(&name.to_ascii_lowercase()),
        SelectorKind::AnyHeader => out.push('*'),
        SelectorKind::HeadersEnd => {}
        SelectorKind::Attachment => out.push('@'),
        SelectorKind::Link => out.push('<'),
        SelectorKind::Body => out.push('>'),
        SelectorKind::MessageEnd => out.push('.'),
    }
    out.push(':');
    match rule.condition.as_ref().map(|condition| &condition.kind) {
        None => {}
        Some(ConditionKind::Pattern { negated, pattern }) => {
            if *negated {
                out.push_str("NOT ");
            }
            write_pattern(&mut out, pattern);
        }
        Some(ConditionKind::If(expr)) => {
            out.push_str("IF(");
            write_expr(&mut out, expr, 0);
            out.push(')');
        }
    }
    for action in &rule.actions {
        out.push(' ');
        write_action(&mut out, &action.kind);
    }
    out
}

fn write_pattern(out: &mut String, pattern: &Pattern) {
    let _ = match &pattern.kind {
        PatternKind::Simple => write!(out, "{:?}", pattern.text),
        PatternKind::BasicRegex => write!(out, "regexp:{:?}", pattern.text),
        PatternKind::ExtendedRegex => write!(out, "eregexp:{:?}", pattern.text),
        PatternKind::ExtendedRegexIgnoreCase => write!(out, "eregexpi:{:?}", pattern.text),
        PatternKind::Perl { flags } => write!(out, "/{:?}/{flags}", pattern.text),
    };
}

fn write_expr(out: &mut String, expr: &Expr, depth: usize) {
    if depth > MAX_WALK_DEPTH {
        // Deeper parts do not take part in the comparison.
        out.push('…');
        return;
    }
    match &expr.kind {
        ExprKind::Int(value) => {
            let _ = write!(out, "{value}");
        }
        ExprKind::Str(template) => write_template(out, template),
        ExprKind::Var(variable) => {
            let _ = write!(out, "${}", variable.key());
        }
        ExprKind::Call { name, args, .. } => {
            let _ = write!(out, "@{}(", name.to_ascii_lowercase());
            for (index, arg) in args.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_expr(out, arg, depth + 1);
            }
            out.push(')');
        }
        ExprKind::Unary { op, operand } => {
            out.push_str(match op {
                UnaryOp::Not => "!(",
                UnaryOp::Negate => "-(",
            });
            write_expr(out, operand, depth + 1);
            out.push(')');
        }
        ExprKind::Binary { op, lhs, rhs } => {
            out.push('(');
            write_expr(out, lhs, depth + 1);
            out.push_str(binary_op(*op));
            write_expr(out, rhs, depth + 1);
            out.push(')');
        }
        ExprKind::Match {
            value,
            negated,
            pattern,
        } => {
            out.push('(');
            write_expr(out, value, depth + 1);
            out.push_str(if *negated { "!~" } else { "=~" });
            write_pattern(out, pattern);
            out.push(')');
        }
    }
}

fn binary_op(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Or => "||",
        BinaryOp::And => "&&",
        BinaryOp::Equal => "==",
        BinaryOp::NotEqual => "!=",
        BinaryOp::Less => "<",
        BinaryOp::LessEqual => "<=",
        BinaryOp::Greater => ">",
        BinaryOp::GreaterEqual => ">=",
        BinaryOp::Add => "+",
        BinaryOp::Subtract => "-",
    }
}

fn write_template(out: &mut String, template: &Template) {
    out.push('"');
    for part in &template.parts {
        match part {
            TemplatePart::Text(text) => {
                let escaped = format!("{text:?}");
                out.push_str(&escaped[1..escaped.len() - 1]);
            }
            TemplatePart::Var(variable) => {
                let _ = write!(out, "${{{}}}", variable.key());
            }
            TemplatePart::Capture { group, .. } => {
                let _ = write!(out, "\\{group}");
            }
        }
    }
    out.push('"');
}

fn write_action(out: &mut String, action: &ActionKind) {
    match action {
        ActionKind::Set(assignments) => {
            out.push_str("SET ");
            for (index, assignment) in assignments.iter().enumerate() {
                if index > 0 {
                    out.push_str(" AND ");
                }
                let op = match assignment.op {
                    AssignOp::Set => "=",
                    AssignOp::Add => "+=",
                    AssignOp::Subtract => "-=",
                };
                let _ = write!(out, "${}{op}", assignment.target.key());
                write_expr(out, &assignment.value, 0);
            }
        }
        ActionKind::Spam => out.push_str("SPAM"),
        ActionKind::DiscardHeader => out.push_str("DISCARDHEADER"),
        ActionKind::Inject(template) => {
            out.push_str("INJECT ");
            write_template(out, template);
        }
        ActionKind::Replace(template) => {
            out.push_str("REPLACE ");
            write_template(out, template);
        }
        ActionKind::DiscardMessage => out.push_str("DISCARDMESSAGE"),
        ActionKind::Ndn(text) => {
            out.push_str("NDN");
            if let Some(template) = text {
                out.push(' ');
                write_template(out, template);
            }
        }
        ActionKind::Done => out.push_str("DONE"),
    }
}
