//! Certificate signing requests (PKCS#10, RFC 2986) for organisation certificates.
//!
//! A signatory asks their organisation's CA to certify their Ed25519 key (RFC 8410) with a
//! request signed by that key: subject `CN=<name>`, optionally `title=<title>` (2.5.4.12) and
//! `O=<organisation>`, all UTF8String; and, as requested extensions, key usage
//! `digitalSignature` (critical) and extended key usage `id-kp-documentSigning`
//! (1.3.6.1.5.5.7.3.36, RFC 9336). Whether the CA copies requested extensions is its own
//! configuration (`openssl ca` does only with `copy_extensions`); transmittal requires both in the
//! certificate ([`transmittal_core::pkix::path::validate`]).

use std::fmt;

use ed25519_dalek::{Signer, SigningKey};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::{Builder, RequestBuilder};
use x509_cert::der::asn1::{Any, BitString, SetOfVec, Utf8StringRef};
use x509_cert::der::oid::ObjectIdentifier;
use x509_cert::der::pem::LineEnding;
use x509_cert::der::EncodePem;
use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsage, KeyUsages};
use x509_cert::name::{Name, RelativeDistinguishedName};

/// `commonName` (2.5.4.3).
const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
/// `title` (2.5.4.12).
const TITLE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.12");
/// `organizationName` (2.5.4.10).
const ORGANIZATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
/// `id-kp-documentSigning` (RFC 9336).
pub const DOCUMENT_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.36");
/// The longest name, title or organisation accepted (RFC 5280's upper bounds are 64 characters
/// for these attributes; this leaves room for names in scripts with long encodings).
pub const MAX_ATTRIBUTE_CHARS: usize = 256;

/// Why a request could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsrError {
    /// A name, title or organisation that is empty, too long or contains control characters.
    InvalidAttribute(String),
    /// The request could not be encoded (a bug, or an input the DER crates refuse).
    Encoding(String),
}

impl fmt::Display for CsrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsrError::InvalidAttribute(m) => write!(f, "invalid certificate request subject: {m}"),
            CsrError::Encoding(m) => write!(f, "could not encode the certificate request: {m}"),
        }
    }
}

impl std::error::Error for CsrError {}

fn encoding<E: fmt::Display>(e: E) -> CsrError {
    CsrError::Encoding(e.to_string())
}

/// One single-valued RDN `oid=value` (UTF8String).
fn rdn(
    oid: ObjectIdentifier,
    value: &str,
    what: &str,
) -> Result<RelativeDistinguishedName, CsrError> {
    if value.trim().is_empty() {
        return Err(CsrError::InvalidAttribute(format!("the {what} is empty")));
    }
    if value.chars().count() > MAX_ATTRIBUTE_CHARS {
        return Err(CsrError::InvalidAttribute(format!(
            "the {what} is longer than {MAX_ATTRIBUTE_CHARS} characters"
        )));
    }
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    {
        return Err(CsrError::InvalidAttribute(format!(
            "the {what} contains the character U+{:04X}",
            u32::from(c)
        )));
    }
    let text = Utf8StringRef::new(value).map_err(encoding)?;
    let atv = AttributeTypeAndValue {
        oid,
        value: Any::from(x509_cert::der::asn1::AnyRef::from(text)),
    };
    let set = SetOfVec::try_from(vec![atv]).map_err(encoding)?;
    Ok(RelativeDistinguishedName(set))
}

/// The subject `CN=name, title=…, O=…` (in RFC 4514 order; encoded with `O` first).
pub fn subject(
    name: &str,
    title: Option<&str>,
    organisation: Option<&str>,
) -> Result<Name, CsrError> {
    let mut rdns = Vec::new();
    if let Some(o) = organisation {
        rdns.push(rdn(ORGANIZATION, o, "organisation")?);
    }
    if let Some(t) = title {
        rdns.push(rdn(TITLE, t, "title")?);
    }
    rdns.push(rdn(COMMON_NAME, name, "name")?);
    Ok(x509_cert::name::RdnSequence(rdns))
}

/// A PEM `CERTIFICATE REQUEST` for `key`'s public key, signed with `key`: subject
/// `CN=name` (plus `title` and `O` when given), requesting key usage `digitalSignature` and
/// extended key usage `id-kp-documentSigning`.
pub fn csr_pem(
    key: &SigningKey,
    name: &str,
    title: Option<&str>,
    organisation: Option<&str>,
) -> Result<String, CsrError> {
    let subject = subject(name, title, organisation)?;
    let mut builder = RequestBuilder::new(subject, key).map_err(encoding)?;
    builder
        .add_extension(&KeyUsage(KeyUsages::DigitalSignature.into()))
        .map_err(encoding)?;
    builder
        .add_extension(&ExtendedKeyUsage(vec![DOCUMENT_SIGNING]))
        .map_err(encoding)?;
    // ed25519-dalek's signature type does not implement the builder's bit-string encoding, so
    // the request is assembled here: the Ed25519 signature over the CertificationRequestInfo.
    let info = builder.finalize().map_err(encoding)?;
    let signature = key.sign(&info);
    let bits = BitString::from_bytes(&signature.to_bytes()).map_err(encoding)?;
    let request = builder.assemble(bits).map_err(encoding)?;
    request.to_pem(LineEnding::LF).map_err(encoding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_cert::der::{Decode, DecodePem, Encode};
    use x509_cert::request::CertReq;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[42u8; 32])
    }

    #[test]
    fn request_is_signed_by_the_key_and_names_the_signatory() {
        let pem = csr_pem(
            &key(),
            "Ann Lee",
            Some("Director"),
            Some("Ministry of Records"),
        )
        .unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE REQUEST-----\n"));
        let req = CertReq::from_pem(pem.as_bytes()).unwrap();
        assert_eq!(
            req.info.subject.to_string(),
            "CN=Ann Lee,TITLE=Director,O=Ministry of Records"
        );
        assert_eq!(req.algorithm.oid.to_string(), "1.3.101.112");
        let spki = &req.info.public_key;
        assert_eq!(
            spki.subject_public_key.as_bytes().unwrap(),
            key().verifying_key().as_bytes()
        );
        let info = req.info.to_der().unwrap();
        let sig = ed25519_dalek::Signature::from_slice(req.signature.as_bytes().unwrap()).unwrap();
        key().verifying_key().verify_strict(&info, &sig).unwrap();
        // The extension request carries both usages.
        let der = req.to_der().unwrap();
        assert!(CertReq::from_der(&der).is_ok());
        let eku = DOCUMENT_SIGNING.to_der().unwrap();
        assert!(der.windows(eku.len()).any(|w| w == eku.as_slice()));
    }

    #[test]
    fn name_only() {
        let pem = csr_pem(&key(), "Ann Lee", None, None).unwrap();
        let req = CertReq::from_pem(pem.as_bytes()).unwrap();
        assert_eq!(req.info.subject.to_string(), "CN=Ann Lee");
    }

    #[test]
    fn bad_attributes_are_refused() {
        for (name, title) in [
            ("", None),
            ("Ann\nLee", None),
            ("Ann", Some("Dir\u{202E}ector")),
        ] {
            assert!(matches!(
                csr_pem(&key(), name, title, None),
                Err(CsrError::InvalidAttribute(_))
            ));
        }
        let long = "x".repeat(MAX_ATTRIBUTE_CHARS + 1);
        assert!(csr_pem(&key(), &long, None, None).is_err());
    }
}
