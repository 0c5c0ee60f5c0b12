//! Builders for [`PatternError`]: one per kind of problem, so that every
//! message names the construct and the limit in the same words.

use regex_syntax::ast::ErrorKind as AstErrorKind;
use regex_syntax::hir::ErrorKind as HirErrorKind;

use super::PatternError;
use crate::diag::codes;

const BACKREFERENCE_HELP: &str = "rulec matches in linear time and has no backreferences; \
     repeat the group's pattern instead, or test the two parts with two rules";

const LOOKAROUND_HELP: &str = "rulec matches in linear time and has no lookaround; \
     match the surrounding text as part of the pattern, or test it with a second rule \
     (a `NOT` condition or `!~` for a negative test)";

/// Builds the error for a backreference such as `\1` at `offset` in the
/// pattern text.
pub fn backreference(construct: &str, offset: usize) -> PatternError {
    PatternError {
        code: codes::UNSUPPORTED_REGEX,
        offset: Some(offset),
        message: format!("backreference `{construct}` at offset {offset} is not supported"),
        help: Some(BACKREFERENCE_HELP.to_string()),
    }
}

/// Builds the error for a lookahead or lookbehind group opened by
/// `construct` (`(?=` …).
pub fn lookaround(construct: &str, offset: usize) -> PatternError {
    let name = match construct {
        "(?=" => "lookahead",
        "(?!" => "negative lookahead",
        "(?<=" => "lookbehind",
        "(?<!" => "negative lookbehind",
        _ => "lookaround",
    };
    PatternError {
        code: codes::UNSUPPORTED_REGEX,
        offset: Some(offset),
        message: format!("{name} `{construct}` at offset {offset} is not supported"),
        help: Some(LOOKAROUND_HELP.to_string()),
    }
}

/// Builds the error for invalid syntax found while translating POSIX
/// syntax.
pub fn invalid(offset: usize, message: impl Into<String>, help: Option<&str>) -> PatternError {
    PatternError {
        code: codes::INVALID_REGEX,
        offset: Some(offset),
        message: message.into(),
        help: help.map(str::to_string),
    }
}

/// Builds the error for a flag letter after `/pattern/` that is not one
/// of `i m s x`.
pub fn unknown_flag(flag: char) -> PatternError {
    PatternError {
        code: codes::UNKNOWN_REGEX_FLAG,
        offset: None,
        message: format!("unknown regex flag `{flag}`"),
        help: Some(
            "the flags are `i` (ignore case), `m` (`^` and `$` match at line breaks), \
             `s` (`.` matches a line break) and `x` (ignore white space and `#` comments)"
                .to_string(),
        ),
    }
}

/// Builds the error for a compiled regex over `max_regex_bytes`. `size`
/// is the size the regex needs, when it could be measured.
pub fn too_large(size: Option<usize>, limit: usize) -> PatternError {
    // The limit bounds the memory used while the automaton is built, which
    // can exceed the size of the finished automaton: then that size is
    // under the limit and would contradict the message, so it is left out.
    let message = match size {
        Some(size) if size > limit => {
            format!("compiled pattern needs {size} bytes, over the limit of {limit} bytes")
        }
        Some(_) => {
            format!("building the compiled pattern needs more than the limit of {limit} bytes")
        }
        None => format!("compiled pattern needs more than 8 times the limit of {limit} bytes"),
    };
    PatternError {
        code: codes::PATTERN_TOO_LARGE,
        offset: None,
        message,
        help: Some(
            "large counted repetitions such as `{1000}` and Unicode classes such as `\\w` \
             grow the automaton; use smaller counts or ASCII classes (`[[:alnum:]]`), \
             or raise `max_regex_bytes` in the `[limits]` table of rulec.toml"
                .to_string(),
        ),
    }
}

/// Recognises a Perl construct that regex-syntax does not know, at
/// `offset` in the pattern `text` where parsing failed, so that the error
/// can name it instead of calling it an unknown escape or flag.
pub fn perl_construct(text: &str, offset: usize) -> Option<PatternError> {
    let rest = text.get(offset..)?;
    let group = text.get(..offset)?.ends_with("(?");
    if rest.starts_with(r"\k") || rest.starts_with(r"\g") {
        return Some(backreference(&rest[..2], offset));
    }
    if group && rest.starts_with("P=") {
        return Some(backreference("(?P=", offset - 2));
    }
    if group && rest.starts_with('>') {
        return Some(PatternError {
            code: codes::UNSUPPORTED_REGEX,
            offset: Some(offset - 2),
            message: format!(
                "atomic group `(?>` at offset {} is not supported",
                offset - 2
            ),
            help: Some(
                "rulec matches in linear time and never backtracks; a plain group \
                 `(?:…)` is the nearest rewrite, though it can match texts the atomic \
                 group would not"
                    .to_string(),
            ),
        });
    }
    if group && rest.starts_with('#') {
        return Some(invalid(
            offset - 2,
            format!(
                "comment group `(?#` at offset {} is not supported",
                offset - 2
            ),
            Some("use the `x` flag and write the comment after `#` at the end of a line"),
        ));
    }
    if rest.starts_with(r"\Q") || rest.starts_with(r"\E") {
        return Some(invalid(
            offset,
            format!("quoting with `\\Q…\\E` at offset {offset} is not supported"),
            Some("escape each special character with a backslash instead"),
        ));
    }
    if rest.starts_with(r"\Z") {
        return Some(invalid(
            offset,
            format!("`\\Z` at offset {offset} is not supported"),
            Some("use `\\z` for the end of the text, or `$`"),
        ));
    }
    None
}

