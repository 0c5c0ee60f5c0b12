//! Inputs that could exhaust memory or lose messages: anything over
//! `max_input_bytes`, endless streams, mbox files with CR-only line ends,
//! and envelope lines with ISO 8601 dates.

use std::io::{Cursor, Read};

use rulec::input::Inputs;

fn read_all(stdin: Vec<u8>, max_bytes: usize) -> Vec<Result<(String, usize), String>> {
    let reader: Box<dyn Read> = Box::new(Cursor::new(stdin));
    Inputs::with_stdin(["-"], reader)
        .max_bytes(max_bytes)
        .map(|item| {
            item.map(|message| (message.name, message.bytes.len()))
                .map_err(|error| error.to_string())
        })
        .collect()
}

#[test]
fn message_over_limit_is_an_error() {
    let message = format!("Subject: x\n\n{}\n", "a".repeat(5_000));
    let items = read_all(message.into_bytes(), 1_000);
    assert_eq!(items.len(), 1);
    let error = items[0].as_ref().expect_err("over the limit");
    assert!(error.contains("larger than 1000 bytes"), "{error}");
}

#[test]
fn endless_line_stops_at_limit() {
    // An endless stream: reading must stop at the limit, not at the end.
    let reader: Box<dyn Read> = Box::new(std::io::repeat(b'z'));
    let items: Vec<_> = Inputs::with_stdin(["-"], reader)
        .max_bytes(10_000)
        .collect();
    assert_eq!(items.len(), 1);
    assert!(items[0].is_err());
}

#[test]
fn message_at_limit_is_read() {
    let message = "Subject: x\n\nbody\n".to_string();
    let length = message.len();
    let items = read_all(message.into_bytes(), length);
    assert_eq!(items, vec![Ok(("-".to_string(), length))]);
}

#[test]
fn oversized_mbox_message_ends_that_mbox() {
    let mut mbox =
        String::from("From a@example.org Mon Nov  9 10:00:00 2026\nSubject: one\n\nok\n\n");
    mbox.push_str("From a@example.org Mon Nov  9 10:01:00 2026\nSubject: two\n\n");
    mbox.push_str(&"b".repeat(5_000));
    mbox.push_str("\n\nFrom a@example.org Mon Nov  9 10:02:00 2026\nSubject: three\n\nok\n");
    let items = read_all(mbox.into_bytes(), 1_000);
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().map(|(name, _)| name.as_str()), Ok("-#1"));
    let error = items[1].as_ref().expect_err("second message too large");
    assert!(error.contains("-#2"), "{error}");
    assert!(error.contains("rest of the mbox"), "{error}");
}

#[test]
fn carriage_return_mbox_is_an_error() {
    let mbox = b"From a@example.org Mon Nov  9 10:00:00 2026\rSubject: x\r\rbody\r".to_vec();
    let items = read_all(mbox, 10_000);
    assert_eq!(items.len(), 1);
    let error = items[0].as_ref().expect_err("CR-only mbox");
    assert!(
        error.contains("carriage returns without line feeds"),
        "{error}"
    );
}

#[test]
fn iso_dated_envelope_lines_split_messages() {
    let mbox = "From a@example.org 2026-11-09T10:00:00Z\nSubject: one\n\nok\n\n\
                From a@example.org 2026-11-09T10:01:00Z\nSubject: two\n\nok\n";
    let items = read_all(mbox.as_bytes().to_vec(), 10_000);
    let names: Vec<_> = items
        .iter()
        .map(|item| item.as_ref().map(|(name, _)| name.clone()))
        .collect();
    assert_eq!(names, vec![Ok("-#1".to_string()), Ok("-#2".to_string())]);
}
