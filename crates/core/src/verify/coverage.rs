//! Coverage (docs/FORMAT.md §9.1): layer *i* is covered by the valid signatures on layers
//! 0…*i*; its container markers by those on layers 0…*i*−1. A layer no signature record stands
//! on or above is `uncovered-text`; one awaiting a signature is undecided. Also the checks of
//! each layer listed in the human report.

use super::codes::ProblemCode;
use super::identity;
use super::report::{span_lines, Check, LayerReport, Problem, Report, SigStatus};
use super::signatures::Signed;
use super::{Context, MAX_COVERED_BY};

/// What the pass over the layers has seen so far, outermost first.
#[derive(Default)]
struct Above {
    /// The layers holding a valid signature.
    valid: Vec<usize>,
    /// Whether a layer holds a signature that cannot be decided (unknown key).
    pending: bool,
    /// Whether any signature record stands on a layer.
    claimed: bool,
}

/// Fills each layer's coverage, its `missing-signature` and `uncovered-text` problems and its
/// checks; returns the original lines of the layers no valid signature covers.
pub(crate) fn check(ctx: &Context, report: &mut Report, signed: &Signed) -> Vec<[u32; 2]> {
    let mut uncovered: Vec<[u32; 2]> = Vec::new();
    let mut above = Above::default();
    // Running over the layers, outermost first, so that the whole pass is linear.
    for i in 0..ctx.file.layers.len() {
        if signed.valid[i] {
            above.valid.push(i);
        }
        above.pending |= signed.pending[i];
        // Signatures at or above that are not valid explain by their own problems why this
        // layer is not covered; `uncovered-text` is for layers no signature even claims.
        above.claimed |= !ctx.file.layers[i].signatures.is_empty();
        let layer = &mut report.layers[i];
        // The nearest covering layers only: the report stays linear (FORMAT.md §9.1).
        let covered_by = above.valid[above.valid.len().saturating_sub(MAX_COVERED_BY)..].to_vec();
        layer.covered_by = covered_by.clone();
        layer.covered_by_count = above.valid.len();
        // Every name on a "(Signed)" mark needs its own valid signature. A mark that a signature
        // claims but that is not valid is explained by that signature's own problem.
        let others: Vec<&str> = ctx.file.layers[i]
            .signatures
            .iter()
            .zip(&layer.signatures)
            .filter(|(_, s)| s.status != SigStatus::Valid)
            .map(|(s, _)| s.statement.signatory.as_str())
            .collect();
        let missing = identity::missing_signatures(ctx, i, &signed.valid_names[i], &others);
        layer
            .problems
            .extend(identity::missing_problems(i, &missing));
        if covered_by.is_empty() {
            let (m, c) = &ctx.spans[i];
            let whole = if m.is_empty() {
                c.clone()
            } else {
                m.start..c.end
            };
            let lines = span_lines(&ctx.doc, &whole);
            uncovered.extend(lines.iter().copied());
            // An empty layer that nothing signs is reported too: otherwise a signature file whose
            // only layer is empty and unsigned would answer `valid` with nothing signed at all
            // (fuzz/findings/parse_document-unsigned-valid), and an empty unsigned layer would
            // present a chain as longer than the one signed. A layer awaiting a signature (a
            // "(Signed)" name without one, or a genuine signature by an unknown key) is
            // undecided rather than uncovered.
            if missing.is_empty() && !above.pending && !above.claimed {
                layer.problems.push(
                    Problem::new(
                        ProblemCode::UncoveredText,
                        if whole.is_empty() {
                            format!("layer {i} is empty and no signature covers it: nothing in it or above it is signed")
                        } else {
                            format!("no signature covers layer {i}: neither it nor any layer above it is signed")
                        },
                    )
                    .lines(lines),
                );
            }
        }
        layer_checks(ctx, i, signed, &above, &missing, layer);
    }
    uncovered
}

