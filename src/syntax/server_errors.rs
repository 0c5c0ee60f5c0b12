//! Turning pest errors on a rule line into E0001 diagnostics.
//!
//! pest reports the furthest position it reached and the grammar rules it
//! tried there. Each rule has a human name below; the message lists the
//! distinct names and the text found at that position, for example
//! "expected an action such as SET, INJECT, NDN or DONE, found `FOO`".

use pest::error::{Error, ErrorVariant, InputLocation};

use super::server::LineContext;
use super::server_grammar::Rule as G;
use crate::diag::{codes, Diagnostic};

/// Builds the diagnostic for a line that pest rejected.
pub(super) fn syntax_error(context: &LineContext, error: &Error<G>) -> Diagnostic {
    let text = context.line.text;
    let position = match error.location {
        InputLocation::Pos(position) => position,
        InputLocation::Span((start, _)) => start,
    }
    .min(text.len());
    let token = found_token(&text[position..]);
    let span = context.span(position, position + token.len());
    let found = if token.is_empty() {
        "end of line".to_string()
    } else {
        format!("`{token}`")
    };

    let message = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let expected = expected_names(positives);
            if expected.is_empty() {
                format!("unexpected {found}")
            } else {
                format!("expected {}, found {found}", join_alternatives(&expected))
            }
        }
        ErrorVariant::CustomError { message } => {
            format!("rule line is too complex to parse ({message})")
        }
    };
    let diagnostic = Diagnostic::error(codes::SYNTAX, span, message);
    match help_for(error, token) {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// Returns the human names of the rules pest tried, without repeats, in
/// grammar order with "end of line" last. An unclosed string or pattern
/// names only the missing delimiter, as the other rules pest tried inside
/// the string would only distract from it.
fn expected_names(positives: &[G]) -> Vec<&'static str> {
    for closing in [G::closing_quote, G::closing_slash, G::closing_brace] {
        if positives.contains(&closing) {
            return vec![rule_name(closing)];
        }
    }
    let mut rules = positives.to_vec();
    rules.sort_by_key(|&rule| (rule == G::EOI, rule));
    let mut names: Vec<&'static str> = Vec::new();
    for rule in rules {
        let name = rule_name(rule);
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    if names.contains(&PATTERN) {
        names.retain(|&name| name != PERL_PATTERN);
    }
    names
}

const PATTERN: &str = "a pattern such as \"text\", regexp:\"…\" or /pattern/";
const PERL_PATTERN: &str = "a /pattern/";

/// Joins names as "a, b or c".
fn join_alternatives(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [only] => (*only).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Returns the text at the error position worth quoting: a word, a quoted string
/// (up to its closing quote), or a run of punctuation. At most 30
/// characters.
fn found_token(rest: &str) -> &str {
    const MAX_CHARS: usize = 30;
    let Some(first) = rest.chars().next() else {
        return "";
    };
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let end = if is_word(first) || first == '$' || first == '@' {
        rest.char_indices()
            .skip(1)
            .find(|&(_, c)| !(is_word(c) || c == '.' || c == '-'))
            .map_or(rest.len(), |(index, _)| index)
    } else if first == '"' {
        rest.char_indices()
            .skip(1)
            .find(|&(_, c)| c == '"')
            .map_or(rest.len(), |(index, _)| index + 1)
    } else {
        rest.char_indices()
            .find(|&(_, c)| c.is_whitespace() || is_word(c) || c == '"' || c == '$')
            .map_or(rest.len(), |(index, _)| index)
            .max(first.len_utf8())
    };
    let end = rest[..end]
        .char_indices()
        .nth(MAX_CHARS)
        .map_or(end, |(index, _)| index);
    &rest[..end]
}

/// Returns a human name for each grammar rule, as it reads after "expected".
/// Rules that only appear inside others map to their context.
fn rule_name(rule: G) -> &'static str {
    match rule {
        G::EOI => "end of line",
        G::rule_line | G::selector => "a rule line",
        G::colon => "`:`",
        G::condition | G::pattern_condition => {
            "a condition (\"text\", regexp:\"…\", /pattern/ or IF (…))"
        }
        G::if_condition | G::kw_if => "IF",
        G::simple_pattern
        | G::basic_regex
        | G::extended_regex
        | G::extended_regex_nocase
        | G::quoted_pattern => PATTERN,
        G::perl_pattern => PERL_PATTERN,
        G::pattern_text | G::perl_text => "pattern text",
        G::closing_quote => "a closing `\"`",
        G::closing_slash => "a closing `/`",
        G::closing_brace => "a closing `}`",
        G::perl_flags => "pattern flags",
        G::expr
        | G::or_expr
        | G::and_expr
        | G::cmp_expr
        | G::sum_expr
        | G::unary_expr
        | G::paren_expr
        | G::int => "an expression",
        G::or_op | G::and_op | G::cmp_op | G::sum_op | G::match_op => "an operator",
        G::not_op | G::negate_op => "an expression",
        G::variable | G::var_name => "a variable such as $spamlevel",
        G::call | G::function | G::func_name => "a function call such as @inblocklist(…)",
        G::lparen => "`(`",
        G::rparen => "`)`",
        G::comma => "`,`",
        G::string => "a quoted string",
        G::string_text | G::capture_ref | G::escape | G::braced_var | G::dollar => "string text",
        G::actions
        | G::set_action
        | G::inject_action
        | G::replace_action
        | G::ndn_action
        | G::discard_header
        | G::discard_message
        | G::spam_action
        | G::done_action
        | G::kw_set
        | G::kw_inject
        | G::kw_replace
        | G::kw_ndn => "an action such as SET, INJECT, NDN or DONE",
        G::assignment => "an assignment such as $spamlevel += 10",
        G::assign_op => "`=`, `+=` or `-=`",
        G::kw_not => "NOT",
        G::and_kw => "AND",
        // Silent rules never reach an error report.
        G::WHITESPACE
        | G::trailing_comment
        | G::pattern
        | G::inline_space
        | G::primary
        | G::prefix_op
        | G::name_char
        | G::string_part
        | G::action
        | G::ident_char => "",
    }
}

/// Returns a hint for common mistakes that the expected names alone do not
/// explain. `found` is the text at the error position.
fn help_for(error: &Error<G>, found: &str) -> Option<&'static str> {
    let ErrorVariant::ParsingError { positives, .. } = &error.variant else {
        return None;
    };
    if positives.contains(&G::closing_quote) {
        return Some("close the string with `\"`; write `\\\"` for a quote inside it");
    }
    if positives.contains(&G::closing_brace) {
        return Some("close the name with `}`, or write `\\$` for a literal `$`");
    }
    if positives.contains(&G::closing_slash) {
        return Some("close the pattern with `/`; write `\\/` for a slash inside it");
    }

    let expects_pattern = positives.iter().any(|&rule| rule_name(rule) == PATTERN);
    if expects_pattern && found.eq_ignore_ascii_case("IF") {
        return Some("NOT cannot come before IF; negate inside the parentheses: `IF (NOT (…))`");
    }

    let regex_prefix = ["regexp", "eregexp", "eregexpi"];
    if regex_prefix
        .iter()
        .any(|prefix| found.eq_ignore_ascii_case(prefix))
    {
        return Some("a regex condition has a colon before its quoted pattern: `eregexp:\"…\"`");
    }
    if found == "=" && positives.contains(&G::cmp_op) {
        return Some("compare with `==`, because a single `=` assigns and belongs in SET");
    }

    let in_set_value = positives.contains(&G::and_kw) && !positives.contains(&G::rparen);
    let comparison = ["==", "!=", "<", ">", "&&", "||"];
    let is_comparison =
        comparison.iter().any(|op| found.starts_with(op)) || found.eq_ignore_ascii_case("OR");
    if in_set_value && positives.contains(&G::sum_op) && is_comparison {
        return Some(
            "the value of a SET is a sum; put a comparison or logic in parentheses: \
             `SET $a = ($b == 1)`",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn found_token_takes_one_word() {
        assert_eq!(found_token("FOO bar"), "FOO");
        assert_eq!(found_token("$a.b == 1"), "$a.b");
        assert_eq!(found_token("== 1"), "==");
        assert_eq!(found_token("\"x y\" z"), "\"x y\"");
        assert_eq!(found_token(""), "");
    }

    #[test]
    fn alternatives_join_with_or() {
        assert_eq!(join_alternatives(&["a", "b", "c"]), "a, b or c");
        assert_eq!(join_alternatives(&["a"]), "a");
    }
}
