//! RFC 3161 time-stamp tokens: requests, responses, and the check of a token over a transmittal
//! signature (docs/FORMAT.md §7.4, docs/SECURITY.md "Trusted time").
//!
//! A token proves that a time-stamping authority (TSA) saw a message imprint at `genTime`. Here
//! the imprint is SHA-256 of the 64 bytes of one Ed25519 signature, so a valid token proves that
//! signature existed at that time. Everything is decoded with the RustCrypto `der`, `cms`,
//! `x509-cert` and `x509-tsp` crates and the TSA's certificate path is validated by
//! `rustls-webpki` ([`crate::pkix`]).

mod asn1;
mod imprint;
mod request;
mod revocation;
pub use imprint::token_covers;
pub use request::{build_request, token_from_file_bytes, token_from_response};
use revocation::{check_revocation, Revocations};
#[cfg(test)]
mod tests;

use asn1::oid;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{Any, Int, ObjectIdentifier, OctetString, Uint};
use der::{Decode, Encode};
use rustls_pki_types::{CertificateDer, SignatureVerificationAlgorithm, UnixTime};
use sha2::Digest;
use thiserror::Error;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::Certificate;
use x509_tsp::{MessageImprint, TimeStampReq, TspVersion};

use crate::pkix::algorithms::{HashAlg, BY_ID};
use crate::pkix::path::{revocation_status, CrlReason, Revocation};
use crate::pkix::{crl, name};

/// What a valid token proves, and who said so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvenTime {
    /// `genTime`, as seconds since the Unix epoch (UTC).
    pub gen_time: i64,
    /// `genTime` as RFC 3339 UTC with seconds, e.g. `2024-01-02T03:04:05Z`.
    pub gen_time_rfc3339: String,
    /// The latest time the token allows, seconds since the Unix epoch: `genTime` (with its
    /// fraction, if any) plus the TSTInfo's `accuracy` (seconds, millis and micros), rounded up
    /// to a whole second; `gen_time` when there is no accuracy and no fraction.
    pub latest: i64,
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
    /// A CRL revokes the TSA certificate (or a CA above it): for keyCompromise, a CA or AA
    /// compromise, or any reason but superseded and cessationOfOperation, whatever the token's
    /// `genTime` (a stolen key can write any); for those two, when `genTime` is at or after the
    /// revocation.
    #[error("the TSA certificate is revoked: {0}")]
    TsaRevoked(String),
    /// The CRLs of an issuer on the TSA's path do not list its certificate, and all are past
    /// their `nextUpdate` (`--allow-stale-crl` accepts them).
    #[error("the CRL of {0} (an issuer on the TSA certificate's path) is out of date (its nextUpdate has passed)")]
    CrlStale(String),
    /// A CRL in the name of an issuer on the TSA's path does not verify (or does not decode),
    /// and no other CRL of that issuer answers.
    #[error("a CRL for the TSA certificate's path does not verify: {0}")]
    BadCrl(String),
}

/// The longest token accepted, in bytes.
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;

/// The longest `TimeStampResp` accepted, in bytes: a token and its status.
pub const MAX_RESPONSE_BYTES: usize = MAX_TOKEN_BYTES + 4 * 1024;

/// The most certificates a token may carry (the TSA's and the CAs above it).
pub const MAX_CERTIFICATES: usize = 8;

/// The most signed attributes a token's signer may have.
const MAX_SIGNED_ATTRIBUTES: usize = 16;

/// The most ESSCertIDs looked at (only the first names the signer; RFC 5035 §5.4).
const MAX_ESS_CERT_IDS: usize = 16;

/// `id-kp-timeStamping` (1.3.6.1.5.5.7.3.8), the value of its DER encoding, for webpki.
const TIME_STAMPING_OID_VALUE: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08];

