//! `translate` on every syntax: the regex it gives and the errors it
//! reports, with their codes and offsets into the pattern text.

use rulec::ast::server::PatternKind;
use rulec::limits::Limits;
use rulec::pattern::{translate, PatternError, Translated};

fn perl(flags: &str) -> PatternKind {
    PatternKind::Perl {
        flags: flags.to_string(),
    }
}

fn ok(kind: &PatternKind, text: &str) -> Translated {
    match translate(kind, text, &Limits::default()) {
        Ok(translated) => translated,
        Err(error) => panic!("{text:?} failed: {error:?}"),
    }
}

fn err(kind: &PatternKind, text: &str) -> PatternError {
    match translate(kind, text, &Limits::default()) {
        Ok(translated) => panic!("{text:?} translated to {translated:?}"),
        Err(error) => error,
    }
}

#[test]
fn simple_without_wildcards_is_substring() {
    let translated = ok(&PatternKind::Simple, "Mass (Mail)");
    assert_eq!(translated.regex, r"(?i)Mass \(Mail\)");
    assert_eq!(translated.groups, 0);
}

#[test]
fn simple_with_wildcards_is_glob() {
    assert_eq!(
        ok(&PatternKind::Simple, "*Mass Mail*").regex,
        "(?is)Mass Mail"
    );
    assert_eq!(ok(&PatternKind::Simple, "Re: ?").regex, r"(?is)\ARe: .\z");
}

#[test]
fn reference_example_translates() {
    let translated = ok(
        &PatternKind::BasicRegex,
        r"^https\?://[0-9]\{1,3\}\.[0-9]\{1,3\}\.",
    );
    assert_eq!(translated.regex, r"(?mR)^https?://[0-9]{1,3}\.[0-9]{1,3}\.");
}

#[test]
fn groups_are_counted() {
    assert_eq!(ok(&PatternKind::BasicRegex, r"\(a\)\(b\(c\)\)").groups, 3);
    assert_eq!(ok(&PatternKind::ExtendedRegex, "(a)|(b)").groups, 2);
    assert_eq!(err(&PatternKind::ExtendedRegex, "(?:b)").code, "E0108");
    assert_eq!(ok(&perl(""), "(a)(?:b)(?P<name>c)").groups, 2);
}

#[test]
fn repeated_star_is_accepted() {
    ok(&PatternKind::BasicRegex, "a**");
    ok(&PatternKind::ExtendedRegex, "a+*");
}

#[test]
fn perl_flags_become_inline() {
    assert_eq!(ok(&perl("ix"), "a b").regex, "(?ix)a b");
    assert_eq!(ok(&perl("ii"), "a").regex, "(?i)a");
    assert_eq!(ok(&perl(""), r"\bword\b").regex, r"\bword\b");
}

#[test]
fn unknown_flag_is_e0114() {
    let error = err(&perl("ig"), "a");
    assert_eq!(error.code, "E0114");
    assert!(error.message.contains("`g`"), "{}", error.message);
}

#[test]
fn basic_backreference_is_e0109() {
    let error = err(&PatternKind::BasicRegex, r"\(ab\)x\1");
    assert_eq!(error.code, "E0109");
    assert_eq!(error.offset, Some(7));
    assert!(error.message.contains(r"`\1`"), "{}", error.message);
    assert!(error.help.unwrap().contains("repeat the group"));
}

#[test]
fn perl_backreference_is_e0109() {
    let error = err(&perl("i"), r"(a)\2");
    assert_eq!(error.code, "E0109");
    assert_eq!(error.offset, Some(3));
    assert!(error.message.contains(r"`\2`"), "{}", error.message);
}

#[test]
fn perl_lookaround_is_e0109() {
    for (text, construct, offset) in [
        ("ab(?=c)", "(?=", 2),
        ("a(?!c)", "(?!", 1),
        ("(?<=x)y", "(?<=", 0),
        ("xy(?<!x)", "(?<!", 2),
    ] {
        let error = err(&perl("s"), text);
        assert_eq!(error.code, "E0109", "{text}");
        assert_eq!(error.offset, Some(offset), "{text}");
        assert!(
            error.message.contains(construct),
            "{text}: {}",
            error.message
        );
    }
}

#[test]
fn extended_lookaround_is_e0109() {
    let error = err(&PatternKind::ExtendedRegexIgnoreCase, "x(?!y)");
    assert_eq!(error.code, "E0109");
    assert_eq!(error.offset, Some(1));
    assert!(
        error.message.contains("negative lookahead"),
        "{}",
        error.message
    );
}

#[test]
fn unbalanced_group_points_at_it() {
    let error = err(&PatternKind::ExtendedRegex, "ab(cd");
    assert_eq!(error.code, "E0108");
    assert_eq!(error.offset, Some(2));

    let error = err(&PatternKind::BasicRegex, r"ab\)");
    assert_eq!(error.code, "E0108");
    assert_eq!(error.offset, Some(2));
}

#[test]
fn inverted_range_points_into_bracket() {
    let error = err(&PatternKind::ExtendedRegex, "x[z-a]");
    assert_eq!(error.code, "E0108");
    assert_eq!(error.offset, Some(2));
}

#[test]
fn posix_errors_are_e0108() {
    for (text, offset) in [
        ("[abc", 0),
        ("a[[:alfa:]]", 2),
        (r"a\{x\}", 1),
        ("a\\", 1),
        (r"\q", 0),
    ] {
        let error = err(&PatternKind::BasicRegex, text);
        assert_eq!(error.code, "E0108", "{text}");
        assert_eq!(error.offset, Some(offset), "{text}: {}", error.message);
    }
}

#[test]
fn long_pattern_is_e0203() {
    let limits = Limits {
        max_pattern_bytes: 8,
        ..Limits::default()
    };
    let error = translate(&PatternKind::Simple, "123456789", &limits).unwrap_err();
    assert_eq!(error.code, "E0203");
    assert!(error.message.contains("9 bytes"), "{}", error.message);
    assert!(error.message.contains("8 bytes"), "{}", error.message);
}

#[test]
fn large_automaton_is_e0203() {
    let limits = Limits {
        max_regex_bytes: 10_000,
        ..Limits::default()
    };
    let error = translate(&PatternKind::ExtendedRegex, "[a-z]{200}", &limits).unwrap_err();
    assert_eq!(error.code, "E0203");
    assert!(error.message.contains("10000 bytes"), "{}", error.message);
}
