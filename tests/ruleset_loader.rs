//! The rule-set loader on real directories: links, names that differ only
//! in case, a missing `rules.mailrules`, and limits read from `rulec.toml`.

use std::fs;
use std::path::PathBuf;

use rulec::diag::codes;
use rulec::ruleset::RuleSet;

/// Creates an empty rule-set directory under the target directory.
fn rule_set_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("loader")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create rule-set directory");
    dir
}

fn codes_of(set: &RuleSet) -> Vec<&'static str> {
    set.diagnostics
        .iter()
        .map(|diagnostic| diagnostic.code)
        .collect()
}

#[test]
fn symlinked_rules_are_read() {
    let dir = rule_set_dir("symlink");
    let target = dir
        .parent()
        .expect("parent")
        .join("symlink-target.mailrules");
    fs::write(&target, "Subject: \"x\" SET $spamlevel += 1\n").expect("write target");
    std::os::unix::fs::symlink(&target, dir.join("rules.mailrules")).expect("symlink");

    let set = RuleSet::load(&dir).expect("load");
    let rules = set.mailrules.expect("linked rules.mailrules is loaded");
    assert_eq!(rules.ast.rules.len(), 1);
    assert!(set.diagnostics.is_empty(), "{:?}", set.diagnostics);
}

#[test]
fn dangling_symlink_is_an_error() {
    let dir = rule_set_dir("dangling");
    std::os::unix::fs::symlink(dir.join("missing"), dir.join("rules.mailrules")).expect("symlink");
    let set = RuleSet::load(&dir).expect("load");
    assert_eq!(codes_of(&set), vec![codes::IO]);
}

#[test]
fn names_differing_in_case_are_an_error() {
    let dir = rule_set_dir("case");
    fs::write(
        dir.join("rules.mailrules"),
        "Subject: \"a\" SET $spamlevel += 1\n",
    )
    .unwrap();
    fs::write(
        dir.join("RULES.MAILRULES"),
        "Subject: \"b\" SET $spamlevel += 2\n",
    )
    .unwrap();
    let set = RuleSet::load(&dir).expect("load");
    assert_eq!(codes_of(&set), vec![codes::DUPLICATE_FILE]);
    let message = &set.diagnostics[0].message;
    assert!(message.contains("rules.mailrules"), "{message}");
    assert!(message.contains("RULES.MAILRULES"), "{message}");
}

#[test]
fn missing_server_rules_is_a_warning() {
    let dir = rule_set_dir("empty");
    let set = RuleSet::load(&dir).expect("load");
    assert_eq!(codes_of(&set), vec![codes::NO_SERVER_RULES]);
}

#[test]
fn expression_depth_over_ceiling_is_rejected() {
    let dir = rule_set_dir("depth");
    fs::write(
        dir.join("rulec.toml"),
        "[limits]\nmax_expression_depth = 1000\n",
    )
    .unwrap();
    fs::write(
        dir.join("rules.mailrules"),
        "Subject: \"a\" SET $spamlevel += 1\n",
    )
    .unwrap();
    let set = RuleSet::load(&dir).expect("load");
    assert_eq!(codes_of(&set), vec![codes::INVALID_CONFIG]);
    assert!(set.diagnostics[0].message.contains("1000"));
    assert_eq!(
        set.config.limits.max_expression_depth, 64,
        "the defaults stay"
    );
}

#[test]
fn band_thresholds_out_of_order_are_rejected() {
    let dir = rule_set_dir("bands");
    fs::write(
        dir.join("rulec.toml"),
        "[bands]\nhigh_min = 50\nhigh_max = 40\nlow_min = 0\n",
    )
    .unwrap();
    fs::write(
        dir.join("rules.mailrules"),
        "Subject: \"a\" SET $spamlevel += 1\n",
    )
    .unwrap();
    let set = RuleSet::load(&dir).expect("load");
    assert_eq!(
        codes_of(&set),
        vec![codes::INVALID_CONFIG, codes::INVALID_CONFIG]
    );
    let mut lines: Vec<u32> = set.diagnostics.iter().map(|d| d.span.line).collect();
    lines.sort();
    assert_eq!(lines, vec![3, 4], "each problem points at its key's line");
    assert_eq!(set.config.bands.high_max, 100, "the defaults stay");
}

#[test]
fn lone_carriage_return_is_an_error() {
    let dir = rule_set_dir("lone-cr");
    let text = "# a comment\rSubject: \"a\" SET $spamlevel += 1\r\nFrom: \"b\" DONE\n";
    fs::write(dir.join("rules.mailrules"), text).unwrap();
    let set = RuleSet::load(&dir).expect("load");
    assert_eq!(codes_of(&set), vec![codes::LONE_CARRIAGE_RETURN]);
    assert_eq!(set.diagnostics[0].span.line, 1);
    assert_eq!(set.diagnostics[0].span.column, 12);
}