const ID_KP_TIME_STAMPING: ObjectIdentifier = oid("1.3.6.1.5.5.7.3.8");
const ID_CE_EXT_KEY_USAGE: ObjectIdentifier = oid("2.5.29.37");
const ID_CE_SUBJECT_KEY_IDENTIFIER: ObjectIdentifier = oid("2.5.29.14");
const ID_SIGNED_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.2");
const ID_CT_TST_INFO: ObjectIdentifier = oid("1.2.840.113549.1.9.16.1.4");
const ID_CONTENT_TYPE: ObjectIdentifier = oid("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = oid("1.2.840.113549.1.9.4");
const ID_SIGNING_CERTIFICATE: ObjectIdentifier = oid("1.2.840.113549.1.9.16.2.12");
const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier = oid("1.2.840.113549.1.9.16.2.47");
const ID_SHA256: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.1");
const ID_SHA384: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.2");
const ID_SHA512: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.3");
const RSA_ENCRYPTION: ObjectIdentifier = oid("1.2.840.113549.1.1.1");
const SHA256_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.13");
const ID_EC_PUBLIC_KEY: ObjectIdentifier = oid("1.2.840.10045.2.1");
const ECDSA_WITH_SHA256: ObjectIdentifier = oid("1.2.840.10045.4.3.2");
const ECDSA_WITH_SHA384: ObjectIdentifier = oid("1.2.840.10045.4.3.3");
const ID_ED25519: ObjectIdentifier = oid("1.3.101.112");

fn malformed(what: impl core::fmt::Display) -> TimestampError {
    TimestampError::Malformed(what.to_string())
}

/// The hash of a CMS `digestAlgorithm` (or an ESSCertIDv2's), if it is one of ours.
fn hash_alg(oid: &ObjectIdentifier) -> Option<HashAlg> {
    match *oid {
        ID_SHA256 => Some(HashAlg::Sha256),
        ID_SHA384 => Some(HashAlg::Sha384),
        ID_SHA512 => Some(HashAlg::Sha512),
        _ => None,
    }
}

/// A token decoded: its `SignedData`, its `TSTInfo` and the `TSTInfo`'s DER as signed.
struct Decoded {
    signed_data: SignedData,
    tst_info: asn1::TstInfo,
    econtent: Vec<u8>,
    /// The `SignedData` TLV as sent (`Any` keeps the bytes of its value).
    signed_data_der: Vec<u8>,
}

fn decode_token(token: &[u8]) -> Result<Decoded, TimestampError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(malformed(format!(
            "{} bytes, more than the {MAX_TOKEN_BYTES} accepted",
            token.len()
        )));
    }
    let content_info =
        ContentInfo::from_der(token).map_err(|e| malformed(format!("ContentInfo: {e}")))?;
    if content_info.content_type != ID_SIGNED_DATA {
        return Err(malformed(format!(
            "content type {} is not signedData",
            content_info.content_type
        )));
    }
    let signed_data_der = content_info.content.to_der().map_err(malformed)?;
    let signed_data = content_info
        .content
        .decode_as::<SignedData>()
        .map_err(|e| malformed(format!("SignedData: {e}")))?;
    let encap = &signed_data.encap_content_info;
    if encap.econtent_type != ID_CT_TST_INFO {
        return Err(malformed(format!(
            "encapsulated content type {} is not id-ct-TSTInfo",
            encap.econtent_type
        )));
    }
    let econtent = encap
        .econtent
        .as_ref()
        .ok_or_else(|| malformed("no encapsulated TSTInfo"))?
        .decode_as::<OctetString>()
        .map_err(|e| malformed(format!("eContent: {e}")))?
        .into_bytes();
    let tst_info =
        asn1::TstInfo::from_der(&econtent).map_err(|e| malformed(format!("TSTInfo: {e}")))?;
    Ok(Decoded {
        signed_data,
        tst_info,
        econtent,
        signed_data_der,
    })
}

/// The one value of attribute `oid` among `attrs`, if it is there once with one value.
fn single_attribute(
    attrs: &[x509_cert::attr::Attribute],
    oid: ObjectIdentifier,
) -> Result<Option<&Any>, String> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.oid == oid) {
        if found.is_some() {
            return Err(format!("attribute {oid} is there twice"));
        }
        let mut values = attr.values.iter();
        match (values.next(), values.next()) {
            (Some(value), None) => found = Some(value),
            _ => return Err(format!("attribute {oid} does not have exactly one value")),
        }
    }
    Ok(found)
}

