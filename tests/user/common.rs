//! Helpers shared by the user-tier integration tests.

#![allow(dead_code)]

use rulec::diag::{Diagnostic, Severity};
use rulec::limits::Limits;
use rulec::span::{FileId, SourceFile};

/// Parses and checks a personal rule file, returning every diagnostic in
/// source order.
pub fn diagnostics_of(source: &SourceFile, limits: &Limits) -> Vec<Diagnostic> {
    let (rules, mut diagnostics) = rulec::syntax::user::parse(FileId(0), source, limits);
    diagnostics.extend(rulec::check::user::check(&rules, limits));
    rulec::diag::sort(&mut diagnostics);
    diagnostics
}

/// Renders diagnostics the way a compiler does: severity, code, message,
/// location, the source line with a caret line under the span, and help.
pub fn render(source: &SourceFile, diagnostics: &[Diagnostic]) -> String {
    if diagnostics.is_empty() {
        return "no diagnostics\n".to_string();
    }
    let mut out = String::new();
    for diagnostic in diagnostics {
        let severity = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let span = diagnostic.span;
        out.push_str(&format!(
            "{severity}[{}]: {}\n",
            diagnostic.code, diagnostic.message
        ));
        out.push_str(&format!(
            " --> {}:{}:{}\n",
            source.name, span.line, span.column
        ));
        let text = source.line_text(span.line);
        // Long lines (generated cases) are cut so snapshots stay readable.
        let shown: String = text.chars().take(100).collect();
        let width = if span.end_line == span.line {
            span.end_column.saturating_sub(span.column).max(1)
        } else {
            (text.chars().count() as u32 + 1)
                .saturating_sub(span.column)
                .max(1)
        };
        let gutter = span.line.to_string().len();
        out.push_str(&format!("{:gutter$} |\n", ""));
        out.push_str(&format!("{} | {}\n", span.line, shown));
        if span.column <= 100 {
            let pad = " ".repeat(span.column as usize - 1);
            let carets = "^".repeat((width as usize).min(101 - span.column as usize));
            out.push_str(&format!("{:gutter$} | {pad}{carets}\n", ""));
        } else {
            out.push_str(&format!("{:gutter$} | (span starts past the cut)\n", ""));
        }
        if let Some(help) = &diagnostic.help {
            out.push_str(&format!("{:gutter$} = help: {help}\n", ""));
        }
        out.push('\n');
    }
    out
}
