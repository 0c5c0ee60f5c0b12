//! Parser of the list documents: `rules.subjectblock`, `lists.NAME`,
//! `rules.attachmentblock` and the trust and block documents.
//!
//! A list document is one entry per line, with no syntax inside a line, so
//! this is a hand-written line reader rather than a pest grammar: pest
//! would add nothing but a dependency on its error wording. Each line is
//! trimmed of white space. Blank lines and lines whose first non-blank
//! character is `#` are skipped, so an entry cannot start with `#`.
//!
//! Word lists, the subject block and the attachment block keep each line as
//! text. Trust and block documents accept, one per line:
//!
//! ```text
//! 192.0.2.1            an IPv4 or IPv6 address
//! 2001:db8::/32        a CIDR range
//! Postmaster@Example.org   a mail address, stored lower-cased
//! example.com          a domain and its subdomains, stored lower-cased;
//! *.example.com        `*.` or `.` in front means the same
//! ```

use std::net::IpAddr;

use super::lines::{is_blank_or_comment, lines};
use crate::ast::lists::{ListDocument, ListEntry, ListKind, ListValue};
use crate::diag::{codes, Diagnostic};
use crate::limits::Limits;
use crate::span::{FileId, SourceFile, Span};

/// Parses one list document of the given kind.
///
/// Returns the valid entries in file order and one diagnostic per invalid
/// line (E0113). Past `limits.max_list_entries` entries, reading stops
/// with one E0204 error at the first entry over the limit.
///
/// # Examples
///
/// ```
/// use rulec::ast::lists::{ListKind, ListValue};
/// use rulec::limits::Limits;
/// use rulec::span::{FileId, SourceFile};
///
/// let source = SourceFile::new("rules.trusted", "# partners\n*.Example.COM\n");
/// let (list, diagnostics) =
///     rulec::syntax::lists::parse(ListKind::Trusted, FileId(0), &source, &Limits::default());
/// assert!(diagnostics.is_empty());
/// assert_eq!(list.entries[0].value, ListValue::Domain("example.com".into()));
/// ```
pub fn parse(
    kind: ListKind,
    file: FileId,
    source: &SourceFile,
    limits: &Limits,
) -> (ListDocument, Vec<Diagnostic>) {
    let mut entries = Vec::new();
    let mut diagnostics = Vec::new();
    let mut count = 0usize;
    for line in lines(&source.text) {
        if is_blank_or_comment(line.text) {
            continue;
        }
        let value = line.text.trim();
        let start = line.start + (line.text.len() - line.text.trim_start().len());
        let span = source.span(file, start, start + value.len());

        count += 1;
        if count > limits.max_list_entries {
            diagnostics.push(too_many_entries(span, limits.max_list_entries));
            break;
        }
        match read_entry(kind, value) {
            Ok(value) => entries.push(ListEntry { value, span }),
            Err(reason) => diagnostics.push(invalid_entry(kind, value, &reason, span)),
        }
    }
    (ListDocument { kind, entries }, diagnostics)
}

fn read_entry(kind: ListKind, value: &str) -> Result<ListValue, String> {
    match kind {
        ListKind::SubjectBlock | ListKind::WordList | ListKind::AttachmentBlock => {
            Ok(ListValue::Text(value.to_string()))
        }
        ListKind::Trusted | ListKind::Blocked => read_network_entry(value),
    }
}

/// Reads a trust or block entry. On failure returns the reason, worded to
/// follow "invalid entry `…`: ".
fn read_network_entry(value: &str) -> Result<ListValue, String> {
    if let Some((address, prefix)) = value.split_once('/') {
        return read_cidr(address, prefix);
    }
    if let Ok(address) = value.parse::<IpAddr>() {
        return Ok(ListValue::Network {
            address,
            prefix: full_prefix(address),
        });
    }
    if let Some((local, domain)) = value.rsplit_once('@') {
        return read_mail_address(local, domain);
    }
    // A domain never has a colon, so this was meant as an IPv6 address.
    if value.contains(':') {
        return Err(format!("`{value}` is not a valid IP address"));
    }
    let domain = value
        .strip_prefix("*.")
        .or_else(|| value.strip_prefix('.'))
        .unwrap_or(value);
    read_domain(domain).map(ListValue::Domain)
}

