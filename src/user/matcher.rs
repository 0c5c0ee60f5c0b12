//! Matchers over a program's text tests, grouped by the field they read.
//!
//! The first time a run needs any test on a field, every test on that
//! field is decided in one pass over the field's values: one aho-corasick
//! automaton finds all `contains` needles at once, a hash map decides
//! every `is`, the pattern module's [`PatternSet`] runs only the regex
//! (and glob) tests whose required literals occur, and only `starts with`
//! and `ends with` run one by one. So many rules on the same field cost
//! little more than one.

use std::borrow::Cow;
use std::collections::HashMap;

use aho_corasick::AhoCorasick;

use super::program::{TextMatch, TextSource, TextTest};
use crate::limits::Limits;
use crate::pattern::{PatternSet, Translated};

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
    /// The regex tests; pattern `i` of the set is test `regex_tests[i]`.
    /// A regex that fails to build (only possible in a damaged program
    /// file) never matches.
    regexes: Option<PatternSet>,
    regex_tests: Vec<u32>,
    /// Tests decided one by one: `starts with`, `ends with`, and
    /// `contains ""`.
    others: Vec<u32>,
}

impl Matchers {
    /// Builds the matchers of a program's tests.
    pub fn build(tests: &[TextTest], limits: &Limits) -> Matchers {
        let mut groups: Vec<Group> = Vec::new();
        let mut index_of: HashMap<&TextSource, usize> = HashMap::new();
        let mut group_of_test = Vec::with_capacity(tests.len());
        let mut needles: Vec<Vec<String>> = Vec::new();
        let mut regexes: Vec<Vec<Translated>> = Vec::new();

        for (id, test) in tests.iter().enumerate() {
            let id = id as u32;
            let group_index = *index_of.entry(&test.source).or_insert_with(|| {
                groups.push(Group::new(test.source.clone()));
                needles.push(Vec::new());
                regexes.push(Vec::new());
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
                TextMatch::Regex(regex) => {
                    regexes[group_index].push(Translated {
                        regex: regex.clone(),
                        groups: 0,
                    });
                    group.regex_tests.push(id);
                }
                _ => group.others.push(id),
            }
        }
        for (group, translated) in groups.iter_mut().zip(regexes) {
            if !translated.is_empty() {
                group.regexes = Some(PatternSet::new(translated, limits));
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
        let mut matched = Vec::new();
        for value in values {
            let lower = value.to_lowercase();
            work += 1 + (group.others.len() + group.regex_tests.len()) as u64;
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
            if let Some(set) = &group.regexes {
                // Regexes carry their own case flags, so they see the
                // value as written.
                set.matches_into(value, &mut matched);
                for &index in &matched {
                    results[group.regex_tests[index] as usize] = true;
                }
            }
            for &id in &group.others {
                let holds = match &tests[id as usize].matcher {
                    TextMatch::Contains(_) => true,
                    TextMatch::StartsWith(prefix) => lower.starts_with(prefix.as_str()),
                    TextMatch::EndsWith(suffix) => lower.ends_with(suffix.as_str()),
                    _ => false,
                };
                results[id as usize] |= holds;
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
            regexes: None,
            regex_tests: Vec::new(),
            others: Vec::new(),
        }
    }
}
