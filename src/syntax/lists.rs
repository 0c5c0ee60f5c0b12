//! Parser of the list documents.
