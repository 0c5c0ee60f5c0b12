//! Plain explanations of the common mistakes on a line that does not
//! parse.
//!
//! pest names every grammar rule it tried at the failing position, which
//! reads as a list of grammar terms ("a field part …, a comparison …").
//! This module reads the line itself for the most common mistakes: curly
//! or missing quotes, an unquoted rule or header name, and a misspelt
//! trigger, action, comparison or unit. Its messages name the value
//! written, with a did-you-mean where a known word is close.

use super::suggest;

/// A mistake found on a line: byte offsets within the line, the message
/// and the help.
pub(super) struct Explained {
    pub from: usize,
    pub to: usize,
    pub message: String,
    pub help: String,
}

impl Explained {
    fn new(from: usize, to: usize, message: String, help: impl Into<String>) -> Explained {
        Explained {
            from,
            to,
            message,
            help: help.into(),
        }
    }
}

const TRIGGERS: &[&str] = &["received", "sent", "deleted", "manual"];

/// Action keywords as written, for did-you-mean.
const ACTIONS: &[&str] = &[
    "file into",
    "file in",
    "delete silently",
    "set priority",
    "set icon",
    "page",
    "notify",
    "forward to",
    "redirect to",
    "auto reply",
    "autoreply",
    "auto-reply",
    "mark read",
    "mark as read",
    "stop",
];

const ACTION_LIST: &str = "the actions are file into, delete silently, set priority, set icon, \
                           page, notify, forward to, redirect to, auto reply, mark read and stop";

/// Comparisons as written, longest first so `is not` is found before `is`.
const COMPARISONS: &[&str] = &[
    "is not within",
    "does not contain",
    "does not start with",
    "does not end with",
    "does not match regex",
    "does not match",
    "is at least",
    "is at most",
    "not within",
    "is within",
    "starts with",
    "ends with",
    "matches regex",
    "at least",
    "at most",
    "is not",
    "is over",
    "is above",
    "is under",
    "is below",
    "contains",
    "matches",
    "within",
    "over",
    "above",
    "under",
    "below",
    "is",
];

/// Fields as written, longest first.
const FIELDS: &[&str] = &[
    "attachment name",
    "spam level",
    "spam band",
    "spam tests",
    "date sent",
    "sender",
    "from",
    "to",
    "cc",
    "recipients",
    "recipient",
    "subject",
    "body",
    "attachment",
    "attachments",
    "size",
];

const ADDRESS_PARTS: &[&str] = &["local part", "domain", "name", "address"];

/// Words a condition can start with besides a field.
const CONDITION_WORDS: &[&str] = &["always", "has", "message", "is", "header", "not"];

const TIME_UNITS: &[&str] = &[
    "w", "week", "weeks", "d", "day", "days", "h", "hour", "hours", "m", "min", "mins", "minute",
    "minutes", "s", "sec", "secs", "second", "seconds",
];

const SIZE_UNITS: &[&str] = &["b", "byte", "bytes", "kb", "mb", "gb"];

/// A word of a line with its byte offsets.
#[derive(Clone, Copy)]
struct Word<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

/// Splits `text` (from byte `offset` of the line) into words at spaces
/// and commas, stopping at a quote or a comment.
fn words(text: &str, offset: usize) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (index, c) in text.char_indices() {
        let stops = c == '"' || c == '#';
        if c.is_whitespace() || c == ',' || stops {
            if let Some(from) = start.take() {
                out.push(Word {
                    text: &text[from..index],
                    start: offset + from,
                    end: offset + index,
                });
            }
            if stops {
                return out;
            }
        } else if start.is_none() {
            start = Some(index);
        }
    }
    if let Some(from) = start {
        out.push(Word {
            text: &text[from..],
            start: offset + from,
            end: offset + text.len(),
        });
    }
    out
}

/// Returns how many of `words` the phrase covers when they spell it,
/// ignoring case.
fn spells(words: &[Word], phrase: &str) -> Option<usize> {
    let parts: Vec<&str> = phrase.split(' ').collect();
    let matched = parts.len() <= words.len()
        && parts
            .iter()
            .zip(words)
            .all(|(part, word)| word.text.eq_ignore_ascii_case(part));
    matched.then_some(parts.len())
}

