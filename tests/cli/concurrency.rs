//! CLI tests: concurrent writers. Co-signers signing one document at the same moment, as real
//! processes, are serialised by the lock `sign` takes around its read-modify-write of the
//! signature file: every signature is kept, every round.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const NAMES: [&str; 8] = [
    "Anna", "Bruno", "Carla", "Dario", "Elena", "Fabio", "Greta", "Hugo",
];

fn bin_path() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_transmittal"))
}

/// A one-layer letter with a "(Signed)" line for each name, and an unencrypted key for each.
fn setup(dir: &Path) {
    let mut letter = String::from("A letter from eight of us.\n\n");
    for n in NAMES {
        letter.push_str(&format!("(Signed) {n} Example\n"));
    }
    std::fs::write(dir.join("l.md"), letter).unwrap();
    for (i, n) in NAMES.iter().enumerate() {
        let o = bin()
            .current_dir(dir)
            .args(["keygen", "--id", &format!("k{i}"), "--name"])
            .arg(format!("{n} Example"))
            .args([
                "--unencrypted",
                "--out-dir",
                "keys",
                "--secret-dir",
                "secret",
            ])
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn concurrent_co_signers_lose_no_signature() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    setup(dir);
    for round in 0..10 {
        let _ = std::fs::remove_file(dir.join("l.md.sig.json"));
        let children: Vec<_> = (0..NAMES.len())
            .map(|i| {
                Command::new(bin_path())
                    .current_dir(dir)
                    .envs(TEST_ENV)
                    .env_remove("TRANSMITTAL_PASSPHRASE")
                    .args(["sign", "l.md", "--key", &format!("secret/k{i}.key")])
                    .args(["--date", "2020-01-01"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let o = c.wait_with_output().unwrap();
            assert_eq!(
                o.status.code(),
                Some(0),
                "round {round}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        let file = transmittal::sigfile::SignatureFile::from_json(
            &std::fs::read(dir.join("l.md.sig.json")).unwrap(),
        )
        .unwrap();
        let total: usize = file.layers.iter().map(|l| l.signatures.len()).sum();
        assert_eq!(total, NAMES.len(), "round {round}: signatures lost");
        let (code, report) = verify_json(dir, "l.md");
        assert_eq!(code, 0, "round {round}: {report}");
        assert_eq!(report["verdict"], "valid", "round {round}");
        // The lock is on the directory: no lock file and no temporary file is left behind.
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["keys", "l.md", "l.md.sig.json", "secret"],
            "round {round}"
        );
    }
}
