//! A document that is not text: what kind of file it is, recognised by its first bytes, and the
//! message both shells give for it (the command line's advice and the browser page's, which must
//! be the same). A PDF, an office file, an archive, an image, UTF-16 text or other binary data.

use std::path::{Path, PathBuf};

/// How many leading bytes are looked at to recognise a file.
pub const SNIFF_BYTES: usize = 8192;

/// What kind of non-text file a document turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binary {
    /// A PDF file.
    Pdf,
    /// A Word document (DOCX).
    Docx,
    /// An OpenDocument file (ODT).
    Odt,
    /// Another ZIP archive.
    Zip,
    /// An old Microsoft Office file (Word 97-2003).
    OldOffice,
    /// A gzip-compressed file.
    Gzip,
    /// A PNG image.
    Png,
    /// A JPEG image.
    Jpeg,
    /// UTF-16 text (a byte-order mark).
    Utf16,
    /// NUL bytes in the first [`SNIFF_BYTES`] and not UTF-8.
    Other,
}

impl Binary {
    /// A kind recognised by its magic bytes is refused whatever follows; the others only when the
    /// bytes are not UTF-8 (valid UTF-8 with control characters is text, reported as such).
    pub fn by_magic(self) -> bool {
        !matches!(self, Binary::Utf16 | Binary::Other)
    }
}

/// Recognise a file by its first bytes.
pub fn sniff(prefix: &[u8]) -> Option<Binary> {
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

/// The error for a document that is a `kind` file; `offset`: its first byte that is not UTF-8.
pub fn binary_message(path: &Path, kind: Binary, offset: Option<u64>) -> String {
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

/// The offset of the first byte of `bytes` that is not UTF-8, if any.
fn invalid_offset(bytes: &[u8]) -> Option<u64> {
    std::str::from_utf8(bytes)
        .err()
        .map(|e| e.valid_up_to() as u64)
}

/// Why a document is not text, with advice fitting what it is, or `None` for text. Cheap for
/// text: only the first [`SNIFF_BYTES`] are looked at unless they look binary.
pub fn document_problem(path: &Path, bytes: &[u8]) -> Option<String> {
    let kind = sniff(bytes)?;
    let offset = invalid_offset(bytes);
    (kind.by_magic() || offset.is_some()).then(|| binary_message(path, kind, offset))
}
