//! Signing layers, wrapping a signed document in a new cover letter, and extracting a sub-chain.
//!
//! The real world signs inside out: NATO signs its letter (and the report it encloses) first; the
//! UN later wraps that signed document in a cover letter, adds the "Annex" heading and
//! "[Original: English]", and signs the result. [`sign`] adds one signature to one layer, after
//! checking with the verifier that everything beneath it is intact, signed where a signature is
//! expected, and trusted (an outer signer attests to what they saw). [`wrap`] and [`extract`]
//! compose and cut documents so that every existing signature still verifies.
//!
//! Boundaries come from the signature file when there is one (they were fixed by the first signer)
//! and from the parser's proposal otherwise; the parser never decides anything after that.

use crate::canonical::{self, CanonicalText};
use crate::chain::{chain_digest, Beneath, Commitment, LayerKind, Statement};
use crate::dates::{format_iso, Date};
use crate::error::{Error, SignError};
use crate::identity;
use crate::keys::SecretKey;
use crate::parser::{self, Confidence};
use crate::sigfile::{self, LayerRecord, PartRecord, SignatureFile, SignatureRecord};
use crate::trust::{TrustStore, Validity};
use crate::verify::{self, SigStatus, Verdict};
use std::ops::Range;

mod certified;
mod compose;
pub use certified::sign_certified;
pub use compose::{extract, wrap, Wrapped};

/// What the signer asks for.
#[derive(Debug, Clone)]
pub struct SignOptions {
    /// The layer to sign; default: the one whose "(Signed)" line names the key's identity.
    pub layer: Option<usize>,
    /// The declared signing date (default today, settable to replay history).
    pub signed_on: Date,
    /// The letter date: `None` = from the text (parser), `Some(None)` = no date, `Some(Some(d))`.
    pub letter_date: Option<Option<Date>>,
    /// The commitment; default `transmits` when the layer beneath carries signatures of its own,
    /// else `endorses`.
    pub commitment: Option<Commitment>,
    /// Sign even when the signed text holds invisible or bidirectional control characters.
    pub allow_invisible: bool,
    /// Sign a structure whose boundaries were only inferred by the parser.
    pub accept_structure: bool,
    /// Sign a layer holding text a Markdown reader does not see (comments, raw HTML).
    pub allow_hidden: bool,
    /// Sign a `letter_date` that contradicts the date the letter's own text gives.
    pub force_letter_date: bool,
    /// The signer's today (the caller reads the clock): a signing date more than one day after
    /// it is refused.
    pub today: Date,
}

/// What [`sign`] did.
#[derive(Debug, Clone)]
pub struct SignOutcome {
    /// The new signature file (to be written by the caller, atomically).
    pub file: SignatureFile,
    /// The layer signed.
    pub layer: usize,
    /// Its kind.
    pub kind: LayerKind,
    /// The signer's name.
    pub signer: String,
    /// The commitment made.
    pub commitment: Commitment,
    /// The letter date signed.
    pub letter_date: Option<Date>,
    /// Original lines of the layer signed.
    pub lines: Option<(u32, u32)>,
}

fn refuse(msg: impl Into<String>) -> Error {
    Error::Sign(SignError::Refused(msg.into()))
}

/// Unsigned records for layers given by their bounds in the canonical text, outermost first: each
/// `(start, content_start)`, the layer running to the next layer's start (the last to the end).
/// For tools and tests that know a document's structure without the parser (whose proposals are
/// capped at [`parser::MAX_LAYERS`]). Bounds out of order or off character boundaries give empty
/// parts.
pub fn records_from_bounds(doc: &CanonicalText, bounds: &[(usize, usize)]) -> Vec<LayerRecord> {
    let text = doc.as_str();
    let mut out: Vec<LayerRecord> = bounds
        .iter()
        .enumerate()
        .map(|(i, &(start, content_start))| {
            let end = bounds.get(i + 1).map_or(text.len(), |b| b.0);
            let markers = if i == 0 {
                ""
            } else {
                text.get(start..content_start).unwrap_or("")
            };
            let content = text.get(content_start..end).unwrap_or("");
            LayerRecord {
                kind: LayerKind::from_markers(i, markers),
                markers: PartRecord::of(markers),
                content: PartRecord::of(content),
                chain: [0; 32],
                signatures: Vec::new(),
            }
        })
        .collect();
    rechain(&mut out);
    out
}

