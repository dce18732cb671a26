//! Identity (docs/FORMAT.md §6.5-§6.6): the key's trust-store name must be the statement's
//! signatory and appear on a "(Signed)" line of the layer; every "(Signed)" name needs its own
//! signature; a line that reads as a "(Signed)" line but is no mark is a look-alike.

use super::codes::ProblemCode;
use super::report::Findings;
use super::report::{line_ranges, merge_ranges, Problem};
use super::Context;
use crate::format::chain::Statement;
use crate::parse::identity;
use crate::trust::TrustEntry;

/// `signer-mismatch`: the statement's signatory is not a name of the key's entry, or no
/// "(Signed)" line of the layer names it (whole names, the entry's name or a declared spelling).
pub(crate) fn check_signer(
    e: &TrustEntry,
    st: &Statement,
    i: usize,
    layer_text: &str,
    f: &mut Findings,
) {
    let claimed = identity::normalize_name(&st.signatory);
    if !e.names().any(|n| identity::normalize_name(n) == claimed) {
        f.fail(
            ProblemCode::SignerMismatch,
            format!(
                "signed as {:?} but the key belongs to {:?}",
                st.signatory, e.name
            ),
        );
    } else if !identity::text_names_any(layer_text, e.names()) {
        f.fail(
            ProblemCode::SignerMismatch,
            format!(
                "no \"(Signed) {}\" line in layer {i}: the key's identity does not match the layer's signatory",
                e.name
            ),
        );
    }
}

/// The name after a signature mark, up to the end of the line or a run of two spaces.
pub fn mark_name(text: &str, mark: &identity::SignatureMark) -> String {
    let rest = text.get(mark.name_start..mark.line_end).unwrap_or("");
    let rest = rest.split("  ").next().unwrap_or("");
    identity::display_name(rest)
}

/// The names on the "(Signed)" marks of `text`, for a layer with no signature record.
pub(crate) fn mark_names(text: &str) -> Vec<String> {
    identity::signature_marks(text)
        .iter()
        .map(|mk| mark_name(text, mk))
        .filter(|s| !s.is_empty())
        .collect()
}

/// The "(Signed)" names of layer `i` with no valid signature, and the original line of each.
/// `valid_names` are the names of the layer's valid signers; `invalid_signatories` the
/// signatories of its signatures that are not valid (their own problems explain those marks).
pub(crate) fn missing_signatures(
    ctx: &Context,
    i: usize,
    valid_names: &[String],
    invalid_signatories: &[&str],
) -> Vec<(String, u32)> {
    let c = &ctx.spans[i].1;
    let ctext = &ctx.doc.as_str()[c.clone()];
    let mut missing = Vec::new();
    for mk in &identity::signature_marks(ctext) {
        let named = valid_names
            .iter()
            .map(String::as_str)
            .chain(invalid_signatories.iter().copied())
            .any(|name| identity::mark_names(ctext, mk, name));
        if !named {
            let name = mark_name(ctext, mk);
            if !name.is_empty() {
                missing.push((name, ctx.doc.original_line_of(c.start + mk.start)));
            }
        }
    }
    missing
}

/// The `missing-signature` problems of layer `i`.
pub(crate) fn missing_problems(i: usize, missing: &[(String, u32)]) -> Vec<Problem> {
    missing
        .iter()
        .map(|(name, line)| {
            Problem::new(
                ProblemCode::MissingSignature,
                format!(
                    "layer {i} is signed \"(Signed) {name}\" but carries no signature of {name}"
                ),
            )
            .lines(line_ranges(&[*line]))
        })
        .collect()
}

/// `signature-look-alike`: per layer, the lines (markers and content) that read as "(Signed)"
/// lines but hold no signature mark.
pub(crate) fn look_alikes(ctx: &Context) -> Vec<(usize, Problem)> {
    let text = ctx.doc.as_str();
    let mut out = Vec::new();
    for (i, (m, c)) in ctx.spans.iter().enumerate() {
        let mut lines: Vec<[u32; 2]> = Vec::new();
        for r in [m, c] {
            for off in identity::look_alike_lines(&text[r.clone()]) {
                let l = ctx.doc.original_line_of(r.start + off);
                lines.push([l, l]);
            }
        }
        if !lines.is_empty() {
            out.push((i, Problem::new(
                ProblemCode::SignatureLookAlike,
                format!(
                    "layer {i} has a line that reads as a \"(Signed)\" line but is no signature mark (escaped, encoded, disguised, or in the middle of a sentence): it shows a signature nobody made"
                ),
            )
            .lines(merge_ranges(lines))));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::verify::testutil::*;
    use crate::verify::ProblemCode;
    use crate::verify::{LayerStatus, Verdict};

    #[test]
    fn the_key_must_belong_to_the_signatory_named_on_the_layer() {
        let (file, _) = signed_letter();
        let r = run(
            LETTER,
            &file,
            &store(vec![entry("ann", "Bob Ray", &key(1))]),
            None,
        );
        assert_eq!(
            r.layers[0].signatures[0].codes,
            [ProblemCode::SignerMismatch]
        );
        // The signatory is the key's, but no "(Signed)" line names it.
        let text = "Letter\n\nWe agree.\n\n(Signed) Someone Else\n";
        let mut file = unsigned_file(text);
        sign_as_ann(&mut file, 0);
        let r = run(text, &file, &ann_store(), None);
        assert_eq!(
            r.layers[0].signatures[0].codes,
            [ProblemCode::SignerMismatch]
        );
    }

    #[test]
    fn a_signed_name_without_its_signature_is_missing() {
        let text = "Letter\n\nWe agree.\n\n(Signed) Ann Lee\n\n(Signed) Bob Ray\n";
        let mut file = unsigned_file(text);
        sign_as_ann(&mut file, 0);
        let r = run(text, &file, &ann_store(), None);
        let p = &r.layers[0].problems;
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].code, ProblemCode::MissingSignature);
        assert_eq!(p[0].lines, vec![[7, 7]]);
        assert_eq!(r.layers[0].status, LayerStatus::Indeterminate);
        assert_eq!(r.verdict, Verdict::Indeterminate);
    }

    #[test]
    fn a_disguised_signed_line_is_a_look_alike() {
        let text = "Letter\n\nWe agree.\n\n(Signed) Ann Lee\n\n\\(Signed) Bob Ray\n";
        let mut file = unsigned_file(text);
        sign_as_ann(&mut file, 0);
        let r = run(text, &file, &ann_store(), None);
        let codes: Vec<_> = r.layers[0].problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, [ProblemCode::SignatureLookAlike]);
        assert_eq!(r.layers[0].problems[0].lines, vec![[7, 7]]);
    }
}
