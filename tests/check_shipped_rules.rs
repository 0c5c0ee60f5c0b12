//! The rule set shipped in `rules/` must check clean: no errors and no
//! warnings, so `rulec check --deny-warnings rules` passes.

use std::path::Path;

use rulec::check;
use rulec::ruleset::RuleSet;

#[test]
fn shipped_rules_check_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let set = RuleSet::load(&root).expect("the shipped rule set is readable");
    assert!(set.mailrules.is_some(), "rules/ has no rules.mailrules");
    let diagnostics = check::check(&set);
    let listed: Vec<String> = diagnostics
        .iter()
        .map(|diagnostic| {
            let file = &set.sources.get(diagnostic.span.file).name;
            format!(
                "{file}:{}:{} {} {}",
                diagnostic.span.line, diagnostic.span.column, diagnostic.code, diagnostic.message
            )
        })
        .collect();
    assert!(
        listed.is_empty(),
        "diagnostics on rules/:\n{}",
        listed.join("\n")
    );
}
