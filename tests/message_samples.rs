//! The README demo messages in rules/samples carry the features the
//! shipped rules look for, and the shipped rules give each the verdict the
//! demo shows.

use std::path::PathBuf;

use rulec::config::Band;
use rulec::limits::Limits;
use rulec::message::{rewrite, Envelope, Message};
use rulec::program::Program;
use rulec::ruleset::RuleSet;
use rulec::verdict::Disposition;
use rulec::vm::{self, EvalOptions};

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

/// Runs the shipped rule set on one sample.
fn evaluate(name: &str, envelope: Envelope) -> (Vec<u8>, rulec::vm::Evaluation) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let set = RuleSet::load(&root.join("rules")).expect("shipped rule set loads");
    let program = Program::compile(&set)
        .unwrap_or_else(|diagnostics| panic!("shipped rules do not compile: {diagnostics:?}"));
    let raw = sample(name);
    let message = Message::parse(&raw, envelope, &Limits::default());
    let options = EvalOptions {
        input: name.to_owned(),
        users: Vec::new(),
        explain: false,
        user_run: None,
    };
    let evaluation = vm::evaluate(&program, &message, &options);
    (raw, evaluation)
}

#[test]
fn shipped_rules_accept_ham() {
    let (_, evaluation) = evaluate("ham.eml", Envelope::default());
    assert_eq!(evaluation.verdict.disposition, Disposition::Accept);
    assert_eq!(evaluation.verdict.spam.band, Band::None);
    assert!(evaluation.verdict.spam.tests.is_empty());
}

#[test]
fn shipped_rules_mark_spam_as_junk() {
    let (_, evaluation) = evaluate("spam.eml", Envelope::default());
    let spam = &evaluation.verdict.spam;
    assert_eq!(evaluation.verdict.disposition, Disposition::Accept);
    assert_eq!(spam.band, Band::High, "level {}", spam.level);
    assert!(spam.junk);
    for test in ["BULK_MAILER_NAME", "NO_MESSAGE_ID", "NUMERIC_URL"] {
        assert!(
            spam.tests.iter().any(|t| t == test),
            "{test} in {:?}",
            spam.tests
        );
    }
}

#[test]
fn shipped_rules_reject_extreme_and_blocked() {
    let (_, evaluation) = evaluate("reject.eml", Envelope::default());
    assert_eq!(evaluation.verdict.disposition, Disposition::Reject);
    assert_eq!(evaluation.verdict.spam.band, Band::Extreme);

    let blocked = Envelope {
        sender: Some("spammer@spam.example".to_owned()),
        ..Envelope::default()
    };
    let (_, evaluation) = evaluate("reject.eml", blocked);
    assert_eq!(evaluation.verdict.disposition, Disposition::Reject);
    let reply = evaluation.verdict.reply.expect("reject reply");
    assert!(
        reply.text.contains("spammer@spam.example"),
        "{}",
        reply.text
    );
}

#[test]
fn shipped_rules_remove_exe_attachment() {
    let (raw, evaluation) = evaluate("attachment.eml", Envelope::default());
    assert_eq!(evaluation.verdict.attachments_removed, ["invoice.pdf.exe"]);
    assert_eq!(evaluation.removed_parts, ["2"]);

    let out = rewrite(
        &raw,
        &evaluation.verdict.headers,
        &evaluation.removed_parts,
        "",
    );
    let rewritten = parse(&out);
    assert!(rewritten.attachments().is_empty());
    assert!(rewritten
        .body_text()
        .contains("The attachment invoice.pdf.exe was removed"));
    assert!(rewritten.header("X-SPAM-Level").is_some());
    assert_eq!(
        rewritten.subject(),
        Some("Invoice 2026-1187 for your order")
    );
}
