//! AST of the list documents: `rules.subjectblock`, `lists.NAME`,
//! `rules.attachmentblock` and the trust and block documents.
//!
//! Each is one entry per line; blank lines and lines starting with `#` are
//! skipped. Entries keep their spans so the checker can report duplicates
//! and invalid lines.

use serde::Serialize;

use crate::span::Span;

/// One parsed list document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListDocument {
    pub kind: ListKind,
    pub entries: Vec<ListEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ListKind {
    /// `rules.subjectblock`: words or phrases for `@inblocklist`.
    SubjectBlock,
    /// `lists.NAME`: words or phrases for `@inwordlist`.
    WordList,
    /// `rules.attachmentblock`: file-name globs.
    AttachmentBlock,
    /// `rules.trusted`: IPs, CIDR ranges, addresses and domains to trust.
    Trusted,
    /// `rules.blocked`: IPs, CIDR ranges, addresses and domains to block.
    Blocked,
}

/// One line of a list document, trimmed of surrounding white space.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListEntry {
    pub value: ListValue,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ListValue {
    /// A word, phrase or glob (subject block, word lists, attachment block).
    Text(String),
    /// An IP address (v4 or v6) or a CIDR range; `prefix` is the full
    /// length for a single address.
    Network {
        address: std::net::IpAddr,
        prefix: u8,
    },
    /// A mail address, `local@domain`, stored lower-cased.
    Address(String),
    /// A domain, stored lower-cased; it also matches its subdomains.
    Domain(String),
}
