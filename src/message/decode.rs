//! Text decoding shared by headers, parameters and bodies: charsets,
//! 8-bit header bytes, RFC 2047 encoded words, base64 and
//! quoted-printable.

use encoding_rs::{Encoding, WINDOWS_1252};
use mail_parser::decoders::charsets::map::charset_decoder;

/// Maximum length of a charset name inside an encoded word. Real names are
/// under 20 bytes; the cap keeps a run of `=?` without a `?` linear.
const MAX_CHARSET_LEN: usize = 64;

/// Decodes header bytes: UTF-8 when they are valid UTF-8, else
/// Windows-1252, as most mail clients display 8-bit headers.
pub fn header_bytes_to_string(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// Decodes `bytes` in the charset named `label`.
///
/// encoding_rs (WHATWG labels, so `iso-8859-1` reads as Windows-1252) is
/// tried first, then mail-parser's decoders (UTF-7 and a few legacy
/// charsets), then UTF-8 with replacement characters.
pub fn decode_charset(label: &str, bytes: &[u8]) -> String {
    if let Some(encoding) = Encoding::for_label(label.trim().as_bytes()) {
        return encoding.decode_without_bom_handling(bytes).0.into_owned();
    }
    if let Some(decoder) = charset_decoder(label.trim().as_bytes()) {
        return decoder(bytes);
    }
    String::from_utf8_lossy(bytes).into_owned()
}

/// Removes the line breaks of folded header lines and trims the ends.
pub fn unfold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in text.split('\n') {
        out.push_str(piece.strip_suffix('\r').unwrap_or(piece));
    }
    out.trim().to_owned()
}

