//! Text that a Markdown reader never sees.
//!
//! A signatory reads a document rendered as CommonMark. Some text in the source is never displayed
//! by such a renderer, yet it is hashed and signed like the rest: HTML comments, raw HTML blocks and
//! inline HTML tags (whose effect, such as `display:none`, only a browser decides), and link
//! reference definitions (`[//]: # (note)`, `[x]: <> (note)`, or any `[label]: destination
//! "title"`, which are never displayed themselves). [`find_hidden`] lists such text in canonical
//! text so that `sign` can refuse it and `verify` can warn about it.
//!
//! A second, subtler case is a line that the canonical profile strips to a blank line but that
//! CommonMark does not treat as blank (a line of U+00A0 NO-BREAK SPACE, say): replacing a signed
//! blank line with one keeps the hash and changes the rendering. [`whitespace_only_lines`] finds
//! those lines in the original text, before canonicalization.
//!
//! The reference behaviour is that of the `pulldown-cmark` parser (CommonMark 0.31.2, no
//! extensions); the exact rules are in `docs/hidden-text.md`. This module is pure: it reads a
//! string and returns positions.

use pulldown_cmark::{Event, Options, Parser, TagEnd};
use std::ops::Range;

/// Longest excerpt, in characters, returned by [`Hidden::excerpt`].
pub const EXCERPT_CHARS: usize = 200;

/// What kind of text a reader does not see.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HiddenKind {
    /// An HTML comment (`<!-- … -->`), as an HTML block or inline; an unterminated one runs to
    /// the end of the text.
    HtmlComment,
    /// A raw HTML block other than a comment (`<div hidden>`, `<details>`, …).
    HtmlBlock,
    /// An inline HTML tag other than a comment (`<span style="display:none">`, `<br>`, …). The
    /// text between an opening and a closing tag is Markdown and is not part of the range.
    InlineHtml,
    /// A link reference definition (`[label]: destination "title"`), including the
    /// `[//]: # (comment)` idiom.
    LinkReferenceDefinition,
}

/// A range of text that a CommonMark reader does not see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hidden {
    /// Byte range in the text given to [`find_hidden`]; always on character boundaries.
    pub range: Range<usize>,
    /// What the text is.
    pub kind: HiddenKind,
}

impl Hidden {
    /// The hidden text, cut to [`EXCERPT_CHARS`] characters (with `…` appended when cut), for
    /// messages. `text` must be the text given to [`find_hidden`]; a range that does not fit it
    /// yields an empty excerpt.
    pub fn excerpt(&self, text: &str) -> String {
        let Some(s) = text.get(self.range.clone()) else {
            return String::new();
        };
        match s.char_indices().nth(EXCERPT_CHARS) {
            Some((cut, _)) => {
                let mut out = String::with_capacity(cut + 3);
                out.push_str(&s[..cut]);
                out.push('…');
                out
            }
            None => s.to_owned(),
        }
    }
}

/// How a parser event relates to the blocks of the document.
enum Level {
    /// A block that holds other blocks (block quote, list, list item, …): its range includes
    /// container markers and may include link reference definitions.
    Container,
    /// A block whose whole range is displayed or is raw HTML (paragraph, heading, code block, …).
    Leaf,
    /// Inline content; consecutive inline events form one displayed run (a tight list item has
    /// inline content without a paragraph around it).
    Inline,
}

fn level(tag: TagEnd) -> Level {
    match tag {
        TagEnd::BlockQuote(_)
        | TagEnd::List(_)
        | TagEnd::Item
        | TagEnd::FootnoteDefinition
        | TagEnd::DefinitionList
        | TagEnd::DefinitionListTitle
        | TagEnd::DefinitionListDefinition => Level::Container,
        TagEnd::Paragraph
        | TagEnd::Heading(_)
        | TagEnd::CodeBlock
        | TagEnd::HtmlBlock
        | TagEnd::Table
        | TagEnd::TableHead
        | TagEnd::TableRow
        | TagEnd::TableCell
        | TagEnd::MetadataBlock(_) => Level::Leaf,
        TagEnd::Emphasis
        | TagEnd::Strong
        | TagEnd::Strikethrough
        | TagEnd::Superscript
        | TagEnd::Subscript
        | TagEnd::Link
        | TagEnd::Image => Level::Inline,
    }
}

