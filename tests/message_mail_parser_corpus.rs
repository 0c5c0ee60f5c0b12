//! Every message of mail-parser's own test set (shipped in its crate, so
//! it is in the cargo registry wherever rulec builds) through the message
//! view, every accessor and the rewriter.
//!
//! Each file is checked for properties that must hold on any input; the
//! failures of all files are collected and reported together.

use std::path::{Path, PathBuf};

use rulec::limits::Limits;
use rulec::message::{rewrite, Envelope, Message};
use rulec::verdict::HeaderChanges;

/// Finds `resources` of mail-parser 0.11 in the cargo registry: `.eml`
/// files and a small Maildir.
fn mail_parser_messages() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .expect("CARGO_HOME or HOME is set");
    let registry = cargo_home.join("registry/src");
    let mut found = Vec::new();
    for index in std::fs::read_dir(&registry).expect("cargo registry sources") {
        let index = index.expect("registry entry").path();
        for krate in std::fs::read_dir(&index).into_iter().flatten().flatten() {
            let name = krate.file_name().to_string_lossy().into_owned();
            if name.starts_with("mail-parser-0.11.") {
                found.push(krate.path().join("resources"));
            }
        }
    }
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!(
            "mail-parser 0.11 sources not found under {}",
            registry.display()
        )
    })
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable test directory")
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_files(&path, out);
        } else if path.extension().is_none_or(|ext| ext != "json")
            && path.file_name().is_some_and(|name| name != "COPYING")
        {
            out.push(path);
        }
    }
}

/// Runs every accessor on one message; returns what looked wrong.
fn check_message(raw: &[u8], limits: &Limits) -> Vec<String> {
    let mut problems = Vec::new();
    let envelope = Envelope {
        sender: Some(String::new()),
        recipients: Vec::new(),
        ..Envelope::default()
    };
    let message = Message::parse(raw, envelope, limits);

    for header in message.headers() {
        if header.name.is_empty() {
            problems.push("header with an empty name".to_owned());
        }
        if header.raw.contains('\n') || header.value.contains('\n') {
            problems.push(format!("header {} is not unfolded", header.name));
        }
    }
    if message.headers().len() > limits.max_headers {
        problems.push("more headers than max_headers".to_owned());
    }
    if let Some(id) = message.message_id() {
        if !(id.starts_with('<') && id.ends_with('>')) {
            problems.push(format!("message id without brackets: {id}"));
        }
    }
    let _ = (
        message.subject(),
        message.from(),
        message.to(),
        message.cc(),
    );
    for field in ["From", "To", "Cc", "Reply-To", "Sender"] {
        for address in message.addresses(field) {
            if address.address.is_empty() || address.address.contains(char::is_whitespace) {
                problems.push(format!("bad {field} address {:?}", address.address));
            }
        }
    }
    let _ = message.date();
    if message.size() > raw.len() {
        problems.push("size above the input length".to_owned());
    }
    let _ = message.recipient_count();
    let _ = (
        message.is_auto_reply(),
        message.is_list_mail(),
        message.is_bounce(),
    );
    if !message.is_bounce() {
        problems.push("null envelope sender is not a bounce".to_owned());
    }

    let mut paths: Vec<&str> = Vec::new();
    for attachment in message.attachments() {
        if attachment.content_type != attachment.content_type.to_ascii_lowercase()
            || !attachment.content_type.contains('/')
        {
            problems.push(format!("content type {:?}", attachment.content_type));
        }
        if attachment.part_path.is_empty() || paths.contains(&attachment.part_path.as_str()) {
            problems.push(format!(
                "part path {:?} empty or repeated",
                attachment.part_path
            ));
        }
        paths.push(&attachment.part_path);
    }
    if message.attachments().len() > limits.max_attachments {
        problems.push("more attachments than max_attachments".to_owned());
    }
    if message.links().len() > limits.max_links {
        problems.push("more links than max_links".to_owned());
    }
    if message.body_text().len() > limits.max_body_text_bytes {
        problems.push("body text above max_body_text_bytes".to_owned());
    }

    problems.extend(check_rewrite(raw, &message, limits));
    problems
}

/// Checks that an empty rewrite keeps every byte and that removing every
/// attachment leaves none that had a name.
fn check_rewrite(raw: &[u8], message: &Message<'_>, limits: &Limits) -> Vec<String> {
    let mut problems = Vec::new();
    let unchanged = rewrite(raw, &HeaderChanges::default(), &[], "");
    if unchanged != raw {
        problems.push("an empty rewrite changed the bytes".to_owned());
    }

    let removed: Vec<String> = message
        .attachments()
        .iter()
        .map(|attachment| attachment.part_path.clone())
        .collect();
    let changes = HeaderChanges {
        add: vec![("X-SPAM-Level".to_owned(), "7".to_owned())],
        ..HeaderChanges::default()
    };
    let out = rewrite(raw, &changes, &removed, "");
    let rewritten = Message::parse(&out, Envelope::default(), limits);
    if rewritten.header("X-SPAM-Level").map(|h| h.value.as_str()) != Some("7") {
        problems.push("added header missing after rewrite".to_owned());
    }

    // A cut message or attachment list hides some attachments from the
    // view, and those stay.
    if message.attachments().len() < limits.max_attachments && !message.is_truncated() {
        let left: Vec<String> = rewritten
            .attachments()
            .iter()
            .filter_map(|attachment| attachment.name.clone())
            .collect();
        if !left.is_empty() {
            problems.push(format!("attachments left after removal: {left:?}"));
        }
    }
    problems
}

fn to_crlf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 20);
    for (index, &byte) in raw.iter().enumerate() {
        if byte == b'\n' && (index == 0 || raw[index - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(byte);
    }
    out
}

#[test]
fn mail_parser_test_messages() {
    let root = mail_parser_messages();
    let mut files = Vec::new();
    collect_files(&root, &mut files);
    assert!(
        files.len() > 100,
        "found only {} files under {}",
        files.len(),
        root.display()
    );

    let limits = Limits::default();
    let small = Limits {
        max_message_bytes: 700,
        max_headers: 5,
        max_attachments: 2,
        max_links: 3,
        max_body_text_bytes: 50,
        ..Limits::default()
    };
    let mut failures = Vec::new();
    for path in &files {
        let raw = std::fs::read(path).expect("readable test message");
        // mail-parser's own tests run each file with LF and with CRLF.
        let crlf = to_crlf(&raw);
        let variants = [
            ("default limits", &limits, &raw),
            ("small limits", &small, &raw),
            ("CRLF", &limits, &crlf),
        ];
        for (label, limits, bytes) in variants {
            for problem in check_message(bytes, limits) {
                failures.push(format!("{} ({label}): {problem}", path.display()));
            }
        }
    }
    println!("checked {} mail-parser test messages", files.len());
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
