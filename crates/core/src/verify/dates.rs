//! The dates of a signature (docs/FORMAT.md §8, §9.5): the key must be valid on the signing date
//! and on the letter date (its window, its revocation), and the signing date may not lie more
//! than one day after the verification date.

use super::codes::ProblemCode;
use super::report::Findings;
use crate::format::chain::Statement;
use crate::format::dates::{format_iso, Date};
use crate::timestamp::ProvenTime;
use crate::trust::{RevocationKind, TrustEntry, Validity};

/// The key's validity window and revocation on the claimed signing date and letter date, and
/// what a proven time adds (docs/FORMAT.md §9.5): a signature proven to exist before the key's
/// first valid day was made before it (`key-not-yet-valid`), and a revocation as `compromised`
/// follows the compromise rule ([`super::time::check_compromise`]): only a proven time before it
/// counts. A proven time never stands in for the claimed date otherwise: it shows only that the
/// signature existed by then, so a token obtained after the key expired proves nothing against
/// it, and anyone could add one.
pub(crate) fn check_validity(
    e: &TrustEntry,
    st: &Statement,
    proven: Option<&ProvenTime>,
    f: &mut Findings,
) {
    let compromised = e.revocation_kind() == Some(RevocationKind::Compromised);
    let mut dates = vec![("signing date", st.signed_on)];
    if let Some(d) = st.letter_date {
        dates.push(("letter date", d));
    }
    for (what, d) in dates {
        let validity = match e.validity_on(d) {
            // Judged below by the compromise rule, once.
            Validity::Revoked { .. } if compromised => e.window_on(d),
            v => v,
        };
        match validity {
            Validity::Valid => {}
            Validity::NotYetValid { from } => f.fail(
                ProblemCode::KeyNotYetValid,
                format!(
                    "key of {} is valid from {} only; the {what} is {}",
                    e.name,
                    format_iso(from),
                    format_iso(d)
                ),
            ),
            Validity::Expired { until } => f.fail(
                ProblemCode::KeyExpired,
                format!(
                    "key of {} expired on {}; the {what} is {}",
                    e.name,
                    format_iso(until),
                    format_iso(d)
                ),
            ),
            Validity::Revoked { at, reason } => f.fail(
                ProblemCode::KeyRevoked,
                format!(
                    "key of {} was revoked on {}{}; the {what} is {}",
                    e.name,
                    format_iso(at),
                    reason.map(|r| format!(" ({r})")).unwrap_or_default(),
                    format_iso(d)
                ),
            ),
        }
    }
    if let (Some(p), Some(from)) = (proven, e.valid_from) {
        if p.gen_time < super::time::unix_at(from, 0)
            && !f.codes.contains(&ProblemCode::KeyNotYetValid)
        {
            f.fail(
                ProblemCode::KeyNotYetValid,
                format!(
                    "key of {} is valid from {} only; a trusted timestamp proves this signature existed at {}, before that",
                    e.name,
                    format_iso(from),
                    p.gen_time_rfc3339
                ),
            );
        }
    }
    if let (true, Some(r)) = (compromised, e.revoked_at) {
        super::time::check_compromise(
            &format!("the key of {}", e.name),
            super::time::unix_at(r, 0),
            proven,
            ProblemCode::KeyRevoked,
            f,
        );
    }
}

/// A note on a valid signature whose key was revoked after the dates it claims.
pub(crate) fn note_later_revocation(e: &TrustEntry, f: &mut Findings) {
    let (Some(r), Some(kind)) = (e.revoked_at, e.revocation_kind()) else {
        return;
    };
    if kind == RevocationKind::Compromised {
        return; // check_compromise said what the proof shows
    }
    let basis =
        "after the dates this signature claims; those dates are the signer's claim, not proven";
    let reason = match (kind, e.revocation_reason.as_deref()) {
        (RevocationKind::Unspecified, Some(text)) => format!(
            " (reason recorded as free text {text:?}, judged as superseded; if the key was stolen, revoke it again with --reason compromised)"
        ),
        (RevocationKind::Unspecified, None) => {
            " (no reason recorded, judged as superseded; if the key was stolen, revoke it again with --reason compromised)".to_owned()
        }
        (k, _) => format!(" ({})", k.as_str()),
    };
    f.note(format!("key revoked on {}{reason}; {basis}", format_iso(r)));
}

/// `signed-in-future`: the signing date is more than one day (clock skew between time zones)
/// after the verification date `today`.
pub(crate) fn check_future(st: &Statement, today: Date, f: &mut Findings) {
    if st.signed_on > today.next_day().unwrap_or(today) {
        f.fail(
            ProblemCode::SignedInFuture,
            format!(
                "signed on {}, after the verification date {}: a signing date cannot lie in the future",
                format_iso(st.signed_on),
                format_iso(today)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::verify::testutil::*;
    use crate::verify::ProblemCode;
    use crate::verify::Verdict;

    #[test]
    fn a_signing_date_outside_the_keys_window_fails() {
        let (file, _) = signed_letter();
        let mut e = entry("ann", "Ann Lee", &key(1));
        e.valid_from = Some(date("2024-02-01"));
        let r = run(LETTER, &file, &store(vec![e.clone()]), None);
        assert_eq!(
            r.layers[0].signatures[0].codes,
            [ProblemCode::KeyNotYetValid]
        );
        e.valid_from = None;
        e.valid_until = Some(date("2023-12-31"));
        let r = run(LETTER, &file, &store(vec![e]), None);
        assert_eq!(r.layers[0].signatures[0].codes, [ProblemCode::KeyExpired]);
    }

    #[test]
    fn a_revocation_counts_from_its_date() {
        let (file, _) = signed_letter();
        let mut e = entry("ann", "Ann Lee", &key(1));
        e.revoked_at = Some(date("2024-01-02"));
        let r = run(LETTER, &file, &store(vec![e.clone()]), None);
        assert_eq!(r.layers[0].signatures[0].codes, [ProblemCode::KeyRevoked]);
        e.revoked_at = Some(date("2024-01-03"));
        let r = run(LETTER, &file, &store(vec![e]), None);
        assert_eq!(r.verdict, Verdict::Valid);
        let reason = r.layers[0].signatures[0].reason.clone().unwrap();
        assert!(reason.starts_with("key revoked on 2024-01-03"), "{reason}");
    }

    #[test]
    fn a_signing_date_more_than_a_day_ahead_is_in_the_future() {
        let (file, store) = signed_letter();
        // Signed on 2024-01-02: one day of skew is allowed.
        let r = run(LETTER, &file, &store, Some("2024-01-01"));
        assert_eq!(r.verdict, Verdict::Valid);
        let r = run(LETTER, &file, &store, Some("2023-12-31"));
        assert_eq!(
            r.layers[0].signatures[0].codes,
            [ProblemCode::SignedInFuture]
        );
        // No date given: the core reads no clock, the check is skipped.
        assert_eq!(run(LETTER, &file, &store, None).verdict, Verdict::Valid);
    }
}
