//! [`GlobSet`]: the file-name globs of `rules.attachmentblock`.

use serde::{Deserialize, Serialize};

use super::{glob, regex, PatternError, PatternSet, Translated};
use crate::limits::Limits;

/// Case-insensitive globs, each matched against a whole attachment name:
/// `*` matches any run of characters and `?` exactly one character, and
/// every other character stands for itself.
///
/// Trailing dots and spaces of a name are ignored before matching,
/// because Windows drops them when it saves the file: `invoice.exe.` is
/// blocked by `*.exe`. The same globs match a Mac `TYPE:CREATOR` string
/// (`APPL:????`) when the caller passes one as the name.
///
/// Serialising keeps the globs and their translations; deserialising
/// rebuilds the prefilter as [`PatternSet`] does.
///
/// # Examples
///
/// ```
/// use rulec::limits::Limits;
/// use rulec::pattern::GlobSet;
///
/// let globs = GlobSet::new(["*.exe", "virus.doc", "APPL:????"], &Limits::default()).unwrap();
/// assert_eq!(globs.find("Invoice.EXE. . "), Some("*.exe"));
/// assert_eq!(globs.find("virus.doc"), Some("virus.doc"));
/// assert_eq!(globs.find("my virus.doc"), None);
/// assert_eq!(globs.find("APPL:ttxt"), Some("APPL:????"));
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GlobSet {
    globs: Vec<String>,
    set: PatternSet,
}

impl GlobSet {
    /// Builds the set from the globs, each trimmed of surrounding white
    /// space.
    ///
    /// # Errors
    ///
    /// Fails on the first glob over `max_pattern_bytes`, or whose regex
    /// is over `max_regex_bytes`.
    pub fn new<I, S>(globs: I, limits: &Limits) -> Result<GlobSet, PatternError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let globs: Vec<String> = globs
            .into_iter()
            .map(|glob| glob.into().trim().to_string())
            .collect();
        let translated = globs
            .iter()
            .map(|text| translate(text, limits))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(GlobSet {
            set: PatternSet::new(translated, limits),
            globs,
        })
    }

    /// Returns the first glob, in list order, that matches `name`.
    pub fn find(&self, name: &str) -> Option<&str> {
        let name = name.trim_end_matches(['.', ' ']);
        let first = *self.set.matches(name).first()?;
        self.globs.get(first).map(String::as_str)
    }

    /// Returns true when any glob matches `name`.
    pub fn is_match(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    /// Returns the globs as given, trimmed.
    pub fn globs(&self) -> &[String] {
        &self.globs
    }
}

/// Translates one attachment glob and checks it against the limits, for
/// the checker to report a bad line of `rules.attachmentblock`.
///
/// # Errors
///
/// A glob over `max_pattern_bytes`, or whose regex is over
/// `max_regex_bytes` (E0203).
pub fn translate(text: &str, limits: &Limits) -> Result<Translated, PatternError> {
    if text.len() > limits.max_pattern_bytes {
        return Err(super::too_long(text, limits));
    }
    regex::validate(&glob::translate_glob(text), text, limits)
}
