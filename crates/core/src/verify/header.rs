//! The publication header (docs/FORMAT.md §9.2-§9.3): text before the outermost layer is covered
//! by no signature; it is accepted, with the warning `uncovered-header`, only when it matches the
//! header grammar ([`crate::parse::header::check_header`]), and is `uncovered-text` otherwise. The
//! grammar alone decides, never the parser.

use super::codes::ProblemCode;
use super::report::{HeaderReport, Problem, Report};
use crate::format::canonical::CanonicalText;

/// The publication-header rule (FORMAT.md §9.2-§9.3): the canonical text before the outermost
/// layer is accepted as a header only when it matches the header grammar
/// ([`crate::parse::header::check_header`]).
pub fn looks_like_header(text: &str) -> bool {
    crate::parse::header::check_header(text).is_ok()
}

/// Checks the header `[0, header_end)` of `doc`: fills [`Report::header`], adds its lines to
/// `uncovered` and reports it as a warning or a problem.
pub(crate) fn check(
    doc: &CanonicalText,
    header_end: usize,
    report: &mut Report,
    uncovered: &mut Vec<[u32; 2]>,
) {
    if header_end == 0 {
        return;
    }
    let htext = &doc.as_str()[..header_end];
    let Some((a, b)) = doc.original_span(0, header_end) else {
        return;
    };
    let refusal = crate::parse::header::check_header(htext).err();
    report.header = Some(HeaderReport {
        lines: [a, b],
        accepted: refusal.is_none(),
    });
    uncovered.push([a, b]);
    let Some(r) = refusal else {
        report.warnings.push(
            Problem::new(
                ProblemCode::UncoveredHeader,
                "the publication header is covered by no signature (it was added by the publisher)",
            )
            .lines(vec![[a, b]]),
        );
        return;
    };
    let at = crate::parse::header::refusal_line(&r)
        .and_then(|k| {
            // Line k of the header (1-based, blank lines counted) in the original.
            let start = htext
                .split_inclusive('\n')
                .take(k.saturating_sub(1))
                .map(str::len)
                .sum::<usize>();
            (start < header_end).then(|| doc.original_line_of(start))
        })
        .map(|l| format!(" (line {l})"))
        .unwrap_or_default();
    report.problems.push(
        Problem::new(
            ProblemCode::UncoveredText,
            format!(
                "text before the outermost layer is covered by no signature and is not a publication header: {r}{at}"
            ),
        )
        .lines(vec![[a, b]]),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::canonical::canonicalize;

    fn report_of(text: &str, header_end: usize) -> (Report, Vec<[u32; 2]>) {
        let doc = canonicalize(text.as_bytes()).unwrap();
        let mut r = Report::empty("d", String::new(), "s", false, None);
        let mut uncovered = Vec::new();
        check(&doc, header_end, &mut r, &mut uncovered);
        (r, uncovered)
    }

    #[test]
    fn a_header_of_the_grammar_is_a_warning() {
        let (r, uncovered) = report_of("Security Council\n\nLetter\n", 18);
        assert_eq!(r.warnings[0].code, ProblemCode::UncoveredHeader);
        assert!(r.header.unwrap().accepted && r.problems.is_empty());
        assert_eq!(uncovered, vec![[1, 1]]);
    }

    #[test]
    fn any_other_header_is_uncovered_text_naming_its_line() {
        let (r, _) = report_of("Security Council\n(Signed) X\n\nLetter\n", 29);
        assert_eq!(r.problems[0].code, ProblemCode::UncoveredText);
        assert!(
            r.problems[0].message.ends_with("(line 2)"),
            "{}",
            r.problems[0].message
        );
        assert!(!r.header.unwrap().accepted && r.warnings.is_empty());
        assert!(looks_like_header("") && !looks_like_header("VOID\n"));
    }

    #[test]
    fn no_header_no_finding() {
        let (r, uncovered) = report_of("Letter\n", 0);
        assert!(r.header.is_none() && uncovered.is_empty());
    }
}
