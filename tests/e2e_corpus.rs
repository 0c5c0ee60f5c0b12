//! End-to-end runs of the real `rulec` binary with the shipped rules over
//! real mail: the SpamAssassin public corpus (fetched by
//! `bench/fetch-corpus.sh`, never committed) and mail-parser's own test
//! messages from the cargo registry, malformed ones included.
//!
//! Each run must give exactly one well-formed verdict per message and exit
//! with status 0: no panic, no lost message.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Counts the regular files below `dir`, skipping dotfiles.
fn count_files(dir: &Path) -> usize {
    let mut count = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable corpus directory") {
            let entry = entry.expect("readable directory entry");
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let kind = entry.file_type().expect("file type");
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                count += 1;
            }
        }
    }
    count
}

/// Runs `rulec run --rules rules --quiet DIR` and returns the verdicts.
fn run_rulec(dir: &Path) -> Vec<Value> {
    let output = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args(["run", "--quiet", "--rules"])
        .arg(repo().join("rules"))
        .arg(dir)
        .output()
        .expect("rulec starts");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "rulec exited with {:?}: {stderr}",
        output.status
    );
    assert!(!stderr.contains("panicked"), "rulec panicked: {stderr}");
    String::from_utf8(output.stdout)
        .expect("verdicts are UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect()
}

/// Asserts that a verdict has every field of the JSON contract with the
/// right type.
fn assert_contract(verdict: &Value) {
    let input = verdict["input"].as_str().expect("input is a string");
    assert!(
        verdict["message_id"].is_null() || verdict["message_id"].is_string(),
        "{input}: message_id"
    );
    let disposition = verdict["disposition"].as_str().expect("disposition");
    assert!(
        ["accept", "reject", "discard"].contains(&disposition),
        "{input}: disposition {disposition}"
    );
    if disposition == "reject" {
        assert!(verdict["reply"]["code"].is_u64(), "{input}: reply code");
        assert!(verdict["reply"]["text"].is_string(), "{input}: reply text");
    } else {
        assert!(verdict["reply"].is_null(), "{input}: reply must be null");
    }
    let spam = &verdict["spam"];
    let level = spam["level"].as_i64().expect("spam.level is an integer");
    let band = spam["band"].as_str().expect("spam.band");
    let expected_band = match level {
        i64::MIN..=0 => "none",
        1..=24 => "low",
        25..=49 => "medium",
        50..=100 => "high",
        _ => "extreme",
    };
    assert_eq!(band, expected_band, "{input}: band of level {level}");
    assert!(spam["tests"].is_array(), "{input}: spam.tests");
    assert!(spam["junk"].is_boolean(), "{input}: spam.junk");
    for key in ["add", "replace", "remove"] {
        assert!(verdict["headers"][key].is_array(), "{input}: headers.{key}");
    }
    assert!(
        verdict["attachments_removed"].is_array(),
        "{input}: attachments_removed"
    );
    assert!(verdict["users"].is_array(), "{input}: users");
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = repo().join("bench/data/corpus");
    if dir.join("ham").is_dir() && dir.join("spam").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("RULEC_REQUIRE_CORPUS").is_none(),
        "RULEC_REQUIRE_CORPUS is set but {} is missing; run bench/fetch-corpus.sh",
        dir.display()
    );
    eprintln!(
        "skipped: {} is missing; run bench/fetch-corpus.sh",
        dir.display()
    );
    None
}

#[test]
fn spamassassin_corpus_gets_one_verdict_each() {
    let Some(corpus) = corpus_dir() else { return };
    let mut flagged = [0usize; 2];
    let mut totals = [0usize; 2];
    for (index, kind) in ["ham", "spam"].iter().enumerate() {
        let dir = corpus.join(kind);
        let expected = count_files(&dir);
        assert!(expected > 1000, "{kind}: only {expected} messages");
        let verdicts = run_rulec(&dir);
        assert_eq!(verdicts.len(), expected, "{kind}: one verdict per message");
        for verdict in &verdicts {
            assert_contract(verdict);
            if verdict["spam"]["band"] != "none" || verdict["disposition"] != "accept" {
                flagged[index] += 1;
            }
        }
        totals[index] = expected;
    }
    let ham_rate = flagged[0] as f64 / totals[0] as f64;
    let spam_rate = flagged[1] as f64 / totals[1] as f64;
    eprintln!(
        "shipped rules: {} of {} ham flagged ({:.1}%), {} of {} spam flagged ({:.1}%)",
        flagged[0],
        totals[0],
        ham_rate * 100.0,
        flagged[1],
        totals[1],
        spam_rate * 100.0
    );
    // The shipped rules are a small demonstration set, not a tuned filter,
    // but they must separate the two sides clearly.
    assert!(
        spam_rate > ham_rate * 2.0,
        "spam flagged {spam_rate:.3} vs ham {ham_rate:.3}"
    );
}

/// Finds mail-parser's test messages in the cargo registry.
fn mail_parser_messages() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))?;
    let registry = home.join("registry/src");
    for index in std::fs::read_dir(registry).ok()?.flatten() {
        for package in std::fs::read_dir(index.path()).ok()?.flatten() {
            let name = package.file_name().to_string_lossy().into_owned();
            let dir = package.path().join("resources/eml");
            if name.starts_with("mail-parser-0.11") && dir.is_dir() {
                return Some(dir);
            }
        }
    }
    None
}

#[test]
fn mail_parser_test_messages_get_one_verdict_each() {
    let dir = mail_parser_messages().expect(
        "mail-parser 0.11 is a dependency, so its package with resources/eml is in the registry",
    );
    let expected = count_files(&dir);
    assert!(
        expected > 50,
        "only {expected} files under {}",
        dir.display()
    );
    let verdicts = run_rulec(&dir);
    assert_eq!(verdicts.len(), expected, "one verdict per file");
    for verdict in &verdicts {
        assert_contract(verdict);
    }
}
