//! Signing with a key an organisation certifies (docs/FORMAT.md §7.5): the certificates go into
//! the new signature record, and the signatory's identity comes from the certificate.

use super::{prepare, refuse, sign_prepared, SignOptions, SignOutcome};
use crate::error::Error;
use crate::keys::SecretKey;
use crate::sigfile::SignatureFile;
use crate::trust::TrustStore;

/// Like [`sign`], for a key an organisation certifies: `certificates` (DER, the signatory's
/// first, then intermediates) are embedded in the new record (docs/FORMAT.md §7.5). The
/// signatory's name, title and organisation are the certificate's; the statement's `signer` is
/// the store's id for the key when it has one, else the key file's id, else the key id. The
/// certificate must certify this key; when the store trusts organisation roots, the path is
/// validated as a verifier would (the signing date at noon UTC) and a certificate they would refuse is
/// refused here, before anything is signed.
pub fn sign_certified(
    doc_name: &str,
    doc_bytes: &[u8],
    existing: Option<&SignatureFile>,
    key: &SecretKey,
    store: &TrustStore,
    certificates: Vec<Vec<u8>>,
    opts: &SignOptions,
) -> Result<SignOutcome, Error> {
    let public_key = key.public_key();
    let Some(leaf) = certificates.first() else {
        return Err(refuse("no certificate given"));
    };
    let info = crate::pkix::path::describe_certificate(leaf)
        .map_err(|e| refuse(format!("the certificate: {e}")))?;
    if info.public_key != Some(public_key) {
        return Err(refuse(format!(
            "the certificate ({}) certifies another key, not {} of this key file",
            info.subject,
            crate::keys::key_id(&public_key)
        )));
    }
    if !store.anchors().roots.is_empty() {
        let at = opts.signed_on.midnight().assume_utc().unix_timestamp() + 12 * 3600;
        let checked = crate::pkix::path::validate(
            &certificates,
            &public_key,
            &store.anchors().roots,
            &store.anchors().crls,
            crate::pkix::path::PathOptions {
                at,
                now: None,
                allow_stale_crl: true,
            },
        );
        match checked {
            Ok(c) if c.revocations.is_empty() => {}
            Ok(c) => {
                return Err(refuse(format!(
                    "a CRL in the trust store revokes {}: recipients would refuse this signature",
                    c.revocations[0].subject
                )))
            }
            Err(crate::pkix::path::PathError::UnknownRoot(_)) => {}
            Err(e) => {
                return Err(refuse(format!(
                    "recipients would refuse this certificate: {e}"
                )))
            }
        }
    }
    let id = store
        .by_key(&public_key)
        .map(|e| e.id.clone())
        .or_else(|| key.id().map(str::to_owned))
        .unwrap_or_else(|| crate::keys::key_id(&public_key));
    let details = crate::trust::EntryDetails {
        id,
        name: info.name.clone().unwrap_or_default(),
        title: info.title.clone(),
        organisation: info.organisation.clone(),
        ..Default::default()
    };
    let entry = crate::trust::TrustEntry::build(&details, public_key, std::path::PathBuf::new())
        .map_err(|why| {
            refuse(format!(
                "the certificate's subject ({}) names no usable signatory: {why}",
                info.subject
            ))
        })?;
    let p = prepare(doc_name, doc_bytes, existing, &entry, store, opts)?;
    Ok(sign_prepared(p, key, &entry.name, certificates))
}
