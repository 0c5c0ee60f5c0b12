//! Body text and links: the text that `>` rules see and the URLs that `<`
//! rules see.

use mail_parser::PartType;

use super::attachments::{BodyText, PartInfo, PartRole};
use super::html::{collect_links, render_text};
use super::parts::walk;
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
        let info = PartInfo::read(&part, limits.max_headers);
        let PartRole::Body(body) = info.role(part.part) else {
            continue;
        };
        // Lines end in `\n` alone, so `$` in a multi-line pattern matches
        // at every line end whatever the message used.
        let text = match body {
            BodyText::Plain(text) => text.replace("\r\n", "\n"),
            BodyText::Html(html) => render_text(html),
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
/// at most `max_links` of them.
pub fn collect_all_links(parsed: &mail_parser::Message<'_>, limits: &ViewLimits) -> Vec<String> {
    let max = limits.max_links;
    let mut out = Vec::new();
    for part in walk(parsed, limits.max_mime_depth).parts {
        if out.len() >= max {
            break;
        }
        if let PartType::Html(html) = &part.part.body {
            collect_links(html, max, &mut out);
        }
    }
    out
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
