//! Man pages: `transmittal(1)` and one page per command (`transmittal-verify(1)`,
//! `transmittal-keys-import(1)`, …), rendered with `clap_mangen` from the same definitions as
//! `--help`, plus the sections clap does not know: EXIT STATUS, ENVIRONMENT, FILES, EXAMPLES
//! (from each command's after_help) and SEE ALSO.

use crate::cli::Cli;
use anyhow::{anyhow, Context as _, Result};
use clap::CommandFactory;
use clap_mangen::roff::{bold, italic, roman, Inline, Roff};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// One rendered page.
#[derive(Debug)]
pub struct Page {
    /// The page name, e.g. `transmittal-keys-import`.
    pub name: String,
    /// The roff source.
    pub roff: String,
}

/// `transmittal man [COMMAND...]` and `transmittal man --out-dir DIR`.
pub fn run(command: &[String], out_dir: Option<&Path>, quiet: bool) -> Result<i32> {
    if let Some(dir) = out_dir {
        let written = write_all(dir)?;
        if !quiet {
            eprintln!("wrote {} man pages to {}", written.len(), dir.display());
        }
        return Ok(0);
    }
    let page = page(command)?;
    let mut o = std::io::stdout().lock();
    o.write_all(page.roff.as_bytes())?;
    o.flush()?;
    Ok(0)
}

/// The command tree the pages describe (built: global options propagated, display names set).
fn tree() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// Every page, the main page first, then each command's in tree order.
pub fn pages() -> Result<Vec<Page>> {
    let root = tree();
    let mut out = Vec::new();
    walk(&root, &mut Vec::new(), &mut out)?;
    Ok(out)
}

fn walk(cmd: &clap::Command, path: &mut Vec<String>, out: &mut Vec<Page>) -> Result<()> {
    out.push(render(cmd, path)?);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        path.push(sub.get_name().to_string());
        walk(sub, path, out)?;
        path.pop();
    }
    Ok(())
}

/// The page of the command named by `words` (empty: the main page).
pub fn page(words: &[String]) -> Result<Page> {
    let root = tree();
    let mut cmd = &root;
    for (i, w) in words.iter().enumerate() {
        cmd = cmd
            .get_subcommands()
            .find(|s| s.get_name() == w && !s.is_hide_set())
            .ok_or_else(|| {
                let known: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
                anyhow!(
                    "no command `{}`; the commands{} are: {}",
                    words[..=i].join(" "),
                    if i == 0 {
                        String::new()
                    } else {
                        format!(" of `{}`", words[..i].join(" "))
                    },
                    known.join(", ")
                )
            })?;
    }
    render(cmd, words)
}

/// Write every page to `dir` as `NAME.1` (created if missing; each file replaced atomically).
pub fn write_all(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the directory {}", dir.display()))?;
    let mut written = Vec::new();
    for p in pages()? {
        let path = dir.join(format!("{}.1", p.name));
        transmittal::fsutil::write_atomic(
            &path,
            p.roff.as_bytes(),
            Some(0o644),
            transmittal::fsutil::Existing::Replace,
        )?;
        written.push(path);
    }
    Ok(written)
}

/// The page name of the command at `path` (`transmittal`, `transmittal-keys-import`).
fn page_name(path: &[String]) -> String {
    std::iter::once("transmittal")
        .chain(path.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("-")
}

fn render(cmd: &clap::Command, path: &[String]) -> Result<Page> {
    let name = page_name(path);
    let man = clap_mangen::Man::new(cmd.clone());
    // The title line by hand: an empty date field must stay in place for the source and manual
    // fields to land where man(7) expects them.
    let mut buf = format!(
        ".TH {} 1 \"\" \"transmittal {}\" \"Transmittal Manual\"\n",
        name.replace('-', "\\-"),
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes();
    man.render_name_section(&mut buf)?;
    man.render_synopsis_section(&mut buf)?;
    if cmd.get_long_about().is_some() {
        man.render_description_section(&mut buf)?;
    } else if let Some(about) = cmd.get_about() {
        let mut roff = Roff::default();
        section(&mut roff, "DESCRIPTION");
        roff.text([roman(about.to_string())]);
        buf.extend_from_slice(roff.to_roff().as_bytes());
    }
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut buf)?;
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(&mut buf)?;
    }
    let mut roff = Roff::default();
    let has_arg = |id: &str| cmd.get_arguments().any(|a| a.get_id() == id);
    if path.is_empty() {
        main_sections(&mut roff);
    } else {
        exit_status(&mut roff, path);
        environment(&mut roff, has_arg("keys"), has_arg("passphrase_file"));
    }
    after_help(&mut roff, cmd, path.is_empty());
    see_also(&mut roff, cmd, path);
    buf.extend_from_slice(roff.to_roff().as_bytes());
    if path.is_empty() {
        man.render_version_section(&mut buf)?;
    }
    let roff = String::from_utf8(buf).map_err(|e| anyhow!("man page {name}: {e}"))?;
    Ok(Page { name, roff })
}

