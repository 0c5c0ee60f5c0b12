//! Parser of the list documents (grammar/lists.pest).

use crate::ast::lists::{ListDocument, ListKind};
use crate::diag::Diagnostic;
use crate::limits::Limits;
use crate::span::{FileId, SourceFile};

/// Parses one list document.
pub fn parse(
    kind: ListKind,
    file: FileId,
    source: &SourceFile,
    limits: &Limits,
) -> (ListDocument, Vec<Diagnostic>) {
    let _ = (kind, file, source, limits);
    todo!("list parser")
}
