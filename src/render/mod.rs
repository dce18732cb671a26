//! Human-readable renderings of reports (the binary streams them to its output; [`inspection`]
//! and [`report`] build strings).
//!
//! Colour is a parameter: the binary decides (a terminal, `--color`, `NO_COLOR`: [`Style::for_stream`])
//! and the colours are the [`Palette`]'s. Marks: `✓` passed,
//! `✗` failed, `?` not determined, `!` warning.
//!
//! # Bounds
//!
//! The output is linear in the size of the report, whatever the document: each layer adds a
//! bounded number of bytes of its own. Indentation grows with nesting up to depth
//! [`MAX_INDENT_DEPTH`]; deeper layers are drawn at that indentation with a `[depth N]` marker.
//! A list of line ranges shows at most [`MAX_RANGES`] ranges and says how many more there are;
//! a message, check or reason longer than [`MAX_TEXT_CHARS`] characters is cut and says how much
//! was left out (`--json` has everything). Output is written layer by layer, never built whole.

pub mod diff;

use crate::inspect::Inspection;
use crate::verify::{LayerStatus, Report, SigStatus, Verdict};
use std::fmt::Write as _;
use std::io;

pub mod audit;
pub mod palette;

pub use palette::{paint, ColorChoice, Palette};

/// Deepest nesting drawn with its own indentation; deeper layers carry a `[depth N]` marker.
pub const MAX_INDENT_DEPTH: usize = 8;
/// Most line ranges shown in one list.
pub const MAX_RANGES: usize = 16;
/// Most characters of one message, check detail or reason shown.
pub const MAX_TEXT_CHARS: usize = 400;

/// Rendering style: whether to colour. The colours themselves are the [`Palette`]'s.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
}

impl Style {
    /// The style for output written to `stream` under `choice` ([`palette::use_color`]: `auto`
    /// colours a terminal unless `NO_COLOR` is set).
    pub fn for_stream<S: anstream::stream::RawStream>(choice: ColorChoice, stream: &S) -> Style {
        Style {
            color: palette::use_color(choice, stream),
        }
    }

    /// The palette of this style.
    pub const fn palette(self) -> Palette {
        Palette::new(self.color)
    }
}

fn short(hex: &str) -> &str {
    hex.get(..12).unwrap_or(hex)
}

fn lines(r: &[[u32; 2]]) -> String {
    let mut out = String::new();
    for (k, [a, b]) in r.iter().take(MAX_RANGES).enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        if a == b {
            let _ = write!(out, "{a}");
        } else {
            let _ = write!(out, "{a}-{b}");
        }
    }
    if r.len() > MAX_RANGES {
        let _ = write!(out, ", … ({} more)", r.len() - MAX_RANGES);
    }
    out
}

/// `s`, cut after [`MAX_TEXT_CHARS`] characters with a note of what was left out.
fn clip(s: &str) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(MAX_TEXT_CHARS) {
        None => std::borrow::Cow::Borrowed(s),
        Some((end, _)) => {
            let rest = s[end..].chars().count();
            std::borrow::Cow::Owned(format!("{}… ({rest} more characters)", &s[..end]))
        }
    }
}

/// How layer `k` of `n` is drawn in the tree. Each layer is the last child of the one around it
/// (the outermost is the last child of the document, after the header), so its branch is `└─`;
/// a `│` continues from it, past its own lines, down to the branch of the layer it encloses.
struct Node {
    /// Indentation and branch of the layer's own line, with the `[depth N]` marker beyond
    /// [`MAX_INDENT_DEPTH`].
    branch: String,
    /// Prefix of the layer's detail lines: the indentation, then `│ ` if a layer follows inside
    /// this one, else two spaces.
    pad: String,
}

fn node(k: usize, n: usize) -> Node {
    let indent = "   ".repeat(k.min(MAX_INDENT_DEPTH));
    let marker = if k > MAX_INDENT_DEPTH {
        format!("[depth {k}] ")
    } else {
        String::new()
    };
    let bar = if k + 1 < n { "│ " } else { "  " };
    Node {
        branch: format!("{indent}└─ {marker}"),
        pad: format!("{indent}   {bar}"),
    }
}

