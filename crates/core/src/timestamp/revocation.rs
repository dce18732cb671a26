//! The TSA's path against the store's CRLs (docs/FORMAT.md §7.4, item 8): a TSA revoked for any
//! reason but superseded/cessationOfOperation proves nothing, whatever time its tokens state.

use super::*;

/// The CRLs a token's TSA path is checked against, and how.
#[derive(Clone, Copy)]
pub(super) struct Revocations<'a> {
    pub(super) crls: &'a [Vec<u8>],
    pub(super) now: Option<i64>,
    pub(super) allow_stale_crl: bool,
}

/// Checks every certificate of `path` (the TSA's first, the root last) but the root against the
/// CRLs (see [`verify_token_with_crls`]).
pub(super) fn check_revocation(
    path: &[Certificate],
    revocations: Revocations<'_>,
    gen_time: i64,
) -> Result<(), TimestampError> {
    if revocations.crls.is_empty() {
        return Ok(());
    }
    let mut crls = Vec::with_capacity(revocations.crls.len());
    for der in revocations.crls {
        if der.len() > crate::pkix::path::MAX_CRL_BYTES {
            return Err(TimestampError::BadCrl(format!(
                "a CRL of {} bytes, more than {}",
                der.len(),
                crate::pkix::path::MAX_CRL_BYTES
            )));
        }
        crls.push(crl::parse(der).map_err(TimestampError::BadCrl)?);
    }
    let mut problem: Option<TimestampError> = None;
    for (index, cert) in path.iter().enumerate() {
        let Some(issuer) = path.get(index + 1) else {
            break; // the root: the trust store trusts its own word
        };
        let subject = cert.tbs_certificate.subject.to_string();
        let issuer_name = issuer.tbs_certificate.subject.to_string();
        let status = revocation_status(
            cert,
            issuer,
            &crls,
            revocations.now,
            revocations.allow_stale_crl,
        )
        .map_err(|e| TimestampError::BadCrl(format!("the CRL of {issuer_name}: {e}")))?;
        match status {
            Revocation::Revoked(listed) => {
                for l in listed {
                    let on = name::rfc3339(l.revoked_at);
                    match l.reason {
                        CrlReason::KeyCompromise | CrlReason::Other => {
                            return Err(TimestampError::TsaRevoked(format!(
                                "{subject} was revoked on {on} ({}), and whoever holds its key can write any genTime",
                                l.reason_text
                            )))
                        }
                        CrlReason::Superseded if gen_time >= l.revoked_at => {
                            return Err(TimestampError::TsaRevoked(format!(
                                "{subject} was revoked on {on} ({}), at or before the token's genTime {}",
                                l.reason_text,
                                name::rfc3339(gen_time)
                            )))
                        }
                        CrlReason::Superseded => {}
                    }
                }
            }
            Revocation::NotRevoked | Revocation::NoCrl => {}
            Revocation::Stale => {
                problem.get_or_insert(TimestampError::CrlStale(issuer_name));
            }
            Revocation::BadCrl(why) => {
                problem.get_or_insert(TimestampError::BadCrl(format!(
                    "the CRL of {issuer_name}: {why}"
                )));
            }
        }
    }
    problem.map_or(Ok(()), Err)
}
