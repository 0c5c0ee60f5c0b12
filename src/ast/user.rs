//! AST of personal rule files (`users/NAME.rules`).
//!
//! NOTE: placeholder until the user-tier grammar lands.

use serde::Serialize;

/// A parsed personal rule file.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct UserRules {}
