//! What a reader does not see as it was signed (docs/FORMAT.md §2.2, §9.4): invisible or
//! bidirectional characters in signed text, hidden text (comments, raw HTML, link reference
//! definitions), lines blank to the canonical text but not to a Markdown reader, and characters
//! NFC turns into markup.

use super::codes::ProblemCode;
use super::report::{line_ranges, merge_ranges, Problem, Report};
use super::Context;
use crate::format::canonical;

/// The warnings `invisible-characters` and `hidden-text`, and the problems `ambiguous-character`
/// and `ambiguous-blank-line`.
pub(crate) fn check(ctx: &Context, report: &mut Report) {
    report.warnings.extend(invisible(ctx));
    report.warnings.extend(hidden(ctx));
    if !ctx.ambiguous_chars.is_empty() {
        report.problems.push(
            Problem::new(
                ProblemCode::AmbiguousCharacter,
                "a character the canonical text equates with markup a Markdown reader sees differently (U+1FEF GREEK VARIA as a backtick, U+037E as a semicolon, U+0338 after <, = or >): the document does not read as it was signed",
            )
            .lines(line_ranges(&ctx.ambiguous_chars)),
        );
    }
    let blank = &ctx.ambiguous_blank;
    if !blank.is_empty() {
        report.problems.push(
            Problem::new(
                ProblemCode::AmbiguousBlankLine,
                format!(
                    "{} line{} of only non-breaking or ideographic spaces: blank to the canonical text, but not to a Markdown reader (paragraphs merge), so the document does not read as it was signed",
                    blank.len(),
                    if blank.len() == 1 { "" } else { "s" }
                ),
            )
            .lines(line_ranges(blank)),
        );
    }
}

/// Invisible characters in signed text (markers and content of every layer).
fn invisible(ctx: &Context) -> Option<Problem> {
    let mut inv = Vec::new();
    for (m, c) in &ctx.spans {
        inv.extend(canonical::find_invisible(
            &ctx.doc,
            m.start.min(c.start),
            c.end,
        ));
    }
    if inv.is_empty() {
        return None;
    }
    let lines = merge_ranges(inv.iter().map(|f| [f.line, f.line]).collect());
    let list: Vec<String> = inv
        .iter()
        .take(20)
        .map(|f| {
            format!(
                "line {} column {}: {} {}",
                f.line, f.column, f.code_point, f.name
            )
        })
        .collect();
    Some(
        Problem::new(
            ProblemCode::InvisibleCharacters,
            format!(
                "invisible or bidirectional control characters in signed text: {}{}",
                list.join("; "),
                if inv.len() > 20 { " …" } else { "" }
            ),
        )
        .lines(lines),
    )
}

/// Text a Markdown reader does not see that reaches into the signed parts.
fn hidden(ctx: &Context) -> Option<Problem> {
    let text = ctx.doc.as_str();
    let signed_from = ctx
        .spans
        .iter()
        .map(|(m, c)| m.start.min(c.start))
        .min()
        .unwrap_or(text.len());
    let hidden: Vec<crate::parse::hidden::Hidden> = crate::parse::hidden::find_hidden(text)
        .into_iter()
        .filter(|h| h.range.end > signed_from)
        .collect();
    if hidden.is_empty() {
        return None;
    }
    let lines = merge_ranges(
        hidden
            .iter()
            .filter_map(|h| ctx.doc.original_span(h.range.start, h.range.end))
            .map(|(a, b)| [a, b])
            .collect(),
    );
    Some(
        Problem::new(
            ProblemCode::HiddenText,
            format!(
                "signed text a Markdown reader does not see (comments, raw HTML, link reference definitions): {}",
                crate::parse::hidden::describe(&hidden, &ctx.doc)
            ),
        )
        .lines(lines),
    )
}

#[cfg(test)]
mod tests {
    use crate::verify::testutil::*;
    use crate::verify::ProblemCode;
    use crate::verify::Verdict;

    fn verify_letter(text: &str) -> crate::verify::Report {
        let canonical = crate::format::canonical::canonicalize(text.as_bytes()).unwrap();
        let mut file = unsigned_file(canonical.as_str());
        sign_as_ann(&mut file, 0);
        run(text, &file, &ann_store(), None)
    }

    #[test]
    fn invisible_characters_and_hidden_text_are_warnings() {
        let r = verify_letter("Letter\n\nWe\u{200B} agree.\n\n(Signed) Ann Lee\n");
        assert_eq!(r.warnings[0].code, ProblemCode::InvisibleCharacters);
        assert_eq!(r.warnings[0].lines, vec![[3, 3]]);
        assert_eq!(r.verdict, Verdict::Valid);
        let r = verify_letter("Letter\n\n<!-- not shown -->\n\n(Signed) Ann Lee\n");
        assert_eq!(r.warnings[0].code, ProblemCode::HiddenText);
        assert_eq!(r.warnings[0].lines, vec![[3, 3]]);
    }

    #[test]
    fn a_line_of_non_breaking_spaces_is_an_ambiguous_blank_line() {
        let r = verify_letter("Letter\n\u{A0}\nWe agree.\n\n(Signed) Ann Lee\n");
        let codes: Vec<_> = r.problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, [ProblemCode::AmbiguousBlankLine]);
        assert_eq!(r.problems[0].lines, vec![[2, 2]]);
        assert_eq!(r.verdict, Verdict::Invalid);
    }
}
