//! The printers of `transmittal audit`: [`AuditSink`]s that write the records of an audit as
//! human lines ([`HumanPrinter`]) or JSON Lines ([`JsonPrinter`]). The formats are described in
//! the [`crate::audit`] module documentation.
//!
//! Both write each record into a buffer they keep (no allocation per record once it has grown to
//! the largest record) and pass it to their writer whole; give them a buffered writer.

use super::palette::{paint, Palette};
use crate::audit::{AuditRecord, AuditSink, AuditSummary, AuditVerdict};
use crate::verify::Report;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Human output: one line per document that is not valid (none for a valid one), naming its root
/// cause, then a summary table. Under `--quiet`, unsigned documents (unless `--require-signed`)
/// and the summary are left out.
#[derive(Debug)]
pub struct HumanPrinter<W> {
    out: W,
    palette: Palette,
    quiet: bool,
    require_signed: bool,
    line: String,
}

impl<W: Write> HumanPrinter<W> {
    /// A printer writing to `out` in `palette`'s colours; `quiet` and `require_signed` as the
    /// options of the same names.
    pub fn new(out: W, palette: Palette, quiet: bool, require_signed: bool) -> HumanPrinter<W> {
        HumanPrinter {
            out,
            palette,
            quiet,
            require_signed,
            line: String::new(),
        }
    }

    /// The writer back.
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> AuditSink for HumanPrinter<W> {
    fn record(&mut self, r: &AuditRecord<'_>) -> io::Result<()> {
        let p = self.palette;
        let path = &r.path;
        let line = &mut self.line;
        line.clear();
        match r.verdict {
            AuditVerdict::Valid => return Ok(()),
            AuditVerdict::Unsigned => {
                if self.quiet && !self.require_signed {
                    return Ok(());
                }
                let style = if self.require_signed {
                    p.invalid
                } else {
                    p.indeterminate
                };
                let _ = writeln!(
                    line,
                    "{path}: {}: {}",
                    paint(style, "unsigned"),
                    r.reason.as_deref().unwrap_or_default()
                );
            }
            AuditVerdict::Error => {
                let _ = writeln!(
                    line,
                    "{path}: {}: {}",
                    paint(p.invalid, "error"),
                    OneLine(r.reason.as_deref().unwrap_or_default())
                );
            }
            AuditVerdict::Invalid | AuditVerdict::Indeterminate => {
                let (code, message) = r.first_issue().unwrap_or(("unknown", String::new()));
                let style = if r.verdict == AuditVerdict::Invalid {
                    p.invalid
                } else {
                    p.indeterminate
                };
                let _ = writeln!(
                    line,
                    "{path}: {}: {code}: {}",
                    paint(style, r.verdict.as_str()),
                    OneLine(&message)
                );
            }
        }
        self.out.write_all(line.as_bytes())
    }

    fn summary(&mut self, s: &AuditSummary) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        self.line.clear();
        human_summary(&mut self.line, s, self.palette);
        self.out.write_all(self.line.as_bytes())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// JSON Lines: a document's record (its `verify --json` report with `type` and `path`, or the
/// short record of an `unsigned` or `error` document), then the summary record.
#[derive(Debug)]
pub struct JsonPrinter<W> {
    out: W,
    buf: Vec<u8>,
}

impl<W: Write> JsonPrinter<W> {
    /// A printer writing to `out`.
    pub fn new(out: W) -> JsonPrinter<W> {
        JsonPrinter {
            out,
            // A report of a three-layer chain is about 3 KB.
            buf: Vec::with_capacity(4096),
        }
    }

    /// The writer back.
    pub fn into_inner(self) -> W {
        self.out
    }

    /// `v` as one line into the buffer, then to the writer.
    fn line<T: Serialize>(&mut self, v: &T) -> serde_json::Result<()> {
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, v)?;
        self.buf.push(b'\n');
        Ok(())
    }

    fn simple(&mut self, path: &str, verdict: AuditVerdict, message: &str) -> io::Result<()> {
        let (error, reason) = match verdict {
            AuditVerdict::Unsigned => (None, Some(message)),
            _ => (Some(message), None),
        };
        if self
            .line(&SimpleRecord {
                schema: crate::schema::AUDIT_RECORD,
                ty: "document",
                path,
                verdict: verdict.as_str(),
                codes: [],
                error,
                reason,
            })
            .is_err()
        {
            // Strings and string lists only: serialization does not fail.
            self.buf.clear();
            self.buf.extend_from_slice(b"{}\n");
        }
        self.out.write_all(&self.buf)
    }
}

impl<W: Write> AuditSink for JsonPrinter<W> {
    fn record(&mut self, r: &AuditRecord<'_>) -> io::Result<()> {
        let path: &str = &r.path;
        match &r.report {
            Some(report) => {
                let rec = DocumentRecord {
                    schema: crate::schema::AUDIT_RECORD,
                    ty: "document",
                    path,
                    report,
                };
                if self.line(&rec).is_err() {
                    let m = format!("{path}: the report could not be written as JSON");
                    return self.simple(path, AuditVerdict::Error, &m);
                }
                self.out.write_all(&self.buf)
            }
            None => self.simple(path, r.verdict, r.reason.as_deref().unwrap_or_default()),
        }
    }

