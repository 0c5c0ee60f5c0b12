//! A streaming mbox reader: one message in memory at a time.
//!
//! A `From ` line starts a new message only when it follows an empty line
//! and looks like an envelope line with an address and a date. Any other
//! `From ` line is body text. mboxrd quoting is undone, so a line of one
//! or more `>` followed by `From ` loses one `>`.

use std::io::BufRead;
use std::path::PathBuf;

use super::{InputError, InputMessage};

pub struct MboxReader {
    reader: Box<dyn BufRead>,
    path: PathBuf,
    /// The name messages are given, before `#N`.
    name: String,
    /// Messages returned so far.
    count: usize,
    /// The first line of a file that has no leading `From ` line, read
    /// ahead to recognise the mbox and given back to the first message.
    carried: Option<Vec<u8>>,
    done: bool,
    /// Largest message kept, in bytes; a larger one is skipped with an
    /// error.
    max_bytes: usize,
}

impl MboxReader {
    /// Reads messages from `reader`. `first_line` is the line the caller
    /// already read to recognise the mbox.
    pub fn new(reader: Box<dyn BufRead>, path: PathBuf, name: String, first_line: Vec<u8>) -> Self {
        let is_content = !first_line.is_empty() && !first_line.starts_with(b"From ");
        let carried = is_content.then_some(first_line);
        MboxReader {
            reader,
            path,
            name,
            count: 0,
            carried,
            done: false,
            max_bytes: usize::MAX,
        }
    }

    /// Sets the largest message kept, in bytes.
    pub fn max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// Reads the next message. A message over `max_bytes` comes back as
    /// `Err(max_bytes)`, and the rest of the mbox is not read.
    fn read_message(&mut self) -> Result<Option<Result<Vec<u8>, usize>>, InputError> {
        let mut message = Vec::new();
        let mut has_content = false;
        let mut too_large = false;
        let mut previous_blank = false;
        if let Some(line) = self.carried.take() {
            previous_blank = is_blank(&line);
            push_line(&mut message, &line);
            has_content = true;
        }

        let mut line = Vec::new();
        loop {
            line.clear();
            // A line is read only up to the space left in the message, so
            // one endless line cannot exhaust memory.
            let room = self
                .max_bytes
                .saturating_sub(message.len())
                .saturating_add(1);
            let (read, complete) = read_line_limited(&mut *self.reader, &mut line, room)
                .map_err(|source| InputError::new(&self.path, source))?;
            if read == 0 {
                self.done = true;
                break;
            }
            if previous_blank && complete && is_envelope_line(&line) {
                break;
            }
            previous_blank = is_blank(&line);
            has_content = true;
            push_line(&mut message, &line);
            if message.len() > self.max_bytes || !complete {
                // Finding the next message would mean reading an unbounded
                // amount, so the rest of this mbox is given up.
                too_large = true;
                self.done = true;
                break;
            }
        }
        if !has_content {
            return Ok(None);
        }
        if too_large {
            return Ok(Some(Err(self.max_bytes)));
        }
        strip_separator_line(&mut message);
        Ok(Some(Ok(message)))
    }
}

impl Iterator for MboxReader {
    type Item = Result<InputMessage, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done && self.carried.is_none() {
            return None;
        }
        match self.read_message() {
            Ok(Some(Ok(bytes))) => {
                self.count += 1;
                Some(Ok(InputMessage {
                    name: format!("{}#{}", self.name, self.count),
                    bytes,
                }))
            }
            Ok(Some(Err(max_bytes))) => {
                self.count += 1;
                self.carried = None;
                let name = PathBuf::from(format!("{}#{}", self.name, self.count));
                Some(Err(InputError::too_large_in_mbox(&name, max_bytes)))
            }
            Ok(None) => None,
            Err(error) => {
                self.done = true;
                self.carried = None;
                Some(Err(error))
            }
        }
    }
}

