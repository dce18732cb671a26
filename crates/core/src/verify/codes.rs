//! The problem codes a verification report can carry, one table: the code, its level and what
//! it means. `docs/FORMAT.md` §9.6 documents the same table (a test keeps both equal), and the
//! verifier emits no code that is not listed here (a test reads `src/verify.rs`).

use serde::Serialize;

/// How a problem code weighs on the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The document is `invalid`.
    Invalid,
    /// The document is `indeterminate` (unless something makes it `invalid`).
    Indeterminate,
    /// A warning: `--strict` makes it a failure.
    Warning,
    /// Advice: never changes a verdict, `--strict` included.
    Advice,
}

impl Level {
    /// The level as written in `docs/FORMAT.md` §9.6.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Invalid => "invalid",
            Level::Indeterminate => "indeterminate",
            Level::Warning => "warning",
            Level::Advice => "advice",
        }
    }
}

/// Every problem code of a verification report: (code, level, meaning), in the order of
/// `docs/FORMAT.md` §9.6.
pub const CODES: &[(&str, Level, &str)] = &[
    (
        "malformed-signature-file",
        Level::Invalid,
        "the signature file is not valid JSON of this format, an unknown/older format, internally inconsistent, or holds two records by one key on one layer",
    ),
    (
        "profile-mismatch",
        Level::Invalid,
        "the file uses a canonical profile this version does not verify",
    ),
    (
        "content-changed",
        Level::Invalid,
        "signed lines of a layer changed (lines named; found text shown)",
    ),
    (
        "lines-added",
        Level::Invalid,
        "unsigned text inside or after a layer",
    ),
    (
        "lines-removed",
        Level::Invalid,
        "signed lines are missing",
    ),
    (
        "markers-changed",
        Level::Invalid,
        "the container markers around a layer changed (reported on the layer whose signer added them)",
    ),
    (
        "kind-mismatch",
        Level::Invalid,
        "the recorded kind disagrees with the markers",
    ),
    (
        "layer-missing",
        Level::Invalid,
        "a whole layer is gone (stripped), or a signature was made over a layer beneath that is gone",
    ),
    (
        "layer-added",
        Level::Invalid,
        "text that reads as an extra layer was inserted, a layer's text is duplicated, or a layer now lies beneath a signature made as innermost",
    ),
    (
        "layers-reordered",
        Level::Invalid,
        "a layer's text is present but moved",
    ),
    (
        "inner-layer-changed",
        Level::Invalid,
        "a layer beneath this signature changed",
    ),
    (
        "chain-mismatch",
        Level::Invalid,
        "a genuine signature made over a different layer beneath (letter moved onto another document, annex swapped)",
    ),
    (
        "inner-signatures-changed",
        Level::Invalid,
        "the signatures beneath are not those the signer saw",
    ),
    (
        "signature-replayed",
        Level::Invalid,
        "a genuine signature made over other content (copied from another layer or document)",
    ),
    (
        "bad-signature",
        Level::Invalid,
        "Ed25519 verification failed (forged, damaged, non-canonical, small-order)",
    ),
    (
        "unknown-key",
        Level::Indeterminate,
        "no trust-store entry holds the key",
    ),
    (
        "key-mismatch",
        Level::Invalid,
        "the signer id names a trust-store entry that holds another key",
    ),
    (
        "key-expired",
        Level::Invalid,
        "the signing or letter date is after `valid_until`",
    ),
    (
        "key-not-yet-valid",
        Level::Invalid,
        "the signing or letter date is before `valid_from`",
    ),
    (
        "key-revoked",
        Level::Invalid,
        "the signing or letter date is on or after `revoked_at`",
    ),
    (
        "signed-in-future",
        Level::Invalid,
        "the signing date is more than one day after the verification date (§9.5)",
    ),
    (
        "signer-mismatch",
        Level::Invalid,
        "the key's identity does not match the statement's signatory or any \"(Signed)\" mark of the layer (§6.5)",
    ),
    (
        "missing-signature",
        Level::Indeterminate,
        "a \"(Signed)\" mark names someone with no valid signature on the layer (§6.5)",
    ),
    (
        "uncovered-text",
        Level::Invalid,
        "text before layer 0 that is not an acceptable header (§9.2), or a layer (even an empty one) on and above which no signature record stands (§9.1)",
    ),
    (
        "no-signature",
        Level::Invalid,
        "the signature file holds no signature record (§9.1), or no signature in it is valid while nothing else is reported",
    ),
    (
        "ambiguous-blank-line",
        Level::Invalid,
        "a line blank to the canonical profile but not to a Markdown reader (§9.4)",
    ),
    (
        "ambiguous-character",
        Level::Invalid,
        "a character NFC turns into markup a Markdown reader sees differently (§9.4)",
    ),
    (
        "signature-look-alike",
        Level::Invalid,
        "a signed line that reads as a \"(Signed)\" line but is no signature mark (§6.6)",
    ),
    (
        "uncovered-header",
        Level::Warning,
        "a publication header matching §9.3, covered by no signature",
    ),
    (
        "invisible-characters",
        Level::Warning,
        "invisible or bidirectional controls in signed text (§2.2)",
    ),
    (
        "hidden-text",
        Level::Warning,
        "signed text a Markdown reader does not see (§9.4)",
    ),
    (
        "pinpointing-limited",
        Level::Advice,
        "a change was pinpointed only up to a fixed work limit (docs/SECURITY.md, \"Bounds\"): every change is still reported, some as larger hunks; never changes a verdict",
    ),
    (
        "parser-disagrees",
        Level::Advice,
        "today's parser reads the structure differently from the signature file; never changes a verdict, `--strict` included",
    ),
];

