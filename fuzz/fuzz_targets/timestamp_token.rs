//! RFC 3161 time-stamp tokens and responses on arbitrary bytes: the input is given as it is to
//! `timestamp::verify_token` (the TSA roots of `crates/core/tests/data/tsa/`),
//! `verify_token_any_imprint`, `token_from_response` (the fixtures' imprint and nonce),
//! `token_from_file_bytes` and `token_covers`.
//!
//! Invariants: no panic, no hang, bounded memory (every refusal is an error); the answers agree
//! with each other: a token `token_from_response` returns covers the imprint and reads back
//! from its bytes; whatever `token_from_file_bytes` returns is at most `MAX_TOKEN_BYTES` and
//! decodes; `verify_token` succeeds exactly when `verify_token_any_imprint` does with a SHA-256
//! imprint equal to the imprint, with the same proven time; a proven time names a trusted root
//! and its RFC 3339 form; the checks are deterministic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use transmittal_core::timestamp::{
    token_covers, token_from_file_bytes, token_from_response, verify_token,
    verify_token_any_imprint, TimestampError, MAX_TOKEN_BYTES,
};

/// The DER roots of the fixtures: the TSA root, an unrelated root, and a root with the TSA
/// root's name and another key.
const ROOTS: [&[u8]; 3] = [
    include_bytes!("../../crates/core/tests/data/tsa/root.der"),
    include_bytes!("../../crates/core/tests/data/tsa/other-root.der"),
    include_bytes!("../../crates/core/tests/data/tsa/namesake-root.der"),
];

/// The nonce of the fixtures' request (`request.tsq`): 01 02 .. 10.
const NONCE: [u8; 16] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

const SHA256_OID: &str = "2.16.840.1.101.3.4.2.1";

struct Fixtures {
    roots: Vec<Vec<u8>>,
    /// SHA-256 of the 64 bytes 00 01 .. 3f, the imprint of every fixture token.
    imprint: [u8; 32],
}

fn fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(|| {
        let sig: Vec<u8> = (0u8..64).collect();
        Fixtures {
            roots: ROOTS.iter().map(|r| r.to_vec()).collect(),
            imprint: Sha256::digest(&sig).into(),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixtures();
    let imprint = &f.imprint;

    // The whole input as a token.
    let covers = token_covers(data, imprint);
    let proven = verify_token(data, imprint, &f.roots);
    let any = verify_token_any_imprint(data, &f.roots);
    match (&proven, &any) {
        (Ok(p), Ok((q, alg, hashed))) => {
            assert_eq!(p, q, "verify_token and verify_token_any_imprint disagree");
            assert_eq!(alg, SHA256_OID);
            assert_eq!(hashed.as_slice(), imprint.as_slice());
            assert_eq!(
                covers,
                Ok(true),
                "a verified token does not cover its imprint"
            );
        }
        (Ok(_), Err(e)) => {
            panic!("verify_token accepts what verify_token_any_imprint refuses: {e}")
        }
        (Err(TimestampError::ImprintMismatch), Ok((_, alg, hashed))) => {
            assert!(alg != SHA256_OID || hashed.as_slice() != imprint.as_slice());
            assert_eq!(covers, Ok(false), "token_covers disagrees on the imprint");
        }
        (Err(e), Ok(_)) => {
            panic!("verify_token_any_imprint accepts what verify_token refuses: {e}")
        }
        (Err(_), Err(_)) => {}
    }
    if let Ok((p, _, _)) = &any {
        assert!(!p.root.is_empty(), "a proven time without its root");
        assert_eq!(p.gen_time_rfc3339.len(), 20, "{}", p.gen_time_rfc3339);
        assert!(covers.is_ok(), "a verified token that does not decode");
    }
    assert_eq!(
        verify_token(data, imprint, &f.roots),
        proven,
        "verify_token is not deterministic"
    );

    // The whole input as a response to the fixtures' request.
    if let Ok(token) = token_from_response(data, imprint, Some(&NONCE)) {
        assert!(token.len() <= MAX_TOKEN_BYTES);
        assert_eq!(token_covers(&token, imprint), Ok(true));
        assert_eq!(
            token_from_file_bytes(&token).as_deref(),
            Ok(token.as_slice())
        );
        // Also accepted without the nonce check, and as a token file.
        assert_eq!(
            token_from_response(data, imprint, None).as_deref(),
            Ok(token.as_slice())
        );
        assert_eq!(token_from_file_bytes(data).as_deref(), Ok(token.as_slice()));
        let _ = verify_token(&token, imprint, &f.roots);
    }

    // The whole input as a token file (a response or a bare token).
    if let Ok(token) = token_from_file_bytes(data) {
        assert!(token.len() <= MAX_TOKEN_BYTES);
        assert!(
            token_covers(&token, imprint).is_ok(),
            "an accepted token does not decode"
        );
        if token.as_slice() != data {
            let _ = verify_token_any_imprint(&token, &f.roots);
        }
    }
});
