//! File reading with size limits, advisory locks and all-or-nothing writes: nothing lost,
//! nothing half-written.
//!
//! * Inputs named by the user are opened without blocking ([`open_regular`]) and must be regular
//!   files: a FIFO, device, socket or directory is refused at once instead of hanging or reading
//!   something that is not a document.
//! * A single file is written to a temporary file in the same directory, flushed to disk, and
//!   renamed over the target ([`write_atomic`]), so a crash, a full disk or a refusal at any step
//!   leaves the old file exactly as it was.
//! * Several files that belong together (a document and its signature file, a secret key and its
//!   trust-store entry) are written by one transaction ([`write_all_or_nothing`]): every new file
//!   is written and flushed before any old one is replaced, each old file is kept under a spare
//!   name until all new files are in place, and a failure puts the old files back. An error says
//!   "nothing was changed" only when that was checked; otherwise it names each file left out of
//!   place and how to restore it.
//! * A read-modify-write of a signature file (`sign`, `payload --attach`) runs under an exclusive
//!   advisory lock ([`lock_for`]), so concurrent signers are serialised and none is lost.

use crate::error::InputError;
use std::fs::{File, FileType};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use zeroize::Zeroizing;

/// The largest document read (1 GiB). Larger inputs are refused rather than exhausting memory.
pub const MAX_DOCUMENT_BYTES: u64 = 1 << 30;
/// The largest signature file, key file or trust-store entry read (64 MiB).
pub const MAX_METADATA_BYTES: u64 = 64 << 20;

/// Read a whole file, refusing files larger than `limit` bytes and anything that is not a regular
/// file (see [`open_regular`]). `-` reads standard input.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let err = |source| InputError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut buf = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(err)?;
    } else {
        let file = open_regular(path)?;
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        if len > limit {
            return Err(InputError::TooLarge {
                path: path.to_path_buf(),
                limit,
            });
        }
        buf.reserve(len as usize);
        file.take(limit + 1).read_to_end(&mut buf).map_err(err)?;
    }
    if buf.len() as u64 > limit {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    Ok(buf)
}

/// How [`write_atomic`] treats an existing target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Replace it.
    Replace,
    /// Refuse with [`InputError::Exists`].
    Refuse,
}

/// Write `bytes` to `path` atomically: temp file in the same directory, fsync, rename.
/// `mode` sets Unix permission bits on the temporary file before any byte is written.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    mode: Option<u32>,
    existing: Existing,
) -> Result<(), InputError> {
    let werr = |source| InputError::Write {
        path: path.to_path_buf(),
        source,
    };
    if existing == Existing::Refuse && path.exists() {
        return Err(InputError::Exists {
            path: path.to_path_buf(),
        });
    }
    let dir: PathBuf = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".transmittal-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(werr)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The temporary file is created 0600; give the result the mode asked for, else the mode of
        // the file it replaces, else the usual 0644.
        let mode = mode
            .or_else(|| {
                std::fs::metadata(path)
                    .ok()
                    .map(|m| m.permissions().mode() & 0o7777)
            })
            .unwrap_or(0o644);
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode))
            .map_err(werr)?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    tmp.write_all(bytes).map_err(werr)?;
    tmp.as_file().sync_all().map_err(werr)?;
    match existing {
        Existing::Replace => {
            tmp.persist(path).map_err(|e| werr(e.error))?;
        }
        Existing::Refuse => {
            // persist_noclobber fails if the target appeared meanwhile.
            tmp.persist_noclobber(path).map_err(|e| {
                if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                    InputError::Exists {
                        path: path.to_path_buf(),
                    }
                } else {
                    werr(e.error)
                }
            })?;
        }
    }
    Ok(())
}

/// How a file type reads in messages: "a FIFO", "a directory", "a socket"...
pub fn kind_of(t: &FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_file() {
        "a regular file"
    } else {
        "not a file"
    }
}

/// The error for an input that is not a regular file: `cannot read PATH: not a regular file (a
/// FIFO)`.
pub fn not_regular(path: &Path, t: &FileType) -> InputError {
    InputError::Read {
        path: path.to_path_buf(),
        source: std::io::Error::other(format!("not a regular file ({})", kind_of(t))),
    }
}

