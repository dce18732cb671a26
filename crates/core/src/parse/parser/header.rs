//! The publication header: the block before the first layer (organ, symbol, distribution, date,
//! language), and the evidence it gives the outermost layer.

use super::words::*;
use super::*;
use crate::format::dates;

impl<'a> Scanner<'a> {
    /// The publication header: the header block at the start of the text, or after a short
    /// preamble of web-page lines (site navigation, a page title) when a strong block follows.
    pub(super) fn header(&self) -> Option<(HeaderProposal, Vec<Pending>)> {
        if let Some((h, ev, _)) = self.header_at(0) {
            return Some((h, ev));
        }
        let mut p = 0;
        for _ in 0..12 {
            let le = self.line_end_of(p);
            let line = self.s(p, le).trim();
            // Preamble lines are short and are not body text or a letter's own heading.
            if le - p > 150
                || line.ends_with('.')
                || line.contains(". ")
                || (self.letter_form_at(self.skip_md(p)).is_some() && !Self::is_web_title(line))
                || self.heading_word_at(self.skip_md(p)).is_some()
                || self.mark_at(self.skip_sp(p))
            {
                return None;
            }
            p = self.next_line(p);
            if p >= self.len() || p > 1500 {
                return None;
            }
            if self.at(p) == b'\n' {
                continue;
            }
            if let Some((h, ev, strong)) = self.header_at(p) {
                return (strong >= 2).then_some((h, ev));
            }
        }
        None
    }

