//! Compiler: checked personal-rule AST to a [`UserProgram`].
//!
//! Each rule becomes
//!
//! ```text
//! Rule { trigger, next }          skip the rule for other triggers
//! <condition>  JumpIfFalse next   `all`: every condition must hold
//! <condition>  JumpIfTrue  body   `any`: one is enough ...
//! Jump next                       ... and none held
//! body: Act … [Halt]              Halt after `stop` and `delete silently`
//! next:
//! ```
//!
//! Identical text tests share one table entry, and identical actions one
//! action entry, so a rule set that repeats a test costs it once.

use std::collections::HashMap;

use super::program::*;
use crate::ast::server::PatternKind;
use crate::ast::user::*;
use crate::limits::Limits;
use crate::pattern;

/// An error compiling a rule file. Only an AST that the checker rejects
/// can cause one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    pub message: String,
}

/// Compiles checked rules.
///
/// # Errors
///
/// Fails on an AST the checker would reject (an unknown field, a
/// comparison that does not suit the field, an invalid regex).
pub fn compile(rules: &UserRules, limits: &Limits) -> Result<UserProgram, CompileError> {
    let mut compiler = Compiler {
        limits,
        code: Vec::new(),
        tests: Vec::new(),
        test_ids: HashMap::new(),
        actions: Vec::new(),
        action_ids: HashMap::new(),
        rules: Vec::new(),
    };
    for rule in &rules.rules {
        compiler.rule(rule)?;
    }
    Ok(UserProgram {
        version: FORMAT_VERSION,
        code: compiler.code,
        tests: compiler.tests,
        actions: compiler.actions,
        rules: compiler.rules,
        matchers: Default::default(),
    })
}

struct Compiler<'l> {
    limits: &'l Limits,
    code: Vec<Op>,
    tests: Vec<TextTest>,
    test_ids: HashMap<(TextSource, String), u32>,
    actions: Vec<ActionEntry>,
    /// Actions by their `Debug` text, which is unique per action value.
    action_ids: HashMap<String, u32>,
    rules: Vec<RuleInfo>,
}

fn error(rule: &Rule, message: impl Into<String>) -> CompileError {
    CompileError {
        message: format!("rule \"{}\": {}", rule.name, message.into()),
    }
}

