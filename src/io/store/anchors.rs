//! Writing the trust store's certificate folders (docs/FORMAT.md §8.4): organisation roots
//! (`roots/`), time-stamping authorities' roots (`tsa/`) and CRLs (`crls/`), one PEM file each,
//! named by the first 16 hex digits of the SHA-256 of its DER.

use super::{create_store_dir, CRLS_DIR, ROOTS_DIR, TSA_DIR};
use crate::error::{Error, InputError};
use crate::fsutil::{write_atomic, Existing};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Which folder a certificate goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnchorKind {
    /// An organisation root (`roots/`): its certificates vouch for signatories.
    OrganisationRoot,
    /// A time-stamping authority's root (`tsa/`): its tokens prove when signatures existed.
    TsaRoot,
    /// A certificate revocation list (`crls/`).
    Crl,
}

impl AnchorKind {
    fn folder(self) -> &'static str {
        match self {
            AnchorKind::OrganisationRoot => ROOTS_DIR,
            AnchorKind::TsaRoot => TSA_DIR,
            AnchorKind::Crl => CRLS_DIR,
        }
    }

    fn label(self) -> &'static str {
        match self {
            AnchorKind::Crl => "X509 CRL",
            _ => "CERTIFICATE",
        }
    }
}

/// Writes `der` into the store `dir`'s folder for `kind` and returns the file written. The same
/// DER again is refused unless `force` (it would change nothing).
pub fn write_anchor(
    dir: &Path,
    kind: AnchorKind,
    der: &[u8],
    force: bool,
) -> Result<PathBuf, Error> {
    let folder = dir.join(kind.folder());
    create_store_dir(&folder)?;
    let name = format!("{}.pem", &hex::encode(Sha256::digest(der))[..16]);
    let path = folder.join(name);
    let pem =
        transmittal_core::pkix::pem::to_pem(kind.label(), der).map_err(InputError::Invalid)?;
    let existing = if force {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    write_atomic(&path, pem.as_bytes(), Some(super::ENTRY_MODE), existing)?;
    Ok(path)
}
