//! The signature algorithms a certificate, a CRL or a CMS signer may use, as
//! `rustls-webpki` verification algorithms backed by the RustCrypto crates.
//!
//! Each one decodes the public key (the `subjectPublicKey` bit string of the certificate),
//! hashes the message with its own hash, and asks the RustCrypto crate whether the signature
//! holds. Nothing cryptographic is written here: this file only maps algorithm identifiers to
//! those crates.
//!
//! * Ed25519 (RFC 8410): the strict check of [`crate::crypto::verify_strict`], the same one
//!   transmittal's own signatures get.
//! * ECDSA over P-256 and P-384 with SHA-256 or SHA-384 (RFC 5758): `p256` / `p384`, the
//!   signature DER-encoded, the digest computed here and given as a prehash (which is how
//!   ECDSA with a hash other than the curve's own is defined).
//! * RSA PKCS#1 v1.5 with SHA-256/384/512 and RSA-PSS with SHA-256/384/512 (salt as long as the
//!   hash, MGF1 with the same hash: the only PSS parameters webpki names): `rsa`. Keys of 2048
//!   to 8192 bits, as webpki's own RSA algorithms accept.
//!
//! SHA-1 and MD5 are not offered: a certificate, CRL or token signed with them does not verify.

use pki_types::{alg_id, AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};
use rustls_pki_types as pki_types;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// The hash an algorithm applies to the message before signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashAlg {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlg {
    /// The digest of `message`.
    pub fn digest(self, message: &[u8]) -> Vec<u8> {
        match self {
            HashAlg::Sha256 => Sha256::digest(message).to_vec(),
            HashAlg::Sha384 => Sha384::digest(message).to_vec(),
            HashAlg::Sha512 => Sha512::digest(message).to_vec(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Curve {
    P256,
    P384,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RsaPadding {
    Pkcs1,
    Pss,
}

/// One supported (public-key algorithm, signature algorithm) pair.
#[derive(Debug)]
pub struct Algorithm {
    name: &'static str,
    public_key: AlgorithmIdentifier,
    signature: AlgorithmIdentifier,
    kind: Kind,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Ed25519,
    Ecdsa(Curve, HashAlg),
    Rsa(RsaPadding, HashAlg),
}

impl Algorithm {
    /// A short name for reports, e.g. `ecdsa-p256-sha256`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The hash this algorithm applies to the message, if any (Ed25519 has none of its own).
    pub fn hash(&self) -> Option<HashAlg> {
        match self.kind {
            Kind::Ed25519 => None,
            Kind::Ecdsa(_, h) | Kind::Rsa(_, h) => Some(h),
        }
    }

    /// Checks `signature` over the digest `digest` (already hashed with [`Algorithm::hash`]).
    /// Ed25519 signs messages, not digests: for it this always refuses.
    pub fn verify_prehashed(
        &self,
        public_key: &[u8],
        digest: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        match self.kind {
            Kind::Ed25519 => Err(InvalidSignature),
            Kind::Ecdsa(curve, _) => ecdsa_prehash(curve, public_key, digest, signature),
            Kind::Rsa(padding, hash) => rsa_prehash(padding, hash, public_key, digest, signature),
        }
    }
}

impl SignatureVerificationAlgorithm for Algorithm {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        match self.kind {
            Kind::Ed25519 => crate::crypto::verify_strict(public_key, message, signature)
                .map_err(|_| InvalidSignature),
            Kind::Ecdsa(curve, hash) => {
                ecdsa_prehash(curve, public_key, &hash.digest(message), signature)
            }
            Kind::Rsa(padding, hash) => {
                rsa_prehash(padding, hash, public_key, &hash.digest(message), signature)
            }
        }
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.public_key
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.signature
    }
}

fn ecdsa_prehash(
    curve: Curve,
    public_key: &[u8],
    digest: &[u8],
    signature: &[u8],
) -> Result<(), InvalidSignature> {
    use signature::hazmat::PrehashVerifier;
    match curve {
        Curve::P256 => {
            let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(public_key)
                .map_err(|_| InvalidSignature)?;
            let sig = p256::ecdsa::Signature::from_der(signature).map_err(|_| InvalidSignature)?;
            key.verify_prehash(digest, &sig)
                .map_err(|_| InvalidSignature)
        }
        Curve::P384 => {
            let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(public_key)
                .map_err(|_| InvalidSignature)?;
            let sig = p384::ecdsa::Signature::from_der(signature).map_err(|_| InvalidSignature)?;
            key.verify_prehash(digest, &sig)
                .map_err(|_| InvalidSignature)
        }
    }
}

/// RSA keys shorter than this are refused (as webpki's own RSA algorithms do).
const RSA_MIN_BITS: usize = 2048;
/// RSA keys longer than this are refused (bounds the work one hostile certificate can cause).
const RSA_MAX_BITS: usize = 8192;

fn rsa_prehash(
    padding: RsaPadding,
    hash: HashAlg,
    public_key: &[u8],
    digest: &[u8],
    signature: &[u8],
) -> Result<(), InvalidSignature> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    use rsa::traits::PublicKeyParts;
    let key = rsa::RsaPublicKey::from_pkcs1_der(public_key).map_err(|_| InvalidSignature)?;
    let bits = key.n().bits();
    if !(RSA_MIN_BITS..=RSA_MAX_BITS).contains(&bits) {
        return Err(InvalidSignature);
    }
    let scheme_result = match (padding, hash) {
        (RsaPadding::Pkcs1, HashAlg::Sha256) => {
            key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), digest, signature)
        }
        (RsaPadding::Pkcs1, HashAlg::Sha384) => {
            key.verify(rsa::Pkcs1v15Sign::new::<Sha384>(), digest, signature)
        }
        (RsaPadding::Pkcs1, HashAlg::Sha512) => {
            key.verify(rsa::Pkcs1v15Sign::new::<Sha512>(), digest, signature)
        }
        (RsaPadding::Pss, HashAlg::Sha256) => {
            key.verify(rsa::Pss::new_with_salt::<Sha256>(32), digest, signature)
        }
        (RsaPadding::Pss, HashAlg::Sha384) => {
            key.verify(rsa::Pss::new_with_salt::<Sha384>(48), digest, signature)
        }
        (RsaPadding::Pss, HashAlg::Sha512) => {
            key.verify(rsa::Pss::new_with_salt::<Sha512>(64), digest, signature)
        }
    };
    scheme_result.map_err(|_| InvalidSignature)
}

