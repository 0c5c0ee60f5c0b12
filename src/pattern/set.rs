//! [`Pattern`], one translated regex built on first use, and
//! [`PatternSet`], the pattern tests of one message field behind a shared
//! literal prefilter.
//!
//! One combined regex over hundreds of rules is slow to search and, at
//! thousands, slow or impossible to build. A [`PatternSet`] instead puts
//! the literals that each pattern requires (see [`super::literal`]) into
//! one aho-corasick automaton. A search runs that automaton once over the
//! haystack. Then only the patterns whose literal occurred, and the
//! patterns without a usable literal, run their own regex.

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex_automata::{meta, Anchored, Input};
use serde::{Deserialize, Serialize};

use super::{literal, regex, Translated};
use crate::limits::Limits;

/// The capture groups of one match: group 0 is the whole match, groups 1
/// and up are the pattern's explicit groups, `None` where a group did not
/// take part in the match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captures {
    groups: Vec<Option<Range<usize>>>,
}

impl Captures {
    /// Returns the byte range of group `index` in the haystack.
    pub fn get(&self, index: usize) -> Option<Range<usize>> {
        self.groups.get(index).cloned().flatten()
    }

    /// Returns the number of groups, group 0 included.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Returns true when there are no groups, which a match never gives.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// The serialised form of a [`Pattern`]: what it takes to rebuild it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct PatternSpec {
    regex: String,
    groups: usize,
    max_regex_bytes: usize,
    /// The prefilter literals, computed once at compile time so that
    /// loading a program does not parse every regex again.
    literals: Option<Vec<Vec<u8>>>,
    /// True when every match starts with one of `literals`.
    prefix: bool,
    /// True when an occurrence of one of `literals` is a match.
    exact: bool,
}

/// One translated pattern. Its regex is built on first use and kept.
///
/// # Examples
///
/// ```
/// use rulec::ast::server::PatternKind;
/// use rulec::limits::Limits;
/// use rulec::pattern::{translate, Pattern};
///
/// let limits = Limits::default();
/// let translated = translate(&PatternKind::ExtendedRegex, "id=([0-9]+)", &limits).unwrap();
/// let pattern = Pattern::new(translated, &limits);
/// let captures = pattern.captures("order id=42").unwrap();
/// assert_eq!(captures.get(1), Some(9..11));
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "PatternSpec", into = "PatternSpec")]
pub struct Pattern {
    spec: PatternSpec,
    /// None when the regex failed to build, which only a regex that did
    /// not come from [`translate`](super::translate) can do.
    regex: OnceLock<Option<meta::Regex>>,
}

impl From<PatternSpec> for Pattern {
    fn from(spec: PatternSpec) -> Pattern {
        Pattern {
            spec,
            regex: OnceLock::new(),
        }
    }
}

impl From<Pattern> for PatternSpec {
    fn from(pattern: Pattern) -> PatternSpec {
        pattern.spec
    }
}

impl Pattern {
    /// Wraps a translated pattern and finds its prefilter literals. The
    /// regex itself is built on first use, within `max_regex_bytes`.
    pub fn new(translated: Translated, limits: &Limits) -> Pattern {
        let required = literal::required_literals(&translated.regex);
        let prefix = required.as_ref().is_some_and(|required| required.prefix);
        let exact = required.as_ref().is_some_and(|required| required.exact);
        Pattern::from(PatternSpec {
            regex: translated.regex,
            groups: translated.groups,
            max_regex_bytes: limits.max_regex_bytes,
            literals: required.map(|required| required.literals),
            prefix,
            exact,
        })
    }

    /// Returns the pattern in regex-automata syntax.
    pub fn regex(&self) -> &str {
        &self.spec.regex
    }

    /// Returns the number of explicit capture groups.
    pub fn groups(&self) -> usize {
        self.spec.groups
    }

    /// Returns true when the pattern matches somewhere in `haystack`.
    pub fn is_match(&self, haystack: &str) -> bool {
        self.built().is_some_and(|regex| regex.is_match(haystack))
    }

