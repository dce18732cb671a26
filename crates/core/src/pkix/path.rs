//! Organisation certificates: the path from a signatory's certificate to a trusted root, and the
//! revocation of each certificate on it (docs/FORMAT.md §8.4, docs/SECURITY.md "Certified keys").

use std::time::Duration;

use der::Decode;
use rustls_pki_types::{CertificateDer, TrustAnchor, UnixTime};
use thiserror::Error;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage};
use x509_cert::Certificate;

use crate::pkix::crl;
use crate::pkix::name::{self, COMMON_NAME, ORGANIZATION, TITLE};

/// Why a CRL revoked a certificate (RFC 5280 §5.3.1), as far as the verdict cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrlReason {
    /// `keyCompromise`, `cACompromise` or `aACompromise`: whoever holds the key may have signed
    /// anything since, with any date.
    KeyCompromise,
    /// `superseded` or `cessationOfOperation`: the key was retired, not stolen.
    Superseded,
    /// No reason code, `unspecified`, `affiliationChanged`, `certificateHold`,
    /// `privilegeWithdrawn` or any other value: nothing says the key was safe.
    Other,
}

impl CrlReason {
    /// The class of a `reasonCode` value (`None`: no reason code), and its name for messages
    /// (e.g. "keyCompromise", "unspecified", "no reason given").
    pub fn from_code(code: Option<u32>) -> (CrlReason, String) {
        let (class, text) = match code {
            None => (CrlReason::Other, "no reason given"),
            Some(0) => (CrlReason::Other, "unspecified"),
            Some(1) => (CrlReason::KeyCompromise, "keyCompromise"),
            Some(2) => (CrlReason::KeyCompromise, "cACompromise"),
            Some(3) => (CrlReason::Other, "affiliationChanged"),
            Some(4) => (CrlReason::Superseded, "superseded"),
            Some(5) => (CrlReason::Superseded, "cessationOfOperation"),
            Some(6) => (CrlReason::Other, "certificateHold"),
            Some(9) => (CrlReason::Other, "privilegeWithdrawn"),
            Some(10) => (CrlReason::KeyCompromise, "aACompromise"),
            Some(n) => return (CrlReason::Other, format!("reason code {n}")),
        };
        (class, text.to_owned())
    }
}

/// One revoked certificate on the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRevocation {
    /// The revoked certificate's subject (RFC 4514).
    pub subject: String,
    /// The earlier of the entry's `revocationDate` and its `invalidityDate` (if any), seconds
    /// since the Unix epoch.
    pub revoked_at: i64,
    /// The reason's class.
    pub reason: CrlReason,
    /// The reason as the CRL gives it, e.g. "keyCompromise", "unspecified", "no reason given".
    pub reason_text: String,
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

/// A certificate described for `keys import --x509` and listings (nothing validated but its
/// encoding and its text fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    /// The subject (RFC 4514).
    pub subject: String,
    /// The issuer (RFC 4514).
    pub issuer: String,
    /// Subject common name, if any.
    pub name: Option<String>,
    /// Subject `title` (2.5.4.12), if any.
    pub title: Option<String>,
    /// Subject organisation (`O`), if any.
    pub organisation: Option<String>,
    /// `notBefore`, seconds since the Unix epoch.
    pub not_before: i64,
    /// `notAfter`, seconds since the Unix epoch.
    pub not_after: i64,
    /// The certified key, if it is an Ed25519 key (RFC 8410).
    pub public_key: Option<[u8; 32]>,
    /// Whether basic constraints say it is a CA.
    pub is_ca: bool,
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

/// At most this many certificates in a signature file's chain (the signatory's and intermediates).
pub const MAX_CHAIN: usize = 8;
/// At most this many bytes per certificate (DER).
pub const MAX_CERT_BYTES: usize = 64 * 1024;
/// At most this many bytes per CRL (DER).
pub const MAX_CRL_BYTES: usize = 16 * 1024 * 1024;
/// At most this many PEM blocks in one file (a bundle of roots or CRLs).
pub const MAX_PEM_BLOCKS: usize = 1024;

