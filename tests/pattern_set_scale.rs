//! A `PatternSet` of 10,000 mixed patterns gives exactly the results
//! of each regex run alone: the literal prefilter never loses a match.
//!
//! Patterns and texts come from a fixed-seed generator over a shared
//! vocabulary, so that many texts contain many patterns' literals in
//! varied case and the prefilter has real work to do.

use regex_automata::meta;
use rulec::ast::server::PatternKind;
use rulec::limits::Limits;
use rulec::pattern::{translate, PatternSet, Translated};

const PATTERNS: usize = 10_000;
const TEXTS: usize = 60;

/// xorshift64*: small, deterministic and good enough to mix test data.
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

    fn pick<'a>(&mut self, items: &'a [String]) -> &'a str {
        &items[self.below(items.len())]
    }
}

fn vocabulary(rng: &mut Rng) -> Vec<String> {
    const SYLLABLES: &[&str] = &[
        "ca", "sh", "mo", "ney", "fr", "ee", "vi", "ag", "ra", "lo", "an", "win", "ner", "pr",
        "ize", "de", "al", "off", "er", "ſt", "ké",
    ];
    (0..300)
        .map(|_| {
            let syllables = 2 + rng.below(3);
            (0..syllables)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect()
        })
        .collect()
}

/// Makes one pattern of a random shape; about one in ten has no literal
/// and runs unfiltered.
fn pattern(rng: &mut Rng, words: &[String]) -> (PatternKind, String) {
    let a = rng.pick(words).to_string();
    let b = rng.pick(words).to_string();
    let perl = |flags: &str| PatternKind::Perl {
        flags: flags.to_string(),
    };
    match rng.below(20) {
        0 => (PatternKind::Simple, a),
        1 => (PatternKind::Simple, format!("{a} {b}")),
        2 => (PatternKind::Simple, format!("*{a}*{b}*")),
        3 => (PatternKind::Simple, format!("{a}*")),
        4 => (PatternKind::Simple, format!("*{}?{b}", first_char(&a))),
        5 => (PatternKind::BasicRegex, format!(r"\<{a}\>")),
        6 => (PatternKind::BasicRegex, format!(r"{a}[0-9]\{{1,3\}}")),
        7 => (PatternKind::BasicRegex, format!(r"^{a}")),
        8 => (PatternKind::BasicRegex, format!(r"\({a}\|{b}\) *x")),
        9 => (PatternKind::ExtendedRegex, format!("({a}|{b}) +{a}")),
        10 => (PatternKind::ExtendedRegex, format!("{a}[a-z]{{2}}")),
        11 => (PatternKind::ExtendedRegex, format!("[0-9]+{b}$")),
        12 => (PatternKind::ExtendedRegexIgnoreCase, format!("{a}.?{b}")),
        13 => (PatternKind::ExtendedRegexIgnoreCase, format!("^[^ ]*{a}")),
        14 => (perl("i"), format!(r"\b{a}\b")),
        15 => (perl(""), format!(r"{a}\d+")),
        16 => (perl("i"), format!("(?:{a}|{b}|zz{a})")),
        17 => (perl(""), "[a-z]+ [0-9]{2}".to_string()),
        18 => (perl("s"), format!(r"(\w)\w* {b}")),
        _ => (perl("i"), format!("{}{}", first_char(&a), first_char(&b))),
    }
}

fn first_char(word: &str) -> char {
    word.chars().next().unwrap_or('x')
}

/// Makes one text: words in random case, digits and punctuation.
fn text(rng: &mut Rng, words: &[String]) -> String {
    let mut text = String::new();
    for _ in 0..(5 + rng.below(40)) {
        let word = rng.pick(words);
        match rng.below(6) {
            0 => text.push_str(&word.to_uppercase()),
            1 => text.push_str(&format!("{word}{}", rng.below(1000))),
            2 => text.extend(word.chars().take(word.chars().count() / 2)),
            _ => text.push_str(word),
        }
        text.push_str([" ", " ", "  ", "\n", ", ", "x "][rng.below(6)]);
    }
    text
}

#[test]
fn prefilter_loses_no_match() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let words = vocabulary(&mut rng);
    let limits = Limits::default();

    let translated: Vec<Translated> = (0..PATTERNS)
        .map(|_| {
            let (kind, text) = pattern(&mut rng, &words);
            match translate(&kind, &text, &limits) {
                Ok(translated) => translated,
                Err(error) => panic!("{kind:?} {text:?}: {error:?}"),
            }
        })
        .collect();
    let texts: Vec<String> = (0..TEXTS).map(|_| text(&mut rng, &words)).collect();

    let set = PatternSet::new(translated.clone(), &limits);

    // Each pattern alone, without the prefilter. The regexes are the
    // ones the set builds lazily, so building 10,000 of them is paid once.
    let mut total = 0;
    for text in &texts {
        let expected: Vec<usize> = (0..PATTERNS)
            .filter(|&index| set.get(index).unwrap().is_match(text))
            .collect();
        let found = set.matches(text);
        assert_eq!(found, expected, "text {text:?}");
        total += found.len();
    }

    // And those lazily built regexes agree with regexes built directly.
    for index in (0..PATTERNS).step_by(25) {
        let alone = meta::Regex::new(&translated[index].regex).unwrap();
        for text in &texts {
            assert_eq!(
                set.is_match(index, text),
                alone.is_match(text),
                "pattern {:?} on {text:?}",
                translated[index].regex
            );
        }
    }
    // The data must exercise the prefilter: many texts, many hits.
    assert!(
        total > TEXTS * 20,
        "only {total} matches over {TEXTS} texts"
    );
}

#[test]
fn roundtrip_keeps_answers() {
    let mut rng = Rng(7);
    let words = vocabulary(&mut rng);
    let limits = Limits::default();
    let translated: Vec<Translated> = (0..500)
        .map(|_| {
            let (kind, text) = pattern(&mut rng, &words);
            translate(&kind, &text, &limits).unwrap()
        })
        .collect();
    let set = PatternSet::new(translated, &limits);

    let bytes = postcard::to_stdvec(&set).unwrap();
    let loaded: PatternSet = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(loaded.len(), set.len());
    for _ in 0..20 {
        let text = text(&mut rng, &words);
        assert_eq!(loaded.matches(&text), set.matches(&text), "text {text:?}");
    }
}
