//! The structure parser against the real documents of `tests/data/corpus/` and synthetic inputs.
//!
//! For every `NAME.expect.json` the test parses `NAME.md` and compares, layer by layer: the layer
//! count, the kinds, the signatories, the dates, the original languages and the publication header
//! (symbol, date, original language; a `null` header must be `None`). It prints a score table
//! (visible with `cargo test --test corpus -- --nocapture`) and fails when any document mismatches
//! on anything. It also checks the boundary conventions of `src/parser.rs` on every corpus document
//! and on synthetic inputs, and that `propose` never panics on odd input.
//!
//! Set `TRANSMITTAL_CORPUS_DEBUG=1` to print every proposed layer with its markers and evidence.

use serde_json::Value;
use std::path::{Path, PathBuf};
use transmittal::canonical::{canonicalize, canonicalize_str, CanonicalText};
use transmittal::chain::LayerKind;
use transmittal::dates::format_iso;
use transmittal::parser::{propose, propose_boundaries, Confidence, Structure};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus")
}

fn expect_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".expect.json"))
        })
        .collect();
    v.sort();
    v
}

/// Check the boundary conventions that other modules rely on; returns the first violation.
fn conventions(doc: &CanonicalText, s: &Structure) -> Result<(), String> {
    let text = doc.as_str();
    let len = text.len();
    if s.layers.is_empty() {
        return Err("no layers".into());
    }
    let l0 = &s.layers[0];
    match &s.header {
        Some(h) => {
            if h.end != l0.start {
                return Err(format!(
                    "header.end {} != layers[0].start {}",
                    h.end, l0.start
                ));
            }
        }
        None => {
            if l0.start != 0 {
                return Err(format!("no header but layers[0].start = {}", l0.start));
            }
        }
    }
    if l0.content_start != l0.start {
        return Err("layers[0] has container markers".into());
    }
    if l0.kind != LayerKind::Cover {
        return Err("layers[0] is not a cover".into());
    }
    if l0.confidence != Confidence::Certain {
        return Err("layers[0] confidence is not Certain".into());
    }
    for (i, l) in s.layers.iter().enumerate() {
        for off in [l.start, l.content_start, l.end] {
            if !text.is_char_boundary(off) {
                return Err(format!("layer {i}: offset {off} is not a char boundary"));
            }
        }
        if !(l.start <= l.content_start && l.content_start <= l.end) {
            return Err(format!(
                "layer {i}: start {} content_start {} end {}",
                l.start, l.content_start, l.end
            ));
        }
        if i >= 1 {
            if l.start != s.layers[i - 1].end {
                return Err(format!("layer {i}: start != end of layer {}", i - 1));
            }
            let markers = &text[l.start..l.content_start];
            let from = LayerKind::from_markers(i, markers);
            if from != l.kind {
                return Err(format!(
                    "layer {i}: kind {:?} but from_markers({markers:?}) = {from:?}",
                    l.kind
                ));
            }
            // A boundary at the start of a line sits right after the previous LF: never on a
            // blank line (the blank line after a signature block belongs to the layer above).
            if l.start < len && text.as_bytes()[l.start] == b'\n' {
                return Err(format!("layer {i} starts on a blank line"));
            }
            // Container markers begin with the heading word (after Markdown emphasis or `#`).
            if !markers.is_empty() {
                let word = markers
                    .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '#'))
                    .to_lowercase();
                if !["annex", "enclosure", "appendix"]
                    .iter()
                    .any(|w| word.starts_with(w))
                {
                    return Err(format!(
                        "layer {i}: markers {markers:?} do not begin with a heading word"
                    ));
                }
            }
        }
    }
    if s.layers.last().map(|l| l.end) != Some(len) {
        return Err("last layer does not end at the end of the text".into());
    }
    evidence(s)
}

