//! Generate signed 3-layer transmittal chains for benchmarks and tests.
//!
//! ```text
//! cargo run --release --example gen_chains -- N DIR [--keys KEYS]
//! ```
//!
//! Writes `N` documents `DIR/NNN/chain-NNNNNN.md`, each with its signature file `….md.sig.json`,
//! 1,000 per subdirectory. Each is a variant of `examples/kfor-2017-q3.md` (the seed document:
//! UN cover letter → NATO letter under "Annex" → KFOR report under "Enclosure", about 3.6 KB):
//! a different quarter and year (2017–2023), letter and publication dates to match, troop figures,
//! countries and dates in the report, and the order of paragraphs 4–6 (renumbered). The NATO
//! layer is signed first (`endorses`), then the UN cover (`transmits`), with
//! `transmittal::sign::sign`, using the demo keys (derived from their published seeds, see
//! `examples/demo-keys/README.md`) and the trust store `KEYS` (default `keys`). The boundaries
//! are the ones the parser proposes for the seed, fixed here by their text (so the output does not
//! change with the parser). The output is deterministic: the same `N` gives the same bytes.

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use transmittal::canonical;
use transmittal::chain::LayerKind;
use transmittal::dates::Date;
use transmittal::keys::SecretKey;
use transmittal::parser::{Confidence, LayerProposal, Structure};
use transmittal::sigfile::SignatureFile;
use transmittal::sign::{self, SignOptions};
use transmittal::trust;

const SEED_DOC: &str = include_str!("kfor-2017-q3.md");

