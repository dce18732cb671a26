//! `transmittal inspect`: the layers the parser finds, with their hashes.

use crate::cli::errors::Outcome;
use crate::cli::output::{out_json, read_doc, Ctx};
use std::io::Write as _;
use std::path::Path;

/// Run `inspect DOC [--json]`.
pub fn run(doc: &Path, json: bool, ctx: &Ctx) -> Outcome {
    let bytes = read_doc(doc)?;
    let name = doc.display().to_string();
    let i = transmittal::inspect::inspect(&name, &bytes)?;
    if json {
        out_json(&transmittal::schema::Tagged::new(
            transmittal::schema::INSPECT,
            &i,
        ))?;
    } else if !ctx.quiet() {
        // Streamed layer by layer: the report is never built whole.
        let mut o = std::io::BufWriter::new(std::io::stdout().lock());
        transmittal::render::write_inspection(&mut o, &i, ctx.style())?;
        o.flush()?;
    }
    Ok(0)
}
