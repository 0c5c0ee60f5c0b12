//! Tests of the list-document parser: single entries with exact
//! assertions, and folder-driven snapshots of whole documents under
//! `tests/syntax/lists/`, whose file extension names the list kind.

use std::fmt::Write as _;
use std::net::IpAddr;
use std::path::Path;

use rulec::ast::lists::{ListDocument, ListKind, ListValue};
use rulec::diag::{codes, Diagnostic};
use rulec::limits::Limits;
use rulec::span::{FileId, SourceFile};

fn parse_with(kind: ListKind, text: &str, limits: &Limits) -> (ListDocument, Vec<Diagnostic>) {
    let source = SourceFile::new("list", text);
    rulec::syntax::lists::parse(kind, FileId(0), &source, limits)
}

fn parse(kind: ListKind, text: &str) -> (ListDocument, Vec<Diagnostic>) {
    parse_with(kind, text, &Limits::default())
}

/// Parses one trust-list line that must be valid.
fn trusted(line: &str) -> ListValue {
    let (list, diagnostics) = parse(ListKind::Trusted, line);
    assert_eq!(diagnostics, vec![], "diagnostics for {line:?}");
    assert_eq!(list.entries.len(), 1, "entries for {line:?}");
    list.entries[0].value.clone()
}

/// Parses one trust-list line that must be invalid.
fn rejected(line: &str) -> Diagnostic {
    let (list, mut diagnostics) = parse(ListKind::Blocked, line);
    assert!(
        list.entries.is_empty(),
        "entries for {line:?}: {:?}",
        list.entries
    );
    assert_eq!(diagnostics.len(), 1, "diagnostics for {line:?}");
    diagnostics.remove(0)
}

fn network(address: &str, prefix: u8) -> ListValue {
    ListValue::Network {
        address: address.parse::<IpAddr>().unwrap(),
        prefix,
    }
}

#[test]
fn text_lists_keep_trimmed_lines() {
    for kind in [
        ListKind::SubjectBlock,
        ListKind::WordList,
        ListKind::AttachmentBlock,
    ] {
        let (list, diagnostics) = parse(kind, "  ADV:  \n# comment\n\n*.exe\r\nfree money\n");
        assert!(diagnostics.is_empty());
        let values: Vec<ListValue> = list.entries.iter().map(|e| e.value.clone()).collect();
        assert_eq!(
            values,
            vec![
                ListValue::Text("ADV:".into()),
                ListValue::Text("*.exe".into()),
                ListValue::Text("free money".into()),
            ],
            "{kind:?}"
        );
        assert_eq!(list.kind, kind);
    }
}

#[test]
fn entry_span_is_trimmed_value() {
    let (list, _) = parse(ListKind::WordList, "# c\n\t  free money  \n");
    let span = list.entries[0].span;
    assert_eq!((span.line, span.column, span.end_column), (2, 4, 14));
    assert_eq!((span.start, span.end), (7, 17));
}

#[test]
fn ip_addresses() {
    assert_eq!(trusted("192.0.2.1"), network("192.0.2.1", 32));
    assert_eq!(trusted("2001:db8::1"), network("2001:db8::1", 128));
    assert_eq!(
        trusted("::ffff:192.0.2.1"),
        network("::ffff:192.0.2.1", 128)
    );
}

#[test]
fn cidr_ranges() {
    assert_eq!(trusted("192.0.2.0/24"), network("192.0.2.0", 24));
    assert_eq!(trusted("2001:db8::/32"), network("2001:db8::", 32));
    assert_eq!(trusted("0.0.0.0/0"), network("0.0.0.0", 0));
    assert_eq!(trusted("10.0.0.0/8"), network("10.0.0.0", 8));
}

#[test]
fn mail_addresses_are_lower_cased() {
    assert_eq!(
        trusted("Postmaster@Example.ORG"),
        ListValue::Address("postmaster@example.org".into())
    );
    assert_eq!(
        trusted("first.last+tag@mail.example.com"),
        ListValue::Address("first.last+tag@mail.example.com".into())
    );
}

#[test]
fn domains_are_lower_cased_and_stripped() {
    for line in [
        "Example.COM",
        "*.example.com",
        ".example.com",
        "example.com.",
    ] {
        assert_eq!(
            trusted(line),
            ListValue::Domain("example.com".into()),
            "{line:?}"
        );
    }
    assert_eq!(
        trusted("mail-1.sub_x.example.co.uk"),
        ListValue::Domain("mail-1.sub_x.example.co.uk".into())
    );
}

