//! The right advice for a wrong input: a PDF, an office file, an archive, an image or other binary
//! data given as a document; a public key given as the signing key; and clap's errors in the
//! tool's own prefix. The library reports what is wrong; which command or flag to use next is
//! said here.

use super::errors::Coded;
use anyhow::anyhow;
use std::io::Read as _;
use std::path::Path;

pub(crate) use transmittal_core::input::{sniff, Binary, SNIFF_BYTES};

/// The error for a document that is a `kind` file; `offset`: its first byte that is not UTF-8.
pub(crate) fn binary_error(path: &Path, kind: Binary, offset: Option<u64>) -> anyhow::Error {
    anyhow!(transmittal_core::input::binary_message(path, kind, offset))
}

/// Refuse a document that is not text, with advice fitting what it is.
pub(crate) fn check_document(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    match transmittal_core::input::document_problem(path, bytes) {
        Some(message) => Err(anyhow!(message)),
        None => Ok(()),
    }
}

/// The better error for a file that a streaming reader found not to be UTF-8 at `offset`: when
/// its first bytes say what it is. `None`: no better advice than the UTF-8 one.
pub(crate) fn not_utf8_advice(path: &Path, offset: u64) -> Option<anyhow::Error> {
    let mut prefix = Vec::with_capacity(SNIFF_BYTES);
    let file = std::fs::File::open(path).ok()?;
    file.take(SNIFF_BYTES as u64)
        .read_to_end(&mut prefix)
        .ok()?;
    sniff(&prefix).map(|kind| binary_error(path, kind, Some(offset)))
}

/// Refuse a public key given where the secret key is needed (`sign --key`), before the key file's
/// permissions are checked: a public key is not secret, and "chmod 600" would be the wrong advice.
/// Anything this does not recognise is left to the key loader.
pub(crate) fn check_not_public_key(path: &Path) -> anyhow::Result<()> {
    if path == Path::new("-") {
        return Ok(());
    }
    let mut head = Vec::new();
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(());
    };
    if file.take(64 * 1024).read_to_end(&mut head).is_err() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&head);
    let body = text.trim_start();
    let p = path.display();
    let what = if body.starts_with("ssh-ed25519 ")
        || body.starts_with("ssh-rsa ")
        || body.starts_with("ecdsa-sha2-")
        || body.starts_with("sk-ssh-ed25519@")
    {
        let secret = path
            .to_str()
            .and_then(|s| s.strip_suffix(".pub"))
            .unwrap_or("~/.ssh/id_ed25519");
        Some(format!(
            "an OpenSSH public key; sign with the secret key: its private key file ({secret})"
        ))
    } else if body.starts_with("-----BEGIN PUBLIC KEY-----")
        || body.starts_with("-----BEGIN SSH2 PUBLIC KEY-----")
    {
        Some("a PEM public key; sign with the secret key (ID.key or ~/.ssh/id_ed25519)".to_string())
    } else if body.starts_with('{') {
        let v: Option<serde_json::Value> = serde_json::from_str(body).ok();
        let format = v.as_ref().and_then(|v| v.get("format")?.as_str());
        if format == Some(transmittal::trust::ENTRY_FORMAT) {
            let id = v
                .as_ref()
                .and_then(|v| v.get("id")?.as_str())
                .filter(|id| transmittal::chain::valid_id(id))
                .unwrap_or("ID");
            Some(format!(
                "a public key (a trust-store entry); sign with the secret key ({id}.key or ~/.ssh/id_ed25519)"
            ))
        } else {
            None
        }
    } else {
        None
    };
    match what {
        Some(w) => Err(anyhow!("{p} is {w}")),
        None => Ok(()),
    }
}

/// Print a clap error (exit 2) in the tool's prefix, `transmittal: error:`, keeping clap's usage
/// and tip lines. Help and version output (exit 0) are clap's own.
pub(crate) fn print_clap_error(e: &clap::Error) -> i32 {
    if !e.use_stderr() {
        let _ = e.print();
        return 0;
    }
    if let Some(message) = value_message(e) {
        eprintln!("transmittal: error: {message}");
        return 2;
    }
    let text = e.render().to_string();
    let text = match text.strip_prefix("error:") {
        Some(rest) => format!("transmittal: error:{rest}"),
        None => format!("transmittal: {text}"),
    };
    eprint!("{text}");
    2
}

