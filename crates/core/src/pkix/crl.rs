//! Certificate revocation lists (RFC 5280 §5): parsing, the issuer's signature, and the entry for
//! one serial number.
//!
//! webpki's own CRL checks decide a verdict (revoked or not, at verification time); transmittal
//! needs the revocation date and reason instead, so that the verdict can compare them with the
//! signing time. The structures are decoded with `x509-cert` and the signature is checked with the
//! same algorithms as the certificates' ([`crate::pkix::algorithms`]).

use der::asn1::AnyRef;
use der::{Decode, Encode, Tagged};
use pki_types::SignatureVerificationAlgorithm;
use rustls_pki_types as pki_types;
use spki::AlgorithmIdentifierOwned;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::crl::CrlReason as X509CrlReason;
use x509_cert::ext::pkix::KeyUsage;
use x509_cert::serial_number::SerialNumber;
use x509_cert::Certificate;

use crate::pkix::algorithms::BY_ID;

/// `keyUsage` (2.5.29.15).
pub const KEY_USAGE: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("2.5.29.15");
/// `cRLReasons` (2.5.29.21).
const CRL_REASON: der::oid::ObjectIdentifier = der::oid::ObjectIdentifier::new_unwrap("2.5.29.21");

/// A parsed CRL and the exact bytes its signature covers.
#[derive(Debug)]
pub struct Crl {
    /// The decoded list.
    pub list: CertificateList,
    /// The DER of `tbsCertList` as it was received.
    pub tbs: Vec<u8>,
    /// The DER of the issuer's name, to match certificates' issuers.
    pub issuer_der: Vec<u8>,
}

/// One entry of a CRL: when and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// `revocationDate`.
    pub revoked_at: x509_cert::time::Time,
    /// The `reasonCode` entry extension, if present.
    pub reason: Option<X509CrlReason>,
}

/// Decodes one DER CRL (version 1 or 2).
pub fn parse(der_bytes: &[u8]) -> Result<Crl, String> {
    let err = |e: der::Error| format!("CRL: {e}");
    // The signed part exactly as received: the first element of the outer SEQUENCE.
    let outer = AnyRef::from_der(der_bytes).map_err(err)?;
    if outer.tag() != der::Tag::Sequence {
        return Err("CRL: not a SEQUENCE".into());
    }
    let inner = outer.value();
    let mut reader = der::SliceReader::new(inner).map_err(err)?;
    let tbs_any = AnyRef::decode(&mut reader).map_err(err)?;
    let tbs_len = tbs_any
        .encoded_len()
        .and_then(usize::try_from)
        .map_err(err)?;
    let tbs = inner
        .get(..tbs_len)
        .ok_or_else(|| "CRL: truncated tbsCertList".to_owned())?
        .to_vec();
    let list = match tbs_any.value().first() {
        // A version 1 CRL has no version field, which `x509-cert` 0.2 requires: decode a copy
        // with `version v1` written in (the signature is checked over the original bytes).
        Some(&0x30) => {
            let rest = inner.get(tbs_len..).unwrap_or_default();
            let mut tbs_value = vec![0x02, 0x01, 0x00];
            tbs_value.extend_from_slice(tbs_any.value());
            let mut outer_value = AnyRef::new(der::Tag::Sequence, &tbs_value)
                .and_then(|a| a.to_der())
                .map_err(err)?;
            outer_value.extend_from_slice(rest);
            let rewritten = AnyRef::new(der::Tag::Sequence, &outer_value)
                .and_then(|a| a.to_der())
                .map_err(err)?;
            CertificateList::from_der(&rewritten).map_err(err)?
        }
        _ => CertificateList::from_der(der_bytes).map_err(err)?,
    };
    let issuer_der = list
        .tbs_cert_list
        .issuer
        .to_der()
        .map_err(|e| format!("CRL issuer: {e}"))?;
    Ok(Crl {
        list,
        tbs,
        issuer_der,
    })
}

/// The contents of an AlgorithmIdentifier's SEQUENCE (as webpki's algorithm ids hold them).
fn alg_id_contents(alg: &AlgorithmIdentifierOwned) -> Result<Vec<u8>, String> {
    let mut out = alg.oid.to_der().map_err(|e| e.to_string())?;
    if let Some(params) = &alg.parameters {
        out.extend(params.to_der().map_err(|e| e.to_string())?);
    }
    Ok(out)
}

/// Checks that `issuer` signed `crl` and may sign CRLs (`cRLSign`, when it has a key usage).
pub fn verify_signature(crl: &Crl, issuer: &Certificate) -> Result<(), String> {
    let list = &crl.list;
    if list.signature_algorithm != list.tbs_cert_list.signature {
        return Err("the CRL's two signature algorithm fields differ".into());
    }
    let tbs_cert = &issuer.tbs_certificate;
    if let Some(exts) = &tbs_cert.extensions {
        for ext in exts.iter().filter(|e| e.extn_id == KEY_USAGE) {
            let usage = KeyUsage::from_der(ext.extn_value.as_bytes())
                .map_err(|e| format!("the issuer's key usage: {e}"))?;
            if !usage.crl_sign() {
                return Err("the issuer's key usage does not include cRLSign".into());
            }
        }
    }
    let sig_alg = alg_id_contents(&list.signature_algorithm)?;
    let spki = &tbs_cert.subject_public_key_info;
    let key_alg = alg_id_contents(&spki.algorithm)?;
    let algorithm = BY_ID
        .iter()
        .find(|a| {
            a.signature_alg_id().as_ref() == sig_alg.as_slice()
                && a.public_key_alg_id().as_ref() == key_alg.as_slice()
        })
        .ok_or_else(|| {
            format!(
                "unsupported CRL signature algorithm {} for a {} key",
                list.signature_algorithm.oid, spki.algorithm.oid
            )
        })?;
    let signature = list
        .signature
        .as_bytes()
        .ok_or_else(|| "the CRL's signature is not a whole number of bytes".to_owned())?;
    let key = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| "the issuer's key is not a whole number of bytes".to_owned())?;
    algorithm
        .verify_signature(key, &crl.tbs, signature)
        .map_err(|_| "the signature does not verify with the issuer's key".to_owned())
}

/// The entry for `serial`, if the CRL lists it (an entry with reason `removeFromCRL`, which only a
/// delta CRL may carry, does not count).
pub fn find(crl: &Crl, serial: &SerialNumber) -> Result<Option<Entry>, String> {
    let Some(entries) = &crl.list.tbs_cert_list.revoked_certificates else {
        return Ok(None);
    };
    for entry in entries
        .iter()
        .filter(|e| e.serial_number.as_bytes() == serial.as_bytes())
    {
        let mut reason = None;
        if let Some(exts) = &entry.crl_entry_extensions {
            for ext in exts.iter().filter(|e| e.extn_id == CRL_REASON) {
                reason = Some(
                    X509CrlReason::from_der(ext.extn_value.as_bytes())
                        .map_err(|e| format!("CRL reason code: {e}"))?,
                );
            }
        }
        if reason == Some(X509CrlReason::RemoveFromCRL) {
            continue;
        }
        return Ok(Some(Entry {
            revoked_at: entry.revocation_date,
            reason,
        }));
    }
    Ok(None)
}