    fn summary(&mut self, s: &AuditSummary) -> io::Result<()> {
        let rec = SummaryRecord {
            schema: crate::schema::AUDIT_SUMMARY,
            ty: "summary",
            documents: s.documents,
            valid: s.valid,
            invalid: s.invalid,
            indeterminate: s.indeterminate,
            unsigned: s.unsigned,
            error: s.error,
            signatures: s.signatures,
            skipped_hidden: s.skipped_hidden,
        };
        self.line(&rec).map_err(io::Error::from)?;
        self.out.write_all(&self.buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// A message on one line: line breaks become spaces.
struct OneLine<'a>(&'a str);

impl std::fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut rest = self.0;
        while let Some(k) = rest.find(['\n', '\r']) {
            f.write_str(&rest[..k])?;
            f.write_char(' ')?;
            rest = &rest[k + 1..];
        }
        f.write_str(rest)
    }
}

#[derive(Serialize)]
struct DocumentRecord<'a> {
    schema: &'static str,
    #[serde(rename = "type")]
    ty: &'static str,
    path: &'a str,
    #[serde(flatten)]
    report: &'a Report,
}

#[derive(Serialize)]
struct SimpleRecord<'a> {
    schema: &'static str,
    #[serde(rename = "type")]
    ty: &'static str,
    path: &'a str,
    verdict: &'static str,
    /// Always empty: no report, no problem code (the same field as in a document's report).
    codes: [&'static str; 0],
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    /// Why an `unsigned` document is unsigned.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct SummaryRecord {
    schema: &'static str,
    #[serde(rename = "type")]
    ty: &'static str,
    documents: u64,
    valid: u64,
    invalid: u64,
    indeterminate: u64,
    unsigned: u64,
    error: u64,
    signatures: u64,
    skipped_hidden: u64,
}

