//! Message rewriting for `--emit`: header changes and attachment removal,
//! checked by parsing the output again.

use std::path::PathBuf;

use rulec::limits::Limits;
use rulec::message::{rewrite, Envelope, Message};
use rulec::verdict::HeaderChanges;

fn sample(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/messages")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

fn parse(raw: &[u8]) -> Message<'_> {
    Message::parse(raw, Envelope::default(), &Limits::default())
}

fn header_names(raw: &[u8]) -> Vec<String> {
    parse(raw)
        .headers()
        .iter()
        .map(|h| format!("{}: {}", h.name, h.value))
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

#[test]
fn no_changes_keep_every_byte() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/messages");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("sample directory") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_none_or(|ext| ext != "eml") {
            continue;
        }
        let raw = std::fs::read(&path).expect("sample file");
        let out = rewrite(&raw, &HeaderChanges::default(), &[], "");
        assert!(out == raw, "{} changed", path.display());
        count += 1;
    }
    assert!(count >= 8, "found only {count} samples");
}

#[test]
fn add_replace_remove_headers() {
    let raw = b"Received: one\r\nX-Old: 1\r\nSubject: hi\r\nX-Old: 2\r\nX-Old: 3\r\n\
                X-Tag: a\r\n\r\nbody \xff\xfe\r\n";
    let changes = HeaderChanges {
        add: pairs(&[("X-SPAM-Level", "12"), ("X-SPAM-Warning", "LOW")]),
        replace: pairs(&[("x-tag", "b"), ("X-New", "n")]),
        remove: vec!["X-Old".to_owned(), "x-old".to_owned()],
    };
    let out = rewrite(raw, &changes, &[], "");
    let expected: &[u8] = b"X-SPAM-Level: 12\r\nX-SPAM-Warning: LOW\r\nX-New: n\r\n\
                            Received: one\r\nSubject: hi\r\nX-Old: 3\r\nX-Tag: b\r\n\r\n\
                            body \xff\xfe\r\n";
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(expected)
    );
    assert!(out == expected);
}

#[test]
fn replace_drops_later_occurrences() {
    let raw = b"Subject: a\nX-Flag: 1\nX-Flag: 2\n folded\n\nbody\n";
    let changes = HeaderChanges {
        replace: pairs(&[("X-Flag", "only")]),
        ..HeaderChanges::default()
    };
    let out = rewrite(raw, &changes, &[], "");
    assert_eq!(
        String::from_utf8_lossy(&out),
        "Subject: a\nX-Flag: only\n\nbody\n"
    );
}

#[test]
fn header_values_cannot_inject_lines() {
    let raw = b"Subject: a\n\nbody\n";
    let changes = HeaderChanges {
        add: pairs(&[("X-Bad:\nName", "v\r\nBcc: victim@example.com")]),
        ..HeaderChanges::default()
    };
    let out = rewrite(raw, &changes, &[], "");
    assert_eq!(
        String::from_utf8_lossy(&out),
        "X-BadName: v  Bcc: victim@example.com\nSubject: a\n\nbody\n"
    );
}

#[test]
fn mbox_line_is_dropped() {
    let raw = b"From a@example.com Mon Nov  9 10:00:00 2026\nSubject: a\n\nbody\n";
    let changes = HeaderChanges {
        add: pairs(&[("X-A", "1")]),
        ..HeaderChanges::default()
    };
    let out = rewrite(raw, &changes, &[], "");
    assert_eq!(
        String::from_utf8_lossy(&out),
        "X-A: 1\nSubject: a\n\nbody\n"
    );
}

#[test]
fn removed_attachment_becomes_notice() {
    let raw = sample("rfc2231-filename.eml");
    let out = rewrite(&raw, &HeaderChanges::default(), &["2".to_owned()], "");
    let message = parse(&out);
    let names: Vec<&str> = message
        .attachments()
        .iter()
        .filter_map(|a| a.name.as_deref())
        .collect();
    assert_eq!(names, ["Übersicht.zip"]);
    assert_eq!(
        message.body_text(),
        "See the attached offer.\nThe attachment Angebot für März.pdf was removed by the \
         server's attachment policy."
    );
    assert_eq!(header_names(&out), header_names(&raw));
}

#[test]
fn removed_nested_attachment_keeps_siblings() {
    let raw = sample("nested-forward.eml");
    let notice = "Removed: {name}";
    let out = rewrite(
        &raw,
        &HeaderChanges::default(),
        &["2.2".to_owned(), "3".to_owned()],
        notice,
    );
    let message = parse(&out);
    assert!(
        message.attachments().is_empty(),
        "{:?}",
        message.attachments()
    );
    assert_eq!(
        message.body_text(),
        "See the forwarded message below.\nSee the forwarded message below.\n\
         Invoice attached.\nRemoved: invoice.pdf\nRemoved: logo.png"
    );
}

#[test]
fn removed_single_part_replaces_body() {
    let raw = b"From: a@example.com\nSubject: tool\nContent-Type: application/x-msdownload; \
                name=\"tool.exe\"\nContent-Transfer-Encoding: base64\n\nTVqQAAMAAAAEAAAA\n";
    let message = parse(raw);
    assert_eq!(message.attachments()[0].part_path, "1");
    let out = rewrite(raw, &HeaderChanges::default(), &["1".to_owned()], "");
    assert_eq!(
        String::from_utf8_lossy(&out),
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\
         From: a@example.com\nSubject: tool\n\n\
         The attachment tool.exe was removed by the server's attachment policy.\n"
    );
}

#[test]
fn encoded_forward_is_removed_whole() {
    let inner = "From: x@example.org\r\nSubject: inner\r\nContent-Type: multipart/mixed; \
                 boundary=in\r\n\r\n--in\r\nContent-Type: text/plain\r\n\r\nhello\r\n--in\r\n\
                 Content-Type: application/octet-stream; name=\"evil.exe\"\r\n\r\nMZ\r\n--in--\r\n";
    let encoded = base64_lines(inner.as_bytes());
    let raw = format!(
        "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=out\r\n\r\n--out\r\n\
         Content-Type: text/plain\r\n\r\nsee below\r\n--out\r\nContent-Type: message/rfc822\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{encoded}--out--\r\n"
    );
    let message = parse(raw.as_bytes());
    let evil = message
        .attachments()
        .iter()
        .find(|a| a.name.as_deref() == Some("evil.exe"))
        .expect("evil.exe inside the encoded forward");
    let path = evil.part_path.clone();
    let out = rewrite(raw.as_bytes(), &HeaderChanges::default(), &[path], "");
    let rewritten = parse(&out);
    assert!(rewritten.attachments().is_empty());
    assert!(rewritten.body_text().contains("evil.exe was removed"));
}

fn base64_lines(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for (index, chunk) in bytes.chunks(3).enumerate() {
        let n =
            chunk.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
        if index % 19 == 18 {
            out.push_str("\r\n");
        }
    }
    out.push_str("\r\n");
    out
}

#[test]
fn notice_without_placeholder_names_attachment() {
    let raw = sample("rfc2231-filename.eml");
    let notice = "This attachment was removed by the server's attachment policy.";
    let out = rewrite(&raw, &HeaderChanges::default(), &["3".to_owned()], notice);
    let message = parse(&out);
    assert!(
        message.body_text().ends_with(
            "This attachment was removed by the server's attachment policy. \
             (attachment: Übersicht.zip)"
        ),
        "{}",
        message.body_text()
    );
}