/// Build signature-file records for the parser's proposal of `doc` (no signatures yet).
pub fn records_from_structure(doc: &CanonicalText, s: &parser::Structure) -> Vec<LayerRecord> {
    let text = doc.as_str();
    let n = s.layers.len();
    let mut out: Vec<LayerRecord> = s
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let markers = if i == 0 {
                ""
            } else {
                text.get(l.start..l.content_start).unwrap_or("")
            };
            let content = text.get(l.content_start..l.end).unwrap_or("");
            LayerRecord {
                kind: LayerKind::from_markers(i, markers),
                markers: PartRecord::of(markers),
                content: PartRecord::of(content),
                chain: [0; 32],
                signatures: Vec::new(),
            }
        })
        .collect();
    rechain(&mut out);
    let _ = n;
    out
}

/// Recompute every chain digest of `layers` from their parts.
pub fn rechain(layers: &mut [LayerRecord]) {
    let n = layers.len();
    for i in (0..n).rev() {
        let beneath = (i + 1 < n).then(|| Beneath {
            markers: layers[i + 1].markers.root,
            chain: layers[i + 1].chain,
        });
        layers[i].chain = chain_digest(
            canonical::PROFILE,
            &layers[i].content.root,
            beneath.as_ref(),
        );
    }
}

/// Canonical byte ranges `(markers, content)` of each recorded layer, laid out from the end.
/// Per layer: the canonical byte ranges of its markers and of its content.
type PartSpans = Vec<(Range<usize>, Range<usize>)>;

fn spans_of(doc: &CanonicalText, file: &SignatureFile) -> Option<(usize, PartSpans)> {
    let lengths: Vec<crate::chain::PartLengths> = file
        .layers
        .iter()
        .map(|l| crate::chain::PartLengths {
            markers: l.markers.bytes,
            content: l.content.bytes,
        })
        .collect();
    let layout = crate::chain::layout_from_end(doc.as_str(), &lengths)?;
    Some((
        layout.header_end,
        layout
            .layers
            .iter()
            .map(|&(s, c, e)| (s..c, c..e))
            .collect(),
    ))
}

/// Add `key`'s signature to a layer of the document.
///
/// `existing` is the current signature file, if any. Nothing is written: the caller writes the
/// returned file atomically, so a refusal leaves every file as it was.
pub fn sign(
    doc_name: &str,
    doc_bytes: &[u8],
    existing: Option<&SignatureFile>,
    key: &SecretKey,
    store: &TrustStore,
    opts: &SignOptions,
) -> Result<SignOutcome, Error> {
    let public_key = key.public_key();
    let entry = store.by_key(&public_key).ok_or_else(|| {
        refuse(format!(
            "key {} is not in the trust store {}: add its entry (ID.pub.json, written by `transmittal keygen`) so that verifiers can know whose it is",
            crate::keys::key_id(&public_key),
            store.describe()
        ))
    })?;
    let p = prepare(doc_name, doc_bytes, existing, entry, store, opts)?;
    Ok(sign_prepared(p, key, &entry.name, Vec::new()))
}

/// Signs the statement `p` prepared with `key` and adds the record (carrying `certificates`, if
/// any) to its signature file: the last step of [`sign`] and [`sign_certified`].
fn sign_prepared(
    p: Prepared,
    key: &SecretKey,
    signer: &str,
    certificates: Vec<Vec<u8>>,
) -> SignOutcome {
    let signature = crate::crypto::sign(key.signing_key(), &p.statement.to_bytes());
    let mut file = p.file;
    let commitment = p.statement.commitment;
    let letter_date = p.statement.letter_date;
    let mut record = SignatureRecord::new(p.statement, signature);
    record.certificates = certificates;
    file.layers[p.layer].signatures.push(record);
    SignOutcome {
        kind: file.layers[p.layer].kind,
        file,
        layer: p.layer,
        signer: signer.to_owned(),
        commitment,
        letter_date,
        lines: p.lines,
    }
}

