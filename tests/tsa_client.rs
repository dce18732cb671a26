//! The TSA client against a real (OpenSSL) time-stamping authority on 127.0.0.1: the token it
//! brings back verifies with the core's checker, and what a wrong TSA sends is refused.

mod support;

use sha2::{Digest, Sha256};
use std::time::Duration;
use support::tsa::{CertVariant, KeyType, Options, TestTsa};
use transmittal::io::tsa::{request_token, TsaError};
use transmittal_core::timestamp::{verify_token, TimestampError};

const TIMEOUT: Duration = Duration::from_secs(60);

/// SHA-256 of a stand-in 64-byte signature.
fn imprint() -> [u8; 32] {
    let signature: Vec<u8> = (0u8..64).map(|b| b.wrapping_mul(7)).collect();
    Sha256::digest(&signature).into()
}

#[test]
fn tokens_from_rsa_p256_and_p384_tsas_verify() {
    for key in [KeyType::Rsa, KeyType::P256, KeyType::P384] {
        let tsa = TestTsa::start(key);
        let token = request_token(&tsa.url(), &imprint(), TIMEOUT)
            .unwrap_or_else(|e| panic!("{key:?}: {e}"));
        let proven = verify_token(&token, &imprint(), &[tsa.root_der()])
            .unwrap_or_else(|e| panic!("{key:?}: {e}"));
        assert_eq!(proven.tsa, "CN=Test TSA,O=Transmittal Test");
        assert_eq!(proven.root, "CN=Test TSA Root,O=Transmittal Test");
        assert_eq!(proven.policy, "1.3.6.1.4.1.99999.1.1");
        // Another imprint is not what the token covers.
        let mut other = imprint();
        other[0] ^= 1;
        assert_eq!(
            verify_token(&token, &other, &[tsa.root_der()]),
            Err(TimestampError::ImprintMismatch)
        );
    }
}

#[test]
fn two_requests_get_two_tokens() {
    let tsa = TestTsa::start(KeyType::P256);
    let a = request_token(&tsa.url(), &imprint(), TIMEOUT).unwrap();
    let b = request_token(&tsa.url(), &imprint(), TIMEOUT).unwrap();
    assert_ne!(a, b, "fresh nonce and serial each time");
    assert!(String::from_utf8_lossy(&tsa.root_pem()).starts_with("-----BEGIN CERTIFICATE-----"));
}

#[test]
fn a_reply_to_another_request_is_a_nonce_mismatch() {
    let tsa = TestTsa::with(Options {
        wrong_nonce: true,
        ..Options::default()
    });
    let err = request_token(&tsa.url(), &imprint(), TIMEOUT).unwrap_err();
    assert!(
        matches!(
            err,
            TsaError::Response {
                source: TimestampError::NonceMismatch,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.url(), tsa.url());
}

#[test]
fn a_tsa_under_another_root_is_untrusted() {
    let tsa = TestTsa::start(KeyType::P256);
    let other = TestTsa::with(Options {
        root_cn: "Another Root",
        ..Options::default()
    });
    let token = request_token(&tsa.url(), &imprint(), TIMEOUT).unwrap();
    assert!(matches!(
        verify_token(&token, &imprint(), &[other.root_der()]),
        Err(TimestampError::Untrusted(_))
    ));
    // A root of the same name with another key is no issuer either: the certificate's
    // signature does not verify under it.
    let namesake = TestTsa::start(KeyType::P256);
    let err = verify_token(&token, &imprint(), &[namesake.root_der()]).unwrap_err();
    assert!(matches!(err, TimestampError::BadPath(_)), "{err:?}");
    // With both, the right one is found.
    assert!(verify_token(&token, &imprint(), &[namesake.root_der(), tsa.root_der()]).is_ok());
}

#[test]
fn an_expired_tsa_certificate_is_not_valid_at_gen_time() {
    let tsa = TestTsa::with(Options {
        cert: CertVariant::Expired,
        ..Options::default()
    });
    let token = request_token(&tsa.url(), &imprint(), TIMEOUT).unwrap();
    assert!(matches!(
        verify_token(&token, &imprint(), &[tsa.root_der()]),
        Err(TimestampError::CertNotValidAtTime(_))
    ));
}
