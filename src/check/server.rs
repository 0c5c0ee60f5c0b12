//! Checks of `rules.mailrules` and the list documents.
