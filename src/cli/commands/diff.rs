//! `transmittal diff`: two copies of one transmittal, layer by layer, word by word.

use crate::cli::errors::Outcome;
use crate::cli::output::{out, out_json, read_doc, Ctx};
use std::path::Path;

/// Run `diff A B [--json]`: exit 1 when the copies differ.
pub fn run(a: &Path, b: &Path, json: bool, ctx: &Ctx) -> Outcome {
    let a_bytes = read_doc(a)?;
    let b_bytes = read_doc(b)?;
    let d = transmittal::diff::diff(
        &a.display().to_string(),
        &a_bytes,
        &b.display().to_string(),
        &b_bytes,
    )?;
    if json {
        out_json(&transmittal::schema::Tagged::new(
            transmittal::schema::DIFF,
            &d,
        ))?;
    } else if !ctx.quiet() {
        out(&transmittal::diff::render(&d, ctx.style().color))?;
    }
    Ok(d.exit_code())
}
