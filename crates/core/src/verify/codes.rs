//! The problem codes a verification report can carry: [`ProblemCode`], one variant per code with
//! its string, its level and what it means. `docs/FORMAT.md` §9.6 documents the same table (a test
//! keeps both equal); reports carry the enum, so the verifier emits no code that is not listed.

use serde::{Serialize, Serializer};

/// How a problem code weighs on the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The document is `invalid`.
    Invalid,
    /// The document is `indeterminate` (unless something makes it `invalid`).
    Indeterminate,
    /// A warning: `--strict` makes it a failure.
    Warning,
    /// Advice: never changes a verdict, `--strict` included.
    Advice,
}

impl Level {
    /// The level as written in `docs/FORMAT.md` §9.6.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Invalid => "invalid",
            Level::Indeterminate => "indeterminate",
            Level::Warning => "warning",
            Level::Advice => "advice",
        }
    }
}

macro_rules! problem_codes {
    ($($(#[$doc:meta])* $variant:ident = ($code:literal, $level:ident, $meaning:literal),)*) => {
        /// A problem code of a verification report (`docs/FORMAT.md` §9.6). It is written as its
        /// kebab-case string ([`ProblemCode::as_str`]) in reports, JSON included.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ProblemCode {
            $($(#[$doc])* $variant,)*
        }

        impl ProblemCode {
            /// Every problem code, in the order of `docs/FORMAT.md` §9.6.
            pub const ALL: &'static [ProblemCode] = &[$(ProblemCode::$variant,)*];

            /// The code as written in reports, such as `content-changed`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ProblemCode::$variant => $code,)*
                }
            }

            /// How the code weighs on the verdict.
            pub fn level(self) -> Level {
                match self {
                    $(ProblemCode::$variant => Level::$level,)*
                }
            }

            /// What the code means, as in `docs/FORMAT.md` §9.6.
            pub fn description(self) -> &'static str {
                match self {
                    $(ProblemCode::$variant => $meaning,)*
                }
            }
        }
    };
}

