//! RFC 3161 time-stamp tokens: requests, responses, and the check of a token over a transmittal
//! signature (docs/FORMAT.md §7.4, docs/SECURITY.md "Trusted time").
//!
//! A token proves that a time-stamping authority (TSA) saw a message imprint at `genTime`. Here
//! the imprint is SHA-256 of the 64 bytes of one Ed25519 signature, so a valid token proves that
//! signature existed at that time. Everything is decoded with the RustCrypto `der`, `cms`,
//! `x509-cert` and `x509-tsp` crates and the TSA's certificate path is validated by
//! `rustls-webpki` ([`crate::pkix`]).

use thiserror::Error;

/// What a valid token proves, and who said so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvenTime {
    /// `genTime`, as seconds since the Unix epoch (UTC).
    pub gen_time: i64,
    /// `genTime` as RFC 3339 UTC with seconds, e.g. `2024-01-02T03:04:05Z`.
    pub gen_time_rfc3339: String,
    /// The TSA certificate's subject, as RFC 4514 text.
    pub tsa: String,
    /// The subject of the trusted root the TSA certificate chains to.
    pub root: String,
    /// The token's serial number, lowercase hex.
    pub serial: String,
    /// The TSA policy OID, dotted.
    pub policy: String,
}

/// Why a token proves nothing. Each variant is its own problem code in reports.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum TimestampError {
    /// Not a DER `TimeStampToken` (CMS SignedData over a TSTInfo), or fields out of range.
    #[error("not a valid time-stamp token: {0}")]
    Malformed(String),
    /// A response whose status is not granted (or grantedWithMods).
    #[error("the TSA did not grant the request: {0}")]
    NotGranted(String),
    /// The CMS signature over the signed attributes does not verify with the TSA certificate.
    #[error("the TSA's signature on the token does not verify")]
    BadSignature,
    /// The `messageDigest` attribute is not the digest of the encapsulated TSTInfo.
    #[error("the token's messageDigest is not the digest of its TSTInfo")]
    DigestMismatch,
    /// No ESSCertID / ESSCertIDv2 attribute naming the certificate that signed.
    #[error("the token's ESSCertIDv2 does not name the certificate that signed it: {0}")]
    CertIdMismatch(String),
    /// The message imprint is not SHA-256 of this signature.
    #[error("the token's message imprint is not SHA-256 of this signature")]
    ImprintMismatch,
    /// The nonce of a response differs from the request's.
    #[error("the response's nonce is not the request's")]
    NonceMismatch,
    /// The TSA certificate does not chain to a root in the trust store's `tsa/` folder.
    #[error("the TSA certificate does not chain to a trusted TSA root: {0}")]
    Untrusted(String),
    /// The TSA certificate lacks a critical `timeStamping` extended key usage.
    #[error("the TSA certificate is not for time stamping (no critical timeStamping extended key usage)")]
    NotForTimestamping,
    /// The TSA certificate (or one above it) was not valid at `genTime`.
    #[error("the TSA certificate was not valid at the token's time: {0}")]
    CertNotValidAtTime(String),
    /// The chain is broken otherwise (signature, issuer, constraints).
    #[error("the TSA certificate path is invalid: {0}")]
    BadPath(String),
}

/// The longest token accepted, in bytes.
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;

/// Checks `token` (DER `TimeStampToken`) as proof that the data whose SHA-256 is `imprint`
/// existed at its `genTime`, for a TSA chaining to one of `tsa_roots` (DER certificates).
pub fn verify_token(
    token: &[u8],
    imprint: &[u8; 32],
    tsa_roots: &[Vec<u8>],
) -> Result<ProvenTime, TimestampError> {
    let _ = (token, imprint, tsa_roots);
    Err(TimestampError::Malformed("not implemented yet".into()))
}

/// A DER `TimeStampReq` for `imprint` (SHA-256) with `nonce`, `certReq` true.
pub fn build_request(imprint: &[u8; 32], nonce: &[u8; 16]) -> Vec<u8> {
    let _ = (imprint, nonce);
    Vec::new()
}

/// The token of a DER `TimeStampResp` to a request with `imprint` and `nonce`: status granted,
/// the same imprint, the same nonce. (Its signature and path are [`verify_token`]'s.)
pub fn token_from_response(
    response: &[u8],
    imprint: &[u8; 32],
    nonce: Option<&[u8; 16]>,
) -> Result<Vec<u8>, TimestampError> {
    let _ = (response, imprint, nonce);
    Err(TimestampError::Malformed("not implemented yet".into()))
}

/// A token given by the user: either a DER `TimeStampResp` (what `openssl ts -reply` writes;
/// its status must be granted) or a bare DER `TimeStampToken`. Returns the token.
pub fn token_from_file_bytes(bytes: &[u8]) -> Result<Vec<u8>, TimestampError> {
    let _ = bytes;
    Err(TimestampError::Malformed("not implemented yet".into()))
}
