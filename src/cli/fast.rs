//! The fast path of the most frequent command line, `transmittal verify …`: parsed by a parser
//! built from the definitions of `verify` and the global options alone, instead of the tree of
//! every subcommand (building the whole tree is about a tenth of a `verify` process's
//! instructions; docs/PERFORMANCE.md). Anything it does not accept — help, version, an error, a
//! global option before `verify` — goes to the full parser, so every message is the full
//! parser's; a test checks that both give the same result on the lines it accepts.

use super::args::{Cli, Command, GlobalOpts, VerifyArgs};
use clap::{Args as _, FromArgMatches as _};
use std::ffi::OsString;

/// `args` parsed by the parser of `verify` alone, or `None` (then the full parser decides).
pub fn parse_verify_alone(args: &[OsString]) -> Option<Cli> {
    if args.get(1)?.to_str()? != "verify" {
        return None;
    }
    let verify = GlobalOpts::augment_args(VerifyArgs::augment_args(clap::Command::new("verify")));
    let mut cmd = clap::Command::new("transmittal").subcommand(verify);
    let matches = cmd.try_get_matches_from_mut(args).ok()?;
    let sub = matches.subcommand_matches("verify")?;
    Some(Cli {
        global: GlobalOpts::from_arg_matches(sub).ok()?,
        command: Command::Verify(VerifyArgs::from_arg_matches(sub).ok()?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser as _;

    fn args(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn the_fast_path_agrees_with_the_full_parser() {
        for line in [
            "transmittal verify doc.md",
            "transmittal verify doc.md --keys keys",
            "transmittal verify doc.md --json --strict",
            "transmittal verify doc.md --sig other.sig.json --keys k --quiet",
            "transmittal verify doc.md --color never --date 2020-01-02",
            "transmittal verify - --sig d.sig.json",
        ] {
            let full = Cli::try_parse_from(args(line)).map(|c| format!("{c:?}"));
            let fast = parse_verify_alone(&args(line)).map(|c| format!("{c:?}"));
            match (full, fast) {
                (Ok(full), Some(fast)) => assert_eq!(full, fast, "{line}"),
                (Err(_), None) => {}
                (full, fast) => panic!("{line}: full {full:?}, fast {fast:?}"),
            }
        }
        // What the fast path leaves to the full parser.
        for line in [
            "transmittal verify --help",
            "transmittal verify",
            "transmittal verify doc.md --no-such-flag",
            "transmittal --quiet verify doc.md",
            "transmittal show doc.md",
        ] {
            assert!(parse_verify_alone(&args(line)).is_none(), "{line}");
        }
    }
}
