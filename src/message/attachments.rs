//! Attachments: which MIME parts are attachments and what they are called.

use mail_parser::{MessagePart, PartType};

use super::headers::{find, read_headers, Header};
use super::params::{parse_mime_value, MimeValue};
use super::parts::{walk, PartRef};

/// One attachment, wherever it sits in the MIME tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file name: `filename=` of `Content-Disposition`, else `name=` of
    /// `Content-Type`, decoded (RFC 2231 and RFC 2047).
    pub name: Option<String>,
    /// Lower-case `type/subtype`; `text/plain` when the part has no valid
    /// `Content-Type`.
    pub content_type: String,
    /// The headers of this part, at most `max_headers` of them.
    pub headers: Vec<Header>,
    /// Size of the decoded content in bytes (text parts after conversion
    /// to UTF-8).
    pub size: usize,
    /// IMAP part path such as "2" or "1.2"; stable for a given message and
    /// the key that [`rewrite`](super::rewrite) takes to remove the part.
    pub part_path: String,
}

/// What a MIME part is to the rules.
pub enum PartRole<'p> {
    /// A multipart or a nested message that is not itself an attachment.
    Container,
    /// Text shown to the reader.
    Body(BodyText<'p>),
    Attachment,
}

pub enum BodyText<'p> {
    Plain(&'p str),
    Html(&'p str),
}

/// The content headers of a part that decide its role and name.
pub struct PartInfo {
    pub headers: Vec<Header>,
    pub content_type: String,
    pub name: Option<String>,
    pub is_attachment_disposition: bool,
}

impl PartInfo {
    /// Reads the headers of `part` (at most `max_headers`).
    pub fn read(part: &PartRef<'_, '_>, max_headers: usize) -> PartInfo {
        let headers = read_headers(&part.message.raw_message, &part.part.headers, max_headers);
        let content_type = mime_header(&headers, "Content-Type");
        let disposition = mime_header(&headers, "Content-Disposition");
        let name = disposition
            .param("filename")
            .or_else(|| content_type.param("name"))
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned);
        let type_name = if content_type.value.contains('/') {
            content_type.value.clone()
        } else {
            // NOTE: RFC 2046 makes `message/rfc822` the default inside
            // multipart/digest; this view reports `text/plain` there too.
            "text/plain".to_owned()
        };
        PartInfo {
            headers,
            content_type: type_name,
            name,
            is_attachment_disposition: disposition.value == "attachment",
        }
    }

    /// Decides the role of `part`: named or `attachment`-disposed parts
    /// are attachments, text parts are body text, other leaves are
    /// attachments.
    pub fn role<'p>(&self, part: &'p MessagePart<'_>) -> PartRole<'p> {
        let named = self.name.is_some() || self.is_attachment_disposition;
        match &part.body {
            PartType::Multipart(_) => PartRole::Container,
            PartType::Message(_) if named => PartRole::Attachment,
            PartType::Message(_) => PartRole::Container,
            _ if named => PartRole::Attachment,
            PartType::Text(text) => PartRole::Body(BodyText::Plain(text)),
            PartType::Html(html) => PartRole::Body(BodyText::Html(html)),
            PartType::Binary(_) | PartType::InlineBinary(_) => PartRole::Attachment,
        }
    }
}

fn mime_header(headers: &[Header], name: &str) -> MimeValue {
    find(headers, name)
        .map(|header| parse_mime_value(&header.raw))
        .unwrap_or_default()
}

/// Lists the attachments of a parsed message in message order.
pub fn collect_attachments(
    parsed: &mail_parser::Message<'_>,
    max_attachments: usize,
    max_headers: usize,
) -> Vec<Attachment> {
    let mut out = Vec::new();
    for part in walk(parsed) {
        if out.len() >= max_attachments {
            break;
        }
        let info = PartInfo::read(&part, max_headers);
        if !matches!(info.role(part.part), PartRole::Attachment) {
            continue;
        }
        let size = match &part.part.body {
            PartType::Message(_) => {
                part.part.offset_end.saturating_sub(part.part.offset_body) as usize
            }
            body => body.len(),
        };
        out.push(Attachment {
            name: info.name,
            content_type: info.content_type,
            headers: info.headers,
            size,
            part_path: part.path,
        });
    }
    out
}
