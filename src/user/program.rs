//! The compiled form of one user's rules.
//!
//! A [`UserProgram`] is a flat list of [`Op`]s plus three tables: the text
//! tests, the actions, and the rule names and lines. Conditions set a
//! single flag that jumps read, and every jump goes forward, so a program
//! runs each instruction at most once and always ends. Programs are
//! serialised into the compiled program file, so a loaded one is checked
//! with [`UserProgram::validate`] before use.

use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::matcher::Matchers;
use crate::ast::user::{AddressPart, MessageKind, Trigger};
use crate::verdict::{Priority, UserAction};

/// Version of the program layout; bump it when [`Op`] or the tables change.
pub const FORMAT_VERSION: u32 = 1;

/// One instruction. Conditions set the flag; jumps read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// Starts rule `rule`; skips to `next` when the run is for another
    /// trigger. Clears the flag.
    Rule {
        rule: u32,
        trigger: Trigger,
        next: u32,
    },
    /// Sets the flag to the result of text test `test`.
    Text { test: u32 },
    /// Sets the flag to `field <op> value`.
    Number {
        field: NumberField,
        op: NumberOp,
        value: i64,
    },
    /// Sets the flag to whether the Date header is at most `seconds` old.
    Within { seconds: u64 },
    /// Sets the flag to whether the message is of this kind.
    Is { kind: MessageKind },
    /// Sets the flag to whether the message has an attachment.
    HasAttachments,
    /// Sets the flag.
    Always,
    /// Inverts the flag.
    Not,
    /// Jumps forward to `target`.
    Jump { target: u32 },
    /// Jumps forward to `target` when the flag is clear.
    JumpIfFalse { target: u32 },
    /// Jumps forward to `target` when the flag is set.
    JumpIfTrue { target: u32 },
    /// Records action `action` of the action table.
    Act { action: u32 },
    /// Ends the user's rules for this message (`stop`, `delete silently`).
    Halt,
}

/// A field compared as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NumberField {
    /// The server tier's spam level.
    SpamLevel,
    /// The spam band as 0 (`none`) to 4 (`extreme`).
    SpamBand,
    /// The message size in bytes.
    Size,
}

/// A numeric comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NumberOp {
    Equal,
    Greater,
    Less,
    GreaterOrEqual,
    LessOrEqual,
}

impl NumberOp {
    /// Applies the comparison to `left <op> right`.
    pub fn compare(self, left: i64, right: i64) -> bool {
        match self {
            NumberOp::Equal => left == right,
            NumberOp::Greater => left > right,
            NumberOp::Less => left < right,
            NumberOp::GreaterOrEqual => left >= right,
            NumberOp::LessOrEqual => left <= right,
        }
    }
}

/// The message field a text test reads its values from. A test holds when
/// any value matches, so `to is "a@b"` holds when one of the To addresses is `a@b`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TextSource {
    /// The envelope sender.
    Sender(AddressPart),
    /// The addresses of a header (`From`, `To` or `Cc`).
    Addresses { header: String, part: AddressPart },
    /// To, Cc and the envelope recipients.
    Recipients(AddressPart),
    /// Every decoded value of a header; the name is lower-cased.
    Header(String),
    /// The body text.
    Body,
    /// The file name of each attachment.
    AttachmentName,
    /// The names of the server tests that fired.
    SpamTests,
}

/// The comparison of a text test. Texts are stored lower-cased and compared
/// with lower-cased values, so every comparison ignores case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextMatch {
    Equals(String),
    Contains(String),
    StartsWith(String),
    EndsWith(String),
    /// A regex in regex-automata syntax, from `matches` (glob) or
    /// `matches regex`; its own flags make it ignore case.
    Regex(String),
}

/// A text test: a source and a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextTest {
    pub source: TextSource,
    pub matcher: TextMatch,
}

/// An action as a program stores it. [`UserAction`] is its verdict form,
/// but its JSON-style tagging cannot go through postcard, so programs keep
/// this plain enum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionEntry {
    FileInto(String),
    DeleteSilently,
    SetPriority(Priority),
    SetIcon(String),
    Notify(String),
    Forward(String),
    Redirect(String),
    AutoReply {
        text: String,
        subject_prefix: Option<String>,
    },
    MarkRead,
    Stop,
}

