//! Read-only view of one message over mail-parser, decoded lazily.
//!
//! [`Message::parse`] takes the raw bytes and the SMTP envelope and never
//! fails: malformed MIME, bad encodings, 8-bit headers and truncation are
//! read as well as they can be. Each derived field (headers, attachments,
//! links, body text) is computed on first use and at most once, so a rule
//! set that never reads links never scans HTML.

mod address;
mod attachments;
mod automated;
mod body;
mod decode;
mod headers;
mod html;
mod params;
mod parts;
mod rewrite;

use std::cell::OnceCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use mail_parser::MessageParser;

use crate::limits::Limits;

pub use address::Address;
pub use attachments::{Attachment, UnexaminedAttachment};
pub use headers::Header;
pub use rewrite::{rewrite, rewrite_at, HeaderAt, DEFAULT_REMOVAL_NOTICE};

/// The SMTP envelope of a message, when the caller knows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Envelope {
    /// `MAIL FROM`. `Some("")` is the null sender of a bounce.
    pub sender: Option<String>,
    /// IP address of the connecting SMTP client, as text.
    pub client_ip: Option<String>,
    /// Name the client gave in `HELO` or `EHLO`.
    pub helo: Option<String>,
    /// `RCPT TO` addresses in order.
    pub recipients: Vec<String>,
}

/// The limits that shape a message view, copied from [`Limits`].
#[derive(Debug, Clone, Copy)]
struct ViewLimits {
    max_headers: usize,
    max_attachments: usize,
    max_mime_depth: usize,
    max_links: usize,
    max_body_text_bytes: usize,
}

/// A read-only view of one message.
///
/// # Examples
///
/// ```
/// use rulec::limits::Limits;
/// use rulec::message::{Envelope, Message};
///
/// let raw = b"From: Ann <ann@example.com>\r\nSubject: =?utf-8?q?Caf=C3=A9?=\r\n\r\nHello\r\n";
/// let message = Message::parse(raw, Envelope::default(), &Limits::default());
/// assert_eq!(message.subject(), Some("Café"));
/// assert_eq!(message.addresses("From")[0].domain(), "example.com");
/// assert_eq!(message.body_text(), "Hello\n");
/// ```
pub struct Message<'a> {
    /// The bytes that are scanned: the input without an mbox `From ` line,
    /// cut at `max_message_bytes`.
    scanned: &'a [u8],
    size: usize,
    truncated: bool,
    envelope: Envelope,
    limits: ViewLimits,
    /// `None` when mail-parser found no header at all.
    parsed: Option<mail_parser::Message<'a>>,
    headers: OnceCell<Vec<Header>>,
    attachments: OnceCell<attachments::Collected>,
    links: OnceCell<(Vec<String>, bool)>,
    body_text: OnceCell<String>,
    mime_depth_exceeded: OnceCell<bool>,
}

impl<'a> Message<'a> {
    /// Parses `raw`. Never fails: whatever parsed is what the view shows.
    ///
    /// A leading mbox `From ` line is skipped, and only the first
    /// `limits.max_message_bytes` bytes are scanned.
    pub fn parse(raw: &'a [u8], envelope: Envelope, limits: &Limits) -> Message<'a> {
        let body = strip_mbox_line(raw);
        let scanned = &body[..body.len().min(limits.max_message_bytes)];
        let parser = MessageParser::new().with_mime_headers();
        // mail-parser 0.11 documents that parse never panics. The guard
        // makes a broken promise cost one message's view, not the run.
        let parsed = catch_unwind(AssertUnwindSafe(|| parser.parse(scanned))).unwrap_or(None);
        Message {
            scanned,
            size: body.len(),
            truncated: scanned.len() < body.len(),
            envelope,
            limits: ViewLimits {
                max_headers: limits.max_headers,
                max_attachments: limits.max_attachments,
                max_mime_depth: limits.max_mime_depth,
                max_links: limits.max_links,
                max_body_text_bytes: limits.max_body_text_bytes,
            },
            parsed,
            headers: OnceCell::new(),
            attachments: OnceCell::new(),
            links: OnceCell::new(),
            body_text: OnceCell::new(),
            mime_depth_exceeded: OnceCell::new(),
        }
    }

    /// Returns the top-level headers in arrival order, at most
    /// `max_headers` of them.
    pub fn headers(&self) -> &[Header] {
        self.headers.get_or_init(|| match &self.parsed {
            Some(parsed) => match parsed.parts.first() {
                Some(root) => {
                    headers::read_headers(self.scanned, &root.headers, self.limits.max_headers)
                }
                None => Vec::new(),
            },
            None => Vec::new(),
        })
    }

    /// Returns the first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&Header> {
        headers::find(self.headers(), name)
    }