/// The checks of layer `i` for the human report: content, markers, chain, coverage.
fn layer_checks(
    ctx: &Context,
    i: usize,
    signed: &Signed,
    above: &Above,
    missing: &[(String, u32)],
    layer: &mut LayerReport,
) {
    let n = ctx.file.layers.len();
    let rec = &ctx.file.layers[i];
    let content_ok = !ctx.content_changed[i];
    let leaves = rec.content.leaves.len();
    layer.checks.push(Check {
        check: "content",
        outcome: if content_ok { "ok" } else { "fail" },
        detail: if content_ok {
            format!(
                "text matches the signed hash ({leaves} line{})",
                if leaves == 1 { "" } else { "s" }
            )
        } else {
            "text differs from the signed text".to_owned()
        },
    });
    if i > 0 {
        let changed = ctx.markers_changed[i];
        layer.checks.push(Check {
            check: "markers",
            outcome: if changed { "fail" } else { "ok" },
            detail: if changed {
                "container markers differ from those signed by the layer above".to_owned()
            } else if rec.markers.bytes == 0 {
                "no container heading (kind by depth)".to_owned()
            } else if signed.valid[i - 1] {
                format!("container heading as signed by layer {}", i - 1)
            } else if let Some(k) = above.valid.iter().rev().find(|&&k| k < i) {
                format!("container heading as recorded; covered by the signature of layer {k}")
            } else {
                "container heading as recorded; no valid signature covers it".to_owned()
            },
        });
    }
    if i + 1 < n {
        let ok = !ctx.changed_at_or_below[i + 1];
        layer.checks.push(Check {
            check: "chain",
            outcome: if ok { "ok" } else { "fail" },
            detail: if ok {
                format!("layer {} beneath is as signed", i + 1)
            } else {
                format!("a layer beneath (from layer {}) changed", i + 1)
            },
        });
    }
    let covered = !layer.covered_by.is_empty();
    layer.checks.push(Check {
        check: "coverage",
        outcome: if covered {
            "ok"
        } else if !missing.is_empty() || above.pending {
            "unknown"
        } else {
            "fail"
        },
        detail: if covered {
            covered_detail(&above.valid, &layer.covered_by)
        } else if missing.is_empty() && above.pending {
            "covered only by a signature that cannot be decided (see its codes: an unknown key or root, a stale CRL, a missing timestamp)".to_owned()
        } else if missing.is_empty() && above.claimed {
            "no valid signature covers this layer (see the signatures' problems)".to_owned()
        } else if missing.is_empty() {
            "no signature covers this layer".to_owned()
        } else {
            format!(
                "awaiting the signature of {}",
                missing
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
    });
}

/// "covered by the signatures of layers 0, 1" (the nearest ones, and how many more).
fn covered_detail(valid_above: &[usize], covered_by: &[usize]) -> String {
    let one = valid_above.len() == 1;
    format!(
        "covered by the signature{} of layer{} {}{}",
        if one { "" } else { "s" },
        if one { "" } else { "s" },
        if valid_above.len() > covered_by.len() {
            format!("{} more, ", valid_above.len() - covered_by.len())
        } else {
            String::new()
        },
        covered_by
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The remaining uncovered lines: text added outside every signed part, and the container
/// markers of a layer whose layer above no valid signature covers (its signer added them).
pub(crate) fn outside_layers(ctx: &Context, report: &Report, uncovered: &mut Vec<[u32; 2]>) {
    for r in &ctx.added_ranges {
        uncovered.extend(span_lines(&ctx.doc, r));
    }
    for (above, (markers, _)) in report.layers.iter().zip(ctx.spans.iter().skip(1)) {
        if above.covered_by.is_empty() && !markers.is_empty() {
            uncovered.extend(span_lines(&ctx.doc, markers));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::covered_detail;
    use crate::verify::testutil::*;
    use crate::verify::ProblemCode;
    use crate::verify::{LayerStatus, Verdict};

    const ENCLOSURE: &str = "Report\n\nThe facts.\n";

    fn two_layers() -> (String, crate::format::sigfile::SignatureFile) {
        let letter = format!("{LETTER}\n");
        let layers = [("", letter.as_str()), ("Enclosure\n\n", ENCLOSURE)];
        (doc_of(&layers), file_of(&layers))
    }

    #[test]
    fn an_outer_signature_covers_the_layers_beneath_and_their_markers() {
        let (doc, mut file) = two_layers();
        sign_as_ann(&mut file, 0);
        let r = run(&doc, &file, &ann_store(), None);
        assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.problem_codes());
        assert_eq!(r.layers[1].covered_by, [0]);
        assert_eq!(r.layers[1].status, LayerStatus::Unsigned);
        assert!(r.uncovered_lines.is_empty());
    }

    #[test]
    fn a_layer_with_no_signature_on_or_above_it_is_uncovered() {
        let layers = [
            ("", "Letter\n\nPlease find the report enclosed.\n\n"),
            ("Enclosure\n\n", LETTER),
        ];
        let (doc, mut file) = (doc_of(&layers), file_of(&layers));
        sign_as_ann(&mut file, 1);
        let r = run(&doc, &file, &ann_store(), None);
        let codes: Vec<_> = r.layers[0].problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, [ProblemCode::UncoveredText]);
        assert_eq!(r.uncovered_lines, vec![[1, 3], [5, 5]]);
        assert_eq!(r.layers[1].covered_by, [1]);
        assert_eq!(r.verdict, Verdict::Invalid);
    }

    #[test]
    fn the_coverage_detail_names_the_nearest_layers() {
        assert_eq!(
            covered_detail(&[0], &[0]),
            "covered by the signature of layer 0"
        );
        assert_eq!(
            covered_detail(&[0, 1, 2], &[1, 2]),
            "covered by the signatures of layers 1 more, 1, 2"
        );
    }
}
