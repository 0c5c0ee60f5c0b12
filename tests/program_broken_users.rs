//! A user's broken personal rules leave out that user only: the server
//! tier and other users still run, and each error is reported once.

use rulec::message::{Envelope, Message};
use rulec::program::Program;
use rulec::ruleset::RuleSet;
use rulec::vm::{evaluate, EvalOptions};

const SERVER: &str = "Subject: \"buy now\" SET $spamlevel += 30 AND $spamtests += \"BUY;\"\n";
const ALICE: &str = "rule \"Spam away\"\n  if from contains \"spammer\"\n  then delete silently\n";
const MALLORY: &str = "rule \"Junk\"\n  if spam level is high\n  then delete silently\n";

fn set() -> RuleSet {
    RuleSet::from_sources(&[
        ("rules.mailrules", SERVER),
        ("users/alice.rules", ALICE),
        ("users/mallory.rules", MALLORY),
    ])
}

#[test]
fn strict_compile_reports_user_error_once() {
    let errors = match Program::compile(&set()) {
        Ok(_) => panic!("mallory's rules compiled"),
        Err(errors) => errors,
    };
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, "E0504");
}

#[test]
fn server_errors_are_reported_once() {
    let set = RuleSet::from_sources(&[("rules.mailrules", "Subject: IF ($x == ) DONE\n")]);
    let errors = match Program::compile(&set) {
        Ok(_) => panic!("broken server rules compiled"),
        Err(errors) => errors,
    };
    assert_eq!(errors.len(), 1, "{errors:#?}");
}

#[test]
fn broken_user_is_skipped_and_noted() {
    let compiled = match Program::compile_skipping_broken_users(&set()) {
        Ok(compiled) => compiled,
        Err(errors) => panic!("server tier did not compile: {errors:#?}"),
    };
    assert_eq!(compiled.user_errors.len(), 1);
    let program = compiled.program;
    assert!(program.broken_users.contains("mallory"));
    assert!(program.users.contains_key("alice"));

    let raw = b"From: spammer@example.net\r\nSubject: buy now\r\n\r\nbody\r\n";
    let message = Message::parse(raw, Envelope::default(), &program.settings.limits);
    let options = EvalOptions {
        input: "m.eml".to_string(),
        users: vec!["alice".to_string(), "Mallory".to_string()],
        explain: false,
        user_run: None,
    };
    let verdict = evaluate(&program, &message, &options).verdict;
    assert_eq!(verdict.spam.level, 30);
    assert_eq!(verdict.users.len(), 2);
    assert!(
        !verdict.users[0].actions.is_empty(),
        "{:?}",
        verdict.users[0]
    );
    assert!(verdict.users[1].actions.is_empty());
    assert_eq!(
        verdict.limits_hit,
        vec!["user Mallory rules have errors".to_string()]
    );
}

#[test]
fn server_errors_still_stop_compilation() {
    let set = RuleSet::from_sources(&[
        ("rules.mailrules", "Subject: IF ($x == ) DONE\n"),
        ("users/mallory.rules", MALLORY),
    ]);
    let errors = match Program::compile_skipping_broken_users(&set) {
        Ok(_) => panic!("broken server rules compiled"),
        Err(errors) => errors,
    };
    assert_eq!(errors.len(), 2, "{errors:#?}");
}
