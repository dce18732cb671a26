//! CLI tests: hostile.
