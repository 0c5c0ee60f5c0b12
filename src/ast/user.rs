//! AST of personal rule files (`users/NAME.rules`).
