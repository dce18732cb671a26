//! What the command line checks before it calls the core, with its messages and `--json` codes:
//! the size limits of its reads, the advice for a binary file given as a document, and the codes
//! of input errors.
//!
//! These mirror the command-line crate (`src/io/fsutil.rs`, `src/cli/advice.rs`,
//! `src/cli/errors.rs`), which cannot be a dependency here (it reads files, prompts and starts
//! threads). The equality test compares both on every case it runs, so a change on one side
//! that is not made on the other fails it.

use crate::Failure;
use std::path::{Path, PathBuf};
use transmittal_core::error::InputError;

/// The largest document the command line reads (1 GiB).
pub const MAX_DOCUMENT_BYTES: u64 = 1 << 30;
/// The largest signature file or trust-store entry file the command line reads for `verify`
/// (64 MiB; an entry is further limited by the store to
/// [`transmittal_core::trust::MAX_ENTRY_BYTES`]).
pub const MAX_METADATA_BYTES: u64 = 64 << 20;

/// Refuse `bytes` over `limit`, as the command line's bounded read does.
pub fn check_size(path: &Path, bytes: &[u8], limit: u64) -> Result<(), Failure> {
    if bytes.len() as u64 > limit {
        let e = InputError::TooLarge {
            path: path.to_path_buf(),
            limit,
        };
        return Err(Failure::new(input_code(&e), e.to_string()));
    }
    Ok(())
}

/// The stable `--json` code of an input error (as the command line gives it).
pub fn input_code(e: &InputError) -> &'static str {
    match e {
        InputError::NotUtf8 { .. } => "input-not-utf8",
        InputError::TooLarge { .. } => "input-too-large",
        InputError::Read { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            "input-not-found"
        }
        InputError::Read { source, .. } if source.to_string().contains("not a regular file") => {
            "input-not-regular-file"
        }
        InputError::Read { .. } => "input-unreadable",
        InputError::Invalid(m) if m.contains("not UTF-8") => "input-not-utf8",
        _ => "input-invalid",
    }
}

/// What kind of non-text file a document turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Binary {
    Pdf,
    Docx,
    Odt,
    Zip,
    OldOffice,
    Gzip,
    Png,
    Jpeg,
    Utf16,
    /// NUL bytes in the first [`SNIFF_BYTES`] and not UTF-8.
    Other,
}

impl Binary {
    /// A kind recognised by its magic bytes is refused whatever follows; the others only when
    /// the bytes are not UTF-8.
    fn by_magic(self) -> bool {
        !matches!(self, Binary::Utf16 | Binary::Other)
    }
}

/// How many leading bytes are looked at to recognise a file.
const SNIFF_BYTES: usize = 8192;

fn sniff(prefix: &[u8]) -> Option<Binary> {
    let p = &prefix[..prefix.len().min(SNIFF_BYTES)];
    let contains = |needle: &[u8]| p.windows(needle.len()).any(|w| w == needle);
    Some(if p.starts_with(b"%PDF-") {
        Binary::Pdf
    } else if p.starts_with(b"PK\x03\x04") {
        if contains(b"application/vnd.oasis.opendocument") {
            Binary::Odt
        } else if contains(b"word/") {
            Binary::Docx
        } else {
            Binary::Zip
        }
    } else if p.starts_with(b"\xd0\xcf\x11\xe0") {
        Binary::OldOffice
    } else if p.starts_with(b"\x1f\x8b") {
        Binary::Gzip
    } else if p.starts_with(b"\x89PNG\r\n\x1a\n") {
        Binary::Png
    } else if p.starts_with(b"\xff\xd8\xff") {
        Binary::Jpeg
    } else if p.starts_with(b"\xff\xfe") || p.starts_with(b"\xfe\xff") {
        Binary::Utf16
    } else if p.contains(&0) {
        Binary::Other
    } else {
        return None;
    })
}

/// The file name with `ext` in place of its extension (or after it, if it already has `ext`).
fn with_ext(path: &Path, ext: &str) -> PathBuf {
    let p = path.with_extension(ext);
    if p == path {
        PathBuf::from(format!("{}.{ext}", path.display()))
    } else {
        p
    }
}

fn binary_message(path: &Path, kind: Binary, offset: Option<u64>) -> String {
    let p = path.display();
    let txt = with_ext(path, "txt");
    let txt = txt.display();
    let md = with_ext(path, "md");
    let md = md.display();
    let not_utf8 = offset
        .map(|o| format!(" (not UTF-8 text: invalid byte at offset {o})"))
        .unwrap_or_default();
    const READS: &str = "transmittal reads the text of a document";
    match kind {
        Binary::Pdf => format!("{p} is a PDF file{not_utf8}: {READS}; export it as text or Markdown first (e.g. `pdftotext -layout {p} {txt}`)"),
        Binary::Docx => format!("{p} is a Word document (DOCX){not_utf8}: {READS}; export it as text or Markdown first (e.g. `pandoc {p} -t markdown -o {md}`)"),
        Binary::Odt => format!("{p} is an OpenDocument file (ODT){not_utf8}: {READS}; export it as text or Markdown first (e.g. `pandoc {p} -t markdown -o {md}`)"),
        Binary::Zip => format!("{p} is a ZIP archive{not_utf8}: {READS}; if it is an office document, export it as text or Markdown first (e.g. `pandoc {p} -t markdown -o {md}`); if it is an archive, unpack it (`unzip {p}`) and give the documents in it"),
        Binary::OldOffice => format!("{p} is an old Microsoft Office file (Word 97-2003 .doc or similar){not_utf8}: {READS}; export it as text first (e.g. `soffice --headless --convert-to txt {p}`)"),
        Binary::Gzip => format!("{p} is gzip-compressed{not_utf8}: {READS}; decompress it first (e.g. `gunzip -k {p}`)"),
        Binary::Png | Binary::Jpeg => format!(
            "{p} is a {} image{not_utf8}: {READS}; if it is a scan, recognise its text first (e.g. `tesseract {p} {}`) and check the result against the image",
            if kind == Binary::Png { "PNG" } else { "JPEG" },
            path.with_extension("").display()
        ),
        Binary::Utf16 => format!("{p} is UTF-16 text{not_utf8}; convert the file to UTF-8 first (e.g. `iconv -f UTF-16 -t UTF-8 {p} > {txt}`)"),
        Binary::Other => format!(
            "{p} is not a text file: binary data (NUL bytes in the first 8 KiB{}): {READS}; export it as text or Markdown first",
            offset
                .map(|o| format!("; not UTF-8: invalid byte at offset {o}"))
                .unwrap_or_default()
        ),
    }
}

/// Refuse a document that is not text, with the command line's advice for what it is (code
/// `error`, as the command line gives it).
pub fn check_document(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let Some(kind) = sniff(bytes) else {
        return Ok(());
    };
    let offset = std::str::from_utf8(bytes)
        .err()
        .map(|e| e.valid_up_to() as u64);
    if kind.by_magic() || offset.is_some() {
        return Err(Failure::new("error", binary_message(path, kind, offset)));
    }
    Ok(())
}
