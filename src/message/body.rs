//! Body text and links: the text that `>` rules see and the URLs that `<`
//! rules see.

use mail_parser::PartType;

use super::attachments::{BodyText, PartInfo, PartRole};
use super::html::{collect_links, render_text};
use super::parts::walk;

/// Joins the text of every body part in message order, HTML rendered to
/// text, cut at `max_bytes` on a character boundary.
pub fn collect_body_text(
    parsed: &mail_parser::Message<'_>,
    max_bytes: usize,
    max_headers: usize,
) -> String {
    let mut out = String::new();
    for part in walk(parsed) {
        if out.len() >= max_bytes {
            break;
        }
        let info = PartInfo::read(&part, max_headers);
        let PartRole::Body(body) = info.role(part.part) else {
            continue;
        };
        let rendered;
        let text = match body {
            BodyText::Plain(text) => text,
            BodyText::Html(html) => {
                rendered = render_text(html);
                rendered.as_str()
            }
        };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(text);
    }
    truncate_at_char_boundary(&mut out, max_bytes);
    out
}

/// Collects link URLs from every `text/html` part, attachments included,
/// at most `max` of them.
pub fn collect_all_links(parsed: &mail_parser::Message<'_>, max: usize) -> Vec<String> {
    let mut out = Vec::new();
    for part in walk(parsed) {
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
