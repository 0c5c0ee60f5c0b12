//! The README demo messages in rules/samples carry the features the
//! shipped rules look for.

use std::path::PathBuf;

use rulec::limits::Limits;
use rulec::message::{Envelope, Message};

fn sample(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("rules/samples")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

fn parse(raw: &[u8]) -> Message<'_> {
    Message::parse(raw, Envelope::default(), &Limits::default())
}

#[test]
fn ham_is_plain() {
    let raw = sample("ham.eml");
    let message = parse(&raw);
    assert!(message.message_id().is_some());
    assert!(message.date().is_some());
    assert!(message.attachments().is_empty());
    assert!(message.links().is_empty());
    assert!(message.body_text().contains("planning") || message.body_text().contains("notes"));
    assert!(!message.is_automated());
}

#[test]
fn spam_has_spam_features() {
    let raw = sample("spam.eml");
    let message = parse(&raw);
    let subject = message.subject().expect("Subject");
    assert_eq!(subject, subject.to_uppercase(), "all-caps subject");
    assert_eq!(message.message_id(), None);
    assert_eq!(
        message.header("X-Mailer").map(|h| h.value.as_str()),
        Some("Stealth Mailer 3.2")
    );
    assert_eq!(message.links().len(), 2);
    assert!(message
        .links()
        .iter()
        .all(|link| link.starts_with("http://203.0.113.45/")));
    assert!(message.body_text().contains("prize draw"));
}

#[test]
fn reject_comes_from_blocked_sender() {
    let raw = sample("reject.eml");
    let message = parse(&raw);
    let from = &message.addresses("From")[0];
    assert_eq!(from.address, "spammer@spam.example");
    let subject = message.subject().expect("Subject").to_lowercase();
    assert!(subject.contains("casino bonus"), "{subject}");
    assert!(subject.contains("replica watches"), "{subject}");
}

#[test]
fn attachment_has_double_extension() {
    let raw = sample("attachment.eml");
    let message = parse(&raw);
    let names: Vec<&str> = message
        .attachments()
        .iter()
        .filter_map(|a| a.name.as_deref())
        .collect();
    assert_eq!(names, ["invoice.pdf.exe"]);
    assert!(message.body_text().contains("invoice for your order"));
}
