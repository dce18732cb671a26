//! CLI tests: `audit`.