/// Reads one line into `line`, up to `max` bytes. Returns the bytes read
/// and whether the line ended within them. When it did not, reading stops
/// there, so an endless line such as `/dev/zero` cannot hang the reader.
pub(super) fn read_line_limited(
    reader: &mut dyn BufRead,
    line: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<(usize, bool)> {
    let mut consumed = 0;
    loop {
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if buffer.is_empty() {
            return Ok((consumed, true));
        }
        let room = max.saturating_sub(line.len());
        if room == 0 {
            return Ok((consumed, false));
        }
        let (chunk, found) = match buffer.iter().position(|&byte| byte == b'\n') {
            Some(index) if index < room => (&buffer[..=index], true),
            _ => (&buffer[..buffer.len().min(room)], false),
        };
        line.extend_from_slice(chunk);
        let length = chunk.len();
        reader.consume(length);
        consumed += length;
        if found {
            return Ok((consumed, true));
        }
    }
}

fn is_blank(line: &[u8]) -> bool {
    line == b"\n" || line == b"\r\n"
}

/// Appends `line`, removing one `>` from a mboxrd-quoted `>From ` line.
fn push_line(message: &mut Vec<u8>, line: &[u8]) {
    let quotes = line.iter().take_while(|&&b| b == b'>').count();
    if quotes > 0 && line[quotes..].starts_with(b"From ") {
        message.extend_from_slice(&line[1..]);
    } else {
        message.extend_from_slice(line);
    }
}

/// Drops the empty line that mbox writers put between messages.
fn strip_separator_line(message: &mut Vec<u8>) {
    if message.ends_with(b"\r\n\r\n") {
        message.truncate(message.len() - 2);
    } else if message.ends_with(b"\n\n") {
        message.truncate(message.len() - 1);
    }
}

/// Tells whether `line` is an mbox envelope line: `From `, an address
/// without spaces, then a time (`10:00`) and a four-digit year, as in
/// `From alice@example.com Mon Nov  9 10:00:00 2026`.
pub fn is_envelope_line(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let rest = String::from_utf8_lossy(rest);
    let mut tokens = rest.split_whitespace();
    if tokens.next().is_none() {
        return false;
    }
    let mut has_time = false;
    let mut has_year = false;
    for token in tokens {
        if is_iso_date_time(token) {
            return true;
        }
        has_time |= is_time(token);
        has_year |= token.len() == 4 && token.bytes().all(|b| b.is_ascii_digit());
    }
    has_time && has_year
}

/// Tells whether `token` starts with an ISO 8601 date and time,
/// `2026-11-09T10:00`, which some mbox writers put on the envelope line.
fn is_iso_date_time(token: &str) -> bool {
    let bytes = token.as_bytes();
    if bytes.len() < 16 {
        return false;
    }
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10)
        && bytes[10] == b'T'
        && digits(11..13)
        && bytes[13] == b':'
        && digits(14..16)
}

fn is_time(token: &str) -> bool {
    let mut parts = token.split(':');
    let hours = parts.next().unwrap_or("");
    let minutes = parts.next().unwrap_or("");
    let is_number =
        |text: &str| (1..=2).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    is_number(hours) && is_number(minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_lines() {
        assert!(is_envelope_line(
            b"From alice@example.com Mon Nov  9 10:00:00 2026\n"
        ));
        assert!(is_envelope_line(
            b"From MAILER-DAEMON Tue Jan  1 00:00 2030\r\n"
        ));
        assert!(!is_envelope_line(b"From the desk of Bob, with regards.\n"));
        assert!(!is_envelope_line(b"From me at 10:00 today\n"));
        assert!(is_envelope_line(
            b"From b@example.com 2024-01-01T10:00:00Z\n"
        ));
        assert!(!is_envelope_line(b"From 2024-01-01 on, prices rise\n"));
        assert!(!is_envelope_line(b"From \n"));
        assert!(!is_envelope_line(b"From: alice@example.com\n"));
    }

    #[test]
    fn mboxrd_unquoting() {
        let mut message = Vec::new();
        push_line(&mut message, b">From a\n");
        push_line(&mut message, b">>From b\n");
        push_line(&mut message, b">Fromage\n");
        assert_eq!(message, b"From a\n>From b\n>Fromage\n");
    }
}