/// Open `path` for reading without blocking, and check on the opened handle that it is a regular
/// file. A FIFO would otherwise block the open until some writer appears (and a device could
/// stream forever); here it, a socket, a device or a directory is an error at once.
pub fn open_regular(path: &Path) -> Result<File, InputError> {
    let err = |source| InputError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Regular files ignore O_NONBLOCK; a FIFO opens at once instead of waiting for a writer.
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = match opts.open(path) {
        Ok(f) => f,
        Err(e) => {
            // A socket cannot be opened at all (ENXIO): say what it is rather than the OS's words.
            if let Ok(m) = std::fs::metadata(path) {
                if !m.is_file() && !m.is_dir() {
                    return Err(not_regular(path, &m.file_type()));
                }
            }
            return Err(err(e));
        }
    };
    let meta = file.metadata().map_err(err)?;
    if !meta.is_file() {
        return Err(not_regular(path, &meta.file_type()));
    }
    Ok(file)
}

/// The directory a file is in (`.` for a bare file name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// An exclusive advisory lock taken by [`lock_for`]; released when dropped (or when the process
/// ends, however it ends).
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Take an exclusive advisory lock (`flock`) for a read-modify-write of `target`, waiting while
/// another process holds it. The lock is on the directory that holds `target`, so taking it
/// creates no file: every writer of this tool that rewrites a file in that directory in place of
/// an older version (`sign`, `payload --attach`, `wrap`, `extract`) takes it around its read,
/// change and atomic rename, and so none of them loses another's change. Where a file system
/// cannot lock a directory (some network file systems), the lock is on a file `TARGET.lock`
/// beside the target instead, created if absent and never removed (removing it would let two
/// processes lock two different files of the same name).
pub fn lock_for(target: &Path) -> Result<Lock, InputError> {
    let werr = |source| InputError::Write {
        path: target.to_path_buf(),
        source,
    };
    let dir = File::open(parent_dir(target)).map_err(werr)?;
    match fs4::FileExt::lock(&dir) {
        Ok(()) => return Ok(Lock { _file: dir }),
        Err(e) if !lock_unsupported(&e) => return Err(werr(e)),
        Err(_) => {}
    }
    let mut name = target.as_os_str().to_owned();
    name.push(".lock");
    let lock_path = PathBuf::from(name);
    let lerr = |source| InputError::Write {
        path: lock_path.clone(),
        source,
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true).write(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o644)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = opts.open(&lock_path).map_err(lerr)?;
    let meta = file.metadata().map_err(lerr)?;
    if !meta.is_file() {
        return Err(not_regular(&lock_path, &meta.file_type()));
    }
    fs4::FileExt::lock(&file).map_err(lerr)?;
    Ok(Lock { _file: file })
}

/// Whether a lock error means "this file system does not lock directories".
fn lock_unsupported(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(
            e.raw_os_error(),
            Some(libc::EBADF | libc::ENOLCK | libc::EOPNOTSUPP | libc::EINVAL)
        )
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        true
    }
}

// ---------------------------------------------------------------------------------------------
// Failure injection for tests

