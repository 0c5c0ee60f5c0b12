//! Random patterns built from regex metacharacters, in every syntax.
//! `translate` must never panic, and every error must have a known code
//! and an offset on a character boundary of the pattern. Every accepted
//! pattern must build, and a `PatternSet` of all of them must agree with
//! each pattern run alone.

use rulec::ast::server::PatternKind;
use rulec::limits::Limits;
use rulec::pattern::{translate, PatternSet, Translated};

const PATTERNS_PER_KIND: usize = 600;

/// Pieces that random patterns and texts are made of: operators of every
/// syntax, escapes, classes, and multi-byte characters.
const PIECES: &[&str] = &[
    "a",
    "b",
    "ab",
    "x",
    "\\",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "|",
    "*",
    "+",
    "?",
    "^",
    "$",
    ".",
    "-",
    ":",
    "=",
    "!",
    "<",
    ">",
    "1",
    "2",
    ",",
    "é",
    "ſ",
    "K",
    " ",
    "\n",
    "\\(",
    "\\)",
    "\\{",
    "\\}",
    "\\|",
    "[:alpha:]",
    "[[:digit:]]",
    "(?=",
    "(?<!",
    "\\1",
    "{2}",
    "\\{1,2\\}",
    "\\w",
    "\\b",
    "\\<",
    "[^a]",
    "word",
    "WORD",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn string(&mut self, max_pieces: usize) -> String {
        (0..1 + self.below(max_pieces))
            .map(|_| PIECES[self.below(PIECES.len())])
            .collect()
    }
}

fn kinds() -> Vec<PatternKind> {
    vec![
        PatternKind::Simple,
        PatternKind::BasicRegex,
        PatternKind::ExtendedRegex,
        PatternKind::ExtendedRegexIgnoreCase,
        PatternKind::Perl {
            flags: String::new(),
        },
        PatternKind::Perl {
            flags: "imsx".to_string(),
        },
    ]
}

#[test]
fn random_patterns_translate_safely() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let limits = Limits::default();
    let mut accepted: Vec<Translated> = Vec::new();
    let mut rejected = 0;

    for kind in kinds() {
        for _ in 0..PATTERNS_PER_KIND {
            let text = rng.string(8);
            match translate(&kind, &text, &limits) {
                Ok(translated) => accepted.push(translated),
                Err(error) => {
                    rejected += 1;
                    assert!(
                        ["E0108", "E0109", "E0114", "E0203"].contains(&error.code),
                        "{kind:?} {text:?}: unexpected code {error:?}"
                    );
                    if let Some(offset) = error.offset {
                        assert!(
                            offset <= text.len() && text.is_char_boundary(offset),
                            "{kind:?} {text:?}: offset {offset} is not in the text"
                        );
                    }
                    assert!(!error.message.is_empty(), "{kind:?} {text:?}");
                }
            }
        }
    }
    // Both outcomes must be common, or the generator tests too little.
    assert!(accepted.len() > 1000, "only {} accepted", accepted.len());
    assert!(rejected > 300, "only {rejected} rejected");

    let count = accepted.len();
    let set = PatternSet::new(accepted, &limits);
    for _ in 0..40 {
        let text = rng.string(30);
        let expected: Vec<usize> = (0..count)
            .filter(|&index| set.get(index).unwrap().is_match(&text))
            .collect();
        assert_eq!(set.matches(&text), expected, "text {text:?}");
    }
}

#[test]
fn accepted_patterns_capture_safely() {
    let mut rng = Rng(99);
    let limits = Limits::default();
    for kind in kinds() {
        for _ in 0..200 {
            let pattern = rng.string(6);
            let Ok(translated) = translate(&kind, &pattern, &limits) else {
                continue;
            };
            let groups = translated.groups;
            let set = PatternSet::new(vec![translated], &limits);
            let text = rng.string(20);
            if let Some(captures) = set.captures(0, &text) {
                assert_eq!(captures.len(), groups + 1, "{pattern:?}");
                let whole = captures.get(0).unwrap();
                assert!(text.get(whole).is_some(), "{pattern:?} on {text:?}");
            }
        }
    }
}

#[test]
fn accepted_patterns_build_under_tight_limit() {
    let mut rng = Rng(4242);
    let limits = Limits {
        max_regex_bytes: 4_000,
        ..Limits::default()
    };
    let mut accepted = 0;
    let mut too_large = 0;
    for kind in kinds() {
        for _ in 0..300 {
            let pattern = rng.string(10);
            match translate(&kind, &pattern, &limits) {
                Ok(translated) => {
                    accepted += 1;
                    let set = PatternSet::new(vec![translated], &limits);
                    assert!(set.get(0).unwrap().is_buildable(), "{kind:?} {pattern:?}");
                }
                Err(error) if error.code == "E0203" => too_large += 1,
                Err(_) => {}
            }
        }
    }
    // The limit must bite sometimes and let most valid patterns through.
    assert!(too_large > 10, "only {too_large} over the limit");
    assert!(accepted > 300, "only {accepted} accepted");
}
