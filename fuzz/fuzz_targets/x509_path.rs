//! Certificate paths and CRLs on arbitrary bytes (`transmittal_core::pkix`).
//!
//! Input: one control byte, then up to 8 DER blobs one after the other. A blob is one DER TLV
//! as its header declares it (tag, length, that many bytes, cut at the end of the input); where
//! no header can be read, the rest of the input is the last blob. So a seed is a control byte
//! and some certificates and CRLs, concatenated. The control byte: bits 0-2, how many blobs
//! (plus one) are the chain (the signatory's certificate first); bit 3, `allow_stale_crl`;
//! bit 4, no verification time (`now: None`); bits 5-6, the validation time (the fixtures'
//! signing time, before their revocations, 2020, or -1); bit 7, the key is the fixtures'
//! signatory key rather than the leaf blob's own Ed25519 key.
//!
//! Calls: `path::describe_certificate`, `crl::parse`, `crl::find` (the serials of the blobs and
//! of the fixtures' certificates) and `crl::verify_signature` (against the blobs and the
//! fixtures' CAs) on every blob; `pem::der_blobs(input, &["CERTIFICATE"])`; `path::validate` of
//! the chain against the roots of `crates/core/tests/data/pki/` with their CRLs, with the other
//! blobs as CRLs, and with the other blobs as roots; and the fixtures' good chain with the
//! blobs that parse as CRLs.
//!
//! Invariants: no panic, no hang, bounded memory (every refusal is an error); a validated path
//! certifies the key asked for, starts at the signatory's certificate, ends at its root, is at
//! most `MAX_CHAIN + 1` long, and its root is one of the roots given; `validate` is
//! deterministic.
#![no_main]

use der::Decode;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use transmittal_core::pkix::{crl, path, pem};
use x509_cert::serial_number::SerialNumber;
use x509_cert::Certificate;

macro_rules! pki {
    ($name:literal) => {
        include_bytes!(concat!("../../crates/core/tests/data/pki/", $name)).as_slice()
    };
}

/// 2025-06-01T00:00:00Z, the fixtures' signing time; 2025-06-02, their verification time.
const AT: i64 = 1_748_736_000;
const NOW: i64 = 1_748_822_400;

struct Fixtures {
    roots: Vec<Vec<u8>>,
    /// The fresh CRLs of the issuing CA and of both roots (the stale and the impostor's CRLs
    /// are seeds: each one alone fails every path through its issuer's name).
    crls: Vec<Vec<u8>>,
    /// The issuing CAs of the fixtures (for CRL signatures), roots included.
    cas: Vec<Certificate>,
    /// The serial numbers of the fixtures' certificates (for `crl::find`).
    serials: Vec<SerialNumber>,
    /// leaf-good.pem and inter.pem: a path that validates.
    good_chain: Vec<Vec<u8>>,
    key: [u8; 32],
}

fn der(pem_bytes: &[u8]) -> Vec<u8> {
    let mut blobs = pem::der_blobs(pem_bytes, &["CERTIFICATE", "X509 CRL"]).expect("a fixture");
    assert_eq!(blobs.len(), 1);
    blobs.remove(0)
}

fn fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(|| {
        let roots = vec![der(pki!("root.pem")), der(pki!("other-root.pem"))];
        let crls: Vec<Vec<u8>> = [
            pki!("crl-inter.pem"),
            pki!("crl-root.pem"),
            pki!("crl-other-v1.pem"),
        ]
        .iter()
        .map(|p| der(p))
        .collect();
        let cas: Vec<Certificate> = [
            pki!("root.pem"),
            pki!("other-root.pem"),
            pki!("inter.pem"),
            pki!("impostor.pem"),
            pki!("revoked-ca.pem"),
            pki!("constrained.pem"),
            pki!("sub.pem"),
        ]
        .iter()
        .map(|p| Certificate::from_der(&der(p)).expect("a fixture CA"))
        .collect();
        let serials = [
            pki!("leaf-good.pem"),
            pki!("leaf-revoked-kc.pem"),
            pki!("leaf-revoked-sup.pem"),
            pki!("revoked-ca.pem"),
            pki!("inter.pem"),
        ]
        .iter()
        .map(|p| {
            Certificate::from_der(&der(p))
                .expect("a fixture")
                .tbs_certificate
                .serial_number
        })
        .collect();
        let good_chain = vec![der(pki!("leaf-good.pem")), der(pki!("inter.pem"))];
        let key = pki!("signatory.pub").try_into().expect("32 bytes");
        Fixtures {
            roots,
            crls,
            cas,
            serials,
            good_chain,
            key,
        }
    })
}