macro_rules! algorithm {
    ($name:ident, $label:literal, $pk:expr, $sig:expr, $kind:expr) => {
        #[doc = concat!("`", $label, "`.")]
        pub static $name: Algorithm = Algorithm {
            name: $label,
            public_key: $pk,
            signature: $sig,
            kind: $kind,
        };
    };
}

algorithm!(
    ED25519,
    "ed25519",
    alg_id::ED25519,
    alg_id::ED25519,
    Kind::Ed25519
);
algorithm!(
    ECDSA_P256_SHA256,
    "ecdsa-p256-sha256",
    alg_id::ECDSA_P256,
    alg_id::ECDSA_SHA256,
    Kind::Ecdsa(Curve::P256, HashAlg::Sha256)
);
algorithm!(
    ECDSA_P256_SHA384,
    "ecdsa-p256-sha384",
    alg_id::ECDSA_P256,
    alg_id::ECDSA_SHA384,
    Kind::Ecdsa(Curve::P256, HashAlg::Sha384)
);
algorithm!(
    ECDSA_P384_SHA256,
    "ecdsa-p384-sha256",
    alg_id::ECDSA_P384,
    alg_id::ECDSA_SHA256,
    Kind::Ecdsa(Curve::P384, HashAlg::Sha256)
);
algorithm!(
    ECDSA_P384_SHA384,
    "ecdsa-p384-sha384",
    alg_id::ECDSA_P384,
    alg_id::ECDSA_SHA384,
    Kind::Ecdsa(Curve::P384, HashAlg::Sha384)
);
algorithm!(
    RSA_PKCS1_SHA256,
    "rsa-pkcs1-sha256",
    alg_id::RSA_ENCRYPTION,
    alg_id::RSA_PKCS1_SHA256,
    Kind::Rsa(RsaPadding::Pkcs1, HashAlg::Sha256)
);
algorithm!(
    RSA_PKCS1_SHA384,
    "rsa-pkcs1-sha384",
    alg_id::RSA_ENCRYPTION,
    alg_id::RSA_PKCS1_SHA384,
    Kind::Rsa(RsaPadding::Pkcs1, HashAlg::Sha384)
);
algorithm!(
    RSA_PKCS1_SHA512,
    "rsa-pkcs1-sha512",
    alg_id::RSA_ENCRYPTION,
    alg_id::RSA_PKCS1_SHA512,
    Kind::Rsa(RsaPadding::Pkcs1, HashAlg::Sha512)
);
algorithm!(
    RSA_PSS_SHA256,
    "rsa-pss-sha256",
    alg_id::RSA_ENCRYPTION,
    alg_id::RSA_PSS_SHA256,
    Kind::Rsa(RsaPadding::Pss, HashAlg::Sha256)
);
algorithm!(
    RSA_PSS_SHA384,
    "rsa-pss-sha384",
    alg_id::RSA_ENCRYPTION,
    alg_id::RSA_PSS_SHA384,
    Kind::Rsa(RsaPadding::Pss, HashAlg::Sha384)
);
algorithm!(
    RSA_PSS_SHA512,
    "rsa-pss-sha512",
    alg_id::RSA_ENCRYPTION,
    alg_id::RSA_PSS_SHA512,
    Kind::Rsa(RsaPadding::Pss, HashAlg::Sha512)
);