/// Every finding has evidence: each boundary, signatory, date and language, with the confidence
/// the brief asks for, at a real position.
/// `propose_boundaries` (what verification compares) finds exactly the header and layers of
/// `propose`, without their details.
fn same_boundaries(doc: &CanonicalText, s: &Structure) -> Result<(), String> {
    let outline = |s: &Structure| {
        (
            format!("{:?}", s.header),
            s.layers
                .iter()
                .map(|l| {
                    format!(
                        "{:?}",
                        (l.kind, l.start, l.content_start, l.end, l.confidence)
                    )
                })
                .collect::<Vec<_>>(),
        )
    };
    let b = propose_boundaries(doc);
    if b.layers.iter().any(|l| {
        l.title.is_some()
            || l.date.is_some()
            || l.original_language.is_some()
            || !l.signatories.is_empty()
            || !l.evidence.is_empty()
    }) {
        return Err("propose_boundaries returned details".into());
    }
    if outline(&b) != outline(s) {
        return Err(format!(
            "propose_boundaries differs from propose: {:?} vs {:?}",
            outline(&b),
            outline(s)
        ));
    }
    Ok(())
}

fn evidence(s: &Structure) -> Result<(), String> {
    for (i, l) in s.layers.iter().enumerate() {
        let count = |what: &str| l.evidence.iter().filter(|e| e.what == what).count();
        let boundary: Vec<_> = l.evidence.iter().filter(|e| e.what == "boundary").collect();
        if boundary.len() != 1 {
            return Err(format!(
                "layer {i}: {} boundary evidence items",
                boundary.len()
            ));
        }
        if boundary[0].confidence != l.confidence {
            return Err(format!(
                "layer {i}: layer confidence differs from its boundary's"
            ));
        }
        if i >= 1 && (l.start < l.content_start) != (l.confidence == Confidence::Certain) {
            return Err(format!(
                "layer {i}: a heading word (markers) must be Certain, anything else Inferred"
            ));
        }
        if count("signatory") != l.signatories.len() {
            return Err(format!("layer {i}: signatories without evidence"));
        }
        if l.evidence
            .iter()
            .any(|e| e.what == "signatory" && e.confidence != Confidence::Certain)
        {
            return Err(format!("layer {i}: a \"(Signed)\" mark is Certain"));
        }
        if count("date") != usize::from(l.date.is_some()) {
            return Err(format!("layer {i}: date without evidence"));
        }
        if count("original_language") != usize::from(l.original_language.is_some()) {
            return Err(format!("layer {i}: language without evidence"));
        }
        if l.evidence.iter().any(|e| e.line == 0 || e.column == 0) {
            return Err(format!("layer {i}: evidence without a position"));
        }
    }
    Ok(())
}

fn iso(d: Option<transmittal::dates::Date>) -> Value {
    d.map_or(Value::Null, |d| Value::String(format_iso(d)))
}

fn debug_dump(name: &str, doc: &CanonicalText, s: &Structure) {
    let text = doc.as_str();
    eprintln!("==== {name}");
    if let Some(h) = &s.header {
        eprintln!(
            "header end={} symbol={:?} date={:?} lang={:?}",
            h.end,
            h.symbol,
            h.date.map(format_iso),
            h.original_language
        );
    }
    for (i, l) in s.layers.iter().enumerate() {
        let head: String = text[l.content_start..l.end].chars().take(70).collect();
        eprintln!(
            "  [{i}] {:?} {}..{}..{} {:?} markers={:?} title={:?} date={:?} lang={:?} signed={:?}\n       starts: {:?}",
            l.kind,
            l.start,
            l.content_start,
            l.end,
            l.confidence,
            &text[l.start..l.content_start],
            l.title,
            l.date.map(format_iso),
            l.original_language,
            l.signatories,
            head
        );
        for e in &l.evidence {
            eprintln!(
                "       - {} {:?} ({}) at {}:{} {:?}",
                e.what, e.value, e.cue, e.line, e.column, e.confidence
            );
        }
    }
}

