//! The signature file `<document>.sig.json` (format `transmittal-signatures-v1`).
//!
//! The file records, for every layer, where it lies (as byte lengths of canonical text counted from
//! the end, see [`crate::format::chain`]), what it hashed to (Merkle root, leaf hashes, chain digest) and the
//! signatures on it. Nothing in it is taken on trust (docs/FORMAT.md §7): every field is either part of a
//! signed statement or recomputed from the document and compared by [`crate::verify`].
//!
//! The JSON representation (`*Repr` types, private) is kept apart from the parsed types
//! ([`SignatureFile`], [`LayerRecord`], [`PartRecord`], [`SignatureRecord`]) so that the on-disk
//! format can evolve without the rest of the library seeing JSON. Parsing is strict: unknown fields,
//! duplicate fields, wrong lengths, non-canonical hex and out-of-range numbers are errors.
//! `docs/FORMAT.md` §7 specifies every field.

use crate::format::chain::{Beneath, Commitment, LayerKind, Statement};
use crate::format::dates::{format_iso, parse_iso};
use crate::format::merkle::{root_of, Hash};
use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The format identifier of signature files written by this version.
pub const FORMAT: &str = "transmittal-signatures-v1";

/// Default path of the signature file for `doc`: `doc` + `.sig.json`.
pub fn default_path(doc: &std::path::Path) -> std::path::PathBuf {
    let mut s = doc.as_os_str().to_owned();
    s.push(".sig.json");
    std::path::PathBuf::from(s)
}

/// A parsed signature file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureFile {
    /// The canonical text profile all layers were hashed with.
    pub profile: String,
    /// The layers, outermost first.
    pub layers: Vec<LayerRecord>,
}

/// One part of a layer (its container markers or its own content) as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PartRecord {
    /// Length in canonical bytes.
    pub bytes: u64,
    /// Merkle root of its leaves.
    pub root: Hash,
    /// Its leaf hashes, in order (their root is `root`: checked on parse).
    pub leaves: Vec<Hash>,
    /// Length of its last leaf when the part ends inside a line (no LF), else 0.
    pub tail: u64,
}

/// The `tail_bytes` of a part: the length of its last leaf when it ends inside a line, else 0.
pub fn tail_of(text: &str) -> u64 {
    if text.is_empty() || text.ends_with('\n') {
        return 0;
    }
    let last_start = crate::format::merkle::leaf_ranges(text)
        .last()
        .map(|r| r.start)
        .unwrap_or(0);
    (text.len() - last_start) as u64
}

impl PartRecord {
    /// Record of `text` (a slice of canonical text).
    pub fn of(text: &str) -> PartRecord {
        let leaves = crate::format::merkle::leaf_hashes(text);
        PartRecord {
            bytes: text.len() as u64,
            root: root_of(&leaves),
            leaves,
            tail: tail_of(text),
        }
    }
}

/// One layer as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerRecord {
    /// Kind, as derived from the markers (checked by `verify`).
    pub kind: LayerKind,
    /// The container markers before this layer (empty for layer 0 and headingless layers).
    pub markers: PartRecord,
    /// The layer's own content.
    pub content: PartRecord,
    /// The chain digest of this layer and everything beneath it.
    pub chain: Hash,
    /// The signatures on this layer.
    pub signatures: Vec<SignatureRecord>,
}

/// One signature as recorded: the statement it signs and the signature bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureRecord {
    /// The signed statement (all fields of the record except `key_id` and `signature`).
    pub statement: Statement,
    /// Short key id (derived from the public key; checked on parse).
    pub key_id: String,
    /// The Ed25519 signature over `statement.to_bytes()`.
    pub signature: [u8; 64],
    /// RFC 3161 time-stamp tokens (DER) over this signature: evidence about it, not part of
    /// the statement (docs/FORMAT.md §7.4). Empty for most signatures.
    pub timestamps: Vec<Vec<u8>>,
    /// The signatory's X.509 certificate (DER) followed by intermediates, when an organisation
    /// vouches for the key: evidence, not part of the statement (docs/FORMAT.md §7.5).
    pub certificates: Vec<Vec<u8>>,
}

