//! Discovery: which documents an audit checks. Named files, directories walked with walkdir (no
//! symbolic links out of the tree, hidden entries skipped unless asked), `-` for a list of paths
//! on standard input; sorted by path, each once (the rules: the module documentation of
//! [`crate::audit`]).

use crate::error::{Error, InputError};
use crate::sigfile;
use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// File-name suffix of signature files.
pub const SIG_SUFFIX: &str = ".sig.json";

/// Extensions (compared case-insensitively) of files counted as `unsigned` documents when they
/// have no signature file. Other files without a signature file are not documents.
pub const TEXT_EXTENSIONS: [&str; 4] = ["md", "markdown", "txt", "text"];

/// What discovery found at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FoundKind {
    /// A document with its signature file (the path + [`SIG_SUFFIX`]).
    Signed,
    /// A document without a signature file.
    Unsigned,
    /// Something that should be a document but cannot be read as one; the message names it.
    Unreadable(Box<str>),
}

/// One document found by [`discover`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The document's path (as named, or joined below a named directory). Boxed: an archive's
    /// list of paths is the one thing an audit holds for every document at once.
    pub path: Box<Path>,
    /// What was found.
    pub kind: FoundKind,
}

impl Found {
    fn new(path: PathBuf, kind: FoundKind) -> Found {
        Found {
            path: path.into_boxed_path(),
            kind,
        }
    }
    fn error(path: PathBuf, message: String) -> Found {
        Found {
            path: path.into_boxed_path(),
            kind: FoundKind::Unreadable(message.into_boxed_str()),
        }
    }
}

/// Options of [`discover_with`].
#[derive(Debug, Clone, Copy, Default)]
pub struct DiscoverOptions {
    /// Paths on `input` are separated by NUL bytes instead of newlines.
    pub null: bool,
    /// Walk hidden entries too.
    pub hidden: bool,
}

/// What [`discover_with`] found.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// The documents, sorted by path, each once.
    pub found: Vec<Found>,
    /// Hidden entries skipped in the directories walked (a hidden directory counts once).
    pub skipped_hidden: u64,
}

/// Find the documents named by `paths` (files, directories, `-` for a list on `input`), sorted by
/// path, each once, with the default [`DiscoverOptions`]. See the [module documentation](self) for
/// the rules.
///
/// Fails (a usage error) only when a path named in `paths` does not exist or `input` cannot be
/// read; everything else that goes wrong is an [`FoundKind::Unreadable`] record.
pub fn discover(paths: &[PathBuf], input: &mut dyn BufRead) -> Result<Vec<Found>, Error> {
    Ok(discover_with(paths, input, &DiscoverOptions::default())?.found)
}

/// [`discover`] with options: NUL-separated input, hidden entries walked.
pub fn discover_with(
    paths: &[PathBuf],
    input: &mut dyn BufRead,
    opts: &DiscoverOptions,
) -> Result<Discovery, Error> {
    let mut d = Discovery::default();
    for p in paths {
        if p.as_os_str() == "-" {
            let sep = if opts.null { b'\0' } else { b'\n' };
            for line in input.split(sep) {
                let mut line = line.map_err(|source| InputError::Read {
                    path: PathBuf::from("-"),
                    source,
                })?;
                if !opts.null && line.last() == Some(&b'\r') {
                    line.pop();
                }
                if line.is_empty() {
                    continue;
                }
                add_named(&path_from_bytes(line), false, opts, &mut d)?;
            }
        } else {
            add_named(p, true, opts, &mut d)?;
        }
    }
    d.found.sort_by(|a, b| a.path.cmp(&b.path));
    d.found.dedup_by(|a, b| a.path == b.path);
    Ok(d)
}

#[cfg(unix)]
fn path_from_bytes(b: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(OsString::from_vec(b))
}

#[cfg(not(unix))]
fn path_from_bytes(b: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&b).into_owned())
}

