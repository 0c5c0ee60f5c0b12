//! "Did you mean" suggestions by edit distance.

/// Names longer than this are never compared: the distance costs
/// `O(len * len)` and no real name is this long.
const MAX_COMPARED_CHARS: usize = 64;

/// Returns the candidate closest to `name`, ignoring ASCII case, when it is
/// close enough to be a likely misspelling: at most one edit for short
/// names and about one edit per three characters for longer ones.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let name = name.to_ascii_lowercase();
    if name.is_empty() || name.chars().count() > MAX_COMPARED_CHARS {
        return None;
    }
    let allowed = (name.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate.chars().count() > MAX_COMPARED_CHARS {
            continue;
        }
        let distance = edit_distance(&name, &candidate.to_ascii_lowercase());
        if distance == 0 || distance > allowed {
            continue;
        }
        if best.is_none_or(|(best_distance, _)| distance < best_distance) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters: insertions, deletions and
/// substitutions each cost one.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, a_char) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, &b_char) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(a_char != b_char);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(edit_distance("inwordlst", "inwordlist"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn closest_ignores_case_and_far_names() {
        let names = ["IsTrustedIP", "inwordlist", "len"];
        assert_eq!(closest("istrustedpi", names), Some("IsTrustedIP"));
        assert_eq!(closest("INWORDLST", names), Some("inwordlist"));
        assert_eq!(closest("frobnicate", names), None);
    }

    #[test]
    fn exact_match_is_no_suggestion() {
        assert_eq!(closest("len", ["len"]), None);
    }
}
