//! `transmittal payload`: the exact bytes a layer's signature covers, for signing or checking
//! with other tools, and `--attach` for a signature made elsewhere.

use super::sign::{options, Statement};
use crate::cli::errors::{Failure, Outcome};
use crate::cli::output::{
    check_sigfile_size, load_store, out_bytes, read_doc, read_sigfile, sig_path_for, Ctx,
};
use crate::cli::{advice, PayloadArgs};
use anyhow::{anyhow, Result};
use std::path::Path;
use transmittal::fsutil::{self, Existing};
use transmittal::sigfile::SignatureFile;

/// Run `payload`.
pub fn run(a: &PayloadArgs, ctx: &Ctx) -> Outcome {
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
    let sig_path = sig_path_for(doc, &a.sig)?;
    let bytes = read_doc(doc)?;
    let Some(id) = &a.signer else {
        let file = read_sigfile(&sig_path, doc)?;
        return Ok(existing_statement(a, &file, &sig_path)?);
    };
    let store = load_store(&a.keys)?;
    let entry = store
        .by_id(id)
        .ok_or_else(|| advice::unknown_id(id, &store))?;
    // With --attach, read, change and replace the signature file under a lock (re-read there),
    // so that a signature added meanwhile is kept.
    let _lock = match a.attach {
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
    let Some(sig_file) = &a.attach else {
        out_bytes(&p.statement.to_bytes())?;
        return Ok(0);
    };
    let raw = fsutil::read_limited(sig_file, 1024)?;
    let sig = parse_raw_signature(&raw).ok_or_else(|| {
        anyhow!(
            "{}: expected 64 raw bytes or 128 hex digits of an Ed25519 signature",
            sig_file.display()
        )
    })?;
    let new = transmittal::sign::attach(&p.file, p.layer, p.statement, sig)
        .map_err(|e| Failure::from(e).context(sig_file.display().to_string()))?;
    let json = new.to_json();
    check_sigfile_size(doc, &json, "")?;
    fsutil::write_atomic(&sig_path, json.as_bytes(), None, Existing::Replace)?;
    if !ctx.quiet() {
        eprintln!(
            "added the signature to layer {} in {}",
            p.layer,
            sig_path.display()
        );
    }
    Ok(0)
}

/// The statement of an existing signature (`--layer N [--signature N]`), on stdout.
fn existing_statement(a: &PayloadArgs, file: &SignatureFile, sig_path: &Path) -> Result<i32> {
    let Some(layer) = a.layer else {
        return Err(anyhow!("say whose statement: --layer N for an existing signature (with --signature N when the layer has several), or --signer ID for a new one"));
    };
    let rec = file.layers.get(layer).ok_or_else(|| {
        anyhow!(
            "{} records no layer {layer} (it has {})",
            sig_path.display(),
            file.layers.len()
        )
    })?;
    let j = match (a.signature, rec.signatures.len()) {
        (Some(j), _) => j,
        (None, 1) => 0,
        (None, 0) => {
            return Err(anyhow!(
            "layer {layer} in {} has no signature yet; prepare a new statement with --signer ID",
            sig_path.display()
        ))
        }
        (None, _) => {
            let list: Vec<String> = rec
                .signatures
                .iter()
                .enumerate()
                .map(|(j, s)| {
                    format!(
                        "--signature {j}: {} ({}), signed on {}",
                        s.statement.signatory,
                        s.statement.signer,
                        transmittal::dates::format_iso(s.statement.signed_on)
                    )
                })
                .collect();
            return Err(anyhow!(
                "layer {layer} in {} has {} signatures; choose one: {}",
                sig_path.display(),
                rec.signatures.len(),
                list.join("; ")
            ));
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
    out_bytes(&statement.to_bytes())?;
    Ok(0)
}

/// A signature made elsewhere: 64 raw bytes, or 128 hex digits (surrounding white space allowed).
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
