//! Run arbitrary bytes as a message through the VM with the shipped rule
//! set, which uses every selector, lists, trust documents and an
//! attachment block. The first bytes up to a NUL, when there is one, are
//! the envelope's client IP and sender, so the trust and block functions
//! see fuzzed input too. Nothing may panic, whatever the bytes.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

use rulec::message::{Envelope, Message};
use rulec::program::Program;
use rulec::ruleset::RuleSet;
use rulec::vm::{evaluate, EvalOptions};

fn program() -> &'static Program {
    static PROGRAM: OnceLock<Program> = OnceLock::new();
    PROGRAM.get_or_init(|| {
        let set = RuleSet::from_sources(&[
            ("rules.mailrules", include_str!("../../rules/rules.mailrules")),
            ("rulec.toml", include_str!("../../rules/rulec.toml")),
            ("rules.subjectblock", include_str!("../../rules/rules.subjectblock")),
            ("rules.attachmentblock", include_str!("../../rules/rules.attachmentblock")),
            ("rules.trusted", include_str!("../../rules/rules.trusted")),
            ("rules.blocked", include_str!("../../rules/rules.blocked")),
            ("lists.reallybadwords", include_str!("../../rules/lists.reallybadwords")),
            ("lists.moderatelybadwords", include_str!("../../rules/lists.moderatelybadwords")),
            ("lists.questionablebadwords", include_str!("../../rules/lists.questionablebadwords")),
        ]);
        match Program::compile(&set) {
            Ok(program) => program,
            Err(errors) => panic!("the shipped rules do not compile: {errors:#?}"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let program = program();
    let (envelope, raw) = match data.iter().position(|&byte| byte == 0) {
        Some(at) if at < 128 => {
            let text = String::from_utf8_lossy(&data[..at]);
            let (ip, sender) = text.split_once(' ').unwrap_or((&text, ""));
            let envelope = Envelope {
                sender: Some(sender.to_string()),
                client_ip: Some(ip.to_string()),
                helo: None,
                recipients: vec!["postmaster@example.org".to_string()],
            };
            (envelope, &data[at + 1..])
        }
        _ => (Envelope::default(), data),
    };
    let message = Message::parse(raw, envelope, &program.settings.limits);
    let options = EvalOptions {
        input: "fuzz".to_string(),
        users: vec!["nobody".to_string()],
        explain: true,
        user_run: None,
    };
    let _ = evaluate(program, &message, &options);
});
