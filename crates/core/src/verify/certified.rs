//! Keys an organisation vouches for (docs/FORMAT.md §7.5, §8.4): a signature whose key is not in
//! the trust store but which carries a certificate chaining to one of the store's organisation
//! roots. The certificate's subject (common name, title, organisation) then plays the part of a
//! trust-store entry for the identity check.

use super::codes::ProblemCode;
use super::report::Findings;
use super::time::{check_compromise, rfc3339, SigningTime};
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

/// Validates the certificates `sig` carries at `at` and applies the revocations found.
/// Returns what vouched when the path holds (even if a revocation then fails the signature, so
/// the report can show the chain); reports every problem in `f`.
pub(crate) fn check(
    sig: &SignatureRecord,
    store: &TrustStore,
    at: SigningTime,
    proven: Option<&ProvenTime>,
    now: Option<i64>,
    allow_stale_crl: bool,
    f: &mut Findings,
) -> Option<Vouched> {
    let anchors = store.anchors();
    let options = PathOptions {
        at: at.instant(),
        now,
        allow_stale_crl,
    };
    let certified = match path::validate(
        &sig.certificates,
        &sig.statement.public_key,
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
                _ => format!("the signatory's certificate: {e} (checked at {})", at.describe()),
            };
            match code.level() {
                super::codes::Level::Invalid => f.fail(code, msg),
                _ => f.undecided(code, msg),
            }
            return None;
        }
    };
    for r in &certified.revocations {
        match r.reason {
            CrlReason::KeyCompromise => check_compromise(
                &format!("the certificate {}", r.subject),
                r.revoked_at,
                proven,
                ProblemCode::CertificateRevoked,
                f,
            ),
            CrlReason::Superseded | CrlReason::Other if at.instant() >= r.revoked_at => f.fail(
                ProblemCode::CertificateRevoked,
                format!(
                    "the certificate {} was revoked on {}; the signing time is {}",
                    r.subject,
                    rfc3339(r.revoked_at),
                    at.describe()
                ),
            ),
            CrlReason::Superseded | CrlReason::Other => f.note(format!(
                "the certificate {} was revoked on {}, after {}",
                r.subject,
                rfc3339(r.revoked_at),
                at.describe()
            )),
        }
    }
    let details = EntryDetails {
        id: sig.statement.signer.clone(),
        name: certified.name.clone(),
        title: certified.title.clone(),
        organisation: certified.organisation.clone(),
        ..Default::default()
    };
    let entry = match TrustEntry::build(
        &details,
        sig.statement.public_key,
        std::path::PathBuf::new(),
    ) {
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
