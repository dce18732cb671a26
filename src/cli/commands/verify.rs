//! `transmittal verify`: every signature, layer and line of a document.

use crate::cli::errors::Outcome;
use crate::cli::output::{
    add_crls, load_store, out_json, read_doc, read_sig_bytes, sig_path_for, Ctx,
};
use crate::cli::VerifyArgs;
use anyhow::Result;
use std::io::Write as _;
use transmittal::verify::{self, Report};

/// Run `verify`: the report, and the verdict's exit code.
pub fn run(args: &VerifyArgs, ctx: &Ctx) -> Outcome {
    let (report, _) = verify_doc(args)?;
    if args.json {
        out_json(&transmittal::schema::Tagged::new(
            transmittal::schema::REPORT,
            &report,
        ))?;
    } else if !ctx.quiet() {
        let mut o = std::io::BufWriter::new(std::io::stdout().lock());
        transmittal::render::write_report(&mut o, &report, ctx.style())?;
        o.flush()?;
    }
    Ok(report.verdict.exit_code())
}

/// Read a document and its signature file and verify them (`verify` and `show`); the report and
/// the document's bytes.
pub fn verify_doc(args: &VerifyArgs) -> Result<(Report, Vec<u8>)> {
    let doc = &args.doc;
    let sig_path = sig_path_for(doc, &args.sig)?;
    let bytes = read_doc(doc)?;
    let sig_bytes = read_sig_bytes(&sig_path, doc)?;
    let store = add_crls(load_store(&args.keys)?, &args.crl)?;
    let report = verify::verify(
        &doc.display().to_string(),
        &bytes,
        &sig_path.display().to_string(),
        &sig_bytes,
        &store,
        verify::Options {
            strict: args.strict,
            skip_parser_check: false,
            today: Some(transmittal::dates::today()),
            now: Some(transmittal::dates::now_unix()),
            require_timestamp: args.require_timestamp,
            allow_stale_crl: args.allow_stale_crl,
        },
    )
    .map_err(|e| transmittal::error::with_path(e, doc))?;
    Ok((report, bytes))
}