/// Steps at which [`write_all_or_nothing`] fails on purpose, for tests.
static FAIL_AT: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Make [`write_all_or_nothing`] fail at the named steps (for tests of its recovery; the binary
/// sets them from a test-only environment variable). A step is `NAME:I` for the `I`-th file
/// (from 0) of a transaction: `stage` (writing its temporary file), `backup` (keeping the old
/// file under a spare name), `install` (renaming the new file into place), `sync` (flushing the
/// directory; `I` is ignored, use 0), `rollback` (putting it back after a failure), `cleanup`
/// (removing the spare copy after success).
#[doc(hidden)]
pub fn set_test_failures(steps: &[&str]) {
    if let Ok(mut v) = FAIL_AT.lock() {
        *v = steps.iter().map(|s| s.trim().to_owned()).collect();
    }
}

fn fail_point(step: &str, i: usize) -> std::io::Result<()> {
    let name = format!("{step}:{i}");
    let hit = FAIL_AT.lock().map(|v| v.contains(&name)).unwrap_or(false);
    if hit {
        Err(std::io::Error::other(format!(
            "injected failure at step {name}"
        )))
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// The write transaction

/// One file of a [`write_all_or_nothing`] transaction.
pub struct PendingWrite {
    /// Where the file goes.
    pub path: PathBuf,
    /// Its contents (wiped from memory when dropped: secret keys go through here).
    pub bytes: Zeroizing<Vec<u8>>,
    /// Unix permission bits; `None`: those of the file it replaces, else 0644.
    pub mode: Option<u32>,
}

/// The state of one file during a transaction.
struct Step {
    path: PathBuf,
    /// The old file's identity (device, inode), if there was one.
    old: Option<(u64, u64)>,
    /// The spare name (a hard link) the old file is kept under until the transaction is done.
    backup: Option<PathBuf>,
    /// Whether the new file has been renamed into place.
    installed: bool,
}

#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path)
        .ok()
        .map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<(u64, u64)> {
    std::fs::symlink_metadata(path).ok().map(|m| (m.len(), 0))
}

/// Flush directory entries (renames, links, removals) to disk.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// A spare name for `path`'s old contents: `NAME.bak-PID` (with a counter if that is taken).
fn backup_name(path: &Path) -> PathBuf {
    let pid = std::process::id();
    let mut n = 0u32;
    loop {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".bak-{pid}"));
        if n > 0 {
            name.push(format!("-{n}"));
        }
        let p = PathBuf::from(name);
        if std::fs::symlink_metadata(&p).is_err() || n >= 1000 {
            return p;
        }
        n += 1;
    }
}

/// Write every file or none.
///
/// 1. With [`Existing::Refuse`], any target that exists stops everything before a byte is
///    written.
/// 2. Every new file is written to a temporary file beside its target and flushed to disk.
/// 3. One file at a time, the old file (if any) is kept under a spare hard link `NAME.bak-PID`,
///    and the new file is renamed over the target (the target is never missing).
/// 4. The directories are flushed; then the spare links are removed.
///
/// A failure at any step undoes the steps done so far (spare links renamed back, new files
/// removed), then checks that every target is again the file it was (or absent): only then does
/// the error end "nothing was changed". If the undoing fails, the error says which file is not
/// as it was, where its old contents are kept and the command that restores them.
pub fn write_all_or_nothing(writes: &[PendingWrite], existing: Existing) -> Result<(), InputError> {
    if existing == Existing::Refuse {
        for w in writes {
            if std::fs::symlink_metadata(&w.path).is_ok() {
                return Err(InputError::Exists {
                    path: w.path.clone(),
                });
            }
        }
    }
    // 2. Stage: nothing outside the temporary files changes; they are removed when dropped.
    let mut staged = Vec::with_capacity(writes.len());
    for (i, w) in writes.iter().enumerate() {
        let werr = |source| InputError::Write {
            path: w.path.clone(),
            source,
        };
        fail_point("stage", i).map_err(werr)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".transmittal-")
            .suffix(".tmp")
            .tempfile_in(parent_dir(&w.path))
            .map_err(werr)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = w
                .mode
                .or_else(|| {
                    std::fs::metadata(&w.path)
                        .ok()
                        .map(|m| m.permissions().mode() & 0o7777)
                })
                .unwrap_or(0o644);
            std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode))
                .map_err(werr)?;
        }
        tmp.write_all(&w.bytes).map_err(werr)?;
        tmp.as_file().sync_all().map_err(werr)?;
        staged.push(tmp);
    }
    // 3. Install, keeping each old file under a spare name.
    let mut steps: Vec<Step> = Vec::with_capacity(writes.len());
    for (i, (w, tmp)) in writes.iter().zip(staged).enumerate() {
        let old = identity(&w.path);
        let mut step = Step {
            path: w.path.clone(),
            old,
            backup: None,
            installed: false,
        };
        let result = (|| -> std::io::Result<()> {
            if old.is_some() {
                let bak = backup_name(&w.path);
                fail_point("backup", i)?;
                std::fs::hard_link(&w.path, &bak)?;
                step.backup = Some(bak);
            }
            fail_point("install", i)?;
            match existing {
                Existing::Replace => tmp.persist(&w.path).map(|_| ()).map_err(|e| e.error),
                Existing::Refuse => tmp
                    .persist_noclobber(&w.path)
                    .map(|_| ())
                    .map_err(|e| e.error),
            }
        })();
        if let Err(e) = result {
            let refused = existing == Existing::Refuse
                && e.kind() == std::io::ErrorKind::AlreadyExists
                && step.backup.is_none();
            steps.push(step);
            return Err(roll_back(&steps, &w.path, e, refused));
        }
        step.installed = true;
        steps.push(step);
    }
    // 4. Flush the directories, then drop the spare copies.
    let mut dirs: Vec<PathBuf> = writes.iter().map(|w| parent_dir(&w.path)).collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        if let Err(e) = fail_point("sync", 0).and_then(|()| sync_dir(d)) {
            let first = writes.first().map(|w| w.path.clone()).unwrap_or_default();
            return Err(roll_back(&steps, &first, e, false));
        }
    }
    let mut left = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        if let Some(b) = &s.backup {
            if let Err(e) = fail_point("cleanup", i).and_then(|()| std::fs::remove_file(b)) {
                left.push(format!(
                    "{}: the old copy could not be removed ({e}); remove it",
                    b.display()
                ));
            }
        }
    }
    for d in &dirs {
        let _ = sync_dir(d);
    }
    if left.is_empty() {
        Ok(())
    } else {
        let written: Vec<String> = writes
            .iter()
            .map(|w| w.path.display().to_string())
            .collect();
        Err(InputError::Invalid(format!(
            "wrote {}, but {}",
            written.join(" and "),
            left.join("; ")
        )))
    }
}

