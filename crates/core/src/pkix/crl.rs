//! Certificate revocation lists (RFC 5280 §5): parsing, the issuer's signature, and the entry for
//! one serial number.
//!
//! webpki's own CRL checks decide a verdict (revoked or not, at verification time); transmittal
//! needs the revocation date and reason instead, so that the verdict can compare them with the
//! signing time. The structures are decoded with `x509-cert` and the signature is checked with the
//! same algorithms as the certificates' ([`crate::pkix::algorithms`]).

use der::asn1::{AnyRef, BitString, GeneralizedTime};
use der::{Decode, Encode, Reader, SliceReader, Tag, Tagged};
use pki_types::SignatureVerificationAlgorithm;
use rustls_pki_types as pki_types;
use spki::AlgorithmIdentifierOwned;
use x509_cert::crl::RevokedCert;
use x509_cert::ext::pkix::KeyUsage;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Time;
use x509_cert::Certificate;

use crate::pkix::algorithms::BY_ID;

/// `keyUsage` (2.5.29.15).
pub const KEY_USAGE: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("2.5.29.15");
/// `cRLReasons` (2.5.29.21).
const CRL_REASON: der::oid::ObjectIdentifier = der::oid::ObjectIdentifier::new_unwrap("2.5.29.21");
/// `invalidityDate` (2.5.29.24).
const INVALIDITY_DATE: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("2.5.29.24");
/// The `removeFromCRL` reason code (only a delta CRL may carry it).
const REMOVE_FROM_CRL: u32 = 8;

/// A decoded CRL. The revoked certificates are kept as the encoded list and decoded one at a time
/// when looked up, so a large CRL costs its own size in memory and not many times more.
#[derive(Debug)]
pub struct Crl<'a> {
    /// `version`: 0 for v1 (absent), 1 for v2.
    pub version: u8,
    /// The outer `signatureAlgorithm`.
    pub signature_algorithm: AlgorithmIdentifierOwned,
    /// `tbsCertList.signature`, which must equal `signature_algorithm`.
    pub tbs_signature: AlgorithmIdentifierOwned,
    /// The issuer.
    pub issuer: x509_cert::name::Name,
    /// The DER of the issuer's name, to match certificates' issuers.
    pub issuer_der: Vec<u8>,
    /// `thisUpdate`.
    pub this_update: Time,
    /// `nextUpdate`, if present.
    pub next_update: Option<Time>,
    /// The DER of `tbsCertList` as it was received (what the signature covers).
    pub tbs: &'a [u8],
    /// The contents of `revokedCertificates` (empty if absent).
    revoked: &'a [u8],
    /// The signature bits.
    pub signature: BitString,
}

/// One entry of a CRL: when and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// `revocationDate`.
    pub revoked_at: Time,
    /// The `invalidityDate` entry extension (2.5.29.24), if present: when the key is known or
    /// suspected to have become unsafe, which may be before `revocationDate`.
    pub invalidity_date: Option<GeneralizedTime>,
    /// The value of the `reasonCode` entry extension (RFC 5280 §5.3.1), if present; any value,
    /// known or not.
    pub reason: Option<u32>,
}

impl Entry {
    /// The earlier of `revocationDate` and `invalidityDate`, seconds since the Unix epoch.
    pub fn earliest(&self) -> Result<i64, String> {
        let revoked = crate::pkix::name::unix_seconds(self.revoked_at)?;
        match self.invalidity_date {
            Some(t) => {
                let invalid = crate::pkix::name::unix_seconds(Time::GeneralTime(t))?;
                Ok(revoked.min(invalid))
            }
            None => Ok(revoked),
        }
    }
}

/// The value of a DER `ENUMERATED` (the `reasonCode` extension's value).
fn enumerated(der_bytes: &[u8]) -> Result<u32, String> {
    let any = AnyRef::from_der(der_bytes).map_err(|e| format!("CRL reason code: {e}"))?;
    if any.tag() != Tag::Enumerated {
        return Err("CRL reason code: not an ENUMERATED".into());
    }
    let value = any.value();
    if value.is_empty() || value.len() > 4 || value[0] & 0x80 != 0 {
        return Err("CRL reason code: out of range".into());
    }
    Ok(value.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)))
}

