//! The raw cryptographic cost of checking an archive of signed chains: the reference for
//! `transmittal audit` (see `docs/PERFORMANCE.md`, "audit throughput").
//!
//! ```text
//! cargo run --release --example raw_verify -- DIR [--threads N] [--repeat R]
//! ```
//!
//! Finds every `X.sig.json` under `DIR` with its document `X` (as written by `gen_chains`), reads
//! both, and extracts each signature's public key, signature and signed statement (the exact
//! message bytes, precomputed with `transmittal::chain::Statement::to_bytes`). That loading is
//! timed on its own and is **not** part of the reference. Then it checks every signature, and
//! hashes every document once (SHA-256 of its bytes), in three ways:
//!
//! 1. `strict, 1 thread`: ed25519-dalek `verify_strict`, one signature after another, on one core;
//! 2. `dalek batch, N threads`: `ed25519_dalek::verify_batch` over 64 signatures at a time, the
//!    batches spread over N threads (default: all cores). This is the fastest correct-for-honest-
//!    input check there is, but it is not strict (it accepts small-order components that cancel,
//!    see `crates/core/src/crypto/`), so it is a lower bound, not an alternative;
//! 3. `exact batch, N threads`: `transmittal::crypto::verify_many` (strict answers, batched), in
//!    slices of `audit::SIGNATURE_SLICE` (as the audit calls it) over N threads;
//! 4. `transmittal::crypto::verify_strict` one signature after another on one core, and on N
//!    threads (the exact checks `verify` makes);
//! 5. the reference as the issue defines it, "a minimal in-process program that only reads the
//!    same files, hashes them and checks the same signatures", with everything timed: in tasks
//!    of 512 documents over N threads, read each document and its signature file, hash the
//!    document, take the signed statements' fields out of the signature file (serde, skipping
//!    everything else unchecked) and build the statements, then check them with dalek's
//!    `verify_batch` (64 at a time). Then the floor of an exact audit: the same with the
//!    library's signature-file parser (which checks the whole file) and the exact
//!    `crypto::verify_many`; it leaves out everything else an audit does (canonical text, layer
//!    roots, trust, dates, the report and its JSON).
//!
//! Keys are decoded once per distinct key in every mode. Each mode runs `R` times (default 3) and
//! the fastest run is reported, in signatures per second (wall clock), with the CPU time per
//! signature (user + system time of all threads, from `/proc/self/stat`; a figure that a busy
//! machine disturbs less than the wall clock).
//!
//! `--phases` then times (`--phases-only`: only times), on one thread, each step `transmittal audit` makes per document, using
//! the library's public functions (reading, canonicalizing, parsing the signature file,
//! `verify::prepare` as a whole, `crypto::verify_many`, `verify::finish` without and with the
//! parser-agreement check, the parser alone, and the JSON record), in µs per document, with the
//! trust store `keys/` of the current directory (run it from the repository root).

use ed25519_dalek::{Signature, VerifyingKey};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use transmittal::sigfile::SignatureFile;

/// Documents per task in the from-the-files modes: 1,024 signatures, one
/// `transmittal::audit::SIGNATURE_SLICE`, as the audit checks them.
const DOCS_PER_TASK: usize = transmittal::audit::SIGNATURE_SLICE / 2;

/// The document a signature file `X.sig.json` belongs to: `X`.
fn doc_path(sig: &Path) -> PathBuf {
    PathBuf::from(sig.to_string_lossy().trim_end_matches(".sig.json"))
}

/// What the minimal reference reads of a signature file: only the fields of the signed
/// statements (serde skips the rest, without checking it).
#[derive(serde::Deserialize)]
struct LeanFile<'a> {
    #[serde(borrow)]
    profile: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    layers: Vec<LeanLayer<'a>>,
}

#[derive(serde::Deserialize)]
struct LeanLayer<'a> {
    #[serde(borrow)]
    signatures: Vec<LeanSig<'a>>,
}

