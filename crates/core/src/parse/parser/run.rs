//! The whole proposal: every finding of the other modules combined into layers, their kinds,
//! dates, languages, titles and signatories, with the evidence of each.

use super::words::*;
use super::*;
use crate::format::dates;

impl<'a> Scanner<'a> {
    /// The proposal; with `detail` false, only the header and each layer's kind, span and
    /// confidence (the same layers, without titles, dates, languages, signatories or evidence).
    pub(super) fn run(&self, detail: bool) -> Structure {
        let len = self.len();
        if len == 0 {
            return Structure {
                header: None,
                layers: vec![LayerProposal {
                    kind: LayerKind::Cover,
                    start: 0,
                    content_start: 0,
                    end: 0,
                    title: None,
                    date: None,
                    original_language: None,
                    signatories: Vec::new(),
                    confidence: Confidence::Certain,
                    evidence: vec![Evidence {
                        what: "boundary",
                        value: "empty text".to_owned(),
                        cue: "outermost layer".to_owned(),
                        line: 1,
                        column: 1,
                        confidence: Confidence::Certain,
                    }],
                }],
            };
        }
        let mut pend: Vec<Pending> = Vec::with_capacity(32);
        let header = match self.header() {
            Some((h, ev)) => {
                pend.extend(ev);
                Some(h)
            }
            None => None,
        };
        let body = header.as_ref().map_or(0, |h| h.end);
        let marks = self.marks(body);
        let mut name_ends: Vec<usize> = marks.iter().map(|m| m.name_end).collect();
        name_ends.sort_unstable();
        let headings = self.headings(body, &name_ends);
        let heading_starts: Vec<usize> = headings.iter().map(|h| h.start).collect();
        // 1. Heading words.
        let mut bounds: Vec<Bound> = headings
            .iter()
            .enumerate()
            .filter(|(_, h)| h.start > body)
            .map(|(i, h)| Bound {
                start: h.start,
                content_start: h.content_start,
                confidence: Confidence::Certain,
                cue: [
                    "heading \"",
                    plain(self.s(h.word, h.label_end)).as_str(),
                    "\"",
                ]
                .concat(),
                value: plain(self.s(h.word, h.label_end)),
                heading: Some(i),
            })
            .collect();
        // 2. A signature block or closing formula followed by a new communication.
        let mut block_ends: Vec<(usize, &str)> = marks
            .iter()
            .map(|m| {
                (
                    m.block_end,
                    "\"(Signed)\" block of the layer above followed by new text",
                )
            })
            .collect();
        for c in self.closings(body) {
            block_ends.push((
                c,
                "closing formula (\"highest consideration\") followed by new text",
            ));
        }
        for (e, cue) in block_ends {
            if let Some(s) = self.boundary_after_block(e, &heading_starts) {
                if s > body {
                    bounds.push(Bound {
                        start: s,
                        content_start: s,
                        confidence: Confidence::Inferred,
                        cue: cue.to_owned(),
                        value: self.snippet(s),
                        heading: None,
                    });
                }
            }
        }
        normalize(&mut bounds, body);
        // 3. Letter headings after body text.
        let letters = self.letter_heads(body, &name_ends);
        let mut added = Vec::new();
        let mut j = 0;
        let mut cur_cs = body;
        let mut cur_start = body;
        for lh in letters {
            while j < bounds.len() && bounds[j].start <= lh.start {
                cur_cs = bounds[j].content_start;
                cur_start = bounds[j].start;
                j += 1;
            }
            if lh.start <= cur_start || lh.word < cur_cs || lh.start <= body {
                continue;
            }
            if self.has_body(cur_cs, lh.start) {
                added.push(Bound {
                    start: lh.start,
                    content_start: lh.start,
                    confidence: Confidence::Inferred,
                    cue: "letter heading after the text of the layer above".to_owned(),
                    value: self.snippet(lh.word),
                    heading: None,
                });
                cur_cs = lh.start;
                cur_start = lh.start;
            }
        }
        bounds.extend(added);
        normalize(&mut bounds, body);
        // 4. Report titles followed by numbered paragraphs.
        let more = self.report_title_bounds(body, &bounds);
        bounds.extend(more);
        normalize(&mut bounds, body);
        bounds.truncate(MAX_LAYERS - 1);
        // Layers.
        let mut layers: Vec<LayerProposal> = Vec::with_capacity(bounds.len() + 1);
        let mut spans: Vec<(usize, usize, usize, Option<usize>)> = vec![(body, body, 0, None)];
        for b in &bounds {
            spans.push((b.start, b.content_start, 0, b.heading));
        }
        let n = spans.len();
        for i in 0..n {
            spans[i].2 = if i + 1 < n { spans[i + 1].0 } else { len };
        }
        // Layer `i` as the boundaries give it: kind, span and confidence, nothing read inside yet.
        let outline = |i: usize, start: usize, cs: usize, end: usize| LayerProposal {
            kind: LayerKind::from_markers(i, self.s(start, cs)),
            start,
            content_start: cs,
            end,
            title: None,
            date: None,
            original_language: None,
            signatories: Vec::new(),
            confidence: match i.checked_sub(1).and_then(|j| bounds.get(j)) {
                Some(b) => b.confidence,
                None => Confidence::Certain,
            },
            evidence: Vec::new(),
        };
        if !detail {
            layers.extend(
                spans
                    .iter()
                    .enumerate()
                    .map(|(i, &(start, cs, end, _))| outline(i, start, cs, end)),
            );
            return Structure { header, layers };
        }
        pend.push(
            self.pending(
                0,
                "boundary",
                if header.is_some() {
                    "after the publication header"
                } else {
                    "start of the text"
                }
                .to_owned(),
                "outermost layer",
                body,
                Confidence::Certain,
            ),
        );
        for (i, b) in bounds.iter().enumerate() {
            // A heading's evidence points at the heading word itself.
            let at = b
                .heading
                .and_then(|h| headings.get(h))
                .map_or(b.start, |h| h.word);
            pend.push(self.pending(i + 1, "boundary", b.value.clone(), &b.cue, at, b.confidence));
        }
        let mut mi = 0;
        for (i, &(start, cs, end, heading)) in spans.iter().enumerate() {
            let mut layer = outline(i, start, cs, end);
            // Signatories.
            while mi < marks.len() && marks[mi].start < start {
                mi += 1;
            }
            while mi < marks.len() && marks[mi].start < end {
                let m = &marks[mi];
                let name = clean_name(self.s(m.name_pos, m.name_end));
                if !name.is_empty() {
                    pend.push(self.pending(
                        i,
                        "signatory",
                        name.clone(),
                        "\"(Signed)\" mark",
                        m.name_pos,
                        Confidence::Certain,
                    ));
                    layer.signatories.push(name);
                }
                mi += 1;
            }
            // Original language.
            let mut lang = heading
                .and_then(|h| headings.get(h))
                .and_then(|h| h.lang.clone());
            let mut from = start;
            while lang.is_none() {
                let Some(o) = self.first_original(from, end) else {
                    break;
                };
                lang = self.original_at(o).map(|(l, _)| (l, o));
                from = o + 1;
            }
            if let Some((l, off)) = lang {
                pend.push(self.pending(
                    i,
                    "original_language",
                    l.clone(),
                    "\"[Original: …]\" marker",
                    off,
                    Confidence::Certain,
                ));
                layer.original_language = Some(l);
            }
            // Title and own date.
            if let Some((title, off, conf)) = self.title(cs, end) {
                pend.push(self.pending(
                    i,
                    "title",
                    title.clone(),
                    if conf == Confidence::Certain {
                        "letter heading"
                    } else {
                        "title line at the start of the layer"
                    },
                    off,
                    conf,
                ));
                layer.title = Some(title);
            }
            if let Some((d, off, _)) = self.own_date(cs, end) {
                pend.push(self.pending(
                    i,
                    "date",
                    dates::format_iso(d),
                    "date in the layer's own letter heading",
                    off,
                    Confidence::Certain,
                ));
                layer.date = Some(d);
            } else if let Some((d, off)) = self.dateline(cs, end) {
                pend.push(self.pending(
                    i,
                    "date",
                    dates::format_iso(d),
                    "the letter's date line",
                    off,
                    Confidence::Inferred,
                ));
                layer.date = Some(d);
            }
            layers.push(layer);
        }
        // Dates the enclosing letter gives; an "Annex to the letter dated …" heading dates the letter above.
        for i in 1..layers.len() {
            if layers[i].date.is_none() {
                let (a, b) = (layers[i - 1].content_start, layers[i - 1].end);
                if let Some((d, off)) = self.reference_date(a, b) {
                    pend.push(self.pending(
                        i,
                        "date",
                        dates::format_iso(d),
                        "date the enclosing letter gives for it",
                        off,
                        Confidence::Inferred,
                    ));
                    layers[i].date = Some(d);
                }
            }
            let long = spans[i]
                .3
                .and_then(|h| headings.get(h))
                .and_then(|h| h.long_date);
            if let Some((d, off)) = long {
                if layers[i - 1].date.is_none() {
                    pend.push(self.pending(
                        i - 1,
                        "date",
                        dates::format_iso(d),
                        "date in the heading \"… to the letter dated …\" beneath",
                        off,
                        Confidence::Inferred,
                    ));
                    layers[i - 1].date = Some(d);
                }
            }
        }
        self.attach_evidence(&mut layers, pend);
        Structure { header, layers }
    }