impl SignatureRecord {
    /// A record of `statement` signed with `signature`, with no timestamp or certificate.
    pub fn new(statement: Statement, signature: [u8; 64]) -> SignatureRecord {
        SignatureRecord {
            key_id: crate::format::keyid::key_id(&statement.public_key),
            statement,
            signature,
            timestamps: Vec::new(),
            certificates: Vec::new(),
        }
    }
}

/// The most time-stamp tokens one signature record may carry.
pub const MAX_TIMESTAMPS: usize = 4;
/// The most certificates one signature record may carry (the signatory's and intermediates).
pub const MAX_CERTIFICATES: usize = 8;
/// The largest time-stamp token or certificate, in bytes (before base64).
pub const MAX_EVIDENCE_BYTES: usize = 64 * 1024;

/// The signature-set digest of a list of signature records.
pub fn signature_set_digest(sigs: &[SignatureRecord]) -> Hash {
    let statements: Vec<Vec<u8>> = sigs.iter().map(|s| s.statement.to_bytes()).collect();
    signature_set_digest_of(sigs, &statements)
}

/// [`signature_set_digest`] of `sigs` whose statement bytes the caller has built already:
/// `statements[i]` must be `sigs[i].statement.to_bytes()`.
pub fn signature_set_digest_of(sigs: &[SignatureRecord], statements: &[Vec<u8>]) -> Hash {
    let members: Vec<crate::format::chain::SetMember<'_>> = sigs
        .iter()
        .zip(statements)
        .map(|(s, statement)| crate::format::chain::SetMember {
            statement,
            signature: &s.signature,
        })
        .collect();
    crate::format::chain::signature_set_digest(&members)
}

// ---------------------------------------------------------------------------------------------
// JSON representation.

/// The name of a field group in error messages, `layers[i]` or `layers[i].signatures[j]`,
/// formatted only when an error is reported.
struct Field(usize, Option<usize>);

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.1 {
            None => write!(f, "layers[{}]", self.0),
            Some(j) => write!(f, "layers[{}].signatures[{j}]", self.0),
        }
    }
}

// The file representation borrows its strings from the input where it can (`Cow`: JSON strings
// without escapes, i.e. all of them in files this tool writes), so parsing a signature file does
// not allocate a `String` per field.

