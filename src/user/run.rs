//! The evaluator: runs one user's [`UserProgram`] on one message.
//!
//! It reads the message and what the server tier decided, performs no
//! I/O, and returns the actions in the order they ran. Every instruction
//! counts against `max_instructions` and every action against
//! `max_user_actions`; hitting either ends this user's rules for this
//! message and is recorded in [`UserOutcome::limits_hit`]. Each run has
//! its own state, so one user's rules never affect another's.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::fields;
use super::matcher::Matchers;
use super::program::{NumberField, Op, UserProgram};
use crate::ast::user::{MessageKind, Trigger};
use crate::config::Band;
use crate::limits::Limits;
use crate::message::Message;
use crate::verdict::{Spam, UserAction, UserResult};

/// The server tier's decision about a message, as user rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerView {
    pub level: i64,
    pub band: Band,
    /// Names of the server tests that fired, in firing order.
    pub tests: Vec<String>,
}

impl ServerView {
    /// Builds the view from the spam part of the server tier's verdict.
    pub fn from_spam(spam: &Spam) -> ServerView {
        ServerView {
            level: spam.level,
            band: spam.band,
            tests: spam.tests.clone(),
        }
    }
}

/// A rule whose actions ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiredRule {
    pub name: String,
    /// 1-based line of the rule header.
    pub line: u32,
}

/// The result of one user's rules on one message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserOutcome {
    /// Actions in the order they ran. At most one `file_into`: the first
    /// rule that files the message wins.
    pub actions: Vec<UserAction>,
    /// Run-time limits hit, each with the limit's name and value.
    pub limits_hit: Vec<String>,
    /// Rules whose actions ran, in order, for `--explain`.
    pub fired: Vec<FiredRule>,
}

impl UserOutcome {
    /// Returns the verdict entry of user `user`.
    pub fn to_result(&self, user: &str) -> UserResult {
        UserResult {
            user: user.to_string(),
            actions: self.actions.clone(),
        }
    }
}

/// When a run happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    /// Only rules with this trigger run.
    pub trigger: Trigger,
    /// The current time in Unix seconds, for `date sent within`.
    pub now: i64,
}

impl RunOptions {
    /// Options for a message being delivered now.
    pub fn received_now() -> RunOptions {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs() as i64);
        RunOptions {
            trigger: Trigger::Received,
            now,
        }
    }
}

/// Runs a user's `when received` rules on a message delivered now.
pub fn run(
    program: &UserProgram,
    message: &Message,
    server: &ServerView,
    limits: &Limits,
) -> UserOutcome {
    run_with(
        program,
        message,
        server,
        limits,
        &RunOptions::received_now(),
    )
}

/// Runs a user's rules for a given trigger and time.
pub fn run_with(
    program: &UserProgram,
    message: &Message,
    server: &ServerView,
    limits: &Limits,
    options: &RunOptions,
) -> UserOutcome {
    let matchers = program
        .matchers
        .get_or_init(|| Matchers::build(&program.tests, limits));
    let mut machine = Machine {
        program,
        matchers,
        message,
        server,
        limits,
        options,
        outcome: UserOutcome::default(),
        decided: vec![false; program.tests.len()],
        results: vec![false; program.tests.len()],
        group_done: Vec::new(),
        executed: 0,
        rule: None,
        rule_fired: false,
    };
    machine.run();
    machine.outcome
}

struct Machine<'p, 'm> {
    program: &'p UserProgram,
    matchers: &'p Matchers,
    message: &'m Message<'m>,
    server: &'m ServerView,
    limits: &'m Limits,
    options: &'m RunOptions,
    outcome: UserOutcome,
    /// Whether each test's result is known yet, and the result.
    decided: Vec<bool>,
    results: Vec<bool>,
    /// Groups whose tests have all been decided.
    group_done: Vec<usize>,
    executed: u64,
    /// The rule being run, and whether it has recorded an action yet.
    rule: Option<u32>,
    rule_fired: bool,
}

/// The reason a run ends before the end of the program.
enum End {
    Halt,
    Limit(String),
}