impl Compiler<'_> {
    fn here(&self) -> u32 {
        self.code.len() as u32
    }

    fn rule(&mut self, rule: &Rule) -> Result<(), CompileError> {
        let index = self.rules.len() as u32;
        self.rules.push(RuleInfo {
            name: rule.name.clone(),
            line: rule.name_span.line,
        });
        let start = self.code.len();
        self.code.push(Op::Rule {
            rule: index,
            trigger: rule.trigger,
            next: 0,
        });

        // Jumps to the next rule, and (for `any`) to the body, are patched
        // once those positions are known.
        let mut to_next = Vec::new();
        let mut to_body = Vec::new();
        for condition in &rule.conditions.list {
            self.condition(rule, condition)?;
            let jump = self.code.len();
            match rule.conditions.mode {
                MatchMode::All => {
                    self.code.push(Op::JumpIfFalse { target: 0 });
                    to_next.push(jump);
                }
                MatchMode::Any => {
                    self.code.push(Op::JumpIfTrue { target: 0 });
                    to_body.push(jump);
                }
            }
        }
        if rule.conditions.mode == MatchMode::Any {
            to_next.push(self.code.len());
            self.code.push(Op::Jump { target: 0 });
        }

        let body = self.here();
        self.actions(rule);
        let next = self.here();
        for jump in to_body {
            self.code[jump] = Op::JumpIfTrue { target: body };
        }
        for jump in to_next {
            self.code[jump] = match self.code[jump] {
                Op::Jump { .. } => Op::Jump { target: next },
                _ => Op::JumpIfFalse { target: next },
            };
        }
        self.code[start] = Op::Rule {
            rule: index,
            trigger: rule.trigger,
            next,
        };
        Ok(())
    }

    fn condition(&mut self, rule: &Rule, condition: &Condition) -> Result<(), CompileError> {
        let mut negated = condition.negated;
        match &condition.kind {
            ConditionKind::Always => self.code.push(Op::Always),
            ConditionKind::HasAttachments => self.code.push(Op::HasAttachments),
            ConditionKind::MessageIs(kind) => self.code.push(Op::Is { kind: *kind }),
            ConditionKind::Test(test) => {
                let op = self.test(rule, test)?;
                self.code.push(op);
                negated ^= test.comparison.negated;
            }
        }
        if negated {
            self.code.push(Op::Not);
        }
        Ok(())
    }

    fn test(&mut self, rule: &Rule, test: &Test) -> Result<Op, CompileError> {
        let field = &test.field;
        let part = field.part.unwrap_or(AddressPart::Address);
        let source = match &field.kind {
            FieldKind::Sender => TextSource::Sender(part),
            FieldKind::From => addresses("from", part),
            FieldKind::To => addresses("to", part),
            FieldKind::Cc => addresses("cc", part),
            FieldKind::Recipients => TextSource::Recipients(part),
            FieldKind::Subject => TextSource::Header("subject".into()),
            FieldKind::Header(name) => TextSource::Header(name.to_ascii_lowercase()),
            FieldKind::Body => TextSource::Body,
            FieldKind::Attachment => TextSource::AttachmentName,
            FieldKind::SpamTests => TextSource::SpamTests,
            FieldKind::SpamLevel => return self.number(rule, NumberField::SpamLevel, test),
            FieldKind::SpamBand => return self.number(rule, NumberField::SpamBand, test),
            FieldKind::Size => return self.number(rule, NumberField::Size, test),
            FieldKind::DateSent => return within(rule, test),
            FieldKind::Unknown(name) => return Err(error(rule, format!("unknown field `{name}`"))),
        };
        let ValueKind::Text(text) = &test.value.kind else {
            return Err(error(rule, "a text field needs quoted text"));
        };
        let matcher = self.text_match(rule, test.comparison.op, text)?;
        Ok(Op::Text {
            test: self.intern_test(source, matcher),
        })
    }

    fn text_match(
        &self,
        rule: &Rule,
        op: CompareOp,
        text: &str,
    ) -> Result<TextMatch, CompileError> {
        let lower = text.to_lowercase();
        Ok(match op {
            CompareOp::Is => TextMatch::Equals(lower),
            CompareOp::Contains => TextMatch::Contains(lower),
            CompareOp::StartsWith => TextMatch::StartsWith(lower),
            CompareOp::EndsWith => TextMatch::EndsWith(lower),
            // A glob without wildcards means the whole value, which is
            // equality, and equality needs no regex.
            CompareOp::Matches if !text.contains(['*', '?']) => TextMatch::Equals(lower),
            CompareOp::Matches => {
                TextMatch::Regex(self.translate(rule, &PatternKind::Simple, text)?)
            }
            CompareOp::MatchesRegex => {
                let kind = PatternKind::Perl { flags: "i".into() };
                TextMatch::Regex(self.translate(rule, &kind, text)?)
            }
            other => {
                return Err(error(
                    rule,
                    format!("`{}` does not compare text", other.name()),
                ))
            }
        })
    }

    fn translate(
        &self,
        rule: &Rule,
        kind: &PatternKind,
        text: &str,
    ) -> Result<String, CompileError> {
        pattern::translate(kind, text, self.limits)
            .map(|translated| translated.regex)
            .map_err(|problem| error(rule, problem.message))
    }

    fn intern_test(&mut self, source: TextSource, matcher: TextMatch) -> u32 {
        let key = (source.clone(), format!("{matcher:?}"));
        if let Some(&id) = self.test_ids.get(&key) {
            return id;
        }
        let id = self.tests.len() as u32;
        self.tests.push(TextTest { source, matcher });
        self.test_ids.insert(key, id);
        id
    }

    fn number(&self, rule: &Rule, field: NumberField, test: &Test) -> Result<Op, CompileError> {
        let value = match (&test.value.kind, field) {
            (ValueKind::Number { value, unit }, _) => {
                let bytes = value.checked_mul(unit.map_or(1, SizeUnit::bytes));
                bytes
                    .and_then(|bytes| i64::try_from(bytes).ok())
                    .ok_or_else(|| error(rule, "number too large"))?
            }
            (ValueKind::Word(word) | ValueKind::Text(word), NumberField::SpamBand) => {
                band_rank(word).ok_or_else(|| error(rule, format!("unknown spam band `{word}`")))?
            }
            _ => return Err(error(rule, "a number field needs a number")),
        };
        let op = match test.comparison.op {
            CompareOp::Is => NumberOp::Equal,
            CompareOp::Over => NumberOp::Greater,
            CompareOp::Under => NumberOp::Less,
            CompareOp::AtLeast => NumberOp::GreaterOrEqual,
            CompareOp::AtMost => NumberOp::LessOrEqual,
            other => {
                return Err(error(
                    rule,
                    format!("`{}` does not compare numbers", other.name()),
                ))
            }
        };
        Ok(Op::Number { field, op, value })
    }

    fn actions(&mut self, rule: &Rule) {
        let mut halts = false;
        for action in &rule.actions {
            let compiled = match &action.kind {
                ActionKind::FileInto { folder } => ActionEntry::FileInto(folder.clone()),
                ActionKind::DeleteSilently => ActionEntry::DeleteSilently,
                ActionKind::SetPriority(priority) => ActionEntry::SetPriority(*priority),
                ActionKind::SetIcon(icon) => ActionEntry::SetIcon(icon.clone()),
                // `page` without a text notifies with the rule's name.
                ActionKind::Notify(message) => {
                    ActionEntry::Notify(message.clone().unwrap_or_else(|| rule.name.clone()))
                }
                ActionKind::Forward(to) => ActionEntry::Forward(to.clone()),
                ActionKind::Redirect(to) => ActionEntry::Redirect(to.clone()),
                ActionKind::AutoReply {
                    text,
                    subject_prefix,
                } => ActionEntry::AutoReply {
                    text: text.clone(),
                    subject_prefix: subject_prefix.clone(),
                },
                ActionKind::MarkRead => ActionEntry::MarkRead,
                ActionKind::Stop => ActionEntry::Stop,
            };
            let id = self.intern_action(compiled);
            self.code.push(Op::Act { action: id });
            match action.kind {
                // Nothing runs after a delete, in this rule or later ones.
                ActionKind::DeleteSilently => {
                    self.code.push(Op::Halt);
                    return;
                }
                ActionKind::Stop => halts = true,
                _ => {}
            }
        }
        if halts {
            self.code.push(Op::Halt);
        }
    }

    fn intern_action(&mut self, action: ActionEntry) -> u32 {
        let key = format!("{action:?}");
        if let Some(&id) = self.action_ids.get(&key) {
            return id;
        }
        let id = self.actions.len() as u32;
        self.actions.push(action);
        self.action_ids.insert(key, id);
        id
    }
}

fn addresses(header: &str, part: AddressPart) -> TextSource {
    TextSource::Addresses {
        header: header.into(),
        part,
    }
}

fn within(rule: &Rule, test: &Test) -> Result<Op, CompileError> {
    match test.value.kind {
        ValueKind::Duration { seconds } => Ok(Op::Within { seconds }),
        _ => Err(error(rule, "`date sent` needs a duration")),
    }
}

/// Returns the rank of a spam band name: 0 for `none` up to 4 for
/// `extreme`.
pub fn band_rank(name: &str) -> Option<i64> {
    let name = name.to_ascii_lowercase();
    crate::check::user::BAND_NAMES
        .iter()
        .position(|band| *band == name)
        .map(|rank| rank as i64)
}
