//! `transmittal show`: only the text valid signatures cover, with its signatories.

use super::verify::verify_doc;
use crate::cli::errors::Outcome;
use crate::cli::output::{out, out_json, Ctx};
use crate::cli::VerifyArgs;

/// Run `show`: exit codes as for `verify`.
pub fn run(args: &VerifyArgs, ctx: &Ctx) -> Outcome {
    let (report, bytes) = verify_doc(args)?;
    let doc = transmittal::canonical::canonicalize(&bytes)
        .map_err(|e| transmittal::error::with_path(e, &args.doc))?;
    if args.json {
        out_json(&transmittal::show::to_json(&doc, &report))?;
    } else if !ctx.quiet() {
        out(&transmittal::show::render(&doc, &report))?;
    }
    Ok(report.verdict.exit_code())
}