#[derive(Default)]
struct Score {
    count: bool,
    kinds: bool,
    signatories: bool,
    dates: bool,
    languages: bool,
    header: bool,
}

impl Score {
    fn full(&self) -> bool {
        self.count && self.kinds && self.signatories && self.dates && self.languages && self.header
    }
}

fn score(exp: &Value, s: &Structure, problems: &mut Vec<String>) -> Score {
    let want = exp["layers"].as_array().unwrap();
    let got = &s.layers;
    let mut sc = Score {
        count: want.len() == got.len(),
        ..Score::default()
    };
    let n = want.len().min(got.len());
    let field = |i: usize, key: &str| -> Value { want[i][key].clone() };
    let kinds_w: Vec<Value> = (0..want.len()).map(|i| field(i, "kind")).collect();
    let kinds_g: Vec<Value> = got
        .iter()
        .map(|l| Value::String(l.kind.as_str().into()))
        .collect();
    sc.kinds = kinds_w == kinds_g;
    let sig_w: Vec<Value> = (0..want.len()).map(|i| field(i, "signatories")).collect();
    let sig_g: Vec<Value> = got
        .iter()
        .map(|l| {
            Value::Array(
                l.signatories
                    .iter()
                    .map(|s| Value::String(s.clone()))
                    .collect(),
            )
        })
        .collect();
    sc.signatories = sig_w == sig_g;
    let date_w: Vec<Value> = (0..want.len()).map(|i| field(i, "date")).collect();
    let date_g: Vec<Value> = got.iter().map(|l| iso(l.date)).collect();
    sc.dates = date_w == date_g;
    let lang_w: Vec<Value> = (0..want.len())
        .map(|i| field(i, "original_language"))
        .collect();
    let lang_g: Vec<Value> = got
        .iter()
        .map(|l| {
            l.original_language
                .clone()
                .map_or(Value::Null, Value::String)
        })
        .collect();
    sc.languages = lang_w == lang_g;
    let hw = &exp["header"];
    sc.header = match (&s.header, hw.is_null()) {
        (None, true) => true,
        (Some(_), true) | (None, false) => false,
        (Some(h), false) => {
            hw["symbol"] == h.symbol.clone().map_or(Value::Null, Value::String)
                && hw["date"] == iso(h.date)
                && hw["original_language"]
                    == h.original_language
                        .clone()
                        .map_or(Value::Null, Value::String)
        }
    };
    let _ = n;
    if !sc.count {
        problems.push(format!("count: want {} got {}", want.len(), got.len()));
    }
    if !sc.kinds {
        problems.push(format!("kinds: want {kinds_w:?} got {kinds_g:?}"));
    }
    if !sc.signatories {
        problems.push(format!("signatories: want {sig_w:?} got {sig_g:?}"));
    }
    if !sc.dates {
        problems.push(format!("dates: want {date_w:?} got {date_g:?}"));
    }
    if !sc.languages {
        problems.push(format!("languages: want {lang_w:?} got {lang_g:?}"));
    }
    if !sc.header {
        problems.push(format!(
            "header: want {hw} got {:?}",
            s.header
                .as_ref()
                .map(|h| (&h.symbol, h.date.map(format_iso), &h.original_language))
        ));
    }
    sc
}

fn mark(b: bool) -> &'static str {
    if b {
        "ok"
    } else {
        "XX"
    }
}

