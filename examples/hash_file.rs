//! The work of `transmittal hash FILE` as bare library calls, timed on standard error:
//!
//! - `whole`: read the file, `canonicalize`, `merkle::content_root` (the path `verify` and
//!   `sign` take, which keep the canonical text and its line map), each phase timed;
//! - `streamed`: `digest::digest_reader` on the open file (what `transmittal hash` does).
//!
//! Both print the root; they must agree. Used by `scripts/bench-hash.sh` and to see where the
//! time goes. Run: `cargo run --release --example hash_file -- FILE [ROUNDS] [whole|streamed]`
//! (the third argument runs one of the two only).

use std::time::Instant;
use transmittal::{canonical, digest, merkle};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: hash_file FILE [ROUNDS]")?;
    let rounds: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(1);
    let only = args.next();
    let mb = std::fs::metadata(&path)?.len() as f64 / 1e6;
    let rate = |a: Instant, b: Instant| mb / (b - a).as_secs_f64();
    for _ in 0..rounds {
        if only.as_deref() != Some("whole") {
            streamed(&path, mb)?;
        }
        if only.as_deref() == Some("streamed") {
            continue;
        }
        let t0 = Instant::now();
        let bytes = std::fs::read(&path)?;
        let t1 = Instant::now();
        let c = canonical::canonicalize(&bytes)?;
        let t2 = Instant::now();
        let root = merkle::content_root(c.as_str());
        let t3 = Instant::now();
        eprintln!(
            "read {:.1} ms ({:.0} MB/s), canonicalize {:.1} ms ({:.0} MB/s), merkle {:.1} ms ({:.0} MB/s), total {:.0} MB/s",
            (t1 - t0).as_secs_f64() * 1e3,
            rate(t0, t1),
            (t2 - t1).as_secs_f64() * 1e3,
            rate(t1, t2),
            (t3 - t2).as_secs_f64() * 1e3,
            rate(t2, t3),
            rate(t0, t3),
        );
        println!("{}  {path} (whole)", hex::encode(root));
        if only.is_none() && streamed(&path, mb)? != root {
            return Err("the streamed root differs from the whole-text root".into());
        }
    }
    Ok(())
}

fn streamed(path: &str, mb: f64) -> Result<[u8; 32], Box<dyn std::error::Error>> {
    let t0 = Instant::now();
    let d = digest::digest_reader(
        std::fs::File::open(path)?,
        std::path::Path::new(path),
        u64::MAX,
    )?;
    let t = t0.elapsed().as_secs_f64();
    eprintln!("streamed {:.1} ms ({:.0} MB/s)", t * 1e3, mb / t);
    println!("{}  {path} (streamed)", hex::encode(d.content_sha256));
    Ok(d.content_sha256)
}
