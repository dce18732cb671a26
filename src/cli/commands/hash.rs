//! `transmittal hash`: the canonical Merkle root of a whole document.

use crate::cli::errors::Outcome;
use crate::cli::output::{digest_doc, out};
use std::path::Path;

/// Run `hash DOC [--json]`. Streamed: the input is read in 128 KiB reads and hashed as it comes
/// (the same root as canonicalize + content_root, in constant memory).
pub fn run(doc: &Path, json: bool) -> Outcome {
    let name = doc.display().to_string();
    let d = digest_doc(doc)?;
    let root = d.content_sha256;
    if json {
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
