//! Integration tests over the built `transmittal` binary: exit codes, stdout/stderr, files.
//!
//! One test binary (`cargo test --test cli`), one module per command family.

// Tables of (name, edit function) cases read better inline than behind type aliases.
#![allow(clippy::type_complexity)]

mod common;
// The test PKI and TSA (openssl at test time), shared with the library's integration tests.
#[path = "../support/pki.rs"]
mod pki;
#[path = "../support/tsa.rs"]
#[allow(dead_code)]
mod tsa;

mod attacks;
mod audit;
mod bounds;
mod certificates;
mod concurrency;
mod diff;
mod ecosystem;
mod hostile;
mod man_pages;
mod nothing_lost;
mod schemas;
mod sign;
mod timestamps;
mod trust_store;
mod valid_means;
mod verify;
