//! Trusted time (docs/FORMAT.md §7.4, §9.5; docs/SECURITY.md "Trusted time"): the RFC 3161
//! tokens a signature carries, what they prove, and the rules that use it.
//!
//! A signature's dates are the signer's claims. A valid token from a trusted time-stamping
//! authority proves the signature existed at its `genTime` (the *proven time*). The rules:
//!
//! * a proven time more than one day before the claimed signing date makes the claim false
//!   (`timestamp-before-signing`);
//! * the key's validity window and its revocation are checked at the claimed dates, as without a
//!   token: a token shows only that the signature existed *by* its time, so a late one proves
//!   nothing against the claim (and anyone can obtain one); a proven time before the key's (or
//!   certificate's) first valid moment proves the signature older than the key, and fails it;
//! * after a revocation as `compromised` (a trust-store key, or a certificate revoked for any
//!   reason but superseded/cessationOfOperation), only a proven time before the revocation counts
//!   (the latest time the token allows, `genTime` plus its accuracy): without one the signature
//!   is `time-unproven-after-compromise`, whatever date it claims.

use super::codes::ProblemCode;
use super::report::Findings;
use crate::format::dates::{format_iso, Date};
use crate::format::sigfile::SignatureRecord;
use crate::timestamp::{self, ProvenTime, TimestampError};
use crate::trust::TrustStore;
use sha2::{Digest, Sha256};

/// The time evidence of one signature.
#[derive(Debug, Clone, Default)]
pub(crate) struct Evidence {
    /// The earliest time a valid, trusted token proves, if any.
    pub proven: Option<ProvenTime>,
    /// How many tokens the signature carries.
    pub tokens: usize,
}

/// The code of a token that proves nothing.
fn code_of(e: &TimestampError) -> ProblemCode {
    match e {
        TimestampError::BadSignature => ProblemCode::TimestampBadSignature,
        TimestampError::DigestMismatch => ProblemCode::TimestampDigestMismatch,
        TimestampError::CertIdMismatch(_) => ProblemCode::TimestampCertIdMismatch,
        TimestampError::ImprintMismatch | TimestampError::NonceMismatch => {
            ProblemCode::TimestampImprintMismatch
        }
        TimestampError::Untrusted(_) => ProblemCode::TimestampUntrusted,
        TimestampError::NotForTimestamping => ProblemCode::TimestampNotForTimestamping,
        TimestampError::CertNotValidAtTime(_) => ProblemCode::TimestampCertNotValid,
        TimestampError::BadPath(_) => ProblemCode::TimestampBadPath,
        TimestampError::TsaRevoked(_) => ProblemCode::TimestampTsaRevoked,
        TimestampError::CrlStale(_) => ProblemCode::CrlStale,
        TimestampError::BadCrl(_) => ProblemCode::CrlInvalid,
        _ => ProblemCode::TimestampMalformed,
    }
}

/// Checks every token of `sig` against SHA-256 of its signature bytes and the store's TSA roots.
/// A token that proves nothing is reported (an untrusted TSA as a warning, anything else as a
/// failure: the file carries a false proof); the earliest proven time is kept.
pub(crate) fn evidence(
    sig: &SignatureRecord,
    store: &TrustStore,
    now: Option<i64>,
    allow_stale_crl: bool,
    f: &mut Findings,
) -> Evidence {
    let mut ev = Evidence {
        proven: None,
        tokens: sig.timestamps.len(),
    };
    if sig.timestamps.is_empty() {
        return ev;
    }
    let imprint: [u8; 32] = Sha256::digest(sig.signature).into();
    for (k, token) in sig.timestamps.iter().enumerate() {
        let anchors = store.anchors();
        match timestamp::verify_token_with_crls(
            token,
            &imprint,
            &anchors.tsa_roots,
            &anchors.crls,
            now,
            allow_stale_crl,
        ) {
            Ok(p) => {
                if ev.proven.as_ref().map_or(true, |q| p.gen_time < q.gen_time) {
                    ev.proven = Some(p);
                }
            }
            Err(e) => {
                let code = code_of(&e);
                let msg = format!("time-stamp token {k}: {e}");
                match code.level() {
                    super::codes::Level::Warning => {
                        f.warn(code, format!("{msg}; it proves nothing here"))
                    }
                    // A stale or unverifiable CRL for the TSA: whether the token proves anything
                    // cannot be decided.
                    super::codes::Level::Indeterminate => f.undecided(code, msg),
                    _ => f.fail(code, msg),
                }
            }
        }
    }
    ev
}

