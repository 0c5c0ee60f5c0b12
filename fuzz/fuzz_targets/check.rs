//! Parse and check arbitrary rule sets: the bytes become `rules.mailrules`,
//! and two split points cut off a user rule file and a word list, so one
//! input exercises every parser and the checker's cross-file checks.
//! Nothing may panic, whatever the bytes.

#![no_main]

use libfuzzer_sys::fuzz_target;

use rulec::check;
use rulec::ruleset::RuleSet;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (rules, rest) = split_at_marker(&text);
    let (user, list) = split_at_marker(rest);
    let set = RuleSet::from_sources(&[
        ("rules.mailrules", rules),
        ("users/fuzz.rules", user),
        ("lists.fuzz", list),
    ]);
    let _ = check::check(&set);
});

/// Splits at the first NUL byte, which no rule file contains, so the fuzzer
/// can move text between the files by moving one byte.
fn split_at_marker(text: &str) -> (&str, &str) {
    match text.split_once('\0') {
        Some((head, tail)) => (head, tail),
        None => (text, ""),
    }
}
