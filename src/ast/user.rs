//! AST of personal rule files (`users/NAME.rules`).
//!
//! A file is a list of rules run in file order. Each rule has a name, an
//! optional trigger, a condition block and at least one action:
//!
//! ```text
//! rule "Mum is urgent"                 <- Rule { name, name_span }
//!   if sender contains "mother"        <- Conditions { mode: All, list }
//!      ^^^^^^ ^^^^^^^^ ^^^^^^^^
//!      field  compare  value           <- Test
//!   then set priority urgent, page     <- actions
//! ```
//!
//! The parser keeps every node's [`Span`]; meaning (which comparison
//! suits which field, valid folders and addresses) is left to
//! [`crate::check::user`].

use serde::Serialize;

use crate::span::Span;
use crate::verdict::Priority;

/// A parsed personal rule file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserRules {
    /// Rules that parsed without error, in file order.
    pub rules: Vec<Rule>,
    /// Number of rule headers seen, including rules dropped for syntax
    /// errors, so limits count what the user wrote.
    pub rules_written: usize,
    /// The whole file.
    pub span: Span,
}

/// One `rule "Name"` block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// The name as written, escapes resolved.
    pub name: String,
    /// The quoted name.
    pub name_span: Span,
    /// From the `rule` keyword to the end of the last line of the rule.
    pub span: Span,
    /// When the rule runs: `when received` by default.
    pub trigger: Trigger,
    /// The `when` line, when there is one.
    pub trigger_span: Option<Span>,
    pub conditions: Conditions,
    /// At least one action, in the order written.
    pub actions: Vec<Action>,
}

/// The event a rule runs on (`when …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Trigger {
    /// `when received`: mail delivered to the user (the default).
    Received,
    /// `when sent`: the user's own copy of mail they send.
    Sent,
    /// `when deleted`: an item the user deletes.
    Deleted,
    /// `when manual`: run on demand by the user's mail client.
    Manual,
}

/// The `if` part of a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conditions {
    /// `all` (the default) or `any`.
    pub mode: MatchMode,
    /// At least one condition.
    pub list: Vec<Condition>,
    /// From `if` to the end of the last condition.
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MatchMode {
    /// Every condition must hold.
    All,
    /// One condition is enough.
    Any,
}

/// One condition, such as `not from domain is "example.com"`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Condition {
    /// Set by a leading `not`, or by `is not` in `message is not automated`
    /// and `has no attachments`.
    pub negated: bool,
    pub kind: ConditionKind,
    /// The whole condition, `not` included.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ConditionKind {
    /// `always`: holds for every message.
    Always,
    /// `has attachments`.
    HasAttachments,
    /// `message is automated`, `is list mail`, `is bounce`, `is auto reply`.
    MessageIs(MessageKind),
    /// `FIELD COMPARISON VALUE`.
    Test(Test),
}

/// A kind of machine-sent mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// An auto reply or a bounce.
    Automated,
    /// Mail from a mailing list.
    ListMail,
    /// A delivery status notification.
    Bounce,
    /// An out-of-office or other automatic reply.
    AutoReply,
}

/// `FIELD COMPARISON VALUE`, such as `size over 5 MB`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Test {
    pub field: Field,
    pub comparison: Comparison,
    pub value: Value,
}

/// The part of the message a test reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub kind: FieldKind,
    /// `domain`, `local part`, `name` or `address` after the field name.
    pub part: Option<AddressPart>,
    /// The field name, part included.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum FieldKind {
    /// `sender`: the envelope sender (SMTP `MAIL FROM`).
    Sender,
    /// `from`: addresses of the From header.
    From,
    /// `to`: addresses of the To header.
    To,
    /// `cc`: addresses of the Cc header.
    Cc,
    /// `recipients`: To, Cc and the envelope recipients together.
    Recipients,
    /// `subject`: the decoded Subject header.
    Subject,
    /// `header "Name"`: every decoded value of that header.
    Header(String),
    /// `body`: the text of the body parts.
    Body,
    /// `attachment name`: the file name of each attachment.
    Attachment,
    /// `spam level`: the server tier's spam level, a number.
    SpamLevel,
    /// `spam band`: `none`, `low`, `medium`, `high` or `extreme`.
    SpamBand,
    /// `spam tests`: the names of the server tests that fired, each one
    /// a value of its own.
    SpamTests,
    /// `size`: the message size in bytes, attachments included.
    Size,
    /// `date sent`: the Date header, compared with `within`.
    DateSent,
    /// A field name rulec does not know, lower-cased; a check error.
    Unknown(String),
}

/// The part of an address a test reads, as in `from domain is "…"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AddressPart {
    /// `user@example.com` (the default).
    Address,
    /// `example.com`.
    Domain,
    /// `user`.
    LocalPart,
    /// The display name, `Mum` in `Mum <mum@example.com>`.
    Name,
}

/// A comparison such as `does not contain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub op: CompareOp,
    /// `is not`, `does not …`, `not within`.
    pub negated: bool,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareOp {
    /// `is`: equal, ignoring case; for numbers, equal.
    Is,
    /// `contains`.
    Contains,
    /// `starts with`.
    StartsWith,
    /// `ends with`.
    EndsWith,
    /// `matches`: a glob with `*` and `?` over the whole value.
    Matches,
    /// `matches regex`: a Perl-style regular expression that searches.
    MatchesRegex,
    /// `over`, `above`.
    Over,
    /// `under`, `below`.
    Under,
    /// `at least`.
    AtLeast,
    /// `at most`.
    AtMost,
    /// `within`: a date no older than a duration.
    Within,
}