/// A `.TP` paragraph: `term` in bold, then the text.
fn item(roff: &mut Roff, term: Vec<Inline>, text: &str) {
    roff.control("TP", []);
    roff.text(term);
    roff.text([roman(text)]);
}

fn section(roff: &mut Roff, title: &str) {
    roff.control("SH", [title]);
}

/// Exit statuses of each command, where they differ from "0 success, 2 error".
const EXIT_CODES: &[(&str, &[(&str, &str)])] = &[
    (
        "verify",
        &[
            ("0", "Valid: every layer is signed and every signature checks."),
            ("1", "Invalid: a signature, layer or line does not check."),
            ("2", "Usage or input error (unreadable file, malformed signature file)."),
            ("3", "Indeterminate: e.g. a signature by a key the trust store does not know."),
        ],
    ),
    (
        "show",
        &[
            ("0", "Valid, as for verify."),
            ("1", "Invalid, as for verify."),
            ("2", "Usage or input error."),
            ("3", "Indeterminate, as for verify."),
        ],
    ),
    (
        "audit",
        &[
            ("0", "Every document found is valid (documents without a signature file do not count unless --require-signed)."),
            ("1", "A document is invalid, or unsigned with --require-signed."),
            ("2", "A document could not be read or checked, no document was found (without --allow-empty), or a usage error."),
            ("3", "Some document is indeterminate and none is invalid or in error."),
        ],
    ),
    (
        "sign",
        &[
            ("0", "The layer was signed and the signature file written."),
            ("1", "Signing refused (the layer fails a check; the message says which option overrides it)."),
            ("2", "Usage or input error, including a wrong passphrase; nothing was written."),
        ],
    ),
    (
        "diff",
        &[
            ("0", "The two copies hold the same text."),
            ("1", "The copies differ."),
            ("2", "Usage or input error."),
        ],
    ),
];

fn exit_codes(command: &str) -> &'static [(&'static str, &'static str)] {
    EXIT_CODES
        .iter()
        .find(|(c, _)| *c == command)
        .map(|(_, codes)| *codes)
        .unwrap_or(&[
            ("0", "Success."),
            (
                "2",
                "Usage or input error; the message names the file and the problem.",
            ),
        ])
}

fn exit_status(roff: &mut Roff, path: &[String]) {
    section(roff, "EXIT STATUS");
    let command = path.first().map(String::as_str).unwrap_or_default();
    for (code, text) in exit_codes(command) {
        item(roff, vec![bold(*code)], text);
    }
}

const ENV_KEYS: &str = "The trust-store directory, when --keys is not given.";
const ENV_PASSPHRASE: &str = "The passphrase of an encrypted secret key (sign) or of a new one (keygen), when --passphrase-file is not given. It gets one try; a wrong one is an error. Other users may see a process's environment on some systems: prefer --passphrase-file.";
const ENV_NO_COLOR: &str = "When set to a non-empty value, --color auto does not colour the output (nor does CLICOLOR=0 or TERM=dumb; CLICOLOR_FORCE set to a non-empty value other than 0 colours it even when it is not a terminal).";
const ENV_XDG: &str = "The user's trust store is $XDG_CONFIG_HOME/transmittal/keys; keygen writes secret keys to $XDG_CONFIG_HOME/transmittal/secret.";
const ENV_HOME: &str =
    "Without XDG_CONFIG_HOME, the user's trust store is $HOME/.config/transmittal/keys and keygen writes secret keys to $HOME/.config/transmittal/secret.";

fn environment(roff: &mut Roff, keys: bool, passphrase: bool) {
    section(roff, "ENVIRONMENT");
    if keys {
        item(roff, vec![bold("TRANSMITTAL_KEYS")], ENV_KEYS);
    }
    if passphrase {
        item(roff, vec![bold("TRANSMITTAL_PASSPHRASE")], ENV_PASSPHRASE);
    }
    item(roff, vec![bold("NO_COLOR")], ENV_NO_COLOR);
    if keys {
        item(roff, vec![bold("XDG_CONFIG_HOME")], ENV_XDG);
        item(roff, vec![bold("HOME")], ENV_HOME);
    }
}