#[derive(serde::Deserialize)]
struct LeanSig<'a> {
    #[serde(borrow)]
    signer: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    public_key: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    signatory: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    commitment: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    letter_date: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    signed_on: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    content_sha256: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    beneath_markers_sha256: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    beneath_chain_sha256: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    beneath_signatures_sha256: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    signature: std::borrow::Cow<'a, str>,
}

/// The minimal reference's parse: the signed statements of a signature file, as `Item`s.
fn lean_items(bytes: &[u8], out: &mut Vec<Item>) -> bool {
    use transmittal::chain::{Beneath, Commitment, Statement};
    fn h32(s: &str) -> Option<[u8; 32]> {
        let mut o = [0u8; 32];
        hex::decode_to_slice(s, &mut o).ok().map(|()| o)
    }
    let Ok(file) = serde_json::from_slice::<LeanFile<'_>>(bytes) else {
        return false;
    };
    for l in &file.layers {
        for s in &l.signatures {
            let mut signature = [0u8; 64];
            let beneath = match (&s.beneath_markers_sha256, &s.beneath_chain_sha256) {
                (Some(m), Some(c)) => match (h32(m), h32(c)) {
                    (Some(markers), Some(chain)) => Some(Beneath { markers, chain }),
                    _ => return false,
                },
                _ => None,
            };
            let statement = Statement {
                profile: file.profile.to_string(),
                content: match h32(&s.content_sha256) {
                    Some(h) => h,
                    None => return false,
                },
                beneath,
                beneath_signatures: s.beneath_signatures_sha256.as_deref().and_then(h32),
                commitment: if s.commitment == "transmits" {
                    Commitment::Transmits
                } else {
                    Commitment::Endorses
                },
                signatory: s.signatory.to_string(),
                signer: s.signer.to_string(),
                public_key: match h32(&s.public_key) {
                    Some(k) => k,
                    None => return false,
                },
                letter_date: s
                    .letter_date
                    .as_deref()
                    .and_then(transmittal::dates::parse_iso),
                signed_on: match transmittal::dates::parse_iso(&s.signed_on) {
                    Some(d) => d,
                    None => return false,
                },
            };
            if hex::decode_to_slice(&*s.signature, &mut signature).is_err() {
                return false;
            }
            out.push(Item {
                key: statement.public_key,
                message: statement.to_bytes(),
                signature,
            });
        }
    }
    true
}

/// How many of `items` dalek's `verify_batch` confirms, checked as one batch: all or none.
fn dalek_batch(items: &[Item], keys: &HashMap<[u8; 32], VerifyingKey>) -> usize {
    let m: Vec<&[u8]> = items.iter().map(|i| i.message.as_slice()).collect();
    let s: Vec<Signature> = items
        .iter()
        .map(|i| Signature::from_bytes(&i.signature))
        .collect();
    let k: Vec<VerifyingKey> = items.iter().map(|i| keys[&i.key]).collect();
    if ed25519_dalek::verify_batch(&m, &s, &k).is_ok() {
        items.len()
    } else {
        0
    }
}

/// How many of `items` the exact `crypto::verify_many` accepts (one call for all of them).
fn exact_batch(items: &[Item]) -> usize {
    let b: Vec<transmittal::crypto::BatchItem<'_>> = items
        .iter()
        .map(|i| transmittal::crypto::BatchItem {
            public_key: &i.key,
            message: &i.message,
            signature: &i.signature,
        })
        .collect();
    transmittal::crypto::verify_many(&b)
        .iter()
        .filter(|r| r.is_ok())
        .count()
}

struct Item {
    key: [u8; 32],
    message: Vec<u8>,
    signature: [u8; 64],
}

fn usage() -> ! {
    eprintln!("usage: raw_verify DIR [--threads N] [--repeat R] [--phases | --phases-only]");
    std::process::exit(2);
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        eprintln!("raw_verify: cannot read {}", dir.display());
        std::process::exit(2)
    };
    for e in rd.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        match e.file_type() {
            Ok(t) if t.is_dir() => collect(&p, out),
            Ok(t) if t.is_file() && name.ends_with(".sig.json") => out.push(p),
            _ => {}
        }
    }
}

