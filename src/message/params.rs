//! MIME header values with parameters (`Content-Type`,
//! `Content-Disposition`), including RFC 2231 continuations, charsets and
//! percent escapes and the RFC 2047 encoded words that many mailers put in
//! file names.

use super::decode::{decode_charset, decode_rfc2047, header_bytes_to_string, hex_value};

/// A value such as `text/plain; charset="utf-8"`, split up.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MimeValue {
    /// The part before the first `;`, trimmed and lower-case.
    pub value: String,
    /// Parameters in order, names lower-case, values decoded.
    pub params: Vec<(String, String)>,
}

impl MimeValue {
    /// Returns the value of parameter `name` (lower-case).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// One `name*N*=value` as written, before sections are joined.
struct RawParam {
    base: String,
    section: Option<u32>,
    extended: bool,
    value: String,
}

/// Splits an unfolded header value into its main value and parameters.
pub fn parse_mime_value(raw: &str) -> MimeValue {
    let (value, rest) = match raw.find(';') {
        Some(at) => (&raw[..at], &raw[at + 1..]),
        None => (raw, ""),
    };
    let raw_params = split_params(rest);
    MimeValue {
        value: value.trim().to_ascii_lowercase(),
        params: join_params(raw_params),
    }
}

/// Reads `name=value` pairs separated by `;`. Values may be quoted with
/// backslash escapes; an unquoted value runs to the next `;`, which keeps
/// unquoted names with spaces whole.
fn split_params(text: &str) -> Vec<RawParam> {
    let mut params = Vec::new();
    let mut chars = text.char_indices().peekable();
    loop {
        while chars
            .next_if(|(_, c)| c.is_whitespace() || *c == ';')
            .is_some()
        {}
        let Some(&(name_start, _)) = chars.peek() else {
            break;
        };
        let mut name_end = text.len();
        let mut has_value = false;
        for (at, c) in chars.by_ref() {
            if c == '=' || c == ';' {
                name_end = at;
                has_value = c == '=';
                break;
            }
        }
        let name = text[name_start..name_end].trim().to_ascii_lowercase();
        let value = if has_value {
            read_value(text, &mut chars)
        } else {
            String::new()
        };
        if !name.is_empty() {
            params.push(raw_param(name, value));
        }
    }
    params
}

fn read_value(text: &str, chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> String {
    while chars.next_if(|(_, c)| *c == ' ' || *c == '\t').is_some() {}
    if chars.next_if(|(_, c)| *c == '"').is_some() {
        let mut value = String::new();
        while let Some((_, c)) = chars.next() {
            match c {
                '"' => break,
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        value.push(escaped);
                    }
                }
                _ => value.push(c),
            }
        }
        // Anything between the closing quote and the next `;` is junk.
        while chars.next_if(|(_, c)| *c != ';').is_some() {}
        return value;
    }
    let start = chars.peek().map_or(text.len(), |&(at, _)| at);
    let mut end = text.len();
    while let Some(&(at, c)) = chars.peek() {
        if c == ';' {
            end = at;
            break;
        }
        chars.next();
    }
    text[start..end].trim().to_owned()
}

fn raw_param(name: String, value: String) -> RawParam {
    let (rest, extended) = match name.strip_suffix('*') {
        Some(rest) => (rest.to_owned(), true),
        None => (name, false),
    };
    // `filename*2` is section 2; a `*` inside a name that is not
    // followed by digits stays part of the name.
    if let Some((base, digits)) = rest.rsplit_once('*') {
        if let Ok(section) = digits.parse::<u32>() {
            return RawParam {
                base: base.to_owned(),
                section: Some(section),
                extended,
                value,
            };
        }
    }
    RawParam {
        base: rest,
        section: None,
        extended,
        value,
    }
}

