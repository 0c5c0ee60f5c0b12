//! The list documents of a rule set, compiled to matchers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ast::lists::{ListDocument, ListValue};
use crate::diag::Diagnostic;
use crate::pattern::{BlockList, GlobSet, NetList, WordList};
use crate::ruleset::{Loaded, RuleSet};

/// Matchers over `rules.subjectblock`, `lists.*`, `rules.attachmentblock`
/// and the trust and block documents. `None` where the rule set has no
/// such file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Lists {
    pub subject_block: Option<BlockList>,
    /// Keyed by the lower-case file name (`lists.badwords`).
    pub word_lists: BTreeMap<String, WordList>,
    pub attachment_block: Option<GlobSet>,
    pub trusted: Option<NetList>,
    pub blocked: Option<NetList>,
}

impl Lists {
    /// Builds the matchers of every list document of `set`.
    ///
    /// # Errors
    ///
    /// A diagnostic when `rules.attachmentblock` has a glob that does not
    /// build; the checker reports the same glob first.
    pub fn compile(set: &RuleSet) -> Result<Lists, Vec<Diagnostic>> {
        let attachment_block = match &set.attachment_block {
            None => None,
            Some(doc) => match GlobSet::new(texts(doc), &set.config.limits) {
                Ok(globs) => Some(globs),
                Err(error) => {
                    let span = match doc.ast.entries.first() {
                        Some(entry) => entry.span,
                        None => set.sources.get(doc.file).span(doc.file, 0, 0),
                    };
                    let mut diagnostic = Diagnostic::error(error.code, span, error.message);
                    if let Some(help) = error.help {
                        diagnostic = diagnostic.with_help(help);
                    }
                    return Err(vec![diagnostic]);
                }
            },
        };
        Ok(Lists {
            subject_block: set
                .subject_block
                .as_ref()
                .map(|doc| BlockList::new(texts(doc))),
            word_lists: set
                .word_lists
                .iter()
                .map(|(name, doc)| (name.clone(), WordList::new(texts(doc))))
                .collect(),
            attachment_block,
            trusted: set.trusted.as_ref().map(|doc| NetList::new(values(doc))),
            blocked: set.blocked.as_ref().map(|doc| NetList::new(values(doc))),
        })
    }
}

fn values(document: &Loaded<ListDocument>) -> impl Iterator<Item = &ListValue> {
    document.ast.entries.iter().map(|entry| &entry.value)
}

/// Returns the text entries of a word, phrase or glob document.
fn texts(document: &Loaded<ListDocument>) -> Vec<String> {
    document
        .ast
        .entries
        .iter()
        .filter_map(|entry| match &entry.value {
            ListValue::Text(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}
