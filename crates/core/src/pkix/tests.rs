//! Path validation against the fixtures of scripts/make-pki-fixtures.sh
//! (crates/core/tests/data/pki/): one test per problem, each failing if its check were removed.

use super::path::*;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/pki/",
            $name
        ))
        .as_slice()
    };
}

/// 2025-06-01T00:00:00Z: the fixtures' signing time.
const AT: i64 = 1_748_736_000;
/// 2025-06-02T00:00:00Z: the fixtures' verification time.
const NOW: i64 = 1_748_822_400;
/// 2025-03-01T00:00:00Z: when the revoked fixtures were revoked.
const REVOKED_AT: i64 = 1_740_787_200;

const LEAF_SUBJECT: &str = "O=Ministry of Records,title=Director,CN=Ann Lee";
const INTER_SUBJECT: &str = "O=Ministry of Records,CN=Test Issuing CA";
const ROOT_SUBJECT: &str = "O=Ministry of Records,CN=Test Root CA";

fn cert(pem: &[u8]) -> Vec<u8> {
    let mut all = certs_from_pem_or_der(pem).unwrap();
    assert_eq!(all.len(), 1);
    all.remove(0)
}

fn crl(pem: &[u8]) -> Vec<u8> {
    let mut all = crls_from_pem_or_der(pem).unwrap();
    assert_eq!(all.len(), 1);
    all.remove(0)
}

fn key() -> [u8; 32] {
    fixture!("signatory.pub").try_into().unwrap()
}

fn inter() -> Vec<u8> {
    cert(fixture!("inter.pem"))
}

fn roots() -> Vec<Vec<u8>> {
    vec![cert(fixture!("root.pem"))]
}

fn crls() -> Vec<Vec<u8>> {
    vec![
        crl(fixture!("crl-inter.pem")),
        crl(fixture!("crl-root.pem")),
    ]
}

fn options() -> PathOptions {
    PathOptions {
        at: AT,
        now: Some(NOW),
        allow_stale_crl: false,
    }
}

/// `leaf` with the issuing CA, against the root and both fresh CRLs.
fn check(leaf: &[u8]) -> Result<Certified, PathError> {
    validate(&[cert(leaf), inter()], &key(), &roots(), &crls(), options())
}

#[test]
fn good_certificate_validates_with_its_names_and_times() {
    let certified = check(fixture!("leaf-good.pem")).unwrap();
    assert_eq!(certified.public_key, key());
    assert_eq!(certified.name, "Ann Lee");
    assert_eq!(certified.title.as_deref(), Some("Director"));
    assert_eq!(
        certified.organisation.as_deref(),
        Some("Ministry of Records")
    );
    assert_eq!(
        certified.chain,
        vec![LEAF_SUBJECT, INTER_SUBJECT, ROOT_SUBJECT]
    );
    assert_eq!(certified.root, ROOT_SUBJECT);
    assert_eq!(certified.not_before, 1_704_067_200); // 2024-01-01
    assert_eq!(certified.not_after, 2_019_686_400); // 2034-01-01
    assert!(certified.revocations.is_empty());
}

#[test]
fn good_certificate_validates_without_crls_and_with_the_root_in_the_chain() {
    let leaf = cert(fixture!("leaf-good.pem"));
    let certified = validate(&[leaf.clone(), inter()], &key(), &roots(), &[], options()).unwrap();
    assert!(certified.revocations.is_empty());
    let with_root = validate(
        &[leaf, inter(), roots().remove(0)],
        &key(),
        &roots(),
        &[],
        options(),
    )
    .unwrap();
    assert_eq!(with_root.chain, certified.chain);
}

#[test]
fn another_key_is_a_key_mismatch() {
    let mut other = key();
    other[0] ^= 1;
    let leaf = cert(fixture!("leaf-good.pem"));
    let err = validate(&[leaf, inter()], &other, &roots(), &crls(), options()).unwrap_err();
    assert_eq!(err, PathError::KeyMismatch);
}