#[test]
fn invalid_entries_name_value_and_formats() {
    let cases = [
        ("192.0.2.0/33", "prefix length `33`"),
        ("2001:db8::/129", "prefix length `129`"),
        ("192.0.2.0/+8", "prefix length `+8`"),
        ("192.0.2/24", "not an IP address"),
        ("192.0.2", "neither a valid IP address nor a domain"),
        ("300.1.2.3", "neither a valid IP address nor a domain"),
        ("localhost", "has no dot"),
        ("fe80::1%eth0", "not a valid IP address"),
        ("bad domain.com", "character ' ' is not allowed"),
        ("ex..com", "empty label"),
        ("-bad.com", "starts or ends with `-`"),
        ("@example.com", "nothing before the `@`"),
        ("*@example.com", "write the domain `example.com`"),
        ("user@", "the domain is empty"),
        ("a b@example.com", "not a valid local part"),
        ("mail.*.com", "character '*' is not allowed"),
    ];
    for (line, reason) in cases {
        let diagnostic = rejected(line);
        assert_eq!(diagnostic.code, codes::INVALID_LIST_ENTRY, "{line:?}");
        assert!(
            diagnostic.message.contains(&format!("`{line}`")),
            "message for {line:?} does not name it: {}",
            diagnostic.message
        );
        assert!(
            diagnostic.message.contains(reason),
            "message for {line:?} lacks {reason:?}: {}",
            diagnostic.message
        );
        let help = diagnostic.help.as_deref().unwrap_or("");
        assert!(help.contains("CIDR range"), "help for {line:?}: {help}");
    }
}

#[test]
fn invalid_entry_does_not_stop_the_list() {
    let (list, diagnostics) = parse(ListKind::Trusted, "bad\nexample.com\nworse\n10.0.0.1\n");
    assert_eq!(list.entries.len(), 2);
    let lines: Vec<u32> = diagnostics.iter().map(|d| d.span.line).collect();
    assert_eq!(lines, vec![1, 3]);
}

#[test]
fn entries_over_limit_give_one_error() {
    let limits = Limits {
        max_list_entries: 3,
        ..Limits::default()
    };
    let text = "a\n# c\nb\nc\nd\ne\nf\n";
    let (list, diagnostics) = parse_with(ListKind::WordList, text, &limits);
    assert_eq!(list.entries.len(), 3);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, codes::TOO_MANY_LIST_ENTRIES);
    assert_eq!(diagnostics[0].span.line, 5);
    assert!(
        diagnostics[0].message.contains('3'),
        "{}",
        diagnostics[0].message
    );
}

#[test]
fn entries_at_limit_are_fine() {
    let limits = Limits {
        max_list_entries: 3,
        ..Limits::default()
    };
    let (list, diagnostics) = parse_with(ListKind::WordList, "a\nb\nc\n", &limits);
    assert_eq!(list.entries.len(), 3);
    assert!(diagnostics.is_empty());
}

#[test]
fn empty_document() {
    let (list, diagnostics) = parse(ListKind::Blocked, "");
    assert!(list.entries.is_empty());
    assert!(diagnostics.is_empty());
}

// ---------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------

fn kind_for(extension: &str) -> Option<ListKind> {
    match extension {
        "subjectblock" => Some(ListKind::SubjectBlock),
        "wordlist" => Some(ListKind::WordList),
        "attachmentblock" => Some(ListKind::AttachmentBlock),
        "trusted" => Some(ListKind::Trusted),
        "blocked" => Some(ListKind::Blocked),
        _ => None,
    }
}

fn render(source: &SourceFile, list: &ListDocument, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    writeln!(out, "kind: {:?}", list.kind).unwrap();
    for entry in &list.entries {
        let span = entry.span;
        let value = match &entry.value {
            ListValue::Text(text) => format!("text {text:?}"),
            ListValue::Network { address, prefix } => format!("network {address}/{prefix}"),
            ListValue::Address(address) => format!("address {address}"),
            ListValue::Domain(domain) => format!("domain {domain}"),
        };
        let text = &source.text[span.start as usize..span.end as usize];
        writeln!(
            out,
            "{}:{}-{} {value} `{text}`",
            span.line, span.column, span.end_column
        )
        .unwrap();
    }
    for diagnostic in diagnostics {
        let span = diagnostic.span;
        writeln!(
            out,
            "{} {}:{}-{}: {}",
            diagnostic.code, span.line, span.column, span.end_column, diagnostic.message
        )
        .unwrap();
        if let Some(help) = &diagnostic.help {
            writeln!(out, "  help: {help}").unwrap();
        }
    }
    out
}

/// Runs every case under `tests/syntax/lists/` against its snapshot. All
/// cases run even when one fails; the failures are listed at the end.
#[test]
fn list_cases_match_snapshots() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/syntax/lists");
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .expect("tests/syntax/lists exists")
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 5, "found only {} list cases", paths.len());

    let mut failed = Vec::new();
    for path in &paths {
        let extension = path.extension().unwrap_or_default().to_string_lossy();
        let kind = kind_for(&extension)
            .unwrap_or_else(|| panic!("{} has no known list extension", path.display()));
        let name = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace('.', "_");
        let text = std::fs::read_to_string(path).unwrap();
        let source = SourceFile::new("list", text);
        let (list, diagnostics) =
            rulec::syntax::lists::parse(kind, FileId(0), &source, &Limits::default());
        let rendered = render(&source, &list, &diagnostics);
        let result = std::panic::catch_unwind(|| {
            insta::with_settings!({ input_file => path, prepend_module_to_snapshot => true }, {
                insta::assert_snapshot!(name.clone(), rendered);
            });
        });
        if result.is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "snapshots differ for: {failed:?}");
}
