//! `transmittal`: hash, sign and verify the layers of official transmittal chains.
//!
//! A transmittal chain is a cover letter that transmits a letter that encloses a report. Each
//! signatory vouches for their own letter and everything beneath it.
//!
//! This crate is the shell around the pure core ([`transmittal_core`], re-exported here module by
//! module, so `transmittal::verify` is the core's verifier): it reads and writes files
//! ([`fsutil`], [`digest`], the trust store on disk in [`trust`]), holds secret keys ([`keys`]),
//! signs ([`sign`]), audits archives ([`audit`]) and renders reports for people ([`render`]).
//! The layers and their rules: docs/ARCHITECTURE.md.
//!
//! The library never prints, prompts or exits; the `transmittal` binary does.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Input paths never unwrap, expect or panic (docs/SECURITY.md, "Memory bounds"); only tests may.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub use transmittal_core::{
    align, canonical, chain, codes, crypto, error, header, hidden, identity, inspect, keyid,
    merkle, parser, pkix, schema, show, sigfile, verify,
};

/// Comparing two copies of one transmittal: the core's comparison ([`transmittal_core::diff`])
/// and its human rendering ([`render::diff::render`]).
pub mod diff {
    pub use crate::render::diff::render;
    pub use transmittal_core::diff::*;
}
pub use transmittal_core::{Error, Result};

pub mod audit;
pub mod keys;
pub mod render;
pub mod sign;
pub mod timestamps;

pub mod io;

pub use io::store as trust;
pub use io::{digest, fsutil};
pub use keys::passphrase;

/// Calendar dates: the core's ([`transmittal_core::dates`]) and today's date from the clock.
pub mod dates {
    pub use transmittal_core::dates::*;

    /// Today's date in UTC (the shell's clock; the core takes the date as an argument).
    pub fn today() -> Date {
        time::OffsetDateTime::now_utc().date()
    }

    /// Now, in seconds since the Unix epoch (the shell's clock), for CRL freshness.
    pub fn now_unix() -> i64 {
        time::OffsetDateTime::now_utc().unix_timestamp()
    }
}