/// Whether `sid` names `cert`.
fn sid_names(sid: &SignerIdentifier, cert: &Certificate) -> bool {
    let tbs = &cert.tbs_certificate;
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => {
            ias.issuer == tbs.issuer && ias.serial_number == tbs.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => tbs
            .extensions
            .iter()
            .flatten()
            .filter(|e| e.extn_id == ID_CE_SUBJECT_KEY_IDENTIFIER)
            .any(|e| OctetString::from_der(e.extn_value.as_bytes()).is_ok_and(|v| v == ski.0)),
    }
}

/// Whether an ESSCertID's `issuerSerial`, when present, names `cert`.
fn issuer_serial_matches(issuer_serial: Option<&asn1::IssuerSerial>, cert: &Certificate) -> bool {
    let Some(is) = issuer_serial else {
        return true;
    };
    let tbs = &cert.tbs_certificate;
    is.serial_number == tbs.serial_number
        && is
            .issuer
            .iter()
            .any(|n| matches!(n, GeneralName::DirectoryName(name) if *name == tbs.issuer))
}

/// The ESSCertIDv2 (or ESSCertID) check: the first certificate identifier is the signer's.
fn check_ess(
    attrs: &[x509_cert::attr::Attribute],
    cert: &Certificate,
    cert_der: &[u8],
) -> Result<(), TimestampError> {
    let mismatch = |what: &str| TimestampError::CertIdMismatch(what.to_string());
    let v2 = single_attribute(attrs, ID_SIGNING_CERTIFICATE_V2).map_err(|e| mismatch(&e))?;
    let v1 = single_attribute(attrs, ID_SIGNING_CERTIFICATE).map_err(|e| mismatch(&e))?;
    if let Some(value) = v2 {
        let sc = value
            .decode_as::<asn1::SigningCertificateV2>()
            .map_err(|e| mismatch(&format!("signingCertificateV2: {e}")))?;
        if sc.certs.len() > MAX_ESS_CERT_IDS {
            return Err(mismatch("too many ESSCertIDv2 entries"));
        }
        let first = sc
            .certs
            .first()
            .ok_or_else(|| mismatch("signingCertificateV2 names no certificate"))?;
        let alg = match &first.hash_algorithm {
            None => HashAlg::Sha256,
            Some(a) => hash_alg(&a.oid)
                .ok_or_else(|| mismatch(&format!("unsupported certHash algorithm {}", a.oid)))?,
        };
        if alg.digest(cert_der) != first.cert_hash.as_bytes() {
            return Err(mismatch(
                "its certHash is not the hash of the certificate that signed",
            ));
        }
        if !issuer_serial_matches(first.issuer_serial.as_ref(), cert) {
            return Err(mismatch(
                "its issuerSerial is not the certificate that signed",
            ));
        }
        return Ok(());
    }
    if let Some(value) = v1 {
        let sc = value
            .decode_as::<asn1::SigningCertificate>()
            .map_err(|e| mismatch(&format!("signingCertificate: {e}")))?;
        if sc.certs.len() > MAX_ESS_CERT_IDS {
            return Err(mismatch("too many ESSCertID entries"));
        }
        let first = sc
            .certs
            .first()
            .ok_or_else(|| mismatch("signingCertificate names no certificate"))?;
        if sha1::Sha1::digest(cert_der).as_slice() != first.cert_hash.as_bytes() {
            return Err(mismatch(
                "its SHA-1 certHash is not the hash of the certificate that signed",
            ));
        }
        if !issuer_serial_matches(first.issuer_serial.as_ref(), cert) {
            return Err(mismatch(
                "its issuerSerial is not the certificate that signed",
            ));
        }
        return Ok(());
    }
    Err(mismatch(
        "no signingCertificateV2 or signingCertificate attribute",
    ))
}

