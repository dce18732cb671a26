//! File reading with size limits and atomic writes (BRIEF §10: nothing lost, nothing half-written).
//!
//! Every file this tool writes is written to a temporary file in the same directory, flushed to
//! disk, and renamed over the target, so a crash, a full disk or a refusal at any step leaves the
//! old file exactly as it was.

use crate::error::InputError;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The largest document read (1 GiB). Larger inputs are refused rather than exhausting memory.
pub const MAX_DOCUMENT_BYTES: u64 = 1 << 30;
/// The largest signature file, key file or trust-store entry read (64 MiB).
pub const MAX_METADATA_BYTES: u64 = 64 << 20;

/// Read a whole file, refusing files larger than `limit` bytes. `-` reads standard input.
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
        let file = std::fs::File::open(path).map_err(err)?;
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
