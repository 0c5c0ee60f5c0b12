//! Writing a message back out with the verdict's header changes and with
//! blocked attachments replaced by a short notice. Everything else is
//! copied byte for byte, so bodies in any charset survive.

use std::ops::Range;

use mail_parser::MessageParser;

use super::attachments::PartInfo;
use super::parts::walk;
use super::strip_mbox_line;
use crate::verdict::HeaderChanges;

/// The notice used when `replacement_text` is empty. `{name}` is replaced
/// with the attachment's file name.
pub const DEFAULT_REMOVAL_NOTICE: &str =
    "The attachment {name} was removed by the server's attachment policy.";

/// One header field of a message: a top-level field, or a field of the
/// MIME part at an IMAP part path, by its position among the fields of
/// that header block ([`Header::index`](super::Header::index)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderAt {
    Top(usize),
    Part { path: String, index: usize },
}

/// Writes `raw` as [`rewrite`] does, except that the fields removed are
/// exactly those at `removed_headers`, whatever `changes.remove` names.
/// A field of a part inside an encoded forwarded message cannot be cut
/// out byte for byte and stays.
pub fn rewrite_at(
    raw: &[u8],
    changes: &HeaderChanges,
    removed_headers: &[HeaderAt],
    removed_parts: &[String],
    replacement_text: &str,
) -> Vec<u8> {
    write_out(
        raw,
        changes,
        Removal::At(removed_headers),
        removed_parts,
        replacement_text,
    )
}

/// Header fields to remove.
#[derive(Clone, Copy)]
enum Removal<'r> {
    /// The next remaining occurrence of each name in `changes.remove`.
    ByName,
    At(&'r [HeaderAt]),
}

/// Writes `raw` with `changes` applied and the parts at `removed_parts`
/// (IMAP part paths, as in [`Attachment::part_path`]) replaced by a
/// `text/plain` part holding `replacement_text` ([`DEFAULT_REMOVAL_NOTICE`]
/// when empty). `{name}` in it is replaced with the attachment's file name.
/// A text without `{name}` gets ` (attachment: NAME)` appended, so the
/// recipient always learns which attachment was removed.
///
/// Header changes, in this order:
/// - each name in `changes.remove` drops the next remaining occurrence of
///   that header;
/// - each `changes.replace` entry rewrites the first remaining occurrence
///   and drops the others, or is added when the header is absent;
/// - `changes.add` entries are written at the top, before the existing
///   headers, after any leading mbox `From ` line is dropped.
///
/// A part inside an encoded forwarded message cannot be cut out byte for
/// byte, so the whole encoded `message/rfc822` part is replaced instead.
///
/// [`Attachment::part_path`]: super::Attachment::part_path
pub fn rewrite(
    raw: &[u8],
    changes: &HeaderChanges,
    removed_parts: &[String],
    replacement_text: &str,
) -> Vec<u8> {
    write_out(
        raw,
        changes,
        Removal::ByName,
        removed_parts,
        replacement_text,
    )
}

fn write_out(
    raw: &[u8],
    changes: &HeaderChanges,
    removal: Removal<'_>,
    removed_parts: &[String],
    replacement_text: &str,
) -> Vec<u8> {
    let message = strip_mbox_line(raw);
    let newline: &[u8] = if uses_crlf(message) { b"\r\n" } else { b"\n" };
    let notice = if replacement_text.is_empty() {
        DEFAULT_REMOVAL_NOTICE
    } else {
        replacement_text
    };
    let parsed = MessageParser::new().with_mime_headers().parse(message);
    let mut plan = match &parsed {
        Some(parsed) => plan_removals(parsed, message, removed_parts, notice),
        None => RemovalPlan::default(),
    };
    if let (Some(parsed), Removal::At(at)) = (&parsed, removal) {
        plan_part_header_removals(parsed, message, at, &mut plan);
    }

    // The header block is cut where mail-parser cut it, so the fields
    // rewritten here are the ones the rules saw.
    let (header_end, mut fields) = match &parsed {
        Some(parsed) => split_fields(parsed, message.len()),
        None => (0, Vec::new()),
    };
    if plan.replaces_root {
        for field in &mut fields {
            if is_content_header(field.name(message)) {
                field.action = Action::Drop;
            }
        }
    }
    let added = apply_changes(message, &mut fields, changes, removal);

    let mut out = Vec::with_capacity(message.len() + 256);
    let first_field = fields.first().map_or(header_end, |field| field.range.start);
    out.extend_from_slice(&message[..first_field]);
    for (name, value) in &added {
        write_field(&mut out, name, value, newline);
    }
    if plan.replaces_root {
        write_field(
            &mut out,
            "Content-Type",
            "text/plain; charset=utf-8",
            newline,
        );
        write_field(&mut out, "Content-Transfer-Encoding", "8bit", newline);
    }
    for field in &fields {
        match &field.action {
            Action::Keep => out.extend_from_slice(&message[field.range.clone()]),
            Action::Drop => {}
            Action::Replace(value) => write_field(&mut out, field.name(message), value, newline),
        }
    }

    let mut position = fields.last().map_or(header_end, |field| field.range.end);
    for (span, text) in &plan.replacements {
        if span.start < position {
            continue;
        }
        out.extend_from_slice(&message[position..span.start]);
        out.extend_from_slice(text.as_bytes());
        position = span.end;
    }
    out.extend_from_slice(&message[position..]);
    out
}

