//! Body text, references and titles: where a layer's own text starts, references to another
//! letter ("the letter dated …"), the title of a report and the boundaries titles give.

use super::words::*;
use super::*;

impl<'a> Scanner<'a> {
    pub(super) fn title_like(&self, ls: usize, le: usize) -> bool {
        if le <= ls || le - ls > 200 {
            return false;
        }
        let line = self
            .s(ls, le)
            .trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '_' || c == '#');
        let Some(first) = line.chars().next() else {
            return false;
        };
        first.is_uppercase()
            && !line.ends_with(['.', ':', ';', ','])
            && !line.contains(". ")
            && line.split_ascii_whitespace().count() >= 2
            && !self.mark_at(self.skip_sp(ls))
            && !self.is_furniture_line(ls, le)
    }

    pub(super) fn numbered_follows(&self, li: usize) -> bool {
        let n = self.doc.line_count();
        let mut k = li + 1;
        let mut seen = 0;
        while k < n && seen < 4 {
            let ls = self.doc.line_start(k);
            let le = self.line_end_of(ls);
            k += 1;
            if le == ls {
                continue;
            }
            seen += 1;
            if self.is_first_numbered_line(ls) {
                return true;
            }
            if !self.title_like(ls, le) {
                return false;
            }
        }
        false
    }

    pub(super) fn has_reference(line: &str) -> bool {
        let low = line.to_ascii_lowercase();
        REFERENCE_PHRASES.iter().any(|p| low.contains(p))
    }

    /// The text at `cs` (after page furniture) begins with a letter heading.
    pub(super) fn starts_with_letter(&self, cs: usize) -> bool {
        let p = self.skip_furniture(cs, self.len());
        self.letter_form_at(self.skip_md(p)).is_some()
    }

    /// Whether the text from `st.0` up to `upto` (or earlier text of the layer) refers to what the
    /// letter transmits; scans each byte of a layer at most once.
    pub(super) fn reference_upto(&self, st: &mut (usize, bool), upto: usize) -> bool {
        if !st.1 && st.0 < upto {
            st.1 = Self::has_reference(self.s(st.0, upto));
            st.0 = upto;
        }
        st.1
    }

    /// Report titles followed by numbered paragraphs, in a letter that refers to what it transmits.
    pub(super) fn report_title_bounds(&self, body: usize, bounds: &[Bound]) -> Vec<Bound> {
        let mut out = Vec::new();
        let n = self.doc.line_count();
        if body >= self.len() {
            return out;
        }
        let mut li = self.doc.line_index_of(body);
        let mut bi = 0;
        let mut cs = body;
        let mut numbered = false;
        // (scanned up to, reference seen) for the current layer, computed lazily.
        let mut reference = (body, false);
        // The current layer begins with a letter heading (whose body may be missing).
        let mut letter_start = self.starts_with_letter(body);
        let mut prev_break = true;
        while li < n && out.len() < MAX_LAYERS {
            let ls = self.doc.line_start(li);
            let le = self.line_end_of(ls);
            li += 1;
            while bi < bounds.len() && bounds[bi].start <= ls {
                cs = bounds[bi].content_start;
                bi += 1;
                numbered = false;
                reference = (cs, false);
                letter_start = self.starts_with_letter(cs);
                prev_break = true;
            }
            if ls < cs {
                continue;
            }
            if le == ls {
                prev_break = true;
                continue;
            }
            if self.is_numbered_line(ls) {
                numbered = true;
            } else if prev_break
                && !numbered
                && self.title_like(ls, le)
                && self.heading_word_at(self.skip_md(ls)).is_none()
                && self.letter_form_at(self.skip_md(ls)).is_none()
                && self.numbered_follows(li - 1)
                && if self.has_body(cs, ls) {
                    self.reference_upto(&mut reference, ls)
                } else {
                    // A letter heading whose text is missing, then a report: two layers.
                    letter_start && ls > cs
                }
            {
                out.push(Bound {
                    start: ls,
                    content_start: ls,
                    confidence: Confidence::Inferred,
                    cue: "report title followed by numbered paragraphs".to_owned(),
                    value: self.snippet(ls),
                    heading: None,
                });
                cs = ls;
                reference = (ls, false);
                letter_start = false;
            }
            let last = self.s(ls, le).trim_end_matches(['*', '_']);
            prev_break = last.ends_with(['.', ':']) || le - ls > 400;
        }
        out
    }

    /// A short display of the text at `p` (up to 60 bytes of its line).
    pub(super) fn snippet(&self, p: usize) -> String {
        let le = self.line_end_of(p);
        let e = self.floor_cb((p + 60).min(le));
        let mut s = plain(self.s(p, e.max(p)));
        if e < le {
            s.push('…');
        }
        s
    }

    /// The layer's title: its letter heading, or a report title at the start of its text.
    pub(super) fn title(&self, cs: usize, end: usize) -> Option<(String, usize, Confidence)> {
        let mut p = self.skip_furniture(cs, end);
        for _ in 0..2 {
            // Skip an "[Original: X]" line and a web page's tag line ("Serbia + 1 more").
            let line = self.s(p, self.line_end_of(p));
            if self.starts_ci(self.skip_md(p), "[original")
                || (line.len() <= 60 && line.contains(" + ") && line.ends_with(" more"))
            {
                p = self.skip_furniture(self.next_line(p), end);
            }
        }
        if p >= end {
            return None;
        }
        if let Some(h) = self.heading_under_title(p, end) {
            p = h;
        }
        let full_le = self.line_end_of(p);
        let le = full_le.min(end);
        // Flattened text: a long line, or one that runs on past the end of the layer.
        let flat = full_le - p > 400 || full_le > end;
        let lp = self.skip_md(p);
        if self.letter_form_at(lp).is_some() {
            let e = if flat {
                self.letter_phrase_end(lp, (lp + 600).min(le))
            } else {
                let mut m = le;
                let mut stars = self.s(self.line_start_of(p), m).matches("**").count();
                for _ in 0..3 {
                    let line = self
                        .s(self.line_start_of(m), m)
                        .trim_end_matches(['*', '_']);
                    let last = line.rsplit(' ').next().unwrap_or("");
                    let mut nl = self.next_line(m);
                    if nl < end && self.at(nl) == b'\n' && self.heading_goes_on(nl + 1) {
                        nl += 1;
                    }
                    if nl >= end || self.at(nl) == b'\n' {
                        break;
                    }
                    let nle = self.line_end_of(nl).min(end);
                    let next_lower = self.ch(self.skip_md(nl)).is_some_and(char::is_lowercase);
                    let connector = HEADING_CONNECTORS.contains(&last);
                    if stars % 2 == 1 || connector || next_lower || self.heading_goes_on(nl) {
                        stars += self.s(nl, nle).matches("**").count();
                        m = nle;
                    } else {
                        break;
                    }
                }
                m
            };
            let title = plain(self.s(lp, e));
            return (!title.is_empty()).then_some((title, lp, Confidence::Certain));
        }
        if flat {
            // Flattened report title: up to a numbered paragraph "1." within a few words.
            let mut q = p;
            for _ in 0..30 {
                q = self.skip_sp(q);
                let te = self.token_end(q).min(le);
                if te <= q {
                    break;
                }
                let tok = self.s(q, te);
                if tok == "1." || tok == "I." {
                    let title = plain(self.s(p, q));
                    return (!title.is_empty()).then_some((title, p, Confidence::Inferred));
                }
                q = te;
            }
            return None;
        }
        let line = self.s(p, le).trim_end_matches(['*', '_']);
        if le - p <= 200 && !line.ends_with(['.', ',', ';', ':']) {
            if self.mark_at(self.skip_sp(p))
                || self.is_furniture_line(p, le)
                || line.starts_with('[')
            {
                return None;
            }
            let title = plain(line);
            return (!title.is_empty()).then_some((title, p, Confidence::Inferred));
        }
        None
    }

    /// The date the text `a..b` of an enclosing letter gives for what it transmits.
    pub(super) fn reference_date(&self, a: usize, b: usize) -> Option<Found> {
        let mut best: Option<(usize, Found)> = None;
        for d in self.dated_in(a, b) {
            if let Some(f) = self.date_after_dated(d) {
                if self.reference_at(a, d, false) {
                    best = Some((d, f));
                    break;
                }
            }
        }
        // "the attached letter of 6 March 2000".
        let lim = best.map_or(b, |(d, _)| d);
        let hay = self.b.get(a..lim).unwrap_or(&[]);
        for k in memchr::memchr_iter(b'o', hay) {
            let o = a + k;
            if o == 0
                || self.at(o - 1) != b' '
                || !self.starts(o, "of ")
                || !(self.at(o + 3).is_ascii_digit() || self.at(o + 3).is_ascii_uppercase())
            {
                continue;
            }
            let o = o - 1;
            let Some((date, _)) = self.date_at(o + 4) else {
                continue;
            };
            if self.reference_at(a, o, true) {
                return Some((date, o + 4));
            }
        }
        best.map(|(_, f)| f)
    }

    /// Whether the keyword at `d` ("dated", " of ") gives the date of a communication the letter
    /// transmits: the last noun before it names a communication (not a resolution), the sentence
    /// says the letter transmits it, and it is not "my previous letter". With `adjacent`, the noun
    /// must be the word right before the keyword.
    pub(super) fn reference_at(&self, a: usize, d: usize, adjacent: bool) -> bool {
        let mut ws = self.ceil_cb(d.saturating_sub(300).max(a));
        // Cut the window at the last sentence end or blank line before "dated".
        let mut k = d;
        while k > ws {
            let c = self.at(k - 1);
            if (c == b'\n' && k >= 2 && self.at(k - 2) == b'\n')
                || (c == b'.'
                    && is_ws(self.at(k))
                    && k >= 2
                    && (self.at(k - 2).is_ascii_lowercase() || self.at(k - 2) == b')'))
            {
                ws = k;
                break;
            }
            k -= 1;
        }
        let window = self.s(ws, d);
        let is = |w: &str, list: &[&str]| list.iter().any(|n| w.eq_ignore_ascii_case(n));
        // Words from the keyword backwards.
        let mut words = window
            .split(|c: char| !(c.is_alphabetic() || c == '-'))
            .filter(|w| !w.is_empty())
            .rev();
        let mut first = true;
        let noun = loop {
            let Some(w) = words.next() else {
                return false;
            };
            if is(w, COMM_NOUNS) || is(w, BLOCK_NOUNS) {
                break w;
            }
            if adjacent {
                return false;
            }
            first = false;
        };
        if is(noun, BLOCK_NOUNS) || (adjacent && !first) {
            return false;
        }
        let mut before = words.peekable();
        if is(noun, &["verbale", "verbales"])
            && before.peek().is_some_and(|w| is(w, &["note", "notes"]))
        {
            before.next();
        }
        if before
            .peek()
            .is_some_and(|w| is(w, &["my", "previous", "your", "earlier", "last", "our"]))
        {
            return false;
        }
        before.any(|w| TRANSMIT_WORDS.iter().any(|t| starts_ci(w, t)))
    }
}
