//! The shared table of pattern cases: each row is a syntax, a pattern, a
//! text, whether it matches and the capture groups it gives. Every row
//! runs through `translate` and a one-pattern `PatternSet`, and all rows
//! together run through one combined `PatternSet`, so that the prefilter
//! must give the same results as each regex alone.
//!
//! Failures are collected and reported together, so one wrong row never
//! hides another.

use rulec::ast::server::PatternKind;
use rulec::limits::Limits;
use rulec::pattern::{translate, PatternSet, Translated};

#[derive(Clone, Copy, Debug)]
enum Syntax {
    /// A quoted pattern.
    Simple,
    /// `regexp:`
    Basic,
    /// `eregexp:`
    Extended,
    /// `eregexpi:`
    ExtendedI,
    /// `/pattern/flags`
    Perl(&'static str),
}

impl Syntax {
    fn kind(self) -> PatternKind {
        match self {
            Syntax::Simple => PatternKind::Simple,
            Syntax::Basic => PatternKind::BasicRegex,
            Syntax::Extended => PatternKind::ExtendedRegex,
            Syntax::ExtendedI => PatternKind::ExtendedRegexIgnoreCase,
            Syntax::Perl(flags) => PatternKind::Perl {
                flags: flags.to_string(),
            },
        }
    }
}

use Syntax::{Basic, Extended, ExtendedI, Perl, Simple};

/// A row: syntax, pattern, text, expected match, and the expected texts of
/// groups 1 and up when the row checks captures (`None` to skip).
type Case = (
    Syntax,
    &'static str,
    &'static str,
    bool,
    Option<&'static [Option<&'static str>]>,
);