/// `id-kp-documentSigning` (1.3.6.1.5.5.7.3.36, RFC 9336), the DER of the OID's value.
pub const DOCUMENT_SIGNING: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x24];
/// `id-kp-documentSigning` as an object identifier.
pub const DOCUMENT_SIGNING_OID: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.36");
/// `id-Ed25519` (1.3.101.112, RFC 8410).
pub const ED25519_OID: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.3.101.112");
const EXT_KEY_USAGE: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("2.5.29.37");
const BASIC_CONSTRAINTS: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("2.5.29.19");

/// Validates `chain` (DER certificates, the signatory's first, then intermediates) for
/// `public_key` up to one of `roots` (DER), checking `crls` (DER) for every certificate on it.
///
/// The path is rustls-webpki's: signatures, validity at `options.at` for every certificate,
/// basic constraints and path lengths, name constraints, and extended key usage (a CA that lists
/// extended key usages must list `id-kp-documentSigning`; the signatory's certificate must have
/// it). The signatory's key usage, if present, must include `digitalSignature`.
///
/// Revocation is reported, not judged: [`Certified::revocations`] lists every certificate on the
/// path (the root excepted) that a CRL from its issuer lists, with the date and the reason; the
/// caller compares them with the signing time. A CRL is its issuer's when its issuer name is the
/// certificate's issuer name as RFC 5280 §7.1 compares names ([`name::same_name`]) and its
/// signature verifies with the issuer's key. Every entry of every such CRL counts, fresh or past
/// its `nextUpdate`. A certificate that none lists is not revoked when one of them is fresh
/// (`nextUpdate` not before `options.now`, or none; or `options.now` is `None`, or
/// `options.allow_stale_crl`); when all of them are stale it is [`PathError::StaleCrl`]; when a
/// CRL in the issuer's name does not verify and no CRL of the issuer answers,
/// [`PathError::BadCrl`]. An issuer without a CRL gives no information. CRLs from issuers that
/// are not on the path are ignored. (Errors win over revocations found for other certificates
/// on the path.)
///
/// Limits: at most [`MAX_CHAIN`] certificates of at most [`MAX_CERT_BYTES`] each, CRLs of at most
/// [`MAX_CRL_BYTES`]. webpki does not implement `directoryName` name constraints: it rejects every
/// path through a CA that has them ([`PathError::NameConstraints`]), inside the subtree or not.
/// A CRL in the name of a CA on the path that does not verify with that CA's key is refused
/// ([`PathError::BadCrl`]) unless another CRL of that CA answers, even if it is an old CRL from
/// before the CA changed keys.
pub fn validate(
    chain: &[Vec<u8>],
    public_key: &[u8; 32],
    roots: &[Vec<u8>],
    crls: &[Vec<u8>],
    options: PathOptions,
) -> Result<Certified, PathError> {
    if chain.is_empty() {
        return Err(PathError::Malformed("no certificate".into()));
    }
    if chain.len() > MAX_CHAIN {
        return Err(PathError::BadPath(format!(
            "{} certificates, more than {MAX_CHAIN}",
            chain.len()
        )));
    }
    let parsed: Vec<Certificate> = chain
        .iter()
        .map(|c| parse_certificate(c))
        .collect::<Result<_, _>>()?;
    let leaf = &parsed[0];
    if ed25519_key(leaf).as_ref() != Some(public_key) {
        return Err(PathError::KeyMismatch);
    }
    let root_certs: Vec<Certificate> = roots
        .iter()
        .map(|c| parse_certificate(c))
        .collect::<Result<_, _>>()?;
    let crls: Vec<crl::Crl<'_>> = crls
        .iter()
        .map(|c| {
            if c.len() > MAX_CRL_BYTES {
                return Err(PathError::Malformed(format!(
                    "a CRL of {} bytes, more than {MAX_CRL_BYTES}",
                    c.len()
                )));
            }
            crl::parse(c).map_err(PathError::Malformed)
        })
        .collect::<Result<_, _>>()?;

    // The path, by webpki.
    let root_ders: Vec<CertificateDer<'_>> = roots
        .iter()
        .map(|r| CertificateDer::from(r.as_slice()))
        .collect();
    let anchors: Vec<TrustAnchor<'_>> = root_ders
        .iter()
        .map(|r| {
            webpki::anchor_from_trusted_cert(r)
                .map_err(|e| PathError::Malformed(format!("a trusted root: {e:?}")))
        })
        .collect::<Result<_, _>>()?;
    let leaf_der = CertificateDer::from(chain[0].as_slice());
    let end_entity = webpki::EndEntityCert::try_from(&leaf_der)
        .map_err(|e| webpki_error(e, &parsed, &root_certs))?;
    let intermediates: Vec<CertificateDer<'_>> = chain[1..]
        .iter()
        .map(|c| CertificateDer::from(c.as_slice()))
        .collect();
    let at = u64::try_from(options.at)
        .map_err(|_| PathError::BadPath("a validation time before 1970".into()))?;
    let verified = end_entity
        .verify_for_usage(
            crate::pkix::algorithms::ALL,
            &anchors,
            &intermediates,
            UnixTime::since_unix_epoch(Duration::from_secs(at)),
            webpki::KeyUsage::required_if_present(DOCUMENT_SIGNING),
            None,
            None,
        )
        .map_err(|e| webpki_error(e, &parsed, &root_certs))?;

    // webpki lets a signatory's certificate without extended key usage through (that is how it
    // treats CAs, which rarely list any); the signatory's must say documentSigning. webpki does
    // not look at key usage.
    check_leaf_usage(leaf)?;

    // The certificates on the path, signatory first, root last.
    let mut path: Vec<Certificate> = vec![leaf.clone()];
    for cert in verified.intermediate_certificates() {
        path.push(parse_certificate(cert.der().as_ref())?);
    }
    let anchor = verified.anchor();
    let root_index = anchors
        .iter()
        .position(|a| {
            a.subject.as_ref() == anchor.subject.as_ref()
                && a.subject_public_key_info.as_ref() == anchor.subject_public_key_info.as_ref()
        })
        .ok_or_else(|| PathError::BadPath("the path's root is not among the roots".into()))?;
    path.push(root_certs[root_index].clone());

    let subjects: Vec<String> = path
        .iter()
        .map(|c| name::rfc4514(&c.tbs_certificate.subject))
        .collect();
    let root = subjects.last().cloned().unwrap_or_default();
    let subject = &leaf.tbs_certificate.subject;
    let name = name::attribute(subject, COMMON_NAME, "the common name")
        .map_err(PathError::Malformed)?
        .ok_or_else(|| PathError::Malformed("the subject has no common name".into()))?;
    let title = name::attribute(subject, TITLE, "the title").map_err(PathError::Malformed)?;
    let organisation =
        name::attribute(subject, ORGANIZATION, "the organisation").map_err(PathError::Malformed)?;
    let validity = &leaf.tbs_certificate.validity;
    let not_before = name::unix_seconds(validity.not_before).map_err(PathError::Malformed)?;
    let not_after = name::unix_seconds(validity.not_after).map_err(PathError::Malformed)?;

    let revocations = revocations(&path, &subjects, &crls, options)?;

    Ok(Certified {
        public_key: *public_key,
        name,
        title,
        organisation,
        chain: subjects,
        root,
        not_before,
        not_after,
        revocations,
    })
}

