//! rulec: a compiler and evaluator for mail-filtering rules.
//!
//! Rule sets in the style of FirstClass Internet Services
//! (`rules.mailrules`, `rules.subjectblock`, `lists.*`,
//! `rules.attachmentblock`) and personal rule files are parsed to an AST
//! ([`syntax`], [`ast`]), checked ([`check`]), compiled to a [`program`]
//! and run on messages ([`message`], [`vm`], [`user`]), giving a
//! [`verdict`] per message. The library never prints and touches the file
//! system only in [`ruleset`] and [`input`].

pub mod ast;
pub mod check;
pub mod compile;
pub mod config;
pub mod diag;
pub mod input;
pub mod limits;
pub mod message;
pub mod pattern;
pub mod program;
pub mod ruleset;
pub mod span;
pub mod syntax;
pub mod user;
pub mod verdict;
pub mod vm;
