//! The checker: every problem of a whole rule set in one run.
//!
//! NOTE: placeholder that only returns the loader's diagnostics, until the
//! checker lands.

pub mod server;
pub mod user;

use crate::diag::{self, Diagnostic};
use crate::ruleset::RuleSet;

/// Checks a whole rule set and returns every diagnostic, sorted.
pub fn check(set: &RuleSet) -> Vec<Diagnostic> {
    let mut diagnostics = set.diagnostics.clone();
    diag::sort(&mut diagnostics);
    diagnostics
}