#[test]
fn corpus_matches_expectations() {
    let debug = std::env::var_os("TRANSMITTAL_CORPUS_DEBUG").is_some();
    let files = expect_files();
    assert!(files.len() >= 14, "corpus not found in {:?}", corpus_dir());
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    let mut full = 0;
    for path in &files {
        let fname = path.file_name().unwrap().to_str().unwrap();
        let name = fname.trim_end_matches(".expect.json").to_owned();
        let exp: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let md = corpus_dir().join(format!("{name}.md"));
        let doc = canonicalize(&std::fs::read(&md).unwrap()).unwrap();
        let s = propose(&doc);
        if debug {
            debug_dump(&name, &doc, &s);
        }
        if let Err(e) = conventions(&doc, &s) {
            failures.push(format!("{name}: boundary conventions: {e}"));
        }
        if let Err(e) = same_boundaries(&doc, &s) {
            failures.push(format!("{name}: {e}"));
        }
        let mut problems = Vec::new();
        let sc = score(&exp, &s, &mut problems);
        let difficulty = exp["difficulty"].as_str().unwrap_or("?").to_owned();
        if sc.full() {
            full += 1;
        }
        for p in &problems {
            failures.push(format!("{name} ({difficulty}): {p}"));
        }
        rows.push((name, difficulty, sc));
    }
    println!();
    println!(
        "{:<62} {:<12} {:>5} {:>5} {:>5} {:>5} {:>5} {:>6}",
        "document", "difficulty", "count", "kinds", "signs", "dates", "langs", "header"
    );
    for (name, diff, sc) in &rows {
        println!(
            "{:<62} {:<12} {:>5} {:>5} {:>5} {:>5} {:>5} {:>6}",
            name,
            diff,
            mark(sc.count),
            mark(sc.kinds),
            mark(sc.signatories),
            mark(sc.dates),
            mark(sc.languages),
            mark(sc.header)
        );
    }
    println!("{full} of {} documents match fully", rows.len());
    // The brief's floor: plain and run-in documents must match on count, kinds and signatories.
    for (name, diff, sc) in &rows {
        if diff == "plain" || diff == "run-in" {
            assert!(
                sc.count && sc.kinds && sc.signatories,
                "{name} ({diff}) mismatches on count/kinds/signatories:\n{}",
                failures.join("\n")
            );
        }
    }
    // Everything else that is expected.
    assert!(
        failures.is_empty(),
        "corpus mismatches:\n{}",
        failures.join("\n")
    );
}

// ------------------------------------------------------------------------------------------------
// Boundary conventions on synthetic inputs.

fn check(text: &str) -> Structure {
    let doc = canonicalize_str(text);
    let s = propose(&doc);
    if let Err(e) = conventions(&doc, &s).and_then(|()| same_boundaries(&doc, &s)) {
        panic!(
            "conventions violated: {e}\ninput: {:?}",
            &text[..text.len().min(300)]
        );
    }
    s
}

#[test]
fn empty_and_blank_inputs() {
    for t in ["", "\n", "\n\n\n", "   \n\t\n  "] {
        let doc = canonicalize_str(t);
        let s = propose(&doc);
        assert!(s.header.is_none());
        assert_eq!(s.layers.len(), 1);
        assert_eq!(s.layers[0].kind, LayerKind::Cover);
        assert_eq!((s.layers[0].start, s.layers[0].end), (0, 0));
    }
}

#[test]
fn synthetic_structures_keep_the_conventions() {
    let cases = [
        "Just a line of text.\n",
        "Annex\n",
        "Annex\n\nAnnex\n\nAnnex\n",
        "Letter dated 1 May 2016 from A addressed to B\n\nText.\n\n(Signed) X Y\n\nAnnex\n\n[Original: English]\n\nText two.\n\n(Signed) Z\n\nEnclosure\n\nReport\n\n1. Para.\n",
        "United Nations S/2001/1 Security Council Distr.: General 1 May 2001 Original: English Letter dated 1 May 2001 from A addressed to the Security Council I write. (Signed) A B 01-12345 (E) 010501 *0112345* S/2001/1 Annex Letter dated 2 May 2001 from C to the Secretary-General I attach. (Signed) C D 2 S/2001/1 Enclosure Monthly report 1. Text.",
        "Enclosure**Report**\n",
        "S/2016/1\n\nAnnex. Report\n[Original: French]\n1. x\n",
        "(Signed)\n",
        "(Signed) \n(Signed)\n(Signed) A\n",
        "[Original: \n[[[[ ]]] (((( ))) Annex [ Enclosure (\n",
        "Appendix I\n\nText\n\nAppendix II\n\nText\n",
        "**Security Council**\n\nDistr.: General\n1 May 2017\n\nOriginal: French\n",
        "Annex to the letter dated 21 September 2000 from the Secretary-General addressed to the President of the Security Council\n",
    ];
    for c in cases {
        check(c);
    }
}

