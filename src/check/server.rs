//! Checks of `rules.mailrules`: each rule on its own (selectors,
//! conditions, expressions, actions), then the file as a whole (rule
//! count, variables never set, unreachable and duplicate rules).
//!
//! The checks of each concept live in their own file. This one walks the
//! rules and keeps what the walk collects.

use std::collections::BTreeMap;

use crate::ast::server::{
    ActionKind, Condition, ConditionKind, MailRules, PatternKind, Rule, SelectorKind, Template,
    TemplatePart, Variable,
};
use crate::check::types::VariableTypes;
use crate::check::variables::{self, VariableKind, BUILTIN_VARIABLES};
use crate::check::{flow, names};
use crate::diag::{codes, Diagnostic};
use crate::limits::Limits;
use crate::ruleset::RuleSet;
use crate::span::{FileId, SourceFile, Span};

/// The capture groups that `\1` … `\9` in a rule's action strings can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Groups {
    /// The rule has no regex test.
    NoRegex,
    /// The rule's only regex tests are negated, so no match exists when
    /// its actions run.
    Negated,
    /// A regex with this many groups.
    Known(usize),
    /// An `IF` condition with `=~` tests, which capture nothing: only a
    /// pattern condition fills `\1` … `\9`.
    MatchInIf,
    /// The regex is invalid and already reported.
    Unknown,
}

/// Maximum number of W0001 warnings that get a "did you mean". Each
/// suggestion compares the name with every assigned variable, so without a
/// cap a file with many of both would take quadratic time.
const MAX_VARIABLE_SUGGESTIONS: usize = 100;

/// State of the walk over one `rules.mailrules` file.
pub(crate) struct Checker<'a> {
    pub set: &'a RuleSet,
    pub limits: &'a Limits,
    pub file: FileId,
    pub source: &'a SourceFile,
    pub variable_types: VariableTypes,
    pub diagnostics: Vec<Diagnostic>,
    /// Every variable a `SET` assigns: its key and its first spelling.
    assigned: BTreeMap<String, String>,
    /// First read of each administrator's variable, by key.
    reads: BTreeMap<String, Variable>,
    /// First assignment of each administrator's variable, by key.
    user_assignments: BTreeMap<String, Variable>,
}

/// Checks one `rules.mailrules` file of a rule set.
pub fn check(set: &RuleSet, file: FileId, rules: &MailRules) -> Vec<Diagnostic> {
    let limits = &set.config.limits;
    let mut checker = Checker {
        set,
        limits,
        file,
        source: set.sources.get(file),
        variable_types: VariableTypes::infer(rules),
        diagnostics: Vec::new(),
        assigned: BTreeMap::new(),
        reads: BTreeMap::new(),
        user_assignments: BTreeMap::new(),
    };
    checker.check_rule_count(rules);
    for rule in &rules.rules {
        checker.check_rule(rule);
    }
    checker.report_variables_never_read();
    checker.report_variables_never_set();
    checker.diagnostics.extend(flow::unreachable_rules(rules));
    checker.diagnostics.extend(flow::duplicate_rules(rules));
    checker.diagnostics
}