/// Joins RFC 2231 sections and decodes values. A parameter written both
/// plainly and in RFC 2231 form takes the RFC 2231 value, as that RFC
/// recommends for senders that write both.
fn join_params(raw: Vec<RawParam>) -> Vec<(String, String)> {
    let mut order: Vec<String> = Vec::new();
    for param in &raw {
        if !order.contains(&param.base) {
            order.push(param.base.clone());
        }
    }
    order
        .into_iter()
        .map(|base| {
            let value = join_one(&raw, &base);
            (base, value)
        })
        .collect()
}

fn join_one(raw: &[RawParam], base: &str) -> String {
    let mut sections: Vec<&RawParam> = raw
        .iter()
        .filter(|p| p.base == base && (p.section.is_some() || p.extended))
        .collect();
    if sections.is_empty() {
        let plain = raw.iter().find(|p| p.base == base);
        return plain.map_or_else(String::new, |p| decode_rfc2047(&p.value));
    }
    sections.sort_by_key(|p| p.section.unwrap_or(0));
    sections.dedup_by_key(|p| p.section);

    // Only the first section may carry `charset'language'`; the others
    // are percent-encoded in the same charset.
    let mut charset = None;
    let mut bytes = Vec::new();
    for (index, section) in sections.iter().enumerate() {
        let mut value = section.value.as_str();
        if section.extended && index == 0 {
            let mut pieces = value.splitn(3, '\'');
            if let (Some(label), Some(_language), Some(text)) =
                (pieces.next(), pieces.next(), pieces.next())
            {
                if !label.is_empty() {
                    charset = Some(label.to_owned());
                }
                value = text;
            }
        }
        if section.extended {
            percent_decode_into(value, &mut bytes);
        } else {
            bytes.extend_from_slice(value.as_bytes());
        }
    }
    match charset {
        Some(label) => decode_charset(&label, &bytes),
        None => header_bytes_to_string(&bytes),
    }
}

fn percent_decode_into(text: &str, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let high = bytes.get(i + 1).copied().and_then(hex_value);
            let low = bytes.get(i + 2).copied().and_then(hex_value);
            if let (Some(high), Some(low)) = (high, low) {
                out.push(high << 4 | low);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_and_plain_params() {
        let parsed = parse_mime_value(r#"Text/HTML; Charset="utf-8"; format=flowed"#);
        assert_eq!(parsed.value, "text/html");
        assert_eq!(parsed.param("charset"), Some("utf-8"));
        assert_eq!(parsed.param("format"), Some("flowed"));
    }

    #[test]
    fn rfc2231_continuations_with_charset() {
        let raw = "attachment; filename*0*=utf-8''Rechnung%20M; filename*1*=%C3%A4rz; \
                   filename*2=.pdf";
        assert_eq!(
            parse_mime_value(raw).param("filename"),
            Some("Rechnung März.pdf")
        );
    }

    #[test]
    fn rfc2231_sections_out_of_order() {
        let raw = "attachment; filename*1=\"b.txt\"; filename*0=\"a\"";
        assert_eq!(parse_mime_value(raw).param("filename"), Some("ab.txt"));
    }

    #[test]
    fn rfc2231_beats_plain_value() {
        let raw = "attachment; filename=\"fallback.txt\"; filename*=iso-8859-1'en'caf%E9.txt";
        assert_eq!(parse_mime_value(raw).param("filename"), Some("café.txt"));
    }

    #[test]
    fn rfc2047_in_quoted_name() {
        let raw = "application/pdf; name=\"=?utf-8?B?w5xiZXJzaWNodC5wZGY=?=\"";
        assert_eq!(parse_mime_value(raw).param("name"), Some("Übersicht.pdf"));
    }

    #[test]
    fn escapes_and_unquoted_spaces() {
        let parsed = parse_mime_value(r#"attachment; filename="a\"b.txt"; name=my file.doc"#);
        assert_eq!(parsed.param("filename"), Some("a\"b.txt"));
        assert_eq!(parsed.param("name"), Some("my file.doc"));
    }

    #[test]
    fn unterminated_quote_takes_rest() {
        let parsed = parse_mime_value("attachment; filename=\"broken.exe");
        assert_eq!(parsed.param("filename"), Some("broken.exe"));
    }
}
