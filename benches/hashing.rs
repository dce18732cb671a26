//! Canonical Merkle hashing of a layer versus plain SHA-256 of the same bytes.
//!
//! For each input kind, in the same run and with `Throughput::Bytes` of the *input*:
//!
//! - `sha256`: `sha2::Sha256::digest(input)`, the raw crypto cost (SHA-NI when the CPU has it);
//! - `canonicalize`: `canonical::canonicalize(input)` alone;
//! - `content_root`: `merkle::content_root` of the (pre-computed) canonical text alone;
//! - `canonical+merkle`: both, i.e. what hashing one layer costs;
//! - `canonical+merkle/1-thread`: the same inside a one-thread rayon pool (the sequential path);
//! - `streamed`: `digest::digest_bytes(input)`, the same root computed piece by piece without
//!   keeping the canonical text (what `transmittal hash` does), on all threads and on one.
//!
//! Inputs are generated deterministically here (no files needed):
//!
//! - `seed-md`: `tests/data/corpus/kfor-2017-q3.md` repeated with varied numbers (Markdown as
//!   published: paragraphs as long lines, blank lines between), ~3 KB (one letter), ~1 MB, ~16 MB;
//! - `wrapped`: the same paragraphs hard-wrapped at 72 columns (plain text from PDF/e-mail);
//! - `nfc-latin`: French/Spanish-like text with accents and typographic punctuation, already NFC;
//! - `nfd-latin`: the same text in NFD (every accent a combining mark).
//!
//! Run: `cargo bench --bench hashing` (add `-- seed-md` to filter). See `docs/PERFORMANCE.md`.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sha2::{Digest, Sha256};
use std::time::Duration;
use transmittal::{canonical, digest, merkle};
use unicode_normalization::UnicodeNormalization;

const SEED: &str = include_str!("../tests/data/corpus/kfor-2017-q3.md");

const MB: usize = 1 << 20;

/// `SEED` repeated until `target` bytes, every number in copy `i` shifted by `i` so that no two
/// copies (and no two leaves) are equal.
fn seed_markdown(target: usize) -> String {
    let mut out = String::with_capacity(target + SEED.len());
    let mut copy = 0u64;
    while out.len() < target {
        let mut digits = String::new();
        for c in SEED.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            if !digits.is_empty() {
                let v: u64 = digits.parse().unwrap_or(0);
                out.push_str(&(v + copy).to_string());
                digits.clear();
            }
            out.push(c);
        }
        if !digits.is_empty() {
            let v: u64 = digits.parse().unwrap_or(0);
            out.push_str(&(v + copy).to_string());
        }
        out.push_str("\n\n");
        copy += 1;
    }
    out
}

/// The paragraphs of `text` hard-wrapped at `width` columns, a blank line between paragraphs.
fn hard_wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width);
    for para in text.split('\n').filter(|l| !l.trim().is_empty()) {
        let mut col = 0;
        for word in para.split_whitespace() {
            let w = word.chars().count();
            if col > 0 && col + 1 + w > width {
                out.push('\n');
                col = 0;
            } else if col > 0 {
                out.push(' ');
                col += 1;
            }
            out.push_str(word);
            col += w;
        }
        out.push_str("\n\n");
    }
    out
}

/// A small deterministic PRNG (xorshift64*), so that the inputs are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const LATIN_WORDS: &[&str] = &[
    "la",
    "le",
    "les",
    "des",
    "de",
    "du",
    "et",
    "en",
    "un",
    "une",
    "pour",
    "dans",
    "sur",
    "avec",
    "par",
    "que",
    "qui",
    "pas",
    "plus",
    "son",
    "ses",
    "leur",
    "nous",
    "vous",
    "il",
    "ils",
    "elle",
    "mais",
    "comme",
    "force",
    "internationale",
    "mandat",
    "paix",
    "rapport",
    "sous",
    "entre",
    "Conseil",
    "mission",
    "Kosovo",
    "Mitrovica",
    "NATO",
    "KFOR",
    "Pristina",
    "Paulo",
    "el",
    "los",
    "las",
    "del",
    "por",
    "con",
    "para",
    "una",
    "como",
    "sobre",
    "fuerza",
    "paz",
    "Consejo",
    "informe",
    "mandato",
    "durante",
    "periodo",
    "situacion",
    "presence",
    "police",
    "patrouille",
    "frontière",
    "zone",
    "nord",
    "sud",
    "est",
    "ouest",
    "total",
    "troupes",
    "pays",
    "membres",
    "la",
    "le",
    "les",
    "des",
    "de",
    "du",
    "et",
    "en",
    "un",
    "une",
    "pour",
    "dans",
    "sur",
    "avec",
    "par",
    "que",
    "qui",
    "pas",
    "plus",
    "son",
    "ses",
    "leur",
    "nous",
    "vous",
    "il",
    "ils",
    "elle",
    "mais",
    "comme",
    "force",
    "internationale",
    "mandat",
    "paix",
    "rapport",
    "sous",
    "entre",
    "Conseil",
    "mission",
    "Kosovo",
    "Mitrovica",
    "NATO",
    "KFOR",
    "Pristina",
    "Paulo",
    "el",
    "los",
    "las",
    "del",
    "por",
    "con",
    "para",
    "una",
    "como",
    "sobre",
    "fuerza",
    "paz",
    "Consejo",
    "informe",
    "mandato",
    "durante",
    "periodo",
    "situacion",
    "presence",
    "police",
    "patrouille",
    "frontière",
    "zone",
    "nord",
    "sud",
    "est",
    "ouest",
    "total",
    "troupes",
    "pays",
    "membres",
    "à",
    "où",
    "été",
    "élaboré",
    "sécurité",
    "général",
    "présent",
    "période",
    "opérations",
    "activités",
    "déployée",
    "coopération",
    "français",
    "garçon",
    "reçu",
    "être",
    "très",
    "après",
    "déjà",
    "l’Organisation",
    "d’après",
    "qu’il",
    "aujourd’hui",
    "numéro",
    "señor",
    "año",
    "también",
    "misión",
    "información",
    "están",
    "según",
    "pequeño",
    "niño",
    "acción",
    "político",
    "económico",
    "región",
    "€",
    "—",
    "«",
    "»",
    "Œuvre",
    "cœur",
    "naïve",
    "Noël",
    "über",
    "Zürich",
    "São",
    "Bogotá",
    "…",
    "más",
    "sí",
    "región",
];