#[rustfmt::skip]
const CASES: &[Case] = &[
    // Quoted patterns without wildcards: case-insensitive substrings.
    (Simple, "Mass Mail", "this is MASS MAIL today", true, None),
    (Simple, "mass mail", "massmail", false, None),
    (Simple, "a.b", "axb", false, None),
    (Simple, "[x]", "a [x] b", true, None),
    (Simple, "Ünïcode", "ÜNÏCODE text", true, None),
    (Simple, "(free)", "(FREE)", true, Some(&[])),
    // Quoted patterns with wildcards: globs over the whole value.
    (Simple, "*Mass Mail*", "x mass mail y", true, None),
    (Simple, "Mass Mail*", "mass mail here", true, None),
    (Simple, "Mass Mail*", "a mass mail", false, None),
    (Simple, "*.exe", "A.EXE", true, None),
    (Simple, "*.exe", "a.exe.txt", false, None),
    (Simple, "Re: ?", "re: x", true, None),
    (Simple, "Re: ?", "re: xy", false, None),
    (Simple, "a?c", "a\nc", true, None),
    (Simple, "?", "é", true, None),
    (Simple, "*money*", "free\nmoney\n", true, None),
    (Simple, "a*b*c", "aXXbYYc", true, None),
    (Simple, "a*b*c", "aXXcYYb", false, None),
    // POSIX basic: groups, intervals, literal operators.
    (Basic, r"a\(b*\)c", "xabbc", true, Some(&[Some("bb")])),
    (Basic, r"\(ab\)\{2,\}", "ababab", true, Some(&[Some("ab")])),
    (Basic, r"a\{2\}", "aa", true, None),
    (Basic, r"^a\{2\}$", "aaa", false, None),
    (Basic, r"^a\{,2\}$", "aa", true, None),
    (Basic, "a{2}", "a{2}", true, None),
    (Basic, "a+b", "a+b", true, None),
    (Basic, "a+b", "aab", false, None),
    (Basic, r"a\+b", "aab", true, None),
    (Basic, "a?b", "a?b", true, None),
    (Basic, r"https\?://", "http://x", true, None),
    (Basic, "(x)|y", "(x)|y", true, Some(&[])),
    (Basic, r"a\|b", "b", true, None),
    (Basic, "*a", "*a", true, None),
    (Basic, "*a", "a", false, None),
    (Basic, r"\(*a\)", "*a", true, Some(&[Some("*a")])),
    (Basic, "ABC", "abc", false, None),
    (Basic, "[[:upper:]]", "abc", false, None),
    (Basic, r"[[:digit:]]\{3\}", "ab123", true, None),
    (Basic, "[]]", "]", true, None),
    (Basic, "[a-]", "-", true, None),
    (Basic, r"[\.]", "\\", true, None),
    (Basic, r"\.", "a", false, None),
    (Basic, r"\<cash\>", "cashew", false, None),
    (Basic, r"\<cash\>", "get cash now", true, None),
    (Basic, r"^https\?://[0-9]\{1,3\}\.[0-9]\{1,3\}\.", "https://10.1.2.3/x", true, None),
    (Basic, r"^https\?://[0-9]\{1,3\}\.[0-9]\{1,3\}\.", "https://example.com/", false, None),
    // POSIX anchors and lines: `^` and `$` at line breaks, `.` and
    // negated brackets never across them.
    (Basic, "^abc", "xabc", false, None),
    (Basic, "^abc", "x\nabc", true, None),
    (Basic, "abc$", "abc\r\nx", true, None),
    (Basic, "a^b", "a^b", true, None),
    (Basic, "a$b", "a$b", true, None),
    (Basic, "a.c", "a\nc", false, None),
    (Basic, "a[^x]c", "a\nc", false, None),
    (Basic, "a[^x]c", "abc", true, None),
    (Basic, r"\`abc", "x\nabc", false, None),
    // POSIX extended.
    (Extended, "(a|b)+c", "ababc", true, Some(&[Some("b")])),
    (Extended, "colou?r", "color", true, None),
    (Extended, "a{2,3}", "aa", true, None),
    (Extended, "^a{2,3}$", "aaaa", false, None),
    (Extended, "a{x", "a{x", true, None),
    (Extended, "+a", "+a", true, None),
    (Extended, r"\(x\)", "(x)", true, Some(&[])),
    (Extended, "(a)(b)?", "a", true, Some(&[Some("a"), None])),
    (Extended, "^[^a-z]*[A-Z]{8,}[^a-z]*$", "FREE MONEYNOW!!", true, None),
    (Extended, "^[^a-z]*[A-Z]{8,}[^a-z]*$", "Free MONEYNOW", false, None),
    (Extended, "ABC", "abc", false, None),
    (Extended, "[[:alpha:]]+[[:space:]][[:digit:]]", "abc 1", true, None),
    // POSIX extended, ignoring case.
    (ExtendedI, "from [^ ]*(dsl|dialup|dyn)[^ ]* ", "FROM host.DSL.example.net by", true, Some(&[Some("DSL")])),
    (ExtendedI, "abc", "xABCx", true, None),
    (ExtendedI, "[[:lower:]]{3}", "ABC", true, None),
    // Perl syntax and its flags.
    (Perl(""), r"\d+", "abc 123", true, None),
    (Perl(""), "^b", "a\nb", false, None),
    (Perl("m"), "^b", "a\nb", true, None),
    (Perl(""), "a.b", "a\nb", false, None),
    (Perl("s"), "a.b", "a\nb", true, None),
    (Perl("x"), "a b # comment", "ab", true, None),
    (Perl(""), "ABC", "abc", false, None),
    (Perl("i"), "ABC", "abc", true, None),
    (Perl(""), r"(?P<user>\w+)@(\w+)", "mail bob@example now", true, Some(&[Some("bob"), Some("example")])),
    (Perl(""), r"\bfoo\b", "foobar", false, None),
    (Perl(""), r"\bfoo\b", "a foo.", true, None),
    (Perl("i"), "(?-i)Ab", "ab", false, None),
    (Perl(""), "(a+)+b", "aab", true, Some(&[Some("aa")])),
    (Perl("x"), "a+ b", "aab", true, None),
];

/// An error row: syntax, pattern, expected code, expected offset.
type ErrorCase = (Syntax, &'static str, &'static str, Option<usize>);

