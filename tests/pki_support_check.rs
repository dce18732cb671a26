//! The test PKI (tests/support/pki.rs) against the path validation of the core, with requests
//! made by `transmittal::keys::csr`: each profile gives the problem it is meant to.

#[path = "support/pki.rs"]
mod pki;

use ed25519_dalek::SigningKey;
use pki::{pem_to_der, Profile, Reason, TestPki};
use transmittal::keys::csr::csr_pem;
use transmittal_core::pkix::path::{
    crls_from_pem_or_der, validate, Certified, CrlReason, PathError, PathOptions,
};

/// 2025-06-01T00:00:00Z.
const AT: i64 = 1_748_736_000;
/// 2025-03-01T00:00:00Z.
const REVOKED_AT: i64 = 1_740_787_200;

fn key() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}

fn request() -> String {
    csr_pem(
        &key(),
        "Ann Lee",
        Some("Director"),
        Some("Ministry of Records"),
    )
    .unwrap()
}

fn options() -> PathOptions {
    PathOptions {
        at: AT,
        now: Some(AT),
        allow_stale_crl: false,
    }
}

fn check(pki: &TestPki, profile: Profile, crls: &[String]) -> Result<Certified, PathError> {
    let cert = pki.issue(&request(), profile);
    let chain = pki.chain_der(&cert, profile);
    let crls: Vec<Vec<u8>> = crls
        .iter()
        .flat_map(|c| crls_from_pem_or_der(c.as_bytes()).unwrap())
        .collect();
    validate(
        &chain,
        &key().verifying_key().to_bytes(),
        &[pem_to_der(&pki.root_pem())],
        &crls,
        options(),
    )
}

#[test]
fn openssl_accepts_the_request() {
    let pki = TestPki::new();
    assert!(pki.openssl_verifies_csr(&request()));
    // The same request with one bit of its signature flipped.
    use x509_cert::der::{DecodePem, EncodePem};
    let mut req = x509_cert::request::CertReq::from_pem(request().as_bytes()).unwrap();
    let mut sig = req.signature.raw_bytes().to_vec();
    sig[0] ^= 1;
    req.signature = x509_cert::der::asn1::BitString::from_bytes(&sig).unwrap();
    let tampered = req.to_pem(x509_cert::der::pem::LineEnding::LF).unwrap();
    assert!(!pki.openssl_verifies_csr(&tampered));
}

#[test]
fn each_profile_gives_its_result() {
    let pki = TestPki::new();
    let good = check(&pki, Profile::Good, &[]).unwrap();
    assert_eq!(good.name, "Ann Lee");
    assert_eq!(good.title.as_deref(), Some("Director"));
    assert_eq!(good.organisation.as_deref(), Some("Ministry of Records"));
    assert_eq!(good.root, "O=Ministry of Records,CN=Test Root CA");
    assert_eq!(good.chain.len(), 3);
    assert!(good.revocations.is_empty());

    // The usages the request asked for, copied by the CA, are the ones transmittal requires.
    let as_requested = check(&pki, Profile::AsRequested, &[]).unwrap();
    assert_eq!(as_requested.chain, good.chain);
    // Without them (the CA adds only basic constraints) the certificate is not for documents.
    let bare_request = {
        use x509_cert::builder::{Builder, RequestBuilder};
        use x509_cert::der::EncodePem;
        let k = key();
        let subject = transmittal::keys::csr::subject("Ann Lee", None, None).unwrap();
        let mut builder = RequestBuilder::new(subject, &k).unwrap();
        let info = builder.finalize().unwrap();
        let sig = ed25519_dalek::Signer::sign(&k, &info);
        let bits = x509_cert::der::asn1::BitString::from_bytes(&sig.to_bytes()).unwrap();
        let req = builder.assemble(bits).unwrap();
        req.to_pem(x509_cert::der::pem::LineEnding::LF).unwrap()
    };
    let cert = pki.issue(&bare_request, Profile::AsRequested);
    let err = validate(
        &pki.chain_der(&cert, Profile::AsRequested),
        &key().verifying_key().to_bytes(),
        &[pem_to_der(&pki.root_pem())],
        &[],
        options(),
    )
    .unwrap_err();
    assert!(matches!(err, PathError::WrongUsage(_)), "{err:?}");

    let expect = |profile: Profile, want: fn(&PathError) -> bool| {
        let err = check(&pki, profile, &[]).unwrap_err();
        assert!(want(&err), "{profile:?}: {err:?}");
    };
    expect(Profile::Expired, |e| matches!(e, PathError::Expired(_)));
    expect(Profile::NotYetValid, |e| {
        matches!(e, PathError::NotYetValid(_))
    });
    expect(Profile::WrongEku, |e| matches!(e, PathError::WrongUsage(_)));
    expect(Profile::PathTooLong, |e| {
        matches!(e, PathError::Constraints(_))
    });
    expect(Profile::WrongIssuer, |e| {
        matches!(e, PathError::UnknownRoot(_))
    });
}