#[test]
fn a_ca_key_is_a_key_mismatch_for_the_signatory() {
    // The issuing CA's own Ed25519 key is not the signatory's.
    let err = validate(&[inter()], &key(), &roots(), &crls(), options()).unwrap_err();
    assert_eq!(err, PathError::KeyMismatch);
}

#[test]
fn garbage_is_malformed() {
    let err = validate(
        &[b"not a certificate".to_vec()],
        &key(),
        &roots(),
        &[],
        options(),
    )
    .unwrap_err();
    assert!(matches!(err, PathError::Malformed(_)), "{err:?}");
    let err = validate(&[], &key(), &roots(), &[], options()).unwrap_err();
    assert!(matches!(err, PathError::Malformed(_)), "{err:?}");
    let leaf = cert(fixture!("leaf-good.pem"));
    let err = validate(
        &[leaf, inter()],
        &key(),
        &roots(),
        &[b"not a CRL".to_vec()],
        options(),
    )
    .unwrap_err();
    assert!(matches!(err, PathError::Malformed(_)), "{err:?}");
    let mut huge = cert(fixture!("leaf-good.pem"));
    huge.resize(MAX_CERT_BYTES + 1, 0);
    let err = validate(&[huge], &key(), &roots(), &[], options()).unwrap_err();
    assert!(matches!(err, PathError::Malformed(_)), "{err:?}");
}

#[test]
fn too_many_certificates_is_a_bad_path() {
    let chain = vec![cert(fixture!("leaf-good.pem")); MAX_CHAIN + 1];
    let err = validate(&chain, &key(), &roots(), &[], options()).unwrap_err();
    assert!(matches!(err, PathError::BadPath(_)), "{err:?}");
}

#[test]
fn unrelated_root_is_unknown() {
    let leaf = cert(fixture!("leaf-other-root.pem"));
    let err = validate(&[leaf], &key(), &roots(), &crls(), options()).unwrap_err();
    assert!(matches!(err, PathError::UnknownRoot(_)), "{err:?}");
    // ... and trusted once its root is.
    let leaf = cert(fixture!("leaf-other-root.pem"));
    let other_root = cert(fixture!("other-root.pem"));
    let certified = validate(&[leaf], &key(), &[other_root], &[], options()).unwrap();
    assert_eq!(certified.chain.len(), 2);
}

#[test]
fn missing_intermediate_or_empty_store_is_unknown_root() {
    let leaf = cert(fixture!("leaf-good.pem"));
    let err = validate(
        std::slice::from_ref(&leaf),
        &key(),
        &roots(),
        &[],
        options(),
    )
    .unwrap_err();
    assert!(matches!(err, PathError::UnknownRoot(_)), "{err:?}");
    let err = validate(&[leaf, inter()], &key(), &[], &[], options()).unwrap_err();
    assert!(matches!(err, PathError::UnknownRoot(_)), "{err:?}");
}

#[test]
fn expired_certificate() {
    let err = check(fixture!("leaf-expired.pem")).unwrap_err();
    assert!(
        matches!(err, PathError::Expired(ref m) if m.contains("Ann Lee")),
        "{err:?}"
    );
}

#[test]
fn not_yet_valid_certificate() {
    let err = check(fixture!("leaf-notyet.pem")).unwrap_err();
    assert!(matches!(err, PathError::NotYetValid(_)), "{err:?}");
    // The good certificate before its notBefore (2024-01-01) too.
    let mut early = options();
    early.at = 1_700_000_000; // 2023-11-14
    let leaf = cert(fixture!("leaf-good.pem"));
    let err = validate(&[leaf, inter()], &key(), &roots(), &[], early).unwrap_err();
    assert!(matches!(err, PathError::NotYetValid(_)), "{err:?}");
}

#[test]
fn wrong_extended_key_usage() {
    let err = check(fixture!("leaf-wrong-eku.pem")).unwrap_err();
    assert!(matches!(err, PathError::WrongUsage(_)), "{err:?}");
}

