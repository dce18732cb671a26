//! The ASN.1 structures of RFC 3161 and RFC 5035 that the `cms`, `x509-cert` and `x509-tsp`
//! crates do not define (or define too strictly for real tokens), declared with `der`'s derive
//! macros, and a walk over the DER of a `SignedData` for the bytes that were actually signed.

use der::asn1::{Any, AnyRef, BitString, GeneralizedTime, Int, ObjectIdentifier, OctetString};
use der::{Decode, Encode, Reader, Sequence, SliceReader, Tag, TagNumber, Tagged};
use x509_cert::ext::pkix::name::GeneralNames;
use x509_cert::ext::Extensions;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::AlgorithmIdentifierOwned;
use x509_tsp::{Accuracy, MessageImprint, TsaPolicyId, TspVersion};

/// `TSTInfo` (RFC 3161 §2.4.2), as `x509_tsp::TstInfo` but with `genTime` kept as it is written:
/// RFC 3161 allows fractional seconds there, which `der`'s `GeneralizedTime` refuses.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct TstInfo {
    pub version: TspVersion,
    pub policy: TsaPolicyId,
    pub message_imprint: MessageImprint,
    pub serial_number: Int,
    pub gen_time: Any,
    #[asn1(optional = "true")]
    pub accuracy: Option<Accuracy>,
    #[asn1(default = "Default::default")]
    pub ordering: bool,
    #[asn1(optional = "true")]
    pub nonce: Option<Int>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub tsa: Option<Any>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub extensions: Option<Extensions>,
}

/// `genTime` in whole seconds since the Unix epoch: `YYYYMMDDhhmmss[.f+]Z` (RFC 3161 §2.4.2);
/// the fraction is dropped (the proof is to the second).
pub(crate) fn gen_time_seconds(gen_time: &Any) -> Result<u64, String> {
    if gen_time.tag() != Tag::GeneralizedTime {
        return Err("genTime is not a GeneralizedTime".into());
    }
    let text = gen_time.value();
    let well_formed = text.len() >= 15
        && text.last() == Some(&b'Z')
        && text[..14].iter().all(u8::is_ascii_digit)
        && match &text[14..text.len() - 1] {
            [] => true,
            [b'.', digits @ ..] => !digits.is_empty() && digits.iter().all(u8::is_ascii_digit),
            _ => false,
        };
    if !well_formed {
        return Err("genTime is not YYYYMMDDhhmmss[.fraction]Z".into());
    }
    let mut whole = [0u8; 17];
    whole[0] = 0x18;
    whole[1] = 15;
    whole[2..16].copy_from_slice(&text[..14]);
    whole[16] = b'Z';
    let time = GeneralizedTime::from_der(&whole).map_err(|e| format!("genTime: {e}"))?;
    Ok(time.to_unix_duration().as_secs())
}

/// The latest time a token allows, in whole seconds since the Unix epoch: `genTime` with its
/// fraction plus `accuracy` (seconds, millis, micros), rounded up. Millis or micros outside 0..999
/// are refused.
pub(crate) fn latest_seconds(gen_time: &Any, accuracy: Option<&Accuracy>) -> Result<i64, String> {
    let whole = i64::try_from(gen_time_seconds(gen_time)?)
        .map_err(|_| "genTime out of range".to_owned())?;
    // The fraction in micros, rounded up (gen_time_seconds checked the form).
    let text = gen_time.value();
    let digits = text.get(15..text.len().saturating_sub(1)).unwrap_or(&[]);
    let mut fraction: u64 = 0;
    for i in 0..6 {
        let d = digits
            .get(i)
            .map_or(0, |b| u64::from(b.saturating_sub(b'0')));
        fraction = fraction * 10 + d;
    }
    if digits.iter().skip(6).any(|b| *b != b'0') {
        fraction += 1;
    }
    let mut micros = fraction;
    if let Some(acc) = accuracy {
        let part = |v: Option<i16>, what: &str| -> Result<u64, String> {
            match v {
                None => Ok(0),
                Some(v) if (0..=999).contains(&v) => Ok(u64::try_from(v).unwrap_or(0)),
                Some(v) => Err(format!("accuracy: {v} {what}")),
            }
        };
        let millis = part(acc.millis, "millis")?;
        let sub_second = millis * 1000 + part(acc.micros, "micros")?;
        micros = acc
            .seconds
            .unwrap_or(0)
            .checked_mul(1_000_000)
            .and_then(|s| s.checked_add(sub_second))
            .and_then(|s| s.checked_add(fraction))
            .ok_or_else(|| "accuracy out of range".to_owned())?;
    }
    let extra = i64::try_from(micros.div_ceil(1_000_000))
        .map_err(|_| "accuracy out of range".to_owned())?;
    whole
        .checked_add(extra)
        .ok_or_else(|| "accuracy out of range".to_owned())
}