/// The name without [`SIG_SUFFIX`], if it ends with it.
fn strip_sig_suffix(name: &OsStr) -> Option<OsString> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        name.as_bytes()
            .strip_suffix(SIG_SUFFIX.as_bytes())
            .map(|b| OsStr::from_bytes(b).to_owned())
    }
    #[cfg(not(unix))]
    {
        name.to_str()?.strip_suffix(SIG_SUFFIX).map(OsString::from)
    }
}

fn is_hidden(name: &OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn has_text_extension(name: &OsStr) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| TEXT_EXTENSIONS.iter().any(|t| e.eq_ignore_ascii_case(t)))
}

/// A path named on the command line (`usage` = true) or on standard input.
fn add_named(
    path: &Path,
    usage: bool,
    opts: &DiscoverOptions,
    d: &mut Discovery,
) -> Result<(), Error> {
    let out = &mut d.found;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(source) => {
            let e = InputError::Read {
                path: path.to_path_buf(),
                source,
            };
            if usage {
                return Err(e.into());
            }
            out.push(Found::error(path.to_path_buf(), e.to_string()));
            return Ok(());
        }
    };
    if meta.is_dir() {
        walk(path, opts.hidden, d);
        return Ok(());
    }
    // `X.sig.json` names the document `X`.
    if let Some(base) = path.file_name().and_then(strip_sig_suffix) {
        if !base.is_empty() {
            let doc = path.with_file_name(base);
            let found = match std::fs::metadata(&doc) {
                Err(_) => Found::error(
                    doc.clone(),
                    format!(
                        "{} has no document {} beside it (missing or moved)",
                        path.display(),
                        doc.display()
                    ),
                ),
                Ok(m) if m.is_dir() => Found::error(
                    doc.clone(),
                    format!(
                        "{} is a directory, not a document (it has a signature file {})",
                        doc.display(),
                        path.display()
                    ),
                ),
                Ok(_) => Found::new(doc, FoundKind::Signed),
            };
            out.push(found);
            return Ok(());
        }
    }
    if !meta.is_file() {
        out.push(Found::error(
            path.to_path_buf(),
            crate::fsutil::not_regular(path, &meta.file_type()).to_string(),
        ));
        return Ok(());
    }
    let sig = sigfile::default_path(path);
    let kind = if std::fs::symlink_metadata(&sig).is_ok() {
        FoundKind::Signed
    } else {
        FoundKind::Unsigned
    };
    out.push(Found::new(path.to_path_buf(), kind));
    Ok(())
}

/// What a directory entry is, for discovery.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    /// A regular file (or a link to one inside the walked tree).
    File,
    /// A directory (walked).
    Dir,
    /// A symbolic link to a directory (never followed).
    LinkedDir,
    /// A symbolic link to a file outside the walked tree (not followed).
    Outside,
    /// A symbolic link to nothing.
    Dangling,
    /// A socket, FIFO, device, ... or something whose type could not be read.
    Other(Option<String>),
}

fn classify_link(path: &Path, root: Option<&Path>) -> Entry {
    match std::fs::metadata(path) {
        Err(_) => Entry::Dangling,
        Ok(m) if m.is_dir() => Entry::LinkedDir,
        Ok(m) => match (std::fs::canonicalize(path), root) {
            (Ok(real), Some(root)) if real.starts_with(root) => {
                if m.is_file() {
                    Entry::File
                } else {
                    Entry::Other(None)
                }
            }
            _ => Entry::Outside,
        },
    }
}