/// The message of a value one of the tool's own value parsers ([`super::values`]) refused, in
/// the tool's words: `--date "2017-13-45" is not a date in the form YYYY-MM-DD`.
fn value_message(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    use std::error::Error as _;
    if e.kind() != ErrorKind::ValueValidation {
        return None;
    }
    let reason = e.source()?.downcast_ref::<super::values::NotADate>()?;
    let (Some(ContextValue::String(arg)), Some(ContextValue::String(value))) = (
        e.get(ContextKind::InvalidArg),
        e.get(ContextKind::InvalidValue),
    ) else {
        return None;
    };
    // clap names the argument with its value name (`--date <DATE>`); the flag alone reads better.
    let flag = arg.split(' ').next().unwrap_or(arg);
    Some(format!("{flag} {value:?} {reason}"))
}

/// The error for a key file that does not exist (`sign --key`): say what --key wants and where
/// keys come from.
pub(crate) fn key_file_not_found(key: &Path) -> anyhow::Error {
    anyhow!(
        "cannot read the key file {}: no such file; give your secret key with --key (`transmittal keygen` makes one; an OpenSSH key such as ~/.ssh/id_ed25519 works too)",
        key.display()
    )
}

/// The error for a trust-store id no entry has (`keys export`, `payload --signer`).
pub(crate) fn unknown_id(id: &str, store: &transmittal::trust::TrustStore) -> anyhow::Error {
    anyhow!(
        "no trust-store entry with id {id:?} in {}; `transmittal keys list` shows the ids",
        store.describe()
    )
}

/// The error for a directory given where a document is expected: point to `audit`.
pub(crate) fn directory_given(path: &Path, e: transmittal::error::InputError) -> anyhow::Error {
    Coded::error(
        "input-not-regular-file",
        format!(
            "{e}; to check every document under a directory, run `transmittal audit {}`",
            path.display()
        ),
    )
}

/// The error for a document path that does not exist.
pub(crate) fn no_such_file(path: &Path) -> anyhow::Error {
    Coded::error(
        "input-not-found",
        format!(
            "cannot read {}: no such file; check the path (`-` reads standard input)",
            path.display()
        ),
    )
}

/// The error for a missing signature file: where it comes from, and --sig.
pub(crate) fn no_signature_file(path: &Path, doc: &Path) -> anyhow::Error {
    Coded::error(
        "signature-file-not-found",
        format!(
            "no signature file {}: ask the sender for it, or sign the document with `transmittal sign {} --key KEYFILE` if it is yours (--sig names a signature file kept elsewhere)",
            path.display(),
            doc.display()
        ),
    )
}

/// Refuse a secret-key folder that is a trust store (`keygen --secret-dir`): the entries of a
/// trust store are shared, copied and committed; a secret key among them would travel with them.
pub(crate) fn check_secret_dir(secret_dir: &Path, store_dir: &Path) -> anyhow::Result<()> {
    if !transmittal::keys::is_trust_store_dir(secret_dir, store_dir) {
        return Ok(());
    }
    Err(anyhow!(
        "refusing to write the secret key into {}: it is a trust store (it holds the public entries, which are shared with others); give --secret-dir DIR outside the trust store, or leave --secret-dir out to use your own folder (~/.config/transmittal/secret); nothing was written",
        secret_dir.display()
    ))
}

/// The entry `id` names: a trust-store id, or the `SHA256:` fingerprint of its key as
/// `ssh-keygen -l` prints it.
pub(crate) fn by_id_or_fingerprint<'a>(
    store: &'a transmittal::trust::TrustStore,
    id: &str,
) -> Option<&'a transmittal::trust::TrustEntry> {
    if id.starts_with("SHA256:") {
        store
            .entries()
            .iter()
            .find(|e| transmittal::keys::ssh_fingerprint(&e.public_key) == id)
    } else {
        store.by_id(id)
    }
}