fn usage() -> ! {
    eprintln!("usage: gen_chains N DIR [--keys KEYS]");
    std::process::exit(2);
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
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn date(y: i32, m: u8, d: u8) -> Date {
    transmittal::dates::from_dmy(d, m, y).unwrap_or_else(|| {
        eprintln!("gen_chains: bad date {y}-{m}-{d}");
        std::process::exit(1)
    })
}

fn long(d: Date) -> String {
    format!(
        "{} {} {}",
        d.day(),
        MONTHS[usize::from(u8::from(d.month())) - 1],
        d.year()
    )
}

fn days_in(y: i32, m: u8) -> u8 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

fn replace_once(s: &str, from: &str, to: &str) -> String {
    if !s.contains(from) {
        eprintln!("gen_chains: the seed document no longer contains {from:?}");
        std::process::exit(1);
    }
    s.replacen(from, to, 1)
}

/// One variant of the seed and its letter dates (UN cover, NATO letter).
fn variant(i: u64) -> (String, Date, Date) {
    let mut r = Rng(0x7472_616e_736d_6974 ^ i.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let year = 2017 + (r.next() % 7) as i32; // 2017..=2023
    let q = (r.next() % 4) as u8; // quarter 0..=3
    let first = 3 * q + 1;
    let last = first + 2;
    let (ny, nm) = if last == 12 {
        (year + 1, 1)
    } else {
        (year, last + 1)
    };
    let nato = date(ny, nm, r.range(5, 20) as u8);
    let un = date(ny, nm, nato.day() + r.range(3, 7) as u8);
    let publ = date(ny, nm, un.day() + r.range(1, 3) as u8);
    let as_at = date(year, last, r.range(1, u64::from(days_in(year, last))) as u8);
    let period = format!(
        "from 1 {} to {} {} {year}",
        MONTHS[usize::from(first) - 1],
        days_in(year, last),
        MONTHS[usize::from(last) - 1]
    );
    let month1 = format!("{} {year}", MONTHS[usize::from(first) - 1]);
    let troops = r.range(3500, 5000);
    let nato_n = r.range(18, 28);
    let other_n = r.range(5, 12);

    let mut t = SEED_DOC.to_owned();
    t = replace_once(&t, "31 October 2017", &long(publ));
    t = replace_once(
        &t,
        "Letter dated 25 October 2017",
        &format!("Letter dated {}", long(un)),
    );
    t = replace_once(
        &t,
        "attached letter dated 18 October 2017",
        &format!("attached letter dated {}", long(nato)),
    );
    t = t.replace("from 1 July to 30 September 2017", &period);
    t = replace_once(
        &t,
        "As at 15 September 2017",
        &format!("As at {}", long(as_at)),
    );
    t = replace_once(
        &t,
        "approximately 4,100, from 21 North Atlantic Treaty Organization (NATO) and 8 non-NATO",
        &format!(
            "approximately {},{:03}, from {nato_n} North Atlantic Treaty Organization (NATO) and {other_n} non-NATO",
            troops / 1000,
            troops % 1000
        ),
    );
    t = replace_once(&t, "mid-July 2017", &format!("mid-{month1}"));
    t = replace_once(&t, "North in July 2017", &format!("North in {month1}"));

    // Paragraphs 4-6 in another order, renumbered.
    let starts: Vec<usize> = ["\n4. ", "\n5. ", "\n6. ", "\n\nSummary"]
        .iter()
        .map(|m| {
            t.find(m).unwrap_or_else(|| {
                eprintln!("gen_chains: the seed document has no {m:?}");
                std::process::exit(1)
            })
        })
        .collect();
    let paras: Vec<String> = (0..3)
        .map(|k| t[starts[k] + 4..starts[k + 1]].to_owned())
        .collect();
    let order: [[usize; 3]; 6] = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    let o = order[(r.next() % 6) as usize];
    let mut middle = String::new();
    for (k, &p) in o.iter().enumerate() {
        middle.push_str(&format!("\n{}. {}", k + 4, paras[p]));
    }
    t = format!("{}{}{}", &t[..starts[0]], middle, &t[starts[3]..]);
    (t, un, nato)
}

/// The seed's boundaries, found by their text in the canonical form of a variant.
fn structure(doc: &canonical::CanonicalText) -> Structure {
    let text = doc.as_str();
    let at = |needle: &str| -> usize {
        text.find(needle).unwrap_or_else(|| {
            eprintln!("gen_chains: no {needle:?} in a generated document");
            std::process::exit(1)
        })
    };
    let l0 = at("**Letter dated");
    let l1 = at("\nAnnex\n") + 1;
    let c1 = at("In accordance with paragraph 20");
    let l2 = at("Enclosure**Report");
    let c2 = l2 + "Enclosure".len();
    let layer = |kind, start, content_start, end| LayerProposal {
        kind,
        start,
        content_start,
        end,
        title: None,
        date: None,
        original_language: None,
        signatories: Vec::new(),
        confidence: Confidence::Certain,
        evidence: Vec::new(),
    };
    Structure {
        header: None,
        layers: vec![
            layer(LayerKind::Cover, l0, l0, l1),
            layer(LayerKind::Annex, l1, c1, l2),
            layer(LayerKind::Enclosure, l2, c2, text.len()),
        ],
    }
}

fn demo_key(id: &str) -> SecretKey {
    let seed: [u8; 32] = Sha256::digest(format!("transmittal demo key v1: {id}").as_bytes()).into();
    SecretKey::from_seed(&seed, Some(id.to_owned()), None)
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
    let [n, dir] = pos.as_slice() else { usage() };
    let n: u64 = n.parse().unwrap_or_else(|_| usage());
    let dir = PathBuf::from(dir);
    let store = trust::load(&keys).unwrap_or_else(|e| {
        eprintln!("gen_chains: {e}");
        std::process::exit(2)
    });
    let nato_key = demo_key("stoltenberg");
    let un_key = demo_key("guterres");
    for k in [&nato_key, &un_key] {
        if store.by_key(&k.public_key()).is_none() {
            eprintln!(
                "gen_chains: the demo key {} is not in the trust store {}",
                k.id().unwrap_or("?"),
                keys.display()
            );
            std::process::exit(2);
        }
    }
    let started = std::time::Instant::now();
    let result: Result<(), String> = (0..n).into_par_iter().try_for_each(|i| {
        let (text, un_date, nato_date) = variant(i);
        let path = chain_path(&dir, i);
        let name = path.display().to_string();
        let doc = canonical::canonicalize_str(&text);
        let file = SignatureFile {
            profile: canonical::PROFILE.to_owned(),
            layers: sign::records_from_structure(&doc, &structure(&doc)),
        };
        let opts = |d: Date, layer: usize| SignOptions {
            layer: Some(layer),
            signed_on: d,
            letter_date: Some(Some(d)),
            commitment: None,
            allow_invisible: false,
            accept_structure: true,
            allow_hidden: false,
            force_letter_date: false,
            today: transmittal::dates::today(),
        };
        let nato = sign::sign(
            &name,
            text.as_bytes(),
            Some(&file),
            &nato_key,
            &store,
            &opts(nato_date, 1),
        )
        .map_err(|e| format!("{name}: NATO layer: {e}"))?;
        let un = sign::sign(
            &name,
            text.as_bytes(),
            Some(&nato.file),
            &un_key,
            &store,
            &opts(un_date, 0),
        )
        .map_err(|e| format!("{name}: UN layer: {e}"))?;
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
        }
        std::fs::write(&path, text.as_bytes()).map_err(|e| format!("{name}: {e}"))?;
        let sig = transmittal::sigfile::default_path(&path);
        std::fs::write(&sig, un.file.to_json()).map_err(|e| format!("{}: {e}", sig.display()))?;
        Ok(())
    });
    if let Err(e) = result {
        eprintln!("gen_chains: {e}");
        std::process::exit(1);
    }
    eprintln!(
        "gen_chains: wrote {n} signed chains ({} signatures) under {} in {:.1} s",
        2 * n,
        dir.display(),
        started.elapsed().as_secs_f64()
    );
}

fn chain_path(dir: &Path, i: u64) -> PathBuf {
    dir.join(format!("{:03}", i / 1000))
        .join(format!("chain-{i:06}.md"))
}
