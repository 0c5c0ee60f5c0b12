//! Parsing: source text to AST, one pest grammar per file kind.

pub mod lists;
pub mod server;
pub mod user;

mod lines;
mod server_build;
mod server_errors;
mod server_grammar;
