//! CLI tests: `verify`.
