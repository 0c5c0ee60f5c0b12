//! The `/pattern/flags` syntax, and the last step of every translation:
//! parsing the regex-automata text and building it within the limits.

use regex_automata::meta;
use regex_automata::nfa::thompson::{self, Compiler};
use regex_syntax::ast::{self, Ast};
use regex_syntax::hir::{Class, Hir, HirKind};
use regex_syntax::utf8::Utf8Sequences;

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
    if nfa_bound(&hir) <= limit {
        return Ok(Translated {
            regex: mapped.regex.clone(),
            groups,
        });
    }
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

/// Returns an upper bound, in bytes, of what the Thompson compiler's
/// builder counts against `nfa_size_limit` while it compiles the forward
/// NFA of `hir`: its states, their transitions and the alternates of its
/// unions. Building the NFA costs far more than this walk over the HIR,
/// so [`validate`] builds it only when the bound does not already show
/// that the pattern fits.
///
/// The count follows the compiler's construction (one state per literal
/// byte, two per capture, a union and an end per repetition or
/// alternation, one sparse state per node of the UTF-8 trie of a Unicode
/// class) and then doubles every size, so it stays above the real figure
/// even where the compiler shares states. The recursion is as deep as the
/// HIR nests, which regex-syntax's nest limit (250) bounds.
fn nfa_bound(hir: &Hir) -> usize {
    /// Bytes counted per state, per transition and per union alternate:
    /// twice the sizes of the builder's `State`, `Transition` and
    /// `StateID`, none of which is over 32, 8 and 4 bytes.
    const STATE: usize = 64;
    const TRANSITION: usize = 16;
    const ALTERNATE: usize = 8;
    /// The states of the unanchored prefix, group 0, the match state and
    /// the start states the compiler adds around every pattern.
    const FIXED: usize = 16;

    fn states(hir: &Hir) -> (usize, usize) {
        // (states, bytes of transitions and alternates)
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => (1, 0),
            HirKind::Literal(literal) => (literal.0.len().max(1), 0),
            HirKind::Class(Class::Bytes(class)) => (2, class.ranges().len() * TRANSITION),
            HirKind::Class(Class::Unicode(class)) => {
                let ranges: usize = class
                    .iter()
                    .flat_map(|range| Utf8Sequences::new(range.start(), range.end()))
                    .map(|sequence| sequence.as_slice().len())
                    .sum();
                (ranges.saturating_add(2), ranges.saturating_mul(TRANSITION))
            }
            HirKind::Capture(capture) => {
                let (inner, extra) = states(&capture.sub);
                (inner.saturating_add(2), extra)
            }
            HirKind::Concat(subs) => subs.iter().map(states).fold((1, 0), add),
            HirKind::Alternation(subs) => {
                let (inner, extra) = subs.iter().map(states).fold((2, 0), add);
                (
                    inner,
                    extra.saturating_add(subs.len().saturating_mul(ALTERNATE)),
                )
            }
            HirKind::Repetition(repetition) => {
                let (inner, extra) = states(&repetition.sub);
                let min = repetition.min as usize;
                let (copies, optional) = match repetition.max {
                    Some(max) => (max as usize, (max - repetition.min.min(max)) as usize),
                    None => (min.saturating_add(1), 2),
                };
                let copies = copies.max(1);
                (
                    inner
                        .saturating_mul(copies)
                        .saturating_add(optional)
                        .saturating_add(3),
                    extra
                        .saturating_mul(copies)
                        .saturating_add(optional.saturating_add(2).saturating_mul(2 * ALTERNATE)),
                )
            }
        }
    }

    fn add(total: (usize, usize), part: (usize, usize)) -> (usize, usize) {
        (
            total.0.saturating_add(part.0),
            total.1.saturating_add(part.1),
        )
    }

    let (count, extra) = states(hir);
    count
        .saturating_add(FIXED)
        .saturating_mul(STATE)
        .saturating_add(extra)
        .saturating_add(FIXED * ALTERNATE)
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
fn measure(hir: &Hir, limit: usize) -> Option<usize> {
    Compiler::new()
        .configure(forward_config(limit.saturating_mul(8)))
        .build_from_hir(hir)
        .ok()
        .map(|nfa| nfa.memory_usage())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pattern whose bound lets `validate` skip building its NFA
    /// must build within that bound.
    #[test]
    fn bound_is_above_the_builders_count() {
        let patterns = [
            r"(?i)\bgobena\W{1,3}bulk\b",
            r"(?imR)wire[0-9]{2,3}[a-z]*",
            r"(?i)\$\s?\d{4,}(?:,\d{3})*\s+urgent",
            r"(?i)(budget|exclusive|verify) +(card|wholesale|zedilu)",
            r"(?is)\A.*natapa.*vusime.*\z",
            r"\w+@\w+\.(?:com|net|org)",
            r"(?i)kiss|\p{Greek}{2,5}|[^\n]{0,40}",
            r"(?:,[^,]{1,9}){3}",
            r"(?u)\W{10}",
            r"[\x{100}-\x{10FFFF}]+x?",
            "",
            "a{0}",
            r"(?:a|b?){5,}",
        ];
        for pattern in patterns {
            let hir = regex_syntax::parse(pattern).unwrap();
            let bound = nfa_bound(&hir);
            let built = Compiler::new()
                .configure(forward_config(bound))
                .build_from_hir(&hir);
            assert!(
                built.is_ok(),
                "{pattern} does not build within {bound} bytes"
            );
        }
    }

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
