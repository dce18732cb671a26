//! CLI tests: nothing_lost.
