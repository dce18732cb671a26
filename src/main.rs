//! The `transmittal` command: parse arguments, call the library, render, map to an exit code.

#![forbid(unsafe_code)]
// Input paths never unwrap, expect or panic (docs/SECURITY.md, "Memory bounds"); only tests may.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod cli;

use cli::{advice, man, passphrase as passphrase_cli};

use anyhow::{anyhow, Context as _, Result};
use clap::CommandFactory;
use cli::{Cli, ColorChoice, Command, CommitmentArg, KeysCommand};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use transmittal::chain::Commitment;
use transmittal::dates::{parse_iso, Date};
use transmittal::error::{Error, SignError};
use transmittal::fsutil::{self, Existing, MAX_DOCUMENT_BYTES, MAX_METADATA_BYTES};
use transmittal::render::{self, Style};
use transmittal::sigfile::{self, SignatureFile};
use transmittal::trust::{self, TrustStore};
use transmittal::verify;

/// Exit codes (docs/FORMAT.md §9).
const EXIT_INVALID: i32 = 1;
const EXIT_ERROR: i32 = 2;

/// A failure that maps to an exit code other than 2.
#[derive(Debug)]
struct Exit(i32);

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}", self.0)
    }
}
impl std::error::Error for Exit {}

/// Parse the command line: `Cli::try_parse`, with two savings for a process that often lives a
/// couple of milliseconds (docs/PERFORMANCE.md, "verify latency"):
///
/// * `transmittal verify ...`, the command run most often, is parsed by a parser that holds
///   `verify` alone ([`parse_verify_alone`]) instead of the tree of every subcommand, argument
///   and help text; anything it does not accept (help, version, errors) goes to the full parser,
///   so every message is the full parser's;
/// * the full tree is not freed node by node just before the process exits.
///
/// Errors are formatted against the full tree, as `try_parse` formats them.
fn parse_args() -> Result<Cli, clap::Error> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(cli) = parse_verify_alone(&args) {
        return Ok(cli);
    }
    parse_full(args)
}

/// `Cli::try_parse_from`, without freeing the command tree afterwards.
fn parse_full(args: Vec<std::ffi::OsString>) -> Result<Cli, clap::Error> {
    use clap::FromArgMatches;
    let mut cmd = Cli::command();
    let parsed = cmd.try_get_matches_from_mut(args).and_then(|mut matches| {
        Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut cmd))
    });
    std::mem::forget(cmd);
    parsed
}

/// The same [`Cli`] the full parser gives, for a command line `transmittal verify ...`, parsed with
/// the definitions of `verify` and of the global options only (the same derive code the full
/// parser is built from). `None` whenever this parser does not accept the line (a request for
/// help or the version is an error here too), or the line is anything else: then the full parser
/// decides and speaks.
/// `main.rs`'s tests compare both parsers on many command lines.
fn parse_verify_alone(args: &[std::ffi::OsString]) -> Option<Cli> {
    use clap::{Args, FromArgMatches};
    if args.get(1)?.to_str()? != "verify" {
        return None;
    }
    let verify =
        cli::GlobalOpts::augment_args(cli::VerifyArgs::augment_args(clap::Command::new("verify")));
    let mut cmd = clap::Command::new("transmittal").subcommand(verify);
    let matches = cmd.try_get_matches_from_mut(args).ok()?;
    std::mem::forget(cmd);
    let sub = matches.subcommand_matches("verify")?;
    Some(Cli {
        global: cli::GlobalOpts::from_arg_matches(sub).ok()?,
        command: Command::Verify(cli::VerifyArgs::from_arg_matches(sub).ok()?),
    })
}

fn main() {
    let cli = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            if e.use_stderr() && std::env::args_os().any(|a| a == "--json") {
                json_error("usage", e.kind().as_str().unwrap_or("invalid command line"));
            }
            std::process::exit(advice::print_clap_error(&e))
        }
    };
    // Test-only failure injection for the write transaction (not documented for users).
    if let Ok(steps) = std::env::var("TRANSMITTAL_TEST_FAIL_AT") {
        let steps: Vec<&str> = steps.split(',').collect();
        fsutil::set_test_failures(&steps);
    }
    let code = match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            if let Some(Exit(code)) = e.downcast_ref::<Exit>() {
                *code
            } else if is_broken_pipe(&e) {
                0
            } else {
                let code = match e.downcast_ref::<Error>() {
                    Some(Error::Sign(SignError::Refused(_))) => EXIT_INVALID,
                    _ => EXIT_ERROR,
                };
                let mut msg = format!("{e}");
                for cause in e.chain().skip(1) {
                    let c = cause.to_string();
                    if !msg.contains(&c) {
                        msg.push_str(&format!(": {c}"));
                    }
                }
                if code == EXIT_ERROR && json_mode(&cli) {
                    json_error(error_code(&e), &msg);
                }
                eprintln!("transmittal: error: {msg}");
                code
            }
        }
    };
    std::process::exit(code);
}

