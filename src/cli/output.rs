//! What every command shares: the [`Ctx`] (global options), writing to standard output, and
//! reading documents, signature files and the trust store with the command line's advice for
//! wrong inputs.

use super::advice::{self, directory_given, no_such_file};
use super::errors::Coded;
use super::{ColorChoice, GlobalOpts, KeysArg};
use anyhow::{anyhow, Result};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use transmittal::error::InputError;
use transmittal::fsutil::{self, MAX_DOCUMENT_BYTES, MAX_METADATA_BYTES};
use transmittal::render::Style;
use transmittal::sigfile::{self, SignatureFile};
use transmittal::trust::{self, TrustStore};

/// The context of one run: the global options.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// `--color`, `--quiet`.
    pub global: GlobalOpts,
}

impl Ctx {
    /// `--quiet`: print nothing on success.
    pub fn quiet(&self) -> bool {
        self.global.quiet
    }

    /// The style of output to standard output: colour per `--color`; `auto` colours a terminal
    /// unless `NO_COLOR`, `CLICOLOR=0` or `TERM=dumb` says otherwise (anstream's rules).
    pub fn style(&self) -> Style {
        let choice = match self.global.color {
            ColorChoice::Always => transmittal::render::ColorChoice::Always,
            ColorChoice::Never => transmittal::render::ColorChoice::Never,
            ColorChoice::Auto => transmittal::render::ColorChoice::Auto,
        };
        Style::for_stream(choice, &std::io::stdout())
    }
}

/// Write to stdout (a closed pipe is an error that ends the program quietly with exit 0).
pub fn out(s: &str) -> Result<()> {
    out_bytes(s.as_bytes())
}

/// Write bytes to stdout.
pub fn out_bytes(b: &[u8]) -> Result<()> {
    let mut o = std::io::stdout().lock();
    o.write_all(b)?;
    o.flush()?;
    Ok(())
}

/// `value` as pretty JSON with a final newline, on stdout.
pub fn out_json(value: &impl serde::Serialize) -> Result<()> {
    out(&format!("{}\n", serde_json::to_string_pretty(value)?))
}

/// Read a document (`-`: standard input) with the size limit, and advice for a binary file.
pub fn read_doc(path: &Path) -> Result<Vec<u8>> {
    match fsutil::read_limited(path, MAX_DOCUMENT_BYTES) {
        Err(InputError::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
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

/// The streamed content hash of a document (`-`: standard input), with [`read_doc`]'s errors.
pub fn digest_doc(path: &Path) -> Result<transmittal::digest::DocumentDigest> {
    use transmittal::digest::digest_reader;
    let r = if path == Path::new("-") {
        digest_reader(std::io::stdin(), path, MAX_DOCUMENT_BYTES)
    } else {
        let file = match fsutil::open_regular(path) {
            Ok(f) => f,
            Err(InputError::Read { source, .. })
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
        Err(InputError::NotUtf8 { offset }) if path != Path::new("-") => {
            Err(advice::not_utf8_advice(path, offset).unwrap_or_else(|| {
                transmittal::error::with_path(InputError::NotUtf8 { offset }, path).into()
            }))
        }
        r => Ok(r.map_err(|e| transmittal::error::with_path(e, path))?),
    }
}

/// The signature file of `doc`: `--sig`, else `DOC.sig.json` (standard input needs `--sig`).
pub fn sig_path_for(doc: &Path, sig: &Option<PathBuf>) -> Result<PathBuf> {
    match sig {
        Some(p) => Ok(p.clone()),
        None if doc == Path::new("-") => Err(anyhow!(
            "reading the document from standard input needs --sig PATH for its signature file"
        )),
        None => Ok(sigfile::default_path(doc)),
    }
}

/// Read and parse the signature file `path` of `doc`.
pub fn read_sigfile(path: &Path, doc: &Path) -> Result<SignatureFile> {
    let bytes = read_sig_bytes(path, doc)?;
    SignatureFile::from_json(&bytes).map_err(|e| anyhow!("{}: {e}", path.display()))
}

/// Read the signature file `path` of `doc`, with advice when it is missing.
pub fn read_sig_bytes(path: &Path, doc: &Path) -> Result<Vec<u8>> {
    if !path.exists() {
        return Err(advice::no_signature_file(path, doc));
    }
    Ok(fsutil::read_limited(path, MAX_METADATA_BYTES)?)
}

/// `store` with the CRLs of `--crl FILE…` (PEM or DER) added.
pub fn add_crls(mut store: TrustStore, files: &[PathBuf]) -> Result<TrustStore> {
    for path in files {
        let bytes = transmittal::fsutil::read_limited(
            path,
            transmittal::pkix::pem::MAX_PEM_FILE_BYTES as u64,
        )?;
        let crls = transmittal::pkix::pem::crls(&bytes)
            .map_err(|why| anyhow!("{}: not a CRL: {why}", path.display()))?;
        for c in &crls {
            transmittal::pkix::crl::parse(c)
                .map_err(|why| anyhow!("{}: not a valid CRL: {why}", path.display()))?;
        }
        store.add_crls(crls);
    }
    Ok(store)
}

/// The trust store of a command that reads it: `--keys DIR`, then `TRANSMITTAL_KEYS`, then the
/// user's store, then the system store, none in the current directory
/// ([`transmittal::trust::locate_store`], opened with [`transmittal::trust::open`]). When none is
/// found the store is empty and [`TrustStore::describe`] says where it looked.
pub fn load_store(keys: &KeysArg) -> Result<TrustStore> {
    let location = trust::locate_store(
        keys.keys.as_deref(),
        std::env::var_os(trust::STORE_ENV).as_deref(),
        std::env::var_os("XDG_CONFIG_HOME").as_deref(),
        std::env::var_os("HOME").as_deref(),
        |p| p.exists(),
    );
    trust::open(&location).map_err(|e| Coded::error("trust-store-unusable", e.to_string()))
}

/// The trust-store directory of a command that writes entries (`keys import`, `keys revoke`):
/// `--keys DIR`, then `TRANSMITTAL_KEYS`, then the user's store (see
/// [`transmittal::trust::store_for_writing`]); an import creates it (mode 0700) when missing.
pub fn store_to_write(keys: &KeysArg) -> Result<PathBuf> {
    let location = trust::store_for_writing(
        keys.keys.as_deref(),
        std::env::var_os(trust::STORE_ENV).as_deref(),
        std::env::var_os("XDG_CONFIG_HOME").as_deref(),
        std::env::var_os("HOME").as_deref(),
    )?;
    let dir = location.path.unwrap_or_default();
    if dir.exists() {
        trust::check_store_permissions(&dir)?;
    }
    Ok(dir)
}

/// Refuse a new signature file over the size verifiers read (nothing is written).
pub fn check_sigfile_size(doc: &Path, json: &str, hint: &str) -> Result<()> {
    if json.len() as u64 > MAX_METADATA_BYTES {
        return Err(anyhow!(
            "the signature file for {} would be {} bytes, over the {} byte limit verifiers read; nothing was written{hint}",
            doc.display(),
            json.len(),
            MAX_METADATA_BYTES
        ));
    }
    Ok(())
}
