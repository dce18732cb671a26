//! Unit tests of `canonical`.

#[test]
fn line_map_runs_agree_with_a_plain_list() {
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n
    };
    for _ in 0..500 {
        // A plain list of increasing original lines with random gaps, its map, and a second
        // list appended with an offset.
        let mut plain: Vec<u32> = Vec::new();
        let mut map = LineMap::default();
        let mut line = 1 + next(3) as u32;
        for _ in 0..next(30) {
            plain.push(line);
            map.push(line);
            line += 1 + next(3) as u32 * u32::from(next(4) == 0);
        }
        let mut other = LineMap::default();
        let mut other_plain = Vec::new();
        let mut l = 1;
        for _ in 0..next(10) {
            other.push(l);
            other_plain.push(l);
            l += 1 + u32::from(next(3) == 0);
        }
        map.extend_shifted(&other, 1000);
        plain.extend(other_plain.iter().map(|x| x + 1000));
        assert_eq!(map.len as usize, plain.len());
        for (k, want) in plain.iter().enumerate() {
            assert_eq!(map.get(k), Some(*want));
        }
        assert_eq!(map.get(plain.len()), None);
        if !plain.is_empty() {
            map.drop_first();
            plain.remove(0);
            for (k, want) in plain.iter().enumerate() {
                assert_eq!(map.get(k), Some(*want), "after drop_first");
            }
            assert_eq!(map.len as usize, plain.len());
        }
    }
    // Runs: one for an unbroken document.
    let c = canonicalize_str(&"line\n".repeat(1000));
    assert_eq!(c.original_lines.runs.len(), 1);
    assert_eq!(c.original_line(999), 1000);
}

#[test]
fn line_count_bound_counts_every_terminator() {
    assert_eq!(line_count_bound(b""), 1);
    assert_eq!(line_count_bound(b"a\r\nb\rc\nd"), 4);
    assert_eq!(line_count_bound(b"\r\r\n\n"), 4);
}

use super::invisible::{invisible_candidates, may_hold_invisible};
use super::*;
use unicode_normalization::UnicodeNormalization;

#[test]
fn may_hold_invisible_is_exactly_the_byte_rule() {
    let rule = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') || b >= 0x7f;
    for b in 0..=255u8 {
        // The byte alone, and at every position of a block boundary's neighbourhood.
        for at in [0usize, 1, 63, 64, 65, 127, 130] {
            let mut v = vec![b'a'; 131];
            v[at] = b;
            assert_eq!(may_hold_invisible(&v), rule(b), "byte {b:#04x} at {at}");
        }
    }
    assert!(!may_hold_invisible(b""));
    assert!(!may_hold_invisible(b"plain text\twith a tab\n\n"));
}

/// The lead-byte shortcut skips only characters that `invisible_class` would not name.
#[test]
fn invisible_candidates_cover_every_named_character() {
    let all: String = (0u32..0x11_0000).filter_map(char::from_u32).collect();
    let named: Vec<(usize, char)> = all
        .char_indices()
        .filter(|&(_, c)| invisible_class(c).is_some())
        .collect();
    let found: Vec<(usize, char)> = invisible_candidates(&all)
        .filter(|&(_, c)| invisible_class(c).is_some())
        .collect();
    assert_eq!(found, named);
    assert!(named.len() > 100);
}

#[test]
fn line_endings_bom_and_blank_runs() {
    let a = canonicalize(b"\xef\xbb\xbfA  \r\n\r\n\r\n\r\nB\t\rC").unwrap();
    assert_eq!(a.as_str(), "A\n\nB\nC\n");
    let b = canonicalize(b"\n\nA\n\nB\nC\n\n\n").unwrap();
    assert_eq!(a.as_str(), b.as_str());
}

#[test]
fn maps_back_to_original_lines() {
    let c = canonicalize(b"\n\nA\n\n\nB\n").unwrap();
    assert_eq!(c.as_str(), "A\n\nB\n");
    assert_eq!(c.original_line(0), 3);
    assert_eq!(c.original_line(1), 4);
    assert_eq!(c.original_line(2), 6);
    assert_eq!(c.original_line_of(4), 6);
    assert_eq!(c.original_line_count(), 6);
}

#[test]
fn nfc_and_unicode_whitespace() {
    let nfd = "Anto\u{0301}nio\u{00a0}\u{3000}\nx";
    let c = canonicalize_str(nfd);
    assert_eq!(c.as_str(), "António\nx\n");
}

#[test]
fn not_utf8_reports_offset() {
    let err = canonicalize(b"abc\xffdef").unwrap_err();
    assert!(matches!(err, InputError::NotUtf8 { offset: 3 }));
}

#[test]
fn empty_and_blank_documents() {
    assert_eq!(canonicalize(b"").unwrap().as_str(), "");
    assert_eq!(canonicalize(b"  \n\r\n\t\n").unwrap().as_str(), "");
}

