//! Checks of conditions: known fields, parts that the field has,
//! comparisons and values that suit the field's type, and patterns that
//! translate within the limits.

use crate::ast::server::PatternKind;
use crate::ast::user::*;
use crate::diag::{codes, Diagnostic};
use crate::limits::Limits;
use crate::pattern::{self, PatternError};
use crate::span::Span;
use crate::syntax::user::suggest;

/// Field names as written, for "did you mean" on unknown fields.
const FIELD_NAMES: &[&str] = &[
    "sender",
    "from",
    "to",
    "cc",
    "recipients",
    "subject",
    "header",
    "body",
    "attachment",
    "spam",
    "size",
    "date",
];

/// Spam bands in order, as the rule language writes them.
pub const BAND_NAMES: &[&str] = &["none", "low", "medium", "high", "extreme"];

pub(super) fn check(rule: &Rule, limits: &Limits, diagnostics: &mut Vec<Diagnostic>) {
    for condition in &rule.conditions.list {
        if let ConditionKind::Test(test) = &condition.kind {
            check_test(test, limits, diagnostics);
        }
    }
}

fn check_test(test: &Test, limits: &Limits, diagnostics: &mut Vec<Diagnostic>) {
    let Some(field_type) = test.field.kind.value_type() else {
        diagnostics.push(unknown_field(&test.field));
        return;
    };
    if !check_part(&test.field, field_type, diagnostics) {
        return;
    }
    if !check_comparison(test, field_type, diagnostics) {
        return;
    }
    match field_type {
        FieldType::Text | FieldType::Addresses => check_text_value(test, limits, diagnostics),
        FieldType::Number => check_number_value(test, diagnostics),
        FieldType::Band => check_band_value(test, diagnostics),
        FieldType::Date => check_duration_value(test, diagnostics),
    }
}

fn unknown_field(field: &Field) -> Diagnostic {
    let name = field.kind.name();
    let diagnostic = Diagnostic::error(
        codes::UNKNOWN_FIELD,
        field.span,
        format!("unknown field `{name}`"),
    );
    let first_word = name.split(' ').next().unwrap_or("");
    match suggest(first_word, FIELD_NAMES) {
        Some(known) => diagnostic.with_help(format!("did you mean `{}`?", full_field_name(known))),
        None => diagnostic.with_help(
            "the fields are sender, from, to, cc, recipients, subject, header \"Name\", body, \
             attachment name, spam level, spam band, spam tests, size and date sent",
        ),
    }
}

/// Completes a field's first word to its full name.
fn full_field_name(word: &str) -> &str {
    match word {
        "header" => "header \"Name\"",
        "attachment" => "attachment name",
        "spam" => "spam level`, `spam band` or `spam tests",
        "date" => "date sent",
        other => other,
    }
}

/// Checks the address part after the field name. Returns false when the
/// test cannot be checked further.
fn check_part(field: &Field, field_type: FieldType, diagnostics: &mut Vec<Diagnostic>) -> bool {
    let Some(part) = field.part else {
        return true;
    };
    let name = field.kind.name();
    let problem = match (field_type, part) {
        (FieldType::Addresses, AddressPart::Name) if field.kind == FieldKind::Sender => {
            Some("the envelope sender has no display name".to_string())
        }
        (FieldType::Addresses, _) => None,
        (_, AddressPart::Name) if field.kind == FieldKind::Attachment => None,
        _ => Some(format!(
            "`{name}` holds no mail addresses, so it has no {}",
            part_name(part)
        )),
    };
    match problem {
        None => true,
        Some(message) => {
            diagnostics.push(
                Diagnostic::error(codes::INVALID_FIELD_PART, field.span, message).with_help(
                    "address parts (domain, local part, name) apply to from, to, cc and \
                     recipients; sender has domain and local part",
                ),
            );
            false
        }
    }
}

fn part_name(part: AddressPart) -> &'static str {
    match part {
        AddressPart::Address => "address",
        AddressPart::Domain => "domain",
        AddressPart::LocalPart => "local part",
        AddressPart::Name => "name",
    }
}

/// Checks that the comparison suits the field's type. Returns false when
/// it does not.
fn check_comparison(test: &Test, field_type: FieldType, diagnostics: &mut Vec<Diagnostic>) -> bool {
    let op = test.comparison.op;
    let (fits, kind, help) = match field_type {
        FieldType::Text | FieldType::Addresses => (
            op.is_textual(),
            "text",
            "text takes is, contains, starts with, ends with, matches and matches regex",
        ),
        FieldType::Number => (
            op.is_numeric(),
            "a number",
            "numbers take is, over, under, at least and at most",
        ),
        FieldType::Band => (
            op.is_numeric(),
            "a spam band",
            "spam bands take is, over, under, at least and at most",
        ),
        FieldType::Date => (
            op == CompareOp::Within,
            "a date",
            "dates take within and not within, as in `date sent within 1w 3d`",
        ),
    };
    if !fits {
        diagnostics.push(
            Diagnostic::error(
                codes::COMPARISON_MISMATCH,
                test.comparison.span,
                format!(
                    "`{}` cannot compare `{}`, which is {kind}",
                    op.name(),
                    test.field.kind.name()
                ),
            )
            .with_help(help),
        );
    }
    fits
}

fn invalid_value(span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::error(codes::INVALID_VALUE, span, message).with_help(help)
}

