//! `transmittal timestamp`: RFC 3161 timestamps for the signatures of a document.

use crate::cli::errors::Outcome;
use crate::cli::output::{check_sigfile_size, load_store, read_sigfile, sig_path_for, Ctx};
use crate::cli::TimestampArgs;
use anyhow::{anyhow, Result};
use std::time::Duration;
use transmittal::fsutil::{self, Existing};
use transmittal::sigfile::SignatureFile;
use transmittal::timestamps::{self, TokenCheck};
use transmittal::trust::TrustStore;

/// The largest reply or token file `--tsa-token` reads.
const MAX_TOKEN_FILE_BYTES: u64 = 1 << 20;

/// Run `timestamp`.
pub fn run(a: &TimestampArgs, ctx: &Ctx) -> Outcome {
    let doc = &a.doc;
    let sig_path = sig_path_for(doc, &a.sig)?;
    let store = load_store(&a.keys)?;
    // Change the file under its lock, re-read there: a co-signer is waited for, not overwritten.
    let _lock = fsutil::lock_for(&sig_path)?;
    let mut file = read_sigfile(&sig_path, doc)?;
    let mut notes = Vec::new();
    if let Some(path) = &a.tsa_token {
        let bytes = fsutil::read_limited(path, MAX_TOKEN_FILE_BYTES)?;
        let (token, at) = timestamps::match_token(&file, &bytes).map_err(|e| {
            anyhow!(
                "{}: {e}; it covers none of the signatures in {}",
                path.display(),
                sig_path.display()
            )
        })?;
        notes.push(stamp(
            &mut file,
            at,
            token,
            &store,
            &path.display().to_string(),
        )?);
    } else if let Some(url) = &a.tsa {
        let targets = timestamps::select(&file, a.layer, a.again)?;
        if targets.is_empty() {
            return Err(anyhow!(
                "every signature{} in {} already carries a timestamp (--again adds another)",
                a.layer
                    .map(|l| format!(" of layer {l}"))
                    .unwrap_or_default(),
                sig_path.display()
            )
            .into());
        }
        for at in targets {
            let sig = &file.layers[at.0].signatures[at.1];
            let token = fetch(url, &timestamps::imprint_of(sig), a.timeout)?;
            notes.push(stamp(&mut file, at, token, &store, url)?);
        }
    }
    let json = file.to_json();
    check_sigfile_size(doc, &json, "")?;
    fsutil::write_atomic(&sig_path, json.as_bytes(), None, Existing::Replace)?;
    if !ctx.quiet() {
        for n in notes {
            eprintln!("{n}");
        }
        eprintln!("wrote {}", sig_path.display());
    }
    Ok(0)
}

/// Checks `token` for the signature at `at` and adds it; the line to print.
pub fn stamp(
    file: &mut SignatureFile,
    (i, j): (usize, usize),
    token: Vec<u8>,
    store: &TrustStore,
    source: &str,
) -> Result<String> {
    let sig = &file.layers[i].signatures[j];
    let who = format!("signature of {} on layer {i}", sig.statement.signatory);
    let check = timestamps::check_token(&token, sig, store, transmittal::dates::now_unix())
        .map_err(|e| {
            anyhow!(
                "{source}: the timestamp for the {who} proves nothing: {e}; nothing was written"
            )
        })?;
    timestamps::add(file, (i, j), token)?;
    Ok(match check {
        TokenCheck::Trusted { time, tsa } => {
            format!("timestamped the {who}: existed at {time} (TSA {tsa})")
        }
        TokenCheck::Untrusted(why) => format!(
            "timestamped the {who}; warning: {why} — recipients need the TSA's root in their trust store's tsa/ folder"
        ),
    })
}

/// A token for `imprint` from the TSA at `url`.
pub fn fetch(url: &str, imprint: &[u8; 32], timeout: u64) -> Result<Vec<u8>> {
    Ok(transmittal::io::tsa::request_token(
        url,
        imprint,
        Duration::from_secs(timeout),
    )?)
}
