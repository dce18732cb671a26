//! Integration tests over the built `transmittal` binary: exit codes, stdout/stderr, files.
//!
//! One test binary (`cargo test --test cli`), one module per command family.

mod common;

mod audit;
mod diff;
mod sign;
mod verify;
