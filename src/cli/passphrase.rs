//! Where the `transmittal` command gets a passphrase: `--passphrase-file FILE`, then
//! `TRANSMITTAL_PASSPHRASE`, then the terminal. A passphrase from a file or the environment gets
//! one try; one typed at the terminal gets [`TERMINAL_TRIES`].

use anyhow::{anyhow, Result};
use std::path::Path;
use transmittal::error::InputError;
use transmittal::error::{Error, TrustError};
use transmittal::keys::{SecretKey, PASSPHRASE_ENV};
use transmittal::passphrase::{
    is_wrong_passphrase, load_secret_key_with_tries, read_passphrase_file, TERMINAL_TRIES,
};
use zeroize::Zeroizing;

/// Load the secret key `key`, asking for its passphrase (if it is encrypted) from
/// `passphrase_file`, else `TRANSMITTAL_PASSPHRASE`, else the terminal.
pub fn load_key(key: &Path, passphrase_file: Option<&Path>) -> Result<SecretKey> {
    if let Some(file) = passphrase_file {
        // Read (and check) the file even when the key turns out to be unencrypted: a bad
        // passphrase file is a mistake worth reporting either way.
        let pass = read_passphrase_file(file)?;
        return load_secret_key_with_tries(key, 1, &mut |_| Ok(pass.clone())).map_err(|e| {
            reword(
                e,
                &format!(
                    "wrong passphrase in the passphrase file {} (or the encrypted key was altered)",
                    file.display()
                ),
            )
        });
    }
    if std::env::var_os(PASSPHRASE_ENV).is_some() {
        // One try; the library's message names the variable.
        return Ok(load_secret_key_with_tries(key, 1, &mut |_| {
            env_or_prompt("")
        })?);
    }
    let prompt = format!("Passphrase for {}: ", key.display());
    load_secret_key_with_tries(key, TERMINAL_TRIES, &mut |n| {
        if n > 1 {
            eprintln!("wrong passphrase, try again ({n} of {TERMINAL_TRIES})");
        }
        env_or_prompt(&prompt)
    })
    .map_err(|e| {
        reword(
            e,
            &format!("wrong passphrase, {TERMINAL_TRIES} tries (or the encrypted key was altered)"),
        )
    })
}

/// A wrong-passphrase error with `message` instead of the library's (which names
/// `TRANSMITTAL_PASSPHRASE`); other errors as they are.
fn reword(e: Error, message: &str) -> anyhow::Error {
    match &e {
        Error::Trust(TrustError::BadSecretKey { path, .. }) if is_wrong_passphrase(&e) => {
            anyhow!("{}: {message}", path.display())
        }
        _ => e.into(),
    }
}

/// The passphrase for a new encrypted key: `passphrase_file`, else `TRANSMITTAL_PASSPHRASE`, else
/// typed twice at the terminal. An empty passphrase is refused (use `--unencrypted`).
pub fn new_passphrase(passphrase_file: Option<&Path>) -> Result<Zeroizing<String>> {
    if let Some(file) = passphrase_file {
        let p = read_passphrase_file(file)?;
        if p.is_empty() {
            return Err(anyhow!(
                "the passphrase file {} holds an empty first line; write a passphrase in it or use --unencrypted",
                file.display()
            ));
        }
        return Ok(p);
    }
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        if p.is_empty() {
            return Err(anyhow!(
                "{PASSPHRASE_ENV} is empty; set a passphrase or use --unencrypted"
            ));
        }
        return Ok(Zeroizing::new(p));
    }
    let first = env_or_prompt("New passphrase: ")?;
    let second = env_or_prompt("Repeat passphrase: ")?;
    if *first != *second {
        return Err(anyhow!("the passphrases differ; nothing was written"));
    }
    if first.is_empty() {
        return Err(anyhow!(
            "empty passphrase; use --unencrypted for an unencrypted key"
        ));
    }
    Ok(first)
}

/// A passphrase from `TRANSMITTAL_PASSPHRASE` if set (it wins), else typed at the terminal
/// without echo after `prompt`. Without a terminal the error says to set
/// `TRANSMITTAL_PASSPHRASE`.
fn env_or_prompt(prompt: &str) -> Result<Zeroizing<String>, Error> {
    match std::env::var(PASSPHRASE_ENV) {
        Ok(v) => return Ok(Zeroizing::new(v)),
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(InputError::Invalid(format!("{PASSPHRASE_ENV} is not valid UTF-8")).into())
        }
        Err(std::env::VarError::NotPresent) => {}
    }
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(|e| {
            InputError::Invalid(format!(
                "a passphrase is needed but there is no terminal to ask for it ({e}); set {PASSPHRASE_ENV}"
            ))
            .into()
        })
}
