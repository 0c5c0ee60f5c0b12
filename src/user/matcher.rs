//! Matchers over a program's text tests, grouped by the field they read.
//!
//! The first time a run needs any test on a field, every test on that
//! field is decided in one pass over the field's values: one aho-corasick
//! automaton finds all `contains` needles at once, a hash map answers
//! every `is`, and only `starts with`, `ends with` and regex tests run one
//! by one. So many rules on the same field cost little more than one.
//!
//! NOTE: regex tests run one by one; the pattern module's literal
//! prefilter (`PatternSet`) would let most of them skip a message, and
//! slots in here once it exists.

use std::borrow::Cow;
use std::collections::HashMap;

use aho_corasick::AhoCorasick;
use regex_automata::meta;

use super::program::{TextMatch, TextSource, TextTest};
use crate::limits::Limits;

/// Every text test of a program, grouped by source.
#[derive(Debug, Clone)]
pub struct Matchers {
    groups: Vec<Group>,
    /// The group of each test.
    group_of_test: Vec<usize>,
}

/// The tests on one source.
#[derive(Debug, Clone)]
struct Group {
    source: TextSource,
    /// Automaton over the non-empty `contains` needles; pattern `i` is
    /// test `contains_tests[i]`.
    contains: Option<AhoCorasick>,
    contains_tests: Vec<u32>,
    /// `is` texts to the tests that compare with them.
    equals: HashMap<String, Vec<u32>>,
    /// Tests decided one by one, with the regex of regex tests. A regex
    /// that fails to build (only possible in a damaged program file) is
    /// `None` and never matches.
    others: Vec<(u32, Option<meta::Regex>)>,
}

impl Matchers {
    /// Builds the matchers of a program's tests.
    pub fn build(tests: &[TextTest], limits: &Limits) -> Matchers {
        let mut groups: Vec<Group> = Vec::new();
        let mut index_of: HashMap<&TextSource, usize> = HashMap::new();
        let mut group_of_test = Vec::with_capacity(tests.len());
        let mut needles: Vec<Vec<String>> = Vec::new();

        for (id, test) in tests.iter().enumerate() {
            let id = id as u32;
            let group_index = *index_of.entry(&test.source).or_insert_with(|| {
                groups.push(Group::new(test.source.clone()));
                needles.push(Vec::new());
                groups.len() - 1
            });
            group_of_test.push(group_index);
            let group = &mut groups[group_index];
            match &test.matcher {
                TextMatch::Contains(needle) if !needle.is_empty() => {
                    needles[group_index].push(needle.clone());
                    group.contains_tests.push(id);
                }
                TextMatch::Equals(text) => group.equals.entry(text.clone()).or_default().push(id),
                TextMatch::Regex(regex) => group.others.push((id, build_regex(regex, limits))),
                _ => group.others.push((id, None)),
            }
        }
        for (group, needles) in groups.iter_mut().zip(needles) {
            if !needles.is_empty() {
                // NOTE: a build failure (an automaton over aho-corasick's
                // own size limits) leaves these tests never matching.
                group.contains = AhoCorasick::new(&needles).ok();
            }
        }
        Matchers {
            groups,
            group_of_test,
        }
    }

    /// Returns the group index of a test, if the test exists.
    pub fn group_of(&self, test: u32) -> Option<usize> {
        self.group_of_test.get(test as usize).copied()
    }

    /// Returns the source a group reads.
    pub fn source(&self, group: usize) -> &TextSource {
        &self.groups[group].source
    }

    /// Decides every test of `group` on the source's values and sets
    /// `results[test]` for those that hold. Returns the number of test
    /// evaluations, for the instruction budget.
    pub fn decide(
        &self,
        group: usize,
        tests: &[TextTest],
        values: &[Cow<'_, str>],
        results: &mut [bool],
    ) -> u64 {
        let group = &self.groups[group];
        let mut work = 0;
        for value in values {
            let lower = value.to_lowercase();
            work += 1 + group.others.len() as u64;
            if let Some(automaton) = &group.contains {
                for found in automaton.find_overlapping_iter(&lower) {
                    results[group.contains_tests[found.pattern().as_usize()] as usize] = true;
                }
            }
            if let Some(ids) = group.equals.get(&lower) {
                for &id in ids {
                    results[id as usize] = true;
                }
            }
            for (id, regex) in &group.others {
                if results[*id as usize] {
                    continue;
                }
                let holds = match (&tests[*id as usize].matcher, regex) {
                    (TextMatch::Contains(_), _) => true,
                    (TextMatch::StartsWith(prefix), _) => lower.starts_with(prefix.as_str()),
                    (TextMatch::EndsWith(suffix), _) => lower.ends_with(suffix.as_str()),
                    (TextMatch::Regex(_), Some(regex)) => regex.is_match(value.as_ref()),
                    _ => false,
                };
                results[*id as usize] = holds;
            }
        }
        work
    }
}

impl Group {
    fn new(source: TextSource) -> Group {
        Group {
            source,
            contains: None,
            contains_tests: Vec::new(),
            equals: HashMap::new(),
            others: Vec::new(),
        }
    }
}

/// Builds a translated regex within the size limit, as the checker did.
fn build_regex(regex: &str, limits: &Limits) -> Option<meta::Regex> {
    meta::Regex::builder()
        .configure(meta::Config::new().nfa_size_limit(Some(limits.max_regex_bytes)))
        .build(regex)
        .ok()
}