impl ActionEntry {
    /// Returns the action as the verdict reports it.
    pub fn to_user_action(&self) -> UserAction {
        match self {
            ActionEntry::FileInto(folder) => UserAction::FileInto {
                folder: folder.clone(),
            },
            ActionEntry::DeleteSilently => UserAction::DeleteSilently,
            ActionEntry::SetPriority(priority) => UserAction::SetPriority {
                priority: *priority,
            },
            ActionEntry::SetIcon(icon) => UserAction::SetIcon { icon: icon.clone() },
            ActionEntry::Notify(message) => UserAction::Notify {
                message: message.clone(),
            },
            ActionEntry::Forward(to) => UserAction::Forward { to: to.clone() },
            ActionEntry::Redirect(to) => UserAction::Redirect { to: to.clone() },
            ActionEntry::AutoReply {
                text,
                subject_prefix,
            } => UserAction::AutoReply {
                text: text.clone(),
                subject_prefix: subject_prefix.clone(),
            },
            ActionEntry::MarkRead => UserAction::MarkRead,
            ActionEntry::Stop => UserAction::Stop,
        }
    }
}

/// Name and position of a compiled rule, for `--explain` and listings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    pub name: String,
    /// 1-based line of the rule header in its file.
    pub line: u32,
}

/// One user's compiled rules.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserProgram {
    /// [`FORMAT_VERSION`] at compile time.
    pub version: u32,
    pub code: Vec<Op>,
    pub tests: Vec<TextTest>,
    pub actions: Vec<ActionEntry>,
    pub rules: Vec<RuleInfo>,
    /// Matchers over `tests`, built on first run, so a program loaded from
    /// disk pays for them once.
    #[serde(skip)]
    pub(super) matchers: OnceLock<Matchers>,
}

impl PartialEq for UserProgram {
    fn eq(&self, other: &UserProgram) -> bool {
        self.version == other.version
            && self.code == other.code
            && self.tests == other.tests
            && self.actions == other.actions
            && self.rules == other.rules
    }
}

impl UserProgram {
    /// Checks a program that may come from an untrusted file: the format
    /// version, every index into a table, and that every jump goes forward
    /// and stays inside the code.
    ///
    /// # Errors
    ///
    /// Returns the first problem found, naming the instruction.
    pub fn validate(&self) -> Result<(), String> {
        if self.version != FORMAT_VERSION {
            return Err(format!(
                "user program has format version {}, expected {FORMAT_VERSION}",
                self.version
            ));
        }
        let len = self.code.len();
        for (index, op) in self.code.iter().enumerate() {
            let forward = |target: u32| target as usize > index && target as usize <= len;
            let valid = match *op {
                Op::Rule { rule, next, .. } => (rule as usize) < self.rules.len() && forward(next),
                Op::Text { test } => (test as usize) < self.tests.len(),
                Op::Act { action } => (action as usize) < self.actions.len(),
                Op::Jump { target } | Op::JumpIfFalse { target } | Op::JumpIfTrue { target } => {
                    forward(target)
                }
                _ => true,
            };
            if !valid {
                return Err(format!(
                    "user program instruction {index} ({op:?}) is invalid"
                ));
            }
        }
        Ok(())
    }

    /// Returns a numbered listing of the program, one instruction a line,
    /// with the test and action each refers to.
    pub fn listing(&self) -> String {
        let mut out = String::new();
        for (index, op) in self.code.iter().enumerate() {
            let note = match *op {
                Op::Rule { rule, .. } => self
                    .rules
                    .get(rule as usize)
                    .map(|info| format!("  ; \"{}\" line {}", info.name, info.line)),
                Op::Text { test } => self
                    .tests
                    .get(test as usize)
                    .map(|test| format!("  ; {:?} {:?}", test.source, test.matcher)),
                Op::Act { action } => self
                    .actions
                    .get(action as usize)
                    .map(|action| format!("  ; {action:?}")),
                _ => None,
            };
            let _ = writeln!(out, "{index:4}  {op:?}{}", note.unwrap_or_default());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The instruction stays two words wide; a bigger variant should move
    /// its data into a table.
    #[test]
    fn op_size_is_pinned() {
        assert_eq!(std::mem::size_of::<Op>(), 16);
    }
}