    /// Returns true when a match of the pattern starts at byte `start` of
    /// `haystack`. The bytes before `start` still count for `^` and `\b`.
    fn is_match_at(&self, haystack: &str, start: usize) -> bool {
        let input = Input::new(haystack)
            .range(start..)
            .anchored(Anchored::Yes)
            .earliest(true);
        self.built().is_some_and(|regex| regex.is_match(input))
    }

    /// Returns the capture groups of the leftmost match, or None when the
    /// pattern does not match.
    pub fn captures(&self, haystack: &str) -> Option<Captures> {
        let regex = self.built()?;
        let mut captures = regex.create_captures();
        regex.captures(haystack, &mut captures);
        if !captures.is_match() {
            return None;
        }
        let groups = (0..captures.group_len())
            .map(|index| captures.get_group(index).map(|span| span.range()))
            .collect();
        Some(Captures { groups })
    }

    /// Builds the regex now, if it is not built yet, and returns whether
    /// it built. Every regex that [`translate`](super::translate) returned
    /// builds; a loader can call this to validate patterns from a file.
    pub fn is_buildable(&self) -> bool {
        self.built().is_some()
    }

    fn built(&self) -> Option<&meta::Regex> {
        self.regex
            .get_or_init(|| regex::build(&self.spec.regex, self.spec.max_regex_bytes).ok())
            .as_ref()
    }
}

/// The serialised form of a [`PatternSet`]: the patterns alone, since the
/// prefilter is built from their literals on the first search.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PatternSetSpec {
    patterns: Vec<Pattern>,
}

/// The pattern tests on one message field, searched together.
///
/// Serialising keeps only each pattern's regex text, group count, limit
/// and prefilter literals, so deserialising builds nothing. The first
/// search builds the aho-corasick automaton from the literals, in time
/// linear in their total length: roughly 10 ms for the 10,700 literals
/// of a generated 10,000-rule set, estimated from a profile of `rulec run`
/// in a release build. Each regex is built the first time it runs.
///
/// # Examples
///
/// ```
/// use rulec::ast::server::PatternKind;
/// use rulec::limits::Limits;
/// use rulec::pattern::{translate, PatternSet};
///
/// let limits = Limits::default();
/// let patterns = [
///     (PatternKind::Simple, "*Mass Mail*"),
///     (PatternKind::ExtendedRegexIgnoreCase, "(viagra|cialis)"),
///     (PatternKind::BasicRegex, "^[A-Z]*$"),
/// ];
/// let translated = patterns
///     .iter()
///     .map(|(kind, text)| translate(kind, text, &limits).unwrap())
///     .collect();
/// let set = PatternSet::new(translated, &limits);
/// assert_eq!(set.matches("cheap VIAGRA by mass mail"), vec![0, 1]);
/// assert_eq!(set.matches("HELLO"), vec![2]);
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "PatternSetSpec", into = "PatternSetSpec")]
pub struct PatternSet {
    patterns: Vec<Pattern>,
    /// Built on the first search, so that loading a program stays fast.
    prefilter: OnceLock<Prefilter>,
}

/// The literal prefilter of a [`PatternSet`].
#[derive(Debug, Clone)]
struct Prefilter {
    /// The automaton over every distinct literal; None when no pattern has
    /// one or the automaton failed to build.
    automaton: Option<AhoCorasick>,
    /// For each literal of the automaton, the patterns that require it.
    owners: Vec<Vec<u32>>,
    /// Patterns without usable literals, run on every haystack.
    unfiltered: Vec<u32>,
}

impl From<PatternSetSpec> for PatternSet {
    fn from(spec: PatternSetSpec) -> PatternSet {
        PatternSet {
            patterns: spec.patterns,
            prefilter: OnceLock::new(),
        }
    }
}

impl From<PatternSet> for PatternSetSpec {
    fn from(set: PatternSet) -> PatternSetSpec {
        PatternSetSpec {
            patterns: set.patterns,
        }
    }
}

impl PatternSet {
    /// Builds the set and finds each pattern's prefilter literals. The
    /// prefilter and the regexes are built on first use.
    pub fn new(translated: Vec<Translated>, limits: &Limits) -> PatternSet {
        let patterns = translated
            .into_iter()
            .map(|translated| Pattern::new(translated, limits))
            .collect();
        PatternSet::from(PatternSetSpec { patterns })
    }