/// The right side of a test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ValueKind {
    /// A quoted string, escapes resolved.
    Text(String),
    /// A whole number with an optional size unit: `50`, `5 MB`.
    Number { value: u64, unit: Option<SizeUnit> },
    /// `1w 3d 4h`, in seconds.
    Duration { seconds: u64 },
    /// A bare word such as `medium`, lower-cased.
    Word(String),
}

/// A size unit. `KB` is 1,024 bytes, `MB` 1,024 KB, `GB` 1,024 MB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SizeUnit {
    Bytes,
    Kilobytes,
    Megabytes,
    Gigabytes,
}

impl SizeUnit {
    /// Returns the number of bytes in one unit.
    pub fn bytes(self) -> u64 {
        match self {
            SizeUnit::Bytes => 1,
            SizeUnit::Kilobytes => 1 << 10,
            SizeUnit::Megabytes => 1 << 20,
            SizeUnit::Gigabytes => 1 << 30,
        }
    }
}

/// One action of a `then` list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    pub kind: ActionKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ActionKind {
    /// `file into "Folder/Sub"`.
    FileInto { folder: String },
    /// `delete silently`: ends the user's rules.
    DeleteSilently,
    /// `set priority urgent|high|normal|low`.
    SetPriority(Priority),
    /// `set icon NAME` or `set icon "Name"`.
    SetIcon(String),
    /// `page` or `notify`, with an optional message.
    Notify(Option<String>),
    /// `forward to "addr"`.
    Forward(String),
    /// `redirect to "addr"`.
    Redirect(String),
    /// `auto reply "text" [with subject prefix "Re: "]`.
    AutoReply {
        text: String,
        subject_prefix: Option<String>,
    },
    /// `mark read` or `mark as read`.
    MarkRead,
    /// `stop`: ends the user's rules for this message.
    Stop,
}

/// The kind of value a field holds, which decides the comparisons it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FieldType {
    /// Text compared with `is`, `contains`, `matches` and the like.
    Text,
    /// Mail addresses: text, with the parts `domain`, `local part`, `name`.
    Addresses,
    /// A whole number compared with `is`, `over`, `at least` and the like.
    Number,
    /// A spam band, ordered `none` < `low` < `medium` < `high` < `extreme`.
    Band,
    /// A date compared with `within` a duration.
    Date,
}

impl FieldKind {
    /// Returns the type of the field's value, or `None` for an unknown
    /// field.
    pub fn value_type(&self) -> Option<FieldType> {
        Some(match self {
            FieldKind::Sender
            | FieldKind::From
            | FieldKind::To
            | FieldKind::Cc
            | FieldKind::Recipients => FieldType::Addresses,
            FieldKind::Subject
            | FieldKind::Header(_)
            | FieldKind::Body
            | FieldKind::Attachment
            | FieldKind::SpamTests => FieldType::Text,
            FieldKind::SpamLevel | FieldKind::Size => FieldType::Number,
            FieldKind::SpamBand => FieldType::Band,
            FieldKind::DateSent => FieldType::Date,
            FieldKind::Unknown(_) => return None,
        })
    }

    /// Returns the field's name as the rule language writes it.
    pub fn name(&self) -> String {
        match self {
            FieldKind::Sender => "sender".into(),
            FieldKind::From => "from".into(),
            FieldKind::To => "to".into(),
            FieldKind::Cc => "cc".into(),
            FieldKind::Recipients => "recipients".into(),
            FieldKind::Subject => "subject".into(),
            FieldKind::Header(name) => format!("header \"{name}\""),
            FieldKind::Body => "body".into(),
            FieldKind::Attachment => "attachment name".into(),
            FieldKind::SpamLevel => "spam level".into(),
            FieldKind::SpamBand => "spam band".into(),
            FieldKind::SpamTests => "spam tests".into(),
            FieldKind::Size => "size".into(),
            FieldKind::DateSent => "date sent".into(),
            FieldKind::Unknown(name) => name.clone(),
        }
    }
}

impl CompareOp {
    /// Returns the comparison as the rule language writes it.
    pub fn name(self) -> &'static str {
        match self {
            CompareOp::Is => "is",
            CompareOp::Contains => "contains",
            CompareOp::StartsWith => "starts with",
            CompareOp::EndsWith => "ends with",
            CompareOp::Matches => "matches",
            CompareOp::MatchesRegex => "matches regex",
            CompareOp::Over => "over",
            CompareOp::Under => "under",
            CompareOp::AtLeast => "at least",
            CompareOp::AtMost => "at most",
            CompareOp::Within => "within",
        }
    }

    /// Returns whether the comparison works on text.
    pub fn is_textual(self) -> bool {
        matches!(
            self,
            CompareOp::Is
                | CompareOp::Contains
                | CompareOp::StartsWith
                | CompareOp::EndsWith
                | CompareOp::Matches
                | CompareOp::MatchesRegex
        )
    }

    /// Returns whether the comparison works on numbers and bands.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            CompareOp::Is
                | CompareOp::Over
                | CompareOp::Under
                | CompareOp::AtLeast
                | CompareOp::AtMost
        )
    }
}

impl Condition {
    /// Returns whether the condition holds for every message: `always`
    /// without `not`.
    pub fn is_always(&self) -> bool {
        matches!(self.kind, ConditionKind::Always) && !self.negated
    }
}

impl Conditions {
    /// Returns whether the block holds for every message.
    pub fn is_always(&self) -> bool {
        match self.mode {
            MatchMode::All => self.list.iter().all(Condition::is_always),
            MatchMode::Any => self.list.iter().any(Condition::is_always),
        }
    }
}