fn human_summary(out: &mut String, s: &AuditSummary, style: Palette) {
    let _ = writeln!(
        out,
        "{} {} document{} ({} signature{}){}",
        paint(style.heading, "audit:"),
        s.documents,
        if s.documents == 1 { "" } else { "s" },
        s.signatures,
        if s.signatures == 1 { "" } else { "s" },
        if s.stopped_early {
            format!(
                "; stopped by --fail-fast, {} not audited",
                s.found.saturating_sub(s.documents)
            )
        } else {
            String::new()
        }
    );
    if s.skipped_hidden > 0 {
        let _ = writeln!(
            out,
            "  {} hidden entr{} skipped (--hidden includes them)",
            s.skipped_hidden,
            if s.skipped_hidden == 1 { "y" } else { "ies" }
        );
    }
    let unsigned_bad = s.require_signed && s.unsigned > 0;
    let rows: [(&str, u64, anstyle::Style); 5] = [
        ("valid", s.valid, style.valid),
        ("invalid", s.invalid, style.invalid),
        ("indeterminate", s.indeterminate, style.indeterminate),
        (
            "unsigned",
            s.unsigned,
            if unsigned_bad {
                style.invalid
            } else {
                style.indeterminate
            },
        ),
        ("error", s.error, style.invalid),
    ];
    for (plain, n, colour) in rows {
        // Only the rows that count something wrong are coloured.
        let colour = if n > 0 && plain != "valid" {
            colour
        } else {
            anstyle::Style::new()
        };
        let pad = " ".repeat(14usize.saturating_sub(plain.len()));
        let _ = writeln!(out, "  {}{pad}{n:>9}", paint(colour, plain));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(verdict: AuditVerdict, reason: &str) -> AuditRecord<'static> {
        AuditRecord {
            path: "a/b.md".into(),
            verdict,
            signatures: 0,
            report: None,
            reason: Some(reason.to_owned()),
        }
    }

    #[test]
    fn human_lines_of_unsigned_and_unreadable_documents() {
        let mut p = HumanPrinter::new(Vec::new(), Palette::PLAIN, false, false);
        p.record(&record(
            AuditVerdict::Unsigned,
            "no signature file a/b.md.sig.json",
        ))
        .unwrap();
        p.record(&record(AuditVerdict::Error, "cannot read\r\nit"))
            .unwrap();
        assert_eq!(
            String::from_utf8(p.into_inner()).unwrap(),
            "a/b.md: unsigned: no signature file a/b.md.sig.json\na/b.md: error: cannot read  it\n"
        );
        // Quiet: unsigned documents are left out unless they are failures.
        let mut p = HumanPrinter::new(Vec::new(), Palette::PLAIN, true, false);
        p.record(&record(AuditVerdict::Unsigned, "x")).unwrap();
        p.summary(&AuditSummary::default()).unwrap();
        assert!(p.into_inner().is_empty());
        let mut p = HumanPrinter::new(Vec::new(), Palette::COLOR, true, true);
        p.record(&record(AuditVerdict::Unsigned, "x")).unwrap();
        assert_eq!(
            String::from_utf8(p.into_inner()).unwrap(),
            "a/b.md: \x1b[1m\x1b[31munsigned\x1b[0m: x\n"
        );
    }

    #[test]
    fn json_lines_of_unsigned_and_unreadable_documents() {
        let mut p = JsonPrinter::new(Vec::new());
        p.record(&record(AuditVerdict::Unsigned, "none")).unwrap();
        p.record(&record(AuditVerdict::Error, "bad")).unwrap();
        let out = String::from_utf8(p.into_inner()).unwrap();
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["verdict"], "unsigned");
        assert_eq!(lines[0]["reason"], "none");
        assert!(lines[0].get("error").is_none());
        assert_eq!(lines[1]["verdict"], "error");
        assert_eq!(lines[1]["error"], "bad");
        assert_eq!(lines[1]["codes"], serde_json::json!([]));
    }

    #[test]
    fn summary_table() {
        let s = AuditSummary {
            documents: 3,
            valid: 1,
            invalid: 1,
            unsigned: 1,
            signatures: 2,
            found: 5,
            stopped_early: true,
            ..AuditSummary::default()
        };
        let mut out = String::new();
        human_summary(&mut out, &s, Palette::PLAIN);
        assert_eq!(
            out,
            "audit: 3 documents (2 signatures); stopped by --fail-fast, 2 not audited\n  \
             valid                 1\n  invalid               1\n  indeterminate         0\n  \
             unsigned              1\n  error                 0\n"
        );
    }
}
