//! Parser of personal rule files (grammar/user.pest).
