//! Personal rules: compilation and evaluation of the user tier.
