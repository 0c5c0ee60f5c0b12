//! The examples of docs/user-language.md must behave as the document
//! states: a rule example under a diagnostic heading (`### E0502: …`) gives
//! that code with a message quoted in the prose after it, every other rule
//! example checks clean, and each row of the table of common mistakes gives
//! exactly the message and help it shows.

#[path = "user/common.rs"]
mod common;

use rulec::diag::Diagnostic;
use rulec::limits::Limits;
use rulec::span::SourceFile;

fn document() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/user-language.md");
    std::fs::read_to_string(path).expect("docs/user-language.md exists")
}

fn diagnostics(text: &str) -> Vec<Diagnostic> {
    let source = SourceFile::new("users/alice.rules", text.to_string());
    common::diagnostics_of(&source, &Limits::default())
}

/// A fenced block without an info string: the heading above it, its text,
/// and the prose up to the next block or heading.
struct Example {
    line: usize,
    heading: String,
    text: String,
    prose: String,
}

fn examples(markdown: &str) -> Vec<Example> {
    let mut found: Vec<Example> = Vec::new();
    let mut heading = String::new();
    let mut block: Option<Example> = None;
    let mut in_other_block = false;
    let mut prose_target: Option<usize> = None;
    for (index, line) in markdown.lines().enumerate() {
        let fence = line.trim_start().starts_with("```");
        if in_other_block {
            in_other_block = !fence;
            continue;
        }
        if let Some(example) = block.as_mut() {
            if fence {
                found.extend(block.take());
                prose_target = Some(found.len() - 1);
            } else {
                example.text.push_str(line);
                example.text.push('\n');
            }
            continue;
        }
        if fence {
            prose_target = None;
            if line.trim() == "```" {
                block = Some(Example {
                    line: index + 1,
                    heading: heading.clone(),
                    text: String::new(),
                    prose: String::new(),
                });
            } else {
                in_other_block = true;
            }
            continue;
        }
        if line.starts_with('#') {
            heading = line.to_string();
            prose_target = None;
            continue;
        }
        if let Some(target) = prose_target {
            found[target].prose.push_str(line);
            found[target].prose.push('\n');
        }
    }
    found
}

/// Returns the code in a heading such as `### E0502: unknown field`.
fn heading_code(heading: &str) -> Option<&str> {
    let rest = heading.strip_prefix("### ")?;
    let code = rest.split(':').next()?;
    let is_code = code.len() == 5
        && (code.starts_with('E') || code.starts_with('W'))
        && code[1..].chars().all(|c| c.is_ascii_digit());
    is_code.then_some(code)
}

#[test]
fn rule_examples_match_prose() {
    let markdown = document();
    let mut checked = 0;
    for example in examples(&markdown) {
        let first = example.text.trim_start();
        let text = if first.starts_with("if ") {
            // A block of bare conditions: each becomes a rule of its own.
            example
                .text
                .lines()
                .filter(|line| !line.trim().is_empty())
                .enumerate()
                .map(|(i, line)| format!("rule \"r{i}\"\n  {}\n  then mark read\n", line.trim()))
                .collect()
        } else if first.starts_with("rule ") || first.starts_with("# ") {
            example.text.clone()
        } else {
            continue;
        };
        checked += 1;
        let found = diagnostics(&text);
        match heading_code(&example.heading) {
            Some(code) => {
                let first = found.first().unwrap_or_else(|| {
                    panic!("line {}: expected {code}, got nothing", example.line)
                });
                assert_eq!(first.code, code, "line {}: {found:?}", example.line);
                let prose = example
                    .prose
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                assert!(
                    prose.contains(&first.message),
                    "line {}: the prose does not quote {:?}",
                    example.line,
                    first.message
                );
            }
            None => assert_eq!(found, vec![], "line {}", example.line),
        }
    }
    assert!(checked >= 15, "found only {checked} rule examples");
}

/// Returns the content of a table cell written as a code span, or `None` for
/// plain prose.
fn code_span(cell: &str) -> Option<String> {
    let cell = cell.trim();
    let inner = cell
        .strip_prefix("``")
        .and_then(|rest| rest.strip_suffix("``"))
        .or_else(|| {
            cell.strip_prefix('`')
                .and_then(|rest| rest.strip_suffix('`'))
        })?;
    Some(inner.trim().to_string())
}

/// Puts one line of the table into a rule where that line belongs.
fn in_a_rule(line: &str) -> String {
    let first = line.split_whitespace().next().unwrap_or("");
    match first {
        "rule" | "rul" => format!("{line}\n  if always\n  then stop\n"),
        "when" => format!("rule \"x\"\n  {line}\n  if always\n  then stop\n"),
        "if" => format!("rule \"x\"\n  {line}\n  then stop\n"),
        _ => format!("rule \"x\"\n  if always\n  {line}\n"),
    }
}

#[test]
fn table_of_common_mistakes_is_exact() {
    let markdown = document();
    let table = markdown
        .split("The common mistakes each have their own message:")
        .nth(1)
        .expect("the table of common mistakes");
    let mut rows = 0;
    for row in table.lines().skip_while(|line| line.trim().is_empty()) {
        if !row.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = row.trim_matches('|').split(" | ").collect();
        let (Some(line), Some(message)) = (code_span(cells[0]), code_span(cells[1])) else {
            continue;
        };
        rows += 1;
        let found = diagnostics(&in_a_rule(&line));
        assert_eq!(found.len(), 1, "{line}: {found:?}");
        assert_eq!(found[0].message, message, "{line}");
        if let Some(help) = cells.get(2).and_then(|cell| code_span(cell)) {
            assert_eq!(found[0].help.as_deref(), Some(help.as_str()), "{line}");
        }
    }
    assert!(rows >= 12, "found only {rows} rows");
}