/// Walk `root` with [`walkdir`]: symbolic links are never descended into, hidden entries are
/// skipped (and counted) unless `hidden`, and each directory's entries are then matched up
/// (document and signature file) in sorted order.
fn walk(root: &Path, hidden: bool, d: &mut Discovery) {
    let real_root = std::fs::canonicalize(root).ok();
    let out = &mut d.found;
    let skipped = std::cell::Cell::new(0u64);
    let mut dirs: std::collections::BTreeMap<PathBuf, HashMap<OsString, Entry>> =
        std::collections::BTreeMap::new();
    dirs.insert(root.to_path_buf(), HashMap::new());
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && !hidden && is_hidden(e.file_name()) {
                skipped.set(skipped.get() + 1);
                false
            } else {
                true
            }
        });
    for item in walker {
        let entry = match item {
            Ok(e) => e,
            Err(e) => {
                let dir = e.path().unwrap_or(root).to_path_buf();
                let why = e
                    .io_error()
                    .map(|io| io.to_string())
                    .unwrap_or_else(|| e.to_string());
                out.push(Found::error(
                    dir.clone(),
                    format!("cannot read directory {}: {why}", dir.display()),
                ));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let t = entry.file_type();
        let kind = if t.is_dir() {
            dirs.entry(entry.path().to_path_buf()).or_default();
            Entry::Dir
        } else if t.is_file() {
            Entry::File
        } else if t.is_symlink() {
            classify_link(entry.path(), real_root.as_deref())
        } else {
            Entry::Other(Some(crate::fsutil::kind_of(&t).to_owned()))
        };
        let parent = entry.path().parent().unwrap_or(root);
        // Looked up before it is copied: almost every entry's directory is there already.
        let in_dir = match dirs.get_mut(parent) {
            Some(in_dir) => in_dir,
            None => dirs.entry(parent.to_path_buf()).or_default(),
        };
        in_dir.insert(entry.file_name().to_owned(), kind);
    }
    d.skipped_hidden += skipped.get();
    for (dir, entries) in &dirs {
        let not_followed = |p: &Path| {
            format!(
                "{} is a symbolic link to a file outside {}; not followed",
                p.display(),
                root.display()
            )
        };
        for (name, kind) in entries {
            let path = dir.join(name);
            if let Some(base) = strip_sig_suffix(name) {
                // A signature file: never a document; its document must be there.
                if !base.is_empty() && !entries.contains_key(&base) {
                    let doc = dir.join(&base);
                    out.push(Found::error(
                        doc.clone(),
                        format!(
                            "{} has no document {} beside it (missing, moved or hidden)",
                            path.display(),
                            doc.display()
                        ),
                    ));
                }
                continue;
            }
            let mut sig_name = name.clone();
            sig_name.push(SIG_SUFFIX);
            let Some(sig_kind) = entries.get(&sig_name) else {
                if has_text_extension(name) {
                    match kind {
                        Entry::File => out.push(Found::new(path, FoundKind::Unsigned)),
                        // Named like a document but a FIFO, socket or device: never opened.
                        Entry::Other(e) => out.push(Found::error(
                            path.clone(),
                            format!(
                                "{}: not a regular file{}",
                                path.display(),
                                e.as_ref().map(|e| format!(" ({e})")).unwrap_or_default()
                            ),
                        )),
                        _ => {}
                    }
                }
                continue;
            };
            let sig_path = dir.join(&sig_name);
            let problem = match kind {
                Entry::File => match sig_kind {
                    Entry::File => None,
                    Entry::Dir | Entry::LinkedDir => Some(format!(
                        "{} is a directory, not a signature file",
                        sig_path.display()
                    )),
                    Entry::Outside => Some(format!("signature file {}", not_followed(&sig_path))),
                    Entry::Dangling => Some(format!(
                        "signature file {} is a broken symbolic link",
                        sig_path.display()
                    )),
                    Entry::Other(e) => Some(format!(
                        "signature file {} is not a regular file{}",
                        sig_path.display(),
                        e.as_ref().map(|e| format!(" ({e})")).unwrap_or_default()
                    )),
                },
                Entry::Dir | Entry::LinkedDir => Some(format!(
                    "{} is a directory, not a document (it has a signature file {})",
                    path.display(),
                    sig_path.display()
                )),
                Entry::Outside => Some(not_followed(&path)),
                Entry::Dangling => Some(format!("{} is a broken symbolic link", path.display())),
                Entry::Other(e) => Some(format!(
                    "{} is not a regular file{}",
                    path.display(),
                    e.as_ref().map(|e| format!(" ({e})")).unwrap_or_default()
                )),
            };
            out.push(match problem {
                None => Found::new(path, FoundKind::Signed),
                Some(m) => Found::error(path, m),
            });
        }
    }
}
