//! Headings that introduce a layer (Annex, Enclosure, Appendix, …): on their own line or run in,
//! with their designator, long form ("to the letter dated …") and original-language marker.

use super::words::*;
use super::*;

impl<'a> Scanner<'a> {
    /// The heading words that introduce layers (at most [`MAX_LAYERS`]).
    pub(super) fn headings(&self, from: usize, name_ends: &[usize]) -> Vec<Heading> {
        let mut out: Vec<Heading> = Vec::new();
        for p in self.word_starts(from, [b'A', b'E', b'L'], &HEADING_WORDS) {
            if out.len() >= MAX_LAYERS {
                break;
            }
            if out.last().is_some_and(|h| p < h.content_start) {
                continue;
            }
            if let Some(h) = self.heading_at(p, name_ends) {
                if h.start >= from {
                    out.push(h);
                }
            }
        }
        out
    }

    /// A roman numeral, one or two digits, or one capital letter at `s`; returns its end.
    pub(super) fn designator(&self, s: usize) -> Option<usize> {
        let mut e = s;
        while matches!(self.at(e), b'I' | b'V' | b'X' | b'L' | b'C') && e - s < 6 {
            e += 1;
        }
        if e == s {
            while self.at(e).is_ascii_digit() && e - s < 2 {
                e += 1;
            }
        }
        if e == s && self.at(e).is_ascii_uppercase() {
            e += 1;
        }
        (e > s && !self.ch(e).is_some_and(char::is_alphanumeric)).then_some(e)
    }

    pub(super) fn heading_at(&self, p: usize, name_ends: &[usize]) -> Option<Heading> {
        let we = self.heading_word_at(p)?;
        let le = self.line_end_of(p);
        let line_start = self.at_line_start(p);
        let start = if line_start { self.line_start_of(p) } else { p };
        // What follows the word.
        let mut follow: Option<Follow> = None;
        let e1 = self.skip_emph(we);
        if e1 > we
            && e1 < le
            && (self.ch(e1).is_some_and(char::is_alphanumeric) || self.at(e1) == b'"')
        {
            follow = Some(Follow::RunIn(we));
        }
        let mut label_end = we;
        if follow.is_none() {
            let q = e1;
            let s1 = self.skip_sp(q);
            let desig = if s1 > q && s1 < le {
                self.designator(s1).map(|de| (s1, de))
            } else {
                None
            };
            let mut r = desig.map_or(q, |d| d.1);
            if let Some((_, de)) = desig {
                label_end = de;
            }
            r = self.skip_emph(r);
            let mut punct = false;
            if matches!(self.at(r), b'.' | b':') {
                r += 1;
                punct = true;
            } else if self.starts(self.skip_sp(r), "\u{2014}")
                || self.starts(self.skip_sp(r), "\u{2013}")
            {
                r = self.skip_sp(r) + 3;
                punct = true;
            }
            r = self.skip_emph(r);
            let s2 = self.skip_sp(r);
            let c = self.ch(s2);
            follow = if s2 >= le {
                Some(Follow::OwnLine)
            } else if (self.starts_ci(s2, "to the ") || self.starts_ci(s2, "to "))
                && !punct
                && self.long_form_noun(s2, !line_start)
            {
                Some(Follow::LongForm(s2))
            } else if self.at(s2) == b'[' {
                self.starts_ci(s2, "[original")
                    .then_some(Follow::Original(s2))
            } else if c.is_some_and(char::is_uppercase)
                || matches!(self.at(s2), b'*' | b'_' | b'"')
                || self.starts(s2, "\u{201c}")
            {
                Some(Follow::RunIn(s2))
            } else if c.is_some_and(char::is_lowercase) {
                match desig {
                    Some((ds, de)) if !punct => {
                        let d = self.s(ds, de);
                        let next_end = self.token_end(s2).min(le);
                        let next = self.s(s2, next_end);
                        let next = next.trim_end_matches([',', '.']).to_ascii_lowercase();
                        if d == "I" && PRONOUN_VERBS.contains(&next.as_str()) {
                            label_end = we;
                            Some(Follow::RunIn(ds))
                        } else {
                            None
                        }
                    }
                    _ => None,
                }
            } else {
                None
            };
        }
        let follow = follow?;
        if !line_start {
            let strong = match follow {
                Follow::Original(_) | Follow::OwnLine | Follow::LongForm(_) => true,
                Follow::RunIn(c) => self.letter_form_at(c).is_some(),
            };
            let pre_name = self
                .prev_token(p)
                .is_some_and(|(_, e)| name_ends.binary_search(&e).is_ok());
            // In flattened text (a long line) a sentence end before a run-in heading is enough.
            let long_line = le - self.line_start_of(p) > 400;
            if !(self.pre_furniture(p)
                || pre_name
                || (self.pre_sentence_end(p) && (strong || long_line)))
            {
                return None;
            }
        }
        let mut lang: Option<(String, usize)> = None;
        let mut long_date: Option<Found> = None;
        let content_start = match follow {
            Follow::RunIn(c) => c,
            Follow::OwnLine => self.after_heading_lines(self.next_line(p), &mut lang),
            Follow::Original(s2) => match self.original_at(s2) {
                Some((l, close)) => {
                    lang = Some((l, s2));
                    let after = self.skip_sp(close);
                    if after >= le {
                        self.skip_blank(self.next_line(p))
                    } else {
                        after
                    }
                }
                None => s2,
            },
            Follow::LongForm(s2) => {
                let end = if le - p <= 400 {
                    let mut m = le;
                    for _ in 0..2 {
                        let line = self
                            .s(self.line_start_of(m), m)
                            .trim_end_matches(['*', '_']);
                        let nl = self.next_line(m);
                        let next_lower = self.ch(self.skip_md(nl)).is_some_and(char::is_lowercase);
                        let last = line.rsplit(' ').next().unwrap_or("");
                        let connector = HEADING_CONNECTORS.contains(&last);
                        if nl < self.len() && self.at(nl) != b'\n' && (connector || next_lower) {
                            m = self.line_end_of(nl);
                        } else {
                            break;
                        }
                    }
                    m
                } else {
                    self.letter_phrase_end(s2, (s2 + 600).min(le))
                };
                if let Some(k) = self.s(s2, end).find("dated") {
                    long_date = self.date_after_dated(s2 + k);
                }
                let after = self.skip_sp(end);
                if after >= self.line_end_of(end) {
                    self.after_heading_lines(self.next_line(end), &mut lang)
                } else {
                    after
                }
            }
        };
        Some(Heading {
            start,
            word: p,
            content_start: content_start.max(start).min(self.len()),
            label_end,
            long_date,
            lang,
        })
    }