/// Wall-clock and CPU time (all threads of the process) of one measurement, in seconds.
#[derive(Clone, Copy)]
struct Timing {
    wall: f64,
    cpu: f64,
}

/// CPU time used by this process so far (user + system, from /proc/self/stat; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 of stat(5) (utime, stime) are the 12th and 13th after the command name.
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn best<F: FnMut() -> usize>(repeat: usize, mut f: F) -> (Timing, usize) {
    let mut best = Timing {
        wall: f64::INFINITY,
        cpu: f64::INFINITY,
    };
    let mut ok = 0;
    for _ in 0..repeat {
        let c = cpu_seconds();
        let t = Instant::now();
        ok = f();
        best.wall = best.wall.min(t.elapsed().as_secs_f64());
        best.cpu = best.cpu.min(cpu_seconds() - c);
    }
    (best, ok)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = None;
    let mut threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let mut repeat = 3usize;
    let mut phases = false;
    let mut phases_only = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--threads" => {
                threads = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--repeat" => {
                repeat = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--phases" => phases = true,
            "--phases-only" => phases_only = true,
            "-h" | "--help" => usage(),
            d if dir.is_none() => dir = Some(PathBuf::from(d)),
            _ => usage(),
        }
    }
    let Some(dir) = dir else { usage() };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap_or_else(|e| {
            eprintln!("raw_verify: {e}");
            std::process::exit(2)
        });

    // Load (not part of the reference).
    let t = Instant::now();
    let mut sigs = Vec::new();
    collect(&dir, &mut sigs);
    sigs.sort();
    let mut docs: Vec<Vec<u8>> = Vec::with_capacity(sigs.len());
    let mut items: Vec<Item> = Vec::with_capacity(2 * sigs.len());
    let mut bytes = 0usize;
    for s in &sigs {
        let (Ok(doc), Ok(sig)) = (std::fs::read(doc_path(s)), std::fs::read(s)) else {
            eprintln!("raw_verify: cannot read {} or its document", s.display());
            std::process::exit(2)
        };
        let file = SignatureFile::from_json(&sig).unwrap_or_else(|e| {
            eprintln!("raw_verify: {}: {e:?}", s.display());
            std::process::exit(2)
        });
        for l in &file.layers {
            for r in &l.signatures {
                items.push(Item {
                    key: r.statement.public_key,
                    message: r.statement.to_bytes(),
                    signature: r.signature,
                });
            }
        }
        bytes += doc.len() + sig.len();
        docs.push(doc);
    }
    let load = t.elapsed().as_secs_f64();
    let n = items.len();
    let doc_bytes: usize = docs.iter().map(|d| d.len()).sum();
    println!(
        "raw_verify: {} documents ({:.1} MB), {} signatures under {}; {} threads",
        docs.len(),
        doc_bytes as f64 / 1e6,
        n,
        dir.display(),
        threads
    );
    println!(
        "  load (read {:.1} MB + parse signature files + build statements; not in the reference): {:.3} s",
        bytes as f64 / 1e6,
        load
    );
    let mut keys: HashMap<[u8; 32], VerifyingKey> = HashMap::new();
    for i in &items {
        if let std::collections::hash_map::Entry::Vacant(v) = keys.entry(i.key) {
            match VerifyingKey::from_bytes(&i.key) {
                Ok(k) => {
                    v.insert(k);
                }
                Err(e) => {
                    eprintln!("raw_verify: bad key: {e}");
                    std::process::exit(1)
                }
            }
        }
    }
    let sig_of = |i: &Item| Signature::from_bytes(&i.signature);
    let hash_all =
        |docs: &[Vec<u8>]| -> u8 { docs.iter().fold(0u8, |acc, d| acc ^ Sha256::digest(d)[0]) };

    // 1. strict, one thread.
    if phases_only {
        phase_breakdown(&sigs, repeat);
        return;
    }
    let (t1, ok1) = best(repeat, || {
        std::hint::black_box(hash_all(&docs));
        items
            .iter()
            .filter(|i| keys[&i.key].verify_strict(&i.message, &sig_of(i)).is_ok())
            .count()
    });
    // 2. dalek batch, all threads.
    let (t2, ok2) = best(repeat, || {
        pool.install(|| {
            docs.par_chunks(256).for_each(|c| {
                std::hint::black_box(hash_all(c));
            });
            items.par_chunks(64).map(|c| dalek_batch(c, &keys)).sum()
        })
    });
    // 3. exact batch (transmittal::crypto::verify_many), all threads.
    let (t3, ok3) = best(repeat, || {
        pool.install(|| {
            docs.par_chunks(256).for_each(|c| {
                std::hint::black_box(hash_all(c));
            });
            items
                .par_chunks(transmittal::audit::SIGNATURE_SLICE)
                .map(exact_batch)
                .sum()
        })
    });
    // 4. exact strict, one thread (transmittal::crypto::verify_strict).
    let (t4, ok4) = best(repeat, || {
        std::hint::black_box(hash_all(&docs));
        items
            .iter()
            .filter(|i| {
                transmittal::crypto::verify_strict(&i.key, &i.message, &i.signature).is_ok()
            })
            .count()
    });
    // 5. exact strict, all threads (transmittal::crypto::verify_strict per signature).
    let (t5, ok5) = best(repeat, || {
        pool.install(|| {
            docs.par_chunks(256).for_each(|c| {
                std::hint::black_box(hash_all(c));
            });
            items
                .par_iter()
                .filter(|i| {
                    transmittal::crypto::verify_strict(&i.key, &i.message, &i.signature).is_ok()
                })
                .count()
        })
    });
    // 6. for comparison: decoding R and one torsion test [L]R = 0 per signature, what
    //    crypto::verify_many did before its torsion screen (one test per call of 256 or more).
    let (t6, ok6) = best(repeat, || {
        items
            .iter()
            .filter(|i| {
                let r: [u8; 32] = i.signature[..32].try_into().unwrap_or([0; 32]);
                VerifyingKey::from_bytes(&r).is_ok_and(|p| p.to_edwards().is_torsion_free())
            })
            .count()
    });
    let (t7, ok7) = best(repeat, || {
        items
            .iter()
            .filter(|i| {
                let r: [u8; 32] = i.signature[..32].try_into().unwrap_or([0; 32]);
                VerifyingKey::from_bytes(&r).is_ok()
            })
            .count()
    });
    let row = |name: &str, t: Timing, ok: usize| {
        println!(
            "  {name:<54} {:>8.0} signatures/s  {:>7.3} s  CPU {:>6.1} µs/signature  ({ok}/{n} ok)",
            n as f64 / t.wall,
            t.wall,
            t.cpu * 1e6 / n as f64,
        );
    };
    row("strict (dalek verify_strict), 1 thread", t1, ok1);
    row(
        "strict (transmittal::crypto::verify_strict), 1 thread",
        t4,
        ok4,
    );
    row(
        &format!("dalek verify_batch x64, {threads} threads"),
        t2,
        ok2,
    );
    row(
        &format!("exact batch (crypto::verify_many), {threads} threads"),
        t3,
        ok3,
    );
    row(
        &format!("exact strict (crypto::verify_strict), {threads} threads"),
        t5,
        ok5,
    );
    row("  part: decode R (in 3 and 5), 1 thread", t7, ok7);
    row(
        "  compare: decode R + one torsion test per R (no screen), 1 thread",
        t6,
        ok6,
    );

    // 8. and 9.: the reference as the issue defines it, a minimal program that reads the same
    //    files, hashes them and checks the same signatures, with everything timed: each task
    //    takes `DOCS_PER_TASK` documents, reads the document and its signature file, hashes the
    //    document, parses the signature file (the library's parser, which also checks each part's
    //    leaves against its root) and builds the signed statements, then checks the signatures:
    //    8 with dalek's verify_batch (64 at a time), 9 with the exact crypto::verify_many.
    //    9 is the floor of an exact audit: it does nothing an audit may skip.
    let from_files = |exact: bool| -> usize {
        pool.install(|| {
            sigs.par_chunks(DOCS_PER_TASK)
                .map(|chunk| {
                    let mut local: Vec<Item> = Vec::with_capacity(2 * chunk.len());
                    for s in chunk {
                        let (Ok(doc), Ok(sig)) = (std::fs::read(doc_path(s)), std::fs::read(s))
                        else {
                            return 0;
                        };
                        std::hint::black_box(Sha256::digest(&doc));
                        if exact {
                            let Ok(file) = SignatureFile::from_json(&sig) else {
                                return 0;
                            };
                            for l in &file.layers {
                                for r in &l.signatures {
                                    local.push(Item {
                                        key: r.statement.public_key,
                                        message: r.statement.to_bytes(),
                                        signature: r.signature,
                                    });
                                }
                            }
                        } else if !lean_items(&sig, &mut local) {
                            return 0;
                        }
                    }
                    if exact {
                        exact_batch(&local)
                    } else {
                        local.chunks(64).map(|c| dalek_batch(c, &keys)).sum()
                    }
                })
                .sum()
        })
    };
    let (t8, ok8) = best(repeat, || from_files(false));
    let (t9, ok9) = best(repeat, || from_files(true));
    println!(
        "  from the files, all timed (read both files, hash the document, parse the signature file, build the statements, check):"
    );
    row(
        &format!("reference: minimal parse + dalek verify_batch x64, {threads} threads"),
        t8,
        ok8,
    );
    row(
        &format!("floor of an exact audit: library parse + verify_many, {threads} threads"),
        t9,
        ok9,
    );
    if phases {
        phase_breakdown(&sigs, repeat);
    }
    if ok1 != n || ok2 != n || ok3 != n || ok4 != n || ok5 != n || ok8 != n || ok9 != n {
        eprintln!("raw_verify: some signatures did not verify");
        std::process::exit(1);
    }
}

