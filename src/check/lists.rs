//! Checks of the list documents: duplicate entries (W0005). Syntax errors
//! and the entry limit are reported by the list parser.

use std::collections::HashMap;
use std::net::IpAddr;

use crate::ast::lists::{ListDocument, ListKind, ListValue};
use crate::diag::{codes, Diagnostic};
use crate::ruleset::{Loaded, RuleSet};

/// Checks every list document of a rule set.
pub fn check(set: &RuleSet) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let documents = [
        &set.subject_block,
        &set.attachment_block,
        &set.trusted,
        &set.blocked,
    ];
    for loaded in documents.into_iter().flatten() {
        diagnostics.extend(duplicate_entries(loaded));
    }
    for loaded in set.word_lists.values() {
        diagnostics.extend(duplicate_entries(loaded));
    }
    diagnostics
}

/// W0005: entries that match exactly what an earlier entry matches.
fn duplicate_entries(loaded: &Loaded<ListDocument>) -> Vec<Diagnostic> {
    let document = &loaded.ast;
    let mut diagnostics = Vec::new();
    let mut first_lines: HashMap<String, u32> = HashMap::new();
    for entry in &document.entries {
        let key = entry_key(document.kind, &entry.value);
        match first_lines.get(&key) {
            Some(&line) => diagnostics.push(
                Diagnostic::warning(
                    codes::DUPLICATE_LIST_ENTRY,
                    entry.span,
                    format!(
                        "entry {} repeats the entry on line {line}",
                        describe(&entry.value)
                    ),
                )
                .with_help("remove one of the two"),
            ),
            None => {
                first_lines.insert(key, entry.span.line);
            }
        }
    }
    diagnostics
}

/// The key under which two entries match the same things. Word lists and
/// attachment globs ignore case; word-list phrases also ignore the amount
/// of white space between words. The subject block keeps case, because
/// `@inblocklist(text, 1)` matches case-sensitively. Networks compare by
/// the range they cover.
fn entry_key(kind: ListKind, value: &ListValue) -> String {
    match value {
        ListValue::Text(text) => match kind {
            ListKind::SubjectBlock => text.clone(),
            ListKind::WordList => text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
            _ => text.to_lowercase(),
        },
        ListValue::Network { address, prefix } => {
            format!("net {}/{prefix}", network_address(*address, *prefix))
        }
        ListValue::Address(address) => format!("address {}", address.to_lowercase()),
        ListValue::Domain(domain) => format!("domain {}", domain.to_lowercase()),
    }
}

/// The first address of the range `address/prefix`.
fn network_address(address: IpAddr, prefix: u8) -> IpAddr {
    match address {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let mask = u32::MAX
                .checked_shl(32 - u32::from(prefix.min(32)))
                .unwrap_or(0);
            IpAddr::V4((bits & mask).into())
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let mask = u128::MAX
                .checked_shl(128 - u32::from(prefix.min(128)))
                .unwrap_or(0);
            IpAddr::V6((bits & mask).into())
        }
    }
}

fn describe(value: &ListValue) -> String {
    match value {
        ListValue::Text(text) => format!("{text:?}"),
        ListValue::Network { address, prefix } => format!("`{address}/{prefix}`"),
        ListValue::Address(address) => format!("`{address}`"),
        ListValue::Domain(domain) => format!("`{domain}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_compare_by_range() {
        let a = ListValue::Network {
            address: "10.1.2.3".parse().expect("valid IP"),
            prefix: 8,
        };
        let b = ListValue::Network {
            address: "10.0.0.0".parse().expect("valid IP"),
            prefix: 8,
        };
        assert_eq!(
            entry_key(ListKind::Trusted, &a),
            entry_key(ListKind::Trusted, &b)
        );
    }

    #[test]
    fn zero_prefix_covers_everything() {
        let any = "192.0.2.1".parse().expect("valid IP");
        assert_eq!(network_address(any, 0).to_string(), "0.0.0.0");
    }

    #[test]
    fn word_lists_ignore_case_and_spacing() {
        let a = ListValue::Text("Free  Money".into());
        let b = ListValue::Text("free money".into());
        assert_eq!(
            entry_key(ListKind::WordList, &a),
            entry_key(ListKind::WordList, &b)
        );
        assert_ne!(
            entry_key(ListKind::SubjectBlock, &a),
            entry_key(ListKind::SubjectBlock, &b)
        );
    }
}