/// The line-by-line definition of the profile, written as plainly as possible (whole lines
/// through the NFC normalizer): the reference the optimized [`canonicalize_str`] must match.
fn reference(input: &str) -> (String, Vec<u32>, u32) {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut lines: Vec<&str> = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        match rest.find(['\n', '\r']) {
            None => {
                lines.push(rest);
                rest = "";
            }
            Some(i) => {
                lines.push(&rest[..i]);
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
            }
        }
    }
    let (mut text, mut orig) = (String::new(), Vec::new());
    let mut pending = None;
    for (i, raw) in lines.iter().enumerate() {
        let n: String = raw.nfc().collect();
        let mut line = n.trim_end_matches(char::is_whitespace);
        if orig.is_empty() {
            line = line.trim_start_matches('\u{feff}');
        }
        if line.is_empty() {
            if !orig.is_empty() && pending.is_none() {
                pending = Some(i as u32 + 1);
            }
            continue;
        }
        if let Some(b) = pending.take() {
            text.push('\n');
            orig.push(b);
        }
        text.push_str(line);
        text.push('\n');
        orig.push(i as u32 + 1);
    }
    (text, orig, lines.len() as u32)
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces that exercise normalization: composed and decomposed Latin, stacked and reordered
/// marks, Hangul jamo and syllables, singletons, excluded compositions, Indic two-part
/// vowels, typographic punctuation, white space of every kind, line ends of every kind.
const PIECES: &[&str] = &[
    "a",
    "e",
    "q",
    "U",
    " ",
    "  ",
    "\t",
    ".",
    "é",
    "ñ",
    "Å",
    "ǖ",
    "ʰ",
    "\u{2ff}",
    "\u{301}",
    "\u{308}",
    "\u{323}",
    "\u{327}",
    "\u{31b}",
    "\u{345}",
    "\u{344}",
    "\u{340}",
    "\u{300}",
    "\u{1100}",
    "\u{1161}",
    "\u{11a8}",
    "\u{ac00}",
    "\u{ac01}",
    "\u{f900}",
    "\u{2126}",
    "\u{212b}",
    "\u{1e9b}",
    "\u{f73}",
    "\u{f71}",
    "\u{f72}",
    "\u{cc6}",
    "\u{cc2}",
    "\u{cd5}",
    "\u{dd9}",
    "\u{dcf}",
    "\u{928}\u{93c}",
    "\u{929}",
    "ά",
    "\u{3b1}\u{301}",
    "’",
    "«",
    "—",
    "\u{2000}",
    "\u{3000}",
    "\u{a0}",
    "\u{85}",
    "\u{2028}",
    "\u{200b}",
    "\u{feff}",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\n\n\n",
    " \n",
    "\u{3000}\r\n",
    "ﬁ",
    "\u{1d15e}",
    "\u{11099}",
    "\u{110ba}",
    "\u{1b05}\u{1b35}",
    "\u{2001}",
    "\u{2002}",
    "\u{2019}",
    "\u{20ac}",
    "\u{20c0}",
    "\u{20c1}",
    "\u{2070}",
    "\u{1fed}",
    "\u{e9}\u{301}",
    "o\u{302}\u{301}",
    "\u{1ec7}",
    "a\u{30a}",
];

/// The characters `find_unstable` passes over, by code point.
fn is_boundary(c: char) -> bool {
    matches!(c as u32, 0..=0x2ff | 0x2002..=0x206f | 0x20a0..=0x20c0)
}

#[test]
fn boundary_characters_are_nfc_boundaries() {
    use unicode_normalization::char::canonical_combining_class;
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    let mut buf = [0u8; 4];
    for c in (0u32..0x11_0000).filter_map(char::from_u32) {
        let enc = c.encode_utf8(&mut buf).as_bytes();
        // What the byte scan decides, character by character.
        assert_eq!(find_unstable(enc, 0) == enc.len(), is_boundary(c), "{c:?}");
        if !is_boundary(c) {
            continue;
        }
        // A starter that never combines with what precedes it ...
        assert_eq!(canonical_combining_class(c), 0, "{c:?}");
        assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
        // ... whose canonical decomposition starts with such a character.
        let first = std::iter::once(c).nfd().next().unwrap();
        assert!(is_boundary(first), "{c:?}");
        assert_eq!(canonical_combining_class(first), 0, "{c:?}");
        assert_eq!(is_nfc_quick(std::iter::once(first)), IsNormalized::Yes);
    }
}

#[test]
fn piecewise_nfc_equals_nfc() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for _ in 0..20_000 {
        let mut s = String::new();
        for _ in 0..rng.below(12) {
            s.push_str(PIECES[rng.below(PIECES.len())]);
        }
        let mut out = String::from("x");
        nfc_into(&s, &mut out);
        assert_eq!(&out[1..], s.nfc().collect::<String>(), "{s:?}");
        let want = s
            .char_indices()
            .find(|&(_, c)| !is_boundary(c))
            .map_or(s.len(), |(i, _)| i);
        assert_eq!(find_unstable(s.as_bytes(), 0), want, "{s:?}");
    }
    // Long runs across the 32-byte scan chunks.
    for n in 0..100 {
        let s = format!("{}e\u{301}{}", "a".repeat(n), "b".repeat(n % 37));
        assert_eq!(find_unstable(s.as_bytes(), 0), n + 1);
        assert_eq!(find_unstable(s.as_bytes(), n + 3), s.len());
    }
}

