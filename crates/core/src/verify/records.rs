//! The signature file against itself and against the signed text: it must parse strictly, use
//! the canonical profile this version verifies, record chain digests that agree with its parts,
//! and record lengths and tails that are those of the text they name (docs/FORMAT.md §7).

use super::codes::ProblemCode;
use super::report::Problem;
use crate::format::canonical;
use crate::format::chain::{chain_digest, Beneath};
use crate::format::sigfile::{self, ParseFailure, SignatureFile};
use std::ops::Range;

/// Parses the signature file strictly and checks its profile: a file this version cannot verify
/// is one problem (`malformed-signature-file` or `profile-mismatch`). The profile found, if any,
/// comes back in either case.
pub(crate) fn read(
    sig_name: &str,
    sig_bytes: &[u8],
) -> Result<SignatureFile, (Option<String>, Problem)> {
    let file = match SignatureFile::from_json(sig_bytes) {
        Ok(f) => f,
        Err(ParseFailure::UnsupportedFormat(found)) => {
            return Err((
                None,
                Problem::new(
                    ProblemCode::MalformedSignatureFile,
                    format!(
                        "{sig_name}: unsupported format {found:?}; this version reads {:?} (an older or newer format is not accepted)",
                        sigfile::FORMAT
                    ),
                ),
            ))
        }
        Err(ParseFailure::Malformed(m)) => {
            return Err((
                None,
                Problem::new(ProblemCode::MalformedSignatureFile, format!("{sig_name}: {m}")),
            ))
        }
    };
    if file.profile != canonical::PROFILE {
        return Err((
            Some(file.profile.clone()),
            Problem::new(
                ProblemCode::ProfileMismatch,
                format!(
                    "{sig_name} uses canonical text profile {:?}; this version verifies {:?} only",
                    file.profile,
                    canonical::PROFILE
                ),
            ),
        ));
    }
    Ok(file)
}

/// The recorded chain digests must agree with the recorded parts; the first that does not is
/// `malformed-signature-file`.
pub(crate) fn check_chain(sig_name: &str, file: &SignatureFile) -> Result<(), Problem> {
    let n = file.layers.len();
    for i in 0..n {
        let beneath = (i + 1 < n).then(|| Beneath {
            markers: file.layers[i + 1].markers.root,
            chain: file.layers[i + 1].chain,
        });
        if chain_digest(
            canonical::PROFILE,
            &file.layers[i].content.root,
            beneath.as_ref(),
        ) != file.layers[i].chain
        {
            return Err(Problem::new(
                ProblemCode::MalformedSignatureFile,
                format!("{sig_name}: layers[{i}].chain_sha256 does not match the parts it records (the file was edited)"),
            ));
        }
    }
    Ok(())
}

/// Lengths and tails are recomputed and compared too (FORMAT.md §7): where the text is the
/// signed text (the part did not change), they must be its length and tail; a file that says
/// otherwise was edited (`malformed-signature-file`).
pub(crate) fn check_lengths(
    sig_name: &str,
    file: &SignatureFile,
    text: &str,
    spans: &[(Range<usize>, Range<usize>)],
    content_changed: &[bool],
    markers_changed: &[bool],
) -> Result<(), Problem> {
    for (i, layer) in file.layers.iter().enumerate() {
        for (what, range, rec, changed) in [
            ("content", &spans[i].1, &layer.content, content_changed[i]),
            (
                "markers",
                &spans[i].0,
                &layer.markers,
                i > 0 && markers_changed[i],
            ),
        ] {
            if changed || (i == 0 && what == "markers") {
                continue;
            }
            let part = &text[range.clone()];
            if part.len() as u64 != rec.bytes || sigfile::tail_of(part) != rec.tail {
                return Err(Problem::new(
                    ProblemCode::MalformedSignatureFile,
                    format!(
                        "{sig_name}: layers[{i}].{what} records {} bytes (tail {}) but the signed text it names is {} bytes (tail {}): the file was edited",
                        rec.bytes,
                        rec.tail,
                        part.len(),
                        sigfile::tail_of(part)
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::testutil;

    #[test]
    fn an_unreadable_file_or_another_profile_is_one_problem() {
        let (_, p) = read("s.json", b"{").unwrap_err();
        assert_eq!(p.code, ProblemCode::MalformedSignatureFile);
        let json = testutil::unsigned_file("Letter\n").to_json();
        let other = json.replacen(canonical::PROFILE, "transmittal-text-v0", 1);
        let (found, p) = read("s.json", other.as_bytes()).unwrap_err();
        assert_eq!(p.code, ProblemCode::ProfileMismatch);
        assert_eq!(found.as_deref(), Some("transmittal-text-v0"));
        assert!(read("s.json", json.as_bytes()).is_ok());
    }

    #[test]
    fn a_recorded_chain_or_length_that_disagrees_is_an_edited_file() {
        let mut file = testutil::unsigned_file("Letter\n");
        assert!(check_chain("s", &file).is_ok());
        let spans = [(0..0, 0..7)];
        assert!(check_lengths("s", &file, "Letter\n", &spans, &[false], &[false]).is_ok());
        file.layers[0].content.bytes = 6;
        let p = check_lengths("s", &file, "Letter\n", &spans, &[false], &[false]).unwrap_err();
        assert_eq!(p.code, ProblemCode::MalformedSignatureFile);
        // A changed part is reported as changed, not as an edited file.
        assert!(check_lengths("s", &file, "Letter\n", &spans, &[true], &[false]).is_ok());
        file.layers[0].chain[0] ^= 1;
        assert_eq!(
            check_chain("s", &file).unwrap_err().code,
            ProblemCode::MalformedSignatureFile
        );
    }
}
