//! Each signature against its statement, the document and the trust store (docs/FORMAT.md §5,
//! §8, §9.1): the Ed25519 result, then the statement's content, the chain beneath and the
//! signatures beneath, then the key in the trust store; the dates ([`super::dates`]) and the
//! identity ([`super::identity`]) of a known key.

use super::certified::{self, Vouched};
use super::codes::ProblemCode;
use super::report::{
    CertificateReport, Findings, Problem, SigStatus, SignatureReport, TimeBasis, TimestampReport,
    VouchedBy,
};
use super::time::{self, Evidence};
use super::{dates, identity, Context, Options};
use crate::crypto::Rejection;
use crate::format::chain::Beneath;
use crate::format::dates::format_iso;
use crate::format::sigfile::SignatureRecord;
use crate::trust::{TrustEntry, TrustStore};

/// Per layer: what its signatures decided, for coverage and the "(Signed)" marks.
#[derive(Debug)]
pub(crate) struct Signed {
    /// Whether the layer holds a valid signature. Only valid signatures cover text.
    pub valid: Vec<bool>,
    /// Whether it holds a genuine signature that cannot be decided (unknown key).
    pub pending: Vec<bool>,
    /// The trust-store names (and declared spellings) of its valid signers.
    pub valid_names: Vec<Vec<String>>,
}

/// Checks every signature (`owners[k]` = (layer, index) of the signature whose Ed25519 result is
/// `results[k]`) and returns the report of each with its layer, in order.
pub(crate) fn check_all(
    ctx: &Context,
    owners: &[(usize, usize)],
    results: &[Result<(), Rejection>],
    store: &TrustStore,
    opts: &Options,
) -> (Vec<(usize, SignatureReport)>, Signed, Vec<Problem>) {
    let n = ctx.file.layers.len();
    let mut signed = Signed {
        valid: vec![false; n],
        pending: vec![false; n],
        valid_names: vec![Vec::new(); n],
    };
    let mut out = Vec::with_capacity(owners.len());
    let mut warnings = Vec::new();
    for (idx, &(i, j)) in owners.iter().enumerate() {
        let sig = &ctx.file.layers[i].signatures[j];
        let (mut f, who) = check_one(ctx, i, sig, results.get(idx), store, opts);
        for (code, why) in std::mem::take(&mut f.warnings) {
            let signer = who.entry().map_or(&sig.statement.signatory, |e| &e.name);
            warnings.push(Problem::new(
                code,
                format!("layer {i}, signature of {signer}: {why}"),
            ));
        }
        match f.status {
            SigStatus::Indeterminate => signed.pending[i] = true,
            SigStatus::Valid => {
                signed.valid[i] = true;
                if let Some(e) = who.entry() {
                    signed.valid_names[i].extend(e.names().map(str::to_owned));
                }
            }
            SigStatus::Invalid => {}
        }
        out.push((i, signature_report(sig, &who, f)));
    }
    (out, signed, warnings)
}

/// Who vouched for a signature's key, and what its time evidence proved.
#[derive(Debug, Default)]
struct Who<'a> {
    /// The trust-store entry holding the key.
    direct: Option<&'a TrustEntry>,
    /// Or the organisation certificate that certifies it.
    certified: Option<Vouched>,
    /// The time evidence.
    evidence: Evidence,
}

impl Who<'_> {
    fn entry(&self) -> Option<&TrustEntry> {
        self.direct.or(self.certified.as_ref().map(|v| &v.entry))
    }
}

/// The checks of one signature on layer `i`.
fn check_one<'s>(
    ctx: &Context,
    i: usize,
    sig: &SignatureRecord,
    result: Option<&Result<(), Rejection>>,
    store: &'s TrustStore,
    opts: &Options,
) -> (Findings, Who<'s>) {
    let mut f = Findings::new();
    let mut who = Who::default();
    match result {
        Some(Ok(())) => {}
        other => {
            let why = match other {
                Some(Err(r)) => r.to_string(),
                _ => "not checked".to_owned(),
            };
            f.fail(
                ProblemCode::BadSignature,
                format!("the Ed25519 signature is not valid for its statement ({why}): forged or damaged"),
            );
            return (f, who);
        }
    }
    // The statement is genuine; compare it with the document.
    check_statement(ctx, i, sig, &mut f);
    // What the time-stamp tokens prove.
    let st = &sig.statement;
    who.evidence = time::evidence(sig, store, opts.now, opts.allow_stale_crl, &mut f);
    let proven = who.evidence.proven.clone();
    if let Some(p) = &proven {
        time::check_claim(st.signed_on, p, &mut f);
    }
    who.direct = store.by_key(&st.public_key);
    if who.direct.is_none() && !sig.certificates.is_empty() {
        who.certified = certified::check(
            sig,
            store,
            proven.as_ref(),
            opts.now,
            opts.allow_stale_crl,
            &mut f,
        );
    }
    match who.direct {
        Some(e) => {
            check_signer_id(sig, e, store, &mut f);
            dates::check_validity(e, st, proven.as_ref(), &mut f);
            if f.status == SigStatus::Valid {
                dates::note_later_revocation(e, &mut f);
            }
        }
        // No entry holds the key: an id the store gives another key is a substitution, whatever
        // certificate the signature carries; else unknown, unless a certificate vouched (or
        // said why not).
        None => match store.by_id(&st.signer) {
            Some(other) => f.fail(
                ProblemCode::KeyMismatch,
                format!(
                    "the trust store's {:?} ({}) has key {}, not the key {} that made this signature",
                    other.id, other.name, other.key_id, sig.key_id
                ),
            ),
            None if sig.certificates.is_empty() => unknown_key(sig, store, &mut f),
            None => {}
        },
    }
    if let Some(today) = opts.today {
        dates::check_future(st, today, &mut f);
    }
    if let Some(e) = who.entry() {
        let layer_text = &ctx.doc.as_str()[ctx.spans[i].1.clone()];
        identity::check_signer(e, st, i, layer_text, &mut f);
    }
    if opts.require_timestamp {
        time::require(&who.evidence, &mut f);
    }
    (f, who)
}