impl Machine<'_, '_> {
    fn run(&mut self) {
        let mut pc = 0usize;
        let mut flag = false;
        while let Some(&op) = self.program.code.get(pc) {
            self.executed += 1;
            if let Err(end) = self.budget() {
                self.end(end);
                return;
            }
            let mut next = pc + 1;
            match op {
                Op::Rule {
                    rule,
                    trigger,
                    next: skip,
                } => {
                    flag = false;
                    if trigger != self.options.trigger {
                        next = skip as usize;
                    } else {
                        self.rule = Some(rule);
                        self.rule_fired = false;
                    }
                }
                Op::Text { test } => flag = self.text(test),
                Op::Number { field, op, value } => flag = op.compare(self.number(field), value),
                Op::Within { seconds } => flag = self.within(seconds),
                Op::Is { kind } => flag = self.is(kind),
                Op::HasAttachments => flag = !self.message.attachments().is_empty(),
                Op::Always => flag = true,
                Op::Not => flag = !flag,
                Op::Jump { target } => next = target as usize,
                Op::JumpIfFalse { target } if !flag => next = target as usize,
                Op::JumpIfTrue { target } if flag => next = target as usize,
                Op::JumpIfFalse { .. } | Op::JumpIfTrue { .. } => {}
                Op::Act { action } => {
                    if let Err(end) = self.act(action) {
                        self.end(end);
                        return;
                    }
                }
                Op::Halt => return,
            }
            // Jumps only go forward, which bounds every run by the length
            // of the code; a damaged program that jumps back stops here.
            if next <= pc {
                self.end(End::Limit(
                    "invalid user program: a jump goes backwards".into(),
                ));
                return;
            }
            pc = next;
        }
    }

    fn end(&mut self, end: End) {
        if let End::Limit(message) = end {
            self.outcome.limits_hit.push(message);
        }
    }

    fn budget(&self) -> Result<(), End> {
        if self.executed <= self.limits.max_instructions {
            return Ok(());
        }
        Err(End::Limit(format!(
            "max_instructions: user rules stopped after {} instructions",
            self.limits.max_instructions
        )))
    }

    fn text(&mut self, test: u32) -> bool {
        let id = test as usize;
        if id >= self.results.len() {
            return false;
        }
        if !self.decided[id] {
            let Some(group) = self.matchers.group_of(test) else {
                return false;
            };
            if !self.group_done.contains(&group) {
                let values = fields::values(self.matchers.source(group), self.message, self.server);
                let work =
                    self.matchers
                        .decide(group, &self.program.tests, &values, &mut self.results);
                self.executed += work;
                self.group_done.push(group);
            }
            self.decided[id] = true;
        }
        self.results[id]
    }

    fn number(&self, field: NumberField) -> i64 {
        match field {
            NumberField::SpamLevel => self.server.level,
            NumberField::SpamBand => self.server.band as i64,
            NumberField::Size => i64::try_from(self.message.size()).unwrap_or(i64::MAX),
        }
    }

    /// Tells whether the Date header lies at most `seconds` before now. A
    /// date in the future counts as within; a message without a valid
    /// Date is never within.
    fn within(&self, seconds: u64) -> bool {
        let Some(date) = self.message.date() else {
            return false;
        };
        let age = self.options.now.saturating_sub(date);
        age <= i64::try_from(seconds).unwrap_or(i64::MAX)
    }

    fn is(&self, kind: MessageKind) -> bool {
        match kind {
            MessageKind::Automated => self.message.is_automated(),
            MessageKind::ListMail => self.message.is_list_mail(),
            MessageKind::Bounce => self.message.is_bounce(),
            MessageKind::AutoReply => self.message.is_auto_reply(),
        }
    }

    fn act(&mut self, action: u32) -> Result<(), End> {
        let Some(action) = self.program.actions.get(action as usize) else {
            return Err(End::Limit("invalid user program: unknown action".into()));
        };
        let action = action.to_user_action();
        let already_filed = matches!(action, UserAction::FileInto { .. })
            && self
                .outcome
                .actions
                .iter()
                .any(|done| matches!(done, UserAction::FileInto { .. }));
        if already_filed {
            return Ok(());
        }
        // RFC 3834 section 2: automatic responses must not go to bounces,
        // other automatic responses or list mail, or two responders could
        // answer each other forever. The rule still fires.
        let suppressed =
            matches!(action, UserAction::AutoReply { .. }) && self.message.is_automated();
        if self.outcome.actions.len() >= self.limits.max_user_actions {
            return Err(End::Limit(format!(
                "max_user_actions: user rules stopped after {} actions",
                self.limits.max_user_actions
            )));
        }
        if !self.rule_fired {
            self.rule_fired = true;
            if let Some(info) = self
                .rule
                .and_then(|rule| self.program.rules.get(rule as usize))
            {
                self.outcome.fired.push(FiredRule {
                    name: info.name.clone(),
                    line: info.line,
                });
            }
        }
        let ends = action == UserAction::DeleteSilently;
        if !suppressed {
            self.outcome.actions.push(action);
        }
        match ends {
            true => Err(End::Halt),
            false => Ok(()),
        }
    }
}