/// Whether the command writes JSON (`--json`): then its errors are JSON too.
fn json_mode(cli: &Cli) -> bool {
    match &cli.command {
        Command::Verify(a) | Command::Show(a) => a.json,
        Command::Inspect { json, .. }
        | Command::Hash { json, .. }
        | Command::Audit { json, .. }
        | Command::Diff { json, .. } => *json,
        Command::Keys {
            action: KeysCommand::List { json, .. },
        } => *json,
        _ => false,
    }
}

/// An error with a stable code for `--json` output (`transmittal-error-v1`).
#[derive(Debug)]
struct Coded {
    code: &'static str,
    message: String,
}

impl std::fmt::Display for Coded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for Coded {}

/// The stable code of an error (docs/FORMAT.md §12).
fn error_code(e: &anyhow::Error) -> &'static str {
    use transmittal::error::InputError;
    for cause in e.chain() {
        if let Some(c) = cause.downcast_ref::<Coded>() {
            return c.code;
        }
        let input = cause
            .downcast_ref::<InputError>()
            .or(match cause.downcast_ref::<Error>() {
                Some(Error::Input(i)) => Some(i),
                _ => None,
            });
        match input {
            Some(InputError::NotUtf8 { .. }) => return "input-not-utf8",
            Some(InputError::TooLarge { .. }) => return "input-too-large",
            Some(InputError::Read { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                return "input-not-found"
            }
            Some(InputError::Read { source, .. })
                if source.to_string().contains("not a regular file") =>
            {
                return "input-not-regular-file"
            }
            Some(InputError::Read { .. }) => return "input-unreadable",
            // `error::with_path` names the file of a `NotUtf8` in an `Invalid` message.
            Some(InputError::Invalid(m)) if m.contains("not UTF-8") => return "input-not-utf8",
            Some(_) => return "input-invalid",
            None => {}
        }
        if cause
            .downcast_ref::<transmittal::error::TrustError>()
            .is_some()
            || matches!(cause.downcast_ref::<Error>(), Some(Error::Trust(_)))
        {
            return "trust-store-unusable";
        }
        if cause
            .downcast_ref::<transmittal::error::FormatError>()
            .is_some()
            || matches!(cause.downcast_ref::<Error>(), Some(Error::Format(_)))
        {
            return "malformed-file";
        }
    }
    "error"
}

/// Print `{"schema":"transmittal-error-v1","error":{"code":…,"message":…}}` on standard output.
fn json_error(code: &str, message: &str) {
    let v = serde_json::json!({ "code": code, "message": message });
    let body = ErrorBody { error: v };
    let e = transmittal::schema::Tagged::new(transmittal::schema::ERROR, &body);
    if let Ok(s) = serde_json::to_string(&e) {
        let _ = out(&format!("{s}\n"));
    }
}

/// The body of a `transmittal-error-v1` document.
#[derive(serde::Serialize)]
struct ErrorBody {
    error: serde_json::Value,
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn style(cli: &Cli, stream_is_tty: bool) -> Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Style {
        color: match cli.global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stream_is_tty && !no_color,
        },
    }
}

/// Write to stdout; a closed pipe ends the program quietly (exit 0).
fn out(s: &str) -> Result<()> {
    let mut o = std::io::stdout().lock();
    o.write_all(s.as_bytes())?;
    o.flush()?;
    Ok(())
}

