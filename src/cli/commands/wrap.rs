//! `transmittal wrap`: a signed document inside a new cover letter (a new, unsigned outer layer).

use super::extract::write_pair;
use crate::cli::errors::Outcome;
use crate::cli::output::{read_doc, read_sigfile, sig_path_for, Ctx};
use crate::cli::WrapArgs;
use transmittal::sigfile;

/// Run `wrap`.
pub fn run(a: &WrapArgs, ctx: &Ctx) -> Outcome {
    let inner_sig_path = sig_path_for(&a.inner, &a.inner_sig)?;
    let inner_bytes = read_doc(&a.inner)?;
    let inner_file = read_sigfile(&inner_sig_path, &a.inner)?;
    let cover_bytes = read_doc(&a.cover)?;
    let w = transmittal::sign::wrap(
        &inner_bytes,
        &inner_file,
        &cover_bytes,
        &a.heading,
        a.original.as_deref(),
    )?;
    write_pair(&a.out, &w, a.force)?;
    if !ctx.quiet() {
        eprintln!(
            "wrote {} and {} ({} layers; layer 0 awaits its signature)",
            a.out.display(),
            sigfile::default_path(&a.out).display(),
            w.file.layers.len()
        );
    }
    Ok(0)
}