/// The content (without the SEQUENCE header) of an AlgorithmIdentifier's DER, as webpki
/// names algorithms.
fn alg_id_content<P: Encode>(alg: &P) -> Option<Vec<u8>> {
    let der = alg.to_der().ok()?;
    let any = der::asn1::AnyRef::from_der(&der).ok()?;
    Some(any.value().to_vec())
}

/// The signature algorithm of `signer` for a key of `cert`: one of
/// [`crate::pkix::algorithms::BY_ID`].
fn signer_algorithm(
    signer: &SignerInfo,
    digest: HashAlg,
    cert: &Certificate,
) -> Option<&'static crate::pkix::algorithms::Algorithm> {
    use rustls_pki_types::alg_id;
    let sig_oid = signer.signature_algorithm.oid;
    let by_digest = |sha256, sha384, sha512| match digest {
        HashAlg::Sha256 => sha256,
        HashAlg::Sha384 => sha384,
        HashAlg::Sha512 => sha512,
    };
    let wanted: Vec<u8> = match sig_oid {
        // OpenSSL's way: the key's algorithm, with the digestAlgorithm's hash.
        RSA_ENCRYPTION => by_digest(
            alg_id::RSA_PKCS1_SHA256,
            alg_id::RSA_PKCS1_SHA384,
            alg_id::RSA_PKCS1_SHA512,
        )
        .as_ref()
        .to_vec(),
        SHA256_WITH_RSA => alg_id::RSA_PKCS1_SHA256.as_ref().to_vec(),
        SHA384_WITH_RSA => alg_id::RSA_PKCS1_SHA384.as_ref().to_vec(),
        SHA512_WITH_RSA => alg_id::RSA_PKCS1_SHA512.as_ref().to_vec(),
        ID_EC_PUBLIC_KEY => by_digest(
            alg_id::ECDSA_SHA256,
            alg_id::ECDSA_SHA384,
            alg_id::ECDSA_SHA512,
        )
        .as_ref()
        .to_vec(),
        ECDSA_WITH_SHA256 => alg_id::ECDSA_SHA256.as_ref().to_vec(),
        ECDSA_WITH_SHA384 => alg_id::ECDSA_SHA384.as_ref().to_vec(),
        ID_ED25519 => alg_id::ED25519.as_ref().to_vec(),
        // RSA-PSS and anything else: its whole identifier, parameters included.
        _ => alg_id_content(&signer.signature_algorithm)?,
    };
    let key_alg = alg_id_content(&cert.tbs_certificate.subject_public_key_info.algorithm)?;
    BY_ID.iter().copied().find(|a| {
        a.signature_alg_id().as_ref() == wanted.as_slice()
            && a.public_key_alg_id().as_ref() == key_alg.as_slice()
    })
}

/// The RFC 3161 §2.3 rule: the extended key usage is there, critical, and only timeStamping.
fn has_time_stamping_eku(cert: &Certificate) -> bool {
    let mut ekus = cert
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .filter(|e| e.extn_id == ID_CE_EXT_KEY_USAGE);
    let (Some(ext), None) = (ekus.next(), ekus.next()) else {
        return false;
    };
    ext.critical
        && x509_cert::ext::pkix::ExtendedKeyUsage::from_der(ext.extn_value.as_bytes())
            .is_ok_and(|eku| eku.0.as_slice() == [ID_KP_TIME_STAMPING])
}

/// A Unix time as RFC 3339 UTC with seconds.
fn rfc3339(seconds: i64) -> Result<String, TimestampError> {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .ok_or_else(|| malformed("genTime out of range"))
}

/// An INTEGER's value as lowercase hex without leading zero bytes.
fn int_hex(int: &Int) -> String {
    let bytes = int.as_bytes();
    let start = bytes
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(bytes.len().saturating_sub(1));
    hex::encode(&bytes[start..])
}