/// A signature about to be made: the statement to sign and the signature file it goes into.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The signature file without the new signature: the existing one (extended by new outer
    /// layers), or, for a document signed for the first time, the parser's proposal.
    pub file: SignatureFile,
    /// The layer the signature is for.
    pub layer: usize,
    /// The statement to sign ([`Statement::to_bytes`] are the bytes a signature covers).
    pub statement: Statement,
    /// Original lines of the layer.
    pub lines: Option<(u32, u32)>,
}

/// Everything [`sign`] checks before it signs, for the signer `entry` (a trust-store entry,
/// whose secret key may live elsewhere: OpenSSL, a hardware token): the layer (by default the
/// one whose "(Signed)" line names `entry`), the structure, the text, the dates and the layers
/// beneath. Returns the statement to sign; [`attach`] adds a signature made over it to
/// [`Prepared::file`].
pub fn prepare(
    doc_name: &str,
    doc_bytes: &[u8],
    existing: Option<&SignatureFile>,
    entry: &crate::trust::TrustEntry,
    store: &TrustStore,
    opts: &SignOptions,
) -> Result<Prepared, Error> {
    let doc = canonical::canonicalize(doc_bytes)
        .map_err(|e| crate::error::with_path(e, std::path::Path::new(doc_name)))?;
    if doc.is_empty() {
        return Err(refuse(format!(
            "{doc_name} is empty: there is nothing to sign"
        )));
    }
    let text = doc.as_str();
    let public_key = entry.public_key;
    let proposal = parser::propose(&doc);

    // The records: from the signature file, extended by new outer layers the parser finds in front
    // of them (a cover letter prepended without `wrap`), or from the parser alone.
    let (file, from_parser) = match existing {
        Some(f) => {
            let mut f = f.clone();
            let mut added = false;
            if let Some((header_end, spans)) = spans_of(&doc, &f) {
                if header_end > 0 {
                    let first = spans[0].1.start;
                    if let Some(k) = proposal
                        .layers
                        .iter()
                        .position(|l| l.content_start == first && l.start < first)
                    {
                        let outer = parser::Structure {
                            header: proposal.header.clone(),
                            layers: proposal.layers[..=k].to_vec(),
                        };
                        let mut recs = records_from_structure(&doc, &outer);
                        // The proposal's layer k is the recorded layer 0, with its new markers.
                        if let Some(last) = recs.pop() {
                            let mut old = std::mem::take(&mut f.layers);
                            if let Some(first_old) = old.first_mut() {
                                first_old.markers = last.markers;
                                first_old.kind = LayerKind::from_markers(
                                    k,
                                    &text[proposal.layers[k].start
                                        ..proposal.layers[k].content_start],
                                );
                            }
                            recs.extend(old);
                            rechain(&mut recs);
                            f.layers = recs;
                            added = true;
                        }
                    }
                }
            }
            (f, added)
        }
        None => (
            SignatureFile {
                profile: canonical::PROFILE.to_owned(),
                layers: records_from_structure(&doc, &proposal),
            },
            true,
        ),
    };
    let n = file.layers.len();
    let (_, spans) = spans_of(&doc, &file).ok_or_else(|| {
        refuse(format!(
            "{doc_name} no longer matches its signature file (it is shorter than the layers it records); run `transmittal verify {doc_name}`"
        ))
    })?;

    // Which layer.
    let layer = match opts.layer {
        Some(i) if i >= n => {
            return Err(Error::Sign(SignError::NoSuchLayer { index: i, count: n }))
        }
        Some(i) => i,
        None => {
            let hits: Vec<usize> = (0..n)
                .filter(|&i| identity::text_names_any(&text[spans[i].1.clone()], entry.names()))
                .collect();
            match hits.as_slice() {
                [i] => *i,
                [] => {
                    return Err(refuse(format!(
                        "no layer of {doc_name} has a \"(Signed) {}\" line: the key's identity ({}) must match the layer's signatory; check the name, or pass --layer if the line is there in another form",
                        entry.name, entry.id
                    )))
                }
                many => {
                    return Err(refuse(format!(
                        "several layers name {} ({}); choose one with --layer",
                        entry.name,
                        many.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
                    )))
                }
            }
        }
    };
    let (mspan, cspan) = spans[layer].clone();
    let ctext = &text[cspan.clone()];

    // Identity binding (docs/FORMAT.md §6).
    if !identity::text_names_any(ctext, entry.names()) {
        return Err(refuse(format!(
            "layer {layer} of {doc_name} is not signed \"(Signed) {}\": the key's identity does not match the layer's signatory; sign with that signatory's own key, or leave out --layer to sign the layer that names {}",
            entry.name, entry.name
        )));
    }
    if file.layers[layer]
        .signatures
        .iter()
        .any(|s| s.statement.public_key == public_key)
    {
        return Err(refuse(format!(
            "layer {layer} already carries a signature by this key ({})",
            entry.key_id
        )));
    }

    // Structure confirmed by the signer?
    if from_parser && !opts.accept_structure {
        let inferred: Vec<usize> = proposal
            .layers
            .iter()
            .enumerate()
            .filter(|(i, l)| *i > 0 && l.confidence == Confidence::Inferred)
            .map(|(i, _)| i)
            .collect();
        if !inferred.is_empty() {
            return Err(refuse(format!(
                "the boundary of layer{} {} in {doc_name} was only inferred (no heading word says it); check `transmittal inspect {doc_name}` and pass --accept-structure to sign what you see",
                if inferred.len() == 1 { "" } else { "s" },
                inferred.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
            )));
        }
    }

    // Invisible characters in what this signature covers: the layer and everything beneath it
    // (the signer vouches for it or transmits it).
    if !opts.allow_invisible {
        let inv = canonical::find_invisible(&doc, cspan.start, text.len());
        if let Some(f) = inv.first() {
            return Err(refuse(format!(
                "layer {layer} holds {} invisible or bidirectional control character{} (first: {} {} at line {}, column {}); remove them, or pass --allow-invisible if they are intended",
                inv.len(),
                if inv.len() == 1 { "" } else { "s" },
                f.code_point,
                f.name,
                f.line,
                f.column
            )));
        }
    }

    // "(Signed)" look-alikes in what this signature covers: a line that shows a signature nobody
    // made (FORMAT.md §6.6). No override: rephrase the line.
    if let Some(&off) = identity::look_alike_lines(&text[cspan.start..]).first() {
        return Err(refuse(format!(
            "line {} of {doc_name} reads as a \"(Signed)\" line but is no signature mark (escaped, encoded, disguised, or in the middle of a sentence); signing it would show a signature nobody made: put each \"(Signed) Name\" on a line of its own, or rephrase",
            doc.original_line_of(cspan.start + off)
        )));
    }
    // Text a Markdown reader does not see, in what this signature covers.
    if !opts.allow_hidden {
        let hidden: Vec<crate::hidden::Hidden> = crate::hidden::find_hidden(text)
            .into_iter()
            .filter(|h| h.range.end > cspan.start)
            .collect();
        if !hidden.is_empty() {
            return Err(refuse(format!(
                "layer {layer} holds text a Markdown reader does not see, which you would sign without seeing it: {}; remove it, or pass --allow-hidden if it is intended",
                crate::hidden::describe(&hidden, &doc)
            )));
        }
    }
    // Canonicalization succeeded, so the bytes are UTF-8.
    let original = std::str::from_utf8(doc_bytes).unwrap_or_default();
    let blank = crate::hidden::whitespace_only_lines(original);
    let chars = crate::hidden::ambiguous_character_lines(original);
    if let Some(line) = chars.first() {
        return Err(refuse(format!(
            "{doc_name} line {line} holds a character the signed text would equate with Markdown markup (U+1FEF GREEK VARIA, U+037E GREEK QUESTION MARK, U+212A KELVIN SIGN, or U+0338 after <, = or >); write the ASCII character itself and sign again"
        )));
    }
    if let Some(line) = blank.first() {
        return Err(refuse(format!(
            "{doc_name} line {line} holds only non-breaking or ideographic spaces: blank to the signed text but not to a Markdown reader; make it an empty line (or text) and sign again"
        )));
    }

    // Dates.
    if opts.signed_on > opts.today.next_day().unwrap_or(opts.today) {
        return Err(refuse(format!(
            "the signing date {} is after today ({}): a signature cannot be dated in the future (one day of clock skew is allowed)",
            format_iso(opts.signed_on),
            format_iso(opts.today)
        )));
    }
    let proposed_date = proposal
        .layers
        .iter()
        .find(|l| l.content_start == cspan.start)
        .and_then(|l| l.date);
    let letter_date = match opts.letter_date {
        Some(Some(d)) => {
            if let Some(p) = proposed_date.filter(|&p| p != d) {
                if !opts.force_letter_date {
                    return Err(refuse(format!(
                        "the letter date {} contradicts the date layer {layer}'s own text gives ({}); check `transmittal inspect {doc_name}`, or pass --force-letter-date to sign {} anyway",
                        format_iso(d),
                        format_iso(p),
                        format_iso(d)
                    )));
                }
            }
            Some(d)
        }
        Some(None) => None,
        None => proposed_date,
    };
    let mut dates = vec![("signing date", opts.signed_on)];
    if let Some(d) = letter_date {
        dates.push(("letter date", d));
    }
    for (what, d) in dates {
        match entry.validity_on(d) {
            Validity::Valid => {}
            Validity::NotYetValid { from } => {
                return Err(refuse(format!(
                    "the key of {} is valid from {} only; the {what} is {}",
                    entry.name,
                    format_iso(from),
                    format_iso(d)
                )))
            }
            Validity::Expired { until } => {
                return Err(refuse(format!(
                    "the key of {} expired on {}; the {what} is {}",
                    entry.name,
                    format_iso(until),
                    format_iso(d)
                )))
            }
            Validity::Revoked { at, .. } => {
                return Err(refuse(format!(
                    "the key of {} was revoked on {}; the {what} is {}",
                    entry.name,
                    format_iso(at),
                    format_iso(d)
                )))
            }
        }
    }

    // Everything beneath must be intact, signed where a signature is expected, and trusted; and
    // no layer above may be signed yet (its signature covers this layer's signatures).
    if let Some(above) = (0..layer).find(|&k| !file.layers[k].signatures.is_empty()) {
        return Err(refuse(format!(
            "layer {above} above is already signed, and its signature covers the signatures of layer {layer}: adding one now would break it (sign inner layers first)"
        )));
    }
    let current_json = file.to_json();
    let report = verify::verify(
        doc_name,
        doc_bytes,
        "(signature file)",
        current_json.as_bytes(),
        store,
        verify::Options {
            strict: false,
            skip_parser_check: true,
            today: None,
            ..Default::default()
        },
    )
    .map_err(Error::Input)?;
    for l in report.layers.iter().skip(layer + 1) {
        let bad = l.problems.iter().find(|p| p.code != "uncovered-text");
        if let Some(p) = bad {
            let why = if p.code == "missing-signature" {
                format!(
                    "layer {} beneath is not signed although a signature is expected ({})",
                    l.index, p.message
                )
            } else {
                format!(
                    "layer {} beneath is broken: {} ({})",
                    l.index, p.message, p.code
                )
            };
            return Err(refuse(format!(
                "refusing to countersign: {why}; run `transmittal verify {doc_name}`"
            )));
        }
        if let Some(s) = l.signatures.iter().find(|s| s.status != SigStatus::Valid) {
            return Err(refuse(format!(
                "refusing to countersign: the signature of {} on layer {} beneath is {} ({}); run `transmittal verify {doc_name}`",
                s.signer,
                l.index,
                match s.status {
                    SigStatus::Indeterminate => "not trusted",
                    _ => "not valid",
                },
                s.reason.clone().unwrap_or_default()
            )));
        }
    }
    if report.verdict == Verdict::Invalid {
        // Problems in this layer itself (e.g. its text changed since other signers signed it).
        if let Some(p) = report.layers[layer].problems.iter().find(|p| {
            !matches!(
                p.code,
                verify::ProblemCode::MissingSignature | verify::ProblemCode::UncoveredText
            )
        }) {
            return Err(refuse(format!(
                "refusing to sign: layer {layer}: {} ({})",
                p.message, p.code
            )));
        }
        if let Some(p) = report.problems.iter().find(|p| {
            !matches!(
                p.code,
                verify::ProblemCode::UncoveredText | verify::ProblemCode::NoSignature
            )
        }) {
            return Err(refuse(format!(
                "refusing to sign: {} ({})",
                p.message, p.code
            )));
        }
    }

    // The statement.
    let rec = &file.layers[layer];
    if rec.content.root != crate::merkle::content_root(ctext) {
        return Err(refuse(format!(
            "layer {layer}'s text differs from what its signature file records; run `transmittal verify {doc_name}`"
        )));
    }
    let beneath = (layer + 1 < n).then(|| Beneath {
        markers: file.layers[layer + 1].markers.root,
        chain: file.layers[layer + 1].chain,
    });
    let beneath_signatures =
        (layer + 1 < n).then(|| sigfile::signature_set_digest(&file.layers[layer + 1].signatures));
    let commitment = opts.commitment.unwrap_or_else(|| {
        if layer + 1 < n && !file.layers[layer + 1].signatures.is_empty() {
            Commitment::Transmits
        } else {
            Commitment::Endorses
        }
    });
    let statement = Statement {
        profile: canonical::PROFILE.to_owned(),
        content: rec.content.root,
        beneath,
        beneath_signatures,
        commitment,
        signatory: identity::display_name(&entry.name),
        signer: entry.id.clone(),
        public_key,
        letter_date,
        signed_on: opts.signed_on,
    };
    let whole = if mspan.is_empty() {
        cspan.clone()
    } else {
        mspan.start..cspan.end
    };
    Ok(Prepared {
        file,
        layer,
        statement,
        lines: doc.original_span(whole.start, whole.end),
    })
}

