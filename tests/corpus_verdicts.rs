//! The shared verdict corpus: each directory under `tests/corpus/` is one
//! case with a small rule set in `rules/`, one or more `.eml` messages,
//! and an optional `case.toml` with the SMTP envelope and the users whose
//! rules run:
//!
//! ```toml
//! sender = "bob@example.net"
//! sender_ip = "192.0.2.7"
//! helo = "mail.example.net"
//! recipients = ["alice@example.org"]
//! users = ["alice"]
//! explain = false   # default true: the snapshots list the fired rules
//! ```
//!
//! Each message's verdict JSON is pinned in `MESSAGE.snap` beside it. Every
//! case is its own test (see `corpus_cases!`), and each message runs twice:
//! on the compiled program and on that program after a round trip through
//! the compiled-program file format, which must agree.

use std::fs;
use std::path::{Path, PathBuf};

use rulec::message::{Envelope, Message};
use rulec::program::Program;
use rulec::ruleset::RuleSet;
use rulec::vm::{evaluate, EvalOptions};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct CaseSettings {
    sender: Option<String>,
    sender_ip: Option<String>,
    helo: Option<String>,
    recipients: Vec<String>,
    users: Vec<String>,
    explain: Option<bool>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Runs every message of one case and compares its verdict with the
/// snapshot.
fn run_case(name: &str) {
    let dir = corpus_dir().join(name);
    let settings: CaseSettings = match fs::read_to_string(dir.join("case.toml")) {
        Ok(text) => toml::from_str(&text).expect("case.toml is valid"),
        Err(_) => CaseSettings::default(),
    };
    let set = RuleSet::load(&dir.join("rules")).expect("the case has a rules/ directory");
    let program = match Program::compile(&set) {
        Ok(program) => program,
        Err(errors) => panic!("rules of case `{name}` do not compile: {errors:#?}"),
    };
    let reloaded = Program::from_bytes(&program.to_bytes()).expect("program round-trips");

    let mut messages: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("case directory is readable")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
        .collect();
    messages.sort();
    assert!(!messages.is_empty(), "case `{name}` has no .eml message");

    for path in messages {
        let raw = fs::read(&path).expect("message is readable");
        let envelope = Envelope {
            sender: settings.sender.clone(),
            client_ip: settings.sender_ip.clone(),
            helo: settings.helo.clone(),
            recipients: settings.recipients.clone(),
        };
        let message = Message::parse(&raw, envelope, &program.settings.limits);
        let stem = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .expect("message file name is UTF-8")
            .to_string();
        let options = EvalOptions {
            input: format!("{name}/{stem}.eml"),
            users: settings.users.clone(),
            explain: settings.explain.unwrap_or(true),
            user_run: None,
        };
        let evaluation = evaluate(&program, &message, &options);
        let again = evaluate(&reloaded, &message, &options);
        assert_eq!(
            evaluation, again,
            "verdict of {stem} changes after a to_bytes/from_bytes round trip"
        );
        let mut insta_settings = insta::Settings::clone_current();
        insta_settings.set_snapshot_path(&dir);
        insta_settings.set_prepend_module_to_snapshot(false);
        insta_settings.set_input_file(&path);
        insta_settings.bind(|| {
            insta::assert_json_snapshot!(stem.as_str(), evaluation.verdict);
        });
    }
}

/// Declares one test per case directory, and a test that every directory
/// is declared.
macro_rules! corpus_cases {
    ($($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                run_case(stringify!($case));
            }
        )*

        #[test]
        fn every_case_directory_is_listed() {
            let listed = [$(stringify!($case)),*];
            let mut found = Vec::new();
            for entry in fs::read_dir(corpus_dir()).expect("tests/corpus exists") {
                let entry = entry.expect("directory entry");
                if entry.path().is_dir() {
                    found.push(entry.file_name().to_string_lossy().into_owned());
                }
            }
            assert!(!found.is_empty(), "tests/corpus has no case");
            for case in &found {
                assert!(listed.contains(&case.as_str()), "case `{case}` is not listed in corpus_cases!");
            }
            for case in listed {
                assert!(found.iter().any(|known| known == case), "listed case `{case}` has no directory");
            }
        }
    };
}

corpus_cases! {
    actions_headers,
    actions_set_operators,
    attachment_block,
    attachment_block_after_reject,
    automatic_headers_off,
    automatic_headers_set_by_rules,
    band_edges,
    band_thresholds_configured,
    captures,
    condition_forms,
    condition_glob_anchored,
    done_stops_rules,
    expression_operators,
    functions,
    fuzz_envelope_non_ascii_ip,
    header_if_set,
    instruction_budget,
    interpolation,
    malformed_message,
    message_variables,
    multiple_header_occurrences,
    ndn_configured_text,
    rejections,
    selector_any_header,
    selector_attachment,
    selector_attachment_headers,
    selector_begin,
    selector_begin_other_sender,
    selector_body,
    selector_headers_end,
    selector_link,
    selector_message_end,
    string_limit,
    user_tier,
}