/// Undo `steps` after `error` while writing `failed`, check the result, and build the error.
/// `refused`: the target appeared meanwhile (an `Exists` error, not a write error).
fn roll_back(steps: &[Step], failed: &Path, error: std::io::Error, refused: bool) -> InputError {
    let mut problems = Vec::new();
    for (i, s) in steps.iter().enumerate().rev() {
        let r = fail_point("rollback", i);
        match (&s.backup, s.installed) {
            (Some(b), true) => {
                if let Err(e) = r.and_then(|()| std::fs::rename(b, &s.path)) {
                    problems.push(format!(
                        "{} holds the new version and could not be restored ({e}): its old contents are in {}; restore them with `mv -f '{}' '{}'`",
                        s.path.display(),
                        b.display(),
                        b.display(),
                        s.path.display()
                    ));
                }
            }
            (None, true) => {
                if let Err(e) = r.and_then(|()| std::fs::remove_file(&s.path)) {
                    problems.push(format!(
                        "{} was written new and could not be removed ({e}); remove it",
                        s.path.display()
                    ));
                }
            }
            (Some(b), false) => {
                if let Err(e) = r.and_then(|()| std::fs::remove_file(b)) {
                    problems.push(format!(
                        "{} is as it was, but its spare copy {} could not be removed ({e}); remove it",
                        s.path.display(),
                        b.display()
                    ));
                }
            }
            (None, false) => {}
        }
    }
    let mut dirs: Vec<PathBuf> = steps.iter().map(|s| parent_dir(&s.path)).collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        let _ = sync_dir(d);
    }
    // Check: every target is again the file it was, or absent as it was.
    if problems.is_empty() {
        for s in steps {
            let now = identity(&s.path);
            if now != s.old {
                problems.push(format!(
                    "{} is not the file it was before (check it by hand)",
                    s.path.display()
                ));
            }
        }
    }
    if problems.is_empty() {
        if refused {
            InputError::Exists {
                path: failed.to_path_buf(),
            }
        } else {
            InputError::Write {
                path: failed.to_path_buf(),
                source: error,
            }
        }
    } else {
        InputError::Invalid(format!(
            "cannot write {}: {error}; undoing the files written before failed, so not everything is as it was: {}",
            failed.display(),
            problems.join("; ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_refuses_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        write_atomic(&p, b"one", None, Existing::Refuse).unwrap();
        assert!(matches!(
            write_atomic(&p, b"two", None, Existing::Refuse),
            Err(InputError::Exists { .. })
        ));
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        write_atomic(&p, b"two", Some(0o600), Existing::Replace).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn limited_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, b"12345").unwrap();
        assert_eq!(read_limited(&p, 5).unwrap(), b"12345");
        assert!(matches!(
            read_limited(&p, 4),
            Err(InputError::TooLarge { .. })
        ));
        assert!(matches!(
            read_limited(&dir.path().join("missing"), 4),
            Err(InputError::Read { .. })
        ));
    }
}
