//! The checker: every problem of a whole rule set in one run.

pub mod server;
pub mod user;
