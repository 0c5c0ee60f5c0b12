//! Patterns: translation of every pattern syntax of the rule language to
//! regex-automata, and the matchers the compiled program runs.
//!
//! [`translate`] takes the text of one pattern condition and gives a
//! [`Translated`] regex in regex-automata syntax, or a [`PatternError`]
//! with a diagnostic code. The checker calls it to report errors; the
//! compiler calls it to fill the matchers:
//!
//! - [`PatternSet`] runs every pattern test on one message field, behind
//!   one aho-corasick prefilter over the literals each pattern requires.
//! - [`WordList`] and [`BlockList`] serve `@inwordlist` and `@inblocklist`.
//! - [`GlobSet`] holds the globs of `rules.attachmentblock`.
//! - [`NetList`] holds a trust or block document.
//!
//! For a given pattern or list, every matcher runs in time linear in the
//! haystack: regex-automata and aho-corasick have no backtracking engine
//! that can blow up, and the translation rejects the constructs that would
//! need one (backreferences, lookaround, atomic groups, possessive
//! quantifiers).
//!
//! # Syntaxes
//!
//! | rule syntax | translation |
//! | --- | --- |
//! | `"text"` | case-insensitive substring test |
//! | `"*text?"` | case-insensitive glob over the whole value |
//! | `regexp:"…"` | POSIX basic syntax (see [`posix`]), case-sensitive |
//! | `eregexp:"…"` | POSIX extended syntax, case-sensitive |
//! | `eregexpi:"…"` | POSIX extended syntax, case-insensitive |
//! | `/…/flags` | regex-automata syntax with flags `i m s x` |
//!
//! The POSIX syntaxes search line by line, as grep does: `^` and `$`
//! match at the start and end of every line (`\n` or `\r\n`), and neither
//! `.` nor a negated bracket expression matches a line break.

mod error;
mod glob;
mod globset;
mod literal;
mod net;
pub mod posix;
mod regex;
mod set;
mod words;

pub use globset::{translate as translate_glob, GlobSet};
pub use net::NetList;
pub use set::{Captures, Pattern, PatternSet};
pub use words::{BlockList, WordList};

use serde::{Deserialize, Serialize};

use crate::ast::server::PatternKind;
use crate::diag::codes;
use crate::limits::Limits;

/// Reason a pattern cannot be used. `offset` is a byte offset into the pattern
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
///
/// # Examples
///
/// ```
/// use rulec::ast::server::PatternKind;
/// use rulec::limits::Limits;
/// use rulec::pattern::translate;
///
/// let limits = Limits::default();
/// let bre = translate(&PatternKind::BasicRegex, r"^\(ab\)\{2\}+", &limits).unwrap();
/// assert_eq!(bre.regex, r"(?mR)^(ab){2}\+");
/// assert_eq!(bre.groups, 1);
///
/// let error = translate(&PatternKind::ExtendedRegex, r"(a)\1", &limits).unwrap_err();
/// assert_eq!(error.code, "E0109");
/// assert_eq!(error.offset, Some(3));
/// ```
pub fn translate(
    kind: &PatternKind,
    text: &str,
    limits: &Limits,
) -> Result<Translated, PatternError> {
    let key = CacheKey {
        kind: kind.clone(),
        text: text.to_string(),
        max_pattern_bytes: limits.max_pattern_bytes,
        max_regex_bytes: limits.max_regex_bytes,
    };
    if let Some(known) = cache::get(&key) {
        return known;
    }
    let result = translate_uncached(kind, text, limits);
    cache::put(key, &result);
    result
}

/// Inputs a translation depends on: the same key always gives the same
/// result, so `rulec compile` need not repeat the checker's work.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    kind: PatternKind,
    text: String,
    max_pattern_bytes: usize,
    max_regex_bytes: usize,
}

/// The translations made so far in this process. Checking a pattern
/// builds its NFA, most of the cost of checking a rule file; compiling
/// the same rules after checking them finds every translation here.
mod cache {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};

    use super::{CacheKey, PatternError, Translated};

    /// Entries kept at most; past this the cache starts over, so memory
    /// stays bounded however many rule sets one process reads.
    const MAX_ENTRIES: usize = 100_000;

    type Entries = HashMap<CacheKey, Result<Translated, PatternError>>;

    fn entries() -> &'static Mutex<Entries> {
        static ENTRIES: OnceLock<Mutex<Entries>> = OnceLock::new();
        ENTRIES.get_or_init(Mutex::default)
    }

    pub(super) fn get(key: &CacheKey) -> Option<Result<Translated, PatternError>> {
        entries().lock().ok()?.get(key).cloned()
    }

    pub(super) fn put(key: CacheKey, result: &Result<Translated, PatternError>) {
        // NOTE: a poisoned lock only loses the cache, never a result.
        if let Ok(mut entries) = entries().lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, result.clone());
        }
    }
}

fn translate_uncached(
    kind: &PatternKind,
    text: &str,
    limits: &Limits,
) -> Result<Translated, PatternError> {
    if text.len() > limits.max_pattern_bytes {
        return Err(too_long(text, limits));
    }

    let mapped = match kind {
        PatternKind::Simple => glob::translate_simple(text),
        PatternKind::BasicRegex => posix::translate(text, posix::Dialect::Basic, false)?,
        PatternKind::ExtendedRegex => posix::translate(text, posix::Dialect::Extended, false)?,
        PatternKind::ExtendedRegexIgnoreCase => {
            posix::translate(text, posix::Dialect::Extended, true)?
        }
        PatternKind::Perl { flags } => regex::translate_perl(text, flags)?,
    };
    regex::validate(&mapped, text, limits)
}

/// Builds the error for pattern text over `max_pattern_bytes`.
fn too_long(text: &str, limits: &Limits) -> PatternError {
    PatternError {
        code: codes::PATTERN_TOO_LARGE,
        offset: None,
        message: format!(
            "pattern is {} bytes long, over the limit of {} bytes",
            text.len(),
            limits.max_pattern_bytes
        ),
        help: Some(
            "split the pattern into several rules, or raise `max_pattern_bytes` \
             in the `[limits]` table of rulec.toml"
                .to_string(),
        ),
    }
}

/// A translated regex together with, for each of its bytes, the byte
/// offset in the rule's pattern text it came from, so that a regex-syntax
/// error can point into the text the administrator wrote.
#[derive(Debug, Default)]
pub(crate) struct Mapped {
    pub regex: String,
    /// `origins[i]` is the pattern-text offset of `regex.as_bytes()[i]`.
    pub origins: Vec<usize>,
}

impl Mapped {
    /// Appends `text`, all of it coming from pattern offset `origin`.
    pub fn push(&mut self, text: &str, origin: usize) {
        self.regex.push_str(text);
        self.origins.resize(self.regex.len(), origin);
    }

    /// Appends one character of the pattern text, escaped when regex-syntax
    /// gives it a meaning.
    pub fn push_literal(&mut self, c: char, origin: usize) {
        let mut buffer = [0u8; 4];
        let escaped = regex_syntax::escape(c.encode_utf8(&mut buffer));
        self.push(&escaped, origin);
    }

    /// Maps an offset into `regex` back to the pattern text.
    pub fn origin(&self, offset: usize, text_len: usize) -> usize {
        self.origins.get(offset).copied().unwrap_or(text_len)
    }
}
