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

/// Returns the ASCII-lowercased literals one of which every match of
/// `regex` contains, or None when the regex has no useful set: it can
/// match the empty string, starts and ends with classes or repetitions,
/// or does not parse.
pub fn required_literals(regex: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::parse(regex).ok()?;
    let hir = fold_ascii_case(hir);

    let prefixes = extract(&hir, ExtractKind::Prefix);
    let suffixes = extract(&hir, ExtractKind::Suffix);
    let best = if score(&suffixes) > score(&prefixes) {
        suffixes
    } else {
        prefixes
    };
    if score(&best) < MIN_LITERAL_BYTES {
        return None;
    }

    let mut literals: Vec<Vec<u8>> = best
        .literals()?
        .iter()
        .map(|literal| literal.as_bytes().to_ascii_lowercase())
        .collect();
    literals.sort_unstable();
    literals.dedup();
    if let Some(common) = common_affix(&literals) {
        return Some(vec![common]);
    }
    (literals.len() <= MAX_LITERALS).then_some(literals)
}

/// Returns the longest prefix or suffix that all of several literals
/// share, when it is long enough to prefilter on alone. One literal that
/// every match contains is as sound as the whole set and makes the
/// automaton smaller.
fn common_affix(literals: &[Vec<u8>]) -> Option<Vec<u8>> {
    let (first, rest) = literals.split_first()?;
    if rest.is_empty() {
        return None;
    }
    let mut prefix_len = first.len();
    let mut suffix_len = first.len();
    for literal in rest {
        prefix_len = prefix_len.min(
            first
                .iter()
                .zip(literal)
                .take_while(|(a, b)| a == b)
                .count(),
        );
        suffix_len = suffix_len.min(
            first
                .iter()
                .rev()
                .zip(literal.iter().rev())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    let common = if suffix_len > prefix_len {
        &first[first.len() - suffix_len..]
    } else {
        &first[..prefix_len]
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
        required_literals(regex).map(|literals| {
            literals
                .into_iter()
                .map(|literal| String::from_utf8_lossy(&literal).into_owned())
                .collect()
        })
    }

    #[test]
    fn case_insensitive_phrase_keeps_common_part() {
        assert_eq!(
            literals("(?i)unsubscribe here"),
            Some(vec!["cribe here".to_string()])
        );
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
        assert_eq!(
            literals(r"[0-9]\.example"),
            Some(vec![".example".to_string()])
        );
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
