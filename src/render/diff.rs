//! The human rendering of `transmittal diff` ([`crate::diff::DiffReport`], computed by the core):
//! the verdict, the comparison rule, one line per layer with its changes, and what was ignored.
//! ANSI colours only when asked for.

use crate::diff::{Change, DiffReport, Status};
use std::fmt::Write as _;

/// Words of a change shown before it is cut.
const SHOWN_WORDS: usize = 40;

fn paint(color: bool, code: &str, s: &str) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_owned()
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn cut(s: &str, n: usize) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    if words.len() <= n {
        s.to_owned()
    } else {
        format!(
            "{} … ({} more words)",
            words[..n].join(" "),
            words.len() - n
        )
    }
}

fn lines_str(l: Option<[u32; 2]>) -> String {
    match l {
        Some([a, b]) if a == b => format!("line {a}"),
        Some([a, b]) => format!("lines {a}-{b}"),
        None => "no lines".to_owned(),
    }
}

fn render_changes(out: &mut String, changes: &[Change], color: bool) {
    for c in changes {
        let mut at = Vec::new();
        if let Some([l, _]) = c.a_lines {
            at.push(format!("A line {l}"));
        }
        if let Some([l, _]) = c.b_lines {
            at.push(format!("B line {l}"));
        }
        let mut head = format!("@ {}", at.join(", "));
        if !c.before.is_empty() {
            let _ = write!(head, ", after \"{}\"", c.before);
        } else if !c.after.is_empty() {
            let _ = write!(head, ", before \"{}\"", c.after);
        }
        if c.case_only {
            head.push_str(" (case only)");
        }
        let _ = writeln!(out, "  {}", paint(color, "2", &head));
        if !c.a.is_empty() {
            let _ = writeln!(
                out,
                "  {}",
                paint(color, "31", &format!("- {}", cut(&c.a, SHOWN_WORDS)))
            );
        }
        if !c.b.is_empty() {
            let _ = writeln!(
                out,
                "  {}",
                paint(color, "32", &format!("+ {}", cut(&c.b, SHOWN_WORDS)))
            );
        }
    }
}

