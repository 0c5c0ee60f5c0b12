//! Parser of `rules.mailrules` (grammar/mailrules.pest).