impl Checker<'_> {
    fn check_rule_count(&mut self, rules: &MailRules) {
        let max = self.limits.max_server_rules;
        let Some(first_over) = rules.rules.get(max) else {
            return;
        };
        self.diagnostics.push(
            Diagnostic::error(
                codes::TOO_MANY_RULES,
                first_over.span,
                format!(
                    "`{}` has {} rules, over the limit of {max} rules",
                    self.source.name,
                    rules.rules.len()
                ),
            )
            .with_help("raise `max_server_rules` under [limits] in rulec.toml"),
        );
    }

    fn check_rule(&mut self, rule: &Rule) {
        let groups = match &rule.condition {
            Some(condition) => self.check_condition(rule, condition),
            None => Groups::NoRegex,
        };
        for action in &rule.actions {
            self.check_action(rule, action, groups);
        }
    }

    /// Checks a condition and returns the groups its regex test offers.
    fn check_condition(&mut self, rule: &Rule, condition: &Condition) -> Groups {
        match &condition.kind {
            ConditionKind::Pattern { negated, pattern } => {
                self.check_pattern_has_data(rule, condition);
                let groups = self.check_pattern(pattern);
                match (&pattern.kind, groups) {
                    (PatternKind::Simple, _) => Groups::NoRegex,
                    (_, None) => Groups::Unknown,
                    (_, Some(_)) if *negated => Groups::Negated,
                    (_, Some(count)) => Groups::Known(count),
                }
            }
            ConditionKind::If(expr) => {
                let mut matches = 0;
                self.check_expr(rule, expr, Groups::NoRegex, &mut matches, 0);
                if matches == 0 {
                    Groups::NoRegex
                } else {
                    Groups::MatchInIf
                }
            }
        }
    }

    /// E0104: a pattern condition on a selector that has no data to test.
    fn check_pattern_has_data(&mut self, rule: &Rule, condition: &Condition) {
        let selector = match rule.selector.kind {
            SelectorKind::Begin => "`^`",
            SelectorKind::HeadersEnd => "the empty selector",
            SelectorKind::MessageEnd => "`.`",
            _ => return,
        };
        self.diagnostics.push(
            Diagnostic::error(
                codes::PATTERN_WITHOUT_DATA,
                condition.span,
                format!("pattern condition on {selector}, which has no data to test"),
            )
            .with_help(
                "test a variable with `IF (...)` instead, for example \
                 `IF ($subject =~ /pattern/i)` or `IF (@inblocklist($subject))`",
            ),
        );
    }

    /// Checks a string literal: its variables and capture references.
    pub(crate) fn check_template(&mut self, rule: &Rule, template: &Template, groups: Groups) {
        for part in &template.parts {
            match part {
                TemplatePart::Text(_) => {}
                TemplatePart::Var(variable) => self.check_read(rule, variable),
                TemplatePart::Capture { group, span } => {
                    self.check_capture(*group, *span, groups);
                }
            }
        }
    }

    /// E0111: `\N` needs a regex test with at least N groups.
    fn check_capture(&mut self, group: u8, span: Span, groups: Groups) {
        let reference = format!("\\{group}");
        let message = match groups {
            Groups::Unknown => return,
            Groups::Known(count) if usize::from(group) <= count => return,
            Groups::Known(count) => format!(
                "`{reference}` refers to group {group}, but the rule's regex has {count} {}",
                if count == 1 { "group" } else { "groups" }
            ),
            Groups::NoRegex => {
                format!("`{reference}` refers to a capture group, but the rule has no regex test")
            }
            Groups::MatchInIf => format!(
                "`{reference}` refers to a capture group, but only a pattern condition \
                 captures; `=~` inside `IF` does not"
            ),
            Groups::Negated => format!(
                "`{reference}` refers to a capture group, but the rule's regex test is \
                 negated, so nothing was captured when the actions run"
            ),
        };
        self.diagnostics.push(
            Diagnostic::error(codes::INVALID_CAPTURE_REFERENCE, span, message).with_help(
                "capture with `( … )` in a regexp:, eregexp:, eregexpi: or /…/ condition, \
                 or write `\\\\` for a literal backslash",
            ),
        );
    }

    /// Checks a variable that is read: per-event scope, config fields, and
    /// records administrators' variables for W0001.
    pub(crate) fn check_read(&mut self, rule: &Rule, variable: &Variable) {
        match variables::classify(&variable.name) {
            VariableKind::Builtin(builtin) => {
                if !builtin.scope.includes(&rule.selector.kind) {
                    self.diagnostics.push(
                        Diagnostic::error(
                            codes::VARIABLE_OUTSIDE_EVENT,
                            variable.span,
                            format!(
                                "`${}` is only set in rules on {}",
                                variable.name,
                                builtin.scope.selectors()
                            ),
                        )
                        .with_help(format!(
                            "move the test to a rule on {}, or copy the value into your own \
                             variable there with `SET`",
                            builtin.scope.selectors()
                        )),
                    );
                }
            }
            VariableKind::InvalidConfig => self.report_invalid_config(variable),
            VariableKind::Config(_) => {}
            VariableKind::User => {
                let key = variable.key();
                let first = self.reads.entry(key).or_insert_with(|| variable.clone());
                if variable.span.start < first.span.start {
                    *first = variable.clone();
                }
            }
        }
    }

    /// Records an assignment target; reports E0105 and E0110.
    pub(crate) fn check_assigned(&mut self, variable: &Variable) {
        match variables::classify(&variable.name) {
            VariableKind::Builtin(builtin) if !builtin.writable => {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::READ_ONLY_VARIABLE,
                        variable.span,
                        format!("`${}` is read-only", variable.name),
                    )
                    .with_help(format!(
                        "`${}` is {}; keep a changed copy in a variable of your own",
                        variable.name, builtin.doc
                    )),
                );
            }
            VariableKind::Config(_) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::READ_ONLY_VARIABLE,
                        variable.span,
                        format!("`${}` is read-only", variable.name),
                    )
                    .with_help("`$Form.Config` values are set under [form_config] in rulec.toml"),
                );
            }
            VariableKind::InvalidConfig => self.report_invalid_config(variable),
            VariableKind::User => {
                let first = self
                    .user_assignments
                    .entry(variable.key())
                    .or_insert_with(|| variable.clone());
                if variable.span.start < first.span.start {
                    *first = variable.clone();
                }
            }
            VariableKind::Builtin(_) => {}
        }
        self.assigned
            .entry(variable.key())
            .or_insert_with(|| variable.name.clone());
    }

    /// E0110: a `$Form.Config…` name that is not `ID.FIELD` with a known
    /// field.
    fn report_invalid_config(&mut self, variable: &Variable) {
        let field = variable
            .name
            .rsplit_once('.')
            .map(|(_, field)| field)
            .unwrap_or_default();
        let suggestion = names::closest(
            field,
            variables::CONFIG_FIELDS.iter().map(|(name, _)| *name),
        );
        let help = match suggestion {
            Some(known) => format!(
                "did you mean `{known}`? The form is `$Form.Config.ID.FIELD` with FIELD one \
                 of Checkbox, String, Number"
            ),
            None => "the form is `$Form.Config.ID.FIELD` with FIELD one of Checkbox, String, \
                     Number, for example `$Form.Config.1202.Checkbox`"
                .to_string(),
        };
        self.diagnostics.push(
            Diagnostic::error(
                codes::UNKNOWN_CONFIG_FIELD,
                variable.span,
                format!("unknown config field in `${}`", variable.name),
            )
            .with_help(help),
        );
    }

    /// W0007: administrators' variables that are set but read nowhere,
    /// which is how a misspelt `$spamlevel` loses its score silently.
    fn report_variables_never_read(&mut self) {
        let assignments = std::mem::take(&mut self.user_assignments);
        let mut suggestions_left = MAX_VARIABLE_SUGGESTIONS;
        for (key, variable) in assignments {
            if self.reads.contains_key(&key) {
                continue;
            }
            let writable = BUILTIN_VARIABLES
                .iter()
                .filter(|builtin| builtin.writable)
                .map(|builtin| builtin.name);
            let suggestion = if suggestions_left > 0 {
                suggestions_left -= 1;
                names::closest(&variable.name, writable)
            } else {
                None
            };
            let help = match suggestion {
                Some(name) => format!("did you mean `${name}`?"),
                None => "read it in an `IF`, a `SET` or an action string, or remove the \
                         assignment"
                    .to_string(),
            };
            self.diagnostics.push(
                Diagnostic::warning(
                    codes::VARIABLE_NEVER_READ,
                    variable.span,
                    format!("variable `${}` is set but never read", variable.name),
                )
                .with_help(help),
            );
        }
    }

    /// W0001: administrators' variables that are read but set nowhere.
    fn report_variables_never_set(&mut self) {
        let reads = std::mem::take(&mut self.reads);
        let mut suggestions_left = MAX_VARIABLE_SUGGESTIONS;
        for (key, variable) in reads {
            if self.assigned.contains_key(&key) {
                continue;
            }
            let assigned = self.assigned.values().map(String::as_str);
            let builtins = BUILTIN_VARIABLES.iter().map(|builtin| builtin.name);
            let suggestion = if suggestions_left > 0 {
                suggestions_left -= 1;
                names::closest(&variable.name, builtins.chain(assigned))
            } else {
                None
            };
            let help = match suggestion {
                Some(name) => format!("did you mean `${name}`?"),
                None => format!(
                    "set it with `SET ${} = …`, usually in a `^` rule; until then it reads \
                     as 0 or the empty string",
                    variable.name
                ),
            };
            self.diagnostics.push(
                Diagnostic::warning(
                    codes::VARIABLE_NEVER_SET,
                    variable.span,
                    format!("variable `${}` is read but never set", variable.name),
                )
                .with_help(help),
            );
        }
    }
}

/// Returns true when an action ends rule processing for the message.
pub(crate) fn is_final(action: &ActionKind) -> bool {
    matches!(
        action,
        ActionKind::Done | ActionKind::Ndn(_) | ActionKind::DiscardMessage
    )
}
