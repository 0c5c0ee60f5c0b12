//! Decisions that must not rest on what the sender wrote: the server tier
//! ignores a forged Return-Path, and personal auto replies are never sent
//! to automated mail.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("trust")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

fn run(args: &[&str]) -> (Output, Vec<Value>) {
    let output = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .current_dir(repo())
        .args(args)
        .output()
        .expect("rulec starts");
    let verdicts = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON verdict"))
        .collect();
    (output, verdicts)
}

#[test]
fn forged_return_path_is_not_trusted() {
    let dir = scratch("forged");
    let sample = fs::read_to_string(repo().join("rules/samples/reject.eml")).expect("sample");
    // postmaster@example.org is in the shipped rules.trusted.
    let forged = sample.replacen(
        "Return-Path: <bounce-8812@luxury-deals.example>",
        "Return-Path: <postmaster@example.org>",
        1,
    );
    assert_ne!(forged, sample, "the sample starts with its Return-Path");
    let message = dir.join("forged.eml");
    fs::write(&message, forged).expect("write message");

    let (_, verdicts) = run(&["run", "--rules", "rules", "-q", message.to_str().unwrap()]);
    assert_eq!(verdicts[0]["disposition"], "reject");

    let (_, verdicts) = run(&[
        "run",
        "--rules",
        "rules",
        "-q",
        "--sender",
        "postmaster@example.org",
        message.to_str().unwrap(),
    ]);
    assert_eq!(
        verdicts[0]["disposition"], "accept",
        "the envelope is trusted"
    );
    assert_eq!(verdicts[0]["spam"]["level"], 0);
}

#[test]
fn auto_reply_skips_automated_mail() {
    let dir = scratch("auto-reply");
    let rules = dir.join("rules");
    fs::create_dir_all(rules.join("users")).expect("rules");
    fs::write(rules.join("rules.mailrules"), "^: SET $x = 1\n").expect("server rules");
    fs::write(
        rules.join("users/carol.rules"),
        "rule \"Away\"\n  if always\n  then auto reply \"Back on Monday.\", mark read\n",
    )
    .expect("user rules");
    let bounce = dir.join("bounce.eml");
    fs::write(
        &bounce,
        "Return-Path: <>\nFrom: MAILER-DAEMON@example.org\nTo: carol@example.net\n\
         Subject: Undelivered Mail Returned to Sender\nAuto-Submitted: auto-replied\n\n\
         The message could not be delivered.\n",
    )
    .expect("bounce");
    let plain = repo().join("rules/samples/ham.eml");

    let (output, verdicts) = run(&[
        "run",
        "--rules",
        rules.to_str().unwrap(),
        "-q",
        "--user",
        "carol",
        bounce.to_str().unwrap(),
        plain.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let bounce_actions = &verdicts[0]["users"][0]["actions"];
    assert_eq!(
        bounce_actions,
        &serde_json::json!([{"action": "mark_read"}])
    );
    let plain_actions = verdicts[1]["users"][0]["actions"]
        .as_array()
        .expect("actions");
    assert_eq!(plain_actions[0]["action"], "auto_reply");
}
