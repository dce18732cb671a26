//! Keys an organisation vouches for (docs/FORMAT.md §7.5, §8.4): a signature whose key is not in
//! the trust store but which carries a certificate chaining to one of the store's organisation
//! roots. The certificate's subject (common name, title, organisation) then plays the part of a
//! trust-store entry for the identity check.

use super::codes::ProblemCode;
use super::report::Findings;
use super::time::{check_compromise, rfc3339, unix_at};
use crate::format::dates::format_iso;
use crate::format::sigfile::SignatureRecord;
use crate::pkix::path::{self, Certified, CrlReason, PathError, PathOptions};
use crate::timestamp::ProvenTime;
use crate::trust::{EntryDetails, TrustEntry, TrustStore};

/// What vouched for a certified key, for the report.
#[derive(Debug, Clone)]
pub(crate) struct Vouched {
    /// The validated path.
    pub certified: Certified,
    /// The entry built from the certificate (name, title, organisation, key).
    pub entry: TrustEntry,
}

fn code_of(e: &PathError) -> ProblemCode {
    match e {
        PathError::KeyMismatch => ProblemCode::CertificateKeyMismatch,
        PathError::UnknownRoot(_) => ProblemCode::CertificateUnknownRoot,
        PathError::Expired(_) => ProblemCode::CertificateExpired,
        PathError::NotYetValid(_) => ProblemCode::CertificateNotYetValid,
        PathError::WrongUsage(_) => ProblemCode::CertificateWrongUsage,
        PathError::Constraints(_) => ProblemCode::CertificatePathConstraints,
        PathError::NameConstraints(_) => ProblemCode::CertificateNameConstraints,
        PathError::BadPath(_) => ProblemCode::CertificateBadPath,
        PathError::StaleCrl(_) => ProblemCode::CrlStale,
        PathError::BadCrl(_) => ProblemCode::CrlInvalid,
        _ => ProblemCode::CertificateMalformed,
    }
}

/// Validates the certificates `sig` carries at the claimed signing date (noon UTC) and applies
/// what a proven time, the letter date and the revocations found add (docs/FORMAT.md §8.4,
/// §9.5). Returns what vouched when the path holds (even if a revocation then fails the
/// signature, so the report can show the chain); reports every problem in `f`.
pub(crate) fn check(
    sig: &SignatureRecord,
    store: &TrustStore,
    proven: Option<&ProvenTime>,
    now: Option<i64>,
    allow_stale_crl: bool,
    f: &mut Findings,
) -> Option<Vouched> {
    let st = &sig.statement;
    let anchors = store.anchors();
    let claimed = unix_at(st.signed_on, 12);
    let options = PathOptions {
        at: claimed,
        now,
        allow_stale_crl,
    };
    let certified = match path::validate(
        &sig.certificates,
        &st.public_key,
        &anchors.roots,
        &anchors.crls,
        options,
    ) {
        Ok(c) => c,
        Err(e) => {
            let code = code_of(&e);
            let msg = match (&e, anchors.roots.is_empty()) {
                (PathError::UnknownRoot(_), true) => format!(
                    "key {} is not in the trust store {}, and its certificate cannot be checked: the store has no organisation roots (roots/ folder)",
                    sig.key_id,
                    store.describe()
                ),
                _ => format!(
                    "the signatory's certificate: {e} (checked at the claimed signing date {} 12:00 UTC)",
                    format_iso(st.signed_on)
                ),
            };
            match code.level() {
                super::codes::Level::Invalid => f.fail(code, msg),
                _ => f.undecided(code, msg),
            }
            return None;
        }
    };
    // A proof that the signature existed before the certificate's first moment: made before it.
    if let Some(p) = proven {
        if p.gen_time < certified.not_before {
            f.fail(
                ProblemCode::CertificateNotYetValid,
                format!(
                    "a trusted timestamp proves this signature existed at {}, before the signatory's certificate was valid ({})",
                    p.gen_time_rfc3339,
                    rfc3339(certified.not_before)
                ),
            );
        }
    }
    // The signed letter date, against the signatory's certificate, as for a trust-store key.
    if let Some(l) = st.letter_date {
        let t = unix_at(l, 12);
        if t < certified.not_before {
            f.fail(
                ProblemCode::CertificateNotYetValid,
                format!(
                    "the letter date {} is before the signatory's certificate was valid ({})",
                    format_iso(l),
                    rfc3339(certified.not_before)
                ),
            );
        } else if t > certified.not_after {
            f.fail(
                ProblemCode::CertificateExpired,
                format!(
                    "the letter date {} is after the signatory's certificate expired ({})",
                    format_iso(l),
                    rfc3339(certified.not_after)
                ),
            );
        }
    }
    let latest_claim = st
        .letter_date
        .map_or(claimed, |l| claimed.max(unix_at(l, 12)));
    for r in &certified.revocations {
        if super::certified::claims_stand(r.reason) {
            if latest_claim >= r.revoked_at {
                f.fail(
                    ProblemCode::CertificateRevoked,
                    format!(
                        "the certificate {} was revoked on {} ({}); the signing date or letter date is not before it",
                        r.subject,
                        rfc3339(r.revoked_at),
                        reason_words(r)
                    ),
                );
            } else {
                f.note(format!(
                    "the certificate {} was revoked on {} ({}), after the dates this signature claims; those dates are the signer's claim, not proven",
                    r.subject,
                    rfc3339(r.revoked_at),
                    reason_words(r)
                ));
            }
        } else {
            // Whoever held the key may have signed since, with any date: only a proof counts.
            check_compromise(
                &format!("the certificate {} ({})", r.subject, reason_words(r)),
                r.revoked_at,
                proven,
                ProblemCode::CertificateRevoked,
                f,
            );
        }
    }
    check_name(&certified, store, st.public_key, f);
    let details = EntryDetails {
        id: st.signer.clone(),
        name: certified.name.clone(),
        title: certified.title.clone(),
        organisation: certified.organisation.clone(),
        ..Default::default()
    };
    let entry = match TrustEntry::build(&details, st.public_key, std::path::PathBuf::new()) {
        Ok(e) => e,
        Err(why) => {
            f.fail(
                ProblemCode::CertificateMalformed,
                format!("the signatory's certificate names no usable signatory: {why}"),
            );
            return None;
        }
    };
    Some(Vouched { certified, entry })
}

