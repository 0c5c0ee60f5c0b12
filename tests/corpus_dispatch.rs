//! Per-event dispatch: a rule whose pattern does not match the event's
//! data executes no instruction at all, so thousands of rules on one
//! header cost one matcher run, not thousands of rule runs.

use rulec::message::{Envelope, Message};
use rulec::program::Program;
use rulec::ruleset::RuleSet;
use rulec::vm::{evaluate, EvalOptions};

/// `count` pattern rules on Subject, each for its own word, then one rule
/// for `target`.
fn rules(count: usize, target: &str) -> String {
    let mut text = String::new();
    for index in 0..count {
        text.push_str(&format!(
            "Subject: \"word{index}x\" SET $spamlevel += 1 AND $spamtests += \"W{index};\"\n"
        ));
        text.push_str(&format!(
            "Subject: eregexp:\"^re{index}[a-z]+$\" SET $spamlevel += 1\n"
        ));
    }
    text.push_str(&format!(
        "Subject: \"{target}\" SET $spamlevel += 7 AND $spamtests += \"TARGET;\"\n"
    ));
    text
}

fn run(rules: &str, toml: &str, subject: &str) -> rulec::verdict::Verdict {
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
        users: Vec::new(),
        explain: false,
        user_run: None,
    };
    evaluate(&program, &message, &options).verdict
}

#[test]
fn unmatched_rules_cost_no_instructions() {
    // 1,000 rules that do not match would need far more than 40
    // instructions if each one ran even a test.
    let verdict = run(
        &rules(500, "needle"),
        "[limits]\nmax_instructions = 40\n",
        "a needle in a haystack",
    );
    assert!(verdict.limits_hit.is_empty(), "{:?}", verdict.limits_hit);
    assert_eq!(verdict.spam.level, 7);
    assert_eq!(verdict.spam.tests, vec!["TARGET".to_string()]);
}

#[test]
fn matched_rules_run_in_file_order() {
    let verdict = run(&rules(50, "word3x"), "", "word7x and word3x and re");
    assert_eq!(verdict.spam.tests, vec!["W3", "W7", "TARGET"]);
    assert_eq!(verdict.spam.level, 9);
}

#[test]
fn named_and_any_header_rules_interleave_by_line() {
    let rules = "*: \"qq\" SET $spamtests += \"ANY1;\"\n\
                 Subject: \"qq\" SET $spamtests += \"NAMED;\"\n\
                 *: \"qq\" SET $spamtests += \"ANY2;\"\n";
    let verdict = run(rules, "", "qq");
    assert_eq!(verdict.spam.tests, vec!["ANY1", "NAMED", "ANY2"]);
}

#[test]
fn budget_stops_the_server_tier_and_keeps_decisions() {
    let rules = "^: SET $spamlevel = 5 AND $spamtests = \"EARLY;\"\n\
                 Subject: IF (1) SET $spamlevel += 1\n\
                 .: SET $spamlevel = 99\n";
    let verdict = run(rules, "[limits]\nmax_instructions = 6\n", "anything");
    assert_eq!(verdict.limits_hit, vec!["max_instructions".to_string()]);
    // The rules that ran keep their effect, and the fail-safe
    // `over_limit_level` (100) is added for the rules that did not run.
    assert_eq!(verdict.spam.level, 105);
    assert_eq!(
        verdict.spam.tests,
        vec!["EARLY".to_string(), "OVER_LIMIT".to_string()]
    );
}