type Text<'a> = std::borrow::Cow<'a, str>;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRepr<'a> {
    #[serde(borrow)]
    format: Text<'a>,
    #[serde(borrow)]
    profile: Text<'a>,
    #[serde(borrow)]
    layers: Vec<LayerRepr<'a>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LayerRepr<'a> {
    index: u64,
    #[serde(borrow)]
    kind: Text<'a>,
    #[serde(borrow)]
    markers: Option<PartRepr<'a>>,
    #[serde(borrow)]
    content: PartRepr<'a>,
    #[serde(borrow)]
    chain_sha256: Text<'a>,
    #[serde(borrow)]
    signatures: Vec<SigRepr<'a>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartRepr<'a> {
    bytes: u64,
    #[serde(borrow)]
    sha256: Text<'a>,
    tail_bytes: u64,
    #[serde(borrow)]
    leaves: Text<'a>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SigRepr<'a> {
    #[serde(borrow)]
    signer: Text<'a>,
    #[serde(borrow)]
    key_id: Text<'a>,
    #[serde(borrow)]
    public_key: Text<'a>,
    #[serde(borrow)]
    signatory: Text<'a>,
    #[serde(borrow)]
    commitment: Text<'a>,
    #[serde(borrow)]
    letter_date: Option<Text<'a>>,
    #[serde(borrow)]
    signed_on: Text<'a>,
    #[serde(borrow)]
    content_sha256: Text<'a>,
    #[serde(borrow)]
    beneath_markers_sha256: Option<Text<'a>>,
    #[serde(borrow)]
    beneath_chain_sha256: Option<Text<'a>>,
    #[serde(borrow)]
    beneath_signatures_sha256: Option<Text<'a>>,
    #[serde(borrow)]
    signature: Text<'a>,
    // Evidence about the signature (not in the statement). Omitted when empty, so files without
    // it are byte-identical to those written before these fields existed.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    timestamps: Option<Vec<Text<'a>>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    certificates: Option<Vec<Text<'a>>>,
}

/// A list of base64 DER blobs (`timestamps`, `certificates`): present means non-empty, at most
/// `max` items, each canonical standard base64 of 1 to [`MAX_EVIDENCE_BYTES`] bytes.
fn parse_blobs(
    list: &Option<Vec<Text<'_>>>,
    max: usize,
    what: impl Fn() -> String,
) -> Result<Vec<Vec<u8>>, String> {
    let Some(list) = list else {
        return Ok(Vec::new());
    };
    if list.is_empty() {
        return Err(format!("{}: an empty list must be left out", what()));
    }
    if list.len() > max {
        return Err(format!("{}: more than {max} items", what()));
    }
    let mut out = Vec::with_capacity(list.len());
    for (k, b) in list.iter().enumerate() {
        if b.len() > MAX_EVIDENCE_BYTES.div_ceil(3) * 4 {
            return Err(format!(
                "{}[{k}]: larger than {MAX_EVIDENCE_BYTES} bytes",
                what()
            ));
        }
        let raw = base64::engine::general_purpose::STANDARD
            .decode(b.as_bytes())
            .map_err(|e| format!("{}[{k}]: not canonical base64 ({e})", what()))?;
        if raw.is_empty() || raw.len() > MAX_EVIDENCE_BYTES {
            return Err(format!(
                "{}[{k}]: empty or larger than {MAX_EVIDENCE_BYTES} bytes",
                what()
            ));
        }
        out.push(raw);
    }
    Ok(out)
}

fn blobs_repr(list: &[Vec<u8>]) -> Option<Vec<Text<'static>>> {
    (!list.is_empty()).then(|| {
        list.iter()
            .map(|b| base64::engine::general_purpose::STANDARD.encode(b).into())
            .collect()
    })
}

// Field names for error messages are built only when there is an error (`what` is a closure):
// a signature file has dozens of fields, and audits parse thousands of files.

fn hex32(s: &str, what: impl FnOnce() -> String) -> Result<Hash, String> {
    let mut out = [0u8; 32];
    if s.len() != 64 || s.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(format!("{}: expected 64 lowercase hex digits", what()));
    }
    hex::decode_to_slice(s, &mut out).map_err(|_| format!("{}: not hex", what()))?;
    Ok(out)
}

fn hex64(s: &str, what: impl FnOnce() -> String) -> Result<[u8; 64], String> {
    let mut out = [0u8; 64];
    if s.len() != 128 || s.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(format!(
            "{}: expected 128 lowercase hex digits (64 bytes), found {} characters",
            what(),
            s.len()
        ));
    }
    hex::decode_to_slice(s, &mut out).map_err(|_| format!("{}: not hex", what()))?;
    Ok(out)
}

fn opt_hex32(s: &Option<Text<'_>>, what: impl FnOnce() -> String) -> Result<Option<Hash>, String> {
    s.as_deref().map(|s| hex32(s, what)).transpose()
}

fn parse_kind(s: &str) -> Result<LayerKind, String> {
    Ok(match s {
        "cover" => LayerKind::Cover,
        "annex" => LayerKind::Annex,
        "enclosure" => LayerKind::Enclosure,
        "appendix" => LayerKind::Appendix,
        other => return Err(format!("unknown layer kind {other:?}")),
    })
}

fn parse_part(p: &PartRepr<'_>, what: &dyn std::fmt::Display) -> Result<PartRecord, String> {
    let root = hex32(&p.sha256, || format!("{what}.sha256"))?;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(p.leaves.as_bytes())
        .map_err(|e| format!("{what}.leaves: not base64 ({e})"))?;
    if raw.len() % 32 != 0 {
        return Err(format!(
            "{what}.leaves: length is not a multiple of 32 bytes"
        ));
    }
    let leaves: Vec<Hash> = raw
        .chunks_exact(32)
        .map(|c| {
            let mut h = [0u8; 32];
            h.copy_from_slice(c);
            h
        })
        .collect();
    if root_of(&leaves) != root {
        return Err(format!(
            "{what}.leaves do not hash to {what}.sha256 (the file was edited or damaged)"
        ));
    }
    if (leaves.len() as u64) > p.bytes {
        return Err(format!("{what}: more leaves than bytes"));
    }
    if p.tail_bytes > p.bytes {
        return Err(format!("{what}.tail_bytes is larger than {what}.bytes"));
    }
    Ok(PartRecord {
        bytes: p.bytes,
        root,
        leaves,
        tail: p.tail_bytes,
    })
}

