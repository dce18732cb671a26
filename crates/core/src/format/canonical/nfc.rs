//! The NFC step of the profile with its fast path: text made only of characters that NFC never
//! changes is copied as it is; only the runs around other characters go through
//! `unicode-normalization` (the result is NFC of the whole line either way).

use unicode_normalization::UnicodeNormalization;

/// True for the bytes that start a character at or above U+0300 in UTF-8. Every character below
/// U+0300 (ASCII, Latin-1, Latin Extended-A/B, IPA, spacing modifiers) is encoded with bytes below
/// 0xCC only (continuation bytes are 0x80..=0xBF).
#[inline]
fn is_unstable_lead(b: u8) -> bool {
    b >= 0xCC
}

/// True when the two continuation bytes after a 0xE2 lead byte encode a character of U+2002..=
/// U+206F (general punctuation: dashes, quotes, apostrophe, ellipsis, ... but not the two
/// singletons U+2000 and U+2001) or U+20A0..=U+20C0 (currency signs: €). Like the characters below
/// U+0300 these are "NFC boundaries" (see [`nfc_into`]; checked by a unit test), and they are
/// common in French and Spanish text (’ « — …), which can then skip the normalizer entirely.
#[inline]
fn is_stable_e2(rest: &[u8]) -> bool {
    match rest {
        [0x80, b, ..] => *b >= 0x82,
        [0x81, b, ..] => *b <= 0xAF,
        [0x82, b, ..] => *b >= 0xA0,
        [0x83, 0x80, ..] => true,
        _ => false,
    }
}

/// Offset of the first character at or after `from` that is at or above U+0300 and not one of
/// the punctuation and currency characters of [`is_stable_e2`], or `bytes.len()` when there is
/// none. `from` must be a character boundary. Works on 32 bytes at a time (vectorized by the
/// compiler): a block without candidates costs a few instructions, and in one with candidates
/// (French text has an apostrophe ’ every few words) only the candidates are looked at.
pub(super) fn find_unstable(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(block) = bytes.get(i..i + 32) {
        if block
            .iter()
            .fold(false, |acc, &b| acc | is_unstable_lead(b))
        {
            let mut flags = [0u8; 32];
            for (f, &b) in flags.iter_mut().zip(block) {
                *f = u8::from(is_unstable_lead(b));
            }
            // Gather the flags into a bit mask, 8 at a time (bit k of the top byte of the product
            // is flag k, as each flag is 0 or 1).
            let mut mask = 0u32;
            for (w, word) in flags.chunks_exact(8).enumerate() {
                let mut x = [0u8; 8];
                x.copy_from_slice(word);
                let x = u64::from_le_bytes(x).wrapping_mul(0x0102_0408_1020_4080);
                mask |= ((x >> 56) as u32) << (8 * w);
            }
            while mask != 0 {
                let p = i + mask.trailing_zeros() as usize;
                if !(bytes[p] == 0xE2 && is_stable_e2(&bytes[p + 1..])) {
                    return p;
                }
                mask &= mask - 1;
            }
        }
        i += 32;
    }
    while i < bytes.len() {
        let b = bytes[i];
        if is_unstable_lead(b) {
            if !(b == 0xE2 && is_stable_e2(&bytes[i + 1..])) {
                return i;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// True when `s` is made only of the characters [`nfc_into`] takes as they are (below U+0300, and
/// the punctuation of [`is_stable_e2`]): then `s` is its own NFC, without the normalizer.
pub(crate) fn is_nfc_stable(s: &str) -> bool {
    find_unstable(s.as_bytes(), 0) == s.len()
}

/// Append the NFC form of `s` to `out`, normalizing only the stretches that need it.
///
/// Every character below U+0300, and the punctuation of [`is_stable_e2`], is a starter
/// (canonical combining class 0), has `NFC_Quick_Check = Yes` (so it never combines with what
/// precedes it) and its canonical decomposition starts with such a character too (checked
/// exhaustively by a unit test). Text can therefore be cut in front of any such character and
/// normalized piece by piece: `NFC(x ‖ y) = NFC(x) ‖ NFC(y)` when `y` starts with one
/// (decomposition and canonical reordering never cross a starter, and composition only attaches to
/// the last starter, which becomes `y`'s first). Pieces made only of such characters are already
/// NFC, so only the pieces `[one such character] [other characters ...]` go through the (slow)
/// normalizer, and the commonest of them, a base letter and one combining mark (`e` + U+0301 in
/// NFD text), through a single table look-up. The result is exactly `s.nfc()`.
pub(super) fn nfc_into(s: &str, out: &mut String) {
    use unicode_normalization::char::{compose, decompose_canonical};
    let bytes = s.as_bytes();
    let mut copied = 0; // `s[..copied]` is in `out`
    loop {
        let j = find_unstable(bytes, copied);
        if j >= bytes.len() {
            out.push_str(&s[copied..]);
            return;
        }
        // The piece starts at the character just before `j` (a boundary character) unless `j`
        // starts the text ...
        let seg_start = s[copied..j]
            .char_indices()
            .next_back()
            .map_or(j, |(i, _)| copied + i);
        // ... and runs to the next character below U+0300 (a byte that is neither a continuation
        // byte nor the lead byte of a character at or above U+0300).
        let seg_end = bytes[j..]
            .iter()
            .position(|&b| b < 0x80 || (0xC0..0xCC).contains(&b))
            .map_or(bytes.len(), |k| j + k);
        out.push_str(&s[copied..seg_start]);
        let seg = &s[seg_start..seg_end];
        let mut chars = seg.chars();
        match (chars.next(), chars.next(), chars.next()) {
            // An ASCII letter and one character whose canonical decomposition is itself: NFD
            // leaves the pair as it is, and NFC composes it if Unicode has a composite for it.
            (Some(base), Some(mark), None)
                if base.is_ascii() && {
                    let mut own = true;
                    decompose_canonical(mark, |d| own &= d == mark);
                    own
                } =>
            {
                match compose(base, mark) {
                    Some(c) => out.push(c),
                    None => out.push_str(seg),
                }
            }
            _ => out.extend(seg.nfc()),
        }
        copied = seg_end;
    }
}
