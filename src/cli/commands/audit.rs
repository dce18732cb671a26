//! `transmittal audit`: many documents at once, with a progress bar on a terminal.

use crate::cli::errors::Outcome;
use crate::cli::output::{add_crls, load_store, Ctx};
use crate::cli::{advice, AuditArgs};
use std::io::IsTerminal as _;
use transmittal::render::audit::{HumanPrinter, JsonPrinter};

/// Run `audit`: exit code from the summary (docs/FORMAT.md §9).
pub fn run(a: &AuditArgs, ctx: &Ctx) -> Outcome {
    let opts = transmittal::audit::AuditOptions {
        null: a.null,
        hidden: a.hidden,
        allow_empty: a.allow_empty,
        paths: a.paths.clone(),
        store: add_crls(load_store(&a.keys)?, &a.crl)?,
        jobs: a.jobs,
        json: a.json,
        fail_fast: a.fail_fast,
        require_signed: a.require_signed,
        strict: a.strict,
        quiet: ctx.quiet(),
        color: ctx.style().color,
        require_timestamp: a.require_timestamp,
        allow_stale_crl: a.allow_stale_crl,
    };
    let progress = if std::io::stderr().is_terminal() && !ctx.quiet() {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} documents {rate} {eta}")
                .map(|s| s.with_key("rate", advice::progress_rate))
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let tick = |done: u64, total: u64| {
        if let Some(b) = &progress {
            b.set_length(total);
            b.set_position(done);
        }
    };
    // The library hands over typed records; the command line's printers write them.
    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
    let summary = if a.json {
        transmittal::audit::run_with_sink(&opts, &mut JsonPrinter::new(&mut w), &tick)?
    } else {
        let palette = ctx.style().palette();
        let mut printer = HumanPrinter::new(&mut w, palette, ctx.quiet(), a.require_signed);
        transmittal::audit::run_with_sink(&opts, &mut printer, &tick)?
    };
    if let Some(b) = &progress {
        b.finish_and_clear();
    }
    if a.timing {
        let rate = if summary.seconds > 0.0 {
            format!(
                ", {:.0} signatures/s",
                summary.signatures as f64 / summary.seconds
            )
        } else {
            String::new()
        };
        eprintln!("audit: {:.2} s{rate}", summary.seconds);
    }
    Ok(summary.exit_code())
}
