//! A token from a real public time-stamping authority (DigiCert, 2018), checked offline against
//! its root from the Mozilla root store. Where the files come from: tests/data/tsa-public/SOURCE.md.

use sha2::{Digest, Sha256};
use transmittal_core::timestamp::{token_from_file_bytes, verify_token, TimestampError};

const RESPONSE: &[u8] = include_bytes!("../../../tests/data/tsa-public/digicert-2018.tsr");
const ROOT: &[u8] =
    include_bytes!("../../../tests/data/tsa-public/digicert-assured-id-root-ca.der");

fn imprint() -> [u8; 32] {
    Sha256::digest(b"hello\n").into()
}

#[test]
fn a_digicert_token_verifies_offline() {
    let token = token_from_file_bytes(RESPONSE).unwrap();
    let proven = verify_token(&token, &imprint(), &[ROOT.to_vec()]).unwrap();
    assert_eq!(proven.gen_time_rfc3339, "2018-05-09T18:48:18Z");
    assert_eq!(proven.gen_time, 1_525_891_698);
    assert_eq!(
        proven.tsa,
        "CN=DigiCert SHA2 Timestamp Responder,O=DigiCert,C=US"
    );
    assert_eq!(
        proven.root,
        "CN=DigiCert Assured ID Root CA,OU=www.digicert.com,O=DigiCert Inc,C=US"
    );
    assert_eq!(proven.policy, "2.16.840.1.114412.7.1");
    assert_eq!(proven.serial, "2f6487c3b05baad0646a567f56bb623c");
}

#[test]
fn the_digicert_token_is_refused_for_anything_else() {
    let token = token_from_file_bytes(RESPONSE).unwrap();
    assert_eq!(
        verify_token(&token, &Sha256::digest(b"hello").into(), &[ROOT.to_vec()]),
        Err(TimestampError::ImprintMismatch)
    );
    assert!(matches!(
        verify_token(&token, &imprint(), &[]),
        Err(TimestampError::Untrusted(_))
    ));
}
