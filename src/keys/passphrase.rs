//! Where a passphrase comes from, and loading an encrypted secret key with a number of tries.
//!
//! A passphrase is taken from, in this order: a passphrase file (`--passphrase-file`), the
//! `TRANSMITTAL_PASSPHRASE` environment variable ([`crate::keys::PASSPHRASE_ENV`]), a prompt on
//! the terminal. The library never prompts: the caller passes a callback that asks, and decides
//! how many tries it allows ([`load_secret_key_with_tries`]).

use crate::error::{Error, InputError, TrustError};
use crate::keys::{load_secret_key, SecretKey, WRONG_PASSPHRASE};
use std::io::Read as _;
use std::path::Path;
use zeroize::Zeroizing;

/// How many tries a passphrase typed at a terminal gets.
pub const TERMINAL_TRIES: u32 = 3;

/// The most bytes read from a passphrase file (its first line is the passphrase).
pub const MAX_PASSPHRASE_FILE_BYTES: u64 = 64 * 1024;

/// Whether `err` is the error [`load_secret_key`] gives for a wrong passphrase (or an encrypted
/// key that was altered: the two cannot be told apart).
pub fn is_wrong_passphrase(err: &Error) -> bool {
    matches!(err, Error::Trust(TrustError::BadSecretKey { message, .. }) if message == WRONG_PASSPHRASE)
}

/// Read a passphrase file: its first line, without the line ending (`\n` or `\r\n`).
///
/// The file must be a regular file that group and others cannot read (Unix), as a secret key
/// file; the passphrase must be UTF-8. Every error names the file.
pub fn read_passphrase_file(path: &Path) -> Result<Zeroizing<String>, Error> {
    let read_err = |source| -> Error {
        InputError::Read {
            path: path.to_path_buf(),
            source,
        }
        .into()
    };
    let invalid = |what: &str| -> Error {
        InputError::Invalid(format!("passphrase file {}: {what}", path.display())).into()
    };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if !meta.is_file() {
        return Err(invalid("not a regular file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(invalid(&format!(
                "readable by group or others (mode {:o}); run `chmod 600 {}`",
                mode & 0o7777,
                path.display()
            )));
        }
    }
    let file = std::fs::File::open(path).map_err(read_err)?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(MAX_PASSPHRASE_FILE_BYTES)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    let end = match bytes.iter().position(|&b| b == b'\n') {
        Some(i) => i,
        None if bytes.len() as u64 >= MAX_PASSPHRASE_FILE_BYTES => {
            return Err(invalid(&format!(
                "no line ending in the first {MAX_PASSPHRASE_FILE_BYTES} bytes"
            )))
        }
        None => bytes.len(),
    };
    let mut line = &bytes[..end];
    if let Some(stripped) = line.strip_suffix(b"\r") {
        line = stripped;
    }
    let text = std::str::from_utf8(line).map_err(|_| invalid("the passphrase is not UTF-8"))?;
    Ok(Zeroizing::new(text.to_string()))
}

/// [`load_secret_key`] with up to `tries` passphrases: `ask(n)` gives the `n`-th (from 1), and is
/// called again only after a wrong passphrase, so a caller that prompts can say "try again" when
/// `n > 1`. An unencrypted key never calls `ask`. After the last wrong passphrase, or any other
/// error, the error is returned as it is.
pub fn load_secret_key_with_tries(
    path: &Path,
    tries: u32,
    ask: &mut dyn FnMut(u32) -> Result<Zeroizing<String>, Error>,
) -> Result<SecretKey, Error> {
    let tries = tries.max(1);
    let mut attempt = 1;
    loop {
        let result = load_secret_key(path, &mut || ask(attempt));
        match result {
            Err(e) if attempt < tries && is_wrong_passphrase(&e) => attempt += 1,
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{keygen, KeygenOptions};
    use std::os::unix::fs::PermissionsExt;

    fn encrypted_key(dir: &Path) -> std::path::PathBuf {
        let mut o = KeygenOptions::new(
            "enc",
            "Jens Stoltenberg",
            dir.join("store"),
            dir.join("secret"),
        );
        o.passphrase = Some(Zeroizing::new("right".to_string()));
        o.kdf_log_n = 4;
        o.seed = Some(Zeroizing::new([7u8; 32]));
        keygen(&o).unwrap().secret_path
    }

    fn write_mode(path: &Path, body: &[u8], mode: u32) {
        std::fs::write(path, body).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn third_try_succeeds_and_asks_are_numbered() {
        let d = tempfile::tempdir().unwrap();
        let key = encrypted_key(d.path());
        let mut asked = Vec::new();
        let k = load_secret_key_with_tries(&key, 3, &mut |n| {
            asked.push(n);
            Ok(Zeroizing::new(
                if n == 3 { "right" } else { "wrong" }.into(),
            ))
        })
        .unwrap();
        assert_eq!(asked, [1, 2, 3]);
        assert_eq!(k.id(), Some("enc"));
    }

    #[test]
    fn three_wrong_tries_fail_with_the_wrong_passphrase_error() {
        let d = tempfile::tempdir().unwrap();
        let key = encrypted_key(d.path());
        let mut count = 0;
        let err = load_secret_key_with_tries(&key, 3, &mut |_| {
            count += 1;
            Ok(Zeroizing::new("wrong".into()))
        })
        .unwrap_err();
        assert_eq!(count, 3);
        assert!(is_wrong_passphrase(&err), "{err}");
        assert!(err.to_string().contains("enc.key"), "{err}");
    }

    #[test]
    fn one_try_means_one_ask() {
        let d = tempfile::tempdir().unwrap();
        let key = encrypted_key(d.path());
        let mut count = 0;
        let err = load_secret_key_with_tries(&key, 1, &mut |_| {
            count += 1;
            Ok(Zeroizing::new("wrong".into()))
        })
        .unwrap_err();
        assert_eq!(count, 1);
        assert!(is_wrong_passphrase(&err));
    }

    #[test]
    fn other_errors_are_not_retried() {
        let d = tempfile::tempdir().unwrap();
        let key = encrypted_key(d.path());
        let mut count = 0;
        let err = load_secret_key_with_tries(&key, 3, &mut |_| {
            count += 1;
            Err(InputError::Invalid("no terminal".into()).into())
        })
        .unwrap_err();
        assert_eq!(count, 1);
        assert!(!is_wrong_passphrase(&err));
        assert!(err.to_string().contains("no terminal"));
    }

    #[test]
    fn passphrase_file_first_line_without_line_ending() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("pass");
        write_mode(&p, b"correct horse\r\nsecond line\n", 0o600);
        assert_eq!(&*read_passphrase_file(&p).unwrap(), "correct horse");
        write_mode(&p, b"no newline", 0o400);
        assert_eq!(&*read_passphrase_file(&p).unwrap(), "no newline");
        write_mode(&p, b" spaces kept \n", 0o600);
        assert_eq!(&*read_passphrase_file(&p).unwrap(), " spaces kept ");
    }

    #[test]
    fn passphrase_file_refusals_name_the_file() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("pass");
        write_mode(&p, b"secret\n", 0o640);
        let err = read_passphrase_file(&p).unwrap_err().to_string();
        assert!(
            err.contains("pass") && err.contains("readable by group or others"),
            "{err}"
        );
        let err = read_passphrase_file(d.path()).unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
        let err = read_passphrase_file(&d.path().join("missing"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing"), "{err}");
        write_mode(&p, b"\xff\xfe\n", 0o600);
        let err = read_passphrase_file(&p).unwrap_err().to_string();
        assert!(err.contains("not UTF-8"), "{err}");
    }
}