#[test]
fn header_end_is_layer_start_and_boundaries_at_line_starts() {
    let t = "United Nations\nSecurity Council\n\nS/2016/459\n\nDistr.: General\n19 May 2016\nOriginal: English\n\nLetter dated 19 May 2016 from the Secretary-General addressed to the President of the Security Council\n\nI have the honour to convey the attached letter (see annex).\n\n(Signed) BAN Ki-moon\n\nAnnex\n\nLetter dated 12 May 2016 from the Secretary-General of NATO addressed to the Secretary-General\n\nI attach a report (see enclosure).\n\n(Signed) Jens Stoltenberg\n\nEnclosure\n\nReport to the United Nations\n\n1. The present report.\n";
    let s = check(t);
    let h = s.header.as_ref().unwrap();
    assert_eq!(h.symbol.as_deref(), Some("S/2016/459"));
    assert!(t[h.end..].starts_with("Letter dated 19 May"));
    assert_eq!(s.layers.len(), 3);
    let a = &s.layers[1];
    assert_eq!(&t[a.start..a.content_start], "Annex\n\n");
    // The blank line after the signature belongs to the layer above.
    assert!(t[..a.start].ends_with("(Signed) BAN Ki-moon\n\n"));
    let e = &s.layers[2];
    assert_eq!(&t[e.start..e.content_start], "Enclosure\n\n");
    assert_eq!(e.end, t.len());
}

#[test]
fn flattened_furniture_stays_above_the_heading() {
    let t = "United Nations S/2001/1001 Security Council Distr.: General 24 October 2001 Original: English Letter dated 23 October 2001 from the Secretary-General addressed to the President of the Security Council I have the honour to convey the attached communication, dated 19 October 2001 (see annex). (Signed) Kofi A. Annan 01-59943 (E) 251001 *0159943* S/2001/1001 Annex Letter dated 19 October 2001 from the Secretary-General of the North Atlantic Treaty Organization to the Secretary-General I attach the monthly report (see enclosure). (Signed) George Robertson 2 S/2001/1001 Enclosure Monthly report to the Security Council 1. Over the reporting period.";
    let s = check(t);
    assert_eq!(s.layers.len(), 3);
    assert!(t[..s.layers[1].start].ends_with("*0159943* S/2001/1001 "));
    assert!(t[s.layers[1].start..].starts_with("Annex Letter"));
    assert_eq!(&t[s.layers[1].start..s.layers[1].content_start], "Annex ");
    assert!(t[..s.layers[2].start].ends_with("2 S/2001/1001 "));
    assert_eq!(s.layers[0].signatories, ["Kofi A. Annan"]);
    assert_eq!(s.layers[1].signatories, ["George Robertson"]);
}

// ------------------------------------------------------------------------------------------------
// Never panics.

