//! Required literals: for a regex, a small set of strings one of which
//! occurs in every match. [`PatternSet`](super::PatternSet) puts them into
//! one aho-corasick automaton to pick the patterns worth running.
//!
//! The literals are ASCII-lowercased and the automaton matches ASCII case
//! insensitively. That can only widen what the prefilter lets through, so
//! it never loses a match: the regex itself decides.

use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};
use regex_syntax::hir::{Class, Hir, HirKind};

/// Literals shorter than this occur in most text, so a pattern whose
/// literal set has one is cheaper to run directly than to prefilter.
pub const MIN_LITERAL_BYTES: usize = 3;

/// More alternatives than this make a pattern a candidate too often, and
/// the automaton larger, to pay off.
pub const MAX_LITERALS: usize = 64;

/// The literals one of which every match of a regex contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Required {
    /// ASCII-lowercased, sorted, without repeats.
    pub literals: Vec<Vec<u8>>,
    /// True when every match starts with one of the literals, so that a
    /// search can start, anchored, where a literal occurs.
    pub prefix: bool,
    /// True when the regex is one case-insensitive literal and these are
    /// all its case variants: an ASCII-case-insensitive occurrence of one
    /// of them is a match, and the regex need not run.
    pub exact: bool,
}

/// Returns the ASCII-lowercased literals one of which every match of
/// `regex` contains, or None when the regex has no useful set: it can
/// match the empty string, starts and ends with classes or repetitions,
/// or does not parse.
pub fn required_literals(regex: &str) -> Option<Required> {
    let hir = regex_syntax::parse(regex).ok()?;
    let hir = fold_ascii_case(hir);

    let prefixes = extract(&hir, ExtractKind::Prefix);
    let suffixes = extract(&hir, ExtractKind::Suffix);
    let prefix = score(&suffixes) <= score(&prefixes);
    let best = if prefix { prefixes } else { suffixes };
    if score(&best) < MIN_LITERAL_BYTES {
        return None;
    }
    let complete = best.is_exact();

    let mut literals: Vec<Vec<u8>> = best
        .literals()?
        .iter()
        .map(|literal| literal.as_bytes().to_ascii_lowercase())
        .collect();
    literals.sort_unstable();
    literals.dedup();
    if let Some(common) = common_affix(&literals, prefix) {
        return Some(Required {
            literals: vec![common],
            prefix,
            exact: false,
        });
    }
    let count = literals.len();
    let literals = shorten(literals, prefix)?;
    let exact = complete && literals.len() == count && is_folded_literal(regex, &literals);
    Some(Required {
        literals,
        prefix,
        exact,
    })
}

/// True when `regex` means the same as `(?i)` followed by the ASCII one of
/// `literals`: a single literal, matched case-insensitively, with nothing
/// else (no anchors, no classes, no case-sensitive part).
fn is_folded_literal(regex: &str, literals: &[Vec<u8>]) -> bool {
    let Some(ascii) = literals.iter().find(|literal| literal.is_ascii()) else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(ascii) else {
        return false;
    };
    let folded = format!("(?i){}", regex_syntax::escape(text));
    match (regex_syntax::parse(regex), regex_syntax::parse(&folded)) {
        (Ok(original), Ok(folded)) => original == folded,
        _ => false,
    }
}

/// Cuts the literals of a set larger than [`MAX_LITERALS`] to shorter
/// prefixes (or suffixes) until the set is small enough: `fix00` to
/// `fix99` become `fix0` to `fix9`. A prefix of a required prefix is still
/// one, so the set stays sound; it only lets more haystacks through.
/// Returns None when the literals would get shorter than
/// [`MIN_LITERAL_BYTES`] first.
fn shorten(mut literals: Vec<Vec<u8>>, prefix: bool) -> Option<Vec<Vec<u8>>> {
    while literals.len() > MAX_LITERALS {
        let longest = literals.iter().map(Vec::len).max()?;
        let keep = longest.checked_sub(1)?;
        if keep < MIN_LITERAL_BYTES {
            return None;
        }
        for literal in &mut literals {
            if literal.len() > keep {
                if prefix {
                    literal.truncate(keep);
                } else {
                    literal.drain(..literal.len() - keep);
                }
            }
        }
        literals.sort_unstable();
        literals.dedup();
    }
    Some(literals)
}

/// Returns the longest prefix (for a set of required prefixes) or suffix
/// (for a set of suffixes) that all of several literals share, when it is
/// long enough to prefilter on alone. One literal that every match
/// contains is as sound as the whole set and makes the automaton smaller;
/// taking the same end as the set keeps a prefix set a prefix set.
fn common_affix(literals: &[Vec<u8>], prefix: bool) -> Option<Vec<u8>> {
    let (first, rest) = literals.split_first()?;
    if rest.is_empty() {
        return None;
    }
    let mut common_len = first.len();
    for literal in rest {
        let shared = if prefix {
            first
                .iter()
                .zip(literal)
                .take_while(|(a, b)| a == b)
                .count()
        } else {
            first
                .iter()
                .rev()
                .zip(literal.iter().rev())
                .take_while(|(a, b)| a == b)
                .count()
        };
        common_len = common_len.min(shared);
    }
    let common = if prefix {
        &first[..common_len]
    } else {
        &first[first.len() - common_len..]
    };
    (common.len() > MIN_LITERAL_BYTES).then(|| common.to_vec())
}

fn extract(hir: &Hir, kind: ExtractKind) -> Seq {
    let mut extractor = Extractor::new();
    extractor.kind(kind);
    extractor.extract(hir)
}