/// The branch of the publication header: `├─` when layers follow it, else `└─`.
fn header_branch(layers: usize) -> &'static str {
    if layers > 0 {
        "├─"
    } else {
        "└─"
    }
}

/// Write `buf` to `w` and empty it.
fn flush(w: &mut dyn io::Write, buf: &mut String) -> io::Result<()> {
    w.write_all(buf.as_bytes())?;
    buf.clear();
    Ok(())
}

/// Run a streaming renderer into a string.
fn to_string(f: impl FnOnce(&mut dyn io::Write) -> io::Result<()>) -> String {
    let mut v: Vec<u8> = Vec::new();
    // Writing to a vector does not fail; the renderers only write UTF-8.
    let _ = f(&mut v);
    String::from_utf8(v).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Render `inspect`'s tree.
pub fn inspection(i: &Inspection, style: Style) -> String {
    to_string(|w| write_inspection(w, i, style))
}

/// Write `inspect`'s tree to `w`, layer by layer.
pub fn write_inspection(w: &mut dyn io::Write, i: &Inspection, style: Style) -> io::Result<()> {
    let pal = style.palette();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({} layer{}, profile {})",
        paint(pal.heading, &i.document),
        i.layers.len(),
        if i.layers.len() == 1 { "" } else { "s" },
        i.profile
    );
    if let Some(h) = &i.header {
        let mut bits = Vec::new();
        if let Some(s) = &h.symbol {
            bits.push(s.clone());
        }
        if let Some(d) = &h.date {
            bits.push(d.clone());
        }
        if let Some(l) = &h.original_language {
            bits.push(format!("original: {l}"));
        }
        let _ = writeln!(
            out,
            "{} header  lines {}-{}  {}{}",
            header_branch(i.layers.len()),
            h.lines[0],
            h.lines[1],
            paint(pal.dim, "(publication header, not part of any layer)"),
            if bits.is_empty() {
                String::new()
            } else {
                format!("  {}", clip(&bits.join(", ")))
            }
        );
    }
    let n = i.layers.len();
    for (k, l) in i.layers.iter().enumerate() {
        flush(w, &mut out)?;
        let Node { branch, pad } = node(k, n);
        let _ = writeln!(
            out,
            "{branch}layer {} {}  lines {}-{}{}",
            l.index,
            paint(pal.heading, l.kind),
            l.lines[0],
            l.lines[1],
            if l.confidence == crate::parser::Confidence::Inferred && k > 0 {
                format!("  {}", paint(pal.indeterminate, "(boundary inferred)"))
            } else {
                String::new()
            }
        );
        if let Some(t) = &l.title {
            let _ = writeln!(out, "{pad}title:       {}", clip(t));
        }
        let _ = writeln!(
            out,
            "{pad}signatories: {}",
            if l.signatories.is_empty() {
                paint(pal.dim, "none").to_string()
            } else {
                clip(&l.signatories.join(", ")).into_owned()
            }
        );
        let _ = writeln!(
            out,
            "{pad}date:        {}",
            l.date
                .clone()
                .unwrap_or_else(|| paint(pal.dim, "none").to_string())
        );
        if let Some(lang) = &l.original_language {
            let _ = writeln!(out, "{pad}original:    {}", clip(lang));
        }
        if let Some(m) = l.marker_lines {
            let _ = writeln!(out, "{pad}markers:     lines {}-{}", m[0], m[1]);
        }
        let _ = writeln!(
            out,
            "{pad}content:     {}…  ({} leaves)",
            short(&l.content_sha256),
            l.leaves
        );
        let _ = writeln!(out, "{pad}chain:       {}…", short(&l.chain_sha256));
        for e in &l.evidence {
            let _ = writeln!(
                out,
                "{pad}{}",
                paint(
                    pal.dim,
                    &format!(
                        "· {} {:?} by {} at {}:{} ({})",
                        e.what,
                        clip(&e.value),
                        clip(&e.cue),
                        e.line,
                        e.column,
                        match e.confidence {
                            crate::parser::Confidence::Certain => "certain",
                            crate::parser::Confidence::Inferred => "inferred",
                        }
                    )
                )
            );
        }
    }
    if !i.uncovered_lines.is_empty() {
        let _ = writeln!(out, "uncovered lines: {}", lines(&i.uncovered_lines));
    }
    for c in &i.invisible_characters {
        flush(w, &mut out)?;
        let _ = writeln!(
            out,
            "{} invisible character {} ({}) at line {}, column {}",
            paint(pal.indeterminate, "!"),
            c.code_point,
            c.name,
            c.line,
            c.column
        );
    }
    flush(w, &mut out)
}