fn part_repr(p: &PartRecord) -> PartRepr<'static> {
    let mut raw = Vec::with_capacity(p.leaves.len() * 32);
    for l in &p.leaves {
        raw.extend_from_slice(l);
    }
    PartRepr {
        bytes: p.bytes,
        sha256: hex::encode(p.root).into(),
        tail_bytes: p.tail,
        leaves: base64::engine::general_purpose::STANDARD.encode(raw).into(),
    }
}

fn parse_commitment(s: &str) -> Result<Commitment, String> {
    match s {
        "endorses" => Ok(Commitment::Endorses),
        "transmits" => Ok(Commitment::Transmits),
        other => Err(format!(
            "unknown commitment {other:?} (expected \"endorses\" or \"transmits\")"
        )),
    }
}

fn parse_sig(
    s: &SigRepr<'_>,
    profile: &str,
    what: &dyn std::fmt::Display,
) -> Result<SignatureRecord, String> {
    let public_key = hex32(&s.public_key, || format!("{what}.public_key"))?;
    let key_id = crate::format::keyid::key_id(&public_key);
    if s.key_id != key_id {
        return Err(format!(
            "{what}.key_id {:?} is not the id of its public key ({key_id})",
            s.key_id
        ));
    }
    if !crate::format::chain::valid_id(&s.signer) {
        return Err(format!("{what}.signer {:?} is not a valid id", s.signer));
    }
    if !crate::format::chain::valid_statement_text(&s.signatory) {
        return Err(format!(
            "{what}.signatory must be 1-200 characters without control characters or surrounding spaces"
        ));
    }
    let letter_date = match &s.letter_date {
        None => None,
        Some(d) => {
            Some(parse_iso(d).ok_or_else(|| format!("{what}.letter_date: not an ISO date"))?)
        }
    };
    let signed_on =
        parse_iso(&s.signed_on).ok_or_else(|| format!("{what}.signed_on: not an ISO date"))?;
    let markers = opt_hex32(&s.beneath_markers_sha256, || {
        format!("{what}.beneath_markers_sha256")
    })?;
    let chain = opt_hex32(&s.beneath_chain_sha256, || {
        format!("{what}.beneath_chain_sha256")
    })?;
    let beneath = match (markers, chain) {
        (Some(markers), Some(chain)) => Some(Beneath { markers, chain }),
        (None, None) => None,
        _ => {
            return Err(format!(
            "{what}: beneath_markers_sha256 and beneath_chain_sha256 must be both set or both null"
        ))
        }
    };
    let beneath_signatures = opt_hex32(&s.beneath_signatures_sha256, || {
        format!("{what}.beneath_signatures_sha256")
    })?;
    if beneath.is_some() != beneath_signatures.is_some() {
        return Err(format!(
            "{what}: beneath_signatures_sha256 must be set exactly when there is a layer beneath"
        ));
    }
    Ok(SignatureRecord {
        statement: Statement {
            profile: profile.to_owned(),
            content: hex32(&s.content_sha256, || format!("{what}.content_sha256"))?,
            beneath,
            beneath_signatures,
            commitment: parse_commitment(&s.commitment)?,
            signatory: s.signatory.to_string(),
            signer: s.signer.to_string(),
            public_key,
            letter_date,
            signed_on,
        },
        key_id,
        signature: hex64(&s.signature, || format!("{what}.signature"))?,
        timestamps: parse_blobs(&s.timestamps, MAX_TIMESTAMPS, || {
            format!("{what}.timestamps")
        })?,
        certificates: parse_blobs(&s.certificates, MAX_CERTIFICATES, || {
            format!("{what}.certificates")
        })?,
    })
}