/// Seconds since the Unix epoch of `d` at `hour`:00 UTC.
pub(crate) fn unix_at(d: Date, hour: u8) -> i64 {
    let t = time::Time::from_hms(hour, 0, 0).unwrap_or(time::Time::MIDNIGHT);
    d.with_time(t).assume_utc().unix_timestamp()
}

/// The UTC day of `t` (seconds since the Unix epoch).
pub(crate) fn day_of(t: i64) -> Option<Date> {
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .map(|t| t.date())
}

pub(crate) use crate::pkix::name::rfc3339;

/// `timestamp-before-signing`: the proven time lies more than one day before the claimed signing
/// date (its day is earlier than the day before it).
pub(crate) fn check_claim(signed_on: Date, proven: &ProvenTime, f: &mut Findings) {
    let Some(day) = day_of(proven.gen_time) else {
        return;
    };
    if day < signed_on.previous_day().unwrap_or(signed_on) {
        f.fail(
            ProblemCode::TimestampBeforeSigning,
            format!(
                "claims to be signed on {}, but a trusted timestamp shows the signature existed on {}: the claimed date is false",
                format_iso(signed_on),
                proven.gen_time_rfc3339
            ),
        );
    }
}

/// The compromise rule: a key or certificate revoked as compromised at `revoked_at` (seconds)
/// vouches only for signatures proven to exist before then.
pub(crate) fn check_compromise(
    what: &str,
    revoked_at: i64,
    proven: Option<&ProvenTime>,
    revoked_code: ProblemCode,
    f: &mut Findings,
) {
    // The token allows its time to be as late as genTime + accuracy: that must be before.
    match proven {
        Some(p) if p.latest < revoked_at => f.note(format!(
            "{what} was revoked as compromised on {}; a trusted timestamp proves this signature existed on {}, before that",
            rfc3339(revoked_at),
            p.gen_time_rfc3339
        )),
        Some(p) => f.fail(
            revoked_code,
            format!(
                "{what} was revoked as compromised on {}; the trusted timestamp of this signature is {}, after that",
                rfc3339(revoked_at),
                p.gen_time_rfc3339
            ),
        ),
        None => f.fail(
            ProblemCode::TimeUnprovenAfterCompromise,
            format!(
                "{what} was revoked as compromised on {}, and no trusted timestamp proves this signature existed before then; the dates it claims are the signer's word, and whoever holds a stolen key can claim any date",
                rfc3339(revoked_at)
            ),
        ),
    }
}