/// The statement against the document: its content, the chain beneath it and the signatures
/// beneath it.
fn check_statement(ctx: &Context, i: usize, sig: &SignatureRecord, f: &mut Findings) {
    let st = &sig.statement;
    let file = &ctx.file;
    let n = file.layers.len();
    let rec = &file.layers[i];
    if st.content != rec.content.root {
        // When the signature matches the document but the layer record is off, the record was
        // edited: the layer's record check reports it.
        if st.content != ctx.actual_content[i] {
            f.fail(
                ProblemCode::SignatureReplayed,
                format!(
                    "this signature was made over other text (content {}…), not layer {i}: copied from another layer or document",
                    &hex::encode(st.content)[..12]
                ),
            );
        }
    } else if ctx.content_changed[i] {
        f.fail(
            ProblemCode::ContentChanged,
            format!("layer {i}'s text changed after it was signed"),
        );
    }
    let want_beneath = (i + 1 < n).then(|| Beneath {
        markers: file.layers[i + 1].markers.root,
        chain: file.layers[i + 1].chain,
    });
    if st.beneath != want_beneath {
        let (code, reason) = match (&st.beneath, &want_beneath) {
            (None, Some(_)) => (ProblemCode::LayerAdded, format!("signed as the innermost layer, but layer {} now lies beneath it (a layer was injected)", i + 1)),
            (Some(_), None) => (ProblemCode::LayerMissing, "signed over a layer beneath it that is no longer there (a layer was stripped)".to_owned()),
            _ => (ProblemCode::ChainMismatch, "signed over a different layer beneath: this letter was moved onto another document, or the layer beneath was swapped".to_owned()),
        };
        f.fail(code, reason);
    } else if ctx.changed_at_or_below[i + 1] || (i + 1 < n && ctx.markers_changed[i + 1]) {
        f.fail(
            ProblemCode::InnerLayerChanged,
            "a layer beneath, which this signature covers, changed".to_owned(),
        );
    }
    let want_sigs = (i + 1 < n).then(|| ctx.sig_sets[i + 1]);
    if st.beneath.is_some() && want_beneath.is_some() && st.beneath_signatures != want_sigs {
        f.fail(
            ProblemCode::InnerSignaturesChanged,
            format!(
                "the signatures on layer {} are not the ones this signer saw (added, removed or replaced since)",
                i + 1
            ),
        );
    }
}

/// No entry holds the key and no certificate vouches: unknown.
fn unknown_key(sig: &SignatureRecord, store: &TrustStore, f: &mut Findings) {
    f.undecided(
        ProblemCode::UnknownKey,
        format!(
            "key {} ({:?}) is not in the trust store {}; add its entry to trust it",
            sig.key_id,
            sig.statement.signer,
            store.describe()
        ),
    );
}

/// Keys are matched by key (FORMAT.md §8.2): the local id is only a name for the entry, and
/// another verifier may file the same key under another id. `key-mismatch` only when the signed
/// id names another entry, which holds another key.
fn check_signer_id(sig: &SignatureRecord, e: &TrustEntry, store: &TrustStore, f: &mut Findings) {
    let st = &sig.statement;
    if e.id == st.signer {
        return;
    }
    if let Some(other) = store.by_id(&st.signer) {
        f.fail(
            ProblemCode::KeyMismatch,
            format!(
                "signed as {:?}, but the trust store's {:?} ({}) holds key {}, not this key {} (which is {:?} there)",
                st.signer, other.id, other.name, other.key_id, sig.key_id, e.id
            ),
        );
    } else {
        f.note(format!(
            "signed as {:?}; this key is {:?} in the trust store",
            st.signer, e.id
        ));
    }
}

