//! Helpers shared by the CLI tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The environment every test run of the binary gets: the trust store is `keys` in the working
/// directory, named by `TRANSMITTAL_KEYS` as a user would name it (there is no implicit store in
/// the current directory; a `--keys` flag still wins), and the user's configuration directory is
/// one that does not exist, so that no test can pick up the developer's own trust store. Tests of
/// the store search override these.
pub const TEST_ENV: [(&str, &str); 3] = [
    ("TRANSMITTAL_KEYS", "keys"),
    ("XDG_CONFIG_HOME", "/nonexistent/transmittal-test/config"),
    ("HOME", "/nonexistent/transmittal-test/home"),
];

/// The `transmittal` binary as an `assert_cmd` command, with a clean environment for colour and
/// passphrases and [`TEST_ENV`] for the trust store.
pub fn bin() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("transmittal").expect("binary built");
    c.env_remove("TRANSMITTAL_PASSPHRASE")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .envs(TEST_ENV);
    c
}

/// A temporary directory holding a copy of the shipped example (document, signature file), the
/// demo trust store as `keys/`, and the demo secret keys (mode 0600) as `demo-keys/`.
pub fn example_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = root();
    std::fs::copy(
        r.join("examples/kfor-2017-q3.md"),
        dir.path().join("kfor-2017-q3.md"),
    )
    .unwrap();
    let sig = r.join("examples/kfor-2017-q3.md.sig.json");
    if sig.exists() {
        std::fs::copy(&sig, dir.path().join("kfor-2017-q3.md.sig.json")).unwrap();
    }
    copy_dir(&r.join("keys"), &dir.path().join("keys"));
    copy_dir(&r.join("examples/demo-keys"), &dir.path().join("demo-keys"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for e in std::fs::read_dir(dir.path().join("demo-keys")).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "key") {
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
            }
        }
    }
    dir
}

/// Copy the regular files of `from` into a new directory `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    if let Ok(rd) = std::fs::read_dir(from) {
        for e in rd {
            let p = e.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
            }
        }
    }
}

/// Snapshot of every file under `dir` (path → bytes), to prove nothing changed.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Run `verify --json` on `doc` in `dir` and parse the report.
pub fn verify_json(dir: &Path, doc: &str) -> (i32, serde_json::Value) {
    verify_json_with(dir, doc, &[])
}

/// [`verify_json`] with more arguments (`--strict`, `--sig PATH`, …).
pub fn verify_json_with(dir: &Path, doc: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let o = bin()
        .current_dir(dir)
        .args(["verify", doc, "--json"])
        .args(extra)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "verify --json output is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o.status.code().unwrap_or(-1), v)
}

/// Every problem code in a `verify --json` report.
pub fn codes(report: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    for p in report["problems"].as_array().into_iter().flatten() {
        out.push(p["code"].as_str().unwrap_or("").to_owned());
    }
    for l in report["layers"].as_array().into_iter().flatten() {
        for p in l["problems"].as_array().into_iter().flatten() {
            out.push(p["code"].as_str().unwrap_or("").to_owned());
        }
        for s in l["signatures"].as_array().into_iter().flatten() {
            for c in s["codes"].as_array().into_iter().flatten() {
                out.push(c.as_str().unwrap_or("").to_owned());
            }
        }
    }
    out
}
