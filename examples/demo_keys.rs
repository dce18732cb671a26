//! The demo keys (DEMO ONLY; examples/demo-keys/README.md): compare the committed files with
//! what their published seeds give, or write them.
//!
//! ```text
//! cargo run --example demo_keys             # check (the default): exit 1 if a file differs
//! cargo run --example demo_keys -- --check
//! cargo run --example demo_keys -- --write  # write keys/*.pub.json, examples/demo-keys/*.key
//! ```

use std::path::Path;
use std::process::ExitCode;
use transmittal::keys::demo;

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let write = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] | ["--check"] => false,
        ["--write"] => true,
        _ => {
            eprintln!("usage: demo_keys [--check | --write]");
            return ExitCode::from(2);
        }
    };
    if write {
        return match demo::write(root) {
            Ok(paths) => {
                for p in paths {
                    println!("wrote {}", p.display());
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("demo_keys: {e}");
                ExitCode::from(2)
            }
        };
    }
    match demo::check(root) {
        Ok(differ) if differ.is_empty() => {
            println!("the demo keys match their published seeds");
            ExitCode::SUCCESS
        }
        Ok(differ) => {
            for p in differ {
                eprintln!("{} differs from its published seed", p.display());
            }
            eprintln!("regenerate with `cargo run --example demo_keys -- --write`");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("demo_keys: {e}");
            ExitCode::from(2)
        }
    }
}
