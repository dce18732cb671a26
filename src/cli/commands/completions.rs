//! `transmittal completions`: a shell completion script.

use crate::cli::errors::Outcome;
use crate::cli::output::out;
use crate::cli::Cli;
use clap::CommandFactory as _;

/// Run `completions SHELL`.
pub fn run(shell: clap_complete::Shell) -> Outcome {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "transmittal", &mut buf);
    out(&String::from_utf8_lossy(&buf))?;
    Ok(0)
}