fn per_doc<T>(repeat: usize, n: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(v);
    }
    let Some(v) = out else { unreachable!() };
    (best * 1e6 / n as f64, v)
}

/// Time each step of an audit on one thread, per document.
fn phase_breakdown(sigs: &[PathBuf], repeat: usize) {
    use transmittal::verify;
    let store = transmittal::trust::load(Path::new("keys")).unwrap_or_else(|e| {
        eprintln!("raw_verify: trust store keys/: {e}");
        std::process::exit(2)
    });
    let n = sigs.len();
    let docs: Vec<PathBuf> = sigs.iter().map(|s| doc_path(s)).collect();
    let (t_read, files) = per_doc(repeat, n, || {
        docs.iter()
            .zip(sigs)
            .map(|(d, s)| {
                (
                    transmittal::fsutil::read_limited(d, transmittal::fsutil::MAX_DOCUMENT_BYTES)
                        .unwrap_or_default(),
                    transmittal::fsutil::read_limited(s, transmittal::fsutil::MAX_METADATA_BYTES)
                        .unwrap_or_default(),
                )
            })
            .collect::<Vec<_>>()
    });
    let (t_canon, canon) = per_doc(repeat, n, || {
        files
            .iter()
            .filter_map(|(d, _)| transmittal::canonical::canonicalize(d).ok())
            .collect::<Vec<_>>()
    });
    let (t_sigfile, _) = per_doc(repeat, n, || {
        files
            .iter()
            .filter(|(_, s)| SignatureFile::from_json(s).is_ok())
            .count()
    });
    let (t_parser, _) = per_doc(repeat, n, || {
        canon
            .iter()
            .map(|c| transmittal::parser::propose(c).layers.len())
            .sum::<usize>()
    });
    let (t_bounds, _) = per_doc(repeat, n, || {
        canon
            .iter()
            .map(|c| transmittal::parser::propose_boundaries(c).layers.len())
            .sum::<usize>()
    });
    let names: Vec<(String, String)> = docs
        .iter()
        .zip(sigs)
        .map(|(d, s)| (d.display().to_string(), s.display().to_string()))
        .collect();
    let prepare_all = |skip: bool| {
        files
            .iter()
            .zip(&names)
            .filter_map(|((d, s), (dn, sn))| {
                verify::prepare(
                    dn,
                    d,
                    sn,
                    s,
                    &store,
                    verify::Options {
                        strict: false,
                        skip_parser_check: skip,
                        today: None,
                        ..Default::default()
                    },
                )
                .ok()
            })
            .collect::<Vec<_>>()
    };
    let (t_prepare, prepared) = per_doc(repeat, n, || prepare_all(false));
    let (t_crypto, results) = per_doc(repeat, n, || {
        let items: Vec<transmittal::crypto::BatchItem<'_>> = prepared
            .iter()
            .flat_map(|p| p.jobs.iter())
            .map(|j| transmittal::crypto::BatchItem {
                public_key: &j.public_key,
                message: &j.message,
                signature: &j.signature,
            })
            .collect();
        items
            .chunks(transmittal::audit::SIGNATURE_SLICE)
            .flat_map(transmittal::crypto::verify_many)
            .collect::<Vec<_>>()
    });
    let finish_all = |prepared: Vec<verify::Prepared>, skip: bool| {
        let mut at = 0;
        prepared
            .into_iter()
            .map(|p| {
                let k = p.jobs.len();
                let r = verify::finish(
                    p,
                    &results[at..at + k],
                    &store,
                    verify::Options {
                        strict: false,
                        skip_parser_check: skip,
                        today: None,
                        ..Default::default()
                    },
                );
                at += k;
                r
            })
            .collect::<Vec<_>>()
    };
    // finish consumes its input: prepare again (untimed) for each timed run.
    let mut t_finish_skip = f64::INFINITY;
    let mut t_finish = f64::INFINITY;
    let mut reports = Vec::new();
    for _ in 0..repeat.max(1) {
        let p = prepare_all(true);
        let t = Instant::now();
        drop(finish_all(p, true));
        t_finish_skip = t_finish_skip.min(t.elapsed().as_secs_f64() * 1e6 / n as f64);
        let p = prepare_all(false);
        let t = Instant::now();
        reports = finish_all(p, false);
        t_finish = t_finish.min(t.elapsed().as_secs_f64() * 1e6 / n as f64);
    }
    let (t_json, bytes) = per_doc(repeat, n, || {
        reports
            .iter()
            .map(|r| serde_json::to_vec(r).map(|v| v.len()).unwrap_or(0))
            .sum::<usize>()
    });
    let (t_json_sized, _) = per_doc(repeat, n, || {
        reports
            .iter()
            .map(|r| {
                let mut v = Vec::with_capacity(4096);
                serde_json::to_writer(&mut v, r)
                    .map(|()| v.len())
                    .unwrap_or(0)
            })
            .sum::<usize>()
    });
    let valid = reports
        .iter()
        .filter(|r| r.verdict == verify::Verdict::Valid)
        .count();
    println!("  phases of an audit, 1 thread, µs per document (2 signatures), best of {repeat}:");
    println!("    read document + signature file (fsutil::read_limited)  {t_read:>8.1}");
    println!("    verify::prepare                                         {t_prepare:>8.1}");
    println!("      of which canonical::canonicalize                      {t_canon:>8.1}");
    println!("      of which SignatureFile::from_json                     {t_sigfile:>8.1}");
    println!("    crypto::verify_many (audit slices)                      {t_crypto:>8.1}");
    println!("    verify::finish, skip_parser_check                       {t_finish_skip:>8.1}");
    println!("    verify::finish, with the parser check                   {t_finish:>8.1}");
    println!("      parser::propose alone                                 {t_parser:>8.1}");
    println!("      parser::propose_boundaries alone (what finish runs)   {t_bounds:>8.1}");
    println!(
        "    JSON record (serde_json, {:.0} bytes/report)           {t_json:>8.1}",
        bytes as f64 / n as f64
    );
    println!("      into a buffer of 4 KiB from the start                 {t_json_sized:>8.1}");
    println!(
        "    total without crypto: {:.1} µs; with: {:.1} µs ({valid}/{n} valid)",
        t_read + t_prepare + t_finish + t_json,
        t_read + t_prepare + t_finish + t_json + t_crypto
    );
}
