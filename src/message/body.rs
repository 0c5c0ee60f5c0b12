//! Body text and links: the text that `>` rules see and the URLs that `<`
//! rules see.

use std::borrow::Cow;

use mail_parser::PartType;

use super::attachments::{BodyText, PartInfo, PartRole};
use super::decode::{base64_decode, header_bytes_to_string, quoted_printable_decode};
use super::html::{collect_links, render_text};
use super::parts::{walk, PartRef};
use super::ViewLimits;

/// Joins the text of every body part in message order, HTML rendered to
/// text and CRLF line ends turned into LF, cut at `max_body_text_bytes`
/// on a character boundary.
pub fn collect_body_text(parsed: &mail_parser::Message<'_>, limits: &ViewLimits) -> String {
    let max_bytes = limits.max_body_text_bytes;
    let mut out = String::new();
    for part in walk(parsed, limits.max_mime_depth).parts {
        if out.len() >= max_bytes {
            break;
        }
        let info = PartInfo::read(&part);
        let PartRole::Body(body) = info.role(part.part) else {
            continue;
        };
        // Lines end in `\n` alone, so `$` in a multi-line pattern matches
        // at every line end whatever the message used.
        let text = match body {
            BodyText::Plain(text) => undeclared_8bit(&part, &info, text).replace("\r\n", "\n"),
            BodyText::Html(html) => render_text(&undeclared_8bit(&part, &info, html)),
        };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&text);
    }
    truncate_at_char_boundary(&mut out, max_bytes);
    out
}

/// Collects link URLs from every `text/html` part, attachments included,
/// at most `max_links` of them. The flag tells whether there were more.
pub fn collect_all_links(
    parsed: &mail_parser::Message<'_>,
    limits: &ViewLimits,
) -> (Vec<String>, bool) {
    // One link past the limit is collected to tell whether there are more.
    let max = limits.max_links.saturating_add(1);
    let mut out = Vec::new();
    for part in walk(parsed, limits.max_mime_depth).parts {
        if out.len() >= max {
            break;
        }
        if let PartType::Html(html) = &part.part.body {
            collect_links(html, max, &mut out);
        }
    }
    let truncated = out.len() > limits.max_links;
    out.truncate(limits.max_links);
    (out, truncated)
}

/// Returns the decoded text of a body part. mail-parser reads 8-bit text
/// without a declared charset as UTF-8 with replacement characters; such
/// text is decoded again as Windows-1252, as 8-bit headers are.
fn undeclared_8bit<'t>(part: &PartRef<'_, '_>, info: &PartInfo, text: &'t str) -> Cow<'t, str> {
    if info.charset.is_some() || !text.contains('\u{fffd}') {
        return text.into();
    }
    let start = part.part.offset_body as usize;
    let end = part.part.offset_end as usize;
    let Some(raw) = part.message.raw_message.get(start..end.max(start)) else {
        return text.into();
    };
    let bytes = match info.transfer_encoding.as_str() {
        "base64" => base64_decode(raw).unwrap_or_default(),
        "quoted-printable" => quoted_printable_decode(raw, false),
        _ => raw.to_vec(),
    };
    if std::str::from_utf8(&bytes).is_ok() {
        // The replacement characters were in the message itself.
        return text.into();
    }
    header_bytes_to_string(&bytes).into()
}

pub fn truncate_at_char_boundary(text: &mut String, max_bytes: usize) {
    if text.len() <= max_bytes {
        return;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
}