/// The statement a new signature by `entry` on layer `layer` would sign (for `payload`: sign it
/// with another tool, then [`attach`] the signature). The document must match `file`.
pub fn new_statement(
    doc_bytes: &[u8],
    file: &SignatureFile,
    layer: usize,
    entry: &crate::trust::TrustEntry,
    signed_on: Date,
    letter_date: Option<Option<Date>>,
    commitment: Option<Commitment>,
) -> Result<Statement, Error> {
    let doc = canonical::canonicalize(doc_bytes)?;
    let n = file.layers.len();
    if layer >= n {
        return Err(Error::Sign(SignError::NoSuchLayer {
            index: layer,
            count: n,
        }));
    }
    let Some((_, spans)) = spans_of(&doc, file) else {
        return Err(refuse(
            "the document does not match its signature file; run `transmittal verify` on it first",
        ));
    };
    let ctext = &doc.as_str()[spans[layer].1.clone()];
    if crate::merkle::content_root(ctext) != file.layers[layer].content.root {
        return Err(refuse(format!(
            "layer {layer}'s text differs from what its signature file records; run `transmittal verify`"
        )));
    }
    let letter_date = match letter_date {
        Some(d) => d,
        None => parser::propose(&doc)
            .layers
            .iter()
            .find(|l| l.content_start == spans[layer].1.start)
            .and_then(|l| l.date),
    };
    let beneath_signed = layer + 1 < n && !file.layers[layer + 1].signatures.is_empty();
    Ok(Statement {
        profile: file.profile.clone(),
        content: file.layers[layer].content.root,
        beneath: (layer + 1 < n).then(|| Beneath {
            markers: file.layers[layer + 1].markers.root,
            chain: file.layers[layer + 1].chain,
        }),
        beneath_signatures: (layer + 1 < n)
            .then(|| sigfile::signature_set_digest(&file.layers[layer + 1].signatures)),
        commitment: commitment.unwrap_or(if beneath_signed {
            Commitment::Transmits
        } else {
            Commitment::Endorses
        }),
        signatory: identity::display_name(&entry.name),
        signer: entry.id.clone(),
        public_key: entry.public_key,
        letter_date,
        signed_on,
    })
}

