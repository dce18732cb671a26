//! The `transmittal` command: parse the arguments, run the command (one file per command in
//! `src/cli/commands/`), and turn the outcome into an exit code.

#![forbid(unsafe_code)]
// Input paths never unwrap, expect or panic (docs/SECURITY.md, "Memory bounds"); only tests may.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod cli;

use clap::Parser as _;
use cli::output::Ctx;
use cli::{advice, commands, errors, Cli};

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let parsed = match cli::fast::parse_verify_alone(&args) {
        Some(c) => Ok(c),
        None => Cli::try_parse_from(&args),
    };
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            if e.use_stderr() && args.iter().any(|a| a == "--json") {
                errors::json_error("usage", e.kind().as_str().unwrap_or("invalid command line"));
            }
            std::process::exit(advice::print_clap_error(&e))
        }
    };
    // Test-only failure injection for the write transaction (not documented for users).
    if let Ok(steps) = std::env::var("TRANSMITTAL_TEST_FAIL_AT") {
        let steps: Vec<&str> = steps.split(',').collect();
        transmittal::fsutil::set_test_failures(&steps);
    }
    let ctx = Ctx { global: cli.global };
    let code = match commands::dispatch(&cli.command, &ctx) {
        Ok(code) => code,
        Err(e) => errors::report(&e, commands::json_mode(&cli.command)),
    };
    std::process::exit(code);
}