/// EXIT STATUS, ENVIRONMENT and FILES of the main page.
fn main_sections(roff: &mut Roff) {
    section(roff, "EXIT STATUS");
    roff.text([roman(
        "verify, show and audit: 0 valid, 1 invalid, 3 indeterminate (e.g. an unknown key), 2 usage or input error. sign: 1 when signing is refused. diff: 1 when the copies differ. Every other command: 0 success, 2 usage or input error. Each command's page gives the details.",
    )]);
    for (code, text) in [
        ("0", "Valid (or success)."),
        ("1", "Invalid; signing refused; copies differ."),
        (
            "2",
            "Usage or input error: the message names the file and the problem.",
        ),
        (
            "3",
            "Indeterminate: the signatures could not be checked, e.g. an unknown key.",
        ),
    ] {
        item(roff, vec![bold(code)], text);
    }
    environment(roff, true, true);
    section(roff, "FILES");
    roff.text([roman(
        "Commands that read the trust store take the first of these that is given or exists (never the current directory):",
    )]);
    item(
        roff,
        vec![bold("--keys"), roman(" "), italic("DIR")],
        "The directory named on the command line.",
    );
    item(
        roff,
        vec![bold("$TRANSMITTAL_KEYS")],
        "The directory the environment names.",
    );
    item(
        roff,
        vec![bold("$XDG_CONFIG_HOME/transmittal/keys")],
        "The user's store (~/.config/transmittal/keys without XDG_CONFIG_HOME); keys import creates it.",
    );
    item(
        roff,
        vec![bold("/etc/transmittal/keys")],
        "The system store.",
    );
    item(
        roff,
        vec![italic("DOC"), bold(".sig.json")],
        "The signature file of the document DOC, unless --sig names another.",
    );
    item(
        roff,
        vec![italic("ID"), bold(".key")],
        "A secret key written by keygen (mode 0600, encrypted unless --unencrypted), by default in the user's folder for secret keys, never in a trust store; OpenSSH Ed25519 private keys work too. Secret key files and passphrase files must not be readable by group or others.",
    );
    item(
        roff,
        vec![bold("$XDG_CONFIG_HOME/transmittal/secret")],
        "The folder keygen writes secret keys to without --secret-dir (~/.config/transmittal/secret when XDG_CONFIG_HOME is not set), created with mode 0700.",
    );
    item(
        roff,
        vec![italic("ID"), bold(".pub.json")],
        "A trust-store entry: a public key and the identity it belongs to.",
    );
}

/// EXAMPLES (the indented lines of the command's after_help) and NOTES (its other paragraphs).
fn after_help(roff: &mut Roff, cmd: &clap::Command, main: bool) {
    let text = cmd
        .get_after_long_help()
        .or_else(|| cmd.get_after_help())
        .map(|s| s.to_string())
        .unwrap_or_default();
    let mut examples: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for para in text.split("\n\n") {
        let mut lines = para.lines();
        match lines.next() {
            Some(h)
                if h.trim_end_matches(':') == "Example"
                    || h.trim_end_matches(':') == "Examples" =>
            {
                examples.extend(lines.map(|l| l.trim().to_string()));
            }
            Some(_) => notes.push(para.replace('\n', " ")),
            None => {}
        }
    }
    if main {
        examples.push(
            "transmittal sign report.md --key me.key --passphrase-file ~/.transmittal-pass".into(),
        );
        examples.push("transmittal audit archive/ --json > audit.jsonl".into());
    }
    if !notes.is_empty() {
        section(roff, "NOTES");
        for n in notes {
            roff.control("PP", []);
            roff.text([roman(n)]);
        }
    }
    if !examples.is_empty() {
        section(roff, "EXAMPLES");
        for e in examples {
            roff.control("PP", []);
            roff.control("nf", []);
            roff.control("RS", ["4"]);
            roff.text([roman(e)]);
            roff.control("RE", []);
            roff.control("fi", []);
        }
    }
}

/// Related commands, beyond the main page, the parent and the children.
const RELATED: &[(&str, &[&str])] = &[
    ("verify", &["show", "audit", "inspect", "keys"]),
    ("show", &["verify"]),
    ("audit", &["verify"]),
    ("sign", &["keygen", "verify", "payload", "inspect"]),
    ("keygen", &["sign", "keys"]),
    ("payload", &["sign", "verify"]),
    ("wrap", &["extract", "sign"]),
    ("extract", &["wrap", "verify"]),
    ("inspect", &["hash", "sign"]),
    ("hash", &["inspect"]),
    ("diff", &["verify"]),
];