/// Add a signature made elsewhere (e.g. `openssl pkeyutl -sign` over [`Statement::to_bytes`]) to
/// layer `layer`. The signature must verify (strict Ed25519) over the statement.
pub fn attach(
    file: &SignatureFile,
    layer: usize,
    statement: Statement,
    signature: [u8; 64],
) -> Result<SignatureFile, Error> {
    let n = file.layers.len();
    if layer >= n {
        return Err(Error::Sign(SignError::NoSuchLayer {
            index: layer,
            count: n,
        }));
    }
    if let Err(r) =
        crate::crypto::verify_strict(&statement.public_key, &statement.to_bytes(), &signature)
    {
        let dated = format!(
            "signed on {}, letter date {}",
            format_iso(statement.signed_on),
            statement
                .letter_date
                .map(format_iso)
                .unwrap_or_else(|| "none".into())
        );
        let hint = match date_that_verifies(file, &statement, &signature) {
            Some((on, letter)) => {
                let mut flags = format!("--date {}", format_iso(on));
                if letter != statement.letter_date {
                    flags.push_str(&format!(
                        " --letter-date {}",
                        letter.map(format_iso).unwrap_or_else(|| "none".into())
                    ));
                }
                format!(
                    "it verifies over the statement {}: re-run with {flags}",
                    if letter != statement.letter_date {
                        format!(
                            "signed on {}, letter date {}",
                            format_iso(on),
                            letter.map(format_iso).unwrap_or_else(|| "none".into())
                        )
                    } else {
                        format!("signed on {}", format_iso(on))
                    }
                )
            }
            None => "if it was made over a statement printed for another date, re-run with the --date (and --letter-date) that statement was printed for (its `signed-on` and `letter-date` lines)".into(),
        };
        return Err(refuse(format!(
            "the signature does not verify over the statement for layer {layer} ({dated}; {r}): {hint}; it was not added"
        )));
    }
    if file.layers[layer]
        .signatures
        .iter()
        .any(|s| s.statement.public_key == statement.public_key)
    {
        return Err(refuse(format!(
            "layer {layer} already carries a signature by this key"
        )));
    }
    let mut out = file.clone();
    out.layers[layer]
        .signatures
        .push(SignatureRecord::new(statement, signature));
    Ok(out)
}