problem_codes! {
    /// the signature file is not valid JSON of this format, an unknown/older format, internally inconsistent, or holds two records by one key on one layer
    MalformedSignatureFile = ("malformed-signature-file", Invalid, "the signature file is not valid JSON of this format, an unknown/older format, internally inconsistent, or holds two records by one key on one layer"),
    /// the file uses a canonical profile this version does not verify
    ProfileMismatch = ("profile-mismatch", Invalid, "the file uses a canonical profile this version does not verify"),
    /// signed lines of a layer changed (lines named; found text shown)
    ContentChanged = ("content-changed", Invalid, "signed lines of a layer changed (lines named; found text shown)"),
    /// unsigned text inside or after a layer
    LinesAdded = ("lines-added", Invalid, "unsigned text inside or after a layer"),
    /// signed lines are missing
    LinesRemoved = ("lines-removed", Invalid, "signed lines are missing"),
    /// the container markers around a layer changed (reported on the layer whose signer added them)
    MarkersChanged = ("markers-changed", Invalid, "the container markers around a layer changed (reported on the layer whose signer added them)"),
    /// the recorded kind disagrees with the markers
    KindMismatch = ("kind-mismatch", Invalid, "the recorded kind disagrees with the markers"),
    /// a whole layer is gone (stripped), or a signature was made over a layer beneath that is gone
    LayerMissing = ("layer-missing", Invalid, "a whole layer is gone (stripped), or a signature was made over a layer beneath that is gone"),
    /// text that reads as an extra layer was inserted, a layer's text is duplicated, or a layer now lies beneath a signature made as innermost
    LayerAdded = ("layer-added", Invalid, "text that reads as an extra layer was inserted, a layer's text is duplicated, or a layer now lies beneath a signature made as innermost"),
    /// a layer's text is present but moved
    LayersReordered = ("layers-reordered", Invalid, "a layer's text is present but moved"),
    /// a layer beneath this signature changed
    InnerLayerChanged = ("inner-layer-changed", Invalid, "a layer beneath this signature changed"),
    /// a genuine signature made over a different layer beneath (letter moved onto another document, annex swapped)
    ChainMismatch = ("chain-mismatch", Invalid, "a genuine signature made over a different layer beneath (letter moved onto another document, annex swapped)"),
    /// the signatures beneath are not those the signer saw
    InnerSignaturesChanged = ("inner-signatures-changed", Invalid, "the signatures beneath are not those the signer saw"),
    /// a genuine signature made over other content (copied from another layer or document)
    SignatureReplayed = ("signature-replayed", Invalid, "a genuine signature made over other content (copied from another layer or document)"),
    /// Ed25519 verification failed (forged, damaged, non-canonical, small-order)
    BadSignature = ("bad-signature", Invalid, "Ed25519 verification failed (forged, damaged, non-canonical, small-order)"),
    /// no trust-store entry holds the key
    UnknownKey = ("unknown-key", Indeterminate, "no trust-store entry holds the key"),
    /// the signer id names a trust-store entry that holds another key
    KeyMismatch = ("key-mismatch", Invalid, "the signer id names a trust-store entry that holds another key"),
    /// the signing date or letter date is after `valid_until`
    KeyExpired = ("key-expired", Invalid, "the signing date or letter date is after `valid_until`"),
    /// the signing date or letter date is before `valid_from`, or a trusted timestamp proves the signature older than `valid_from` (§9.5)
    KeyNotYetValid = ("key-not-yet-valid", Invalid, "the signing date or letter date is before `valid_from`, or a trusted timestamp proves the signature older than `valid_from` (§9.5)"),
    /// the signing date or letter date is on or after `revoked_at` (`superseded`, `retired`), or a trusted timestamp of the signature is (`compromised`, §9.5)
    KeyRevoked = ("key-revoked", Invalid, "the signing date or letter date is on or after `revoked_at` (`superseded`, `retired`), or a trusted timestamp of the signature is (`compromised`, §9.5)"),
    /// the signing date is more than one day after the verification date (§9.5)
    SignedInFuture = ("signed-in-future", Invalid, "the signing date is more than one day after the verification date (§9.5)"),
    /// the key's identity does not match the statement's signatory or any "(Signed)" mark of the layer (§6.5)
    SignerMismatch = ("signer-mismatch", Invalid, "the key's identity does not match the statement's signatory or any \"(Signed)\" mark of the layer (§6.5)"),
    /// a "(Signed)" mark names someone with no valid signature on the layer (§6.5)
    MissingSignature = ("missing-signature", Indeterminate, "a \"(Signed)\" mark names someone with no valid signature on the layer (§6.5)"),
    /// text before layer 0 that is not an acceptable header (§9.2), or a layer (even an empty one) on and above which no signature record stands (§9.1)
    UncoveredText = ("uncovered-text", Invalid, "text before layer 0 that is not an acceptable header (§9.2), or a layer (even an empty one) on and above which no signature record stands (§9.1)"),
    /// the signature file holds no signature record (§9.1), or no signature in it is valid while nothing else is reported
    NoSignature = ("no-signature", Invalid, "the signature file holds no signature record (§9.1), or no signature in it is valid while nothing else is reported"),
    /// a line blank to the canonical profile but not to a Markdown reader (§9.4)
    AmbiguousBlankLine = ("ambiguous-blank-line", Invalid, "a line blank to the canonical profile but not to a Markdown reader (§9.4)"),
    /// a character NFC turns into markup a Markdown reader sees differently (§9.4)
    AmbiguousCharacter = ("ambiguous-character", Invalid, "a character NFC turns into markup a Markdown reader sees differently (§9.4)"),
    /// a signed line that reads as a "(Signed)" line but is no signature mark (§6.6)
    SignatureLookAlike = ("signature-look-alike", Invalid, "a signed line that reads as a \"(Signed)\" line but is no signature mark (§6.6)"),
    /// a time-stamp token of the signature is not a valid RFC 3161 token (§7.4)
    TimestampMalformed = ("timestamp-malformed", Invalid, "a time-stamp token of the signature is not a valid RFC 3161 token (§7.4)"),
    /// the TSA's signature on a time-stamp token does not verify (tampered or forged token)
    TimestampBadSignature = ("timestamp-bad-signature", Invalid, "the TSA's signature on a time-stamp token does not verify (tampered or forged token)"),
    /// a time-stamp token's messageDigest is not the digest of its content (tampered token)
    TimestampDigestMismatch = ("timestamp-digest-mismatch", Invalid, "a time-stamp token's messageDigest is not the digest of its content (tampered token)"),
    /// a time-stamp token's ESSCertIDv2 does not name the certificate that signed it
    TimestampCertIdMismatch = ("timestamp-cert-id-mismatch", Invalid, "a time-stamp token's ESSCertIDv2 does not name the certificate that signed it"),
    /// a time-stamp token covers other data, not SHA-256 of this signature (copied from another signature)
    TimestampImprintMismatch = ("timestamp-imprint-mismatch", Invalid, "a time-stamp token covers other data, not SHA-256 of this signature (copied from another signature)"),
    /// a time-stamp token's TSA does not chain to a root in the trust store's `tsa/` folder: the token proves nothing (§9.5)
    TimestampUntrusted = ("timestamp-untrusted", Warning, "a time-stamp token's TSA does not chain to a root in the trust store's `tsa/` folder: the token proves nothing (§9.5)"),
    /// the TSA certificate has no critical `timeStamping` extended key usage
    TimestampNotForTimestamping = ("timestamp-not-for-timestamping", Invalid, "the TSA certificate has no critical `timeStamping` extended key usage"),
    /// the TSA certificate (or one above it) was not valid at the token's time
    TimestampCertNotValid = ("timestamp-cert-not-valid", Invalid, "the TSA certificate (or one above it) was not valid at the token's time"),
    /// a CRL revokes the TSA's certificate (or one above it): for any reason but superseded/cessationOfOperation its tokens prove nothing whatever time they state, else from the revocation on (§9.5)
    TimestampTsaRevoked = ("timestamp-tsa-revoked", Invalid, "a CRL revokes the TSA's certificate (or one above it): for any reason but superseded/cessationOfOperation its tokens prove nothing whatever time they state, else from the revocation on (§9.5)"),
    /// the TSA certificate path is broken otherwise (a bad signature, a constraint)
    TimestampBadPath = ("timestamp-bad-path", Invalid, "the TSA certificate path is broken otherwise (a bad signature, a constraint)"),
    /// a trusted timestamp proves the signature existed more than one day before the signing date it claims (§9.5)
    TimestampBeforeSigning = ("timestamp-before-signing", Invalid, "a trusted timestamp proves the signature existed more than one day before the signing date it claims (§9.5)"),
    /// the key (or its certificate) was revoked as compromised and no trusted timestamp proves the signature existed before that (§9.5)
    TimeUnprovenAfterCompromise = ("time-unproven-after-compromise", Invalid, "the key (or its certificate) was revoked as compromised and no trusted timestamp proves the signature existed before that (§9.5)"),
    /// `--require-timestamp`: the signature carries no trusted timestamp (§9.5)
    TimestampMissing = ("timestamp-missing", Indeterminate, "`--require-timestamp`: the signature carries no trusted timestamp (§9.5)"),
    /// a certificate carried by the signature is not valid DER X.509 (§7.5)
    CertificateMalformed = ("certificate-malformed", Invalid, "a certificate carried by the signature is not valid DER X.509 (§7.5)"),
    /// the signatory's certificate certifies another key than the one that signed
    CertificateKeyMismatch = ("certificate-key-mismatch", Invalid, "the signatory's certificate certifies another key than the one that signed"),
    /// the signatory's certificate does not chain to a root in the trust store's `roots/` folder (§8.4)
    CertificateUnknownRoot = ("certificate-unknown-root", Indeterminate, "the signatory's certificate does not chain to a root in the trust store's `roots/` folder (§8.4)"),
    /// a certificate on the path had expired at the claimed signing date, or the signatory's at the letter date
    CertificateExpired = ("certificate-expired", Invalid, "a certificate on the path had expired at the claimed signing date, or the signatory's at the letter date"),
    /// a certificate on the path was not yet valid at the claimed signing date, or the signatory's at the letter date or a proven time (§9.5)
    CertificateNotYetValid = ("certificate-not-yet-valid", Invalid, "a certificate on the path was not yet valid at the claimed signing date, or the signatory's at the letter date or a proven time (§9.5)"),
    /// the signatory's certificate is not for signing documents (key usage `digitalSignature`, extended key usage `id-kp-documentSigning`)
    CertificateWrongUsage = ("certificate-wrong-usage", Invalid, "the signatory's certificate is not for signing documents (key usage `digitalSignature`, extended key usage `id-kp-documentSigning`)"),
    /// the path breaks a basic constraint: a path longer than a CA allows, or a certificate acting as a CA that is none
    CertificatePathConstraints = ("certificate-path-constraints", Invalid, "the path breaks a basic constraint: a path longer than a CA allows, or a certificate acting as a CA that is none"),
    /// a name on the path lies outside an issuer's name constraints
    CertificateNameConstraints = ("certificate-name-constraints", Invalid, "a name on the path lies outside an issuer's name constraints"),
    /// the certificate path is broken otherwise (a bad signature, an issuer that does not match)
    CertificateBadPath = ("certificate-bad-path", Invalid, "the certificate path is broken otherwise (a bad signature, an issuer that does not match)"),
    /// a CRL revokes a certificate on the path, effective at or before the claimed dates (superseded, cessationOfOperation) or a proven time (any other reason) (§8.4)
    CertificateRevoked = ("certificate-revoked", Invalid, "a CRL revokes a certificate on the path, effective at or before the claimed dates (superseded, cessationOfOperation) or a proven time (any other reason) (§8.4)"),
    /// the certificate names someone the trust store knows with another key: the two trust models disagree about who that is (§8.4)
    CertificateNamePinned = ("certificate-name-pinned", Indeterminate, "the certificate names someone the trust store knows with another key: the two trust models disagree about who that is (§8.4)"),
    /// the certificate's name mixes Latin letters with Cyrillic or Greek ones, as look-alike names do (§8.4)
    CertificateNameMixedScript = ("certificate-name-mixed-script", Indeterminate, "the certificate's name mixes Latin letters with Cyrillic or Greek ones, as look-alike names do (§8.4)"),
    /// a CRL for a certificate on the path is past its nextUpdate (`--allow-stale-crl` accepts it)
    CrlStale = ("crl-stale", Indeterminate, "a CRL for a certificate on the path is past its nextUpdate (`--allow-stale-crl` accepts it)"),
    /// a CRL for a certificate on the path does not verify with its issuer's key: revocation status unknown
    CrlInvalid = ("crl-invalid", Indeterminate, "a CRL for a certificate on the path does not verify with its issuer's key: revocation status unknown"),
    /// a publication header matching §9.3, covered by no signature
    UncoveredHeader = ("uncovered-header", Warning, "a publication header matching §9.3, covered by no signature"),
    /// invisible or bidirectional controls in signed text (§2.2)
    InvisibleCharacters = ("invisible-characters", Warning, "invisible or bidirectional controls in signed text (§2.2)"),
    /// signed text a Markdown reader does not see (§9.4)
    HiddenText = ("hidden-text", Warning, "signed text a Markdown reader does not see (§9.4)"),
    /// a change was pinpointed only up to a fixed work limit (docs/SECURITY.md, "Bounds"): every change is still reported, some as larger hunks; never changes a verdict
    PinpointingLimited = ("pinpointing-limited", Advice, "a change was pinpointed only up to a fixed work limit (docs/SECURITY.md, \"Bounds\"): every change is still reported, some as larger hunks; never changes a verdict"),
    /// today's parser reads the structure differently from the signature file; never changes a verdict, `--strict` included
    ParserDisagrees = ("parser-disagrees", Advice, "today's parser reads the structure differently from the signature file; never changes a verdict, `--strict` included"),
}