#[test]
fn odd_inputs_do_not_panic() {
    let mut inputs: Vec<String> = vec![
        "(".into(),
        "(Signed".into(),
        "( Signed".into(),
        "[Original".into(),
        "[Original:".into(),
        "Annex".into(),
        "ANNEX to the".into(),
        "Letter dated".into(),
        "Letter dated 31 February 2016".into(),
        "dated".into(),
        "dated 99 Foo 99999".into(),
        "Distr.:".into(),
        "Original:".into(),
        "S/".into(),
        "S//1".into(),
        "*".into(),
        "**Annex**".into(),
        "Annex I".into(),
        "\u{feff}Annex".into(),
        "é(Signed) é\nAnnexé\né".into(),
        "Ánnex Enclosure Appendix ÄÖÜ (Signed) 漢字 [Original: 中文]".into(),
        "((((((((((((((((((((((((((((((".into(),
        "]]]]]]]]]]]]]]]]]]]][[[[[[[[[[[[[".into(),
        "highest consideration".into(),
        "highest consideration.".into(),
        "1. 1. 1. 1.\n1.\n1.".into(),
    ];
    // A 1 MB single line of mixed cues.
    let unit = "word (Signed) Name 01-59943 S/2001/1001 Annex [Original: English] Letter dated 1 May 2001 é ";
    inputs.push(unit.repeat((1 << 20) / unit.len() + 1));
    // Lots of "(Signed)" marks, on lines and in one line.
    inputs.push("(Signed) A B\n\nText here.\n\n".repeat(20_000));
    inputs.push(". (Signed) A B ".repeat(50_000));
    // A 1 MB single line without spaces.
    inputs.push("x".repeat(1 << 20));
    // Non-ASCII everywhere.
    inputs
        .push("Приложение\n\n(Signed) Пётр Иванов\n\nПриложение [Original: русский]\n".repeat(100));
    for i in &inputs {
        let t0 = std::time::Instant::now();
        let s = check(i);
        let dt = t0.elapsed();
        assert!(!s.layers.is_empty());
        // Linear time: a megabyte takes about a second in a debug build on a loaded machine; a
        // quadratic scan would take hours. The bound only catches such blowups.
        assert!(
            dt.as_secs() < 60,
            "took {dt:?} on input of {} bytes",
            i.len()
        );
    }
}

// ------------------------------------------------------------------------------------------------
// Random mixes of cue fragments: never a panic, always the conventions.

mod random {
    use super::*;
    use proptest::prelude::*;

    const FRAGMENTS: &[&str] = &[
        "Annex",
        "ANNEX II",
        "Enclosure",
        "Appendix",
        "Annex to the letter dated 1 May 2016 from A addressed to B",
        "Annex. ",
        "Enclosure**Report**",
        "[Original: French]",
        "[Original:",
        "Original: English",
        "(Signed) Jens Stoltenberg",
        "( Signed ) A",
        "(Signed)",
        "(signed",
        "Letter dated 12 May 2016 from the Secretary-General addressed to the Secretary-General",
        "Note verbale dated 1 April 2016",
        "Letter of transmittal",
        "the attached letter, dated 22 July 2016",
        "a note verbale from X dated 31 March 2015",
        "letter of 6 March 2000",
        "resolution 1244 (1999), dated 10 June 1999",
        "highest consideration.",
        "United Nations",
        "S/2001/1001",
        "Security Council",
        "Distr.: General",
        "31 October 2017",
        "January2003",
        "01-59943 (E) 251001 *0159943*",
        "2/5",
        "1. Text of a paragraph.",
        "Report on the operations",
        "I have the honour to transmit herewith the report (see enclosure).",
        "**",
        "#",
        "é",
        "António **Guterres**",
        "\u{200b}",
        "(",
        "[",
        ".",
        "-",
    ];

