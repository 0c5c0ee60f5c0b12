//! [`WordList`] for `@inwordlist` and [`BlockList`] for `@inblocklist`:
//! one aho-corasick automaton over all entries of a list document.
//!
//! Both ignore case by lowercasing the entries and the text with Unicode
//! rules (`char::to_lowercase`), so `ÉTÉ` finds `été`. Entries that are
//! empty after trimming are dropped, because they would match any text.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

/// Whole words and phrases, for `@inwordlist`.
///
/// An entry matches where it occurs in the text with no word character
/// (a Unicode letter, digit or `_`) right before it or right after it.
/// That check applies only at an edge of the entry that is itself a word
/// character, so `ADV:` matches in `ADV:Buy now`. Runs of white space in
/// entries and text count as one space, so a phrase matches across line
/// breaks and double spaces. Case is ignored.
///
/// Serialising keeps only the entries; deserialising rebuilds the
/// automaton, in time linear in their total length.
///
/// # Examples
///
/// ```
/// use rulec::pattern::WordList;
///
/// let list = WordList::new(["cash", "free  money"]);
/// assert!(list.contains("Send CASH now"));
/// assert!(!list.contains("a cashew nut"));
/// assert!(list.contains("FREE\n  money!"));
/// assert_eq!(list.find("get free money"), Some("free  money"));
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "ListSpec", into = "ListSpec")]
pub struct WordList {
    entries: Vec<String>,
    /// For each automaton pattern: the index in `entries`, and whether its
    /// first and last characters are word characters.
    edges: Vec<(usize, bool, bool)>,
    /// None when no entry is left after trimming, or the automaton failed
    /// to build.
    automaton: Option<AhoCorasick>,
}

/// The serialised form of [`WordList`] and [`BlockList`].
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ListSpec {
    entries: Vec<String>,
}

impl From<ListSpec> for WordList {
    fn from(spec: ListSpec) -> WordList {
        WordList::new(spec.entries)
    }
}

impl From<WordList> for ListSpec {
    fn from(list: WordList) -> ListSpec {
        ListSpec {
            entries: list.entries,
        }
    }
}

impl WordList {
    /// Builds the list from its entries, one word or phrase each.
    pub fn new<I, S>(entries: I) -> WordList
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let entries: Vec<String> = entries.into_iter().map(Into::into).collect();
        let mut needles = Vec::new();
        let mut edges = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let needle = normalize_words(entry);
            let (Some(first), Some(last)) = (needle.chars().next(), needle.chars().next_back())
            else {
                continue;
            };
            edges.push((index, is_word_char(first), is_word_char(last)));
            needles.push(needle);
        }
        let automaton = build(&needles, MatchKind::Standard);
        WordList {
            entries,
            edges,
            automaton,
        }
    }

    /// Returns true when any entry occurs in `text` as a whole word or
    /// phrase.
    pub fn contains(&self, text: &str) -> bool {
        self.find(text).is_some()
    }

    /// Returns the entry, as written in the list, of the first whole-word
    /// match in `text`.
    pub fn find(&self, text: &str) -> Option<&str> {
        let automaton = self.automaton.as_ref()?;
        let haystack = normalize_words(text);
        // Overlapping search, because the first match may fail the word
        // check where an overlapping one passes: in `cashew`, the entry
        // `cash` fails and the entry `cashew` passes. At most one match
        // per distinct entry length ends at each position, so the work is
        // bounded by the text length times the longest entry.
        let found = automaton
            .try_find_overlapping_iter(haystack.as_str())
            .ok()?;
        for candidate in found {
            let (index, word_start, word_end) = self.edges[candidate.pattern().as_usize()];
            let before = haystack[..candidate.start()].chars().next_back();
            let after = haystack[candidate.end()..].chars().next();
            let bounded_before = !word_start || !before.is_some_and(is_word_char);
            let bounded_after = !word_end || !after.is_some_and(is_word_char);
            if bounded_before && bounded_after {
                return self.entries.get(index).map(String::as_str);
            }
        }
        None
    }

    /// Returns the entries as given.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }
}