fn read_doc(path: &Path) -> Result<Vec<u8>> {
    match fsutil::read_limited(path, MAX_DOCUMENT_BYTES) {
        Err(transmittal::error::InputError::Read { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            Err(no_such_file(path))
        }
        Err(e) if path != Path::new("-") && path.is_dir() => Err(directory_given(path, e)),
        r => {
            let bytes = r?;
            advice::check_document(path, &bytes)?;
            Ok(bytes)
        }
    }
}

/// The error for a directory given where a document is expected: point to `audit`.
fn directory_given(path: &Path, e: transmittal::error::InputError) -> anyhow::Error {
    anyhow::Error::new(Coded {
        code: "input-not-regular-file",
        message: format!(
            "{e}; to check every document under a directory, run `transmittal audit {}`",
            path.display()
        ),
    })
}

/// The error for a document path that does not exist.
fn no_such_file(path: &Path) -> anyhow::Error {
    anyhow::Error::new(Coded {
        code: "input-not-found",
        message: format!(
            "cannot read {}: no such file; check the path (`-` reads standard input)",
            path.display()
        ),
    })
}

/// The streamed content hash of a document (`-`: standard input), with [`read_doc`]'s errors.
fn digest_doc(path: &Path) -> Result<transmittal::digest::DocumentDigest> {
    use transmittal::digest::digest_reader;
    let r = if path == Path::new("-") {
        digest_reader(std::io::stdin(), path, MAX_DOCUMENT_BYTES)
    } else {
        let file = match fsutil::open_regular(path) {
            Ok(f) => f,
            Err(transmittal::error::InputError::Read { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                return Err(no_such_file(path))
            }
            Err(e) if path.is_dir() => return Err(directory_given(path, e)),
            Err(e) => return Err(e.into()),
        };
        digest_reader(file, path, MAX_DOCUMENT_BYTES)
    };
    match r {
        Err(transmittal::error::InputError::NotUtf8 { offset }) if path != Path::new("-") => {
            Err(advice::not_utf8_advice(path, offset).unwrap_or_else(|| {
                transmittal::error::with_path(
                    transmittal::error::InputError::NotUtf8 { offset },
                    path,
                )
                .into()
            }))
        }
        r => Ok(r.map_err(|e| transmittal::error::with_path(e, path))?),
    }
}

fn parse_date(s: &str, what: &str) -> Result<Date> {
    parse_iso(s).ok_or_else(|| anyhow!("{what} {s:?} is not a date in the form YYYY-MM-DD"))
}

fn parse_opt_date(s: &Option<String>, what: &str) -> Result<Option<Date>> {
    s.as_deref().map(|s| parse_date(s, what)).transpose()
}

fn letter_date_arg(s: &Option<String>) -> Result<Option<Option<Date>>> {
    Ok(match s.as_deref() {
        None => None,
        Some("none") => Some(None),
        Some(d) => Some(Some(parse_date(d, "--letter-date")?)),
    })
}

fn commitment(c: Option<CommitmentArg>) -> Option<Commitment> {
    c.map(|c| match c {
        CommitmentArg::Endorses => Commitment::Endorses,
        CommitmentArg::Transmits => Commitment::Transmits,
    })
}

/// The trust store of a command that reads it: `--keys DIR`, then `TRANSMITTAL_KEYS`, then the
/// user's store, then the system store, none in the current directory
/// ([`transmittal::trust::locate_store`], opened with [`TrustStore::open`]). When none is found
/// the store is empty and [`TrustStore::describe`] says where it looked.
fn load_store(keys: &cli::KeysArg) -> Result<TrustStore> {
    let location = transmittal::trust::locate_store(
        keys.keys.as_deref(),
        std::env::var_os(transmittal::trust::STORE_ENV).as_deref(),
        std::env::var_os("XDG_CONFIG_HOME").as_deref(),
        std::env::var_os("HOME").as_deref(),
        |p| p.exists(),
    );
    trust::open(&location).map_err(|e| {
        anyhow::Error::new(Coded {
            code: "trust-store-unusable",
            message: e.to_string(),
        })
    })
}

/// The trust-store directory of a command that writes entries (`keys import`, `keys revoke`):
/// `--keys DIR`, then `TRANSMITTAL_KEYS`, then the user's store (see
/// [`transmittal::trust::store_for_writing`]); an import creates it (mode 0700) when missing.
fn store_to_write(keys: &cli::KeysArg) -> Result<PathBuf> {
    let location = transmittal::trust::store_for_writing(
        keys.keys.as_deref(),
        std::env::var_os(transmittal::trust::STORE_ENV).as_deref(),
        std::env::var_os("XDG_CONFIG_HOME").as_deref(),
        std::env::var_os("HOME").as_deref(),
    )?;
    let dir = location.path.unwrap_or_default();
    if dir.exists() {
        transmittal::trust::check_store_permissions(&dir)?;
    }
    Ok(dir)
}

/// Read a document and its signature file and verify them (verify and show).
fn verify_doc(args: &cli::VerifyArgs) -> Result<(verify::Report, Vec<u8>)> {
    let doc = &args.doc;
    let sig_path = sig_path_for(doc, &args.sig)?;
    let bytes = read_doc(doc)?;
    let sig_bytes = read_sig_bytes(&sig_path, doc)?;
    let store = load_store(&args.keys)?;
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
        },
    )
    .map_err(|e| transmittal::error::with_path(e, doc))?;
    Ok((report, bytes))
}

fn sig_path_for(doc: &Path, sig: &Option<PathBuf>) -> Result<PathBuf> {
    match sig {
        Some(p) => Ok(p.clone()),
        None if doc == Path::new("-") => Err(anyhow!(
            "reading the document from standard input needs --sig PATH for its signature file"
        )),
        None => Ok(sigfile::default_path(doc)),
    }
}

fn read_sigfile(path: &Path, doc: &Path) -> Result<SignatureFile> {
    let bytes = read_sig_bytes(path, doc)?;
    SignatureFile::from_json(&bytes).map_err(|e| anyhow!("{}: {e}", path.display()))
}

fn read_sig_bytes(path: &Path, doc: &Path) -> Result<Vec<u8>> {
    if !path.exists() {
        return Err(anyhow::Error::new(Coded {
            code: "signature-file-not-found",
            message: format!(
                "no signature file {}: ask the sender for it, or sign the document with `transmittal sign {} --key KEYFILE` if it is yours (--sig names a signature file kept elsewhere)",
                path.display(),
                doc.display()
            ),
        }));
    }
    Ok(fsutil::read_limited(path, MAX_METADATA_BYTES)?)
}

