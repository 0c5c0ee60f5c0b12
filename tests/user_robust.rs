//! Robustness: rule text built from random pieces of the language and
//! control characters goes through parse, check, compile and run without a
//! panic, and every diagnostic points inside the file.

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
