//! The message view on the sample messages in tests/data/messages.

use std::path::PathBuf;

use rulec::limits::Limits;
use rulec::message::{Envelope, Message};

fn sample(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/messages")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

fn parse(raw: &[u8]) -> Message<'_> {
    Message::parse(raw, Envelope::default(), &Limits::default())
}

#[test]
fn rfc2047_subject_and_from() {
    let raw = sample("rfc2047-subject.eml");
    let message = parse(&raw);
    assert_eq!(message.subject(), Some("Grüße aus Köln - Treffen"));
    assert_eq!(
        message.from(),
        Some("André Müller <andre.mueller@example.org>")
    );
    let subject = message.header("subject").expect("Subject header");
    assert!(
        subject.raw.starts_with("=?UTF-8?B?"),
        "raw: {}",
        subject.raw
    );
    assert_eq!(
        message.message_id().as_deref(),
        Some("<20261103091240.4711@example.org>")
    );
    assert_eq!(message.date(), Some(1_793_693_560));
    assert_eq!(message.size(), raw.len());
}

#[test]
fn body_text_uses_lf_line_ends() {
    let raw = sample("rfc2047-subject.eml");
    let message = parse(&raw);
    assert_eq!(
        message.body_text(),
        "Hallo Jane,\n\nwir treffen uns am Donnerstag in Köln.\n\nGrüße\nAndré\n"
    );
}

#[test]
fn headers_in_arrival_order() {
    let raw = sample("rfc2047-subject.eml");
    let message = parse(&raw);
    let names: Vec<&str> = message.headers().iter().map(|h| h.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Return-Path",
            "Received",
            "From",
            "To",
            "Cc",
            "Subject",
            "Date",
            "Message-ID",
            "MIME-Version",
            "Content-Type",
            "Content-Transfer-Encoding"
        ]
    );
}

#[test]
fn address_lists_with_groups() {
    let raw = sample("rfc2047-subject.eml");
    let message = parse(&raw);
    let to = message.addresses("To");
    assert_eq!(to.len(), 2);
    assert_eq!(to[0].name.as_deref(), Some("Doe, Jane"));
    assert_eq!(to[0].address, "jane@example.net");
    assert_eq!(to[1].name.as_deref(), Some("Bob"));
    let cc = message.addresses("cc");
    let cc: Vec<&str> = cc.iter().map(|a| a.address.as_str()).collect();
    assert_eq!(cc, ["carol@example.net", "dave@example.net"]);
    assert_eq!(message.recipient_count(), 4);
    let from = &message.addresses("From")[0];
    assert_eq!(from.local_part(), "andre.mueller");
    assert_eq!(from.domain(), "example.org");
}

#[test]
fn envelope_recipients_win_over_headers() {
    let raw = sample("rfc2047-subject.eml");
    let envelope = Envelope {
        sender: Some("news@example.org".to_owned()),
        client_ip: Some("192.0.2.10".to_owned()),
        helo: Some("mail.example.org".to_owned()),
        recipients: vec!["jane@example.net".to_owned()],
    };
    let message = Message::parse(&raw, envelope, &Limits::default());
    assert_eq!(message.recipient_count(), 1);
    assert_eq!(message.sender(), Some("news@example.org"));
    assert_eq!(message.client_ip(), Some("192.0.2.10"));
    assert_eq!(message.helo(), Some("mail.example.org"));
}

#[test]
fn folded_headers_unfold_and_repeat() {
    let raw = sample("folded-headers.eml");
    let message = parse(&raw);
    assert_eq!(
        message.subject(),
        Some("This subject line is long enough that the sending client folded it\tacross three lines")
    );
    let repeated: Vec<&str> = message
        .header_all("x-folded-twice")
        .map(|h| h.value.as_str())
        .collect();
    assert_eq!(repeated, ["first   second", "another occurrence"]);
    assert_eq!(
        message.header("X-FOLDED-TWICE").map(|h| h.value.as_str()),
        Some("first   second")
    );
    assert_eq!(
        message.message_id().as_deref(),
        Some("<no-brackets@example.com>")
    );
}

