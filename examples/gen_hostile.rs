//! Generate the hostile inputs of `docs/SECURITY.md`, "Bounds" (used by `scripts/measure-bounds.sh`).
//!
//! ```text
//! cargo run --release --example gen_hostile -- MODE N OUT [--keys KEYS]
//! ```
//!
//! Modes (each writes `OUT`, and `OUT.sig.json` where a signature file goes with it):
//!
//! * `nested N`: `N` nested layers, each the line `(Signed) X` under an `Annex` heading (the
//!   innermost names `Jens Stoltenberg`), with the signature file of the parser's proposal and the
//!   innermost layer signed by the demo key `stoltenberg`.
//! * `shuffled N`: `N` nested letters (`Letter number I` and a `(Signed)` line, under `Annex`), the
//!   innermost signed, then the layers beneath the outermost written in a shuffled order (the
//!   signature file is the one of the unshuffled document: nearly every layer moved).
//! * `forged N`: `N` distinct lines, and a forged, unsigned signature file of `N` layers whose
//!   content parts all end inside a line (every one a "mid-line" part for the alignment).
//! * `annex-lines MB`, `signed-lines MB`: `MB` megabytes of `Annex` lines, or of `(Signed) X`
//!   lines, without a signature file.
//! * `random MB`: `MB` megabytes of pseudo-random bytes (not UTF-8: refused), without a signature
//!   file.
//! * `random-text MB`: `MB` megabytes of random lines of the words the parser looks for, without a
//!   signature file.
//!
//! The output is deterministic: the same arguments give the same bytes. The demo key is derived
//! from its published seed (`examples/demo-keys/README.md`) and must be in the trust store `KEYS`
//! (default `keys`).

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use transmittal::canonical;
use transmittal::dates::Date;
use transmittal::keys::SecretKey;
use transmittal::sigfile::{LayerRecord, PartRecord, SignatureFile};
use transmittal::sign::{self, SignOptions};
use transmittal::trust;

fn usage() -> ! {
    eprintln!("usage: gen_hostile nested|shuffled|forged|annex-lines|signed-lines|random|random-text N OUT [--keys KEYS]");
    std::process::exit(2);
}

fn fail(msg: String) -> ! {
    eprintln!("gen_hostile: {msg}");
    std::process::exit(1);
}

/// splitmix64: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn demo_key(id: &str) -> SecretKey {
    let seed: [u8; 32] = Sha256::digest(format!("transmittal demo key v1: {id}").as_bytes()).into();
    SecretKey::from_seed(&seed, Some(id.to_owned()), None)
}

/// The signature file of the parser's proposal for `text`, its innermost layer signed (an outer
/// layer is only countersigned once the layers beneath it that name a signatory are signed).
fn signed_file(name: &str, text: &str, keys: &Path) -> SignatureFile {
    let store = trust::load(keys).unwrap_or_else(|e| fail(format!("{e}")));
    let key = demo_key("stoltenberg");
    let doc = canonical::canonicalize_str(text);
    // A layer at every `Annex` heading line, without the parser (its proposals stop at
    // `parser::MAX_LAYERS` layers).
    let t = doc.as_str();
    let mut bounds = vec![(0, 0)];
    let mut pos = 0;
    while let Some(k) = t[pos..].find("\nAnnex\n\n") {
        let start = pos + k + 1;
        bounds.push((start, start + "Annex\n\n".len()));
        pos = start + "Annex\n\n".len();
    }
    let file = SignatureFile {
        profile: canonical::PROFILE.to_owned(),
        layers: sign::records_from_bounds(&doc, &bounds),
    };
    let date = transmittal::dates::from_dmy(18, 10, 2017).unwrap_or_else(|| fail("date".into()));
    let opts = SignOptions {
        layer: Some(file.layers.len().saturating_sub(1)),
        signed_on: date,
        letter_date: Some(None::<Date>),
        commitment: None,
        allow_invisible: false,
        accept_structure: true,
        allow_hidden: false,
        force_letter_date: false,
        today: transmittal::dates::today(),
    };
    sign::sign(name, text.as_bytes(), Some(&file), &key, &store, &opts)
        .unwrap_or_else(|e| fail(format!("{name}: {e}")))
        .file
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
}

