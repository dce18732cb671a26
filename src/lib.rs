//! `transmittal`: hash, sign and verify the layers of official transmittal chains.
//!
//! A transmittal chain is a cover letter that transmits a letter that encloses a report. Each
//! signatory vouches for their own letter and everything beneath it. This library canonicalizes the
//! text ([`canonical`]), hashes each layer into a Merkle root ([`merkle`]) and a chain digest
//! ([`chain`]), records and checks Ed25519 signatures in a signature file ([`sigfile`]), and
//! verifies a document layer by layer ([`verify`]).
//!
//! The library never prints and never exits; the `transmittal` binary renders its results.
//!
//! Layering rule (docs/FORMAT.md §1, §9): [`canonical`], [`merkle`], [`chain`] and [`sigfile`] define what is
//! hashed and signed and never use [`parser`], whose heuristics only *propose* boundaries to `sign`
//! and `inspect`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Input paths never unwrap, expect or panic (docs/SECURITY.md, "Memory bounds"); only tests may.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod align;
pub mod audit;
pub mod canonical;
pub mod chain;
pub mod codes;
pub mod crypto;
pub mod dates;
pub mod diff;
pub mod digest;
pub mod error;
pub mod fsutil;
pub mod header;
pub mod hidden;
pub mod identity;
pub mod inspect;
pub mod keys;
pub mod merkle;
pub mod parser;
pub mod passphrase;
pub mod render;
pub mod schema;
pub mod show;
pub mod sigfile;
pub mod sign;
pub mod trust;
pub mod verify;

pub use error::{Error, Result};