/// The body ranges to replace, sorted by start, with their new text.
#[derive(Default)]
struct RemovalPlan {
    replacements: Vec<(Range<usize>, String)>,
    /// Set when the message's only part is removed, which turns the
    /// message itself into the notice.
    replaces_root: bool,
}

fn plan_removals(
    parsed: &mail_parser::Message<'_>,
    message: &[u8],
    removed_parts: &[String],
    notice: &str,
) -> RemovalPlan {
    let mut plan = RemovalPlan::default();
    if removed_parts.is_empty() {
        return plan;
    }
    let newline = if uses_crlf(message) { "\r\n" } else { "\n" };
    // A part path of N numbers lies at most 2N levels deep, because a
    // forwarded message's multipart root shares its container's number.
    let max_depth = removed_parts
        .iter()
        .map(|path| 2 * (path.matches('.').count() + 1) + 1)
        .max()
        .unwrap_or(0);
    for part in walk(parsed, max_depth).parts {
        if !removed_parts.contains(&part.path) {
            continue;
        }
        let info = PartInfo::read(&part);
        let name = info.name.as_deref().unwrap_or("(unnamed)");
        let text = notice_text(notice, name);
        let start = part.span.start.min(message.len());
        let span = start..part.span.end.clamp(start, message.len());
        if part.is_top_root {
            plan.replaces_root = true;
            let body_start = (part.part.offset_body as usize).min(message.len());
            plan.replacements
                .push((body_start..message.len(), format!("{text}{newline}")));
        } else {
            let replacement = format!(
                "Content-Type: text/plain; charset=utf-8{newline}\
                 Content-Disposition: inline{newline}\
                 Content-Transfer-Encoding: 8bit{newline}{newline}{text}"
            );
            plan.replacements.push((span, replacement));
        }
    }
    // Parts inside one encoded forwarded message share its span. The first
    // replacement of a span wins, and those nested in it are skipped.
    plan.replacements
        .sort_by_key(|(span, _)| (span.start, std::cmp::Reverse(span.end)));
    plan
}

/// Adds the removal of each part header field at `at` to the plan, as an
/// empty replacement of the field's bytes. Only parts whose offsets index
/// the top-level bytes are changed.
fn plan_part_header_removals(
    parsed: &mail_parser::Message<'_>,
    message: &[u8],
    at: &[HeaderAt],
    plan: &mut RemovalPlan,
) {
    let wanted: Vec<(&str, usize)> = at
        .iter()
        .filter_map(|location| match location {
            HeaderAt::Part { path, index } => Some((path.as_str(), *index)),
            HeaderAt::Top(_) => None,
        })
        .collect();
    let Some(max_depth) = wanted
        .iter()
        .map(|(path, _)| 2 * (path.matches('.').count() + 1) + 1)
        .max()
    else {
        return;
    };
    for part in walk(parsed, max_depth).parts {
        // An unencoded forwarded message shares the top-level bytes and
        // offsets, and an encoded one has its own copy.
        let shares_bytes = part.message.raw_message.as_ptr() == parsed.raw_message.as_ptr();
        if part.is_top_root || !shares_bytes {
            continue;
        }
        let headers = &part.part.headers;
        let body_start = (part.part.offset_body as usize).min(message.len());
        for &(_, index) in wanted.iter().filter(|(path, _)| *path == part.path) {
            let Some(header) = headers.get(index) else {
                continue;
            };
            let start = (header.offset_field as usize).min(body_start);
            let end = match headers.get(index + 1) {
                Some(next) => next.offset_field as usize,
                None => header.offset_end as usize,
            };
            plan.replacements
                .push((start..end.clamp(start, body_start), String::new()));
        }
    }
    plan.replacements
        .sort_by_key(|(span, _)| (span.start, std::cmp::Reverse(span.end)));
}