/// Human rendering: the verdict, the comparison rule, one line per layer with its changes, and
/// what was ignored. ANSI colours only when `color`.
pub fn render(d: &DiffReport, color: bool) -> String {
    let mut out = String::new();
    let count = |s: Status| d.layers.iter().filter(|l| l.status == s).count();
    let (differs, missing, added) = (
        count(Status::Differs),
        count(Status::Missing),
        count(Status::Added),
    );
    if d.same {
        let _ = writeln!(
            out,
            "{}: {} and {} ({})",
            paint(color, "32", "same text"),
            d.a,
            d.b,
            plural(d.layers.len(), "layer", "layers")
        );
    } else {
        let mut bits = Vec::new();
        if differs > 0 {
            bits.push(format!(
                "{differs} differ{}",
                if differs == 1 { "s" } else { "" }
            ));
        }
        if missing > 0 {
            bits.push(format!("{missing} missing in B"));
        }
        if added > 0 {
            bits.push(format!("{added} added in B"));
        }
        let _ = writeln!(
            out,
            "{}: {} and {} ({} of {}: {})",
            paint(color, "31;1", "differs"),
            d.a,
            d.b,
            differs + missing + added,
            plural(d.layers.len(), "layer", "layers"),
            bits.join(", ")
        );
    }
    let _ = writeln!(out, "compared: {}; case-sensitive", d.comparison);
    if let Some(h) = &d.header {
        let (mark, what) = match h.status {
            Status::Same => (paint(color, "32", "✓"), "same text".to_owned()),
            Status::Missing => (paint(color, "33", "!"), "only in A".to_owned()),
            Status::Added => (paint(color, "33", "!"), "only in B".to_owned()),
            Status::Differs => (paint(color, "33", "!"), "differs".to_owned()),
        };
        let _ = writeln!(
            out,
            "{mark} header: {what} ({}; publication header, not part of any layer: not counted)",
            if h.words_a == h.words_b {
                plural(h.words_a, "word", "words")
            } else {
                format!("{} / {} words", h.words_a, h.words_b)
            }
        );
        render_changes(&mut out, &h.changes, color);
    }
    for l in &d.layers {
        let mut name = format!("layer {} {}", l.index, l.kind);
        if l.index_a.is_some() {
            if let (Some(ib), Some(kb)) = (l.index_b, l.kind_b) {
                if Some(ib) != l.index_a || kb != l.kind {
                    let _ = write!(name, " (B: layer {ib} {kb})");
                }
            }
        }
        match l.status {
            Status::Same => {
                let words = if l.words_a == l.words_b {
                    plural(l.words_a, "word", "words")
                } else {
                    format!("{} / {} words", l.words_a, l.words_b)
                };
                let _ = writeln!(
                    out,
                    "{} {name}: same text ({words})",
                    paint(color, "32", "✓")
                );
            }
            Status::Differs => {
                let _ = writeln!(
                    out,
                    "{} {name}: differs ({})",
                    paint(color, "31;1", "✗"),
                    plural(l.changes.len(), "change", "changes")
                );
                render_changes(&mut out, &l.changes, color);
            }
            Status::Missing => {
                let _ = writeln!(
                    out,
                    "{} {name}: missing in B ({}, A {})",
                    paint(color, "31;1", "✗"),
                    plural(l.words_a, "word", "words"),
                    lines_str(l.lines_a)
                );
                if let Some(c) = l.changes.iter().find(|c| !c.a.is_empty()) {
                    let _ = writeln!(
                        out,
                        "  {}",
                        paint(color, "31", &format!("- {}", cut(&c.a, 12)))
                    );
                }
            }
            Status::Added => {
                let _ = writeln!(
                    out,
                    "{} layer {} {}: added in B ({}, B {})",
                    paint(color, "31;1", "✗"),
                    l.index,
                    l.kind,
                    plural(l.words_b, "word", "words"),
                    lines_str(l.lines_b)
                );
                if let Some(c) = l.changes.iter().find(|c| !c.b.is_empty()) {
                    let _ = writeln!(
                        out,
                        "  {}",
                        paint(color, "32", &format!("+ {}", cut(&c.b, 12)))
                    );
                }
            }
        }
        if l.words_elsewhere > 0 {
            let _ = writeln!(
                out,
                "  {}",
                paint(
                    color,
                    "2",
                    &format!(
                        "· {} of this layer lie in another layer of the other copy (the parser reads a boundary differently)",
                        plural(l.words_elsewhere, "word", "words")
                    )
                )
            );
        }
    }
    let i = &d.ignored;
    let mut ignored = vec![format!(
        "page furniture {} in A, {} in B",
        plural(i.furniture_a, "word", "words"),
        i.furniture_b
    )];
    if i.markup_a + i.markup_b > 0 {
        ignored.push(format!("Markdown markup {} / {}", i.markup_a, i.markup_b));
    }
    if i.spacing_and_hyphenation > 0 {
        ignored.push(format!(
            "{} only in white space or hyphenation",
            plural(i.spacing_and_hyphenation, "difference", "differences")
        ));
    }
    let _ = writeln!(out, "ignored: {}", ignored.join("; "));
    if let Some(l) = d.limit {
        let _ = writeln!(out, "{} {l}", paint(color, "33", "!"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Ignored, LayerDiff, COMPARISON};

    fn layer(index: usize, kind: &'static str, status: Status, changes: Vec<Change>) -> LayerDiff {
        LayerDiff {
            index,
            kind,
            index_a: Some(index),
            index_b: (status != Status::Missing).then_some(index),
            kind_b: (status != Status::Missing).then_some(kind),
            status,
            words_a: 12,
            words_b: 12,
            lines_a: Some([1, 3]),
            lines_b: Some([1, 3]),
            words_elsewhere: 0,
            changes,
        }
    }

    fn report(layers: Vec<LayerDiff>) -> DiffReport {
        DiffReport {
            same: layers.iter().all(|l| l.status == Status::Same),
            a: "a.md".into(),
            b: "b.md".into(),
            comparison: COMPARISON,
            case_sensitive: true,
            header: None,
            layers,
            ignored: Ignored {
                furniture_a: 0,
                furniture_b: 5,
                furniture_lines_a: Vec::new(),
                furniture_lines_b: Vec::new(),
                markup_a: 0,
                markup_b: 0,
                spacing_and_hyphenation: 0,
            },
            limit: None,
        }
    }

    fn change(a: &str, b: &str) -> Change {
        Change {
            a: a.into(),
            b: b.into(),
            words_a: 1,
            words_b: 1,
            a_lines: Some([17, 17]),
            b_lines: Some([17, 17]),
            a_column: Some(1),
            b_column: Some(1),
            before: "Troops remain approximately".into(),
            after: "in theatre.".into(),
            case_only: false,
        }
    }

    #[test]
    fn a_changed_figure_is_shown_exactly() {
        let d = report(vec![
            layer(0, "cover", Status::Same, Vec::new()),
            layer(
                1,
                "enclosure",
                Status::Differs,
                vec![change("4,100", "4,600")],
            ),
        ]);
        let text = render(&d, false);
        assert!(
            text.starts_with("differs: a.md and b.md (1 of 2 layers: 1 differs)\n"),
            "{text}"
        );
        assert!(
            text.contains("✓ layer 0 cover: same text (12 words)\n"),
            "{text}"
        );
        assert!(
            text.contains("✗ layer 1 enclosure: differs (1 change)\n"),
            "{text}"
        );
        assert!(
            text.contains("  @ A line 17, B line 17, after \"Troops remain approximately\"\n  - 4,100\n  + 4,600\n"),
            "{text}"
        );
        assert!(
            text.ends_with("ignored: page furniture 0 words in A, 5 in B\n"),
            "{text}"
        );
        assert!(!text.contains('\x1b'));
    }

    #[test]
    fn a_missing_layer_is_named_and_colour_is_optional() {
        let mut missing = layer(1, "annex", Status::Missing, vec![change("Please find", "")]);
        missing.changes[0].b.clear();
        let d = report(vec![layer(0, "cover", Status::Same, Vec::new()), missing]);
        let plain = render(&d, false);
        assert!(
            plain.contains(
                "✗ layer 1 annex: missing in B (12 words, A lines 1-3)\n  - Please find\n"
            ),
            "{plain}"
        );
        let coloured = render(&d, true);
        assert!(
            coloured.contains("\x1b[31;1m✗\x1b[0m layer 1 annex"),
            "{coloured}"
        );
        assert_eq!(strip_ansi(&coloured), plain);
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut it = s.chars();
        while let Some(c) = it.next() {
            if c == '\x1b' {
                for d in it.by_ref() {
                    if d == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn long_changes_are_cut() {
        assert_eq!(cut("a b c", 3), "a b c");
        assert_eq!(cut("a b c d", 2), "a b … (2 more words)");
        assert_eq!(lines_str(Some([4, 4])), "line 4");
        assert_eq!(lines_str(None), "no lines");
    }
}
