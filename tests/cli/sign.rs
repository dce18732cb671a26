//! CLI tests: `sign`.
