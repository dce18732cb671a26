//! CLI tests: `diff`.