#[test]
fn no_extended_key_usage() {
    let err = check(fixture!("leaf-no-eku.pem")).unwrap_err();
    assert!(
        matches!(err, PathError::WrongUsage(ref m) if m.contains("documentSigning")),
        "{err:?}"
    );
}

#[test]
fn key_usage_without_digital_signature() {
    let err = check(fixture!("leaf-no-digsig.pem")).unwrap_err();
    assert!(
        matches!(err, PathError::WrongUsage(ref m) if m.contains("digitalSignature")),
        "{err:?}"
    );
}

#[test]
fn path_too_long_for_the_issuing_cas_path_length() {
    let chain = [
        cert(fixture!("leaf-too-long.pem")),
        cert(fixture!("sub.pem")),
        inter(),
    ];
    let err = validate(&chain, &key(), &roots(), &[], options()).unwrap_err();
    assert!(matches!(err, PathError::Constraints(_)), "{err:?}");
}

#[test]
fn a_ca_certificate_is_not_a_signatory() {
    let ca = inter();
    let ca_key = describe_certificate(&ca).unwrap().public_key.unwrap();
    let err = validate(&[ca], &ca_key, &roots(), &[], options()).unwrap_err();
    assert!(matches!(err, PathError::Constraints(_)), "{err:?}");
}

#[test]
fn name_outside_the_issuers_name_constraints() {
    let chain = [
        cert(fixture!("leaf-constrained.pem")),
        cert(fixture!("constrained.pem")),
    ];
    let err = validate(&chain, &key(), &roots(), &[], options()).unwrap_err();
    assert!(matches!(err, PathError::NameConstraints(_)), "{err:?}");
}

#[test]
fn impostor_issuer_is_a_bad_path() {
    // Issued by a CA with the issuing CA's name but another key: the signature does not verify.
    let err = check(fixture!("leaf-impostor.pem")).unwrap_err();
    assert!(matches!(err, PathError::BadPath(_)), "{err:?}");
}

#[test]
fn revoked_for_key_compromise() {
    let certified = check(fixture!("leaf-revoked-kc.pem")).unwrap();
    assert_eq!(
        certified.revocations,
        vec![PathRevocation {
            subject: LEAF_SUBJECT.into(),
            revoked_at: REVOKED_AT,
            reason: CrlReason::KeyCompromise,
            reason_text: "keyCompromise".into(),
        }]
    );
}

#[test]
fn revoked_as_superseded() {
    let certified = check(fixture!("leaf-revoked-sup.pem")).unwrap();
    assert_eq!(
        certified.revocations,
        vec![PathRevocation {
            subject: LEAF_SUBJECT.into(),
            revoked_at: REVOKED_AT,
            reason: CrlReason::Superseded,
            reason_text: "superseded".into(),
        }]
    );
}

#[test]
fn revoked_certificate_without_its_crl_has_no_revocation() {
    let leaf = cert(fixture!("leaf-revoked-kc.pem"));
    let crls = vec![crl(fixture!("crl-root.pem"))];
    let certified = validate(&[leaf, inter()], &key(), &roots(), &crls, options()).unwrap();
    assert!(certified.revocations.is_empty());
}

/// `leaf` with the issuing CA against the root, with `crls` (PEM fixtures) and `options`.
fn check_with(leaf: &[u8], crls: &[&[u8]], options: PathOptions) -> Result<Certified, PathError> {
    let crls: Vec<Vec<u8>> = crls.iter().map(|c| crl(c)).collect();
    validate(&[cert(leaf), inter()], &key(), &roots(), &crls, options)
}