    fn prefilter(&self) -> &Prefilter {
        self.prefilter
            .get_or_init(|| Prefilter::build(&self.patterns))
    }

    /// Returns the number of patterns.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Returns true when the set has no patterns.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Returns the pattern at `index`, in the order given to [`new`](Self::new).
    pub fn get(&self, index: usize) -> Option<&Pattern> {
        self.patterns.get(index)
    }

    /// Returns the indices of the patterns that match `haystack`, in
    /// ascending order.
    pub fn matches(&self, haystack: &str) -> Vec<usize> {
        let mut matched = Vec::new();
        self.matches_into(haystack, &mut matched);
        matched
    }

    /// Clears `matched` and fills it with the indices of the patterns that
    /// match `haystack`, in ascending order.
    ///
    /// A candidate that is one case-insensitive literal matches without
    /// running its regex. A candidate whose literals are prefixes runs its regex anchored at
    /// each place one of them occurs, which costs the length of a match
    /// attempt instead of a scan of the whole haystack. Past
    /// [`MAX_STARTS`] occurrences of a literal, its patterns search the
    /// whole haystack once instead.
    pub fn matches_into(&self, haystack: &str, matched: &mut Vec<usize>) {
        matched.clear();
        let candidates = self.candidates(haystack);
        let mut rest = &candidates[..];
        while let Some(&(index, _)) = rest.first() {
            let count = rest.iter().take_while(|(other, _)| *other == index).count();
            let (group, after) = rest.split_at(count);
            rest = after;
            let Some(pattern) = self.patterns.get(index as usize) else {
                continue;
            };
            // A start means one of the pattern's literals occurred there,
            // which for an exact pattern is a match.
            let found = match group.last() {
                Some(&(_, start)) if start != WHOLE && pattern.spec.exact => true,
                Some(&(_, WHOLE)) | None => pattern.is_match(haystack),
                Some(_) => group
                    .iter()
                    .any(|&(_, start)| pattern.is_match_at(haystack, start)),
            };
            if found {
                matched.push(index as usize);
            }
        }
    }

    /// Returns true when pattern `index` matches `haystack`; false for an
    /// index out of range.
    pub fn is_match(&self, index: usize, haystack: &str) -> bool {
        self.patterns
            .get(index)
            .is_some_and(|pattern| pattern.is_match(haystack))
    }

    /// Returns the capture groups of pattern `index` in `haystack`.
    pub fn captures(&self, index: usize, haystack: &str) -> Option<Captures> {
        self.patterns.get(index)?.captures(haystack)
    }

