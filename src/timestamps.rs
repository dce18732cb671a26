//! Adding RFC 3161 time-stamp tokens to the signatures of a signature file (docs/FORMAT.md §7.4):
//! which signatures get one, checking each token before it is written, and matching a token
//! obtained elsewhere to the signature it covers.
//!
//! Nothing here talks to the network or the file system: the caller passes the function that
//! obtains a token (`crate::io::tsa::request_token` for `--tsa URL`) and writes the file.

use crate::error::{Error, SignError};
use crate::sigfile::{SignatureFile, SignatureRecord, MAX_TIMESTAMPS};
use crate::trust::TrustStore;
use sha2::{Digest, Sha256};
use transmittal_core::timestamp::{self, TimestampError};

fn refuse(msg: impl Into<String>) -> Error {
    Error::Sign(SignError::Refused(msg.into()))
}

/// The message imprint of a signature: SHA-256 of its 64 bytes.
pub fn imprint_of(sig: &SignatureRecord) -> [u8; 32] {
    Sha256::digest(sig.signature).into()
}

/// What a token just obtained is worth to this verifier, for the message after writing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenCheck {
    /// Valid and trusted: the proven time (RFC 3339) and the TSA.
    Trusted {
        /// `genTime`.
        time: String,
        /// The TSA's certificate subject.
        tsa: String,
    },
    /// Valid, but the TSA's root is not in this trust store's `tsa/` folder (recipients need it).
    Untrusted(String),
}

/// Checks `token` for `sig` against the store's TSA roots. An untrusted TSA is not an error (the
/// recipients' stores decide); any other failure is: a token that proves nothing is never
/// written.
pub fn check_token(
    token: &[u8],
    sig: &SignatureRecord,
    store: &TrustStore,
    now: i64,
) -> Result<TokenCheck, TimestampError> {
    let anchors = store.anchors();
    match timestamp::verify_token_with_crls(
        token,
        &imprint_of(sig),
        &anchors.tsa_roots,
        &anchors.crls,
        Some(now),
        false,
    ) {
        Ok(p) => Ok(TokenCheck::Trusted {
            time: p.gen_time_rfc3339,
            tsa: p.tsa,
        }),
        Err(TimestampError::Untrusted(why)) => Ok(TokenCheck::Untrusted(why)),
        // Whether the TSA was revoked cannot be told here: recipients' CRLs decide.
        Err(e @ (TimestampError::CrlStale(_) | TimestampError::BadCrl(_))) => {
            Ok(TokenCheck::Untrusted(e.to_string()))
        }
        Err(e) => Err(e),
    }
}

/// Which signatures `timestamp --tsa` stamps: those of `layer` (all layers when `None`) that
/// carry no token yet (or every one of them with `again`).
pub fn select(
    file: &SignatureFile,
    layer: Option<usize>,
    again: bool,
) -> Result<Vec<(usize, usize)>, Error> {
    if let Some(l) = layer {
        if l >= file.layers.len() {
            return Err(refuse(format!(
                "there is no layer {l}: the signature file records layers 0 to {}",
                file.layers.len() - 1
            )));
        }
    }
    let mut out = Vec::new();
    for (i, l) in file.layers.iter().enumerate() {
        if layer.is_some_and(|want| want != i) {
            continue;
        }
        for (j, s) in l.signatures.iter().enumerate() {
            if (again || s.timestamps.is_empty()) && s.timestamps.len() < MAX_TIMESTAMPS {
                out.push((i, j));
            }
        }
    }
    Ok(out)
}

/// Adds `token` to the signature `(i, j)`, refusing a token it already carries or one too many.
pub fn add(file: &mut SignatureFile, (i, j): (usize, usize), token: Vec<u8>) -> Result<(), Error> {
    let sig = &mut file.layers[i].signatures[j];
    if sig.timestamps.contains(&token) {
        return Err(refuse(format!(
            "signature {j} of layer {i} already carries this time-stamp token"
        )));
    }
    if sig.timestamps.len() >= MAX_TIMESTAMPS {
        return Err(refuse(format!(
            "signature {j} of layer {i} already carries {MAX_TIMESTAMPS} time-stamp tokens, the most a signature may carry"
        )));
    }
    sig.timestamps.push(token);
    Ok(())
}

/// The signature a token obtained elsewhere (`--tsa-token FILE`) covers: the one whose SHA-256
/// is its imprint. The file may hold a DER `TimeStampResp` (its status must be granted) or a bare
/// token; returns the token and where it belongs.
pub fn match_token(
    file: &SignatureFile,
    bytes: &[u8],
) -> Result<(Vec<u8>, (usize, usize)), TimestampError> {
    let token = timestamp::token_from_file_bytes(bytes)?;
    for (i, l) in file.layers.iter().enumerate() {
        for (j, s) in l.signatures.iter().enumerate() {
            if timestamp::token_covers(&token, &imprint_of(s))? {
                return Ok((token, (i, j)));
            }
        }
    }
    Err(TimestampError::ImprintMismatch)
}
