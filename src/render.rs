//! Human-readable renderings of reports (the binary prints them; the library only builds strings).
//!
//! Colour is a parameter: the binary decides (a terminal, `--color`, `NO_COLOR`). Marks: `✓` passed,
//! `✗` failed, `?` not determined, `!` warning.

use crate::inspect::Inspection;
use crate::verify::{LayerStatus, Report, SigStatus, Verdict};
use std::fmt::Write as _;

/// Rendering style.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    fn ok(&self, s: &str) -> String {
        self.paint("32", s)
    }
    fn bad(&self, s: &str) -> String {
        self.paint("31;1", s)
    }
    fn warn(&self, s: &str) -> String {
        self.paint("33", s)
    }
    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
}

fn short(hex: &str) -> &str {
    hex.get(..12).unwrap_or(hex)
}

fn lines(r: &[[u32; 2]]) -> String {
    r.iter()
        .map(|[a, b]| {
            if a == b {
                format!("{a}")
            } else {
                format!("{a}-{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Render `inspect`'s tree.
pub fn inspection(i: &Inspection, style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({} layer{}, profile {})",
        style.bold(&i.document),
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
            "├─ header  lines {}-{}  {}{}",
            h.lines[0],
            h.lines[1],
            style.dim("(publication header, not part of any layer)"),
            if bits.is_empty() {
                String::new()
            } else {
                format!("  {}", bits.join(", "))
            }
        );
    }
    let n = i.layers.len();
    for (k, l) in i.layers.iter().enumerate() {
        let indent = "   ".repeat(k);
        let branch = if k + 1 == n { "└─" } else { "├─" };
        let _ = writeln!(
            out,
            "{indent}{branch} layer {} {}  lines {}-{}{}",
            l.index,
            style.bold(l.kind),
            l.lines[0],
            l.lines[1],
            if l.confidence == crate::parser::Confidence::Inferred && k > 0 {
                format!("  {}", style.warn("(boundary inferred)"))
            } else {
                String::new()
            }
        );
        let pad = format!("{indent}   ");
        if let Some(t) = &l.title {
            let _ = writeln!(out, "{pad}title:       {t}");
        }
        let _ = writeln!(
            out,
            "{pad}signatories: {}",
            if l.signatories.is_empty() {
                style.dim("none")
            } else {
                l.signatories.join(", ")
            }
        );
        let _ = writeln!(
            out,
            "{pad}date:        {}",
            l.date.clone().unwrap_or_else(|| style.dim("none"))
        );
        if let Some(lang) = &l.original_language {
            let _ = writeln!(out, "{pad}original:    {lang}");
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
                style.dim(&format!(
                    "· {} {:?} by {} at {}:{} ({})",
                    e.what,
                    e.value,
                    e.cue,
                    e.line,
                    e.column,
                    match e.confidence {
                        crate::parser::Confidence::Certain => "certain",
                        crate::parser::Confidence::Inferred => "inferred",
                    }
                ))
            );
        }
    }
    if !i.uncovered_lines.is_empty() {
        let _ = writeln!(out, "uncovered lines: {}", lines(&i.uncovered_lines));
    }
    for c in &i.invisible_characters {
        let _ = writeln!(
            out,
            "{} invisible character {} ({}) at line {}, column {}",
            style.warn("!"),
            c.code_point,
            c.name,
            c.line,
            c.column
        );
    }
    out
}

/// Render `verify`'s report: the verdict on the first line, then a tree.
pub fn report(r: &Report, style: Style) -> String {
    let mut out = String::new();
    let verdict = match r.verdict {
        Verdict::Valid => style.ok("valid"),
        Verdict::Invalid => style.bad("invalid"),
        Verdict::Indeterminate => style.warn("indeterminate"),
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
        let _ = writeln!(
            out,
            "{} {} [{}]{}",
            style.bad("✗"),
            p.message,
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
            "├─ header  lines {}-{}  {}",
            h.lines[0],
            h.lines[1],
            if h.accepted {
                format!(
                    "{} publication header, covered by no signature",
                    style.warn("!")
                )
            } else {
                format!(
                    "{} uncovered text, not a publication header",
                    style.bad("✗")
                )
            }
        );
    }
    let n = r.layers.len();
    for (k, l) in r.layers.iter().enumerate() {
        let indent = "   ".repeat(k);
        let branch = if k + 1 == n { "└─" } else { "├─" };
        let status = match l.status {
            LayerStatus::Valid => style.ok("✓ valid"),
            LayerStatus::Invalid => style.bad("✗ invalid"),
            LayerStatus::Indeterminate => style.warn("? indeterminate"),
            LayerStatus::Unsigned => style.dim("unsigned"),
        };
        let _ = writeln!(
            out,
            "{indent}{branch} layer {} {}  {}  {}",
            l.index,
            style.bold(l.kind.as_str()),
            l.lines
                .map(|[a, b]| format!("lines {a}-{b}"))
                .unwrap_or_else(|| "not found".to_owned()),
            status
        );
        let pad = format!("{indent}   ");
        for c in &l.checks {
            let mark = match c.outcome {
                "ok" => style.ok("✓"),
                "fail" => style.bad("✗"),
                "warn" => style.warn("!"),
                _ => style.warn("?"),
            };
            let _ = writeln!(out, "{pad}{mark} {}: {}", c.check, c.detail);
        }
        for s in &l.signatures {
            let mark = match s.status {
                SigStatus::Valid => style.ok("✓"),
                SigStatus::Invalid => style.bad("✗"),
                SigStatus::Indeterminate => style.warn("?"),
            };
            let mut who = s.signer.clone();
            if let Some(t) = &s.title {
                who.push_str(&format!(", {t}"));
            }
            let _ = writeln!(
                out,
                "{pad}{mark} signature: {who} [key {}] {}, signed {}{}",
                s.key_id,
                s.commitment,
                s.signed_on,
                s.letter_date
                    .as_ref()
                    .map(|d| format!(", letter dated {d}"))
                    .unwrap_or_default()
            );
            if s.status == SigStatus::Valid {
                let _ = writeln!(
                    out,
                    "{pad}  {}",
                    style.dim(&format!(
                        "key trusted and valid on {}; identity matches the \"(Signed)\" line{}",
                        s.dates_checked.join(" and "),
                        s.reason
                            .as_ref()
                            .map(|r| format!("; {r}"))
                            .unwrap_or_default()
                    ))
                );
            } else if let Some(reason) = &s.reason {
                let _ = writeln!(out, "{pad}  {reason}");
            }
        }
        for p in &l.problems {
            let mark = if p.code == "missing-signature" {
                style.warn("?")
            } else {
                style.bad("✗")
            };
            let _ = writeln!(
                out,
                "{pad}{mark} {} [{}]{}",
                p.message,
                p.code,
                if p.lines.is_empty() {
                    String::new()
                } else {
                    format!(", line {}", lines(&p.lines))
                }
            );
            if let Some(t) = &p.found_text {
                for line in t.lines().take(6) {
                    let _ = writeln!(out, "{pad}    {} {}", style.bad("+"), line);
                }
            }
        }
    }
    if !r.uncovered_lines.is_empty() {
        let _ = writeln!(out, "uncovered lines: {}", lines(&r.uncovered_lines));
    }
    for w in &r.warnings {
        let _ = writeln!(
            out,
            "{} {} [{}]{}",
            if r.strict {
                style.bad("✗")
            } else {
                style.warn("!")
            },
            w.message,
            w.code,
            if w.lines.is_empty() {
                String::new()
            } else {
                format!(" lines {}", lines(&w.lines))
            }
        );
    }
    out
}
