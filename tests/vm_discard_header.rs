//! DISCARDHEADER removes exactly the field its rule fired on, at the top
//! level and in a MIME part, when the message is written out.

use rulec::message::{rewrite_at, Envelope, HeaderAt, Message};
use rulec::program::Program;
use rulec::ruleset::RuleSet;
use rulec::vm::{evaluate, EvalOptions, Evaluation};

fn run(rules: &str, raw: &[u8]) -> Evaluation {
    let set = RuleSet::from_sources(&[("rules.mailrules", rules)]);
    let program = match Program::compile(&set) {
        Ok(program) => program,
        Err(errors) => panic!("rules do not compile: {errors:#?}"),
    };
    let message = Message::parse(raw, Envelope::default(), &program.settings.limits);
    evaluate(&program, &message, &EvalOptions::default())
}

fn emit(raw: &[u8], evaluation: &Evaluation) -> String {
    let out = rewrite_at(
        raw,
        &evaluation.verdict.headers,
        &evaluation.removed_headers,
        &evaluation.removed_parts,
        "",
    );
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn fired_occurrence_is_removed() {
    let raw = b"Subject: hi\r\nX-Tag: good one\r\nX-Tag: keep me too\r\nX-Tag: evil tracking\r\n\r\nbody\r\n";
    let evaluation = run("X-Tag: \"evil\" DISCARDHEADER\n", raw);
    assert_eq!(evaluation.verdict.headers.remove, vec!["X-Tag".to_string()]);
    assert_eq!(evaluation.removed_headers, vec![HeaderAt::Top(3)]);
    assert_eq!(
        emit(raw, &evaluation),
        "Subject: hi\r\nX-Tag: good one\r\nX-Tag: keep me too\r\n\r\nbody\r\n"
    );
}

#[test]
fn two_rules_remove_field_once() {
    let raw = b"X-Tag: evil\r\nX-Tag: good\r\n\r\nbody\r\n";
    let evaluation = run(
        "X-Tag: \"evil\" DISCARDHEADER\nX-Tag: \"ev\" DISCARDHEADER\n",
        raw,
    );
    assert_eq!(evaluation.verdict.headers.remove, vec!["X-Tag".to_string()]);
    assert_eq!(emit(raw, &evaluation), "X-Tag: good\r\n\r\nbody\r\n");
}

#[test]
fn part_header_removed_from_part() {
    let raw = b"Subject: hi\r\nMIME-Version: 1.0\r\nContent-Disposition: inline\r\n\
Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\ntext\r\n\
--b\r\nContent-Type: application/octet-stream\r\n\
Content-Disposition: attachment; filename=\"a.pif\"\r\n\r\nMZ\r\n--b--\r\n";
    let evaluation = run("Content-Disposition: \"*.pif*\" DISCARDHEADER\n", raw);
    assert_eq!(
        evaluation.removed_headers,
        vec![HeaderAt::Part {
            path: "2".to_string(),
            index: 1
        }]
    );
    let out = emit(raw, &evaluation);
    assert!(out.contains("Content-Disposition: inline\r\n"), "{out}");
    assert!(!out.contains("a.pif"), "{out}");
    assert!(
        out.contains("Content-Type: application/octet-stream\r\n\r\nMZ"),
        "{out}"
    );
}

#[test]
fn forwarded_message_part_header_removed() {
    let raw = b"Subject: fwd\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nsee below\r\n\
--b\r\nContent-Type: message/rfc822\r\n\r\n\
Subject: inner\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"c\"\r\n\r\n\
--c\r\nContent-Type: application/octet-stream\r\n\
Content-Disposition: attachment; filename=\"a.pif\"\r\n\r\nMZ\r\n--c--\r\n--b--\r\n";
    let evaluation = run("Content-Disposition: \"*.pif*\" DISCARDHEADER\n", raw);
    assert_eq!(evaluation.removed_headers.len(), 1);
    let out = emit(raw, &evaluation);
    assert!(!out.contains("a.pif"), "{out}");
    assert!(out.contains("Subject: inner\r\n"), "{out}");
}
