//! The real `rulec` binary on the shipped rules and sample messages:
//! `run`, `--emit`, `compile` and `run --compiled`, and their exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rulec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rulec"))
        .current_dir(repo())
        .args(args)
        .output()
        .expect("rulec starts")
}

/// Runs `rulec run --rules rules -q` with `args` appended.
fn run_shipped(args: &[&str]) -> Output {
    let mut all = vec!["run", "--rules", "rules", "-q"];
    all.extend_from_slice(args);
    rulec(&all)
}

fn verdicts(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON object per line"))
        .collect()
}

/// A fresh scratch directory under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

fn run_sample(name: &str) -> Value {
    let path = format!("rules/samples/{name}");
    let output = rulec(&["run", "--rules", "rules", "--quiet", &path]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let mut all = verdicts(&output);
    assert_eq!(all.len(), 1);
    all.remove(0)
}

fn tests_of(verdict: &Value) -> Vec<&str> {
    verdict["spam"]["tests"]
        .as_array()
        .expect("tests array")
        .iter()
        .map(|test| test.as_str().expect("test name"))
        .collect()
}

#[test]
fn ham_sample_is_clean() {
    let verdict = run_sample("ham.eml");
    assert_eq!(verdict["input"], "rules/samples/ham.eml");
    assert_eq!(verdict["disposition"], "accept");
    assert_eq!(verdict["spam"]["level"], 0);
    assert_eq!(verdict["spam"]["band"], "none");
    assert!(tests_of(&verdict).is_empty());
    assert_eq!(verdict["headers"]["add"], serde_json::json!([]));
}

#[test]
fn spam_sample_is_junk() {
    let verdict = run_sample("spam.eml");
    assert_eq!(verdict["disposition"], "accept");
    assert_eq!(verdict["spam"]["junk"], true);
    assert_eq!(verdict["message_id"], Value::Null);
    let tests = tests_of(&verdict);
    assert!(tests.contains(&"NO_MESSAGE_ID"), "{tests:?}");
    assert!(tests.contains(&"NUMERIC_URL"), "{tests:?}");
    let added = verdict["headers"]["add"].as_array().expect("add");
    let level = verdict["spam"]["level"].to_string();
    assert!(added.contains(&serde_json::json!(["X-SPAM-Level", level])));
    assert!(added.contains(&serde_json::json!(["X-SPAM-Warning", "HIGH"])));
}

#[test]
fn reject_sample_gets_550() {
    let verdict = run_sample("reject.eml");
    assert_eq!(verdict["disposition"], "reject");
    assert_eq!(verdict["reply"]["code"], 550);
    let text = verdict["reply"]["text"].as_str().expect("reply text");
    assert!(text.starts_with("5.7.1 Message rejected as spam"), "{text}");
    assert_eq!(verdict["spam"]["band"], "extreme");
}

#[test]
fn attachment_sample_loses_its_exe() {
    let verdict = run_sample("attachment.eml");
    assert_eq!(
        verdict["attachments_removed"],
        serde_json::json!(["invoice.pdf.exe"])
    );
    assert!(tests_of(&verdict).contains(&"DOUBLE_EXTENSION"));
}

#[test]
fn explain_lists_fired_lines() {
    let output = run_shipped(&["--explain", "rules/samples/spam.eml"]);
    let verdict = &verdicts(&output)[0];
    let fired = verdict["fired"].as_array().expect("fired with --explain");
    assert!(!fired.is_empty());
    for entry in fired {
        assert!(entry["file"]
            .as_str()
            .expect("file")
            .ends_with("rules.mailrules"));
        assert!(entry["line"].as_u64().expect("line") > 0);
    }
}

#[test]
fn verdicts_omit_fired_without_explain() {
    let verdict = run_sample("spam.eml");
    assert!(verdict.get("fired").is_none());
}

#[test]
fn emit_writes_rewritten_messages() {
    let dir = scratch("emit");
    let dir_arg = dir.to_str().expect("UTF-8 path");
    let output = run_shipped(&["--emit", dir_arg, "rules/samples/"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let written = |name: &str| std::fs::read_to_string(dir.join(name)).ok();

    let spam = written("rules_samples_spam.eml").expect("accepted spam is emitted");
    assert!(spam.contains("X-SPAM-Warning: HIGH"), "{spam}");
    let attachment = written("rules_samples_attachment.eml").expect("attachment sample emitted");
    assert!(
        !attachment.contains("TVqQAAMAAAAEAAAA"),
        "the exe body is gone"
    );
    assert!(
        attachment.contains("invoice.pdf.exe"),
        "the replacement names the file"
    );
    assert!(
        written("rules_samples_reject.eml").is_none(),
        "rejected mail is not emitted"
    );
}

#[test]
fn compiled_program_gives_same_verdicts() {
    let dir = scratch("compiled");
    let program = dir.join("rules.rulec");
    let program_arg = program.to_str().expect("UTF-8 path");
    let output = rulec(&["compile", "--rules", "rules", "-o", program_arg]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");

    let direct = rulec(&["run", "--rules", "rules", "-q", "rules/samples/"]);
    let compiled = rulec(&["run", "--compiled", program_arg, "-q", "rules/samples/"]);
    assert_eq!(verdicts(&direct), verdicts(&compiled));
    let samples = std::fs::read_dir(repo().join("rules/samples"))
        .expect("samples")
        .count();
    assert_eq!(verdicts(&direct).len(), samples);
}

#[test]
fn stale_compiled_program_is_rejected() {
    let dir = scratch("stale");
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).expect("rules dir");
    std::fs::write(
        rules.join("rules.mailrules"),
        "Subject: \"a\" SET $spamlevel += 1\n",
    )
    .expect("write rules");
    let program = dir.join("p.rulec");
    let (rules_arg, program_arg) = (rules.to_str().unwrap(), program.to_str().unwrap());
    assert_eq!(
        rulec(&["compile", "--rules", rules_arg, "-o", program_arg])
            .status
            .code(),
        Some(0)
    );

    std::fs::write(
        rules.join("rules.mailrules"),
        "Subject: \"b\" SET $spamlevel += 1\n",
    )
    .expect("change rules");
    let output = rulec(&[
        "run",
        "--compiled",
        program_arg,
        "--rules",
        rules_arg,
        "-q",
        "rules/samples/ham.eml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is stale"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn damaged_compiled_program_is_rejected() {
    let dir = scratch("damaged");
    let program = dir.join("p.rulec");
    let program_arg = program.to_str().expect("UTF-8 path");
    assert_eq!(
        rulec(&["compile", "--rules", "rules", "-o", program_arg])
            .status
            .code(),
        Some(0)
    );
    let mut bytes = std::fs::read(&program).expect("program bytes");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x5a;
    std::fs::write(&program, &bytes).expect("write damaged program");
    let output = rulec(&[
        "run",
        "--compiled",
        program_arg,
        "-q",
        "rules/samples/ham.eml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot use compiled program"));
}

#[test]
fn rules_with_errors_exit_1() {
    let dir = scratch("broken");
    std::fs::write(
        dir.join("rules.mailrules"),
        "Subject: IF (@nosuch($subject)) DONE\n",
    )
    .expect("write rules");
    let output = rulec(&[
        "run",
        "--rules",
        dir.to_str().unwrap(),
        "-q",
        "rules/samples/ham.eml",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("E0101"));
    assert!(
        output.stdout.is_empty(),
        "no verdicts from rules with errors"
    );
}

#[test]
fn missing_input_exits_2_and_keeps_going() {
    let output = run_shipped(&["no/such/file.eml", "rules/samples/ham.eml"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        verdicts(&output).len(),
        1,
        "the readable input still gets its verdict"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("no/such/file.eml"));
}

#[test]
fn usage_error_exits_2() {
    let output = rulec(&["run", "rules/samples/ham.eml"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn standard_input_is_read_with_dash() {
    let message = std::fs::read(repo().join("rules/samples/spam.eml")).expect("sample");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .current_dir(repo())
        .args(["run", "--rules", "rules", "-q", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("rulec starts");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&message)
        .expect("write stdin");
    let output = child.wait_with_output().expect("rulec ends");
    let all = verdicts(&output);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["spam"]["junk"], true);
}

#[test]
fn invalid_sender_ip_exits_2() {
    let output = run_shipped(&["--sender-ip", "999.1.1.1", "rules/samples/ham.eml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid --sender-ip `999.1.1.1`"));
    assert!(output.stdout.is_empty());
}

#[test]
fn user_name_with_path_exits_2() {
    let output = run_shipped(&["--user", "../alice", "rules/samples/ham.eml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid --user"));
}

#[test]
fn unknown_user_gets_warning_and_no_actions() {
    let output = run_shipped(&["--user", "zed", "rules/samples/ham.eml"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("user `zed` has no personal rules"));
    let verdict = &verdicts(&output)[0];
    assert_eq!(
        verdict["users"],
        serde_json::json!([{"user": "zed", "actions": []}])
    );
}

#[test]
fn blocked_client_ip_is_rejected() {
    let output = run_shipped(&["--sender-ip", "203.0.113.66", "rules/samples/ham.eml"]);
    let verdict = &verdicts(&output)[0];
    assert_eq!(verdict["disposition"], "reject");
    let text = verdict["reply"]["text"].as_str().expect("reply text");
    assert!(text.contains("203.0.113.66"), "{text}");
}

#[test]
fn trusted_client_ip_skips_rules() {
    let output = run_shipped(&["--sender-ip", "198.51.100.7", "rules/samples/spam.eml"]);
    let verdict = &verdicts(&output)[0];
    assert_eq!(verdict["disposition"], "accept");
    assert_eq!(verdict["spam"]["level"], 0, "DONE at ^ skips all scoring");
}

#[test]
fn full_standard_output_exits_2() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full exists on Linux");
    let output = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .current_dir(repo())
        .args(["run", "--rules", "rules", "-q", "rules/samples/"])
        .stdout(full)
        .output()
        .expect("rulec starts");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("failed to write to standard output"));
}

#[test]
fn listing_shows_server_and_user_rules() {
    let output = rulec(&["listing", "--rules", "rules"]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("rules.mailrules:"),
        "server rules carry their lines"
    );
    assert!(text.contains("user alice (users/alice.rules)"));
    assert!(text.contains("\"Mum is urgent\""));
}