/// Checks `token` (DER `TimeStampToken`) as proof that the data whose SHA-256 is `imprint`
/// existed at its `genTime`, for a TSA chaining to one of `tsa_roots` (DER certificates).
///
/// The checks, in order, each with its error: the token decodes ([`TimestampError::Malformed`]:
/// a CMS `SignedData` over a `TSTInfo`, one signer, its certificate among the token's, at
/// most [`MAX_CERTIFICATES`] certificates, signed attributes with content type
/// `id-ct-TSTInfo`); `messageDigest` is the digest of the `TSTInfo`
/// ([`TimestampError::DigestMismatch`]); the first `ESSCertIDv2` (or SHA-1 `ESSCertID`) names
/// the signer's certificate ([`TimestampError::CertIdMismatch`]); the signature over the signed
/// attributes verifies with its key ([`TimestampError::BadSignature`]); the imprint is SHA-256
/// and `imprint` ([`TimestampError::ImprintMismatch`]); the certificate chains to a root of
/// `tsa_roots` through the token's other certificates, every certificate valid at `genTime`,
/// with a critical extended key usage of timeStamping alone. No CRL is checked: that is
/// [`verify_token_with_crls`] with none.
pub fn verify_token(
    token: &[u8],
    imprint: &[u8; 32],
    tsa_roots: &[Vec<u8>],
) -> Result<ProvenTime, TimestampError> {
    verify_token_with_crls(token, imprint, tsa_roots, &[], None, false)
}

/// [`verify_token`], and then the revocation of every certificate on the TSA's path but the
/// root, by `crls` (DER), as [`crate::pkix::path::validate`] reads them (entries count whatever
/// the CRL's freshness; issuer names compared as RFC 5280 §7.1 does; a CRL must verify with its
/// issuer's key):
///
/// * revoked for keyCompromise, cACompromise, aACompromise, with no reason or any other reason
///   but the two below: [`TimestampError::TsaRevoked`], whatever `genTime` (a stolen TSA key can
///   write any);
/// * revoked as superseded or cessationOfOperation on R: [`TimestampError::TsaRevoked`] when
///   `genTime` ≥ R, else fine;
/// * not listed, and every CRL of that issuer past its `nextUpdate` at `now`:
///   [`TimestampError::CrlStale`] unless `allow_stale_crl` (`now` `None`: freshness unchecked);
/// * not listed in any CRL of that issuer that verifies, none that answers, and one in its name
///   that does not verify: [`TimestampError::BadCrl`];
/// * no CRL of that issuer: nothing is known, and the token stands.
///
/// A revocation wins over a stale or bad CRL of another issuer on the path.
pub fn verify_token_with_crls(
    token: &[u8],
    imprint: &[u8; 32],
    tsa_roots: &[Vec<u8>],
    crls: &[Vec<u8>],
    now: Option<i64>,
    allow_stale_crl: bool,
) -> Result<ProvenTime, TimestampError> {
    let revocation = Revocations {
        crls,
        now,
        allow_stale_crl,
    };
    let (proven, alg, hashed) = verify_token_inner(token, tsa_roots, revocation)?;
    if alg != ID_SHA256 || hashed.as_slice() != imprint.as_slice() {
        return Err(TimestampError::ImprintMismatch);
    }
    Ok(proven)
}

/// [`verify_token`] without the imprint check: everything else is checked, and the token's
/// message imprint is returned as its hash algorithm's OID (dotted) and the hash.
pub fn verify_token_any_imprint(
    token: &[u8],
    tsa_roots: &[Vec<u8>],
) -> Result<(ProvenTime, String, Vec<u8>), TimestampError> {
    let none = Revocations {
        crls: &[],
        now: None,
        allow_stale_crl: false,
    };
    let (proven, alg, hashed) = verify_token_inner(token, tsa_roots, none)?;
    Ok((proven, alg.to_string(), hashed))
}