    /// After an own-line heading: one blank line, an "[Original: X]" line, one blank line.
    pub(super) fn after_heading_lines(
        &self,
        m: usize,
        lang: &mut Option<(String, usize)>,
    ) -> usize {
        let m = self.skip_blank(m);
        if m >= self.len() {
            return self.len();
        }
        let le = self.line_end_of(m);
        let s = self.skip_md(m);
        if self.starts_ci(s, "[original") {
            if let Some((l, close)) = self.original_at(s) {
                let after = self.skip_emph(self.skip_sp(close));
                *lang = Some((l, s));
                return if after >= le {
                    self.skip_blank(self.next_line(m))
                } else {
                    after
                };
            }
        } else if (self.starts(s, "Original:") || self.starts(s, "Original :")) && le - m <= 40 {
            let v = self.s(s, le).split(':').nth(1).unwrap_or("");
            let l = language(v);
            if !l.is_empty() {
                *lang = Some((l, s));
                return self.skip_blank(self.next_line(m));
            }
        }
        m
    }

    /// "[Original: X]" at `s`: the language and the offset after `]`.
    pub(super) fn original_at(&self, s: usize) -> Option<(String, usize)> {
        if !self.starts_ci(s, "[original") {
            return None;
        }
        let le = self.line_end_of(s);
        let lim = (s + 80).min(le);
        let close = (s..lim).find(|&i| self.at(i) == b']')?;
        let inner = self.s(s + 9, close);
        let l = language(inner.trim_start_matches([' ', ':']).trim());
        (!l.is_empty()).then_some((l, close + 1))
    }

    pub(super) fn long_form_noun(&self, s2: usize, strict: bool) -> bool {
        let mut q = s2 + 2;
        q = self.skip_sp(q);
        if self.starts_ci(q, "the ") {
            q = self.skip_sp(q + 4);
        }
        let e = self.token_end(q);
        let w = self.s(q, e).to_ascii_lowercase();
        let w = w.trim_end_matches([',', '.']);
        LONG_FORM_NOUNS.contains(&w)
            && !(strict && matches!(w, "report" | "present" | "message" | "memorandum"))
    }

    /// End of a letter heading run into flattened text ("… addressed to the President of the
    /// Security Council In accordance …").
    pub(super) fn letter_phrase_end(&self, from: usize, lim: usize) -> usize {
        let mut q = from;
        let mut end = from;
        let mut saw_to = false;
        for _ in 0..40 {
            q = self.skip_sp(q);
            if q >= lim {
                break;
            }
            let te = self.token_end(q).min(lim);
            if te <= q {
                break;
            }
            let core = self
                .s(q, te)
                .trim_matches(|c| c == '*' || c == '_' || c == ',');
            end = te;
            if core == "to" || core == "addressed" {
                saw_to = true;
            } else if saw_to && ADDRESSEE_END.contains(&core) {
                let nts = self.skip_sp(te);
                let nte = self.token_end(nts).min(lim);
                let next = self.s(nts, nte);
                if !["and", "of", "on", "for", "addressed", "to", "in"].contains(&next) {
                    return te;
                }
            } else if core.ends_with('.') && core.chars().count() > 3 {
                return te;
            }
            q = te;
        }
        end
    }
}
