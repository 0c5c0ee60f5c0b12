//! The personal rules shipped in `rules/users/` run through the real
//! binary on the sample messages; the snapshot contains each user's actions.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// Runs the shipped rules for alice and bob and renders, per message, the
/// disposition and each user's actions as one readable block.
fn user_actions() -> String {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .current_dir(&repo)
        .args([
            "run", "--rules", "rules", "--quiet", "--user", "alice", "--user", "bob",
        ])
        .arg("rules/samples/")
        .output()
        .expect("rulec starts");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let mut text = String::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let verdict: Value = serde_json::from_str(line).expect("JSON verdict");
        text.push_str(&format!(
            "{} ({}, {})\n",
            verdict["input"].as_str().expect("input"),
            verdict["disposition"].as_str().expect("disposition"),
            verdict["spam"]["band"].as_str().expect("band"),
        ));
        for user in verdict["users"].as_array().expect("users") {
            let name = user["user"].as_str().expect("user");
            text.push_str(&format!("  {name}: {}\n", user["actions"]));
        }
    }
    text
}

#[test]
fn shipped_user_rules_on_samples() {
    let text = user_actions();
    // The two examples of the user-tier design must behave as written.
    assert!(text.contains(r#"{"action":"set_priority","priority":"urgent"}"#));
    assert!(text.contains(r#"{"action":"delete_silently"}"#));
    assert!(text.contains(r#"{"action":"file_into","folder":"Lists/Hiking"}"#));
    insta::assert_snapshot!(text);
}

#[test]
fn trigger_sent_runs_sent_rules() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .current_dir(&repo)
        .args([
            "run",
            "--rules",
            "rules",
            "-q",
            "--user",
            "bob",
            "--trigger",
            "sent",
        ])
        .arg("rules/samples/ham.eml")
        .output()
        .expect("rulec starts");
    let verdict: Value = serde_json::from_slice(&output.stdout).expect("one JSON verdict");
    // Only bob's `when sent` rule runs: no vacation reply to his own mail.
    assert_eq!(
        verdict["users"][0]["actions"],
        serde_json::json!([{"action": "file_into", "folder": "Sent/Copies"}])
    );
}

#[test]
fn now_option_fixes_the_clock() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("now-option");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("users")).expect("rule-set directory");
    std::fs::write(
        dir.join("rules.mailrules"),
        "^: SET $x = 1\n.: IF ($x) DONE\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("users/dana.rules"),
        "rule \"Recent\"\n  if date sent within 2 days\n  then mark read\n",
    )
    .unwrap();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // ham.eml was sent on 10 November 2026 at 08:41 UTC (1794300062).
    let run_at = |now: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_rulec"))
            .current_dir(&repo)
            .args(["run", "-q", "--user", "dana", "--now", now, "--rules"])
            .arg(&dir)
            .arg("rules/samples/ham.eml")
            .output()
            .expect("rulec starts");
        let verdict: Value = serde_json::from_slice(&output.stdout).expect("one JSON verdict");
        verdict["users"][0]["actions"].clone()
    };
    assert_eq!(
        run_at("1794386462"),
        serde_json::json!([{"action": "mark_read"}])
    );
    assert_eq!(run_at("1794732062"), serde_json::json!([]));
}
