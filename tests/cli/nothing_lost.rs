//! CLI tests: nothing lost (BRIEF §10). A `sign` (or `wrap`, `extract`, `keygen`) that fails at
//! any step leaves the document, the signature file and the keys byte-identical: a read-only
//! directory, a full disk (simulated by a file-size limit), a `SIGKILL` in the middle of the
//! write, and refusals to overwrite.
//!
//! The tests run as root in CI containers, and root ignores directory permissions. A read-only
//! directory is then made by `chattr +i` (immutable directory: no entry can be created, removed
//! or renamed, even by root) and, separately, by running the binary as `nobody` through
//! `setpriv` on files handed over to `nobody`; as any other user it is `chmod 0555`. Whatever is
//! available is used; at least one way must be.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const DOC: &str = "kfor-2017-q3.md";
const SIG: &str = "kfor-2017-q3.md.sig.json";

fn bin_path() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_transmittal"))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn has(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Temporary files left by interrupted atomic writes.
fn temp_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let n = e.unwrap().file_name().to_string_lossy().into_owned();
        if n.starts_with(".transmittal-") {
            out.push(n);
        }
    }
    out
}

/// Compare two snapshots, naming the files that differ (not dumping their bytes).
fn same(before: &[(PathBuf, Vec<u8>)], after: &[(PathBuf, Vec<u8>)], what: &str) {
    let names = |v: &[(PathBuf, Vec<u8>)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(before),
        names(after),
        "{what}: files added or removed"
    );
    for ((p, a), (_, b)) in before.iter().zip(after) {
        assert!(
            a == b,
            "{what}: {} changed ({} -> {} bytes)",
            p.display(),
            a.len(),
            b.len()
        );
    }
}

fn no_panic(o: &Output) {
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(!e.contains("panicked"), "{e}");
}

/// A clear, one-line error with exit 2.
fn io_error(o: &Output, what: &str) {
    no_panic(o);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{what}: {e}");
    assert!(e.starts_with("transmittal: error: "), "{what}: {e}");
    assert_eq!(e.trim_end().lines().count(), 1, "{what}: {e}");
}