/// Find the text in `text` (a whole canonical document: LF line ends, no trailing white space)
/// that a CommonMark renderer does not display.
///
/// The result is sorted by position; ranges do not overlap, and ranges of one kind separated by
/// nothing but spaces, tabs and at most one line end are merged. Runs in time linear in the length
/// of `text` and accepts any string.
pub fn find_hidden(text: &str) -> Vec<Hidden> {
    // Every hidden construct starts with `<` (HTML, comments) or `[` (a link reference
    // definition): text with neither hides nothing, and is not parsed at all (the CommonMark
    // parser holds a node per inline item, about 15 bytes of memory per byte of short lines).
    if memchr::memchr2(b'<', b'[', text.as_bytes()).is_none() {
        return Vec::new();
    }
    let mut found: Vec<Hidden> = Vec::new();
    // Ranges of the source that the parser accounts for as displayed content or raw HTML.
    let mut covered: Vec<Range<usize>> = Vec::new();
    let mut run: Option<Range<usize>> = None;
    let mut in_html_block = false;

    let mut events = Parser::new_ext(text, Options::empty()).into_offset_iter();
    for (event, range) in events.by_ref() {
        match event {
            Event::Start(tag) => {
                let tag = TagEnd::from(tag);
                match level(tag) {
                    Level::Container => close_run(&mut run, &mut covered),
                    Level::Leaf => {
                        close_run(&mut run, &mut covered);
                        if tag == TagEnd::HtmlBlock {
                            in_html_block = true;
                            push_html_block(text, range.clone(), &mut found);
                        }
                        covered.push(range);
                    }
                    Level::Inline => extend_run(&mut run, range),
                }
            }
            Event::End(tag) => {
                if tag == TagEnd::HtmlBlock {
                    in_html_block = false;
                }
                if !matches!(level(tag), Level::Inline) {
                    close_run(&mut run, &mut covered);
                }
            }
            Event::Html(_) => {
                // Lines of an HTML block are reported with the block; a line outside one would
                // be a parser change, reported on its own.
                if !in_html_block {
                    close_run(&mut run, &mut covered);
                    push_html_block(text, range.clone(), &mut found);
                    covered.push(range);
                }
            }
            Event::InlineHtml(html) => {
                let kind = if html.starts_with("<!--") {
                    HiddenKind::HtmlComment
                } else {
                    HiddenKind::InlineHtml
                };
                found.push(Hidden {
                    range: range.clone(),
                    kind,
                });
                extend_run(&mut run, range);
            }
            Event::Rule => {
                close_run(&mut run, &mut covered);
                covered.push(range);
            }
            Event::Text(_)
            | Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::TaskListMarker(_) => extend_run(&mut run, range),
        }
    }
    close_run(&mut run, &mut covered);

    for (_, def) in events.reference_definitions().iter() {
        found.push(Hidden {
            range: def.span.clone(),
            kind: HiddenKind::LinkReferenceDefinition,
        });
    }
    // The parser keeps only the first definition of a label, but a later one with the same label
    // (`[//]: # (…)` used twice) is just as invisible: it lies outside every displayed block.
    uncovered_definitions(text, &mut covered, &mut found);

    normalize(text, found)
}

fn extend_run(run: &mut Option<Range<usize>>, range: Range<usize>) {
    match run {
        Some(r) => {
            r.start = r.start.min(range.start);
            r.end = r.end.max(range.end);
        }
        None => *run = Some(range),
    }
}

fn close_run(run: &mut Option<Range<usize>>, covered: &mut Vec<Range<usize>>) {
    if let Some(r) = run.take() {
        covered.push(r);
    }
}

/// Report an HTML block: a comment if it starts with `<!--`, else a block; from an unterminated
/// comment inside it to the end of the text (a browser hides everything after `<!--`).
fn push_html_block(text: &str, range: Range<usize>, found: &mut Vec<Hidden>) {
    // The block's range ends with its line end; the report ends with its last character.
    let Some(block) = text
        .get(range.clone())
        .map(|b| b.trim_end_matches(['\n', '\r', ' ', '\t']))
    else {
        return;
    };
    let range = range.start..range.start + block.len();
    let kind = if block.trim_start().starts_with("<!--") {
        HiddenKind::HtmlComment
    } else {
        HiddenKind::HtmlBlock
    };
    match unterminated_comment(block) {
        Some(at) => {
            let split = range.start + at;
            if split > range.start {
                found.push(Hidden {
                    range: range.start..split,
                    kind,
                });
            }
            found.push(Hidden {
                range: split..text.len(),
                kind: HiddenKind::HtmlComment,
            });
        }
        None => found.push(Hidden { range, kind }),
    }
}