/// `timestamp-missing` under `--require-timestamp`.
pub(crate) fn require(ev: &Evidence, f: &mut Findings) {
    if ev.proven.is_none() {
        let why = if ev.tokens == 0 {
            "the signature carries no time-stamp token"
        } else {
            "none of the signature's time-stamp tokens is valid and trusted"
        };
        f.undecided(
            ProblemCode::TimestampMissing,
            format!("a trusted timestamp is required (--require-timestamp): {why}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::dates::parse_iso;
    use crate::verify::report::SigStatus;
    use crate::verify::testutil::*;

    fn proven_at(t: i64) -> ProvenTime {
        ProvenTime {
            gen_time: t,
            gen_time_rfc3339: rfc3339(t),
            latest: t,
            tsa: "CN=TSA".into(),
            root: "CN=Root".into(),
            serial: "01".into(),
            policy: "1.2.3".into(),
        }
    }

    fn day(s: &str) -> Date {
        parse_iso(s).unwrap()
    }

    #[test]
    fn a_proof_more_than_a_day_before_the_claim_makes_the_claim_false() {
        let claim = day("2024-01-10");
        for (t, ok) in [
            (unix_at(day("2024-01-08"), 23) + 3599, false),
            (unix_at(day("2024-01-09"), 0), true),
            (unix_at(day("2024-01-10"), 12), true),
            (unix_at(day("2025-06-01"), 0), true),
        ] {
            let mut f = Findings::new();
            check_claim(claim, &proven_at(t), &mut f);
            assert_eq!(f.status == SigStatus::Valid, ok, "{}", rfc3339(t));
            if !ok {
                assert_eq!(f.codes, [ProblemCode::TimestampBeforeSigning]);
            }
        }
    }

    #[test]
    fn after_a_compromise_only_an_earlier_proof_counts() {
        let r = unix_at(day("2024-03-01"), 0);
        let mut f = Findings::new();
        check_compromise(
            "k",
            r,
            Some(&proven_at(r - 1)),
            ProblemCode::KeyRevoked,
            &mut f,
        );
        assert_eq!(f.status, SigStatus::Valid);
        assert!(f.reasons[0].contains("before that"), "{:?}", f.reasons);
        let mut f = Findings::new();
        check_compromise("k", r, Some(&proven_at(r)), ProblemCode::KeyRevoked, &mut f);
        assert_eq!(f.codes, [ProblemCode::KeyRevoked]);
        let mut f = Findings::new();
        check_compromise("k", r, None, ProblemCode::CertificateRevoked, &mut f);
        assert_eq!(f.codes, [ProblemCode::TimeUnprovenAfterCompromise]);
    }

    #[test]
    fn the_window_is_checked_on_the_claim_and_a_proof_only_refutes_or_proves_earliness() {
        let (file, _) = signed_letter(); // signed on 2024-01-02
        let st = &file.layers[0].signatures[0].statement;
        let check = |e: &crate::trust::TrustEntry, p: Option<&ProvenTime>| {
            let mut f = Findings::new();
            crate::verify::dates::check_validity(e, st, p, &mut f);
            f
        };
        let mut e = entry("ann", "Ann Lee", &key(1));
        e.valid_until = Some(day("2024-01-05"));
        // Claimed inside the window; a token a week later (anyone can get one) changes nothing.
        let late = proven_at(unix_at(day("2024-01-09"), 10));
        assert_eq!(check(&e, Some(&late)).status, SigStatus::Valid);
        assert_eq!(check(&e, None).status, SigStatus::Valid);
        // A proof that the signature existed before the key's first day fails it.
        e.valid_until = None;
        e.valid_from = Some(day("2024-01-02"));
        let early = proven_at(unix_at(day("2024-01-01"), 23));
        assert_eq!(check(&e, Some(&early)).codes, [ProblemCode::KeyNotYetValid]);
        // A claim before the window stays a failure whatever the proof (no laundering).
        e.valid_from = Some(day("2024-01-03"));
        let f = check(&e, Some(&proven_at(unix_at(day("2024-01-04"), 0))));
        assert_eq!(f.codes, [ProblemCode::KeyNotYetValid]);
        // Revoked as compromised after the claimed date: the claim is not enough, a proof is.
        e.valid_from = None;
        e.revoked_at = Some(day("2024-01-04"));
        e.revocation_reason = Some("compromised".into());
        assert_eq!(
            check(&e, None).codes,
            [ProblemCode::TimeUnprovenAfterCompromise]
        );
        let before = proven_at(unix_at(day("2024-01-03"), 9));
        assert_eq!(check(&e, Some(&before)).status, SigStatus::Valid);
        assert_eq!(check(&e, Some(&late)).codes, [ProblemCode::KeyRevoked]);
        // Superseded on the same day: the claimed date stands, with or without a late proof.
        e.revocation_reason = Some("superseded".into());
        assert_eq!(check(&e, None).status, SigStatus::Valid);
        assert_eq!(check(&e, Some(&late)).status, SigStatus::Valid);
    }

    #[test]
    fn require_timestamp_is_undecided_without_proof() {
        let mut f = Findings::new();
        require(&Evidence::default(), &mut f);
        assert_eq!(f.status, SigStatus::Indeterminate);
        assert_eq!(f.codes, [ProblemCode::TimestampMissing]);
        let mut f = Findings::new();
        require(
            &Evidence {
                proven: Some(proven_at(0)),
                tokens: 1,
            },
            &mut f,
        );
        assert_eq!(f.status, SigStatus::Valid);
    }
}
