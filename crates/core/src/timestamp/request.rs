//! RFC 3161 requests and responses (§2.4.1, §2.4.2): the `TimeStampReq` a client sends, and the
//! token of a granted `TimeStampResp`.

use super::*;

/// `nonce` as the positive INTEGER a request carries.
fn nonce_int(nonce: &[u8; 16]) -> Option<Int> {
    let uint = Uint::new(nonce).ok()?;
    Int::from_der(&uint.to_der().ok()?).ok()
}

/// A DER `TimeStampReq` for `imprint` (SHA-256) with `nonce`, `certReq` true.
pub fn build_request(imprint: &[u8; 32], nonce: &[u8; 16]) -> Vec<u8> {
    let hashed_message = match OctetString::new(imprint.as_slice()) {
        Ok(o) => o,
        Err(_) => return Vec::new(),
    };
    let request = TimeStampReq {
        version: TspVersion::V1,
        message_imprint: MessageImprint {
            hash_algorithm: x509_cert::spki::AlgorithmIdentifier {
                oid: ID_SHA256,
                // NULL parameters, as OpenSSL and most clients write them.
                parameters: Some(Any::null()),
            },
            hashed_message,
        },
        req_policy: None,
        nonce: nonce_int(nonce),
        cert_req: true,
        extensions: None,
    };
    // Encoding a request of fixed-size fields cannot fail.
    request.to_der().unwrap_or_default()
}

/// The status of a response, as text for [`TimestampError::NotGranted`].
fn status_text(status: &asn1::PkiStatusInfo) -> String {
    let name = match status.status {
        0 => "granted",
        1 => "grantedWithMods",
        2 => "rejection",
        3 => "waiting",
        4 => "revocationWarning",
        5 => "revocationNotification",
        _ => "unknown status",
    };
    let mut text = format!("{name} ({})", status.status);
    for s in status.status_string.iter().flatten() {
        text.push_str(": ");
        text.extend(s.chars().take(200).filter(|c| !c.is_control()));
    }
    if let Some(bits) = &status.fail_info {
        const NAMES: [(usize, &str); 8] = [
            (0, "badAlg"),
            (2, "badRequest"),
            (5, "badDataFormat"),
            (14, "timeNotAvailable"),
            (15, "unacceptedPolicy"),
            (16, "unacceptedExtension"),
            (17, "addInfoNotAvailable"),
            (25, "systemFailure"),
        ];
        let set: Vec<&str> = bits
            .bits()
            .enumerate()
            .filter(|(_, b)| *b)
            .map(|(i, _)| {
                NAMES
                    .iter()
                    .find(|(n, _)| *n == i)
                    .map_or("unknown failure", |(_, name)| name)
            })
            .take(8)
            .collect();
        if !set.is_empty() {
            text.push_str(&format!(" (failInfo: {})", set.join(", ")));
        }
    }
    text
}

/// The token of a decoded response whose status is granted.
fn granted_token(response: &[u8]) -> Result<Vec<u8>, TimestampError> {
    if response.len() > MAX_RESPONSE_BYTES {
        return Err(malformed(format!(
            "a response of {} bytes, more than the {MAX_RESPONSE_BYTES} accepted",
            response.len()
        )));
    }
    let resp = asn1::TimeStampResp::from_der(response)
        .map_err(|e| malformed(format!("TimeStampResp: {e}")))?;
    if resp.status.status > 1 {
        return Err(TimestampError::NotGranted(status_text(&resp.status)));
    }
    let token = resp
        .time_stamp_token
        .ok_or_else(|| malformed("a granted response without a token"))?;
    token.to_der().map_err(malformed)
}

/// The token of a DER `TimeStampResp` to a request with `imprint` and `nonce`: status granted,
/// the same imprint, the same nonce. (Its signature and path are [`verify_token`]'s.)
pub fn token_from_response(
    response: &[u8],
    imprint: &[u8; 32],
    nonce: Option<&[u8; 16]>,
) -> Result<Vec<u8>, TimestampError> {
    let token = granted_token(response)?;
    let decoded = decode_token(&token)?;
    let mi = &decoded.tst_info.message_imprint;
    if mi.hash_algorithm.oid != ID_SHA256 || mi.hashed_message.as_bytes() != imprint.as_slice() {
        return Err(TimestampError::ImprintMismatch);
    }
    if let Some(nonce) = nonce {
        let expected = nonce_int(nonce).ok_or(TimestampError::NonceMismatch)?;
        if decoded.tst_info.nonce.as_ref() != Some(&expected) {
            return Err(TimestampError::NonceMismatch);
        }
    }
    Ok(token)
}

/// A token given by the user: either a DER `TimeStampResp` (what `openssl ts -reply` writes;
/// its status must be granted) or a bare DER `TimeStampToken`. Returns the token.
pub fn token_from_file_bytes(bytes: &[u8]) -> Result<Vec<u8>, TimestampError> {
    if bytes.len() <= MAX_TOKEN_BYTES && ContentInfo::from_der(bytes).is_ok() {
        decode_token(bytes)?;
        return Ok(bytes.to_vec());
    }
    let token = granted_token(bytes)?;
    decode_token(&token)?;
    Ok(token)
}
