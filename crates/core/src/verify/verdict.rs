//! The verdict (docs/FORMAT.md §9.1): each layer's status from its problems and signatures, the
//! report's verdict (`invalid` over `indeterminate` over `valid`, `--strict` making warnings
//! failures, `valid` resting on at least one valid signature), and the findings in root-cause
//! order.

use super::codes::ProblemCode;
use super::report::{LayerStatus, Problem, Report, SigStatus, Verdict};
use crate::format::sigfile::SignatureFile;

/// Sets each layer's status and the verdict; a file with no signature record, or with no valid
/// signature while nothing else is reported, is `no-signature`.
pub(crate) fn decide(report: &mut Report, file: &SignatureFile, strict: bool) {
    let mut any_invalid = !report.problems.is_empty();
    let mut any_indeterminate = false;
    for l in &mut report.layers {
        let fail = l
            .problems
            .iter()
            .any(|p| p.code != ProblemCode::MissingSignature)
            || l.signatures.iter().any(|s| s.status == SigStatus::Invalid);
        let unknown = l
            .problems
            .iter()
            .any(|p| p.code == ProblemCode::MissingSignature)
            || l.signatures
                .iter()
                .any(|s| s.status == SigStatus::Indeterminate);
        l.status = if fail {
            LayerStatus::Invalid
        } else if unknown {
            LayerStatus::Indeterminate
        } else if l.signatures.is_empty() {
            LayerStatus::Unsigned
        } else {
            LayerStatus::Valid
        };
        any_invalid |= fail;
        any_indeterminate |= unknown;
    }
    if strict && !report.warnings.is_empty() {
        any_invalid = true;
    }
    // Defence in depth: `valid` always rests on at least one good signature.
    let any_valid_signature = report
        .layers
        .iter()
        .any(|l| l.signatures.iter().any(|s| s.status == SigStatus::Valid));
    let records = file
        .layers
        .iter()
        .map(|l| l.signatures.len())
        .sum::<usize>();
    if records == 0 {
        report.problems.push(Problem::new(
            ProblemCode::NoSignature,
            "the signature file carries no signature at all: nothing in this document is signed",
        ));
        any_invalid = true;
    } else if !any_invalid && !any_indeterminate && !any_valid_signature {
        report.problems.push(Problem::new(
            ProblemCode::NoSignature,
            "the signature file carries no valid signature: nothing in this document is signed",
        ));
        any_invalid = true;
    }
    report.verdict = if any_invalid {
        Verdict::Invalid
    } else if any_indeterminate {
        Verdict::Indeterminate
    } else {
        Verdict::Valid
    };
}

impl Report {
    /// Orders each layer's problems and each signature's codes causes first, consequences after
    /// (stable otherwise), and fills [`Report::codes`].
    pub(crate) fn order_root_cause(&mut self) {
        let key = |c: ProblemCode| c.is_consequence();
        self.problems.sort_by_key(|p| key(p.code));
        for l in &mut self.layers {
            l.problems.sort_by_key(|p| key(p.code));
            for s in &mut l.signatures {
                s.codes.sort_by_key(|c| key(*c));
            }
        }
        let mut all: Vec<ProblemCode> = self
            .causes()
            .map(|c| c.code())
            .chain(self.warnings.iter().map(|p| p.code))
            .chain(self.advice.iter().map(|p| p.code))
            .collect();
        let mut seen = std::collections::HashSet::new();
        all.retain(|c| seen.insert(*c));
        self.codes = all;
    }
}

#[cfg(test)]
mod tests {
    use crate::verify::testutil::*;
    use crate::verify::ProblemCode;
    use crate::verify::{LayerStatus, Verdict};

    #[test]
    fn a_file_without_signatures_is_no_signature() {
        let file = unsigned_file(LETTER);
        let r = run(LETTER, &file, &store(vec![]), None);
        assert_eq!(r.verdict, Verdict::Invalid);
        assert!(r.codes.contains(&ProblemCode::NoSignature), "{:?}", r.codes);
        assert!(
            r.codes.contains(&ProblemCode::MissingSignature),
            "{:?}",
            r.codes
        );
    }

    #[test]
    fn strict_makes_warnings_failures() {
        let text = "Letter\n\nWe\u{200B} agree.\n\n(Signed) Ann Lee\n";
        let mut file = unsigned_file(text);
        sign_as_ann(&mut file, 0);
        let store = ann_store();
        assert_eq!(run(text, &file, &store, None).verdict, Verdict::Valid);
        let r = crate::verify::verify(
            "d",
            text.as_bytes(),
            "s",
            file.to_json().as_bytes(),
            &store,
            crate::verify::Options {
                strict: true,
                skip_parser_check: true,
                today: None,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(r.verdict, Verdict::Invalid);
        assert_eq!(r.layers[0].status, LayerStatus::Valid);
        assert_eq!(
            r.root_cause().map(|c| c.code()),
            Some(ProblemCode::InvisibleCharacters)
        );
    }

    #[test]
    fn consequences_come_after_their_causes() {
        let letter = format!("{LETTER}\n");
        let layers = [
            ("", letter.as_str()),
            ("Enclosure\n\n", "Report\n\nFacts.\n"),
        ];
        let mut file = file_of(&layers);
        sign_as_ann(&mut file, 0);
        let store = ann_store();
        let doc = doc_of(&layers).replace("Facts.", "Fiction.");
        let r = run(&doc, &file, &store, None);
        assert_eq!(
            r.codes,
            [ProblemCode::ContentChanged, ProblemCode::InnerLayerChanged]
        );
        assert_eq!(r.layers[1].status, LayerStatus::Invalid);
        assert_eq!(r.layers[0].status, LayerStatus::Invalid);
    }
}
