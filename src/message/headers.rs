//! Header fields in arrival order, read from the byte ranges that
//! mail-parser records, so names keep their spelling and values their
//! raw form.

use super::decode::{decode_rfc2047, header_bytes_to_string, unfold};

/// One header field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The field name as spelled in the message.
    pub name: String,
    /// The value unfolded and trimmed, with encoded words left as they are.
    pub raw: String,
    /// The value unfolded, trimmed and with RFC 2047 encoded words decoded.
    pub value: String,
    /// Position among the fields of its part (or of the top-level
    /// header), counting from 0, as [`HeaderAt`](super::HeaderAt) names it.
    pub index: usize,
}

impl Header {
    /// Builds a header from its name and raw (unfolded, undecoded) value.
    pub fn new(name: String, raw: String) -> Header {
        let value = decode_rfc2047(&raw);
        Header {
            name,
            raw,
            value,
            index: 0,
        }
    }

    /// Tells whether this header is called `name`, ignoring case.
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// Reads at most `max` headers of one part from `raw`, the bytes that the
/// part's mail-parser offsets index.
pub fn read_headers(raw: &[u8], parsed: &[mail_parser::Header<'_>], max: usize) -> Vec<Header> {
    parsed
        .iter()
        .take(max)
        .enumerate()
        .filter_map(|(index, header)| read_header(raw, header).map(|read| Header { index, ..read }))
        .collect()
}

/// Reads one header from `raw`, the bytes its mail-parser offsets index.
pub fn read_header(raw: &[u8], header: &mail_parser::Header<'_>) -> Option<Header> {
    let field = header.offset_field as usize;
    let start = header.offset_start as usize;
    let end = header.offset_end as usize;
    let name_bytes = raw.get(field..start)?;
    let name_bytes = name_bytes.strip_suffix(b":").unwrap_or(name_bytes);
    let name = header_bytes_to_string(name_bytes).trim().to_owned();
    let value_bytes = raw.get(start..end.max(start))?;
    let raw_value = unfold(&header_bytes_to_string(value_bytes));
    Some(Header::new(name, raw_value))
}

/// Returns the first header called `name` (case-insensitive).
pub fn find<'h>(headers: &'h [Header], name: &str) -> Option<&'h Header> {
    headers.iter().find(|header| header.is(name))
}