fn write_sig(out: &Path, f: &SignatureFile) {
    write(
        &transmittal::sigfile::default_path(out),
        f.to_json().as_bytes(),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut pos = Vec::new();
    let mut keys = PathBuf::from("keys");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--keys" => keys = it.next().map(PathBuf::from).unwrap_or_else(|| usage()),
            "-h" | "--help" => usage(),
            _ => pos.push(a.clone()),
        }
    }
    let [mode, n, out] = pos.as_slice() else {
        usage()
    };
    let n: usize = n.parse().unwrap_or_else(|_| usage());
    let out = PathBuf::from(out);
    let name = out.display().to_string();
    match mode.as_str() {
        "nested" => {
            let mut text = String::from("(Signed) X\n\n");
            for _ in 2..n {
                text.push_str("Annex\n\n(Signed) X\n\n");
            }
            text.push_str("Annex\n\n(Signed) Jens Stoltenberg\n\n");
            let f = signed_file(&name, &text, &keys);
            write(&out, text.as_bytes());
            write_sig(&out, &f);
        }
        "shuffled" => {
            let layer = |i: usize| {
                format!(
                    "Letter number {i} to the Secretary-General\n\n(Signed) Jens Stoltenberg\n\n"
                )
            };
            let mut text = layer(0);
            for i in 1..n {
                text.push_str("Annex\n\n");
                text.push_str(&layer(i));
            }
            let f = signed_file(&name, &text, &keys);
            // Fisher-Yates over the layers beneath the outermost (the signed innermost one moves).
            let mut order: Vec<usize> = (1..n).collect();
            let mut r = Rng(0x6e65_7374_6564);
            for k in (1..order.len()).rev() {
                let j = (r.next() % (k as u64 + 1)) as usize;
                order.swap(k, j);
            }
            let mut shuffled = layer(0);
            for i in order {
                shuffled.push_str("Annex\n\n");
                shuffled.push_str(&layer(i));
            }
            write(&out, shuffled.as_bytes());
            write_sig(&out, &f);
        }
        "forged" => {
            let mut text = String::new();
            for i in 0..n {
                text.push_str(&format!("Line {i} of the document\n"));
            }
            let mut layers: Vec<LayerRecord> = (0..n)
                .map(|i| LayerRecord {
                    kind: transmittal::chain::LayerKind::from_markers(i, ""),
                    markers: PartRecord::of(""),
                    content: PartRecord::of(&format!("Forged part {i}")),
                    chain: [0; 32],
                    signatures: Vec::new(),
                })
                .collect();
            sign::rechain(&mut layers);
            let f = SignatureFile {
                profile: canonical::PROFILE.to_owned(),
                layers,
            };
            write(&out, text.as_bytes());
            write_sig(&out, &f);
        }
        "annex-lines" | "signed-lines" => {
            let line: &[u8] = if mode == "annex-lines" {
                b"Annex\n"
            } else {
                b"(Signed) X\n"
            };
            let bytes: Vec<u8> = line.iter().copied().cycle().take(n << 20).collect();
            write(&out, &bytes);
        }
        "random" => {
            let mut r = Rng(0x7261_6e64_6f6d);
            let bytes: Vec<u8> = (0..n << 20).map(|_| (r.next() >> 56) as u8).collect();
            write(&out, &bytes);
        }
        "random-text" => {
            // Printable words, lines of random length, now and then a heading, a "(Signed)" line,
            // a run-in "Enclosure" or a blank line: text the parser and the alignment must read.
            let words: [&str; 12] = [
                "Annex",
                "(Signed)",
                "Enclosure",
                "Letter",
                "dated",
                "the",
                "report",
                "KFOR",
                "4,100",
                "[Original:",
                "English]",
                "S/2017/912",
            ];
            let mut r = Rng(0x7465_7874);
            let mut text = String::with_capacity(n << 20);
            while text.len() < n << 20 {
                let k = r.next() % 16;
                for w in 0..k {
                    if w > 0 {
                        text.push(' ');
                    }
                    text.push_str(words[(r.next() % 12) as usize]);
                }
                text.push('\n');
                if r.next() % 4 == 0 {
                    text.push('\n');
                }
            }
            write(&out, text.as_bytes());
        }
        _ => usage(),
    }
}
