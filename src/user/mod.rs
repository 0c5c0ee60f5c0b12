//! Personal rules: compilation and evaluation of the user tier.
//!
//! A user's rule file goes through [`crate::syntax::user::parse`] and
//! [`crate::check::user::check`], then [`compile`] turns the checked AST
//! into a [`UserProgram`]: a flat list of [`Op`]s with forward jumps only,
//! plus tables of text tests and actions. [`run`] applies a program to one
//! message after the server tier, reading the spam level, band and tests
//! from a [`ServerView`], and returns the actions in the order they ran.
//!
//! User rules are untrusted. A run is bounded by the program's length
//! because jumps only go forward, and by `max_instructions` and
//! `max_user_actions`. Text matching takes linear time, and nothing in a
//! run touches files or another user's state.
//!
//! # Examples
//!
//! ```
//! use rulec::config::Band;
//! use rulec::limits::Limits;
//! use rulec::message::{Envelope, Message};
//! use rulec::span::{FileId, SourceFile};
//! use rulec::user::{self, ServerView};
//! use rulec::verdict::UserAction;
//!
//! let limits = Limits::default();
//! let source = SourceFile::new(
//!     "alice.rules",
//!     "rule \"Never from this spammer\"\n  if from is \"spammer@spam.com\"\n  then delete silently\n",
//! );
//! let (program, diagnostics) = user::build(FileId(0), &source, &limits);
//! assert!(diagnostics.is_empty());
//!
//! let raw = b"From: Spammer <SPAMMER@spam.com>\r\nSubject: hi\r\n\r\nbuy\r\n";
//! let message = Message::parse(raw, Envelope::default(), &limits);
//! let server = ServerView { level: 0, band: Band::None, tests: vec![] };
//! let outcome = user::run(&program.unwrap(), &message, &server, &limits);
//! assert_eq!(outcome.actions, vec![UserAction::DeleteSilently]);
//! ```

mod compile;
mod fields;
mod matcher;
mod program;
mod run;

pub use compile::{band_rank, compile, CompileError};
pub use program::{
    ActionEntry, NumberField, NumberOp, Op, RuleInfo, TextMatch, TextSource, TextTest, UserProgram,
    FORMAT_VERSION,
};
pub use run::{run, run_with, FiredRule, RunOptions, ServerView, UserOutcome};

use crate::diag::{Diagnostic, Severity};
use crate::limits::Limits;
use crate::span::{FileId, SourceFile};

/// Parses, checks and compiles one user's rule file.
///
/// Returns the program when there is no error (warnings allowed), and
/// every diagnostic in source order.
pub fn build(
    file: FileId,
    source: &SourceFile,
    limits: &Limits,
) -> (Option<UserProgram>, Vec<Diagnostic>) {
    let (rules, mut diagnostics) = crate::syntax::user::parse(file, source, limits);
    diagnostics.extend(crate::check::user::check(&rules, limits));
    crate::diag::sort(&mut diagnostics);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return (None, diagnostics);
    }
    // The checker accepted the rules, so compilation should not fail. A
    // failure here is a gap in the checker, reported rather than hidden.
    match compile(&rules, limits) {
        Ok(program) => (Some(program), diagnostics),
        Err(error) => {
            diagnostics.push(Diagnostic::error(
                crate::diag::codes::SYNTAX,
                rules.span,
                format!("internal error: {}", error.message),
            ));
            (None, diagnostics)
        }
    }
}
