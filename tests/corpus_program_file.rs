//! The compiled-program file: a round trip keeps the program, and foreign,
//! stale, truncated, damaged and invalid files are rejected.

use rulec::message::{Envelope, Message};
use rulec::program::{Instruction, Program, ProgramLoadError, FORMAT_VERSION};
use rulec::ruleset::RuleSet;
use rulec::vm::{evaluate, EvalOptions};

const RULES: &str = r#"^: SET $SawMsgId = 0
Message-ID: "*" SET $SawMsgId = 1
Subject: eregexpi:"(free|cheap) (money|pills)" SET $spamlevel += 30 AND $spamtests += "SUBJECT_\1;"
Subject: IF (@inblocklist($subject)) SET $spamlevel += 100 AND $spamtests += "SUBJECTBLOCK;"
: IF ($SawMsgId == 0 && $spamlevel > 0) SET $spamlevel += 25 AND $spamtests += "NO_MESSAGE_ID;"
.: IF ($spamlevel > $HighSpamMax) NDN "spam"
"#;

const MESSAGE: &[u8] = b"From: a@example.net\r\nSubject: FREE money now\r\n\r\nbody\r\n";

fn program() -> Program {
    let set = RuleSet::from_sources(&[
        ("rules.mailrules", RULES),
        ("rules.subjectblock", "viagra\nmoney now\n"),
    ]);
    match Program::compile(&set) {
        Ok(program) => program,
        Err(errors) => panic!("rules do not compile: {errors:#?}"),
    }
}

fn verdict_json(program: &Program) -> String {
    let message = Message::parse(MESSAGE, Envelope::default(), &program.settings.limits);
    let options = EvalOptions {
        input: "m.eml".to_string(),
        users: Vec::new(),
        explain: true,
        user_run: None,
    };
    let evaluation = evaluate(program, &message, &options);
    serde_json::to_string(&evaluation.verdict).expect("verdict serialises")
}

#[test]
fn round_trip_keeps_program() {
    let program = program();
    let bytes = program.to_bytes();
    let loaded = Program::from_bytes(&bytes).expect("a fresh file loads");
    assert_eq!(loaded.to_bytes(), bytes);
    assert_eq!(loaded.listing(), program.listing());
    assert_eq!(loaded.source_hash, program.source_hash);
    assert_eq!(verdict_json(&loaded), verdict_json(&program));
}

