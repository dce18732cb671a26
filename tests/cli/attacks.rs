//! CLI tests: attacks.