/// Returns the phrase of `candidates` that the first words spell.
fn spelled<'c>(words: &[Word], candidates: &[&'c str]) -> Option<(&'c str, usize)> {
    candidates
        .iter()
        .find_map(|phrase| spells(words, phrase).map(|count| (*phrase, count)))
}

/// Returns the candidate phrase closest to the first words, and how many
/// words it was compared with.
fn closest<'c>(words: &[Word], candidates: &[&'c str]) -> Option<(&'c str, usize)> {
    let mut best: Option<(&'c str, usize)> = None;
    for count in (1..=3.min(words.len())).rev() {
        let written = joined(&words[..count]).to_ascii_lowercase();
        let same_length: Vec<&'c str> = candidates
            .iter()
            .copied()
            .filter(|phrase| phrase.split(' ').count() == count)
            .collect();
        if let Some(phrase) = suggest(&written, &same_length) {
            best = Some((phrase, count));
            break;
        }
    }
    best
}

fn joined(words: &[Word]) -> String {
    words
        .iter()
        .map(|word| word.text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Explains why `text`, one line that pest rejected, does not parse, or
/// returns `None` to keep pest's own message. `in_actions` is set when
/// the line follows a `then` line.
pub(super) fn explain(text: &str, in_actions: bool) -> Option<Explained> {
    if let Some(explained) = quotes(text) {
        return Some(explained);
    }
    let all = words(text, 0);
    let first = all.first()?;
    let rest_at = first.end;
    match first.text.to_ascii_lowercase().as_str() {
        "rule" => rule_name(text, rest_at),
        "when" => trigger(&all[1..], rest_at),
        "then" => actions(text, true),
        "if" => {
            let rest = &all[1..];
            if spelled(rest, &["all", "any"]).is_some() {
                return None;
            }
            if let [word] = rest {
                if let Some(mode) = suggest(word.text, &["all", "any"]) {
                    return Some(Explained::new(
                        word.start,
                        word.end,
                        format!("unknown word `{}` after `if`", word.text),
                        format!("did you mean `if {mode}`?"),
                    ));
                }
            }
            condition(text, rest)
        }
        _ if in_actions => actions(text, false),
        _ => condition(text, &all),
    }
}

/// Finds curly or single quotes outside quoted text, and quoted text that
/// does not end on its line.
fn quotes(text: &str) -> Option<Explained> {
    let mut open: Option<usize> = None;
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        if open.is_some() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                open = None;
            }
            continue;
        }
        match c {
            '"' => open = Some(index),
            '#' => return None,
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}'
            | '\u{bb}' => return Some(wrong_quotes(text, index, c, "curly", CURLY_DOUBLE)),
            '\'' | '\u{2018}' | '\u{2019}' => {
                return Some(wrong_quotes(text, index, c, "single", SINGLE));
            }
            _ => {}
        }
    }
    let at = open?;
    Some(Explained::new(
        at,
        text.len(),
        "missing closing `\"`".to_string(),
        "end the text with `\"` on the same line; write `\\\"` for a quote inside it",
    ))
}

const CURLY_DOUBLE: &[char] = &[
    '\u{201c}', '\u{201d}', '\u{201e}', '\u{201f}', '\u{2033}', '\u{ab}', '\u{bb}', '"',
];
const SINGLE: &[char] = &['\'', '\u{2018}', '\u{2019}'];

/// Reports a text in curly or single quotes, from the quote `open` at
/// byte `at` to the next quote of the same family.
fn wrong_quotes(text: &str, at: usize, open: char, kind: &str, family: &[char]) -> Explained {
    let after = at + open.len_utf8();
    let close = text[after..]
        .char_indices()
        .find(|(_, c)| family.contains(c))
        .map(|(index, c)| (after + index, c));
    match close {
        Some((end, c)) => {
            let inner = &text[after..end];
            Explained::new(
                at,
                end + c.len_utf8(),
                format!(
                    "text `{}` is in {kind} quotes",
                    &text[at..end + c.len_utf8()]
                ),
                format!("use straight double quotes: `\"{inner}\"`"),
            )
        }
        None => Explained::new(
            at,
            after,
            format!("{kind} quote `{open}` in place of `\"`"),
            "use straight double quotes `\"` around a text",
        ),
    }
}