#[test]
fn stale_crl_without_the_certificate() {
    // Only a stale CRL, which does not list the certificate: nothing is known.
    let stale = fixture!("crl-inter-stale-empty.pem");
    let err = check_with(fixture!("leaf-revoked-kc.pem"), &[stale], options()).unwrap_err();
    assert_eq!(err, PathError::StaleCrl(INTER_SUBJECT.into()));
    // Allowed, or without a verification time, it says "not revoked".
    let mut allowed = options();
    allowed.allow_stale_crl = true;
    let certified = check_with(fixture!("leaf-revoked-kc.pem"), &[stale], allowed).unwrap();
    assert!(certified.revocations.is_empty());
    let mut no_now = options();
    no_now.now = None;
    let certified = check_with(fixture!("leaf-revoked-kc.pem"), &[stale], no_now).unwrap();
    assert!(certified.revocations.is_empty());
    // With a fresh CRL beside it, the fresh one answers.
    let fresh = fixture!("crl-inter-empty.pem");
    let certified = check_with(fixture!("leaf-good.pem"), &[stale, fresh], options()).unwrap();
    assert!(certified.revocations.is_empty());
}

#[test]
fn a_stale_crl_that_lists_the_certificate_revokes_it() {
    // F3: a revocation is a fact whatever the CRL's freshness.
    let stale = fixture!("crl-inter-stale.pem");
    for options in [
        options(),
        PathOptions {
            allow_stale_crl: true,
            ..options()
        },
        PathOptions {
            now: None,
            ..options()
        },
    ] {
        let certified = check_with(fixture!("leaf-revoked-kc.pem"), &[stale], options).unwrap();
        assert_eq!(certified.revocations.len(), 1, "{options:?}");
        assert_eq!(certified.revocations[0].reason, CrlReason::KeyCompromise);
        assert_eq!(certified.revocations[0].revoked_at, REVOKED_AT);
    }
}

#[test]
fn stale_and_fresh_crls_where_only_one_lists_the_certificate() {
    let leaf = fixture!("leaf-revoked-kc.pem");
    let cases: [[&[u8]; 2]; 4] = [
        // A fresh CRL from before the revocation and a stale one that lists it, either order.
        [
            fixture!("crl-inter-empty.pem"),
            fixture!("crl-inter-stale.pem"),
        ],
        [
            fixture!("crl-inter-stale.pem"),
            fixture!("crl-inter-empty.pem"),
        ],
        // A fresh one that lists it and a stale one that does not, either order.
        [
            fixture!("crl-inter.pem"),
            fixture!("crl-inter-stale-empty.pem"),
        ],
        [
            fixture!("crl-inter-stale-empty.pem"),
            fixture!("crl-inter.pem"),
        ],
    ];
    for (i, crls) in cases.iter().enumerate() {
        let certified = check_with(leaf, crls, options()).unwrap_or_else(|e| panic!("{i}: {e}"));
        assert_eq!(
            certified.revocations,
            vec![PathRevocation {
                subject: LEAF_SUBJECT.into(),
                revoked_at: REVOKED_AT,
                reason: CrlReason::KeyCompromise,
                reason_text: "keyCompromise".into(),
            }],
            "case {i}"
        );
    }
}

#[test]
fn a_forged_crl_hides_no_revocation_and_no_fresh_answer() {
    // A CRL in the issuing CA's name signed by another key does not stop a genuine one.
    let forged = fixture!("crl-impostor.pem");
    for crls in [
        [forged, fixture!("crl-inter.pem")],
        [fixture!("crl-inter.pem"), forged],
        [forged, fixture!("crl-inter-stale.pem")],
    ] {
        let certified = check_with(fixture!("leaf-revoked-kc.pem"), &crls, options()).unwrap();
        assert_eq!(certified.revocations.len(), 1);
    }
    // A genuine fresh CRL answers "not revoked" beside it.
    let certified = check_with(
        fixture!("leaf-good.pem"),
        &[forged, fixture!("crl-inter-empty.pem")],
        options(),
    )
    .unwrap();
    assert!(certified.revocations.is_empty());
    // With only a stale genuine one (not allowed), nothing answers: the forged CRL is the error.
    let err = check_with(
        fixture!("leaf-good.pem"),
        &[forged, fixture!("crl-inter-stale-empty.pem")],
        options(),
    )
    .unwrap_err();
    assert!(matches!(err, PathError::BadCrl(_)), "{err:?}");
}

