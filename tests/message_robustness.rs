//! Hostile and damaged input: deep nesting, huge header counts,
//! pathological HTML and encoded words, and mutated sample messages. Every
//! case must parse, return from every accessor and rewrite without a panic.

use std::path::PathBuf;

use rulec::limits::Limits;
use rulec::message::{rewrite, Envelope, Message};
use rulec::verdict::HeaderChanges;

/// Runs every accessor and a rewrite; returns the number of attachments.
fn exercise(raw: &[u8], limits: &Limits) -> usize {
    let message = Message::parse(raw, Envelope::default(), limits);
    let _ = (message.headers(), message.message_id(), message.subject());
    let _ = (message.from(), message.to(), message.cc(), message.date());
    let _ = (message.addresses("From"), message.recipient_count());
    let _ = (
        message.is_auto_reply(),
        message.is_list_mail(),
        message.is_bounce(),
    );
    let _ = (
        message.links(),
        message.body_text(),
        message.mime_depth_exceeded(),
    );
    assert!(message.attachments().len() <= limits.max_attachments);
    assert!(message.links().len() <= limits.max_links);
    assert!(message.body_text().len() <= limits.max_body_text_bytes);
    let paths: Vec<String> = message
        .attachments()
        .iter()
        .map(|a| a.part_path.clone())
        .collect();
    let changes = HeaderChanges {
        add: vec![("X-Test".to_owned(), "1".to_owned())],
        replace: vec![("Subject".to_owned(), "replaced".to_owned())],
        remove: vec!["Received".to_owned()],
    };
    let _ = rewrite(raw, &changes, &paths, "");
    message.attachments().len()
}

fn nested(depth: usize, forwarded: bool) -> String {
    let mut raw = String::from("From: a@example.com\r\nSubject: deep\r\n");
    for level in 0..depth {
        if forwarded {
            raw.push_str("Content-Type: message/rfc822\r\n\r\nSubject: level\r\n");
        } else {
            raw.push_str(&format!(
                "Content-Type: multipart/mixed; boundary=\"b{level}\"\r\n\r\n--b{level}\r\n"
            ));
        }
    }
    raw.push_str("Content-Type: application/octet-stream; name=\"deep.exe\"\r\n\r\nMZ\r\n");
    raw
}

#[test]
fn nesting_within_depth_is_walked() {
    for forwarded in [false, true] {
        let raw = nested(40, forwarded);
        let message = Message::parse(raw.as_bytes(), Envelope::default(), &Limits::default());
        let names: Vec<&str> = message
            .attachments()
            .iter()
            .filter_map(|a| a.name.as_deref())
            .collect();
        assert_eq!(names, ["deep.exe"], "forwarded: {forwarded}");
        assert!(!message.mime_depth_exceeded());

        let path = message.attachments()[0].part_path.clone();
        let out = rewrite(raw.as_bytes(), &HeaderChanges::default(), &[path], "");
        let rewritten = Message::parse(&out, Envelope::default(), &Limits::default());
        assert!(rewritten.attachments().is_empty(), "forwarded: {forwarded}");
    }
}

#[test]
fn nesting_beyond_depth_is_flagged() {
    for forwarded in [false, true] {
        let raw = nested(3_000, forwarded);
        let limits = Limits::default();
        let message = Message::parse(raw.as_bytes(), Envelope::default(), &limits);
        assert!(message.mime_depth_exceeded(), "forwarded: {forwarded}");
        assert!(message.attachments().is_empty());
        exercise(raw.as_bytes(), &limits);
    }
}

#[test]
fn many_headers_are_capped() {
    let mut raw = String::new();
    for index in 0..10_000 {
        raw.push_str(&format!("X-Header-{index}: value {index}\r\n"));
    }
    raw.push_str("\r\nbody\r\n");
    let limits = Limits::default();
    let message = Message::parse(raw.as_bytes(), Envelope::default(), &limits);
    assert_eq!(message.headers().len(), limits.max_headers);
    assert!(message.headers_truncated());
    exercise(raw.as_bytes(), &limits);
}

#[test]
fn pathological_html_and_encoded_words() {
    let cases = [
        "<".repeat(200_000),
        "<a href=\"".repeat(50_000),
        "<!--".repeat(50_000),
        "<script>".repeat(50_000),
        "&#".repeat(100_000),
        "<a href=x>".repeat(20_000),
    ];
    for html in &cases {
        let raw = format!(
            "Subject: {}\r\nContent-Type: text/html\r\n\r\n{html}\r\n",
            "=?utf-8?q?".repeat(5_000)
        );
        exercise(raw.as_bytes(), &Limits::default());
    }
    let links = "<a href=x>".repeat(20_000);
    let raw = format!("Content-Type: text/html\r\n\r\n{links}");
    let message = Message::parse(raw.as_bytes(), Envelope::default(), &Limits::default());
    assert_eq!(message.links().len(), Limits::default().max_links);
}

/// A small deterministic generator (xorshift64), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

/// Splices MIME-significant fragments into `raw` and cuts pieces out.
fn mutate(raw: &[u8], rng: &mut Rng) -> Vec<u8> {
    const FRAGMENTS: [&[u8]; 12] = [
        b"--",
        b"\r\n",
        b"\n\n",
        b"=?utf-8?b?",
        b"?=",
        b"<a href=\"",
        b"Content-Type: message/rfc822\r\n\r\n",
        b"Content-Transfer-Encoding: base64\r\n",
        b"; filename*0*=utf-8''%",
        b"\xff\xfe\x80",
        b"\"",
        b"boundary=",
    ];
    let mut out = raw.to_vec();
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(out.len() + 1);
        match rng.below(4) {
            0 => {
                let fragment = FRAGMENTS[rng.below(FRAGMENTS.len())];
                out.splice(at..at, fragment.iter().copied());
            }
            1 => {
                let end = (at + rng.below(40)).min(out.len());
                out.drain(at..end);
            }
            2 => out.truncate(at),
            _ => {
                if let Some(byte) = out.get_mut(at) {
                    *byte = rng.next() as u8;
                }
            }
        }
    }
    out
}

#[test]
fn mutated_samples_never_panic() {
    let dirs = ["tests/data/messages", "rules/samples"];
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut samples = Vec::new();
    for dir in dirs {
        for entry in std::fs::read_dir(root.join(dir)).expect("sample directory") {
            let path = entry.expect("directory entry").path();
            if path.is_file() {
                samples.push(std::fs::read(&path).expect("sample file"));
            }
        }
    }
    assert!(samples.len() >= 12, "found only {} samples", samples.len());

    let small = Limits {
        max_headers: 3,
        max_attachments: 1,
        max_links: 1,
        max_body_text_bytes: 10,
        max_mime_depth: 2,
        ..Limits::default()
    };
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut cases = 0;
    for sample in &samples {
        for _ in 0..150 {
            let mutated = mutate(sample, &mut rng);
            exercise(&mutated, &Limits::default());
            exercise(&mutated, &small);
            cases += 1;
        }
    }
    assert!(cases >= 1_800);
}
