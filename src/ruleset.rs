//! Loading a rule-set directory: every file read, decoded and parsed.
