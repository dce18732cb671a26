//! One file per command. Each exposes `run(…, ctx) -> Outcome`: the exit code of a command
//! that ran to its end (a verdict, a difference), or an error for `main` to report.

pub mod audit;
pub mod completions;
pub mod diff;
pub mod extract;
pub mod hash;
pub mod inspect;
pub mod keygen;
pub mod keys;
pub mod payload;
pub mod show;
pub mod sign;
pub mod timestamp;
pub mod verify;
pub mod wrap;

use crate::cli::errors::Outcome;
use crate::cli::output::Ctx;
use crate::cli::{Command, KeysCommand};

/// Run the command the user asked for.
pub fn dispatch(command: &Command, ctx: &Ctx) -> Outcome {
    match command {
        Command::Inspect { doc, json } => inspect::run(doc, *json, ctx),
        Command::Hash { doc, json } => hash::run(doc, *json),
        Command::Verify(args) => verify::run(args, ctx),
        Command::Show(args) => show::run(args, ctx),
        Command::Sign(a) => sign::run(a, ctx),
        Command::Timestamp(a) => timestamp::run(a, ctx),
        Command::Wrap(a) => wrap::run(a, ctx),
        Command::Extract(a) => extract::run(a, ctx),
        Command::Keygen(a) => keygen::run(a, ctx),
        Command::Keys { action } => keys::run(action, ctx),
        Command::Audit(a) => audit::run(a, ctx),
        Command::Payload(a) => payload::run(a, ctx),
        Command::Diff { a, b, json } => diff::run(a, b, *json, ctx),
        Command::Completions { shell } => completions::run(*shell),
        Command::Man { command, out_dir } => Ok(crate::cli::man::run(
            command,
            out_dir.as_deref(),
            ctx.quiet(),
        )?),
    }
}

/// Whether the command writes JSON (`--json`): then its errors are JSON too.
pub fn json_mode(command: &Command) -> bool {
    match command {
        Command::Verify(a) | Command::Show(a) => a.json,
        Command::Audit(a) => a.json,
        Command::Inspect { json, .. } | Command::Hash { json, .. } | Command::Diff { json, .. } => {
            *json
        }
        Command::Keys {
            action: KeysCommand::List { json, .. },
        } => *json,
        _ => false,
    }
}
