//! The instruction budget charges for the bytes an instruction touches,
//! so long strings cannot turn a million instructions into minutes.

use std::time::{Duration, Instant};

use rulec::message::{Envelope, Message};
use rulec::program::Program;
use rulec::ruleset::RuleSet;
use rulec::verdict::Verdict;
use rulec::vm::{evaluate, EvalOptions};

fn run(rules: &str, toml: &str, subject: &str) -> Verdict {
    let set = RuleSet::from_sources(&[("rules.mailrules", rules), ("rulec.toml", toml)]);
    let program = match Program::compile(&set) {
        Ok(program) => program,
        Err(errors) => panic!("rules do not compile: {errors:#?}"),
    };
    let raw = format!("From: a@example.net\r\nSubject: {subject}\r\n\r\nbody\r\n");
    let message = Message::parse(
        raw.as_bytes(),
        Envelope::default(),
        &program.settings.limits,
    );
    let options = EvalOptions {
        input: "m.eml".to_string(),
        ..EvalOptions::default()
    };
    evaluate(&program, &message, &options).verdict
}

const LEN_RULE: &str = ": IF (@len(@lower($subject)) > 3) SET $spamlevel += 5\n";

#[test]
fn short_strings_cost_one_unit_per_instruction() {
    let verdict = run(
        LEN_RULE,
        "[limits]\nmax_instructions = 100\n",
        "Hello there",
    );
    assert!(verdict.limits_hit.is_empty(), "{:?}", verdict.limits_hit);
    assert_eq!(verdict.spam.level, 5);
}

#[test]
fn long_strings_cost_one_unit_per_64_bytes() {
    // Lowering and measuring 16 KB reads it twice: about 2 × 256 units.
    let subject = "a".repeat(16 * 1024);
    let verdict = run(LEN_RULE, "[limits]\nmax_instructions = 500\n", &subject);
    assert_eq!(verdict.limits_hit, vec!["max_instructions".to_string()]);
    // The rule did not finish; the fail-safe level stands in for it.
    assert_eq!(verdict.spam.tests, vec!["OVER_LIMIT".to_string()]);
    assert_eq!(verdict.spam.level, 100);
    let verdict = run(LEN_RULE, "[limits]\nmax_instructions = 2000\n", &subject);
    assert!(verdict.limits_hit.is_empty(), "{:?}", verdict.limits_hit);
    assert_eq!(verdict.spam.level, 5);
}

#[test]
fn nested_lower_on_long_strings_stops_quickly() {
    // U+0130 takes the slow Unicode path of lowercasing and grows when
    // lowered; 30 nested calls on 64 KB per header used to run for minutes.
    let mut expression = "$x".to_string();
    for _ in 0..30 {
        expression = format!("@lower({expression})");
    }
    let mut rules = String::from("^: SET $x = $subject\n");
    for _ in 0..4 {
        rules.push_str("^: SET $x = $x + $x + $x + $x\n");
    }
    for _ in 0..20 {
        rules.push_str(&format!("*: IF (@len({expression}) > 1) SET $n += 1\n"));
    }
    let mut subject = "\u{130}".repeat(200);
    subject.push_str(&"b".repeat(200));
    let mut raw_headers = String::new();
    for index in 0..200 {
        raw_headers.push_str(&format!("\r\nX-H{index}: v"));
    }
    let started = Instant::now();
    let verdict = run(&rules, "", &format!("{subject}{raw_headers}"));
    let elapsed = started.elapsed();
    assert!(
        verdict.limits_hit.contains(&"max_instructions".to_string()),
        "{:?}",
        verdict.limits_hit
    );
    // A debug build; a release build takes a small fraction of this.
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
}