#[test]
fn rfc2231_and_rfc2047_file_names() {
    let raw = sample("rfc2231-filename.eml");
    let message = parse(&raw);
    let names: Vec<Option<&str>> = message
        .attachments()
        .iter()
        .map(|a| a.name.as_deref())
        .collect();
    assert_eq!(names, [Some("Angebot für März.pdf"), Some("Übersicht.zip")]);
    let pdf = &message.attachments()[0];
    assert_eq!(pdf.content_type, "application/pdf");
    assert_eq!(pdf.part_path, "2");
    assert!(pdf.headers.iter().any(|h| h.is("Content-Disposition")));
    assert_eq!(message.attachments()[1].part_path, "3");
    assert_eq!(message.body_text(), "See the attached offer.");
}

#[test]
fn nested_forward_attachments_count() {
    let raw = sample("nested-forward.eml");
    let message = parse(&raw);
    let found: Vec<(&str, &str, &str)> = message
        .attachments()
        .iter()
        .map(|a| {
            (
                a.name.as_deref().unwrap_or(""),
                a.content_type.as_str(),
                a.part_path.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("invoice.pdf", "application/pdf", "2.2"),
            ("logo.png", "image/png", "3")
        ]
    );
    assert_eq!(message.attachments()[0].size, b"%PDF-1.4\nfake\n".len());
}

#[test]
fn nested_forward_body_text_in_order() {
    let raw = sample("nested-forward.eml");
    let message = parse(&raw);
    assert_eq!(
        message.body_text(),
        "See the forwarded message below.\nSee the forwarded message below.\nInvoice attached."
    );
    assert!(message.links().is_empty());
}

#[test]
fn html_links_and_rendered_text() {
    let raw = sample("html-links.eml");
    let message = parse(&raw);
    assert_eq!(
        message.links(),
        [
            "http://shop.example/?a=1&b=2",
            "http://198.51.100.7/track.gif",
            "https://shop.example/unsubscribe"
        ]
    );
    assert_eq!(
        message.body_text(),
        "Café & Crème – 50% off!\nShop now Unsubscribe"
    );
}

#[test]
fn eight_bit_header_reads_as_windows_1252() {
    let raw = sample("eight-bit-header.eml");
    let message = parse(&raw);
    assert_eq!(message.subject(), Some("Réunion – café € 5"));
    assert_eq!(
        message.addresses("From")[0].name.as_deref(),
        Some("Renée Dupont")
    );
}

#[test]
fn broken_boundary_reads_as_text() {
    let raw = sample("broken-boundary.eml");
    let message = parse(&raw);
    // The declared boundary never occurs, so like a mail client the view
    // sees one text body and no attachment.
    assert!(message.attachments().is_empty());
    assert!(message.body_text().contains("does not match this one"));
    assert_eq!(message.subject(), Some("Broken MIME"));
}

#[test]
fn truncated_message_keeps_what_parsed() {
    let raw = sample("truncated.eml");
    let message = parse(&raw);
    assert_eq!(message.body_text(), "First part is complete.");
    let names: Vec<&str> = message
        .attachments()
        .iter()
        .filter_map(|a| a.name.as_deref())
        .collect();
    assert_eq!(names, ["archive.zip"]);
}

#[test]
fn max_message_bytes_cuts_scan() {
    let raw = sample("nested-forward.eml");
    let limits = Limits {
        max_message_bytes: 400,
        ..Limits::default()
    };
    let message = Message::parse(&raw, Envelope::default(), &limits);
    assert!(message.is_truncated());
    assert_eq!(message.size(), raw.len());
    assert_eq!(message.subject(), Some("Fwd: invoice"));
    assert!(message.attachments().is_empty());
}

#[test]
fn view_limits_cap_fields() {
    let raw = sample("html-links.eml");
    let limits = Limits {
        max_headers: 2,
        max_links: 1,
        max_body_text_bytes: 4,
        ..Limits::default()
    };
    let message = Message::parse(&raw, Envelope::default(), &limits);
    assert_eq!(message.headers().len(), 2);
    assert!(message.headers_truncated());
    assert_eq!(message.links().len(), 1);
    // "Café" is five bytes; the cut falls inside "é" and backs off.
    assert_eq!(message.body_text(), "Caf");
}

#[test]
fn max_attachments_caps_list() {
    let raw = sample("nested-forward.eml");
    let limits = Limits {
        max_attachments: 1,
        ..Limits::default()
    };
    let message = Message::parse(&raw, Envelope::default(), &limits);
    assert_eq!(message.attachments().len(), 1);
}

#[test]
fn mbox_from_line_is_not_a_header() {
    let raw = b"From alice@example.com Mon Nov  9 10:00:00 2026\nSubject: hi\n\nbody\n";
    let message = parse(raw);
    let names: Vec<&str> = message.headers().iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["Subject"]);
    assert_eq!(message.size(), raw.len() - 48);
}

