//! CLI tests: ecosystem.
