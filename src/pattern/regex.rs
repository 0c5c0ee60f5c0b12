//! The `/pattern/flags` syntax, and the last step of every translation:
//! parsing the regex-automata text and building it within the limits.

use regex_automata::meta;
use regex_automata::nfa::thompson::{self, Compiler};
use regex_syntax::ast::{self, Ast};

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
    if let Some(offset) = find_possessive(&mapped.regex) {
        let start = mapped.origin(offset, text.len());
        let construct = text.get(start.saturating_sub(1)..start + 1).unwrap_or("++");
        return Err(error::possessive(construct, start.saturating_sub(1)));
    }
    Ok(mapped)
}

/// Returns the offset of the second operator of the first possessive
/// quantifier (`a++`, `a*+`, `a?+`, `a{2}+`) in `regex`. In Perl these
/// forbid backtracking into the repetition, which changes what matches;
/// regex-syntax would read them as a repetition of a repetition. A regex
/// that does not parse gives None and fails later with its own error.
fn find_possessive(regex: &str) -> Option<usize> {
    struct Finder(Option<usize>);

    impl ast::Visitor for Finder {
        type Output = Option<usize>;
        type Err = ();

        fn finish(self) -> Result<Option<usize>, ()> {
            Ok(self.0)
        }

        fn visit_pre(&mut self, node: &Ast) -> Result<(), ()> {
            if let Ast::Repetition(outer) = node {
                let plus = outer.op.kind == ast::RepetitionKind::OneOrMore;
                if self.0.is_none() && plus && matches!(*outer.ast, Ast::Repetition(_)) {
                    self.0 = Some(outer.op.span.start.offset);
                }
            }
            Ok(())
        }
    }

    let tree = ast::parse::Parser::new().parse(regex).ok()?;
    ast::visit(&tree, Finder(None)).ok().flatten()
}

/// Builds the regex of a translated pattern the way every matcher does.
///
/// A regex that [`translate`](super::translate) accepted always builds.
/// `translate` checks the forward NFA against the limit. When the reverse
/// NFA, which only the lazy DFA needs, would exceed it, the regex is built
/// without the lazy DFA: slower to search, still linear.
///
/// # Errors
///
/// Fails when the regex is invalid or its NFA needs more than
/// `max_regex_bytes`.
pub fn build(regex: &str, max_regex_bytes: usize) -> Result<meta::Regex, Box<meta::BuildError>> {
    // The one-pass DFA and the bounded backtracker only speed up capture
    // groups, which few rules read, while building them is a large part of
    // building a regex. Without them captures come from the PikeVM.
    let config = meta::Config::new()
        .nfa_size_limit(Some(max_regex_bytes))
        .onepass(false)
        .backtrack(false);
    if let Ok(regex) = meta::Regex::builder()
        .configure(config.clone())
        .build(regex)
    {
        return Ok(regex);
    }
    meta::Regex::builder()
        .configure(config.hybrid(false).dfa(false))
        .build(regex)
        .map_err(Box::new)
}

/// Parses a translated regex and checks that its forward NFA fits the limit,
/// turning every failure into a [`PatternError`] that points into `text`,
/// the pattern as written.
///
/// Only the forward Thompson NFA is built, which costs a fraction of
/// building the whole regex (see [`build`] for the reverse one). That
/// matters because the checker translates every pattern of a rule set.
pub fn validate(mapped: &Mapped, text: &str, limits: &Limits) -> Result<Translated, PatternError> {
    let hir = match regex_syntax::parse(&mapped.regex) {
        Ok(hir) => hir,
        Err(syntax_error) => return Err(locate(&syntax_error, mapped, text)),
    };
    let groups = hir.properties().explicit_captures_len();

    let limit = limits.max_regex_bytes;
    let compiled = Compiler::new()
        .configure(forward_config(limit))
        .build_from_hir(&hir);
    if let Err(build_error) = compiled {
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

/// Returns the configuration of the forward NFA that a meta regex builds,
/// with every capture group.
fn forward_config(limit: usize) -> thompson::Config {
    thompson::Config::new()
        .nfa_size_limit(Some(limit))
        .shrink(false)
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
    if let regex_syntax::Error::Parse(_) = syntax_error {
        if let Some(named) = error::perl_construct(text, start) {
            return named;
        }
    }
    let construct = text.get(start..end.max(start)).unwrap_or("");
    error::from_syntax(syntax_error, construct, start)
}

/// Measures the NFA size of a regex that failed `limit`, allowing up to
/// eight times the limit so the measurement itself stays bounded.
fn measure(hir: &regex_syntax::hir::Hir, limit: usize) -> Option<usize> {
    Compiler::new()
        .configure(forward_config(limit.saturating_mul(8)))
        .build_from_hir(hir)
        .ok()
        .map(|nfa| nfa.memory_usage())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The finished automaton of this pattern is smaller than the default
    /// limit, but building it needs more, so the error must not quote the
    /// smaller size as being over the limit.
    #[test]
    fn size_error_never_quotes_a_size_under_the_limit() {
        let limits = Limits::default();
        let text = "(?:,[^,]{1,90}){30}";
        let mapped = translate_perl(text, "").unwrap();
        let error = validate(&mapped, text, &limits).unwrap_err();
        assert_eq!(error.code, "E0203");
        assert_eq!(
            error.message,
            format!(
                "building the compiled pattern needs more than the limit of {} bytes",
                limits.max_regex_bytes
            )
        );
        assert!(build(&mapped.regex, limits.max_regex_bytes).is_err());
    }
}
