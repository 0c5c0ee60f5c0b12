//! The input reader on real files: single messages, mbox, Maildir,
//! directories, standard input and unreadable paths.

use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use rulec::input::{InputMessage, Inputs};

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/messages")
}

/// Creates an empty scratch directory for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("input-{test}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create scratch directory");
    dir
}

fn read_all(inputs: Inputs) -> Vec<InputMessage> {
    inputs
        .map(|item| item.unwrap_or_else(|error| panic!("{error}")))
        .collect()
}

fn names(messages: &[InputMessage]) -> Vec<String> {
    messages.iter().map(|m| m.name.clone()).collect()
}

#[test]
fn mbox_splits_three_messages() {
    let path = data_dir().join("three.mbox");
    let messages = read_all(Inputs::new([&path]));
    let base = path.display().to_string();
    assert_eq!(
        names(&messages),
        [
            format!("{base}#1"),
            format!("{base}#2"),
            format!("{base}#3")
        ]
    );
    let first = String::from_utf8_lossy(&messages[0].bytes);
    assert!(first.starts_with("From: Alice"), "{first}");
    assert!(
        first.contains("\nFrom here on the line was quoted"),
        "{first}"
    );
    assert!(first.contains("\n>From twice quoted.\n"), "{first}");
    assert!(first.ends_with("twice quoted.\n"), "{first:?}");
    let second = String::from_utf8_lossy(&messages[1].bytes);
    assert!(second.contains("\nFrom the desk of Bob"), "{second}");
    let third = String::from_utf8_lossy(&messages[2].bytes);
    assert!(third.contains("\nFrom this point on"), "{third}");
    assert!(third.ends_with("precedes it.\n"), "{third:?}");
}

#[test]
fn single_message_file_keeps_path() {
    let path = data_dir().join("folded-headers.eml");
    let messages = read_all(Inputs::new([&path]));
    assert_eq!(names(&messages), [path.display().to_string()]);
    assert_eq!(messages[0].bytes, fs::read(&path).expect("sample"));
}

#[test]
fn mbox_by_first_line_even_with_one_message() {
    let dir = scratch("one-mbox");
    let path = dir.join("single.eml");
    fs::write(
        &path,
        "From a@example.com Mon Nov  9 10:00:00 2026\nSubject: x\n\nbody\n",
    )
    .expect("write");
    let messages = read_all(Inputs::new([&path]));
    assert_eq!(names(&messages), [format!("{}#1", path.display())]);
    assert_eq!(messages[0].bytes, b"Subject: x\n\nbody\n");
}

#[test]
fn mbox_by_extension_without_from_line() {
    let dir = scratch("ext-mbox");
    let path = dir.join("export.MBOX");
    fs::write(&path, "Subject: x\n\nbody\n").expect("write");
    let messages = read_all(Inputs::new([&path]));
    assert_eq!(names(&messages), [format!("{}#1", path.display())]);
    assert_eq!(messages[0].bytes, b"Subject: x\n\nbody\n");
}

#[test]
fn empty_mbox_has_no_messages() {
    let dir = scratch("empty-mbox");
    let path = dir.join("empty.mbox");
    fs::write(&path, "").expect("write");
    assert!(read_all(Inputs::new([&path])).is_empty());
}

#[test]
fn crlf_mbox_splits() {
    let dir = scratch("crlf-mbox");
    let path = dir.join("crlf.mbox");
    fs::write(
        &path,
        "From a@example.com Mon Nov  9 10:00:00 2026\r\nSubject: 1\r\n\r\none\r\n\r\n\
         From b@example.com Mon Nov  9 10:01:00 2026\r\nSubject: 2\r\n\r\ntwo\r\n",
    )
    .expect("write");
    let messages = read_all(Inputs::new([&path]));
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].bytes, b"Subject: 1\r\n\r\none\r\n");
    assert_eq!(messages[1].bytes, b"Subject: 2\r\n\r\ntwo\r\n");
}

#[test]
fn maildir_reads_cur_then_new() {
    let path = data_dir().join("maildir");
    let messages = read_all(Inputs::new([&path]));
    let found: Vec<String> = names(&messages)
        .iter()
        .map(|name| {
            Path::new(name)
                .strip_prefix(&path)
                .expect("inside the Maildir")
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(
        found,
        ["cur/1762600000.M2P2.host", "new/1762700000.M1P1.host"]
    );
}

#[test]
fn directory_walk_sorted_skips_dotfiles() {
    let dir = scratch("walk");
    fs::write(dir.join("b.eml"), "Subject: b\n\nb\n").expect("write");
    fs::write(dir.join("a.eml"), "Subject: a\n\na\n").expect("write");
    fs::write(dir.join(".hidden"), "Subject: h\n\nh\n").expect("write");
    fs::create_dir(dir.join("c")).expect("mkdir");
    fs::write(
        dir.join("c/inner.mbox"),
        "From x@y.z Mon Nov  9 10:00:00 2026\nSubject: c\n\nc\n",
    )
    .expect("write");
    let messages = read_all(Inputs::new([&dir]));
    let found: Vec<String> = names(&messages)
        .iter()
        .map(|name| {
            name.strip_prefix(&format!("{}/", dir.display()))
                .unwrap_or(name)
                .to_owned()
        })
        .collect();
    assert_eq!(found, ["a.eml", "b.eml", "c/inner.mbox#1"]);
}

#[cfg(unix)]
#[test]
fn symlink_loop_ends() {
    let dir = scratch("loop");
    fs::create_dir(dir.join("sub")).expect("mkdir");
    fs::write(dir.join("sub/m.eml"), "Subject: m\n\nm\n").expect("write");
    std::os::unix::fs::symlink(&dir, dir.join("sub/back")).expect("symlink");
    let messages = read_all(Inputs::new([&dir]));
    assert_eq!(messages.len(), 1, "{:?}", names(&messages));
}

#[test]
fn stdin_plain_and_mbox() {
    let plain = Inputs::with_stdin(
        ["-"],
        Box::new(Cursor::new(b"Subject: s\n\nbody\n".to_vec())),
    );
    let messages = read_all(plain);
    assert_eq!(names(&messages), ["-"]);
    assert_eq!(messages[0].bytes, b"Subject: s\n\nbody\n");

    let mbox = b"From a@b.c Mon Nov  9 10:00:00 2026\nSubject: 1\n\n1\n\n\
                 From a@b.c Mon Nov  9 10:00:00 2026\nSubject: 2\n\n2\n"
        .to_vec();
    let messages = read_all(Inputs::with_stdin(["-"], Box::new(Cursor::new(mbox))));
    assert_eq!(names(&messages), ["-#1", "-#2"]);
}

#[test]
fn missing_path_names_path_and_error() {
    let dir = scratch("missing");
    let missing = dir.join("nope.eml");
    let present = data_dir().join("folded-headers.eml");
    let results: Vec<_> = Inputs::new([&missing, &present]).collect();
    assert_eq!(results.len(), 2);
    let error = results[0].as_ref().expect_err("missing file");
    assert_eq!(error.path, missing);
    assert_eq!(error.source.kind(), std::io::ErrorKind::NotFound);
    let text = error.to_string();
    assert!(text.contains("nope.eml"), "{text}");
    assert!(text.starts_with("failed to read"), "{text}");
    assert!(results[1].is_ok(), "reading goes on after an error");
}
