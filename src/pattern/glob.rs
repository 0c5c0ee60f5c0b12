//! Quoted patterns (`"text"`) and file-name globs.
//!
//! A quoted pattern without `*` or `?` is a case-insensitive substring
//! test. With wildcards it is a case-insensitive glob over the whole
//! value: `*` matches any run of characters (line breaks included) and `?`
//! exactly one character. Every other character stands for itself;
//! there are no bracket expressions and no escapes.

use super::Mapped;

/// Translates the text of a quoted pattern condition.
///
/// ```text
/// "Mass Mail"    → (?i)Mass Mail            substring
/// "*Mass Mail*"  → (?i)Mass Mail            contains, the same test
/// "Re: ?"        → (?is)\ARe: .\z           the whole value
/// ```
pub fn translate_simple(text: &str) -> Mapped {
    if text.contains(['*', '?']) {
        translate_glob(text)
    } else {
        let mut mapped = Mapped::default();
        mapped.push("(?i)", 0);
        push_literals(&mut mapped, text, 0);
        mapped
    }
}

/// Translates a glob that must match the whole value. A leading or
/// trailing `*` drops the anchor on its side instead of adding `.*`, which
/// means the same and gives the prefilter a literal to work with.
///
/// ```text
/// *.exe       → (?is)\.exe\z
/// virus.exe   → (?is)\Avirus\.exe\z
/// APPL:????   → (?is)\AAPPL:....\z
/// ```
pub fn translate_glob(text: &str) -> Mapped {
    let body_start = text.len() - text.trim_start_matches('*').len();
    let body_end = text.trim_end_matches('*').len().max(body_start);
    let body = &text[body_start..body_end];

    let mut mapped = Mapped::default();
    mapped.push("(?is)", 0);
    if !text.starts_with('*') {
        mapped.push(r"\A", 0);
    }
    let mut previous_star = false;
    for (offset, c) in body.char_indices() {
        let origin = body_start + offset;
        match c {
            // A run of stars means the same as one star.
            '*' if previous_star => {}
            '*' => mapped.push(".*", origin),
            '?' => mapped.push(".", origin),
            _ => mapped.push_literal(c, origin),
        }
        previous_star = c == '*';
    }
    if !text.ends_with('*') {
        mapped.push(r"\z", text.len());
    }
    mapped
}

fn push_literals(mapped: &mut Mapped, text: &str, base: usize) {
    for (offset, c) in text.char_indices() {
        mapped.push_literal(c, base + offset);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_is_escaped() {
        assert_eq!(translate_simple("a.b (c)").regex, r"(?i)a\.b \(c\)");
    }

    #[test]
    fn contains_glob_drops_anchors() {
        assert_eq!(translate_simple("*Mass Mail*").regex, "(?is)Mass Mail");
    }

    #[test]
    fn whole_glob_is_anchored() {
        assert_eq!(translate_glob("virus.exe").regex, r"(?is)\Avirus\.exe\z");
        assert_eq!(translate_glob("APPL:????").regex, r"(?is)\AAPPL:....\z");
        assert_eq!(translate_glob("*.exe").regex, r"(?is)\.exe\z");
    }

    #[test]
    fn star_runs_collapse() {
        assert_eq!(translate_glob("a**b").regex, r"(?is)\Aa.*b\z");
        assert_eq!(translate_glob("***").regex, "(?is)");
    }
}