/// French/Spanish-like paragraphs (NFC), numbered, long lines, blank lines between: about one
/// character in twelve is not ASCII (accents, ’ « » — €), as in real French or Spanish prose.
fn latin_text(target: usize) -> String {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut out = String::with_capacity(target + 1024);
    let mut para = 1u32;
    while out.len() < target {
        out.push_str(&format!("{para}. "));
        let words = 20 + rng.next() % 100;
        for i in 0..words {
            if i > 0 {
                out.push(' ');
            }
            let w = rng.pick(LATIN_WORDS);
            if i == 0 {
                let mut cs = w.chars();
                if let Some(f) = cs.next() {
                    out.extend(f.to_uppercase());
                    out.push_str(cs.as_str());
                }
            } else {
                out.push_str(w);
            }
        }
        out.push_str(".\n\n");
        if para % 7 == 0 {
            out.push_str("Situation générale et coopération régionale\n\n");
        }
        para += 1;
    }
    out
}

struct Input {
    name: &'static str,
    size: String,
    bytes: Vec<u8>,
}

fn inputs() -> Vec<Input> {
    let md1 = seed_markdown(MB);
    let latin = latin_text(MB);
    vec![
        Input {
            name: "seed-md",
            size: "3KB".into(),
            bytes: SEED.as_bytes().to_vec(),
        },
        Input {
            name: "seed-md",
            size: "1MB".into(),
            bytes: md1.clone().into_bytes(),
        },
        Input {
            name: "seed-md",
            size: "16MB".into(),
            bytes: seed_markdown(16 * MB).into_bytes(),
        },
        Input {
            name: "wrapped",
            size: "1MB".into(),
            bytes: hard_wrap(&md1, 72).into_bytes(),
        },
        Input {
            name: "wrapped",
            size: "16MB".into(),
            bytes: hard_wrap(&seed_markdown(16 * MB), 72).into_bytes(),
        },
        Input {
            name: "nfc-latin",
            size: "1MB".into(),
            bytes: latin.clone().into_bytes(),
        },
        Input {
            name: "nfd-latin",
            size: "1MB".into(),
            bytes: latin.nfd().collect::<String>().into_bytes(),
        },
    ]
}

fn hash_layer(bytes: &[u8]) -> merkle::Hash {
    let canon = canonical::canonicalize(bytes).expect("UTF-8");
    merkle::content_root(canon.as_str())
}

fn bench_hashing(c: &mut Criterion) {
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("thread pool");
    for input in inputs() {
        let bytes = &input.bytes[..];
        let canon = canonical::canonicalize(bytes).expect("UTF-8");
        let group_name = format!("{}/{}", input.name, input.size);
        let mut g = c.benchmark_group(&group_name);
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        if bytes.len() >= 8 * MB {
            g.sample_size(20).measurement_time(Duration::from_secs(8));
        } else {
            g.measurement_time(Duration::from_secs(4));
        }
        g.bench_function("sha256", |b| b.iter(|| Sha256::digest(black_box(bytes))));
        g.bench_function("canonicalize", |b| {
            b.iter(|| canonical::canonicalize(black_box(bytes)))
        });
        g.bench_function("content_root", |b| {
            b.iter(|| merkle::content_root(black_box(canon.as_str())))
        });
        g.bench_function(BenchmarkId::new("canonical+merkle", "all-threads"), |b| {
            b.iter(|| hash_layer(black_box(bytes)))
        });
        g.bench_function(BenchmarkId::new("canonical+merkle", "1-thread"), |b| {
            one_thread.install(|| b.iter(|| hash_layer(black_box(bytes))))
        });
        g.bench_function(BenchmarkId::new("streamed", "all-threads"), |b| {
            b.iter(|| digest::digest_bytes(black_box(bytes)))
        });
        g.bench_function(BenchmarkId::new("streamed", "1-thread"), |b| {
            one_thread.install(|| b.iter(|| digest::digest_bytes(black_box(bytes))))
        });
        g.finish();
    }
}

criterion_group!(benches, bench_hashing);
criterion_main!(benches);