#[test]
fn empty_and_garbage_input() {
    for raw in [
        &b""[..],
        b"\n\n\n",
        b"no headers at all",
        b"\xff\xfe\x00binary",
    ] {
        let message = parse(raw);
        assert_eq!(message.subject(), None);
        assert!(message.attachments().is_empty());
        let _ = message.body_text();
        let _ = message.links();
        assert_eq!(message.date(), None);
    }
}

#[test]
fn automated_mail_helpers() {
    let auto = b"From: Jane <jane@example.net>\nAuto-Submitted: auto-replied\n\nAway\n";
    assert!(parse(auto).is_auto_reply());
    let human = b"From: Jane <jane@example.net>\nAuto-Submitted: no\n\nHi\n";
    assert!(!parse(human).is_auto_reply());
    assert!(!parse(human).is_automated());

    let list = b"From: list@example.org\nList-Id: <hiking.example.org>\n\nHi\n";
    assert!(parse(list).is_list_mail());
    let bulk = b"From: news@example.org\nPrecedence: Bulk\n\nHi\n";
    assert!(parse(bulk).is_list_mail());

    let daemon = b"From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n\nfailed\n";
    assert!(parse(daemon).is_bounce());
    let report = b"From: mx@example.net\nContent-Type: multipart/report; \
                   report-type=delivery-status; boundary=x\n\n--x--\n";
    assert!(parse(report).is_bounce());
    let envelope = Envelope {
        sender: Some(String::new()),
        ..Envelope::default()
    };
    assert!(Message::parse(human, envelope, &Limits::default()).is_bounce());
}

#[test]
fn undecodable_binary_part_stays_attachment() {
    let raw = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\
                Content-Type: text/plain\r\n\r\nhello\r\n--b\r\n\
                Content-Type: application/octet-stream\r\n\
                Content-Transfer-Encoding: base64\r\n\r\n!!!! not base64 !!!!\r\n--b--\r\n";
    let message = parse(raw);
    assert_eq!(message.body_text(), "hello");
    let types: Vec<&str> = message
        .attachments()
        .iter()
        .map(|a| a.content_type.as_str())
        .collect();
    assert_eq!(types, ["application/octet-stream"]);
}

#[test]
fn undeclared_8bit_body_reads_as_windows_1252() {
    let raw = b"Subject: x\r\nContent-Type: text/plain\r\n\r\nCaf\xe9 \x93quoted\x94\r\n";
    assert_eq!(parse(raw).body_text(), "Café “quoted”\n");
    let declared = b"Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCaf\xe9\r\n";
    assert_eq!(parse(declared).body_text(), "Caf\u{fffd}\n");
    let qp = b"Content-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
               <p>Cr=E8me</p>\r\n";
    assert_eq!(parse(qp).body_text(), "Crème");
}

#[test]
fn mime_header_names_ignore_case() {
    let raw = b"CONTENT-TYPE: Multipart/Mixed; BOUNDARY=b\r\n\r\n--b\r\n\
                content-type: TEXT/PLAIN\r\n\r\nhello\r\n--b\r\n\
                content-disposition: ATTACHMENT; FILENAME=\"Up.EXE\"\r\n\r\nMZ\r\n--b--\r\n";
    let message = parse(raw);
    assert_eq!(message.body_text(), "hello");
    let names: Vec<&str> = message
        .attachments()
        .iter()
        .filter_map(|a| a.name.as_deref())
        .collect();
    assert_eq!(names, ["Up.EXE"]);
    assert_eq!(message.attachments()[0].content_type, "text/plain");
}
