//! Composing and cutting signed documents: [`wrap`] puts a new cover letter around a signed
//! document, [`extract`] cuts a layer and everything beneath it back out.

use super::*;

/// The result of [`wrap`]: the new document's bytes and signature file.
#[derive(Debug, Clone)]
pub struct Wrapped {
    /// The composed document (canonical text).
    pub document: String,
    /// Its signature file: a new, unsigned outer layer and the inner layers with their signatures.
    pub file: SignatureFile,
}

/// Compose a new outer layer around a signed document: the cover letter, the container heading and
/// marker lines, then the inner document.
pub fn wrap(
    inner_bytes: &[u8],
    inner_file: &SignatureFile,
    cover_bytes: &[u8],
    heading: &str,
    original: Option<&str>,
) -> Result<Wrapped, Error> {
    let inner = canonical::canonicalize(inner_bytes)?;
    let cover = canonical::canonicalize(cover_bytes)?;
    if cover.is_empty() {
        return Err(refuse("the cover letter is empty"));
    }
    let heading = heading.trim();
    if heading.is_empty() || heading.contains('\n') || !chain_ok(heading) {
        return Err(refuse(
            "--heading must be one line of visible text, e.g. \"Annex\"",
        ));
    }
    let Some((header_end, spans)) = spans_of(&inner, inner_file) else {
        return Err(refuse(
            "the inner document does not match its signature file; run `transmittal verify` on it first",
        ));
    };
    // A publication header on the inner document is not part of any layer: leave it out.
    let inner_text = &inner.as_str()[header_end..];
    let mut markers = format!("{heading}\n\n");
    if let Some(lang) = original {
        let lang = lang.trim();
        if lang.is_empty() || lang.contains('\n') || !chain_ok(lang) {
            return Err(refuse("--original must be a language name, e.g. English"));
        }
        markers.push_str(&format!("[Original: {lang}]\n\n"));
    }
    let cover_text = format!("{}\n", cover.as_str());
    let document = format!("{cover_text}{markers}{inner_text}");
    // The composition must be canonical already, so that its parts hash as recorded.
    let check = canonical::canonicalize_str(&document);
    if check.as_str() != document {
        return Err(refuse(
            "the composed document is not in canonical form (does the inner document start with a blank line or a combining character?)",
        ));
    }
    let mut layers = Vec::with_capacity(inner_file.layers.len() + 1);
    layers.push(LayerRecord {
        kind: LayerKind::Cover,
        markers: PartRecord::of(""),
        content: PartRecord::of(&cover_text),
        chain: [0; 32],
        signatures: Vec::new(),
    });
    for (i, l) in inner_file.layers.iter().enumerate() {
        let mut l = l.clone();
        if i == 0 {
            l.markers = PartRecord::of(&markers);
            l.kind = LayerKind::from_markers(1, &markers);
        } else {
            l.kind = LayerKind::from_markers(i + 1, &inner.as_str()[spans[i].0.clone()]);
        }
        layers.push(l);
    }
    rechain(&mut layers);
    Ok(Wrapped {
        document,
        file: SignatureFile {
            profile: inner_file.profile.clone(),
            layers,
        },
    })
}

fn chain_ok(s: &str) -> bool {
    !s.chars()
        .any(|c| c.is_control() || canonical::invisible_class(c).is_some())
}

/// Cut layer `index` and everything beneath it out of a signed document, as a document of its own
/// with the signatures that remain valid (the layer's own and those beneath).
pub fn extract(doc_bytes: &[u8], file: &SignatureFile, index: usize) -> Result<Wrapped, Error> {
    let doc = canonical::canonicalize(doc_bytes)?;
    let n = file.layers.len();
    if index >= n {
        return Err(Error::Sign(SignError::NoSuchLayer { index, count: n }));
    }
    let Some((_, spans)) = spans_of(&doc, file) else {
        return Err(refuse(
            "the document does not match its signature file; run `transmittal verify` on it first",
        ));
    };
    let start = spans[index].1.start;
    let document = doc.as_str()[start..].to_owned();
    let mut layers: Vec<LayerRecord> = file.layers[index..].to_vec();
    for (j, l) in layers.iter_mut().enumerate() {
        if j == 0 {
            l.markers = PartRecord::of("");
        }
        l.kind = LayerKind::from_markers(j, &doc.as_str()[spans[index + j].0.clone()]);
    }
    rechain(&mut layers);
    Ok(Wrapped {
        document,
        file: SignatureFile {
            profile: file.profile.clone(),
            layers,
        },
    })
}