fn run(cli: &Cli) -> Result<i32> {
    let stdout_tty = std::io::stdout().is_terminal();
    match &cli.command {
        Command::Inspect { doc, json } => {
            let bytes = read_doc(doc)?;
            let name = doc.display().to_string();
            let i = transmittal::inspect::inspect(&name, &bytes)?;
            if *json {
                let i = transmittal::schema::Tagged::new(transmittal::schema::INSPECT, &i);
                out(&format!("{}\n", serde_json::to_string_pretty(&i)?))?;
            } else if !cli.global.quiet {
                // Streamed layer by layer: the report is never built whole.
                let mut o = std::io::BufWriter::new(std::io::stdout().lock());
                render::write_inspection(&mut o, &i, style(cli, stdout_tty))?;
                o.flush()?;
            }
            Ok(0)
        }
        Command::Hash { doc, json } => {
            // Streamed: the input is read in 128 KiB reads and hashed as it comes (same root as
            // canonicalize + content_root, in constant memory).
            let name = doc.display().to_string();
            let d = digest_doc(doc)?;
            let root = d.content_sha256;
            if *json {
                out(&format!(
                    "{}\n",
                    serde_json::json!({
                        "schema": transmittal::schema::HASH,
                        "document": name,
                        "profile": transmittal::canonical::PROFILE,
                        "canonical_bytes": d.canonical_bytes,
                        "leaves": d.leaves,
                        "content_sha256": hex::encode(root),
                    })
                ))?;
            } else {
                out(&format!("{}  {name}\n", hex::encode(root)))?;
            }
            Ok(0)
        }
        Command::Verify(args) => {
            let (report, _) = verify_doc(args)?;
            if args.json {
                let report = transmittal::schema::Tagged::new(transmittal::schema::REPORT, &report);
                out(&format!("{}\n", serde_json::to_string_pretty(&report)?))?;
            } else if !cli.global.quiet {
                let mut o = std::io::BufWriter::new(std::io::stdout().lock());
                render::write_report(&mut o, &report, style(cli, stdout_tty))?;
                o.flush()?;
            }
            Ok(report.verdict.exit_code())
        }
        Command::Show(args) => {
            let (report, bytes) = verify_doc(args)?;
            let doc = transmittal::canonical::canonicalize(&bytes)
                .map_err(|e| transmittal::error::with_path(e, &args.doc))?;
            if args.json {
                out(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&transmittal::show::to_json(&doc, &report))?
                ))?;
            } else if !cli.global.quiet {
                out(&transmittal::show::render(&doc, &report))?;
            }
            Ok(report.verdict.exit_code())
        }
        Command::Sign {
            doc,
            key,
            layer,
            sig,
            keys,
            date,
            letter_date,
            commitment: c,
            allow_invisible,
            accept_structure,
            allow_hidden,
            force_letter_date,
            passphrase_file,
        } => {
            let opts = transmittal::sign::SignOptions {
                layer: *layer,
                signed_on: match date {
                    Some(d) => parse_date(d, "--date")?,
                    None => transmittal::dates::today(),
                },
                letter_date: letter_date_arg(letter_date)?,
                commitment: commitment(*c),
                allow_invisible: *allow_invisible,
                accept_structure: *accept_structure,
                allow_hidden: *allow_hidden,
                force_letter_date: *force_letter_date,
                today: transmittal::dates::today(),
            };
            let sig_path = sig_path_for(doc, sig)?;
            let bytes = read_doc(doc)?;
            // Read early so that a broken signature file is reported before a passphrase is
            // asked for; it is read again under the lock below.
            if sig_path.exists() {
                read_sigfile(&sig_path, doc)?;
            }
            let store = load_store(keys)?;
            if key != Path::new("-") && !key.exists() {
                return Err(anyhow!(
                    "cannot read the key file {}: no such file; give your secret key with --key (`transmittal keygen` makes one; an OpenSSH key such as ~/.ssh/id_ed25519 works too)",
                    key.display()
                ));
            }
            advice::check_not_public_key(key)?;
            let secret = passphrase_cli::load_key(key, passphrase_file.as_deref())?;
            // Read, change and replace the signature file under a lock, re-reading it there: a
            // co-signer signing the same document meanwhile is waited for, not overwritten.
            let _lock = fsutil::lock_for(&sig_path)?;
            let existing = if sig_path.exists() {
                Some(read_sigfile(&sig_path, doc)?)
            } else {
                None
            };
            let outcome = transmittal::sign::sign(
                &doc.display().to_string(),
                &bytes,
                existing.as_ref(),
                &secret,
                &store,
                &opts,
            )?;
            let json = outcome.file.to_json();
            if json.len() as u64 > MAX_METADATA_BYTES {
                return Err(anyhow!(
                    "the signature file for {} would be {} bytes, over the {} byte limit verifiers read; nothing was written (split the document, or join its short lines into paragraphs)",
                    doc.display(),
                    json.len(),
                    MAX_METADATA_BYTES
                ));
            }
            fsutil::write_atomic(&sig_path, json.as_bytes(), None, Existing::Replace)?;
            if !cli.global.quiet {
                eprintln!(
                    "signed layer {} ({}{}) of {} as {} ({}), {}; wrote {}",
                    outcome.layer,
                    outcome.kind,
                    outcome
                        .lines
                        .map(|(a, b)| format!(", lines {a}-{b}"))
                        .unwrap_or_default(),
                    doc.display(),
                    outcome.signer,
                    outcome.commitment,
                    outcome
                        .letter_date
                        .map(|d| format!("letter dated {}", transmittal::dates::format_iso(d)))
                        .unwrap_or_else(|| "no letter date".into()),
                    sig_path.display()
                );
            }
            Ok(0)
        }
        Command::Wrap {
            inner,
            inner_sig,
            cover,
            heading,
            original,
            out: out_path,
            force,
        } => {
            let inner_sig_path = sig_path_for(inner, inner_sig)?;
            let inner_bytes = read_doc(inner)?;
            let inner_file = read_sigfile(&inner_sig_path, inner)?;
            let cover_bytes = read_doc(cover)?;
            let w = transmittal::sign::wrap(
                &inner_bytes,
                &inner_file,
                &cover_bytes,
                heading,
                original.as_deref(),
            )?;
            write_pair(out_path, &w, *force)?;
            if !cli.global.quiet {
                eprintln!(
                    "wrote {} and {} ({} layers; layer 0 awaits its signature)",
                    out_path.display(),
                    sigfile::default_path(out_path).display(),
                    w.file.layers.len()
                );
            }
            Ok(0)
        }
        Command::Extract {
            doc,
            sig,
            layer,
            out: out_path,
            force,
        } => {
            let sig_path = sig_path_for(doc, sig)?;
            let bytes = read_doc(doc)?;
            let file = read_sigfile(&sig_path, doc)?;
            let w = transmittal::sign::extract(&bytes, &file, *layer)?;
            write_pair(out_path, &w, *force)?;
            if !cli.global.quiet {
                eprintln!(
                    "wrote {} and {} ({} layer{})",
                    out_path.display(),
                    sigfile::default_path(out_path).display(),
                    w.file.layers.len(),
                    if w.file.layers.len() == 1 { "" } else { "s" }
                );
            }
            Ok(0)
        }
        Command::Keygen {
            id,
            name,
            title,
            org,
            valid_from,
            valid_until,
            also_known_as,
            out_dir,
            force,
            unencrypted,
            passphrase_file,
        } => {
            let mut opts =
                transmittal::keys::KeygenOptions::new(id.clone(), name.clone(), out_dir.clone());
            opts.title = title.clone();
            opts.organisation = org.clone();
            opts.valid_from = parse_opt_date(valid_from, "--valid-from")?;
            opts.valid_until = parse_opt_date(valid_until, "--valid-until")?;
            opts.also_known_as = also_known_as.clone();
            opts.force = *force;
            if !*unencrypted {
                opts.passphrase = Some(passphrase_cli::new_passphrase(passphrase_file.as_deref())?);
            }
            let o = transmittal::keys::keygen(&opts)?;
            if !cli.global.quiet {
                eprintln!(
                    "wrote secret key {} (mode 0600{}) and trust-store entry {} (key id {})",
                    o.secret_path.display(),
                    if *unencrypted {
                        ", unencrypted"
                    } else {
                        ", encrypted"
                    },
                    o.entry_path.display(),
                    o.entry.key_id
                );
            }
            Ok(0)
        }
        Command::Keys { action } => run_keys(cli, action),
        Command::Audit {
            paths,
            keys,
            jobs,
            json,
            fail_fast,
            require_signed,
            strict,
            null,
            hidden,
            allow_empty,
            timing,
        } => {
            let opts = transmittal::audit::AuditOptions {
                null: *null,
                hidden: *hidden,
                allow_empty: *allow_empty,
                paths: paths.clone(),
                store: load_store(keys)?,
                jobs: *jobs,
                json: *json,
                fail_fast: *fail_fast,
                require_signed: *require_signed,
                strict: *strict,
                quiet: cli.global.quiet,
                color: style(cli, stdout_tty).color,
            };
            let progress = if std::io::stderr().is_terminal() && !cli.global.quiet {
                let bar = indicatif::ProgressBar::new(0);
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{bar:40} {pos}/{len} documents {rate} {eta}",
                    )
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
            let mut stdout = std::io::stdout().lock();
            let summary = transmittal::audit::run(&opts, &mut stdout, &tick)?;
            if let Some(b) = &progress {
                b.finish_and_clear();
            }
            if *timing {
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
        Command::Payload {
            doc,
            sig,
            layer,
            signature,
            signer,
            keys,
            date,
            letter_date,
            commitment: c,
            attach,
            accept_structure,
            allow_invisible,
            allow_hidden,
            force_letter_date,
        } => {
            let signed_on = match date {
                Some(d) => parse_date(d, "--date")?,
                None => transmittal::dates::today(),
            };
            let letter_date = letter_date_arg(letter_date)?;
            let sig_path = sig_path_for(doc, sig)?;
            let bytes = read_doc(doc)?;
            let Some(id) = signer else {
                // An existing signature's statement.
                let file = read_sigfile(&sig_path, doc)?;
                let Some(layer) = *layer else {
                    return Err(anyhow!("say whose statement: --layer N for an existing signature (with --signature N when the layer has several), or --signer ID for a new one"));
                };
                let rec = file.layers.get(layer).ok_or_else(|| {
                    anyhow!(
                        "{} records no layer {layer} (it has {})",
                        sig_path.display(),
                        file.layers.len()
                    )
                })?;
                let j = match (*signature, rec.signatures.len()) {
                    (Some(j), _) => j,
                    (None, 1) => 0,
                    (None, 0) => {
                        return Err(anyhow!("layer {layer} in {} has no signature yet; prepare a new statement with --signer ID", sig_path.display()))
                    }
                    (None, _) => {
                        let list: Vec<String> = rec
                            .signatures
                            .iter()
                            .enumerate()
                            .map(|(j, s)| format!("--signature {j}: {} ({}), signed on {}", s.statement.signatory, s.statement.signer, transmittal::dates::format_iso(s.statement.signed_on)))
                            .collect();
                        return Err(anyhow!("layer {layer} in {} has {} signatures; choose one: {}", sig_path.display(), rec.signatures.len(), list.join("; ")))
                    }
                };
                let statement = &rec
                    .signatures
                    .get(j)
                    .ok_or_else(|| {
                        anyhow!(
                            "layer {layer} has no signature {j} (it has {})",
                            rec.signatures.len()
                        )
                    })?
                    .statement;
                let mut o = std::io::stdout().lock();
                o.write_all(&statement.to_bytes())?;
                o.flush()?;
                return Ok(0);
            };
            let store = load_store(keys)?;
            let entry = store.by_id(id).ok_or_else(|| {
                anyhow!("no trust-store entry with id {id:?} in {}; `transmittal keys list` shows the ids", store.describe())
            })?;
            let opts = transmittal::sign::SignOptions {
                layer: *layer,
                signed_on,
                letter_date,
                commitment: commitment(*c),
                allow_invisible: *allow_invisible,
                accept_structure: *accept_structure,
                allow_hidden: *allow_hidden,
                force_letter_date: *force_letter_date,
                today: transmittal::dates::today(),
            };
            // With --attach, read, change and replace the signature file under a lock (re-read
            // there), so that a signature added meanwhile is kept.
            let _lock = match attach {
                Some(_) => Some(fsutil::lock_for(&sig_path)?),
                None => None,
            };
            let existing = if sig_path.exists() {
                Some(read_sigfile(&sig_path, doc)?)
            } else {
                None
            };
            let p = transmittal::sign::prepare(
                &doc.display().to_string(),
                &bytes,
                existing.as_ref(),
                entry,
                &store,
                &opts,
            )?;
            if let Some(sig_file) = attach {
                let raw = fsutil::read_limited(sig_file, 1024)?;
                let sig = parse_raw_signature(&raw).ok_or_else(|| {
                    anyhow!(
                        "{}: expected 64 raw bytes or 128 hex digits of an Ed25519 signature",
                        sig_file.display()
                    )
                })?;
                let new = transmittal::sign::attach(&p.file, p.layer, p.statement, sig)
                    .with_context(|| format!("{}", sig_file.display()))?;
                let json = new.to_json();
                if json.len() as u64 > MAX_METADATA_BYTES {
                    return Err(anyhow!(
                        "the signature file for {} would be {} bytes, over the {} byte limit verifiers read; nothing was written",
                        doc.display(),
                        json.len(),
                        MAX_METADATA_BYTES
                    ));
                }
                fsutil::write_atomic(&sig_path, json.as_bytes(), None, Existing::Replace)?;
                if !cli.global.quiet {
                    eprintln!(
                        "added the signature to layer {} in {}",
                        p.layer,
                        sig_path.display()
                    );
                }
            } else {
                let mut o = std::io::stdout().lock();
                o.write_all(&p.statement.to_bytes())?;
                o.flush()?;
            }
            Ok(0)
        }
        Command::Diff { a, b, json } => {
            let a_bytes = read_doc(a)?;
            let b_bytes = read_doc(b)?;
            let d = transmittal::diff::diff(
                &a.display().to_string(),
                &a_bytes,
                &b.display().to_string(),
                &b_bytes,
            )?;
            if *json {
                let d = transmittal::schema::Tagged::new(transmittal::schema::DIFF, &d);
                out(&format!("{}\n", serde_json::to_string_pretty(&d)?))?;
            } else if !cli.global.quiet {
                out(&transmittal::diff::render(&d, style(cli, stdout_tty).color))?;
            }
            Ok(d.exit_code())
        }
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "transmittal", &mut buf);
            out(&String::from_utf8_lossy(&buf))?;
            Ok(0)
        }
        Command::Man { command, out_dir } => {
            man::run(command, out_dir.as_deref(), cli.global.quiet)
        }
    }
}