/// Puts the file name into the notice, at `{name}` or, when the notice
/// has no `{name}`, after it as `(attachment: NAME)`. The notice stays one
/// line.
fn notice_text(notice: &str, name: &str) -> String {
    let name: String = name.chars().filter(|c| !c.is_control()).collect();
    let text = if notice.contains("{name}") {
        notice.replace("{name}", &name)
    } else {
        format!("{notice} (attachment: {name})")
    };
    text.chars().filter(|c| !matches!(c, '\r' | '\n')).collect()
}

fn uses_crlf(message: &[u8]) -> bool {
    match message.iter().position(|&b| b == b'\n') {
        Some(at) => at > 0 && message[at - 1] == b'\r',
        None => true,
    }
}

enum Action {
    Keep,
    Drop,
    Replace(String),
}

/// One header field with its continuation lines.
struct Field {
    range: Range<usize>,
    action: Action,
}

impl Field {
    fn name<'m>(&self, message: &'m [u8]) -> &'m str {
        let bytes = &message[self.range.clone()];
        let colon = bytes.iter().position(|&b| b == b':').unwrap_or(0);
        std::str::from_utf8(&bytes[..colon]).unwrap_or("").trim()
    }
}

/// Returns where the body starts and the top-level header fields. Each
/// field runs to the start of the next one, so lines that mail-parser
/// skipped stay with the field before them.
fn split_fields(parsed: &mail_parser::Message<'_>, len: usize) -> (usize, Vec<Field>) {
    let Some(root) = parsed.parts.first() else {
        return (0, Vec::new());
    };
    let body_start = (root.offset_body as usize).min(len);
    let mut fields: Vec<Field> = Vec::with_capacity(root.headers.len());
    for header in &root.headers {
        let start = (header.offset_field as usize).min(body_start);
        let end = (header.offset_end as usize).clamp(start, body_start);
        if let Some(previous) = fields.last_mut() {
            previous.range.end = start.max(previous.range.start);
        }
        fields.push(Field {
            range: start..end,
            action: Action::Keep,
        });
    }
    (body_start, fields)
}

/// Marks removed and replaced fields; returns the headers to write at the
/// top: the added ones, then replacements of absent headers.
fn apply_changes(
    message: &[u8],
    fields: &mut [Field],
    changes: &HeaderChanges,
    removal: Removal<'_>,
) -> Vec<(String, String)> {
    match removal {
        Removal::ByName => {
            for name in &changes.remove {
                let next = fields.iter_mut().find(|field| {
                    matches!(field.action, Action::Keep)
                        && field.name(message).eq_ignore_ascii_case(name)
                });
                if let Some(field) = next {
                    field.action = Action::Drop;
                }
            }
        }
        Removal::At(at) => {
            for location in at {
                if let HeaderAt::Top(index) = location {
                    if let Some(field) = fields.get_mut(*index) {
                        field.action = Action::Drop;
                    }
                }
            }
        }
    }

    let mut top = changes.add.clone();
    for (name, value) in &changes.replace {
        let mut found = false;
        for field in fields.iter_mut() {
            let live = !matches!(field.action, Action::Drop);
            if !live || !field.name(message).eq_ignore_ascii_case(name) {
                continue;
            }
            field.action = if found {
                Action::Drop
            } else {
                Action::Replace(value.clone())
            };
            found = true;
        }
        if !found {
            top.push((name.clone(), value.clone()));
        }
    }
    top
}

fn is_content_header(name: &str) -> bool {
    [
        "Content-Type",
        "Content-Transfer-Encoding",
        "Content-Disposition",
    ]
    .iter()
    .any(|content| content.eq_ignore_ascii_case(name))
}

/// Writes `name: value`, so that rule text cannot inject headers. Line
/// breaks and other controls in the value become spaces. Colons, spaces
/// and controls in the name are dropped.
fn write_field(out: &mut Vec<u8>, name: &str, value: &str, newline: &[u8]) {
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_graphic() && *c != ':')
        .collect();
    let value: String = value
        .chars()
        .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
        .collect();
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.trim().as_bytes());
    out.extend_from_slice(newline);
}
