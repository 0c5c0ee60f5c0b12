//! Scanning limits fail safe: padding a message past `max_headers`,
//! `max_attachments`, `max_mime_depth` or `max_links` cannot lower its
//! spam level or slip a blocked attachment through.

use rulec::message::{Envelope, Message};
use rulec::program::Program;
use rulec::ruleset::RuleSet;
use rulec::verdict::Verdict;
use rulec::vm::{evaluate, EvalOptions};

const RULES: &str =
    "Subject: \"viagra\" SET $spamlevel += 30 AND $spamtests += \"SUBJECT_WORD;\"\n\
<: \"evil.example\" SET $spamlevel += 5\n";

fn run(files: &[(&str, &str)], raw: &str) -> Verdict {
    let set = RuleSet::from_sources(files);
    let program = match Program::compile(&set) {
        Ok(program) => program,
        Err(errors) => panic!("rules do not compile: {errors:#?}"),
    };
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

fn attachments(count: usize, last: &str) -> String {
    let mut raw = String::from(
        "From: a@example.net\r\nSubject: files\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n",
    );
    for index in 0..count {
        raw.push_str(&format!(
            "--b\r\nContent-Type: text/plain; name=\"note{index}.txt\"\r\n\
             Content-Disposition: attachment; filename=\"note{index}.txt\"\r\n\r\nhi\r\n"
        ));
    }
    raw.push_str(&format!(
        "--b\r\nContent-Type: application/octet-stream\r\n\
         Content-Disposition: attachment; filename=\"{last}\"\r\n\r\nMZ\r\n--b--\r\n"
    ));
    raw
}

#[test]
fn blocked_attachment_past_max_attachments_is_removed() {
    let files = [
        ("rules.mailrules", RULES),
        ("rules.attachmentblock", "*.exe\n"),
        ("rulec.toml", "[limits]\nmax_attachments = 3\n"),
    ];
    let verdict = run(&files, &attachments(5, "virus.exe"));
    assert_eq!(verdict.attachments_removed, vec!["virus.exe".to_string()]);
    assert_eq!(verdict.limits_hit, vec!["max_attachments".to_string()]);
    assert_eq!(verdict.spam.level, 100);
    assert_eq!(verdict.spam.tests, vec!["OVER_LIMIT".to_string()]);
}

#[test]
fn attachments_within_the_limit_add_no_level() {
    let files = [
        ("rules.mailrules", RULES),
        ("rules.attachmentblock", "*.exe\n"),
        ("rulec.toml", "[limits]\nmax_attachments = 6\n"),
    ];
    let verdict = run(&files, &attachments(5, "virus.exe"));
    assert_eq!(verdict.attachments_removed, vec!["virus.exe".to_string()]);
    assert!(verdict.limits_hit.is_empty(), "{:?}", verdict.limits_hit);
    assert_eq!(verdict.spam.level, 0);
}

#[test]
fn filler_headers_cannot_lower_the_level() {
    let files = [
        ("rules.mailrules", RULES),
        ("rulec.toml", "[limits]\nmax_headers = 10\n"),
    ];
    let direct = "From: a@example.net\r\nSubject: cheap viagra\r\n\r\nbody\r\n";
    let mut padded = String::new();
    for index in 0..20 {
        padded.push_str(&format!("X-Filler-{index}: x\r\n"));
    }
    padded.push_str(direct);
    let direct = run(&files, direct);
    let padded = run(&files, &padded);
    assert_eq!(direct.spam.level, 30);
    assert!(padded.spam.level >= direct.spam.level, "{padded:?}");
    assert_eq!(padded.limits_hit, vec!["max_headers".to_string()]);
    assert!(padded.spam.tests.contains(&"OVER_LIMIT".to_string()));
}

#[test]
fn over_limit_level_is_configurable() {
    let files = [
        ("rules.mailrules", RULES),
        (
            "rulec.toml",
            "[limits]\nmax_headers = 1\nover_limit_level = 7\n",
        ),
    ];
    let verdict = run(&files, "From: a@example.net\r\nX-A: b\r\n\r\nbody\r\n");
    assert_eq!(verdict.spam.level, 7);
    assert_eq!(verdict.limits_hit, vec!["max_headers".to_string()]);
}

#[test]
fn deep_nesting_is_over_the_limit() {
    let files = [
        ("rules.mailrules", RULES),
        ("rulec.toml", "[limits]\nmax_mime_depth = 2\n"),
    ];
    let mut raw = String::from("From: a@example.net\r\nMIME-Version: 1.0\r\n");
    for depth in 0..4 {
        raw.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"b{depth}\"\r\n\r\n--b{depth}\r\n"
        ));
    }
    raw.push_str("Content-Type: text/plain\r\n\r\ndeep\r\n");
    for depth in (0..4).rev() {
        raw.push_str(&format!("--b{depth}--\r\n"));
    }
    let verdict = run(&files, &raw);
    assert_eq!(verdict.limits_hit, vec!["max_mime_depth".to_string()]);
    assert_eq!(verdict.spam.level, 100);
}