#[test]
fn the_other_root_trusts_its_own() {
    let pki = TestPki::new();
    let cert = pki.issue(&request(), Profile::WrongIssuer);
    let chain = pki.chain_der(&cert, Profile::WrongIssuer);
    let certified = validate(
        &chain,
        &key().verifying_key().to_bytes(),
        &[pem_to_der(&pki.other_root_pem())],
        &[],
        options(),
    )
    .unwrap();
    assert_eq!(certified.root, "O=Elsewhere,CN=Other Root CA");
}

#[test]
fn revocations_and_stale_crls() {
    let pki = TestPki::new();
    let compromised = pki.issue(&request(), Profile::Good);
    let superseded = pki.issue(&request(), Profile::Good);
    let untouched = pki.issue(&request(), Profile::Good);
    pki.revoke_at(&compromised, Reason::KeyCompromise, "250301000000Z");
    pki.revoke_at(&superseded, Reason::Superseded, "250301000000Z");
    let crl = pki.crl(false);
    let crl_der = crls_from_pem_or_der(crl.as_bytes()).unwrap();
    let root = [pem_to_der(&pki.root_pem())];
    let public_key = key().verifying_key().to_bytes();
    let run = |cert: &str, crls: &[Vec<u8>], options: PathOptions| {
        validate(
            &pki.chain_der(cert, Profile::Good),
            &public_key,
            &root,
            crls,
            options,
        )
    };

    let kc = run(&compromised, &crl_der, options()).unwrap();
    assert_eq!(kc.revocations.len(), 1);
    assert_eq!(kc.revocations[0].reason, CrlReason::KeyCompromise);
    assert_eq!(kc.revocations[0].revoked_at, REVOKED_AT);
    assert_eq!(kc.revocations[0].subject, kc.chain[0]);

    let sup = run(&superseded, &crl_der, options()).unwrap();
    assert_eq!(sup.revocations.len(), 1);
    assert_eq!(sup.revocations[0].reason, CrlReason::Superseded);

    assert!(run(&untouched, &crl_der, options())
        .unwrap()
        .revocations
        .is_empty());

    let stale = crls_from_pem_or_der(pki.crl(true).as_bytes()).unwrap();
    // A stale CRL's entries still count; for a certificate it does not list, it answers nothing.
    assert_eq!(
        run(&compromised, &stale, options())
            .unwrap()
            .revocations
            .len(),
        1
    );
    let err = run(&untouched, &stale, options()).unwrap_err();
    assert_eq!(
        err,
        PathError::StaleCrl("O=Ministry of Records,CN=Test Issuing CA".into())
    );
    let mut allowed = options();
    allowed.allow_stale_crl = true;
    assert!(run(&untouched, &stale, allowed)
        .unwrap()
        .revocations
        .is_empty());
}

#[test]
fn revoke_now_dates_the_revocation_today() {
    let pki = TestPki::new();
    let cert = pki.issue(&request(), Profile::Good);
    pki.revoke(&cert, Reason::CessationOfOperation);
    let crls = crls_from_pem_or_der(pki.crl(false).as_bytes()).unwrap();
    let certified = validate(
        &pki.chain_der(&cert, Profile::Good),
        &key().verifying_key().to_bytes(),
        &[pem_to_der(&pki.root_pem())],
        &crls,
        options(),
    )
    .unwrap();
    assert_eq!(certified.revocations.len(), 1);
    assert!(certified.revocations[0].revoked_at > REVOKED_AT);
    assert_eq!(certified.revocations[0].reason, CrlReason::Superseded);
}
