//! Patterns: translation of every pattern syntax of the rule language to
//! regex-automata, and the matchers the compiled program runs.
//!
//! NOTE: API skeleton; the bodies are being written.

use serde::{Deserialize, Serialize};

use crate::ast::server::PatternKind;
use crate::limits::Limits;

/// Why a pattern cannot be used. `offset` is a byte offset into the pattern
/// text, when the problem has a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// A diagnostic code from [`crate::diag::codes`].
    pub code: &'static str,
    pub offset: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

/// A pattern translated to regex-automata syntax, ready to build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translated {
    /// The pattern in regex-automata syntax, flags included (`(?i)` …).
    pub regex: String,
    /// Number of explicit capture groups (for `\1` … `\9`).
    pub groups: usize,
}

/// Translates a pattern of any syntax to regex-automata syntax and checks
/// that it builds within the limits.
///
/// # Errors
///
/// Invalid syntax, backreferences, lookaround, unknown flags, and patterns
/// over `max_pattern_bytes` or `max_regex_bytes`.
pub fn translate(
    kind: &PatternKind,
    text: &str,
    limits: &Limits,
) -> Result<Translated, PatternError> {
    let _ = (kind, text, limits);
    todo!("pattern translation")
}