/// Rates a literal set by its shortest literal; 0 for an infinite or
/// empty set, which cannot prefilter.
fn score(seq: &Seq) -> usize {
    seq.min_literal_len().unwrap_or(0)
}

/// Replaces each class that is exactly one ASCII letter in both cases
/// (`[Aa]`, which `(?i)a` becomes) with the lowercase letter, so that the
/// extractor does not multiply case variants of long case-insensitive
/// literals past its limits. Classes with more members, such as `[Kk\u{212A}]`
/// for the Kelvin sign, stay as they are.
///
/// The recursion is as deep as the regex nests, which regex-syntax's
/// default nest limit (250) bounds.
fn fold_ascii_case(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Class(class) => match ascii_letter(&class) {
            Some(letter) => Hir::literal([letter]),
            None => Hir::class(class),
        },
        HirKind::Repetition(mut repetition) => {
            repetition.sub = Box::new(fold_ascii_case(*repetition.sub));
            Hir::repetition(repetition)
        }
        HirKind::Capture(mut capture) => {
            capture.sub = Box::new(fold_ascii_case(*capture.sub));
            Hir::capture(capture)
        }
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(fold_ascii_case).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.into_iter().map(fold_ascii_case).collect())
        }
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Look(look) => Hir::look(look),
    }
}

/// Returns the lowercase letter when `class` is `[Xx]` for an ASCII letter.
fn ascii_letter(class: &Class) -> Option<u8> {
    let members: Vec<u32> = match class {
        Class::Unicode(class) => {
            let mut members = Vec::new();
            for range in class.iter() {
                let (start, end) = (u32::from(range.start()), u32::from(range.end()));
                if members.len() + (end - start) as usize >= 2 {
                    return None;
                }
                members.extend(start..=end);
            }
            members
        }
        Class::Bytes(class) => {
            let mut members = Vec::new();
            for range in class.iter() {
                let (start, end) = (u32::from(range.start()), u32::from(range.end()));
                if members.len() + (end - start) as usize >= 2 {
                    return None;
                }
                members.extend(start..=end);
            }
            members
        }
    };
    let [upper, lower] = members[..] else {
        return None;
    };
    let upper = u8::try_from(upper).ok()?;
    let lower = u8::try_from(lower).ok()?;
    (upper.is_ascii_uppercase() && upper.to_ascii_lowercase() == lower).then_some(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literals(regex: &str) -> Option<Vec<String>> {
        required_literals(regex).map(|required| {
            required
                .literals
                .into_iter()
                .map(|literal| String::from_utf8_lossy(&literal).into_owned())
                .collect()
        })
    }

    #[test]
    fn case_insensitive_phrase_keeps_its_fold_variants() {
        let found = literals("(?i)unsubscribe here").unwrap();
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found.contains(&"unsubscribe here".to_string()), "{found:?}");
        assert!(
            found.contains(&"un\u{17F}ub\u{17F}cribe here".to_string()),
            "{found:?}"
        );
    }

    #[test]
    fn only_whole_case_insensitive_literals_are_exact() {
        let exact = |regex: &str| required_literals(regex).is_some_and(|found| found.exact);
        assert!(exact("(?i)casino gamota"));
        assert!(exact("(?i)kiss"));
        assert!(exact(r"(?imR)free\.money"));
        assert!(!exact("casino"));
        assert!(!exact("(?i)casino[0-9]"));
        assert!(!exact(r"(?i)\bcasino"));
        assert!(!exact("(?i)(viagra|cialis)"));
        assert!(!exact(r"(?is)\Acasino\z"));
    }

    #[test]
    fn prefix_sets_are_marked() {
        assert!(required_literals("(?i)viagra[0-9]+").unwrap().prefix);
        assert!(!required_literals("[0-9]+\\.example").unwrap().prefix);
    }

    #[test]
    fn large_sets_are_cut_to_shorter_prefixes() {
        let required = required_literals("(?i)fix[0-9]{2,4}[a-z]*").unwrap();
        assert!(required.prefix);
        let found: Vec<String> = required
            .literals
            .iter()
            .map(|literal| String::from_utf8_lossy(literal).into_owned())
            .collect();
        let expected: Vec<String> = (0..10).map(|digit| format!("fix{digit}")).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn unicode_fold_variants_are_kept() {
        let found = literals("(?i)kiss").unwrap();
        assert!(found.contains(&"kiss".to_string()), "{found:?}");
        assert!(found.contains(&"\u{212A}iss".to_string()), "{found:?}");
    }

    #[test]
    fn suffix_chosen_when_longer() {
        assert_eq!(
            literals(r"[0-9]+\.example"),
            Some(vec![".example".to_string()])
        );
        // One digit in front keeps the set a short list of prefixes.
        let digits = literals(r"[0-9]\.example").unwrap();
        assert_eq!(digits.len(), 10);
        assert_eq!(digits[0], "0.example");
    }

    #[test]
    fn alternation_gives_each_branch() {
        assert_eq!(
            literals("(?i)(viagra|cialis)"),
            Some(vec![
                "cialis".to_string(),
                "ciali\u{17F}".to_string(),
                "viagra".to_string()
            ])
        );
    }

    #[test]
    fn useless_sets_are_rejected() {
        assert_eq!(literals("a+"), None);
        assert_eq!(literals("[a-z]+x*"), None);
        assert_eq!(literals("ab|cdef"), None);
        assert_eq!(literals("x*"), None);
        assert_eq!(literals("(unclosed"), None);
    }
}