/// Substrings, for `@inblocklist`: an entry matches wherever it occurs,
/// inside words too. Case is ignored unless the caller asks for a
/// case-sensitive test, whose automaton is built on first use.
///
/// Serialising keeps only the entries; deserialising rebuilds the
/// case-insensitive automaton, in time linear in their total length.
///
/// # Examples
///
/// ```
/// use rulec::pattern::BlockList;
///
/// let list = BlockList::new(["ADV:", "viagra"]);
/// assert!(list.contains("Re: adv: offer", false));
/// assert!(!list.contains("Re: adv: offer", true));
/// assert!(list.contains("buyviagranow", false));
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "ListSpec", into = "ListSpec")]
pub struct BlockList {
    entries: Vec<String>,
    /// For each automaton pattern, the index in `entries`.
    indices: Vec<usize>,
    ignore_case: Option<AhoCorasick>,
    exact_case: OnceLock<Option<AhoCorasick>>,
}

impl From<ListSpec> for BlockList {
    fn from(spec: ListSpec) -> BlockList {
        BlockList::new(spec.entries)
    }
}

impl From<BlockList> for ListSpec {
    fn from(list: BlockList) -> ListSpec {
        ListSpec {
            entries: list.entries,
        }
    }
}

impl BlockList {
    /// Builds the list from its entries, each trimmed of surrounding white
    /// space.
    pub fn new<I, S>(entries: I) -> BlockList
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let entries: Vec<String> = entries.into_iter().map(Into::into).collect();
        let indices: Vec<usize> = (0..entries.len())
            .filter(|&index| !entries[index].trim().is_empty())
            .collect();
        let needles: Vec<String> = indices
            .iter()
            .map(|&index| lowercase(entries[index].trim()))
            .collect();
        let ignore_case = build(&needles, MatchKind::LeftmostFirst);
        BlockList {
            entries,
            indices,
            ignore_case,
            exact_case: OnceLock::new(),
        }
    }

    /// Returns true when any entry occurs in `text`.
    pub fn contains(&self, text: &str, case_sensitive: bool) -> bool {
        self.find(text, case_sensitive).is_some()
    }

    /// Returns the entry, as written in the list, of the leftmost match in
    /// `text`.
    pub fn find(&self, text: &str, case_sensitive: bool) -> Option<&str> {
        let found = if case_sensitive {
            self.exact_case_automaton()?.find(text)?
        } else {
            self.ignore_case.as_ref()?.find(lowercase(text).as_str())?
        };
        let index = *self.indices.get(found.pattern().as_usize())?;
        self.entries.get(index).map(String::as_str)
    }

    /// Returns the entries as given.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    fn exact_case_automaton(&self) -> Option<&AhoCorasick> {
        self.exact_case
            .get_or_init(|| {
                let needles: Vec<&str> = self
                    .indices
                    .iter()
                    .map(|&index| self.entries[index].trim())
                    .collect();
                build(&needles, MatchKind::LeftmostFirst)
            })
            .as_ref()
    }
}

/// Builds an automaton; None for no needles, and for the build failure
/// aho-corasick reports past its internal ID limits, far above
/// `max_list_entries`.
fn build<N: AsRef<[u8]>>(needles: &[N], kind: MatchKind) -> Option<AhoCorasick> {
    if needles.is_empty() {
        return None;
    }
    AhoCorasick::builder().match_kind(kind).build(needles).ok()
}

fn lowercase(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// Lowercases `text`, turns each run of white space into one space and
/// trims it.
fn normalize_words(text: &str) -> String {
    let mut normalized = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !normalized.is_empty() {
            normalized.push(' ');
        }
        normalized.extend(word.chars().flat_map(char::to_lowercase));
    }
    normalized
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_collapses_space() {
        assert_eq!(normalize_words("  Free\t\n MONEY  "), "free money");
    }

    #[test]
    fn empty_entries_are_dropped() {
        assert!(!WordList::new(["", "  "]).contains("anything"));
        assert!(!BlockList::new([" "]).contains("anything", false));
    }
}