fn verify_token_inner(
    token: &[u8],
    tsa_roots: &[Vec<u8>],
    revocations: Revocations<'_>,
) -> Result<(ProvenTime, ObjectIdentifier, Vec<u8>), TimestampError> {
    let Decoded {
        signed_data,
        tst_info,
        econtent,
        signed_data_der,
    } = decode_token(token)?;
    let raw =
        asn1::raw_parts(&signed_data_der).map_err(|e| malformed(format!("SignedData: {e}")))?;
    if raw.certificate_entries > MAX_CERTIFICATES {
        return Err(malformed(format!(
            "{} certificates, more than the {MAX_CERTIFICATES} accepted",
            raw.certificate_entries
        )));
    }
    let mut signers = signed_data.signer_infos.0.iter();
    let signer = match (signers.next(), signers.next()) {
        (Some(s), None) => s,
        _ => return Err(malformed("not exactly one SignerInfo")),
    };

    // The TSA certificate, as sent, and the others (intermediates).
    let mut certs = Vec::with_capacity(raw.certificates.len());
    for der in &raw.certificates {
        let cert =
            Certificate::from_der(der).map_err(|e| malformed(format!("certificate: {e}")))?;
        certs.push((der.as_slice(), cert));
    }
    let signer_index = certs
        .iter()
        .position(|(_, c)| sid_names(&signer.sid, c))
        .ok_or_else(|| malformed("the token does not include the certificate that signed it"))?;
    let (cert_der, cert) = &certs[signer_index];

    // Signed attributes: content type, message digest, the signing certificate.
    let attrs = signer
        .signed_attrs
        .as_ref()
        .ok_or_else(|| malformed("the signer has no signed attributes"))?;
    if attrs.len() > MAX_SIGNED_ATTRIBUTES {
        return Err(malformed("too many signed attributes"));
    }
    let attrs = attrs.as_slice();
    let content_type = single_attribute(attrs, ID_CONTENT_TYPE)
        .map_err(malformed)?
        .ok_or_else(|| malformed("no content-type attribute"))?
        .decode_as::<ObjectIdentifier>()
        .map_err(|e| malformed(format!("content-type attribute: {e}")))?;
    if content_type != ID_CT_TST_INFO {
        return Err(malformed(format!(
            "the content-type attribute {content_type} is not id-ct-TSTInfo"
        )));
    }
    let digest_alg = hash_alg(&signer.digest_alg.oid).ok_or_else(|| {
        malformed(format!(
            "unsupported digest algorithm {}",
            signer.digest_alg.oid
        ))
    })?;
    let message_digest = single_attribute(attrs, ID_MESSAGE_DIGEST)
        .map_err(malformed)?
        .ok_or(TimestampError::DigestMismatch)?
        .decode_as::<OctetString>()
        .map_err(|_| TimestampError::DigestMismatch)?;
    if message_digest.as_bytes() != digest_alg.digest(&econtent).as_slice() {
        return Err(TimestampError::DigestMismatch);
    }
    check_ess(attrs, cert, cert_der)?;

    // The signature over the signed attributes, as sent, under a SET OF tag.
    let signed_attrs = raw
        .signed_attrs
        .ok_or_else(|| malformed("the signer has no signed attributes"))?;
    let algorithm =
        signer_algorithm(signer, digest_alg, cert).ok_or(TimestampError::BadSignature)?;
    let public_key = cert
        .tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .raw_bytes();
    algorithm
        .verify_signature(public_key, &signed_attrs, signer.signature.as_bytes())
        .map_err(|_| TimestampError::BadSignature)?;

    // What the token says.
    let gen_time = asn1::gen_time_seconds(&tst_info.gen_time).map_err(malformed)?;
    let gen_time_i64 = i64::try_from(gen_time).map_err(|_| malformed("genTime out of range"))?;
    let gen_time_rfc3339 = rfc3339(gen_time_i64)?;
    let latest =
        asn1::latest_seconds(&tst_info.gen_time, tst_info.accuracy.as_ref()).map_err(malformed)?;
    let imprint_alg = tst_info.message_imprint.hash_algorithm.oid;
    let hashed = tst_info.message_imprint.hashed_message.as_bytes().to_vec();

    // The TSA certificate's path, at genTime.
    let (root, path) = check_path(cert_der, cert, &certs, signer_index, tsa_roots, gen_time)?;
    check_revocation(&path, revocations, gen_time_i64)?;

    Ok((
        ProvenTime {
            gen_time: gen_time_i64,
            gen_time_rfc3339,
            latest,
            tsa: cert.tbs_certificate.subject.to_string(),
            root,
            serial: int_hex(&tst_info.serial_number),
            policy: tst_info.policy.to_string(),
        },
        imprint_alg,
        hashed,
    ))
}