#[rustfmt::skip]
const ERROR_CASES: &[ErrorCase] = &[
    (Basic, r"\(a\)\1", "E0109", Some(5)),
    (Basic, r"x\9", "E0109", Some(1)),
    (Extended, r"(a)\2", "E0109", Some(3)),
    (ExtendedI, "a(?=b)", "E0109", Some(1)),
    (Extended, "(?<!a)b", "E0109", Some(0)),
    (Perl(""), "(?=x)", "E0109", Some(0)),
    (Perl("i"), "a(?<!b)", "E0109", Some(1)),
    (Perl(""), r"(a)\1", "E0109", Some(3)),
    (Basic, "[a", "E0108", Some(0)),
    (Basic, r"a\{2", "E0108", Some(1)),
    (Extended, "ab)", "E0108", Some(2)),
    (Extended, "[[:foo:]]", "E0108", Some(1)),
    (Extended, "(?:a)", "E0108", Some(0)),
    (Perl(""), "a{2,1}", "E0108", Some(1)),
    (Perl(""), "x[z-a]", "E0108", Some(2)),
    (Perl(""), r"\p{Nonsense}", "E0108", Some(0)),
    (Perl("q"), "a", "E0114", None),
    (Perl(""), "xa++", "E0109", Some(2)),
    (Perl(""), "a*+", "E0109", Some(1)),
    (Perl(""), "a{2}+", "E0109", Some(3)),
    (Perl(""), "(?>a)", "E0109", Some(0)),
    (Perl(""), r"(?<n>a)\k<n>", "E0109", Some(7)),
    (Perl(""), r"(a)\g1", "E0109", Some(3)),
    (Perl(""), "(?P<n>a)(?P=n)", "E0109", Some(8)),
    (Perl(""), r"a\Q.\E", "E0108", Some(1)),
    (Perl(""), "a(?#note)", "E0108", Some(1)),
    (Perl(""), r"a\Z", "E0108", Some(1)),
];

fn row_name(syntax: Syntax, pattern: &str, text: &str) -> String {
    format!("{syntax:?} {pattern:?} on {text:?}")
}

fn translate_case(syntax: Syntax, pattern: &str) -> Result<Translated, String> {
    translate(&syntax.kind(), pattern, &Limits::default())
        .map_err(|error| format!("{syntax:?} {pattern:?} failed: {error:?}"))
}

fn check_case(case: &Case, failures: &mut Vec<String>) {
    let (syntax, pattern, text, expected, captures) = *case;
    let name = row_name(syntax, pattern, text);
    let translated = match translate_case(syntax, pattern) {
        Ok(translated) => translated,
        Err(failure) => return failures.push(failure),
    };
    let set = PatternSet::new(vec![translated], &Limits::default());

    let matched = set.matches(text) == [0];
    if matched != expected {
        failures.push(format!("{name}: expected match {expected}, got {matched}"));
    }
    if set.is_match(0, text) != expected {
        failures.push(format!("{name}: is_match disagrees with matches"));
    }

    let Some(expected_groups) = captures else {
        return;
    };
    let Some(found) = set.captures(0, text) else {
        return failures.push(format!("{name}: no captures"));
    };
    let groups: Vec<Option<&str>> = (1..found.len())
        .map(|index| found.get(index).map(|range| &text[range]))
        .collect();
    if groups != expected_groups {
        failures.push(format!(
            "{name}: expected groups {expected_groups:?}, got {groups:?}"
        ));
    }
}

#[test]
fn table_has_cases() {
    assert!(CASES.len() >= 80, "only {} cases", CASES.len());
    assert!(
        ERROR_CASES.len() >= 15,
        "only {} error cases",
        ERROR_CASES.len()
    );
}

#[test]
fn each_case_alone() {
    let mut failures = Vec::new();
    for case in CASES {
        check_case(case, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn all_cases_in_one_set() {
    let translated: Vec<Translated> = CASES
        .iter()
        .map(|&(syntax, pattern, ..)| translate_case(syntax, pattern).unwrap())
        .collect();
    let set = PatternSet::new(translated, &Limits::default());

    let mut failures = Vec::new();
    for (index, &(syntax, pattern, text, expected, _)) in CASES.iter().enumerate() {
        let matched = set.matches(text).contains(&index);
        if matched != expected {
            failures.push(format!(
                "{}: expected match {expected}, got {matched}",
                row_name(syntax, pattern, text)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn error_cases() {
    let mut failures = Vec::new();
    for &(syntax, pattern, code, offset) in ERROR_CASES {
        match translate(&syntax.kind(), pattern, &Limits::default()) {
            Ok(translated) => failures.push(format!(
                "{syntax:?} {pattern:?}: expected {code}, translated to {:?}",
                translated.regex
            )),
            Err(error) if (error.code, error.offset) != (code, offset) => failures.push(format!(
                "{syntax:?} {pattern:?}: expected {code} at {offset:?}, got {} at {:?}: {}",
                error.code, error.offset, error.message
            )),
            Err(error) if error.code == "E0109" && error.help.is_none() => {
                failures.push(format!("{syntax:?} {pattern:?}: E0109 without help"))
            }
            Err(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
