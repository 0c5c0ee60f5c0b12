//! What the verdict carries out of a message is bounded and cannot be
//! forged: `--explain` matches, NDN reply texts and the X-SPAM headers.

use rulec::message::{rewrite_at, Envelope, Message};
use rulec::program::Program;
use rulec::ruleset::RuleSet;
use rulec::vm::{evaluate, EvalOptions, Evaluation};

fn run(files: &[(&str, &str)], raw: &[u8], explain: bool) -> Evaluation {
    let set = RuleSet::from_sources(files);
    let program = match Program::compile(&set) {
        Ok(program) => program,
        Err(errors) => panic!("rules do not compile: {errors:#?}"),
    };
    let message = Message::parse(raw, Envelope::default(), &program.settings.limits);
    let options = EvalOptions {
        explain,
        ..EvalOptions::default()
    };
    evaluate(&program, &message, &options)
}

#[test]
fn explain_cuts_long_matches() {
    let subject = format!("x{}y", "é".repeat(500));
    let raw = format!("Subject: {subject}\r\n\r\nbody\r\n");
    let rules = [("rules.mailrules", "Subject: /x.*y/ SET $n = 1\n")];
    let evaluation = run(&rules, raw.as_bytes(), true);
    let fired = evaluation.verdict.fired.expect("explain lists fired rules");
    let matched = fired[0].matched.clone().expect("the rule matched text");
    assert!(matched.ends_with('…'), "{matched}");
    let cut = matched.trim_end_matches('…');
    assert!(cut.len() <= 200 && cut.len() >= 198, "{}", cut.len());
    assert!(subject.starts_with(cut));
}

#[test]
fn explain_keeps_short_matches_whole() {
    let raw = b"Subject: buy now\r\n\r\nbody\r\n";
    let rules = [("rules.mailrules", "Subject: /buy now/ SET $n = 1\n")];
    let fired = run(&rules, raw, true).verdict.fired.expect("fired rules");
    assert_eq!(fired[0].matched.as_deref(), Some("buy now"));
}

#[test]
fn ndn_reply_fits_one_smtp_line() {
    let subject = format!("{}\u{e9}", "a".repeat(5000));
    let raw = format!("Subject: {subject}\r\n\r\nbody\r\n");
    let rules = [(
        "rules.mailrules",
        "Subject: \"*\" NDN \"Subject not allowed: $subject\"\n",
    )];
    let reply = run(&rules, raw.as_bytes(), false)
        .verdict
        .reply
        .expect("the message is rejected");
    assert_eq!(reply.code, 550);
    assert_eq!(reply.text.len(), 506, "{}", reply.text);
    assert!(reply.text.starts_with("5.7.1 Subject not allowed: aaa"));
    assert!(reply.text.bytes().all(|byte| (0x20..0x7f).contains(&byte)));
}

#[test]
fn ndn_reply_replaces_non_ascii_and_line_breaks() {
    let raw = b"Subject: caf\xc3\xa9\r\n\r\nbody\r\n";
    let rules = [("rules.mailrules", "Subject: \"*\" NDN \"no $subject\"\n")];
    let reply = run(&rules, raw, false).verdict.reply.expect("rejected");
    assert_eq!(reply.text, "5.7.1 no caf?");
}

#[test]
fn incoming_spam_headers_are_removed() {
    let raw = b"X-SPAM-Level: 0\r\nSubject: hello\r\nX-Spam-Tests: TRUSTED;\r\n\r\nbody\r\n";
    let rules = [(
        "rules.mailrules",
        "Subject: \"hello\" SET $spamtests += \"A;\"\n",
    )];
    let evaluation = run(&rules, raw, false);
    assert_eq!(
        evaluation.verdict.headers.remove,
        vec!["X-SPAM-Level".to_string(), "X-Spam-Tests".to_string()]
    );
    let out = rewrite_at(
        raw,
        &evaluation.verdict.headers,
        &evaluation.removed_headers,
        &evaluation.removed_parts,
        "",
    );
    assert_eq!(
        String::from_utf8_lossy(&out),
        "X-SPAM-Tests: A;\r\nSubject: hello\r\n\r\nbody\r\n"
    );
}

#[test]
fn incoming_spam_headers_stay_without_automatic_headers() {
    let raw = b"X-SPAM-Level: 0\r\nSubject: hello\r\n\r\nbody\r\n";
    let rules = [
        ("rules.mailrules", "Subject: \"hello\" SET $n = 1\n"),
        ("rulec.toml", "[headers]\nautomatic = false\n"),
    ];
    let evaluation = run(&rules, raw, false);
    assert!(evaluation.verdict.headers.remove.is_empty());
}