/// The report on one checked signature.
fn signature_report(sig: &SignatureRecord, who: &Who<'_>, f: Findings) -> SignatureReport {
    let st = &sig.statement;
    let entry = who.entry();
    let proven = who.evidence.proven.as_ref();
    let mut dates_checked = vec![match proven {
        Some(p) => p.gen_time_rfc3339.clone(),
        None => format_iso(st.signed_on),
    }];
    if let Some(d) = st.letter_date {
        if d != st.signed_on || proven.is_some() {
            dates_checked.push(format_iso(d));
        }
    }
    SignatureReport {
        key_id: sig.key_id.clone(),
        signer: entry
            .map(|e| e.name.clone())
            .unwrap_or_else(|| st.signatory.clone()),
        signer_id: st.signer.clone(),
        title: entry.and_then(|e| e.title.clone()),
        organisation: entry.and_then(|e| e.organisation.clone()),
        commitment: st.commitment.as_str(),
        signed_on: format_iso(st.signed_on),
        letter_date: st.letter_date.map(format_iso),
        status: f.status,
        reason: (!f.reasons.is_empty()).then(|| f.reasons.join("; ")),
        dates_checked,
        codes: f.codes,
        vouched_by: if who.direct.is_some() {
            VouchedBy::TrustStore
        } else if who.certified.is_some() {
            VouchedBy::Certificate
        } else {
            VouchedBy::Nobody
        },
        certificate: who.certified.as_ref().map(|v| CertificateReport {
            subject: v.certified.chain.first().cloned().unwrap_or_default(),
            certified_by: v.certified.root.clone(),
            chain: v.certified.chain.clone(),
        }),
        signing_time: if proven.is_some() {
            TimeBasis::Proven
        } else {
            TimeBasis::Claimed
        },
        timestamp: proven.map(|p| TimestampReport {
            proven_time: p.gen_time_rfc3339.clone(),
            tsa: p.tsa.clone(),
            tsa_root: p.root.clone(),
            serial: p.serial.clone(),
            policy: p.policy.clone(),
        }),
        timestamps_carried: who.evidence.tokens,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::testutil::*;
    use crate::verify::Verdict;

    fn codes_of(r: &crate::verify::Report) -> Vec<ProblemCode> {
        r.layers[0].signatures[0].codes.clone()
    }

    #[test]
    fn a_damaged_signature_is_bad_and_nothing_else_is_checked() {
        let (mut file, store) = signed_letter();
        file.layers[0].signatures[0].signature[0] ^= 1;
        let r = run(LETTER, &file, &store, None);
        assert_eq!(codes_of(&r), [ProblemCode::BadSignature]);
        assert_eq!(r.verdict, Verdict::Invalid);
    }

    #[test]
    fn an_unknown_key_is_undecided_and_an_id_naming_another_key_is_a_mismatch() {
        let (file, _) = signed_letter();
        let r = run(LETTER, &file, &store(vec![]), None);
        assert_eq!(codes_of(&r), [ProblemCode::UnknownKey]);
        assert_eq!(r.layers[0].signatures[0].status, SigStatus::Indeterminate);
        assert_eq!(r.verdict, Verdict::Indeterminate);
        let other = store(vec![entry("ann", "Ann Lee", &key(2))]);
        let r = run(LETTER, &file, &other, None);
        assert_eq!(codes_of(&r), [ProblemCode::KeyMismatch]);
    }

    #[test]
    fn a_key_filed_under_another_id_is_matched_by_key() {
        let (file, _) = signed_letter();
        let r = run(
            LETTER,
            &file,
            &store(vec![entry("a.lee", "Ann Lee", &key(1))]),
            None,
        );
        assert_eq!(r.verdict, Verdict::Valid);
        let reason = r.layers[0].signatures[0].reason.clone().unwrap();
        assert!(reason.contains("this key is \"a.lee\""), "{reason}");
    }

    #[test]
    fn a_signature_copied_from_another_document_is_replayed() {
        let (signed, store) = signed_letter();
        let mut file = unsigned_file("Letter\n\nWe object.\n\n(Signed) Ann Lee\n");
        file.layers[0].signatures = signed.layers[0].signatures.clone();
        let r = run(
            "Letter\n\nWe object.\n\n(Signed) Ann Lee\n",
            &file,
            &store,
            None,
        );
        assert_eq!(codes_of(&r), [ProblemCode::SignatureReplayed]);
    }

    #[test]
    fn a_layer_injected_beneath_an_innermost_signature_is_layer_added() {
        let (signed, store) = signed_letter();
        let letter = format!("{LETTER}\n");
        let layers = [("", letter.as_str()), ("Enclosure\n\n", "Report\n")];
        let mut file = file_of(&layers);
        file.layers[0].signatures = signed.layers[0].signatures.clone();
        let doc = doc_of(&layers);
        let r = run(&doc, &file, &store, None);
        assert!(
            codes_of(&r).contains(&ProblemCode::LayerAdded),
            "{:?}",
            codes_of(&r)
        );
    }
}
