//! Organisation certificates: the path from a signatory's certificate to a trusted root, and the
//! revocation of each certificate on it (docs/FORMAT.md §8.4, docs/SECURITY.md "Certified keys").

use thiserror::Error;

/// Why a CRL revoked a certificate (RFC 5280 §5.3.1), as far as the verdict cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrlReason {
    /// `keyCompromise` or `cACompromise`: whoever holds the key may have signed anything since.
    KeyCompromise,
    /// Any other reason, or none.
    Other,
}

/// One revoked certificate on the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRevocation {
    /// The revoked certificate's subject (RFC 4514).
    pub subject: String,
    /// `revocationDate`, seconds since the Unix epoch.
    pub revoked_at: i64,
    /// The reason.
    pub reason: CrlReason,
}

/// A signatory's certificate validated up to a trusted root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certified {
    /// The Ed25519 public key the certificate certifies.
    pub public_key: [u8; 32],
    /// Subject common name: the signatory's name.
    pub name: String,
    /// Subject `title` (2.5.4.12), if any.
    pub title: Option<String>,
    /// Subject organisation (`O`), if any.
    pub organisation: Option<String>,
    /// Subjects on the path, the signatory's certificate first, the root last (RFC 4514).
    pub chain: Vec<String>,
    /// The root's subject.
    pub root: String,
    /// The signatory's certificate's validity, seconds since the Unix epoch.
    pub not_before: i64,
    /// See `not_before`.
    pub not_after: i64,
    /// Revocations found in the CRLs for certificates on the path (the verdict decides by time).
    pub revocations: Vec<PathRevocation>,
}

/// Why a certificate does not vouch for a signatory. Each variant is its own problem code.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PathError {
    /// A certificate or CRL that is not valid DER X.509.
    #[error("not a valid certificate: {0}")]
    Malformed(String),
    /// The certificate's key is not the Ed25519 key that made the signature.
    #[error("the certificate certifies another key")]
    KeyMismatch,
    /// No path to a root in the trust store's `roots/` folder.
    #[error("the certificate does not chain to a trusted root: {0}")]
    UnknownRoot(String),
    /// Not valid at the signing time (expired).
    #[error("the certificate had expired at the signing time: {0}")]
    Expired(String),
    /// Not valid yet at the signing time.
    #[error("the certificate was not yet valid at the signing time: {0}")]
    NotYetValid(String),
    /// Key usage without `digitalSignature`, or no `id-kp-documentSigning` extended key usage.
    #[error("the certificate is not for signing documents: {0}")]
    WrongUsage(String),
    /// A path longer than a CA's `pathLenConstraint` allows, or a CA that is not a CA.
    #[error("the certificate path breaks a basic constraint: {0}")]
    Constraints(String),
    /// A name outside a CA's name constraints.
    #[error("the certificate's name is outside its issuer's name constraints: {0}")]
    NameConstraints(String),
    /// Any other broken path: a bad signature, an issuer that does not match.
    #[error("the certificate path is invalid: {0}")]
    BadPath(String),
    /// A CRL for a certificate on the path is past its `nextUpdate`.
    #[error("the CRL of {0} is out of date (its nextUpdate has passed)")]
    StaleCrl(String),
    /// A CRL whose signature does not verify with its issuer's key.
    #[error("a CRL does not verify: {0}")]
    BadCrl(String),
}

/// What path validation needs besides the certificates.
#[derive(Debug, Clone, Copy)]
pub struct PathOptions {
    /// The time the certificate must be valid at (the proven time, else the claimed signing day
    /// at 12:00 UTC), seconds since the Unix epoch.
    pub at: i64,
    /// The verification time, for CRL freshness; `None` skips that check.
    pub now: Option<i64>,
    /// Accept CRLs past their `nextUpdate`.
    pub allow_stale_crl: bool,
}

/// Validates `chain` (DER certificates, the signatory's first, then intermediates) for
/// `public_key` up to one of `roots` (DER), checking `crls` (DER) for every certificate on it.
pub fn validate(
    chain: &[Vec<u8>],
    public_key: &[u8; 32],
    roots: &[Vec<u8>],
    crls: &[Vec<u8>],
    options: PathOptions,
) -> Result<Certified, PathError> {
    let _ = (chain, public_key, roots, crls, options);
    Err(PathError::Malformed("not implemented yet".into()))
}