#[test]
fn crls_with_the_issuers_name_spelled_otherwise_revoke() {
    // F4: the issuer's name as PrintableStrings, and in other case with a doubled space (both
    // signed with the issuing CA's key), are the issuing CA's CRLs.
    for list in [
        fixture!("crl-inter-printable.pem"),
        fixture!("crl-inter-case.pem"),
    ] {
        let parsed_der = crl(list);
        let parsed = super::crl::parse(&parsed_der).unwrap();
        let inter_der = inter();
        let inter_cert = <x509_cert::Certificate as der::Decode>::from_der(&inter_der).unwrap();
        assert_ne!(
            der::Encode::to_der(&parsed.issuer).unwrap(),
            der::Encode::to_der(&inter_cert.tbs_certificate.subject).unwrap()
        );
        let certified = check_with(fixture!("leaf-revoked-kc.pem"), &[list], options()).unwrap();
        assert_eq!(certified.revocations.len(), 1);
        assert_eq!(certified.revocations[0].reason, CrlReason::KeyCompromise);
        // And it answers for a certificate it does not list.
        let certified = check_with(fixture!("leaf-good.pem"), &[list], options()).unwrap();
        assert!(certified.revocations.is_empty());
    }
}

#[test]
fn names_compare_as_rfc_5280_says() {
    use super::name::same_name;
    use std::str::FromStr;
    let name = |s: &str| x509_cert::name::Name::from_str(s).unwrap();
    assert!(same_name(
        &name("CN=Test Issuing CA,O=Ministry of Records"),
        &name("CN=  test ISSUING   ca ,O=MINISTRY of records")
    ));
    assert!(!same_name(
        &name("CN=Test Issuing CA,O=Ministry of Records"),
        &name("CN=Test Issuing CB,O=Ministry of Records")
    ));
    // RDNs in another order, one RDN more, or another attribute type: another name.
    assert!(!same_name(
        &name("CN=Test Issuing CA,O=Ministry of Records"),
        &name("O=Ministry of Records,CN=Test Issuing CA")
    ));
    assert!(!same_name(
        &name("CN=Test Issuing CA,O=Ministry of Records"),
        &name("CN=Test Issuing CA,O=Ministry of Records,C=GB")
    ));
    assert!(!same_name(
        &name("CN=Test Issuing CA"),
        &name("OU=Test Issuing CA")
    ));
    // A multi-valued RDN is a set.
    assert!(same_name(&name("CN=A+O=B"), &name("O=b+CN=a")));
}

#[test]
fn invalidity_date_earlier_than_the_revocation_date() {
    // F5: revoked 2025-03-01, invalid since 2025-01-15.
    let certified = check(fixture!("leaf-revoked-inv.pem")).unwrap();
    assert_eq!(
        certified.revocations,
        vec![PathRevocation {
            subject: LEAF_SUBJECT.into(),
            revoked_at: 1_736_899_200, // 2025-01-15
            reason: CrlReason::KeyCompromise,
            reason_text: "keyCompromise".into(),
        }]
    );
}

#[test]
fn each_reason_class() {
    for (leaf, reason, text) in [
        (
            fixture!("leaf-revoked-kc.pem"),
            CrlReason::KeyCompromise,
            "keyCompromise",
        ),
        (
            fixture!("leaf-revoked-sup.pem"),
            CrlReason::Superseded,
            "superseded",
        ),
        (
            fixture!("leaf-revoked-cess.pem"),
            CrlReason::Superseded,
            "cessationOfOperation",
        ),
        (
            fixture!("leaf-revoked-aff.pem"),
            CrlReason::Other,
            "affiliationChanged",
        ),
        (
            fixture!("leaf-revoked-hold.pem"),
            CrlReason::Other,
            "certificateHold",
        ),
        (
            fixture!("leaf-revoked-unspec.pem"),
            CrlReason::Other,
            "unspecified",
        ),
        (
            fixture!("leaf-revoked-none.pem"),
            CrlReason::Other,
            "no reason given",
        ),
    ] {
        let certified = check(leaf).unwrap();
        assert_eq!(
            certified.revocations,
            vec![PathRevocation {
                subject: LEAF_SUBJECT.into(),
                revoked_at: REVOKED_AT,
                reason,
                reason_text: text.into(),
            }],
            "{text}"
        );
    }
    // The codes OpenSSL cannot write, and unknown ones.
    assert_eq!(
        CrlReason::from_code(Some(10)),
        (CrlReason::KeyCompromise, "aACompromise".into())
    );
    assert_eq!(
        CrlReason::from_code(Some(9)),
        (CrlReason::Other, "privilegeWithdrawn".into())
    );
    assert_eq!(
        CrlReason::from_code(Some(7)),
        (CrlReason::Other, "reason code 7".into())
    );
}

