//! The verdict: what the rules decided about one message.
//!
//! Its JSON form is a contract (one object per message in `rulec run`
//! output). Field names and meanings stay; new fields may be added.

use serde::{Deserialize, Serialize};

use crate::config::Band;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The input the message came from; `path#N` for the Nth message of an
    /// mbox (1-based).
    pub input: String,
    /// The Message-ID header with its angle brackets, or `null`.
    pub message_id: Option<String>,
    pub disposition: Disposition,
    /// Set when `disposition` is `reject`.
    pub reply: Option<Reply>,
    pub spam: Spam,
    pub headers: HeaderChanges,
    /// File names of the attachments that `rules.attachmentblock` removed.
    pub attachments_removed: Vec<String>,
    /// One entry per user whose rules ran, in the order given.
    pub users: Vec<UserResult>,
    /// Rule lines that fired, in firing order; only with `--explain`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fired: Option<Vec<Fired>>,
    /// Run-time limits this message hit, such as the instruction budget.
    /// Absent when none was hit.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub limits_hit: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Disposition {
    Accept,
    Reject,
    /// Accepted at SMTP level, then dropped silently (`$IsSpammer = 1`).
    Discard,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub code: u16,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spam {
    pub level: i64,
    pub band: Band,
    /// Test names in firing order, without `;` separators.
    pub tests: Vec<String>,
    /// Set by the `SPAM` action.
    pub junk: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct HeaderChanges {
    /// Headers to add, as `[name, value]`.
    pub add: Vec<(String, String)>,
    /// Headers whose value is replaced (or added when absent).
    pub replace: Vec<(String, String)>,
    /// Names of headers to drop. One entry per dropped occurrence.
    pub remove: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserResult {
    pub user: String,
    pub actions: Vec<UserAction>,
}

/// A rule line that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fired {
    pub file: String,
    pub line: u32,
    /// The text the rule's pattern matched, when it had one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub matched: Option<String>,
}

/// What one user's rules decided, in the order the actions ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum UserAction {
    FileInto {
        folder: String,
    },
    DeleteSilently,
    SetPriority {
        priority: Priority,
    },
    SetIcon {
        icon: String,
    },
    Notify {
        message: String,
    },
    Forward {
        to: String,
    },
    Redirect {
        to: String,
    },
    AutoReply {
        text: String,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        subject_prefix: Option<String>,
    },
    MarkRead,
    Stop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Urgent,
    High,
    Normal,
    Low,
}