/// Render `verify`'s report: the verdict on the first line, then a tree.
pub fn report(r: &Report, style: Style) -> String {
    to_string(|w| write_report(w, r, style))
}

/// Write `verify`'s report to `w`, layer by layer.
pub fn write_report(w: &mut dyn io::Write, r: &Report, style: Style) -> io::Result<()> {
    let pal = style.palette();
    let mut out = String::new();
    let verdict = match r.verdict {
        Verdict::Valid => paint(pal.valid, "valid"),
        Verdict::Invalid => paint(pal.invalid, "invalid"),
        Verdict::Indeterminate => paint(pal.indeterminate, "indeterminate"),
    };
    let nsig: usize = r.layers.iter().map(|l| l.signatures.len()).sum();
    let _ = writeln!(
        out,
        "{verdict}: {} ({} layer{}, {} signature{})",
        r.document,
        r.layers.len(),
        if r.layers.len() == 1 { "" } else { "s" },
        nsig,
        if nsig == 1 { "" } else { "s" }
    );
    for p in &r.problems {
        flush(w, &mut out)?;
        let _ = writeln!(
            out,
            "{} {} [{}]{}",
            paint(pal.invalid, "✗"),
            clip(&p.message),
            p.code,
            if p.lines.is_empty() {
                String::new()
            } else {
                format!(" lines {}", lines(&p.lines))
            }
        );
    }
    if let Some(h) = &r.header {
        let _ = writeln!(
            out,
            "{} header  lines {}-{}  {}",
            header_branch(r.layers.len()),
            h.lines[0],
            h.lines[1],
            if h.accepted {
                format!(
                    "{} publication header, covered by no signature",
                    paint(pal.indeterminate, "!")
                )
            } else {
                format!(
                    "{} uncovered text, not a publication header",
                    paint(pal.invalid, "✗")
                )
            }
        );
    }
    let n = r.layers.len();
    for (k, l) in r.layers.iter().enumerate() {
        flush(w, &mut out)?;
        let Node { branch, pad } = node(k, n);
        let status = match l.status {
            LayerStatus::Valid => paint(pal.valid, "✓ valid"),
            LayerStatus::Invalid => paint(pal.invalid, "✗ invalid"),
            LayerStatus::Indeterminate => paint(pal.indeterminate, "? indeterminate"),
            LayerStatus::Unsigned => paint(pal.unsigned, "unsigned"),
        };
        let _ = writeln!(
            out,
            "{branch}layer {} {}  {}  {}",
            l.index,
            paint(pal.heading, l.kind.as_str()),
            l.lines
                .map(|[a, b]| format!("lines {a}-{b}"))
                .unwrap_or_else(|| "not found".to_owned()),
            status
        );
        for c in &l.checks {
            let mark = match c.outcome {
                "ok" => paint(pal.valid, "✓"),
                "fail" => paint(pal.invalid, "✗"),
                "warn" => paint(pal.indeterminate, "!"),
                _ => paint(pal.indeterminate, "?"),
            };
            let _ = writeln!(out, "{pad}{mark} {}: {}", c.check, clip(&c.detail));
        }
        for s in &l.signatures {
            let mark = match s.status {
                SigStatus::Valid => paint(pal.valid, "✓"),
                SigStatus::Invalid => paint(pal.invalid, "✗"),
                SigStatus::Indeterminate => paint(pal.indeterminate, "?"),
            };
            flush(w, &mut out)?;
            let mut who = s.signer.clone();
            if let Some(t) = &s.title {
                who.push_str(&format!(", {t}"));
            }
            let _ = writeln!(
                out,
                "{pad}{mark} signature: {} [key {}] {}, signed {}{}",
                clip(&who),
                clip(&s.key_id),
                s.commitment,
                clip(&s.signed_on),
                clip(
                    &s.letter_date
                        .as_ref()
                        .map(|d| format!(", letter dated {d}"))
                        .unwrap_or_default()
                )
            );
            if let Some(c) = &s.certificate {
                let _ = writeln!(
                    out,
                    "{pad}  {}",
                    clip(&format!(
                        "certified by {} (path: {})",
                        c.certified_by,
                        c.chain.join(" → ")
                    ))
                );
            }
            if let Some(t) = &s.timestamp {
                let _ = writeln!(
                    out,
                    "{pad}  {}",
                    clip(&format!(
                        "time proven: the signature existed at {} (timestamp by {}, trusted root {}); the signing date {} is the signer's claim",
                        t.proven_time, t.tsa, t.tsa_root, s.signed_on
                    ))
                );
            }
            if s.status == SigStatus::Valid {
                let vouched = match s.vouched_by {
                    crate::verify::VouchedBy::Certificate => "certificate",
                    _ => "key trusted and",
                };
                let _ = writeln!(
                    out,
                    "{pad}  {}",
                    paint(
                        pal.dim,
                        &clip(&format!(
                            "{vouched} valid on {}; identity matches the \"(Signed)\" line{}",
                            s.dates_checked.join(" and "),
                            s.reason
                                .as_ref()
                                .map(|r| format!("; {r}"))
                                .unwrap_or_default()
                        ))
                    )
                );
            } else if let Some(reason) = &s.reason {
                let _ = writeln!(out, "{pad}  {}", clip(reason));
            }
        }
        for p in &l.problems {
            flush(w, &mut out)?;
            let mark = if p.code == "missing-signature" {
                paint(pal.indeterminate, "?")
            } else {
                paint(pal.invalid, "✗")
            };
            let _ = writeln!(
                out,
                "{pad}{mark} {} [{}]{}",
                clip(&p.message),
                p.code,
                if p.lines.is_empty() {
                    String::new()
                } else {
                    format!(", line {}", lines(&p.lines))
                }
            );
            if let Some(t) = &p.found_text {
                for line in t.lines().take(6) {
                    let _ = writeln!(out, "{pad}    {} {}", paint(pal.invalid, "+"), clip(line));
                }
            }
        }
    }
    if !r.uncovered_lines.is_empty() {
        let _ = writeln!(out, "uncovered lines: {}", lines(&r.uncovered_lines));
    }
    for p in &r.warnings {
        flush(w, &mut out)?;
        let _ = writeln!(
            out,
            "{} {} [{}]{}",
            if r.strict {
                paint(pal.invalid, "✗")
            } else {
                paint(pal.indeterminate, "!")
            },
            clip(&p.message),
            p.code,
            if p.lines.is_empty() {
                String::new()
            } else {
                format!(" lines {}", lines(&p.lines))
            }
        );
    }
    // Advice never changes the verdict, `--strict` included.
    for p in &r.advice {
        flush(w, &mut out)?;
        let _ = writeln!(out, "note: {} [{}]", clip(&p.message), p.code);
    }
    if let Some(store) = &r.trust_store {
        let _ = writeln!(out, "trust store: {store}");
    }
    flush(w, &mut out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` nested layers: `(Signed) X` lines under `Annex` headings.
    fn nested(n: usize) -> String {
        let mut t = String::from("(Signed) X\n\n");
        for _ in 1..n {
            t.push_str("Annex\n\n(Signed) X\n\n");
        }
        t
    }

    fn report_of(text: &str) -> Report {
        let doc = crate::canonical::canonicalize_str(text);
        let s = crate::parser::propose(&doc);
        let f = crate::sigfile::SignatureFile {
            profile: crate::canonical::PROFILE.to_owned(),
            layers: crate::sign::records_from_structure(&doc, &s),
        };
        crate::verify::verify(
            "d.md",
            text.as_bytes(),
            "d.md.sig.json",
            f.to_json().as_bytes(),
            &crate::trust::TrustStore::default(),
            crate::verify::Options {
                strict: false,
                skip_parser_check: false,
                today: None,
                ..Default::default()
            },
        )
        .unwrap()
    }

    fn longest_line(s: &str) -> usize {
        s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
    }

    #[test]
    fn lists_and_texts_are_cut_with_a_count() {
        let r: Vec<[u32; 2]> = (1..=40).map(|k| [2 * k, 2 * k]).collect();
        let s = lines(&r);
        assert!(s.starts_with("2, 4, 6"), "{s}");
        assert!(s.ends_with(", … (24 more)"), "{s}");
        assert_eq!(lines(&r[..3]), "2, 4, 6");
        assert_eq!(lines(&[[3, 8]]), "3-8");
        let long = "é".repeat(MAX_TEXT_CHARS + 5);
        let c = clip(&long);
        assert!(c.ends_with("… (5 more characters)"), "{c}");
        assert_eq!(c.chars().filter(|&ch| ch == 'é').count(), MAX_TEXT_CHARS);
        assert_eq!(clip("short"), "short");
    }

    #[test]
    fn deep_nesting_stops_indenting_and_says_the_depth() {
        let text = nested(30);
        let i = crate::inspect::inspect("d.md", text.as_bytes()).unwrap();
        assert_eq!(i.layers.len(), 30);
        let out = inspection(&i, Style::default());
        let deep = "   ".repeat(MAX_INDENT_DEPTH);
        assert!(out.contains(&format!("\n{deep}└─ layer 8 annex")), "{out}");
        assert!(out.contains(&format!("\n{deep}└─ [depth 9] layer 9 annex")));
        assert!(out.contains(&format!("\n{deep}   │ signatories: X")));
        assert!(out.contains(&format!("\n{deep}└─ [depth 29] layer 29 annex")));
        assert!(longest_line(&out) < 120, "{out}");
        let r = report_of(&text);
        assert_eq!(r.layers.len(), 30);
        let out = report(&r, Style::default());
        assert!(
            out.contains(&format!("\n{deep}└─ [depth 9] layer 9 annex")),
            "{out}"
        );
        assert!(longest_line(&out) < 200, "{out}");
    }

    #[test]
    fn a_bar_joins_each_layer_to_the_one_it_encloses() {
        let out = report(&report_of(&nested(3)), Style::default());
        let lines: Vec<&str> = out.lines().collect();
        let at = |prefix: &str| {
            lines
                .iter()
                .position(|l| l.starts_with(prefix))
                .unwrap_or_else(|| panic!("no line {prefix:?} in\n{out}"))
        };
        let (l0, l1, l2) = (
            at("└─ layer 0 "),
            at("   └─ layer 1 "),
            at("      └─ layer 2 "),
        );
        assert!(l0 < l1 && l1 < l2, "{out}");
        // Every line between a layer and the one it encloses carries the bar under its branch.
        assert!(
            lines[l0 + 1..l1].iter().all(|l| l.starts_with("   │ ")),
            "{out}"
        );
        assert!(
            lines[l1 + 1..l2].iter().all(|l| l.starts_with("      │ ")),
            "{out}"
        );
        // The innermost layer encloses nothing: its lines have no bar, in the same column.
        assert!(lines[l2 + 1].starts_with("           ") && !lines[l2 + 1].contains('│'));
        assert!(!out.contains("├─ layer"), "{out}");
    }

    #[test]
    fn output_grows_linearly_with_the_layers() {
        let per_layer = |n: usize| {
            let text = nested(n);
            let i = crate::inspect::inspect("d.md", text.as_bytes()).unwrap();
            let r = report_of(&text);
            let a = inspection(&i, Style::default()).len();
            let b = report(&r, Style::default()).len();
            let mut streamed = Vec::new();
            write_report(&mut streamed, &r, Style::default()).unwrap();
            assert_eq!(streamed.len(), b);
            (a / n, b / n)
        };
        let (i200, r200) = per_layer(200);
        let (i800, r800) = per_layer(800);
        // Bytes per layer do not grow with the depth (a little slack for longer numbers).
        assert!(
            i800 <= i200 + 16,
            "inspect {i200} -> {i800} bytes per layer"
        );
        assert!(r800 <= r200 + 16, "verify {r200} -> {r800} bytes per layer");
        assert!(r800 < 1000 && i800 < 1000, "{r800} {i800}");
    }
}
