//! Which data a token is about, before anything about it is trusted: for matching a token
//! obtained elsewhere to the signature it covers (`timestamp --tsa-token`). Whether the token
//! proves anything is [`super::verify_token`]'s to say.

use super::{decode_token, TimestampError, ID_SHA256};

/// Whether `token` decodes and its message imprint is SHA-256 `imprint`. Nothing else is
/// checked: not the TSA's signature, not its certificate.
pub fn token_covers(token: &[u8], imprint: &[u8; 32]) -> Result<bool, TimestampError> {
    let decoded = decode_token(token)?;
    let mi = &decoded.tst_info.message_imprint;
    Ok(mi.hash_algorithm.oid == ID_SHA256 && mi.hashed_message.as_bytes() == imprint.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn a_token_covers_its_imprint_and_nothing_else() {
        let token = include_bytes!("../../tests/data/tsa/p256.tst");
        let sig: Vec<u8> = (0u8..64).collect();
        let imprint: [u8; 32] = Sha256::digest(&sig).into();
        assert!(token_covers(token, &imprint).unwrap());
        let mut other = imprint;
        other[0] ^= 1;
        assert!(!token_covers(token, &other).unwrap());
        assert!(matches!(
            token_covers(b"junk", &imprint),
            Err(TimestampError::Malformed(_))
        ));
    }
}
