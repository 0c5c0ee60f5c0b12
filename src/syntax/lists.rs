//! Parser of the list documents (grammar/lists.pest).
