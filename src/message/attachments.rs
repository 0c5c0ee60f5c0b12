//! Attachments: which MIME parts are attachments and what they are called.

use mail_parser::{MessagePart, PartType};

use mail_parser::HeaderName;

use super::headers::{read_header, read_headers, Header};
use super::params::{parse_mime_value, MimeValue};
use super::parts::{below, walk, PartRef};
use super::ViewLimits;

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

/// The role of a MIME part for the rules.
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
    pub content_type: String,
    pub name: Option<String>,
    pub is_attachment_disposition: bool,
    /// The `charset` parameter of `Content-Type`.
    pub charset: Option<String>,
    /// `Content-Transfer-Encoding`, lower-case.
    pub transfer_encoding: String,
}

impl PartInfo {
    /// Reads the content headers of `part`. Only these three are decoded,
    /// because the body text walk reads every part and most parts are not
    /// attachments.
    pub fn read(part: &PartRef<'_, '_>) -> PartInfo {
        let content_type = mime_header(part, HeaderName::ContentType);
        let disposition = mime_header(part, HeaderName::ContentDisposition);
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
        let transfer_encoding = mime_header(part, HeaderName::ContentTransferEncoding).value;
        PartInfo {
            content_type: type_name,
            name,
            is_attachment_disposition: disposition.value == "attachment",
            charset: content_type.param("charset").map(str::to_owned),
            transfer_encoding,
        }
    }

    /// Decides the role of `part`: named or `attachment`-disposed parts
    /// are attachments, text parts are body text, other leaves are
    /// attachments.
    pub fn role<'p>(&self, part: &'p MessagePart<'_>) -> PartRole<'p> {
        let named = self.name.is_some() || self.is_attachment_disposition;
        // mail-parser turns a part it cannot decode into text. Such a part
        // is body text only when its declared type is textual, or is a
        // multipart or message whose structure was lost.
        let textual = ["text/", "multipart/", "message/"]
            .iter()
            .any(|prefix| self.content_type.starts_with(prefix));
        match &part.body {
            PartType::Multipart(_) => PartRole::Container,
            PartType::Message(_) if named => PartRole::Attachment,
            PartType::Message(_) => PartRole::Container,
            _ if named || !textual => PartRole::Attachment,
            PartType::Text(text) => PartRole::Body(BodyText::Plain(text)),
            PartType::Html(html) => PartRole::Body(BodyText::Html(html)),
            PartType::Binary(_) | PartType::InlineBinary(_) => PartRole::Attachment,
        }
    }
}

/// Parses the first header called `name` of `part`.
fn mime_header(part: &PartRef<'_, '_>, name: HeaderName<'static>) -> MimeValue {
    part.part
        .headers
        .iter()
        .find(|header| header.name == name)
        .and_then(|header| read_header(&part.message.raw_message, header))
        .map(|header| parse_mime_value(&header.raw))
        .unwrap_or_default()
}

/// An attachment past `max_attachments` or `max_mime_depth`: only its name
/// and part path are read, so `rules.attachmentblock` still sees every
/// attachment. Past `max_mime_depth` the path is that of the part at the
/// limit above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnexaminedAttachment {
    pub name: Option<String>,
    pub part_path: String,
}

/// The attachments of a message: the first `max_attachments` in full, the
/// rest by name.
#[derive(Debug, Default)]
pub struct Collected {
    pub examined: Vec<Attachment>,
    /// Attachments nested deeper than `max_mime_depth`, then those past
    /// `max_attachments`.
    pub unexamined: Vec<UnexaminedAttachment>,
    /// Set when there were more than `max_attachments` attachments.
    pub over_max: bool,
}

/// Lists the attachments of a parsed message in message order.
pub fn collect_attachments(parsed: &mail_parser::Message<'_>, limits: &ViewLimits) -> Collected {
    let mut out = Vec::new();
    let mut unexamined = Vec::new();
    let mut over_max = false;
    let walked = walk(parsed, limits.max_mime_depth);
    // Parts nested too deep are named by the part at the limit above them.
    for container in walked
        .cut
        .iter()
        .filter_map(|&index| walked.parts.get(index))
    {
        for part in below(container) {
            let info = PartInfo::read(&part);
            if matches!(info.role(part.part), PartRole::Attachment) {
                unexamined.push(UnexaminedAttachment {
                    name: info.name,
                    part_path: part.path,
                });
            }
        }
    }
    for part in walked.parts {
        let info = PartInfo::read(&part);
        if !matches!(info.role(part.part), PartRole::Attachment) {
            continue;
        }
        if out.len() >= limits.max_attachments {
            over_max = true;
            unexamined.push(UnexaminedAttachment {
                name: info.name,
                part_path: part.path,
            });
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
            headers: read_headers(
                &part.message.raw_message,
                &part.part.headers,
                limits.max_headers,
            ),
            size,
            part_path: part.path,
        });
    }
    Collected {
        examined: out,
        unexamined,
        over_max,
    }
}
