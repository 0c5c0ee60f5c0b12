//! Read-only view of one message over mail-parser, decoded lazily.
