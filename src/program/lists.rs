//! The list documents of a rule set, compiled to matchers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ast::lists::{ListDocument, ListValue};
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
    pub fn compile(set: &RuleSet) -> Lists {
        Lists {
            subject_block: set
                .subject_block
                .as_ref()
                .map(|doc| BlockList::new(&texts(doc))),
            word_lists: set
                .word_lists
                .iter()
                .map(|(name, doc)| (name.clone(), WordList::new(&texts(doc))))
                .collect(),
            attachment_block: set
                .attachment_block
                .as_ref()
                .map(|doc| GlobSet::new(&texts(doc))),
            trusted: set.trusted.as_ref().map(|doc| NetList::new(&doc.ast.entries)),
            blocked: set.blocked.as_ref().map(|doc| NetList::new(&doc.ast.entries)),
        }
    }
}

/// The text entries of a word, phrase or glob document.
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