    fn doc() -> impl Strategy<Value = String> {
        let piece = (
            0..FRAGMENTS.len(),
            prop_oneof![Just(" "), Just("\n"), Just("\n\n"), Just("")],
        );
        proptest::collection::vec(piece, 0..40).prop_map(|v| {
            v.into_iter()
                .map(|(i, sep)| format!("{}{sep}", FRAGMENTS[i]))
                .collect::<String>()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn conventions_hold_on_random_mixes(t in doc()) {
            let doc = canonicalize_str(&t);
            let s = propose(&doc);
            prop_assert!(conventions(&doc, &s).is_ok(), "{:?}\n{:?}", conventions(&doc, &s), t);
        }
    }
}

// ------------------------------------------------------------------------------------------------
// What the parser keeps stays small and linear.

/// Bytes the proposal holds: its records and every string they own.
fn retained_bytes(s: &Structure) -> usize {
    use std::mem::size_of;
    let mut n = size_of::<Structure>();
    for l in &s.layers {
        n += size_of::<transmittal::parser::LayerProposal>();
        n += l.title.as_ref().map_or(0, String::len);
        n += l.original_language.as_ref().map_or(0, String::len);
        n += l
            .signatories
            .iter()
            .map(|x| size_of::<String>() + x.len())
            .sum::<usize>();
        n += l
            .evidence
            .iter()
            .map(|e| size_of::<transmittal::parser::Evidence>() + e.value.len() + e.cue.len())
            .sum::<usize>();
    }
    n
}

#[test]
fn proposals_of_hostile_inputs_stay_small() {
    // A few megabytes of each cue on its own: heading lines, signature lines, signed letters,
    // letter headings with text, closing formulas, "dated" references and sentence ends.
    let units = [
        "Annex\n",
        "Annex\n\n",
        "(Signed) X\n",
        "(Signed) A B\n\nText here.\n\n",
        "Letter dated 1 May 2016 from A addressed to B\n\nText.\n\n",
        "with its highest consideration.\n",
        "the attached letter, dated 2 May 2012, (see annex). [Original: French]\n",
        "Report on the operations\n\n1. Text.\n\n",
    ];
    for unit in units {
        let text = unit.repeat((3 << 20) / unit.len());
        let doc = canonicalize_str(&text);
        for s in [propose(&doc), propose_boundaries(&doc)] {
            assert!(
                s.layers.len() <= transmittal::parser::MAX_LAYERS,
                "{unit:?}: {} layers",
                s.layers.len()
            );
            let sigs: usize = s.layers.iter().map(|l| l.signatories.len()).sum();
            assert!(
                sigs <= transmittal::parser::MAX_MARKS,
                "{unit:?}: {sigs} names"
            );
            let kept = retained_bytes(&s);
            // Linear with a small factor, and bounded by the layer and name caps whatever the
            // input's size (a few megabytes).
            assert!(
                kept <= 2 * text.len() && kept < 8 << 20,
                "{unit:?}: the proposal keeps {kept} bytes for {} bytes of text",
                text.len()
            );
        }
    }
    // Below the bound every heading still starts its layer.
    let s = check(&format!("Cover.\n\n{}", "Annex\n\nText.\n\n".repeat(300)));
    assert_eq!(s.layers.len(), 301);
}

/// Real documents never trip the verification rules that guard against disguised text: no
/// "(Signed)" look-alike, no text a Markdown reader does not see, no blank line that is not
/// blank, no character NFC turns into markup (docs/FORMAT.md §6.6, §9.4). A rule that fired on a
/// real document would make genuine documents unsignable.
#[test]
fn real_documents_hold_no_disguised_text() {
    for exp in expect_files() {
        let md = exp.with_file_name(
            exp.file_name()
                .unwrap()
                .to_string_lossy()
                .replace(".expect.json", ".md"),
        );
        let bytes = std::fs::read(&md).unwrap();
        let original = String::from_utf8(bytes.clone()).unwrap();
        let doc = transmittal::canonical::canonicalize(&bytes).unwrap();
        let name = md.display();
        assert_eq!(
            transmittal::identity::look_alike_lines(doc.as_str()),
            Vec::<usize>::new(),
            "{name}"
        );
        assert!(
            transmittal::hidden::whitespace_only_lines(&original).is_empty(),
            "{name}"
        );
        assert!(
            transmittal::hidden::ambiguous_character_lines(&original).is_empty(),
            "{name}"
        );
        let hidden = transmittal::hidden::find_hidden(doc.as_str());
        assert!(hidden.is_empty(), "{name}: {hidden:?}");
    }
}