#[test]
fn crl_signed_by_another_key_is_bad() {
    let leaf = cert(fixture!("leaf-good.pem"));
    let forged = vec![crl(fixture!("crl-impostor.pem"))];
    let err = validate(&[leaf, inter()], &key(), &roots(), &forged, options()).unwrap_err();
    assert!(matches!(err, PathError::BadCrl(_)), "{err:?}");
}

#[test]
fn tampered_crl_is_bad() {
    // Flip a bit of the signature (the last byte of the DER).
    let mut tampered = crl(fixture!("crl-inter.pem"));
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    let leaf = cert(fixture!("leaf-good.pem"));
    let err = validate(&[leaf, inter()], &key(), &roots(), &[tampered], options()).unwrap_err();
    assert!(matches!(err, PathError::BadCrl(_)), "{err:?}");
}

#[test]
fn root_crl_signed_with_ecdsa_verifies() {
    // The root is ECDSA P-256: its CRL (which lists nothing) covers the issuing CA.
    let crl_root = crl(fixture!("crl-root.pem"));
    let mut tampered = crl_root.clone();
    let last = tampered.len() - 3;
    tampered[last] ^= 1;
    let leaf = cert(fixture!("leaf-good.pem"));
    assert!(validate(
        &[leaf.clone(), inter()],
        &key(),
        &roots(),
        &[crl_root],
        options()
    )
    .is_ok());
    let err = validate(&[leaf, inter()], &key(), &roots(), &[tampered], options()).unwrap_err();
    assert!(matches!(err, PathError::BadCrl(_)), "{err:?}");
}

#[test]
fn crls_of_issuers_off_the_path_are_ignored() {
    // The impostor's CRL names the issuing CA; on the other root's path it concerns nobody.
    let leaf = cert(fixture!("leaf-other-root.pem"));
    let other_root = cert(fixture!("other-root.pem"));
    let forged = vec![crl(fixture!("crl-impostor.pem"))];
    assert!(validate(&[leaf], &key(), &[other_root], &forged, options()).is_ok());
}

#[test]
fn pem_bundles_and_der() {
    let mut bundle = fixture!("inter.pem").to_vec();
    bundle.extend_from_slice(b"\nsome text between blocks\n");
    bundle.extend_from_slice(fixture!("root.pem"));
    let certs = certs_from_pem_or_der(&bundle).unwrap();
    assert_eq!(certs, vec![inter(), roots().remove(0)]);
    assert_eq!(certs_from_pem_or_der(&inter()).unwrap(), vec![inter()]);
    assert!(matches!(
        certs_from_pem_or_der(b"junk"),
        Err(PathError::Malformed(_))
    ));
    assert!(matches!(
        certs_from_pem_or_der(fixture!("crl-root.pem")),
        Err(PathError::Malformed(_))
    ));
    let crl_der = crl(fixture!("crl-inter.pem"));
    assert_eq!(crls_from_pem_or_der(&crl_der).unwrap(), vec![crl_der]);
    assert!(matches!(
        crls_from_pem_or_der(b"junk"),
        Err(PathError::Malformed(_))
    ));
}