/// The revocations the CRLs list for the certificates on `path` (signatory first, root last).
fn revocations(
    path: &[Certificate],
    subjects: &[String],
    crls: &[crl::Crl<'_>],
    options: PathOptions,
) -> Result<Vec<PathRevocation>, PathError> {
    let mut found: Vec<PathRevocation> = Vec::new();
    for (index, cert) in path.iter().enumerate() {
        let Some(issuer) = path.get(index + 1) else {
            break; // the root: its own word is what the trust store trusts
        };
        let issuer_name = subjects.get(index + 1).cloned().unwrap_or_default();
        let status = revocation_status(cert, issuer, crls, options.now, options.allow_stale_crl)
            .map_err(PathError::Malformed)?;
        match status {
            Revocation::Revoked(listed) => {
                let subject = subjects.get(index).cloned().unwrap_or_default();
                for l in listed {
                    let revocation = PathRevocation {
                        subject: subject.clone(),
                        revoked_at: l.revoked_at,
                        reason: l.reason,
                        reason_text: l.reason_text,
                    };
                    if !found.contains(&revocation) {
                        found.push(revocation);
                    }
                }
            }
            Revocation::NotRevoked | Revocation::NoCrl => {}
            Revocation::Stale => return Err(PathError::StaleCrl(issuer_name)),
            Revocation::BadCrl(why) => {
                return Err(PathError::BadCrl(format!(
                    "the CRL of {issuer_name}: {why}"
                )))
            }
        }
    }
    Ok(found)
}

/// One entry for a certificate in a CRL of its issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Listed {
    /// The earlier of `revocationDate` and `invalidityDate`, seconds since the Unix epoch.
    pub revoked_at: i64,
    /// The reason's class.
    pub reason: CrlReason,
    /// The reason as the CRL gives it.
    pub reason_text: String,
}