    /// Returns every header called `name` (case-insensitive), in order.
    pub fn header_all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Header> + 's {
        self.headers().iter().filter(move |header| header.is(name))
    }

    /// Tells whether there were more than `max_headers` top-level headers.
    pub fn headers_truncated(&self) -> bool {
        self.parsed
            .as_ref()
            .and_then(|parsed| parsed.parts.first())
            .is_some_and(|root| root.headers.len() > self.limits.max_headers)
    }

    fn header_value(&self, name: &str) -> Option<&str> {
        self.header(name).map(|header| header.value.as_str())
    }

    /// Returns the first `Message-ID` with its angle brackets (added when
    /// the sender left them out).
    pub fn message_id(&self) -> Option<String> {
        let raw = self.header("Message-ID")?.raw.trim();
        if raw.is_empty() {
            return None;
        }
        if let (Some(open), Some(close)) = (raw.find('<'), raw.find('>')) {
            if open < close {
                return Some(raw[open..=close].to_owned());
            }
        }
        Some(format!("<{raw}>"))
    }

    /// Returns the decoded value of the first `Subject`.
    pub fn subject(&self) -> Option<&str> {
        self.header_value("Subject")
    }

    /// Returns the decoded value of the first `From`.
    pub fn from(&self) -> Option<&str> {
        self.header_value("From")
    }

    /// Returns the decoded value of the first `To`.
    pub fn to(&self) -> Option<&str> {
        self.header_value("To")
    }

    /// Returns the decoded value of the first `Cc`.
    pub fn cc(&self) -> Option<&str> {
        self.header_value("Cc")
    }

    /// Parses every occurrence of header `field` as an address list.
    pub fn addresses(&self, field: &str) -> Vec<Address> {
        self.header_all(field)
            .flat_map(|header| address::parse_address_list(&header.raw))
            .collect()
    }

    /// Returns the first `Date` as Unix seconds, or `None` when it is
    /// missing or not a valid RFC 5322 date.
    pub fn date(&self) -> Option<i64> {
        let raw = self.header("Date")?.raw.as_str();
        mail_parser::DateTime::parse_rfc822(raw)
            .filter(mail_parser::DateTime::is_valid)
            .map(|date| date.to_timestamp())
    }

    /// Returns the message size in bytes (without an mbox `From ` line),
    /// including any part beyond `max_message_bytes`.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Tells whether the message was longer than `max_message_bytes`, so
    /// only its start was scanned.
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }

    pub fn envelope(&self) -> &Envelope {
        &self.envelope
    }

    /// Returns the envelope sender (`MAIL FROM`) the caller gave;
    /// `Some("")` for the null sender.
    pub fn sender(&self) -> Option<&str> {
        self.envelope.sender.as_deref()
    }

    /// Returns the envelope sender, or when the caller gave none, the
    /// first `Return-Path` header, where a delivery agent records
    /// `MAIL FROM` in stored mail. The header comes with the message, so
    /// it may be forged: the server tier, whose trust lists act on
    /// `$sender`, uses [`Message::sender`] only.
    pub fn sender_or_return_path(&self) -> Option<&str> {
        if let Some(sender) = self.sender() {
            return Some(sender);
        }
        let path = self.header("Return-Path")?.value.trim();
        Some(path.trim_start_matches('<').trim_end_matches('>').trim())
    }

    pub fn client_ip(&self) -> Option<&str> {
        self.envelope.client_ip.as_deref()
    }

    pub fn helo(&self) -> Option<&str> {
        self.envelope.helo.as_deref()
    }

    pub fn recipients(&self) -> &[String] {
        &self.envelope.recipients
    }

    /// Counts the envelope recipients, or when there are none the `To` and
    /// `Cc` addresses.
    pub fn recipient_count(&self) -> usize {
        if !self.envelope.recipients.is_empty() {
            return self.envelope.recipients.len();
        }
        self.addresses("To").len() + self.addresses("Cc").len()
    }

    /// Tells whether MIME parts were nested deeper than `max_mime_depth`,
    /// so the deepest ones were not examined.
    pub fn mime_depth_exceeded(&self) -> bool {
        *self.mime_depth_exceeded.get_or_init(|| match &self.parsed {
            Some(parsed) => parts::walk(parsed, self.limits.max_mime_depth).depth_exceeded,
            None => false,
        })
    }

    /// Returns the attachments in message order, at most
    /// `max_attachments`, including those inside forwarded messages and
    /// nested multiparts.
    pub fn attachments(&self) -> &[Attachment] {
        &self.collected_attachments().examined
    }

    /// Returns the attachments past `max_attachments` or nested deeper
    /// than `max_mime_depth`, by name and part path, so that a block list
    /// still sees every attachment name.
    pub fn unexamined_attachments(&self) -> &[UnexaminedAttachment] {
        &self.collected_attachments().unexamined
    }

    /// Tells whether there were more than `max_attachments` attachments.
    pub fn attachments_truncated(&self) -> bool {
        self.collected_attachments().over_max
    }

    fn collected_attachments(&self) -> &attachments::Collected {
        self.attachments.get_or_init(|| match &self.parsed {
            Some(parsed) => attachments::collect_attachments(parsed, &self.limits),
            None => attachments::Collected::default(),
        })
    }

    /// Returns the `<a href>` and `<img src>` URLs of every HTML part in
    /// order, entity-decoded, at most `max_links`.
    pub fn links(&self) -> &[String] {
        &self.collected_links().0
    }

    /// Tells whether there were more than `max_links` links.
    pub fn links_truncated(&self) -> bool {
        self.collected_links().1
    }

    fn collected_links(&self) -> &(Vec<String>, bool) {
        self.links.get_or_init(|| match &self.parsed {
            Some(parsed) => body::collect_all_links(parsed, &self.limits),
            None => (Vec::new(), false),
        })
    }

    /// Returns the text of every body part in message order, decoded to
    /// UTF-8, HTML rendered to text, lines ending in `\n`, parts joined by
    /// `\n`, cut at `max_body_text_bytes`. Attachments are not body text.
    pub fn body_text(&self) -> &str {
        self.body_text.get_or_init(|| match &self.parsed {
            Some(parsed) => body::collect_body_text(parsed, &self.limits),
            None => String::new(),
        })
    }
}

/// Skips a leading mbox `From ` line.
fn strip_mbox_line(raw: &[u8]) -> &[u8] {
    if !raw.starts_with(b"From ") {
        return raw;
    }
    match raw.iter().position(|&b| b == b'\n') {
        Some(end) => &raw[end + 1..],
        None => &[],
    }
}
