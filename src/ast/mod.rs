//! Abstract syntax trees of the rule-set files.
//!
//! Every node keeps the [`Span`](crate::span::Span) it was parsed from, so
//! the checker, the compiler and `--explain` can point back at source lines.

pub mod lists;
pub mod server;
pub mod user;
