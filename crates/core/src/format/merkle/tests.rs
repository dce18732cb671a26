//! Unit tests of `merkle`.

use super::*;

fn ranges(s: &str) -> Vec<&str> {
    leaf_ranges(s).map(|r| &s[r]).collect()
}

#[test]
fn leaves_attach_the_following_blank_line() {
    assert_eq!(ranges("A\n\nB\nC\n"), vec!["A\n\n", "B\n", "C\n"]);
    assert_eq!(ranges("Enclosure"), vec!["Enclosure"]);
    assert_eq!(ranges("x\n\n**R**\n"), vec!["x\n\n", "**R**\n"]);
    assert_eq!(ranges(""), Vec::<&str>::new());
    assert_eq!(ranges("\nB\n"), vec!["\nB\n"]);
    assert_eq!(ranges("A\nB"), vec!["A\n", "B"]);
}

/// RFC 6962 §2.1 definition, recursively, as the reference.
fn mth(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let mut k = 1;
            while k * 2 < n {
                k *= 2;
            }
            node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
        }
    }
}

#[test]
fn roots_match_the_rfc_definition() {
    for n in 0..40usize {
        let leaves: Vec<Hash> = (0..n).map(|i| leaf_hash(&[i as u8])).collect();
        let want = mth(&leaves);
        assert_eq!(root_of(&leaves), want, "n={n}");
        let mut b = RootBuilder::default();
        for l in &leaves {
            b.push(*l);
        }
        assert_eq!(b.finish(), want, "builder n={n}");
    }
}

/// A text of `n` leaves of varied lengths (1 to ~200 bytes, some with a blank line after
/// them, some crossing SHA-256 block boundaries).
fn text_of(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let len = (i * 37 + 11) % 197;
        s.push_str(&format!("{i}:"));
        s.extend((0..len).map(|j| (b'a' + ((i + j) % 26) as u8) as char));
        s.push_str(if i % 3 == 0 { "\n\n" } else { "\n" });
    }
    s
}

/// A cheap, order-sensitive stand-in for `node_hash`, to check the shape of the parallel tree.
fn mix(l: u64, r: u64) -> u64 {
    (l.rotate_left(23) ^ 0x9e37_79b9_7f4a_7c15)
        .wrapping_mul(0xbf58_476d_1ce4_e5b9)
        .wrapping_add(r.wrapping_mul(0x94d0_49bb_1331_11eb))
        .rotate_left(31)
}

/// RFC 6962 §2.1, recursively, over `u64` leaves with `mix` as the node function.
fn mth_mix(leaves: &[u64]) -> u64 {
    match leaves.len() {
        0 => 0,
        1 => leaves[0],
        n => {
            let k = split_point(n);
            mix(mth_mix(&leaves[..k]), mth_mix(&leaves[k..]))
        }
    }
}

#[test]
fn parallel_tree_has_the_rfc_shape_for_every_size() {
    let leaves: Vec<u64> = (0..2000u64).map(|i| mix(i, !i)).collect();
    for n in 0..=leaves.len() {
        let want = mth_mix(&leaves[..n]);
        // Grains 1 to 3 join at (nearly) every node: only the smaller sizes, for time.
        let grains: &[usize] = if n <= 300 {
            &[1, 2, 3, 7, 64]
        } else {
            &[7, 64, 1000]
        };
        for &grain in grains {
            let got = par_tree(
                0..n,
                &|r: std::ops::Range<usize>| r.len() <= grain,
                // The sequential side: bottom-up pairing, as `root_of` does it.
                &|r: std::ops::Range<usize>| {
                    let mut level = leaves[r].to_vec();
                    while level.len() > 1 {
                        level = level
                            .chunks(2)
                            .map(|p| if p.len() == 2 { mix(p[0], p[1]) } else { p[0] })
                            .collect();
                    }
                    level.first().copied().unwrap_or(0)
                },
                &mix,
            );
            assert_eq!(got, want, "n={n} grain={grain}");
        }
    }
}

#[test]
fn parallel_roots_equal_the_sequential_ones() {
    // SHA-256 is slow in unoptimized test builds: all sizes up to 70, then sizes around
    // powers of two and a few others (the shape for every size is checked above).
    let sizes: Vec<usize> = (0..=70)
        .chain([127, 128, 129, 255, 256, 257, 600, 1023, 1024, 1025, 2000])
        .collect();
    let text = text_of(2000);
    let bounds = leaf_bounds(&text);
    assert_eq!(bounds.len(), 2001);
    let leaves: Vec<Hash> = bounds
        .windows(2)
        .map(|w| leaf_hash(&text.as_bytes()[w[0] as usize..w[1] as usize]))
        .collect();
    assert_eq!(leaves, leaf_hashes(&text));
    for &n in &sizes {
        let want = root_of(&leaves[..n]);
        let part = &text[..bounds[n] as usize];
        assert_eq!(content_root(part), want, "n={n}");
        for grain in [0, 1, 3] {
            assert_eq!(
                par_root_of(&leaves[..n], grain),
                want,
                "n={n} grain={grain}"
            );
        }
        for grain in [0, 300, 5000] {
            let got = par_content_root(part.as_bytes(), &bounds[..=n], grain);
            assert_eq!(got, want, "n={n} grain={grain}");
        }
    }
    // A slice that starts with a lone LF and ends inside a line.
    let part = &text[text.len() / 3 - 1..text.len() / 3 + 20_000];
    let b = leaf_bounds(part);
    assert_eq!(par_content_root(part.as_bytes(), &b, 0), content_root(part));
    assert_eq!(par_root_of(&leaf_hashes(part), 1), content_root(part));
}

#[test]
fn leaf_bounds_found_in_pieces_equal_the_sequential_ones() {
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as usize
    };
    for round in 0..3000 {
        let mut s = String::new();
        for _ in 0..next(40) {
            s.push_str(["a", "bc", "\n", "\n\n", "\n\n\n", "x\n", "é"][next(7)]);
        }
        let want: Vec<u32> = leaf_ranges(&s)
            .map(|r| r.start as u32)
            .chain([s.len() as u32])
            .collect();
        for pieces in [1, 2, 3, 5, 40] {
            let got = leaf_bounds_in(s.as_bytes(), pieces);
            assert_eq!(got, want, "round {round}: {s:?} in {pieces}");
        }
    }
}

#[cfg(feature = "parallel")]
#[test]
fn large_parts_take_the_parallel_path_with_the_same_result() {
    let text = text_of(6000);
    assert!(text.len() >= PARALLEL_MIN_BYTES);
    let seq: Vec<Hash> = leaf_ranges(&text)
        .map(|r| leaf_hash(&text.as_bytes()[r]))
        .collect();
    let mut builder = RootBuilder::default();
    for l in &seq {
        builder.push(*l);
    }
    let want = builder.finish();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    let (leaves, root, tree) = pool.install(|| {
        assert!(parallel(text.len(), PARALLEL_MIN_BYTES));
        (
            leaf_hashes(&text),
            content_root(&text),
            par_root_of(&seq, 64),
        )
    });
    assert_eq!(leaves, seq);
    assert_eq!(root, want);
    assert_eq!(tree, want);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    assert_eq!(one.install(|| content_root(&text)), want);
}

#[test]
fn rfc6962_empty_and_single_leaf() {
    assert_eq!(
        hex::encode(empty_root()),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    // RFC 6962 test vector: leaf hash of the empty string.
    assert_eq!(
        hex::encode(leaf_hash(b"")),
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    );
}