fn write_pair(out_path: &Path, w: &transmittal::sign::Wrapped, force: bool) -> Result<()> {
    let sig_out = sigfile::default_path(out_path);
    if !force {
        for p in [out_path, sig_out.as_path()] {
            if p.exists() {
                return Err(anyhow!(
                    "{} exists already; use --force to overwrite it",
                    p.display()
                ));
            }
        }
    }
    let existing = if force {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    let _lock = fsutil::lock_for(&sig_out)?;
    fsutil::write_all_or_nothing(
        &[
            fsutil::PendingWrite {
                path: out_path.to_path_buf(),
                bytes: zeroize::Zeroizing::new(w.document.as_bytes().to_vec()),
                mode: None,
            },
            fsutil::PendingWrite {
                path: sig_out.clone(),
                bytes: zeroize::Zeroizing::new(w.file.to_json().into_bytes()),
                mode: None,
            },
        ],
        existing,
    )?;
    Ok(())
}

fn run_keys(cli: &Cli, action: &KeysCommand) -> Result<i32> {
    match action {
        KeysCommand::List { keys, json } => {
            let store = load_store(keys)?;
            if *json {
                let v: Vec<serde_json::Value> = store
                    .entries()
                    .iter()
                    .map(|e| {
                        serde_json::json!({
                            "id": e.id, "name": e.name, "title": e.title, "organisation": e.organisation,
                            "key_id": e.key_id, "public_key": hex::encode(e.public_key),
                            "fingerprint": hex::encode(e.fingerprint),
                            "ssh_fingerprint": transmittal::keys::ssh_fingerprint(&e.public_key),
                            "valid_from": e.valid_from.map(transmittal::dates::format_iso),
                            "valid_until": e.valid_until.map(transmittal::dates::format_iso),
                            "revoked_at": e.revoked_at.map(transmittal::dates::format_iso),
                            "revocation_reason": e.revocation_reason,
                            "note": e.note,
                            "also_known_as": e.also_known_as,
                            "path": e.path.display().to_string(),
                        })
                    })
                    .collect();
                out(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
            } else if !cli.global.quiet {
                let mut s = format!(
                    "trust store {}: {} entr{}\n",
                    store.describe(),
                    store.entries().len(),
                    if store.entries().len() == 1 {
                        "y"
                    } else {
                        "ies"
                    }
                );
                for e in store.entries() {
                    let window = format!(
                        "{} .. {}",
                        e.valid_from
                            .map(transmittal::dates::format_iso)
                            .unwrap_or_else(|| "-".into()),
                        e.valid_until
                            .map(transmittal::dates::format_iso)
                            .unwrap_or_else(|| "-".into())
                    );
                    s.push_str(&format!(
                        "{:<16} {:<16} {} {}{}{}  valid {}{}\n",
                        e.id,
                        e.key_id,
                        transmittal::keys::ssh_fingerprint(&e.public_key),
                        e.name,
                        if e.also_known_as.is_empty() {
                            String::new()
                        } else {
                            format!(" (also: {})", e.also_known_as.join("; "))
                        },
                        e.title
                            .as_ref()
                            .map(|t| format!(", {t}"))
                            .unwrap_or_default(),
                        window,
                        e.revoked_at
                            .map(|r| format!("  REVOKED {}", transmittal::dates::format_iso(r)))
                            .unwrap_or_default()
                    ));
                }
                out(&s)?;
            }
            Ok(0)
        }
        KeysCommand::Revoke {
            id,
            at,
            reason,
            replace,
            keys,
        } => {
            let at = parse_date(at, "--at")?;
            let dir = store_to_write(keys)?;
            let id = &advice::resolve_key_id(&dir, id)?;
            advice::check_revocation_replace(&dir, id, *replace)?;
            let e = transmittal::trust::revoke(&dir, id, at, reason)?;
            if !cli.global.quiet {
                eprintln!(
                    "revoked {} ({}) from {} on; wrote {}",
                    e.id,
                    e.name,
                    transmittal::dates::format_iso(at),
                    e.path.display()
                );
            }
            Ok(0)
        }
        KeysCommand::Import {
            ssh,
            pem,
            allowed_signers,
            principal,
            id,
            name,
            also_known_as,
            title,
            org,
            valid_from,
            valid_until,
            force,
            keys,
        } => {
            let mut d = transmittal::trust::EntryDetails::new(
                id.clone().unwrap_or_default(),
                name.clone().unwrap_or_default(),
            );
            d.title = title.clone();
            d.organisation = org.clone();
            d.valid_from = parse_opt_date(valid_from, "--valid-from")?;
            d.valid_until = parse_opt_date(valid_until, "--valid-until")?;
            d.also_known_as = also_known_as.clone();
            if let Some(path) = ssh {
                let text = String::from_utf8(fsutil::read_limited(path, MAX_METADATA_BYTES)?)
                    .map_err(|_| anyhow!("{}: not UTF-8 text", path.display()))?;
                let dir = store_to_write(keys)?;
                let e = transmittal::trust::import_ssh_public(&dir, &text, &d, *force)
                    .with_context(|| format!("importing {}", path.display()))?;
                if !cli.global.quiet {
                    eprintln!("imported {} ({}) as {}", e.name, e.key_id, e.path.display());
                }
            } else if let Some(path) = pem {
                let text = String::from_utf8(fsutil::read_limited(path, MAX_METADATA_BYTES)?)
                    .map_err(|_| anyhow!("{}: not UTF-8 text", path.display()))?;
                let dir = store_to_write(keys)?;
                let e = transmittal::trust::import_pem_public(&dir, &text, &d, *force)
                    .with_context(|| format!("importing {}", path.display()))?;
                if !cli.global.quiet {
                    eprintln!("imported {} ({}) as {}", e.name, e.key_id, e.path.display());
                }
            } else if let Some(path) = allowed_signers {
                let text = String::from_utf8(fsutil::read_limited(path, MAX_METADATA_BYTES)?)
                    .map_err(|_| anyhow!("{}: not UTF-8 text", path.display()))?;
                let dir = store_to_write(keys)?;
                let select = transmittal::trust::AllowedSignersImport {
                    principal: principal.clone(),
                    details: d,
                };
                let outcome =
                    transmittal::trust::import_allowed_signers(&dir, &text, &select, *force)
                        .with_context(|| format!("importing {}", path.display()))?;
                for w in &outcome.warnings {
                    eprintln!("transmittal: warning: {}: {w}", path.display());
                }
                if !cli.global.quiet {
                    for e in &outcome.entries {
                        eprintln!("imported {} ({}) as {}", e.name, e.key_id, e.path.display());
                    }
                }
            }
            Ok(0)
        }
        KeysCommand::Export { id, pem, keys } => {
            let store = load_store(keys)?;
            let e = advice::by_id_or_fingerprint(&store, id).ok_or_else(|| {
                anyhow!(
                    "no trust-store entry with id {id:?} in {}; `transmittal keys list` shows the ids",
                    store.describe()
                )
            })?;
            if *pem {
                out(&transmittal::trust::pem_spki(&e.public_key)?)?;
            } else {
                out(&format!("{}\n", hex::encode(e.public_key)))?;
            }
            Ok(0)
        }
    }
}

fn parse_raw_signature(raw: &[u8]) -> Option<[u8; 64]> {
    let mut sig = [0u8; 64];
    if raw.len() == 64 {
        sig.copy_from_slice(raw);
        return Some(sig);
    }
    let text = std::str::from_utf8(raw).ok()?.trim();
    hex::decode_to_slice(text, &mut sig).ok()?;
    Some(sig)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn argv(line: &[&str]) -> Vec<OsString> {
        std::iter::once("transmittal")
            .chain(line.iter().copied())
            .map(OsString::from)
            .collect()
    }

    /// The parser of `verify` alone gives exactly what the full parser gives, or leaves the line
    /// to it (help, version, errors, other subcommands, global options before `verify`).
    #[test]
    fn verify_alone_parses_as_the_full_parser() {
        let accepted: &[&[&str]] = &[
            &["verify", "doc.md"],
            &["verify", "-"],
            &["verify", "doc.md", "--json"],
            &["verify", "doc.md", "--strict", "--json"],
            &["verify", "--json", "doc.md"],
            &["verify", "doc.md", "--sig", "x.sig.json"],
            &[
                "verify",
                "doc.md",
                "--sig=x.sig.json",
                "--keys",
                "/etc/keys",
            ],
            &["verify", "doc.md", "--keys=k"],
            &["verify", "doc.md", "-q"],
            &["verify", "doc.md", "--quiet", "--color", "never"],
            &["verify", "doc.md", "--color=always"],
            &["verify", "--", "--json"],
        ];
        for line in accepted {
            let args = argv(line);
            let fast = parse_verify_alone(&args)
                .unwrap_or_else(|| panic!("{line:?}: not taken by the verify-only parser"));
            let full = parse_full(args).unwrap_or_else(|e| panic!("{line:?}: {e}"));
            assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{line:?}");
        }
        // Lines the full parser refuses (or answers with help or the version): the verify-only
        // parser leaves them all to it, so the messages are the full parser's.
        let refused: &[&[&str]] = &[
            &["verify"],
            &["verify", "--help"],
            &["verify", "doc.md", "-h"],
            &["verify", "--version"],
            &["verify", "doc.md", "--bogus"],
            &["verify", "doc.md", "other.md"],
            &["verify", "doc.md", "--color", "purple"],
            &["verify", "doc.md", "--sig"],
            &["verify", "doc.md", "--json", "--json"],
            &["verify", "-q", "doc.md", "-q"],
            &["help", "verify"],
            &[],
        ];
        for line in refused {
            assert!(parse_verify_alone(&argv(line)).is_none(), "{line:?}");
            assert!(parse_full(argv(line)).is_err(), "{line:?}");
        }
        // Other subcommands, and global options before `verify`, go to the full parser too.
        for line in [
            &["inspect", "doc.md"][..],
            &["--quiet", "verify", "doc.md"][..],
        ] {
            assert!(parse_verify_alone(&argv(line)).is_none(), "{line:?}");
        }
        // A line the verify-only parser leaves may still be a good one for the full parser.
        let full = parse_full(argv(&["--quiet", "verify", "doc.md"])).map(|c| c.global.quiet);
        assert!(matches!(full, Ok(true)));
    }
}