/// Decodes one DER CRL (version 1 or 2).
pub fn parse(der_bytes: &[u8]) -> Result<Crl<'_>, String> {
    let err = |e: der::Error| format!("CRL: {e}");
    let mut outer = SliceReader::new(der_bytes).map_err(err)?;
    let list = AnyRef::decode(&mut outer).map_err(err)?;
    if list.tag() != Tag::Sequence || !outer.is_finished() {
        return Err("CRL: not a single SEQUENCE".into());
    }
    let inner = list.value();
    let mut reader = SliceReader::new(inner).map_err(err)?;
    let tbs_any = AnyRef::decode(&mut reader).map_err(err)?;
    if tbs_any.tag() != Tag::Sequence {
        return Err("CRL: tbsCertList is not a SEQUENCE".into());
    }
    let tbs_len = tbs_any
        .encoded_len()
        .and_then(usize::try_from)
        .map_err(err)?;
    let tbs = inner
        .get(..tbs_len)
        .ok_or_else(|| "CRL: truncated tbsCertList".to_owned())?;
    let signature_algorithm = AlgorithmIdentifierOwned::decode(&mut reader).map_err(err)?;
    let signature = BitString::decode(&mut reader).map_err(err)?;
    if !reader.is_finished() {
        return Err("CRL: data after the signature".into());
    }

    let mut fields = SliceReader::new(tbs_any.value()).map_err(err)?;
    let version = if fields.peek_tag().map_err(err)? == Tag::Integer {
        let v = u8::decode(&mut fields).map_err(err)?;
        if v > 1 {
            return Err(format!("CRL: unsupported version {v}"));
        }
        v
    } else {
        0
    };
    let tbs_signature = AlgorithmIdentifierOwned::decode(&mut fields).map_err(err)?;
    let issuer = x509_cert::name::Name::decode(&mut fields).map_err(err)?;
    let this_update = Time::decode(&mut fields).map_err(err)?;
    let mut next_update = None;
    let mut revoked: &[u8] = &[];
    if !fields.is_finished() {
        let tag = fields.peek_tag().map_err(err)?;
        if tag == Tag::UtcTime || tag == Tag::GeneralizedTime {
            next_update = Some(Time::decode(&mut fields).map_err(err)?);
        }
    }
    if !fields.is_finished() && fields.peek_tag().map_err(err)? == Tag::Sequence {
        revoked = AnyRef::decode(&mut fields).map_err(err)?.value();
    }
    if !fields.is_finished() {
        // crlExtensions [0] EXPLICIT Extensions: decoded to check the encoding, not used.
        let exts = AnyRef::decode(&mut fields).map_err(err)?;
        if exts.tag()
            != (Tag::ContextSpecific {
                constructed: true,
                number: der::TagNumber::N0,
            })
        {
            return Err("CRL: unexpected field after the revoked certificates".into());
        }
        x509_cert::ext::Extensions::from_der(exts.value()).map_err(err)?;
    }
    if !fields.is_finished() {
        return Err("CRL: data after the extensions".into());
    }
    let issuer_der = issuer.to_der().map_err(|e| format!("CRL issuer: {e}"))?;
    Ok(Crl {
        version,
        signature_algorithm,
        tbs_signature,
        issuer,
        issuer_der,
        this_update,
        next_update,
        tbs,
        revoked,
        signature,
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
pub fn verify_signature(crl: &Crl<'_>, issuer: &Certificate) -> Result<(), String> {
    if crl.signature_algorithm != crl.tbs_signature {
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
    let sig_alg = alg_id_contents(&crl.signature_algorithm)?;
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
                crl.signature_algorithm.oid, spki.algorithm.oid
            )
        })?;
    let signature = crl
        .signature
        .as_bytes()
        .ok_or_else(|| "the CRL's signature is not a whole number of bytes".to_owned())?;
    let key = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| "the issuer's key is not a whole number of bytes".to_owned())?;
    algorithm
        .verify_signature(key, crl.tbs, signature)
        .map_err(|_| "the signature does not verify with the issuer's key".to_owned())
}

/// Every entry for `serial` the CRL lists (usually none or one; an entry with reason
/// `removeFromCRL`, which only a delta CRL may carry, does not count). The entries are decoded one
/// at a time.
pub fn find(crl: &Crl<'_>, serial: &SerialNumber) -> Result<Vec<Entry>, String> {
    let err = |e: der::Error| format!("CRL entry: {e}");
    let mut found = Vec::new();
    if crl.revoked.is_empty() {
        return Ok(found);
    }
    let mut entries = SliceReader::new(crl.revoked).map_err(err)?;
    while !entries.is_finished() {
        let entry = RevokedCert::decode(&mut entries).map_err(err)?;
        if entry.serial_number.as_bytes() != serial.as_bytes() {
            continue;
        }
        let mut reason = None;
        let mut invalidity_date = None;
        for ext in entry.crl_entry_extensions.iter().flatten() {
            if ext.extn_id == CRL_REASON {
                reason = Some(enumerated(ext.extn_value.as_bytes())?);
            } else if ext.extn_id == INVALIDITY_DATE {
                invalidity_date = Some(
                    GeneralizedTime::from_der(ext.extn_value.as_bytes())
                        .map_err(|e| format!("CRL invalidity date: {e}"))?,
                );
            }
        }
        if reason == Some(REMOVE_FROM_CRL) {
            continue;
        }
        found.push(Entry {
            revoked_at: entry.revocation_date,
            invalidity_date,
            reason,
        });
    }
    Ok(found)
}