/// The trust-store id for `id` in the store `dir` (a `SHA256:` fingerprint is looked up; an id is
/// returned as given).
pub(crate) fn resolve_key_id(dir: &Path, id: &str) -> anyhow::Result<String> {
    if !id.starts_with("SHA256:") {
        return Ok(id.to_string());
    }
    let store = transmittal::trust::load(dir)?;
    by_id_or_fingerprint(&store, id)
        .map(|e| e.id.clone())
        .ok_or_else(|| {
            anyhow!(
                "no trust-store entry with the key {id} in {}; `transmittal keys list` shows the fingerprints",
                dir.display()
            )
        })
}

/// `keys revoke` replaces an existing revocation only when asked to (`--replace`).
pub(crate) fn check_revocation_replace(dir: &Path, id: &str, replace: bool) -> anyhow::Result<()> {
    if replace || !transmittal::chain::valid_id(id) {
        return Ok(());
    }
    let path = dir.join(format!("{id}{}", transmittal::trust::ENTRY_SUFFIX));
    if !path.is_file() {
        return Ok(());
    }
    let entry = transmittal::trust::load_entry(&path)?;
    if let Some(at) = entry.revoked_at {
        return Err(anyhow!(
            "{id} is already revoked from {}{} ({}); use --replace to replace that revocation",
            transmittal::dates::format_iso(at),
            entry
                .revocation_reason
                .as_deref()
                .map(|r| format!(", reason {r:?}"))
                .unwrap_or_default(),
            path.display()
        ));
    }
    Ok(())
}

/// `n` with a comma between groups of three digits: 4662 -> "4,662".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The progress bar's rate, in whole documents per second: `4,662 docs/s`.
pub(crate) fn progress_rate(state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write) {
    let _ = write!(w, "{}", rate_text(state.per_sec()));
}

fn rate_text(per_sec: f64) -> String {
    let n = if per_sec.is_finite() && per_sec > 0.0 {
        per_sec.round() as u64
    } else {
        0
    };
    format!("{} docs/s", thousands(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_rate() {
        assert_eq!(rate_text(4661.5735), "4,662 docs/s");
        assert_eq!(rate_text(999.4), "999 docs/s");
        assert_eq!(rate_text(1_234_567.0), "1,234,567 docs/s");
        assert_eq!(rate_text(f64::NAN), "0 docs/s");
    }

    #[test]
    fn sniffs_by_magic_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(Binary::Pdf));
        assert_eq!(
            sniff(b"PK\x03\x04....mimetypeapplication/vnd.oasis.opendocument.text"),
            Some(Binary::Odt)
        );
        assert_eq!(
            sniff(b"PK\x03\x04..[Content_Types].xml..word/document.xml"),
            Some(Binary::Docx)
        );
        assert_eq!(sniff(b"PK\x03\x04\x14\x00"), Some(Binary::Zip));
        assert_eq!(
            sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
            Some(Binary::OldOffice)
        );
        assert_eq!(sniff(b"\x1f\x8b\x08\x00"), Some(Binary::Gzip));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(Binary::Png));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0"), Some(Binary::Jpeg));
        assert_eq!(sniff(b"\xff\xfeL\0"), Some(Binary::Utf16));
        assert_eq!(sniff(b"abc\0def"), Some(Binary::Other));
        assert_eq!(sniff(b"A letter.\n"), None);
        assert_eq!(sniff(b"Lettre de l'ann\xe9e"), None);
    }

    #[test]
    fn text_with_nul_is_text_but_binary_with_nul_is_not() {
        let p = Path::new("x.md");
        assert!(check_document(p, b"Letter\0 text\n").is_ok());
        let e = check_document(p, b"Letter\0\xff\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("x.md is not a text file") && e.contains("offset 7"),
            "{e}"
        );
        let e = check_document(Path::new("r.pdf"), b"%PDF-1.4\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("pdftotext -layout r.pdf r.txt"), "{e}");
        let e = check_document(Path::new("r.txt"), b"%PDF-1.4\n\xe2\xe3")
            .unwrap_err()
            .to_string();
        assert!(e.contains("r.txt.txt") && e.contains("offset 9"), "{e}");
    }
}