fn sig_repr(r: &SignatureRecord) -> SigRepr<'static> {
    let st = &r.statement;
    SigRepr {
        signer: st.signer.clone().into(),
        key_id: r.key_id.clone().into(),
        public_key: hex::encode(st.public_key).into(),
        signatory: st.signatory.clone().into(),
        commitment: st.commitment.as_str().into(),
        letter_date: st.letter_date.map(|d| format_iso(d).into()),
        signed_on: format_iso(st.signed_on).into(),
        content_sha256: hex::encode(st.content).into(),
        beneath_markers_sha256: st.beneath.map(|b| hex::encode(b.markers).into()),
        beneath_chain_sha256: st.beneath.map(|b| hex::encode(b.chain).into()),
        beneath_signatures_sha256: st.beneath_signatures.map(|h| hex::encode(h).into()),
        signature: hex::encode(r.signature).into(),
        timestamps: blobs_repr(&r.timestamps),
        certificates: blobs_repr(&r.certificates),
    }
}

/// Why a signature file could not be read as one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseFailure {
    /// The `format` field names a format this version does not read.
    UnsupportedFormat(String),
    /// Anything else; the message says what.
    Malformed(String),
}

impl std::fmt::Display for ParseFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseFailure::UnsupportedFormat(found) => write!(
                f,
                "unsupported signature file format {found:?} (this version reads {FORMAT:?})"
            ),
            ParseFailure::Malformed(m) => f.write_str(m),
        }
    }
}

impl SignatureFile {
    /// Parse and check a signature file. The profile is *not* checked here (an unknown profile is
    /// a verification finding, `profile-mismatch`).
    pub fn from_json(bytes: &[u8]) -> Result<SignatureFile, ParseFailure> {
        // A well-formed file is parsed once. Valid UTF-8 (every good file) is checked once here,
        // so that the JSON reader does not check each string again; other bytes take the byte
        // reader, for its error messages. Only when the file does not parse does the probe below
        // look at the format field, so that a future format is named as such rather than as a
        // schema error.
        let parsed = match std::str::from_utf8(bytes) {
            Ok(text) => serde_json::from_str::<FileRepr>(text),
            Err(_) => serde_json::from_slice::<FileRepr>(bytes),
        };
        let schema_error = match parsed {
            Ok(repr) if repr.format == FORMAT => {
                return Self::from_repr(repr).map_err(ParseFailure::Malformed)
            }
            Ok(repr) => return Err(ParseFailure::UnsupportedFormat(repr.format.into_owned())),
            Err(e) => e,
        };
        #[derive(Deserialize)]
        struct Probe {
            format: Option<serde_json::Value>,
        }
        let probe: Probe = serde_json::from_slice(bytes)
            .map_err(|e| ParseFailure::Malformed(format!("not valid JSON: {e}")))?;
        match probe.format {
            Some(serde_json::Value::String(f)) if f == FORMAT => Err(ParseFailure::Malformed(
                format!("schema error: {schema_error}"),
            )),
            Some(serde_json::Value::String(f)) => Err(ParseFailure::UnsupportedFormat(f)),
            _ => Err(ParseFailure::Malformed(
                "missing \"format\" field: not a transmittal signature file".into(),
            )),
        }
    }