#[test]
fn describe_leaf_and_ca() {
    let info = describe_certificate(&cert(fixture!("leaf-good.pem"))).unwrap();
    assert_eq!(info.subject, LEAF_SUBJECT);
    assert_eq!(info.issuer, INTER_SUBJECT);
    assert_eq!(info.name.as_deref(), Some("Ann Lee"));
    assert_eq!(info.title.as_deref(), Some("Director"));
    assert_eq!(info.organisation.as_deref(), Some("Ministry of Records"));
    assert_eq!(info.public_key, Some(key()));
    assert!(!info.is_ca);
    assert_eq!(info.not_before, 1_704_067_200);
    let root = describe_certificate(&roots()[0]).unwrap();
    assert!(root.is_ca);
    assert_eq!(root.public_key, None); // ECDSA
    assert_eq!(root.subject, root.issuer);
}

#[test]
fn control_characters_in_names_are_refused() {
    use std::str::FromStr;
    let bell = x509_cert::name::Name::from_str("CN=Ann\u{7}Lee").unwrap();
    assert!(super::name::attribute(&bell, super::name::COMMON_NAME, "cn").is_err());
    let rlo = x509_cert::name::Name::from_str("CN=Ann\u{202E}Lee").unwrap();
    assert!(super::name::attribute(&rlo, super::name::COMMON_NAME, "cn").is_err());
    let twice = x509_cert::name::Name::from_str("CN=Ann,CN=Lee").unwrap();
    assert!(super::name::attribute(&twice, super::name::COMMON_NAME, "cn").is_err());
    let fine = x509_cert::name::Name::from_str("CN=Ann Lee,O=X").unwrap();
    assert_eq!(
        super::name::attribute(&fine, super::name::COMMON_NAME, "cn").unwrap(),
        Some("Ann Lee".into())
    );
}

#[test]
fn revoked_issuing_ca_is_reported_with_ca_compromise_as_key_compromise() {
    let chain = [
        cert(fixture!("leaf-under-revoked-ca.pem")),
        cert(fixture!("revoked-ca.pem")),
    ];
    let certified = validate(&chain, &key(), &roots(), &crls(), options()).unwrap();
    assert_eq!(
        certified.revocations,
        vec![PathRevocation {
            subject: "O=Ministry of Records,CN=Revoked Issuing CA".into(),
            revoked_at: REVOKED_AT,
            reason: CrlReason::KeyCompromise,
            reason_text: "cACompromise".into(),
        }]
    );
}

#[test]
fn version_1_crl_verifies() {
    // The other root's CRL has no extensions, hence no version field (v1).
    let leaf = cert(fixture!("leaf-other-root.pem"));
    let other_root = cert(fixture!("other-root.pem"));
    let v1 = crl(fixture!("crl-other-v1.pem"));
    let parsed = super::crl::parse(&v1).unwrap();
    assert_eq!(parsed.version, 0);
    let certified = validate(
        std::slice::from_ref(&leaf),
        &key(),
        std::slice::from_ref(&other_root),
        std::slice::from_ref(&v1),
        options(),
    )
    .unwrap();
    assert!(certified.revocations.is_empty());
    let mut tampered = v1;
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    let err = validate(&[leaf], &key(), &[other_root], &[tampered], options()).unwrap_err();
    assert!(matches!(err, PathError::BadCrl(_)), "{err:?}");
}

#[test]
fn pem_with_crlf_line_endings() {
    let crlf = String::from_utf8(fixture!("inter.pem").to_vec())
        .unwrap()
        .replace('\n', "\r\n");
    assert_eq!(
        certs_from_pem_or_der(crlf.as_bytes()).unwrap(),
        vec![inter()]
    );
}

#[test]
fn directory_name_constraints_refuse_even_names_inside_them() {
    // webpki implements no directoryName constraints and refuses every path through a CA that
    // has them: the documented limit of `validate`.
    let chain = [
        cert(fixture!("leaf-constrained-inside.pem")),
        cert(fixture!("constrained.pem")),
    ];
    let err = validate(&chain, &key(), &roots(), &[], options()).unwrap_err();
    assert!(matches!(err, PathError::NameConstraints(_)), "{err:?}");
}