/// `TimeStampResp` (RFC 3161 §2.4.2) with its status kept loose: `failInfo` as a plain bit
/// string (the `cmpv2` flags lack `badTime`) and the token as the bytes it was sent as.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct TimeStampResp {
    pub status: PkiStatusInfo,
    #[asn1(optional = "true")]
    pub time_stamp_token: Option<Any>,
}

/// `PKIStatusInfo` (RFC 3161 §2.4.2, RFC 4210).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct PkiStatusInfo {
    pub status: u8,
    #[asn1(optional = "true")]
    pub status_string: Option<Vec<String>>,
    #[asn1(optional = "true")]
    pub fail_info: Option<BitString>,
}

/// `SigningCertificateV2` (RFC 5035 §3).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct SigningCertificateV2 {
    pub certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    pub policies: Option<Any>,
}

/// `ESSCertIDv2` (RFC 5035 §4): the hash algorithm defaults to SHA-256.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct EssCertIdV2 {
    #[asn1(optional = "true")]
    pub hash_algorithm: Option<AlgorithmIdentifierOwned>,
    pub cert_hash: OctetString,
    #[asn1(optional = "true")]
    pub issuer_serial: Option<IssuerSerial>,
}

/// `SigningCertificate` (RFC 2634 §5.4).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct SigningCertificate {
    pub certs: Vec<EssCertId>,
    #[asn1(optional = "true")]
    pub policies: Option<Any>,
}

/// `ESSCertID` (RFC 2634 §5.4.1): SHA-1 of the certificate.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct EssCertId {
    pub cert_hash: OctetString,
    #[asn1(optional = "true")]
    pub issuer_serial: Option<IssuerSerial>,
}

/// `IssuerSerial` (RFC 5035 §4).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct IssuerSerial {
    pub issuer: GeneralNames,
    pub serial_number: SerialNumber,
}

/// The bytes of a `SignedData` that the typed decoders re-encode: the certificates as they
/// were sent (their hashes are in ESSCertIDs) and the signed attributes of the one signer.
pub(crate) struct RawParts {
    /// Each `Certificate` of `certificates`, its DER as sent.
    pub certificates: Vec<Vec<u8>>,
    /// The number of entries of `certificates` of any kind.
    pub certificate_entries: usize,
    /// The signed attributes as signed: the `[0] IMPLICIT` contents under a SET OF tag.
    pub signed_attrs: Option<Vec<u8>>,
}

const MAX_RAW_CERTS: usize = 64;

/// Walks `SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo,
/// [0] certificates OPTIONAL, [1] crls OPTIONAL, signerInfos }` element by element.
pub(crate) fn raw_parts(signed_data: &[u8]) -> der::Result<RawParts> {
    let outer = AnyRef::from_der(signed_data)?;
    if outer.tag() != Tag::Sequence {
        return Err(Tag::Sequence.value_error());
    }
    let mut reader = SliceReader::new(outer.value())?;
    let mut certificates = Vec::new();
    let mut certificate_entries = 0;
    let mut last = None;
    while !reader.is_finished() {
        let element = AnyRef::decode(&mut reader)?;
        if element.tag()
            == (Tag::ContextSpecific {
                constructed: true,
                number: TagNumber::N0,
            })
        {
            let mut certs = SliceReader::new(element.value())?;
            while !certs.is_finished() {
                let cert = AnyRef::decode(&mut certs)?;
                certificate_entries += 1;
                if certificate_entries > MAX_RAW_CERTS {
                    return Err(der::ErrorKind::Overlength.into());
                }
                if cert.tag() == Tag::Sequence {
                    certificates.push(cert.to_der()?);
                }
            }
        }
        last = Some(element);
    }
    let mut signed_attrs = None;
    if let Some(signer_infos) = last {
        let mut infos = SliceReader::new(signer_infos.value())?;
        if !infos.is_finished() {
            let info = AnyRef::decode(&mut infos)?;
            let mut fields = SliceReader::new(info.value())?;
            // version, sid, digestAlgorithm, then [0] signedAttrs if present.
            for _ in 0..3 {
                AnyRef::decode(&mut fields)?;
            }
            let next = AnyRef::decode(&mut fields)?;
            if next.tag()
                == (Tag::ContextSpecific {
                    constructed: true,
                    number: TagNumber::N0,
                })
            {
                signed_attrs = Some(AnyRef::new(Tag::Set, next.value())?.to_der()?);
            }
        }
    }
    Ok(RawParts {
        certificates,
        certificate_entries,
        signed_attrs,
    })
}

/// `oid` as a constant.
pub(crate) const fn oid(dotted: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(dotted)
}