/// The length of the DER TLV at the start of `data` as its header declares it, if the header
/// can be read (short or long form, at most 4 length bytes).
fn tlv_len(data: &[u8]) -> Option<usize> {
    let first = *data.get(1)?;
    if first < 0x80 {
        return Some(2 + usize::from(first));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 {
        return None;
    }
    let bytes = data.get(2..2 + n)?;
    let len = bytes
        .iter()
        .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
    (2 + n).checked_add(len)
}

/// Up to 8 blobs: one DER TLV each, the last one the rest of the input.
fn split(mut data: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while !data.is_empty() && out.len() < 8 {
        let n = match tlv_len(data) {
            Some(n) if out.len() < 7 => n.min(data.len()),
            _ => data.len(),
        };
        out.push(data[..n].to_vec());
        data = &data[n..];
    }
    out
}

fn check_certified(certified: &path::Certified, key: &[u8; 32], roots: &[Vec<u8>], leaf: &[u8]) {
    assert_eq!(
        &certified.public_key, key,
        "a path that certifies another key"
    );
    assert!(certified.chain.len() >= 2, "a path without a root");
    assert!(certified.chain.len() <= path::MAX_CHAIN + 1);
    assert_eq!(certified.chain.last(), Some(&certified.root));
    let leaf_info = path::describe_certificate(leaf).expect("a validated leaf describes");
    assert_eq!(certified.chain[0], leaf_info.subject);
    assert_eq!(leaf_info.public_key.as_ref(), Some(key));
    assert!(
        roots.iter().any(|r| path::describe_certificate(r)
            .is_ok_and(|info| info.subject == certified.root)),
        "the path's root is not among the roots"
    );
}

fuzz_target!(|data: &[u8]| {
    let f = fixtures();
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let _ = pem::der_blobs(data, &["CERTIFICATE"]);
    let _ = pem::der_blobs(rest, &["CERTIFICATE"]);

    let blobs = split(rest);
    if blobs.is_empty() {
        return;
    }
    let mut certs = Vec::new();
    let mut parsed_crls = Vec::new();
    for blob in &blobs {
        let _ = path::describe_certificate(blob);
        if let Ok(cert) = Certificate::from_der(blob) {
            certs.push(cert);
        }
        if crl::parse(blob).is_ok() {
            parsed_crls.push(blob.clone());
        }
    }
    for blob in &parsed_crls {
        let list = crl::parse(blob).expect("parsed once");
        for serial in f
            .serials
            .iter()
            .chain(certs.iter().map(|c| &c.tbs_certificate.serial_number))
        {
            let _ = crl::find(&list, serial);
        }
        for issuer in f.cas.iter().chain(certs.iter()) {
            let _ = crl::verify_signature(&list, issuer);
        }
    }

    let chain_len = (usize::from(control & 7) + 1).min(blobs.len());
    let (chain, others) = blobs.split_at(chain_len);
    let leaf_key = path::describe_certificate(&chain[0])
        .ok()
        .and_then(|info| info.public_key);
    let key = match leaf_key {
        Some(k) if control & 0x80 == 0 => k,
        _ => f.key,
    };
    let options = path::PathOptions {
        at: match (control >> 5) & 3 {
            0 => AT,
            1 => 1_740_700_800, // 2025-02-28, before the fixtures' revocations
            2 => 1_577_836_800, // 2020-01-01
            _ => -1,
        },
        now: (control & 0x10 == 0).then_some(NOW),
        allow_stale_crl: control & 0x08 != 0,
    };

    // The chain, against the fixtures' roots and CRLs.
    let r = path::validate(chain, &key, &f.roots, &f.crls, options);
    if let Ok(certified) = &r {
        check_certified(certified, &key, &f.roots, &chain[0]);
    }
    assert_eq!(
        path::validate(chain, &key, &f.roots, &f.crls, options),
        r,
        "validate is not deterministic"
    );
    // The other blobs as CRLs.
    if let Ok(certified) = path::validate(chain, &key, &f.roots, others, options) {
        check_certified(&certified, &key, &f.roots, &chain[0]);
    }
    // The other blobs as roots (no CRL).
    if !others.is_empty() {
        if let Ok(certified) = path::validate(chain, &key, others, &[], options) {
            check_certified(&certified, &key, others, &chain[0]);
        }
    }
    // The fixtures' good path with the blobs that are CRLs, and with all of them.
    if let Ok(certified) = path::validate(&f.good_chain, &f.key, &f.roots, &parsed_crls, options) {
        check_certified(&certified, &f.key, &f.roots, &f.good_chain[0]);
    }
    let _ = path::validate(&f.good_chain, &f.key, &f.roots, &blobs, options);
});
