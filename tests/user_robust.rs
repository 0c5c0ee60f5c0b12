//! Robustness: rule text built from random pieces of the language and
//! control characters, and arbitrary bytes, go through parse, check,
//! compile and run without a panic, and every diagnostic points inside the
//! file.

use rulec::ast::user::Trigger;
use rulec::config::Band;
use rulec::limits::Limits;
use rulec::message::{Envelope, Message};
use rulec::span::{FileId, SourceFile};
use rulec::user::{self, RunOptions, ServerView};

const PIECES: &[&str] = &[
    "rule",
    "\"name\"",
    "when",
    "received",
    "sent",
    "if",
    "all",
    "any",
    "then",
    "not",
    "always",
    "has",
    "no",
    "attachments",
    "message",
    "is",
    "automated",
    "list mail",
    "bounce",
    "sender",
    "from",
    "to",
    "cc",
    "recipients",
    "subject",
    "header",
    "\"X-A\"",
    "body",
    "attachment",
    "name",
    "domain",
    "local part",
    "spam level",
    "spam band",
    "spam tests",
    "size",
    "date sent",
    "contains",
    "does not contain",
    "starts with",
    "ends with",
    "matches",
    "matches regex",
    "over",
    "under",
    "at least",
    "at most",
    "within",
    "not within",
    "5",
    "5 MB",
    "1w 3d",
    "medium",
    "\"a*b?\"",
    "\"(a|b)+\"",
    "\"\\\\1\"",
    "\"\"",
    ",",
    "#",
    "file into",
    "\"A/B\"",
    "\"../x\"",
    "delete silently",
    "set priority",
    "urgent",
    "set icon",
    "flag",
    "page",
    "forward to",
    "\"a@b.example\"",
    "redirect to",
    "auto reply",
    "\"hi\"",
    "with subject prefix",
    "mark read",
    "stop",
    "\u{e9}",
    "\"\u{1f600}\"",
    "\t",
    "\r",
    "\u{201c}",
    "\u{201d}",
    "'",
    "\"",
    "2 days",
    "1 week 3 hours",
    "3 fortnights",
    "rul",
    "fille into",
];

/// A small deterministic generator (xorshift), so failures reproduce.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

fn random_file(random: &mut Random) -> String {
    let mut text = String::new();
    for _ in 0..random.below(30) {
        if random.below(4) == 0 {
            text.push_str("rule \"r\"\n");
        }
        for _ in 0..random.below(8) {
            text.push_str(PIECES[random.below(PIECES.len())]);
            text.push(' ');
        }
        if random.below(20) == 0 {
            // Raw bytes that are still valid UTF-8: control characters.
            text.push(char::from(random.below(32) as u8));
        }
        text.push('\n');
    }
    text
}

#[test]
fn random_rule_text_never_panics() {
    let limits = Limits::default();
    let raw = b"From: A <a@b.example>\r\nTo: c@d.example\r\nSubject: a b\r\nX-A: 1\r\n\r\nbody\r\n";
    let message = Message::parse(raw, Envelope::default(), &limits);
    let server = ServerView {
        level: 30,
        band: Band::Medium,
        tests: vec!["T".into()],
    };
    let options = RunOptions {
        trigger: Trigger::Received,
        now: 0,
    };
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let mut programs = 0;
    for _ in 0..800 {
        let text = random_file(&mut random);
        let source = SourceFile::new("random.rules", text.clone());
        let (program, diagnostics) = user::build(FileId(0), &source, &limits);
        for diagnostic in &diagnostics {
            assert!(
                diagnostic.span.end as usize <= text.len(),
                "{diagnostic:?} in {text:?}"
            );
            assert!(
                diagnostic.span.start <= diagnostic.span.end,
                "{diagnostic:?} in {text:?}"
            );
        }
        if let Some(program) = program {
            programs += 1;
            assert_eq!(program.validate(), Ok(()));
            let outcome = user::run_with(&program, &message, &server, &limits, &options);
            assert!(outcome.actions.len() <= limits.max_user_actions);
        }
    }
    // The generator must reach the compiler, not only the error paths.
    assert!(programs > 20, "only {programs} random files compiled");
}