    fn from_repr(repr: FileRepr<'_>) -> Result<SignatureFile, String> {
        if repr.layers.is_empty() {
            return Err("the file records no layers".into());
        }
        let mut layers = Vec::with_capacity(repr.layers.len());
        for (i, l) in repr.layers.iter().enumerate() {
            let what = Field(i, None);
            if l.index != i as u64 {
                return Err(format!("{what}.index is {} (expected {i})", l.index));
            }
            let kind = parse_kind(&l.kind).map_err(|e| format!("{what}.kind: {e}"))?;
            let markers = match (&l.markers, i) {
                (None, 0) => PartRecord::of(""),
                (Some(_), 0) => return Err(format!("{what}.markers must be null for layer 0")),
                (None, _) => return Err(format!("{what}.markers is required for inner layers")),
                (Some(m), _) => parse_part(m, &format_args!("{what}.markers"))?,
            };
            let content = parse_part(&l.content, &format_args!("{what}.content"))?;
            let chain = hex32(&l.chain_sha256, || format!("{what}.chain_sha256"))?;
            let mut signatures = Vec::with_capacity(l.signatures.len());
            let mut keys_seen = std::collections::HashMap::with_capacity(l.signatures.len());
            for (j, s) in l.signatures.iter().enumerate() {
                let sig = parse_sig(s, &repr.profile, &Field(i, Some(j)))?;
                // One key signs a layer once (FORMAT.md §7): a copied record is not a second
                // signature.
                if let Some(k) = keys_seen.insert(sig.statement.public_key, j) {
                    return Err(format!(
                        "{} repeats the key of {} ({}): one key signs a layer at most once",
                        Field(i, Some(j)),
                        Field(i, Some(k)),
                        sig.key_id
                    ));
                }
                signatures.push(sig);
            }
            layers.push(LayerRecord {
                kind,
                markers,
                content,
                chain,
                signatures,
            });
        }
        Ok(SignatureFile {
            profile: repr.profile.into_owned(),
            layers,
        })
    }

    /// Serialize as pretty JSON with a final newline (deterministic bytes).
    pub fn to_json(&self) -> String {
        let repr = FileRepr {
            format: FORMAT.into(),
            profile: self.profile.as_str().into(),
            layers: self
                .layers
                .iter()
                .enumerate()
                .map(|(i, l)| LayerRepr {
                    index: i as u64,
                    kind: l.kind.as_str().into(),
                    markers: (i > 0).then(|| part_repr(&l.markers)),
                    content: part_repr(&l.content),
                    chain_sha256: hex::encode(l.chain).into(),
                    signatures: l.signatures.iter().map(sig_repr).collect(),
                })
                .collect(),
        };
        let mut s = serde_json::to_string_pretty(&repr).unwrap_or_default();
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SignatureFile {
        let inner = PartRecord::of("Report\n\n1. Text.\n");
        let markers = PartRecord::of("Enclosure");
        let cover = PartRecord::of("Letter\n\n(Signed) X Y\n\n");
        let chain1 = crate::format::chain::chain_digest(
            crate::format::canonical::PROFILE,
            &inner.root,
            None,
        );
        let chain0 = crate::format::chain::chain_digest(
            crate::format::canonical::PROFILE,
            &cover.root,
            Some(&Beneath {
                markers: markers.root,
                chain: chain1,
            }),
        );
        SignatureFile {
            profile: crate::format::canonical::PROFILE.into(),
            layers: vec![
                LayerRecord {
                    kind: LayerKind::Cover,
                    markers: PartRecord::of(""),
                    content: cover,
                    chain: chain0,
                    signatures: vec![],
                },
                LayerRecord {
                    kind: LayerKind::Enclosure,
                    markers,
                    content: inner,
                    chain: chain1,
                    signatures: vec![],
                },
            ],
        }
    }

    #[test]
    fn round_trip() {
        let f = sample();
        let json = f.to_json();
        assert_eq!(SignatureFile::from_json(json.as_bytes()).unwrap(), f);
        assert_eq!(f.layers[1].markers.tail, 9);
        assert_eq!(f.layers[0].content.tail, 0);
    }

    #[test]
    fn strictness() {
        let json = sample().to_json();
        let bad = json.replacen("\"index\": 1", "\"index\": 7", 1);
        assert!(matches!(
            SignatureFile::from_json(bad.as_bytes()),
            Err(ParseFailure::Malformed(_))
        ));
        let future = json.replacen(FORMAT, "transmittal-signatures-v9", 1);
        assert!(matches!(
            SignatureFile::from_json(future.as_bytes()),
            Err(ParseFailure::UnsupportedFormat(_))
        ));
        let unknown = json.replacen("\"profile\"", "\"extra\": 1, \"profile\"", 1);
        assert!(SignatureFile::from_json(unknown.as_bytes()).is_err());
        let dup = json.replacen("\"profile\"", "\"format\": \"x\", \"profile\"", 1);
        assert!(SignatureFile::from_json(dup.as_bytes()).is_err());
        let deep = "[".repeat(10_000);
        assert!(SignatureFile::from_json(deep.as_bytes()).is_err());
    }
}