#[test]
fn verdict_of_sample_message() {
    let json = verdict_json(&program());
    assert!(
        json.contains(r#""tests":["SUBJECT_FREE","SUBJECTBLOCK","NO_MESSAGE_ID"]"#),
        "{json}"
    );
    assert!(json.contains(r#""disposition":"reject""#), "{json}");
}

#[test]
fn every_flipped_byte_is_rejected() {
    let bytes = program().to_bytes();
    for index in 0..bytes.len() {
        let mut damaged = bytes.clone();
        damaged[index] ^= 0x01;
        assert!(
            Program::from_bytes(&damaged).is_err(),
            "flipping byte {index} of {} went unnoticed",
            bytes.len()
        );
    }
}

#[test]
fn flipped_payload_byte_fails_checksum() {
    let mut bytes = program().to_bytes();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x80;
    assert_eq!(
        Program::from_bytes(&bytes).unwrap_err(),
        ProgramLoadError::Checksum
    );
}

#[test]
fn truncated_file_is_rejected() {
    let bytes = program().to_bytes();
    for length in [0, 5, 8, 40, 83, 84, bytes.len() / 2, bytes.len() - 1] {
        let error = Program::from_bytes(&bytes[..length]).unwrap_err();
        let expected_kind = match error {
            ProgramLoadError::Truncated { .. } => true,
            // Fewer than 8 bytes cannot show the magic bytes.
            ProgramLoadError::Foreign { .. } => length < 8,
            _ => false,
        };
        assert!(expected_kind, "length {length}: {error}");
    }
}

#[test]
fn wrong_version_is_stale() {
    let mut bytes = program().to_bytes();
    bytes[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let error = Program::from_bytes(&bytes).unwrap_err();
    assert_eq!(
        error,
        ProgramLoadError::Stale {
            found: FORMAT_VERSION + 1,
            expected: FORMAT_VERSION
        }
    );
    assert!(error.to_string().contains("rulec compile"), "{error}");
}

#[test]
fn wrong_magic_is_foreign() {
    let mut bytes = program().to_bytes();
    bytes[..4].copy_from_slice(b"\x7fELF");
    let error = Program::from_bytes(&bytes).unwrap_err();
    assert!(matches!(error, ProgramLoadError::Foreign { .. }), "{error}");
    assert!(Program::from_bytes(b"").is_err());
}

#[test]
fn backward_jump_fails_validation() {
    let mut program = program();
    let at = program.server.code.len() - 1;
    program.server.code[at] = Instruction::Jump(0);
    let error = Program::from_bytes(&program.to_bytes()).unwrap_err();
    assert!(matches!(error, ProgramLoadError::Invalid { .. }), "{error}");
}

#[test]
fn pool_index_out_of_range_fails_validation() {
    let mut program = program();
    let strings = program.server.strings.len() as u32;
    program.server.code.insert(0, Instruction::PushStr(strings));
    let error = Program::from_bytes(&program.to_bytes()).unwrap_err();
    assert!(error.to_string().contains("string index"), "{error}");
}

#[test]
fn slot_out_of_range_fails_validation() {
    let mut program = program();
    let slots = program.server.slots.len() as u32;
    program.server.code[0] = Instruction::Load(slots);
    let error = Program::from_bytes(&program.to_bytes()).unwrap_err();
    assert!(error.to_string().contains("slot index"), "{error}");
}

#[test]
fn source_hash_follows_sources() {
    let first = RuleSet::from_sources(&[("rules.mailrules", RULES)]);
    let second = RuleSet::from_sources(&[("rules.mailrules", RULES)]);
    let changed = RuleSet::from_sources(&[("rules.mailrules", "^: DONE\n")]);
    assert_eq!(
        Program::source_hash_of(&first),
        Program::source_hash_of(&second)
    );
    assert_ne!(
        Program::source_hash_of(&first),
        Program::source_hash_of(&changed)
    );
}

#[test]
fn listing_numbers_instructions_by_event() {
    insta::assert_snapshot!(program().listing());
}

#[test]
fn shipped_rules_compile_and_round_trip() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let set = RuleSet::load(&root).expect("rules/ is readable");
    let program = match Program::compile(&set) {
        Ok(program) => program,
        Err(errors) => panic!("the shipped rules do not compile: {errors:#?}"),
    };
    let loaded = Program::from_bytes(&program.to_bytes()).expect("the shipped program loads");
    assert_eq!(loaded.listing(), program.listing());
    assert!(!program.server.rules.is_empty());
}

#[test]
fn source_hash_ignores_where_the_directory_is() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let absolute = RuleSet::load(&root).expect("rules/ is readable");
    let relative = RuleSet::load(std::path::Path::new("rules")).expect("rules/ is readable");
    assert_eq!(
        Program::source_hash_of(&absolute),
        Program::source_hash_of(&relative)
    );
}

#[test]
fn compile_rejects_rule_sets_with_errors() {
    let set = RuleSet::from_sources(&[(
        "rules.mailrules",
        "Subject: IF (@nosuchfunction($subject)) SPAM\n",
    )]);
    let errors = match Program::compile(&set) {
        Ok(_) => panic!("a rule set with an unknown function compiled"),
        Err(errors) => errors,
    };
    assert!(!errors.is_empty());
    assert!(errors
        .iter()
        .all(|error| error.severity == rulec::diag::Severity::Error));
    assert!(
        errors.iter().any(|error| error.code == "E0101"),
        "{errors:#?}"
    );
}

#[test]
fn compile_accepts_warnings() {
    // Reading a variable that no rule sets is only a warning.
    let set = RuleSet::from_sources(&[("rules.mailrules", "^: IF ($NeverSet == 1) SPAM\n")]);
    assert!(Program::compile(&set).is_ok());
}

/// Replaces the first `from` in the payload with `to` (as long) and
/// recomputes the checksum, as a deliberate edit would.
fn edit_payload(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    use sha2::{Digest, Sha256};
    assert_eq!(from.len(), to.len());
    let at = bytes[84..]
        .windows(from.len())
        .position(|window| window == from)
        .map(|at| at + 84)
        .expect("the payload holds the text");
    bytes[at..at + to.len()].copy_from_slice(to);
    let checksum = Sha256::digest(&bytes[84..]);
    bytes[44..76].copy_from_slice(&checksum);
}

#[test]
fn pattern_that_does_not_parse_fails_validation() {
    let mut bytes = program().to_bytes();
    edit_payload(&mut bytes, b"(free|cheap)", b"[free|cheap)");
    match Program::from_bytes(&bytes) {
        Err(ProgramLoadError::Invalid { reason }) => {
            assert!(reason.contains("does not parse"), "{reason}");
            assert!(reason.contains("rules of `subject`"), "{reason}");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn pattern_with_other_capture_groups_fails_validation() {
    let mut bytes = program().to_bytes();
    // `(?:` in place of `(fr` drops a capture group the rule reads as \1.
    edit_payload(&mut bytes, b"(free|cheap)", b"(?:ee|cheap)");
    match Program::from_bytes(&bytes) {
        Err(ProgramLoadError::Invalid { reason }) => {
            assert!(reason.contains("capture groups"), "{reason}");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn trailing_bytes_are_not_called_truncation() {
    let mut bytes = program().to_bytes();
    let expected = bytes.len() as u64;
    bytes.push(0);
    let error = Program::from_bytes(&bytes).expect_err("an extra byte is rejected");
    assert_eq!(
        error,
        ProgramLoadError::TrailingBytes {
            expected,
            found: expected + 1
        }
    );
    assert!(error.to_string().contains("bytes after its end"), "{error}");
}
