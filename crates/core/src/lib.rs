//! `transmittal-core`: the pure core of transmittal.
//!
//! Verifying a document is a function from bytes to a report: [`verify::verify`] takes the
//! document's bytes, the signature file's bytes, the trust entries and the verification date, and
//! returns a [`verify::Report`]. Nothing here touches the file system, the environment, a clock,
//! a terminal or (unless the `parallel` feature is on) a thread, so the same verdicts can be
//! computed in a browser (the crate builds for `wasm32-unknown-unknown`).
//!
//! The layers, from the bottom (docs/ARCHITECTURE.md):
//!
//! * [`format`]: what is hashed and signed: the canonical text ([`canonical`]), Merkle roots
//!   ([`merkle`]), the chain and the signed statements ([`chain`]), the signature file
//!   ([`sigfile`]), key ids ([`keyid`]) and dates ([`dates`]). It never uses the parser or the
//!   trust store.
//! * [`crypto`]: strict Ed25519, one signature or a batch with exactly the same answers.
//! * [`parse`]: what the text says: the layer parser's proposals ([`parser`]), the publication
//!   header ([`header`]), text a reader never sees ([`hidden`]) and signatory names ([`identity`]).
//! * [`trust`]: trust entries and an in-memory store of them.
//! * [`verify`]: the checks, the problem codes ([`codes`]) and the report; [`show`] and
//!   [`inspect`] are views of a document built on it.
//! * [`diff`]: two versions of a document, layer by layer and line by line ([`align`]).

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Input paths never unwrap, expect or panic (docs/SECURITY.md, "Memory bounds"); only tests may.
// The core never prints (docs/ARCHITECTURE.md, "The pure core").
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::print_stdout,
        clippy::print_stderr
    )
)]

pub mod crypto;
pub mod diff;
pub mod error;
pub mod format;
pub mod input;
pub mod inspect;
pub mod par;
pub mod parse;
pub mod pkix;
pub mod schema;
pub mod show;
pub mod timestamp;
pub mod trust;
pub mod verify;

pub use diff::align;
pub use error::{Error, Result};
pub use format::{canonical, chain, dates, keyid, merkle, sigfile};
pub use parse::{header, hidden, identity, parser};
pub use verify::codes;