fn run(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

fn run_ok(dir: &Path, args: &[&str]) {
    let o = run(dir, args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Run the binary in `dir` under `sh` with `prefix` (shell commands) before `exec`.
fn run_sh(dir: &Path, prefix: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .current_dir(dir)
        .arg("-c")
        .arg(format!("{prefix} exec \"$0\" \"$@\""))
        .arg(bin_path())
        .args(args)
        .envs(TEST_ENV)
        .env_remove("TRANSMITTAL_PASSPHRASE")
        .output()
        .unwrap()
}

/// The example with Guterres's signature removed: `sign --key guterres` would replace the
/// signature file; with the signature file removed, `sign --key stoltenberg` would create it.
fn without_cover_signature(dir: &Path, sig: &Path) {
    let mut f =
        transmittal::sigfile::SignatureFile::from_json(&std::fs::read(sig).unwrap()).unwrap();
    f.layers[0].signatures.clear();
    std::fs::write(sig, f.to_json()).unwrap();
    let _ = dir;
}

/// The two signings used below: replacing an existing signature file, and creating one.
/// Returns the arguments (relative to the example directory) after setting `sub/` up.
fn sign_cases(dir: &Path, sub: &str) -> [Vec<String>; 2] {
    let s = dir.join(sub);
    std::fs::create_dir_all(&s).unwrap();
    std::fs::copy(dir.join(DOC), s.join("replace.md")).unwrap();
    std::fs::copy(dir.join(SIG), s.join("replace.md.sig.json")).unwrap();
    without_cover_signature(dir, &s.join("replace.md.sig.json"));
    std::fs::copy(dir.join(DOC), s.join("create.md")).unwrap();
    let args = |doc: &str, key: &str, date: &str| -> Vec<String> {
        [
            "sign",
            &format!("{sub}/{doc}"),
            "--key",
            &format!("demo-keys/{key}.key"),
            "--date",
            date,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    [
        args("replace.md", "guterres", "2017-10-25"),
        args("create.md", "stoltenberg", "2017-10-18"),
    ]
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// `chattr -i` on drop.
struct Immutable(PathBuf);
impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

#[test]
fn read_only_directory() {
    let mut ways = 0;
    // 1. Not root: plain permissions.
    if !is_root() {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let d = example_dir();
            let cases = sign_cases(d.path(), "ro");
            let ro = d.path().join("ro");
            std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
            for args in &cases {
                let before = snapshot(d.path());
                let o = run(d.path(), &strs(args));
                io_error(&o, "chmod 0555");
                same(&before, &snapshot(d.path()), "unchanged");
            }
            std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
            ways += 1;
        }
    }
    // 2. Root: an immutable directory.
    if is_root() && has("chattr") {
        let d = example_dir();
        let cases = sign_cases(d.path(), "ro");
        let ro = d.path().join("ro");
        let ok = Command::new("chattr")
            .arg("+i")
            .arg(&ro)
            .status()
            .map(|s| s.success());
        if ok.unwrap_or(false) {
            let _guard = Immutable(ro.clone());
            for args in &cases {
                let before = snapshot(d.path());
                let o = run(d.path(), &strs(args));
                io_error(&o, "chattr +i");
                assert!(
                    String::from_utf8_lossy(&o.stderr).contains("ro/"),
                    "names the file"
                );
                same(&before, &snapshot(d.path()), "unchanged");
                assert!(temp_files(&ro).is_empty());
            }
            ways += 1;
        }
    }
    // 3. Root: as nobody, in a directory nobody owns read-only.
    #[cfg(unix)]
    if is_root() && has("setpriv") {
        use std::os::unix::fs::PermissionsExt;
        let d = example_dir();
        let cases = sign_cases(d.path(), "ro");
        let mut stack = vec![d.path().to_path_buf()];
        while let Some(p) = stack.pop() {
            std::os::unix::fs::chown(&p, Some(65534), Some(65534)).unwrap();
            if p.is_dir() {
                for e in std::fs::read_dir(&p).unwrap() {
                    stack.push(e.unwrap().path());
                }
            }
        }
        let ro = d.path().join("ro");
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        // The binary must be reachable by nobody.
        let reachable = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin_path())
            .arg("--help")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if reachable {
            for args in &cases {
                let before = snapshot(d.path());
                let o = Command::new("setpriv")
                    .current_dir(d.path())
                    .envs(TEST_ENV)
                    .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                    .arg(bin_path())
                    .args(strs(args))
                    .output()
                    .unwrap();
                io_error(&o, "setpriv nobody, chmod 0555");
                assert!(String::from_utf8_lossy(&o.stderr).contains("Permission denied"));
                same(&before, &snapshot(d.path()), "unchanged");
            }
            ways += 1;
        }
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    assert!(ways > 0, "no way to make a directory read-only here");
}

/// The signature file's path is taken by a directory: a clear error, nothing changed.
#[test]
fn signature_file_path_is_a_directory() {
    let d = example_dir();
    let cases = sign_cases(d.path(), "x");
    std::fs::remove_file(d.path().join("x/replace.md.sig.json")).unwrap();
    for doc in ["replace.md", "create.md"] {
        std::fs::create_dir(d.path().join(format!("x/{doc}.sig.json"))).unwrap();
        std::fs::write(d.path().join(format!("x/{doc}.sig.json/keep")), b"keep").unwrap();
    }
    for args in &cases {
        let before = snapshot(d.path());
        let o = run(d.path(), &strs(args));
        io_error(&o, "directory in the way");
        same(&before, &snapshot(d.path()), "unchanged");
        assert!(temp_files(&d.path().join("x")).is_empty());
    }
}

/// A full disk, simulated with a file-size limit (`ulimit -f`, 512-byte blocks in `sh`), with
/// SIGXFSZ ignored so that `write` fails with EFBIG: the temporary file is removed, the target
/// untouched.
#[test]
fn disk_full() {
    let d = example_dir();
    let dir = d.path();
    let cases = sign_cases(dir, "full");
    for args in &cases {
        let before = snapshot(dir);
        let o = run_sh(dir, "trap '' XFSZ; ulimit -f 1;", &strs(args));
        io_error(&o, "ulimit -f 1");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("too large"),
            "{:?}",
            o
        );
        same(&before, &snapshot(dir), "unchanged");
        assert!(temp_files(&dir.join("full")).is_empty());
    }
    // wrap and extract: the document fits under the limit, its signature file does not; the
    // document written first is removed again.
    std::fs::write(
        dir.join("cover.md"),
        "Letter.\n\n(Signed) António Guterres\n",
    )
    .unwrap();
    for (args, limit) in [
        (
            vec![
                "wrap",
                "--inner",
                DOC,
                "--cover",
                "cover.md",
                "--heading",
                "Annex",
                "--out",
                "w.md",
            ],
            8,
        ),
        (vec!["extract", DOC, "--layer", "0", "--out", "x.md"], 7),
    ] {
        let before = snapshot(dir);
        let o = run_sh(dir, &format!("trap '' XFSZ; ulimit -f {limit};"), &args);
        io_error(&o, &format!("{args:?}"));
        same(&before, &snapshot(dir), &format!("{args:?}"));
        assert!(temp_files(dir).is_empty());
        // Without the limit it works (the limit sits between the two sizes).
        run_ok(dir, &args);
        let out = args[args.len() - 1];
        let doc_len = std::fs::metadata(dir.join(out)).unwrap().len();
        let sig_len = std::fs::metadata(dir.join(format!("{out}.sig.json")))
            .unwrap()
            .len();
        assert!(
            doc_len <= limit * 512 && sig_len > limit * 512,
            "{doc_len} {sig_len}"
        );
        std::fs::remove_file(dir.join(out)).unwrap();
        std::fs::remove_file(dir.join(format!("{out}.sig.json"))).unwrap();
    }
    // keygen: the secret key fits, the trust-store entry (long title and organisation) does not;
    // the secret key is removed again, or restored to its old bytes with --force.
    let title = "T".repeat(200);
    let org = "O".repeat(200);
    let keygen = |force: bool| -> Vec<String> {
        let mut v: Vec<String> = [
            "keygen",
            "--id",
            "k",
            "--name",
            "Jens Stoltenberg",
            "--title",
            &title,
            "--org",
            &org,
            "--unencrypted",
            "--out-dir",
            "kg",
            "--secret-dir",
            "ks",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if force {
            v.push("--force".into());
        }
        v
    };
    std::fs::create_dir(dir.join("kg")).unwrap();
    std::fs::create_dir(dir.join("ks")).unwrap();
    let before = snapshot(dir);
    let o = run_sh(dir, "trap '' XFSZ; ulimit -f 1;", &strs(&keygen(false)));
    io_error(&o, "keygen");
    same(&before, &snapshot(dir), "unchanged");
    assert!(temp_files(&dir.join("kg")).is_empty());
    assert!(temp_files(&dir.join("ks")).is_empty());
    run_ok(dir, &strs(&keygen(false)));
    let before = snapshot(dir);
    let o = run_sh(dir, "trap '' XFSZ; ulimit -f 1;", &strs(&keygen(true)));
    io_error(&o, "keygen --force");
    same(&before, &snapshot(dir), "unchanged");
    assert!(temp_files(&dir.join("kg")).is_empty());
    assert!(temp_files(&dir.join("ks")).is_empty());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("ks/k.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the restored secret key is private");
    }
}

/// Killed by SIGXFSZ (the default action) in the middle of the write: the target is untouched;
/// the partial temporary file stays behind (nothing can remove it), hidden, and ignored.
#[test]
fn killed_by_the_file_size_limit() {
    let d = example_dir();
    let dir = d.path();
    let cases = sign_cases(dir, "full");
    let files = || -> Vec<(PathBuf, Vec<u8>)> {
        snapshot(dir)
            .into_iter()
            .filter(|(p, _)| {
                !p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(".transmittal-")
            })
            .collect()
    };
    for args in &cases {
        let before = files();
        let o = run_sh(dir, "ulimit -f 1;", &strs(args));
        assert_eq!(o.status.code(), None, "killed by a signal: {o:?}");
        same(&before, &files(), "killed");
    }
    let leaked = temp_files(&dir.join("full"));
    assert!(leaked.iter().all(|n| n.ends_with(".tmp")), "{leaked:?}");
    // The next run ignores them.
    for args in &cases {
        run_ok(dir, &strs(args));
    }
    for doc in ["replace.md", "create.md"] {
        let (code, r) = verify_json(dir, &format!("full/{doc}"));
        assert_ne!(code, 1, "{doc}: {:?}", codes(&r));
    }
}

/// The signature file after `sign` was killed at some moment: the old bytes, or a complete new
/// file that verifies.
fn check_after_kill(dir: &Path, old: &[u8]) -> &'static str {
    let now = std::fs::read(dir.join("big.md.sig.json")).unwrap();
    if now == old {
        return "old";
    }
    assert!(
        transmittal::sigfile::SignatureFile::from_json(&now).is_ok(),
        "a partial signature file ({} bytes) replaced the old one",
        now.len()
    );
    let (code, r) = verify_json(dir, "big.md");
    assert_eq!(
        code,
        0,
        "the new signature file does not verify: {:?}",
        codes(&r)
    );
    "new"
}

/// SIGKILL during `sign` on a large document, at random moments and right after the temporary
/// file appears: never a partial signature file.
#[test]
fn sigkill_during_sign() {
    let d = example_dir();
    let dir = d.path();
    // A large NATO report (20,000 paragraphs), signed by NATO and wrapped by the UN: `sign` as
    // Guterres replaces a signature file of about 1 MB.
    let seed = std::fs::read_to_string(root().join("examples").join(DOC)).unwrap();
    let mut nato = seed[seed.find("In accordance with paragraph 20").unwrap()..].to_owned();
    for i in 0..20_000 {
        nato.push_str(&format!(
            "\n{}. Paragraph {i} of the annual statistics.\n",
            i + 8
        ));
    }
    std::fs::write(dir.join("nato.md"), &nato).unwrap();
    run_ok(
        dir,
        &[
            "sign",
            "nato.md",
            "--key",
            "demo-keys/stoltenberg.key",
            "--date",
            "2017-10-18",
        ],
    );
    let a = seed.find("**Letter dated 25 October").unwrap();
    let b = seed.find("(Signed) António **Guterres**").unwrap();
    std::fs::write(
        dir.join("cover.md"),
        format!("{}(Signed) António **Guterres**\n", &seed[a..b]),
    )
    .unwrap();
    run_ok(
        dir,
        &[
            "wrap",
            "--inner",
            "nato.md",
            "--cover",
            "cover.md",
            "--heading",
            "Annex",
            "--out",
            "big.md",
        ],
    );
    let old = std::fs::read(dir.join("big.md.sig.json")).unwrap();
    assert!(old.len() > 512 << 10, "{}", old.len());
    let doc_before = std::fs::read(dir.join("big.md")).unwrap();
    let keys_before = snapshot(&dir.join("keys"));
    let demo_before = snapshot(&dir.join("demo-keys"));
    let args = [
        "sign",
        "big.md",
        "--key",
        "demo-keys/guterres.key",
        "--date",
        "2017-10-25",
    ];

    // How long a whole run takes.
    let t = Instant::now();
    run_ok(dir, &args);
    let full = t.elapsed();
    assert_eq!(check_after_kill(dir, &old), "new");

    let mut x: u64 = 0x9e3779b97f4a7c15;
    let mut rand = |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n.max(1)
    };
    let mut outcomes = std::collections::BTreeMap::new();
    let mut caught_writing = 0;
    for i in 0..16 {
        std::fs::write(dir.join("big.md.sig.json"), &old).unwrap();
        let mut child = Command::new(bin_path())
            .current_dir(dir)
            .envs(TEST_ENV)
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        if i % 2 == 0 {
            // At a random moment of a whole run.
            std::thread::sleep(Duration::from_micros(rand(full.as_micros() as u64 * 5 / 4)));
        } else {
            // As soon as a new temporary file shows up, plus a few hundred microseconds.
            let before = temp_files(dir);
            loop {
                let now = temp_files(dir);
                if now.iter().any(|n| !before.contains(n)) {
                    caught_writing += 1;
                    std::thread::sleep(Duration::from_micros(rand(500)));
                    break;
                }
                if child.try_wait().unwrap().is_some() || start.elapsed() > full * 4 {
                    break;
                }
                std::thread::sleep(Duration::from_micros(50));
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        *outcomes.entry(check_after_kill(dir, &old)).or_insert(0) += 1;
        assert_eq!(std::fs::read(dir.join("big.md")).unwrap(), doc_before);
        same(&keys_before, &snapshot(&dir.join("keys")), "keys");
        same(&demo_before, &snapshot(&dir.join("demo-keys")), "demo keys");
    }
    assert!(
        outcomes.get("old").copied().unwrap_or(0) > 0,
        "{outcomes:?}"
    );
    eprintln!("sigkill outcomes: {outcomes:?}, {caught_writing} kills after the temporary file appeared, {} temporary files left", temp_files(dir).len());
    assert!(caught_writing > 0, "never killed during the write");
    // Leftovers: only hidden temporary files, which the next run ignores.
    for e in std::fs::read_dir(dir).unwrap() {
        let n = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            n.starts_with(".transmittal-") && n.ends_with(".tmp")
                || [
                    "big.md",
                    "big.md.sig.json",
                    "nato.md",
                    "nato.md.sig.json",
                    "cover.md",
                    DOC,
                    SIG,
                    "keys",
                    "demo-keys"
                ]
                .contains(&n.as_str()),
            "stray file {n}"
        );
    }
    std::fs::write(dir.join("big.md.sig.json"), &old).unwrap();
    run_ok(dir, &args);
    assert_eq!(check_after_kill(dir, &old), "new");
}

/// `wrap`, `extract` and `keygen` never overwrite without `--force`, even when only one of the
/// two files they write exists: nothing is written.
#[test]
fn refusals_to_overwrite() {
    let d = example_dir();
    let dir = d.path();
    std::fs::write(
        dir.join("cover.md"),
        "Letter.\n\n(Signed) António Guterres\n",
    )
    .unwrap();
    let wrap = [
        "wrap",
        "--inner",
        DOC,
        "--cover",
        "cover.md",
        "--heading",
        "Annex",
        "--out",
        "out.md",
    ];
    let extract = ["extract", DOC, "--layer", "1", "--out", "out.md"];
    for existing in ["out.md", "out.md.sig.json"] {
        for args in [&wrap[..], &extract[..]] {
            std::fs::write(dir.join(existing), b"precious").unwrap();
            let before = snapshot(dir);
            let o = run(dir, args);
            io_error(&o, &format!("{args:?} with {existing}"));
            assert!(String::from_utf8_lossy(&o.stderr).contains("exists already"));
            same(
                &before,
                &snapshot(dir),
                &format!("{args:?} with {existing}"),
            );
            std::fs::remove_file(dir.join(existing)).unwrap();
        }
    }
    // With --force both are replaced.
    std::fs::write(dir.join("out.md"), b"precious").unwrap();
    let mut forced = extract.to_vec();
    forced.push("--force");
    run_ok(dir, &forced);
    assert_ne!(std::fs::read(dir.join("out.md")).unwrap(), b"precious");
    // keygen with only one of its two files present.
    let keygen = [
        "keygen",
        "--id",
        "k",
        "--name",
        "Jens Stoltenberg",
        "--unencrypted",
        "--out-dir",
        "kg",
        "--secret-dir",
        "ks",
    ];
    std::fs::create_dir(dir.join("kg")).unwrap();
    std::fs::create_dir(dir.join("ks")).unwrap();
    for existing in ["ks/k.key", "kg/k.pub.json"] {
        std::fs::write(dir.join(existing), b"precious").unwrap();
        let before = snapshot(dir);
        let o = run(dir, &keygen);
        no_panic(&o);
        assert_eq!(o.status.code(), Some(2), "{existing}");
        same(&before, &snapshot(dir), existing);
        std::fs::remove_file(dir.join(existing)).unwrap();
    }
}

/// `wrap --force` / `extract --force` replacing an existing pair: if the second write fails, the
/// first file must be restored, not left as a new document paired with the old signature file.
#[test]
fn forced_write_that_fails_restores_the_old_pair() {
    let d = example_dir();
    let dir = d.path();
    std::fs::write(
        dir.join("cover.md"),
        "Letter.\n\n(Signed) António Guterres\n",
    )
    .unwrap();
    std::fs::write(dir.join("w.md"), b"old document").unwrap();
    std::fs::write(dir.join("w.md.sig.json"), b"old signature file").unwrap();
    let before = snapshot(dir);
    let o = run_sh(
        dir,
        "trap '' XFSZ; ulimit -f 8;",
        &[
            "wrap",
            "--inner",
            DOC,
            "--cover",
            "cover.md",
            "--heading",
            "Annex",
            "--out",
            "w.md",
            "--force",
        ],
    );
    io_error(&o, "wrap --force");
    same(&before, &snapshot(dir), "unchanged");
}

/// Files written atomically get the permissions a plain write would give them: a new signature
/// file or extracted document follows the umask (0644 here), and a replaced signature file keeps
/// its mode (signature files are public; only secret keys are 0600).
#[test]
fn written_files_keep_the_usual_permissions() {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let d = example_dir();
        let dir = d.path();
        let mode = |p: &str| std::fs::metadata(dir.join(p)).unwrap().permissions().mode() & 0o777;
        let umask = run_sh(dir, "umask; exit 0;", &[]);
        let umask = u32::from_str_radix(String::from_utf8_lossy(&umask.stdout).trim(), 8).unwrap();
        without_cover_signature(dir, &dir.join(SIG));
        std::fs::set_permissions(dir.join(SIG), std::fs::Permissions::from_mode(0o644)).unwrap();
        run_ok(
            dir,
            &[
                "sign",
                DOC,
                "--key",
                "demo-keys/guterres.key",
                "--date",
                "2017-10-25",
            ],
        );
        assert_eq!(mode(SIG), 0o644, "replaced signature file");
        run_ok(dir, &["extract", DOC, "--layer", "1", "--out", "x.md"]);
        assert_eq!(mode("x.md"), 0o666 & !umask);
        assert_eq!(mode("x.md.sig.json"), 0o666 & !umask);
    }
}

// ---------------------------------------------------------------------------------------------
// The write transaction, with failures injected at each step

/// Run with failures injected into the write transaction at `steps` (comma-separated).
fn run_failing(dir: &Path, steps: &str, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .env("TRANSMITTAL_TEST_FAIL_AT", steps)
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Spare copies (`NAME.bak-PID`) left in `dir`.
fn spare_copies(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".bak-"))
        .collect();
    out.sort();
    out
}

fn wrap_setup() -> (tempfile::TempDir, Vec<&'static str>) {
    let d = example_dir();
    let dir = d.path();
    std::fs::write(
        dir.join("cover.md"),
        "Letter.\n\n(Signed) António Guterres\n",
    )
    .unwrap();
    std::fs::write(dir.join("w.md"), b"old document").unwrap();
    std::fs::write(dir.join("w.md.sig.json"), b"old signature file").unwrap();
    let args = vec![
        "wrap",
        "--inner",
        DOC,
        "--cover",
        "cover.md",
        "--heading",
        "Annex",
        "--out",
        "w.md",
        "--force",
    ];
    (d, args)
}

/// A failure at any step before the transaction is complete leaves every original in place,
/// and only then does the error say "nothing was changed".
#[test]
fn injected_failure_at_each_step_restores_the_originals() {
    for step in [
        "stage:0",
        "stage:1",
        "backup:0",
        "backup:1",
        "install:0",
        "install:1",
        "sync:0",
    ] {
        // wrap --force over an existing pair.
        let (d, args) = wrap_setup();
        let dir = d.path();
        let before = snapshot(dir);
        let o = run_failing(dir, step, &args);
        io_error(&o, step);
        let e = stderr(&o);
        assert!(
            e.contains(&format!("injected failure at step {step}")),
            "{step}: {e}"
        );
        assert!(e.contains("nothing was changed"), "{step}: {e}");
        same(&before, &snapshot(dir), step);
        assert!(temp_files(dir).is_empty(), "{step}");
        // keygen --force over an existing key pair (secret key, trust-store entry).
        let kg = [
            "keygen",
            "--id",
            "k",
            "--name",
            "Jens Stoltenberg",
            "--unencrypted",
            "--out-dir",
            "kg",
            "--secret-dir",
            "ks",
            "--force",
        ];
        run_ok(dir, &kg[..10]);
        let before = snapshot(dir);
        let o = run_failing(dir, step, &kg);
        io_error(&o, &format!("keygen {step}"));
        assert!(stderr(&o).contains("nothing was changed"), "{}", stderr(&o));
        same(&before, &snapshot(dir), &format!("keygen {step}"));
        // A new pair (no --force): nothing is left behind. (New files have no spare copy, so
        // the backup steps are not reached.)
        if step.starts_with("backup") {
            continue;
        }
        let o = run_failing(
            dir,
            step,
            &args[..9]
                .iter()
                .map(|a| if *a == "w.md" { "n.md" } else { a })
                .collect::<Vec<_>>(),
        );
        io_error(&o, &format!("new pair {step}"));
        assert!(
            !dir.join("n.md").exists() && !dir.join("n.md.sig.json").exists(),
            "{step}"
        );
    }
}

/// The rollback itself fails: the error names the file that holds the new version, where its old
/// contents are kept and the command that puts them back, and that command works.
#[test]
fn a_failed_rollback_says_what_is_left_and_how_to_restore_it() {
    let (d, args) = wrap_setup();
    let dir = d.path();
    let before = snapshot(dir);
    let o = run_failing(dir, "install:1,rollback:0", &args);
    io_error(&o, "failed rollback");
    let e = stderr(&o);
    assert!(!e.contains("nothing was changed"), "{e}");
    assert!(e.contains("injected failure at step install:1"), "{e}");
    let spares = spare_copies(dir);
    assert_eq!(spares.len(), 1, "{spares:?}");
    let spare = spares[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(spare.starts_with("w.md.bak-"), "{spare}");
    // Exactly the state the message claims: w.md holds the new version, its old bytes are in the
    // spare copy, the signature file was never replaced.
    assert!(e.contains("w.md holds the new version"), "{e}");
    assert!(e.contains(&format!("`mv -f '{spare}' 'w.md'`")), "{e}");
    assert_ne!(std::fs::read(dir.join("w.md")).unwrap(), b"old document");
    assert_eq!(std::fs::read(&spares[0]).unwrap(), b"old document");
    assert_eq!(
        std::fs::read(dir.join("w.md.sig.json")).unwrap(),
        b"old signature file"
    );
    // The command given restores everything.
    let mv = Command::new("mv")
        .current_dir(dir)
        .args(["-f", &spare, "w.md"])
        .status()
        .unwrap();
    assert!(mv.success());
    same(&before, &snapshot(dir), "after the suggested mv");

    // A new file that cannot be removed again is named as such.
    let new_args: Vec<&str> = args[..9]
        .iter()
        .map(|a| if *a == "w.md" { "n.md" } else { a })
        .collect();
    let o = run_failing(dir, "install:1,rollback:0", &new_args);
    io_error(&o, "new file left");
    let e = stderr(&o);
    assert!(
        e.contains("n.md was written new and could not be removed"),
        "{e}"
    );
    assert!(dir.join("n.md").exists() && !dir.join("n.md.sig.json").exists());
}

/// Removing the spare copy after a successful write fails: the new files are in place, and the
/// error says so and names the copy to remove (it does not claim nothing changed).
#[test]
fn a_spare_copy_that_cannot_be_removed_is_named() {
    let (d, args) = wrap_setup();
    let dir = d.path();
    let o = run_failing(dir, "cleanup:1", &args);
    io_error(&o, "cleanup");
    let e = stderr(&o);
    assert!(!e.contains("nothing was changed"), "{e}");
    assert!(
        e.starts_with("transmittal: error: wrote w.md and w.md.sig.json, but "),
        "{e}"
    );
    let spares = spare_copies(dir);
    assert_eq!(spares.len(), 1, "{spares:?}");
    assert!(
        e.contains(&spares[0].file_name().unwrap().to_string_lossy().to_string()),
        "{e}"
    );
    assert_eq!(std::fs::read(&spares[0]).unwrap(), b"old signature file");
    let (code, _) = verify_json(dir, "w.md");
    assert_ne!(code, 2, "the new pair is complete");
    assert_ne!(std::fs::read(dir.join("w.md")).unwrap(), b"old document");
}