/// The dates (signing date, letter date) near `statement`'s for which `signature` verifies over
/// the otherwise identical statement, if any: a signature made over a statement printed on
/// another day, or for another date. Tried: the statement's signing date and a day either side,
/// today and a day either side, the letter date, and the dates of the file's other signatures.
fn date_that_verifies(
    file: &SignatureFile,
    statement: &Statement,
    signature: &[u8; 64],
) -> Option<(Date, Option<Date>)> {
    let mut days: Vec<Date> = Vec::new();
    let today = crate::dates::today();
    for d in [statement.signed_on, today] {
        days.extend(d.previous_day());
        days.push(d);
        days.extend(d.next_day());
    }
    days.extend(statement.letter_date);
    for l in &file.layers {
        for s in &l.signatures {
            days.push(s.statement.signed_on);
            days.extend(s.statement.letter_date);
        }
    }
    days.sort();
    days.dedup();
    let mut letters: Vec<Option<Date>> = vec![statement.letter_date, None];
    letters.extend(days.iter().copied().map(Some));
    letters.dedup();
    for &letter in &letters {
        for &on in &days {
            if on == statement.signed_on && letter == statement.letter_date {
                continue;
            }
            let mut s = statement.clone();
            s.signed_on = on;
            s.letter_date = letter;
            if crate::crypto::verify_strict(&s.public_key, &s.to_bytes(), signature).is_ok() {
                return Some((on, letter));
            }
        }
    }
    None
}