/// Validates the TSA certificate up to one of `tsa_roots` at `gen_time`; the root's subject, and
/// the path (the TSA's certificate first, the root last).
// webpki 0.103 deprecates `RequiredEkuNotFound` for its `Context` variant; both are matched.
#[allow(deprecated)]
fn check_path(
    cert_der: &[u8],
    cert: &Certificate,
    certs: &[(&[u8], Certificate)],
    signer_index: usize,
    tsa_roots: &[Vec<u8>],
    gen_time: u64,
) -> Result<(String, Vec<Certificate>), TimestampError> {
    let ee_der = CertificateDer::from(cert_der);
    let ee = webpki::EndEntityCert::try_from(&ee_der)
        .map_err(|e| TimestampError::BadPath(format!("the TSA certificate: {e}")))?;
    let intermediates: Vec<CertificateDer<'_>> = certs
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != signer_index)
        .map(|(_, (der, _))| CertificateDer::from(*der))
        .collect();
    let root_ders: Vec<CertificateDer<'_>> = tsa_roots
        .iter()
        .map(|r| CertificateDer::from(r.as_slice()))
        .collect();
    let mut anchors = Vec::new();
    let mut anchor_roots = Vec::new();
    for (i, der) in root_ders.iter().enumerate() {
        // A root webpki cannot read anchors nothing.
        if let Ok(anchor) = webpki::anchor_from_trusted_cert(der) {
            anchors.push(anchor);
            anchor_roots.push(i);
        }
    }
    let at = UnixTime::since_unix_epoch(core::time::Duration::from_secs(gen_time));
    let tsa_name = cert.tbs_certificate.subject.to_string();
    let path = ee
        .verify_for_usage(
            crate::pkix::algorithms::ALL,
            &anchors,
            &intermediates,
            at,
            // Required if present: webpki applies it to the CAs on the path too, and a CA without
            // an extended key usage is not restricted by one. The TSA certificate's own is
            // checked below, to the letter of RFC 3161 §2.3.
            webpki::KeyUsage::required_if_present(TIME_STAMPING_OID_VALUE),
            None,
            None,
        )
        .map_err(|e| match e {
            webpki::Error::UnknownIssuer => TimestampError::Untrusted(format!(
                "{tsa_name}, issued by {}",
                cert.tbs_certificate.issuer
            )),
            webpki::Error::CertExpired { .. } | webpki::Error::CertNotValidYet { .. } => {
                TimestampError::CertNotValidAtTime(format!("{e:?}"))
            }
            webpki::Error::RequiredEkuNotFound
            | webpki::Error::RequiredEkuNotFoundContext(_)
            | webpki::Error::EmptyEkuExtension => TimestampError::NotForTimestamping,
            other => TimestampError::BadPath(format!("{other:?}")),
        })?;
    if !has_time_stamping_eku(cert) {
        return Err(TimestampError::NotForTimestamping);
    }
    let mut chain = vec![cert.clone()];
    for ca in path.intermediate_certificates() {
        chain.push(
            Certificate::from_der(ca.der().as_ref())
                .map_err(|e| TimestampError::BadPath(format!("a CA certificate: {e}")))?,
        );
    }
    let anchor = path.anchor();
    let root_cert = anchors
        .iter()
        .position(|a| core::ptr::eq(a, anchor))
        .and_then(|i| anchor_roots.get(i))
        .and_then(|i| tsa_roots.get(*i))
        .and_then(|der| Certificate::from_der(der).ok())
        .ok_or_else(|| TimestampError::BadPath("the path's root does not decode".into()))?;
    let root = root_cert.tbs_certificate.subject.to_string();
    chain.push(root_cert);
    Ok((root, chain))
}
