//! `transmittal extract`: a layer and everything beneath it, with their signatures, as a
//! document of its own.

use crate::cli::errors::Outcome;
use crate::cli::output::{read_doc, read_sigfile, sig_path_for, Ctx};
use crate::cli::ExtractArgs;
use anyhow::anyhow;
use anyhow::Result;
use std::path::Path;
use transmittal::fsutil::{self, Existing, PendingWrite};
use transmittal::sigfile;

/// Run `extract`.
pub fn run(a: &ExtractArgs, ctx: &Ctx) -> Outcome {
    let sig_path = sig_path_for(&a.doc, &a.sig)?;
    let bytes = read_doc(&a.doc)?;
    let file = read_sigfile(&sig_path, &a.doc)?;
    let w = transmittal::sign::extract(&bytes, &file, a.layer)?;
    write_pair(&a.out, &w, a.force)?;
    if !ctx.quiet() {
        let n = w.file.layers.len();
        eprintln!(
            "wrote {} and {} ({} layer{})",
            a.out.display(),
            sigfile::default_path(&a.out).display(),
            n,
            if n == 1 { "" } else { "s" }
        );
    }
    Ok(0)
}

/// Write a new document and its signature file (`wrap`, `extract`): both or neither, under the
/// signature file's lock; existing files are refused unless `force`.
pub fn write_pair(out_path: &Path, w: &transmittal::sign::Wrapped, force: bool) -> Result<()> {
    let sig_out = sigfile::default_path(out_path);
    if !force {
        for p in [out_path, sig_out.as_path()] {
            if p.exists() {
                return Err(anyhow!(
                    "{} exists already; use --force to overwrite it",
                    p.display()
                ));
            }
        }
    }
    let existing = if force {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    let _lock = fsutil::lock_for(&sig_out)?;
    fsutil::write_all_or_nothing(
        &[
            PendingWrite {
                path: out_path.to_path_buf(),
                bytes: zeroize::Zeroizing::new(w.document.as_bytes().to_vec()),
                mode: None,
            },
            PendingWrite {
                path: sig_out.clone(),
                bytes: zeroize::Zeroizing::new(w.file.to_json().into_bytes()),
                mode: None,
            },
        ],
        existing,
    )?;
    Ok(())
}
