//! Parser of personal rule files (grammar/user.pest).

use crate::ast::user::UserRules;
use crate::diag::Diagnostic;
use crate::limits::Limits;
use crate::span::{FileId, SourceFile};

/// Parses one personal rule file.
pub fn parse(file: FileId, source: &SourceFile, limits: &Limits) -> (UserRules, Vec<Diagnostic>) {
    let _ = (file, source, limits);
    todo!("user parser")
}
