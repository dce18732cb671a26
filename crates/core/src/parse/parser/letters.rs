//! Letter headings ("Letter dated … from … addressed to …", "Note verbale", "Letter of
//! transmittal"), web page titles above them, and the date line of a letter without one.

use super::words::*;
use super::*;

impl<'a> Scanner<'a> {
    /// A letter heading form at `p`: its date if it has one ("Letter dated …").
    pub(super) fn letter_form_at(&self, p: usize) -> Option<Option<Found>> {
        const DATED: [&str; 13] = [
            "Letter dated ",
            "Letters dated ",
            "Identical letters dated ",
            "Joint letter dated ",
            "Note verbale dated ",
            "Letter Dated ",
            "Letters Dated ",
            "Identical Letters Dated ",
            "Joint Letter Dated ",
            "Note Verbale Dated ",
            "LETTER DATED ",
            "NOTE VERBALE DATED ",
            "Letter dated\n",
        ];
        for f in DATED {
            if self.starts(p, f) {
                let d = p + f.len() - 6;
                return Some(self.date_after_dated(d));
            }
        }
        if self.word_at(p, "Letter of transmittal") || self.word_at(p, "LETTER OF TRANSMITTAL") {
            return Some(None);
        }
        if self.word_at(p, "Note verbale") || self.word_at(p, "NOTE VERBALE") {
            let le = self.line_end_of(p);
            let rest = self
                .s(p + 12, le)
                .trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '_');
            if rest.is_empty() {
                return Some(None);
            }
        }
        if self.starts(p, "Letter from ") && self.at_line_start(p) {
            let le = self.line_end_of(p);
            let lim = (p + 300).min(le);
            if self.s(p, lim).contains(" addressed to ") {
                return Some(None);
            }
        }
        None
    }

    /// Letter headings from `from` on (at most [`MAX_LAYERS`]).
    pub(super) fn letter_heads(&self, from: usize, name_ends: &[usize]) -> Vec<LetterHead> {
        let mut out = self.letter_heads_in(
            self.word_starts(from, [b'L', b'I', b'N'], &LETTER_STARTS),
            name_ends,
        );
        out.extend(self.letter_heads_in(
            self.word_starts(from, [b'J', b'J', b'J'], &LETTER_STARTS),
            name_ends,
        ));
        out.sort_unstable_by_key(|l| l.start);
        out.truncate(MAX_LAYERS);
        out
    }

    pub(super) fn letter_heads_in(
        &self,
        pos: impl Iterator<Item = usize>,
        name_ends: &[usize],
    ) -> Vec<LetterHead> {
        let mut out = Vec::new();
        for p in pos {
            if out.len() >= MAX_LAYERS {
                break;
            }
            let Some(date) = self.letter_form_at(p) else {
                continue;
            };
            if self.at_line_start(p) {
                let ls = self.line_start_of(p);
                let le = self.line_end_of(p);
                let line = self.s(ls, le).trim_end_matches(['*', '_']);
                // A sentence, or an item of a list of documents ("…(S/2016/420);"), not a heading.
                if le - ls <= 400 && (line.ends_with(['.', ';', ',']) || line.contains("(S/")) {
                    continue;
                }
                out.push(LetterHead { start: ls, word: p });
            } else {
                let pre_name = self
                    .prev_token(p)
                    .is_some_and(|(_, e)| name_ends.binary_search(&e).is_ok());
                if date.is_some() && (self.pre_furniture(p) || self.pre_sentence_end(p) || pre_name)
                {
                    out.push(LetterHead { start: p, word: p });
                }
            }
        }
        out
    }

    /// A web page's title line ("Letter dated … - Serbia | ReliefWeb"): a site separator.
    pub(super) fn is_web_title(line: &str) -> bool {
        line.contains(" | ") || line.contains(" - ") || line.contains(" \u{2013} ")
    }

    /// The line at `p` (after emphasis) goes on with the rest of a letter heading broken over
    /// lines: "from the Secretary-General addressed to …", "Addressed to the …".
    pub(super) fn heading_goes_on(&self, p: usize) -> bool {
        let q = self.skip_md(p);
        ["from ", "addressed "].iter().any(|w| self.starts_ci(q, w))
    }

    /// When the line at `p` is a letter heading that is a web page's title and the document's own
    /// letter heading follows (after one blank line), the start of that heading.
    pub(super) fn heading_under_title(&self, p: usize, end: usize) -> Option<usize> {
        let lp = self.skip_md(p);
        self.letter_form_at(lp)?;
        let le = self.line_end_of(p);
        if le - p > 400 || !Self::is_web_title(self.s(p, le)) {
            return None;
        }
        let n = self.skip_blank(self.next_line(p));
        let h = self.skip_md(n);
        (h < end && self.letter_form_at(h).is_some()).then_some(h)
    }

    /// The date line of a letter without a dated heading: a date alone on a line ("3 March
    /// 2004", "New York, 3 March 2004") among the first lines of the layer (after the addressee's
    /// lines), before its first sentence. A date without a place must be followed by the
    /// salutation or the opening words of the letter.
    pub(super) fn dateline(&self, cs: usize, end: usize) -> Option<Found> {
        let mut p = cs;
        let mut found: Option<(Found, bool)> = None;
        for _ in 0..14 {
            if p >= end {
                break;
            }
            let le = self.line_end_of(p).min(end);
            if le - p > 200 {
                return found.and_then(|(f, placed)| placed.then_some(f));
            }
            let line = self
                .s(p, le)
                .trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '_' || c == '#');
            if let Some((f, placed)) = found {
                if !line.is_empty() {
                    return (placed || Self::is_salutation(line)).then_some(f);
                }
            } else if !line.is_empty() {
                if le - p > 120 || line.ends_with(['.', ';']) || self.is_numbered_line(p) {
                    return None;
                }
                let ls = p
                    + (self.s(p, le).len()
                        - self
                            .s(p, le)
                            .trim_start_matches([' ', '\t', '*', '_', '#'])
                            .len());
                found = self.date_line_at(ls, ls + line.len());
                if found.is_none()
                    && (Self::is_salutation(line) || self.letter_form_at(ls).is_some())
                {
                    return None;
                }
            }
            p = self.next_line(le);
        }
        found.and_then(|(f, placed)| placed.then_some(f))
    }

    /// A date that is the whole of `a..e`, with an optional place before it ("New York, "):
    /// the date and whether a place was given.
    pub(super) fn date_line_at(&self, a: usize, e: usize) -> Option<(Found, bool)> {
        if let Some((d, de)) = self.date_at(a) {
            return (de == e).then_some(((d, a), false));
        }
        let line = self.s(a, e);
        let comma = line.rfind(", ")?;
        let place = &line[..comma];
        let words_ok = comma <= 40
            && place.split_whitespace().all(|w| {
                w.chars().next().is_some_and(char::is_uppercase) || PARTICLES.contains(&w)
            })
            && !place.chars().any(|c| c.is_ascii_digit());
        if !words_ok {
            return None;
        }
        let q = a + comma + 2;
        let (d, de) = self.date_at(q)?;
        (de == e).then_some(((d, q), true))
    }

    /// A letter's salutation or opening words.
    pub(super) fn is_salutation(line: &str) -> bool {
        [
            "Sir",
            "Madam",
            "Excellency",
            "Your Excellency",
            "Dear ",
            "Mr. President",
            "Madam President",
            "Mr. Secretary",
            "I have the honour",
            "I write",
        ]
        .iter()
        .any(|w| line.starts_with(w))
    }

    /// The layer's own letter date: a letter heading at the start of its text.
    pub(super) fn own_date(&self, cs: usize, end: usize) -> Option<(Date, usize, usize)> {
        let mut p = self.skip_furniture(cs, end);
        // The heading zone: up to three lines before the first body line.
        for _ in 0..3 {
            if p >= end {
                return None;
            }
            let le = self.line_end_of(p).min(end);
            let lim = (p + 100).min(le);
            for c in p..lim {
                if !matches!(self.at(c), b'L' | b'I' | b'J' | b'N') || !self.word_boundary_before(c)
                {
                    continue;
                }
                if let Some(Some((d, off))) = self.letter_form_at(c) {
                    // A web page's title above the document's own heading: the heading's date.
                    if let Some(h) = self.heading_under_title(p, end) {
                        if let Some(Some((d2, off2))) = self.letter_form_at(h) {
                            return Some((d2, off2, h));
                        }
                    }
                    return Some((d, off, c));
                }
            }
            let line = self.s(p, le).trim_end_matches(['*', '_']);
            if le - p > 300 || line.ends_with('.') || self.is_numbered_line(p) {
                return None;
            }
            p = self.skip_furniture(self.next_line(le), end);
        }
        None
    }

    /// Skip white space, page furniture and OCR noise lines from `p` (bounded).
    pub(super) fn skip_furniture(&self, mut p: usize, end: usize) -> usize {
        for _ in 0..16 {
            while p < end && (is_ws(self.at(p)) || matches!(self.at(p), b'#')) {
                p += 1;
            }
            if p >= end {
                return end;
            }
            let te = self.token_end(p);
            if self.is_furniture_tok(p, te) {
                p = te;
            } else if self.at_line_start(p) && self.is_noise_line(self.line_start_of(p)) {
                p = self.next_line(p);
            } else {
                break;
            }
        }
        p.min(end)
    }
}
