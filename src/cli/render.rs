//! Rendering of diagnostics: compiler-style text, JSON and GitHub
//! workflow annotations.

use std::fmt::Write;

use serde::Serialize;

use rulec::diag::{Diagnostic, Severity};
use rulec::ruleset::RuleSet;
use rulec::span::SourceFile;

/// Renders compiler-style text: the message, `file:line:column`, the source
/// line with a caret under the span, and the help line; then a summary.
pub fn human(sets: &[(RuleSet, Vec<Diagnostic>)]) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings) = (0, 0);
    for (set, diagnostics) in sets {
        for diagnostic in diagnostics {
            match diagnostic.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
            render_one(&mut out, set.sources.get(diagnostic.span.file), diagnostic);
        }
    }
    if errors + warnings > 0 {
        let _ = writeln!(
            out,
            "rulec: {} and {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        );
    }
    out
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn render_one(out: &mut String, source: &SourceFile, diagnostic: &Diagnostic) {
    let span = diagnostic.span;
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = writeln!(
        out,
        "{severity}[{}]: {}",
        diagnostic.code, diagnostic.message
    );
    let gutter = span.line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(
        out,
        "{pad}--> {}:{}:{}",
        source.name, span.line, span.column
    );

    let line = source.line_text(span.line);
    if !line.is_empty() || span.line as usize <= source.line_count() {
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{} | {}", span.line, line);
        let _ = writeln!(
            out,
            "{pad} | {}",
            caret_line(line, span.column, span_width(line, &span))
        );
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "{pad} = help: {help}");
    }
    out.push('\n');
}

/// Number of characters the caret covers: the span on its first line, at
/// least one.
fn span_width(line: &str, span: &rulec::span::Span) -> usize {
    let start = span.column as usize;
    let end = if span.end_line == span.line {
        span.end_column as usize
    } else {
        line.chars().count() + 1
    };
    end.saturating_sub(start).max(1)
}

/// Builds the marker line. Tabs before the span are copied so the caret
/// lines up however the terminal expands them.
fn caret_line(line: &str, column: u32, width: usize) -> String {
    let mut marker: String = line
        .chars()
        .take(column.saturating_sub(1) as usize)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    marker.push_str(&"^".repeat(width));
    marker
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    severity: Severity,
    code: &'a str,
    message: &'a str,
    help: Option<&'a str>,
}

/// Renders one JSON array with an object per diagnostic.
pub fn json(sets: &[(RuleSet, Vec<Diagnostic>)]) -> String {
    let mut items = Vec::new();
    for (set, diagnostics) in sets {
        for diagnostic in diagnostics {
            let span = diagnostic.span;
            items.push(JsonDiagnostic {
                file: &set.sources.get(span.file).name,
                line: span.line,
                column: span.column,
                end_line: span.end_line,
                end_column: span.end_column,
                severity: diagnostic.severity,
                code: diagnostic.code,
                message: &diagnostic.message,
                help: diagnostic.help.as_deref(),
            });
        }
    }
    let mut text = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}

/// Renders GitHub Actions annotation lines (`::error file=…::message`).
pub fn github(sets: &[(RuleSet, Vec<Diagnostic>)]) -> String {
    let mut out = String::new();
    for (set, diagnostics) in sets {
        for diagnostic in diagnostics {
            let span = diagnostic.span;
            let level = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut message = diagnostic.message.clone();
            if let Some(help) = &diagnostic.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let _ = writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&set.sources.get(span.file).name),
                span.line,
                span.column,
                span.end_line,
                span.end_column,
                diagnostic.code,
                escape_data(&message)
            );
        }
    }
    out
}

/// Escapes a workflow-command message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value, which also reserves `:` and
/// `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