/// Whether a CRL reason leaves the signer's claimed dates standing: only a certificate replaced
/// (`superseded`) or retired (`cessationOfOperation`) keeps them; after any other revocation the
/// holder of the key may have signed with any date (the compromise rule).
pub(crate) fn claims_stand(reason: CrlReason) -> bool {
    reason == CrlReason::Superseded
}

fn reason_words(r: &crate::pkix::path::PathRevocation) -> &str {
    &r.reason_text
}

/// A root vouches for any name: when the store pins the certificate's name (or a spelling of it)
/// to another key, the two trust models disagree about who that person is, and the recipient
/// must decide (`certificate-name-pinned`). A name mixing Latin with Cyrillic or Greek letters
/// (a look-alike of a name) is refused the same way (`certificate-name-mixed-script`).
fn check_name(c: &Certified, store: &TrustStore, key: [u8; 32], f: &mut Findings) {
    let name = crate::parse::identity::normalize_name(&c.name);
    let pinned = store.entries().iter().find(|e| {
        e.public_key != key
            && e.names()
                .any(|n| crate::parse::identity::normalize_name(n) == name)
    });
    if let Some(e) = pinned {
        f.undecided(
            ProblemCode::CertificateNamePinned,
            format!(
                "the certificate names {:?}, whom the trust store knows with another key ({:?}, key {}): the root {} vouches for a name your store gives someone's own key; add this key to that entry if it is theirs",
                c.name, e.id, e.key_id, c.root
            ),
        );
    }
    if mixed_script(&c.name) {
        f.undecided(
            ProblemCode::CertificateNameMixedScript,
            format!(
                "the certificate's name {:?} mixes Latin letters with Cyrillic or Greek ones, as look-alike names do",
                c.name
            ),
        );
    }
}

/// Whether `name` has Latin letters and Cyrillic or Greek letters.
fn mixed_script(name: &str) -> bool {
    let latin = name.chars().any(|c| {
        c.is_alphabetic() && (c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c))
    });
    let other = name
        .chars()
        .any(|c| ('\u{0370}'..='\u{03FF}').contains(&c) || ('\u{0400}'..='\u{052F}').contains(&c));
    latin && other
}
