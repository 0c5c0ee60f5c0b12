//! The `/pattern/flags` syntax, and the last step of every translation:
//! parsing the regex-automata text and building it within the limits.

use regex_automata::meta;

use super::{error, Mapped, PatternError, Translated};
use crate::limits::Limits;

/// Translates `/text/flags`: the text is regex-automata syntax already, so
/// only the flags become an inline group in front of it.
pub fn translate_perl(text: &str, flags: &str) -> Result<Mapped, PatternError> {
    let mut inline = String::new();
    for flag in flags.chars() {
        if !matches!(flag, 'i' | 'm' | 's' | 'x') {
            return Err(error::unknown_flag(flag));
        }
        if !inline.contains(flag) {
            inline.push(flag);
        }
    }

    let mut mapped = Mapped::default();
    if !inline.is_empty() {
        mapped.push(&format!("(?{inline})"), 0);
    }
    for (offset, c) in text.char_indices() {
        let mut buffer = [0u8; 4];
        mapped.push(c.encode_utf8(&mut buffer), offset);
    }
    Ok(mapped)
}

/// Builds the regex of a translated pattern the way every matcher does.
///
/// # Errors
///
/// Fails when the regex is invalid or its NFA needs more than
/// `max_regex_bytes`; [`translate`](super::translate) has already ruled
/// both out for every regex it returns.
pub fn build(regex: &str, max_regex_bytes: usize) -> Result<meta::Regex, Box<meta::BuildError>> {
    meta::Regex::builder()
        .configure(meta::Config::new().nfa_size_limit(Some(max_regex_bytes)))
        .build(regex)
        .map_err(Box::new)
}

/// Parses and builds a translated regex, turning every failure into a
/// [`PatternError`] that points into `text`, the pattern as written.
pub fn validate(mapped: &Mapped, text: &str, limits: &Limits) -> Result<Translated, PatternError> {
    let hir = match regex_syntax::parse(&mapped.regex) {
        Ok(hir) => hir,
        Err(syntax_error) => return Err(locate(&syntax_error, mapped, text)),
    };
    let groups = hir.properties().explicit_captures_len();

    if let Err(build_error) = build(&mapped.regex, limits.max_regex_bytes) {
        return Err(match build_error.size_limit() {
            Some(limit) => error::too_large(measure(&hir, limit), limit),
            None => error::invalid(0, format!("invalid regex: {build_error}"), None),
        });
    }
    Ok(Translated {
        regex: mapped.regex.clone(),
        groups,
    })
}

/// Converts a regex-syntax error on the translated regex to one on the
/// pattern text, with the construct the error's span covers.
fn locate(syntax_error: &regex_syntax::Error, mapped: &Mapped, text: &str) -> PatternError {
    let span = match syntax_error {
        regex_syntax::Error::Parse(e) => *e.span(),
        regex_syntax::Error::Translate(e) => *e.span(),
        _ => return error::invalid(0, "invalid regex", None),
    };
    let start = mapped.origin(span.start.offset, text.len());
    // The end maps to the origin of the span's last byte, plus that
    // character's own length.
    let end = if span.end.offset > span.start.offset {
        let last = mapped.origin(span.end.offset - 1, text.len());
        let width = text
            .get(last..)
            .and_then(|rest| rest.chars().next())
            .map_or(0, char::len_utf8);
        last + width
    } else {
        start
    };
    let construct = text.get(start..end.max(start)).unwrap_or("");
    error::from_syntax(syntax_error, construct, start)
}

/// Measures the NFA size of a regex that failed `limit`, allowing up to
/// eight times the limit so the measurement itself stays bounded.
fn measure(hir: &regex_syntax::hir::Hir, limit: usize) -> Option<usize> {
    let config =
        regex_automata::nfa::thompson::Config::new().nfa_size_limit(Some(limit.saturating_mul(8)));
    regex_automata::nfa::thompson::Compiler::new()
        .configure(config)
        .build_from_hir(hir)
        .ok()
        .map(|nfa| nfa.memory_usage())
}
