//! X.509 public-key infrastructure: what the time-stamping authorities of RFC 3161 and the
//! organisations' certification authorities sign with, and certificate path validation.
//!
//! Path validation is `rustls-webpki`'s; its signature algorithms are the RustCrypto crates
//! ([`algorithms`]), so the core needs neither ring nor a C compiler and still builds for wasm32.
//!
//! * [`path`]: a signatory's certificate validated up to an organisation's root, with the
//!   revocations the CRLs list for it ([`path::validate`]); PEM/DER readers and
//!   [`path::describe_certificate`].
//! * [`crl`]: CRLs decoded with `x509-cert`, their signatures checked with [`algorithms`].
//! * [`name`]: subject attributes as text, names in RFC 4514 form, times as Unix seconds.

pub mod algorithms;
pub mod crl;
pub mod name;
pub mod path;
pub mod pem;

#[cfg(test)]
mod tests;