#[test]
fn matches_the_reference_definition() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..20_000 {
        let mut s = String::new();
        if round % 7 == 0 {
            s.push('\u{feff}');
        }
        for _ in 0..rng.below(40) {
            s.push_str(PIECES[rng.below(PIECES.len())]);
        }
        let c = canonicalize_str(&s);
        let (text, orig, count) = reference(&s);
        assert_eq!(c.as_str(), text, "{s:?}");
        let got: Vec<u32> = (0..c.line_count()).map(|i| c.original_line(i)).collect();
        assert_eq!(got, orig, "{s:?}");
        assert_eq!(c.original_line_count(), count, "{s:?}");
        assert!(c.as_str().nfc().eq(c.as_str().chars()), "{s:?}");
    }
}

/// The sequential path, whatever the size (a one-thread pool).
fn sequential(bytes: &[u8]) -> Result<CanonicalText, InputError> {
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    one.install(|| canonicalize(bytes))
}

#[test]
fn pieces_join_into_the_sequential_result() {
    let mut rng = Rng(0xd1b5_4a32_d192_ed03);
    const BAD: &[&[u8]] = &[
        b"\xff",
        b"\xc3",
        b"\xc3\n",
        b"\xe2\x80",
        b"\xed\xa0\x80",
        b"\x80",
    ];
    for round in 0..6000 {
        let mut doc: Vec<u8> = Vec::new();
        if round % 5 == 0 {
            doc.extend_from_slice("\u{feff}".as_bytes());
        }
        for _ in 0..rng.below(60) {
            doc.extend_from_slice(PIECES[rng.below(PIECES.len())].as_bytes());
            if round % 4 == 0 && rng.below(50) == 0 {
                doc.extend_from_slice(BAD[rng.below(BAD.len())]);
            }
        }
        // Cuts at random line starts (just after an LF).
        let mut cuts = vec![0];
        for p in 1..doc.len() {
            if doc[p - 1] == b'\n' && rng.below(3) == 0 {
                cuts.push(p);
            }
        }
        cuts.push(doc.len());
        let got = canonicalize_parallel(&doc, cuts.clone()).map(strip_leading_bom);
        match (sequential(&doc), got) {
            (Ok(want), Ok(got)) => assert_eq!(got, want, "{doc:?} cut at {cuts:?}"),
            (Err(InputError::NotUtf8 { offset: a }), Err(InputError::NotUtf8 { offset: b })) => {
                assert_eq!(a, b, "{doc:?} cut at {cuts:?}");
                let e = std::str::from_utf8(&doc).unwrap_err();
                assert_eq!(a, e.valid_up_to() as u64);
            }
            (want, got) => panic!("{doc:?} cut at {cuts:?}: {want:?} vs {got:?}"),
        }
    }
}

#[cfg(feature = "parallel")]
#[test]
fn large_inputs_take_the_parallel_path_with_the_same_result() {
    let mut rng = Rng(0x8cb9_2ba7_2f3d_8dd7);
    let mut doc = String::from("\u{feff}\n\n");
    while doc.len() < PARALLEL_MIN_BYTES + 100_000 {
        for _ in 0..rng.below(30) {
            doc.push_str(PIECES[rng.below(PIECES.len())]);
        }
        doc.push_str(["\n", "\n\n", "\r\n \r\n\n", "\n\n\n\n"][rng.below(4)]);
        if rng.below(500) == 0 {
            // A long stretch of blank lines, so that a whole piece may be blank.
            doc.push_str(&"\n \n".repeat(rng.below(100_000)));
        }
    }
    let want = sequential(doc.as_bytes()).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    pool.install(|| {
        assert!(parallel(doc.len()));
        assert!(split_points(doc.as_bytes()).len() > 3);
        assert_eq!(canonicalize(doc.as_bytes()).unwrap(), want);
        assert_eq!(canonicalize_str(&doc), want);
        let mut bad = doc.clone().into_bytes();
        let at = bad.len() * 2 / 3;
        bad.insert(at, 0xff);
        bad.insert(at / 2, 0xc3);
        let offset = std::str::from_utf8(&bad).unwrap_err().valid_up_to() as u64;
        assert!(
            matches!(canonicalize(&bad), Err(InputError::NotUtf8 { offset: o }) if o == offset)
        );
    });
}

#[test]
fn invisible_characters_are_found() {
    let c = canonicalize_str("ok\nJens\u{200b} Stolten\u{202e}berg\n");
    let found = find_invisible(&c, 0, c.len());
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].line, 2);
    assert_eq!(found[0].column, 5);
    assert_eq!(found[0].code_point, "U+200B");
    assert_eq!(found[1].code_point, "U+202E");
}