    /// The header block starting at `p0` (the header itself always starts at 0), with the number of
    /// strong items found.
    pub(super) fn header_at(&self, p0: usize) -> Option<(HeaderProposal, Vec<Pending>, usize)> {
        let len = self.len();
        let mut p = p0;
        let mut end: Option<usize> = None;
        let mut items = 0;
        let mut strong = 0;
        let mut noise = 0;
        let mut symbol: Option<(String, usize)> = None;
        let mut date: Option<Found> = None;
        let mut lang: Option<(String, usize)> = None;
        for _ in 0..80 {
            while p < len && (is_ws(self.at(p)) || matches!(self.at(p), b'*' | b'_' | b'#')) {
                p += 1;
            }
            if p >= len || p > 8000 {
                break;
            }
            let te = self.token_end(p);
            let tok = self.s(p, te).trim_end_matches(['*', '_']);
            let mut matched: Option<(usize, bool)> = None;
            for organ in [
                "United Nations",
                "Security Council",
                "General Assembly",
                "Economic and Social Council",
                "Trusteeship Council",
                "UNITED NATIONS",
                "SECURITY COUNCIL",
                "GENERAL ASSEMBLY",
            ] {
                if self.word_at(p, organ) {
                    matched = Some((p + organ.len(), true));
                    break;
                }
            }
            if matched.is_none() && self.starts(p, "Distr") {
                let mut q = p + 5;
                if self.at(q) == b'.' {
                    q += 1;
                }
                q = self.skip_sp(q);
                if self.at(q) == b':' {
                    q += 1;
                }
                // "Distr.: General", or "Distr." and "GENERAL" on two lines.
                let mut r = self.skip_sp(q);
                if self.at(r) == b'\n' {
                    r = self.skip_sp(r + 1);
                }
                let we = self.token_end(r);
                let w = self.s(r, we).trim_end_matches(['*', '_', ',', '.']);
                if [
                    "General",
                    "Limited",
                    "Restricted",
                    "GENERAL",
                    "LIMITED",
                    "RESTRICTED",
                ]
                .contains(&w)
                {
                    q = r + w.len();
                }
                matched = Some((q, true));
            }
            if matched.is_none() && (self.starts(p, "Original") || self.starts(p, "ORIGINAL")) {
                let mut q = self.skip_sp(p + 8);
                if self.at(q) == b':' {
                    q = self.skip_sp(q + 1);
                    let mut e = q;
                    while self.ch(e).is_some_and(char::is_alphabetic) && e - q < 30 {
                        e += self.ch(e).map_or(1, char::len_utf8);
                    }
                    if e > q {
                        if lang.is_none() {
                            lang = Some((language(self.s(q, e)), p));
                        }
                        matched = Some((e, true));
                    }
                }
            }
            if matched.is_none() {
                // "S/2016/459", or a joint symbol "A/70/123–S/2015/456" (the Council's part).
                const DASHES: [char; 2] = ['\u{2013}', '\u{2014}'];
                let sym = if tok.contains(DASHES) {
                    tok.split(DASHES).all(is_symbol)
                } else {
                    is_symbol(tok)
                };
                if sym {
                    if symbol.is_none() {
                        let sc = tok
                            .split(DASHES)
                            .find(|x| x.starts_with("S/"))
                            .unwrap_or(tok);
                        symbol = Some((sc.to_owned(), p));
                    }
                    matched = Some((p + tok.len(), true));
                }
            }
            if matched.is_none() {
                if let Some((d, e)) = self.date_at(p) {
                    if date.is_none() {
                        date = Some((d, p));
                    }
                    matched = Some((e, false));
                }
            }
            if matched.is_none() && LANGUAGES.contains(&tok) {
                matched = Some((p + tok.len(), false));
            }
            if matched.is_none() && self.at_line_start(p) {
                let ls = self.line_start_of(p);
                let le = self.line_end_of(p);
                let line = self.s(p, le).trim_end_matches(['*', '_']);
                if le - ls <= 100
                    && (line.starts_with("Agenda item")
                        || (le - ls <= 40
                            && (line.ends_with(" session") || line.ends_with(" year"))))
                {
                    matched = Some((p + line.len(), false));
                }
            }
            match matched {
                Some((e, is_strong)) => {
                    p = e;
                    end = Some(e);
                    items += 1;
                    strong += usize::from(is_strong);
                    noise = 0;
                }
                None => {
                    noise += 1;
                    if noise > 4 {
                        break;
                    }
                    if self.is_furniture_tok(p, te) {
                        p = te;
                    } else if self.at_line_start(p)
                        && (self.is_noise_line(self.line_start_of(p))
                            || self.starts(p, "Total Page")
                            || self.starts(p, "File Type:"))
                    {
                        // OCR noise, or a web copy's file metadata ("Total Page:16").
                        p = self.next_line(p);
                    } else {
                        break;
                    }
                }
            }
        }
        let e = end?;
        if strong == 0 {
            return None;
        }
        let mut h = self.skip_emph(e);
        h = self.skip_sp(h);
        h = self.skip_emph(h);
        if h >= len || self.at(h) == b'\n' {
            h = self.skip_blank(self.next_line(h));
            // Page furniture lines right after the header block belong to it.
            for _ in 0..6 {
                let le = self.line_end_of(h);
                if h < len && le > h && (self.is_furniture_line(h, le) || self.is_noise_line(h)) {
                    h = self.skip_blank(self.next_line(h));
                } else {
                    break;
                }
            }
        } else {
            if items < 3 {
                return None;
            }
            h = self.skip_sp(e);
        }
        let h = h.min(len);
        let mut ev = Vec::new();
        if let Some((s, off)) = &symbol {
            ev.push(self.pending(
                0,
                "header",
                s.clone(),
                "document symbol in the header block",
                *off,
                Confidence::Certain,
            ));
        }
        if let Some((d, off)) = date {
            ev.push(self.pending(
                0,
                "header",
                dates::format_iso(d),
                "publication date in the header block",
                off,
                Confidence::Certain,
            ));
        }
        if let Some((l, off)) = &lang {
            ev.push(self.pending(
                0,
                "header",
                l.clone(),
                "\"Original:\" in the header block",
                *off,
                Confidence::Certain,
            ));
        }
        Some((
            HeaderProposal {
                end: h,
                symbol: symbol.map(|s| s.0),
                date: date.map(|d| d.0),
                original_language: lang.map(|l| l.0),
            },
            ev,
            strong,
        ))
    }

    pub(super) fn pending(
        &self,
        layer: usize,
        what: &'static str,
        value: String,
        cue: &str,
        off: usize,
        confidence: Confidence,
    ) -> Pending {
        Pending {
            layer,
            what,
            value,
            cue: cue.to_owned(),
            off,
            confidence,
        }
    }
}