/// What the CRLs say about one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Revocation {
    /// Listed in at least one CRL of its issuer that verifies (fresh or not): every entry.
    Revoked(Vec<Listed>),
    /// Listed in none, and a fresh one (or any, when freshness is not checked) says so.
    NotRevoked,
    /// No CRL in the issuer's name.
    NoCrl,
    /// Listed in none, and every CRL of the issuer that verifies is past its `nextUpdate`.
    Stale,
    /// Listed in none that verifies, none answers, and one in the issuer's name does not verify.
    BadCrl(String),
}

/// What `crls` say about `cert`, issued by `issuer` (see [`validate`] for the rules). `now`:
/// the time for freshness (`None`: not checked). Errors: an entry for `cert` that does not decode
/// in a CRL that verifies.
pub(crate) fn revocation_status(
    cert: &Certificate,
    issuer: &Certificate,
    crls: &[crl::Crl<'_>],
    now: Option<i64>,
    allow_stale: bool,
) -> Result<Revocation, String> {
    let issuer_name = &cert.tbs_certificate.issuer;
    let mut listed: Vec<Listed> = Vec::new();
    let mut fresh = false;
    let mut stale = false;
    let mut bad: Option<String> = None;
    for list in crls
        .iter()
        .filter(|c| name::same_name(&c.issuer, issuer_name))
    {
        if let Err(why) = crl::verify_signature(list, issuer) {
            bad.get_or_insert(why);
            continue;
        }
        for entry in crl::find(list, &cert.tbs_certificate.serial_number)? {
            let (reason, reason_text) = CrlReason::from_code(entry.reason);
            let l = Listed {
                revoked_at: entry.earliest()?,
                reason,
                reason_text,
            };
            if !listed.contains(&l) {
                listed.push(l);
            }
        }
        let is_fresh = match (now, list.next_update) {
            (Some(now), Some(next)) => name::unix_seconds(next)? >= now,
            _ => true,
        };
        if is_fresh || allow_stale {
            fresh = true;
        } else {
            stale = true;
        }
    }
    Ok(if !listed.is_empty() {
        Revocation::Revoked(listed)
    } else if fresh {
        Revocation::NotRevoked
    } else if let Some(why) = bad {
        Revocation::BadCrl(why)
    } else if stale {
        Revocation::Stale
    } else {
        Revocation::NoCrl
    })
}

/// The signatory's certificate must name `id-kp-documentSigning`, and a key usage, if any, must
/// include `digitalSignature`.
fn check_leaf_usage(leaf: &Certificate) -> Result<(), PathError> {
    let mut has_eku = false;
    for ext in leaf.tbs_certificate.extensions.iter().flatten() {
        if ext.extn_id == crl::KEY_USAGE {
            let usage = KeyUsage::from_der(ext.extn_value.as_bytes())
                .map_err(|e| PathError::Malformed(format!("key usage: {e}")))?;
            if !usage.digital_signature() {
                return Err(PathError::WrongUsage(
                    "its key usage does not include digitalSignature".into(),
                ));
            }
        } else if ext.extn_id == EXT_KEY_USAGE {
            let usage = ExtendedKeyUsage::from_der(ext.extn_value.as_bytes())
                .map_err(|e| PathError::Malformed(format!("extended key usage: {e}")))?;
            has_eku |= usage.0.contains(&DOCUMENT_SIGNING_OID);
        }
    }
    if has_eku {
        Ok(())
    } else {
        Err(PathError::WrongUsage(
            "it has no id-kp-documentSigning extended key usage".into(),
        ))
    }
}

/// The webpki error as a [`PathError`], with the certificates for a readable message.
fn webpki_error(error: webpki::Error, chain: &[Certificate], roots: &[Certificate]) -> PathError {
    use webpki::Error as E;
    let described = |not_after: Option<u64>, not_before: Option<u64>| -> String {
        let all = chain.iter().chain(roots.iter());
        for cert in all {
            let validity = &cert.tbs_certificate.validity;
            let na = validity.not_after.to_unix_duration().as_secs();
            let nb = validity.not_before.to_unix_duration().as_secs();
            if Some(na) == not_after || Some(nb) == not_before {
                let subject = name::rfc4514(&cert.tbs_certificate.subject);
                return format!(
                    "{subject} is valid from {} to {}",
                    name::rfc3339(i64::try_from(nb).unwrap_or(i64::MAX)),
                    name::rfc3339(i64::try_from(na).unwrap_or(i64::MAX))
                );
            }
        }
        match (not_after, not_before) {
            (Some(t), _) => format!(
                "valid until {}",
                name::rfc3339(i64::try_from(t).unwrap_or(i64::MAX))
            ),
            (_, Some(t)) => format!(
                "valid from {}",
                name::rfc3339(i64::try_from(t).unwrap_or(i64::MAX))
            ),
            _ => String::new(),
        }
    };
    match error {
        E::UnknownIssuer => {
            let top = chain
                .last()
                .map(|c| name::rfc4514(&c.tbs_certificate.issuer))
                .unwrap_or_default();
            PathError::UnknownRoot(format!(
                "the chain ends with a certificate issued by {top}, and no trusted root issued it"
            ))
        }
        E::CertExpired { not_after, .. } => {
            PathError::Expired(described(Some(not_after.as_secs()), None))
        }
        E::CertNotValidYet { not_before, .. } => {
            PathError::NotYetValid(described(None, Some(not_before.as_secs())))
        }
        #[allow(deprecated)]
        E::RequiredEkuNotFound | E::RequiredEkuNotFoundContext(_) | E::EmptyEkuExtension => {
            PathError::WrongUsage(format!(
                "a certificate on the path lists extended key usages without \
                 id-kp-documentSigning ({error:?})"
            ))
        }
        E::PathLenConstraintViolated => PathError::Constraints(
            "a CA issued more CAs below it than its path length allows".into(),
        ),
        E::CaUsedAsEndEntity => {
            PathError::Constraints("the signatory's certificate is a CA certificate".into())
        }
        E::EndEntityUsedAsCa => {
            PathError::Constraints("a certificate that is not a CA issued another".into())
        }
        E::NameConstraintViolation => PathError::NameConstraints(format!("{error:?}")),
        other => PathError::BadPath(format!("{other:?}")),
    }
}

fn parse_certificate(der_bytes: &[u8]) -> Result<Certificate, PathError> {
    if der_bytes.len() > MAX_CERT_BYTES {
        return Err(PathError::Malformed(format!(
            "a certificate of {} bytes, more than {MAX_CERT_BYTES}",
            der_bytes.len()
        )));
    }
    Certificate::from_der(der_bytes).map_err(|e| PathError::Malformed(e.to_string()))
}

/// The certificate's key if it is an Ed25519 key (RFC 8410: no parameters, 32 bytes).
fn ed25519_key(cert: &Certificate) -> Option<[u8; 32]> {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    if spki.algorithm.oid != ED25519_OID || spki.algorithm.parameters.is_some() {
        return None;
    }
    spki.subject_public_key.as_bytes()?.try_into().ok()
}

/// Describes one DER certificate (its encoding and text fields checked, nothing else).
pub fn describe_certificate(der_bytes: &[u8]) -> Result<CertInfo, PathError> {
    let cert = parse_certificate(der_bytes)?;
    let tbs = &cert.tbs_certificate;
    let subject = &tbs.subject;
    let mut is_ca = false;
    for ext in tbs.extensions.iter().flatten() {
        if ext.extn_id == BASIC_CONSTRAINTS {
            let bc = BasicConstraints::from_der(ext.extn_value.as_bytes())
                .map_err(|e| PathError::Malformed(format!("basic constraints: {e}")))?;
            is_ca = bc.ca;
        }
    }
    Ok(CertInfo {
        subject: name::rfc4514(subject),
        issuer: name::rfc4514(&tbs.issuer),
        name: name::attribute(subject, COMMON_NAME, "the common name")
            .map_err(PathError::Malformed)?,
        title: name::attribute(subject, TITLE, "the title").map_err(PathError::Malformed)?,
        organisation: name::attribute(subject, ORGANIZATION, "the organisation")
            .map_err(PathError::Malformed)?,
        not_before: name::unix_seconds(tbs.validity.not_before).map_err(PathError::Malformed)?,
        not_after: name::unix_seconds(tbs.validity.not_after).map_err(PathError::Malformed)?,
        public_key: ed25519_key(&cert),
        is_ca,
    })
}

/// The certificates in `bytes`: one or more PEM `CERTIFICATE` blocks (other blocks are
/// skipped), or a single DER certificate. Each is checked to decode.
pub fn certs_from_pem_or_der(bytes: &[u8]) -> Result<Vec<Vec<u8>>, PathError> {
    let ders = pem_or_der(bytes, "CERTIFICATE", "certificate")?;
    for der_bytes in &ders {
        parse_certificate(der_bytes)?;
    }
    Ok(ders)
}

/// The CRLs in `bytes`: one or more PEM `X509 CRL` blocks (other blocks are skipped), or a single
/// DER CRL. Each is checked to decode.
pub fn crls_from_pem_or_der(bytes: &[u8]) -> Result<Vec<Vec<u8>>, PathError> {
    let ders = pem_or_der(bytes, "X509 CRL", "CRL")?;
    for der_bytes in &ders {
        if der_bytes.len() > MAX_CRL_BYTES {
            return Err(PathError::Malformed(format!(
                "a CRL of {} bytes, more than {MAX_CRL_BYTES}",
                der_bytes.len()
            )));
        }
        crl::parse(der_bytes).map_err(PathError::Malformed)?;
    }
    Ok(ders)
}

/// The DER of each PEM block labelled `label`, or `bytes` itself if it is not PEM.
fn pem_or_der(bytes: &[u8], label: &str, what: &str) -> Result<Vec<Vec<u8>>, PathError> {
    super::pem::der_blobs(bytes, &[label])
        .map_err(|why| PathError::Malformed(format!("{what} file: {why}")))
}
