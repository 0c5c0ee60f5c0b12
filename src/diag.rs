//! Diagnostics: what the front end reports about a rule set.
//!
//! A [`Diagnostic`] contains data only: a stable code, a severity, a span, a
//! message that names the offending value, and an optional help line. The
//! binary renders them as human text, JSON or GitHub annotations; the
//! library never prints.

use serde::Serialize;

use crate::span::Span;

/// Severity of a diagnostic. Errors make `rulec check` exit with 1;
/// warnings do so only under `--deny-warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem found in a rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code such as `E0101`; see [`codes`].
    pub code: &'static str,
    pub severity: Severity,
    pub span: Span,
    /// Description of the problem, naming the value, e.g. ``unknown function `@inwordlst` ``.
    pub message: String,
    /// Suggested fix, when one can be given.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            span,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Warning,
            span,
            message: message.into(),
            help: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
}

/// Sorts diagnostics by file, then position, then code, so output order is
/// stable whatever order the passes found them in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.file, a.span.start, a.span.end, a.code).cmp(&(
            b.span.file,
            b.span.start,
            b.span.end,
            b.code,
        ))
    });
}

/// The stable diagnostic codes. `E` codes are errors, `W` codes warnings.
/// Codes are never reused for a different meaning; the language reference
/// in `docs/` has an example of each.
pub mod codes {
    // Reading and syntax of any rule-set file.
    /// A line does not parse.
    pub const SYNTAX: &str = "E0001";
    /// A file contains bytes that are not valid UTF-8.
    pub const INVALID_UTF8: &str = "E0002";
    /// A selector before the colon is neither a header name nor one of
    /// `^ * @ < > .` or empty.
    pub const UNKNOWN_SELECTOR: &str = "E0003";
    /// A file could not be read.
    pub const IO: &str = "E0004";
    /// Two files of a rule set whose names differ only in case.
    pub const DUPLICATE_FILE: &str = "E0005";
    /// A carriage return not followed by a line feed: editors show it as a
    /// line break, but rulec does not, so it can hide a rule in a comment.
    pub const LONE_CARRIAGE_RETURN: &str = "E0006";

    // Server rules: names, types and patterns.
    pub const UNKNOWN_FUNCTION: &str = "E0101";
    pub const ARGUMENT_COUNT: &str = "E0102";
    pub const TYPE_MISMATCH: &str = "E0103";
    /// A pattern condition on `^`, the empty selector or `.`, which have no
    /// data to test.
    pub const PATTERN_WITHOUT_DATA: &str = "E0104";
    pub const READ_ONLY_VARIABLE: &str = "E0105";
    pub const LIST_NOT_FOUND: &str = "E0106";
    /// A list name that is absolute or contains a path separator or `..`.
    pub const LIST_OUTSIDE_RULE_SET: &str = "E0107";
    pub const INVALID_REGEX: &str = "E0108";
    /// Backreferences and lookaround need a backtracking engine.
    pub const UNSUPPORTED_REGEX: &str = "E0109";
    /// A `$Form.Config.ID.FIELD` name with an unknown field.
    pub const UNKNOWN_CONFIG_FIELD: &str = "E0110";
    /// `\N` in an action string where the rule has no regex test or the
    /// regex has fewer than N groups.
    pub const INVALID_CAPTURE_REFERENCE: &str = "E0111";
    /// `DISCARDHEADER` on a selector that has no current header.
    pub const DISCARDHEADER_WITHOUT_HEADER: &str = "E0112";
    /// A line of a list, attachment or trust document that is not valid.
    pub const INVALID_LIST_ENTRY: &str = "E0113";
    pub const UNKNOWN_REGEX_FLAG: &str = "E0114";
    /// `rulec.toml` is not valid.
    pub const INVALID_CONFIG: &str = "E0115";
    /// An `INJECT` or `REPLACE` string that is not `Name: value`.
    pub const INVALID_HEADER_TEXT: &str = "E0116";
    /// An `NDN` reply text with a line break or a control character.
    pub const INVALID_REPLY_TEXT: &str = "E0117";
    /// A per-event variable (`$header`, `$value`, `$attachname`,
    /// `$attachtype`, `$linkurl`, `$body`) read in a rule of another event.
    pub const VARIABLE_OUTSIDE_EVENT: &str = "E0118";
    /// The list-name argument of `@inwordlist` is not a string literal.
    pub const LIST_NAME_NOT_LITERAL: &str = "E0119";

    // Limits.
    pub const FILE_TOO_LARGE: &str = "E0201";
    pub const TOO_MANY_RULES: &str = "E0202";
    pub const PATTERN_TOO_LARGE: &str = "E0203";
    pub const TOO_MANY_LIST_ENTRIES: &str = "E0204";
    pub const EXPRESSION_TOO_DEEP: &str = "E0205";

    // Warnings on server rules.
    pub const VARIABLE_NEVER_SET: &str = "W0001";
    pub const UNREACHABLE_RULE: &str = "W0002";
    pub const DUPLICATE_RULE: &str = "W0003";
    /// A file in the rule-set directory that rulec does not read.
    pub const UNKNOWN_FILE: &str = "W0004";
    pub const DUPLICATE_LIST_ENTRY: &str = "W0005";
    /// A rule-set directory without `rules.mailrules`.
    pub const NO_SERVER_RULES: &str = "W0006";
    /// A variable of the administrator's that is set but never read.
    pub const VARIABLE_NEVER_READ: &str = "W0007";

    // User tier codes live in the E05xx and W05xx range; see `check::user`.
    /// A line out of place in a personal rule, or a rule without its `if`
    /// or `then` part.
    pub const USER_RULE_STRUCTURE: &str = "E0501";
    /// A personal-rule field name that rulec does not know.
    pub const UNKNOWN_FIELD: &str = "E0502";
    /// A comparison that does not suit the field, such as `subject over 5`.
    pub const COMPARISON_MISMATCH: &str = "E0503";
    /// A value that does not suit the field or comparison, such as an
    /// unknown spam band or a duration without a unit.
    pub const INVALID_VALUE: &str = "E0504";
    /// An address part on a field without addresses, such as
    /// `subject domain`.
    pub const INVALID_FIELD_PART: &str = "E0505";
    /// Actions of one rule that cannot both happen, such as
    /// `delete silently` and `file into`.
    pub const CONFLICTING_ACTIONS: &str = "E0506";
    /// A `file into` folder that is empty, absolute, has a `..` segment
    /// or a control character.
    pub const INVALID_FOLDER: &str = "E0507";
    /// A `forward to` or `redirect to` target that is not a mail address.
    pub const INVALID_ADDRESS: &str = "E0508";
    /// An action text (reply, notification, icon, subject prefix) that is
    /// empty where text is needed, too long or has control characters.
    pub const INVALID_ACTION_TEXT: &str = "E0509";
    /// A personal rule with more actions than `max_user_actions`.
    pub const TOO_MANY_ACTIONS: &str = "E0510";
    /// A personal rule that never runs because an earlier rule always
    /// stops or deletes.
    pub const UNREACHABLE_USER_RULE: &str = "W0501";
    /// Two personal rules with the same name.
    pub const DUPLICATE_RULE_NAME: &str = "W0502";
    /// An action that changes nothing, such as `stop` after
    /// `delete silently` or the same action twice.
    pub const REDUNDANT_ACTION: &str = "W0503";
}