impl ProblemCode {
    /// The code written `code` in reports, if there is one.
    pub fn from_name(code: &str) -> Option<ProblemCode> {
        ProblemCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == code)
    }

    /// Whether the code only reports the consequence of a change found elsewhere
    /// ([`CONSEQUENCES`]).
    pub fn is_consequence(self) -> bool {
        CONSEQUENCES.contains(&self)
    }
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ProblemCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for ProblemCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ProblemCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Codes that report the consequence of a change found elsewhere (a layer beneath changed, the
/// signatures beneath changed), never a root cause: reports list them after the causes.
pub const CONSEQUENCES: &[ProblemCode] = &[
    ProblemCode::InnerLayerChanged,
    ProblemCode::InnerSignaturesChanged,
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The rows of the table of `docs/FORMAT.md` §9.6: (code, level, meaning).
    fn format_table() -> Vec<(String, String, String)> {
        let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/FORMAT.md"));
        let start = text.find("### 9.6 Codes").expect("§9.6 present");
        let rest = &text[start..];
        let end = rest.find("\n## ").expect("a section after §9.6");
        rest[..end]
            .lines()
            .filter(|l| l.starts_with("| `"))
            .map(|l| {
                let cells: Vec<&str> = l.trim().trim_matches('|').split(" | ").collect();
                (
                    cells[0].trim().trim_matches('`').to_owned(),
                    cells[1].trim().to_owned(),
                    cells[2..].join(" | ").trim().to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn the_enum_equals_the_table_in_format_md() {
        let doc = format_table();
        let ours: Vec<(String, String, String)> = ProblemCode::ALL
            .iter()
            .map(|c| {
                (
                    c.as_str().to_owned(),
                    c.level().as_str().to_owned(),
                    c.description().to_owned(),
                )
            })
            .collect();
        assert_eq!(ours, doc);
        let distinct: BTreeSet<&str> = ProblemCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            distinct.len(),
            ProblemCode::ALL.len(),
            "each code documented once"
        );
    }

    #[test]
    fn codes_are_kebab_case_strings_in_json() {
        for &c in ProblemCode::ALL {
            assert!(c
                .as_str()
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch == '-'));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{c}\""));
            assert_eq!(ProblemCode::from_name(c.as_str()), Some(c));
            assert!(c == c.as_str());
        }
        assert_eq!(ProblemCode::from_name("no-such-code"), None);
    }

    #[test]
    fn consequences_are_invalid_and_levels_are_found() {
        for c in CONSEQUENCES {
            assert_eq!(c.level(), Level::Invalid);
            assert!(c.is_consequence());
        }
        assert!(!ProblemCode::ContentChanged.is_consequence());
        assert_eq!(ProblemCode::ParserDisagrees.level(), Level::Advice);
        assert_eq!(ProblemCode::UnknownKey.level(), Level::Indeterminate);
    }
}