    /// Returns the candidate patterns with where to try them, sorted and
    /// without repeats: `(pattern, start)` for an anchored attempt at byte
    /// `start`, `(pattern, WHOLE)` for a search of the whole haystack. The
    /// unfiltered patterns are always candidates.
    fn candidates(&self, haystack: &str) -> Vec<(u32, usize)> {
        let prefilter = self.prefilter();
        let mut candidates: Vec<(u32, usize)> = prefilter
            .unfiltered
            .iter()
            .map(|&index| (index, WHOLE))
            .collect();
        if let Some(automaton) = &prefilter.automaton {
            let Ok(found_literals) = automaton.try_find_overlapping_iter(haystack) else {
                // Only an automaton built for non-overlapping search
                // fails here; run every pattern rather than lose a match.
                return (0..self.patterns.len())
                    .map(|index| (index_u32(index), WHOLE))
                    .collect();
            };
            // How often each literal occurred so far, up to one past
            // MAX_STARTS: the owners of a literal are added once for a
            // whole search, or once per occurrence while there are few.
            let mut seen = vec![0u8; prefilter.owners.len()];
            for found in found_literals {
                let id = found.pattern().as_usize();
                let Some(count) = seen.get_mut(id) else {
                    continue;
                };
                if usize::from(*count) > MAX_STARTS {
                    continue;
                }
                *count += 1;
                let owners = &prefilter.owners[id];
                if usize::from(*count) > MAX_STARTS {
                    candidates.extend(owners.iter().map(|&index| (index, WHOLE)));
                    continue;
                }
                for &index in owners {
                    let anchored = self
                        .patterns
                        .get(index as usize)
                        .is_some_and(|pattern| pattern.spec.prefix);
                    let start = if anchored { found.start() } else { WHOLE };
                    candidates.push((index, start));
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
    }
}

/// The start that stands for a search of the whole haystack in
/// [`PatternSet::candidates`].
const WHOLE: usize = usize::MAX;

/// Occurrences of one literal up to which its patterns run anchored at
/// each occurrence; more, and they search the whole haystack once.
const MAX_STARTS: usize = 8;

impl Prefilter {
    fn build(patterns: &[Pattern]) -> Prefilter {
        let mut literals: Vec<&[u8]> = Vec::new();
        let mut owners: Vec<Vec<u32>> = Vec::new();
        let mut literal_ids: std::collections::HashMap<&[u8], usize> = Default::default();
        let mut unfiltered = Vec::new();

        for (index, pattern) in patterns.iter().enumerate() {
            let index = index_u32(index);
            let Some(required) = &pattern.spec.literals else {
                unfiltered.push(index);
                continue;
            };
            for literal in required {
                let id = *literal_ids.entry(literal).or_insert_with(|| {
                    literals.push(literal);
                    owners.push(Vec::new());
                    literals.len() - 1
                });
                owners[id].push(index);
            }
        }

        let automaton = if literals.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&literals)
                .ok()
        };
        if automaton.is_none() {
            // NOTE: an automaton that fails to build (over aho-corasick's
            // internal ID limits) leaves every pattern unfiltered: slower,
            // never wrong.
            unfiltered = (0..patterns.len()).map(index_u32).collect();
            owners.clear();
        }
        Prefilter {
            automaton,
            owners,
            unfiltered,
        }
    }
}

/// Converts a pattern index, which `max_server_rules` keeps far below
/// `u32::MAX`, to the compact form the prefilter tables store.
fn index_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal_set(count: usize) -> PatternSet {
        let translated = (0..count)
            .map(|index| Translated {
                regex: format!("(?i)word{index}x"),
                groups: 0,
            })
            .collect();
        PatternSet::new(translated, &Limits::default())
    }

    #[test]
    fn prefilter_picks_only_candidates() {
        let set = literal_set(1000);
        assert!(set.prefilter().unfiltered.is_empty());
        let candidates = set.candidates("a WORD7x and word512x, word99");
        assert_eq!(candidates, vec![(7, 2), (512, 13)]);
    }

    #[test]
    fn unfiltered_patterns_always_run() {
        let translated = vec![
            Translated {
                regex: "[0-9]+".to_string(),
                groups: 0,
            },
            Translated {
                regex: "needle".to_string(),
                groups: 0,
            },
        ];
        let set = PatternSet::new(translated, &Limits::default());
        assert_eq!(set.prefilter().unfiltered, vec![0]);
        assert_eq!(set.candidates("no digits here"), vec![(0, WHOLE)]);
        assert_eq!(set.matches("42 needles"), vec![0, 1]);
    }

    #[test]
    fn repeated_literal_adds_owners_once() {
        let set = literal_set(3);
        let haystack = "word1x".repeat(1000);
        let candidates = set.candidates(&haystack);
        assert_eq!(candidates.len(), MAX_STARTS + 1);
        assert!(candidates.iter().all(|&(index, _)| index == 1));
        assert_eq!(candidates.last(), Some(&(1, WHOLE)));
        let twice = "word1x word1x";
        assert_eq!(set.candidates(twice), vec![(1, 0), (1, 7)]);
    }

    #[test]
    fn anchored_attempts_see_the_bytes_before() {
        let translated = vec![Translated {
            regex: r"(?i)\bcourse\b".to_string(),
            groups: 0,
        }];
        let set = PatternSet::new(translated, &Limits::default());
        assert_eq!(set.matches("of COURSE."), vec![0]);
        assert!(set.matches("recourse").is_empty());
        assert!(set.matches("courses").is_empty());
    }
}
