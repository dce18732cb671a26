//! The scanner's primitives: bytes and characters at an offset, lines, tokens, white space and
//! Markdown emphasis skipped, page furniture and numbered lines recognised.

use super::words::*;
use super::*;

impl<'a> Scanner<'a> {
    pub(super) fn len(&self) -> usize {
        self.b.len()
    }

    pub(super) fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    pub(super) fn s(&self, a: usize, e: usize) -> &'a str {
        self.t.get(a..e).unwrap_or("")
    }

    pub(super) fn ch(&self, i: usize) -> Option<char> {
        self.t.get(i..).and_then(|s| s.chars().next())
    }

    pub(super) fn prev_ch(&self, i: usize) -> Option<char> {
        self.t.get(..i).and_then(|s| s.chars().next_back())
    }

    pub(super) fn floor_cb(&self, mut i: usize) -> usize {
        i = i.min(self.len());
        while i > 0 && !self.t.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    pub(super) fn ceil_cb(&self, mut i: usize) -> usize {
        while i < self.len() && !self.t.is_char_boundary(i) {
            i += 1;
        }
        i.min(self.len())
    }

    pub(super) fn starts(&self, p: usize, pat: &str) -> bool {
        self.b
            .get(p..p + pat.len())
            .is_some_and(|w| w == pat.as_bytes())
    }

    pub(super) fn starts_ci(&self, p: usize, pat: &str) -> bool {
        self.b
            .get(p..p + pat.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(pat.as_bytes()))
    }

    /// `pat` at `p` as a whole word (the next character is not a letter or digit).
    pub(super) fn word_at(&self, p: usize, pat: &str) -> bool {
        self.starts(p, pat) && !self.ch(p + pat.len()).is_some_and(char::is_alphanumeric)
    }

    pub(super) fn word_boundary_before(&self, p: usize) -> bool {
        !self.prev_ch(p).is_some_and(char::is_alphanumeric)
    }

    /// The line holding `i`: (index, start, start of the next line).
    pub(super) fn line_span(&self, i: usize) -> (usize, usize, usize) {
        let (idx, s, ns) = self.line.get();
        if i >= s && i < ns {
            return (idx, s, ns);
        }
        if i >= ns && ns > s {
            let nns = self.doc.line_start(idx + 2);
            if i < nns {
                self.line.set((idx + 1, ns, nns));
                return (idx + 1, ns, nns);
            }
        }
        let idx = self.doc.line_index_of(i);
        let span = (idx, self.doc.line_start(idx), self.doc.line_start(idx + 1));
        self.line.set(span);
        span
    }

    pub(super) fn line_start_of(&self, i: usize) -> usize {
        self.line_span(i).1
    }

    /// Offset of the LF that ends the line holding `i` (or the end of the text).
    pub(super) fn line_end_of(&self, i: usize) -> usize {
        let ns = self.line_span(i).2;
        if ns > i && ns > 0 && self.at(ns - 1) == b'\n' {
            ns - 1
        } else {
            ns.max(i).min(self.len())
        }
    }

    /// Start of the line after the one holding `i`.
    pub(super) fn next_line(&self, i: usize) -> usize {
        if i >= self.len() {
            return self.len();
        }
        self.line_span(i).2
    }

    pub(super) fn skip_sp(&self, mut p: usize) -> usize {
        while is_sp(self.at(p)) {
            p += 1;
        }
        p
    }

    pub(super) fn skip_emph(&self, mut p: usize) -> usize {
        while is_emph(self.at(p)) {
            p += 1;
        }
        p
    }

    /// Skip spaces, Markdown emphasis and `#` on the line.
    pub(super) fn skip_md(&self, mut p: usize) -> usize {
        while matches!(self.at(p), b' ' | b'\t' | b'*' | b'_' | b'#') {
            p += 1;
        }
        p
    }

    /// Skip one blank line at `p` (a blank line in canonical text is a lone LF).
    pub(super) fn skip_blank(&self, p: usize) -> usize {
        if self.at(p) == b'\n' {
            p + 1
        } else {
            p
        }
    }

    /// End of the token (run of non-white-space) starting at `p`, at most [`MAX_TOKEN`] bytes.
    pub(super) fn token_end(&self, p: usize) -> usize {
        let lim = (p + MAX_TOKEN).min(self.len());
        let mut i = p;
        while i < lim && !is_ws(self.at(i)) {
            i += 1;
        }
        self.floor_cb(i).max(p)
    }

    /// The token that ends just before `p` (skipping spaces back, same line), if any.
    pub(super) fn prev_token(&self, p: usize) -> Option<(usize, usize)> {
        let mut e = p;
        let mut n = 0;
        while e > 0 && is_sp(self.at(e - 1)) && n < 64 {
            e -= 1;
            n += 1;
        }
        if e == 0 || is_ws(self.at(e - 1)) {
            return None;
        }
        let mut s = e;
        while s > 0 && !is_ws(self.at(s - 1)) && e - s < 64 {
            s -= 1;
        }
        if s > 0 && !is_ws(self.at(s - 1)) {
            return None;
        }
        Some((s, e))
    }

    pub(super) fn is_furniture_tok(&self, s: usize, e: usize) -> bool {
        (e >= self.len() || is_ws(self.at(e))) && is_furniture_str(self.s(s, e))
    }

    /// The previous token on the line is page furniture or a document symbol.
    pub(super) fn pre_furniture(&self, p: usize) -> bool {
        self.prev_token(p)
            .is_some_and(|(s, e)| is_furniture_str(self.s(s, e)))
    }

    /// The previous visible character (same line) ends a sentence.
    pub(super) fn pre_sentence_end(&self, p: usize) -> bool {
        let mut e = p;
        let mut n = 0;
        while e > 0 && (is_sp(self.at(e - 1)) || is_emph(self.at(e - 1))) && n < 64 {
            e -= 1;
            n += 1;
        }
        e < p
            && matches!(
                self.at(e.wrapping_sub(1)),
                b'.' | b'!' | b'?' | b')' | b']' | b':' | b';'
            )
    }

    /// `p` is the first visible thing on its line (after spaces, `#` and emphasis).
    pub(super) fn at_line_start(&self, p: usize) -> bool {
        let ls = self.line_start_of(p);
        p >= ls
            && p - ls <= 16
            && self.b.get(ls..p).is_some_and(|s| {
                s.iter()
                    .all(|&c| matches!(c, b' ' | b'\t' | b'*' | b'_' | b'#'))
            })
    }

    pub(super) fn is_numbered_line(&self, ls: usize) -> bool {
        let p = self.skip_sp(ls);
        let mut q = p;
        while self.at(q).is_ascii_digit() && q - p < 3 {
            q += 1;
        }
        q > p
            && matches!(self.at(q), b'.' | b')')
            && matches!(self.at(q + 1), b' ' | b'\t' | b'\n' | 0)
    }

    /// A numbered line that starts a sequence: "1." or a roman "I." heading.
    pub(super) fn is_first_numbered_line(&self, ls: usize) -> bool {
        let p = self.skip_md(ls);
        if (self.starts(p, "1.") || self.starts(p, "1)") || self.starts(p, "I."))
            && matches!(self.at(p + 2), b' ' | b'\t' | b'\n' | 0)
        {
            return true;
        }
        // "1 This report covers…" (the period lost in conversion), but not "1 July 2006-…".
        self.starts(p, "1 ")
            && self.ch(p + 2).is_some_and(char::is_uppercase)
            && self.month_at(p + 2).is_none()
    }

    /// A short line of OCR noise ("JStM", "mi min").
    pub(super) fn is_noise_line(&self, ls: usize) -> bool {
        let le = self.line_end_of(ls);
        if le <= ls || le - ls > 12 {
            return false;
        }
        let line = self.s(ls, le);
        let n = line.split_ascii_whitespace().count();
        (1..=2).contains(&n)
            && line
                .split_ascii_whitespace()
                .all(|w| w.len() <= 4 && w.bytes().all(|c| c.is_ascii_alphabetic()))
    }

    /// Every token of the line is page furniture.
    pub(super) fn is_furniture_line(&self, ls: usize, le: usize) -> bool {
        le > ls
            && le - ls <= 120
            && self
                .s(ls, le)
                .split_ascii_whitespace()
                .all(is_furniture_str)
    }

    /// A heading word at `p` as a whole word; returns its end.
    pub(super) fn heading_word_at(&self, p: usize) -> Option<usize> {
        if !self.word_boundary_before(p) {
            return None;
        }
        HEADING_WORDS
            .iter()
            .find(|w| self.starts(p, w))
            .map(|w| p + w.len())
            .filter(|&e| !self.ch(e).is_some_and(char::is_alphanumeric))
    }
}
