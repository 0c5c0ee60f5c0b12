//! Damaged input never panics the VM: corpus messages with random byte
//! changes run through the shipped rules, and compiled programs whose
//! payload is changed and re-checksummed either fail to load or run.
//!
//! The fuzz targets `run_message` and `load_program` search the same space
//! far more widely; these tests keep a fixed sample in every `cargo test`.

use std::fs;
use std::path::{Path, PathBuf};

use rulec::message::{Envelope, Message};
use rulec::program::Program;
use rulec::ruleset::RuleSet;
use rulec::vm::{evaluate, EvalOptions};
use sha2::{Digest, Sha256};

/// A small xorshift generator, so every run tests the same inputs.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

fn shipped_program() -> Program {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let set = RuleSet::load(&root).expect("rules/ is readable");
    match Program::compile(&set) {
        Ok(program) => program,
        Err(errors) => panic!("the shipped rules do not compile: {errors:#?}"),
    }
}

fn corpus_messages() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut paths: Vec<PathBuf> = Vec::new();
    for case in fs::read_dir(root).expect("tests/corpus exists") {
        let case = case.expect("directory entry").path();
        for entry in fs::read_dir(&case).into_iter().flatten().flatten() {
            if entry.path().extension().is_some_and(|ext| ext == "eml") {
                paths.push(entry.path());
            }
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|path| fs::read(path).expect("message is readable"))
        .collect()
}

fn options() -> EvalOptions {
    EvalOptions {
        input: "damaged".to_string(),
        users: vec!["alice".to_string(), "bob".to_string()],
        explain: true,
        user_run: None,
    }
}

/// Changes, inserts or deletes a few bytes, or cuts the tail.
fn damage(bytes: &mut Vec<u8>, random: &mut Random) {
    for _ in 0..1 + random.below(8) {
        let at = random.below(bytes.len());
        match random.below(4) {
            0 if !bytes.is_empty() => bytes[at] = random.next() as u8,
            1 => bytes.insert(at, b"\0\r\n=?<>\"\\-:;*\xff"[random.below(14)]),
            2 if !bytes.is_empty() => {
                bytes.remove(at);
            }
            _ => bytes.truncate(at),
        }
    }
}

#[test]
fn damaged_messages_evaluate() {
    let program = shipped_program();
    let messages = corpus_messages();
    assert!(
        messages.len() > 10,
        "found only {} corpus messages",
        messages.len()
    );
    let mut random = Random(0x5eed_1234_abcd_0001);
    for round in 0..20 {
        for original in &messages {
            let mut raw = original.clone();
            damage(&mut raw, &mut random);
            let message = Message::parse(&raw, Envelope::default(), &program.settings.limits);
            let evaluation = evaluate(&program, &message, &options());
            assert_eq!(evaluation.verdict.input, "damaged", "round {round}");
        }
    }
}

/// Rebuilds a compiled-program file around a changed payload, so the
/// checksum passes and decoding and validation see the damage.
fn with_payload(original: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut bytes = original[..44].to_vec();
    bytes.extend_from_slice(&Sha256::digest(payload));
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes
}

#[test]
fn damaged_programs_fail_or_run() {
    let program = shipped_program();
    let bytes = program.to_bytes();
    let payload = &bytes[84..];
    let raw = fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/samples/spam.eml"))
        .expect("rules/samples/spam.eml is readable");
    let mut random = Random(0x0dd_ba11_cafe_f00d);
    let mut loaded = 0;
    for round in 0..400 {
        let mut damaged = payload.to_vec();
        if round % 2 == 0 {
            // One changed byte keeps most of the encoding intact, so the
            // damage reaches validation and the VM more often.
            let at = random.below(damaged.len());
            damaged[at] = random.next() as u8;
        } else {
            damage(&mut damaged, &mut random);
        }
        let Ok(program) = Program::from_bytes(&with_payload(&bytes, &damaged)) else {
            continue;
        };
        loaded += 1;
        let message = Message::parse(&raw, Envelope::default(), &program.settings.limits);
        let _ = evaluate(&program, &message, &options());
    }
    // Some damage only changes a constant or a name, which validation
    // cannot tell from a real program, so a few damaged files load.
    assert!(loaded < 400, "every damaged program loaded");
    eprintln!("{loaded} of 400 damaged programs loaded and ran");
}
