//! Checks of personal rule files.