/// Decodes the RFC 2047 encoded words in an unfolded header value.
///
/// Whitespace between two adjacent encoded words is dropped, as RFC 2047
/// section 6.2 requires. A malformed word is kept as written.
pub fn decode_rfc2047(text: &str) -> String {
    if !text.contains("=?") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut last_was_word = false;
    let mut rest = text;

    while let Some(start) = rest.find("=?") {
        let (before, candidate) = rest.split_at(start);
        match parse_encoded_word(candidate) {
            Ok((decoded, consumed)) => {
                let only_space = before.chars().all(|c| c == ' ' || c == '\t');
                if !(last_was_word && only_space) {
                    out.push_str(before);
                }
                out.push_str(&decoded);
                last_was_word = true;
                rest = &candidate[consumed..];
            }
            Err(skip) => {
                let skip = skip.max(2);
                out.push_str(before);
                out.push_str(&candidate[..skip]);
                last_was_word = false;
                rest = &candidate[skip..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parses one `=?charset?enc?text?=` word at the start of `text`.
///
/// Returns the decoded text and the bytes consumed, or on failure the
/// number of bytes that may be treated as literal text. When the encoded
/// text has no `?=` before whitespace, the whole run up to that
/// whitespace is literal, which keeps decoding linear.
fn parse_encoded_word(text: &str) -> Result<(String, usize), usize> {
    let bytes = text.as_bytes();
    let charset_end = bytes
        .iter()
        .skip(2)
        .take(MAX_CHARSET_LEN)
        .position(|&b| b == b'?' || b.is_ascii_whitespace())
        .map(|i| i + 2)
        .ok_or(2usize)?;
    // A failure before the encoded text skips only the `=?`: another word
    // may start inside the short run scanned so far.
    if bytes[charset_end] != b'?' || charset_end == 2 {
        return Err(2);
    }
    let encoding = *bytes.get(charset_end + 1).ok_or(2usize)?;
    if bytes.get(charset_end + 2) != Some(&b'?') {
        return Err(2);
    }
    let data_start = charset_end + 3;
    let data_len = bytes[data_start..]
        .windows(2)
        .position(|w| w == b"?=" || w[0].is_ascii_whitespace())
        .ok_or(bytes.len())?;
    let data_end = data_start + data_len;
    if bytes[data_end] != b'?' {
        return Err(data_end);
    }
    // RFC 2231 section 5 allows `charset*language`; the language is unused.
    let label = &text[2..charset_end];
    let label = label.split('*').next().unwrap_or(label);

    let data = word_bytes(label, &text[data_start..data_end]);
    let decoded = match encoding {
        b'b' | b'B' => base64_decode(&data),
        b'q' | b'Q' => Some(quoted_printable_decode(&data, true)),
        _ => None,
    }
    .ok_or(data_end + 2)?;
    Ok((decode_charset(label, &decoded), data_end + 2))
}

/// Returns the bytes of an encoded word's text. Some mailers put raw 8-bit
/// bytes in the word's own charset there. The header was already read as
/// UTF-8 or Windows-1252, so such characters are encoded back into the
/// word's charset before the word is decoded.
fn word_bytes<'t>(label: &str, data: &'t str) -> std::borrow::Cow<'t, [u8]> {
    if data.is_ascii() {
        return data.as_bytes().into();
    }
    match Encoding::for_label(label.trim().as_bytes()) {
        Some(encoding) => {
            let (bytes, _, _) = encoding.output_encoding().encode(data);
            bytes.into_owned().into()
        }
        None => data.as_bytes().into(),
    }
}

/// Decodes base64, ignoring characters outside the alphabet (line breaks,
/// stray spaces). Returns `None` when nothing decodable is left.
pub fn base64_decode(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let mut accumulator: u32 = 0;
    let mut bits = 0u32;
    let mut seen = false;
    for &byte in data {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => continue,
        };
        seen = true;
        accumulator = (accumulator << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((accumulator >> bits) as u8);
            accumulator &= (1 << bits) - 1;
        }
    }
    seen.then_some(out)
}

/// Decodes quoted-printable. In an encoded word (`word` set) `_` is a
/// space. A broken escape is kept as written.
pub fn quoted_printable_decode(data: &[u8], word: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        let byte = data[i];
        if byte == b'=' {
            let hex = (data.get(i + 1), data.get(i + 2));
            if let (Some(&high), Some(&low)) = hex {
                if let (Some(h), Some(l)) = (hex_value(high), hex_value(low)) {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
            }
            // A soft line break: `=` at the end of a line.
            let rest = &data[i + 1..];
            if rest.starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if rest.starts_with(b"\n") {
                i += 2;
                continue;
            }
            out.push(byte);
        } else if byte == b'_' && word {
            out.push(b' ');
        } else {
            out.push(byte);
        }
        i += 1;
    }
    out
}

pub fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_words_adjacent_drop_space() {
        let text = "=?utf-8?q?Caf=C3=A9?= =?utf-8?b?IGF1IGxhaXQ=?= ok";
        assert_eq!(decode_rfc2047(text), "Café au lait ok");
    }

    #[test]
    fn encoded_word_keeps_surrounding_text() {
        let text = "Re: =?ISO-8859-1?Q?M=FCller?= and co";
        assert_eq!(decode_rfc2047(text), "Re: Müller and co");
    }

    #[test]
    fn malformed_encoded_words_stay_literal() {
        for text in [
            "=?",
            "=?utf-8",
            "=?utf-8?x?abc?=",
            "a =?utf-8?q?no end",
            "=??q?a?=",
        ] {
            assert_eq!(decode_rfc2047(text), text, "input {text:?}");
        }
    }

    #[test]
    fn raw_eight_bit_inside_encoded_word() {
        let header = header_bytes_to_string(b"=?iso-8859-1?Q?Die_Fr\xf6sche?=");
        assert_eq!(decode_rfc2047(&header), "Die Frösche");
    }

    #[test]
    fn long_run_of_openers_is_literal() {
        let text = "=?".repeat(10_000);
        assert_eq!(decode_rfc2047(&text), text);
    }

    #[test]
    fn eight_bit_header_reads_as_windows_1252() {
        assert_eq!(header_bytes_to_string(b"Caf\xe9 \x80"), "Café €");
        assert_eq!(header_bytes_to_string("Café".as_bytes()), "Café");
    }

    #[test]
    fn unknown_charset_falls_back_to_utf8() {
        assert_eq!(decode_charset("x-unknown", b"abc"), "abc");
        assert_eq!(decode_charset("utf-7", b"Hi +AKM-1"), "Hi £1");
    }

    #[test]
    fn quoted_printable_soft_breaks() {
        assert_eq!(quoted_printable_decode(b"a=\r\nb=3D=zz", false), b"ab==zz");
    }
}