fn full_prefix(address: IpAddr) -> u8 {
    match address {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

fn read_cidr(address: &str, prefix: &str) -> Result<ListValue, String> {
    let Ok(address) = address.parse::<IpAddr>() else {
        return Err(format!("`{address}` before the `/` is not an IP address"));
    };
    let max = full_prefix(address);
    // Digits only: `u8` parsing would also take `+8`.
    let digits = !prefix.is_empty() && prefix.bytes().all(|byte| byte.is_ascii_digit());
    match prefix.parse::<u8>() {
        Ok(prefix) if digits && prefix <= max => Ok(ListValue::Network { address, prefix }),
        _ => Err(format!(
            "the prefix length `{prefix}` is not a number from 0 to {max}"
        )),
    }
}

fn read_mail_address(local: &str, domain: &str) -> Result<ListValue, String> {
    if local.is_empty() {
        return Err("the mail address has nothing before the `@`".to_string());
    }
    if local.contains('*') || local.contains('?') {
        return Err(format!(
            "wildcards are not supported in mail addresses; write the domain `{domain}` \
             alone to match every address at it"
        ));
    }
    if local
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:@\"".contains(c))
    {
        return Err(format!(
            "`{local}` is not a valid local part of a mail address"
        ));
    }
    let domain = read_domain(domain)?;
    Ok(ListValue::Address(format!(
        "{}@{domain}",
        local.to_lowercase()
    )))
}

/// Checks a domain name and returns it lower-cased, without a trailing
/// dot. It needs at least two labels, and the last label must not be all
/// digits, so that a malformed IPv4 address such as `192.0.2` is reported
/// instead of being read as a domain.
fn read_domain(domain: &str) -> Result<String, String> {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    if domain.is_empty() {
        return Err("the domain is empty".to_string());
    }
    if domain.len() > 253 {
        return Err("the domain is longer than 253 characters".to_string());
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err(format!(
            "`{domain}` is not a full domain name (it has no dot)"
        ));
    }
    for label in &labels {
        check_label(label)?;
    }
    if labels
        .last()
        .is_some_and(|last| last.bytes().all(|byte| byte.is_ascii_digit()))
    {
        return Err(format!(
            "`{domain}` is neither a valid IP address nor a domain"
        ));
    }
    Ok(domain.to_lowercase())
}

fn check_label(label: &str) -> Result<(), String> {
    if label.is_empty() {
        return Err("the domain has an empty label (two dots in a row)".to_string());
    }
    if label.len() > 63 {
        return Err(format!(
            "the domain label `{label}` is longer than 63 characters"
        ));
    }
    if label.starts_with('-') || label.ends_with('-') {
        return Err(format!(
            "the domain label `{label}` starts or ends with `-`"
        ));
    }
    if let Some(bad) = label
        .chars()
        .find(|&c| !(c.is_alphanumeric() || c == '-' || c == '_'))
    {
        return Err(format!(
            "the character {bad:?} is not allowed in a domain name"
        ));
    }
    Ok(())
}

fn invalid_entry(kind: ListKind, value: &str, reason: &str, span: Span) -> Diagnostic {
    let document = match kind {
        ListKind::Blocked => "block list",
        _ => "trust list",
    };
    Diagnostic::error(
        codes::INVALID_LIST_ENTRY,
        span,
        format!("invalid {document} entry `{value}`: {reason}"),
    )
    .with_help(
        "write one entry per line: an IP address (192.0.2.1, 2001:db8::1), a CIDR range \
         (192.0.2.0/24, 2001:db8::/32), a mail address (user@example.com) or a domain \
         (example.com; *.example.com and .example.com mean the same)",
    )
}

fn too_many_entries(span: Span, limit: usize) -> Diagnostic {
    Diagnostic::error(
        codes::TOO_MANY_LIST_ENTRIES,
        span,
        format!("list has more than {limit} entries; this entry and the rest are ignored"),
    )
    .with_help("split the list, or raise `max_list_entries` in the `[limits]` table of rulec.toml")
}