/// Reports a rule name without quotes, as in `rule Work mail`.
fn rule_name(text: &str, rest_at: usize) -> Option<Explained> {
    let rest = &text[rest_at..];
    let name_text = rest.split('#').next().unwrap_or("");
    let name = name_text.trim();
    if name.starts_with('"') {
        return None;
    }
    if name.is_empty() {
        return Some(Explained::new(
            rest_at,
            rest_at,
            "`rule` has no name".to_string(),
            "write the name in double quotes: `rule \"Name\"`",
        ));
    }
    let from = rest_at + (name_text.len() - name_text.trim_start().len());
    Some(Explained::new(
        from,
        from + name.len(),
        format!("rule name `{name}` is not quoted"),
        format!("rule names are quoted: `rule \"{name}\"`"),
    ))
}

/// Reports an unknown trigger, as in `when recieved`.
fn trigger(rest: &[Word], rest_at: usize) -> Option<Explained> {
    let Some(word) = rest.first() else {
        return Some(Explained::new(
            rest_at,
            rest_at,
            "`when` has no trigger".to_string(),
            "write `when received`, `when sent`, `when deleted` or `when manual`",
        ));
    };
    if TRIGGERS.contains(&word.text.to_ascii_lowercase().as_str()) {
        return None;
    }
    let help = match suggest(word.text, TRIGGERS) {
        Some(known) => format!("did you mean `{known}`?"),
        None => "the triggers are received, sent, deleted and manual".to_string(),
    };
    Some(Explained::new(
        word.start,
        word.end,
        format!("unknown trigger `{}`", word.text),
        help,
    ))
}

/// Reports the first action of the line whose keyword is unknown, as in
/// `then fille into "Misc"`. With `skip_then`, the line starts with `then`.
fn actions(text: &str, skip_then: bool) -> Option<Explained> {
    let mut at = 0;
    if skip_then {
        at = text.len() - text.trim_start().len() + "then".len();
    }
    for (offset, segment) in segments(&text[at..], at) {
        let here = words(segment, offset);
        let Some(first) = here.first() else {
            continue;
        };
        if spelled(&here, ACTIONS).is_some() {
            continue;
        }
        return Some(match closest(&here, ACTIONS) {
            Some((phrase, count)) => Explained::new(
                first.start,
                here[count - 1].end,
                format!("unknown action `{}`", joined(&here[..count])),
                format!("did you mean `{phrase}`?"),
            ),
            None => Explained::new(
                first.start,
                first.end,
                format!("unknown action `{}`", first.text),
                ACTION_LIST,
            ),
        });
    }
    None
}

/// Splits an action list at the commas outside quoted text, up to a
/// comment. Gives each part with its byte offset in the line.
fn segments(text: &str, offset: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    let mut quoted = false;
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        if quoted {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                quoted = false;
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => {
                out.push((offset + from, &text[from..index]));
                from = index + 1;
            }
            '#' => {
                out.push((offset + from, &text[from..index]));
                return out;
            }
            _ => {}
        }
    }
    out.push((offset + from, &text[from..]));
    out
}

/// Reports an unknown field or comparison, an unquoted header name, or an
/// unknown unit after a number in a condition.
fn condition(text: &str, words: &[Word]) -> Option<Explained> {
    let mut words = words;
    if spells(words, "not").is_some() {
        words = &words[1..];
    }
    let first = words.first()?;
    let lower = first.text.to_ascii_lowercase();
    if lower == "header" {
        return header_name(text, first.end);
    }

    let Some((field, count)) = spelled(words, FIELDS) else {
        if CONDITION_WORDS.contains(&lower.as_str()) {
            return None;
        }
        let mut known: Vec<&str> = FIELDS.to_vec();
        known.extend(CONDITION_WORDS);
        return Some(match closest(words, &known) {
            Some((phrase, count)) => Explained::new(
                first.start,
                words[count - 1].end,
                format!("unknown field `{}`", joined(&words[..count])),
                format!("did you mean `{phrase}`?"),
            ),
            None => Explained::new(
                first.start,
                first.end,
                format!("unknown field `{}`", first.text),
                "a condition starts with a field such as `subject` or `from`, or with \
                 `always`, `has attachments` or `is list mail`",
            ),
        });
    };
    let mut after = &words[count..];
    if matches!(
        field,
        "sender" | "from" | "to" | "cc" | "recipients" | "recipient"
    ) {
        if let Some((_, part)) = spelled(after, ADDRESS_PARTS) {
            after = &after[part..];
        }
    }

    let field_end = words[count - 1].end;
    let Some((_, length)) = spelled(after, COMPARISONS) else {
        return Some(unknown_comparison(field, field_end, after));
    };
    let value_at = after[length - 1].end;
    unit(field, text, value_at)
}