/// Offset of the first `<!--` in `html` that no `-->` or `--!>` closes (`<!-->` and `<!--->` are
/// complete empty comments), as an HTML parser reads it. One pass over `html`.
fn unterminated_comment(html: &str) -> Option<usize> {
    let mut pos = 0;
    while let Some(found) = html.get(pos..).and_then(|s| s.find("<!--")) {
        let open = pos + found;
        let body = open + 4;
        let rest = html.get(body..).unwrap_or("");
        if rest.starts_with('>') {
            pos = body + 1;
            continue;
        }
        if rest.starts_with("->") {
            pos = body + 2;
            continue;
        }
        // Find the first `--` followed by `>` or `!>`.
        let mut at = body;
        let end = loop {
            let Some(dash) = html.get(at..).and_then(|s| s.find("--")) else {
                break None;
            };
            let dashes = at + dash;
            let after = html.get(dashes + 2..).unwrap_or("");
            if after.starts_with('>') {
                break Some(dashes + 3);
            }
            if after.starts_with("!>") {
                break Some(dashes + 4);
            }
            at = dashes + 1;
        };
        match end {
            Some(e) => pos = e,
            None => return Some(open),
        }
    }
    None
}

/// Characters that may precede a block on a line without being displayed text: indentation,
/// block quote markers and list item markers.
fn is_container_marker(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\r' | b'>' | b'-' | b'+' | b'*' | b'.' | b')' | b'0'..=b'9'
    )
}

/// Report, as link reference definitions, the lines outside all displayed blocks that hold more
/// than container markers, from the first `[` of such a run of lines on. CommonMark puts nothing
/// else there.
fn uncovered_definitions(text: &str, covered: &mut [Range<usize>], found: &mut Vec<Hidden>) {
    // Events arrive in source order, so this sort is over an (almost) sorted list.
    covered.sort_unstable_by_key(|r| r.start);
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut gaps: Vec<Range<usize>> = Vec::new();
    for r in covered.iter() {
        if r.start > pos {
            gaps.push(pos..r.start.min(bytes.len()));
        }
        pos = pos.max(r.end);
    }
    if pos < bytes.len() {
        gaps.push(pos..bytes.len());
    }
    for gap in gaps {
        let mut in_definition = false;
        let mut line_start = gap.start;
        while line_start < gap.end {
            let line_end = bytes
                .get(line_start..gap.end)
                .and_then(|s| s.iter().position(|&b| b == b'\n'))
                .map_or(gap.end, |i| line_start + i);
            let mut from = line_start;
            while from < line_end && bytes.get(from).is_some_and(|&b| is_container_marker(b)) {
                from += 1;
            }
            if !in_definition && bytes.get(from) == Some(&b'[') && from < line_end {
                in_definition = true;
            }
            if in_definition {
                let mut to = line_end;
                while to > from && bytes.get(to - 1).is_some_and(|b| b.is_ascii_whitespace()) {
                    to -= 1;
                }
                if to > from && text.is_char_boundary(from) && text.is_char_boundary(to) {
                    found.push(Hidden {
                        range: from..to,
                        kind: HiddenKind::LinkReferenceDefinition,
                    });
                }
            }
            line_start = line_end + 1;
        }
    }
}

/// Sort, merge ranges of one kind that touch or are separated by spaces, tabs and at most one line
/// end, and cut overlaps between kinds (the earlier range wins).
fn normalize(text: &str, mut found: Vec<Hidden>) -> Vec<Hidden> {
    found.retain(|h| h.range.start < h.range.end && text.get(h.range.clone()).is_some());
    found.sort_unstable_by_key(|h| (h.range.start, std::cmp::Reverse(h.range.end)));
    let mut out: Vec<Hidden> = Vec::with_capacity(found.len());
    for mut h in found {
        if let Some(last) = out.last_mut() {
            if h.range.end <= last.range.end {
                continue;
            }
            if h.kind == last.kind
                && (h.range.start <= last.range.end
                    || joinable(text, last.range.end..h.range.start))
            {
                last.range.end = h.range.end;
                continue;
            }
            if h.range.start < last.range.end {
                h.range.start = last.range.end;
            }
        }
        out.push(h);
    }
    out
}

/// True when `between` holds only spaces and tabs around at most one line end.
fn joinable(text: &str, between: Range<usize>) -> bool {
    let Some(s) = text.get(between) else {
        return false;
    };
    let mut line_ends = 0;
    let mut prev_cr = false;
    for b in s.bytes() {
        match b {
            b' ' | b'\t' => prev_cr = false,
            b'\n' if prev_cr => prev_cr = false,
            b'\n' | b'\r' => {
                line_ends += 1;
                prev_cr = b == b'\r';
            }
            _ => return false,
        }
    }
    line_ends <= 1
}