/// A valid file that the mutations below start from.
const SEED: &str = "# seed\nrule \"Boss\"\n  when received\n  if any\n    from is \"boss@example.net\"\n    \
                    date sent within 2 days\n    size over 5 MB\n  then set priority urgent, page \"Hi\",\n    \
                    file into \"A/B\", stop\nrule \"Junk\"\n  if spam band is at least medium\n  then delete silently\n";

/// Bytes that make up the worst cases: quotes of every kind, escapes,
/// separators, line ends and the lead bytes of multi-byte characters.
const HOSTILE: &[&[u8]] = &[
    b"\"",
    b"\\",
    b"'",
    b"#",
    b",",
    b"\n",
    b"\r",
    b"\t",
    b" ",
    b"\xe2\x80\x9c",
    b"\xe2\x80\x9d",
    b"\xe2\x80",
    b"\xff",
    b"\x00",
    b"\xef\xbb\xbf",
    b"rule",
    b"then",
    b"if any",
];

/// Returns arbitrary bytes: fully random ones, or the seed file with
/// random bytes flipped, inserted and removed.
fn arbitrary_bytes(random: &mut Random) -> Vec<u8> {
    if random.below(3) == 0 {
        let length = random.below(400);
        return (0..length).map(|_| random.next() as u8).collect();
    }
    let mut bytes = SEED.as_bytes().to_vec();
    for _ in 0..1 + random.below(12) {
        let at = random.below(bytes.len() + 1);
        match random.below(4) {
            0 if at < bytes.len() => bytes[at] = random.next() as u8,
            1 if at < bytes.len() => {
                bytes.remove(at);
            }
            2 => {
                let piece = HOSTILE[random.below(HOSTILE.len())];
                bytes.splice(at..at, piece.iter().copied());
            }
            _ => {
                let piece = PIECES[random.below(PIECES.len())].as_bytes();
                bytes.splice(at..at, piece.iter().copied());
            }
        }
    }
    bytes
}

/// The cargo-fuzz style target: arbitrary bytes as a personal rule file,
/// read the way the rule-set loader reads it (invalid UTF-8 replaced),
/// through parse, check, compile and run.
#[test]
fn arbitrary_bytes_never_panic() {
    let limits = Limits::default();
    let raw = b"From: A <a@b.example>\r\nSubject: x\r\nDate: Thu, 1 Jan 1970 00:00:00 +0000\r\n\r\nbody\r\n";
    let message = Message::parse(raw, Envelope::default(), &limits);
    let server = ServerView {
        level: 60,
        band: Band::High,
        tests: vec![],
    };
    let options = RunOptions {
        trigger: Trigger::Received,
        now: 86_400,
    };
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let (mut programs, mut errors) = (0, 0);
    for _ in 0..3_000 {
        let bytes = arbitrary_bytes(&mut random);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let source = SourceFile::new("fuzz.rules", text);
        let (program, diagnostics) = user::build(FileId(0), &source, &limits);
        for diagnostic in &diagnostics {
            let (start, end) = (diagnostic.span.start as usize, diagnostic.span.end as usize);
            assert!(
                start <= end && end <= source.text.len(),
                "{diagnostic:?} in {:?}",
                source.text
            );
            assert!(
                source.text.is_char_boundary(start) && source.text.is_char_boundary(end),
                "{diagnostic:?} splits a character in {:?}",
                source.text
            );
            assert!(!diagnostic.message.is_empty());
        }
        if !diagnostics.is_empty() {
            errors += 1;
        }
        if let Some(program) = program {
            programs += 1;
            assert_eq!(program.validate(), Ok(()));
            let outcome = user::run_with(&program, &message, &server, &limits, &options);
            assert!(outcome.actions.len() <= limits.max_user_actions);
        }
    }
    // Both the error paths and the compiler must be reached.
    assert!(programs > 20, "only {programs} files compiled");
    assert!(errors > 500, "only {errors} files had diagnostics");
}
