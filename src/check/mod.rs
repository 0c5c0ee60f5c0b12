//! The checker: every problem of a whole rule set in one run.
//!
//! [`check`] takes a loaded [`RuleSet`], whose loader already reported
//! unreadable files and syntax errors. It adds what the passes over the
//! ASTs find: unknown names, type mismatches, invalid patterns, misused
//! variables and actions, exceeded limits, and warnings about rules that
//! never run or repeat. It never stops at the first problem.

pub mod actions;
mod expressions;
pub mod flow;
pub mod functions;
pub mod lists;
mod names;
mod patterns;
pub mod server;
pub mod types;
pub mod user;
pub mod variables;

use crate::diag::{self, Diagnostic};
use crate::ruleset::RuleSet;

/// Checks a whole rule set. Returns the loader's diagnostics and those of
/// every pass, sorted by file and position.
pub fn check(set: &RuleSet) -> Vec<Diagnostic> {
    let mut diagnostics = set.diagnostics.clone();
    if let Some(mailrules) = &set.mailrules {
        diagnostics.extend(server::check(set, mailrules.file, &mailrules.ast));
    }
    diagnostics.extend(lists::check(set));
    diagnostics.extend(actions::check_default_reply(set));
    for loaded in set.users.values() {
        diagnostics.extend(user::check(&loaded.ast, &set.config.limits));
    }
    diag::sort(&mut diagnostics);
    diagnostics
}