/// 1-based numbers of the lines of `original` (the decoded text before canonicalization) that are
/// not empty, consist only of Unicode white space, and hold at least one character other than
/// SPACE and TAB (a line of U+00A0 or U+3000, say). The canonical profile strips such a line to a
/// blank line, but CommonMark does not take it for one.
///
/// Lines end at LF, CR LF or a lone CR, as in the canonical profile; a leading byte-order mark is
/// ignored. Linear in the length of `original`.
pub fn whitespace_only_lines(original: &str) -> Vec<u32> {
    let text = original.strip_prefix('\u{feff}').unwrap_or(original);
    let mut out = Vec::new();
    let mut number: u32 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        number = number.saturating_add(1);
        let (line, next) = match memchr::memchr2(b'\n', b'\r', rest.as_bytes()) {
            Some(i) => {
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                (&rest[..i], &rest[i + skip..])
            }
            None => (rest, ""),
        };
        if !line.is_empty()
            && line.chars().all(char::is_whitespace)
            && line.chars().any(|c| c != ' ' && c != '\t')
        {
            out.push(number);
        }
        rest = next;
    }
    out
}

/// The characters that Unicode NFC (the canonical profile, FORMAT.md §2 step 4) turns into ASCII
/// a Markdown reader treats differently: U+037E GREEK QUESTION MARK becomes `;`, U+1FEF GREEK
/// VARIA a backtick (so a signed code span or fence could be made live markup after signing),
/// U+212A KELVIN SIGN `K`. These are all the characters whose NFC is ASCII (Unicode 15).
pub const NFC_TO_ASCII: &[char] = &['\u{37e}', '\u{1fef}', '\u{212a}'];

/// 1-based lines of `original` (split as the canonicalizer splits, one leading U+FEFF ignored)
/// holding a character the canonical profile equates with markup a reader sees differently: one
/// of [`NFC_TO_ASCII`], or U+0338 COMBINING LONG SOLIDUS OVERLAY after `<`, `=` or `>` (NFC
/// composes `>` + U+0338 into `≯`, but a Markdown reader sees `>` and a block quote).
pub fn ambiguous_character_lines(original: &str) -> Vec<u32> {
    let text = original.strip_prefix('\u{feff}').unwrap_or(original);
    let bytes = text.as_bytes();
    // Their UTF-8 lead bytes: U+0338 CC B8, U+037E CD BE, U+1FEF E1 BF AF, U+212A E2 84 AA.
    let mut hits: Vec<usize> = memchr::memchr3_iter(0xCC, 0xCD, 0xE1, bytes)
        .chain(memchr::memchr_iter(0xE2, bytes))
        .filter(|&i| match bytes[i..] {
            [0xCC, 0xB8, ..] => i > 0 && matches!(bytes[i - 1], b'<' | b'=' | b'>'),
            [0xCD, 0xBE, ..] | [0xE1, 0xBF, 0xAF, ..] | [0xE2, 0x84, 0xAA, ..] => true,
            _ => false,
        })
        .collect();
    hits.sort_unstable();
    let mut out: Vec<u32> = Vec::new();
    let (mut scanned, mut line) = (0usize, 1u32);
    for i in hits {
        // Lines end at LF, CR LF (counted at its CR) or a lone CR.
        for k in memchr::memchr2_iter(b'\n', b'\r', &bytes[scanned..i]) {
            let at = scanned + k;
            if bytes[at] == b'\r' || at == 0 || bytes[at - 1] != b'\r' {
                line = line.saturating_add(1);
            }
        }
        scanned = i;
        if out.last() != Some(&line) {
            out.push(line);
        }
    }
    out
}

/// The first five hidden spans as `line N: "excerpt"`, joined by `; ` (`; …` when there are
/// more), for the messages of `sign` and `verify`.
pub fn describe(found: &[Hidden], doc: &crate::canonical::CanonicalText) -> String {
    let text = doc.as_str();
    let mut out: Vec<String> = found
        .iter()
        .take(5)
        .map(|h| {
            format!(
                "line {}: {:?}",
                doc.original_line_of(h.range.start),
                h.excerpt(text)
            )
        })
        .collect();
    if found.len() > 5 {
        out.push("…".to_owned());
    }
    out.join("; ")
}

#[cfg(test)]
mod tests;