/// Codes that report the consequence of a change found elsewhere (a layer beneath changed, the
/// signatures beneath changed), never a root cause: reports list them after the causes.
pub const CONSEQUENCES: &[&str] = &["inner-layer-changed", "inner-signatures-changed"];

/// Whether `code` only reports the consequence of a change found elsewhere ([`CONSEQUENCES`]).
pub fn is_consequence(code: &str) -> bool {
    CONSEQUENCES.contains(&code)
}

/// The level of a code of [`CODES`].
pub fn level(code: &str) -> Option<Level> {
    CODES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, l, _)| *l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The rows of the table of `docs/FORMAT.md` §9.6: (code, level, meaning).
    fn format_table() -> Vec<(String, String, String)> {
        let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/FORMAT.md"));
        let start = text.find("### 9.6 Codes").expect("§9.6 present");
        let rest = &text[start..];
        let end = rest.find("\n## ").expect("a section after §9.6");
        rest[..end]
            .lines()
            .filter(|l| l.starts_with("| `"))
            .map(|l| {
                let cells: Vec<&str> = l.trim().trim_matches('|').split(" | ").collect();
                (
                    cells[0].trim().trim_matches('`').to_owned(),
                    cells[1].trim().to_owned(),
                    cells[2..].join(" | ").trim().to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn the_table_equals_the_one_in_format_md() {
        let doc = format_table();
        let ours: Vec<(String, String, String)> = CODES
            .iter()
            .map(|(c, l, m)| (c.to_string(), l.as_str().to_owned(), m.to_string()))
            .collect();
        assert_eq!(ours, doc);
        let distinct: BTreeSet<&str> = CODES.iter().map(|(c, _, _)| *c).collect();
        assert_eq!(distinct.len(), CODES.len(), "each code documented once");
    }

    /// The kebab-case literals `src/verify.rs` (outside its tests) gives as problem codes:
    /// `Problem::new("…"`, `codes.push("…"`, the branches of `codes.push(if … { "…" }` and the
    /// first element of a tuple written one element a line.
    fn emitted_codes() -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for src in [
            include_str!("mod.rs"),
            include_str!("records.rs"),
            include_str!("layout.rs"),
            include_str!("signatures.rs"),
            include_str!("dates.rs"),
            include_str!("identity.rs"),
            include_str!("coverage.rs"),
            include_str!("header.rs"),
            include_str!("hidden.rs"),
            include_str!("verdict.rs"),
        ] {
            emitted_in(src, &mut out);
        }
        out
    }

    fn emitted_in(src: &str, out: &mut BTreeSet<String>) {
        let src = &src[..src.find("#[cfg(test)]").unwrap_or(src.len())];
        for anchor in ["Problem::new(", "codes.push("] {
            for (i, _) in src.match_indices(anchor) {
                // The statement up to its end: every literal in it that looks like a code.
                let tail = &src[i + anchor.len()..];
                let stmt = &tail[..tail.find(");").unwrap_or(tail.len()).min(400)];
                let head = stmt.split(',').next().unwrap_or("");
                let scope = if anchor == "codes.push(" { stmt } else { head };
                for lit in scope.split('"').skip(1).step_by(2) {
                    if !lit.is_empty()
                        && lit.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                        && lit.contains('-')
                    {
                        out.insert(lit.to_owned());
                    }
                }
            }
        }
        // Codes chosen in a tuple written on one line (`=> ("layer-added", …)`).
        for (i, _) in src.match_indices("=> (\"") {
            let lit = src[i + 5..].split('"').next().unwrap_or("");
            if lit.chars().all(|c| c.is_ascii_lowercase() || c == '-') && lit.contains('-') {
                out.insert(lit.to_owned());
            }
        }
        // Codes chosen in a tuple first (`(\n "lines-added",\n message, layer)`).
        let lines: Vec<&str> = src.lines().map(str::trim).collect();
        for w in lines.windows(2) {
            if let (true, Some(lit)) = (
                w[0].ends_with('('),
                w[1].strip_prefix('"').and_then(|l| l.strip_suffix("\",")),
            ) {
                if lit.chars().all(|c| c.is_ascii_lowercase() || c == '-') && lit.contains('-') {
                    out.insert(lit.to_owned());
                }
            }
        }
    }

    #[test]
    fn the_verifier_emits_exactly_the_codes_of_the_table() {
        let emitted = emitted_codes();
        let table: BTreeSet<String> = CODES.iter().map(|(c, _, _)| c.to_string()).collect();
        assert!(emitted.len() > 20, "the scan found the codes: {emitted:?}");
        assert_eq!(emitted, table);
    }

    #[test]
    fn consequences_are_codes_and_levels_are_found() {
        for c in CONSEQUENCES {
            assert_eq!(level(c), Some(Level::Invalid));
            assert!(is_consequence(c));
        }
        assert!(!is_consequence("content-changed"));
        assert_eq!(level("parser-disagrees"), Some(Level::Advice));
        assert_eq!(level("no-such-code"), None);
    }
}
