//! Parsing: source text to AST, one pest grammar per file kind.

pub mod lists;
pub mod server;
pub mod user;