    /// Turn pending evidence into evidence with lines and columns, in one sweep over the offsets.
    pub(super) fn attach_evidence(&self, layers: &mut [LayerProposal], mut pend: Vec<Pending>) {
        pend.sort_by_key(|p| p.off);
        let mut prev: Option<(usize, usize, u32)> = None; // (line index, offset, column)
        for p in pend {
            let off = self.floor_cb(p.off);
            let li = self.doc.line_index_of(off);
            let col = match prev {
                Some((pl, po, pc)) if pl == li && po <= off => {
                    pc + self.s(po, off).chars().count() as u32
                }
                _ => {
                    let ls = self.doc.line_start(li).min(off);
                    1 + self.s(ls, off).chars().count() as u32
                }
            };
            prev = Some((li, off, col));
            if let Some(l) = layers.get_mut(p.layer) {
                l.evidence.push(Evidence {
                    what: p.what,
                    value: p.value,
                    cue: p.cue,
                    line: self.doc.original_line_of(off),
                    column: col,
                    confidence: p.confidence,
                });
            }
        }
    }
}

/// Sort boundaries, keep one per offset (a heading wins), drop those inside the markers of the
/// boundary before and those not after the start of the outermost layer.
pub(super) fn normalize(bounds: &mut Vec<Bound>, body: usize) {
    bounds.sort_by_key(|b| (b.start, b.confidence != Confidence::Certain));
    let mut out: Vec<Bound> = Vec::with_capacity(bounds.len());
    for b in bounds.drain(..) {
        if b.start <= body {
            continue;
        }
        if let Some(last) = out.last() {
            if b.start == last.start || b.start < last.content_start {
                continue;
            }
        }
        out.push(b);
    }
    *bounds = out;
}
