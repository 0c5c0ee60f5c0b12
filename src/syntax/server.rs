//! Parser of `rules.mailrules` (grammar/mailrules.pest).

use crate::ast::server::MailRules;
use crate::diag::Diagnostic;
use crate::limits::Limits;
use crate::span::{FileId, SourceFile};

/// Parses a whole `rules.mailrules` file.
pub fn parse(file: FileId, source: &SourceFile, limits: &Limits) -> (MailRules, Vec<Diagnostic>) {
    let _ = (file, source, limits);
    todo!("server parser")
}
