//! The pest parser generated from `grammar/mailrules.pest`.

use pest_derive::Parser;

/// Parses one rule line; start at [`Rule::rule_line`].
#[derive(Parser)]
#[grammar = "../grammar/mailrules.pest"]
pub(super) struct MailRulesParser;
