//! The format: exactly what is hashed and signed (docs/FORMAT.md). This layer never uses the
//! parser, the trust store or key management: a second implementation needs only these modules
//! and FORMAT.md.

pub mod canonical;
pub mod chain;
pub mod dates;
pub mod keyid;
pub mod merkle;
pub mod sigfile;