/// Every supported algorithm, for webpki's `supported_sig_algs`.
pub static ALL: &[&dyn SignatureVerificationAlgorithm] = &[
    &ED25519,
    &ECDSA_P256_SHA256,
    &ECDSA_P256_SHA384,
    &ECDSA_P384_SHA256,
    &ECDSA_P384_SHA384,
    &RSA_PKCS1_SHA256,
    &RSA_PKCS1_SHA384,
    &RSA_PKCS1_SHA512,
    &RSA_PSS_SHA256,
    &RSA_PSS_SHA384,
    &RSA_PSS_SHA512,
];

/// The same list with their concrete type, to pick one by its identifiers.
pub static BY_ID: &[&Algorithm] = &[
    &ED25519,
    &ECDSA_P256_SHA256,
    &ECDSA_P256_SHA384,
    &ECDSA_P384_SHA256,
    &ECDSA_P384_SHA384,
    &RSA_PKCS1_SHA256,
    &RSA_PKCS1_SHA384,
    &RSA_PKCS1_SHA512,
    &RSA_PSS_SHA256,
    &RSA_PSS_SHA384,
    &RSA_PSS_SHA512,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ed25519_is_the_strict_check() {
        use ed25519_dalek::{Signer, SigningKey};
        let sk = SigningKey::from_bytes(&[7u8; 32]);
        let sig = sk.sign(b"msg").to_bytes();
        let pk = sk.verifying_key().to_bytes();
        assert!(ED25519.verify_signature(&pk, b"msg", &sig).is_ok());
        assert!(ED25519.verify_signature(&pk, b"msh", &sig).is_err());
        assert!(ED25519.verify_prehashed(&pk, b"msg", &sig).is_err());
    }

    #[test]
    fn ecdsa_p256_verifies_and_refuses() {
        use p256::ecdsa::{signature::Signer, SigningKey};
        let sk = SigningKey::from_slice(&[9u8; 32]).unwrap();
        let sig: p256::ecdsa::Signature = sk.sign(b"msg");
        let der = sig.to_der();
        let pk = sk.verifying_key().to_encoded_point(false);
        assert!(ECDSA_P256_SHA256
            .verify_signature(pk.as_bytes(), b"msg", der.as_bytes())
            .is_ok());
        assert!(ECDSA_P256_SHA256
            .verify_signature(pk.as_bytes(), b"msh", der.as_bytes())
            .is_err());
        // The same signature is not a SHA-384 one.
        assert!(ECDSA_P256_SHA384
            .verify_signature(pk.as_bytes(), b"msg", der.as_bytes())
            .is_err());
    }
}
