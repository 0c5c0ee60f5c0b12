//! Limits on everything that grows with input.
//!
//! Each limit has a default here and can be changed in the `[limits]` table
//! of `rulec.toml`. Exceeding a static limit is a check error with the value
//! and the limit. Exceeding a run-time limit stops that part of the work for
//! that message and is listed in the verdict's `limits_hit`. The header,
//! attachment, MIME-depth, link and instruction limits also start the spam
//! level at `over_limit_level`, so padding a message cannot buy a clean
//! verdict.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Maximum size of one rule-set file, in bytes.
    pub max_file_bytes: u64,
    /// Maximum number of rules in `rules.mailrules`.
    pub max_server_rules: usize,
    /// Maximum number of rules in one user's file.
    pub max_user_rules: usize,
    /// Maximum length of one pattern's text, in bytes.
    pub max_pattern_bytes: usize,
    /// Maximum heap size of one compiled regex, in bytes.
    pub max_regex_bytes: usize,
    /// Maximum number of entries in one list document.
    pub max_list_entries: usize,
    /// Maximum nesting depth of an expression.
    pub max_expression_depth: usize,
    /// Bytes of a message that are scanned; the rest is ignored for
    /// matching, though the message is still delivered whole.
    pub max_message_bytes: usize,
    /// Largest message `rulec run` reads, in bytes. A larger input is an
    /// error for that message, and reading skips to the next one, so a
    /// stream such as `/dev/zero` cannot exhaust memory.
    pub max_input_bytes: usize,
    /// Headers examined per message (per MIME part for attachment headers).
    pub max_headers: usize,
    /// Attachments examined per message.
    pub max_attachments: usize,
    /// Nesting depth of MIME parts (multiparts and forwarded messages)
    /// that is walked; deeper parts are not examined.
    pub max_mime_depth: usize,
    /// Links examined per message.
    pub max_links: usize,
    /// Bytes of body text that pattern conditions see.
    pub max_body_text_bytes: usize,
    /// Instructions executed per message by the server tier, and per user
    /// by the user tier.
    pub max_instructions: u64,
    /// Actions recorded per user per message.
    pub max_user_actions: usize,
    /// Maximum length of a string value built at run time, in bytes.
    pub max_string_bytes: usize,
    /// Spam level added, with the test `OVER_LIMIT`, before the rules run
    /// on a message that has more headers, attachments or links, or
    /// deeper MIME nesting, than is examined, so padding a message past a
    /// limit cannot lower its level.
    pub over_limit_level: i64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 16 * 1024 * 1024,
            max_server_rules: 100_000,
            max_user_rules: 1_000,
            max_pattern_bytes: 4_096,
            max_regex_bytes: 1024 * 1024,
            max_list_entries: 200_000,
            max_expression_depth: 64,
            max_message_bytes: 32 * 1024 * 1024,
            max_input_bytes: 256 * 1024 * 1024,
            max_headers: 2_000,
            max_attachments: 500,
            max_mime_depth: 100,
            max_links: 5_000,
            max_body_text_bytes: 4 * 1024 * 1024,
            max_instructions: 1_000_000,
            max_user_actions: 64,
            max_string_bytes: 64 * 1024,
            over_limit_level: 100,
        }
    }
}

/// Highest accepted `max_expression_depth`. The parser, checker and
/// compiler walk expressions recursively. A debug build of `rulec` checks
/// and runs rules 250 levels deep (nested parentheses, `!` chains, long
/// `OR` chains) on its 8 MiB main-thread stack, while 700 levels overflow
/// it.
pub const MAX_EXPRESSION_DEPTH_CEILING: usize = 256;

impl Limits {
    /// Checks limits read from `rulec.toml` against the ceilings the
    /// implementation can honour.
    ///
    /// # Errors
    ///
    /// Returns a message naming the key, its value and the ceiling.
    pub fn validate(&self) -> Result<(), String> {
        if self.max_expression_depth > MAX_EXPRESSION_DEPTH_CEILING {
            return Err(format!(
                "`max_expression_depth` is {}, over the maximum of {}",
                self.max_expression_depth, MAX_EXPRESSION_DEPTH_CEILING
            ));
        }
        Ok(())
    }
}