fn see_also(roff: &mut Roff, cmd: &clap::Command, path: &[String]) {
    let mut refs: Vec<String> = Vec::new();
    if path.is_empty() {
        refs.extend(
            cmd.get_subcommands()
                .filter(|s| !s.is_hide_set())
                .map(|s| format!("transmittal-{}", s.get_name())),
        );
    } else {
        refs.push("transmittal".into());
        if path.len() > 1 {
            refs.push(page_name(&path[..path.len() - 1]));
        }
        refs.extend(
            cmd.get_subcommands()
                .filter(|s| !s.is_hide_set())
                .map(|s| page_name(&[path, &[s.get_name().to_string()]].concat())),
        );
        if let Some((_, related)) = RELATED
            .iter()
            .find(|(c, _)| path.len() == 1 && *c == path[0])
        {
            refs.extend(related.iter().map(|r| format!("transmittal-{r}")));
        }
    }
    let mut inlines: Vec<Inline> = Vec::new();
    for (i, r) in refs.iter().enumerate() {
        if i > 0 {
            inlines.push(roman(", "));
        }
        inlines.push(bold(r.as_str()));
        inlines.push(roman("(1)"));
    }
    if path.is_empty() || path[0] == "sign" || path[0] == "keys" {
        inlines.push(roman(", "));
        inlines.push(bold("ssh-keygen"));
        inlines.push(roman("(1)"));
    }
    section(roff, "SEE ALSO");
    roff.text(inlines);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_page() {
        let names: Vec<String> = pages().unwrap().into_iter().map(|p| p.name).collect();
        fn expect(cmd: &clap::Command, prefix: &str, names: &[String]) {
            for s in cmd.get_subcommands() {
                let n = format!("{prefix}-{}", s.get_name());
                assert!(names.contains(&n), "no page {n} in {names:?}");
                expect(s, &n, names);
            }
        }
        expect(&Cli::command(), "transmittal", &names);
        assert_eq!(names[0], "transmittal");
        assert!(names.contains(&"transmittal-keys-import".to_string()));
        assert!(!names.iter().any(|n| n.ends_with("-help")), "{names:?}");
    }

    #[test]
    fn main_page_has_the_sections() {
        let p = page(&[]).unwrap();
        for s in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH OPTIONS",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH FILES",
            ".SH EXAMPLES",
            ".SH \"SEE ALSO\"",
        ] {
            assert!(p.roff.contains(s), "main page lacks {s}");
        }
        for word in [
            "TRANSMITTAL_KEYS",
            "TRANSMITTAL_PASSPHRASE",
            "NO_COLOR",
            "XDG_CONFIG_HOME",
            "HOME",
            "/etc/transmittal/keys",
            ".sig.json",
            "transmittal\\-keys(1)",
        ] {
            assert!(p.roff.contains(word), "main page lacks {word}");
        }
    }

    #[test]
    fn command_pages_have_examples_and_see_also() {
        for p in pages().unwrap().into_iter().skip(1) {
            assert!(p.roff.contains(".SH EXAMPLES"), "{} lacks EXAMPLES", p.name);
            assert!(
                p.roff.contains(".SH \"SEE ALSO\""),
                "{} lacks SEE ALSO",
                p.name
            );
            assert!(
                p.roff.contains(".SH \"EXIT STATUS\""),
                "{} lacks EXIT STATUS",
                p.name
            );
            assert!(
                p.roff
                    .contains(&format!(".TH {}", p.name.replace('-', "\\-"))),
                "{} has the wrong title",
                p.name
            );
        }
        let sign = page(&["sign".into()]).unwrap().roff;
        assert!(sign.contains("passphrase\\-file"), "{sign}");
        assert!(sign.contains("TRANSMITTAL_PASSPHRASE"));
        let verify = page(&["verify".into()]).unwrap().roff;
        assert!(verify.contains("Indeterminate"));
        assert!(!verify.contains("TRANSMITTAL_PASSPHRASE"));
    }

    #[test]
    fn unknown_command_is_an_error_naming_it() {
        let err = page(&["keys".into(), "nosuch".into()])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("keys nosuch") && err.contains("import"),
            "{err}"
        );
    }
}