#[test]
fn links_count_only_with_link_rules() {
    let mut raw =
        String::from("From: a@example.net\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n");
    for index in 0..5 {
        raw.push_str(&format!("<a href=\"http://e{index}.example/\">x</a>\r\n"));
    }
    let toml = "[limits]\nmax_links = 3\n";
    let with_links = run(&[("rules.mailrules", RULES), ("rulec.toml", toml)], &raw);
    assert_eq!(with_links.limits_hit, vec!["max_links".to_string()]);
    assert_eq!(with_links.spam.level, 100);
    let no_link_rules = "Subject: \"viagra\" SET $spamlevel += 30\n";
    let without = run(
        &[("rules.mailrules", no_link_rules), ("rulec.toml", toml)],
        &raw,
    );
    assert!(without.limits_hit.is_empty(), "{:?}", without.limits_hit);
    assert_eq!(without.spam.level, 0);
}

#[test]
fn blocked_attachment_nested_too_deep_is_removed() {
    let files = [
        ("rules.mailrules", RULES),
        ("rules.attachmentblock", "*.exe\n"),
        ("rulec.toml", "[limits]\nmax_mime_depth = 2\n"),
    ];
    let mut raw = String::from("From: a@example.net\r\nMIME-Version: 1.0\r\n");
    for depth in 0..4 {
        raw.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"b{depth}\"\r\n\r\n--b{depth}\r\n"
        ));
    }
    raw.push_str(
        "Content-Type: application/octet-stream\r\n\
         Content-Disposition: attachment; filename=\"virus.exe\"\r\n\r\nMZ\r\n",
    );
    for depth in (0..4).rev() {
        raw.push_str(&format!("--b{depth}--\r\n"));
    }
    let set = RuleSet::from_sources(&files);
    let program = Program::compile(&set).expect("rules compile");
    let message = Message::parse(
        raw.as_bytes(),
        Envelope::default(),
        &program.settings.limits,
    );
    let evaluation = evaluate(&program, &message, &EvalOptions::default());
    assert_eq!(
        evaluation.verdict.attachments_removed,
        vec!["virus.exe".to_string()]
    );
    assert_eq!(
        evaluation.verdict.limits_hit,
        vec!["max_mime_depth".to_string()]
    );
    assert_eq!(evaluation.removed_parts.len(), 1);
    let out = rulec::message::rewrite_at(
        raw.as_bytes(),
        &evaluation.verdict.headers,
        &evaluation.removed_headers,
        &evaluation.removed_parts,
        "",
    );
    let out = String::from_utf8_lossy(&out);
    assert!(!out.contains("virus.exe"), "{out}");
    assert!(!out.contains("MZ"), "{out}");
}
