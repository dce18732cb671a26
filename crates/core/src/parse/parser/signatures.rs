//! Signature marks: "(Signed)" marks in a position a signature takes, the name after each and
//! the end of its signature block (titles, closings), and the boundary a block ends on.

use super::words::*;
use super::*;

impl<'a> Scanner<'a> {
    /// The mark-position rule of `docs/FORMAT.md` §6 (as in [`crate::parse::identity`]), without scanning
    /// back to the start of long lines.
    pub(super) fn mark_position_ok(&self, open: usize) -> bool {
        let ls = self.line_start_of(open);
        let lead = self.skip_sp(ls);
        if self.at(lead) == b'>' && lead < open {
            return false;
        }
        let before = self.s(ls, open);
        let mut run = 0;
        let mut last: Option<char> = None;
        for c in before.chars().rev() {
            if c.is_whitespace() || c == '*' || c == '_' {
                run += 1;
                continue;
            }
            last = Some(c);
            break;
        }
        match last {
            None => true,
            Some(c) => run > 0 && matches!(c, '.' | '!' | '?' | ')' | ']' | ':' | ';'),
        }
    }

    /// Positions of `first`-letter candidates of the words `words` from `from` on, as whole words,
    /// found with SIMD byte searches for their first letters (one pass, lazily).
    pub(super) fn word_starts<'w>(
        &'w self,
        from: usize,
        firsts: [u8; 3],
        words: &'w [&'w str],
    ) -> impl Iterator<Item = usize> + 'w {
        let hay = self.b.get(from..).unwrap_or(&[]);
        memchr::memchr3_iter(firsts[0], firsts[1], firsts[2], hay)
            .map(move |k| from + k)
            .filter(move |&i| {
                (i == 0 || !self.at(i - 1).is_ascii_alphanumeric())
                    && words.iter().any(|w| self.starts(i, w))
            })
    }

    /// A sentence end at `i`: `.` after a word of four letters or more, a digit or `)`, followed
    /// by white space or the end.
    pub(super) fn is_sentence_dot(&self, i: usize) -> bool {
        let n = self.at(i + 1);
        if i == 0 || self.at(i) != b'.' || !(n == 0 || is_ws(n) || n == b'*' || n == b'"') {
            return false;
        }
        let prev = self.at(i - 1);
        if prev == b')' || prev.is_ascii_digit() {
            return true;
        }
        let mut q = i;
        while q > 0 && self.at(q - 1).is_ascii_lowercase() && i - q < 4 {
            q -= 1;
        }
        i - q >= 4
    }

    /// Whether the text `a..b` holds a sentence end (body text). Successive calls with the same
    /// `a` resume where the last one stopped, so a layer's text is scanned at most once.
    pub(super) fn has_body(&self, a: usize, b: usize) -> bool {
        let (ma, upto, found) = self.body.get();
        let (mut upto, mut found) = if ma == a { (upto, found) } else { (a, None) };
        if found.is_none() && upto < b {
            let hay = self.b.get(upto..b).unwrap_or(&[]);
            found = memchr::memchr_iter(b'.', hay)
                .map(|k| upto + k)
                .find(|&i| self.is_sentence_dot(i));
            upto = b;
        }
        self.body.set((a, upto, found));
        found.is_some_and(|f| f < b)
    }

    /// The first "[Original" marker in `a..b`.
    pub(super) fn first_original(&self, a: usize, b: usize) -> Option<usize> {
        let hay = self.b.get(a..b.min(self.len()))?;
        memchr::memchr_iter(b'[', hay)
            .map(|k| a + k)
            .find(|&i| self.starts_ci(i, "[original"))
    }

    /// The word "dated" in `a..b`.
    pub(super) fn dated_in(&self, a: usize, b: usize) -> impl Iterator<Item = usize> + '_ {
        let hay = self.b.get(a..b.min(self.len())).unwrap_or(&[]);
        memchr::memmem::find_iter(hay, "dated")
            .map(move |k| a + k)
            .filter(move |&i| {
                self.word_boundary_before(i) && !self.ch(i + 5).is_some_and(char::is_alphanumeric)
            })
    }

    /// The "(Signed)" marks from `from` on (at most [`MAX_MARKS`]).
    pub(super) fn marks(&self, from: usize) -> Vec<Mark> {
        let mut out = Vec::new();
        let mut skip_to = 0;
        let hay = self.b.get(from..).unwrap_or(&[]);
        for open in memchr::memchr_iter(b'(', hay).map(|k| from + k) {
            if out.len() >= MAX_MARKS {
                break;
            }
            if open < skip_to {
                continue;
            }
            let Some(close) = match_signed(self.b, open) else {
                continue;
            };
            if !self.mark_position_ok(open) {
                continue;
            }
            let (name_pos, name_end, block_end) = self.name_block(close);
            skip_to = close;
            out.push(Mark {
                start: open,
                name_pos,
                name_end,
                block_end,
            });
        }
        out
    }

    /// True when a "(Signed)" mark starts at `p` (after emphasis).
    pub(super) fn mark_at(&self, p: usize) -> bool {
        match_signed(self.b, self.skip_emph(p)).is_some()
    }

    /// The name after a mark, where it ends, and where the signature block ends.
    pub(super) fn name_block(&self, ns: usize) -> (usize, usize, usize) {
        let le = self.line_end_of(ns);
        let mut p = self.skip_sp(ns);
        let mut line_end = le;
        if p >= le {
            let nl = self.next_line(ns);
            let nle = self.line_end_of(nl);
            if nl < self.len()
                && nle > nl
                && nle - nl <= 80
                && !self.mark_at(self.skip_sp(nl))
                && self.heading_word_at(self.skip_md(nl)).is_none()
            {
                p = self.skip_sp(nl);
                line_end = nle;
            } else {
                return (p, p, self.next_line(ns));
            }
        }
        let flat = line_end - p > 120;
        let mut q = p;
        let mut name_end = p;
        let mut count = 0;
        let max = if flat { 7 } else { 14 };
        let mut prev_dot_word = false;
        while count < max && q < line_end {
            let ts = q;
            let te = self.token_end(ts).min(line_end);
            if te <= ts {
                break;
            }
            let tok = self.s(ts, te);
            let cs = ts + (tok.len() - tok.trim_start_matches(['*', '_']).len());
            let core = tok
                .trim_matches(|c| c == '*' || c == '_')
                .trim_end_matches([',', ';']);
            let bare = core.trim_end_matches(['.', ':']);
            if self.is_furniture_tok(ts, te)
                || self.heading_word_at(cs).is_some()
                || self.mark_at(ts)
                || (count >= 2 && TITLE_WORDS.contains(&bare))
            {
                break;
            }
            if flat {
                let first = core.chars().next();
                let particle = PARTICLES.contains(&core);
                if !(first.is_some_and(char::is_uppercase) || particle) {
                    break;
                }
                if prev_dot_word {
                    break;
                }
                if count >= 2 && !particle {
                    let nts = self.skip_sp(te);
                    let nte = self.token_end(nts).min(line_end);
                    let next = self.s(nts, nte).trim_matches(|c| c == '*' || c == '_');
                    let nf = next.chars().next();
                    if nf.is_some_and(char::is_lowercase) && !PARTICLES.contains(&next) {
                        break;
                    }
                }
                prev_dot_word = core.ends_with('.') && bare.chars().count() > 2;
            }
            name_end = te;
            count += 1;
            q = self.skip_sp(te);
        }
        // Where the signature block ends.
        let mut r = self.skip_sp(name_end);
        let mut guard = 0;
        while r < line_end && guard < 12 {
            let te = self.token_end(r).min(line_end);
            if te <= r || !self.is_furniture_tok(r, te) {
                break;
            }
            r = self.skip_sp(te);
            guard += 1;
        }
        let block_end = if r >= line_end {
            self.title_lines_end(self.next_line(line_end))
        } else {
            self.skip_title_phrase(name_end, line_end)
        };
        (p, name_end, block_end)
    }

    /// Skip a signer's title run into flattened text ("Secretary General of NATO").
    pub(super) fn skip_title_phrase(&self, from: usize, line_end: usize) -> usize {
        let mut q = self.skip_sp(from);
        let first_end = self.token_end(q).min(line_end);
        let first = self
            .s(q, first_end)
            .trim_matches(|c| c == '*' || c == '_' || c == ',');
        if !TITLE_WORDS.contains(&first) {
            return from;
        }
        let mut end = from;
        for _ in 0..12 {
            let te = self.token_end(q).min(line_end);
            if te <= q {
                break;
            }
            let core = self
                .s(q, te)
                .trim_matches(|c| c == '*' || c == '_' || c == ',');
            let f = core.chars().next();
            let connector = ["of", "the", "and", "for", "on", "to", "de"].contains(&core);
            if !(f.is_some_and(char::is_uppercase) || connector) {
                break;
            }
            if f.is_some_and(char::is_uppercase) && end > from {
                let nts = self.skip_sp(te);
                let nte = self.token_end(nts).min(line_end);
                let next = self.s(nts, nte);
                let nf = next.chars().next();
                if nf.is_some_and(char::is_lowercase)
                    && !["of", "the", "and", "for", "on", "to", "de"].contains(&next)
                {
                    break;
                }
            }
            end = te;
            q = self.skip_sp(te);
        }
        end
    }

    /// After a signature line: skip the title lines under the name ("Head", "Leadership Panel").
    pub(super) fn title_lines_end(&self, mut q: usize) -> usize {
        for _ in 0..5 {
            if q >= self.len() {
                break;
            }
            let qe = self.line_end_of(q);
            if qe == q || !self.is_title_line(q, qe) {
                break;
            }
            q = self.next_line(q);
        }
        q
    }

    pub(super) fn is_title_line(&self, q: usize, qe: usize) -> bool {
        if qe - q > 150 {
            return false;
        }
        let line = self
            .s(q, qe)
            .trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '_');
        let Some(first) = line.chars().next() else {
            return false;
        };
        let p = self.skip_md(q);
        if line.ends_with(['.', ';', ':', ','])
            || !first.is_uppercase()
            || [
                "Dear ",
                "Excellency",
                "Your Excellency",
                "Sir,",
                "Madam,",
                "Mr. President",
            ]
            .iter()
            .any(|w| line.starts_with(w))
            || self.mark_at(self.skip_sp(q))
            || self.heading_word_at(p).is_some()
            || self.letter_form_at(p).is_some()
            || line
                .as_bytes()
                .windows(6)
                .any(|w| w.eq_ignore_ascii_case(b"report"))
            || self.is_furniture_line(q, qe)
        {
            return false;
        }
        let nq = self.next_line(q);
        !(nq < self.len() && self.is_numbered_line(nq))
    }

    /// Ends of note-verbale closing formulas ("… the assurances of its highest consideration.").
    pub(super) fn closings(&self, from: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let hay = self.b.get(from..).unwrap_or(&[]);
        for k in memchr::memmem::find_iter(hay, "highest consideration")
            .map(|k| from + k)
            .take(MAX_MARKS)
        {
            let p = k + "highest consideration".len();
            let le = self.line_end_of(p);
            let lim = (p + 60).min(le);
            let Some(dot) = (p..lim).find(|&i| self.at(i) == b'.') else {
                continue;
            };
            let r = self.skip_sp(dot + 1);
            out.push(if r >= le { self.next_line(le) } else { dot + 1 });
        }
        out
    }

    /// Where a new layer starts after a signature block or closing that ends at `e`, if the next
    /// text is a new communication (not page furniture, another mark, or a heading).
    pub(super) fn boundary_after_block(&self, e: usize, heading_starts: &[usize]) -> Option<usize> {
        let len = self.len();
        let mut p = e;
        let mut steps = 0;
        loop {
            while p < len && is_ws(self.at(p)) && p - e < 4000 {
                p += 1;
            }
            steps += 1;
            if p >= len || steps > 40 || p - e >= 4000 {
                return None;
            }
            let ls = self.line_start_of(p);
            let first_on_line = ls >= e && p - ls <= 8;
            if first_on_line && p == self.skip_sp(ls) && self.is_noise_line(ls) {
                p = self.next_line(ls);
                continue;
            }
            if self.mark_at(p) {
                return None;
            }
            let te = self.token_end(p);
            if te > p && self.is_furniture_tok(p, te) {
                p = te;
                continue;
            }
            let at = if first_on_line { ls } else { p };
            let i = heading_starts.partition_point(|&h| h < at.min(p));
            if heading_starts.get(i).is_some_and(|&h| h <= p) {
                return None;
            }
            // One short line (a footnote, "* Reissued for technical reasons") right before a
            // heading is trailing matter of the layer above, not a layer of its own.
            let le = self.line_end_of(p);
            if first_on_line && le - ls <= 200 {
                let next = self.skip_blank(self.next_line(ls));
                if heading_starts.get(i).is_some_and(|&h| h == next) {
                    return None;
                }
            }
            return Some(at);
        }
    }
}