/// Builds the error for a possessive quantifier such as `a++`, which
/// regex-syntax would read as a repetition of a repetition.
pub fn possessive(construct: &str, offset: usize) -> PatternError {
    PatternError {
        code: codes::UNSUPPORTED_REGEX,
        offset: Some(offset),
        message: format!("possessive quantifier `{construct}` at offset {offset} is not supported"),
        help: Some(
            "rulec matches in linear time and never backtracks; drop the last `+` \
             (write `a+` for `a++`), which can match texts the possessive form would not"
                .to_string(),
        ),
    }
}

/// Converts a regex-syntax error, whose span is `offset` bytes into the
/// pattern text and covers `construct`, to a [`PatternError`].
pub fn from_syntax(error: &regex_syntax::Error, construct: &str, offset: usize) -> PatternError {
    match error {
        regex_syntax::Error::Parse(error) => match error.kind() {
            AstErrorKind::UnsupportedBackreference => backreference(construct, offset),
            AstErrorKind::UnsupportedLookAround => lookaround(construct, offset),
            kind => invalid(
                offset,
                format!("{} at offset {offset}", parse_message(kind)),
                None,
            ),
        },
        regex_syntax::Error::Translate(error) => invalid(
            offset,
            format!("{} at offset {offset}", translate_message(error.kind())),
            None,
        ),
        _ => invalid(offset, format!("invalid regex at offset {offset}"), None),
    }
}

/// Words a parse error as rulec messages read: lowercase, naming the
/// construct, without regex-syntax's internal terms.
fn parse_message(kind: &AstErrorKind) -> String {
    match kind {
        AstErrorKind::CaptureLimitExceeded => "too many capture groups".to_string(),
        AstErrorKind::ClassEscapeInvalid => {
            "this escape is not allowed inside a bracket expression".to_string()
        }
        AstErrorKind::ClassRangeInvalid => {
            "invalid range in bracket expression: the start is after the end".to_string()
        }
        AstErrorKind::ClassRangeLiteral => {
            "a range in a bracket expression must be between two characters".to_string()
        }
        AstErrorKind::ClassUnclosed => "unclosed bracket expression `[`".to_string(),
        AstErrorKind::DecimalEmpty | AstErrorKind::DecimalInvalid => {
            "expected a decimal number".to_string()
        }
        AstErrorKind::EscapeHexEmpty
        | AstErrorKind::EscapeHexInvalid
        | AstErrorKind::EscapeHexInvalidDigit => "invalid hexadecimal escape".to_string(),
        AstErrorKind::EscapeUnexpectedEof => "pattern ends with a lone backslash".to_string(),
        AstErrorKind::EscapeUnrecognized => "unknown escape sequence".to_string(),
        AstErrorKind::FlagDanglingNegation
        | AstErrorKind::FlagRepeatedNegation { .. }
        | AstErrorKind::FlagUnexpectedEof
        | AstErrorKind::FlagUnrecognized => "invalid inline flag group `(?…)`".to_string(),
        AstErrorKind::FlagDuplicate { .. } => "inline flag given twice".to_string(),
        AstErrorKind::GroupNameDuplicate { .. } => "duplicate capture group name".to_string(),
        AstErrorKind::GroupNameEmpty
        | AstErrorKind::GroupNameInvalid
        | AstErrorKind::GroupNameUnexpectedEof => "invalid capture group name".to_string(),
        AstErrorKind::GroupUnclosed => "unclosed group: `(` has no matching `)`".to_string(),
        AstErrorKind::GroupUnopened => "unopened group: `)` has no matching `(`".to_string(),
        AstErrorKind::NestLimitExceeded(limit) => {
            format!("groups and repetitions nested more than {limit} deep")
        }
        AstErrorKind::RepetitionCountInvalid => {
            "invalid repetition count: the minimum is larger than the maximum".to_string()
        }
        AstErrorKind::RepetitionCountDecimalEmpty | AstErrorKind::RepetitionCountUnclosed => {
            "invalid repetition count `{…}`".to_string()
        }
        AstErrorKind::RepetitionMissing => "repetition operator has nothing to repeat".to_string(),
        AstErrorKind::SpecialWordBoundaryUnclosed
        | AstErrorKind::SpecialWordBoundaryUnrecognized
        | AstErrorKind::SpecialWordOrRepetitionUnexpectedEof => {
            "invalid word boundary `\\b{…}`".to_string()
        }
        AstErrorKind::UnicodeClassInvalid => "invalid Unicode class `\\p{…}`".to_string(),
        other => format!("invalid regex: {other}"),
    }
}

fn translate_message(kind: &HirErrorKind) -> String {
    match kind {
        HirErrorKind::UnicodePropertyNotFound | HirErrorKind::UnicodePropertyValueNotFound => {
            "unknown Unicode property".to_string()
        }
        HirErrorKind::InvalidUtf8 => "pattern can match bytes that are not valid UTF-8".to_string(),
        other => format!("invalid regex: {other}"),
    }
}