fn check_text_value(test: &Test, limits: &Limits, diagnostics: &mut Vec<Diagnostic>) {
    let ValueKind::Text(text) = &test.value.kind else {
        let help = match &test.value.kind {
            ValueKind::Word(word) => format!("put the value in double quotes: `\"{word}\"`"),
            _ => "put the value in double quotes, as in `subject contains \"invoice\"`".into(),
        };
        diagnostics.push(invalid_value(
            test.value.span,
            format!("`{}` needs quoted text", test.field.kind.name()),
            &help,
        ));
        return;
    };
    let result = match test.comparison.op {
        CompareOp::MatchesRegex => {
            pattern::translate(&PatternKind::Perl { flags: "i".into() }, text, limits).map(drop)
        }
        CompareOp::Matches if text.contains(['*', '?']) => {
            pattern::translate(&PatternKind::Simple, text, limits).map(drop)
        }
        _ => check_text_size(text, limits),
    };
    if let Err(error) = result {
        diagnostics.push(pattern_diagnostic(error, test.value.span, text));
    }
}

fn check_text_size(text: &str, limits: &Limits) -> Result<(), PatternError> {
    if text.len() <= limits.max_pattern_bytes {
        return Ok(());
    }
    Err(PatternError {
        code: codes::PATTERN_TOO_LARGE,
        offset: None,
        message: format!(
            "text is {} bytes long, over the limit of {} bytes",
            text.len(),
            limits.max_pattern_bytes
        ),
        help: Some("use a shorter text, or raise `max_pattern_bytes` in rulec.toml".into()),
    })
}

/// Turns a pattern error into a diagnostic. When the error has an offset
/// and the quoted text had no escapes, the span points at that character.
fn pattern_diagnostic(error: PatternError, value_span: Span, text: &str) -> Diagnostic {
    let quoted_len = (value_span.end - value_span.start) as usize;
    let unescaped = quoted_len == text.len() + 2;
    let span = match error.offset {
        Some(offset) if unescaped && offset < text.len() && text.is_char_boundary(offset) => {
            let column = text[..offset].chars().count() as u32;
            let width = text[offset..].chars().next().map_or(1, char::len_utf8) as u32;
            Span {
                start: value_span.start + 1 + offset as u32,
                end: value_span.start + 1 + offset as u32 + width,
                column: value_span.column + 1 + column,
                end_column: value_span.column + 2 + column,
                end_line: value_span.line,
                ..value_span
            }
        }
        _ => value_span,
    };
    let diagnostic = Diagnostic::error(error.code, span, error.message);
    match error.help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

fn check_number_value(test: &Test, diagnostics: &mut Vec<Diagnostic>) {
    let name = test.field.kind.name();
    match &test.value.kind {
        ValueKind::Number { unit: Some(_), .. } if test.field.kind == FieldKind::SpamLevel => {
            diagnostics.push(invalid_value(
                test.value.span,
                "spam level is a plain number and takes no size unit".into(),
                "write the level alone, as in `spam level over 50`",
            ));
        }
        ValueKind::Number { value, unit } => {
            let scale = unit.map_or(1, SizeUnit::bytes);
            if value
                .checked_mul(scale)
                .is_none_or(|bytes| bytes > i64::MAX as u64)
            {
                diagnostics.push(invalid_value(
                    test.value.span,
                    format!("size {value} is too large"),
                    "use a smaller number or a smaller unit",
                ));
            }
        }
        _ => diagnostics.push(invalid_value(
            test.value.span,
            format!("`{name}` needs a number"),
            if test.field.kind == FieldKind::Size {
                "write a number with an optional unit, as in `size over 5 MB`"
            } else {
                "write a number without quotes, as in `spam level over 50`"
            },
        )),
    }
}

fn check_band_value(test: &Test, diagnostics: &mut Vec<Diagnostic>) {
    let word = match &test.value.kind {
        ValueKind::Word(word) => word.clone(),
        ValueKind::Text(text) => text.to_lowercase(),
        _ => String::new(),
    };
    if BAND_NAMES.contains(&word.as_str()) {
        return;
    }
    let help = match suggest(&word, BAND_NAMES) {
        Some(band) => format!("did you mean `{band}`?"),
        None => "the bands are none, low, medium, high and extreme".to_string(),
    };
    diagnostics.push(invalid_value(
        test.value.span,
        format!("unknown spam band `{}`", span_or_word(&word, test)),
        &help,
    ));
}

fn span_or_word(word: &str, test: &Test) -> String {
    match &test.value.kind {
        ValueKind::Number { value, .. } => value.to_string(),
        _ => word.to_string(),
    }
}

fn check_duration_value(test: &Test, diagnostics: &mut Vec<Diagnostic>) {
    match &test.value.kind {
        ValueKind::Duration { .. } => {}
        ValueKind::Number { value, unit: None } => diagnostics.push(invalid_value(
            test.value.span,
            format!("duration {value} has no unit"),
            "add a unit: w (weeks), d (days), h (hours), m (minutes) or s (seconds), \
             as in `7d` or `7 days`",
        )),
        ValueKind::Number { unit: Some(_), .. } => diagnostics.push(invalid_value(
            test.value.span,
            "`date sent within` needs a duration, not a size".into(),
            "write a duration such as `2d` or `2 days`: w (weeks), d (days), h (hours), \
             m (minutes) or s (seconds)",
        )),
        _ => diagnostics.push(invalid_value(
            test.value.span,
            "`date sent within` needs a duration".into(),
            "write a duration such as `1w 3d 4h` or `2 days`",
        )),
    }
}
