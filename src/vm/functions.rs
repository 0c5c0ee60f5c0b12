//! The `@` functions, and the calls into the pattern matchers.

use crate::message::Header;
use crate::pattern::{NetList, PatternSet, WordList};
use crate::program::bytecode::Builtin;
use crate::program::Lists;

use super::value::Value;

/// Runs a function on its arguments (as many as [`Builtin::arity`]).
pub(crate) fn call(builtin: Builtin, args: &[Value], lists: &Lists, headers: &[Header]) -> Value {
    let first = args.first().map(Value::text).unwrap_or_default();
    match builtin {
        Builtin::IsTrustedIp => Value::from_bool(in_network(lists.trusted.as_ref(), &first)),
        Builtin::IsTrustedAddress => Value::from_bool(
            lists
                .trusted
                .as_ref()
                .is_some_and(|list| list.contains_address(&first)),
        ),
        Builtin::IsBlockedIp => Value::from_bool(in_network(lists.blocked.as_ref(), &first)),
        Builtin::IsBlockedAddress => Value::from_bool(
            lists
                .blocked
                .as_ref()
                .is_some_and(|list| list.contains_address(&first)),
        ),
        Builtin::InBlockList => {
            let case_sensitive = args.get(1).is_some_and(Value::is_true);
            Value::from_bool(
                lists
                    .subject_block
                    .as_ref()
                    .is_some_and(|list| list.contains(&first, case_sensitive)),
            )
        }
        Builtin::HasHeader => Value::from_bool(
            headers
                .iter()
                .any(|header| header.name.eq_ignore_ascii_case(&first)),
        ),
        Builtin::HeaderCount => {
            let count = headers
                .iter()
                .filter(|header| header.name.eq_ignore_ascii_case(&first))
                .count();
            Value::Int(count as i64)
        }
        Builtin::IsUpper => Value::from_bool(is_upper(&first)),
        Builtin::Len => Value::Int(first.chars().count() as i64),
        Builtin::Lower => Value::Str(first.to_lowercase()),
        Builtin::Domain => Value::Str(domain(&first)),
    }
}

/// True when `ip` lies in a network of `list`. An IP address is ASCII, so
/// other text is in no network and is not parsed at all.
fn in_network(list: Option<&NetList>, ip: &str) -> bool {
    ip.is_ascii() && list.is_some_and(|list| list.contains_ip(ip))
}

/// True when the text has at least one letter and no lower-case letter.
fn is_upper(text: &str) -> bool {
    text.chars().any(char::is_alphabetic) && !text.chars().any(char::is_lowercase)
}

/// Returns the part of an address after its last `@`, without angle brackets or
/// a trailing dot, in lower case; "" when there is no `@`.
fn domain(address: &str) -> String {
    let address = address.trim().trim_start_matches('<').trim_end_matches('>');
    match address.rsplit_once('@') {
        Some((_, domain)) => domain.trim_end_matches('.').to_ascii_lowercase(),
        None => String::new(),
    }
}

pub(crate) fn in_word_list(list: &WordList, text: &str) -> bool {
    list.contains(text)
}

/// Runs pattern `index` of `set` on `text` and returns the whole match and
/// its groups as strings, with "" for a group that took no part. Returns
/// `None` when the pattern does not match.
pub(crate) fn captures(set: &PatternSet, index: usize, text: &str) -> Option<Vec<String>> {
    let groups = set.captures(index, text)?;
    Some(
        (0..groups.len())
            .map(|group| {
                groups
                    .get(group)
                    .and_then(|range| text.get(range))
                    .unwrap_or("")
                    .to_string()
            })
            .collect(),
    )
}

/// Longest `matched` text `--explain` shows, in bytes; a longer match is
/// cut at a character boundary and ends in "…".
pub(crate) const MAX_MATCHED_BYTES: usize = 200;

/// Returns the text pattern `index` of `set` matched in `text`, for
/// `--explain`, at most [`MAX_MATCHED_BYTES`] of it; `None` for an empty
/// match such as that of `"*"`.
pub(crate) fn matched_text(set: &PatternSet, index: usize, text: &str) -> Option<String> {
    let range = set.captures(index, text)?.get(0)?;
    let matched = text.get(range)?;
    if matched.is_empty() {
        return None;
    }
    if matched.len() <= MAX_MATCHED_BYTES {
        return Some(matched.to_string());
    }
    let mut end = MAX_MATCHED_BYTES;
    while !matched.is_char_boundary(end) {
        end -= 1;
    }
    Some(format!("{}…", &matched[..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_of_addresses() {
        assert_eq!(domain("<Bob@Example.COM>"), "example.com");
        assert_eq!(domain("a@b@c.org."), "c.org");
        assert_eq!(domain("nobody"), "");
    }

    #[test]
    fn is_upper_needs_letters() {
        assert!(is_upper("FREE MONEY!!"));
        assert!(!is_upper("Free"));
        assert!(!is_upper("123"));
    }
}