fn header_name(text: &str, rest_at: usize) -> Option<Explained> {
    let rest = &text[rest_at..];
    if rest.trim_start().starts_with('"') {
        return None;
    }
    let name = words(rest, rest_at).into_iter().next()?;
    Some(Explained::new(
        name.start,
        name.end,
        format!("header name `{}` is not quoted", name.text),
        format!("header names are quoted: `header \"{}\"`", name.text),
    ))
}

fn unknown_comparison(field: &str, field_end: usize, after: &[Word]) -> Explained {
    let Some(word) = after.first() else {
        return Explained::new(
            field_end,
            field_end,
            format!("`{field}` has no comparison"),
            format!("compare the field with a value, as in `{}`", example(field)),
        );
    };
    let help = match closest(after, COMPARISONS) {
        Some((phrase, _)) => format!("did you mean `{phrase}`?"),
        None => format!(
            "a comparison such as `is` or `contains` comes after `{field}`, as in `{}`",
            example(field)
        ),
    };
    Explained::new(
        word.start,
        word.end,
        format!("unknown comparison `{}`", word.text),
        help,
    )
}

fn example(field: &str) -> &'static str {
    match field {
        "size" => "size over 5 MB",
        "spam level" => "spam level over 50",
        "spam band" => "spam band is at least medium",
        "date sent" => "date sent within 2d",
        _ => "subject contains \"invoice\"",
    }
}

/// Reports a number followed by a word that is no unit of the field, as
/// in `date sent within 2 fortnights` or `size over 5 megs`.
fn unit(field: &str, text: &str, value_at: usize) -> Option<Explained> {
    let value = &text[value_at..];
    let trimmed = value.trim_start();
    let digits = trimmed.len()
        - trimmed
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    if digits == 0 {
        return None;
    }

    let number_at = value_at + (value.len() - trimmed.len());
    let after_number = number_at + digits;
    let rest = words(&text[after_number..], after_number);
    // Find the first part of the value that is not a number with a known
    // unit, as in `1w 3 fortnights`.
    let known: &[&str] = if field == "date sent" {
        TIME_UNITS
    } else {
        SIZE_UNITS
    };
    let mut pieces = Vec::new();
    for word in std::iter::once(Word {
        text: "",
        start: after_number,
        end: after_number,
    })
    .chain(rest)
    {
        let split = word
            .text
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
        let unit_start = word.end - split;
        if split > 0 {
            pieces.push(Word {
                text: &word.text[word.text.len() - split..],
                start: unit_start,
                end: word.end,
            });
        }
    }

    let bad = pieces
        .into_iter()
        .find(|piece| !known.contains(&piece.text.to_ascii_lowercase().as_str()))?;
    let (message, help) = match field {
        "date sent" => (
            format!("unknown time unit `{}`", bad.text),
            "a duration is a number and a unit: w or weeks, d or days, h or hours, m or \
             minutes, s or seconds, as in `2d` or `2 days`"
                .to_string(),
        ),
        "size" => (
            format!("unknown size unit `{}`", bad.text),
            "the size units are B, KB, MB and GB, as in `size over 5 MB`".to_string(),
        ),
        "spam level" => (
            format!("unexpected `{}` after the number", bad.text),
            "`spam level` takes a plain number, as in `spam level over 50`".to_string(),
        ),
        _ => return None,
    };
    Some(Explained::new(bad.start, bad.end, message, help))
}
