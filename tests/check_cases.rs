//! Folder-driven checker cases: each directory under `tests/check/cases/`
//! is a small rule set with one kind of mistake (or none). The real
//! `rulec check` binary runs on it in every output format, and each output
//! is a snapshot that holds the diagnostics and the exit status.

use std::path::Path;
use std::process::Command;

const FORMATS: [&str; 3] = ["human", "json", "github"];

/// Runs `rulec check --format FORMAT .` inside a case directory, so file
/// names in the output do not depend on where the repository lives.
fn run_check(case: &Path, format: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args(["check", "--format", format, "."])
        .current_dir(case)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the rulec binary runs");
    format!(
        "exit status: {}\n--- stdout\n{}--- stderr\n{}",
        output
            .status
            .code()
            .map_or("signal".to_string(), |code| code.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    )
}

#[test]
fn check_cases() {
    let mut found = 0;
    insta::glob!("check/cases/*", |case| {
        if !case.is_dir() {
            return;
        }
        found += 1;
        for format in FORMATS {
            insta::assert_snapshot!(format, run_check(case, format));
        }
    });
    assert!(
        found >= 30,
        "found only {found} cases under tests/check/cases"
    );
}

/// Each case named after a code must report that code, so a snapshot
/// accepted by mistake cannot hide a missing diagnostic.
#[test]
fn cases_report_their_code() {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check/cases");
    let mut found = 0;
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&cases).expect("the cases directory exists") {
        let path = entry.expect("a readable directory entry").path();
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default()
            .to_string();
        let code = name
            .split('_')
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let output = run_check(&path, "json");
        found += 1;
        if name.starts_with("valid") {
            if !output.contains("--- stdout\n[]") {
                missing.push(format!("{name}: expected no diagnostics"));
            }
        } else if !output.contains(&format!("\"code\":\"{code}\""))
            && !output.contains(&format!("\"code\": \"{code}\""))
        {
            missing.push(format!("{name}: no {code} diagnostic"));
        }
    }
    assert!(
        found >= 30,
        "found only {found} cases under tests/check/cases"
    );
    assert!(
        missing.is_empty(),
        "cases without their diagnostic:\n{}",
        missing.join("\n")
    );
}
