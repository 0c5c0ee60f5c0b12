//! The `mailrules` examples of docs/server-language.md must behave as the
//! document states: a plain example checks clean, and an example whose info
//! string has `fails=CODE` gives a diagnostic with that code.

use std::path::Path;

use rulec::check;
use rulec::ruleset::RuleSet;

/// One fenced example: its first line number, expected code and text.
struct Example {
    line: usize,
    expected: Option<String>,
    text: String,
}

fn examples(markdown: &str) -> Vec<Example> {
    let mut found = Vec::new();
    let mut current: Option<Example> = None;
    let mut in_other_block = false;
    for (index, line) in markdown.lines().enumerate() {
        if in_other_block {
            in_other_block = !line.trim_start().starts_with("```");
            continue;
        }
        if let Some(example) = current.as_mut() {
            if line.trim_start().starts_with("```") {
                found.extend(current.take());
            } else {
                example.text.push_str(line);
                example.text.push('\n');
            }
            continue;
        }
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let mut words = info.split_whitespace();
        if words.next() != Some("mailrules") {
            in_other_block = true;
            continue;
        }
        let expected = words
            .find_map(|word| word.strip_prefix("fails="))
            .map(str::to_string);
        current = Some(Example {
            line: index + 1,
            expected,
            text: String::new(),
        });
    }
    found
}

/// Checks one example in a rule set with the fixture lists the document
/// promises.
fn check_example(text: &str) -> Vec<String> {
    let set = RuleSet::from_sources(&[
        ("rules.mailrules", text),
        ("lists.badwords", "casino\nfree money\n"),
        ("rules.subjectblock", "viagra\n"),
    ]);
    check::check(&set)
        .iter()
        .map(|diagnostic| {
            format!(
                "{}:{} {} {}",
                diagnostic.span.line, diagnostic.span.column, diagnostic.code, diagnostic.message
            )
        })
        .collect()
}

#[test]
fn documented_examples_check_as_stated() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/server-language.md");
    let markdown = std::fs::read_to_string(path).expect("the language reference exists");
    let examples = examples(&markdown);
    assert!(
        examples.len() >= 30,
        "found only {} examples",
        examples.len()
    );

    let mut failures = Vec::new();
    for example in &examples {
        let diagnostics = check_example(&example.text);
        match &example.expected {
            None if !diagnostics.is_empty() => failures.push(format!(
                "example at line {} should check clean:\n  {}",
                example.line,
                diagnostics.join("\n  ")
            )),
            Some(code) if !diagnostics.iter().any(|d| d.contains(&format!(" {code} "))) => {
                failures.push(format!(
                    "example at line {} should give {code}, gave:\n  {}",
                    example.line,
                    diagnostics.join("\n  ")
                ));
            }
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
