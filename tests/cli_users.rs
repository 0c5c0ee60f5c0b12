//! The personal rules shipped in `rules/users/` run through the real
//! binary on the sample messages; the snapshot holds each user's actions.

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
