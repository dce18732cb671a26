//! `transmittal sign`: a new signature over one layer of a document.

use crate::cli::errors::Outcome;
use crate::cli::output::{
    check_sigfile_size, load_store, read_doc, read_sigfile, sig_path_for, Ctx,
};
use crate::cli::{advice, passphrase, SignArgs};
use std::path::Path;
use transmittal::fsutil::{self, Existing};
use transmittal::sign::SignOptions;

/// The options of a new statement (`sign`, and `payload --signer`).
pub fn options(a: &Statement) -> SignOptions {
    let today = transmittal::dates::today();
    SignOptions {
        layer: a.layer,
        signed_on: a.date.unwrap_or(today),
        letter_date: a.letter_date.map(|d| d.0),
        commitment: a.commitment.map(Into::into),
        allow_invisible: a.allow_invisible,
        accept_structure: a.accept_structure,
        allow_hidden: a.allow_hidden,
        force_letter_date: a.force_letter_date,
        today,
    }
}

/// The arguments `sign` and `payload --signer` share: what the new statement declares and which
/// refusals are waived.
#[derive(Debug, Clone, Copy)]
pub struct Statement {
    /// `--layer`.
    pub layer: Option<usize>,
    /// `--date`.
    pub date: Option<transmittal::dates::Date>,
    /// `--letter-date`.
    pub letter_date: Option<crate::cli::values::LetterDate>,
    /// `--commitment`.
    pub commitment: Option<crate::cli::CommitmentArg>,
    /// `--allow-invisible`.
    pub allow_invisible: bool,
    /// `--accept-structure`.
    pub accept_structure: bool,
    /// `--allow-hidden`.
    pub allow_hidden: bool,
    /// `--force-letter-date`.
    pub force_letter_date: bool,
}

/// Run `sign`.
pub fn run(a: &SignArgs, ctx: &Ctx) -> Outcome {
    let opts = options(&Statement {
        layer: a.layer,
        date: a.date,
        letter_date: a.letter_date,
        commitment: a.commitment,
        allow_invisible: a.allow_invisible,
        accept_structure: a.accept_structure,
        allow_hidden: a.allow_hidden,
        force_letter_date: a.force_letter_date,
    });
    let doc = &a.doc;
    let key = &a.key;
    let sig_path = sig_path_for(doc, &a.sig)?;
    let bytes = read_doc(doc)?;
    // Read early so that a broken signature file is reported before a passphrase is asked for;
    // it is read again under the lock below.
    if sig_path.exists() {
        read_sigfile(&sig_path, doc)?;
    }
    let store = load_store(&a.keys)?;
    let certificates = match &a.cert {
        None => None,
        Some(cert) => {
            let mut certs = read_certificates(cert)?;
            if certs.len() != 1 {
                return Err(anyhow::anyhow!(
                    "{}: holds {} certificates; give your own with --cert and the intermediates with --chain",
                    cert.display(),
                    certs.len()
                )
                .into());
            }
            if let Some(chain) = &a.chain {
                certs.extend(read_certificates(chain)?);
            }
            Some(certs)
        }
    };
    if key != Path::new("-") && !key.exists() {
        return Err(advice::key_file_not_found(key).into());
    }
    advice::check_not_public_key(key)?;
    let secret = passphrase::load_key(key, a.passphrase_file.as_deref())?;
    // Read, change and replace the signature file under a lock, re-reading it there: a co-signer
    // signing the same document meanwhile is waited for, not overwritten.
    let _lock = fsutil::lock_for(&sig_path)?;
    let existing = if sig_path.exists() {
        Some(read_sigfile(&sig_path, doc)?)
    } else {
        None
    };
    let mut outcome = match &certificates {
        None => transmittal::sign::sign(
            &doc.display().to_string(),
            &bytes,
            existing.as_ref(),
            &secret,
            &store,
            &opts,
        )?,
        Some(certs) => transmittal::sign::sign_certified(
            &doc.display().to_string(),
            &bytes,
            existing.as_ref(),
            &secret,
            &store,
            certs.clone(),
            &opts,
        )?,
    };
    let mut stamped = None;
    if let Some(url) = &a.tsa {
        // The new signature is the last of its layer; a TSA that fails leaves every file as it
        // was.
        let i = outcome.layer;
        let j = outcome.file.layers[i].signatures.len() - 1;
        let imprint = transmittal::timestamps::imprint_of(&outcome.file.layers[i].signatures[j]);
        let token = super::timestamp::fetch(url, &imprint, a.tsa_timeout)?;
        stamped = Some(super::timestamp::stamp(
            &mut outcome.file,
            (i, j),
            token,
            &store,
            url,
        )?);
    }
    let json = outcome.file.to_json();
    check_sigfile_size(
        doc,
        &json,
        " (split the document, or join its short lines into paragraphs)",
    )?;
    fsutil::write_atomic(&sig_path, json.as_bytes(), None, Existing::Replace)?;
    if !ctx.quiet() {
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
        if let Some(line) = stamped {
            eprintln!("{line}");
        }
    }
    Ok(0)
}

/// The certificates of a PEM or DER file.
fn read_certificates(path: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
    let bytes = fsutil::read_limited(path, transmittal::pkix::pem::MAX_PEM_FILE_BYTES as u64)?;
    transmittal::pkix::pem::certificates(&bytes)
        .map_err(|why| anyhow::anyhow!("{}: not a certificate file: {why}", path.display()))
}
